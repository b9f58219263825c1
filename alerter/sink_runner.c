/*
 * sink_runner.c — the sink thread (sink_runner.h).
 *
 * The main thread only swaps the sink list (under the mutex) and signals
 * the condition; the thread works on its own snapshot, so a delivery never
 * runs with the mutex held.
 */
#include "sink_runner.h"
#include "log.h"
#include "sink.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 50
#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 300000
#define TICK_MS 1000
#define TIMEOUT_MS 10000

typedef struct {
    char *watch;
    sink_kind_t kind;
    char *target;
    char *key;            /* watch, kind and target: the cursor's name */
    int backoff_ms;
    int64_t next_try;     /* ms */
    bool failing;         /* logged the current failure streak */
} entry_t;

struct sink_runner {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool started;
    volatile bool stop;
    bool kicked;
    entry_t *v;           /* guarded by mu */
    size_t n;
    bool changed;         /* v was replaced since the thread's snapshot */
    char *db_path;
    uint64_t delivered, failed;
};

static int64_t s_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void s_entries_free(entry_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].watch);
        free(v[i].target);
        free(v[i].key);
    }
    free(v);
}

static entry_t *s_entries_copy(const entry_t *v, size_t n)
{
    entry_t *c = calloc(n ? n : 1, sizeof *c);
    for (size_t i = 0; c && i < n; i++) {
        c[i] = v[i];
        c[i].watch = strdup(v[i].watch);
        c[i].target = strdup(v[i].target);
        c[i].key = strdup(v[i].key);
        if (!c[i].watch || !c[i].target || !c[i].key) {
            s_entries_free(c, i + 1);
            return NULL;
        }
    }
    return c;
}

/* Deliver what E has pending.  Returns true if it made progress. */
static bool s_drive(sink_runner_t *self, alert_db_t *db, entry_t *e, int64_t now)
{
    if (now < e->next_try)
        return false;
    int64_t cursor = alert_db_cursor(db, e->key, alert_db_max_seq(db));
    if (cursor < 0)
        return false;
    char **jsons = NULL;
    int64_t *seqs = NULL;
    long n = alert_db_watch_since(db, e->watch, cursor, BATCH, &jsons, &seqs);
    if (n <= 0)
        return false;
    bool progress = false;
    for (long i = 0; i < n && !self->stop; i++) {
        char subject[256];
        snprintf(subject, sizeof subject, "[marsad] %s: alert %lld", e->watch,
                 (long long) seqs[i]);
        sink_t s = { .kind = e->kind, .target = e->target, .subject = subject,
                     .timeout_ms = TIMEOUT_MS, .cancel = &self->stop };
        char err[256];
        int rc = sink_deliver(&s, jsons[i], err, sizeof err);
        if (rc != 0) {
            __atomic_add_fetch(&self->failed, 1, __ATOMIC_RELAXED);
            e->backoff_ms = e->backoff_ms ? e->backoff_ms * 2 : BACKOFF_MIN_MS;
            if (e->backoff_ms > BACKOFF_MAX_MS)
                e->backoff_ms = BACKOFF_MAX_MS;
            e->next_try = s_ms() + e->backoff_ms;
            /* Once per failure streak at warn level, retries at debug. */
            mlog(e->failing ? MLOG_DEBUG : MLOG_WARN,
                 "watch %s: %s sink %s: alert %lld not delivered (%s); retrying in %d s",
                 e->watch, sink_kind_name(e->kind), e->target, (long long) seqs[i], err,
                 e->backoff_ms / 1000);
            e->failing = true;
            break;
        }
        if (alert_db_cursor_set(db, e->key, seqs[i]) != 0)
            mlog_warn("watch %s: %s sink: cannot save its cursor at %lld (it may be "
                      "delivered again)", e->watch, sink_kind_name(e->kind),
                      (long long) seqs[i]);
        __atomic_add_fetch(&self->delivered, 1, __ATOMIC_RELAXED);
        if (e->failing)
            mlog_info("watch %s: %s sink %s delivers again", e->watch, sink_kind_name(e->kind),
                      e->target);
        e->failing = false;
        e->backoff_ms = 0;
        e->next_try = 0;
        progress = true;
    }
    alert_db_free_list(jsons, (size_t) n);
    free(seqs);
    return progress;
}

