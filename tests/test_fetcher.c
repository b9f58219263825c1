/*
 * test_fetcher.c — the real marsad-fetcher process against an HTTP server
 * on loopback that the test scripts (loopback_http's route hook), with a
 * ZeroMQ PULL socket where the extractors would be and a PUB socket
 * standing in for the store's acks.
 *
 * What only the whole daemon shows: validators kept across a restart (the
 * second run polls conditionally, gets 304 and sends nothing), a page
 * robots.txt forbids replaced by the feed's own content, the delay between
 * two requests to one host applied to pages and robots.txt too, a page's
 * 429 Retry-After honoured by the whole host, exponential backoff of a
 * failing feed, and the configured User-Agent and proxy on every request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "daemon_spawn.h"
#include "free_port.h"
#include "loopback_http.h"
#include "proto.h"

typedef struct {
    char tmp[256];
    char conf[512];
    int raw_port, ack_port;
    pid_t pid;
    loopback_http_t *http;      /* the news site */
    loopback_http_t *proxy;     /* a forward proxy, when a test wants one */
    void *zctx, *pull, *pub;
    atomic_int feed_version;    /* which feed the site serves, for the route */
} world_t;

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

/* -------------------------------------------------------------- harness */

/* Start the site (answering through ROUTE) and the sockets; the fetcher
 * is started by s_start() once the test has written its config. */
