/*
 * text_forms.h — the text the store's full-text index sees.
 *
 * The index (an FTS5 table with no content of its own, so the text is
 * stored once, in `articles`) holds, for every word token of a title or
 * text, all of its match forms from the text library: the folded key and
 * the base forms with a proclitic removed and nisba/plural endings folded
 * (text.h).  A search term's key (text_term_key) equals one of a token's
 * forms exactly when the alerter's matcher would match that token, so an
 * FTS lookup of the term keys returns every article the watch language can
 * match — a superset that query_eval then narrows to the exact answer.
 */
#ifndef MARSAD_TEXT_FORMS_H
#define MARSAD_TEXT_FORMS_H

#include <stddef.h>
#include "text.h"

/* The distinct forms of the word tokens of DOC, each once, in the order
 * of their first token, separated by single spaces.  Returns a malloc'd string (caller frees; "" for no words), NULL on
 * allocation failure. */
char *text_forms_of_doc(const text_doc_t *doc);

/* The same for LEN bytes of TEXT (segments it first). */
char *text_forms(const char *text, size_t len);

#endif
