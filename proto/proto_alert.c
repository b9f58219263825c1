/*
 * proto_alert.c — `alert.<watch>`: alerter → subscribers.
 *
 * The one message outsiders read, so its body is self-describing
 * ("schema": "marsad.alert/1") and carries everything a subscriber shows:
 * the article, what matched, a snippet and the claims involving the
 * watched entities.  The topic repeats the watch name so that subscribers
 * can filter with a ZeroMQ prefix subscription ("alert.bout").
 */
#include "proto_json.h"

#include <stdlib.h>
#include <string.h>

#define ALERT_SCHEMA "marsad.alert/1"
#define ALERT_PREFIX "alert."

static const char *const s_severities[] = { "low", "medium", "high", "critical", NULL };
static const char *const s_kinds[] = { "new", "update", NULL };
static const char *const s_match_kinds[] = { "term", "entity", NULL };
static const char *const s_fields[] = { "title", "text", NULL };

/* A watch name is a topic suffix: [A-Za-z0-9_.-]+, and short enough that
 * the whole topic fits PROTO_MAX_TOPIC. */
static bool
s_watch_ok(const char *w, size_t len)
{
    if (len == 0 || len > PROTO_MAX_TOPIC - strlen(ALERT_PREFIX))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = w[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
              || c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

static void
s_matches_free(proto_match_t *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++) {
        free(m[i].kind);
        free(m[i].term);
        free(m[i].entity);
        free(m[i].surface);
        free(m[i].field);
        free(m[i].sentence);
    }
    free(m);
}

static json_t *
s_matches_array(const proto_match_t *m, size_t n, int *rc)
{
    json_t *a = json_array();
    *rc = a ? PROTO_OK : PROTO_ENOMEM;
    if (n > PJ_MAX_ITEMS)
        *rc = PROTO_ESIZE;
    if (n == 0)
        *rc = PROTO_EFIELD;
    for (size_t i = 0; !*rc && i < n; i++) {
        json_t *o = json_object();
        if (!o || json_array_append_new(a, o) != 0) {
            *rc = PROTO_ENOMEM;
            break;
        }
        *rc = pj_set_str(o, "kind", m[i].kind);
        if (!*rc) *rc = pj_set_str(o, "term", m[i].term);
        if (!*rc) *rc = pj_set_str_opt(o, "entity", m[i].entity);
        if (!*rc) *rc = pj_set_str(o, "surface", m[i].surface);
        if (!*rc) *rc = pj_set_str(o, "field", m[i].field);
        if (!*rc) *rc = pj_set_int(o, "start", m[i].start);
        if (!*rc) *rc = pj_set_int(o, "end", m[i].end);
        if (!*rc) *rc = pj_set_str_opt(o, "sentence", m[i].sentence);
        if (!*rc && (m[i].start < 0 || m[i].start > m[i].end
                     || !pj_in(m[i].kind, s_match_kinds) || !pj_in(m[i].field, s_fields)))
            *rc = PROTO_ETYPE;
    }
    if (*rc) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static int
s_matches_parse(const json_t *arr, proto_match_t **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    size_t n = json_array_size(arr);
    if (n > PJ_MAX_ITEMS)
        return PROTO_ESIZE;
    if (n == 0)
        return PROTO_ETYPE;     /* an alert without a match is meaningless */
    proto_match_t *m = calloc(n, sizeof *m);
    if (!m)
        return PROTO_ENOMEM;
    int rc = PROTO_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            rc = PROTO_ETYPE;
            break;
        }
        rc = pj_enum(o, "kind", s_match_kinds, &m[i].kind);
        if (!rc) rc = pj_str(o, "term", 0, &m[i].term);
        if (!rc) rc = pj_str_opt(o, "entity", &m[i].entity);
        if (!rc) rc = pj_str(o, "surface", 0, &m[i].surface);
        if (!rc) rc = pj_enum(o, "field", s_fields, &m[i].field);
        if (!rc) rc = pj_int(o, "start", 0, INT64_MAX, &m[i].start);
        if (!rc) rc = pj_int(o, "end", 0, INT64_MAX, &m[i].end);
        if (!rc) rc = pj_str_opt(o, "sentence", &m[i].sentence);
        if (!rc && m[i].start > m[i].end)
            rc = PROTO_ETYPE;
    }
    if (rc) {
        s_matches_free(m, n);
        return rc;
    }
    *out = m;
    *n_out = n;
    return PROTO_OK;
}

