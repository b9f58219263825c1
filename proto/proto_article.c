/*
 * proto_article.c — `article`: extractor → store, an extracted article
 * with its entity mentions and claims.
 *
 * The article object (without "v") is also the "article" member of a
 * `stored` message, and the claims array is reused by alerts, so both are
 * exported to the other codecs through proto_json.h.
 */
#include "proto_json.h"

#include <stdlib.h>
#include <string.h>

static const char *const s_entity_types[] = {
    "person", "org", "place", "weapon", "media", "other", NULL
};
static const char *const s_stances[] = { "asserts", "denies", "hedges", NULL };

/* ------------------------------------------------------------ claims */

static void
s_strings_free(char **v, size_t n)
{
    for (size_t k = 0; v && k < n; k++)
        free(v[k]);
    free(v);
}

void
pj_claims_free(proto_claim_t *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++) {
        for (size_t k = 0; c[i].sources && k < c[i].n_sources; k++) {
            free(c[i].sources[k].source);
            free(c[i].sources[k].article_id);
            free(c[i].sources[k].url);
            s_strings_free(c[i].sources[k].chain, c[i].sources[k].n_chain);
        }
        free(c[i].sources);
        free(c[i].speaker);
        free(c[i].cue);
        free(c[i].stance);
        free(c[i].content);
        free(c[i].speaker_entity);
        free(c[i].sentence);
        for (size_t k = 0; c[i].chain && k < c[i].n_chain; k++)
            free(c[i].chain[k]);
        free(c[i].chain);
        for (size_t k = 0; c[i].entities && k < c[i].n_entities; k++)
            free(c[i].entities[k]);
        free(c[i].entities);
    }
    free(c);
}

void
proto_claims_free(proto_claim_t *c, size_t n)
{
    pj_claims_free(c, n);
}

/* Optional array of strings (a claim's chain and entities): omitted when
 * empty. */
static int
s_set_strings_opt(json_t *o, const char *key, char *const *v, size_t n)
{
    if (n == 0)
        return PROTO_OK;
    if (n > PJ_MAX_ITEMS)
        return PROTO_ESIZE;
    json_t *a = json_array();
    if (!a)
        return PROTO_ENOMEM;
    int rc = pj_set_new(o, key, a);
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *tmp = json_object();
        if (!tmp)
            return PROTO_ENOMEM;
        rc = pj_set_str(tmp, "s", v[i]);
        if (!rc && json_array_append(a, json_object_get(tmp, "s")) != 0)
            rc = PROTO_ENOMEM;
        json_decref(tmp);
    }
    return rc;
}

/* Absent or null: *out NULL, *n 0.  Otherwise an array of at most
 * PJ_MAX_ITEMS strings, each validated as a string field. */
static int
s_strings_opt(const json_t *o, const char *key, char ***out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    json_t *a = json_object_get(o, key);
    if (!a || json_is_null(a))
        return PROTO_OK;
    if (!json_is_array(a))
        return PROTO_ETYPE;
    size_t n = json_array_size(a);
    if (n > PJ_MAX_ITEMS)
        return PROTO_ESIZE;
    if (n == 0)
        return PROTO_OK;
    char **v = calloc(n, sizeof *v);
    if (!v)
        return PROTO_ENOMEM;
    int rc = PROTO_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *tmp = json_object();
        if (!tmp || json_object_set(tmp, "s", json_array_get(a, i)) != 0)
            rc = PROTO_ENOMEM;
        else
            rc = pj_str(tmp, "s", 0, &v[i]);
        json_decref(tmp);
    }
    if (rc) {
        for (size_t i = 0; i < n; i++)
            free(v[i]);
        free(v);
        return rc;
    }
    *out = v;
    *n_out = n;
    return PROTO_OK;
}

static int
s_offsets_ok(int64_t start, int64_t end)
{
    return start >= 0 && start <= end;
}

/* An alert ledger claim's `sources`: optional, so that the alerts an
 * older alerter stored still replay; omitted when empty. */
