/*
 * alert_ledger.c — pick the claims that involve the watched entities, and
 * merge them into a story's ledger (alert_ledger.h).
 *
 * A speaker is an entity id when the extractor resolved it, else a
 * description ("a European security official"); only ids can equal a
 * watched entity, so a described speaker enters the ledger through the
 * entities named in what it said.
 *
 * Entries merge on the exact speaker, stance and content: a syndicated
 * wire copy repeats the sentence word for word, which is what makes two
 * outlets one claim; a paraphrase stays its own entry rather than risk
 * joining two different statements.
 */
#include "alert_ledger.h"

#include <errno.h>
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

static bool s_same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A malloc'd copy of N strings; *out NULL when N is 0.  0 or -ENOMEM. */
static int s_strings_dup(char *const *v, size_t n, char ***out)
{
    *out = NULL;
    if (n == 0 || !v)
        return 0;
    char **c = calloc(n, sizeof *c);
    if (!c)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        c[i] = strdup(v[i] ? v[i] : "");
        if (!c[i]) {
            while (i > 0)
                free(c[--i]);
            free(c);
            return -ENOMEM;
        }
    }
    *out = c;
    return 0;
}

static void s_source_free(proto_claim_source_t *s)
{
    free(s->source);
    free(s->article_id);
    free(s->url);
    for (size_t i = 0; s->chain && i < s->n_chain; i++)
        free(s->chain[i]);
    free(s->chain);
    memset(s, 0, sizeof *s);
}

static int s_source_dup(const proto_claim_source_t *src, proto_claim_source_t *out)
{
    memset(out, 0, sizeof *out);
    out->source = strdup(src->source ? src->source : "");
    out->article_id = strdup(src->article_id ? src->article_id : "");
    out->url = strdup(src->url ? src->url : "");
    out->start = src->start;
    out->end = src->end;
    if (!out->source || !out->article_id || !out->url
        || s_strings_dup(src->chain, src->n_chain, &out->chain) != 0) {
        s_source_free(out);
        return -ENOMEM;
    }
    out->n_chain = out->chain ? src->n_chain : 0;
    return 0;
}

/* Free what claim E owns (E itself lives in a ledger's array). */
static void s_claim_release(proto_claim_t *e)
{
    free(e->speaker);
    free(e->cue);
    free(e->stance);
    free(e->content);
    free(e->speaker_entity);
    free(e->sentence);
    for (size_t i = 0; e->chain && i < e->n_chain; i++)
        free(e->chain[i]);
    free(e->chain);
    for (size_t i = 0; e->entities && i < e->n_entities; i++)
        free(e->entities[i]);
    free(e->entities);
    for (size_t i = 0; e->sources && i < e->n_sources; i++)
        s_source_free(&e->sources[i]);
    free(e->sources);
    memset(e, 0, sizeof *e);
}

/* Append SRC to claim C's sources.  0 or -ENOMEM (C unchanged). */
static int s_push_source(proto_claim_t *c, const proto_claim_source_t *src)
{
    proto_claim_source_t *v = realloc(c->sources, (c->n_sources + 1) * sizeof *v);
    if (!v)
        return -ENOMEM;
    c->sources = v;
    if (s_source_dup(src, &v[c->n_sources]) != 0)
        return -ENOMEM;
    c->n_sources++;
    return 0;
}

int alert_ledger_add(alert_ledger_t *l, const proto_claim_t *c, const proto_claim_source_t *src)
{
    for (size_t i = 0; i < l->n; i++) {
        proto_claim_t *e = &l->v[i];
        if (!s_same(e->speaker, c->speaker) || !s_same(e->stance, c->stance)
            || !s_same(e->content, c->content))
            continue;
        for (size_t k = 0; k < e->n_sources; k++)
            if (s_same(e->sources[k].article_id, src->article_id))
                return 0;
        if (e->n_sources >= ALERT_LEDGER_MAX_SOURCES)
            return 0;
        return s_push_source(e, src) == 0 ? 1 : -ENOMEM;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        proto_claim_t *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    proto_claim_t *e = &l->v[l->n];
    memset(e, 0, sizeof *e);
    e->speaker = strdup(c->speaker ? c->speaker : "");
    e->cue = strdup(c->cue ? c->cue : "");
    e->stance = strdup(c->stance ? c->stance : "");
    e->content = strdup(c->content ? c->content : "");
    e->speaker_entity = c->speaker_entity ? strdup(c->speaker_entity) : NULL;
    e->sentence = c->sentence ? strdup(c->sentence) : NULL;
    /* Offsets and relays are the first source's: they belong to one
     * article's text, which the sources name. */
    e->start = src->start;
    e->end = src->end;
    int rc = 0;
    if (!e->speaker || !e->cue || !e->stance || !e->content
        || (c->speaker_entity && !e->speaker_entity) || (c->sentence && !e->sentence))
        rc = -ENOMEM;
    if (rc == 0)
        rc = s_strings_dup(c->entities, c->n_entities, &e->entities);
    e->n_entities = e->entities ? c->n_entities : 0;
    if (rc == 0)
        rc = s_strings_dup(src->chain, src->n_chain, &e->chain);
    e->n_chain = e->chain ? src->n_chain : 0;
    if (rc == 0)
        rc = s_push_source(e, src);
    if (rc != 0) {
        s_claim_release(e);
        return -ENOMEM;
    }
    l->n++;
    return 1;
}

proto_claim_t *alert_ledger_take(alert_ledger_t *l, size_t *n)
{
    proto_claim_t *v = l->v;
    *n = v ? l->n : 0;
    memset(l, 0, sizeof *l);
    return v;
}

void alert_ledger_clear(alert_ledger_t *l)
{
    if (!l)
        return;
    proto_claims_free(l->v, l->n);
    memset(l, 0, sizeof *l);
}