static json_t *
s_object(const proto_alert_t *m, int *rc)
{
    json_t *o = json_object();
    json_t *art = json_object();
    if (!o || !art) {
        json_decref(o);
        json_decref(art);
        *rc = PROTO_ENOMEM;
        return NULL;
    }
    *rc = pj_set_int(o, "v", PROTO_VERSION);
    if (!*rc) *rc = pj_set_str(o, "schema", ALERT_SCHEMA);
    if (!*rc && m->seq < 1)
        *rc = PROTO_ETYPE;
    if (!*rc) *rc = pj_set_int(o, "seq", m->seq);
    if (!*rc) *rc = pj_set_str(o, "watch", m->watch);
    if (!*rc && !s_watch_ok(m->watch, strlen(m->watch)))
        *rc = PROTO_ETOPIC;
    if (!*rc) *rc = pj_set_str(o, "severity", m->severity);
    if (!*rc) *rc = pj_set_str(o, "kind", m->kind);
    if (!*rc && (!pj_in(m->severity, s_severities) || !pj_in(m->kind, s_kinds)))
        *rc = PROTO_ETYPE;
    if (!*rc) *rc = pj_set_str(o, "story_id", m->story_id);
    if (!*rc) *rc = pj_set_str(o, "created_at", m->created_at);
    if (!*rc) *rc = pj_set_str(art, "id", m->article_id);
    if (!*rc) *rc = pj_set_str(art, "url", m->url);
    if (!*rc) *rc = pj_set_str(art, "title", m->title);
    if (!*rc) *rc = pj_set_str(art, "source", m->source);
    if (!*rc) *rc = pj_set_str(art, "lang", m->lang);
    if (!*rc) *rc = pj_set_str_opt(art, "published_at", m->published_at);
    if (!*rc) {
        *rc = pj_set_new(o, "article", art);
        art = NULL;
    }
    if (!*rc) *rc = pj_set_str(o, "snippet", m->snippet);
    if (!*rc) {
        json_t *a = s_matches_array(m->matches, m->n_matches, rc);
        if (!*rc) *rc = pj_set_new(o, "matches", a);
    }
    if (!*rc) {
        json_t *a = pj_claims_array(m->claims, m->n_claims, true, rc);
        if (!*rc) *rc = pj_set_new(o, "claims", a);
    }
    json_decref(art);
    if (*rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Fields of a parsed, version-checked object. */
static int
s_parse(const json_t *o, proto_alert_t *m)
{
    json_t *art = NULL, *matches = NULL, *claims = NULL;
    char *schema = NULL;
    int rc = pj_str(o, "schema", 0, &schema);
    if (!rc && strcmp(schema, ALERT_SCHEMA) != 0)
        rc = PROTO_EVERSION;
    free(schema);
    if (!rc) rc = pj_int(o, "seq", 1, INT64_MAX, &m->seq);
    if (!rc) rc = pj_str(o, "watch", 0, &m->watch);
    if (!rc && !s_watch_ok(m->watch, strlen(m->watch)))
        rc = PROTO_ETYPE;
    if (!rc) rc = pj_enum(o, "severity", s_severities, &m->severity);
    if (!rc) rc = pj_enum(o, "kind", s_kinds, &m->kind);
    if (!rc) rc = pj_str(o, "story_id", 0, &m->story_id);
    if (!rc) rc = pj_str(o, "created_at", 0, &m->created_at);
    if (!rc) {
        art = json_object_get(o, "article");
        if (!art || json_is_null(art))
            rc = PROTO_EFIELD;
        else if (!json_is_object(art))
            rc = PROTO_ETYPE;
    }
    if (!rc) rc = pj_str(art, "id", 0, &m->article_id);
    if (!rc) rc = pj_str(art, "url", 0, &m->url);
    if (!rc) rc = pj_str(art, "title", 0, &m->title);
    if (!rc) rc = pj_str(art, "source", 0, &m->source);
    if (!rc) rc = pj_str(art, "lang", 0, &m->lang);
    if (!rc) rc = pj_str_opt(art, "published_at", &m->published_at);
    if (!rc) rc = pj_str(o, "snippet", 0, &m->snippet);
    if (!rc) rc = pj_array(o, "matches", &matches);
    if (!rc) rc = pj_array(o, "claims", &claims);
    if (!rc) rc = s_matches_parse(matches, &m->matches, &m->n_matches);
    if (!rc) rc = pj_claims_parse(claims, true, &m->claims, &m->n_claims);
    if (rc)
        proto_alert_clear(m);
    return rc;
}

int
proto_alert_encode(const proto_alert_t *m, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    int rc;
    json_t *o = s_object(m, &rc);
    if (!o)
        return rc;
    size_t wlen = strlen(m->watch);
    char *topic = malloc(strlen(ALERT_PREFIX) + wlen + 1);
    if (!topic) {
        json_decref(o);
        return PROTO_ENOMEM;
    }
    memcpy(topic, ALERT_PREFIX, strlen(ALERT_PREFIX));
    memcpy(topic + strlen(ALERT_PREFIX), m->watch, wlen + 1);
    rc = pj_frames(topic, o, NULL, 0, false, out);
    free(topic);
    json_decref(o);
    return rc;
}

int
proto_alert_encode_json(const char *watch, const char *json, size_t len, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    if (!watch || !s_watch_ok(watch, strlen(watch)))
        return PROTO_ETOPIC;
    if (!json || len < 2 || json[0] != '{')
        return PROTO_EJSON;
    if (len > PROTO_MAX_JSON)
        return PROTO_ESIZE;
    size_t plen = strlen(ALERT_PREFIX), wlen = strlen(watch);
    char *topic = malloc(plen + wlen + 1);
    char *text = malloc(len + 1);
    if (!topic || !text) {
        free(topic);
        free(text);
        return PROTO_ENOMEM;
    }
    memcpy(topic, ALERT_PREFIX, plen);
    memcpy(topic + plen, watch, wlen + 1);
    memcpy(text, json, len);
    text[len] = '\0';
    out->data[0] = topic;
    out->len[0] = plen + wlen;
    out->data[1] = text;
    out->len[1] = len;
    out->n = 2;
    return PROTO_OK;
}

int
proto_alert_decode(const proto_frames_t *in, proto_alert_t *m)
{
    memset(m, 0, sizeof *m);
    if (!in || in->n != 2)
        return PROTO_EFRAMES;
    size_t plen = strlen(ALERT_PREFIX);
    const char *topic = in->data[0];
    if (!topic || in->len[0] <= plen || memcmp(topic, ALERT_PREFIX, plen) != 0
        || !s_watch_ok(topic + plen, in->len[0] - plen))
        return PROTO_ETOPIC;
    json_t *o;
    int rc = pj_parse(in->data[1], in->len[1], &o);
    if (rc)
        return rc;
    rc = pj_version(o);
    if (!rc)
        rc = s_parse(o, m);
    json_decref(o);
    if (!rc && (strlen(m->watch) != in->len[0] - plen
                || memcmp(m->watch, topic + plen, in->len[0] - plen) != 0)) {
        proto_alert_clear(m);
        rc = PROTO_ETOPIC;
    }
    return rc;
}

char *
proto_alert_to_json(const proto_alert_t *m)
{
    int rc;
    json_t *o = s_object(m, &rc);
    if (!o)
        return NULL;
    char *text = pj_dump(o, false, NULL);
    json_decref(o);
    return text;
}

int
proto_alert_from_json(const char *json, size_t len, proto_alert_t *m)
{
    memset(m, 0, sizeof *m);
    json_t *o;
    int rc = pj_parse(json, len, &o);
    if (rc)
        return rc;
    rc = pj_version(o);
    if (!rc)
        rc = s_parse(o, m);
    json_decref(o);
    return rc;
}

void
proto_alert_clear(proto_alert_t *m)
{
    if (!m)
        return;
    free(m->watch);
    free(m->severity);
    free(m->kind);
    free(m->story_id);
    free(m->created_at);
    free(m->article_id);
    free(m->url);
    free(m->title);
    free(m->source);
    free(m->lang);
    free(m->published_at);
    free(m->snippet);
    s_matches_free(m->matches, m->n_matches);
    pj_claims_free(m->claims, m->n_claims);
    memset(m, 0, sizeof *m);
}
