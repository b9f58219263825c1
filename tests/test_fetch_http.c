/*
 * test_fetch_http.c — http_fetch (fetcher/http_fetch.h) against a real
 * HTTP server on loopback that this test controls: conditional GET and
 * 304, 429 and 503 with Retry-After, redirects and the final URL, gzip,
 * a gzip bomb and a 1 GiB body (aborted at the cap, memory flat), a
 * server that stalls mid-body (low-speed abort, no hang), 500 then
 * recovery, connection reuse, and a wrong charset header.
 *
 * Also the hostile ones: a redirect loop, an endless chunked body, headers
 * a byte at a time, XXE and billion-laughs feeds, redirects to file: and
 * to private addresses (the SSRF guard).
 *
 * The server: one thread accepting, one thread per connection, HTTP/1.1
 * keep-alive, routes by path (s_route).  Bounded in time: every wait
 * polls a stop flag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include <zlib.h>

#include "config.h"
#include "feed.h"
#include "free_port.h"
#include "http_fetch.h"

/* ------------------------------------------------------------ server */

#define MAX_CONNS 64

typedef struct {
    int fd, port;
    atomic_int stop, connections, requests, flaky_calls;
    pthread_t accept_thread;
    pthread_t conns[MAX_CONNS];
    atomic_int n_conns;
    unsigned char *bomb;        /* gzip of 64 MiB of zeros */
    size_t bomb_len;
    unsigned char *small_gz;    /* gzip of a short text */
    size_t small_gz_len;
    unsigned char *small_zlib;  /* the same text as HTTP "deflate" (zlib format) */
    size_t small_zlib_len;
    unsigned char *small_br;    /* and as brotli */
    size_t small_br_len;
} server_t;

typedef struct {
    server_t *srv;
    int fd;
} conn_arg_t;

static const char s_feed[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>T</title>"
    "<item><title>\xD8\xA7\xD9\x84\xD8\xAD\xD9\x88\xD8\xAB\xD9\x8A</title><guid>g1</guid>"
    "</item></channel></rss>";

static const char s_gz_text[] = "hello gzip world, hello gzip world, hello gzip world";

static unsigned char *s_gzip(const void *in, size_t n, size_t repeat, size_t *out_len)
{
    z_stream z = { 0 };
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = 1 << 20, used = 0;
    unsigned char *out = malloc(cap);
    for (size_t r = 0; r < repeat; r++) {
        z.next_in = (unsigned char *) in;
        z.avail_in = (unsigned) n;
        int flush = r + 1 == repeat ? Z_FINISH : Z_NO_FLUSH;
        int rc;
        do {
            if (cap - used < 65536) {
                cap *= 2;
                out = realloc(out, cap);
            }
            z.next_out = out + used;
            z.avail_out = (unsigned) (cap - used);
            rc = deflate(&z, flush);
            used = cap - z.avail_out;
        } while (z.avail_in > 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    }
    deflateEnd(&z);
    *out_len = used;
    return out;
}

/* N bytes of IN as a brotli stream (RFC 7932) of one uncompressed
 * meta-block: valid brotli a decoder must accept, with no encoder at hand.
 * Bits go LSB first: WBITS=16 ('0'), ISLAST=0, MNIBBLES=4 ('00'), MLEN-1 in
 * 16 bits, ISUNCOMPRESSED=1, pad to a byte, the bytes, then an empty last
 * meta-block (ISLAST=1, ISLASTEMPTY=1). */
static unsigned char *s_brotli_stored(const void *in, size_t n, size_t *out_len)
{
    assert_true(n >= 1 && n <= 65536);
    unsigned char *out = malloc(n + 4);
    unsigned long v = ((unsigned long) (n - 1) << 4) | (1UL << 20);
    out[0] = (unsigned char) (v & 0xff);
    out[1] = (unsigned char) ((v >> 8) & 0xff);
    out[2] = (unsigned char) ((v >> 16) & 0xff);
    memcpy(out + 3, in, n);
    out[3 + n] = 0x03;
    *out_len = n + 4;
    return out;
}

static int s_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t) w;
    }
    return 0;
}

static int s_head(int fd, int status, const char *reason, const char *extra, long long len)
{
    char h[1024];
    int n = snprintf(h, sizeof h,
                     "HTTP/1.1 %d %s\r\nContent-Length: %lld\r\nConnection: keep-alive\r\n%s\r\n",
                     status, reason, len, extra ? extra : "");
    return s_write_all(fd, h, (size_t) n);
}

