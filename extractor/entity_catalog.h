/*
 * entity_catalog.h — the catalog of known entities from config ([entity ID]:
 * names and epithets in every script), compiled into one text_matcher so a
 * document is scanned once whatever the catalog's size.
 */
#ifndef MARSAD_ENTITY_CATALOG_H
#define MARSAD_ENTITY_CATALOG_H

#include <stddef.h>
#include "config.h"
#include "proto.h"
#include "text.h"

typedef struct entity_catalog entity_catalog_t;

/* Build from the config's entities (borrowed during the call only).
 * Returns NULL on allocation failure or if a name has no words (*err set,
 * malloc'd, "entity ID: name N is empty"). */
entity_catalog_t *entity_catalog_new(const cfg_entity_t *entities, size_t n, char **err);
void entity_catalog_destroy(entity_catalog_t **self_p);

/* All mentions of catalog entities in DOC, in text order, overlapping hits
 * resolved to the longest (so "Viktor Bout" is one mention, not two).
 * *out is a malloc'd array of mentions whose strings are malloc'd (free each
 * with proto_article's rules: proto_article_clear frees them when they are
 * put into an article).  Returns the count, or (size_t)-1 on failure. */
size_t entity_catalog_scan(const entity_catalog_t *cat, const text_doc_t *doc,
                           proto_mention_t **out);
/* As entity_catalog_scan, also filling FORM_HASHES (NULL, or
 * text_doc_ntokens(doc) * TEXT_MAX_FORMS entries) as
 * text_matcher_scan_hashes does, for entity_resolve_hashes. */
size_t entity_catalog_scan_hashes(const entity_catalog_t *cat, const text_doc_t *doc,
                                  proto_mention_t **out, uint32_t *form_hashes);

/* ---- lookups for resolution (entity_resolve.h); entities by index in
 * config order, strings owned by the catalog. */
size_t entity_catalog_count(const entity_catalog_t *cat);
const char *entity_catalog_id(const entity_catalog_t *cat, size_t i);
const char *entity_catalog_type(const entity_catalog_t *cat, size_t i);
/* Index of entity ID, or -1 (binary search over a sorted index). */
long entity_catalog_find(const entity_catalog_t *cat, const char *id);
/* Surnames of entity I (persons only): the last word, as written, of each
 * of its names of two or more words.  *out points into the catalog. */
size_t entity_catalog_surnames(const entity_catalog_t *cat, size_t i, const char *const **out);
/* The same surnames' match keys (as text_matcher_add would key each one
 * as a one-word phrase; NULL for one that does not segment into one word)
 * and their text_key_hash.  Both point into the catalog. */
size_t entity_catalog_surname_keys(const entity_catalog_t *cat, size_t i, const char *const **keys,
                                   const uint32_t **hashes);

#endif
