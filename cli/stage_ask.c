/*
 * stage_ask.c — ask a running stage over its metrics address (GET /status,
 * GET /watches, ...; runtime/metrics_http.c), for `marsad status` and
 * `marsad watch list`.  Only loopback-style addresses of our own daemons are
 * asked, so no proxy, a short timeout and a size cap.
 */
#include "cli.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *p;
    size_t len, cap;
} s_body_t;

static size_t s_write(char *data, size_t size, size_t nmemb, void *user)
{
    s_body_t *b = user;
    size_t n = size * nmemb;
    if (b->len + n > b->cap)
        return 0;   /* over what the caller expects: refuse it */
    char *grown = realloc(b->p, b->len + n + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, data, n);
    b->p = grown;
    b->len += n;
    b->p[b->len] = '\0';
    return n;
}

json_t *cli_ask_stage(const char *addr, const char *path, size_t max_bytes, const char **why)
{
    char host[300], url[400];
    /* a wildcard listen address is reached through loopback */
    if (strncmp(addr, "0.0.0.0:", 8) == 0)
        snprintf(host, sizeof host, "127.0.0.1%s", addr + 7);
    else if (strncmp(addr, "*:", 2) == 0)
        snprintf(host, sizeof host, "127.0.0.1%s", addr + 1);
    else
        snprintf(host, sizeof host, "%s", addr);
    snprintf(url, sizeof url, "http://%s%s", host, path);
    CURL *c = curl_easy_init();
    if (!c) {
        *why = "out of memory";
        return NULL;
    }
    s_body_t body = { NULL, 0, max_bytes };
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, s_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    json_t *j = NULL;
    if (rc != CURLE_OK)
        *why = curl_easy_strerror(rc);
    else if (code != 200)
        *why = code == 404 ? "not published by this process (an older version?)"
                           : "bad HTTP status";
    else if (!(j = json_loads(body.p ? body.p : "", 0, NULL)))
        *why = "not a JSON answer";
    free(body.p);
    return j;
}
