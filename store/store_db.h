/*
 * store_db.h — marsad-store's SQLite file: articles with their mentions,
 * claims (and the entities inside each claim), stories, entities and
 * sources, each article under a monotonic sequence number; a full-text
 * index over the normalized text; and the queries the REP API answers.
 * One writer (the store process), WAL mode.
 *
 * Idempotence is here: inserting an article whose id is already stored
 * changes nothing and says so, so a document resent after a crash between
 * commit and ack is acknowledged again without a second row.
 *
 * Stories: an exact duplicate (content hash or canonical URL) joins the
 * original's story and is marked a duplicate; a near-duplicate or an
 * article about the same event joins the story of the article it matches
 * (store_story.c); anything else starts a story named after its own id.
 */
#ifndef MARSAD_STORE_DB_H
#define MARSAD_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto.h"

#define STORE_DB_VERSION 7        /* the schema version this build writes */
#define STORE_DB_ENOSPC (-28)     /* -ENOSPC: the database or the disk is full */

/* In SQL over articles: the seq of an article's story, which is the seq
 * of the story's first article (stories.seq); indexed as articles_story. */
#define STORE_STORY_SEQ "COALESCE(story_seq, seq)"
/* In SQL: the seqs of the articles whose id has store_key KEY: those in
 * the key index and those stored since its last merge (store_keyset.h),
 * whose rows are scanned (tens of thousands at most: a few milliseconds). */
#define STORE_SEQS_OF_ID(key)                                                          \
    "SELECT k.seq FROM article_keys k WHERE k.kind = 0 AND k.key = " key               \
    " UNION ALL SELECT r.seq FROM keys_fresh r WHERE r.id_key = " key
/* In SQL: the seq of the story whose id is parameter ID (whose store_key
 * is parameter KEY), or NULL.  A story is named after its first article,
 * found by its key; once that article is pruned, stories is scanned. */
#define STORE_STORY_OF(id, key)                                                        \
    "COALESCE((SELECT f.seq FROM articles f WHERE f.seq IN (" STORE_SEQS_OF_ID(key) ")" \
    " AND f.id = " id " AND f.story_id = " id " AND f.story_seq IS NULL),"             \
    " (SELECT s.seq FROM stories s WHERE s.id = " id "))"

typedef struct store_db store_db_t;

/* Open (creating and migrating as needed) the database at PATH.  Returns
 * NULL with *err a malloc'd reason on failure. */
store_db_t *store_db_open(const char *path, char **err);
void store_db_close(store_db_t **self_p);

/* Create or migrate the file at PATH up to schema VERSION only (1 ..
 * STORE_DB_VERSION) and close it: how tests make an old file.  Returns 0,
 * or -1 with *err malloc'd. */
int store_db_migrate_file(const char *path, int version, char **err);

/* The schema version in the open file. */
int store_db_schema_version(store_db_t *db);

/* Cap the file at MAX_BYTES (PRAGMA max_page_count; 0: no cap) — a
 * size-capped database behaves as a full disk. */
int store_db_set_max_size(store_db_t *db, int64_t max_bytes);

/* Transactions around a batch of inserts: the caller acknowledges nothing
 * until store_db_commit() returned 0.  Each returns 0, STORE_DB_ENOSPC
 * when the disk (or the size cap) is full, or -1. */
int store_db_begin(store_db_t *db);
int store_db_commit(store_db_t *db);
void store_db_rollback(store_db_t *db);

/* Insert A.  Returns 1 if stored now (*seq its sequence, *story_id a
 * malloc'd story id, *duplicate whether it repeats an earlier article by
 * canonical URL or content hash), 0 if its id was already stored (nothing
 * changed, outputs untouched), or a negative value on a database error
 * (*err a malloc'd message; STORE_DB_ENOSPC when full).  After an error
 * the caller rolls back the transaction. */
int store_db_insert(store_db_t *db, const proto_article_t *a, int64_t *seq, char **story_id,
                    bool *duplicate, char **err);

/* Stored events with seq > SINCE, at most LIMIT, as `stored` JSON texts
 * (proto_stored_from_json can read each).  *items is malloc'd, each text
 * malloc'd (caller frees).  *last_seq is the highest seq stored.
 * Returns 0 or a negative value. */
int store_db_events_since(store_db_t *db, int64_t since, int limit, char ***items, size_t *n,
                          int64_t *last_seq);

