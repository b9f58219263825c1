/*
 * query_eval.c — evaluate a parsed watch query on one article (query.h).
 *
 * The query's text_matcher scans the title doc and the text doc once each;
 * @entity and type: terms look in the mentions the extractor found; source:
 * and lang: compare the article's fields.  That gives every occurrence of
 * every term (with its field, token range and sentence), from which the
 * tree is evaluated: a leaf is true when its term occurs, NEAR / ONEAR /
 * SENTENCE when two occurrences of their operands are close enough in the
 * same field.  The hits reported are those of the terms that made the query
 * true: under an OR only the branches that are true, never terms under NOT
 * (a NOT is true because its term is absent, so there is nothing of it to
 * show).
 */
#include "query.h"
#include "query_ast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NO_MENTION SIZE_MAX

/* One place where a term occurs. */
typedef struct {
    size_t term;
    bool in_title;
    size_t first, last;       /* token indexes in the field's doc */
    size_t sentence;          /* of the first token */
    size_t start, end;        /* bytes */
    const char *entity;       /* mention occurrences */
    size_t mention;           /* index into in->mentions, or NO_MENTION */
} occ_t;

/* A place where a positional node is true (a proximity node spans both
 * operands). */
typedef struct {
    bool in_title;
    size_t first, last;
    size_t sentence;
} span_t;

typedef struct {
    span_t *v;
    size_t n, cap;
    bool failed;
} spans_t;

typedef struct {
    const query_t *q;
    const query_input_t *in;
    bool *present;            /* per term */
    occ_t *occ;
    size_t n_occ, cap_occ;
    bool failed;              /* allocation failure: reads as no match */
} eval_t;

/* A matcher id that names one of Q's terms (ids are term indexes). */
static bool s_term_id(const query_t *q, int id)
{
    return id >= 0 && (size_t) id < q->n_terms;
}

static void s_add_occ(eval_t *e, const occ_t *o)
{
    if (e->n_occ == e->cap_occ) {
        size_t cap = e->cap_occ ? e->cap_occ * 2 : 16;
        occ_t *v = realloc(e->occ, cap * sizeof *v);
        if (!v) {
            e->failed = true;
            return;
        }
        e->occ = v;
        e->cap_occ = cap;
    }
    e->occ[e->n_occ++] = *o;
    e->present[o->term] = true;
}

static void s_span_add(spans_t *s, span_t sp)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        span_t *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->failed = true;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = sp;
}

/* ------------------------------------------------------------ occurrences */

static void s_add_hit(eval_t *e, const text_doc_t *doc, bool in_title, size_t term,
                      const text_hit_t *h)
{
    qfield_t f = e->q->terms[term].field;
    if ((f == QF_TITLE && !in_title) || (f == QF_TEXT && in_title))
        return;
    const text_token_t *tok = text_doc_token(doc, h->first);
    occ_t o = { term, in_title, h->first, h->last, tok ? tok->sentence : 0, h->start, h->end,
                NULL, NO_MENTION };
    s_add_occ(e, &o);
}

/* The hits of each word and phrase term from IN's prescan; false when it
 * does not know this query. */
static bool s_prescanned(eval_t *e, const text_doc_t *doc, bool in_title)
{
    const query_t *q = e->q;
    const query_prescan_t *p = e->in->prescan;
    for (size_t t = 0; t < q->n_terms; t++) {
        if (!q->terms[t].value)
            continue;
        const text_hit_t *hits = NULL;
        size_t n = p->term_hits(p, q, t, in_title, &hits);
        if (n == (size_t) -1)
            return false;
        for (size_t i = 0; i < n; i++)
            s_add_hit(e, doc, in_title, t, &hits[i]);
    }
    return true;
}

static void s_scan(eval_t *e, const text_doc_t *doc, bool in_title)
{
    const query_t *q = e->q;
    if (!doc)
        return;
    if (e->in->prescan) {
        size_t before = e->n_occ;
        if (s_prescanned(e, doc, in_title))
            return;
        e->n_occ = before;      /* none of it: the scan finds them all */
    }
    if (!q->matcher) {
        /* Its words can be found only through a prescan (query_drop_matcher). */
        if (q->prescan_only)
            e->failed = true;
        return;
    }
    text_hit_t *hits = NULL;
    size_t n = text_matcher_scan(q->matcher, doc, &hits);
    if (n == (size_t) -1) {
        /* XXX: an allocation failure reads as "no hit": the article is not
         * alerted rather than the alerter stopping. */
        free(hits);
        e->failed = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const text_hit_t *h = &hits[i];
        if (s_term_id(q, h->id))
            s_add_hit(e, doc, in_title, (size_t) h->id, h);
    }
    free(hits);
}

