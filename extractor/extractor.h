/*
 * extractor.h — marsad-extractor's loop: PULL raw documents, extract, PUSH
 * articles.  Stateless, so any number can run side by side; ZeroMQ
 * balances raw documents between them.
 */
#ifndef MARSAD_EXTRACTOR_H
#define MARSAD_EXTRACTOR_H

#include "config.h"

int extractor_run(const marsad_config_t *cfg, void *zctx);

#endif
