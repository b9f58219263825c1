/*
 * text_doc.c — a document as the text library sees it: the original UTF-8,
 * its word tokens (with folded keys and forms) and its sentences.
 *
 * The original is decoded once into UTF-16 with a table from every UTF-16
 * unit back to the byte it came from; ICU's word and sentence break
 * iterators run on that UTF-16 of the ORIGINAL text (not on the folded
 * text), so every boundary maps back to exact byte offsets whatever folding
 * later does (harakat, tatweel, invisible marks, presentation forms that
 * NFKC expands).  Each word token is then folded on its own span.
 *
 * ICU's word rules already keep harakat, tatweel and format characters
 * (RLM, ZWJ, ...) inside the word they sit in.  Two things are added here:
 * invisible marks at a token's edge are trimmed from its span (so a surface
 * is the visible word), and letter/digit runs joined by one hyphen with no
 * space (AK-74, S-300, Buk-M2) become one token, since ICU splits them and
 * AK-74 must not be "AK" + "74" (which would match AK-47's "ak").
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include "text_internal.h"

struct text_doc {
    char *text;
    size_t len;
    text_token_t *tokens;
    size_t ntok, captok;
    text_span_t *sents;
    size_t nsent;
    text_arena_t *arena;
};

typedef struct {
    int32_t s, e;           /* UTF-16 span */
    bool letter, digit;
} s_seg_t;

/* Decode TEXT into U16, MAP[k] = byte offset of the code point that gave
 * unit k, MAP[n] = LEN.  Returns the number of units. */
static int32_t
s_decode(const char *text, size_t len, UChar *u16, size_t *map)
{
    int32_t n = 0;
    size_t i = 0;
    while (i < len) {
        size_t at = i;
        int32_t c = text_utf8_next(text, len, &i);
        if (c == 0)
            c = ' ';        /* an embedded NUL separates, like a space */
        if (c >= 0x10000) {
            u16[n] = U16_LEAD(c);
            map[n++] = at;
            u16[n] = U16_TRAIL(c);
            map[n++] = at;
        }
        else {
            u16[n] = (UChar)c;
            map[n++] = at;
        }
    }
    map[n] = len;
    return n;
}

static void
s_seg_classify(const UChar *u, s_seg_t *g)
{
    g->letter = g->digit = false;
    for (int32_t i = g->s; i < g->e;) {
        UChar32 c;
        U16_NEXT(u, i, g->e, c);
        /* ASCII and the Arabic letters and digits without asking ICU */
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0x0621 && c <= 0x064A))
            g->letter = true;
        else if ((c >= '0' && c <= '9') || (c >= 0x0660 && c <= 0x0669))
            g->digit = true;
        else if (c < 0x80)
            continue;
        else if (u_isdigit(c))
            g->digit = true;
        else if (u_isalpha(c))
            g->letter = true;
    }
}

static int
s_push_token(text_doc_t *d, const text_token_t *t)
{
    if (d->ntok == d->captok) {
        size_t nc = d->captok ? d->captok * 2 : 64;
        text_token_t *nt = realloc(d->tokens, nc * sizeof(*nt));
        if (!nt)
            return -1;
        d->tokens = nt;
        d->captok = nc;
    }
    d->tokens[d->ntok++] = *t;
    return 0;
}

/* A break iterator of TYPE aimed at U.  Opening one is costly (ICU wraps
 * its rule data and builds strings: a third of the time of a short doc),
 * so each thread keeps one of each type and re-aims it with ubrk_setText;
 * text_doc_new is not re-entered on a thread, so one at a time is enough.
 * They are closed when their thread ends (a pthread key's destructor). */
typedef struct {
    UBreakIterator *word, *sentence;
} s_iters_t;

static pthread_key_t s_iters_key;
static pthread_once_t s_iters_once = PTHREAD_ONCE_INIT;
static bool s_iters_ok;

static void
s_iters_free(void *p)
{
    s_iters_t *it = p;
    ubrk_close(it->word);
    ubrk_close(it->sentence);
    free(it);
}

static void
s_iters_init(void)
{
    s_iters_ok = pthread_key_create(&s_iters_key, s_iters_free) == 0;
}

