/*
 * watch_set.h — the alerter's active watches, built from the config's
 * [watch NAME] sections (DESIGN §7).
 *
 * Each watch's query is parsed once here.  A query that does not parse is
 * reported with FILE:LINE:COL (the column is found in the file's line when
 * the query text can be located there) and skipped — or, when rebuilding
 * after a reload, the last good version of that watch is kept.  A watch
 * naming an @entity missing from the catalog is reported and kept (its
 * other terms still work).
 */
#ifndef MARSAD_WATCH_SET_H
#define MARSAD_WATCH_SET_H

#include <stddef.h>
#include "config.h"
#include "query.h"
#include "watch_index.h"

typedef struct {
    char *name;
    char *severity;      /* low | medium | high | critical */
    char *query_src;     /* the query text that parsed */
    query_t *query;
    int rate_n;          /* at most rate_n alerts per rate_period s; 0: no limit */
    int rate_period;
    char *sink_file;     /* optional sinks (sink.h), NULL when unset */
    char *sink_command;
    char *sink_webhook;
    char *sink_email;
} watch_t;

typedef struct watch_set watch_set_t;

/* Build from CFG's watches; PREV (may be NULL, borrowed) is the set in use,
 * whose version of a watch is kept when the new query of the same name is
 * broken.  Problems are logged (mlog).  *N_ERRORS (if not NULL) gets the
 * number of broken queries.  NULL only on allocation failure. */
watch_set_t *watch_set_new(const marsad_config_t *cfg, const watch_set_t *prev,
                           size_t *n_errors);
void watch_set_destroy(watch_set_t **self_p);

size_t watch_set_size(const watch_set_t *self);
const watch_t *watch_set_get(const watch_set_t *self, size_t i);   /* borrowed */
const watch_t *watch_set_find(const watch_set_t *self, const char *name);

/* The watches that may match IN (watch_index.h), as indexes in increasing
 * order into OUT, which has room for watch_set_size() entries.  Returns
 * the count, or (size_t) -1 when out of memory (the article cannot be
 * judged now: try it again later).  Only these need query_eval. */
size_t watch_set_candidates(const watch_set_t *self, const query_input_t *in, size_t *out);

/* W's rate limit as people write it ("2/minute", "5/30 minutes"), into
 * BUF of SIZE bytes. */
void watch_rate_text(const watch_t *w, char *buf, size_t size);

/* watch_set_candidates, keeping the scan in *SCAN for the candidates'
 * query_eval (watch_index_scan; watch i is the index's watch i). */
size_t watch_set_scan(const watch_set_t *self, const query_input_t *in, size_t *out,
                      watch_scan_t *scan);

#endif
