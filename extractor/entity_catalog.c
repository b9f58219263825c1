/*
 * entity_catalog.c — the config's [entity ID] sections as one text_matcher.
 *
 * Every name and epithet of every entity is added to a single matcher with
 * the entity's index as the phrase id, so scanning a document costs one
 * pass whatever the catalog's size (DESIGN §5).  Scanning turns matcher
 * hits into mentions: overlapping hits are resolved to the longest span
 * ("Viktor Bout" is one mention, not "Viktor Bout" and "Bout"), ties to the
 * entity listed first in the config, and the surviving mentions are
 * reported in text order with the exact original substring as surface.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "entity_catalog.h"

typedef struct {
    char *id;
    char *type;
    char **surnames;       /* persons: last words of multi-word names */
    char **surname_keys;   /* each one's term key, NULL if not one word */
    uint32_t *surname_hashes;   /* text_key_hash of each key */
    size_t n_surnames;
} s_entity_t;

struct entity_catalog {
    text_matcher_t *matcher;
    s_entity_t *entities;
    size_t n;
    size_t *by_id;         /* entity indexes sorted by id, for find */
};

void
entity_catalog_destroy(entity_catalog_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    entity_catalog_t *c = *self_p;
    for (size_t i = 0; i < c->n; i++) {
        free(c->entities[i].id);
        free(c->entities[i].type);
        for (size_t k = 0; k < c->entities[i].n_surnames; k++) {
            free(c->entities[i].surnames[k]);
            free(c->entities[i].surname_keys[k]);
        }
        free(c->entities[i].surnames);
        free(c->entities[i].surname_keys);
        free(c->entities[i].surname_hashes);
    }
    free(c->entities);
    free(c->by_id);
    text_matcher_destroy(&c->matcher);
    free(c);
    *self_p = NULL;
}

static void
s_set_err(char **err, const char *id, const char *what, size_t n)
{
    if (!err)
        return;
    free(*err);
    *err = NULL;
    if (asprintf(err, "entity %s: %s %zu is empty", id ? id : "?", what, n) < 0)
        *err = NULL;
}

/* Add PHRASE for entity IDX; 0, or -1 with *err set. */
static int
s_add(entity_catalog_t *c, const char *phrase, size_t idx, const char *id,
      const char *what, size_t n, char **err)
{
    if (!phrase) {
        s_set_err(err, id, what, n);
        return -1;
    }
    if (text_matcher_add(c->matcher, phrase, (int)idx) == 0)
        return 0;
    /* Tell "no words" from an allocation failure. */
    char *folded = text_fold(phrase, strlen(phrase));
    if (folded && !*folded)
        s_set_err(err, id, what, n);
    else if (err && asprintf(err, "entity %s: out of memory", id ? id : "?") < 0)
        *err = NULL;
    free(folded);
    return -1;
}

/* The key a lone surname is matched with, as text_matcher_add would key
 * the one-word phrase SURNAME: NULL when it does not segment into exactly
 * one word alone (then resolution matches it as a phrase), or on
 * allocation failure (*oom set). */
static char *
s_surname_key(const char *surname, bool *oom)
{
    text_doc_t *d = text_doc_new(surname, strlen(surname));
    if (!d) {
        *oom = true;
        return NULL;
    }
    char *key = NULL;
    if (text_doc_ntokens(d) == 1) {
        key = text_term_key(surname, strlen(surname));
        *oom = !key;
    }
    text_doc_destroy(&d);
    return key;
}

/* Record the last word of a multi-word NAME as a surname of E (persons
 * only: "أنصار الله" must not make الله a name of the Houthis), with its
 * match key.  A word of one letter is an initial, never a surname.  0, or
 * -1 on allocation failure. */
