/*
 * proto_ack.c — `ack`: store → fetcher, document ID is committed (or was
 * seen before), so the fetcher may delete it from its outbox.
 */
#include "proto_json.h"

#include <stdlib.h>
#include <string.h>

int
proto_ack_encode(const proto_ack_t *m, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    json_t *o = json_object();
    if (!o)
        return PROTO_ENOMEM;
    int rc = pj_set_int(o, "v", PROTO_VERSION);
    if (!rc) rc = pj_set_str(o, "id", m->id);
    if (!rc) rc = pj_frames("ack", o, NULL, 0, false, out);
    json_decref(o);
    return rc;
}

int
proto_ack_decode(const proto_frames_t *in, proto_ack_t *m)
{
    memset(m, 0, sizeof *m);
    json_t *o;
    int rc = pj_open(in, 2, "ack", &o);
    if (rc)
        return rc;
    rc = pj_str(o, "id", 0, &m->id);
    json_decref(o);
    if (rc)
        proto_ack_clear(m);
    return rc;
}

void
proto_ack_clear(proto_ack_t *m)
{
    if (!m)
        return;
    free(m->id);
    memset(m, 0, sizeof *m);
}
