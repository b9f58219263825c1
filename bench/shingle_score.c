/*
 * shingle_score.c — evaluate.py's shingle metric in C (see shingle_score.h).
 *
 * DESCRIPTION
 *   Tokens are found with ICU's character properties, mirroring CPython's
 *   \w (str.isalnum() or '_': categories Lu Ll Lt Lm Lo, or any Numeric_Type).
 *   Each shingle becomes one string (its tokens joined by U+001F, which is
 *   never part of a token); the two lists are sorted and walked together,
 *   which counts the multisets as Counter() does.
 */
#include "shingle_score.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define S_NGRAM 4

typedef struct {
    size_t start, len;
} s_tok_t;

static bool
s_word_char(UChar32 c)
{
    if (c == '_')
        return true;
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
        return true;
    default:
        return u_getIntPropertyValue(c, UCHAR_NUMERIC_TYPE) != U_NT_NONE;
    }
}

/* tokens of S into *OUT (malloc'd); returns the count or (size_t)-1 */
static size_t
s_tokenize(const char *s, s_tok_t **out)
{
    *out = NULL;
    size_t n = 0, cap = 0;
    int32_t len = (int32_t) strnlen(s, INT32_MAX);
    int32_t i = 0;
    int32_t start = -1;
    while (i <= len) {
        int32_t at = i;
        UChar32 c = 0;
        bool word = false;
        if (i < len) {
            U8_NEXT(s, i, len, c);
            word = c >= 0 && s_word_char(c);
        } else {
            i++;
        }
        if (word && start < 0) {
            start = at;
        } else if (!word && start >= 0) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 256;
                s_tok_t *nb = realloc(*out, nc * sizeof *nb);
                if (!nb) {
                    free(*out);
                    *out = NULL;
                    return (size_t) -1;
                }
                *out = nb;
                cap = nc;
            }
            (*out)[n++] = (s_tok_t) {(size_t) start, (size_t) (at - start)};
            start = -1;
        }
    }
    return n;
}

size_t
shingle_count_tokens(const char *text)
{
    s_tok_t *t = NULL;
    size_t n = s_tokenize(text ? text : "", &t);
    free(t);
    return n;
}

static int
s_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* the shingles of S as sorted strings; *POOL holds their bytes */
static size_t
s_shingles(const char *s, const s_tok_t *t, size_t nt, char ***out, char **pool)
{
    *out = NULL;
    *pool = NULL;
    if (nt == 0)
        return 0;
    size_t ns = nt >= S_NGRAM ? nt - S_NGRAM + 1 : 1;
    size_t width = nt >= S_NGRAM ? S_NGRAM : nt;
    size_t bytes = 0;
    for (size_t i = 0; i < ns; i++)
        for (size_t k = 0; k < width; k++)
            bytes += t[i + k].len + 1;
    char **list = malloc(ns * sizeof *list);
    char *p = malloc(bytes);
    if (!list || !p) {
        free(list);
        free(p);
        return (size_t) -1;
    }
    size_t at = 0;
    for (size_t i = 0; i < ns; i++) {
        list[i] = p + at;
        for (size_t k = 0; k < width; k++) {
            memcpy(p + at, s + t[i + k].start, t[i + k].len);
            at += t[i + k].len;
            p[at++] = k + 1 < width ? '\x1f' : '\0';
        }
    }
    qsort(list, ns, sizeof *list, s_cmp);
    *out = list;
    *pool = p;
    return ns;
}

static bool
s_same_tokens(const char *a, const s_tok_t *ta, size_t na, const char *b, const s_tok_t *tb,
              size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (ta[i].len != tb[i].len || memcmp(a + ta[i].start, b + tb[i].start, ta[i].len) != 0)
            return false;
    return true;
}

int
shingle_score(const char *truth, const char *pred, shingle_counts_t *out)
{
    *out = (shingle_counts_t) {0};
    truth = truth ? truth : "";
    pred = pred ? pred : "";
    s_tok_t *tt = NULL, *tp = NULL;
    char **st = NULL, **sp = NULL, *pt = NULL, *pp = NULL;
    int rc = -2;
    size_t ntt = s_tokenize(truth, &tt);
    size_t ntp = s_tokenize(pred, &tp);
    if (ntt == (size_t) -1 || ntp == (size_t) -1)
        goto done;
    size_t nst = s_shingles(truth, tt, ntt, &st, &pt);
    size_t nsp = s_shingles(pred, tp, ntp, &sp, &pp);
    if (nst == (size_t) -1 || nsp == (size_t) -1)
        goto done;
    out->exact = s_same_tokens(truth, tt, ntt, pred, tp, ntp);
    /* walk the two sorted multisets: min(counts) are shared, the rest extra */
    size_t i = 0, j = 0;
    double tpos = 0, fpos = 0, fneg = 0;
    while (i < nst || j < nsp) {
        int c = i == nst ? 1 : j == nsp ? -1 : strcmp(st[i], sp[j]);
        if (c == 0) {
            tpos++;
            i++;
            j++;
        } else if (c < 0) {
            fneg++;
            i++;
        } else {
            fpos++;
            j++;
        }
    }
    double sum = tpos + fpos + fneg;
    if (sum > 0) {
        tpos /= sum;
        fpos /= sum;
        fneg /= sum;
    }
    out->tp = tpos;
    out->fp = fpos;
    out->fn = fneg;
    rc = 0;
done:
    free(tt);
    free(tp);
    free(st);
    free(sp);
    free(pt);
    free(pp);
    return rc;
}

double
shingle_precision(const shingle_counts_t *c)
{
    if (c->fp == 0 && c->fn == 0)
        return 1.0;
    if (c->tp == 0 && c->fp == 0)
        return 0.0;
    return c->tp / (c->tp + c->fp);
}

double
shingle_recall(const shingle_counts_t *c)
{
    if (c->fp == 0 && c->fn == 0)
        return 1.0;
    if (c->tp == 0 && c->fn == 0)
        return 0.0;
    return c->tp / (c->tp + c->fn);
}

void
shingle_tally_add(shingle_tally_t *t, const shingle_counts_t *c)
{
    if (c->tp + c->fp > 0) {
        t->sum_p += shingle_precision(c);
        t->n_p++;
    }
    if (c->tp + c->fn > 0) {
        t->sum_r += shingle_recall(c);
        t->n_r++;
    }
    t->sum_exact += c->exact ? 1.0 : 0.0;
    t->n++;
}

void
shingle_tally_result(const shingle_tally_t *t, double *precision, double *recall, double *f1,
                     double *accuracy)
{
    double p = t->n_p ? t->sum_p / (double) t->n_p : 0.0;
    double r = t->n_r ? t->sum_r / (double) t->n_r : 0.0;
    *precision = p;
    *recall = r;
    *f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    *accuracy = t->n ? t->sum_exact / (double) t->n : 0.0;
}