static world_t *s_world(loopback_route_fn route)
{
    world_t *w = calloc(1, sizeof *w);
    snprintf(w->tmp, sizeof w->tmp, "/tmp/marsad-fetcher-XXXXXX");
    assert_non_null(mkdtemp(w->tmp));
    w->http = loopback_http_new(w->tmp);
    assert_non_null(w->http);
    loopback_http_route(w->http, route, w);
    w->raw_port = free_port();
    w->ack_port = free_port();
    w->zctx = zmq_ctx_new();
    w->pull = zmq_socket(w->zctx, ZMQ_PULL);
    w->pub = zmq_socket(w->zctx, ZMQ_PUB);
    int zero = 0;
    zmq_setsockopt(w->pull, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(w->pub, ZMQ_LINGER, &zero, sizeof zero);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", w->raw_port);
    assert_int_equal(zmq_connect(w->pull, ep), 0);
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", w->ack_port);
    assert_int_equal(zmq_bind(w->pub, ep), 0);
    return w;
}

/* Write the config: [fetcher] FETCHER_EXTRA and one source at URL. */
static void s_config(world_t *w, const char *fetcher_extra, const char *url, int interval)
{
    snprintf(w->conf, sizeof w->conf, "%s/marsad.conf", w->tmp);
    FILE *f = fopen(w->conf, "w");
    assert_non_null(f);
    fprintf(f,
            "[pipeline]\ndata_dir = %s/data\nlog_level = debug\n\n"
            "[fetcher]\nbind = tcp://127.0.0.1:%d\nack = tcp://127.0.0.1:%d\nmetrics =\n"
            "resend_after = 600\ntimeout = 10\n%s\n\n"
            "[source news]\nurl = %s\ninterval = %d\n",
            w->tmp, w->raw_port, w->ack_port, fetcher_extra, url, interval);
    fclose(f);
}

static void s_start(world_t *w)
{
    char log[512];
    snprintf(log, sizeof log, "%s/fetcher.log", w->tmp);
    pid_t pid = daemon_spawn("fetcher", w->conf, log, false);
    assert_true(pid >= 0);
    w->pid = pid;
}

/* SIGTERM, and a clean exit is required. */
static void s_stop(world_t *w)
{
    if (w->pid <= 0)
        return;
    kill(w->pid, SIGTERM);
    int status = 0;
    waitpid(w->pid, &status, 0);
    w->pid = 0;
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void s_world_destroy(world_t **wp)
{
    world_t *w = *wp;
    daemon_kill(&w->pid);
    zmq_close(w->pull);
    zmq_close(w->pub);
    zmq_ctx_term(w->zctx);
    loopback_http_destroy(&w->http);
    loopback_http_destroy(&w->proxy);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", w->tmp);
    free(w);
    *wp = NULL;
}

/* The next raw document within TIMEOUT_S: 0, or -1 if none came.  On 0,
 * *M is decoded and *FR holds its frames (M->body points into them). */
static int s_recv_raw(world_t *w, double timeout_s, proto_raw_t *m, proto_frames_t *fr)
{
    double t0 = s_now();
    while (s_now() - t0 < timeout_s) {
        zmq_pollitem_t it = { w->pull, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&it, 1, 100) <= 0)
            continue;
        memset(m, 0, sizeof *m);
        assert_int_equal(proto_recv(w->pull, fr, 0), PROTO_OK);
        assert_int_equal(proto_raw_decode(fr, m), PROTO_OK);
        return 0;
    }
    return -1;
}

/* As the store does once a document is committed. */
static void s_ack(world_t *w, const char *id)
{
    proto_ack_t a = { .id = (char *) id };
    proto_frames_t fr;
    assert_int_equal(proto_ack_encode(&a, &fr), PROTO_OK);
    assert_int_equal(proto_send(w->pub, &fr, 0), 0);
    proto_frames_clear(&fr);
}

/* Receive N documents (30 s at most), acknowledge each, and keep for each
 * its item URL, whether it came from the feed, and whether its body holds
 * NEEDLE. */
typedef struct {
    char item_url[256];
    bool from_feed;
    bool has_needle;
} doc_t;

static void s_take(world_t *w, int n, doc_t *out, const char *needle)
{
    for (int i = 0; i < n; i++) {
        proto_raw_t m;
        proto_frames_t fr;
        if (s_recv_raw(w, 30, &m, &fr) != 0)
            fail_msg("document %d of %d never came (see %s/fetcher.log)", i + 1, n, w->tmp);
        snprintf(out[i].item_url, sizeof out[i].item_url, "%s", m.item_url ? m.item_url : "");
        out[i].from_feed = m.from_feed;
        out[i].has_needle = needle && memmem(m.body, m.body_len, needle, strlen(needle)) != NULL;
        s_ack(w, m.id);
        proto_raw_clear(&m);
        proto_frames_clear(&fr);
    }
}

static const doc_t *s_doc(const doc_t *docs, int n, const char *url_suffix)
{
    size_t sl = strlen(url_suffix);
    for (int i = 0; i < n; i++) {
        size_t l = strlen(docs[i].item_url);
        if (l >= sl && strcmp(docs[i].item_url + l - sl, url_suffix) == 0)
            return &docs[i];
    }
    fail_msg("no document for %s", url_suffix);
    return NULL;
}

/* Requests to the site whose target ends with SUFFIX, and their times. */
static int s_requests(loopback_http_t *h, const char *suffix, double *at, int max)
{
    int n = 0;
    size_t sl = strlen(suffix);
    loopback_request_t r;
    for (int i = 0; loopback_http_request(h, i, &r) == 0; i++) {
        size_t l = strlen(r.target);
        if (l >= sl && strcmp(r.target + l - sl, suffix) == 0) {
            if (at && n < max)
                at[n] = r.at;
            n++;
        }
    }
    return n;
}

/* Wait (up to TIMEOUT_S) until the site has had N requests ending SUFFIX. */
static void s_wait_requests(world_t *w, loopback_http_t *h, const char *suffix, int n,
                            double timeout_s)
{
    double t0 = s_now();
    while (s_requests(h, suffix, NULL, 0) < n && s_now() - t0 < timeout_s)
        usleep(50 * 1000);
    if (s_requests(h, suffix, NULL, 0) < n)
        fail_msg("%s requested %d times, expected %d (see %s/fetcher.log)", suffix,
                 s_requests(h, suffix, NULL, 0), n, w->tmp);
}

static void s_feed_reply(loopback_reply_t *r, const char *etag, const char *body)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s", body);
    r->status = 200;
    snprintf(r->headers, sizeof r->headers,
             "Content-Type: application/rss+xml; charset=utf-8\r\n%s%s%s", etag ? "ETag: " : "",
             etag ? etag : "", etag ? "\r\n" : "");
    r->body = buf;
    r->body_len = strlen(buf);
}

