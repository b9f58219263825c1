/*
 * watch_index.c — the term → watches index (watch_index.h).
 *
 * Soundness: a watch is left out of an article's candidates only when none
 * of its indexed terms (words, phrases, @ids, type:, positive or under NOT)
 * occurs.  s_can_be_true() decides whether the query could still be true
 * then: indexed leaves are false, source: and lang: leaves may be either,
 * and NOT/AND/OR/NEAR combine the (can be true, can be false) pairs.  When
 * it could, the watch is "always" a candidate.
 */
#include "watch_index.h"
#include "query_ast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *key;      /* entity id or type, borrowed from the query */
    size_t watch;
} key_watch_t;

struct watch_index {
    size_t n_watches;
    const query_t **queries;   /* the array is ours, the queries borrowed */
    text_matcher_t *matcher;   /* ids index term_watch */
    size_t *term_watch;        /* matcher id → watch */
    size_t n_terms;
    size_t *term0;             /* watch → its first entry in term_id */
    size_t *term_id;           /* (watch's term0 + term) → matcher id, SIZE_MAX if not in it */
    key_watch_t *entities;  size_t n_entities;   /* sorted by key */
    key_watch_t *types;     size_t n_types;      /* sorted by key */
    size_t *always;         size_t n_always;
};

typedef struct {
    bool can_true, can_false;
} tv_t;

static tv_t s_can_be(const query_t *q, const qnode_t *n)
{
    switch (n->kind) {
    case QN_TERM:
    case QN_ENTITY: {
        qfield_t f = q->terms[n->term].field;
        if (n->kind == QN_TERM && (f == QF_SOURCE || f == QF_LANG))
            return (tv_t) { true, true };
        return (tv_t) { false, true };     /* indexed, and absent */
    }
    case QN_NOT: {
        tv_t k = s_can_be(q, n->kids[0]);
        return (tv_t) { k.can_false, k.can_true };
    }
    case QN_AND: {
        tv_t r = { true, false };
        for (size_t i = 0; i < n->n_kids; i++) {
            tv_t k = s_can_be(q, n->kids[i]);
            r.can_true = r.can_true && k.can_true;
            r.can_false = r.can_false || k.can_false;
        }
        return r;
    }
    case QN_OR: {
        tv_t r = { false, true };
        for (size_t i = 0; i < n->n_kids; i++) {
            tv_t k = s_can_be(q, n->kids[i]);
            r.can_true = r.can_true || k.can_true;
            r.can_false = r.can_false && k.can_false;
        }
        return r;
    }
    case QN_NEAR:
    case QN_SENTENCE: {
        tv_t a = s_can_be(q, n->kids[0]), b = s_can_be(q, n->kids[1]);
        return (tv_t) { a.can_true && b.can_true, true };
    }
    }
    return (tv_t) { true, true };
}

static int s_key_cmp(const void *a, const void *b)
{
    const key_watch_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->watch < y->watch ? -1 : x->watch > y->watch;
}

void watch_index_destroy(watch_index_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    watch_index_t *self = *self_p;
    text_matcher_destroy(&self->matcher);
    free(self->term_watch);
    free(self->queries);
    free(self->term0);
    free(self->term_id);
    free(self->entities);
    free(self->types);
    free(self->always);
    free(self);
    *self_p = NULL;
}

watch_index_t *watch_index_new(const query_t *const *queries, size_t n)
{
    watch_index_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->n_watches = n;
    size_t total = 0;
    for (size_t w = 0; w < n; w++)
        total += queries[w] ? queries[w]->n_terms : 0;
    self->matcher = text_matcher_new();
    self->term_watch = calloc(total ? total : 1, sizeof *self->term_watch);
    self->entities = calloc(total ? total : 1, sizeof *self->entities);
    self->types = calloc(total ? total : 1, sizeof *self->types);
    self->always = calloc(n ? n : 1, sizeof *self->always);
    self->term0 = calloc(n ? n : 1, sizeof *self->term0);
    self->term_id = calloc(total ? total : 1, sizeof *self->term_id);
    if (!self->matcher || !self->term_watch || !self->entities || !self->types
        || !self->always || !self->term0 || !self->term_id
        || !(self->queries = calloc(n ? n : 1, sizeof *self->queries)))
        goto fail;
    memcpy(self->queries, queries, n * sizeof *queries);

    size_t at = 0;
    for (size_t w = 0; w < n; w++) {
        const query_t *q = queries[w];
        self->term0[w] = at;
        for (size_t t = 0; q && t < q->n_terms; t++)
            self->term_id[at + t] = SIZE_MAX;
        at += q ? q->n_terms : 0;
        if (!q || !q->root) {
            self->always[self->n_always++] = w;
            continue;
        }
        if (s_can_be(q, q->root).can_true)
            self->always[self->n_always++] = w;
        for (size_t t = 0; t < q->n_terms; t++) {
            const qterm_t *term = &q->terms[t];
            if (term->entity) {
                self->entities[self->n_entities++] = (key_watch_t) { term->entity, w };
            } else if (term->field == QF_TYPE && term->arg) {
                self->types[self->n_types++] = (key_watch_t) { term->arg, w };
            } else if (term->value) {
                if (text_matcher_add(self->matcher, term->value, (int) self->n_terms) != 0)
                    goto fail;   /* the query's own matcher took it: memory */
                self->term_id[self->term0[w] + t] = self->n_terms;
                self->term_watch[self->n_terms++] = w;
            }
        }
    }
    qsort(self->entities, self->n_entities, sizeof *self->entities, s_key_cmp);
    qsort(self->types, self->n_types, sizeof *self->types, s_key_cmp);
    return self;
fail:
    watch_index_destroy(&self);
    return NULL;
}