static int
s_add_surname(s_entity_t *e, const char *name)
{
    text_doc_t *d = text_doc_new(name, strlen(name));
    if (!d)
        return -1;
    size_t nt = text_doc_ntokens(d), nw = 0, last = 0;
    for (size_t t = 0; t < nt; t++)
        if (text_doc_token(d, t)->is_word) {
            nw++;
            last = t;
        }
    int rc = 0;
    if (nw >= 2) {
        const text_token_t *tok = text_doc_token(d, last);
        size_t cps = 0;
        for (size_t b = tok->start; b < tok->end; b++)
            cps += ((unsigned char) name[b] & 0xC0) != 0x80;
        size_t k = e->n_surnames;
        if (cps >= 2) {
            char **v = realloc(e->surnames, (k + 1) * sizeof(*v));
            if (v)
                e->surnames = v;
            char **kv = realloc(e->surname_keys, (k + 1) * sizeof(*kv));
            if (kv)
                e->surname_keys = kv;
            uint32_t *hv = realloc(e->surname_hashes, (k + 1) * sizeof(*hv));
            if (hv)
                e->surname_hashes = hv;
            char *sn = v && kv && hv ? strndup(name + tok->start, tok->end - tok->start) : NULL;
            bool oom = false;
            char *key = sn ? s_surname_key(sn, &oom) : NULL;
            if (!sn || oom) {
                free(sn);
                free(key);
                rc = -1;
            }
            else {
                v[k] = sn;
                kv[k] = key;
                hv[k] = key ? text_key_hash(key, strlen(key)) : 0;
                e->n_surnames++;
            }
        }
    }
    text_doc_destroy(&d);
    return rc;
}

static int
s_cmp_by_id(const void *a, const void *b, void *arg)
{
    const size_t *x = a, *y = b;
    const entity_catalog_t *c = arg;
    return strcmp(c->entities[*x].id, c->entities[*y].id);
}

size_t
entity_catalog_count(const entity_catalog_t *cat)
{
    return cat ? cat->n : 0;
}

const char *
entity_catalog_id(const entity_catalog_t *cat, size_t i)
{
    return cat && i < cat->n ? cat->entities[i].id : NULL;
}

const char *
entity_catalog_type(const entity_catalog_t *cat, size_t i)
{
    return cat && i < cat->n ? cat->entities[i].type : NULL;
}

long
entity_catalog_find(const entity_catalog_t *cat, const char *id)
{
    if (!cat || !id)
        return -1;
    size_t lo = 0, hi = cat->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(cat->entities[cat->by_id[mid]].id, id);
        if (c == 0)
            return (long) cat->by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

size_t
entity_catalog_surname_keys(const entity_catalog_t *cat, size_t i, const char *const **keys,
                            const uint32_t **hashes)
{
    *keys = NULL;
    *hashes = NULL;
    if (!cat || i >= cat->n)
        return 0;
    *keys = (const char *const *) cat->entities[i].surname_keys;
    *hashes = cat->entities[i].surname_hashes;
    return cat->entities[i].n_surnames;
}

size_t
entity_catalog_surnames(const entity_catalog_t *cat, size_t i, const char *const **out)
{
    *out = NULL;
    if (!cat || i >= cat->n)
        return 0;
    *out = (const char *const *) cat->entities[i].surnames;
    return cat->entities[i].n_surnames;
}

entity_catalog_t *
entity_catalog_new(const cfg_entity_t *entities, size_t n, char **err)
{
    if (err)
        *err = NULL;
    if (n > (size_t)INT32_MAX)
        return NULL;
    entity_catalog_t *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->matcher = text_matcher_new();
    c->entities = calloc(n ? n : 1, sizeof(*c->entities));
    if (!c->matcher || !c->entities)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const cfg_entity_t *e = &entities[i];
        c->entities[i].id = strdup(e->id ? e->id : "");
        c->entities[i].type = strdup(e->type ? e->type : "other");
        c->n = i + 1;
        if (!c->entities[i].id || !c->entities[i].type)
            goto fail;
        for (size_t k = 0; k < e->n_names; k++) {
            if (s_add(c, e->names[k], i, e->id, "name", k + 1, err))
                goto fail;
            if (strcmp(c->entities[i].type, "person") == 0
                && s_add_surname(&c->entities[i], e->names[k]))
                goto fail;
        }
        for (size_t k = 0; k < e->n_epithets; k++)
            if (s_add(c, e->epithets[k], i, e->id, "epithet", k + 1, err))
                goto fail;
    }
    c->by_id = malloc((n ? n : 1) * sizeof(*c->by_id));
    if (!c->by_id)
        goto fail;
    for (size_t i = 0; i < n; i++)
        c->by_id[i] = i;
    qsort_r(c->by_id, n, sizeof(*c->by_id), s_cmp_by_id, c);
    return c;
fail:
    entity_catalog_destroy(&c);
    return NULL;
}