static void *s_main(void *arg)
{
    sink_runner_t *self = arg;
    char *err = NULL;
    alert_db_t *db = alert_db_open(self->db_path, &err);
    if (!db) {
        mlog_error("sinks: cannot open %s: %s; no sink delivers", self->db_path,
                   err ? err : "?");
        free(err);
        return NULL;
    }
    entry_t *mine = NULL;
    size_t n = 0;
    while (!self->stop) {
        pthread_mutex_lock(&self->mu);
        if (self->changed) {
            /* Keep the backoff of sinks that stay. */
            entry_t *fresh = s_entries_copy(self->v, self->n);
            if (fresh) {
                for (size_t i = 0; i < self->n; i++)
                    for (size_t k = 0; k < n; k++)
                        if (strcmp(fresh[i].key, mine[k].key) == 0) {
                            fresh[i].backoff_ms = mine[k].backoff_ms;
                            fresh[i].next_try = mine[k].next_try;
                            fresh[i].failing = mine[k].failing;
                        }
                s_entries_free(mine, n);
                mine = fresh;
                n = self->n;
                self->changed = false;
            }
        }
        self->kicked = false;
        pthread_mutex_unlock(&self->mu);

        bool progress = false;
        int64_t now = s_ms();
        for (size_t i = 0; i < n && !self->stop; i++)
            progress |= s_drive(self, db, &mine[i], now);
        if (progress)
            continue;   /* a full batch may have more behind it */

        pthread_mutex_lock(&self->mu);
        if (!self->stop && !self->kicked && !self->changed) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += TICK_MS / 1000;
            pthread_cond_timedwait(&self->cond, &self->mu, &ts);
        }
        pthread_mutex_unlock(&self->mu);
    }
    s_entries_free(mine, n);
    alert_db_close(&db);
    return NULL;
}

sink_runner_t *sink_runner_new(const char *db_path)
{
    sink_runner_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    pthread_mutex_init(&self->mu, NULL);
    pthread_cond_init(&self->cond, NULL);
    self->db_path = strdup(db_path ? db_path : "");
    if (!self->db_path || pthread_create(&self->thread, NULL, s_main, self) != 0) {
        mlog_error("sinks: cannot start the sink thread");
        sink_runner_destroy(&self);
        return NULL;
    }
    self->started = true;
    return self;
}

void sink_runner_destroy(sink_runner_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sink_runner_t *self = *self_p;
    if (self->started) {
        pthread_mutex_lock(&self->mu);
        self->stop = true;
        pthread_cond_signal(&self->cond);
        pthread_mutex_unlock(&self->mu);
        pthread_join(self->thread, NULL);
    }
    s_entries_free(self->v, self->n);
    pthread_mutex_destroy(&self->mu);
    pthread_cond_destroy(&self->cond);
    free(self->db_path);
    free(self);
    *self_p = NULL;
}

static int s_add(entry_t *v, size_t *n, const char *watch, sink_kind_t kind, const char *target)
{
    if (!target || !target[0])
        return 0;
    entry_t *e = &v[*n];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->watch = strdup(watch);
    e->target = strdup(target);
    size_t klen = strlen(watch) + strlen(target) + 16;
    e->key = malloc(klen);
    if (!e->watch || !e->target || !e->key) {
        free(e->watch);
        free(e->target);
        free(e->key);
        return -ENOMEM;
    }
    snprintf(e->key, klen, "%s|%s|%s", watch, sink_kind_name(kind), target);
    (*n)++;
    return 0;
}

size_t sink_runner_set(sink_runner_t *self, const watch_set_t *ws, alert_db_t *db)
{
    if (!self)
        return 0;
    size_t nw = watch_set_size(ws);
    entry_t *v = calloc(4 * nw + 1, sizeof *v);
    size_t n = 0;
    int rc = v ? 0 : -ENOMEM;
    for (size_t i = 0; rc == 0 && i < nw; i++) {
        const watch_t *w = watch_set_get(ws, i);
        if ((rc = s_add(v, &n, w->name, SINK_FILE, w->sink_file)) == 0
            && (rc = s_add(v, &n, w->name, SINK_COMMAND, w->sink_command)) == 0
            && (rc = s_add(v, &n, w->name, SINK_WEBHOOK, w->sink_webhook)) == 0)
            rc = s_add(v, &n, w->name, SINK_EMAIL, w->sink_email);
    }
    if (rc != 0) {
        mlog_error("sinks: out of memory; keeping the previous sinks");
        s_entries_free(v, n);
        return self->n;
    }
    /* Cursors now, before any later alert: a new sink starts after the
     * alerts that exist at this moment. */
    int64_t max = alert_db_max_seq(db);
    for (size_t i = 0; i < n; i++)
        if (alert_db_cursor(db, v[i].key, max) < 0)
            mlog_warn("sinks: cannot create the cursor of %s", v[i].key);
    pthread_mutex_lock(&self->mu);
    s_entries_free(self->v, self->n);
    self->v = v;
    self->n = n;
    self->changed = true;
    pthread_cond_signal(&self->cond);
    pthread_mutex_unlock(&self->mu);
    return n;
}

void sink_runner_kick(sink_runner_t *self)
{
    if (!self)
        return;
    pthread_mutex_lock(&self->mu);
    self->kicked = true;
    pthread_cond_signal(&self->cond);
    pthread_mutex_unlock(&self->mu);
}

void sink_runner_counts(sink_runner_t *self, uint64_t *delivered, uint64_t *failed)
{
    if (delivered)
        *delivered = self ? __atomic_load_n(&self->delivered, __ATOMIC_RELAXED) : 0;
    if (failed)
        *failed = self ? __atomic_load_n(&self->failed, __ATOMIC_RELAXED) : 0;
}
