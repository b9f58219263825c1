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