static int
s_set_sources(json_t *o, const proto_claim_source_t *s, size_t n)
{
    if (n == 0 || !s)
        return PROTO_OK;
    if (n > PJ_MAX_ITEMS)
        return PROTO_ESIZE;
    json_t *a = json_array();
    if (!a)
        return PROTO_ENOMEM;
    int rc = pj_set_new(o, "sources", a);
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *so = json_object();
        if (!so || json_array_append_new(a, so) != 0)
            return PROTO_ENOMEM;
        rc = pj_set_str(so, "source", s[i].source);
        if (!rc) rc = pj_set_str(so, "article_id", s[i].article_id);
        if (!rc) rc = pj_set_str(so, "url", s[i].url);
        if (!rc) rc = pj_set_int(so, "start", s[i].start);
        if (!rc) rc = pj_set_int(so, "end", s[i].end);
        if (!rc && !s_offsets_ok(s[i].start, s[i].end))
            rc = PROTO_ETYPE;
        if (!rc) rc = s_set_strings_opt(so, "chain", s[i].chain, s[i].n_chain);
    }
    return rc;
}

static int
s_sources(const json_t *o, proto_claim_source_t **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    json_t *a = json_object_get(o, "sources");
    if (!a || json_is_null(a))
        return PROTO_OK;
    if (!json_is_array(a))
        return PROTO_ETYPE;
    size_t n = json_array_size(a);
    if (n > PJ_MAX_ITEMS)
        return PROTO_ESIZE;
    if (n == 0)
        return PROTO_ETYPE;     /* a ledger claim came through some article */
    proto_claim_source_t *s = calloc(n, sizeof *s);
    if (!s)
        return PROTO_ENOMEM;
    /* Handed over at once so that the claim's free releases a half-parsed
     * array too. */
    *out = s;
    *n_out = n;
    int rc = PROTO_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *so = json_array_get(a, i);
        if (!json_is_object(so))
            return PROTO_ETYPE;
        rc = pj_str(so, "source", 0, &s[i].source);
        if (!rc) rc = pj_str(so, "article_id", 0, &s[i].article_id);
        if (!rc) rc = pj_str(so, "url", 0, &s[i].url);
        if (!rc) rc = pj_int(so, "start", 0, INT64_MAX, &s[i].start);
        if (!rc) rc = pj_int(so, "end", 0, INT64_MAX, &s[i].end);
        if (!rc && s[i].start > s[i].end)
            rc = PROTO_ETYPE;
        if (!rc) rc = s_strings_opt(so, "chain", &s[i].chain, &s[i].n_chain);
    }
    return rc;
}

json_t *
pj_claims_array(const proto_claim_t *c, size_t n, bool with_sources, int *rc)
{
    json_t *a = json_array();
    *rc = a ? PROTO_OK : PROTO_ENOMEM;
    if (n > PJ_MAX_ITEMS)
        *rc = PROTO_ESIZE;
    for (size_t i = 0; !*rc && i < n; i++) {
        json_t *o = json_object();
        if (!o || json_array_append_new(a, o) != 0) {
            *rc = PROTO_ENOMEM;
            break;
        }
        *rc = pj_set_str(o, "speaker", c[i].speaker);
        if (!*rc) *rc = pj_set_str(o, "cue", c[i].cue);
        if (!*rc) *rc = pj_set_str(o, "stance", c[i].stance);
        if (!*rc) *rc = pj_set_str(o, "content", c[i].content);
        if (!*rc) *rc = pj_set_int(o, "start", c[i].start);
        if (!*rc) *rc = pj_set_int(o, "end", c[i].end);
        if (!*rc && (!s_offsets_ok(c[i].start, c[i].end) || !pj_in(c[i].stance, s_stances)
                     || !s_offsets_ok(c[i].speaker_start, c[i].speaker_end)
                     || !s_offsets_ok(c[i].cue_start, c[i].cue_end)))
            *rc = PROTO_ETYPE;
        if (!*rc) *rc = pj_set_str_opt(o, "speaker_entity", c[i].speaker_entity);
        if (!*rc && c[i].speaker_end > c[i].speaker_start) {
            *rc = pj_set_int(o, "speaker_start", c[i].speaker_start);
            if (!*rc) *rc = pj_set_int(o, "speaker_end", c[i].speaker_end);
        }
        if (!*rc && c[i].cue_end > c[i].cue_start) {
            *rc = pj_set_int(o, "cue_start", c[i].cue_start);
            if (!*rc) *rc = pj_set_int(o, "cue_end", c[i].cue_end);
        }
        if (!*rc) *rc = pj_set_str_opt(o, "sentence", c[i].sentence);
        if (!*rc) *rc = s_set_strings_opt(o, "chain", c[i].chain, c[i].n_chain);
        if (!*rc) *rc = s_set_strings_opt(o, "entities", c[i].entities, c[i].n_entities);
        if (!*rc && with_sources)
            *rc = s_set_sources(o, c[i].sources, c[i].n_sources);
    }
    if (*rc) {
        json_decref(a);
        return NULL;
    }
    return a;
}

