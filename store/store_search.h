/*
 * store_search.h — search the store with the watch language (`marsad
 * search`).  Reads the SQLite file directly, read-only: WAL lets a search
 * run while marsad-store writes.
 *
 * How: the query's positive terms (query_terms) become an FTS5 expression
 * over the index of match forms (text_forms.h), which picks candidate
 * articles — a superset of the answer; query_eval on each candidate gives
 * the exact answer and the matches to mark.  A query that could match an
 * article containing none of its terms ("NOT x") is checked on every
 * article that passes the filters instead.
 *
 * Link with query_dep beside store_search_dep (see store/meson.build).
 */
#ifndef MARSAD_STORE_SEARCH_H
#define MARSAD_STORE_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "query.h"

typedef struct {
    const char *query;      /* the watch language; required */
    int64_t since;          /* Unix seconds: articles published (or fetched) since; 0: any */
    const char *lang;       /* NULL: any */
    const char *entity;     /* NULL: any; else articles that mention this entity id */
    const char *story;      /* NULL: any */
    size_t limit;           /* at most this many results, newest first; 0: 20 */
} store_search_opts_t;

typedef struct {
    char *term;             /* the query term as written */
    bool in_title;
    size_t start, end;      /* byte offsets in the title or the text */
} store_search_hit_t;

typedef struct {
    int64_t seq;
    char *id, *source, *url, *title, *lang, *published_at, *story_id;
    bool duplicate;
    char *snippet;          /* text around the first match, matches in [[ ]] */
    store_search_hit_t *hits;
    size_t n_hits;
} store_search_result_t;

typedef struct store_search store_search_t;

/* Open the store's database read-only.  NULL with *err malloc'd on failure. */
store_search_t *store_search_open(const char *path, char **err);
void store_search_close(store_search_t **self_p);

/* Run a search.  Returns 0 with *results a malloc'd array of *n results
 * (free with store_search_results_free), or -1 with *err malloc'd: a bad
 * query as "query:LINE:COL: message", or a database error. */
int store_search_run(store_search_t *s, const store_search_opts_t *o,
                     store_search_result_t **results, size_t *n, char **err);
void store_search_results_free(store_search_result_t *r, size_t n);

/* One result as a JSON object text (malloc'd). */
char *store_search_result_json(const store_search_result_t *r);

/* The FTS5 expression that picks the candidates of Q (parsed from SRC) by
 * their words,
 * malloc'd.  NULL with *scan_all set: Q must be checked on every article
 * (it can match without any of its terms, or memory ran out).  NULL with
 * *scan_all clear: no article matches Q by its words (the candidates are
 * then only the articles naming Q's @entities). */
char *store_search_fts_expr(const query_t *q, const char *src, bool *scan_all);

#endif
