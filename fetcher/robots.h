/*
 * robots.h — robots.txt (RFC 9309) for the article pages the fetcher
 * reads: parse a file once per host, then ask whether a path may be
 * fetched by our product token.
 *
 * The group used is the one naming our token (case-insensitive, e.g.
 * "marsad"), else "*"; within it the longest matching Allow/Disallow
 * rule wins, Allow on a tie; '*' matches any run and a final '$' anchors
 * the end.  Feeds themselves are not checked (a feed is published to be
 * polled); pages are.
 */
#ifndef MARSAD_ROBOTS_H
#define MARSAD_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct robots robots_t;

/* Rules from the robots.txt TEXT (LEN bytes) for user-agent token AGENT.
 * NULL only if out of memory. */
robots_t *robots_parse(const char *text, size_t len, const char *agent);

/* Rules that allow everything (no robots.txt: 4xx) or nothing
 * (unreachable: 5xx, per RFC 9309 §2.3.1.4). */
robots_t *robots_allow_all(void);
robots_t *robots_disallow_all(void);

/* May PATH (path and query of a URL, "/" if empty) be fetched? */
bool robots_allowed(const robots_t *self, const char *path);

/* The path-and-query part of an http(s) URL (borrowed pointer into URL;
 * "/" when it has none). */
const char *robots_path_of(const char *url);

void robots_destroy(robots_t **self_p);

#endif
