/*
 * store_prefill.c — a store that already holds N articles (see
 * store_prefill.h).
 *
 * The articles: 200-300 words drawn from the corpus's words with a
 * Zipf-like skew (a few words everywhere, most rare, as in news), 3-6
 * mentions of catalog names, published over the year before now; one in
 * five retells a recent one with a word in twenty changed, so stories and
 * near-duplicates are there too.  The newest are within the store's story
 * window of the benchmark's own articles, as they would be in a live
 * store.
 */
#include "store_prefill.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alert_db.h"
#include "proto.h"
#include "store_db.h"

#define S_BATCH 2000      /* articles per transaction while building */
#define S_RECENT 64

static uint64_t s_state = 0x9E3779B97F4A7C15ULL;

static uint64_t
s_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static size_t
s_zipf(uint64_t *s, size_t n)
{
    double u = (double) (s_next(s) >> 11) / 9007199254740992.0;
    size_t k = (size_t) exp(u * log((double) n));
    return k >= 1 && k <= n ? k - 1 : n - 1;
}

/* The text of article SEED: the same seed gives the same words; with
 * NOISE, a word in twenty is another (a retelling). */
static size_t
s_text(char *out, size_t cap, uint64_t seed, uint64_t *noise, char *const *vocab, size_t nv)
{
    uint64_t s = seed | 1;
    size_t words = 200 + s_next(&s) % 100, len = 0;
    for (size_t i = 0; i < words; i++) {
        const char *w = vocab[s_zipf(&s, nv)];
        if (noise && s_next(noise) % 20 == 0)
            w = vocab[s_zipf(noise, nv)];
        size_t l = strlen(w);
        if (len + l + 2 >= cap)
            break;
        memcpy(out + len, w, l);
        len += l;
        out[len++] = i % 25 == 24 ? '\n' : ' ';
    }
    out[len] = '\0';
    return len;
}

static int
s_build(const char *dir, long n, char *const *vocab, size_t nv, int n_entities)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/marsad.db", dir);
    char *err = NULL;
    store_db_t *db = store_db_open(path, &err);
    if (!db) {
        fprintf(stderr, "store_prefill: %s: %s\n", path, err ? err : "cannot open");
        free(err);
        return -1;
    }
    static char text[16384];
    uint64_t recent[S_RECENT] = { 0 };
    time_t now = time(NULL), start = now - 365 * 86400;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = 0;
    for (long i = 0; i < n && rc == 0; i++) {
        uint64_t seed = s_next(&s_state), noise = s_next(&s_state);
        bool retell = i >= S_RECENT && s_next(&s_state) % 5 == 0;
        if (retell)
            seed = recent[s_next(&s_state) % S_RECENT];
        recent[i % S_RECENT] = seed;
        s_text(text, sizeof text, seed, retell ? &noise : NULL, vocab, nv);
        char title[256];
        uint64_t ts = seed ^ 0x5bd1e995;
        snprintf(title, sizeof title, "%s %s %s %s", vocab[s_zipf(&ts, nv)],
                 vocab[s_zipf(&ts, nv)], vocab[s_zipf(&ts, nv)], vocab[s_zipf(&ts, nv)]);
        char id[32], hash[32], url[64], at[32], ents[6][16];
        snprintf(id, sizeof id, "prefill-%ld", i);
        snprintf(hash, sizeof hash, "prefill-%ld", i);
        snprintf(url, sizeof url, "https://archive.example.org/%ld", i);
        /* spread over the year, the last ones a day before the runs */
        proto_time_format((long long) (start + (time_t) ((double) i / (double) n * 364 * 86400)),
                          at);
        proto_mention_t m[6];
        uint64_t es = seed ^ 0x27d4eb2f;
        size_t n_m = 3 + s_next(&es) % 4;
        for (size_t k = 0; k < n_m; k++) {
            snprintf(ents[k], sizeof ents[k], "p%d",
                     n_entities > 0 ? (int) s_zipf(&es, (size_t) n_entities) : 0);
            m[k] = (proto_mention_t) { .entity = ents[k], .type = "person", .surface = ents[k],
                                       .start = 0, .end = 1, .sentence = 0 };
        }
        proto_article_t a = { .id = id, .source = "archive", .url = url, .title = title,
                              .text = text, .lang = "ar", .published_at = at,
                              .fetched_at = at, .content_hash = hash, .mentions = m,
                              .n_mentions = n_m };
        if (i % S_BATCH == 0 && store_db_begin(db) != 0) {
            rc = -1;
            break;
        }
        int64_t seq;
        char *story = NULL;
        bool dup;
        if (store_db_insert(db, &a, &seq, &story, &dup, &err) != 1) {
            fprintf(stderr, "store_prefill: insert %ld: %s\n", i, err ? err : "?");
            free(err);
            rc = -1;
        }
        free(story);
        if (rc == 0 && ((i + 1) % S_BATCH == 0 || i + 1 == n) && store_db_commit(db) != 0)
            rc = -1;
        if ((i + 1) % 100000 == 0) {
            struct timespec t1;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            fprintf(stderr, "  (prefill: %ld of %ld stored, %.0f s)\n", i + 1, n,
                    (double) (t1.tv_sec - t0.tv_sec));
        }
    }
    if (rc != 0)
        fprintf(stderr, "store_prefill: %s: building failed\n", path);
    store_db_close(&db);   /* checkpoints: the database is one file again */
    if (rc != 0)
        return -1;

    snprintf(path, sizeof path, "%s/alerter.db", dir);
    alert_db_t *adb = alert_db_open(path, &err);
    if (!adb || alert_db_record(adb, (int64_t) n, NULL, 0, NULL, NULL) != 0) {
        fprintf(stderr, "store_prefill: %s: %s\n", path, err ? err : "cannot record");
        free(err);
        alert_db_close(&adb);
        return -1;
    }
    alert_db_close(&adb);
    return 0;
}

