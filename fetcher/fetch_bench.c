/*
 * fetch_bench.c — fetch-bench: how many conditional feed polls per second
 * the fetcher's HTTP path (http_fetch + feed_parse) sustains on loopback.
 *
 * A local HTTP/1.1 server (threads, keep-alive, 127.0.0.1 only) serves N
 * feeds; each answers 304 to If-None-Match with its ETag, except a
 * changed share (default 10 %) that answers 200 with a small RSS feed,
 * which is parsed as the fetcher would.  One round without validators
 * primes the ETags; the timed round polls all N conditionally, at most
 * PARALLEL in flight and PER_HOST connections (all feeds share one host
 * here, so PER_HOST is the parallelism on the wire).
 *
 * Each answer is also booked as the fetcher books it, in a real outbox
 * (SQLite, in a temporary directory): the source's validators and status
 * for every poll, and for a changed feed the seen-check of each item.
 *
 * Prints polls/s and the CPU seconds of the polling thread (the server's
 * threads are not counted).  Defaults are the fetcher's: one connection to
 * a host, 32 transfers in flight.  Not part of the test suite:
 *   build/fetcher/fetch-bench [-n 2000] [-c 1] [-p 32] [-changed 10]
 *   ninja -C build fetch-bench
 */
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>

#include "feed.h"
#include "http_fetch.h"
#include "outbox.h"

#define MAX_CONNS 256

static atomic_int s_stop;
static int s_changed_pct = 10;
static pthread_t s_conns[MAX_CONNS];
static atomic_int s_n_conns;

static const char s_body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Bench</title>"
    "<item><title>One</title><link>http://127.0.0.1/a/1</link><guid>1</guid>"
    "<pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;Text&lt;/p&gt;"
    "</description></item><item><title>Two</title><link>http://127.0.0.1/a/2</link>"
    "<guid>2</guid></item></channel></rss>";

static int s_send(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

static void *s_conn(void *arg)
{
    int fd = (int) (intptr_t) arg;
    char buf[8192];
    size_t used = 0;
    while (!atomic_load(&s_stop)) {
        char *end = used ? memmem(buf, used, "\r\n\r\n", 4) : NULL;
        if (!end) {
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
        *end = '\0';
        int id = 0;
        sscanf(buf, "GET /feed/%d", &id);
        bool cond = strcasestr(buf, "\r\nIf-None-Match:") != NULL;
        bool changed = id % 100 < s_changed_pct;
        char head[2048];
        int n;
        if (cond && !changed) {
            n = snprintf(head, sizeof head, "HTTP/1.1 304 Not Modified\r\nETag: \"e%d\"\r\n"
                         "Content-Length: 0\r\n\r\n", id);
            if (s_send(fd, head, (size_t) n) != 0)
                break;
        } else {
            /* Head and body in one send: two small writes meet Nagle and
             * delayed ACKs, and the bench would measure 40 ms timers. */
            n = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nETag: \"e%d\"\r\nContent-Type: "
                         "application/rss+xml; charset=utf-8\r\nContent-Length: %zu\r\n\r\n%s",
                         id, strlen(s_body), s_body);
            if (s_send(fd, head, (size_t) n) != 0)
                break;
        }
        size_t head_len = (size_t) (end + 4 - buf);
        memmove(buf, buf + head_len, used - head_len);
        used -= head_len;
    }
    close(fd);
    return NULL;
}

static void *s_accept(void *arg)
{
    int lfd = (int) (intptr_t) arg;
    while (!atomic_load(&s_stop)) {
        struct pollfd p = { lfd, POLLIN, 0 };
        if (poll(&p, 1, 100) <= 0)
            continue;
        int c = accept(lfd, NULL, NULL);
        int k = atomic_load(&s_n_conns);
        if (c < 0)
            continue;
        if (k >= MAX_CONNS || pthread_create(&s_conns[k], NULL, s_conn, (void *) (intptr_t) c)) {
            close(c);
            continue;
        }
        atomic_store(&s_n_conns, k + 1);
    }
    return NULL;
}

typedef struct {
    int done, failed, not_modified, parsed, items;
    char **etags;
    int id;
    outbox_t *outbox;           /* the fetcher's bookkeeping, for real */
} poll_t;

static int s_outstanding;

static void s_done(http_result_t *res, void *arg)
{
    poll_t *p = arg;
    s_outstanding--;
    p->done++;
    if (res->cancelled || res->failed) {
        p->failed++;
        return;
    }
    if (res->etag && !p->etags[p->id]) {
        p->etags[p->id] = res->etag;
        res->etag = NULL;
    }
    char name[32];
    snprintf(name, sizeof name, "feed-%d", p->id);
    if (!res->not_modified) {
        feed_t *f = feed_parse_charset(res->body, res->body_len, res->final_url, res->charset,
                                       NULL);
        if (f) {
            p->parsed++;
            p->items += (int) f->n_items;
            for (size_t i = 0; i < f->n_items; i++)
                if (f->items[i].id && outbox_seen(p->outbox, name, f->items[i].id) < 0)
                    p->failed++;
            feed_destroy(&f);
        }
    } else {
        p->not_modified++;
    }
    if (outbox_source_ok(p->outbox, name, p->etags[p->id], NULL, (long long) time(NULL)) != 0)
        p->failed++;
}

static double s_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static double s_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double) ru.ru_stime.tv_sec
           + ru.ru_stime.tv_usec / 1e6;
}

