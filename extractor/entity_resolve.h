/*
 * entity_resolve.h — inside one article, a later lone surname resolves to
 * the catalog person whose full name came before it (DESIGN §5).
 */
#ifndef MARSAD_ENTITY_RESOLVE_H
#define MARSAD_ENTITY_RESOLVE_H

#include <stddef.h>
#include "entity_catalog.h"
#include "proto.h"
#include "text.h"

/* *M holds N catalog mentions of DOC (from entity_catalog_scan; the array
 * and its strings are malloc'd and owned by the caller).  Appends a mention
 * for every lone surname (entity_catalog_surnames, clitics tolerated as in
 * the catalog) that follows a full mention of that person and is not
 * already part of a mention, then sorts *M by offset.  A surname shared by
 * two persons named earlier goes to the one named last.  Latin surnames
 * must be capitalized ("a bout of flu" is nobody).  Returns the new count
 * (*M may move), or (size_t)-1 on allocation failure (*M and its N
 * mentions still valid). */
size_t entity_resolve(const entity_catalog_t *cat, const text_doc_t *doc,
                      proto_mention_t **m, size_t n);
/* As entity_resolve, with FORM_HASHES as entity_catalog_scan_hashes left
 * them for DOC (or NULL): the surnames are then looked up, not scanned
 * for. */
size_t entity_resolve_hashes(const entity_catalog_t *cat, const text_doc_t *doc,
                             proto_mention_t **m, size_t n, const uint32_t *form_hashes);

#endif
