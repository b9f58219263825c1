/*
 * http_fetch.h — concurrent GETs on libcurl's multi interface, plus
 * file: URLs read straight from disk (for feeds configured as file:).
 *
 * The fetcher adds requests with a completion callback and calls
 * http_fetch_run() from its loop with a short timeout, interleaved with
 * zmq_poll, so neither side starves.  Per request: the configured
 * timeout, a connect timeout and a low-speed abort, up to 5 redirects
 * (http/https only; the final URL is reported), any content encoding curl
 * supports (gzip, deflate, br: decoded), HTTP/2 where the server offers
 * it (multiplexed, connections reused), the configured User-Agent and
 * proxy, a body cap counted on the DECODED bytes (so a gzip bomb is
 * aborted at the cap), and the HTTP status checked.
 */
#ifndef MARSAD_HTTP_FETCH_H
#define MARSAD_HTTP_FETCH_H

#include <stdbool.h>
#include <stddef.h>

typedef struct http_fetch http_fetch_t;

typedef struct {
    int failed;             /* 0 ok; 1 failed (see error) */
    bool cancelled;         /* the fetcher is shutting down: no result */
    char *error;            /* one line, e.g. "Could not resolve host: x" or "HTTP 404" */
    long status;            /* HTTP status, 0 for file: */
    char *final_url;        /* after redirects */
    char *content_type;     /* as received, or NULL */
    char *charset;          /* the charset parameter of content_type, or NULL */
    char *body;             /* bytes, NUL-terminated for convenience; never NULL when ok */
    size_t body_len;
    bool not_modified;      /* 304 to a conditional GET: ok, empty body */
    char *etag;             /* validators to send next time, or NULL */
    char *last_modified;
    long retry_after;       /* seconds the server asked us to wait (429/503 Retry-After), or -1 */
    long redirects;         /* redirects followed */
    double seconds;         /* the whole transfer, redirects included (0 for file:) */
    int http_version;       /* of the last response: 1 (1.0 and 1.1), 2 or 3; 0 for file: */
    bool origin_private;    /* the request's origin is on a private network (SSRF guard) */
} http_result_t;

/* Knobs beyond http_fetch_new()'s; zero fields keep the defaults. */
typedef struct {
    const char *proxy;      /* proxy URL for every request; NULL or "" for none (copied) */
    const char *ca_file;    /* CA bundle (PEM) instead of the system's; NULL or "" (copied) */
    int per_host;           /* connections to one host at once (default 1) */
    int parallel;           /* transfers in flight, all hosts (default 32; more wait) */
    int connect_timeout_s;  /* default min(timeout, 15) */
    int low_speed_s;        /* abort a transfer moving < 64 bytes/s for this long
                               (default min(timeout, 20)): a server that stalls mid-body */
} http_options_t;

/* Called once per request with the result (borrowed: the callback may
 * take fields by setting them to NULL) and the caller's ARG. */
typedef void (*http_done_fn)(http_result_t *res, void *arg);

/* TIMEOUT_S per request, MAX_BODY bytes at most.  USER_AGENT is copied. */
http_fetch_t *http_fetch_new(const char *user_agent, int timeout_s, long max_body);

/* Apply OPTS to later requests.  0, or -1 if out of memory. */
int http_fetch_set_options(http_fetch_t *self, const http_options_t *opts);

/* Cancels what is in flight: each callback is called with cancelled=true
 * so it can free its ARG.  Accepts NULL; sets *self_p = NULL. */
void http_fetch_destroy(http_fetch_t **self_p);

/* Start a GET of URL.  file: URLs are read from disk, and only when
 * ALLOW_FILE; other schemes than http, https (and file) fail.  The
 * callback always runs later, from http_fetch_run(), never from here.
 * Returns 0, or -1 if out of memory (callback not called). */
int http_fetch_get(http_fetch_t *self, const char *url, bool allow_file, http_done_fn cb,
                   void *arg);

/* Wait up to TIMEOUT_MS for network activity, move transfers along and
 * run the callbacks of finished requests.  Returns the number of
 * requests still open. */
int http_fetch_run(http_fetch_t *self, int timeout_ms);

/* As http_fetch_get(), conditional: ETAG (If-None-Match) and
 * LAST_MODIFIED (If-Modified-Since), each may be NULL; copied. */
int http_fetch_get_cond(http_fetch_t *self, const char *url, bool allow_file, const char *etag,
                        const char *last_modified, http_done_fn cb, void *arg);

/* The SSRF guard.  Each connection's address is checked before connecting
 * (libcurl's open-socket callback, so redirects and DNS answers cannot slip
 * past) and again when the transfer ends (a reused connection).  An address
 * on DENY is refused; on ALLOW, accepted; on PRIVATE, accepted only when
 * the request's origin is private itself.  A request's origin is:
 *   HTTP_ORIGIN_LEARN    decided by its first connection (a feed poll: a
 *                        source on an internal server may stay internal);
 *   HTTP_ORIGIN_PUBLIC   not private (a page linked from a public feed);
 *   HTTP_ORIGIN_PRIVATE  private (a page of an internal source).
 * Redirects to anything but http and https are always refused.  With a
 * proxy the guard is off (the proxy sees the addresses; we do not). */
typedef enum { HTTP_ORIGIN_LEARN, HTTP_ORIGIN_PUBLIC, HTTP_ORIGIN_PRIVATE } http_origin_t;

/* Turn the guard on with these CIDR lists (net_list.h syntax).  Returns 0,
 * or -1 with *ERR a malloc'd reason (caller frees). */
int http_fetch_set_guard(http_fetch_t *self, const char *private_nets, const char *allow_nets,
                         const char *deny_nets, char **err);

/* As http_fetch_get_cond(), with the request's ORIGIN for the guard
 * (http_fetch_get and http_fetch_get_cond use HTTP_ORIGIN_LEARN). */
int http_fetch_get_origin(http_fetch_t *self, const char *url, bool allow_file, const char *etag,
                          const char *last_modified, http_origin_t origin, http_done_fn cb,
                          void *arg);

/* Requests not yet completed (in flight or waiting for their callback). */
int http_fetch_active(const http_fetch_t *self);

/* The path of a file: URL (percent-decoded), malloc'd, or NULL if URL is
 * not a local absolute file: URL. */
char *http_file_path(const char *url);

/* Seconds to wait from a Retry-After VALUE (delta-seconds or an HTTP
 * date, against NOW), or -1 if it is neither. */
long http_retry_after(const char *value, long long now);

/* The charset parameter of a Content-Type value, malloc'd, or NULL. */
char *http_charset_of(const char *content_type);

#endif
