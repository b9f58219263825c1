/*
 * alert_match.h — does a watch alert on a stored article, and how: `new`
 * for the first article of a story it matches, `update` for a later one
 * that brings something new to the story (alert_story.h), silence for the
 * rest.  The alert carries the claim ledger of the watched entities
 * (alert_ledger.h).
 */
#ifndef MARSAD_ALERT_MATCH_H
#define MARSAD_ALERT_MATCH_H

#include "alert_build.h"
#include "alert_db.h"
#include "query.h"
#include "watch_set.h"

/* Evaluate W on IN (the docs and mentions of ST) and decide against DB
 * (read only: the caller records D with alert_db_record, D->story as the
 * entry's SEEN).  Returns 1 with D filled, 0 when W does not alert (no
 * match, nothing to show, nothing new), or -ENOMEM. */
int alert_match(alert_db_t *db, const watch_t *w, const proto_stored_t *st,
                const query_input_t *in, long long now, alert_draft_t *d);

#endif
