/*
 * article_extract.h — one raw document in, one article out: HTML to text
 * and metadata (html_extract), the text library's doc, catalog entities
 * (entity_catalog).  Shared by marsad-extractor and `marsad extract`.
 */
#ifndef MARSAD_ARTICLE_EXTRACT_H
#define MARSAD_ARTICLE_EXTRACT_H

#include "entity_catalog.h"
#include "proto.h"

/* Fill OUT (caller clears it with proto_article_clear) from RAW (its body,
 * url, charset, and the feed's title, date and language as fallbacks).
 * CAT may be NULL (no entities).  Returns 0, or a negative value with *err
 * a malloc'd reason (OUT left cleared). */
int article_extract(const proto_raw_t *raw, const entity_catalog_t *cat, proto_article_t *out,
                    char **err);

#endif
