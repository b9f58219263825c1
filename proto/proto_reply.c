/*
 * proto_reply.c — the REQ/REP exchanges: catch-up from the store (:5554)
 * and replay from the alerter (:5561).
 *
 * Request: "since" {"v":1,"since":N,"limit":M}.  Reply: "events" or
 * "alerts" {"v":1,"items":[...],"last_seq":L}, or "error"
 * {"v":1,"error":"reason"}.  Items travel as JSON objects inside the reply;
 * the API hands them in and out as JSON texts so the store and the alerter
 * can pass what they stored without building C structs.
 */
#include "proto_json.h"

#include <stdlib.h>
#include <string.h>

#define SINCE_MAX_LIMIT 1000

int
proto_since_encode(const proto_since_t *m, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    if (m->since < 0 || m->limit < 1 || m->limit > SINCE_MAX_LIMIT)
        return PROTO_ETYPE;
    json_t *o = json_object();
    if (!o)
        return PROTO_ENOMEM;
    int rc = pj_set_int(o, "v", PROTO_VERSION);
    if (!rc) rc = pj_set_int(o, "since", m->since);
    if (!rc) rc = pj_set_int(o, "limit", m->limit);
    if (!rc) rc = pj_frames("since", o, NULL, 0, false, out);
    json_decref(o);
    return rc;
}

int
proto_since_decode(const proto_frames_t *in, proto_since_t *m)
{
    memset(m, 0, sizeof *m);
    json_t *o;
    int rc = pj_open(in, 2, "since", &o);
    if (rc)
        return rc;
    rc = pj_int(o, "since", 0, INT64_MAX, &m->since);
    if (!rc) rc = pj_int(o, "limit", 1, SINCE_MAX_LIMIT, &m->limit);
    json_decref(o);
    if (rc)
        memset(m, 0, sizeof *m);
    return rc;
}

int
proto_items_encode(const char *topic, const char *const *items, size_t n,
                   int64_t last_seq, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    if (!topic || (n && !items))
        return PROTO_EFIELD;
    if (n > PJ_MAX_ITEMS)
        return PROTO_ESIZE;
    if (last_seq < 0)
        return PROTO_ETYPE;
    json_t *o = json_object();
    json_t *arr = json_array();
    int rc = o && arr ? PROTO_OK : PROTO_ENOMEM;
    /* Each item is parsed, so a corrupt row cannot make the reply invalid
     * JSON: the whole reply is refused instead. */
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *item;
        rc = items[i] ? pj_parse(items[i], strlen(items[i]), &item) : PROTO_EFIELD;
        if (!rc && json_array_append_new(arr, item) != 0)
            rc = PROTO_ENOMEM;
    }
    if (!rc) rc = pj_set_int(o, "v", PROTO_VERSION);
    if (!rc) {
        rc = pj_set_new(o, "items", arr);
        arr = NULL;
    }
    if (!rc) rc = pj_set_int(o, "last_seq", last_seq);
    if (!rc) rc = pj_frames(topic, o, NULL, 0, false, out);
    json_decref(arr);
    json_decref(o);
    return rc;
}

static void
s_items_free(char **items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        free(items[i]);
    free(items);
}

int
proto_items_decode(const proto_frames_t *in, const char *topic, char ***items_out,
                   size_t *n_out, int64_t *last_seq)
{
    *items_out = NULL;
    *n_out = 0;
    *last_seq = 0;
    json_t *o;
    int rc = pj_open(in, 2, topic, &o);
    if (rc)
        return rc;
    json_t *arr;
    int64_t last = 0;
    rc = pj_array(o, "items", &arr);
    if (!rc) rc = pj_int(o, "last_seq", 0, INT64_MAX, &last);
    size_t n = rc ? 0 : json_array_size(arr);
    char **items = NULL;
    if (!rc && n) {
        items = calloc(n, sizeof *items);
        if (!items)
            rc = PROTO_ENOMEM;
    }
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *item = json_array_get(arr, i);
        if (!json_is_object(item))
            rc = PROTO_ETYPE;
        else if (!(items[i] = pj_dump(item, false, NULL)))
            rc = PROTO_ENOMEM;
    }
    json_decref(o);
    if (rc) {
        s_items_free(items, n);
        return rc;
    }
    *items_out = items;
    *n_out = n;
    *last_seq = last;
    return PROTO_OK;
}

