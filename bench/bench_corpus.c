/*
 * bench_corpus.c — load the Zyte benchmark (see bench_corpus.h): jansson
 * for ground-truth.json, zlib's gz reader for the pages.  Pages are sorted
 * by id so every run sees them in the same order.
 */
#include "bench_corpus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <zlib.h>

#include "marsad_build.h"

const char *
bench_corpus_default_dir(void)
{
    const char *env = getenv("MARSAD_BENCHMARK");
    if (env && *env)
        return env;
    return MARSAD_SOURCE_ROOT "/../shared/peers/article-extraction-benchmark";
}

static char *
s_read_gz(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = 0, cap = 1 << 16;
    char *buf = malloc(cap + 1);
    while (buf) {
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        int r = gzread(f, buf + n, (unsigned) (cap - n));
        if (r < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0)
            break;
        n += (size_t) r;
    }
    gzclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

static int
s_cmp_page(const void *a, const void *b)
{
    return strcmp(((const bench_page_t *) a)->id, ((const bench_page_t *) b)->id);
}

bench_corpus_t *
bench_corpus_load(const char *dir, const char **why)
{
    *why = NULL;
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/ground-truth.json", dir);
    if (stat(path, &sb) != 0) {
        *why = "absent";
        return NULL;
    }
    json_error_t jerr;
    json_t *gt = json_load_file(path, 0, &jerr);
    if (!json_is_object(gt)) {
        json_decref(gt);
        *why = "ground-truth.json is not a JSON object";
        return NULL;
    }
    bench_corpus_t *c = calloc(1, sizeof *c);
    if (c)
        c->pages = calloc(json_object_size(gt) + 1, sizeof *c->pages);
    if (!c || !c->pages) {
        free(c);
        json_decref(gt);
        *why = "out of memory";
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(gt, key, v) {
        bench_page_t *p = &c->pages[c->n];
        const char *body = json_string_value(json_object_get(v, "articleBody"));
        const char *url = json_string_value(json_object_get(v, "url"));
        p->id = strdup(key);
        p->truth = strdup(body ? body : "");
        p->url = url ? strdup(url) : NULL;
        snprintf(path, sizeof path, "%s/html/%s.html.gz", dir, key);
        p->html = s_read_gz(path, &p->html_len);
        c->n++;
        if (!p->id || !p->truth || (url && !p->url)) {
            *why = "out of memory";
            break;
        }
        if (!p->html) {
            *why = errno == ENOENT ? "a page named in ground-truth.json is missing"
                                   : "a page could not be read";
            break;
        }
        c->html_bytes += p->html_len;
    }
    json_decref(gt);
    if (*why) {
        bench_corpus_destroy(&c);
        return NULL;
    }
    qsort(c->pages, c->n, sizeof *c->pages, s_cmp_page);
    return c;
}

void
bench_corpus_destroy(bench_corpus_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    bench_corpus_t *c = *self_p;
    for (size_t i = 0; i < c->n; i++) {
        free(c->pages[i].id);
        free(c->pages[i].url);
        free(c->pages[i].truth);
        free(c->pages[i].html);
    }
    free(c->pages);
    free(c);
    *self_p = NULL;
}
