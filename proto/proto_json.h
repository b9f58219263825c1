/*
 * proto_json.h — internal: the jansson helpers every message codec shares.
 *
 * Not installed, not for other rooms: proto.h is the contract.  Each getter
 * validates one field the same way for every message type (presence, JSON
 * type, range, size) and returns a PROTO_E* code, so a decoder is a list of
 * calls and a single cleanup path.  Getters that produce strings store a
 * malloc'd copy in *out only on success; on failure *out is untouched.
 */
#ifndef MARSAD_PROTO_JSON_H
#define MARSAD_PROTO_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

#define PJ_MAX_STRING (8u * 1024 * 1024)  /* any string field but "text" */
#define PJ_MAX_ITEMS 10000                /* mentions, claims, matches, items */

/* Parse LEN bytes of JSON (duplicate keys and invalid UTF-8 rejected) into
 * a new object in *out.  PROTO_ESIZE over PROTO_MAX_JSON, PROTO_EJSON if it
 * is not JSON or not an object. */
int pj_parse(const void *data, size_t len, json_t **out);
/* Check "v": missing → PROTO_EFIELD, not an integer → PROTO_ETYPE,
 * another integer → PROTO_EVERSION. */
int pj_version(const json_t *obj);

/* Required string (PROTO_EFIELD if absent or null, PROTO_ETYPE if not a
 * string, PROTO_ESIZE over MAX bytes; MAX 0 means PJ_MAX_STRING). */
int pj_str(const json_t *obj, const char *key, size_t max, char **out);
/* Optional string: absent or null gives *out = NULL. */
int pj_str_opt(const json_t *obj, const char *key, char **out);
/* Required string that must be one of CHOICES (NULL-terminated). */
int pj_enum(const json_t *obj, const char *key, const char *const *choices, char **out);
/* Required integer in [MIN, MAX] (PROTO_ETYPE when out of range). */
int pj_int(const json_t *obj, const char *key, int64_t min, int64_t max, int64_t *out);
/* Optional integer: absent or null gives DFLT. */
int pj_int_opt(const json_t *obj, const char *key, int64_t min, int64_t max,
               int64_t dflt, int64_t *out);
int pj_bool(const json_t *obj, const char *key, bool *out);
/* Required array of at most PJ_MAX_ITEMS elements; borrowed into *out. */
int pj_array(const json_t *obj, const char *key, json_t **out);

/* True if V (non-NULL) is one of CHOICES (NULL-terminated).  Encoders use
 * it so that they refuse what the decoders would refuse. */
bool pj_in(const char *v, const char *const *choices);

/* Encoding: set KEY to a string.  A NULL VAL is PROTO_EFIELD for pj_set_str
 * and omits the key for pj_set_str_opt; invalid UTF-8 is PROTO_EJSON. */
int pj_set_str(json_t *obj, const char *key, const char *val);
int pj_set_str_opt(json_t *obj, const char *key, const char *val);
int pj_set_int(json_t *obj, const char *key, int64_t val);
int pj_set_new(json_t *obj, const char *key, json_t *val);  /* steals VAL */

/* Dump OBJ compactly into a malloc'd text (UTF-8 kept, not escaped). */
char *pj_dump(const json_t *obj, bool pretty, size_t *len);

/* Build a message: frame 0 TOPIC, frame 1 OBJ's text, optional frame 2 a
 * copy of BODY.  OUT is cleared first and left cleared on failure. */
int pj_frames(const char *topic, const json_t *obj, const void *body, size_t body_len,
              bool with_body, proto_frames_t *out);
/* Check IN has N frames and frame 0 equals TOPIC (exact bytes), then parse
 * frame 1 and check its version. */
int pj_open(const proto_frames_t *in, size_t n, const char *topic, json_t **out);

/* Shared pieces of message bodies (proto_article.c): the article object
 * without "v" (used by stored) and the claims array (used by alert). */
json_t *pj_article_object(const proto_article_t *m, bool with_v, int *rc);
int pj_article_parse(const json_t *obj, proto_article_t *m);
/* WITH_SOURCES: the claims of an alert's ledger, which carry `sources`. */
json_t *pj_claims_array(const proto_claim_t *c, size_t n, bool with_sources, int *rc);
int pj_claims_parse(const json_t *arr, bool with_sources, proto_claim_t **out, size_t *n_out);
void pj_claims_free(proto_claim_t *c, size_t n);

#endif