int
proto_error_encode(const char *reason, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    json_t *o = json_object();
    if (!o)
        return PROTO_ENOMEM;
    int rc = pj_set_int(o, "v", PROTO_VERSION);
    if (!rc) rc = pj_set_str(o, "error", reason ? reason : "error");
    if (!rc) rc = pj_frames("error", o, NULL, 0, false, out);
    json_decref(o);
    return rc;
}

/* ------------------------------------------ store queries (§6.1) */

static const char *const s_query_kinds[] = { "article", "story", "stats", NULL };

int
proto_query_encode(const proto_query_t *m, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    if (!m->kind || !pj_in(m->kind, s_query_kinds))
        return PROTO_ETOPIC;
    bool need_id = strcmp(m->kind, "stats") != 0;
    if (need_id && !m->id)
        return PROTO_EFIELD;
    json_t *o = json_object();
    if (!o)
        return PROTO_ENOMEM;
    int rc = pj_set_int(o, "v", PROTO_VERSION);
    if (!rc && need_id) rc = pj_set_str(o, "id", m->id);
    if (!rc) rc = pj_frames(m->kind, o, NULL, 0, false, out);
    json_decref(o);
    return rc;
}

void
proto_query_clear(proto_query_t *m)
{
    free(m->kind);
    free(m->id);
    memset(m, 0, sizeof *m);
}

int
proto_query_decode(const proto_frames_t *in, proto_query_t *m)
{
    memset(m, 0, sizeof *m);
    if (in->n != 2)
        return PROTO_EFRAMES;
    const char *kind = NULL;
    for (size_t i = 0; s_query_kinds[i]; i++)
        if (in->len[0] == strlen(s_query_kinds[i])
            && memcmp(in->data[0], s_query_kinds[i], in->len[0]) == 0)
            kind = s_query_kinds[i];
    if (!kind)
        return PROTO_ETOPIC;
    json_t *o;
    int rc = pj_open(in, 2, kind, &o);
    if (rc)
        return rc;
    if (strcmp(kind, "stats") != 0)
        rc = pj_str(o, "id", 1024, &m->id);
    json_decref(o);
    if (!rc && !(m->kind = strdup(kind)))
        rc = PROTO_ENOMEM;
    if (rc)
        proto_query_clear(m);
    return rc;
}

int
proto_item_encode(const char *topic, const char *item, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    if (!topic || !item)
        return PROTO_EFIELD;
    json_t *it;
    int rc = pj_parse(item, strlen(item), &it);
    if (rc)
        return rc;
    json_t *o = json_object();
    rc = o ? pj_set_int(o, "v", PROTO_VERSION) : PROTO_ENOMEM;
    if (!rc) {
        rc = pj_set_new(o, "item", it);
        it = NULL;
    }
    if (!rc) rc = pj_frames(topic, o, NULL, 0, false, out);
    json_decref(it);
    json_decref(o);
    return rc;
}

int
proto_item_decode(const proto_frames_t *in, const char *topic, char **item_out)
{
    *item_out = NULL;
    json_t *o;
    int rc = pj_open(in, 2, topic, &o);
    if (rc)
        return rc;
    json_t *it = json_object_get(o, "item");
    if (!it)
        rc = PROTO_EFIELD;
    else if (!json_is_object(it))
        rc = PROTO_ETYPE;
    else if (!(*item_out = pj_dump(it, false, NULL)))
        rc = PROTO_ENOMEM;
    json_decref(o);
    return rc;
}
