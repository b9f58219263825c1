/*
 * alert_ledger.h — the claim ledger of an alert (issue 7, DESIGN §3): of an
 * article's claims, those that involve the watched entities — who asserts,
 * who denies — so a subscriber sees the positions without reading the
 * article.  Only the claim fields every extractor fills are relied on
 * (speaker, cue, stance, content, start, end).
 */
#ifndef MARSAD_ALERT_LEDGER_H
#define MARSAD_ALERT_LEDGER_H

#include <stddef.h>
#include "proto.h"
#include "query.h"

/* The claims of ART whose speaker is one of ENTITIES (ids), or whose
 * content span [start, end) holds a mention of one of them.  With no
 * ENTITIES, the claims whose content span holds one of the text HITS.
 * *out gets a malloc'd array (caller frees) of shallow copies: their
 * strings are borrowed from ART.  Returns the count (0: *out NULL), or -1
 * on allocation failure. */
long alert_ledger(const proto_article_t *art, const char *const *entities, size_t n_entities,
                  const query_hit_t *hits, size_t n_hits, proto_claim_t **out);

#endif
