/*
 * page_load.h — what `marsad extract` and `marsad watch test` share: read
 * a page from a file or stdin and run the extractor's whole job on it.
 */
#ifndef MARSAD_PAGE_LOAD_H
#define MARSAD_PAGE_LOAD_H

#include "config.h"
#include "proto.h"

/* Extract the page at PATH ("-" = stdin), as if fetched from URL (NULL:
 * file://PATH), with CFG's entity catalog (CFG may be NULL).  Fills OUT
 * (caller clears).  Prints the reason and returns -1 on failure. */
int page_load(const char *path, const char *url, const marsad_config_t *cfg,
              proto_article_t *out);

#endif
