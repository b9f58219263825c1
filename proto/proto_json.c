/*
 * proto_json.c — the jansson helpers shared by every message codec.
 *
 * Every decoder goes through pj_open() (frame count, topic, size, JSON,
 * version) and the typed getters below, so a field is validated the same
 * way in every message.  See proto_json.h for the contract of each helper.
 */
#include "proto_json.h"

#include <stdlib.h>
#include <string.h>

const char *
proto_strerror(int code)
{
    switch (code) {
    case PROTO_OK:       return "ok";
    case PROTO_EFRAMES:  return "wrong frame count";
    case PROTO_ETOPIC:   return "wrong or bad topic";
    case PROTO_EJSON:    return "not a UTF-8 JSON object";
    case PROTO_EFIELD:   return "required field missing";
    case PROTO_ETYPE:    return "field of the wrong type or out of range";
    case PROTO_ESIZE:    return "frame or field too large";
    case PROTO_EVERSION: return "unsupported protocol version";
    case PROTO_ENOMEM:   return "out of memory";
    default:             return code < 0 ? strerror(-code) : "unknown error";
    }
}

int
pj_parse(const void *data, size_t len, json_t **out)
{
    *out = NULL;
    if (len > PROTO_MAX_JSON)
        return PROTO_ESIZE;
    if (!data || len == 0)
        return PROTO_EJSON;
    json_error_t err;
    /* jansson rejects invalid UTF-8 and (without JSON_ALLOW_NUL) "\u0000",
     * so every string we hand out is a proper C string. */
    json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (!j)
        return json_error_code(&err) == json_error_out_of_memory ? PROTO_ENOMEM : PROTO_EJSON;
    if (!json_is_object(j)) {
        json_decref(j);
        return PROTO_EJSON;
    }
    *out = j;
    return PROTO_OK;
}

int
pj_version(const json_t *obj)
{
    json_t *v = json_object_get(obj, "v");
    if (!v)
        return PROTO_EFIELD;
    if (!json_is_integer(v))
        return PROTO_ETYPE;
    return json_integer_value(v) == PROTO_VERSION ? PROTO_OK : PROTO_EVERSION;
}

static int
s_strdup(const json_t *s, size_t max, char **out)
{
    size_t len = json_string_length(s);
    if (len > max)
        return PROTO_ESIZE;
    char *copy = malloc(len + 1);
    if (!copy)
        return PROTO_ENOMEM;
    memcpy(copy, json_string_value(s), len + 1);
    *out = copy;
    return PROTO_OK;
}

int
pj_str(const json_t *obj, const char *key, size_t max, char **out)
{
    json_t *s = json_object_get(obj, key);
    if (!s || json_is_null(s))
        return PROTO_EFIELD;
    if (!json_is_string(s))
        return PROTO_ETYPE;
    return s_strdup(s, max ? max : PJ_MAX_STRING, out);
}

int
pj_str_opt(const json_t *obj, const char *key, char **out)
{
    json_t *s = json_object_get(obj, key);
    if (!s || json_is_null(s)) {
        *out = NULL;
        return PROTO_OK;
    }
    if (!json_is_string(s))
        return PROTO_ETYPE;
    return s_strdup(s, PJ_MAX_STRING, out);
}

int
pj_enum(const json_t *obj, const char *key, const char *const *choices, char **out)
{
    json_t *s = json_object_get(obj, key);
    if (!s || json_is_null(s))
        return PROTO_EFIELD;
    if (!json_is_string(s))
        return PROTO_ETYPE;
    for (size_t i = 0; choices[i]; i++)
        if (strcmp(json_string_value(s), choices[i]) == 0
            && json_string_length(s) == strlen(choices[i]))
            return s_strdup(s, PJ_MAX_STRING, out);
    return PROTO_ETYPE;
}

bool
pj_in(const char *v, const char *const *choices)
{
    for (size_t i = 0; v && choices[i]; i++)
        if (strcmp(v, choices[i]) == 0)
            return true;
    return false;
}

static int
s_int(const json_t *v, int64_t min, int64_t max, int64_t *out)
{
    if (!json_is_integer(v))
        return PROTO_ETYPE;
    json_int_t i = json_integer_value(v);
    if (i < min || i > max)
        return PROTO_ETYPE;
    *out = (int64_t) i;
    return PROTO_OK;
}

