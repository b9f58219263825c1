/*
 * text_bench.c — how fast the text library turns news text into tokens
 * (text_doc_new: ICU word and sentence segmentation, folding, the clitic
 * forms of every word).  The extractor, the store and the alerter each
 * build one document per article, so this speed is paid three times on
 * the way from page to alert.
 *
 * Real Arabic news from ../shared/peers/ant-corpus.tar.gz (read in place);
 * prints MB/s of UTF-8 for each of RUNS passes and their median.  Exit 77
 * when the corpus is absent.
 *   build/bench/text-bench [-n RUNS] [CORPUS.tar.gz] [MAX_ARTICLES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_ant.h"
#include "text.h"

static double
s_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
s_cmp(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
    int runs = 5, argi = 1;
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: text-bench [-n RUNS] [CORPUS.tar.gz] [MAX_ARTICLES]\n"
               "Builds a text document (segmentation, folding, clitic forms) of each article\n"
               "of the ANT corpus (default ../shared/peers/ant-corpus.tar.gz, 3000 articles)\n"
               "RUNS times (default 5) and prints MB/s per CPU second and the median.\n");
        return 0;
    }
    if (argc > 2 && !strcmp(argv[1], "-n")) {
        runs = atoi(argv[2]);
        argi = 3;
    }
    if (runs < 1 || runs > 100) {
        fprintf(stderr, "text-bench: RUNS must be 1 to 100\n");
        return 2;
    }
    char def[1024];
    const char *path = argc > argi ? argv[argi] : bench_ant_default_path(def, sizeof def);
    size_t max = argc > argi + 1 ? strtoul(argv[argi + 1], NULL, 10) : 3000;
    bench_texts_t t = { 0 };
    if (bench_ant_read(path, max, &t) != 0 || t.n == 0) {
        fprintf(stderr, "text-bench: %s absent or unreadable, skipping\n", path);
        return 77;
    }
    double mbs[100];
    size_t tokens = 0;
    for (int r = 0; r < runs; r++) {
        double c0 = s_cpu();
        tokens = 0;
        for (size_t i = 0; i < t.n; i++) {
            text_doc_t *d = text_doc_new(t.v[i], strlen(t.v[i]));
            if (!d) {
                fprintf(stderr, "text-bench: article %zu: cannot build\n", i);
                return 1;
            }
            tokens += text_doc_ntokens(d);
            text_doc_destroy(&d);
        }
        mbs[r] = (double) t.bytes / 1e6 / (s_cpu() - c0);
        printf("  run %d: %.1f MB/s\n", r + 1, mbs[r]);
    }
    qsort(mbs, (size_t) runs, sizeof mbs[0], s_cmp);
    printf("text-bench: %zu articles, %.1f MB, %zu tokens: median %.1f MB/s per CPU second "
           "(%.0f articles/s)\n", t.n, (double) t.bytes / 1e6, tokens, mbs[runs / 2],
           mbs[runs / 2] * 1e6 / ((double) t.bytes / (double) t.n));
    bench_texts_clear(&t);
    return 0;
}
