/*
 * cmd_watch.c — `marsad watch test [-c FILE] QUERY FILE|-`: does QUERY
 * match this page?  Runs the extractor and the alerter's query evaluator on
 * it, prints what matched; exit 0 if it matches, 1 if not, 2 on a bad query.
 * `marsad watch list [-c FILE] [--json] [--config-only]`: the watches the
 * running alerter matches against now (GET /watches on its metrics
 * address: after a broken edit, the last good ones); with no alerter to
 * ask, those the config would load, parsed by the alerter's code
 * (watch_set.h), broken ones reported with FILE:LINE:COL.  Exit 1 when
 * some watch is broken.
 */
#include "cli.h"
#include "page_load.h"
#include "query.h"
#include "text.h"
#include "watch_set.h"

#include <curl/curl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_usage(FILE *f)
{
    fprintf(f, "usage: marsad watch test [-c FILE] QUERY FILE|-\n"
               "       marsad watch list [-c FILE] [--alerter HOST:PORT] [--json] [--config-only]\n"
               "\n"
               "Run QUERY (the watch language: words, \"phrases\", AND, OR, NOT, (...),\n"
               "word*, @entity-id, NEAR/n, ONEAR/n, SENTENCE, title: text: source: lang:\n"
               "type:) against an HTML page, as the alerter would, and print the\n"
               "matches.  Exit status: 0 match, 1 no match, 2 bad query or usage.\n"
               "  -c FILE   config whose [entity] catalog gives @entity its names\n"
               "`list` prints the watches the running alerter uses now (name, severity,\n"
               "where defined, query; asked on its [alerter] metrics address): after a\n"
               "broken edit these are the last good ones.  With no alerter running, or\n"
               "--config-only, it parses the config instead; a broken watch is reported\n"
               "with FILE:LINE:COL.  Either way a broken watch makes the exit status 1.\n"
               "  --alerter HOST:PORT  ask the alerter there, without reading the config\n"
               "  --json   the alerter's answer as JSON\n");
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
        query_input_t in = { title, text, mentions, a.n_mentions, a.source, a.lang, NULL };
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

/* The running alerter's answer (GET /watches): what it matches against now. */
static int s_list_active(json_t *doc, bool as_json, const char *addr)
{
    if (as_json) {
        char *text = json_dumps(doc, JSON_INDENT(2));
        if (text)
            puts(text);
        free(text);
    } else {
        json_t *list = json_object_get(doc, "watches");
        size_t i;
        json_t *w;
        json_array_foreach(list, i, w) {
            const char *rate = json_string_value(json_object_get(w, "rate_limit"));
            printf("%-24s %-8s %s:%lld%s%s\n    %s\n",
                   json_string_value(json_object_get(w, "name")),
                   json_string_value(json_object_get(w, "severity")),
                   json_string_value(json_object_get(w, "file")),
                   (long long) json_integer_value(json_object_get(w, "line")),
                   rate ? "  rate limit " : "", rate ? rate : "",
                   json_string_value(json_object_get(w, "query")));
        }
        size_t n = json_array_size(list);
        printf("%zu active watch%s in marsad-alerter (%s), loaded %s\n", n, n == 1 ? "" : "es",
               addr, json_string_value(json_object_get(doc, "loaded_at")));
    }
    const char *err = json_string_value(json_object_get(doc, "reload_error"));
    if (err)
        fprintf(stderr, "marsad watch list: the alerter kept its last good watches: %s\n", err);
    return err || json_integer_value(json_object_get(doc, "errors")) > 0 ? 1 : 0;
}

/* No alerter to ask: what the config on disk would give, parsed by the
 * alerter's own code. */
static int s_list_config(const marsad_config_t *cfg)
{
    size_t n_errors = 0;
    watch_set_t *ws = watch_set_new(cfg, NULL, &n_errors);
    if (!ws) {
        fprintf(stderr, "marsad watch list: out of memory\n");
        return 2;
    }
    size_t n = watch_set_size(ws);
    for (size_t i = 0; i < n; i++) {
        const watch_t *w = watch_set_get(ws, i);
        const cfg_watch_t *cw = config_watch(cfg, w->name);
        printf("%-24s %-8s %s:%d%s%s\n    %s\n", w->name, w->severity,
               cw && cw->file ? cw->file : cfg->path, cw ? cw->line : 0,
               cw && cw->rate_limit ? "  rate limit " : "",
               cw && cw->rate_limit ? cw->rate_limit : "", w->query_src);
    }
    printf("%zu watch%s in %s", n, n == 1 ? "" : "es", cfg->path);
    if (n_errors)
        printf(", %zu broken (see above)", n_errors);
    printf("\n");
    watch_set_destroy(&ws);
    return n_errors ? 1 : 0;
}

static int s_list(int argc, char **argv)
{
    const char *config = NULL, *alerter = NULL;
    bool config_only = false, as_json = false;
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "alerter", required_argument, NULL, 'a' },
        { "config-only", no_argument, NULL, 'C' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 'a': alerter = optarg; break;
        case 'C': config_only = true; break;
        case 'j': as_json = true; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        s_usage(stderr);
        return 2;
    }
    /* A config that no longer loads is when this is asked most: --alerter
     * reaches the running alerter without reading it. */
    marsad_config_t *cfg = alerter && !config_only ? NULL : cli_load_config(config);
    if (!cfg && !alerter) {
        fprintf(stderr, "marsad watch list: to see what the running alerter uses, "
                "give its metrics address: --alerter HOST:PORT\n");
        return 2;
    }
    int status;
    const char *addr = alerter ? alerter : cfg->alerter_metrics;
    json_t *doc = NULL;
    if (!config_only) {
        const char *why = "its metrics address is not configured";
        curl_global_init(CURL_GLOBAL_DEFAULT);
        if (addr && *addr)
            doc = cli_ask_stage(addr, "/watches", 256u << 20, &why);
        curl_global_cleanup();
        if (!doc)
            fprintf(stderr, "marsad watch list: marsad-alerter does not answer on %s (%s)%s%s%s\n",
                    addr && *addr ? addr : "-", why, cfg ? "; showing what " : "",
                    cfg ? cfg->path : "", cfg ? " would load" : "");
    }
    if (doc)
        status = s_list_active(doc, as_json, addr);
    else if (!cfg)
        status = 2;
    else if (as_json) {
        fprintf(stderr, "marsad watch list: --json needs a running alerter\n");
        status = 2;
    } else
        status = s_list_config(cfg);
    json_decref(doc);
    config_destroy(&cfg);
    return status;
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
