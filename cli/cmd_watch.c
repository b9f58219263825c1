/*
 * cmd_watch.c — `marsad watch test [-c FILE] QUERY FILE|-`: does QUERY
 * match this page?  Runs the extractor and the alerter's query evaluator on
 * it, prints what matched; exit 0 if it matches, 1 if not, 2 on a bad query.
 * `marsad watch list [-c FILE]`: the watches the alerter would run, parsed
 * by the same code (watch_set.h); broken ones are reported on stderr with
 * FILE:LINE:COL and the command exits 1.
 */
#include "cli.h"
#include "page_load.h"
#include "query.h"
#include "text.h"
#include "watch_set.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_usage(FILE *f)
{
    fprintf(f, "usage: marsad watch test [-c FILE] QUERY FILE|-\n"
               "       marsad watch list [-c FILE]\n"
               "\n"
               "Run QUERY (the watch language: words, \"phrases\", AND, OR, NOT, (...),\n"
               "word*, @entity-id, NEAR/n, ONEAR/n, SENTENCE, title: text: source: lang:\n"
               "type:) against an HTML page, as the alerter would, and print the\n"
               "matches.  Exit status: 0 match, 1 no match, 2 bad query or usage.\n"
               "  -c FILE   config whose [entity] catalog gives @entity its names\n"
               "`list` prints the active watches (name, severity, where defined, query);\n"
               "a broken watch is reported with FILE:LINE:COL and makes the exit status 1.\n");
}

static int s_test(int argc, char **argv)
{
    const char *config = NULL;
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind != argc - 2) {
        s_usage(stderr);
        return 2;
    }
    const char *src = argv[optind];
    query_error_t qerr;
    query_t *q = query_parse(src, &qerr);
    if (!q) {
        fprintf(stderr, "marsad watch test: query:%d:%d: %s\n", qerr.line, qerr.col,
                qerr.message);
        return 2;
    }
    marsad_config_t *cfg = cli_load_config(config);
    if (!cfg) {
        query_destroy(&q);
        return 2;
    }
    proto_article_t a;
    int rc = page_load(argv[optind + 1], NULL, cfg, &a);
    config_destroy(&cfg);
    if (rc != 0) {
        query_destroy(&q);
        return 2;
    }
    text_doc_t *title = text_doc_new(a.title, strlen(a.title));
    text_doc_t *text = text_doc_new(a.text, strlen(a.text));
    query_mention_t *mentions = calloc(a.n_mentions + 1, sizeof *mentions);
    int status = 2;
    if (title && text && mentions) {
        for (size_t i = 0; i < a.n_mentions; i++) {
            mentions[i].entity = a.mentions[i].entity;
            mentions[i].start = (size_t) a.mentions[i].start;
            mentions[i].end = (size_t) a.mentions[i].end;
            mentions[i].type = a.mentions[i].type;
        }
        query_input_t in = { title, text, mentions, a.n_mentions, a.source, a.lang };
        query_hit_t *hits = NULL;
        size_t n = 0;
        bool match = query_eval(q, &in, &hits, &n);
        printf("%s\n", match ? "match" : "no match");
        for (size_t i = 0; match && i < n; i++) {
            const char *field = hits[i].in_title ? a.title : a.text;
            printf("  %s in %s at %zu-%zu: \"%.*s\"\n", hits[i].term,
                   hits[i].in_title ? "title" : "text", hits[i].start, hits[i].end,
                   (int) (hits[i].end - hits[i].start), field + hits[i].start);
        }
        free(hits);
        status = match ? 0 : 1;
    }
    free(mentions);
    text_doc_destroy(&title);
    text_doc_destroy(&text);
    proto_article_clear(&a);
    query_destroy(&q);
    return status;
}

static int s_list(int argc, char **argv)
{
    const char *config = NULL;
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        s_usage(stderr);
        return 2;
    }
    marsad_config_t *cfg = cli_load_config(config);
    if (!cfg)
        return 2;
    size_t n_errors = 0;
    watch_set_t *ws = watch_set_new(cfg, NULL, &n_errors);
    if (!ws) {
        fprintf(stderr, "marsad watch list: out of memory\n");
        config_destroy(&cfg);
        return 2;
    }
    size_t n = watch_set_size(ws);
    for (size_t i = 0; i < n; i++) {
        const watch_t *w = watch_set_get(ws, i);
        const cfg_watch_t *cw = config_watch(cfg, w->name);
        printf("%-24s %-8s %s:%d\n    %s\n", w->name, w->severity,
               cw && cw->file ? cw->file : cfg->path, cw ? cw->line : 0, w->query_src);
    }
    printf("%zu active watch%s", n, n == 1 ? "" : "es");
    if (n_errors)
        printf(", %zu broken (see above)", n_errors);
    printf("\n");
    watch_set_destroy(&ws);
    config_destroy(&cfg);
    return n_errors ? 1 : 0;
}

int cmd_watch(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "test") == 0)
        return s_test(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return s_list(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        s_usage(stdout);
        return 0;
    }
    s_usage(stderr);
    return 2;
}