size_t watch_index_n_always(const watch_index_t *self)
{
    return self ? self->n_always : 0;
}

/* Candidate watch numbers, gathered unsorted: their count follows the
 * hits, not the number of watches. */
typedef struct {
    size_t *v;
    size_t n, cap;
    bool failed;
} bag_t;

static void s_bag_add(bag_t *b, size_t w)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        size_t *v = realloc(b->v, cap * sizeof *v);
        if (!v) {
            b->failed = true;
            return;
        }
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = w;
}

/* Add the watches of KEY in the sorted table V. */
static void s_mark_key(const key_watch_t *v, size_t n, const char *key, bag_t *bag)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n && strcmp(v[i].key, key) == 0; i++)
        s_bag_add(bag, v[i].watch);
}

static int s_hit_id_cmp(const void *a, const void *b)
{
    const text_hit_t *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Scan DOC, bag the watches of its hits; the hits, sorted by id, go to
 * *KEEP when KEEP is not NULL (else freed). */
static int s_mark_doc(const watch_index_t *self, const text_doc_t *doc, bag_t *bag,
                      text_hit_t **keep, size_t *n_keep)
{
    if (!doc || self->n_terms == 0)
        return 0;
    text_hit_t *hits = NULL;
    size_t n = text_matcher_scan(self->matcher, doc, &hits);
    if (n == (size_t) -1) {
        free(hits);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (hits[i].id >= 0 && (size_t) hits[i].id < self->n_terms)
            s_bag_add(bag, self->term_watch[hits[i].id]);
    if (keep) {
        if (n > 1)
            qsort(hits, n, sizeof *hits, s_hit_id_cmp);
        *keep = hits;
        *n_keep = n;
    } else {
        free(hits);
    }
    return 0;
}

static int s_size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *) a, y = *(const size_t *) b;
    return x < y ? -1 : x > y;
}

size_t watch_index_candidates(const watch_index_t *self, const query_input_t *in, size_t *out)
{
    return watch_index_scan(self, in, out, NULL);
}

size_t watch_index_scan(const watch_index_t *self, const query_input_t *in, size_t *out,
                        watch_scan_t *scan)
{
    if (scan)
        watch_scan_clear(scan);
    if (!self || !in)
        return 0;
    bag_t bag = { 0 };
    if (s_mark_doc(self, in->title, &bag, scan ? &scan->hits[1] : NULL,
                   scan ? &scan->n_hits[1] : NULL) != 0
        || s_mark_doc(self, in->text, &bag, scan ? &scan->hits[0] : NULL,
                      scan ? &scan->n_hits[0] : NULL) != 0) {
        free(bag.v);
        if (scan)
            watch_scan_clear(scan);
        return (size_t) -1;
    }
    for (size_t i = 0; i < in->n_mentions; i++) {
        const query_mention_t *m = &in->mentions[i];
        if (m->entity)
            s_mark_key(self->entities, self->n_entities, m->entity, &bag);
        if (m->type)
            s_mark_key(self->types, self->n_types, m->type, &bag);
    }
    for (size_t i = 0; i < self->n_always; i++)
        s_bag_add(&bag, self->always[i]);
    if (bag.failed) {
        free(bag.v);
        if (scan)
            watch_scan_clear(scan);
        return (size_t) -1;
    }
    if (scan)
        scan->index = self;
    if (bag.n > 1)
        qsort(bag.v, bag.n, sizeof *bag.v, s_size_cmp);
    size_t n = 0;
    for (size_t i = 0; i < bag.n; i++)
        if (n == 0 || out[n - 1] != bag.v[i])
            out[n++] = bag.v[i];
    free(bag.v);
    return n;
}

/* query_prescan_t.term_hits of a watch_scan_t: the kept hits of the
 * matcher id that the watch's term became. */
static size_t s_term_hits(const query_prescan_t *p, const query_t *q, size_t term, bool in_title,
                          const text_hit_t **hits)
{
    const watch_scan_t *s = (const watch_scan_t *) p;
    const watch_index_t *ix = s->index;
    *hits = NULL;
    if (!ix || s->watch >= ix->n_watches || ix->queries[s->watch] != q || term >= q->n_terms)
        return (size_t) -1;
    size_t id = ix->term_id[ix->term0[s->watch] + term];
    if (id == SIZE_MAX)
        return (size_t) -1;     /* not in the index's matcher */
    const text_hit_t *v = s->hits[in_title];
    size_t n = s->n_hits[in_title], lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((size_t) v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && (size_t) v[end].id == id)
        end++;
    *hits = v + lo;
    return end - lo;
}

void watch_scan_for(watch_scan_t *scan, size_t watch)
{
    scan->prescan.term_hits = s_term_hits;
    scan->watch = watch;
}

void watch_scan_clear(watch_scan_t *scan)
{
    if (!scan)
        return;
    free(scan->hits[0]);
    free(scan->hits[1]);
    memset(scan, 0, sizeof *scan);
    scan->prescan.term_hits = s_term_hits;
}
