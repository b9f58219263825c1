/*
 * alert_digest.h — the one alert that stands for the articles a watch's
 * rate limit held back (issue 7: "an optional per-watch rate limit folds
 * the excess into one digest alert").
 *
 * XXX: the alert schema has kinds `new` and `update` only, so a digest is
 * a `new` alert of its own story "digest:WATCH:N" (N its first folded
 * article's position) whose title says how many were folded, whose
 * snippet lists their titles, whose url is the latest one's, and whose one
 * match is the `rate_limit` term on the title; a `digest` kind in
 * proto/PROTOCOL.md would say it better.
 */
#ifndef MARSAD_ALERT_DIGEST_H
#define MARSAD_ALERT_DIGEST_H

#include <stddef.h>
#include "alert_build.h"

typedef struct {
    alert_draft_t draft;      /* draft.alert is the digest */
    char *title, *story_id, *url;
} alert_digest_t;

/* Build the digest of watch WATCH (SEVERITY, limit LIMIT e.g. "20/hour")
 * for the N folded articles TITLES / URLS (oldest first).  Returns 0 or
 * -ENOMEM / -EINVAL (D cleared). */
int alert_digest_init(alert_digest_t *d, const char *watch, const char *severity,
                      const char *limit, char *const *titles, char *const *urls, size_t n,
                      long long now);
void alert_digest_clear(alert_digest_t *d);

#endif