int
pj_int(const json_t *obj, const char *key, int64_t min, int64_t max, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return PROTO_EFIELD;
    return s_int(v, min, max, out);
}

int
pj_int_opt(const json_t *obj, const char *key, int64_t min, int64_t max,
           int64_t dflt, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        *out = dflt;
        return PROTO_OK;
    }
    return s_int(v, min, max, out);
}

int
pj_bool(const json_t *obj, const char *key, bool *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return PROTO_EFIELD;
    if (!json_is_boolean(v))
        return PROTO_ETYPE;
    *out = json_is_true(v);
    return PROTO_OK;
}

int
pj_array(const json_t *obj, const char *key, json_t **out)
{
    json_t *a = json_object_get(obj, key);
    if (!a || json_is_null(a))
        return PROTO_EFIELD;
    if (!json_is_array(a))
        return PROTO_ETYPE;
    if (json_array_size(a) > PJ_MAX_ITEMS)
        return PROTO_ESIZE;
    *out = a;
    return PROTO_OK;
}

int
pj_set_new(json_t *obj, const char *key, json_t *val)
{
    if (!val)
        return PROTO_ENOMEM;
    return json_object_set_new(obj, key, val) == 0 ? PROTO_OK : PROTO_ENOMEM;
}

int
pj_set_str(json_t *obj, const char *key, const char *val)
{
    if (!val)
        return PROTO_EFIELD;
    json_t *s = json_string(val);
    if (!s)     /* jansson refuses invalid UTF-8 */
        return PROTO_EJSON;
    return pj_set_new(obj, key, s);
}

int
pj_set_str_opt(json_t *obj, const char *key, const char *val)
{
    return val ? pj_set_str(obj, key, val) : PROTO_OK;
}

int
pj_set_int(json_t *obj, const char *key, int64_t val)
{
    return pj_set_new(obj, key, json_integer((json_int_t) val));
}

char *
pj_dump(const json_t *obj, bool pretty, size_t *len)
{
    size_t flags = pretty ? JSON_INDENT(2) : JSON_COMPACT;
    char *text = json_dumps(obj, flags);
    if (text && len)
        *len = strlen(text);
    return text;
}

int
pj_frames(const char *topic, const json_t *obj, const void *body, size_t body_len,
          bool with_body, proto_frames_t *out)
{
    memset(out, 0, sizeof *out);
    size_t tlen = strlen(topic);
    if (tlen > PROTO_MAX_TOPIC || (with_body && body_len > PROTO_MAX_BODY))
        return PROTO_ESIZE;
    size_t jlen = 0;
    char *text = pj_dump(obj, false, &jlen);
    if (!text)
        return PROTO_ENOMEM;
    if (jlen > PROTO_MAX_JSON) {
        free(text);
        return PROTO_ESIZE;
    }
    out->data[0] = strdup(topic);
    out->len[0] = tlen;
    out->data[1] = text;
    out->len[1] = jlen;
    out->n = 2;
    if (with_body) {
        /* Always allocate, so frame data is never NULL even when empty. */
        out->data[2] = malloc(body_len ? body_len : 1);
        if (out->data[2] && body_len)
            memcpy(out->data[2], body, body_len);
        out->len[2] = body_len;
        out->n = 3;
    }
    if (!out->data[0] || (with_body && !out->data[2])) {
        proto_frames_clear(out);
        return PROTO_ENOMEM;
    }
    return PROTO_OK;
}

int
pj_open(const proto_frames_t *in, size_t n, const char *topic, json_t **out)
{
    *out = NULL;
    if (!in || in->n != n)
        return PROTO_EFRAMES;
    size_t tlen = strlen(topic);
    if (in->len[0] != tlen || (tlen && (!in->data[0] || memcmp(in->data[0], topic, tlen) != 0)))
        return PROTO_ETOPIC;
    json_t *obj;
    int rc = pj_parse(in->data[1], in->len[1], &obj);
    if (rc)
        return rc;
    rc = pj_version(obj);
    if (rc) {
        json_decref(obj);
        return rc;
    }
    *out = obj;
    return PROTO_OK;
}