/* The tokens of DOC covering bytes [START, END): *first, *last. */
static void s_token_range(const text_doc_t *doc, size_t start, size_t end, size_t *first,
                          size_t *last)
{
    size_t n = doc ? text_doc_ntokens(doc) : 0;
    size_t lo = 0, hi = n;
    while (lo < hi) {           /* first token ending after START */
        size_t mid = lo + (hi - lo) / 2;
        if (text_doc_token(doc, mid)->end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo < n ? lo : (n ? n - 1 : 0);
    size_t l = *first;
    while (l + 1 < n && text_doc_token(doc, l + 1)->start < end)
        l++;
    *last = l;
}

static void s_mentions(eval_t *e)
{
    const query_t *q = e->q;
    const query_input_t *in = e->in;
    for (size_t i = 0; i < in->n_mentions; i++) {
        const query_mention_t *m = &in->mentions[i];
        bool have_range = false;
        size_t first = 0, last = 0, sentence = 0;
        for (size_t t = 0; t < q->n_terms; t++) {
            const qterm_t *term = &q->terms[t];
            bool hit = (term->entity && m->entity && strcmp(term->entity, m->entity) == 0)
                       || (term->field == QF_TYPE && m->type && term->arg
                           && strcmp(term->arg, m->type) == 0);
            if (!hit)
                continue;
            if (!have_range) {
                s_token_range(in->text, m->start, m->end, &first, &last);
                const text_token_t *tok = in->text ? text_doc_token(in->text, first) : NULL;
                sentence = tok ? tok->sentence : 0;
                have_range = true;
            }
            occ_t o = { t, false, first, last, sentence, m->start, m->end, m->entity, i };
            s_add_occ(e, &o);
        }
    }
}

/* source:NAME (case-insensitive; NAME* is a prefix) and lang:CODE (the
 * article's language or a subtag of it: lang:ar takes ar-EG). */
static bool s_field_true(const qterm_t *t, const query_input_t *in)
{
    const char *have = t->field == QF_SOURCE ? in->source : in->lang;
    if (!have || !t->arg)
        return false;
    size_t len = strlen(t->arg);
    if (len > 0 && t->arg[len - 1] == '*')
        return strncasecmp(have, t->arg, len - 1) == 0;
    if (strcasecmp(have, t->arg) == 0)
        return true;
    return t->field == QF_LANG && strncasecmp(have, t->arg, len) == 0
           && (have[len] == '-' || have[len] == '_');
}

/* ----------------------------------------------------------- evaluation */

static bool s_eval(const eval_t *e, const qnode_t *n);

/* Where positional node N is true, appended to OUT. */
static void s_spans(const eval_t *e, const qnode_t *n, spans_t *out)
{
    switch (n->kind) {
    case QN_TERM:
    case QN_ENTITY:
        for (size_t i = 0; i < e->n_occ; i++) {
            const occ_t *o = &e->occ[i];
            if (o->term == n->term)
                s_span_add(out, (span_t) { o->in_title, o->first, o->last, o->sentence });
        }
        return;
    case QN_OR:
        for (size_t i = 0; i < n->n_kids; i++)
            s_spans(e, n->kids[i], out);
        return;
    case QN_NEAR:
    case QN_SENTENCE: {
        spans_t a = { 0 }, b = { 0 };
        s_spans(e, n->kids[0], &a);
        if (a.n > 0)
            s_spans(e, n->kids[1], &b);
        out->failed |= a.failed || b.failed;
        for (size_t i = 0; i < a.n; i++) {
            for (size_t j = 0; j < b.n; j++) {
                const span_t *x = &a.v[i], *y = &b.v[j];
                if (x->in_title != y->in_title)
                    continue;
                bool ok;
                if (n->kind == QN_SENTENCE) {
                    ok = x->sentence == y->sentence;
                } else if (n->ordered) {
                    ok = y->first > x->last && y->first - x->last <= n->dist;
                } else if (y->first > x->last) {
                    ok = y->first - x->last <= n->dist;
                } else if (x->first > y->last) {
                    ok = x->first - y->last <= n->dist;
                } else {
                    ok = true;   /* overlapping */
                }
                if (ok)
                    s_span_add(out, (span_t) {
                        x->in_title, x->first < y->first ? x->first : y->first,
                        x->last > y->last ? x->last : y->last,
                        x->sentence < y->sentence ? x->sentence : y->sentence });
            }
        }
        free(a.v);
        free(b.v);
        return;
    }
    case QN_AND:
    case QN_NOT:
        return;   /* the parser allows only positional operands */
    }
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
    case QN_NEAR:
    case QN_SENTENCE: {
        /* Cheap test first: both sides must occur at all. */
        if (!s_eval(e, n->kids[0]) || !s_eval(e, n->kids[1]))
            return false;
        spans_t s = { 0 };
        s_spans(e, n, &s);
        bool ok = s.n > 0 && !s.failed;
        free(s.v);
        return ok;
    }
    }
    return false;
}

/* Mark in SHOW the terms of the true node N that made it true.
 * XXX: under NEAR every occurrence of a contributing term is reported, not
 * only the ones close to each other. */
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
    case QN_NEAR:
    case QN_SENTENCE:
        for (size_t i = 0; i < n->n_kids; i++)
            if (s_eval(e, n->kids[i]))
                s_contributors(e, n->kids[i], show);
        return;
    }
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
    bool *told = calloc(in->n_mentions ? in->n_mentions : 1, sizeof *told);
    query_hit_t *out = calloc(e->n_occ ? e->n_occ : 1, sizeof *out);
    if (!show || !told || !out) {
        free(show);
        free(told);
        free(out);
        return -1;
    }
    s_contributors(e, q->root, show);
    size_t n = 0;
    for (size_t i = 0; i < e->n_occ; i++) {
        const occ_t *o = &e->occ[i];
        if (!show[o->term])
            continue;
        if (o->mention != NO_MENTION) {
            /* The first shown term naming this mention speaks for it. */
            if (told[o->mention])
                continue;
            told[o->mention] = true;
        }
        out[n++] = (query_hit_t) { q->terms[o->term].text, o->entity, o->in_title, o->start,
                                   o->end };
    }
    free(show);
    free(told);
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
    s_scan(&e, in->title, true);
    s_scan(&e, in->text, false);
    s_mentions(&e);
    for (size_t t = 0; t < q->n_terms; t++)
        if (q->terms[t].field == QF_SOURCE || q->terms[t].field == QF_LANG)
            e.present[t] = s_field_true(&q->terms[t], in);

    bool match = !e.failed && s_eval(&e, q->root);
    if (match && hits && n_hits && s_report(&e, hits, n_hits) != 0) {
        *hits = NULL;
        *n_hits = 0;
    }
    free(e.present);
    free(e.occ);
    return match;
}
