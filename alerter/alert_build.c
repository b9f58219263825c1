/*
 * alert_build.c — build the alert message for one match (alert_build.h).
 *
 * The snippet is taken around the first match in the text (the body is
 * where a reader wants context); a match only in the title gives a snippet
 * of the title.  Every match carries its sentence so a subscriber can show
 * why it fired without fetching the article.
 */
#include "alert_build.h"
#include "alert_snippet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void alert_draft_clear(alert_draft_t *d)
{
    if (!d)
        return;
    free(d->alert.snippet);
    for (size_t i = 0; i < d->alert.n_matches; i++) {
        free(d->alert.matches[i].surface);
        free(d->alert.matches[i].sentence);
    }
    free(d->alert.matches);
    proto_claims_free(d->alert.claims, d->alert.n_claims);
    free(d->added);
    free(d->added_src);
    free(d->json);
    d->json = NULL;
    alert_story_clear(&d->story);
    memset(d, 0, sizeof *d);
}

/* The sentence of DOC holding byte offset AT, malloc'd; NULL if none. */
static char *s_sentence(const text_doc_t *doc, size_t at)
{
    if (!doc)
        return NULL;
    const char *s = text_doc_text(doc);
    size_t n = text_doc_nsentences(doc);
    for (size_t i = 0; i < n; i++) {
        text_span_t sp = text_doc_sentence(doc, i);
        if (at >= sp.start && at < sp.end && sp.end <= text_doc_len(doc)) {
            /* Trim the spaces and newlines a sentence span may carry. */
            size_t a = sp.start, b = sp.end;
            while (a < b && (s[a] == ' ' || s[a] == '\n' || s[a] == '\r' || s[a] == '\t'))
                a++;
            while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\n' || s[b - 1] == '\r'
                             || s[b - 1] == '\t'))
                b--;
            return strndup(s + a, b - a);
        }
    }
    return NULL;
}

int alert_draft_init(alert_draft_t *d, const char *watch, const char *severity,
                     const char *kind, const proto_stored_t *st, const text_doc_t *title,
                     const text_doc_t *text, const query_hit_t *hits, size_t n_hits,
                     proto_claim_t *ledger, size_t n_ledger, long long now)
{
    memset(d, 0, sizeof *d);
    d->alert.claims = ledger;
    d->alert.n_claims = ledger ? n_ledger : 0;
    if (!watch || !st || !hits || n_hits == 0) {
        alert_draft_clear(d);
        return -EINVAL;
    }
    const proto_article_t *art = &st->article;
    proto_alert_t *a = &d->alert;
    /* The encoder only reads these; the casts drop const for the struct's
     * field types, nothing is written through them. */
    a->watch = (char *) watch;
    a->severity = (char *) (severity ? severity : "medium");
    a->kind = (char *) (kind ? kind : "new");
    a->story_id = st->story_id;
    proto_time_format(now, d->created_at);
    a->created_at = d->created_at;
    a->article_id = art->id;
    a->url = art->url;
    a->title = art->title ? art->title : (char *) "";
    a->source = art->source;
    a->lang = art->lang;
    a->published_at = art->published_at;

    size_t n = n_hits < ALERT_MAX_MATCHES ? n_hits : ALERT_MAX_MATCHES;
    a->matches = calloc(n, sizeof *a->matches);
    if (!a->matches)
        goto nomem;
    const query_hit_t *first_text = NULL;
    for (size_t i = 0; i < n_hits && !first_text; i++)
        if (!hits[i].in_title)
            first_text = &hits[i];

    for (size_t i = 0; i < n; i++) {
        const query_hit_t *h = &hits[i];
        const text_doc_t *doc = h->in_title ? title : text;
        const char *field = h->in_title ? (art->title ? art->title : "") : art->text;
        size_t flen = field ? strlen(field) : 0;
        size_t start = h->start < flen ? h->start : flen;
        size_t end = h->end < flen ? h->end : flen;
        if (end < start)
            end = start;
        proto_match_t *m = &a->matches[a->n_matches++];
        m->kind = (char *) (h->entity ? "entity" : "term");
        m->term = (char *) h->term;
        m->entity = (char *) h->entity;
        m->field = (char *) (h->in_title ? "title" : "text");
        m->start = (int64_t) start;
        m->end = (int64_t) end;
        m->surface = strndup(field ? field + start : "", end - start);
        if (!m->surface)
            goto nomem;
        m->sentence = s_sentence(doc, start);
    }

    const query_hit_t *sh = first_text ? first_text : &hits[0];
    const char *sfield = sh->in_title ? a->title : art->text;
    a->snippet = alert_snippet(sfield ? sfield : "", sfield ? strlen(sfield) : 0, sh->start,
                               sh->end, ALERT_SNIPPET_WIDTH);
    if (!a->snippet)
        goto nomem;
    return 0;
nomem:
    alert_draft_clear(d);
    return -ENOMEM;
}
