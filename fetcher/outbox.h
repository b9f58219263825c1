/*
 * outbox.h — the fetcher's durable outbox and memory of seen items
 * (DESIGN §2: nothing is lost).
 *
 * One SQLite file (WAL, synchronous=FULL) with two tables:
 *   seen(source, item_id)          items already turned into documents
 *   pending(doc_id, frames, ...)   documents sent or to send, not yet acked
 * A new document is committed to `pending` in the same transaction that
 * marks its item seen, BEFORE it is sent; it is deleted only when the
 * store's `ack` names it.  Unacked documents are due again after
 * resend_after seconds, doubling per attempt, capped at 10 minutes.
 *
 * Times are Unix seconds (wall clock): a schedule survives restarts.
 * Functions return 0 (or a count) on success, negative on failure; a
 * failed call leaves the database unchanged (the transaction rolls back).
 */
#ifndef MARSAD_OUTBOX_H
#define MARSAD_OUTBOX_H

#include <stddef.h>

#define OUTBOX_BACKOFF_CAP 600      /* seconds */

typedef struct outbox outbox_t;

/* One pending document as read back.  All fields owned; free with
 * outbox_doc_clear(). */
typedef struct {
    char *id;               /* document id (hex sha-256) */
    void *json;             /* frame 1 of the raw message */
    size_t json_len;
    void *body;             /* frame 2 */
    size_t body_len;
    int attempts;           /* sends so far */
    long long next_send_at; /* Unix seconds */
} outbox_doc_t;
void outbox_doc_clear(outbox_doc_t *d);

/* Open (create) the outbox at PATH.  NULL with *err malloc'd on failure. */
outbox_t *outbox_open(const char *path, char **err);
/* Closes; accepts NULL and *self_p == NULL; sets *self_p = NULL. */
void outbox_destroy(outbox_t **self_p);

/* The last SQLite error message (borrowed). */
const char *outbox_errmsg(outbox_t *self);

/* Document id of an item: hex SHA-256 of SOURCE "\n" ITEM_ID into OUT. */
void outbox_doc_id(const char *source, const char *item_id, char out[65]);

/* 1 if the item was seen, 0 if not, negative on error. */
int outbox_seen(outbox_t *self, const char *source, const char *item_id);

/* Mark the item seen and queue its document (due at NOW) in one durable
 * transaction.  Returns 0, 1 if the item was already seen (nothing
 * changed), negative on error. */
int outbox_put(outbox_t *self, const char *source, const char *item_id, const char *doc_id,
               const void *json, size_t json_len, const void *body, size_t body_len,
               long long now);

/* The ack for DOC_ID arrived: forget the document.  1 if it was pending,
 * 0 if unknown (acked already, or another fetcher's), negative on error. */
int outbox_ack(outbox_t *self, const char *doc_id);

/* Up to MAX documents due at NOW (next_send_at <= NOW), earliest first,
 * into a malloc'd array *DOCS (caller clears each and frees the array).
 * Returns the count, or negative on error. */
int outbox_due(outbox_t *self, long long now, size_t max, outbox_doc_t **docs);

/* The document was handed to the socket at NOW: one more attempt; due
 * again after outbox_backoff(RESEND_AFTER, attempts).  0 or negative. */
int outbox_sent(outbox_t *self, const char *doc_id, long long now, int resend_after);

/* Seconds to wait after the ATTEMPTS-th send: RESEND_AFTER * 2^(ATTEMPTS-1),
 * at most OUTBOX_BACKOFF_CAP (and at least 1). */
long long outbox_backoff(int resend_after, int attempts);

/* Number of pending documents, or negative on error. */
long long outbox_pending(outbox_t *self);

/* Earliest next_send_at of any pending document into *WHEN; returns 1 if
 * there is one, 0 if the outbox is empty, negative on error. */
int outbox_next_due(outbox_t *self, long long *when);

/* ------------------------------------------------------------------
 * Per-source state, kept in table source_state (and shown by the view
 * source_status, with unhealthy = failing for a day or more):
 * the validators of the last good poll, so conditional GETs survive a
 * restart, and the run of failures since the last success. */

typedef struct {
    char *etag;                 /* or NULL */
    char *last_modified;        /* or NULL */
    int failures;               /* consecutive */
    long long first_failure;    /* Unix seconds of the first of them, 0 if none */
} outbox_source_t;
void outbox_source_clear(outbox_source_t *s);

/* 1 and *OUT filled (caller clears) if SOURCE has state, 0 if none,
 * negative on error. */
int outbox_source_get(outbox_t *self, const char *source, outbox_source_t *out);

/* A good poll at NOW (200 handled, or 304): keep ETAG and LAST_MODIFIED
 * (either may be NULL), reset the failures.  0 or negative. */
int outbox_source_ok(outbox_t *self, const char *source, const char *etag,
                     const char *last_modified, long long now);

/* A failed poll at NOW with REASON: one more failure; the validators stay.
 * 0 or negative. */
int outbox_source_failed(outbox_t *self, const char *source, const char *reason,
                         long long now);

#endif
