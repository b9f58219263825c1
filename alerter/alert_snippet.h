/*
 * alert_snippet.h — the text around a match, with the match marked, as an
 * alert shows it: "…the arms dealer [[Viktor Bout]] has been…".
 */
#ifndef MARSAD_ALERT_SNIPPET_H
#define MARSAD_ALERT_SNIPPET_H

#include <stddef.h>

/* WIDTH characters (not bytes: never splits a UTF-8 sequence) of TEXT on
 * each side of the bytes [START, END), which are wrapped in [[ ]].  "…"
 * marks a cut at either end; runs of whitespace (newlines, tabs) become one
 * space.  START and END are clamped to LEN and moved off continuation
 * bytes.  Returns a malloc'd string (caller frees), NULL on allocation
 * failure. */
char *alert_snippet(const char *text, size_t len, size_t start, size_t end, size_t width);

#endif
