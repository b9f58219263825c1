/*
 * watch_index.h — which watches can match an article, from the terms it
 * contains (DESIGN §7: "don't run every query on every article").
 *
 * Every word and phrase of every watch goes into one text_matcher, and
 * every @entity and type: into sorted tables; an article's title and text
 * are scanned once, its mentions looked up, and only the watches with a
 * term present are candidates.  A watch that can match with none of its
 * indexed terms present (NOT x, source:reuters, lang:ar OR x...) is always
 * a candidate.  Candidates are then checked with query_eval, so the index
 * may over-approximate (a term under NOT, a title: word found in the text)
 * but never misses a watch that matches.  The cost of a scan follows the
 * article's length and the hits, not the number of watches.
 */
#ifndef MARSAD_WATCH_INDEX_H
#define MARSAD_WATCH_INDEX_H

#include <stddef.h>
#include "query.h"

typedef struct watch_index watch_index_t;

/* Index the N queries QUERIES (borrowed: they must outlive the index;
 * watch i is QUERIES[i]).  NULL on allocation failure. */
watch_index_t *watch_index_new(const query_t *const *queries, size_t n);
void watch_index_destroy(watch_index_t **self_p);

/* The candidate watches for IN, in increasing order, into OUT (room for N
 * entries, N as given to watch_index_new).  Returns the count, or
 * (size_t)-1 on allocation failure (then every watch should be tried). */
size_t watch_index_candidates(const watch_index_t *self, const query_input_t *in, size_t *out);

/* What one article's scan found, kept so that evaluating each candidate
 * needs no scan of its own: after watch_index_scan, watch_scan_for(S, W)
 * makes &S->prescan the query_input_t prescan of watch W's query.  The
 * fields are the index's; clear with watch_scan_clear. */
typedef struct {
    query_prescan_t prescan;        /* first: the callback's self */
    const watch_index_t *index;     /* borrowed */
    size_t watch;
    text_hit_t *hits[2];            /* text, title: sorted by matcher id */
    size_t n_hits[2];
} watch_scan_t;

/* watch_index_candidates, keeping the scan's hits in *SCAN (its previous
 * content is cleared).  On failure *SCAN is left empty, answering no query. */
size_t watch_index_scan(const watch_index_t *self, const query_input_t *in, size_t *out,
                        watch_scan_t *scan);
void watch_scan_for(watch_scan_t *scan, size_t watch);
void watch_scan_clear(watch_scan_t *scan);

/* How many watches are always candidates (for the benchmark and logs). */
size_t watch_index_n_always(const watch_index_t *self);

#endif