/* Answer one request; returns 0 to keep the connection, -1 to close it. */
static int s_route(server_t *srv, int fd, const char *path, const char *head)
{
    char extra[512];
    if (strcmp(path, "/feed.xml") == 0) {
        const char *inm = strcasestr(head, "\r\nIf-None-Match: \"v1\"");
        if (inm)
            return s_head(fd, 304, "Not Modified", "ETag: \"v1\"\r\n", 0) == 0 ? 0 : -1;
        snprintf(extra, sizeof extra, "ETag: \"v1\"\r\nLast-Modified: Mon, 01 Jan 2024 00:00:00 GMT"
                 "\r\nContent-Type: application/rss+xml; charset=utf-8\r\n");
        if (s_head(fd, 200, "OK", extra, (long long) strlen(s_feed)) != 0)
            return -1;
        return s_write_all(fd, s_feed, strlen(s_feed));
    }
    if (strcmp(path, "/limited") == 0)
        return s_head(fd, 429, "Too Many Requests", "Retry-After: 120\r\n", 0);
    if (strcmp(path, "/busy") == 0) {
        time_t t = time(NULL) + 300;
        struct tm tm;
        gmtime_r(&t, &tm);
        char date[64];
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        snprintf(extra, sizeof extra, "Retry-After: %s\r\n", date);
        return s_head(fd, 503, "Service Unavailable", extra, 0);
    }
    if (strncmp(path, "/redir/", 7) == 0) {
        int n = atoi(path + 7);
        if (n <= 0) {
            if (s_head(fd, 200, "OK", "Content-Type: text/plain\r\n", 6) != 0)
                return -1;
            return s_write_all(fd, "landed", 6);
        }
        snprintf(extra, sizeof extra, "Location: /redir/%d\r\n", n - 1);
        return s_head(fd, 302, "Found", extra, 0);
    }
    if (strncmp(path, "/to/", 4) == 0) {     /* a redirect to another address, same port */
        snprintf(extra, sizeof extra, "Location: http://%.64s:%d/redir/0\r\n", path + 4, srv->port);
        return s_head(fd, 302, "Found", extra, 0);
    }
    if (strcmp(path, "/file") == 0)
        return s_head(fd, 302, "Found", "Location: file:///etc/passwd\r\n", 0);
    if (strcmp(path, "/gzip") == 0) {
        if (s_head(fd, 200, "OK", "Content-Encoding: gzip\r\nContent-Type: text/plain\r\n",
                   (long long) srv->small_gz_len) != 0)
            return -1;
        return s_write_all(fd, srv->small_gz, srv->small_gz_len);
    }
    if (strcmp(path, "/deflate") == 0 || strcmp(path, "/br") == 0) {
        bool br = path[1] == 'b';
        const unsigned char *body = br ? srv->small_br : srv->small_zlib;
        size_t len = br ? srv->small_br_len : srv->small_zlib_len;
        snprintf(extra, sizeof extra, "Content-Encoding: %s\r\nContent-Type: text/plain\r\n",
                 br ? "br" : "deflate");
        if (s_head(fd, 200, "OK", extra, (long long) len) != 0)
            return -1;
        return s_write_all(fd, body, len);
    }
    if (strcmp(path, "/bomb") == 0) {
        if (s_head(fd, 200, "OK", "Content-Encoding: gzip\r\nContent-Type: text/plain\r\n",
                   (long long) srv->bomb_len) != 0)
            return -1;
        s_write_all(fd, srv->bomb, srv->bomb_len);
        return -1;
    }
    if (strcmp(path, "/stall") == 0) {
        if (s_head(fd, 200, "OK", "Content-Type: text/plain\r\n", 1000) != 0)
            return -1;
        s_write_all(fd, "0123456789", 10);
        for (int i = 0; i < 100 && !atomic_load(&srv->stop); i++)
            usleep(100 * 1000);                     /* 10 s at most */
        return -1;
    }
    if (strcmp(path, "/huge") == 0) {
        if (s_head(fd, 200, "OK", "Content-Type: text/plain\r\n", 1LL << 30) != 0)
            return -1;
        static char zeros[65536];
        for (long long sent = 0; sent < (1LL << 30) && !atomic_load(&srv->stop);
             sent += (long long) sizeof zeros)
            if (s_write_all(fd, zeros, sizeof zeros) != 0)
                break;                              /* the client gave up: good */
        return -1;
    }
    if (strncmp(path, "/fixture/", 9) == 0 && !strstr(path, "..")) {
        /* a file of tests/data/feeds, served as a feed (XXE, billion laughs) */
        char file[1024];
        const char *root = getenv("MARSAD_SOURCE_ROOT");
        snprintf(file, sizeof file, "%s/tests/data/feeds/%s", root ? root : ".", path + 9);
        FILE *f = fopen(file, "rb");
        if (!f)
            return s_head(fd, 404, "Not Found", NULL, 0);
        static char body[1 << 16];
        size_t n = fread(body, 1, sizeof body, f);
        fclose(f);
        if (s_head(fd, 200, "OK", "Content-Type: application/rss+xml\r\n", (long long) n) != 0)
            return -1;
        return s_write_all(fd, body, n);
    }
    if (strcmp(path, "/loop") == 0)           /* a redirect to itself, forever */
        return s_head(fd, 302, "Found", "Location: /loop\r\n", 0);
    if (strcmp(path, "/chunked-forever") == 0) {
        /* an endless chunked body: no length to refuse up front */
        const char *h = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                        "Content-Type: text/plain\r\n\r\n";
        if (s_write_all(fd, h, strlen(h)) != 0)
            return -1;
        static char chunk[8192 + 16];
        int hl = snprintf(chunk, sizeof chunk, "2000\r\n");
        memset(chunk + hl, 'x', 8192);
        memcpy(chunk + hl + 8192, "\r\n", 2);
        for (int i = 0; i < 200000 && !atomic_load(&srv->stop); i++)   /* 1.6 GB at most */
            if (s_write_all(fd, chunk, (size_t) hl + 8192 + 2) != 0)
                break;                              /* the client gave up: good */
        return -1;
    }
    if (strcmp(path, "/slowloris") == 0) {
        /* the status line and headers one byte every 300 ms */
        const char *h = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nContent-Length: 2\r\n\r\nok";
        for (size_t i = 0; h[i] && !atomic_load(&srv->stop); i++) {
            if (s_write_all(fd, h + i, 1) != 0)
                break;
            usleep(300 * 1000);
        }
        return -1;
    }
    if (strcmp(path, "/flaky") == 0) {
        if (atomic_fetch_add(&srv->flaky_calls, 1) == 0)
            return s_head(fd, 500, "Internal Server Error", NULL, 0);
        if (s_head(fd, 200, "OK", "Content-Type: text/plain\r\n", 2) != 0)
            return -1;
        return s_write_all(fd, "ok", 2);
    }
    if (strcmp(path, "/wrong-charset.xml") == 0) {
        /* UTF-8 bytes, declared so, served as latin-1 by a misconfigured server. */
        if (s_head(fd, 200, "OK", "Content-Type: application/rss+xml; charset=iso-8859-1\r\n",
                   (long long) strlen(s_feed)) != 0)
            return -1;
        return s_write_all(fd, s_feed, strlen(s_feed));
    }
    return s_head(fd, 404, "Not Found", NULL, 0);
}