/* One round over all N feeds; returns wall seconds. */
static double s_round(http_fetch_t *h, int port, int n, int parallel, bool cond, poll_t *st)
{
    double t0 = s_mono();
    int next = 0;
    while ((next < n || s_outstanding > 0) && s_mono() - t0 < 300) {
        while (next < n && s_outstanding < parallel) {
            char url[128];
            snprintf(url, sizeof url, "http://127.0.0.1:%d/feed/%d", port, next);
            poll_t *p = &st[next];
            if (http_fetch_get_cond(h, url, false, cond ? p->etags[next] : NULL, NULL, s_done,
                                    p) == 0)
                s_outstanding++;
            next++;
        }
        http_fetch_run(h, 10);
    }
    return s_mono() - t0;
}

int main(int argc, char **argv)
{
    static const char usage[] =
        "usage: fetch-bench [-n FEEDS] [-c PER_HOST] [-p PARALLEL] [-changed PCT]\n"
        "Serves FEEDS feeds on loopback, polls them all once, then polls them again\n"
        "conditionally (PCT%% changed, default 10) and prints polls/s; every poll is\n"
        "booked in a SQLite outbox as the fetcher does.  Defaults: -n 2000 -c 1 -p 32.\n";
    int n = 2000, per_host = 1, parallel = 32;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        }
    }
    if (argc % 2 == 0) {
        fputs(usage, stderr);
        return 2;
    }
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-n"))
            n = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-c"))
            per_host = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-p"))
            parallel = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-changed"))
            s_changed_pct = atoi(argv[i + 1]);
        else
            n = 0;   /* an unknown option: the usage below */
    }
    if (n < 1 || per_host < 1 || parallel < 1) {
        fputs(usage, stderr);
        return 2;
    }
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    if (lfd < 0 || bind(lfd, (struct sockaddr *) &a, sizeof a) != 0 || listen(lfd, 256) != 0
        || getsockname(lfd, (struct sockaddr *) &a, &al) != 0) {
        perror("fetch-bench: listen");
        return 1;
    }
    pthread_t acc;
    pthread_create(&acc, NULL, s_accept, (void *) (intptr_t) lfd);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    http_fetch_t *h = http_fetch_new("marsad-bench", 30, 10L * 1024 * 1024);
    http_options_t o = { .per_host = per_host, .parallel = parallel };
    http_fetch_set_options(h, &o);

    char dir[] = "/tmp/fetch-bench-XXXXXX", db[64], *err = NULL;
    if (!mkdtemp(dir)) {
        perror("fetch-bench: mkdtemp");
        return 1;
    }
    snprintf(db, sizeof db, "%s/fetcher.db", dir);
    outbox_t *ob = outbox_open(db, &err);
    if (!ob) {
        fprintf(stderr, "fetch-bench: %s: %s\n", db, err ? err : "cannot open");
        return 1;
    }
    char **etags = calloc((size_t) n, sizeof *etags);
    poll_t *st = calloc((size_t) n, sizeof *st);
    for (int i = 0; i < n; i++) {
        st[i].etags = etags;
        st[i].id = i;
        st[i].outbox = ob;
    }
    double prime = s_round(h, ntohs(a.sin_port), n, parallel, false, st);
    memset(st, 0, (size_t) n * sizeof *st);
    for (int i = 0; i < n; i++) {
        st[i].etags = etags;
        st[i].id = i;
        st[i].outbox = ob;
    }
    double c0 = s_cpu();
    double wall = s_round(h, ntohs(a.sin_port), n, parallel, true, st);
    double cpu = s_cpu() - c0;
    int done = 0, failed = 0, nm = 0, parsed = 0;
    for (int i = 0; i < n; i++) {
        done += st[i].done;
        failed += st[i].failed;
        nm += st[i].not_modified;
        parsed += st[i].parsed;
    }
    printf("fetch-bench: %d feeds on loopback, %d connection(s) to the host, %d in flight,"
           " each poll booked in %s\n", n, per_host, parallel, db);
    printf("  priming round (200s): %.2f s\n", prime);
    printf("  conditional round: %d polls (%d not modified, %d changed and parsed, %d failed)"
           " in %.2f s\n", done, nm, parsed, failed, wall);
    printf("  %.0f polls/s, %.2f CPU seconds in the polling thread (%.0f polls per CPU second)\n",
           wall > 0 ? done / wall : 0.0, cpu, cpu > 0 ? done / cpu : 0.0);
    http_fetch_destroy(&h);
    outbox_destroy(&ob);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fetch-bench: cannot remove %s\n", dir);
    atomic_store(&s_stop, 1);
    pthread_join(acc, NULL);
    for (int i = 0; i < atomic_load(&s_n_conns); i++)
        pthread_join(s_conns[i], NULL);
    close(lfd);
    for (int i = 0; i < n; i++)
        free(etags[i]);
    free(etags);
    free(st);
    curl_global_cleanup();
    return failed == 0 ? 0 : 1;
}
