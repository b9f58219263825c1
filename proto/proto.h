/*
 * proto.h — the messages marsad's stages exchange (DESIGN §3, PROTOCOL.md).
 *
 * A message is a ZeroMQ multipart message: frame 0 the topic, frame 1 a
 * UTF-8 JSON object with "v": 1, and for `raw` a frame 2 with the body.
 * This module builds and parses each type; parsing validates everything
 * (frame count, JSON, required fields and their types, sizes, UTF-8,
 * version) and never trusts the sender.
 *
 * Ownership: every *_t filled by a decoder owns its strings; free with the
 * matching *_clear() (which accepts a zeroed or half-filled struct).
 * Encoders borrow their input and return malloc'd frames.
 */
#ifndef MARSAD_PROTO_H
#define MARSAD_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define PROTO_VERSION 1
#define PROTO_MAX_FRAMES 3
#define PROTO_MAX_TOPIC 256                   /* bytes */
#define PROTO_MAX_JSON (16u * 1024 * 1024)    /* bytes of frame 1 */
#define PROTO_MAX_BODY (32u * 1024 * 1024)    /* bytes of raw frame 2 */

/* Error codes: 0 ok, negative on failure (never exit or abort).  They sit
 * far below -errno values so proto_recv can return either without the two
 * colliding (-EINTR is -4). */
enum {
    PROTO_OK = 0,
    PROTO_EFRAMES = -1001,   /* wrong frame count */
    PROTO_ETOPIC = -1002,    /* topic not the expected one / bad */
    PROTO_EJSON = -1003,     /* not JSON / not an object / not UTF-8 */
    PROTO_EFIELD = -1004,    /* required field missing */
    PROTO_ETYPE = -1005,     /* field of the wrong type or out of range */
    PROTO_ESIZE = -1006,     /* frame or field too large */
    PROTO_EVERSION = -1007,  /* "v" is not 1 */
    PROTO_ENOMEM = -1008
};
const char *proto_strerror(int code);

/* One multipart message as received or to be sent: up to 3 frames. */
typedef struct {
    size_t n;
    void *data[PROTO_MAX_FRAMES];   /* malloc'd, owned */
    size_t len[PROTO_MAX_FRAMES];
} proto_frames_t;
void proto_frames_clear(proto_frames_t *f);

/* Socket I/O (libzmq).  proto_recv reads one whole multipart message; if it
 * has more than PROTO_MAX_FRAMES frames or a frame over its cap, it drains
 * the rest and returns PROTO_EFRAMES / PROTO_ESIZE (the caller counts and
 * logs).  Returns 0, a PROTO_E* code, or -EAGAIN/-EINTR/... as -errno for
 * socket errors (flags as in zmq_recv, e.g. ZMQ_DONTWAIT). */
int proto_recv(void *socket, proto_frames_t *out, int flags);
/* Sends all frames; returns 0 or -errno.  Does not free F. */
int proto_send(void *socket, const proto_frames_t *f, int flags);

/* ---------------------------------------------------------------- raw */
/* fetcher → extractor: a fetched document. */
typedef struct {
    char *id;           /* required: stable document id (hex sha-256 of source+item id) */
    char *source;       /* required: source name from config */
    char *url;          /* required: URL of the document (final URL after redirects) */
    char *item_url;     /* optional: the link as the feed gave it */
    char *fetched_at;   /* required: RFC 3339 UTC */
    char *content_type; /* optional: HTTP Content-Type as received */
    char *charset;      /* optional: charset from HTTP, if any */
    char *lang;         /* optional: source's language hint */
    char *title;        /* optional: the feed item's title */
    char *published_at; /* optional: the feed item's date, RFC 3339 UTC */
    bool from_feed;     /* true when the body is the feed's own content, not the page */
    const void *body;   /* frame 2: decoded bytes as fetched (borrowed from frames) */
    size_t body_len;
} proto_raw_t;
int proto_raw_encode(const proto_raw_t *m, proto_frames_t *out);
/* Decodes IN; M's strings are malloc'd copies, M->body points into IN. */
int proto_raw_decode(const proto_frames_t *in, proto_raw_t *m);
void proto_raw_clear(proto_raw_t *m);

/* ------------------------------------------------------------ article */
typedef struct {
    char *entity;       /* required: catalog id (or "new:..." for discovered) */
    char *type;         /* required: person|org|place|weapon|media|other */
    char *surface;      /* required: the text as written */
    int64_t start, end; /* required: byte offsets into the article text, start <= end */
    int64_t sentence;   /* optional, -1 if unknown: sentence index */
    double confidence;  /* optional, in (0, 1]: how sure discovery is of a `new:` name; 0 absent */
} proto_mention_t;

/* Where an alert's ledger claim was seen (alerts only, PROTOCOL.md §4.5):
 * one article of the story, from one outlet. */
