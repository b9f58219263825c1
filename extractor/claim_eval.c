/*
 * claim_eval.c — `claims-eval [-v] FILE...`: precision and recall of claim
 * extraction on labeled sets (tests/data/claims/ar.jsonl, en.jsonl), per
 * file and overall, for cue, speaker, stance, content span and chain, and
 * for declining to comment.  -v prints every mismatch.  Not a test: the
 * figures go in the README (see claim_score.h for the file format).
 *
 * `claims-eval --bench CONFIG DIR|PAGE...` times the whole extraction of
 * each page (HTML, entities, claims; pages may be gzipped) and claim
 * extraction alone, three rounds, and prints what claims add.
 */
#include "article_extract.h"
#include "claim_extract.h"
#include "claim_score.h"
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double
s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Read a page, gunzipping *.gz; malloc'd, NULL on failure. */
static char *
s_read(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    int got;
    while (buf && (got = gzread(f, buf + n, (unsigned) (cap - n))) > 0) {
        n += (size_t) got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    gzclose(f);
    *len = n;
    return buf;
}

/* --bench CONFIG DIR|FILE...: the whole extraction of each page (HTML,
 * entities, claims) against claim extraction alone on the same text. */
static int
s_bench(int argc, char **argv)
{
    char *err = NULL;
    marsad_config_t *cfg = config_load(argv[0], &err);
    if (!cfg) {
        fprintf(stderr, "%s\n", err ? err : "cannot load config");
        free(err);
        return 1;
    }
    entity_catalog_t *cat = entity_catalog_new(cfg->entities, cfg->n_entities, &err);
    if (!cat) {
        fprintf(stderr, "%s\n", err ? err : "catalog");
        return 1;
    }
    double t_all = 0, t_claims = 0;
    size_t pages = 0, claims = 0, bytes = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 1; i < argc; i++) {
            DIR *d = opendir(argv[i]);
            struct dirent *de = NULL;
            for (;;) {
                char path[4096];
                if (d) {
                    de = readdir(d);
                    if (!de)
                        break;
                    if (de->d_name[0] == '.')
                        continue;
                    snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
                }
                else
                    snprintf(path, sizeof path, "%s", argv[i]);
                size_t len = 0;
                char *body = s_read(path, &len);
                if (body) {
                    proto_raw_t raw = { .id = "bench", .source = "bench", .url = "http://bench.test/",
                                        .fetched_at = "2026-01-01T00:00:00Z", .body = body,
                                        .body_len = len };
                    proto_article_t a;
                    char *e2 = NULL;
                    double t0 = s_now();
                    int rc = article_extract(&raw, cat, &a, &e2);
                    double t1 = s_now();
                    free(e2);
                    if (rc == 0) {
                        text_doc_t *doc = text_doc_new(a.text, strlen(a.text));
                        claim_set_t cs;
                        double t2 = s_now();
                        if (doc && claim_extract(doc, a.mentions, a.n_mentions, &cs) == 0) {
                            double t3 = s_now();
                            t_claims += t3 - t2;
                            t_all += t1 - t0;
                            if (round == 0) {
                                pages++;
                                claims += cs.n_claims;
                                bytes += strlen(a.text);
                            }
                            claim_set_clear(&cs);
                        }
                        text_doc_destroy(&doc);
                        proto_article_clear(&a);
                    }
                    free(body);
                }
                if (!d)
                    break;
            }
            if (d)
                closedir(d);
        }
    }
    printf("pages %zu, text %zu bytes, claims %zu\n", pages, bytes, claims);
    printf("extraction per page (html, entities, claims): %.3f ms\n", pages ? t_all / 3 / pages * 1e3 : 0);
    printf("claims per page:                              %.3f ms\n", pages ? t_claims / 3 / pages * 1e3 : 0);
    printf("claims add %.1f%% to the rest of the extraction\n",
           t_all > t_claims ? 100.0 * t_claims / (t_all - t_claims) : 0.0);
    entity_catalog_destroy(&cat);
    config_destroy(&cfg);
    return 0;
}

static void
s_print(const char *name, const claim_score_t *s)
{
    printf("%-12s items %3zu  gold %3zu  predicted %3zu\n", name, s->items, s->gold, s->pred);
    struct { const char *what; size_t ok; } rows[] = {
        { "cue", s->cue }, { "speaker", s->speaker }, { "stance", s->stance },
        { "content", s->content }, { "chain", s->chain },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        printf("  %-8s P %.3f  R %.3f\n", rows[i].what, claim_score_p(rows[i].ok, s->pred),
               claim_score_p(rows[i].ok, s->gold));
    printf("  %-8s P %.3f  R %.3f  (declined to comment: gold %zu, found %zu)\n", "declines",
           claim_score_p(s->declines, s->pred_declines),
           claim_score_p(s->declines, s->gold_declines), s->gold_declines, s->pred_declines);
}

int
main(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: claims-eval [-v] FILE.jsonl...\n"
               "       claims-eval --bench CONFIG DIR|PAGE...\n"
               "Scores the claim extractor against labeled JSONL files (precision and recall\n"
               "of speaker, cue, stance and content span), or times it over pages.\n");
        return 0;
    }
    if (argc > 2 && !strcmp(argv[1], "--bench"))
        return s_bench(argc - 2, argv + 2);
    FILE *verbose = NULL;
    int first = 1;
    if (argc > 1 && !strcmp(argv[1], "-v")) {
        verbose = stdout;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: claims-eval [-v] FILE.jsonl...\n"
                        "       claims-eval --bench CONFIG DIR|PAGE...\n");
        return 2;
    }
    claim_score_t all;
    memset(&all, 0, sizeof all);
    for (int i = first; i < argc; i++) {
        claim_score_t one;
        memset(&one, 0, sizeof one);
        if (claim_score_file(argv[i], 0, &one, verbose))
            return 1;
        const char *base = strrchr(argv[i], '/');
        s_print(base ? base + 1 : argv[i], &one);
        all.items += one.items; all.gold += one.gold; all.pred += one.pred;
        all.cue += one.cue; all.speaker += one.speaker; all.stance += one.stance;
        all.content += one.content; all.chain += one.chain;
        all.gold_declines += one.gold_declines; all.pred_declines += one.pred_declines;
        all.declines += one.declines;
    }
    if (argc - first > 1)
        s_print("all", &all);
    return 0;
}