/* Longest first; equal lengths: earlier in the text, then earlier entity. */
static int
s_cmp_longest(const void *a, const void *b)
{
    const text_hit_t *x = a, *y = b;
    size_t lx = x->end - x->start, ly = y->end - y->start;
    if (lx != ly)
        return lx > ly ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static int
s_cmp_position(const void *a, const void *b)
{
    const text_hit_t *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

static void
s_mentions_free(proto_mention_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].entity);
        free(m[i].type);
        free(m[i].surface);
    }
    free(m);
}

size_t
entity_catalog_scan(const entity_catalog_t *cat, const text_doc_t *doc,
                    proto_mention_t **out)
{
    return entity_catalog_scan_hashes(cat, doc, out, NULL);
}

size_t
entity_catalog_scan_hashes(const entity_catalog_t *cat, const text_doc_t *doc,
                           proto_mention_t **out, uint32_t *form_hashes)
{
    *out = NULL;
    if (!cat || !doc)
        return (size_t)-1;
    text_hit_t *hits = NULL;
    size_t nh = text_matcher_scan_hashes(cat->matcher, doc, &hits, form_hashes);
    if (nh == (size_t)-1)
        return (size_t)-1;
    if (nh == 0) {
        free(hits);
        return 0;
    }

    /* Greedy longest-first selection over token coverage: a hit is kept if
     * none of its tokens is already covered by a longer one. */
    size_t ntok = text_doc_ntokens(doc);
    unsigned char *covered = calloc(ntok, 1);
    proto_mention_t *m = NULL;
    size_t nm = 0;
    if (!covered)
        goto fail;
    qsort(hits, nh, sizeof(*hits), s_cmp_longest);
    size_t kept = 0;
    for (size_t i = 0; i < nh; i++) {
        bool free_span = true;
        for (size_t t = hits[i].first; free_span && t <= hits[i].last; t++)
            free_span = !covered[t];
        if (!free_span)
            continue;
        memset(covered + hits[i].first, 1, hits[i].last - hits[i].first + 1);
        hits[kept++] = hits[i];
    }
    qsort(hits, kept, sizeof(*hits), s_cmp_position);

    m = calloc(kept, sizeof(*m));
    if (!m)
        goto fail;
    const char *text = text_doc_text(doc);
    for (size_t i = 0; i < kept; i++) {
        const text_hit_t *h = &hits[i];
        const s_entity_t *e = &cat->entities[h->id];
        proto_mention_t *x = &m[nm++];
        x->entity = strdup(e->id);
        x->type = strdup(e->type);
        x->surface = strndup(text + h->start, h->end - h->start);
        x->start = (int64_t)h->start;
        x->end = (int64_t)h->end;
        x->sentence = (int64_t)text_doc_token(doc, h->first)->sentence;
        if (!x->entity || !x->type || !x->surface)
            goto fail;
    }
    free(covered);
    free(hits);
    *out = m;
    return nm;
fail:
    s_mentions_free(m, nm);
    free(covered);
    free(hits);
    return (size_t)-1;
}
