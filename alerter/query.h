/*
 * query.h — the watch language (DESIGN §7): words, "quoted phrases", AND,
 * OR, NOT (and AND NOT), parentheses, @entity-id, a trailing * wildcard,
 * NEAR/n (within n words, any order), ONEAR/n (in order), SENTENCE (same
 * sentence), field prefixes title: text: source: lang: type:;
 * precedence NEAR/ONEAR/SENTENCE > NOT > AND > OR;
 * juxtaposition means AND.  The grammar is in query_parse.c.
 * Words and phrases are matched through the text library's clitic-aware
 * keys, so الحوثي matches للحوثيين.  NEAR/n counts words between the two
 * operands' nearest ends (NEAR/1: adjacent), within one field (title or
 * text); SENTENCE uses the text library's sentences; title:/text: restrict
 * a word, phrase or group to one field; source:NAME and lang:CODE compare
 * the article's source and language (case-insensitive, NAME* a prefix,
 * lang:ar takes ar-EG); type:TYPE is any mention of an entity of that
 * catalog type.
 */
#ifndef MARSAD_QUERY_H
#define MARSAD_QUERY_H

#include <stddef.h>
#include <stdbool.h>
#include "text.h"

typedef struct query query_t;

typedef struct {
    int line, col;        /* position in the query text, 1-based */
    char message[256];    /* "expected ')' but found end of query" */
} query_error_t;

/* Parse SRC.  Returns a new query or NULL with *err filled. */
query_t *query_parse(const char *src, query_error_t *err);
void query_destroy(query_t **self_p);

/* Entity ids named by @id in the query, for checking them against the
 * catalog.  The array and its strings belong to Q: do not free them. */
size_t query_entities(const query_t *q, const char ***ids_out);

/* The positive word and phrase terms of Q (those not under NOT), as
 * written, without quotes; a wildcard term keeps its trailing '*'.  The
 * store uses them to pick candidates from its full-text index before
 * checking each with query_eval.  *terms_out is a malloc'd array of
 * borrowed strings (caller frees the array only). */
size_t query_terms(const query_t *q, const char ***terms_out);

/* What the evaluator looks at: the article's title and text as docs, and
 * the entity mentions the extractor found (ids with offsets in TEXT). */
typedef struct {
    const char *entity;   /* catalog id */
    size_t start, end;    /* byte offsets in the text */
    const char *type;     /* person|org|place|weapon|media|other, NULL if unknown */
} query_mention_t;

/* Where a query's words and phrases occur, found beforehand: the alerter
 * scans an article once for the terms of all its watches (watch_index.h),
 * and evaluating each candidate watch then needs no scan of its own.
 * TERM_HITS gives the hits of term TERM of Q in the title (IN_TITLE) or
 * the text, as text_matcher_scan would (ids are not read), borrowed until
 * query_eval returns; or (size_t)-1 when it does not know Q, and
 * query_eval scans for itself. */
typedef struct query_prescan query_prescan_t;
struct query_prescan {
    size_t (*term_hits)(const query_prescan_t *self, const query_t *q, size_t term,
                        bool in_title, const text_hit_t **hits);
};

typedef struct {
    const text_doc_t *title;
    const text_doc_t *text;
    const query_mention_t *mentions;
    size_t n_mentions;
    const char *source;   /* the article's source name, for source: (NULL: none) */
    const char *lang;     /* its language ("ar", "en", "und"), for lang: */
    const query_prescan_t *prescan;   /* NULL: query_eval scans the docs */
} query_input_t;

typedef struct {
    const char *term;     /* the term as written in the query ("@bout", "Houthis"), borrowed from q */
    const char *entity;   /* entity id for @terms and type: terms, else NULL */
    bool in_title;        /* else in text */
    size_t start, end;    /* byte offsets in that field */
} query_hit_t;

/* Free Q's own matcher, for a query evaluated only through a prescan that
 * knows it (the alerter's watch index holds the same words, and 10,000
 * small matchers were 8 MiB): from then on query_eval without such a
 * prescan reads Q as not matching. */
void query_drop_matcher(query_t *q);

/* Evaluate Q on IN.  Returns true if it matches.  When HITS is not NULL,
 * *hits gets a malloc'd array (caller frees) of the positive terms that
 * matched (terms under NOT are not reported), *n_hits its length. */
bool query_eval(const query_t *q, const query_input_t *in, query_hit_t **hits, size_t *n_hits);

#endif