int
pj_claims_parse(const json_t *arr, bool with_sources, proto_claim_t **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    size_t n = json_array_size(arr);
    if (n > PJ_MAX_ITEMS)
        return PROTO_ESIZE;
    if (n == 0)
        return PROTO_OK;
    proto_claim_t *c = calloc(n, sizeof *c);
    if (!c)
        return PROTO_ENOMEM;
    int rc = PROTO_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            rc = PROTO_ETYPE;
            break;
        }
        rc = pj_str(o, "speaker", 0, &c[i].speaker);
        if (!rc) rc = pj_str(o, "cue", 0, &c[i].cue);
        if (!rc) rc = pj_enum(o, "stance", s_stances, &c[i].stance);
        if (!rc) rc = pj_str(o, "content", 0, &c[i].content);
        if (!rc) rc = pj_int(o, "start", 0, INT64_MAX, &c[i].start);
        if (!rc) rc = pj_int(o, "end", 0, INT64_MAX, &c[i].end);
        if (!rc && c[i].start > c[i].end)
            rc = PROTO_ETYPE;
        if (!rc) rc = pj_str_opt(o, "speaker_entity", &c[i].speaker_entity);
        if (!rc) rc = pj_int_opt(o, "speaker_start", 0, INT64_MAX, 0, &c[i].speaker_start);
        if (!rc) rc = pj_int_opt(o, "speaker_end", 0, INT64_MAX, 0, &c[i].speaker_end);
        if (!rc) rc = pj_int_opt(o, "cue_start", 0, INT64_MAX, 0, &c[i].cue_start);
        if (!rc) rc = pj_int_opt(o, "cue_end", 0, INT64_MAX, 0, &c[i].cue_end);
        if (!rc && (c[i].speaker_start > c[i].speaker_end || c[i].cue_start > c[i].cue_end))
            rc = PROTO_ETYPE;
        if (!rc) rc = pj_str_opt(o, "sentence", &c[i].sentence);
        if (!rc) rc = s_strings_opt(o, "chain", &c[i].chain, &c[i].n_chain);
        if (!rc) rc = s_strings_opt(o, "entities", &c[i].entities, &c[i].n_entities);
        if (!rc && with_sources)
            rc = s_sources(o, &c[i].sources, &c[i].n_sources);
    }
    if (rc) {
        pj_claims_free(c, n);
        return rc;
    }
    *out = c;
    *n_out = n;
    return PROTO_OK;
}

/* ---------------------------------------------------------- mentions */

static void
s_mentions_free(proto_mention_t *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++) {
        free(m[i].entity);
        free(m[i].type);
        free(m[i].surface);
    }
    free(m);
}

