/*
 * alert_build.h — turn a watch's match on a stored article into the alert
 * message (proto_alert_t, DESIGN §3): the article's fields, what matched
 * (with the sentence around it), a snippet with the match in [[ ]], and
 * the claim ledger of the watched entities (alert_ledger.h).
 */
#ifndef MARSAD_ALERT_BUILD_H
#define MARSAD_ALERT_BUILD_H

#include "alert_story.h"
#include "proto.h"
#include "query.h"
#include "text.h"

#define ALERT_MAX_MATCHES 20      /* matches listed in one alert */
#define ALERT_SNIPPET_WIDTH 120   /* characters each side of the match */

typedef struct {
    proto_alert_t alert;    /* seq 0 until the alert database gives one;
                               alert.claims (the story's ledger) owned deeply */
    char created_at[32];
    alert_story_t story;    /* what it brings to its story, to record with it */
    /* The article's own ledger claims, to record with it (alert_db_entry_t
     * ledger): shallow copies whose strings are borrowed from the stored
     * article, each with its one source in ADDED_SRC (both arrays owned). */
    proto_claim_t *added;
    size_t n_added;
    proto_claim_source_t *added_src;
    /* The alert's JSON as recorded (with its seq), published as it is
     * rather than encoded a second time; owned, NULL until recorded. */
    char *json;
} alert_draft_t;

/* Fill D for watch WATCH (severity SEVERITY, KIND "new" or "update") from
 * ST, its title and text docs and the HITS query_eval() returned (N_HITS
 * >= 1), with LEDGER (N_LEDGER claims owning their strings and sources,
 * alert_ledger_take) as its claims: D takes LEDGER over (it is freed with
 * D, also on failure).  D's
 * strings are borrowed from the arguments (ST, WATCH, SEVERITY, KIND,
 * HITS' terms must outlive D) except the snippet and the matches, which D
 * owns.  D->story is left empty for the caller.  Returns 0, or -ENOMEM /
 * -EINVAL with D cleared. */
int alert_draft_init(alert_draft_t *d, const char *watch, const char *severity,
                     const char *kind, const proto_stored_t *st, const text_doc_t *title,
                     const text_doc_t *text, const query_hit_t *hits, size_t n_hits,
                     proto_claim_t *ledger, size_t n_ledger, long long now);
/* Free what D owns; accepts a zeroed draft. */
void alert_draft_clear(alert_draft_t *d);

#endif
