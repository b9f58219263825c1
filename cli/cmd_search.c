/*
 * cmd_search.c — `marsad search [-c FILE] QUERY [--since T] [--lang L]
 * [--entity ID] [--story ID] [--limit N] [--json]`: search the store with
 * the watch language.  Reads the store's SQLite file directly, read-only
 * (store/store_search.h), so it works whether marsad-store runs or not.
 * Prints the newest matches first: text with the matches marked [[ ]], or
 * one JSON object per line with the highlight offsets.  Exit 0 when
 * something matched, 1 when nothing did, 2 on a bad query or usage.
 */
#include "cli.h"
#include "store_search.h"
#include "store_db.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void s_usage(FILE *f)
{
    fprintf(f, "usage: marsad search [-c FILE] QUERY [--since T] [--lang L] [--entity ID]\n"
               "                     [--story ID] [--limit N] [--json]\n"
               "\n"
               "Search the stored articles with the watch language (words, \"phrases\",\n"
               "AND, OR, NOT, (...), @entity-id, prefix*); Arabic terms find their\n"
               "cliticized forms (الحوثي finds للحوثيين).  Newest first.\n"
               "  -c FILE       config naming the store's database ([store] db)\n"
               "  --since T     published (or fetched) at or after T: 2026-11-20,\n"
               "                2026-11-20T06:00:00Z, or an age such as 7d, 12h, 30m\n"
               "  --lang L      only articles in language L (ar, en, ...)\n"
               "  --entity ID   only articles that mention catalog entity ID\n"
               "  --story ID    only articles of story ID\n"
               "  --limit N     at most N results (default 20)\n"
               "  --json        one JSON object per line, with highlight offsets\n"
               "Exit status: 0 found, 1 nothing found, 2 bad query or usage.\n");
}

/* T as Unix seconds; -1 if it is neither a date nor an age. */
static long long s_parse_since(const char *t)
{
    char *end;
    long long n = strtoll(t, &end, 10);
    if (end != t && n >= 0 && end[0] && !end[1] && strchr("dhm", end[0])) {
        long long unit = end[0] == 'd' ? 86400 : end[0] == 'h' ? 3600 : 60;
        return (long long) time(NULL) - n * unit;
    }
    int y, mo, d, h = 0, mi = 0, s = 0;
    char z[4] = "";
    int got = sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d%1s", &y, &mo, &d, &h, &mi, &s, z);
    if (!(got == 3 && strlen(t) == 10) && !(got == 7 && strcmp(z, "Z") == 0))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return -1;
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                     .tm_hour = h, .tm_min = mi, .tm_sec = s };
    return (long long) timegm(&tm);
}

int cmd_search(int argc, char **argv)
{
    const char *config = NULL;
    store_search_opts_t o = { 0 };
    int as_json = 0;
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "since", required_argument, NULL, 's' },
        { "lang", required_argument, NULL, 'l' },
        { "entity", required_argument, NULL, 'e' },
        { "story", required_argument, NULL, 't' },
        { "limit", required_argument, NULL, 'n' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 's': {
            long long t = s_parse_since(optarg);
            if (t < 0) {
                fprintf(stderr, "marsad search: --since: '%s' is not a date (2026-11-20, "
                                "2026-11-20T06:00:00Z) or an age (7d, 12h, 30m)\n", optarg);
                return 2;
            }
            o.since = t > 0 ? t : 1;
            break;
        }
        case 'l': o.lang = optarg; break;
        case 'e': o.entity = optarg; break;
        case 't': o.story = optarg; break;
        case 'n': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 100000) {
                fprintf(stderr, "marsad search: --limit must be between 1 and 100000\n");
                return 2;
            }
            o.limit = (size_t) n;
            break;
        }
        case 'j': as_json = 1; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        s_usage(stderr);
        return 2;
    }
    o.query = argv[optind];
    marsad_config_t *cfg = cli_load_config(config);
    if (!cfg)
        return 2;
    char *err = NULL;
    store_search_t *s = store_search_open(cfg->store_db, &err);
    config_destroy(&cfg);
    if (!s) {
        fprintf(stderr, "marsad search: cannot open the store: %s\n", err ? err : "?");
        free(err);
        return 2;
    }
    store_search_result_t *r = NULL;
    size_t n = 0;
    int status = 2;
    if (store_search_run(s, &o, &r, &n, &err) != 0) {
        fprintf(stderr, "marsad search: %s\n", err ? err : "failed");
        free(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (as_json) {
            char *json = store_search_result_json(&r[i]);
            if (json)
                printf("%s\n", json);
            free(json);
        } else {
            printf("%lld  %s  [%s] %s%s\n    %s\n    %s\n", (long long) r[i].seq,
                   r[i].published_at ? r[i].published_at : "-", r[i].lang, r[i].title,
                   r[i].duplicate ? "  (duplicate)" : "", r[i].url, r[i].snippet);
        }
    }
    status = n ? 0 : 1;
out:
    store_search_results_free(r, n);
    store_search_close(&s);
    return status;
}
