/*
 * text_internal.h — private interfaces between the text library's files
 * (text_arena.c, text_normalize.c, text_doc.c, text_matcher.c).  Nothing
 * outside extractor/text_*.c includes this; the public contract is text.h.
 *
 * The split: text_normalize.c owns every folding decision (what a code
 * point becomes, which proclitics and endings are removed); text_doc.c owns
 * segmentation and offsets; text_matcher.c owns the phrase tables.
 */
#ifndef MARSAD_TEXT_INTERNAL_H
#define MARSAD_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <unicode/utypes.h>
#include "text.h"

/* ------------------------------------------------------------ arena */
/* A bump allocator for the many small strings (keys, forms) a doc or a
 * matcher owns: one malloc per 16 KiB block instead of one per string,
 * everything freed at once. */
typedef struct text_arena text_arena_t;

text_arena_t *text_arena_new(void);
void text_arena_destroy(text_arena_t **self_p);
/* N bytes, not aligned (strings only); NULL on allocation failure. */
char *text_arena_alloc(text_arena_t *a, size_t n);
/* A NUL-terminated copy of S[0..n); NULL on allocation failure. */
char *text_arena_strndup(text_arena_t *a, const char *s, size_t n);

/* ------------------------------------------------------------ folding */
/* Scratch buffers reused across the tokens of one doc so that folding a
 * token does not malloc once the buffers have grown. */
typedef struct {
    UChar *a, *b;           /* UTF-16 scratch */
    int32_t acap, bcap;
    char *out;              /* UTF-8 result, NUL-terminated */
    size_t outlen, outcap;
} text_folder_t;

void text_folder_init(text_folder_t *f);
void text_folder_clear(text_folder_t *f);
/* Fold SRC[0..n) (UTF-16) into f->out / f->outlen (UTF-8): NFKC, case
 * fold, then the Arabic and punctuation mapping of text_fold_cp.  Returns 0
 * or -1 on allocation/ICU failure. */
int text_folder_run(text_folder_t *f, const UChar *src, int32_t n);

/* What code point C becomes in a key: itself, another code point, or -1
 * when it is dropped (harakat, tatweel, invisible marks, whitespace). */
int32_t text_fold_cp(int32_t c);

/* True for characters that are dropped from keys and may sit inside or at
 * the edge of a word token without being part of its visible word (RLM,
 * LRM, ALM, ZWJ, ZWNJ, BOM and the other format characters). */
bool text_is_invisible(int32_t c);
/* A hyphen or dash that may join AK-74 style tokens. */
bool text_is_joining_dash(int32_t c);
/* Characters allowed between two consecutive words of a phrase: spaces,
 * invisible marks, quotes of every kind, dashes. */
bool text_is_phrase_gap(int32_t c);

/* Fill FORMS (TEXT_MAX_FORMS slots) for KEY (NUL-terminated, owned by the
 * arena that owns the doc): forms[0] = KEY, then proclitic-stripped and
 * ending-folded forms, distinct.  Extra strings come from A.  Returns the
 * count (>= 1), or 0 on allocation failure. */
size_t text_forms_build(text_arena_t *a, const char *key, const char **forms);

/* The term key of an already folded token key: article ال removed (when 2+
 * letters remain) and, unless PREFIX, the nisba endings folded.  Writes a
 * NUL-terminated string into OUT (at least strlen(key)+1 bytes); returns
 * its length. */
size_t text_term_key_from_key(const char *key, bool prefix, char *out);

/* ------------------------------------------------------------ UTF-8 */
/* Decode one code point at S[*i] (S has LEN bytes); invalid or truncated
 * sequences yield U+FFFD and consume one byte. */
int32_t text_utf8_next(const char *s, size_t len, size_t *i);

#endif
