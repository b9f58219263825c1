/*
 * proto_raw.c — `raw`: fetcher → extractor, a fetched document.
 *
 * Three frames: "raw", the JSON metadata, and the body bytes exactly as
 * fetched after content decoding (may be empty, may hold any bytes).
 */
#include "proto_json.h"

#include <stdlib.h>
#include <string.h>

int
proto_raw_encode(const proto_raw_t *m, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    json_t *o = json_object();
    if (!o)
        return PROTO_ENOMEM;
    int rc = pj_set_int(o, "v", PROTO_VERSION);
    if (!rc) rc = pj_set_str(o, "id", m->id);
    if (!rc) rc = pj_set_str(o, "source", m->source);
    if (!rc) rc = pj_set_str(o, "url", m->url);
    if (!rc) rc = pj_set_str_opt(o, "item_url", m->item_url);
    if (!rc) rc = pj_set_str(o, "fetched_at", m->fetched_at);
    if (!rc) rc = pj_set_str_opt(o, "content_type", m->content_type);
    if (!rc) rc = pj_set_str_opt(o, "charset", m->charset);
    if (!rc) rc = pj_set_str_opt(o, "lang", m->lang);
    if (!rc) rc = pj_set_str_opt(o, "title", m->title);
    if (!rc) rc = pj_set_str_opt(o, "published_at", m->published_at);
    if (!rc) rc = pj_set_new(o, "from_feed", json_boolean(m->from_feed));
    if (!rc && m->body_len && !m->body)
        rc = PROTO_EFIELD;
    if (!rc)
        rc = pj_frames("raw", o, m->body, m->body_len, true, out);
    json_decref(o);
    return rc;
}

int
proto_raw_decode(const proto_frames_t *in, proto_raw_t *m)
{
    memset(m, 0, sizeof *m);
    json_t *o;
    int rc = pj_open(in, 3, "raw", &o);
    if (rc)
        return rc;
    if (in->len[2] > PROTO_MAX_BODY)
        rc = PROTO_ESIZE;
    if (!rc) rc = pj_str(o, "id", 0, &m->id);
    if (!rc) rc = pj_str(o, "source", 0, &m->source);
    if (!rc) rc = pj_str(o, "url", 0, &m->url);
    if (!rc) rc = pj_str_opt(o, "item_url", &m->item_url);
    if (!rc) rc = pj_str(o, "fetched_at", 0, &m->fetched_at);
    if (!rc) rc = pj_str_opt(o, "content_type", &m->content_type);
    if (!rc) rc = pj_str_opt(o, "charset", &m->charset);
    if (!rc) rc = pj_str_opt(o, "lang", &m->lang);
    if (!rc) rc = pj_str_opt(o, "title", &m->title);
    if (!rc) rc = pj_str_opt(o, "published_at", &m->published_at);
    if (!rc) {
        /* Optional: absent or null means false. */
        json_t *ff = json_object_get(o, "from_feed");
        if (ff && !json_is_null(ff))
            rc = pj_bool(o, "from_feed", &m->from_feed);
    }
    json_decref(o);
    if (rc) {
        proto_raw_clear(m);
        return rc;
    }
    m->body = in->data[2];
    m->body_len = in->len[2];
    return PROTO_OK;
}

void
proto_raw_clear(proto_raw_t *m)
{
    if (!m)
        return;
    free(m->id);
    free(m->source);
    free(m->url);
    free(m->item_url);
    free(m->fetched_at);
    free(m->content_type);
    free(m->charset);
    free(m->lang);
    free(m->title);
    free(m->published_at);
    memset(m, 0, sizeof *m);
}