static UBreakIterator *
s_iterator(UBreakIteratorType type, const UChar *u, int32_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    pthread_once(&s_iters_once, s_iters_init);
    s_iters_t *it = s_iters_ok ? pthread_getspecific(s_iters_key) : NULL;
    if (s_iters_ok && !it && (it = calloc(1, sizeof(*it))) != NULL
        && pthread_setspecific(s_iters_key, it) != 0) {
        free(it);
        it = NULL;
    }
    if (!it)
        return NULL;
    UBreakIterator **slot = type == UBRK_WORD ? &it->word : &it->sentence;
    if (!*slot) {
        *slot = ubrk_open(type, "ar", u, n, &st);
        if (U_FAILURE(st)) {
            ubrk_close(*slot);
            *slot = NULL;
        }
        return *slot;
    }
    ubrk_setText(*slot, u, n, &st);
    return U_FAILURE(st) ? NULL : *slot;
}

/* Collect ICU word segments (letters or numbers) into *SEGS. */
static int
s_words(const UChar *u, int32_t n, s_seg_t **segs, size_t *nseg)
{
    UBreakIterator *wb = s_iterator(UBRK_WORD, u, n);
    if (!wb)
        return -1;
    size_t cap = 0;
    *segs = NULL;
    *nseg = 0;
    int rc = 0;
    int32_t s = ubrk_first(wb);
    for (int32_t e = ubrk_next(wb); e != UBRK_DONE; s = e, e = ubrk_next(wb)) {
        if (ubrk_getRuleStatus(wb) < UBRK_WORD_NONE_LIMIT)
            continue;
        if (*nseg == cap) {
            cap = cap ? cap * 2 : 64;
            s_seg_t *ns = realloc(*segs, cap * sizeof(*ns));
            if (!ns) {
                rc = -1;
                break;
            }
            *segs = ns;
        }
        s_seg_t *g = &(*segs)[(*nseg)++];
        g->s = s;
        g->e = e;
        s_seg_classify(u, g);
    }
    return rc;
}

/* Sentences: ICU sentence segments, trimmed of surrounding whitespace and
 * invisible marks; all-blank segments dropped.  BOUNDS receives the
 * untrimmed UTF-16 end of each kept sentence, for assigning tokens. */
static int
s_sentences(text_doc_t *d, const UChar *u, int32_t n, const size_t *map, int32_t **ends)
{
    UBreakIterator *sb = s_iterator(UBRK_SENTENCE, u, n);
    if (!sb)
        return -1;
    size_t cap = 0;
    int rc = 0;
    *ends = NULL;
    int32_t s = ubrk_first(sb);
    for (int32_t e = ubrk_next(sb); e != UBRK_DONE; s = e, e = ubrk_next(sb)) {
        int32_t a = s, b = e;
        while (a < b && (u_isUWhiteSpace(u[a]) || text_is_invisible(u[a])))
            a++;
        while (b > a && (u_isUWhiteSpace(u[b - 1]) || text_is_invisible(u[b - 1])))
            b--;
        if (a == b)
            continue;
        if (d->nsent == cap) {
            cap = cap ? cap * 2 : 16;
            text_span_t *ns = realloc(d->sents, cap * sizeof(*ns));
            int32_t *ne = realloc(*ends, cap * sizeof(*ne));
            if (ns)
                d->sents = ns;
            if (ne)
                *ends = ne;
            if (!ns || !ne) {
                rc = -1;
                break;
            }
        }
        d->sents[d->nsent].start = map[a];
        d->sents[d->nsent].end = map[b];
        (*ends)[d->nsent] = e;
        d->nsent++;
    }
    return rc;
}

/* Trim invisible marks from both edges of [*s, *e). */
static void
s_trim_invisible(const UChar *u, int32_t *s, int32_t *e)
{
    while (*s < *e) {
        int32_t i = *s;
        UChar32 c;
        U16_NEXT(u, i, *e, c);
        if (!text_is_invisible(c))
            break;
        *s = i;
    }
    while (*e > *s) {
        int32_t i = *e;
        UChar32 c;
        U16_PREV(u, *s, i, c);
        if (!text_is_invisible(c))
            break;
        *e = i;
    }
}

