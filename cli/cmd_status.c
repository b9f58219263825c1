/*
 * cmd_status.c — `marsad status [-c FILE] [--stage NAME] [--json]`: ask each
 * stage how it is (GET /status on its metrics address, DESIGN §1) and
 * print whether it is up, its pid and uptime, and its counters and queue
 * gauges.  It asks the running processes; it reads no database.
 * Exit status 0 when every stage asked is up, 1 otherwise — so it serves
 * as a container health check (`marsad status --stage store`).
 */
#include "cli.h"

#include <curl/curl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fetcher's sources that have failed for [fetcher] unhealthy_after
 * seconds, one line each, before the counters: what an operator looks
 * for first. */
static void s_print_unhealthy(json_t *metrics)
{
    static const char prefix[] = "marsad_source_unhealthy{source=\"";
    const char *key;
    json_t *v;
    json_object_foreach(metrics, key, v) {
        if (strncmp(key, prefix, sizeof prefix - 1) != 0 || json_number_value(v) < 1)
            continue;
        const char *name = key + sizeof prefix - 1;
        int len = (int) strcspn(name, "\"");
        char failures[400];
        snprintf(failures, sizeof failures, "marsad_source_failures{source=\"%.*s\"}", len, name);
        printf("          source %.*s UNHEALTHY: %g failed polls in a row (still retried)\n", len,
               name, json_number_value(json_object_get(metrics, failures)));
    }
}

static void s_usage(FILE *f)
{
    fprintf(f, "usage: marsad status [-c FILE] [--stage NAME] [--json]\n"
               "\n"
               "Ask each running stage (GET /status on its `metrics` address) whether it is\n"
               "up, and print its pid, uptime, counters and queue gauges.\n"
               "  -c FILE       config (for the stages' metrics addresses)\n"
               "  --stage NAME  only this stage: fetcher, extractor, store or alerter\n"
               "  --json        one JSON object keyed by stage\n"
               "Exit status: 0 if every stage asked is up, 1 if not, 2 on usage errors.\n");
}

int cmd_status(int argc, char **argv)
{
    const char *config = NULL, *only = NULL;
    int as_json = 0;
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "stage", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 's': only = optarg; break;
        case 'j': as_json = 1; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        s_usage(stderr);
        return 2;
    }
    static const char *names[] = { "fetcher", "extractor", "store", "alerter" };
    if (only) {
        int known = 0;
        for (int i = 0; i < 4; i++)
            known |= strcmp(only, names[i]) == 0;
        if (!known) {
            fprintf(stderr, "marsad status: unknown stage '%s'\n", only);
            return 2;
        }
    }
    marsad_config_t *cfg = cli_load_config(config);
    if (!cfg)
        return 2;
    const char *addrs[] = { cfg->fetcher_metrics, cfg->extractor_metrics, cfg->store_metrics,
                            cfg->alerter_metrics };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    json_t *all = json_object();
    int down = 0;
    for (int i = 0; i < 4; i++) {
        if (only && strcmp(only, names[i]) != 0)
            continue;
        const char *why = "metrics address not configured";
        json_t *st = addrs[i] && *addrs[i] ? cli_ask_stage(addrs[i], "/status", 1 << 20, &why)
                                            : NULL;
        if (!st) {
            down++;
            if (as_json)
                json_object_set_new(all, names[i], json_pack("{s:b,s:s}", "up", 0, "error", why));
            else
                printf("%-9s DOWN  (%s: %s)\n", names[i], addrs[i] ? addrs[i] : "-", why);
            continue;
        }
        if (as_json) {
            json_object_set_new(st, "up", json_true());
            json_object_set(all, names[i], st);
        } else {
            printf("%-9s up    pid %lld, up %llds\n", names[i],
                   (long long) json_integer_value(json_object_get(st, "pid")),
                   (long long) json_integer_value(json_object_get(st, "uptime_s")));
            const char *key;
            json_t *v;
            json_t *metrics = json_object_get(st, "metrics");
            s_print_unhealthy(metrics);
            json_object_foreach(metrics, key, v)
                printf("          %-48s %g\n", key, json_number_value(v));
        }
        json_decref(st);
    }
    if (as_json) {
        char *text = json_dumps(all, JSON_INDENT(2));
        if (text)
            puts(text);
        free(text);
    }
    json_decref(all);
    curl_global_cleanup();
    config_destroy(&cfg);
    return down ? 1 : 0;
}
