/*
 * text_index.h — what the store indexes of an article: the forms of its
 * title and text (text_forms.h) and its signatures (text_sig.h), and their
 * wire encoding, the optional frame 2 of an `article` message
 * (proto/PROTOCOL.md §4.2.1).
 *
 * Why it travels: the extractor has the text tokenized already (entities,
 * claims); the store needs the same tokens only to derive these, and
 * tokenizing again was a fifth of its time.  The store takes the frame
 * only when its TEXT_INDEX_VERSION is its own, and computes the index
 * itself otherwise (an older or newer extractor, or none): the forms must
 * be exactly those its searches fold their terms to.
 */
#ifndef MARSAD_TEXT_INDEX_H
#define MARSAD_TEXT_INDEX_H

#include <stddef.h>
#include "text.h"
#include "text_sig.h"

/* Bump whenever tokens, folding, forms or signatures change: a store
 * then recomputes what an extractor of another version sends.
 * tests/test_text_index.c fails until it is bumped. */
#define TEXT_INDEX_VERSION 1

typedef struct {
    char *title_forms;     /* malloc'd, text_forms_of_doc of the title */
    char *forms;           /* malloc'd, of the text */
    text_sig_t sig;
} text_index_t;

/* The index of TITLE and TEXT docs (either may be NULL: no words).
 * Returns 0, or -1 out of memory (OUT cleared). */
int text_index_compute(const text_doc_t *title, const text_doc_t *text, text_index_t *out);
/* The same from the strings (segmented here). */
int text_index_of(const char *title, const char *text, text_index_t *out);
void text_index_clear(text_index_t *idx);

/* Encode IDX into *BUF (malloc'd, *LEN bytes).  Returns 0 or -1. */
int text_index_encode(const text_index_t *idx, char **buf, size_t *len);

/* Decode LEN bytes of BUF into OUT.  Returns 0; 1 when it is of another
 * TEXT_INDEX_VERSION (not an error: compute instead); -1 when malformed
 * (bad lengths, invalid UTF-8) or out of memory.  OUT is cleared unless
 * 0 is returned. */
int text_index_decode(const char *buf, size_t len, text_index_t *out);

#endif
