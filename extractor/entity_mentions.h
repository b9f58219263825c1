/*
 * entity_mentions.h — the entity mentions of one article: catalog names
 * (entity_catalog) and lone surnames after a full name (entity_resolve);
 * then, as a separate step, cue-based discoveries with "new:" ids
 * (entity_discover_mentions).  article_extract runs claims between the two,
 * so a claim's speaker is a catalog entity or a description, never a
 * guessed "new:" id.
 */
#ifndef MARSAD_ENTITY_MENTIONS_H
#define MARSAD_ENTITY_MENTIONS_H

#include <stddef.h>
#include "entity_catalog.h"
#include "proto.h"
#include "text.h"

/* Discoveries below this confidence stay out of the article (bare Title
 * Case runs); entity_discover still reports them. */
#define ENTITY_DISCOVER_MIN_CONFIDENCE 0.4

/* Catalog and resolved mentions in DOC, in text order; *out as
 * entity_catalog_scan's.  CAT may be NULL (none).  Returns the count, or
 * (size_t)-1. */
size_t entity_mentions_find(const entity_catalog_t *cat, const text_doc_t *doc,
                            proto_mention_t **out);

/* Add the discoveries of at least ENTITY_DISCOVER_MIN_CONFIDENCE to *M (N
 * mentions from entity_mentions_find), as entity_discover_mentions. */
size_t entity_mentions_discover(const text_doc_t *doc, proto_mention_t **m, size_t n);

#endif
