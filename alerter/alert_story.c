/*
 * alert_story.c — the novelty features of an article for a watch
 * (alert_story.h).
 *
 * A claim counts by speaker and stance, not by its wording: five outlets
 * paraphrasing one denial are one position, while the same speaker moving
 * from asserting to denying is news.
 */
#include "alert_story.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void alert_story_clear(alert_story_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static int s_add(alert_story_t *s, size_t cap, const char *a, const char *b, const char *c)
{
    int len = snprintf(NULL, 0, "%s%s%s%s", a, b, c ? "|" : "", c ? c : "");
    char *f = malloc((size_t) len + 1);
    if (!f)
        return -ENOMEM;
    snprintf(f, (size_t) len + 1, "%s%s%s%s", a, b, c ? "|" : "", c ? c : "");
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->v[i], f) == 0) {
            free(f);
            return 0;
        }
    }
    if (s->n == cap) {
        free(f);
        return -ENOMEM;   /* cannot happen: CAP counts every candidate */
    }
    s->v[s->n++] = f;
    return 0;
}

int alert_story_features(const proto_article_t *art, const char *const *entities,
                         size_t n_entities, const proto_claim_t *ledger, size_t n_ledger,
                         alert_story_t *out)
{
    out->v = NULL;
    out->n = 0;
    if (!art)
        return 0;
    size_t cap = 1 + n_entities + n_ledger;
    out->v = calloc(cap, sizeof *out->v);
    if (!out->v)
        return -ENOMEM;
    int rc = 0;
    if (art->source)
        rc = s_add(out, cap, "source:", art->source, NULL);
    for (size_t e = 0; rc == 0 && e < n_entities; e++) {
        bool mentioned = false;
        for (size_t i = 0; !mentioned && i < art->n_mentions; i++)
            mentioned = art->mentions[i].entity
                        && strcmp(art->mentions[i].entity, entities[e]) == 0;
        if (mentioned)
            rc = s_add(out, cap, "entity:", entities[e], NULL);
    }
    for (size_t i = 0; rc == 0 && i < n_ledger; i++)
        rc = s_add(out, cap, "claim:", ledger[i].speaker ? ledger[i].speaker : "?",
                   ledger[i].stance ? ledger[i].stance : "?");
    if (rc != 0)
        alert_story_clear(out);
    return rc;
}
