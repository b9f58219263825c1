/*
 * fetcher.h — marsad-fetcher's run(): poll the configured sources, turn
 * new feed items into `raw` documents, keep them in the outbox until the
 * store acknowledges them (DESIGN §1, §2).
 */
#ifndef MARSAD_FETCHER_H
#define MARSAD_FETCHER_H

#include "config.h"

/* The stage's run() for marsad_daemon_run (runtime/daemon.h): returns 0
 * after a clean stop, 1 on a fatal start-up error (logged). */
int fetcher_run(const marsad_config_t *cfg, void *zctx);

#endif