static void *s_conn(void *arg)
{
    conn_arg_t *a = arg;
    server_t *srv = a->srv;
    int fd = a->fd;
    free(a);
    char buf[8192];
    size_t used = 0;
    while (!atomic_load(&srv->stop)) {
        char *end = used ? memmem(buf, used, "\r\n\r\n", 4) : NULL;
        if (!end) {
            if (used >= sizeof buf - 1)
                break;
            struct pollfd p = { fd, POLLIN, 0 };
            int pr = poll(&p, 1, 100);
            if (pr < 0)
                break;
            if (pr == 0)
                continue;
            ssize_t r = recv(fd, buf + used, sizeof buf - 1 - used, 0);
            if (r <= 0)
                break;
            used += (size_t) r;
            continue;
        }
        buf[used] = '\0';
        size_t head_len = (size_t) (end + 4 - buf);
        char path[256] = "";
        sscanf(buf, "GET %255s", path);
        *end = '\0';
        atomic_fetch_add(&srv->requests, 1);
        int keep = s_route(srv, fd, path, buf);
        memmove(buf, buf + head_len, used - head_len);
        used -= head_len;
        if (keep != 0)
            break;
    }
    close(fd);
    return NULL;
}

static void *s_accept(void *arg)
{
    server_t *srv = arg;
    while (!atomic_load(&srv->stop)) {
        struct pollfd p = { srv->fd, POLLIN, 0 };
        if (poll(&p, 1, 100) <= 0)
            continue;
        int c = accept(srv->fd, NULL, NULL);
        if (c < 0)
            continue;
        int k = atomic_load(&srv->n_conns);
        if (k >= MAX_CONNS) {
            close(c);
            continue;
        }
        atomic_fetch_add(&srv->connections, 1);
        conn_arg_t *a = malloc(sizeof *a);
        a->srv = srv;
        a->fd = c;
        if (pthread_create(&srv->conns[k], NULL, s_conn, a) != 0) {
            close(c);
            free(a);
            continue;
        }
        atomic_store(&srv->n_conns, k + 1);
    }
    return NULL;
}

