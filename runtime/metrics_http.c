/*
 * metrics_http.c — the HTTP side of metrics.h: one thread, one connection
 * at a time, GET /metrics (Prometheus text), GET /status (JSON) and the
 * JSON documents the stage published (metrics_set_document), nothing else.  Requests are read with a deadline so a client that sends
 * nothing cannot hold the thread.
 */
#include "metrics.h"
#include "metrics_internal.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct metrics_server {
    int fd;
    atomic_int stop;
    pthread_t thread;
    metrics_t *m;
};

static void s_send(int c, const char *status, const char *type, const char *body)
{
    char head[256];
    size_t len = body ? strlen(body) : 0;
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", status, type, len);
    const char *parts[2] = { head, body };
    size_t lens[2] = { (size_t) n, len };
    for (int i = 0; i < 2; i++) {
        const char *p = parts[i];
        size_t left = lens[i];
        while (left > 0) {
            ssize_t w = send(c, p, left, MSG_NOSIGNAL);
            if (w <= 0)
                return;
            p += w;
            left -= (size_t) w;
        }
    }
}

static void s_handle(struct metrics_server *self, int c)
{
    char req[2048];
    size_t used = 0;
    while (used < sizeof req - 1 && !memchr(req, '\n', used)) {
        struct pollfd p = { c, POLLIN, 0 };
        if (poll(&p, 1, 2000) <= 0)
            return;
        ssize_t r = recv(c, req + used, sizeof req - 1 - used, 0);
        if (r <= 0)
            return;
        used += (size_t) r;
    }
    req[used] = '\0';
    char *body = NULL;
    if (strncmp(req, "GET /metrics ", 13) == 0 || strncmp(req, "GET /metrics?", 13) == 0) {
        body = metrics_render(self->m);
        s_send(c, body ? "200 OK" : "500 Internal Server Error",
               "text/plain; version=0.0.4; charset=utf-8", body ? body : "out of memory\n");
    } else if (strncmp(req, "GET /status ", 12) == 0) {
        body = metrics_render_status(self->m);
        s_send(c, body ? "200 OK" : "500 Internal Server Error", "application/json",
               body ? body : "{}");
    } else if (strncmp(req, "GET /", 5) == 0) {
        char path[32] = "";
        size_t n = strcspn(req + 4, " ?\r\n");
        if (n < sizeof path)
            memcpy(path, req + 4, n), path[n] = '\0';
        body = *path ? metrics_document(self->m, path) : NULL;
        if (body)
            s_send(c, "200 OK", "application/json", body);
        else
            s_send(c, "404 Not Found", "text/plain", "try /metrics or /status\n");
    } else {
        s_send(c, "405 Method Not Allowed", "text/plain", "GET only\n");
    }
    free(body);
}

static void *s_loop(void *arg)
{
    struct metrics_server *self = arg;
    while (!atomic_load(&self->stop)) {
        struct pollfd p = { self->fd, POLLIN, 0 };
        if (poll(&p, 1, 200) <= 0)
            continue;
        int c = accept(self->fd, NULL, NULL);
        if (c < 0)
            continue;
        s_handle(self, c);
        close(c);
    }
    return NULL;
}

/* Split "host:port" / "[v6]:port" into HOST and PORT. */
static int s_split(const char *addr, char *host, size_t hn, char *port, size_t pn)
{
    const char *colon = strrchr(addr, ':');
    if (!colon || colon == addr || !colon[1])
        return -EINVAL;
    const char *h = addr;
    size_t hl = (size_t) (colon - addr);
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl >= hn || strlen(colon + 1) >= pn)
        return -EINVAL;
    memcpy(host, h, hl);
    host[hl] = '\0';
    snprintf(port, pn, "%s", colon + 1);
    return 0;
}

int metrics_serve(metrics_t *m, const char *addr)
{
    char host[256], port[16];
    if (!m || !addr || s_split(addr, host, sizeof host, port, sizeof port) != 0)
        return -EINVAL;
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *res = NULL;
    if (getaddrinfo(host, port, &hints, &res) != 0 || !res)
        return -EINVAL;
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1, rc = 0;
    if (fd < 0)
        rc = -errno;
    else if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
             || bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 16) != 0)
        rc = -errno;
    freeaddrinfo(res);
    if (rc != 0) {
        if (fd >= 0)
            close(fd);
        return rc;
    }
    struct metrics_server *self = calloc(1, sizeof *self);
    if (!self) {
        close(fd);
        return -ENOMEM;
    }
    self->fd = fd;
    self->m = m;
    if (pthread_create(&self->thread, NULL, s_loop, self) != 0) {
        close(fd);
        free(self);
        return -EAGAIN;
    }
    metrics_attach_server(m, self);   /* M owns the server from here on */
    return 0;
}

void metrics_server_stop(struct metrics_server **server_p)
{
    if (!server_p || !*server_p)
        return;
    struct metrics_server *self = *server_p;
    atomic_store(&self->stop, 1);
    pthread_join(self->thread, NULL);
    close(self->fd);
    free(self);
    *server_p = NULL;
}
