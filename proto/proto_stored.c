/*
 * proto_stored.c — `stored`: store → alerter, an article was committed.
 *
 * Carries the store's sequence number, the story it joined and the whole
 * article, so the alerter needs no second round trip.  The same JSON object
 * is what the store's REP socket returns in an "events" reply, hence the
 * _to_json / _from_json pair.
 */
#include "proto_json.h"

#include <stdlib.h>
#include <string.h>

static json_t *
s_object(const proto_stored_t *m, int *rc)
{
    json_t *o = json_object();
    if (!o) {
        *rc = PROTO_ENOMEM;
        return NULL;
    }
    *rc = pj_set_int(o, "v", PROTO_VERSION);
    if (!*rc && m->seq < 1)
        *rc = PROTO_ETYPE;
    if (!*rc) *rc = pj_set_int(o, "seq", m->seq);
    if (!*rc) *rc = pj_set_str(o, "story_id", m->story_id);
    if (!*rc) *rc = pj_set_new(o, "duplicate", json_boolean(m->duplicate));
    if (!*rc) {
        json_t *a = pj_article_object(&m->article, false, rc);
        if (!*rc) *rc = pj_set_new(o, "article", a);
    }
    if (*rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Fields of an already parsed and version-checked object. */
static int
s_parse(const json_t *o, proto_stored_t *m)
{
    json_t *a;
    int rc = pj_int(o, "seq", 1, INT64_MAX, &m->seq);
    if (!rc) rc = pj_str(o, "story_id", 0, &m->story_id);
    if (!rc) rc = pj_bool(o, "duplicate", &m->duplicate);
    if (!rc) {
        a = json_object_get(o, "article");
        if (!a || json_is_null(a))
            rc = PROTO_EFIELD;
        else if (!json_is_object(a))
            rc = PROTO_ETYPE;
        else
            rc = pj_article_parse(a, &m->article);
    }
    if (rc)
        proto_stored_clear(m);
    return rc;
}

int
proto_stored_encode(const proto_stored_t *m, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    int rc;
    json_t *o = s_object(m, &rc);
    if (!o)
        return rc;
    rc = pj_frames("stored", o, NULL, 0, false, out);
    json_decref(o);
    return rc;
}

/* What pj_article_object(.., true) dumps first; anything else (another
 * producer's spacing or order) is left to proto_stored_encode. */
static const char s_head[] = "{\"v\":1,";
#define S_HEAD_LEN (sizeof s_head - 1)

bool
proto_stored_spliceable(const char *article_json, size_t len)
{
    return article_json && len > S_HEAD_LEN && memcmp(article_json, s_head, S_HEAD_LEN) == 0
           && article_json[len - 1] == '}';
}

int
proto_stored_encode_spliced(int64_t seq, const char *story_id, bool duplicate,
                            const char *article_json, size_t len, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    const size_t hl = S_HEAD_LEN;
    if (seq < 1 || !story_id || !proto_stored_spliceable(article_json, len))
        return PROTO_EJSON;
    json_t *o = json_object();
    int rc = o ? PROTO_OK : PROTO_ENOMEM;
    if (!rc) rc = pj_set_int(o, "v", PROTO_VERSION);
    if (!rc) rc = pj_set_int(o, "seq", seq);
    if (!rc) rc = pj_set_str(o, "story_id", story_id);
    if (!rc) rc = pj_set_new(o, "duplicate", json_boolean(duplicate));
    size_t sl = 0;
    char *small = rc ? NULL : pj_dump(o, false, &sl);
    json_decref(o);
    if (rc)
        return rc;
    if (!small)
        return PROTO_ENOMEM;
    /* {"v":1,"seq":..,"duplicate":false} + ,"article":{ + the rest after "v" */
    static const char mid[] = ",\"article\":{";
    size_t total = (sl - 1) + (sizeof mid - 1) + (len - hl) + 1;
    if (total > PROTO_MAX_JSON) {
        free(small);
        return PROTO_ESIZE;
    }
    char *text = malloc(total + 1);
    out->data[0] = strdup("stored");
    if (!text || !out->data[0]) {
        free(small);
        free(text);
        proto_frames_clear(out);
        return PROTO_ENOMEM;
    }
    char *p = text;
    memcpy(p, small, sl - 1);
    p += sl - 1;
    memcpy(p, mid, sizeof mid - 1);
    p += sizeof mid - 1;
    memcpy(p, article_json + hl, len - hl);
    p += len - hl;
    *p++ = '}';
    *p = '\0';
    free(small);
    out->len[0] = strlen("stored");
    out->data[1] = text;
    out->len[1] = total;
    out->n = 2;
    return PROTO_OK;
}

int
proto_stored_decode(const proto_frames_t *in, proto_stored_t *m)
{
    memset(m, 0, sizeof *m);
    json_t *o;
    int rc = pj_open(in, 2, "stored", &o);
    if (rc)
        return rc;
    rc = s_parse(o, m);
    json_decref(o);
    return rc;
}

int
proto_stored_from_json(const char *json, size_t len, proto_stored_t *m)
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

char *
proto_stored_to_json(const proto_stored_t *m)
{
    int rc;
    json_t *o = s_object(m, &rc);
    if (!o)
        return NULL;
    char *text = pj_dump(o, false, NULL);
    json_decref(o);
    return text;
}

void
proto_stored_clear(proto_stored_t *m)
{
    if (!m)
        return;
    free(m->story_id);
    proto_article_clear(&m->article);
    memset(m, 0, sizeof *m);
}