/* The article with document id ID as a `stored` JSON text (malloc'd).
 * Returns 0, 1 if there is no such article, -1 on error. */
int store_db_article_json(store_db_t *db, const char *id, char **json);

/* Story ID as JSON (malloc'd): {"id","title","first_seen","last_seen",
 * "article_count","articles":[{seq,id,source,url,title,lang,published_at,
 * duplicate,near_duplicate}],"claims":[{article_id,speaker,cue,stance,
 * content,entities:[...]}]}.  Returns 0, 1 if unknown, -1 on error. */
int store_db_story_json(store_db_t *db, const char *id, char **json);

/* Counters as JSON (malloc'd): articles, stories, duplicates, entities,
 * sources, claims, last_seq, schema_version, bytes.  0 or -1. */
int store_db_stats_json(store_db_t *db, char **json);

/* Delete up to MAX_ROWS of the oldest articles stored before BEFORE (Unix
 * seconds, by stored_at), with their index entries, in one transaction;
 * stories left without articles go too.  Returns the number deleted (0:
 * nothing left to prune) or a negative value. */
int store_db_prune(store_db_t *db, int64_t before, int max_rows);

/* Merge up to about PAGES pages of the full-text index's segments, in a
 * transaction of its own.  The index merges nothing while articles are
 * inserted (a merge there once stalled an insert for ~80 ms every ~64
 * commits); the store calls this while it has nothing else to do, and
 * FTS5's crisis merge (at 32 segments a level) still bounds the segments
 * of a store that never idles.  A level is merged once it holds 16.  Returns 1 if it merged something (call again), 0 if there was
 * nothing to merge, -1 on error (*ERR malloc'd, the caller frees). */
int store_db_fts_tidy(store_db_t *db, int pages, char **err);

/* Write the entities' counters waiting in memory (store_counts.h), in a
 * transaction of their own, if they have waited a second since the last
 * write (FORCE: if any wait); nothing inside an open transaction, whose
 * commit writes them when due.  The daemon calls it when idle.  Returns
 * 0, or a negative value as store_db_commit. */
int store_db_write_counts(store_db_t *db, bool force);

/* Insert or refresh a catalog entity (from config) in the entities table. */
int store_db_catalog_entity(store_db_t *db, const char *id, const char *type, const char *name);

/* One step (512 keys, a few milliseconds) of merging the fresh
 * articles' keys into the key index (store_keyset.h), if a merge is under
 * way or due, in a transaction of its own.  The daemon calls it while it
 * has nothing else to do; a store that has not called it for a second
 * merges before its transactions instead (store_db_begin), 4,096 keys a
 * step.  Returns 1 if there is more to merge (call again), else 0; a
 * failure is logged, and the merge tried again 10 s later. */
int store_db_keys_tidy(store_db_t *db);

/* Merge the fresh articles' keys into the key index once AT of them wait
 * (entries: up to three an article), STEP at a time (store_db_keys_tidy).
 * 0 keeps the defaults (AT grows with the store, from 49,152 to 131,072;
 * STEP as above).  For tests, which need merges after a few articles. */
void store_db_set_key_merge(store_db_t *db, size_t at, size_t step);

/* What the key merges cost (store_keyset.h), for store-bench: a merge
 * happens every few thousand articles, so a short measured window may or
 * may not hold one; its cost per article is what a steady store pays. */
typedef struct {
    uint64_t merges;           /* completed since open */
    double cpu_total;          /* CPU seconds of this thread in merge steps since open */
    double last_cpu;           /* of the last completed merge */
    long last_articles;        /* articles whose keys it merged */
} store_db_merge_stats_t;
void store_db_merge_stats(const store_db_t *db, store_db_merge_stats_t *out);

/* Pages written into the write-ahead log since open (each page once per
 * commit that changed it): what a transaction costs in I/O, a figure the
 * machine's speed does not move (store-bench prints it per article). */
int64_t store_db_pages_written(store_db_t *db);

int64_t store_db_last_seq(store_db_t *db);
int64_t store_db_count(store_db_t *db);

/* How many story candidates were read from the file, not from memory,
 * since the store opened: what the story decision costs beyond its
 * look-ups (store-bench prints it; tests check what is passed over). */
uint64_t store_db_candidates_read(const store_db_t *db);

#endif
