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
#include <unistd.h>

struct loopback_http {
    char dir[1024];
    int fd;
    int port;
    atomic_int stop;
    atomic_int requests;
    pthread_t thread;
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

void loopback_http_destroy(loopback_http_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    loopback_http_t *self = *self_p;
    atomic_store(&self->stop, 1);
    pthread_join(self->thread, NULL);
    close(self->fd);
    free(self);
    *self_p = NULL;
}
