/*
 * entity_bench.c — entity throughput against catalog size (DESIGN §5: one
 * pass over the tokens whatever the catalog's size).  Real Arabic news text
 * from ../shared/peers/ant-corpus.tar.gz (read in place: zlib and a minimal
 * tar reader, the <TEXT> of each article), the entity step
 * (entity_mentions_find: catalog scan, surname resolution, discovery) timed
 * with a 10-name and a 10,000-name catalog.  The big catalog holds the same
 * 10 entities plus 9,990 generated persons whose two-word names are random
 * pairs of words from the corpus itself, so their first words do occur and
 * are looked up.  Prints MB/s and articles/s for each and the ratio;
 * exits 77 when the corpus is absent, 1 when the big catalog is more than
 * 10% slower.  With --quiet-rest the 9,990 names are a corpus word and a
 * made-up one: every first word is looked up and found, no name occurs, so
 * the two catalogs find the same mentions and only the catalog's size
 * differs (without it, the big catalog finds about three times as many
 * mentions, and the extra output is part of what is timed).
 *   build/bench/entity-bench [--quiet-rest] [CORPUS.tar.gz] [MAX_ARTICLES]
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_ant.h"
#include "entity_catalog.h"
#include "entity_mentions.h"

static double
s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *s_real[10][3] = {
    { "essebsi", "person", "الباجي قائد السبسي|Beji Caid Essebsi" },
    { "chahed", "person", "يوسف الشاهد|Youssef Chahed" },
    { "ghannouchi", "person", "راشد الغنوشي" },
    { "ennahdha", "org", "حركة النهضة|النهضة" },
    { "nidaa", "org", "نداء تونس" },
    { "ugtt", "org", "الاتحاد العام التونسي للشغل" },
    { "tunis", "place", "تونس|Tunis" },
    { "sfax", "place", "صفاقس" },
    { "bout", "person", "فيكتور بوت|باوت|Viktor Bout" },
    { "houthis", "org", "الحوثي|أنصار الله" },
};

static char **
s_split(const char *s, size_t *n)
{
    char **v = calloc(8, sizeof(char *));
    *n = 0;
    for (const char *p = s; p && *p && *n < 8;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t) (bar - p) : strlen(p);
        v[(*n)++] = strndup(p, l);
        p = bar ? bar + 1 : NULL;
    }
    return v;
}

/* Words of the corpus, for generated names: the space-separated words of the first texts. */
static size_t
s_vocab(const bench_texts_t *t, char ***out)
{
    size_t n = 0, cap = 0;
    char **v = NULL;
    for (size_t i = 0; i < t->n && n < 200000; i++) {
        const char *p = t->v[i];
        while (*p) {
            while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
                p++;
            const char *s = p;
            while (*p && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
                p++;
            if (p - s >= 6 && (unsigned char) s[0] >= 0xD8) {
                if (n == cap) {
                    cap = cap * 2 + 1024;
                    v = realloc(v, cap * sizeof(*v));
                }
                v[n++] = strndup(s, (size_t) (p - s));
            }
        }
    }
    *out = v;
    return n;
}

static bool s_quiet_rest;

static entity_catalog_t *
s_catalog(size_t total, char **vocab, size_t nv)
{
    cfg_entity_t *e = calloc(total, sizeof(*e));
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < total; i++) {
        char buf[512];
        if (i < 10) {
            e[i].id = strdup(s_real[i][0]);
            e[i].type = strdup(s_real[i][1]);
            snprintf(buf, sizeof(buf), "%s", s_real[i][2]);
        } else {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            const char *a = vocab[x % nv];
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            const char *b = vocab[x % nv];
            if (s_quiet_rest)
                snprintf(buf, sizeof(buf), "%s Qzx%zuv|Person%zu Gen%zu", a, i, i, i * 7);
            else
                snprintf(buf, sizeof(buf), "%s %s|Person%zu Gen%zu", a, b, i, i * 7);
            if (asprintf(&e[i].id, "gen%zu", i) < 0)
                e[i].id = NULL;
            e[i].type = strdup("person");
        }
        e[i].names = s_split(buf, &e[i].n_names);
    }
    char *err = NULL;
    entity_catalog_t *c = entity_catalog_new(e, total, &err);
    if (!c)
        fprintf(stderr, "entity-bench: catalog: %s\n", err ? err : "out of memory");
    free(err);
    for (size_t i = 0; i < total; i++) {
        for (size_t k = 0; k < e[i].n_names; k++)
            free(e[i].names[k]);
        free(e[i].names);
        free(e[i].id);
        free(e[i].type);
    }
    free(e);
    return c;
}