typedef struct {
    char *source;       /* required: the article's source (outlet) name */
    char *article_id;   /* required */
    char *url;          /* required */
    int64_t start, end; /* required: the content's offsets in that article's text */
    char **chain; size_t n_chain;       /* optional: the relays as that article gave them */
} proto_claim_source_t;

typedef struct {
    char *speaker;      /* required: entity id or description */
    char *cue;          /* required */
    char *stance;       /* required: asserts | denies | hedges */
    char *content;      /* required: the content text */
    int64_t start, end; /* required: offsets of the content in the text */
    /* Optional detail (claim extraction, extractor/claim_extract.h).  A zero
     * or NULL member is absent on the wire, so older code that initialises
     * only the fields above keeps working. */
    char *speaker_entity;               /* optional: catalog id of the speaker */
    int64_t speaker_start, speaker_end; /* optional: the speaker as written; absent when equal */
    int64_t cue_start, cue_end;         /* optional: the cue as written; absent when equal */
    char *sentence;                     /* optional: the sentence holding the claim */
    char **chain; size_t n_chain;       /* optional: relays, outermost first (ids or descriptions) */
    char **entities; size_t n_entities; /* optional: ids of catalog entities in the content */
    /* Alerts only (the story's ledger): the articles the claim came
     * through, first sighting first; start/end above are sources[0]'s.
     * Never written into nor read from an article. */
    proto_claim_source_t *sources; size_t n_sources;
} proto_claim_t;
/* Free N claims that own their strings (as the decoders make them) and
 * the array C itself; accepts NULL. */
void proto_claims_free(proto_claim_t *c, size_t n);

/* extractor → store: an extracted article. */
typedef struct {
    char *id;           /* required: the raw document's id */
    char *source;       /* required */
    char *url;          /* required */
    char *canonical_url;/* optional */
    char *author;       /* optional: the byline as the page gives it */
    char *site_name;    /* optional: the publication (og:site_name, JSON-LD publisher) */
    char *title;        /* required (may be "") */
    char *text;         /* required: main text, UTF-8; offsets refer to it */
    char *lang;         /* required: "ar", "en", ... or "und" */
    char *published_at; /* optional: RFC 3339 UTC */
    char *fetched_at;   /* required */
    char *content_hash; /* required: hex sha-256 of the normalized text */
    proto_mention_t *mentions; size_t n_mentions;
    proto_claim_t *claims;     size_t n_claims;
    /* Optional frame 2: the text's index forms and signatures as the
     * extractor computed them (extractor/text_index.h), opaque here.
     * malloc'd, INDEX_LEN bytes; NULL: none (the store computes them). */
    char *index; size_t index_len;
} proto_article_t;
int proto_article_encode(const proto_article_t *m, proto_frames_t *out);
int proto_article_decode(const proto_frames_t *in, proto_article_t *m);
void proto_article_clear(proto_article_t *m);
/* The article as a JSON object text (what frame 1 holds); malloc'd, NULL on
 * failure.  Used by `marsad extract`. */
char *proto_article_to_json(const proto_article_t *m, bool pretty);

/* ------------------------------------------------------------- stored */
/* store → alerter: an article was committed.  Carries the whole article so
 * the alerter needs no second round trip. */
typedef struct {
    int64_t seq;        /* required: the store's monotonic sequence, >= 1 */
    char *story_id;     /* required */
    bool duplicate;     /* required: true if a duplicate of an earlier article */
    proto_article_t article;  /* required: under "article" */
} proto_stored_t;
int proto_stored_encode(const proto_stored_t *m, proto_frames_t *out);
/* The same message for an article whose `article` frame 1 ARTICLE_JSON
 * (LEN bytes, already decoded and accepted) is spliced in as it came,
 * without its "v", instead of being encoded again from its fields (the
 * store announces what it received: ~10% of its CPU went to encoding it
 * again).  PROTO_EJSON when the text is not as this library writes it
 * ({"v":1,...}): encode from the fields then. */
int proto_stored_encode_spliced(int64_t seq, const char *story_id, bool duplicate,
                                const char *article_json, size_t len, proto_frames_t *out);
/* True when proto_stored_encode_spliced takes ARTICLE_JSON (LEN bytes):
 * the store asks on receipt, to keep the text or the decoded fields. */
bool proto_stored_spliceable(const char *article_json, size_t len);
int proto_stored_decode(const proto_frames_t *in, proto_stored_t *m);
void proto_stored_clear(proto_stored_t *m);

/* ---------------------------------------------------------------- ack */
/* store → fetcher: document ID is safely committed (or was seen before). */
typedef struct {
    char *id;           /* required */
} proto_ack_t;
int proto_ack_encode(const proto_ack_t *m, proto_frames_t *out);
int proto_ack_decode(const proto_frames_t *in, proto_ack_t *m);
void proto_ack_clear(proto_ack_t *m);

/* ------------------------------------------------------- alert.<watch> */
typedef struct {
    char *kind;         /* required: "term" or "entity" */
    char *term;         /* required: the query term or @entity as written */
    char *entity;       /* optional: entity id */
    char *surface;      /* required: text as written in the article */
    char *field;        /* required: "title" or "text" */
    int64_t start, end; /* required: byte offsets into that field */
    char *sentence;     /* optional: the sentence holding the match */
} proto_match_t;

