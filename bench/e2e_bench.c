/*
 * e2e_bench.c — the end-to-end benchmark (issue 10): how much news can
 * marsad watch, and how fast does an alert come?
 *
 * Real processes on real sockets with real SQLite files: marsad-store,
 * marsad-alerter and N marsad-extractor processes run on loopback from a
 * temporary directory.  This program takes the fetcher's place on its PUSH
 * socket (so it knows when each raw document leaves) and sends article
 * pages of 30-150 KB: real Arabic news text from
 * ../shared/peers/ant-corpus.tar.gz and generated English text, each inside
 * a page of boilerplate (menus, related lists, share bars, a cookie banner,
 * comments, scripts).  It subscribes to the store's `stored` events and to
 * the alerts, so it sees each article twice more: stored, alerted.  Every
 * page carries a marker word that one watch looks for, so every story
 * alerts (an article that joins an earlier story alerts only when it brings
 * something new); the other watches (10 or 10,000, made from the corpus's
 * words in the shapes people write) and a catalog of 5,000 names make the
 * work realistic.  Latencies are those of the articles that alerted.
 *
 * Printed per run: articles/s, latency percentiles (raw sent -> stored,
 * raw sent -> alert received, stored -> alert), and CPU seconds and peak
 * RSS per process.  The default runs: 100 articles/s with 10 and with
 * 10,000 watches, then as fast as the pipeline goes with 1, 2 and 4
 * extractors.
 *
 *   build/bench/e2e-bench                       all the default runs
 *   build/bench/e2e-bench RATE N WATCHES EXTRACTORS   one run (RATE 0: saturation)
 *
 * The fetcher is not in this path (it is measured by fetch-bench and by
 * tests/load.sh).  Exit 77 when the corpus is absent.
 */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "bench_ant.h"
#include "daemon_spawn.h"
#include "free_port.h"
#include "proc_stat.h"
#include "html_extract.h"
#include "proto.h"
#include "store_prefill.h"

#define MARKER "marsadbench"
#define MAX_EXTRACTORS 8
#define CATALOG_NAMES 5000

typedef struct {
    char *page;
    size_t len;
} s_page_t;

static bench_texts_t s_ar;          /* ANT texts */
static char **s_vocab;              /* words of the corpus, for watches and names */
static size_t s_nvocab;
static size_t s_page_bytes;

static int64_t
s_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint32_t s_seed = 2463534242u;
static uint32_t
s_rand(void)
{
    s_seed ^= s_seed << 13;
    s_seed ^= s_seed >> 17;
    s_seed ^= s_seed << 5;
    return s_seed;
}

/* ---------------------------------------------------------------- pages */

static const char *s_sections[] = {
    "الرئيسية", "أخبار", "سياسة", "اقتصاد", "رياضة", "ثقافة", "منوعات", "تكنولوجيا", "صحة",
    "العالم", "الشرق الأوسط", "مقالات", "فيديو", "صور", "Home", "World", "Business", "Sport",
    "Culture", "Opinion", "Video", "Live", "Weather", "Newsletters",
};

typedef struct {
    char *p;
    size_t n, cap;
} s_buf_t;