static void s_page_reply(loopback_reply_t *r, const char *target)
{
    static char buf[1024];
    snprintf(buf, sizeof buf,
             "<html><head><title>page</title></head><body><article><h1>Page</h1>"
             "<p>The page body of %s, PAGE-BODY.</p></article></body></html>", target);
    r->status = 200;
    snprintf(r->headers, sizeof r->headers, "Content-Type: text/html; charset=utf-8\r\n");
    r->body = buf;
    r->body_len = strlen(buf);
}

/* An RSS feed of items /<dir>/<name>.html, each with description SUMMARY-<name>. */
static void s_rss(char *out, size_t cap, int port, const char *const *paths, int n)
{
    size_t used = (size_t) snprintf(out, cap, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                                    "<rss version=\"2.0\"><channel><title>News</title>");
    for (int i = 0; i < n && used < cap; i++)
        used += (size_t) snprintf(out + used, cap - used,
                                  "<item><title>Item %d</title><link>http://127.0.0.1:%d%s</link>"
                                  "<guid>%s</guid><description>SUMMARY-%d</description></item>",
                                  i, port, paths[i], paths[i], i);
    if (used < cap)
        snprintf(out + used, cap - used, "</channel></rss>");
}

/* ------------------------------------------------ restart: 304, nothing */

static void s_route_restart(const char *target, const char *head, int seen, loopback_reply_t *r,
                            void *arg)
{
    world_t *w = arg;
    (void) seen;
    int port = loopback_http_port(w->http);
    if (strcmp(target, "/feed.xml") == 0) {
        int v = atomic_load(&w->feed_version);
        const char *etag = v == 1 ? "\"e1\"" : "\"e2\"";
        char inm[64];
        snprintf(inm, sizeof inm, "\r\nIf-None-Match: %s", etag);
        if (strcasestr(head, inm)) {
            r->status = 304;
            snprintf(r->headers, sizeof r->headers, "ETag: %s\r\n", etag);
            return;
        }
        /* Version 2: the same two items in the other order, and one new. */
        static const char *const v1[] = { "/a/1.html", "/a/2.html" };
        static const char *const v2[] = { "/a/3.html", "/a/2.html", "/a/1.html" };
        char body[4096];
        s_rss(body, sizeof body, port, v == 1 ? v1 : v2, v == 1 ? 2 : 3);
        s_feed_reply(r, etag, body);
    } else if (strncmp(target, "/a/", 3) == 0) {
        s_page_reply(r, target);
    } else {
        r->status = 404;
    }
}

static void test_restart_polls_conditionally_and_sends_nothing(void **state)
{
    (void) state;
    world_t *w = s_world(s_route_restart);
    atomic_store(&w->feed_version, 1);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/feed.xml", loopback_http_port(w->http));
    s_config(w, "host_delay = 0", url, 1);
    s_start(w);
    doc_t docs[3];
    s_take(w, 2, docs, "PAGE-BODY");
    assert_false(s_doc(docs, 2, "/a/1.html")->from_feed);
    assert_true(s_doc(docs, 2, "/a/2.html")->has_needle);
    s_wait_requests(w, w->http, "/feed.xml", 2, 10);    /* a conditional poll, in this run */
    s_stop(w);

    /* The second run: its first poll carries the validator of the first
     * run, the site answers 304, and nothing is fetched or sent. */
    int before = s_requests(w->http, "/feed.xml", NULL, 0);
    int first = loopback_http_requests(w->http);    /* the index of the next request */
    s_start(w);
    s_wait_requests(w, w->http, "/feed.xml", before + 1, 10);
    proto_raw_t m;
    proto_frames_t fr;
    assert_int_equal(s_recv_raw(w, 2.0, &m, &fr), -1);
    loopback_request_t req;
    int n_req = loopback_http_requests(w->http);
    assert_int_equal(loopback_http_request(w->http, first, &req), 0);
    assert_string_equal(req.target, "/feed.xml");
    assert_non_null(strcasestr(req.head, "If-None-Match: \"e1\""));
    assert_int_equal(s_requests(w->http, "/a/1.html", NULL, 0), 1);
    assert_int_equal(s_requests(w->http, "/a/2.html", NULL, 0), 1);

    /* A new version, reordered with one new item: only that one is sent. */
    atomic_store(&w->feed_version, 2);
    s_take(w, 1, docs, NULL);
    assert_non_null(strstr(docs[0].item_url, "/a/3.html"));
    assert_int_equal(s_recv_raw(w, 2.0, &m, &fr), -1);
    assert_int_equal(s_requests(w->http, "/a/1.html", NULL, 0), 1);
    assert_true(loopback_http_requests(w->http) > n_req);
    s_stop(w);
    s_world_destroy(&w);
}

