/*
 * loopback_http.h — a small HTTP/1.1 file server on 127.0.0.1 for the
 * integration tests: the fetcher talks real HTTP to it through libcurl.
 * GET only, one connection at a time, Connection: close; a route hook
 * answers chosen targets with chosen statuses, and a log of requests
 * lets a test check their timing and headers.
 */
#ifndef MARSAD_LOOPBACK_HTTP_H
#define MARSAD_LOOPBACK_HTTP_H

#include <stddef.h>

typedef struct loopback_http loopback_http_t;

/* Serve the files of DIR on an ephemeral port of 127.0.0.1 (a thread).
 * Returns NULL on failure. */
loopback_http_t *loopback_http_new(const char *dir);
int loopback_http_port(const loopback_http_t *self);
/* Number of requests served so far. */
int loopback_http_requests(const loopback_http_t *self);

/* What a route answers instead of a file.  STATUS 0: serve the file. */
typedef struct {
    int status;
    char headers[512];          /* extra header lines, each ending "\r\n" */
    const char *body;           /* borrowed: must outlive the answer */
    size_t body_len;
} loopback_reply_t;

/* Called (on the server's thread, one request at a time) with the request
 * target as sent (absolute-form through a proxy), the request head and
 * the number of earlier requests for the same target. */
typedef void (*loopback_route_fn)(const char *target, const char *head, int seen,
                                  loopback_reply_t *reply, void *arg);
void loopback_http_route(loopback_http_t *self, loopback_route_fn fn, void *arg);

/* The log of requests, for tests of timing and headers. */
typedef struct {
    char target[512];
    char head[1024];            /* request line and headers, truncated */
    double at;                  /* CLOCK_MONOTONIC seconds when it arrived */
} loopback_request_t;

/* Copy the I-th request (from 0) to *OUT: 0, or -1 if there is none. */
int loopback_http_request(loopback_http_t *self, int i, loopback_request_t *out);
void loopback_http_destroy(loopback_http_t **self_p);

#endif
