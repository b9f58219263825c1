/*
 * extract_eval.c — NAME extract-eval: score marsad's main-text extraction
 * on the Zyte article-extraction benchmark with the benchmark's own metric
 * (shingle_score.h) and print precision, recall, F1 and accuracy.
 *
 * SYNOPSIS
 *   extract-eval [-v] [--page ID] [--json FILE] [DIR]
 *
 * DESCRIPTION
 *   DIR defaults to ../shared/peers/article-extraction-benchmark beside the
 *   source tree (or $MARSAD_BENCHMARK).  Each page goes through
 *   html_extract() with its URL and no charset hint, as the fetcher would
 *   hand it over.  -v lists every page worst first (F1, P, R, id, URL) to
 *   study failures; --page ID prints the extracted text of one page with its
 *   scores; --json FILE writes the predictions in the format evaluate.py
 *   reads (output/NAME.json), so the two scorers can be compared.
 *
 * DIAGNOSTICS
 *   Exit 0 after scoring; 77 (the conventional "skipped") with a message
 *   when the benchmark folder is absent; 1 on a usage or load error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench_corpus.h"
#include "html_extract.h"
#include "shingle_score.h"

typedef struct {
    size_t page;
    double p, r, f1;
} s_row_t;

static int
s_cmp_row(const void *a, const void *b)
{
    double x = ((const s_row_t *) a)->f1, y = ((const s_row_t *) b)->f1;
    return x < y ? -1 : x > y ? 1 : 0;
}

static void
s_usage(FILE *f)
{
    fprintf(f, "usage: extract-eval [-v] [--page ID] [--json FILE] [DIR]\n"
               "Score html_extract on the Zyte article-extraction benchmark (DIR, default\n"
               "%s).\n",
            bench_corpus_default_dir());
}

int
main(int argc, char **argv)
{
    const char *dir = NULL, *page_id = NULL, *json_out = NULL;
    bool verbose = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            verbose = true;
        } else if (strcmp(argv[i], "--page") == 0 && i + 1 < argc) {
            page_id = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json_out = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            s_usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' || dir) {
            s_usage(stderr);
            return 1;
        } else {
            dir = argv[i];
        }
    }
    if (!dir)
        dir = bench_corpus_default_dir();
    const char *why = NULL;
    bench_corpus_t *c = bench_corpus_load(dir, &why);
    if (!c) {
        if (strcmp(why, "absent") == 0) {
            fprintf(stderr, "extract-eval: no benchmark at %s (ground-truth.json absent); "
                            "skipping\n", dir);
            return 77;
        }
        fprintf(stderr, "extract-eval: %s: %s\n", dir, why);
        return 1;
    }

    s_row_t *rows = calloc(c->n ? c->n : 1, sizeof *rows);
    json_t *preds = json_object();
    if (!rows || !preds) {
        fprintf(stderr, "extract-eval: out of memory\n");
        return 1;
    }
    shingle_tally_t tally = {0};
    size_t failed = 0, nrows = 0;
    for (size_t i = 0; i < c->n; i++) {
        bench_page_t *pg = &c->pages[i];
        if (page_id && strcmp(page_id, pg->id) != 0)
            continue;
        html_article_t a;
        int rc = html_extract(pg->html, pg->html_len, pg->url, NULL, &a);
        if (rc != 0)
            failed++;
        const char *text = rc == 0 ? a.text : "";
        shingle_counts_t sc;
        if (shingle_score(pg->truth, text, &sc) != 0) {
            fprintf(stderr, "extract-eval: out of memory\n");
            return 1;
        }
        shingle_tally_add(&tally, &sc);
        double p = shingle_precision(&sc), r = shingle_recall(&sc);
        rows[nrows++] = (s_row_t) {i, p, r, p + r > 0 ? 2 * p * r / (p + r) : 0};
        if (page_id)
            printf("== %s %s\nP %.3f R %.3f (rc %d, title \"%s\")\n--\n%s\n--\n", pg->id,
                   pg->url ? pg->url : "", p, r, rc, rc == 0 ? a.title : "", text);
        json_object_set_new(preds, pg->id, json_pack("{s:s}", "articleBody", text));
        if (rc == 0)
            html_article_clear(&a);
    }
    if (verbose) {
        qsort(rows, nrows, sizeof *rows, s_cmp_row);
        for (size_t i = 0; i < nrows; i++) {
            const bench_page_t *pg = &c->pages[rows[i].page];
            printf("%.3f  P %.3f  R %.3f  %.16s  %s\n", rows[i].f1, rows[i].p, rows[i].r,
                   pg->id, pg->url ? pg->url : "");
        }
    }
    if (json_out && json_dump_file(preds, json_out, JSON_INDENT(1) | JSON_SORT_KEYS) != 0) {
        fprintf(stderr, "extract-eval: cannot write %s\n", json_out);
        return 1;
    }
    double p, r, f1, acc;
    shingle_tally_result(&tally, &p, &r, &f1, &acc);
    printf("pages %zu (extraction errors %zu)\n", nrows, failed);
    printf("precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f\n", p, r, f1, acc);
    json_decref(preds);
    free(rows);
    bench_corpus_destroy(&c);
    return 0;
}