static int
s_build(text_doc_t *d, const UChar *u, int32_t n, const size_t *map, bool sentences)
{
    s_seg_t *segs = NULL;
    size_t nseg = 0;
    int32_t *sent_ends = NULL;
    text_folder_t f;
    text_folder_init(&f);
    int rc = -1;

    if (s_words(u, n, &segs, &nseg) || (sentences && s_sentences(d, u, n, map, &sent_ends)))
        goto done;

    size_t sent = 0;
    for (size_t i = 0; i < nseg;) {
        /* Merge AK-74 / S-300 / Buk-M2: the next segment starts right after
         * one joining dash, and one side has a digit while the other has a
         * letter.  Words joined by a hyphen without digits (Iran-backed,
         * Houthi-led) stay apart so "Houthi" still finds its word. */
        size_t j = i;
        while (j + 1 < nseg && segs[j + 1].s == segs[j].e + 1
               && text_is_joining_dash(u[segs[j].e])
               && ((segs[j].digit && segs[j + 1].letter)
                   || (segs[j].letter && segs[j + 1].digit)))
            j++;
        int32_t s = segs[i].s, e = segs[j].e;
        i = j + 1;
        s_trim_invisible(u, &s, &e);
        if (s == e)
            continue;
        if (text_folder_run(&f, u + s, e - s))
            goto done;
        if (f.outlen == 0)
            continue;       /* nothing left to match (marks only) */

        text_token_t t;
        memset(&t, 0, sizeof(t));
        t.start = map[s];
        t.end = map[e];
        while (sent + 1 < d->nsent && s >= sent_ends[sent])
            sent++;
        t.sentence = sent;
        t.is_word = true;
        t.key = text_arena_strndup(d->arena, f.out, f.outlen);
        if (!t.key)
            goto done;
        t.n_forms = text_forms_build(d->arena, t.key, t.forms);
        if (!t.n_forms || s_push_token(d, &t))
            goto done;
    }
    rc = 0;
done:
    free(segs);
    free(sent_ends);
    text_folder_clear(&f);
    return rc;
}

static text_doc_t *
s_doc_new(const char *text, size_t len, bool sentences)
{
    /* ICU indexes UTF-16 with int32_t. */
    if ((!text && len) || len >= (size_t)INT32_MAX / 2)
        return NULL;
    text_doc_t *d = calloc(1, sizeof(*d));
    UChar *u16 = NULL;
    size_t *map = NULL;
    if (!d)
        return NULL;
    d->len = len;
    d->text = malloc(len + 1);
    d->arena = text_arena_new();
    /* UTF-16 units never outnumber UTF-8 bytes. */
    u16 = malloc((len + 1) * sizeof(UChar));
    map = malloc((len + 1) * sizeof(size_t));
    if (!d->text || !d->arena || !u16 || !map)
        goto fail;
    if (len)
        memcpy(d->text, text, len);
    d->text[len] = '\0';

    int32_t n = s_decode(text, len, u16, map);
    if (n > 0 && s_build(d, u16, n, map, sentences))
        goto fail;
    free(u16);
    free(map);
    return d;
fail:
    free(u16);
    free(map);
    text_doc_destroy(&d);
    return NULL;
}

text_doc_t *
text_doc_new(const char *text, size_t len)
{
    return s_doc_new(text, len, true);
}

/* Sentence segmentation is ICU's second pass over the text, a third of
 * the doc's segmenting time; the store's index and signatures and the
 * folding of search terms never look at sentences. */
text_doc_t *
text_doc_words(const char *text, size_t len)
{
    return s_doc_new(text, len, false);
}

void
text_doc_destroy(text_doc_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    text_doc_t *d = *self_p;
    free(d->text);
    free(d->tokens);
    free(d->sents);
    text_arena_destroy(&d->arena);
    free(d);
    *self_p = NULL;
}

size_t
text_doc_ntokens(const text_doc_t *doc)
{
    return doc->ntok;
}

const text_token_t *
text_doc_token(const text_doc_t *doc, size_t i)
{
    return i < doc->ntok ? &doc->tokens[i] : NULL;
}

size_t
text_doc_nsentences(const text_doc_t *doc)
{
    return doc->nsent;
}

text_span_t
text_doc_sentence(const text_doc_t *doc, size_t i)
{
    text_span_t none = { 0, 0 };
    return i < doc->nsent ? doc->sents[i] : none;
}

const char *
text_doc_text(const text_doc_t *doc)
{
    return doc->text;
}

size_t
text_doc_len(const text_doc_t *doc)
{
    return doc->len;
}
