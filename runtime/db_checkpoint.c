/*
 * db_checkpoint.c — WAL checkpoints on a thread of their own (see
 * db_checkpoint.h).
 *
 * The writer's WAL hook runs after each of its commits with the number of
 * pages in the log; past DB_CHECKPOINT_WAKE it raises `pending` and
 * signals, and the thread copies what the log holds.  SQLite starts the
 * log over at the writer's next transaction once every page in it has
 * been copied, so the file stays at about DB_CHECKPOINT_WAKE pages plus
 * what the writer adds during a pass.
 */
#include "db_checkpoint.h"
#include "db_migrate.h"
#include "log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct db_checkpoint {
    sqlite3 *writer;            /* the caller's */
    sqlite3 *db;                /* the thread's own connection */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool pending, stop;         /* under lock */
    bool running;               /* under lock: a pass is copying */
    int copied;                 /* under lock: pages of the log copied by the last pass */
    bool failing;               /* thread only: the last checkpoint failed (said once) */
    uint64_t done, by_writer;   /* under lock */
};

/* The writer copies the log's last pages itself (after the thread copied
 * the rest) when there are at most this many. */
#define S_TAIL 256

/* After each commit of the writer, on the writer's thread, with PAGES in
 * the log.
 *
 * The log starts over only when a write begins with every page of it
 * copied.  A writer that commits while the thread copies keeps a few
 * pages always ahead of it, and the log would grow to DB_CHECKPOINT_HARD;
 * so once the thread has copied all but a few (S_TAIL), the writer
 * copies those itself, here, between two transactions: a few pages
 * instead of the thousand SQLite would have copied. */
static int s_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    db_checkpoint_t *self = arg;
    if (pages < DB_CHECKPOINT_WAKE)
        return SQLITE_OK;
    pthread_mutex_lock(&self->lock);
    if (self->copied > pages)
        self->copied = 0;           /* the log started over since */
    bool tail = false, hard = false;
    if (!self->running && !self->pending) {
        /* (while a pass runs, the next commit after it decides) */
        tail = self->copied > 0 && pages - self->copied <= S_TAIL;
        hard = !tail && pages >= DB_CHECKPOINT_HARD;
        if (!tail && !hard) {
            self->pending = true;
            pthread_cond_signal(&self->wake);
        }
    }
    pthread_mutex_unlock(&self->lock);
    if (!tail && !hard)
        return SQLITE_OK;
    /* Hard: the thread is not keeping up; do as SQLite would have. */
    int log = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    pthread_mutex_lock(&self->lock);
    if (rc == SQLITE_OK && copied == log)
        self->copied = 0;
    if (rc == SQLITE_OK && hard)
        self->by_writer++;
    pthread_mutex_unlock(&self->lock);
    return SQLITE_OK;
}

/* One pass; the pages copied (all of the log's as of its start when the
 * pass completed), or -1. */
static int s_checkpoint(db_checkpoint_t *self)
{
    int log = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        /* A full disk, most likely: the writer will say so when its own
         * writes fail; here one line per episode. */
        if (!self->failing)
            mlog_warn("WAL checkpoint of %s failed: %s (trying again at the next commits)",
                      sqlite3_db_filename(self->db, "main"), sqlite3_errmsg(self->db));
        self->failing = true;
        return -1;
    }
    if (rc == SQLITE_OK && self->failing) {
        mlog_info("WAL checkpoints of %s work again", sqlite3_db_filename(self->db, "main"));
        self->failing = false;
    }
    return rc == SQLITE_OK && copied >= 0 ? copied : -1;
}

static void *s_run(void *arg)
{
    db_checkpoint_t *self = arg;
    pthread_mutex_lock(&self->lock);
    while (!self->stop) {
        if (!self->pending) {
            pthread_cond_wait(&self->wake, &self->lock);
            continue;
        }
        self->pending = false;
        self->running = true;
        pthread_mutex_unlock(&self->lock);
        int copied = s_checkpoint(self);
        pthread_mutex_lock(&self->lock);
        self->running = false;
        if (copied > 0) {
            self->copied = copied;
            self->done++;
        }
    }
    pthread_mutex_unlock(&self->lock);
    return NULL;
}

db_checkpoint_t *db_checkpoint_new(sqlite3 *writer, const char *path, char **err)
{
    *err = NULL;
    db_checkpoint_t *self = calloc(1, sizeof *self);
    if (!self) {
        *err = strdup("out of memory");
        return NULL;
    }
    self->writer = writer;
    if (sqlite3_open_v2(path, &self->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        *err = db_reason(self->db, path);
        sqlite3_close(self->db);
        free(self);
        return NULL;
    }
    /* A checkpoint copies pages from the log to the file without the
     * page cache: keep this connection's small. */
    sqlite3_exec(self->db, "PRAGMA cache_size=-256", NULL, NULL, NULL);
    pthread_mutex_init(&self->lock, NULL);
    pthread_cond_init(&self->wake, NULL);
    if (pthread_create(&self->thread, NULL, s_run, self) != 0) {
        *err = strdup("cannot start the checkpoint thread");
        pthread_cond_destroy(&self->wake);
        pthread_mutex_destroy(&self->lock);
        sqlite3_close(self->db);
        free(self);
        return NULL;
    }
    /* Replaces the writer's automatic checkpoints (wal_autocheckpoint is
     * itself a WAL hook). */
    sqlite3_wal_hook(writer, s_hook, self);
    return self;
}

void db_checkpoint_destroy(db_checkpoint_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    db_checkpoint_t *self = *self_p;
    /* Back to SQLite's own checkpoints for whatever the writer still does
     * (closing the last connection checkpoints everything anyway). */
    sqlite3_wal_autocheckpoint(self->writer, 1000);
    pthread_mutex_lock(&self->lock);
    self->stop = true;
    pthread_cond_signal(&self->wake);
    pthread_mutex_unlock(&self->lock);
    pthread_join(self->thread, NULL);
    pthread_cond_destroy(&self->wake);
    pthread_mutex_destroy(&self->lock);
    sqlite3_close(self->db);
    free(self);
    *self_p = NULL;
}

uint64_t db_checkpoint_done(db_checkpoint_t *self)
{
    pthread_mutex_lock(&self->lock);
    uint64_t n = self->done;
    pthread_mutex_unlock(&self->lock);
    return n;
}

uint64_t db_checkpoint_by_writer(db_checkpoint_t *self)
{
    pthread_mutex_lock(&self->lock);
    uint64_t n = self->by_writer;
    pthread_mutex_unlock(&self->lock);
    return n;
}
