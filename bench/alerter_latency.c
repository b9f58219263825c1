/*
 * alerter_latency.c — alerter-latency: from a `stored` event in to its alert
 * out, through the real marsad-alerter process (issue 7: p50/p99 at 100
 * articles/s, with 10 and with 10,000 watches).
 *
 * This program plays the store: it binds the PUB socket the alerter takes
 * `stored` events from and the REP socket it catches up from, and it
 * subscribes to the alerts.  The articles are real Arabic news text (the ANT
 * corpus in ../shared/peers, read in place; four texts make an article of
 * ~5 KB), each its own story and each
 * carrying a marker word one watch looks for, so each gives a `new` alert.
 * The other watches are made from the corpus's words in the shapes people
 * write (9 of them), plus, for the big sets, watches naming made-up things:
 * the cost of carrying watches that do not fire, which is what the watch
 * index is for.  Latency is from the `stored` message sent to the article's
 * first alert received, both on this side of real TCP sockets; between the
 * two the alerter decodes, matches, persists the alert (SQLite, WAL,
 * synchronous=FULL) and publishes it.  Nothing else runs: the extractor and
 * the store's own CPU are e2e-bench's business.
 *
 *   build/bench/alerter-latency [--rate 100] [--articles 1000] [--watches 10,10000]
 *
 * Exit 77 when the corpus is absent.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "bench_ant.h"
#include "daemon_spawn.h"
#include "free_port.h"
#include "proc_stat.h"
#include "proto.h"

#define MARKER "marsadbench"
#define WARMUP 20

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t s_rng = 88172645463325252ull;
static size_t s_rand(size_t n)
{
    s_rng ^= s_rng << 13;
    s_rng ^= s_rng >> 7;
    s_rng ^= s_rng << 17;
    return (size_t) (s_rng % n);
}

/* Words of the second half of the texts (the first half is sent): runs of
 * non-ASCII bytes between spaces, 6 to 30 bytes, so Arabic words without
 * punctuation.  Malloc'd strings into *OUT. */
static size_t s_words(const bench_texts_t *t, char ***out)
{
    size_t n = 0, cap = 4096;
    char **v = malloc(cap * sizeof *v);
    for (size_t d = t->n / 2; v && d < t->n && n < 20000; d++) {
        const char *p = t->v[d];
        while (*p) {
            while (*p == ' ' || *p == '\n')
                p++;
            const char *s = p;
            bool arabic = true;
            while (*p && *p != ' ' && *p != '\n') {
                if ((unsigned char) *p < 0x80)
                    arabic = false;
                p++;
            }
            size_t len = (size_t) (p - s);
            if (!arabic || len < 6 || len > 30)
                continue;
            if (n == cap) {
                cap *= 2;
                char **nv = realloc(v, cap * sizeof *v);
                if (!nv)
                    break;
                v = nv;
            }
            v[n++] = strndup(s, len);
        }
    }
    *out = v;
    return n;
}

/* The config: the alerter on ports P, watches: the marker, then N-1 more. */
static int s_config(const char *path, const char *dir, const int p[4], size_t n_watches,
                    char **words, size_t n_words)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "[pipeline]\ndata_dir = %s\nlog_level = warn\n\n"
               "[alerter]\nstored = tcp://127.0.0.1:%d\nstore_api = tcp://127.0.0.1:%d\n"
               "publish = tcp://127.0.0.1:%d\nreplay = tcp://127.0.0.1:%d\nmetrics =\n\n"
               "[watch bench-all]\nquery = " MARKER "\n\n", dir, p[0], p[1], p[2], p[3]);
    s_rng = 88172645463325252ull;
    for (size_t i = 1; i < n_watches; i++) {
        char a[64], b[64], c[64];
        if (i < 10) {
            snprintf(a, sizeof a, "%s", words[s_rand(n_words)]);
            snprintf(b, sizeof b, "%s", words[s_rand(n_words)]);
            snprintf(c, sizeof c, "%s", words[s_rand(n_words)]);
        } else {
            snprintf(a, sizeof a, "qzv%zuxa", i);
            snprintf(b, sizeof b, "qzv%zuxb", i);
            snprintf(c, sizeof c, "qzv%zuxc", i);
        }
        fprintf(f, "[watch w%zu]\nquery = ", i);
        switch (i % 5) {
        case 0: fprintf(f, "%s AND (%s OR %s)\n\n", a, b, c); break;
        case 1: fprintf(f, "\"%s %s\" OR %s\n\n", a, b, c); break;
        case 2: fprintf(f, "%s NEAR/5 %s NOT %s\n\n", a, b, c); break;
        case 3: fprintf(f, "title:%s OR %s\n\n", a, b); break;
        default: fprintf(f, "%s SENTENCE %s\n\n", a, b); break;
        }
    }
    return fclose(f);
}

