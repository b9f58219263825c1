/*
 * store_bench.c — `marsad-store-bench [--max N] [--dir DIR] [--paired]`:
 * how fast the store takes articles as it grows (not part of the test
 * suite; run with `meson compile -C BUILD bench-store` or the binary
 * directly).
 *
 * It inserts synthetic articles through store_db_insert exactly as the
 * daemon does (transactions of 256, the daemon's default batch_rows; WAL,
 * synchronous=FULL, full-text index, signatures, story decision) and
 * prints articles/s measured over the S_WINDOW articles after the store
 * holds 10k, 100k and 1M articles, by the wall clock and per CPU second
 * (on a busy machine the second is the fairer figure; fsync waits show in
 * the first only).  The S_WINDOW measured articles are generated before
 * their window starts, so only the store's work is timed.  Each comes
 * with the index frame the extractor sends (text_index.h: forms and
 * signatures, made from the extractor's tokens); what making it costs is
 * printed too, with the rate a store would have that had to make it.
 *
 * The articles: ~250 words drawn from a Zipf-distributed vocabulary of
 * 30,000 Arabic-script and Latin words (the 100 most frequent, half the
 * words of a text, of two letters, as function words are), 3-6 mentions of entities drawn
 * (Zipf) from 50,000 ids, published over a year; one in five is a
 * retelling of a recent article (its sentences shuffled, a few words
 * changed), so stories and near-duplicates are exercised too.  Ids and
 * content hashes are SHA-256 digests, as the pipeline's are: their unique
 * indexes take each new article on a random page, which a store pays in
 * every commit (ids counting up, as this bench had before, cost ~35% less
 * at 100k stored and hid it); a canonical URL counts up within one of
 * 50 sites.  With each
 * rate it prints how many of the window's retellings joined their
 * original's story and how many other articles joined someone else's: the
 * speed is only worth having at the same quality.  The keys of new
 * articles are merged into the key index every few thousand articles
 * (store_keyset.h), more often than not outside a window: each rate
 * counts the last merge's cost per article in place of whatever part of
 * a merge fell in its window.
 *
 * `--paired` answers "how much slower at 1M than at 100k" on a machine
 * whose speed drifts by a third within minutes: two processes fill a
 * store each, to 100k and to --max, then take turns of S_TURN articles,
 * one working while the other waits, and the median ratio is printed.
 */
#include "store_db.h"
#include "text_index.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#define S_VOCAB 30000
#define S_SHORT 100      /* the top ranks: words of two letters */
#define S_ENTITIES 50000
#define S_WINDOW 5000
#define S_BATCH 256
#define S_RECENT 64
#define S_TURN 2000      /* --paired: articles a turn */
#define S_TURNS 15       /* --paired: turns of each store */

static uint64_t s_rng = 88172645463325252ULL;

static uint64_t s_next(void)
{
    s_rng ^= s_rng << 13;
    s_rng ^= s_rng >> 7;
    s_rng ^= s_rng << 17;
    return s_rng;
}

/* A fixed, well-mixed function of X (splitmix64's finalizer). */
static uint64_t s_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static double s_unit(void) { return (double) (s_next() >> 11) / 9007199254740992.0; }

/* Zipf(1) over [0, n): inverse of the harmonic CDF, approximated. */
static size_t s_zipf(size_t n)
{
    double h = log((double) n) + 0.5772;
    size_t k = (size_t) exp(s_unit() * h);
    return k >= 1 && k <= n ? k - 1 : n - 1;
}

static char *s_vocab[S_VOCAB];

static void s_make_vocab(void)
{
    static const char *ar[] = { "ا", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ر", "ز", "س", "ش", "ص",
                                "ط", "ع", "غ", "ف", "ق", "ك", "ل", "م", "ن", "ه", "و", "ي" };
    for (size_t i = 0; i < S_VOCAB; i++) {
        char w[64] = "";
        if (i < S_SHORT) {
            /* the most frequent words are short, as function words are
             * (في من عن أن, of in to a): the signatures skip them */
            if (i % 3 == 0)
                snprintf(w, sizeof w, "%c%c", 'a' + (int) (i / 3 % 26), 'a' + (int) (i / 78));
            else
                snprintf(w, sizeof w, "%s%s", ar[i % 25], ar[i / 25]);
            s_vocab[i] = strdup(w);
            continue;
        }
        size_t len = 3 + s_next() % 5;
        for (size_t k = 0; k < len; k++) {
            if (i % 3 == 0) {
                char c[2] = { (char) ('a' + s_next() % 26), 0 };
                strcat(w, c);
            } else {
                strcat(w, ar[s_next() % 25]);
            }
        }
        s_vocab[i] = strdup(w);
    }
}

