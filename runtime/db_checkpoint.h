/*
 * db_checkpoint.h — WAL checkpoints on a thread of their own.
 *
 * In WAL mode SQLite copies the log back into the database file every
 * 1,000 pages, inside the COMMIT of whichever transaction crossed the
 * mark: that commit then writes hundreds of pages and syncs the file
 * before it returns.  For the store, whose articles are acknowledged and
 * announced only after their commit, that was one article in ~40 waiting
 * 20-60 ms more than the rest (e2e-bench's raw->stored p99).  A
 * db_checkpoint_t turns that off on the writer's connection and does the
 * copying on its own thread and connection instead (PASSIVE checkpoints,
 * which never block the writer nor its readers), woken by the writer's
 * commits once the log holds DB_CHECKPOINT_WAKE pages.
 *
 * A writer that seldom pauses keeps a few pages ahead of it, and the log
 * grows: at DB_CHECKPOINT_HARD pages (64 MB with 4 KB pages) the writer's
 * own commit copies what the thread left (waiting for a pass under way
 * only past a quarter more), and the log starts over.  Durability is SQLite's: a checkpoint interrupted by
 * a crash is redone from the log at the next open.
 *
 * Ownership: the writer's connection is the caller's and must outlive the
 * db_checkpoint_t; db_checkpoint_destroy removes the hook, stops and
 * joins the thread and closes its connection.
 */
#ifndef MARSAD_DB_CHECKPOINT_H
#define MARSAD_DB_CHECKPOINT_H

#include <sqlite3.h>
#include <stdint.h>

#define DB_CHECKPOINT_WAKE 1000     /* pages in the log that wake the thread */
#define DB_CHECKPOINT_HARD 16000    /* pages at which the writer checkpoints itself */

typedef struct db_checkpoint db_checkpoint_t;

/* Checkpoint WRITER's database (file PATH) on a thread.  NULL on failure,
 * with a malloc'd reason in *err (caller frees); WRITER is then left as
 * it was, checkpointing in its commits. */
db_checkpoint_t *db_checkpoint_new(sqlite3 *writer, const char *path, char **err);
void db_checkpoint_destroy(db_checkpoint_t **self_p);

/* Checkpoints the thread has completed (every page of the log copied at
 * the time), and those the writer did itself: for tests and stats. */
uint64_t db_checkpoint_done(db_checkpoint_t *self);
uint64_t db_checkpoint_by_writer(db_checkpoint_t *self);

#endif
