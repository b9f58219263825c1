/*
 * entity_resolve.c — lone surnames after a full name (see entity_resolve.h).
 *
 * The catalog matcher finds every listed name; this pass adds what only
 * the article's own context makes a mention: "Bout" alone after "Viktor
 * Bout".  Only the surnames of persons fully named in this article go into
 * a small per-article matcher, so the cost does not depend on the catalog's
 * size, and a first name alone is never added (the surname is the last
 * word), so "فيكتور" or another Viktor stays nobody.  A surname the config
 * also lists alone (deploy/marsad.conf lists بوت) is matched by the
 * catalog everywhere already; resolution then has nothing to add.
 */
#include <stdlib.h>
#include <string.h>
#include "entity_resolve.h"

typedef struct {
    long entity;           /* catalog index */
    size_t start;          /* offset of this full mention */
} s_full_t;

/* Index of the first token whose start is >= OFF. */
static size_t
s_token_at(const text_doc_t *doc, size_t off)
{
    size_t lo = 0, hi = text_doc_ntokens(doc);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (text_doc_token(doc, mid)->start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int
s_cmp_start(const void *a, const void *b)
{
    const proto_mention_t *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

static int
s_cmp_long(const void *a, const void *b)
{
    const long *x = a, *y = b;
    return (*x > *y) - (*x < *y);
}

/* Slot of entity E among the sorted distinct ENTS, or -1. */
static long
s_slot(const long *ents, size_t ne, long e)
{
    const long *p = bsearch(&e, ents, ne, sizeof(*ents), s_cmp_long);
    return p ? (long) (p - ents) : -1;
}

size_t
entity_resolve(const entity_catalog_t *cat, const text_doc_t *doc,
               proto_mention_t **m, size_t n)
{
    if (!cat || !doc || !m || n == 0)
        return n;
    const size_t orig_n = n;
    s_full_t *full = calloc(n, sizeof(*full));   /* in text order, as *m */
    long *ents = calloc(n, sizeof(*ents));
    size_t nf = 0, ne = 0;
    text_matcher_t *tm = NULL;
    text_hit_t *hits = NULL;
    unsigned char *covered = NULL;
    size_t *latest = NULL;
    size_t ntok = text_doc_ntokens(doc);
    if (!full || !ents)
        goto fail;
    tm = text_matcher_new();
    if (!tm)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const proto_mention_t *x = &(*m)[i];
        size_t first = s_token_at(doc, (size_t) x->start);
        size_t after = s_token_at(doc, (size_t) x->end);
        if (after - first < 2)
            continue;   /* a one-word mention is not a full name */
        long e = entity_catalog_find(cat, x->entity);
        const char *const *sn = NULL;
        if (e < 0 || entity_catalog_surnames(cat, (size_t) e, &sn) == 0)
            continue;
        full[nf++] = (s_full_t) { e, (size_t) x->start };
        ents[ne++] = e;
    }
    if (nf == 0)
        goto none;
    qsort(ents, ne, sizeof(*ents), s_cmp_long);
    size_t distinct = 0;
    for (size_t i = 0; i < ne; i++)
        if (i == 0 || ents[i] != ents[distinct - 1])
            ents[distinct++] = ents[i];
    ne = distinct;
    for (size_t i = 0; i < ne; i++) {
        const char *const *sn = NULL;
        size_t ns = entity_catalog_surnames(cat, (size_t) ents[i], &sn);
        for (size_t k = 0; k < ns; k++)
            if (text_matcher_add(tm, sn[k], (int) ents[i]))
                goto fail;
    }
    size_t nh = text_matcher_scan(tm, doc, &hits);
    if (nh == (size_t) -1)
        goto fail;
    covered = calloc(ntok ? ntok : 1, 1);
    latest = calloc(ne, sizeof(*latest));   /* per slot: 1 + start of its latest full mention */
    if (!covered || !latest)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        size_t first = s_token_at(doc, (size_t) (*m)[i].start);
        size_t after = s_token_at(doc, (size_t) (*m)[i].end);
        for (size_t t = first; t < after && t < ntok; t++)
            covered[t] = 1;
    }
    const char *text = text_doc_text(doc);
    size_t cap = n, fi = 0;
    for (size_t h = 0; h < nh; h++) {
        const text_hit_t *hit = &hits[h];
        /* Sweep the full mentions that start before this word. */
        for (; fi < nf && full[fi].start < hit->start; fi++)
            latest[s_slot(ents, ne, full[fi].entity)] = full[fi].start + 1;
        /* The person fully named last before this word, among those whose
         * surname this is (hits of other ids on the same token follow). */
        long best = -1;
        size_t best_start = 0;
        size_t h2 = h;
        for (; h2 < nh && hits[h2].first == hit->first; h2++) {
            long slot = s_slot(ents, ne, hits[h2].id);
            if (slot >= 0 && latest[slot] > best_start) {
                best = hits[h2].id;
                best_start = latest[slot];
            }
        }
        h = h2 - 1;
        unsigned char c0 = (unsigned char) text[hit->start];
        if (best < 0 || covered[hit->first] || (c0 >= 'a' && c0 <= 'z'))
            continue;
        if (n == cap) {
            cap = cap * 2 + 4;
            proto_mention_t *v = realloc(*m, cap * sizeof(*v));
            if (!v)
                goto fail;
            *m = v;
        }
        proto_mention_t *x = &(*m)[n];
        memset(x, 0, sizeof(*x));
        x->entity = strdup(entity_catalog_id(cat, (size_t) best));
        x->type = strdup(entity_catalog_type(cat, (size_t) best));
        x->surface = strndup(text + hit->start, hit->end - hit->start);
        x->start = (int64_t) hit->start;
        x->end = (int64_t) hit->end;
        x->sentence = (int64_t) text_doc_token(doc, hit->first)->sentence;
        n++;
        if (!x->entity || !x->type || !x->surface)
            goto fail;
        covered[hit->first] = 1;
    }
    if (n > orig_n)
        qsort(*m, n, sizeof(**m), s_cmp_start);
none:
    free(latest);
    free(covered);
    free(hits);
    free(ents);
    free(full);
    text_matcher_destroy(&tm);
    return n;
fail:
    for (size_t i = orig_n; i < n; i++) {
        free((*m)[i].entity);
        free((*m)[i].type);
        free((*m)[i].surface);
    }
    free(latest);
    free(covered);
    free(hits);
    free(ents);
    free(full);
    text_matcher_destroy(&tm);
    return (size_t) -1;
}