typedef struct {
    char *text, *title;
    size_t ent[6], n_ent;
    long n, base;        /* its number, and the one it retells (-1: none) */
    char *story;         /* the story the store put it in, once inserted */
} s_art_t;

static void s_make(s_art_t *a, const s_art_t *base)
{
    size_t cap = 8192, len = 0;
    a->text = malloc(cap);
    if (base) {
        /* a retelling: the base's sentences in another order, some words changed */
        const char *sents[64];
        size_t ns = 0;
        char *copy = strdup(base->text);
        for (char *tok = strtok(copy, "\n"); tok && ns < 64; tok = strtok(NULL, "\n"))
            sents[ns++] = tok;
        for (size_t i = ns; i > 1; i--) {
            size_t j = s_next() % i;
            const char *t = sents[i - 1];
            sents[i - 1] = sents[j];
            sents[j] = t;
        }
        for (size_t i = 0; i < ns; i++) {
            size_t l = strlen(sents[i]);
            if (len + l + 64 > cap)
                break;
            memcpy(a->text + len, sents[i], l);
            len += l;
            if (s_next() % 2) {
                const char *w = s_vocab[s_zipf(S_VOCAB)];
                a->text[len++] = ' ';
                memcpy(a->text + len, w, strlen(w));
                len += strlen(w);
            }
            a->text[len++] = '\n';
        }
        free(copy);
        memcpy(a->ent, base->ent, sizeof a->ent);
        a->n_ent = base->n_ent;
        a->base = base->n;
    } else {
        a->base = -1;
        size_t words = 200 + s_next() % 100;
        for (size_t i = 0; i < words; i++) {
            const char *w = s_vocab[s_zipf(S_VOCAB)];
            size_t l = strlen(w);
            if (len + l + 2 > cap)
                break;
            memcpy(a->text + len, w, l);
            len += l;
            a->text[len++] = i % 20 == 19 ? '\n' : ' ';
        }
        a->n_ent = 3 + s_next() % 4;
        for (size_t i = 0; i < a->n_ent; i++)
            a->ent[i] = s_zipf(S_ENTITIES);
    }
    a->text[len] = '\0';
    /* ten words, five or six of them content words, as before the short
     * function words took the top ranks */
    char title[512] = "";
    for (size_t i = 0; i < 10; i++) {
        strcat(title, s_vocab[s_zipf(S_VOCAB)]);
        strcat(title, " ");
    }
    a->title = strdup(title);
}

