/*
 * alert_match.c — one watch on one stored article (alert_match.h).
 *
 * The watched entities are the watch's @ids plus those its type: terms
 * found; the ledger and the novelty features are computed for them, and
 * against the alert database the features decide between `new`, `update`
 * and silence.  Deciding reads the database outside the transaction that
 * records the result: the alerter is its database's only writer and
 * handles one article at a time, so nothing changes in between.
 */
#include "alert_match.h"
#include "alert_ledger.h"
#include "alert_story.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The entities an alert of W on these HITS is about: the watch's @ids and
 * the entities its type: terms found.  *out malloc'd (borrowed strings);
 * returns the count or -1. */
static long s_watched_entities(const watch_t *w, const query_hit_t *hits, size_t n_hits,
                               const char ***out)
{
    const char **ids = NULL;
    size_t n_ids = query_entities(w->query, &ids);
    const char **v = calloc(n_ids + n_hits + 1, sizeof *v);
    if (!v)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < n_ids; i++)
        v[n++] = ids[i];
    for (size_t i = 0; i < n_hits; i++) {
        bool seen = !hits[i].entity;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strcmp(v[k], hits[i].entity) == 0;
        if (!seen)
            v[n++] = hits[i].entity;
    }
    *out = v;
    return (long) n;
}

/* This article's sightings of the claims PICKED (N of them): each claim
 * with ART as its one source.  0 or -ENOMEM (nothing set). */
static int s_sightings(const proto_article_t *art, proto_claim_t *picked, size_t n,
                       alert_draft_t *d)
{
    if (n == 0)
        return 0;
    proto_claim_source_t *src = calloc(n, sizeof *src);
    if (!src)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        /* Borrowed from ART, as the picked claims are. */
        src[i] = (proto_claim_source_t) { .source = art->source, .article_id = art->id,
                                          .url = art->url, .start = picked[i].start,
                                          .end = picked[i].end, .chain = picked[i].chain,
                                          .n_chain = picked[i].n_chain };
        picked[i].sources = &src[i];
        picked[i].n_sources = 1;
    }
    d->added = picked;
    d->n_added = n;
    d->added_src = src;
    return 0;
}

int alert_match(alert_db_t *db, const watch_t *w, const proto_stored_t *st,
                const query_input_t *in, long long now, alert_draft_t *d)
{
    memset(d, 0, sizeof *d);
    query_hit_t *hits = NULL;
    size_t n_hits = 0;
    if (!query_eval(w->query, in, &hits, &n_hits))
        return 0;
    if (n_hits == 0) {
        /* A match made only of NOTs has nothing to show: there is no
         * snippet to send, so it cannot be alerted. */
        mlog_debug("watch %s matched stored %lld with no positive term; not alerted",
                   w->name, (long long) st->seq);
        free(hits);
        return 0;
    }
    const char **ents = NULL;
    proto_claim_t *picked = NULL;
    long n_ents = s_watched_entities(w, hits, n_hits, &ents);
    long n_picked = n_ents < 0 ? -1 : alert_ledger(&st->article, ents, (size_t) n_ents, hits,
                                                   n_hits, &picked);
    alert_story_t story = { 0 };
    /* The story features count this article's claims only: what the
     * story showed before is in the database already. */
    int rc = n_picked < 0 ? -ENOMEM
             : alert_story_features(&st->article, ents, (size_t) n_ents, picked,
                                    (size_t) n_picked, &story);
    free(ents);
    alert_draft_t sight = { 0 };
    if (rc == 0)
        rc = s_sightings(&st->article, picked, n_picked > 0 ? (size_t) n_picked : 0, &sight);
    if (rc != 0) {
        free(picked);
        alert_story_clear(&story);
        free(hits);
        return -ENOMEM;
    }
    /* The story-wide ledger: what earlier articles brought, then this one. */
    alert_ledger_t ledger = { 0 };
    rc = alert_db_ledger(db, w->name, st->story_id, &ledger);
    for (size_t i = 0; rc == 0 && i < sight.n_added; i++)
        rc = alert_ledger_add(&ledger, &sight.added[i], &sight.added_src[i]) < 0 ? -ENOMEM : 0;
    if (rc != 0) {
        alert_ledger_clear(&ledger);
        alert_draft_clear(&sight);
        alert_story_clear(&story);
        free(hits);
        return rc;
    }

    const char *kind = "new";
    if (alert_db_alerted(db, w->name, st->story_id)) {
        /* Keep only what the story has not shown this watch yet. */
        size_t k = 0;
        for (size_t i = 0; i < story.n; i++) {
            if (alert_db_seen(db, w->name, st->story_id, story.v[i]))
                free(story.v[i]);
            else
                story.v[k++] = story.v[i];
        }
        story.n = k;
        if (k == 0) {
            mlog_debug("watch %s: stored %lld brings nothing new to story %s", w->name,
                       (long long) st->seq, st->story_id);
            alert_story_clear(&story);
            alert_ledger_clear(&ledger);
            free(hits);
            /* Silent, but its claims still join the story's ledger. */
            *d = sight;
            return 0;
        }
        kind = "update";
    }
    size_t n_ledger = 0;
    proto_claim_t *claims = alert_ledger_take(&ledger, &n_ledger);
    rc = alert_draft_init(d, w->name, w->severity, kind, st, in->title, in->text, hits,
                          n_hits, claims, n_ledger, now);
    /* The draft borrows the hits' term strings, which live in the watch's
     * query, not in HITS: HITS itself can go. */
    free(hits);
    if (rc != 0) {
        alert_draft_clear(&sight);
        alert_story_clear(&story);
        return rc;
    }
    d->story = story;
    d->added = sight.added;
    d->n_added = sight.n_added;
    d->added_src = sight.added_src;
    return 1;
}