/* A stop while pages wait for their host: the poll that listed them must
 * not be remembered as done, or the next run's conditional poll (a 304)
 * would hide them for good. */
static void test_stop_with_pages_waiting_loses_nothing(void **state)
{
    (void) state;
    world_t *w = s_world(s_route_restart);
    atomic_store(&w->feed_version, 1);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/feed.xml", loopback_http_port(w->http));
    s_config(w, "host_delay = 2", url, 600);
    s_start(w);
    doc_t docs[2];
    s_take(w, 1, docs, NULL);           /* feed, robots.txt, then the first page */
    s_stop(w);                          /* the second page still waits */
    assert_int_equal(s_requests(w->http, "/a/2.html", NULL, 0), 0);
    s_start(w);
    s_take(w, 1, docs + 1, "PAGE-BODY");
    assert_non_null(strstr(docs[0].item_url, "/a/1.html"));
    assert_non_null(strstr(docs[1].item_url, "/a/2.html"));
    assert_false(docs[1].from_feed);
    s_stop(w);
    s_world_destroy(&w);
}

/* ------------------------------------------------- robots.txt disallows */

static void s_route_robots(const char *target, const char *head, int seen, loopback_reply_t *r,
                           void *arg)
{
    world_t *w = arg;
    (void) head;
    (void) seen;
    if (strcmp(target, "/feed.xml") == 0) {
        static const char *const items[] = { "/private/x.html", "/public/y.html" };
        char body[4096];
        s_rss(body, sizeof body, loopback_http_port(w->http), items, 2);
        s_feed_reply(r, NULL, body);
    } else if (strcmp(target, "/robots.txt") == 0) {
        static const char rules[] = "User-agent: *\nDisallow: /private/\n";
        r->status = 200;
        snprintf(r->headers, sizeof r->headers, "Content-Type: text/plain\r\n");
        r->body = rules;
        r->body_len = strlen(rules);
    } else if (strncmp(target, "/p", 2) == 0) {
        s_page_reply(r, target);
    } else {
        r->status = 404;
    }
}

static void test_robots_disallow_sends_the_feed_content(void **state)
{
    (void) state;
    world_t *w = s_world(s_route_robots);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/feed.xml", loopback_http_port(w->http));
    s_config(w, "host_delay = 0", url, 600);
    s_start(w);
    doc_t docs[2];
    s_take(w, 2, docs, "SUMMARY-0");
    const doc_t *x = s_doc(docs, 2, "/private/x.html");
    const doc_t *y = s_doc(docs, 2, "/public/y.html");
    assert_true(x->from_feed);          /* the feed's own content, marked as such */
    assert_true(x->has_needle);
    assert_false(y->from_feed);
    assert_int_equal(s_requests(w->http, "/private/x.html", NULL, 0), 0);
    assert_int_equal(s_requests(w->http, "/public/y.html", NULL, 0), 1);
    assert_int_equal(s_requests(w->http, "/robots.txt", NULL, 0), 1);
    s_stop(w);
    s_world_destroy(&w);
}