static server_t *s_server_new(void)
{
    server_t *srv = calloc(1, sizeof *srv);
    srv->fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(srv->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    if (bind(srv->fd, (struct sockaddr *) &a, sizeof a) != 0 || listen(srv->fd, 64) != 0
        || getsockname(srv->fd, (struct sockaddr *) &a, &al) != 0)
        fail_msg("cannot listen on loopback");
    srv->port = ntohs(a.sin_port);
    static char zeros[1 << 20];
    srv->bomb = s_gzip(zeros, sizeof zeros, 64, &srv->bomb_len);
    srv->small_gz = s_gzip(s_gz_text, strlen(s_gz_text), 1, &srv->small_gz_len);
    uLongf zl = compressBound(strlen(s_gz_text));
    srv->small_zlib = malloc(zl);
    assert_int_equal(compress(srv->small_zlib, &zl, (const Bytef *) s_gz_text,
                              strlen(s_gz_text)), Z_OK);
    srv->small_zlib_len = zl;
    srv->small_br = s_brotli_stored(s_gz_text, strlen(s_gz_text), &srv->small_br_len);
    assert_non_null(srv->bomb);
    assert_true(srv->bomb_len < 1024 * 1024);       /* it is a bomb: tiny on the wire */
    pthread_create(&srv->accept_thread, NULL, s_accept, srv);
    return srv;
}

static void s_server_destroy(server_t **p)
{
    server_t *srv = *p;
    atomic_store(&srv->stop, 1);
    pthread_join(srv->accept_thread, NULL);
    for (int i = 0; i < atomic_load(&srv->n_conns); i++)
        pthread_join(srv->conns[i], NULL);
    close(srv->fd);
    free(srv->bomb);
    free(srv->small_gz);
    free(srv->small_zlib);
    free(srv->small_br);
    free(srv);
    *p = NULL;
}

/* ------------------------------------------------------------ client */

typedef struct {
    int done;
    http_result_t res;          /* fields taken over from the callback's */
} got_t;

static void s_got(http_result_t *res, void *arg)
{
    got_t *g = arg;
    g->done = 1;
    g->res = *res;
    memset(res, 0, sizeof *res);    /* ours now */
}

static void s_clear(got_t *g)
{
    free(g->res.error);
    free(g->res.final_url);
    free(g->res.content_type);
    free(g->res.charset);
    free(g->res.body);
    free(g->res.etag);
    free(g->res.last_modified);
    memset(g, 0, sizeof *g);
}

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

/* GET PATH from the server, conditional on ETAG (may be NULL), as a request
 * of ORIGIN (the SSRF guard), and wait (30 s at most) for the result. */
static void s_get_origin_cond(http_fetch_t *h, server_t *srv, const char *path, const char *etag,
                              http_origin_t origin, got_t *g)
{
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv->port, path);
    memset(g, 0, sizeof *g);
    assert_int_equal(http_fetch_get_origin(h, url, false, etag, NULL, origin, s_got, g), 0);
    double t0 = s_now();
    while (!g->done && s_now() - t0 < 30)
        http_fetch_run(h, 50);
    assert_true(g->done);
}

static void s_get_origin(http_fetch_t *h, server_t *srv, const char *path, http_origin_t origin,
                         got_t *g)
{
    s_get_origin_cond(h, srv, path, NULL, origin, g);
}

/* As a feed poll does (the origin learned from the first connection). */
static void s_get(http_fetch_t *h, server_t *srv, const char *path, const char *etag, got_t *g)
{
    s_get_origin_cond(h, srv, path, etag, HTTP_ORIGIN_LEARN, g);
}

typedef struct {
    server_t *srv;
    http_fetch_t *h;
} fx_t;

static int s_setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    fx->srv = s_server_new();
    fx->h = http_fetch_new("marsad-test/1", 10, 1024 * 1024);
    http_options_t o = { .low_speed_s = 2 };
    http_fetch_set_options(fx->h, &o);
    *state = fx;
    return fx->h ? 0 : -1;
}