/* The `stored` event SEQ: text T and the marker, its own story. */
static char *s_stored(size_t seq, const char *t)
{
    /* ANT articles are short (1.3 KB on average): four make one of the
     * length of a wire report, ~5 KB. */
    char id[32], story[32], url[64];
    snprintf(id, sizeof id, "doc-%zu", seq);
    snprintf(story, sizeof story, "s-%zu", seq);
    snprintf(url, sizeof url, "https://wire.example/%zu", seq);
    size_t tl = strlen(t);
    char *text = malloc(tl + sizeof MARKER + 2);
    if (!text)
        return NULL;
    memcpy(text, t, tl);
    memcpy(text + tl, " " MARKER, sizeof MARKER + 1);
    proto_stored_t st;
    memset(&st, 0, sizeof st);
    st.seq = (int64_t) seq;
    st.story_id = story;
    st.article = (proto_article_t) {
        .id = id, .source = "wire", .url = url, .title = (char *) "", .text = text,
        .lang = (char *) "ar", .fetched_at = (char *) "2026-11-29T10:00:00Z",
        .content_hash = (char *) "0000000000000000000000000000000000000000000000000000000000000000",
    };
    char *json = proto_stored_to_json(&st);
    free(text);
    return json;
}

typedef struct {
    void *pub, *rep, *sub;
    char **stored;          /* JSON of seq i+1 */
    size_t n_stored;        /* published so far */
    double *sent;           /* when seq i+1 was published */
    double *lat;            /* its latency, or -1 */
    size_t n_alerts;
} s_run_t;

/* Answer a catch-up request from what was published. */
static void s_serve(s_run_t *r)
{
    proto_frames_t f;
    if (proto_recv(r->rep, &f, ZMQ_DONTWAIT) != 0)
        return;
    proto_since_t q;
    int rc = proto_since_decode(&f, &q);
    proto_frames_clear(&f);
    const char **items = NULL;
    size_t n = 0;
    if (rc == 0 && q.since < (int64_t) r->n_stored) {
        items = malloc((r->n_stored - (size_t) q.since) * sizeof *items);
        for (size_t i = (size_t) (q.since > 0 ? q.since : 0); items && i < r->n_stored
             && n < (size_t) q.limit; i++)
            items[n++] = r->stored[i];
    }
    if (proto_items_encode("events", items, n, (int64_t) r->n_stored, &f) == 0)
        proto_send(r->rep, &f, 0);
    proto_frames_clear(&f);
    free(items);
}

static void s_take_alerts(s_run_t *r)
{
    proto_frames_t f;
    while (proto_recv(r->sub, &f, ZMQ_DONTWAIT) == 0) {
        double now = s_now();
        proto_alert_t a;
        if (proto_alert_decode(&f, &a) == 0) {
            r->n_alerts++;
            size_t seq = strncmp(a.story_id, "s-", 2) == 0 ? strtoul(a.story_id + 2, NULL, 10) : 0;
            if (seq >= 1 && seq <= r->n_stored && r->lat[seq - 1] < 0)
                r->lat[seq - 1] = now - r->sent[seq - 1];
            proto_alert_clear(&a);
        }
        proto_frames_clear(&f);
    }
}

static void s_publish(s_run_t *r)
{
    const char *json = r->stored[r->n_stored];
    proto_frames_t f = { .n = 2, .data = { strdup("stored"), strdup(json) },
                         .len = { 6, strlen(json) } };
    r->sent[r->n_stored++] = s_now();
    proto_send(r->pub, &f, 0);
    proto_frames_clear(&f);
}