static double s_clock(clockid_t which)
{
    struct timespec ts;
    clock_gettime(which, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static double s_now(void) { return s_clock(CLOCK_MONOTONIC); }

static void s_usage(FILE *to)
{
    fprintf(to, "usage: marsad-store-bench [--max N] [--dir DIR] [--paired]\n"
                "  --max N    stop after the mark at N stored articles (10000, 100000 or\n"
                "             1000000; default 1000000)\n"
                "  --dir DIR  where the scratch database is made (default /tmp); it is\n"
                "             deleted at the end\n"
                "  --paired   two stores, of 100000 and of N articles, in two processes\n"
                "             measured in turns of %d articles, %d turns each: the ratio\n"
                "             of their rates under the same machine conditions\n",
            S_TURN, S_TURNS);
}

/* One generated article and the strings its proto_article_t points to. */
typedef struct {
    s_art_t a;
    char id[80], hash[72], url[64], pub[32], ents[6][16];
    proto_mention_t m[6];
    proto_article_t pa;
} s_item_t;

/* Article number N of a run to MAX: fill IT (its text and title are
 * malloc'd, owned by it.a; the rest points into IT). */
static void s_item(s_item_t *it, long n, long max, const s_art_t *recent)
{
    s_make(&it->a, n > S_RECENT && s_next() % 5 == 0 ? &recent[s_next() % S_RECENT] : NULL);
    it->a.n = n;
    it->a.story = NULL;
    /* Ids and content hashes are SHA-256 digests in the pipeline, in no
     * order (their unique indexes take each insert on a random page, as
     * in a real store); the canonical URL counts up within its site. */
    uint64_t h[4];
    for (int k = 0; k < 4; k++)
        h[k] = s_mix((uint64_t) n * 4 + (uint64_t) k);
    snprintf(it->id, sizeof it->id, "sha256:%016llx%016llx%016llx%016llx",
             (unsigned long long) h[0], (unsigned long long) h[1], (unsigned long long) h[2],
             (unsigned long long) h[3]);
    snprintf(it->hash, sizeof it->hash, "%016llx%016llx%016llx%016llx",
             (unsigned long long) h[3], (unsigned long long) h[2], (unsigned long long) h[0],
             (unsigned long long) h[1]);
    snprintf(it->url, sizeof it->url, "https://site%02ld.example/news/%08ld", n % 50, n / 50);
    long day = n * 365 / (max > 0 ? max : 1);
    struct tm tm = { .tm_year = 125, .tm_mon = 0, .tm_mday = 1 + (int) day,
                     .tm_hour = (int) (n % 24) };
    time_t t = timegm(&tm);
    strftime(it->pub, sizeof it->pub, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    for (size_t i = 0; i < it->a.n_ent; i++) {
        snprintf(it->ents[i], sizeof it->ents[i], "e%zu", it->a.ent[i]);
        it->m[i] = (proto_mention_t) { .entity = it->ents[i], .type = "person", .surface = "x",
                                       .start = 0, .end = 1, .sentence = 0 };
    }
    it->pa = (proto_article_t) {
        .id = it->id, .source = "bench", .url = it->url, .canonical_url = it->url,
        .title = it->a.title,
        .text = it->a.text, .lang = "ar", .published_at = it->pub, .fetched_at = it->pub,
        .content_hash = it->hash, .mentions = it->m, .n_mentions = it->a.n_ent,
    };
    /* The index frame the extractor sends with the article. */
    text_index_t idx;
    if (text_index_of(it->a.title, it->a.text, &idx) == 0) {
        if (text_index_encode(&idx, &it->pa.index, &it->pa.index_len) != 0)
            it->pa.index = NULL;
        text_index_clear(&idx);
    }
}

/* A scratch store in DIR, its path into PATH (of SIZE bytes), and the
 * vocabulary the articles are made of.  NULL (said) on failure. */
static store_db_t *s_open(const char *dir, char *path, size_t size)
{
    snprintf(path, size, "%s/marsad-bench-%d.db", dir, (int) getpid());
    char *err = NULL;
    store_db_t *db = store_db_open(path, &err);
    if (!db) {
        fprintf(stderr, "store_bench: %s\n", err);
        free(err);
        return NULL;
    }
    s_make_vocab();
    return db;
}

/* Free the articles ITEMS and RECENT hold, and delete the scratch
 * database at PATH with its log. */
static void s_cleanup(const char *path, s_item_t *items, s_art_t *recent)
{
    free(items);
    for (size_t i = 0; i < S_RECENT; i++) {
        free(recent[i].text);
        free(recent[i].title);
        free(recent[i].story);
    }
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    unlink(path);
}

/* Store IT as article N in transactions of S_BATCH (*IN_TX: one is
 * open); recent[] takes its text for retellings.  Returns 0 or -1. */
static int s_store(store_db_t *db, s_item_t *it, long n, s_art_t *recent, bool *in_tx)
{
    if (!*in_tx) {
        if (store_db_begin(db) != 0)
            return -1;
        *in_tx = true;
    }
    int64_t seq;
    char *story = NULL, *err = NULL;
    bool dup;
    if (store_db_insert(db, &it->pa, &seq, &story, &dup, &err) != 1) {
        fprintf(stderr, "store_bench: insert: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    free(it->pa.index);
    it->pa.index = NULL;
    size_t slot = (size_t) n % S_RECENT;
    free(recent[slot].text);
    free(recent[slot].title);
    free(recent[slot].story);
    recent[slot] = it->a;
    recent[slot].story = story;
    if ((n + 1) % S_BATCH == 0) {
        if (store_db_commit(db) != 0)
            return -1;
        *in_tx = false;
    }
    return 0;
}

/* The CPU seconds of a window of N articles that took CPU seconds from
 * the clock, with the key merges (store_db_merge_stats) amortized: the
 * merge steps that fell in the window (CPU seconds IN_WINDOW) are taken
 * out, and the last complete merge's cost per article is put in.  A
 * merge comes every ~16,000 articles at 100k stored (~44,000 at 1M), so a
 * window of 5,000 holds all of one, part of one or none. */
static double s_amortized(store_db_t *db, double cpu, double in_window, long n)
{
    store_db_merge_stats_t ms;
    store_db_merge_stats(db, &ms);
    double per = ms.last_articles > 0 ? ms.last_cpu / (double) ms.last_articles : 0;
    return cpu - in_window + per * (double) n;
}

/* CPU seconds spent merging keys so far. */
static double s_merge_cpu(store_db_t *db)
{
    store_db_merge_stats_t ms;
    store_db_merge_stats(db, &ms);
    return ms.cpu_total;
}

/* One turn of --paired: S_TURN articles made first, then stored with the
 * clock running.  Returns articles per CPU second, or -1. */
static double s_turn(store_db_t *db, long *n, long max, s_art_t *recent, s_item_t *items,
                     bool *in_tx)
{
    s_art_t ahead[S_RECENT];
    memcpy(ahead, recent, sizeof ahead);
    for (long k = 0; k < S_TURN; k++) {
        s_item(&items[k], *n + k, max, ahead);
        ahead[(size_t) (*n + k) % S_RECENT] = items[k].a;
    }
    double c0 = s_clock(CLOCK_PROCESS_CPUTIME_ID), m0 = s_merge_cpu(db);
    for (long k = 0; k < S_TURN; k++, (*n)++)
        if (s_store(db, &items[k], *n, recent, in_tx) != 0)
            return -1;
    if (*in_tx) {
        if (store_db_commit(db) != 0)
            return -1;
        *in_tx = false;
    }
    return S_TURN / s_amortized(db, s_clock(CLOCK_PROCESS_CPUTIME_ID) - c0,
                                s_merge_cpu(db) - m0, S_TURN);
}

/* --paired: a store of 100,000 articles and one of MAX, in two processes
 * (forked before either opens SQLite), filled with the same articles;
 * then they take turns, one process working while the other waits on a
 * pipe, so that both see the machine of the same minutes.  The machine's
 * speed moves by a third within minutes here, more than the difference
 * to be measured, and a run to 1M takes eight.  Prints each pair and the
 * median ratio. */
static int s_paired(const char *dir, long max)
{
    int to_big[2], to_small[2];
    if (pipe(to_big) != 0 || pipe(to_small) != 0) {
        perror("store_bench: pipe");
        return 1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("store_bench: fork");
        return 1;
    }
    bool big = pid == 0;
    /* each keeps only its own ends, so that a read sees the other's exit */
    close(big ? to_big[1] : to_big[0]);
    close(big ? to_small[0] : to_small[1]);
    long target = big ? max : 100000;
    char path[512];
    store_db_t *db = s_open(dir, path, sizeof path);
    if (!db)
        return 1;
    s_art_t recent[S_RECENT];
    memset(recent, 0, sizeof recent);
    s_item_t *items = calloc(S_TURN, sizeof *items);
    if (!items)
        return 1;
    bool in_tx = false;
    long n = 0;
    int rc = 1;
    double start = s_now();
    for (; n < target; n++) {
        s_item_t it;
        s_item(&it, n, max, recent);
        if (s_store(db, &it, n, recent, &in_tx) != 0)
            goto out;
        if (big && (n + 1) % 100000 == 0)
            fprintf(stderr, "  (%ld stored, %.0f s)\n", n + 1, s_now() - start);
    }
    double other, mine, ratios[S_TURNS];
    if (big) {
        /* the small one waits for this to be full */
        other = -1;
        if (write(to_small[1], &other, sizeof other) != sizeof other)
            goto out;
    } else {
        if (read(to_small[0], &other, sizeof other) != sizeof other)
            goto out;
        printf("paired turns of %d articles: a store of 100000 and one of %ld, one at a time\n",
               S_TURN, max);
    }
    /* Turn 0 is not counted: the small store's pages went cold while the
     * big one filled. */
    for (int t = -1; t < S_TURNS; t++) {
        if (big) {
            if (read(to_big[0], &other, sizeof other) != sizeof other)
                goto out;
            if ((mine = s_turn(db, &n, max, recent, items, &in_tx)) < 0
                || write(to_small[1], &mine, sizeof mine) != sizeof mine)
                goto out;
        } else {
            if ((mine = s_turn(db, &n, max, recent, items, &in_tx)) < 0
                || write(to_big[1], &mine, sizeof mine) != sizeof mine
                || read(to_small[0], &other, sizeof other) != sizeof other)
                goto out;
            if (t < 0)
                continue;
            ratios[t] = other / mine;
            printf("  turn %d: %8.0f per CPU second at %ld stored, %8.0f at %ld: %+.0f%%\n",
                   t + 1, mine, n - S_TURN, other, max + (long) (t + 1) * S_TURN,
                   (ratios[t] - 1) * 100);
        }
    }
    if (!big) {
        for (int i = 1; i < S_TURNS; i++)
            for (int j = i; j > 0 && ratios[j] < ratios[j - 1]; j--) {
                double x = ratios[j];
                ratios[j] = ratios[j - 1];
                ratios[j - 1] = x;
            }
        printf("  median: the store of %ld runs %+.0f%% against the store of 100000"
               " (turns from %+.0f%% to %+.0f%%)\n", max, (ratios[S_TURNS / 2] - 1) * 100,
               (ratios[0] - 1) * 100, (ratios[S_TURNS - 1] - 1) * 100);
    }
    rc = 0;
out:
    store_db_close(&db);
    s_cleanup(path, items, recent);
    if (big)
        _exit(rc);
    int status;
    waitpid(pid, &status, 0);
    return rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int main(int argc, char **argv)
{
    long max = 1000000;
    const char *dir = "/tmp";
    bool paired = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            s_usage(stdout);
            return 0;
        }
        char *end = NULL;
        if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
            max = strtol(argv[++i], &end, 10);
            if (!*argv[i] || *end || max < 0) {
                fprintf(stderr, "marsad-store-bench: bad --max: %s\n", argv[i]);
                s_usage(stderr);
                return 2;
            }
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--paired") == 0) {
            paired = true;
        } else {
            fprintf(stderr, "marsad-store-bench: unknown or incomplete option: %s\n", argv[i]);
            s_usage(stderr);
            return 2;
        }
    }
    if (paired) {
        if (max <= 100000) {
            fprintf(stderr, "marsad-store-bench: --paired needs --max above 100000\n");
            return 2;
        }
        return s_paired(dir, max);
    }
    if (paired) {
        if (max <= 100000) {
            fprintf(stderr, "marsad-store-bench: --paired needs --max above 100000\n");
            return 2;
        }
        return s_paired(dir, max);
    }
    char path[512];
    store_db_t *db = s_open(dir, path, sizeof path);
    if (!db)
        return 1;
    const long marks[] = { 10000, 100000, 1000000 };
    s_art_t recent[S_RECENT];
    memset(recent, 0, sizeof recent);
    s_item_t *items = calloc(S_WINDOW, sizeof *items);
    if (!items) {
        fprintf(stderr, "store_bench: out of memory\n");
        return 1;
    }
    printf("store benchmark: %s (articles/s over %d articles, transactions of %d)\n", path,
           S_WINDOW, S_BATCH);
    long n = 0, measured_from = -1, retold = 0, joined = 0, fresh = 0, strayed = 0;
    size_t mark = 0;
    double t0 = 0, c0 = 0, m0 = 0, start = s_now(), index_us = 0;
    int64_t p0 = 0;
    uint64_t reads0 = 0;
    bool in_tx = false;
    while (n < max + S_WINDOW && mark < 3) {
        if (measured_from < 0 && n == marks[mark]) {
            /* The window's articles are made first, in the order and with
             * the retellings they would have had, then the clocks start. */
            s_art_t ahead[S_RECENT];
            memcpy(ahead, recent, sizeof ahead);
            for (long k = 0; k < S_WINDOW; k++) {
                s_item(&items[k], n + k, max, ahead);
                ahead[(size_t) (n + k) % S_RECENT] = items[k].a;
            }
            /* What the extractor spends on the index frames (and the store
             * would, given articles without them). */
            double i0 = s_clock(CLOCK_PROCESS_CPUTIME_ID);
            for (long k = 0; k < S_WINDOW; k++) {
                text_index_t idx;
                if (text_index_of(items[k].a.title, items[k].a.text, &idx) == 0)
                    text_index_clear(&idx);
            }
            index_us = (s_clock(CLOCK_PROCESS_CPUTIME_ID) - i0) * 1e6 / S_WINDOW;
            measured_from = n;
            reads0 = store_db_candidates_read(db);
            t0 = s_now();
            c0 = s_clock(CLOCK_PROCESS_CPUTIME_ID);
            m0 = s_merge_cpu(db);
            p0 = store_db_pages_written(db);
        }
        s_item_t one, *it = &one;
        if (measured_from >= 0)
            it = &items[n - measured_from];
        else
            s_item(it, n, max, recent);
        size_t slot = (size_t) n % S_RECENT;
        if (!in_tx) {
            if (store_db_begin(db) != 0)
                return 1;
            in_tx = true;
        }
        int64_t seq;
        char *story = NULL, *err = NULL;
        bool dup;
        if (store_db_insert(db, &it->pa, &seq, &story, &dup, &err) != 1) {
            fprintf(stderr, "store_bench: insert: %s\n", err ? err : "?");
            return 1;
        }
        /* Story quality over the window: a retelling should join its
         * original's story (still in recent[]: it is one of the last
         * S_RECENT), any other article a story of its own. */
        if (measured_from >= 0 && story) {
            const s_art_t *b = it->a.base >= 0 ? &recent[(size_t) it->a.base % S_RECENT] : NULL;
            if (b && b->n == it->a.base && b->story) {
                retold++;
                joined += strcmp(story, b->story) == 0;
            } else if (!b) {
                fresh++;
                strayed += strcmp(story, it->id) != 0;
            }
        }
        free(it->pa.index);
        it->pa.index = NULL;
        free(recent[slot].text);
        free(recent[slot].title);
        free(recent[slot].story);
        recent[slot] = it->a;
        recent[slot].story = story;
        n++;
        if (n % S_BATCH == 0 || (measured_from >= 0 && n == measured_from + S_WINDOW)) {
            if (store_db_commit(db) != 0)
                return 1;
            in_tx = false;
        }
        if (measured_from >= 0 && n == measured_from + S_WINDOW) {
            double rate = S_WINDOW / (s_now() - t0);
            double in_window = s_merge_cpu(db) - m0;
            double cpu = S_WINDOW / s_amortized(db, s_clock(CLOCK_PROCESS_CPUTIME_ID) - c0,
                                                in_window, S_WINDOW);
            printf("  at %8ld stored: %8.0f articles/s (wall clock), %8.0f per CPU second;"
                   " %ld of %ld retellings joined their original's story, %ld of %ld others"
                   " joined another\n", measured_from, rate, cpu, joined, retold, strayed, fresh);
            printf("             (the index frame, computed by the extractor: %.0f µs an article;"
                   " %.0f per CPU second if the store had to compute it)\n", index_us,
                   1e6 / (1e6 / cpu + index_us));
            printf("             (story candidates read from the file, not memory: %.2f an"
                   " article; pages written to the log: %.2f an article)\n",
                   (double) (store_db_candidates_read(db) - reads0) / S_WINDOW,
                   (double) (store_db_pages_written(db) - p0) / S_WINDOW);
            store_db_merge_stats_t ms;
            store_db_merge_stats(db, &ms);
            if (ms.merges)
                printf("             (key merges, counted in the rate per CPU second: the last"
                       " filed %ld articles' keys in %.0f ms of CPU, %.1f µs an article; %.0f ms"
                       " of merging fell in this window)\n", ms.last_articles, ms.last_cpu * 1e3,
                       ms.last_cpu * 1e6 / (double) ms.last_articles, in_window * 1e3);
            else
                printf("             (no key merge yet: the keys of every article stored wait"
                       " in memory)\n");
            retold = joined = fresh = strayed = 0;
            fflush(stdout);
            measured_from = -1;
            mark++;
            if (mark < 3 && marks[mark] > max)
                break;
        }
        if (n % 100000 == 0) {
            fprintf(stderr, "  (%ld stored, %.0f s)\n", n, s_now() - start);
        }
    }
    if (in_tx)
        store_db_commit(db);
    store_db_close(&db);
    /* The window's articles were handed to recent[] one by one as inserted
     * (the last S_RECENT of them are freed below); a window cut short by
     * --max leaves none behind, since it always runs to its end. */
    s_cleanup(path, items, recent);
    return 0;
}
