/*
 * store_db.h — marsad-store's SQLite file: articles with their mentions and
 * claims, each under a monotonic sequence number, and the queries the REP
 * API answers.  One writer (the store process), WAL mode.
 *
 * Idempotence is here: inserting an article whose id is already stored
 * changes nothing and says so, so a document resent after a crash between
 * commit and ack is acknowledged again without a second row.
 */
#ifndef MARSAD_STORE_DB_H
#define MARSAD_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto.h"

typedef struct store_db store_db_t;

/* Open (creating and migrating as needed) the database at PATH.  Returns
 * NULL with *err a malloc'd reason on failure. */
store_db_t *store_db_open(const char *path, char **err);
void store_db_close(store_db_t **self_p);

/* The schema version this build writes, and the one in the open file. */
int store_db_schema_version(store_db_t *db);

/* Transactions around a batch of inserts: the caller acknowledges nothing
 * until store_db_commit() returned 0. */
int store_db_begin(store_db_t *db);
int store_db_commit(store_db_t *db);
void store_db_rollback(store_db_t *db);

/* Insert A.  Returns 1 if stored now (*seq its sequence, *story_id a
 * malloc'd story id, *duplicate whether it repeats an earlier article by
 * canonical URL or content hash), 0 if its id was already stored (nothing
 * changed, outputs untouched), or a negative value on a database error
 * (*err a malloc'd message). */
int store_db_insert(store_db_t *db, const proto_article_t *a, int64_t *seq, char **story_id,
                    bool *duplicate, char **err);

/* Stored events with seq > SINCE, at most LIMIT, as `stored` JSON texts
 * (proto_stored_from_json can read each).  *items is malloc'd, each text
 * malloc'd (caller frees).  *last_seq is the highest seq stored.
 * Returns 0 or a negative value. */
int store_db_events_since(store_db_t *db, int64_t since, int limit, char ***items, size_t *n,
                          int64_t *last_seq);

int64_t store_db_last_seq(store_db_t *db);
int64_t store_db_count(store_db_t *db);

#endif
