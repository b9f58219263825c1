/*
 * store_prefill.h — a store that already holds N articles, for benchmarks
 * that ask how the pipeline behaves once its memory is large (e2e-bench's
 * 10k and 1M stored tiers).
 *
 * The articles go in through store_db_insert, the daemon's own path (full
 * text index, signatures, stories), so the tables, indexes and the FTS
 * index have the shape and size a store of that age has.  Building 1M
 * takes minutes, so each size is built once and kept in a cache directory
 * ($MARSAD_E2E_CACHE, default /tmp/marsad-e2e-cache), then copied for each
 * run; the cache key includes the schema version.
 */
#ifndef MARSAD_BENCH_STORE_PREFILL_H
#define MARSAD_BENCH_STORE_PREFILL_H

#include <stddef.h>

/* Make DATA_DIR/marsad.db hold N articles and DATA_DIR/alerter.db say the
 * alerter has seen them all (a fresh alerter would otherwise catch up on
 * the whole history first).  Texts are drawn from VOCAB (N_VOCAB words);
 * mentions name catalog ids "p0".."p<N_ENTITIES-1>".  N 0 does nothing.
 * Returns 0, or -1 with a message on stderr. */
int store_prefill(const char *data_dir, long n, char *const *vocab, size_t n_vocab,
                  int n_entities);

#endif