/* ------------------------------------ host delay, and a page's 429 */

static void s_route_polite(const char *target, const char *head, int seen, loopback_reply_t *r,
                           void *arg)
{
    world_t *w = arg;
    (void) head;
    if (strcmp(target, "/feed.xml") == 0) {
        static const char *const items[] = { "/p/1.html", "/p/2.html", "/p/3.html" };
        char body[4096];
        s_rss(body, sizeof body, loopback_http_port(w->http), items, 3);
        s_feed_reply(r, NULL, body);
    } else if (strcmp(target, "/p/2.html") == 0 && seen == 0) {
        r->status = 429;
        snprintf(r->headers, sizeof r->headers, "Retry-After: 3\r\n");
    } else if (strncmp(target, "/p/", 3) == 0) {
        s_page_reply(r, target);
    } else {
        r->status = 404;                /* robots.txt: none, no rules */
    }
}

static void test_host_delay_and_page_retry_after(void **state)
{
    (void) state;
    world_t *w = s_world(s_route_polite);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/feed.xml", loopback_http_port(w->http));
    s_config(w, "host_delay = 1", url, 600);
    s_start(w);
    doc_t docs[3];
    s_take(w, 3, docs, "PAGE-BODY");
    for (int i = 0; i < 3; i++) {
        assert_false(docs[i].from_feed);        /* every page was had in the end */
        assert_true(docs[i].has_needle);
    }
    assert_int_equal(s_requests(w->http, "/p/2.html", NULL, 0), 2);
    /* feed, robots.txt, p1, p2 (429), then p3 and p2 again: each request
     * at least host_delay after the one before, and none within the 3 s
     * the 429 asked for. */
    loopback_request_t req[8];
    int n = 0;
    while (n < 8 && loopback_http_request(w->http, n, &req[n]) == 0)
        n++;
    assert_int_equal(n, 6);
    int i429 = -1;
    for (int i = 0; i < n; i++) {
        if (i > 0 && req[i].at - req[i - 1].at < 0.9)
            fail_msg("%s came %.2f s after %s", req[i].target, req[i].at - req[i - 1].at,
                     req[i - 1].target);
        if (i429 < 0 && strcmp(req[i].target, "/p/2.html") == 0)
            i429 = i;
    }
    assert_true(i429 >= 0 && i429 + 1 < n);
    if (req[i429 + 1].at - req[i429].at < 2.9)
        fail_msg("the host was asked again %.2f s after a 429 with Retry-After: 3",
                 req[i429 + 1].at - req[i429].at);
    s_stop(w);
    s_world_destroy(&w);
}

/* ------------------------------------- backoff of a failing feed */

static void s_route_failing(const char *target, const char *head, int seen, loopback_reply_t *r,
                            void *arg)
{
    world_t *w = arg;
    (void) head;
    if (strcmp(target, "/feed.xml") != 0) {
        r->status = 404;
        return;
    }
    if (seen == 0) {
        r->status = 429;
        snprintf(r->headers, sizeof r->headers, "Retry-After: 3\r\n");
    } else if (seen < 3) {
        r->status = 500;
    } else {
        static const char *const items[] = { "/n/1.html" };
        char body[4096];
        s_rss(body, sizeof body, loopback_http_port(w->http), items, 1);
        s_feed_reply(r, NULL, body);
    }
}