static int s_teardown(void **state)
{
    fx_t *fx = *state;
    http_fetch_destroy(&fx->h);
    s_server_destroy(&fx->srv);
    free(fx);
    return 0;
}

/* ------------------------------------------------------------- tests */

static void test_conditional_get_and_reuse(void **state)
{
    fx_t *fx = *state;
    got_t g;
    s_get(fx->h, fx->srv, "/feed.xml", NULL, &g);
    assert_int_equal(g.res.failed, 0);
    assert_int_equal(g.res.status, 200);
    assert_string_equal(g.res.etag, "\"v1\"");
    assert_string_equal(g.res.last_modified, "Mon, 01 Jan 2024 00:00:00 GMT");
    assert_string_equal(g.res.charset, "utf-8");
    char *etag = strdup(g.res.etag);
    s_clear(&g);

    s_get(fx->h, fx->srv, "/feed.xml", etag, &g);
    assert_int_equal(g.res.failed, 0);
    assert_true(g.res.not_modified);                /* 304: ok, and nothing to parse */
    assert_int_equal(g.res.body_len, 0);
    s_clear(&g);
    s_get(fx->h, fx->srv, "/feed.xml", etag, &g);
    assert_true(g.res.not_modified);
    s_clear(&g);
    free(etag);
    /* Three requests, one connection: kept alive and reused. */
    assert_int_equal(atomic_load(&fx->srv->requests), 3);
    assert_int_equal(atomic_load(&fx->srv->connections), 1);
}

static void test_retry_after(void **state)
{
    fx_t *fx = *state;
    got_t g;
    s_get(fx->h, fx->srv, "/limited", NULL, &g);
    assert_int_equal(g.res.failed, 1);
    assert_int_equal(g.res.status, 429);
    assert_int_equal(g.res.retry_after, 120);
    s_clear(&g);

    s_get(fx->h, fx->srv, "/busy", NULL, &g);
    assert_int_equal(g.res.status, 503);
    assert_in_range(g.res.retry_after, 290, 301);   /* an HTTP date 300 s ahead */
    s_clear(&g);

    s_get(fx->h, fx->srv, "/feed.xml", NULL, &g);
    assert_int_equal(g.res.retry_after, -1);        /* none given */
    s_clear(&g);

    assert_int_equal(http_retry_after("  42", 0), 42);
    assert_int_equal(http_retry_after("soon", 0), -1);
    assert_int_equal(http_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40), 60);
}

static void test_redirects(void **state)
{
    fx_t *fx = *state;
    got_t g;
    s_get(fx->h, fx->srv, "/redir/5", NULL, &g);    /* 5 redirects: allowed */
    assert_int_equal(g.res.failed, 0);
    assert_int_equal(g.res.redirects, 5);
    assert_string_equal(g.res.body, "landed");
    assert_non_null(strstr(g.res.final_url, "/redir/0"));
    s_clear(&g);

    s_get(fx->h, fx->srv, "/redir/6", NULL, &g);    /* 6: one too many */
    assert_int_equal(g.res.failed, 1);
    assert_non_null(g.res.error);
    s_clear(&g);
}

/* The SSRF guard: private addresses only for sources that are private
 * themselves, deny and allow lists, no redirect to file:, and a reused
 * connection checked as well as a new one.  Everything here is on
 * loopback, so "public" is made by naming only 127.0.0.2 private. */
