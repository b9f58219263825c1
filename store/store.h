/*
 * store.h — marsad-store's loop: PULL articles, commit them in batches,
 * then PUB `ack` (for the fetcher) and `stored` (for the alerter), and
 * answer "since" requests on the REP API socket.
 */
#ifndef MARSAD_STORE_H
#define MARSAD_STORE_H

#include "config.h"

int store_run(const marsad_config_t *cfg, void *zctx);

#endif
