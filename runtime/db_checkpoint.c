/*
 * db_checkpoint.c — WAL checkpoints on a thread of their own (see
 * db_checkpoint.h).
 *
 * The writer's WAL hook runs after each of its commits with the number of
 * pages in the log; past DB_CHECKPOINT_WAKE it raises `pending` and
 * signals, and the thread copies what the log holds.  SQLite starts the
 * log over at the writer's next transaction once every page in it has
 * been copied: when the writer pauses long enough for a pass, the file
 * stays at about DB_CHECKPOINT_WAKE pages, and it never grows much past
 * DB_CHECKPOINT_HARD.
 */
#include "db_checkpoint.h"
#include "db_migrate.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* After a pass that commits overtook, the next one waits this long. */
#define S_AGAIN_MS 50

struct db_checkpoint {
    sqlite3 *writer;            /* the caller's */
    sqlite3 *db;                /* the thread's own connection */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;        /* the thread waits on it */
    pthread_cond_t idle;        /* a writer past the hard mark waits on it for a pass to end */
    bool pending, stop;         /* under lock */
    bool running;               /* under lock: a pass is copying */
    bool hard;                  /* under lock: the writer copies next, no new pass */
    bool resting;               /* under lock: the thread waits S_AGAIN_MS before a pass */
    bool failing;               /* thread only: the last checkpoint failed (said once) */
    uint64_t done, by_writer;   /* under lock */
};

/* After each commit of the writer, on the writer's thread, with PAGES in
 * the log.
 *
 * The log starts over only when a write begins with every page of it
 * copied.  A commit during a pass leaves pages the pass did not see, so
 * the thread passes again S_AGAIN_MS later; when the writer pauses, a pass
 * copies everything.  A writer that never pauses stays a few pages ahead:
 * at DB_CHECKPOINT_HARD pages the thread stops starting passes and the
 * writer copies what the last one left, here, between two transactions —
 * a few hundred pages and a sync, seldom (e2e-bench on a store of a
 * million at 100 articles/s: 3 times for 2,000 articles, 6-12 ms each).
 * Doing it as soon as the log held 2,000 pages took 17-30 ms, a hundred
 * times as often. */
static int s_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    db_checkpoint_t *self = arg;
    if (pages < DB_CHECKPOINT_WAKE)
        return SQLITE_OK;
    bool now = false;
    pthread_mutex_lock(&self->lock);
    if (pages >= DB_CHECKPOINT_HARD)
        self->hard = true;
    if (self->hard) {
        /* A pass under way ends first; past a quarter more, the writer
         * waits for it, so the log stays bounded whatever the pace. */
        while (self->running && pages >= DB_CHECKPOINT_HARD + DB_CHECKPOINT_HARD / 4)
            pthread_cond_wait(&self->idle, &self->lock);
        now = !self->running;
    } else {
        self->pending = true;
        if (!self->running && !self->resting)
            pthread_cond_signal(&self->wake);
    }
    pthread_mutex_unlock(&self->lock);
    if (!now)
        return SQLITE_OK;
    int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    pthread_mutex_lock(&self->lock);
    self->hard = false;
    if (rc == SQLITE_OK)
        self->by_writer++;
    pthread_mutex_unlock(&self->lock);
    return SQLITE_OK;
}

/* One pass; true when it copied the whole log as it was at its start. */
static bool s_checkpoint(db_checkpoint_t *self)
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
        return false;
    }
    if (rc == SQLITE_OK && self->failing) {
        mlog_info("WAL checkpoints of %s work again", sqlite3_db_filename(self->db, "main"));
        self->failing = false;
    }
    return rc == SQLITE_OK && copied == log;
}

static void *s_run(void *arg)
{
    db_checkpoint_t *self = arg;
    pthread_mutex_lock(&self->lock);
    while (!self->stop) {
        if (!self->pending || self->hard) {
            pthread_cond_wait(&self->wake, &self->lock);
            continue;
        }
        self->pending = false;
        self->running = true;
        pthread_mutex_unlock(&self->lock);
        bool all = s_checkpoint(self);
        pthread_mutex_lock(&self->lock);
        self->running = false;
        pthread_cond_broadcast(&self->idle);
        if (all)
            self->done++;
        if (self->pending && !self->hard) {
            /* Commits came during the pass: copy what they added in a
             * while, not at once, or a steady writer has a pass (and a
             * sync of the file) after nearly every commit. */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += S_AGAIN_MS * 1000000L;
            until.tv_sec += until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            self->resting = true;
            while (!self->stop && !self->hard
                   && pthread_cond_timedwait(&self->wake, &self->lock, &until) != ETIMEDOUT)
                ;
            self->resting = false;
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
    pthread_cond_init(&self->idle, NULL);
    if (pthread_create(&self->thread, NULL, s_run, self) != 0) {
        *err = strdup("cannot start the checkpoint thread");
        pthread_cond_destroy(&self->idle);
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
    pthread_cond_destroy(&self->idle);
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
