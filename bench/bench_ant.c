/*
 * bench_ant.c — the ANT corpus reader of bench_ant.h: a ustar walk over
 * gzread (regular files only), and the <TEXT> bodies of each TREC-like
 * file inside.
 */
#include "bench_ant.h"
#include "marsad_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int
s_push(bench_texts_t *t, const char *s, size_t len)
{
    if (t->n == t->cap) {
        size_t cap = t->cap * 2 + 256;
        char **v = realloc(t->v, cap * sizeof(*v));
        if (!v)
            return -1;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n] = strndup(s, len);
    if (!t->v[t->n])
        return -1;
    t->n++;
    t->bytes += len;
    return 0;
}

/* The <TEXT> bodies of a TREC-like file. */
static int
s_take_texts(bench_texts_t *t, const char *buf, size_t len, size_t max)
{
    const char *p = buf, *end = buf + len;
    while (t->n < max) {
        const char *a = memmem(p, (size_t) (end - p), "<TEXT>", 6);
        if (!a)
            break;
        a += 6;
        const char *b = memmem(a, (size_t) (end - a), "</TEXT>", 7);
        if (!b)
            break;
        if (b - a > 64 && s_push(t, a, (size_t) (b - a)))
            return -1;
        p = b + 7;
    }
    return 0;
}

const char *
bench_ant_default_path(char *buf, size_t n)
{
    /* the environment's source root, else the one this was built from */
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    snprintf(buf, n, "%s/../shared/peers/ant-corpus.tar.gz", root ? root : MARSAD_SOURCE_ROOT);
    return buf;
}

int
bench_ant_read(const char *path, size_t max, bench_texts_t *t)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return -1;
    unsigned char hdr[512];
    char *buf = NULL;
    size_t bufcap = 0;
    int rc = 0;
    while (t->n < max && gzread(gz, hdr, 512) == 512) {
        if (hdr[0] == 0)
            break;
        size_t size = (size_t) strtoull((const char *) hdr + 124, NULL, 8);
        size_t padded = (size + 511) & ~(size_t) 511;
        if (padded + 1 > bufcap) {
            char *nb = realloc(buf, padded + 1);
            if (!nb) {
                rc = -1;
                break;
            }
            buf = nb;
            bufcap = padded + 1;
        }
        if (padded && gzread(gz, buf, (unsigned) padded) != (int) padded) {
            rc = -1;
            break;
        }
        char type = (char) hdr[156];
        if ((type == '0' || type == 0) && s_take_texts(t, buf, size, max)) {
            rc = -1;
            break;
        }
    }
    free(buf);
    gzclose(gz);
    return rc;
}

void
bench_texts_clear(bench_texts_t *t)
{
    for (size_t i = 0; t && i < t->n; i++)
        free(t->v[i]);
    if (t) {
        free(t->v);
        t->v = NULL;
        t->n = t->cap = t->bytes = 0;
    }
}