/* Serve and listen until UNTIL (monotonic seconds). */
static void s_pump(s_run_t *r, double until)
{
    for (;;) {
        double left = until - s_now();
        if (left <= 0)
            return;
        zmq_pollitem_t it[2] = { { r->rep, 0, ZMQ_POLLIN, 0 }, { r->sub, 0, ZMQ_POLLIN, 0 } };
        int ms = (int) (left * 1000);
        if (zmq_poll(it, 2, ms < 1 ? 1 : ms) > 0) {
            if (it[0].revents & ZMQ_POLLIN)
                s_serve(r);
            if (it[1].revents & ZMQ_POLLIN)
                s_take_alerts(r);
        }
    }
}

static int s_cmpd(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* One run: N_WATCHES watches, N articles at RATE/s after a warm-up. */
static int s_one(const bench_texts_t *t, char **words, size_t n_words, size_t n_watches,
                 size_t n, double rate)
{
    char dir[] = "/tmp/marsad-alerter-latency-XXXXXX";
    if (!mkdtemp(dir))
        return -1;
    char conf[128];
    snprintf(conf, sizeof conf, "%s/marsad.conf", dir);
    int ports[4] = { free_port(), free_port(), free_port(), free_port() };
    if (s_config(conf, dir, ports, n_watches, words, n_words) != 0)
        return -1;
    size_t total = WARMUP + n;
    s_run_t r = { 0 };
    r.stored = calloc(total, sizeof *r.stored);
    r.sent = calloc(total, sizeof *r.sent);
    r.lat = malloc(total * sizeof *r.lat);
    for (size_t i = 0; i < total; i++) {
        size_t half = t->n / 2 >= 4 ? t->n / 2 : 4, k = (i * 4) % (half - 3);
        size_t len = 0;
        for (size_t j = 0; j < 4; j++)
            len += strlen(t->v[k + j]) + 2;
        char *text = malloc(len + 1), *o = text;
        for (size_t j = 0; text && j < 4; j++)
            o += sprintf(o, "%s\n\n", t->v[k + j]);
        r.stored[i] = text ? s_stored(i + 1, text) : NULL;
        free(text);
        r.lat[i] = -1;
    }
    void *ctx = zmq_ctx_new();
    r.pub = zmq_socket(ctx, ZMQ_PUB);
    r.rep = zmq_socket(ctx, ZMQ_REP);
    r.sub = zmq_socket(ctx, ZMQ_SUB);
    int hwm = 0, zero = 0;
    zmq_setsockopt(r.pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(r.sub, ZMQ_RCVHWM, &hwm, sizeof hwm);
    for (int i = 0; i < 3; i++) {
        void *s = i == 0 ? r.pub : i == 1 ? r.rep : r.sub;
        zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    }
    zmq_setsockopt(r.sub, ZMQ_SUBSCRIBE, "alert.", 6);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", ports[0]);
    zmq_bind(r.pub, ep);
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", ports[1]);
    zmq_bind(r.rep, ep);

    char log[160];
    snprintf(log, sizeof log, "%s/alerter.log", dir);
    setenv("MARSAD_ALLOW_ROOT", "1", 1);   /* a benchmark, often run as root */
    pid_t pid = daemon_spawn("alerter", conf, log, false);
    /* Its PUB is bound once it runs: connect, then warm up until the first
     * alerts come through (the slow joiner of PUB/SUB). */
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", ports[2]);
    zmq_connect(r.sub, ep);
    double t0 = s_now();
    for (size_t i = 0; i < WARMUP; i++) {
        s_publish(&r);
        s_pump(&r, s_now() + 0.1);
    }
    while (r.lat[WARMUP - 1] < 0 && s_now() - t0 < 30)
        s_pump(&r, s_now() + 0.1);
    int status = 0;
    if (r.lat[WARMUP - 1] < 0 || waitpid(pid, &status, WNOHANG) != 0) {
        fprintf(stderr, "alerter-latency: no alert from the warm-up (see %s)\n", log);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }

    double cpu0 = proc_cpu_seconds(pid);
    double start = s_now();
    for (size_t i = 0; i < n; i++) {
        s_pump(&r, start + (double) i / rate);
        s_publish(&r);
    }
    double deadline = s_now() + 10;
    while (s_now() < deadline && r.lat[total - 1] < 0)
        s_pump(&r, s_now() + 0.05);
    s_pump(&r, s_now() + 0.2);
    double cpu = proc_cpu_seconds(pid) - cpu0;
    long rss_kb = proc_status_kb(pid, "VmHWM:");
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);

    double *lat = malloc(n * sizeof *lat);
    size_t got = 0;
    for (size_t i = WARMUP; i < total; i++)
        if (r.lat[i] >= 0)
            lat[got++] = r.lat[i] * 1000;
    qsort(lat, got, sizeof *lat, s_cmpd);
    if (got > 0)
        printf("%8zu %6.0f/s %6zu %8zu | %7.2f %7.2f %7.2f %7.2f | %8.2f %8.0f\n", n_watches,
               rate, n, got, lat[got / 2], lat[(size_t) ((double) got * 0.95)],
               lat[(size_t) ((double) got * 0.99)], lat[got - 1], cpu * 1000 / (double) n,
               (double) rss_kb / 1024);
    else
        printf("%8zu %6.0f/s %6zu %8zu | no alerts (see %s)\n", n_watches, rate, n, got, log);
    fflush(stdout);

    free(lat);
    zmq_close(r.pub);
    zmq_close(r.rep);
    zmq_close(r.sub);
    zmq_ctx_term(ctx);
    for (size_t i = 0; i < total; i++)
        free(r.stored[i]);
    free(r.stored);
    free(r.sent);
    free(r.lat);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (got == n && system(cmd) != 0)
        fprintf(stderr, "alerter-latency: cannot remove %s\n", dir);
    return got == n ? 0 : -1;
}

int main(int argc, char **argv)
{
    double rate = 100;
    size_t n = 1000;
    size_t sizes[8] = { 10, 10000 }, n_sizes = 2;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc) {
            rate = atof(argv[++i]);
        } else if (strcmp(argv[i], "--articles") == 0 && i + 1 < argc) {
            n = strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--watches") == 0 && i + 1 < argc) {
            n_sizes = 0;
            for (char *s = argv[++i]; *s && n_sizes < 8; s += *s == ',') {
                char *end;
                sizes[n_sizes++] = strtoul(s, &end, 10);
                s = end;
            }
        } else {
            fprintf(stderr, "usage: alerter-latency [--rate PER_S] [--articles N] "
                            "[--watches N,N,...]\n"
                            "Plays the store to the real marsad-alerter and prints the latency "
                            "from a `stored`\nevent sent to its alert received, with each "
                            "number of watches.\n");
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (rate <= 0 || n == 0) {
        fprintf(stderr, "alerter-latency: --rate and --articles must be positive\n");
        return 2;
    }
    char path[1024];
    bench_texts_t t = { 0 };
    if (bench_ant_read(bench_ant_default_path(path, sizeof path), 2000, &t) != 0 || t.n < 4) {
        fprintf(stderr, "alerter-latency: no corpus at %s: skipped\n", path);
        return 77;
    }
    char **words = NULL;
    size_t n_words = s_words(&t, &words);
    if (n_words == 0) {
        fprintf(stderr, "alerter-latency: no words in the corpus\n");
        return 1;
    }
    printf("alerter-latency: the real marsad-alerter, this program as its store; articles of "
           "4 ANT texts (~%zu bytes), each its own story; %zu warm-up articles first\n",
           4 * t.bytes / t.n, (size_t) WARMUP);
    printf("%8s %8s %6s %8s | %7s %7s %7s %7s | %8s %8s\n", "watches", "rate", "sent", "alerted",
           "p50 ms", "p95", "p99", "max", "CPU ms/a", "RSS MiB");
    int rc = 0;
    for (size_t s = 0; s < n_sizes; s++)
        if (s_one(&t, words, n_words, sizes[s], n, rate) != 0)
            rc = 1;
    for (size_t i = 0; i < n_words; i++)
        free(words[i]);
    free(words);
    bench_texts_clear(&t);
    return rc;
}
