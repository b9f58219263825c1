/*
 * store_snippet.h — a short piece of an article's text around what a
 * search matched, with every match inside it marked [[like this]] (the
 * same marks as the alerts' snippets).
 */
#ifndef MARSAD_STORE_SNIPPET_H
#define MARSAD_STORE_SNIPPET_H

#include <stddef.h>

typedef struct {
    size_t start, end;      /* byte offsets in the text */
} store_span_t;

/* About WIDTH bytes of TEXT (LEN bytes) around the first of SPANS (sorted
 * by start; n may be 0: the text's beginning), cut at word boundaries and
 * never inside a UTF-8 character, with "…" where text was cut and the
 * spans inside marked with [[ ]].  Newlines become spaces.  malloc'd;
 * NULL on allocation failure. */
char *store_snippet(const char *text, size_t len, const store_span_t *spans, size_t n,
                    size_t width);

#endif