static json_t *
s_mentions_array(const proto_mention_t *m, size_t n, int *rc)
{
    json_t *a = json_array();
    *rc = a ? PROTO_OK : PROTO_ENOMEM;
    if (n > PJ_MAX_ITEMS)
        *rc = PROTO_ESIZE;
    for (size_t i = 0; !*rc && i < n; i++) {
        json_t *o = json_object();
        if (!o || json_array_append_new(a, o) != 0) {
            *rc = PROTO_ENOMEM;
            break;
        }
        *rc = pj_set_str(o, "entity", m[i].entity);
        if (!*rc) *rc = pj_set_str(o, "type", m[i].type);
        if (!*rc) *rc = pj_set_str(o, "surface", m[i].surface);
        if (!*rc) *rc = pj_set_int(o, "start", m[i].start);
        if (!*rc) *rc = pj_set_int(o, "end", m[i].end);
        if (!*rc && m[i].sentence >= 0)
            *rc = pj_set_int(o, "sentence", m[i].sentence);
        if (!*rc && m[i].confidence != 0) {
            if (!(m[i].confidence > 0 && m[i].confidence <= 1))
                *rc = PROTO_ETYPE;
            else if (json_object_set_new(o, "confidence", json_real(m[i].confidence)) != 0)
                *rc = PROTO_ENOMEM;
        }
        if (!*rc && (!s_offsets_ok(m[i].start, m[i].end) || !pj_in(m[i].type, s_entity_types)))
            *rc = PROTO_ETYPE;
    }
    if (*rc) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static int
s_mentions_parse(const json_t *arr, proto_mention_t **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    size_t n = json_array_size(arr);
    if (n > PJ_MAX_ITEMS)
        return PROTO_ESIZE;
    if (n == 0)
        return PROTO_OK;
    proto_mention_t *m = calloc(n, sizeof *m);
    if (!m)
        return PROTO_ENOMEM;
    int rc = PROTO_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            rc = PROTO_ETYPE;
            break;
        }
        rc = pj_str(o, "entity", 0, &m[i].entity);
        if (!rc) rc = pj_enum(o, "type", s_entity_types, &m[i].type);
        if (!rc) rc = pj_str(o, "surface", 0, &m[i].surface);
        if (!rc) rc = pj_int(o, "start", 0, INT64_MAX, &m[i].start);
        if (!rc) rc = pj_int(o, "end", 0, INT64_MAX, &m[i].end);
        if (!rc) rc = pj_int_opt(o, "sentence", -1, INT64_MAX, -1, &m[i].sentence);
        json_t *conf = json_object_get(o, "confidence");
        if (!rc && conf) {
            double c = json_number_value(conf);
            if (!json_is_number(conf) || !(c > 0 && c <= 1))
                rc = PROTO_ETYPE;
            else
                m[i].confidence = c;
        }
        if (!rc && m[i].start > m[i].end)
            rc = PROTO_ETYPE;
    }
    if (rc) {
        s_mentions_free(m, n);
        return rc;
    }
    *out = m;
    *n_out = n;
    return PROTO_OK;
}

/* ----------------------------------------------------------- article */