static void test_ssrf_guard(void **state)
{
    fx_t *fx = *state;
    got_t g;
    char *err = NULL;
    assert_int_equal(http_fetch_set_guard(fx->h, FETCHER_PRIVATE_NETS, "", "", &err), 0);

    /* A feed on loopback is private: it may redirect within loopback. */
    s_get(fx->h, fx->srv, "/redir/1", NULL, &g);
    assert_int_equal(g.res.failed, 0);
    assert_true(g.res.origin_private);
    assert_string_equal(g.res.body, "landed");
    s_clear(&g);
    /* ... and its connection stays open.  A page of a public source may not
     * use it: no new socket is opened, the check at the end refuses. */
    int conns = atomic_load(&fx->srv->connections);
    s_get_origin(fx->h, fx->srv, "/redir/0", HTTP_ORIGIN_PUBLIC, &g);
    assert_int_equal(atomic_load(&fx->srv->connections), conns);   /* reused */
    assert_int_equal(g.res.failed, 1);
    assert_null(g.res.body);
    assert_non_null(strstr(g.res.error, "SSRF guard"));
    s_clear(&g);
    /* A page of a private source may. */
    s_get_origin(fx->h, fx->srv, "/redir/0", HTTP_ORIGIN_PRIVATE, &g);
    assert_int_equal(g.res.failed, 0);
    s_clear(&g);

    /* A fresh client: a public-origin request is refused before it connects. */
    http_fetch_destroy(&fx->h);
    fx->h = http_fetch_new("marsad-test/1", 10, 1024 * 1024);
    assert_int_equal(http_fetch_set_guard(fx->h, FETCHER_PRIVATE_NETS, "", "", &err), 0);
    conns = atomic_load(&fx->srv->connections);
    s_get_origin(fx->h, fx->srv, "/feed.xml", HTTP_ORIGIN_PUBLIC, &g);
    assert_int_equal(g.res.failed, 1);
    assert_non_null(strstr(g.res.error, "refused to connect to 127.0.0.1"));
    assert_int_equal(atomic_load(&fx->srv->connections), conns);   /* never connected */
    s_clear(&g);

    /* A public-looking source redirected to a private address. */
    assert_int_equal(http_fetch_set_guard(fx->h, "127.0.0.2", "", "", &err), 0);
    s_get(fx->h, fx->srv, "/to/127.0.0.2", NULL, &g);
    assert_int_equal(g.res.failed, 1);
    assert_false(g.res.origin_private);
    assert_non_null(strstr(g.res.error, "refused to connect to 127.0.0.2"));
    assert_non_null(strstr(g.res.error, "SSRF guard"));
    s_clear(&g);
    /* The same redirect is fine where 127.0.0.2 is allowed (the server is
     * on 127.0.0.1 only, so the connection itself then fails). */
    assert_int_equal(http_fetch_set_guard(fx->h, "127.0.0.2", "127.0.0.2", "", &err), 0);
    s_get(fx->h, fx->srv, "/to/127.0.0.2", NULL, &g);
    assert_int_equal(g.res.failed, 1);
    assert_null(strstr(g.res.error, "SSRF guard"));
    s_clear(&g);

    /* A redirect to file: is never followed. */
    s_get(fx->h, fx->srv, "/file", NULL, &g);
    assert_int_equal(g.res.failed, 1);
    assert_null(g.res.body);
    s_clear(&g);

    /* deny_nets wins, even over a private origin; allow_nets opens. */
    assert_int_equal(http_fetch_set_guard(fx->h, FETCHER_PRIVATE_NETS, "", "127.0.0.1", &err), 0);
    s_get(fx->h, fx->srv, "/feed.xml", NULL, &g);
    assert_int_equal(g.res.failed, 1);
    assert_non_null(strstr(g.res.error, "deny_nets"));
    s_clear(&g);
    assert_int_equal(http_fetch_set_guard(fx->h, FETCHER_PRIVATE_NETS, "127.0.0.0/8", "", &err), 0);
    s_get_origin(fx->h, fx->srv, "/feed.xml", HTTP_ORIGIN_PUBLIC, &g);
    assert_int_equal(g.res.failed, 0);
    s_clear(&g);

    /* A bad list is an error that names the entry; the guard stays. */
    assert_int_equal(http_fetch_set_guard(fx->h, "10.0.0.0/33", "", "", &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err, "10.0.0.0/33"));
    free(err);
}

static void test_gzip_and_bomb(void **state)
{
    fx_t *fx = *state;
    got_t g;
    s_get(fx->h, fx->srv, "/gzip", NULL, &g);
    assert_int_equal(g.res.failed, 0);
    assert_string_equal(g.res.body, s_gz_text);     /* decoded */
    s_clear(&g);

    double t0 = s_now();
    s_get(fx->h, fx->srv, "/bomb", NULL, &g);       /* 64 KiB that inflate to 64 MiB */
    assert_int_equal(g.res.failed, 1);
    assert_non_null(strstr(g.res.error, "body larger than"));
    assert_null(g.res.body);
    assert_true(s_now() - t0 < 10);
    s_clear(&g);
}

/* The other encodings curl offers (Accept-Encoding): deflate and br. */
static void test_deflate_and_brotli(void **state)
{
    fx_t *fx = *state;
    const char *paths[] = { "/deflate", "/br" };
    for (int i = 0; i < 2; i++) {
        got_t g;
        s_get(fx->h, fx->srv, paths[i], NULL, &g);
        if (g.res.failed)
            fail_msg("%s: %s", paths[i], g.res.error ? g.res.error : "failed");
        assert_int_equal(g.res.body_len, strlen(s_gz_text));
        assert_memory_equal(g.res.body, s_gz_text, strlen(s_gz_text));
        s_clear(&g);
    }
}

