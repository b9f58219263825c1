/*
 * bench_corpus.h — the Zyte article-extraction benchmark in memory: for each
 * page of ground-truth.json, its id, URL, expected article body and the
 * HTML bytes of html/<id>.html.gz (decompressed with zlib).  Shared by
 * extract-eval (quality) and extract-bench (speed).
 */
#ifndef MARSAD_BENCH_CORPUS_H
#define MARSAD_BENCH_CORPUS_H

#include <stddef.h>

typedef struct {
    char *id;    /* the ground truth's key, also the file name */
    char *url;   /* or NULL */
    char *truth; /* expected articleBody, UTF-8 ("" if absent) */
    char *html;  /* page bytes, NUL-terminated for convenience */
    size_t html_len;
} bench_page_t;

typedef struct {
    bench_page_t *pages;
    size_t n;
    size_t html_bytes; /* sum of html_len */
} bench_corpus_t;

/* The benchmark folder: $MARSAD_BENCHMARK if set, else
 * <source root>/../shared/peers/article-extraction-benchmark.  Borrowed
 * (static or environment storage). */
const char *bench_corpus_default_dir(void);

/* Load DIR.  Returns a corpus the caller destroys, or NULL with *WHY set to
 * a static message: "absent" when the folder or its ground truth does not
 * exist (callers skip), anything else is a real error. */
bench_corpus_t *bench_corpus_load(const char *dir, const char **why);
void bench_corpus_destroy(bench_corpus_t **self_p);

#endif