json_t *
pj_article_object(const proto_article_t *m, bool with_v, int *rc)
{
    json_t *o = json_object();
    if (!o) {
        *rc = PROTO_ENOMEM;
        return NULL;
    }
    *rc = with_v ? pj_set_int(o, "v", PROTO_VERSION) : PROTO_OK;
    if (!*rc) *rc = pj_set_str(o, "id", m->id);
    if (!*rc) *rc = pj_set_str(o, "source", m->source);
    if (!*rc) *rc = pj_set_str(o, "url", m->url);
    if (!*rc) *rc = pj_set_str_opt(o, "canonical_url", m->canonical_url);
    if (!*rc) *rc = pj_set_str_opt(o, "author", m->author);
    if (!*rc) *rc = pj_set_str_opt(o, "site_name", m->site_name);
    if (!*rc) *rc = pj_set_str(o, "title", m->title);
    if (!*rc) *rc = pj_set_str(o, "text", m->text);
    if (!*rc) *rc = pj_set_str(o, "lang", m->lang);
    if (!*rc) *rc = pj_set_str_opt(o, "published_at", m->published_at);
    if (!*rc) *rc = pj_set_str(o, "fetched_at", m->fetched_at);
    if (!*rc) *rc = pj_set_str(o, "content_hash", m->content_hash);
    if (!*rc) {
        json_t *a = s_mentions_array(m->mentions, m->n_mentions, rc);
        if (!*rc) *rc = pj_set_new(o, "mentions", a);
    }
    if (!*rc) {
        json_t *a = pj_claims_array(m->claims, m->n_claims, false, rc);
        if (!*rc) *rc = pj_set_new(o, "claims", a);
    }
    /* Offsets must point inside the text, as the decoder checks. */
    size_t text_len = *rc ? 0 : strlen(m->text);
    for (size_t i = 0; !*rc && i < m->n_mentions; i++)
        if ((uint64_t) m->mentions[i].end > text_len)
            *rc = PROTO_ETYPE;
    for (size_t i = 0; !*rc && i < m->n_claims; i++)
        if ((uint64_t) m->claims[i].end > text_len
            || (uint64_t) m->claims[i].speaker_end > text_len
            || (uint64_t) m->claims[i].cue_end > text_len)
            *rc = PROTO_ETYPE;
    if (*rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int
pj_article_parse(const json_t *o, proto_article_t *m)
{
    memset(m, 0, sizeof *m);
    if (!json_is_object(o))
        return PROTO_ETYPE;
    json_t *mentions = NULL, *claims = NULL;
    int rc = pj_str(o, "id", 0, &m->id);
    if (!rc) rc = pj_str(o, "source", 0, &m->source);
    if (!rc) rc = pj_str(o, "url", 0, &m->url);
    if (!rc) rc = pj_str_opt(o, "canonical_url", &m->canonical_url);
    if (!rc) rc = pj_str_opt(o, "author", &m->author);
    if (!rc) rc = pj_str_opt(o, "site_name", &m->site_name);
    if (!rc) rc = pj_str(o, "title", 0, &m->title);
    /* The text alone may use the whole frame: no 8 MiB field cap. */
    if (!rc) rc = pj_str(o, "text", PROTO_MAX_JSON, &m->text);
    if (!rc) rc = pj_str(o, "lang", 0, &m->lang);
    if (!rc) rc = pj_str_opt(o, "published_at", &m->published_at);
    if (!rc) rc = pj_str(o, "fetched_at", 0, &m->fetched_at);
    if (!rc) rc = pj_str(o, "content_hash", 0, &m->content_hash);
    if (!rc) rc = pj_array(o, "mentions", &mentions);
    if (!rc) rc = pj_array(o, "claims", &claims);
    if (!rc) rc = s_mentions_parse(mentions, &m->mentions, &m->n_mentions);
    if (!rc) rc = pj_claims_parse(claims, false, &m->claims, &m->n_claims);
    /* Offsets must point inside the text they refer to. */
    size_t text_len = m->text ? strlen(m->text) : 0;
    for (size_t i = 0; !rc && i < m->n_mentions; i++)
        if ((uint64_t) m->mentions[i].end > text_len)
            rc = PROTO_ETYPE;
    for (size_t i = 0; !rc && i < m->n_claims; i++)
        if ((uint64_t) m->claims[i].end > text_len
            || (uint64_t) m->claims[i].speaker_end > text_len
            || (uint64_t) m->claims[i].cue_end > text_len)
            rc = PROTO_ETYPE;
    if (rc)
        proto_article_clear(m);
    return rc;
}

int
proto_article_encode(const proto_article_t *m, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    int rc;
    json_t *o = pj_article_object(m, true, &rc);
    if (!o)
        return rc;
    rc = pj_frames("article", o, m->index, m->index_len, m->index != NULL, out);
    json_decref(o);
    return rc;
}

int
proto_article_decode(const proto_frames_t *in, proto_article_t *m)
{
    memset(m, 0, sizeof *m);
    json_t *o;
    /* 2 frames, or 3 with the index (PROTOCOL.md §4.2.1) */
    int rc = pj_open(in, in && in->n == 3 ? 3 : 2, "article", &o);
    if (rc)
        return rc;
    rc = pj_article_parse(o, m);
    json_decref(o);
    if (!rc && in->n == 3) {
        m->index = malloc(in->len[2] ? in->len[2] : 1);
        if (!m->index) {
            proto_article_clear(m);
            return PROTO_ENOMEM;
        }
        memcpy(m->index, in->data[2], in->len[2]);
        m->index_len = in->len[2];
    }
    return rc;
}

void
proto_article_clear(proto_article_t *m)
{
    if (!m)
        return;
    free(m->id);
    free(m->source);
    free(m->url);
    free(m->canonical_url);
    free(m->author);
    free(m->site_name);
    free(m->title);
    free(m->text);
    free(m->lang);
    free(m->published_at);
    free(m->fetched_at);
    free(m->content_hash);
    free(m->index);
    s_mentions_free(m->mentions, m->n_mentions);
    pj_claims_free(m->claims, m->n_claims);
    memset(m, 0, sizeof *m);
}

char *
proto_article_to_json(const proto_article_t *m, bool pretty)
{
    int rc;
    json_t *o = pj_article_object(m, true, &rc);
    if (!o)
        return NULL;
    char *text = pj_dump(o, pretty, NULL);
    json_decref(o);
    return text;
}