/* The directory of NAME on PATH (or /usr/sbin, where nghttpd lives), or NULL. */
static bool s_have(const char *name, char *out, size_t cap)
{
    char path[2048];
    snprintf(path, sizeof path, "%s:/usr/sbin:/sbin", getenv("PATH") ? getenv("PATH") : "");
    for (char *dir = strtok(path, ":"); dir; dir = strtok(NULL, ":")) {
        snprintf(out, cap, "%s/%s", dir, name);
        if (access(out, X_OK) == 0)
            return true;
    }
    return false;
}

/* HTTP/2 where the server offers it: nghttpd (nghttp2's server, HTTPS with
 * ALPN h2 only) with a certificate made here, trusted through ca_file.
 * Without ca_file the same request fails: certificates are verified. */
static void test_http2_where_offered(void **state)
{
    fx_t *fx = *state;
    char nghttpd[1100], openssl[1100];
    if (!s_have("nghttpd", nghttpd, sizeof nghttpd) || !s_have("openssl", openssl, sizeof openssl)) {
        fprintf(stderr, "nghttpd or openssl missing (deploy/install-deps.sh test): skipped\n");
        skip();
    }
    char dir[] = "/tmp/marsad-h2-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[2048], file[256];
    snprintf(cmd, sizeof cmd,
             "'%s' req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
             "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout %s/key.pem "
             "-out %s/cert.pem 2>/dev/null", openssl, dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(file, sizeof file, "%s/feed.xml", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs(s_feed, f);
    fclose(f);
    int port = free_port();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char p[16], key[256], cert[256], docs[300];
        snprintf(p, sizeof p, "%d", port);
        snprintf(key, sizeof key, "%s/key.pem", dir);
        snprintf(cert, sizeof cert, "%s/cert.pem", dir);
        snprintf(docs, sizeof docs, "--htdocs=%s", dir);
        FILE *devnull = freopen("/dev/null", "w", stdout);
        (void) devnull;
        execl(nghttpd, nghttpd, "--address=127.0.0.1", docs, p, key, cert, (char *) NULL);
        _exit(127);
    }
    /* Wait for it to listen. */
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bool up = false;
    for (int i = 0; i < 100 && !up; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        up = connect(fd, (struct sockaddr *) &a, sizeof a) == 0;
        close(fd);
        if (!up)
            usleep(50 * 1000);
    }
    char url[128], ca[256];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/feed.xml", port);
    snprintf(ca, sizeof ca, "%s/cert.pem", dir);
    got_t g = { 0 };
    if (up) {
        /* Not trusted yet: verification fails. */
        assert_int_equal(http_fetch_get(fx->h, url, false, s_got, &g), 0);
        while (!g.done)
            http_fetch_run(fx->h, 50);
        assert_int_equal(g.res.failed, 1);
        s_clear(&g);
        http_options_t o = { .ca_file = ca };
        assert_int_equal(http_fetch_set_options(fx->h, &o), 0);
        assert_int_equal(http_fetch_get(fx->h, url, false, s_got, &g), 0);
        while (!g.done)
            http_fetch_run(fx->h, 50);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    assert_true(up);
    if (g.res.failed)
        fail_msg("HTTPS with ca_file: %s", g.res.error ? g.res.error : "failed");
    assert_int_equal(g.res.status, 200);
    assert_int_equal(g.res.http_version, 2);
    assert_int_equal(g.res.body_len, strlen(s_feed));
    s_clear(&g);
}

static void test_huge_body_memory_flat(void **state)
{
    fx_t *fx = *state;
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    got_t g;
    double t0 = s_now();
    s_get(fx->h, fx->srv, "/huge", NULL, &g);       /* Content-Length: 1 GiB */
    assert_int_equal(g.res.failed, 1);
    assert_non_null(strstr(g.res.error, "larger than"));
    s_clear(&g);
    getrusage(RUSAGE_SELF, &after);
    assert_true(s_now() - t0 < 10);
    /* Aborted at the 1 MiB cap: the peak grew by far less than the body. */
    assert_true(after.ru_maxrss - before.ru_maxrss < 64 * 1024);     /* KiB */
}

static void test_stall_times_out(void **state)
{
    fx_t *fx = *state;
    got_t g;
    double t0 = s_now();
    s_get(fx->h, fx->srv, "/stall", NULL, &g);      /* 10 bytes, then silence */
    double took = s_now() - t0;
    print_message("stall: %.1f s: %s\n", took, g.res.error ? g.res.error : "");
    assert_int_equal(g.res.failed, 1);
    assert_true(took >= 1.5 && took < 6);           /* low-speed abort after ~2 s, not 10 */
    s_clear(&g);
}

/* Servers that would keep a careless client forever: a redirect loop, an
 * endless chunked body, headers trickled a byte at a time.  Each ends in
 * bounded time with a clear error, and memory stays at the cap. */
static void test_hostile_servers(void **state)
{
    fx_t *fx = *state;
    got_t g;
    double t0 = s_now();
    s_get(fx->h, fx->srv, "/loop", NULL, &g);
    assert_int_equal(g.res.failed, 1);
    assert_non_null(strstr(g.res.error, "edirect"));
    assert_true(g.res.redirects <= 5);
    s_clear(&g);
    assert_true(s_now() - t0 < 5);

    t0 = s_now();
    s_get(fx->h, fx->srv, "/chunked-forever", NULL, &g);   /* cap: 1 MiB in this fixture */
    assert_int_equal(g.res.failed, 1);
    assert_non_null(strstr(g.res.error, "body larger than"));
    assert_null(g.res.body);
    s_clear(&g);
    assert_true(s_now() - t0 < 10);

    /* XML that would expand entities: served, fetched and parsed as the
     * fetcher does, nothing is expanded or fetched, and it is quick. */
    t0 = s_now();
    s_get(fx->h, fx->srv, "/fixture/rss_billion_laughs.xml", NULL, &g);
    assert_int_equal(g.res.failed, 0);
    char *err = NULL;
    feed_t *feed = feed_parse_http(g.res.body, g.res.body_len, g.res.final_url,
                                   g.res.content_type, &err);
    for (size_t i = 0; feed && i < feed->n_items; i++)
        assert_true(!feed->items[i].title || strlen(feed->items[i].title) < 1000);
    feed_destroy(&feed);
    free(err);
    err = NULL;
    s_clear(&g);
    assert_true(s_now() - t0 < 5);
    s_get(fx->h, fx->srv, "/fixture/rss_xxe_external_entity.xml", NULL, &g);
    assert_int_equal(g.res.failed, 0);
    feed = feed_parse_http(g.res.body, g.res.body_len, g.res.final_url, g.res.content_type, &err);
    if (feed) {
        char *json = feed_to_json(feed);
        assert_non_null(json);
        assert_null(strstr(json, "root:"));   /* nothing of /etc/passwd */
        free(json);
        feed_destroy(&feed);
    }
    free(err);
    s_clear(&g);

    t0 = s_now();
    s_get(fx->h, fx->srv, "/slowloris", NULL, &g);         /* low-speed limit: 2 s here */
    double dt = s_now() - t0;
    print_message("slowloris: %.1f s: %s\n", dt, g.res.error ? g.res.error : "(none)");
    assert_int_equal(g.res.failed, 1);
    assert_true(dt < 12);
    s_clear(&g);
}

static void test_500_then_recovery(void **state)
{
    fx_t *fx = *state;
    got_t g;
    s_get(fx->h, fx->srv, "/flaky", NULL, &g);
    assert_int_equal(g.res.failed, 1);
    assert_string_equal(g.res.error, "HTTP 500");
    s_clear(&g);
    s_get(fx->h, fx->srv, "/flaky", NULL, &g);
    assert_int_equal(g.res.failed, 0);
    assert_string_equal(g.res.body, "ok");
    s_clear(&g);
}

static void test_wrong_charset_header(void **state)
{
    fx_t *fx = *state;
    got_t g;
    s_get(fx->h, fx->srv, "/wrong-charset.xml", NULL, &g);
    assert_int_equal(g.res.failed, 0);
    assert_string_equal(g.res.charset, "iso-8859-1");
    char *err = NULL;
    feed_t *f = feed_parse_charset(g.res.body, g.res.body_len, g.res.final_url, g.res.charset, &err);
    assert_non_null(f);
    assert_string_equal(f->encoding, "utf-8");      /* the bytes, not the header */
    assert_string_equal(f->items[0].title, "\xD8\xA7\xD9\x84\xD8\xAD\xD9\x88\xD8\xAB\xD9\x8A");
    feed_destroy(&f);
    free(err);
    s_clear(&g);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_conditional_get_and_reuse, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_retry_after, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_redirects, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_ssrf_guard, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_servers, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_gzip_and_bomb, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_deflate_and_brotli, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_http2_where_offered, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_huge_body_memory_flat, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_stall_times_out, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_500_then_recovery, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_wrong_charset_header, s_setup, s_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
