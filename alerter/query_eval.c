/*
 * query_eval.c — evaluate a parsed watch query on one article (query.h).
 *
 * The query's text_matcher scans the title doc and the text doc once each;
 * @entity terms look in the mentions the extractor found.  That gives the
 * set of terms present; the tree is then evaluated over that set.  The hits
 * reported are those of the terms that made the query true: under an OR
 * only the branches that are true, never terms under NOT (a NOT is true
 * because its term is absent, so there is nothing of it to show).
 */
#include "query.h"
#include "query_ast.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const query_t *q;
    const query_input_t *in;
    bool *present;              /* per term */
    text_hit_t *title_hits;  size_t n_title;
    text_hit_t *text_hits;   size_t n_text;
} eval_t;

/* A matcher id that names one of Q's terms (ids are term indexes). */
static bool s_term_id(const query_t *q, int id)
{
    return id >= 0 && (size_t) id < q->n_terms;
}

static bool s_eval(const eval_t *e, const qnode_t *n)
{
    switch (n->kind) {
    case QN_TERM:
    case QN_ENTITY:
        return e->present[n->term];
    case QN_NOT:
        return !s_eval(e, n->kids[0]);
    case QN_AND:
        for (size_t i = 0; i < n->n_kids; i++)
            if (!s_eval(e, n->kids[i]))
                return false;
        return true;
    case QN_OR:
        for (size_t i = 0; i < n->n_kids; i++)
            if (s_eval(e, n->kids[i]))
                return true;
        return false;
    }
    return false;
}

/* Mark in SHOW the terms of the true node N that made it true. */
static void s_contributors(const eval_t *e, const qnode_t *n, bool *show)
{
    switch (n->kind) {
    case QN_TERM:
    case QN_ENTITY:
        show[n->term] = true;
        return;
    case QN_NOT:
        return;
    case QN_AND:
    case QN_OR:
        for (size_t i = 0; i < n->n_kids; i++)
            if (s_eval(e, n->kids[i]))
                s_contributors(e, n->kids[i], show);
        return;
    }
}

static size_t s_scan(const text_matcher_t *m, const text_doc_t *doc, text_hit_t **hits)
{
    *hits = NULL;
    if (!m || !doc)
        return 0;
    size_t n = text_matcher_scan(m, doc, hits);
    if (n == (size_t) -1) {
        /* XXX: an allocation failure reads as "no hit": the article is not
         * alerted rather than the alerter stopping. */
        free(*hits);
        *hits = NULL;
        return 0;
    }
    return n;
}

/* Title hits first, then text hits in text order. */
static int s_hit_cmp(const void *a, const void *b)
{
    const query_hit_t *x = a, *y = b;
    if (x->in_title != y->in_title)
        return x->in_title ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return 0;
}

static int s_report(const eval_t *e, query_hit_t **hits, size_t *n_hits)
{
    const query_t *q = e->q;
    const query_input_t *in = e->in;
    bool *show = calloc(q->n_terms ? q->n_terms : 1, sizeof *show);
    if (!show)
        return -1;
    s_contributors(e, q->root, show);

    size_t cap = e->n_title + e->n_text + in->n_mentions;
    query_hit_t *out = calloc(cap ? cap : 1, sizeof *out);
    if (!out) {
        free(show);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < e->n_title; i++) {
        const text_hit_t *h = &e->title_hits[i];
        if (s_term_id(q, h->id) && show[h->id])
            out[n++] = (query_hit_t) { q->terms[h->id].text, NULL, true, h->start, h->end };
    }
    for (size_t i = 0; i < e->n_text; i++) {
        const text_hit_t *h = &e->text_hits[i];
        if (s_term_id(q, h->id) && show[h->id])
            out[n++] = (query_hit_t) { q->terms[h->id].text, NULL, false, h->start, h->end };
    }
    for (size_t i = 0; i < in->n_mentions; i++) {
        const query_mention_t *m = &in->mentions[i];
        if (!m->entity)
            continue;
        /* The first @term naming this entity speaks for it. */
        for (size_t t = 0; t < q->n_terms; t++) {
            const qterm_t *term = &q->terms[t];
            if (term->entity && show[t] && strcmp(term->entity, m->entity) == 0) {
                out[n++] = (query_hit_t) { term->text, term->entity, false, m->start, m->end };
                break;
            }
        }
    }
    free(show);
    qsort(out, n, sizeof *out, s_hit_cmp);
    *hits = out;
    *n_hits = n;
    return 0;
}

bool query_eval(const query_t *q, const query_input_t *in, query_hit_t **hits, size_t *n_hits)
{
    if (hits)
        *hits = NULL;
    if (n_hits)
        *n_hits = 0;
    if (!q || !in || !q->root)
        return false;

    eval_t e = { .q = q, .in = in };
    e.present = calloc(q->n_terms ? q->n_terms : 1, sizeof *e.present);
    if (!e.present)
        return false;
    e.n_title = s_scan(q->matcher, in->title, &e.title_hits);
    e.n_text = s_scan(q->matcher, in->text, &e.text_hits);
    for (size_t i = 0; i < e.n_title; i++)
        if (s_term_id(q, e.title_hits[i].id))
            e.present[e.title_hits[i].id] = true;
    for (size_t i = 0; i < e.n_text; i++)
        if (s_term_id(q, e.text_hits[i].id))
            e.present[e.text_hits[i].id] = true;
    for (size_t t = 0; t < q->n_terms; t++) {
        const char *id = q->terms[t].entity;
        for (size_t i = 0; id && !e.present[t] && i < in->n_mentions; i++)
            if (in->mentions[i].entity && strcmp(in->mentions[i].entity, id) == 0)
                e.present[t] = true;
    }

    bool match = s_eval(&e, q->root);
    if (match && hits && n_hits && s_report(&e, hits, n_hits) != 0) {
        *hits = NULL;
        *n_hits = 0;
    }
    free(e.present);
    free(e.title_hits);
    free(e.text_hits);
    return match;
}
