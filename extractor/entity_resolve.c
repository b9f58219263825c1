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
 *
 * The matcher is not built, nor the doc scanned again, when it need not
 * be: the catalog keeps each surname's match key and its hash, and the
 * catalog scan leaves each token form's hash behind
 * (entity_resolve_hashes), so finding the surnames is a look-up of each
 * form in a table of a few keys.  Building a matcher per article (the
 * segmentation of each surname) and hashing the article a second time
 * cost more than the catalog scan itself when a big catalog names
 * someone in most articles.  A surname that is not one word alone (none
 * has been seen) still goes through a matcher.
 */
#include <stdlib.h>
#include <string.h>
#include "entity_resolve.h"

/* One surname key of a person fully named in the article. */
typedef struct {
    uint32_t hash;
    const char *key;
    long entity;
} s_key_t;

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

/* The surnames of the NE persons ENTS in DOC, as a matcher of them as
 * one-word phrases would report them (tokens starting before FROM
 * skipped): *hits malloc'd, in token order.  FORM_HASHES as
 * text_matcher_scan_hashes leaves them, or NULL.  Returns the count, or
 * (size_t)-1 on allocation failure. */
static size_t
s_surname_hits(const entity_catalog_t *cat, const text_doc_t *doc, const long *ents, size_t ne,
               size_t from, const uint32_t *form_hashes, text_hit_t **hits)
{
    *hits = NULL;
    size_t nk = 0;
    bool phrase = false;    /* a surname that is not one word */
    for (size_t i = 0; i < ne; i++) {
        const char *const *keys;
        const uint32_t *hs;
        size_t ns = entity_catalog_surname_keys(cat, (size_t) ents[i], &keys, &hs);
        for (size_t k = 0; k < ns; k++)
            phrase |= !keys[k];
        nk += ns;
    }
    if (phrase || !form_hashes) {
        text_matcher_t *tm = text_matcher_new();
        for (size_t i = 0; tm && i < ne; i++) {
            const char *const *sn = NULL;
            size_t ns = entity_catalog_surnames(cat, (size_t) ents[i], &sn);
            for (size_t k = 0; tm && k < ns; k++)
                if (text_matcher_add(tm, sn[k], (int) ents[i]))
                    text_matcher_destroy(&tm);
        }
        size_t nh = tm ? text_matcher_scan(tm, doc, hits) : (size_t) -1;
        text_matcher_destroy(&tm);
        return nh;
    }
    /* Open addressing on the keys' hashes, at most half full, behind a
     * 64-bit mask of their top bits (most forms are no surname). */
    uint64_t mask = 0;
    size_t cap = 4;
    while (cap < 2 * nk)
        cap *= 2;
    s_key_t *tab = calloc(cap, sizeof(*tab));
    if (!tab)
        return (size_t) -1;
    for (size_t i = 0; i < ne; i++) {
        const char *const *keys;
        const uint32_t *hs;
        size_t ns = entity_catalog_surname_keys(cat, (size_t) ents[i], &keys, &hs);
        for (size_t k = 0; k < ns; k++) {
            size_t j = hs[k] & (cap - 1);
            while (tab[j].hash)
                j = (j + 1) & (cap - 1);
            tab[j] = (s_key_t) { hs[k], keys[k], ents[i] };
            mask |= 1ull << (hs[k] >> 26);
        }
    }
    text_hit_t *v = NULL;
    size_t nh = 0, hcap = 0, ntok = text_doc_ntokens(doc);
    for (size_t t = s_token_at(doc, from); t < ntok; t++) {
        const uint32_t *row = form_hashes + t * TEXT_MAX_FORMS;
        size_t first_of_token = nh;
        for (size_t f = 0; f < TEXT_MAX_FORMS && row[f]; f++) {
            uint32_t h = row[f];
            if (!((mask >> (h >> 26)) & 1))
                continue;
            const text_token_t *tok = text_doc_token(doc, t);
            for (size_t j = h & (cap - 1); tab[j].hash; j = (j + 1) & (cap - 1)) {
                if (tab[j].hash != h || strcmp(tab[j].key, tok->forms[f]) != 0)
                    continue;
                /* once per person and token, as the matcher reports it */
                bool dup = false;
                for (size_t x = first_of_token; x < nh && !dup; x++)
                    dup = v[x].id == (int) tab[j].entity;
                if (dup)
                    continue;
                if (nh == hcap) {
                    hcap = hcap * 2 + 8;
                    text_hit_t *nv = realloc(v, hcap * sizeof(*nv));
                    if (!nv) {
                        free(v);
                        free(tab);
                        return (size_t) -1;
                    }
                    v = nv;
                }
                v[nh++] = (text_hit_t) { (int) tab[j].entity, t, t, tok->start, tok->end };
            }
        }
    }
    free(tab);
    *hits = v;
    return nh;
}

size_t
entity_resolve(const entity_catalog_t *cat, const text_doc_t *doc,
               proto_mention_t **m, size_t n)
{
    return entity_resolve_hashes(cat, doc, m, n, NULL);
}

size_t
entity_resolve_hashes(const entity_catalog_t *cat, const text_doc_t *doc,
                      proto_mention_t **m, size_t n, const uint32_t *form_hashes)
{
    if (!cat || !doc || !m || n == 0)
        return n;
    const size_t orig_n = n;
    s_full_t *full = calloc(n, sizeof(*full));   /* in text order, as *m */
    long *ents = calloc(n, sizeof(*ents));
    size_t nf = 0, ne = 0;
    text_hit_t *hits = NULL;
    unsigned char *covered = NULL;
    size_t *latest = NULL;
    size_t ntok = text_doc_ntokens(doc);
    if (!full || !ents)
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
    size_t nh = s_surname_hits(cat, doc, ents, ne, full[0].start, form_hashes, &hits);
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
    return (size_t) -1;
}
