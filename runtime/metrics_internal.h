/*
 * metrics_internal.h — what metrics.c and metrics_http.c share and nobody
 * else sees: the server handle the metrics set owns.
 */
#ifndef MARSAD_METRICS_INTERNAL_H
#define MARSAD_METRICS_INTERNAL_H

#include "metrics.h"

struct metrics_server;
/* Stop the thread, close the socket, free; accepts NULL. */
void metrics_server_stop(struct metrics_server **server_p);
/* Give M its running server (stopping any earlier one). */
void metrics_attach_server(metrics_t *m, struct metrics_server *server);

#endif
