/*
 * page_load.c — read a page and extract it (see page_load.h).
 */
#include "page_load.h"
#include "article_extract.h"
#include "cli.h"
#include "sha256.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int page_load(const char *path, const char *url, const marsad_config_t *cfg,
              proto_article_t *out)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *body = cli_read_input(path, &len);
    if (!body)
        return -1;
    char urlbuf[PATH_MAX + 16];
    if (!url) {
        char abs[PATH_MAX];
        if (strcmp(path, "-") == 0)
            snprintf(urlbuf, sizeof urlbuf, "file:///dev/stdin");
        else
            snprintf(urlbuf, sizeof urlbuf, "file://%s", realpath(path, abs) ? abs : path);
        url = urlbuf;
    }
    char id[65], now[32];
    sha256_hex(url, strlen(url), id);
    proto_time_format((long long) time(NULL), now);
    proto_raw_t raw = {
        .id = id, .source = "cli", .url = (char *) url, .fetched_at = now,
        .body = body, .body_len = len,
    };

    entity_catalog_t *cat = NULL;
    char *err = NULL;
    if (cfg && cfg->n_entities > 0) {
        cat = entity_catalog_new(cfg->entities, cfg->n_entities, &err);
        if (!cat) {
            fprintf(stderr, "marsad: entity catalog: %s\n", err ? err : "out of memory");
            free(err);
            free(body);
            return -1;
        }
    }
    int rc = article_extract(&raw, cat, out, &err);
    entity_catalog_destroy(&cat);
    free(body);
    if (rc != 0) {
        fprintf(stderr, "marsad: %s: %s\n", path, err ? err : "cannot extract");
        free(err);
        return -1;
    }
    return 0;
}
