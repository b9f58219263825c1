/*
 * alert_story.h — what an article brings to a story, for a watch (issue 7):
 * its outlet, the watched entities it mentions, the positions in its claim
 * ledger.  The first article of a story to match a watch gives a `new`
 * alert and records all of these (alert_db); a later article of the story
 * gives an `update` only when one of them is not recorded yet — a new
 * outlet, a newly named entity, a new speaker or a new stance (a denial
 * after the assertion) — and is silent otherwise.
 *
 * Each is a string: "source:NAME", "entity:ID", "claim:SPEAKER|STANCE".
 */
#ifndef MARSAD_ALERT_STORY_H
#define MARSAD_ALERT_STORY_H

#include <stddef.h>
#include "proto.h"

typedef struct {
    char **v;       /* owned */
    size_t n;
} alert_story_t;

/* The features of ART for a watch whose entities are ENTITIES (only those
 * ART mentions count), with LEDGER its claim ledger (alert_ledger.h).
 * Distinct, in a stable order.  Returns 0 or -ENOMEM (OUT empty). */
int alert_story_features(const proto_article_t *art, const char *const *entities,
                         size_t n_entities, const proto_claim_t *ledger, size_t n_ledger,
                         alert_story_t *out);
void alert_story_clear(alert_story_t *s);

#endif
