/*
 * alert_match.h — does a watch alert on a stored article, and how: `new`
 * for the first article of a story it matches, `update` for a later one
 * that brings something new to the story (alert_story.h), silence for the
 * rest.  The alert carries the story's claim ledger of the watched
 * entities, with the sources of each claim (alert_ledger.h).
 */
#ifndef MARSAD_ALERT_MATCH_H
#define MARSAD_ALERT_MATCH_H

#include "alert_build.h"
#include "alert_db.h"
#include "query.h"
#include "watch_set.h"

/* Evaluate W on IN (the docs and mentions of ST) and decide against DB
 * (read only: the caller records D with alert_db_record, D->story as the
 * entry's SEEN and D->added as its LEDGER).  The alert's claims are the
 * story's ledger for W: what DB holds for (W, story) merged with ST's
 * claims.  Returns 1 with D filled; 0 when W does not alert (no match,
 * nothing to show, nothing new) — D then holds at most D->added, the
 * claims a silent match still adds to the ledger (a SILENT entry); or
 * -ENOMEM / -EIO (D cleared).  The caller clears D in every case. */
int alert_match(alert_db_t *db, const watch_t *w, const proto_stored_t *st,
                const query_input_t *in, long long now, alert_draft_t *d);

#endif
