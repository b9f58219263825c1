/*
 * extract_bench.c — NAME extract-bench: how fast html_extract() turns the
 * Zyte benchmark's pages into articles, on one core.
 *
 * SYNOPSIS
 *   extract-bench [-n RUNS] [-v] [DIR]
 *
 * DESCRIPTION
 *   The pages are decompressed into memory first; only html_extract() and
 *   html_article_clear() are timed (charset choice, parsing, pruning,
 *   scoring, text, metadata, language).  The process is pinned to one CPU;
 *   one warm-up pass, then RUNS passes (default 7) over all pages, and the
 *   median pass is reported as pages/s and MB/s (10^6 bytes of HTML).
 *   Times are the process's CPU time, so other load on the machine does
 *   not distort them (much: a busy machine still slows the caches).  -v
 *   times each page in one more pass and lists the ten slowest.
 *
 * DIAGNOSTICS
 *   Exit 0; 77 with a message when the benchmark folder is absent; 1 on a
 *   usage or load error.
 */
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_corpus.h"
#include "html_extract.h"

typedef struct {
    size_t page;
    double secs;
} s_slow_t;

static double
s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static int
s_cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y ? 1 : 0;
}

static int
s_cmp_slow(const void *a, const void *b)
{
    double x = ((const s_slow_t *) a)->secs, y = ((const s_slow_t *) b)->secs;
    return x > y ? -1 : x < y ? 1 : 0;
}

/* one pass; per-page times into T (may be NULL); returns seconds.  With
 * PARSE_ONLY, the parse html_extract starts with and nothing more. */
static double
s_pass(const bench_corpus_t *c, double *t, bool parse_only)
{
    double start = s_now();
    for (size_t i = 0; i < c->n; i++) {
        const bench_page_t *pg = &c->pages[i];
        double t0 = t ? s_now() : 0;
        html_article_t a;
        if (parse_only)
            html_parse_only(pg->html, pg->html_len, NULL);
        else if (html_extract(pg->html, pg->html_len, pg->url, NULL, &a) == 0)
            html_article_clear(&a);
        if (t)
            t[i] = s_now() - t0;
    }
    return s_now() - start;
}

int
main(int argc, char **argv)
{
    const char *dir = NULL;
    int runs = 7;
    bool verbose = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (strcmp(argv[i], "-v") == 0) {
            verbose = true;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            printf("usage: extract-bench [-n RUNS] [-v] [DIR]\n");
            return 0;
        } else if (argv[i][0] == '-' || dir) {
            fprintf(stderr, "usage: extract-bench [-n RUNS] [-v] [DIR]\n");
            return 1;
        } else {
            dir = argv[i];
        }
    }
    if (runs < 1 || runs > 1000) {
        fprintf(stderr, "extract-bench: RUNS must be 1..1000\n");
        return 1;
    }
    if (!dir)
        dir = bench_corpus_default_dir();
    const char *why = NULL;
    bench_corpus_t *c = bench_corpus_load(dir, &why);
    if (!c) {
        if (strcmp(why, "absent") == 0) {
            fprintf(stderr, "extract-bench: no benchmark at %s (ground-truth.json absent); "
                            "skipping\n", dir);
            return 77;
        }
        fprintf(stderr, "extract-bench: %s: %s\n", dir, why);
        return 1;
    }
    /* one core: the figure is per extractor process */
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &set);
    sched_setaffinity(0, sizeof set, &set);

    double *secs = calloc((size_t) runs, sizeof *secs);
    double *times = calloc(c->n ? c->n : 1, sizeof *times);
    if (!secs || !times) {
        fprintf(stderr, "extract-bench: out of memory\n");
        return 1;
    }
    s_pass(c, NULL, false); /* warm-up: caches, ICU data, allocator */
    double *sorted = calloc((size_t) runs, sizeof *sorted);
    if (!sorted) {
        fprintf(stderr, "extract-bench: out of memory\n");
        return 1;
    }
    for (int r = 0; r < runs; r++)
        secs[r] = s_pass(c, NULL, false);
    memcpy(sorted, secs, (size_t) runs * sizeof *secs);
    qsort(sorted, (size_t) runs, sizeof *sorted, s_cmp_double);
    double med = sorted[runs / 2];
    double mb = (double) c->html_bytes / 1e6;
    printf("pages %zu, %.1f MB of HTML, %d runs on one core\n", c->n, mb, runs);
    printf("median %.3f s (min %.3f, max %.3f): %.0f pages/s, %.1f MB/s\n", med, sorted[0],
           sorted[runs - 1], (double) c->n / med, mb / med);
    /* The part no code of ours can speed up: libxml2's parse (with the
     * charset check before it), on the same pages. */
    for (int r = 0; r < runs; r++)
        sorted[r] = s_pass(c, NULL, true);
    qsort(sorted, (size_t) runs, sizeof *sorted, s_cmp_double);
    double pmed = sorted[runs / 2];
    printf("parse alone (charset, libxml2): median %.3f s: %.0f pages/s, %.0f%% of extraction\n",
           pmed, (double) c->n / pmed, 100.0 * pmed / med);
    if (verbose) {
        s_pass(c, times, false);
        s_slow_t *slow = calloc(c->n ? c->n : 1, sizeof *slow);
        for (size_t i = 0; slow && i < c->n; i++)
            slow[i] = (s_slow_t) {i, times[i]};
        if (slow) {
            qsort(slow, c->n, sizeof *slow, s_cmp_slow);
            for (size_t i = 0; i < c->n && i < 10; i++)
                printf("%8.2f ms  %7zu bytes  %.16s  %s\n", slow[i].secs * 1e3,
                       c->pages[slow[i].page].html_len, c->pages[slow[i].page].id,
                       c->pages[slow[i].page].url ? c->pages[slow[i].page].url : "");
        }
        free(slow);
    }
    free(sorted);
    free(secs);
    free(times);
    bench_corpus_destroy(&c);
    return 0;
}