static int
s_copy(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = in < 0 || out < 0 ? -1 : 0;
    static char buf[1 << 20];
    while (rc == 0) {
        ssize_t got = read(in, buf, sizeof buf);
        if (got == 0)
            break;
        if (got < 0 || write(out, buf, (size_t) got) != got)
            rc = -1;
    }
    /* On disk before the daemons start: otherwise the store's first
     * checkpoint waits for gigabytes of the copy's write-back, and the run
     * measures the copy. */
    if (rc == 0 && fsync(out) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "store_prefill: copying %s to %s: %s\n", from, to, strerror(errno));
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0)
        rc = -1;
    return rc;
}

int
store_prefill(const char *data_dir, long n, char *const *vocab, size_t n_vocab, int n_entities)
{
    if (n <= 0)
        return 0;
    if (n_vocab == 0) {
        fprintf(stderr, "store_prefill: no words to write articles with\n");
        return -1;
    }
    const char *cache = getenv("MARSAD_E2E_CACHE") ? getenv("MARSAD_E2E_CACHE")
                                                   : "/tmp/marsad-e2e-cache";
    char dir[1024], tmp[1100];
    snprintf(dir, sizeof dir, "%s/stored-v%d-%ld", cache, STORE_DB_VERSION, n);
    struct stat st;
    if (stat(dir, &st) != 0) {
        fprintf(stderr, "  (building a store of %ld articles in %s, once)\n", n, dir);
        mkdir(cache, 0700);
        snprintf(tmp, sizeof tmp, "%s.building-%d", dir, (int) getpid());
        if (mkdir(tmp, 0700) != 0 || s_build(tmp, n, vocab, n_vocab, n_entities) != 0
            || rename(tmp, dir) != 0) {
            fprintf(stderr, "store_prefill: cannot build %s (%s)\n", dir, strerror(errno));
            return -1;
        }
    }
    char from[1200], to[1200];
    mkdir(data_dir, 0700);
    const char *files[] = { "marsad.db", "alerter.db" };
    for (size_t i = 0; i < 2; i++) {
        snprintf(from, sizeof from, "%s/%s", dir, files[i]);
        snprintf(to, sizeof to, "%s/%s", data_dir, files[i]);
        if (s_copy(from, to) != 0)
            return -1;
    }
    return 0;
}
