/*
 * loopback_http.h — a small HTTP/1.1 file server on 127.0.0.1 for the
 * integration tests: the fetcher talks real HTTP to it through libcurl.
 * GET only, one connection at a time, Connection: close.
 */
#ifndef MARSAD_LOOPBACK_HTTP_H
#define MARSAD_LOOPBACK_HTTP_H

typedef struct loopback_http loopback_http_t;

/* Serve the files of DIR on an ephemeral port of 127.0.0.1 (a thread).
 * Returns NULL on failure. */
loopback_http_t *loopback_http_new(const char *dir);
int loopback_http_port(const loopback_http_t *self);
/* Number of requests served so far. */
int loopback_http_requests(const loopback_http_t *self);
void loopback_http_destroy(loopback_http_t **self_p);

#endif
