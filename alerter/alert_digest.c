/*
 * alert_digest.c — build a rate limit's digest alert (alert_digest.h).
 */
#include "alert_digest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIGEST_SNIPPET_MAX 2000   /* bytes of titles listed */

void alert_digest_clear(alert_digest_t *d)
{
    if (!d)
        return;
    alert_draft_clear(&d->draft);
    free(d->title);
    free(d->story_id);
    free(d->url);
    memset(d, 0, sizeof *d);
}

int alert_digest_init(alert_digest_t *d, const char *watch, const char *severity,
                      const char *limit, char *const *titles, char *const *urls, size_t n,
                      long long now)
{
    memset(d, 0, sizeof *d);
    if (!watch || n == 0)
        return -EINVAL;
    if (asprintf(&d->title, "%zu alert%s of %s folded by its rate limit (%s)", n,
                 n == 1 ? "" : "s", watch, limit ? limit : "?") < 0)
        d->title = NULL;
    if (asprintf(&d->story_id, "digest:%s:%lld", watch, now) < 0)
        d->story_id = NULL;
    d->url = strdup(urls[n - 1] ? urls[n - 1] : "");
    char *snippet = calloc(1, DIGEST_SNIPPET_MAX + 8);
    proto_match_t *m = calloc(1, sizeof *m);
    char *surface = d->title ? strdup(d->title) : NULL;
    if (!d->title || !d->story_id || !d->url || !snippet || !m || !surface) {
        free(snippet);
        free(m);
        free(surface);
        alert_digest_clear(d);
        return -ENOMEM;
    }
    size_t len = 0;
    for (size_t i = 0; i < n && len < DIGEST_SNIPPET_MAX; i++) {
        int w = snprintf(snippet + len, DIGEST_SNIPPET_MAX - len, "%s%s", i ? " · " : "",
                         titles[i] && titles[i][0] ? titles[i] : urls[i]);
        if (w < 0)
            break;
        len += (size_t) w;
    }
    if (len >= DIGEST_SNIPPET_MAX) {
        /* Cut at a character boundary and say so. */
        len = DIGEST_SNIPPET_MAX - 1;
        while (len > 0 && ((unsigned char) snippet[len] & 0xC0) == 0x80)
            len--;
        strcpy(snippet + len, "…");
    }
    proto_alert_t *a = &d->draft.alert;
    proto_time_format(now, d->draft.created_at);
    a->watch = (char *) watch;
    a->severity = (char *) (severity ? severity : "medium");
    a->kind = (char *) "new";
    a->story_id = d->story_id;
    a->created_at = d->draft.created_at;
    a->article_id = d->story_id;
    a->url = d->url;
    a->title = d->title;
    a->source = (char *) "marsad";
    a->lang = (char *) "und";
    a->snippet = snippet;
    *m = (proto_match_t) { .kind = (char *) "term", .term = (char *) "rate_limit",
                           .surface = surface, .field = (char *) "title", .start = 0,
                           .end = (int64_t) strlen(surface) };
    a->matches = m;
    a->n_matches = 1;
    return 0;
}