static void
s_put(s_buf_t *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void
s_puts(s_buf_t *b, const char *s)
{
    s_put(b, s, strlen(s));
}

static void
s_printf(s_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
s_printf(s_buf_t *b, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        s_put(b, tmp, (size_t) n < sizeof tmp ? (size_t) n : sizeof tmp - 1);
}

/* A generated English wire story of about 500 words.  Its sentences are
 * drawn from many words, so no two stories are near-duplicates (the store
 * would rightly make them one story, and one alert). */
static void
s_english(s_buf_t *b, int k)
{
    static const char *subj[] = { "The defence ministry", "A European security official",
                                  "Customs officers", "The shipping company", "Two diplomats",
                                  "The port authority", "Investigators", "A spokesman" };
    static const char *verb[] = { "said", "told reporters", "confirmed", "denied", "reported" };
    static const char *noun[] = {
        "cargo", "rifles", "drones", "fuel", "contract", "militia", "convoy", "border", "broker",
        "tanker", "coast", "harbour", "envoy", "treaty", "sanctions", "pipeline", "airport",
        "customs", "garrison", "shipment", "tribunal", "refinery", "parliament", "province",
        "railway", "ceasefire", "frigate", "warehouse", "auditor", "minister", "council",
        "embassy", "cartel", "invoice", "ledger", "freighter", "checkpoint", "smugglers",
        "ammunition", "artillery", "helicopter", "satellite", "insurance", "bank", "charter",
    };
    size_t nn = sizeof noun / sizeof noun[0];
    /* place names made of syllables: thousands of them, so that two stories
     * share few words beyond the everyday ones */
    static const char *syl[] = { "ka", "lo", "mer", "tan", "vi", "dor", "sel", "ru", "beth",
                                 "os", "gra", "nim", "pel", "zu", "har", "quin", "ted", "ya" };
    for (int s = 0; s < 30; s++) {
        char place[3][16];
        for (int p = 0; p < 3; p++) {
            place[p][0] = '\0';
            for (int q = 0; q < 3; q++)
                strcat(place[p], syl[s_rand() % 18]);
            place[p][0] = (char) (place[p][0] - 'a' + 'A');
        }
        s_printf(b, "<p>%s %s in %s that the %s and the %s near %s were linked to %s %s in %s, "
                 "case %d-%d.</p>\n", subj[s_rand() % 8], verb[s_rand() % 5], place[0],
                 noun[s_rand() % nn], noun[s_rand() % nn], place[1], noun[s_rand() % nn],
                 noun[s_rand() % nn], place[2], k, s);
    }
}

/* The page of article K: boilerplate of about TARGET bytes around it. */
static s_page_t
s_make_page(int k, size_t target)
{
    s_buf_t b = { 0 };
    bool ar = k % 2 == 0 && s_ar.n > 0;
    s_printf(&b, "<!DOCTYPE html><html lang=\"%s\"%s><head><meta charset=\"utf-8\">"
             "<title>%s %d | Wire</title><meta property=\"article:published_time\" "
             "content=\"2026-11-%02dT%02d:00:00Z\"><style>", ar ? "ar" : "en",
             ar ? " dir=\"rtl\"" : "", ar ? "تقرير" : "Report", k, 1 + k % 28, k % 24);
    for (int i = 0; i < 40; i++)
        s_printf(&b, ".c%d{margin:%dpx;padding:%dpx;color:#%06x}", i, i, i * 2, s_rand() & 0xffffff);
    s_puts(&b, "</style></head><body><div class=\"cookie-banner\">We use cookies. "
               "<button>Accept all</button><button>Manage preferences</button></div>"
               "<header><nav class=\"menu\"><ul>");
    for (size_t i = 0; i < sizeof s_sections / sizeof s_sections[0]; i++)
        s_printf(&b, "<li><a href=\"/s/%zu\">%s</a></li>", i, s_sections[i]);
    s_puts(&b, "</ul></nav></header><main><article>");
    if (ar) {
        const char *t = s_ar.v[(size_t) (k / 2) % s_ar.n];
        /* the headline: the story's own first words */
        int hl = 0, words = 0;
        while (t[hl] && words < 8 && hl < 200)
            words += t[hl++] == ' ';
        s_puts(&b, "<h1>");
        for (int i = 0; i < hl; i++)
            if (t[i] != '<' && t[i] != '&' && t[i] != '\n')
                s_put(&b, t + i, 1);
        s_puts(&b, "</h1>\n<p>");
        for (const char *p = t; *p; p++) {
            if (*p == '\n' && p[1] == '\n')
                s_puts(&b, "</p>\n<p>");
            else if (*p == '<')
                s_puts(&b, "&lt;");
            else if (*p == '&')
                s_puts(&b, "&amp;");
            else
                s_put(&b, p, 1);
        }
        s_printf(&b, " %s</p>\n", MARKER);
    } else {
        static const char *what[] = { "Arms broker", "Port", "Drone maker", "Shipping firm",
                                      "Envoy", "Militia", "Bank", "Refinery" };
        static const char *how[] = { "under scrutiny", "denies report", "named in probe",
                                     "faces sanctions", "linked to cargo", "in talks" };
        s_printf(&b, "<h1>%s %s over case %u</h1>\n", what[s_rand() % 8], how[s_rand() % 6],
                 s_rand() % 100000);
        s_english(&b, k);
        s_printf(&b, "<p>%s</p>\n", MARKER);
    }
    s_puts(&b, "</article><div class=\"share\"><a>Share on X</a><a>Facebook</a><a>WhatsApp</a>"
               "</div><aside class=\"related\"><h2>Related news</h2><ul>");
    while (b.n + 2000 < target) {   /* the related lists and scripts make up the size */
        for (int i = 0; i < 10 && b.n + 2000 < target; i++) {
            size_t w = s_nvocab ? s_rand() % s_nvocab : 0;
            s_printf(&b, "<li><a href=\"/n/%u\">%s %s %s</a></li>", s_rand(),
                     s_nvocab ? s_vocab[w] : "news", s_nvocab ? s_vocab[(w + 7) % s_nvocab] : "",
                     s_nvocab ? s_vocab[(w + 13) % s_nvocab] : "");
        }
        s_printf(&b, "<script>window.__d%u={a:%u,b:\"%08x%08x\",c:[1,2,3,4,5,6,7,8]};</script>",
                 s_rand(), s_rand(), s_rand(), s_rand());
    }
    s_puts(&b, "</ul></aside><section class=\"comments\"><h3>Comments</h3><p>Be the first to "
               "comment.</p></section></main><footer><p>© Wire 2026</p><a>About</a>"
               "<a>Contact</a><a>Privacy</a></footer></body></html>");
    s_page_t pg = { b.p, b.n };
    return pg;
}

/* ------------------------------------------------------------- pipeline */

typedef struct {
    char tmp[128], conf[256];
    int port[6];    /* raw, article, store pub, store api, alerts, replay */
    pid_t store, alerter, ext[MAX_EXTRACTORS];
    int n_ext;
} s_world_t;

static pid_t
s_spawn(s_world_t *w, const char *stage, int k)
{
    char log[300];
    snprintf(log, sizeof log, "%s/%s-%d.log", w->tmp, stage, k);
    setenv("MARSAD_ALLOW_ROOT", "1", 1);   /* a benchmark, often run as root */
    return daemon_spawn(stage, w->conf, log, false);
}

static void
s_stop(pid_t *pid)
{
    if (*pid > 0) {
        kill(*pid, SIGTERM);
        waitpid(*pid, NULL, 0);
        *pid = 0;
    }
}

static int
s_world_start(s_world_t *w, int n_watches, int n_ext, long n_stored)
{
    memset(w, 0, sizeof *w);
    snprintf(w->tmp, sizeof w->tmp, "/tmp/marsad-e2e-XXXXXX");
    if (!mkdtemp(w->tmp))
        return -1;
    snprintf(w->conf, sizeof w->conf, "%s/marsad.conf", w->tmp);
    for (int i = 0; i < 6; i++)
        w->port[i] = free_port();
    FILE *f = fopen(w->conf, "w");
    if (!f)
        return -1;
    int *p = w->port;
    fprintf(f, "[pipeline]\ndata_dir = data\nlog_level = warn\n\n"
            "[fetcher]\nbind = tcp://127.0.0.1:%d\nack = tcp://127.0.0.1:%d\nmetrics =\n\n"
            "[extractor]\nraw = tcp://127.0.0.1:%d\narticle = tcp://127.0.0.1:%d\nmetrics =\n\n"
            "[store]\nbind = tcp://127.0.0.1:%d\npublish = tcp://127.0.0.1:%d\n"
            "api = tcp://127.0.0.1:%d\nmetrics =\n\n"
            "[alerter]\nstored = tcp://127.0.0.1:%d\nstore_api = tcp://127.0.0.1:%d\n"
            "publish = tcp://127.0.0.1:%d\nreplay = tcp://127.0.0.1:%d\nmetrics =\n\n"
            "[watch bench-all]\nquery = %s\n\n",
            p[0], p[2], p[0], p[1], p[1], p[2], p[3], p[2], p[3], p[4], p[5], MARKER);
    /* The catalog: 5,000 persons named by pairs of corpus words, and a few
     * real entities. */
    fprintf(f, "[entity bout]\ntype = person\nnames = Viktor Bout|فيكتور بوت|باوت|بوت\n"
            "epithets = merchant of death|تاجر الموت\n\n"
            "[entity houthis]\ntype = org\nnames = Houthis|الحوثي|أنصار الله\n\n");
    for (int i = 0; i < CATALOG_NAMES && s_nvocab > 1; i++)
        fprintf(f, "[entity p%d]\ntype = person\nnames = %s %s\n\n", i,
                s_vocab[s_rand() % s_nvocab], s_vocab[s_rand() % s_nvocab]);
    /* The other watches, in the shapes people write. */
    for (int i = 1; i < n_watches && s_nvocab > 2; i++) {
        const char *a = s_vocab[s_rand() % s_nvocab], *b = s_vocab[s_rand() % s_nvocab],
                   *c = s_vocab[s_rand() % s_nvocab];
        switch (i % 5) {
        case 0: fprintf(f, "[watch w%d]\nquery = %s AND (%s OR %s)\n\n", i, a, b, c); break;
        case 1: fprintf(f, "[watch w%d]\nquery = \"%s %s\"\n\n", i, a, b); break;
        case 2: fprintf(f, "[watch w%d]\nquery = %s NEAR/5 %s NOT %s\n\n", i, a, b, c); break;
        case 3: fprintf(f, "[watch w%d]\nquery = @p%d OR %s\n\n", i, i % CATALOG_NAMES, a); break;
        default: fprintf(f, "[watch w%d]\nquery = title:%s AND %s\n\n", i, a, b); break;
        }
    }
    fclose(f);
    char data[200];
    snprintf(data, sizeof data, "%s/data", w->tmp);
    if (store_prefill(data, n_stored, s_vocab, s_nvocab, CATALOG_NAMES) != 0)
        return -1;
    w->store = s_spawn(w, "store", 0);
    w->alerter = s_spawn(w, "alerter", 0);
    w->n_ext = n_ext;
    for (int i = 0; i < n_ext; i++)
        w->ext[i] = s_spawn(w, "extractor", i);
    return 0;
}

static void
s_world_stop(s_world_t *w)
{
    for (int i = 0; i < w->n_ext; i++)
        s_stop(&w->ext[i]);
    s_stop(&w->alerter);
    s_stop(&w->store);
    if (!getenv("MARSAD_KEEP_TMP")) {
        char cmd[200];
        snprintf(cmd, sizeof cmd, "rm -rf %s", w->tmp);
        if (system(cmd) != 0)
            fprintf(stderr, "e2e-bench: cannot remove %s\n", w->tmp);
    }
}

/* ---------------------------------------------------------------- a run */

static int
s_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

/* Percentile P (0-100) of the N sorted values, in ms. */
static double
s_pct(const int64_t *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t i = (size_t) (p / 100.0 * (double) (n - 1) + 0.5);
    return (double) v[i] / 1000.0;
}

/* The doc index of an id "bench-<run>-<k>", or -1. */
static int
s_index(const char *id, int run)
{
    char pre[32];
    int n = snprintf(pre, sizeof pre, "bench-%d-", run);
    if (!id || strncmp(id, pre, (size_t) n) != 0)
        return -1;
    return atoi(id + n);
}

static int
s_run(int run, int rate, int count, int n_watches, int n_ext, long n_prefilled, s_page_t *pages,
      int n_pages)
{
    s_world_t w;
    if (s_world_start(&w, n_watches, n_ext, n_prefilled) != 0) {
        fprintf(stderr, "e2e-bench: cannot set up %s\n", w.tmp);
        return -1;
    }
    void *ctx = zmq_ctx_new();
    void *push = zmq_socket(ctx, ZMQ_PUSH), *stored = zmq_socket(ctx, ZMQ_SUB),
         *alerts = zmq_socket(ctx, ZMQ_SUB);
    int hwm = 1000, linger = 0;
    zmq_setsockopt(push, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(push, ZMQ_LINGER, &linger, sizeof linger);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", w.port[0]);
    int rc = zmq_bind(push, ep);
    /* The daemons may bind after these connect (a store of a million
     * takes seconds to open): retry every 10 ms, not ZeroMQ's 100, so the
     * subscription is in place soon after the bind (see the wait below). */
    int ivl = 10;
    zmq_setsockopt(stored, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
    zmq_setsockopt(alerts, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", w.port[2]);
    rc |= zmq_connect(stored, ep);
    zmq_setsockopt(stored, ZMQ_SUBSCRIBE, "stored", 6);
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", w.port[4]);
    rc |= zmq_connect(alerts, ep);
    zmq_setsockopt(alerts, ZMQ_SUBSCRIBE, "alert.bench-all", 15);
    int rcvhwm = 0;   /* unlimited: the bench must not drop what it measures */
    zmq_setsockopt(stored, ZMQ_RCVHWM, &rcvhwm, sizeof rcvhwm);
    zmq_setsockopt(alerts, ZMQ_RCVHWM, &rcvhwm, sizeof rcvhwm);
    if (rc != 0) {
        fprintf(stderr, "e2e-bench: sockets: %s\n", zmq_strerror(zmq_errno()));
        return -1;
    }
    /* The daemons start, load the catalog and the watches, connect; the
     * store answers its API once it is listening. */
    struct timespec pause = { 3, 0 };
    nanosleep(&pause, NULL);
    for (int tries = 0; tries < 60; tries++) {
        void *req = zmq_socket(ctx, ZMQ_REQ);
        int wait_ms = 1000;
        zmq_setsockopt(req, ZMQ_RCVTIMEO, &wait_ms, sizeof wait_ms);
        zmq_setsockopt(req, ZMQ_LINGER, &linger, sizeof linger);
        snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", w.port[3]);
        proto_frames_t q = { 0 }, r = { 0 };
        proto_since_t since = { 0, 1 };
        bool up = zmq_connect(req, ep) == 0 && proto_since_encode(&since, &q) == 0
                  && proto_send(req, &q, 0) == 0 && proto_recv(req, &r, 0) == 0;
        proto_frames_clear(&q);
        proto_frames_clear(&r);
        zmq_close(req);
        if (up)
            break;
    }
    /* The store answering means its PUB is bound, not that this SUB has
     * reconnected and subscribed yet: 1M runs lost their first `stored`
     * event that way (the alerter recovers such a gap by catching up; the
     * bench would count the article as never stored). */
    struct timespec settle = { 0, 300 * 1000 * 1000 };
    nanosleep(&settle, NULL);

    int64_t *t_sent = calloc((size_t) count, sizeof *t_sent);
    int64_t *t_stored = calloc((size_t) count, sizeof *t_stored);
    int64_t *t_alert = calloc((size_t) count, sizeof *t_alert);
    int sent = 0, n_stored = 0, n_alerts = 0;
    bool died = false;
    int64_t t0 = s_now_us(), t_last = t0, t_last_stored = t0;
    int64_t deadline = t0 + ((int64_t) count * 1000000 / (rate ? rate : 50)) * 3 + 120000000LL;
    /* Until everything is stored and no alert came for a second: an article
     * that joins an earlier story alerts only if it brings something new. */
    while (n_stored < count || s_now_us() - t_last < 1000000) {
        int64_t now = s_now_us();
        if (now > deadline || waitpid(-1, NULL, WNOHANG) > 0) {
            fprintf(stderr, "e2e-bench: run %d: %s\n", run,
                    now > deadline ? "out of time" : "a daemon died (see its log)");
            died = now <= deadline;
            break;
        }
        /* Send what is due (all, at saturation: the HWM pushes back). */
        while (sent < count && (rate == 0 || now >= t0 + (int64_t) sent * 1000000 / rate)) {
            const s_page_t *pg = &pages[sent % n_pages];
            char id[48], at[32];
            snprintf(id, sizeof id, "bench-%d-%d", run, sent);
            proto_time_format((long long) time(NULL), at);
            proto_raw_t raw = { .id = id, .source = "bench", .url = "https://example.org/a",
                                .fetched_at = at, .content_type = "text/html; charset=utf-8",
                                .charset = "utf-8", .body = pg->page, .body_len = pg->len };
            char url[80];
            snprintf(url, sizeof url, "https://wire.example.org/%d/%d", run, sent);
            raw.url = url;
            proto_frames_t f;
            if (proto_raw_encode(&raw, &f) != 0)
                abort();
            int r = proto_send(push, &f, ZMQ_DONTWAIT);
            proto_frames_clear(&f);
            if (r != 0)
                break;   /* the queue is full: back-pressure, try again */
            t_sent[sent++] = s_now_us();
        }
        zmq_pollitem_t it[2] = { { stored, 0, ZMQ_POLLIN, 0 }, { alerts, 0, ZMQ_POLLIN, 0 } };
        zmq_poll(it, 2, 1);
        for (int k = 0; k < 2; k++) {
            if (!(it[k].revents & ZMQ_POLLIN))
                continue;
            proto_frames_t f;
            while (proto_recv(k ? alerts : stored, &f, ZMQ_DONTWAIT) == 0) {
                int64_t t = s_now_us();
                if (f.n == 2) {
                    json_t *j = json_loadb(f.data[1], f.len[1], 0, NULL);
                    json_t *a = json_object_get(j, "article");   /* both carry it */
                    int i = s_index(json_string_value(json_object_get(a, "id")), run);
                    if (i >= 0 && i < count) {
                        int64_t *slot = k ? &t_alert[i] : &t_stored[i];
                        if (!*slot) {
                            *slot = t;
                            k ? n_alerts++ : n_stored++;
                            t_last = t;
                            if (!k)
                                t_last_stored = t;
                        }
                    }
                    json_decref(j);
                }
                proto_frames_clear(&f);
            }
        }
    }
    double secs = (double) (t_last_stored - t0) / 1e6;
    double cpu_store = proc_cpu_seconds(w.store), cpu_alerter = proc_cpu_seconds(w.alerter);
    long rss_store = proc_status_kb(w.store, "VmHWM:"), rss_alerter = proc_status_kb(w.alerter, "VmHWM:");
    double cpu_ext = 0;
    long rss_ext = 0;
    for (int i = 0; i < n_ext; i++) {
        cpu_ext += proc_cpu_seconds(w.ext[i]);
        long r = proc_status_kb(w.ext[i], "VmHWM:");
        rss_ext = r > rss_ext ? r : rss_ext;
    }
    /* latencies of the articles seen all the way */
    int64_t *l_store = calloc((size_t) count, sizeof(int64_t));
    int64_t *l_alert = calloc((size_t) count, sizeof(int64_t));
    int64_t *l_eval = calloc((size_t) count, sizeof(int64_t));
    size_t n_l = 0;
    for (int i = 0; i < count; i++)
        if (t_sent[i] && t_stored[i] && t_alert[i]) {
            l_store[n_l] = t_stored[i] - t_sent[i];
            l_alert[n_l] = t_alert[i] - t_sent[i];
            l_eval[n_l] = t_alert[i] - t_stored[i];
            n_l++;
        }
    if (getenv("MARSAD_E2E_SLOWEST")) {   /* which documents make the tail */
        for (int i = 0; i < count; i++)
            if (t_sent[i] && t_stored[i] && t_stored[i] - t_sent[i] > 40000)
                fprintf(stderr, "  slow: doc %d stored after %.1f ms\n", i,
                        (double) (t_stored[i] - t_sent[i]) / 1000.0);
    }
    qsort(l_store, n_l, sizeof(int64_t), s_cmp_i64);
    qsort(l_alert, n_l, sizeof(int64_t), s_cmp_i64);
    qsort(l_eval, n_l, sizeof(int64_t), s_cmp_i64);
    /* A daemon that died before storing anything most likely lost a race
     * for its port (free_port's port taken by a reconnecting socket's
     * ephemeral one): no row, and the caller runs it again. */
    bool restart = died && n_stored == 0;
    char rate_s[32];
    snprintf(rate_s, sizeof rate_s, rate ? "%d/s" : "max", rate);
    if (!restart) {
        char stored_s[32];
        if (n_prefilled >= 1000000)
            snprintf(stored_s, sizeof stored_s, "%ldM", n_prefilled / 1000000);
        else
            snprintf(stored_s, sizeof stored_s, "%ldk", n_prefilled / 1000);
        printf("%-5s %6d %5d %3d %5s | %7.0f | %6.1f %6.1f %6.1f | %6.1f %6.1f %6.1f | %5.1f %5.1f | "
               "%5.1f %5.1f %5.1f | %4.0f %4.0f %4.0f\n",
               rate_s, n_watches, count, n_ext, stored_s, (double) n_stored / secs,
               s_pct(l_alert, n_l, 50), s_pct(l_alert, n_l, 95), s_pct(l_alert, n_l, 99),
               s_pct(l_store, n_l, 50), s_pct(l_store, n_l, 99), s_pct(l_store, n_l, 99.9),
               s_pct(l_eval, n_l, 50), s_pct(l_eval, n_l, 99),
               cpu_ext, cpu_store, cpu_alerter,
               rss_ext / 1024.0, rss_store / 1024.0, rss_alerter / 1024.0);
        printf("      (%d stored, %d of them alerted: the first article of each story, and "
               "later ones that bring something new)\n", n_stored, n_alerts);
        fflush(stdout);
    }
    int ok = n_stored == count && n_alerts > 0;
    if (!ok) {
        fprintf(stderr, "e2e-bench: run %d: %d sent, %d stored, %d alerted (logs in %s)\n", run,
                sent, n_stored, n_alerts, w.tmp);
        int shown = 0;
        for (int i = 0; i < sent && shown < 10; i++)
            if (!t_stored[i]) {
                fprintf(stderr, "e2e-bench: run %d: no stored event for bench-%d-%d\n", run, run, i);
                shown++;
            }
    }
    free(t_sent);
    free(t_stored);
    free(t_alert);
    free(l_store);
    free(l_alert);
    free(l_eval);
    zmq_close(push);
    zmq_close(stored);
    zmq_close(alerts);
    zmq_ctx_term(ctx);
    if (!ok)
        setenv("MARSAD_KEEP_TMP", "1", 1);
    s_world_stop(&w);
    return restart ? -2 : ok ? 0 : -1;
}

/* s_run, once more on other ports when a daemon could not start. */
static int
s_run_retry(int run, int rate, int count, int n_watches, int n_ext, long n_prefilled,
            s_page_t *pages, int n_pages)
{
    int rc = s_run(run, rate, count, n_watches, n_ext, n_prefilled, pages, n_pages);
    if (rc == -2) {
        fprintf(stderr, "e2e-bench: run %d: a daemon could not start; once more on other "
                        "ports\n", run);
        rc = s_run(run, rate, count, n_watches, n_ext, n_prefilled, pages, n_pages);
    }
    return rc;
}

/* Words of the corpus for names and watches: those of 3 letters or more
 * that occur in 2 to 12 of the texts.  Real watches name specific things;
 * a watch on a word every article has would make an alert of every
 * article, which no analyst writes. */
typedef struct {
    char *word;
    int df, last_doc;
} s_word_t;

static uint32_t
s_fnv(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char) *s) * 16777619u;
    return h;
}

static void
s_make_vocab(void)
{
    size_t cap = 1u << 18;   /* open addressing, kept under half full */
    s_word_t *tab = calloc(cap, sizeof *tab);
    size_t used = 0;
    for (size_t t = 0; t < s_ar.n; t++) {
        char *copy = strdup(s_ar.v[t]);
        char *save = NULL;
        /* ASCII separators only: strtok works on bytes, and the lead byte of
         * Arabic punctuation is the lead byte of Arabic letters too. */
        for (char *w = strtok_r(copy, " \n\r\t.,:;\"'()[]!?-/", &save); w;
             w = strtok_r(NULL, " \n\r\t.,:;\"'()[]!?-/", &save)) {
            if (strlen(w) < 6 || strpbrk(w, "<>&*=|#0123456789@") || strstr(w, "،")
                || strstr(w, "؛") || strstr(w, "؟") || strstr(w, "«") || strstr(w, "»"))
                continue;   /* 3 Arabic letters are 6 bytes */
            size_t i = s_fnv(w) & (cap - 1);
            while (tab[i].word && strcmp(tab[i].word, w) != 0)
                i = (i + 1) & (cap - 1);
            if (!tab[i].word) {
                if (used * 2 >= cap)
                    continue;   /* full enough: a few thousand words suffice */
                tab[i].word = strdup(w);
                tab[i].last_doc = -1;
                used++;
            }
            if (tab[i].last_doc != (int) t) {
                tab[i].df++;
                tab[i].last_doc = (int) t;
            }
        }
        free(copy);
    }
    size_t vcap = 0;
    for (size_t i = 0; i < cap; i++) {
        if (!tab[i].word)
            continue;
        if (tab[i].df >= 2 && tab[i].df <= 12) {
            if (s_nvocab == vcap) {
                vcap = vcap ? vcap * 2 : 1024;
                s_vocab = realloc(s_vocab, vcap * sizeof *s_vocab);
            }
            s_vocab[s_nvocab++] = tab[i].word;
        }
        else
            free(tab[i].word);
    }
    free(tab);
}

int
main(int argc, char **argv)
{
    static const char usage[] =
        "usage: e2e-bench [RATE DOCS WATCHES EXTRACTORS [STORED]]\n"
        "Runs the real store, alerter and extractors on loopback, feeds them generated\n"
        "article pages (Arabic from the ANT corpus in ../shared/peers or $MARSAD_ANT,\n"
        "English generated) and prints throughput, raw->alert latency, CPU and RSS.\n"
        "Each run starts from a store already holding STORED articles (default 10000).\n"
        "Without arguments: 100/s with 10 and 10,000 watches, then saturation with\n"
        "1, 2 and 4 extractors, all on 10k stored; then 100/s and saturation on a store\n"
        "of $MARSAD_E2E_BIG articles (default 1000000; 0 skips them).  RATE 0 means as\n"
        "fast as the pipeline takes them.  Stores are built once (1M: ~15 minutes) and\n"
        "kept in $MARSAD_E2E_CACHE (default /tmp/marsad-e2e-cache).\n"
        "MARSAD_E2E_SLOWEST=1 lists the documents stored more than 40 ms after sending.\n"
        "Needs MARSAD_BUILD_ROOT (the build directory) and MARSAD_SOURCE_ROOT.\n";
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc != 1 && argc != 5 && argc != 6) {
        fputs(usage, stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    char def[1024];
    const char *corpus = getenv("MARSAD_ANT") ? getenv("MARSAD_ANT")
                                              : bench_ant_default_path(def, sizeof def);
    if (bench_ant_read(corpus, 4000, &s_ar) != 0 || s_ar.n == 0) {
        fprintf(stderr, "e2e-bench: %s absent or unreadable: skipped\n", corpus);
        return 77;
    }
    s_make_vocab();
    int n_pages = 2000;
    s_page_t *pages = calloc((size_t) n_pages, sizeof *pages);
    for (int k = 0; k < n_pages; k++) {
        pages[k] = s_make_page(k, 30000 + (size_t) (s_rand() % 120000));
        s_page_bytes += pages[k].len;
    }
    printf("e2e-bench: %d pages (%.0f KB on average; Arabic from the ANT corpus, English "
           "generated), a catalog of %d names; store, alerter and extractors as processes on "
           "loopback\n", n_pages, (double) s_page_bytes / n_pages / 1024.0, CATALOG_NAMES + 2);
    /* The floor under the extractor: libxml2's parse of these same pages
     * (html_parse_only), which no code of ours can make faster. */
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (int k = 0; k < n_pages; k++)
        html_parse_only(pages[k].page, pages[k].len, "utf-8");
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double parse_ms = ((double) (c1.tv_sec - c0.tv_sec) * 1e3
                       + (double) (c1.tv_nsec - c0.tv_nsec) / 1e6) / n_pages;
    printf("libxml2's parse alone of these pages: %.2f ms of CPU a page, so %ld cores cannot "
           "extract more than %.0f pages/s whatever the rest costs\n", parse_ms,
           sysconf(_SC_NPROCESSORS_ONLN), (double) sysconf(_SC_NPROCESSORS_ONLN) * 1e3 / parse_ms);
    printf("rate  watches   docs ext stored | art/s | raw->alert ms p50 p95 p99 | raw->stored ms p50 "
           "p99 p99.9 | stored->alert p50 p99 | CPU s ext store alerter | peak RSS MiB ext "
           "store alerter\n");
    int failures = 0, run = 0;
    const long small = 10000;
    if (argc >= 5) {
        failures += s_run_retry(run++, atoi(argv[1]), atoi(argv[2]), atoi(argv[3]),
                                atoi(argv[4]), argc == 6 ? atol(argv[5]) : small, pages,
                                n_pages) != 0;
    } else {
        long big = getenv("MARSAD_E2E_BIG") ? atol(getenv("MARSAD_E2E_BIG")) : 1000000;
        failures += s_run_retry(run++, 100, 1500, 10, 1, small, pages, n_pages) != 0;
        failures += s_run_retry(run++, 100, 1500, 10000, 1, small, pages, n_pages) != 0;
        for (int e = 1; e <= 4; e *= 2)
            failures += s_run_retry(run++, 0, 2000, 10000, e, small, pages, n_pages) != 0;
        if (big > 0) {
            failures += s_run_retry(run++, 100, 1500, 10000, 1, big, pages, n_pages) != 0;
            failures += s_run_retry(run++, 0, 2000, 10000, 1, big, pages, n_pages) != 0;
        }
    }
    for (int k = 0; k < n_pages; k++)
        free(pages[k].page);
    free(pages);
    return failures ? 1 : 0;
}
