/*
 * alert_ledger.c — pick the claims that involve the watched entities
 * (alert_ledger.h).
 *
 * A speaker is an entity id when the extractor resolved it, else a
 * description ("a European security official"); only ids can equal a
 * watched entity, so a described speaker enters the ledger through the
 * entities named in what it said.
 */
#include "alert_ledger.h"

#include <stdlib.h>
#include <string.h>

static bool s_is_watched(const char *id, const char *const *entities, size_t n)
{
    for (size_t i = 0; id && i < n; i++)
        if (entities[i] && strcmp(entities[i], id) == 0)
            return true;
    return false;
}

static bool s_involves(const proto_article_t *art, const proto_claim_t *c,
                       const char *const *entities, size_t n_entities,
                       const query_hit_t *hits, size_t n_hits)
{
    if (n_entities == 0) {
        for (size_t i = 0; i < n_hits; i++)
            if (!hits[i].in_title && (int64_t) hits[i].start >= c->start
                && (int64_t) hits[i].end <= c->end)
                return true;
        return false;
    }
    if (s_is_watched(c->speaker, entities, n_entities))
        return true;
    for (size_t i = 0; i < art->n_mentions; i++) {
        const proto_mention_t *m = &art->mentions[i];
        if (m->start >= c->start && m->end <= c->end
            && s_is_watched(m->entity, entities, n_entities))
            return true;
    }
    return false;
}

long alert_ledger(const proto_article_t *art, const char *const *entities, size_t n_entities,
                  const query_hit_t *hits, size_t n_hits, proto_claim_t **out)
{
    *out = NULL;
    if (!art || art->n_claims == 0)
        return 0;
    proto_claim_t *v = calloc(art->n_claims, sizeof *v);
    if (!v)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < art->n_claims; i++)
        if (s_involves(art, &art->claims[i], entities, n_entities, hits, n_hits))
            v[n++] = art->claims[i];
    if (n == 0) {
        free(v);
        return 0;
    }
    *out = v;
    return (long) n;
}
