/*
 * loopback_http.c — the integration tests' HTTP server (see loopback_http.h).
 * Deliberately plain: it exists so the fetcher is tested against a real
 * socket and a real HTTP exchange, not to be a web server.
 */
#include "loopback_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LOG_MAX 512

struct loopback_http {
    char dir[1024];
    int fd;
    int port;
    atomic_int stop;
    atomic_int requests;
    pthread_t thread;
    loopback_route_fn route;
    void *route_arg;
    pthread_mutex_t lock;       /* guards the log */
    loopback_request_t log[LOG_MAX];
    int n_log;
};

static const char *s_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && strcmp(dot, ".xml") == 0)
        return "application/rss+xml; charset=utf-8";
    if (dot && strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    return "application/octet-stream";
}

static void s_write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t) w;
    }
}

static void s_serve(loopback_http_t *self, int c)
{
    char req[4096];
    size_t used = 0;
    while (used < sizeof req - 1) {
        struct pollfd p = { c, POLLIN, 0 };
        if (poll(&p, 1, 2000) <= 0)
            return;
        ssize_t r = read(c, req + used, sizeof req - 1 - used);
        if (r <= 0)
            return;
        used += (size_t) r;
        req[used] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    atomic_fetch_add(&self->requests, 1);
    char method[8], path[1024];
    if (sscanf(req, "%7s %1023s", method, path) != 2 || strcmp(method, "GET") != 0
        || strstr(path, "..")) {
        const char *bad = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        s_write_all(c, bad, strlen(bad));
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int seen = 0;
    pthread_mutex_lock(&self->lock);
    for (int i = 0; i < self->n_log; i++)
        seen += strcmp(self->log[i].target, path) == 0;
    if (self->n_log < LOG_MAX) {
        loopback_request_t *e = &self->log[self->n_log++];
        snprintf(e->target, sizeof e->target, "%.*s", (int) sizeof e->target - 1, path);
        snprintf(e->head, sizeof e->head, "%.*s", (int) sizeof e->head - 1, req);
        e->at = (double) ts.tv_sec + ts.tv_nsec / 1e9;
    }
    loopback_route_fn route = self->route;
    void *route_arg = self->route_arg;
    pthread_mutex_unlock(&self->lock);
    if (route) {
        loopback_reply_t r = { 0 };
        route(path, req, seen, &r, route_arg);
        if (r.status) {
            char head[1024];
            int n = snprintf(head, sizeof head,
                             "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n",
                             r.status, r.body_len, r.headers);
            s_write_all(c, head, (size_t) n);
            if (r.body_len)
                s_write_all(c, r.body, r.body_len);
            return;
        }
    }
    char *q = strchr(path, '?');
    if (q)
        *q = '\0';
    char file[2200];
    snprintf(file, sizeof file, "%s%s", self->dir, path);
    FILE *f = fopen(file, "rb");
    if (!f) {
        const char *nf = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        s_write_all(c, nf, strlen(nf));
        return;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *body = malloc((size_t) size + 1);
    size_t got = body ? fread(body, 1, (size_t) size, f) : 0;
    fclose(f);
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", s_type(path), got);
    s_write_all(c, head, (size_t) n);
    if (body)
        s_write_all(c, body, got);
    free(body);
}

static void *s_loop(void *arg)
{
    loopback_http_t *self = arg;
    while (!atomic_load(&self->stop)) {
        struct pollfd p = { self->fd, POLLIN, 0 };
        if (poll(&p, 1, 100) <= 0)
            continue;
        int c = accept(self->fd, NULL, NULL);
        if (c < 0)
            continue;
        s_serve(self, c);
        shutdown(c, SHUT_WR);
        close(c);
    }
    return NULL;
}

loopback_http_t *loopback_http_new(const char *dir)
{
    loopback_http_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    snprintf(self->dir, sizeof self->dir, "%s", dir);
    pthread_mutex_init(&self->lock, NULL);
    self->fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(self->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (self->fd < 0 || bind(self->fd, (struct sockaddr *) &a, sizeof a) != 0
        || listen(self->fd, 16) != 0 || getsockname(self->fd, (struct sockaddr *) &a, &alen) != 0) {
        if (self->fd >= 0)
            close(self->fd);
        free(self);
        return NULL;
    }
    self->port = ntohs(a.sin_port);
    if (pthread_create(&self->thread, NULL, s_loop, self) != 0) {
        close(self->fd);
        free(self);
        return NULL;
    }
    return self;
}

int loopback_http_port(const loopback_http_t *self) { return self->port; }
int loopback_http_requests(const loopback_http_t *self)
{
    return atomic_load(&((loopback_http_t *) self)->requests);
}

void loopback_http_route(loopback_http_t *self, loopback_route_fn fn, void *arg)
{
    pthread_mutex_lock(&self->lock);
    self->route = fn;
    self->route_arg = arg;
    pthread_mutex_unlock(&self->lock);
}

int loopback_http_request(loopback_http_t *self, int i, loopback_request_t *out)
{
    pthread_mutex_lock(&self->lock);
    int rc = i >= 0 && i < self->n_log ? 0 : -1;
    if (rc == 0)
        *out = self->log[i];
    pthread_mutex_unlock(&self->lock);
    return rc;
}

void loopback_http_destroy(loopback_http_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    loopback_http_t *self = *self_p;
    atomic_store(&self->stop, 1);
    pthread_join(self->thread, NULL);
    close(self->fd);
    pthread_mutex_destroy(&self->lock);
    free(self);
    *self_p = NULL;
}