static void test_backoff_then_recovery(void **state)
{
    (void) state;
    world_t *w = s_world(s_route_failing);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/feed.xml", loopback_http_port(w->http));
    /* interval 1 s: the backoff starts at 1 s, doubles, ±20 % jitter */
    s_config(w, "host_delay = 0\nfetch_pages = false", url, 1);
    s_start(w);
    doc_t docs[1];
    s_take(w, 1, docs, "SUMMARY-0");
    assert_true(docs[0].from_feed);
    double at[4];
    assert_true(s_requests(w->http, "/feed.xml", at, 4) >= 4);
    double g1 = at[1] - at[0], g2 = at[2] - at[1], g3 = at[3] - at[2];
    fprintf(stderr, "gaps between polls: %.2f %.2f %.2f s\n", g1, g2, g3);
    assert_true(g1 >= 2.9);                     /* 429: Retry-After 3 beats the 1 s backoff */
    assert_true(g2 >= 1.5 && g2 <= 2.8);        /* second failure: 2 s ± 20 % */
    assert_true(g3 >= 3.1 && g3 <= 5.2);        /* third: 4 s ± 20 % */
    s_stop(w);
    s_world_destroy(&w);
}

/* --------------------------------------- User-Agent and a proxy */

static void s_route_proxy(const char *target, const char *head, int seen, loopback_reply_t *r,
                          void *arg)
{
    (void) head;
    (void) seen;
    (void) arg;
    static const char site[] = "http://news.example.invalid";
    if (strncmp(target, site, strlen(site)) != 0) {
        r->status = 400;                /* a proxy is asked in absolute form */
        return;
    }
    const char *path = target + strlen(site);
    if (strcmp(path, "/feed.xml") == 0) {
        static const char body[] =
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>N</title>"
            "<item><title>A</title><link>http://news.example.invalid/a.html</link><guid>a</guid>"
            "<description>SUMMARY-A</description></item>"
            "<item><title>B</title><link>http://news.example.invalid/b/b.html</link><guid>b</guid>"
            "<description>SUMMARY-B</description></item></channel></rss>";
        s_feed_reply(r, NULL, body);
    } else if (strcmp(path, "/robots.txt") == 0) {
        /* Our product token's own group forbids /b/; everyone else may. */
        static const char rules[] = "User-agent: *\nDisallow:\n\n"
                                    "User-agent: marsad-check\nDisallow: /b/\n";
        r->status = 200;
        snprintf(r->headers, sizeof r->headers, "Content-Type: text/plain\r\n");
        r->body = rules;
        r->body_len = strlen(rules);
    } else {
        s_page_reply(r, path);
    }
}

static void test_user_agent_and_proxy(void **state)
{
    (void) state;
    world_t *w = s_world(s_route_proxy);
    /* The news site is reached only through the proxy (the loopback server
     * answering absolute-form requests): its name does not resolve. */
    char extra[256];
    snprintf(extra, sizeof extra,
             "host_delay = 0\nuser_agent = marsad-check/7 (+https://example.org/bot)\n"
             "proxy = http://127.0.0.1:%d", loopback_http_port(w->http));
    s_config(w, extra, "http://news.example.invalid/feed.xml", 600);
    s_start(w);
    doc_t docs[2];
    s_take(w, 2, docs, "SUMMARY-B");
    assert_false(s_doc(docs, 2, "/a.html")->from_feed);
    assert_true(s_doc(docs, 2, "/b/b.html")->from_feed);       /* robots group of our token */
    assert_true(s_doc(docs, 2, "/b/b.html")->has_needle);
    loopback_request_t req;
    int n = 0;
    for (; loopback_http_request(w->http, n, &req) == 0; n++) {
        assert_non_null(strstr(req.target, "http://news.example.invalid/"));
        assert_non_null(strcasestr(req.head, "\r\nUser-Agent: marsad-check/7 (+https://example.org/bot)\r\n"));
    }
    assert_int_equal(n, 3);                     /* feed, robots.txt, a.html */
    s_stop(w);
    s_world_destroy(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restart_polls_conditionally_and_sends_nothing),
        cmocka_unit_test(test_stop_with_pages_waiting_loses_nothing),
        cmocka_unit_test(test_robots_disallow_sends_the_feed_content),
        cmocka_unit_test(test_host_delay_and_page_retry_after),
        cmocka_unit_test(test_backoff_then_recovery),
        cmocka_unit_test(test_user_agent_and_proxy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
