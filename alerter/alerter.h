/*
 * alerter.h — marsad-alerter's loop: stored articles in, alerts out
 * (DESIGN §1, §2, §7).  main.c hands it to the daemon skeleton.
 */
#ifndef MARSAD_ALERTER_H
#define MARSAD_ALERTER_H

#include "config.h"

/* The stage's run(): returns 0 after a clean stop, non-zero on a fatal
 * start-up error (logged). */
int alerter_run(const marsad_config_t *cfg, void *zctx);

#endif
