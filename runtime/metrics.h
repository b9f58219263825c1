/*
 * metrics.h — the counters, gauges and latency histograms a daemon keeps,
 * rendered in Prometheus' text format on GET /metrics and as JSON on
 * GET /status, from a small HTTP server thread (metrics_http.c); and a few
 * JSON documents a stage publishes beside them (metrics_set_document).
 *
 * Why a built-in server and not libmicrohttpd: two fixed GET paths on
 * loopback or a container network, one request at a time, nothing else —
 * ~150 lines we can read are less risk than a new library to ship.
 *
 * The stage loop updates series through ids; the server thread renders
 * them; a mutex keeps the two apart (updates are a few per message).
 */
#ifndef MARSAD_METRICS_H
#define MARSAD_METRICS_H

#include <stddef.h>

typedef enum { METRIC_COUNTER, METRIC_GAUGE, METRIC_HISTOGRAM } metric_type_t;

typedef struct metrics metrics_t;

/* STAGE names the process ("store") in /status.  NULL on failure. */
metrics_t *metrics_new(const char *stage);
/* Stops the server if running; accepts NULL; sets *self_p = NULL. */
void metrics_destroy(metrics_t **self_p);

/* Register a series and return its id (>= 0), or -1 when full or on bad
 * input.  NAME is a Prometheus metric name, optionally with labels:
 * `marsad_alerts_total{watch="bout"}`.  Registering the same NAME again
 * returns the same id, so callers may register lazily. */
int metrics_register(metrics_t *m, metric_type_t type, const char *name, const char *help);

void metrics_inc(metrics_t *m, int id, double by);        /* counters (and gauges) */
void metrics_set(metrics_t *m, int id, double value);     /* gauges */
void metrics_observe(metrics_t *m, int id, double seconds);  /* histograms */
double metrics_value(metrics_t *m, int id);               /* counter/gauge value, or count */

/* The whole set in Prometheus text format (malloc'd; NULL on failure). */
char *metrics_render(metrics_t *m);
/* {"stage":..,"pid":..,"uptime_s":..,"metrics":{"name":value,...}} (malloc'd). */
char *metrics_render_status(metrics_t *m);

/* Serve JSON (copied; NULL removes it) on GET PATH ("/watches") beside
 * /metrics and /status: what a stage wants to show that is not a number,
 * e.g. the alerter's active watches.  Returns 0, or -1 (out of memory, or
 * too many paths: 4). */
int metrics_set_document(metrics_t *m, const char *path, const char *json);
/* A copy of the document at PATH (malloc'd), or NULL if there is none. */
char *metrics_document(metrics_t *m, const char *path);

/* Serve GET /metrics and GET /status on ADDR ("127.0.0.1:9553", "0.0.0.0:9553",
 * "[::1]:9553") from a thread.  Returns 0, or -errno (not logged). */
int metrics_serve(metrics_t *m, const char *addr);

#endif
