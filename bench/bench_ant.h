/*
 * bench_ant.h — real Arabic news text for the benchmarks: the <TEXT> of
 * each article of ../shared/peers/ant-corpus.tar.gz (10,161 articles), read
 * in place with zlib and a minimal tar reader (never copied into the repo).
 * Used by entity-bench and e2e-bench.
 */
#ifndef MARSAD_BENCH_ANT_H
#define MARSAD_BENCH_ANT_H

#include <stddef.h>

typedef struct {
    char **v;       /* malloc'd texts */
    size_t n, cap;
    size_t bytes;   /* sum of their lengths */
} bench_texts_t;

/* <source root>/../shared/peers/ant-corpus.tar.gz, into BUF (size N). */
const char *bench_ant_default_path(char *buf, size_t n);

/* Append up to MAX texts of the corpus at PATH to T.  0, or -1 if the file
 * cannot be read. */
int bench_ant_read(const char *path, size_t max, bench_texts_t *t);
void bench_texts_clear(bench_texts_t *t);

#endif
