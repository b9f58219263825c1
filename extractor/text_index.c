/*
 * text_index.c — an article's index forms and signatures, and their frame
 * (see text_index.h).
 *
 * The frame, all integers little-endian:
 *
 *   "MX"  u8 version  u8 n_title  u32 n_words  u64 simhash
 *   u32 minhash[TEXT_MINHASH_K]  u32 title[n_title]
 *   u32 length, title forms (UTF-8)  u32 length, text forms (UTF-8)
 *
 * Binary, not JSON: it is read once per article on the store's hot path,
 * and it is never announced or stored as it came.
 */
#include "text_index.h"
#include "text_forms.h"
#include "utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define S_HEAD (2 + 1 + 1 + 4 + 8 + 4 * TEXT_MINHASH_K)

int text_index_compute(const text_doc_t *title, const text_doc_t *text, text_index_t *out)
{
    memset(out, 0, sizeof *out);
    text_sig_compute(title, text, &out->sig);
    out->title_forms = title ? text_forms_of_doc(title) : strdup("");
    out->forms = text ? text_forms_of_doc(text) : strdup("");
    if (!out->title_forms || !out->forms) {
        text_index_clear(out);
        return -1;
    }
    return 0;
}

int text_index_of(const char *title, const char *text, text_index_t *out)
{
    title = title ? title : "";
    text = text ? text : "";
    text_doc_t *td = text_doc_words(title, strlen(title));
    text_doc_t *xd = text_doc_words(text, strlen(text));
    int rc = td && xd ? text_index_compute(td, xd, out) : -1;
    if (!td || !xd)
        memset(out, 0, sizeof *out);
    text_doc_destroy(&td);
    text_doc_destroy(&xd);
    return rc;
}

void text_index_clear(text_index_t *idx)
{
    if (!idx)
        return;
    free(idx->title_forms);
    free(idx->forms);
    memset(idx, 0, sizeof *idx);
}

static unsigned char *s_put(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        *p++ = (unsigned char) (v >> (8 * i));
    return p;
}

static uint64_t s_get(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t) p[i] << (8 * i);
    return v;
}

int text_index_encode(const text_index_t *idx, char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    size_t tl = strlen(idx->title_forms), fl = strlen(idx->forms);
    size_t nt = idx->sig.n_title < TEXT_TITLE_WORDS ? idx->sig.n_title : TEXT_TITLE_WORDS;
    if (tl > UINT32_MAX || fl > UINT32_MAX)
        return -1;
    size_t n = S_HEAD + 4 * nt + 4 + tl + 4 + fl;
    unsigned char *p = malloc(n), *q = p;
    if (!p)
        return -1;
    *q++ = 'M';
    *q++ = 'X';
    *q++ = TEXT_INDEX_VERSION;
    *q++ = (unsigned char) nt;
    q = s_put(q, idx->sig.n_words < UINT32_MAX ? idx->sig.n_words : UINT32_MAX, 4);
    q = s_put(q, idx->sig.simhash, 8);
    for (size_t k = 0; k < TEXT_MINHASH_K; k++)
        q = s_put(q, idx->sig.minhash[k], 4);
    for (size_t k = 0; k < nt; k++)
        q = s_put(q, idx->sig.title[k], 4);
    q = s_put(q, tl, 4);
    memcpy(q, idx->title_forms, tl);
    q += tl;
    q = s_put(q, fl, 4);
    memcpy(q, idx->forms, fl);
    *buf = (char *) p;
    *len = n;
    return 0;
}


/* A forms string at *P (before END): its length, then its bytes. */
static char *s_forms(const unsigned char **p, const unsigned char *end)
{
    if (end - *p < 4)
        return NULL;
    uint64_t n = s_get(*p, 4);
    *p += 4;
    /* strict UTF-8 without NUL: the forms go into SQL text */
    if ((uint64_t) (end - *p) < n || utf8_check(*p, (size_t) n) < 0 || memchr(*p, 0, (size_t) n))
        return NULL;
    char *s = malloc((size_t) n + 1);
    if (s) {
        memcpy(s, *p, (size_t) n);
        s[n] = '\0';
    }
    *p += n;
    return s;
}

int text_index_decode(const char *buf, size_t len, text_index_t *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *p = (const unsigned char *) buf, *end = p + len;
    if (len < 4 || p[0] != 'M' || p[1] != 'X')
        return -1;
    if (p[2] != TEXT_INDEX_VERSION)
        return 1;
    size_t nt = p[3];
    if (nt > TEXT_TITLE_WORDS || len < S_HEAD + 4 * nt)
        return -1;
    p += 4;
    out->sig.n_words = (size_t) s_get(p, 4);
    out->sig.simhash = s_get(p + 4, 8);
    p += 12;
    for (size_t k = 0; k < TEXT_MINHASH_K; k++, p += 4)
        out->sig.minhash[k] = (uint32_t) s_get(p, 4);
    for (size_t k = 0; k < nt; k++, p += 4)
        out->sig.title[k] = (uint32_t) s_get(p, 4);
    out->sig.n_title = nt;
    out->title_forms = s_forms(&p, end);
    out->forms = out->title_forms ? s_forms(&p, end) : NULL;
    if (!out->forms || p != end) {
        text_index_clear(out);
        return -1;
    }
    return 0;
}