/* Best of 3 passes of the entity step over DOCS; sets *mentions. */
static double
s_time(const entity_catalog_t *cat, text_doc_t **docs, size_t n, size_t *mentions)
{
    double best = 1e30;
    for (int pass = 0; pass < 3; pass++) {
        size_t nm = 0;
        double t0 = s_now();
        for (size_t i = 0; i < n; i++) {
            proto_mention_t *m = NULL;
            size_t k = entity_mentions_find(cat, docs[i], &m);
            if (k == (size_t) -1) {
                fprintf(stderr, "entity-bench: out of memory\n");
                exit(2);
            }
            for (size_t j = 0; j < k; j++) {
                free(m[j].entity);
                free(m[j].type);
                free(m[j].surface);
            }
            free(m);
            nm += k;
        }
        double dt = s_now() - t0;
        if (dt < best)
            best = dt;
        *mentions = nm;
    }
    return best;
}

int
main(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: entity-bench [--quiet-rest] [CORPUS.tar.gz] [MAX_ARTICLES]\n"
               "Times the entity step over real Arabic news (default: the ANT corpus in\n"
               "../shared/peers, 3000 articles) with a 10-name and a 10,000-name catalog\n"
               "and prints MB/s, articles/s and their ratio; exit 1 when the big catalog\n"
               "is more than 10%% slower, 77 when the corpus is absent.\n"
               "  --quiet-rest  the 9,990 extra names never occur (their first words do)\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--quiet-rest") == 0) {
        s_quiet_rest = true;
        argv++;
        argc--;
    }
    char def[1024];
    const char *path = argc > 1 ? argv[1] : bench_ant_default_path(def, sizeof def);
    size_t max = argc > 2 ? strtoul(argv[2], NULL, 10) : 3000;
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        fprintf(stderr, "entity-bench: %s absent, skipping\n", path);
        return 77;
    }
    fclose(probe);
    bench_texts_t t = { 0 };
    if (bench_ant_read(path, max, &t) || t.n == 0) {
        fprintf(stderr, "entity-bench: cannot read %s\n", path);
        return 2;
    }
    text_doc_t **docs = calloc(t.n, sizeof(*docs));
    double t0 = s_now();
    for (size_t i = 0; i < t.n; i++)
        if (!(docs[i] = text_doc_new(t.v[i], strlen(t.v[i]))))
            return 2;
    double t_doc = s_now() - t0;
    char **vocab = NULL;
    size_t nv = s_vocab(&t, &vocab);
    entity_catalog_t *small = s_catalog(10, vocab, nv);
    t0 = s_now();
    entity_catalog_t *big = s_catalog(10000, vocab, nv);
    double t_build = s_now() - t0;
    if (!small || !big || nv == 0)
        return 2;
    double mb = (double) t.bytes / 1e6;
    size_t m_small = 0, m_big = 0;
    /* Interleave, so neither catalog gets the warmer machine. */
    double d_small = s_time(small, docs, t.n, &m_small);
    double d_big = s_time(big, docs, t.n, &m_big);
    double d_small2 = s_time(small, docs, t.n, &m_small);
    if (d_small2 < d_small)
        d_small = d_small2;
    printf("corpus: %zu articles, %.1f MB of Arabic text (text doc: %.1f MB/s)\n", t.n, mb,
           mb / t_doc);
    printf("catalog     10 names: %7.1f MB/s %8.0f articles/s  %zu mentions\n", mb / d_small,
           (double) t.n / d_small, m_small);
    printf("catalog 10,000 names: %7.1f MB/s %8.0f articles/s  %zu mentions (built in %.2f s)\n",
           mb / d_big, (double) t.n / d_big, m_big, t_build);
    double ratio = d_small / d_big;
    printf("10,000-name throughput = %.1f%% of 10-name (target >= 90%%)\n", 100.0 * ratio);
    for (size_t i = 0; i < t.n; i++)
        text_doc_destroy(&docs[i]);
    for (size_t i = 0; i < nv; i++)
        free(vocab[i]);
    free(vocab);
    free(docs);
    bench_texts_clear(&t);
    entity_catalog_destroy(&small);
    entity_catalog_destroy(&big);
    return ratio >= 0.9 ? 0 : 1;
}
