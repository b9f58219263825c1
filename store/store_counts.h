/*
 * store_counts.h — the entities' article counters (first and last seen,
 * how many articles name each), added up in memory and written behind.
 *
 * Why: every article names a few entities, each a row on a random page of
 * the entities table.  Counting an article there at once dirtied one such
 * page per entity in every commit, and the page was written again at the
 * checkpoint: in store-bench at 100k stored, a fifth of the pages a
 * transaction of 256 articles wrote (5.0 pages an article, 4.2 without).
 * Here the counts of the articles since the last write wait in memory and
 * are written by the first commit 100 ms or more after it (a second, in
 * a store taking more than 640 articles a second; sooner when thousands
 * of entities wait), each entity once, with the seq up to which
 * the table has counted (the `counters` row 'entities'); a store that
 * stops committing writes them in a transaction of its own a second
 * after the last write, and at close.
 *
 * Nothing is lost or counted twice: after a crash, or a transaction that
 * did not commit, the counts in memory are dropped and the articles above
 * that seq are counted again from their mentions, in the next transaction
 * (store_counts_catch_up).  Readers of the table (stats) see counts up to
 * about a second old; the story decision reads them here, current.
 *
 * One writer only: the store daemon's connection.
 */
#ifndef MARSAD_STORE_COUNTS_H
#define MARSAD_STORE_COUNTS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct store_counts store_counts_t;

/* Counters over DB (borrowed; schema version 5 or later).  A catch-up is
 * due before the first count.  NULL with *ERR malloc'd on failure. */
store_counts_t *store_counts_new(sqlite3 *db, char **err);
void store_counts_destroy(store_counts_t **self_p);

/* Count an article dated WHEN (RFC 3339) for entity ID; TYPE and NAME
 * describe an entity the table does not have yet.  *DF gets how many
 * earlier articles named ID.  Called once per distinct entity of an
 * article, in the writer's transaction, then store_counts_counted.
 * Returns 0, or -1 on a database error or out of memory (the transaction
 * must then be rolled back). */
int store_counts_add(store_counts_t *self, const char *id, const char *type, const char *name,
                     const char *when, int64_t *df);

/* The article whose entities were just counted was stored as SEQ (the
 * seq up to which a write says the table has counted).  Writes everything
 * if too many entities are held.  Returns 0, or -1 on a database error. */
int store_counts_counted(store_counts_t *self, int64_t seq);

/* Write the waiting counts in the writer's open transaction (a commit's):
 * always if FORCE, else only if it is due (100 ms since the last write,
 * a second once more than 64 articles were counted since, or thousands of
 * entities waiting).  Returns 1 if it wrote, 0 if not,
 * -1 on error. */
int store_counts_flush(store_counts_t *self, bool force);

/* A store that stops committing writes what waits itself this long after
 * the last write (store_db_write_counts). */
#define STORE_COUNTS_IDLE_MS 1000

/* Whether counts wait in memory, and whether they have waited AFTER_MS
 * since the last write (or too many wait). */
bool store_counts_waiting(const store_counts_t *self);
bool store_counts_due(const store_counts_t *self, int64_t after_ms);

/* The writer's transaction committed. */
void store_counts_committed(store_counts_t *self);
/* The writer's transaction ended without committing (or may have): drop
 * everything in memory; a catch-up is due. */
void store_counts_lost(store_counts_t *self);
/* Whether the last transaction ended without store_counts_committed
 * after counts were added in it. */
bool store_counts_uncommitted(const store_counts_t *self);

/* If due (at start, or after a lost transaction), count the articles above
 * the table's seq from their mentions, in the writer's open transaction.
 * Returns 0, or -1 on a database error (still due). */
int store_counts_catch_up(store_counts_t *self);

#endif