typedef struct {
    int64_t seq;        /* required: the alerter's monotonic sequence, >= 1 */
    char *watch;        /* required; the topic is "alert." + watch */
    char *severity;     /* required: low|medium|high|critical */
    char *kind;         /* required: new | update */
    char *story_id;     /* required */
    char *created_at;   /* required: RFC 3339 UTC */
    char *article_id;   /* required */
    char *url, *title, *source, *lang;  /* required (title may be "") */
    char *published_at; /* optional */
    char *snippet;      /* required: text around the first match, match in [[ ]] */
    proto_match_t *matches; size_t n_matches;   /* at least one */
    proto_claim_t *claims;  size_t n_claims;    /* the story's ledger: claims involving the
                                                   watched entities, with their sources */
} proto_alert_t;
/* "schema": "marsad.alert/1" is written by the encoder and checked by the
 * decoder. */
int proto_alert_encode(const proto_alert_t *m, proto_frames_t *out);
/* The same message from the alert's JSON text JSON (LEN bytes, as
 * proto_alert_to_json wrote it) for watch WATCH: the alerter publishes the
 * text it recorded instead of encoding the alert a second time. */
int proto_alert_encode_json(const char *watch, const char *json, size_t len,
                            proto_frames_t *out);
int proto_alert_decode(const proto_frames_t *in, proto_alert_t *m);
void proto_alert_clear(proto_alert_t *m);
/* Frame 1 of an alert alone (JSON text, malloc'd), for the alerter's
 * database and `marsad tail --json`. */
char *proto_alert_to_json(const proto_alert_t *m);
/* Parse an alert from its JSON text (as stored); same validation. */
int proto_alert_from_json(const char *json, size_t len, proto_alert_t *m);

/* RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ" of a Unix time into BUF (>= 21 bytes). */
void proto_time_format(long long unix_seconds, char buf[32]);

/* ---------------------------------------------- request/reply sockets */
/* The store's REP socket (DESIGN §1, :5554) and the alerter's replay REP
 * socket (:5561) speak the same shape: a 2-frame request, topic "since",
 * body {"v":1,"since":N,"limit":M} (N >= 0, 1 <= M <= 1000), and a 2-frame
 * reply, topic "events" (store: `stored` objects, as in a stored message's
 * frame 1) or "alerts" (alerter: alert objects), body
 * {"v":1,"items":[...],"last_seq":L} where L is the highest seq that
 * exists (so a client knows whether to ask again).  An invalid request gets
 * topic "error", body {"v":1,"error":"reason"}. */
typedef struct {
    int64_t since;
    int64_t limit;
} proto_since_t;
int proto_since_encode(const proto_since_t *m, proto_frames_t *out);
int proto_since_decode(const proto_frames_t *in, proto_since_t *m);

/* Reply: ITEMS are JSON object texts (each one a stored or an alert frame 1),
 * borrowed.  TOPIC is "events" or "alerts". */
int proto_items_encode(const char *topic, const char *const *items, size_t n,
                       int64_t last_seq, proto_frames_t *out);
/* Decodes a reply.  *items_out is a malloc'd array of malloc'd JSON texts
 * (caller frees each and the array).  Returns PROTO_ETOPIC for an "error"
 * reply. */
int proto_items_decode(const proto_frames_t *in, const char *topic, char ***items_out,
                       size_t *n_out, int64_t *last_seq);
/* Parse a stored message from the JSON text of its frame 1. */
int proto_stored_from_json(const char *json, size_t len, proto_stored_t *m);
char *proto_stored_to_json(const proto_stored_t *m);
int proto_error_encode(const char *reason, proto_frames_t *out);

/* Store queries on the same REP socket (PROTOCOL.md §6.1): request topic
 * "article" {"v":1,"id":ID}, "story" {"v":1,"id":ID} or "stats" {"v":1};
 * the reply has the same topic and body {"v":1,"item":{...}} (the article
 * as a `stored` object, the story with its articles and claims, or the
 * counters), or is an "error" reply (e.g. "not found"). */
typedef struct {
    char *kind;         /* "article" | "story" | "stats" (malloc'd) */
    char *id;           /* required for article and story; NULL for stats */
} proto_query_t;
int proto_query_encode(const proto_query_t *m, proto_frames_t *out);
/* Accepts any of the three topics. */
int proto_query_decode(const proto_frames_t *in, proto_query_t *m);
void proto_query_clear(proto_query_t *m);
/* Reply: ITEM is a JSON object text, borrowed. */
int proto_item_encode(const char *topic, const char *item, proto_frames_t *out);
/* *item_out is a malloc'd JSON object text.  PROTO_ETOPIC for an "error"
 * reply (or another topic). */
int proto_item_decode(const proto_frames_t *in, const char *topic, char **item_out);

#endif
