/*
 * alert_ledger.h — the claim ledger of an alert (issue 7, DESIGN §3): of a
 * story's claims, those that involve the watched entities — who asserts,
 * who denies — and through which sources (outlet, article, relays), so a
 * subscriber sees the positions without reading the articles.
 *
 * Two steps.  alert_ledger() picks, from one article, the claims that
 * involve the watched entities (only the claim fields every extractor
 * fills are relied on: speaker, cue, stance, content, start, end).
 * alert_ledger_add() merges such a claim into the story-wide ledger: the
 * same speaker, stance and content seen through a second article is one
 * entry with two sources.  The alert database keeps what was added
 * (alert_db.h) so the ledger outlives a restart.
 */
#ifndef MARSAD_ALERT_LEDGER_H
#define MARSAD_ALERT_LEDGER_H

#include <stddef.h>
#include "proto.h"
#include "query.h"

/* An alert lists at most this many entries of its story's ledger (the
 * latest first seen; alert_db_ledger), and this many sources per entry
 * (the first ones), so a story that runs for weeks keeps alerts small. */
#define ALERT_LEDGER_MAX_CLAIMS 200
#define ALERT_LEDGER_MAX_SOURCES 100

/* The claims of ART whose speaker is one of ENTITIES (ids), or whose
 * content span [start, end) holds a mention of one of them.  With no
 * ENTITIES, the claims whose content span holds one of the text HITS.
 * *out gets a malloc'd array (caller frees) of shallow copies: their
 * strings are borrowed from ART.  Returns the count (0: *out NULL), or -1
 * on allocation failure. */
long alert_ledger(const proto_article_t *art, const char *const *entities, size_t n_entities,
                  const query_hit_t *hits, size_t n_hits, proto_claim_t **out);

/* A story's ledger: V owns its claims deeply (strings, sources), in the
 * order they were first seen. */
typedef struct {
    proto_claim_t *v;
    size_t n, cap;
} alert_ledger_t;

/* Merge claim C, seen through SRC, into L.  C's speaker, stance and
 * content (exactly) name the entry; a new entry copies C's speaker, cue,
 * stance, content, speaker_entity, sentence and entities, with SRC's
 * offsets and chain as its own.  SRC joins an existing entry unless that
 * article is already one of its sources, or the entry has
 * ALERT_LEDGER_MAX_SOURCES.  Nothing is borrowed.  Returns 1 when L
 * changed, 0 when it already held this, or -ENOMEM (L unchanged). */
int alert_ledger_add(alert_ledger_t *l, const proto_claim_t *c, const proto_claim_source_t *src);

/* Hand L's claims over (*n their count; free with proto_claims_free) and
 * leave L empty. */
proto_claim_t *alert_ledger_take(alert_ledger_t *l, size_t *n);

/* Free what L owns; accepts a zeroed ledger. */
void alert_ledger_clear(alert_ledger_t *l);

#endif
