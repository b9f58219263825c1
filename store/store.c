/*
 * store.c — the loop of marsad-store (see store.h).
 *
 * Order matters for the delivery guarantee (DESIGN §2): a batch of articles
 * is committed first, and only then acknowledged and announced.  A crash
 * before the commit loses nothing (the fetcher still holds the documents in
 * its outbox and resends them); a crash after the commit but before the ack
 * makes the fetcher resend, and the idempotent insert acknowledges again
 * without a second row.  A lost `stored` announcement is recovered by the
 * alerter through the "since" API, since sequence numbers show the gap.
 *
 * Batches (group commit): a transaction takes the articles already waiting
 * — those that arrived while the last one was inserted or committed — for
 * at most [store] batch_ms, up to batch_rows; it never waits for more,
 * because at 100 articles/s waiting 20 ms for company was most of an
 * article's time from raw to stored.  Under load articles queue up while
 * the store works, so batches grow by themselves and hundreds of fsyncs
 * still become one; when idle an article is committed at once.
 *
 * A full disk (or the [store] max_size cap): the batch is rolled back and
 * not acknowledged, the store says so once, stops reading articles (they
 * wait in the sockets and in the fetcher's outbox) and tries again every
 * S_FULL_RETRY_MS; the first commit that succeeds says space is back.
 *
 * Retention: with [store] keep_days, articles stored longer ago are
 * deleted S_PRUNE_ROWS at a time between batches, so deleting a large
 * backlog never holds the writer for long.
 *
 * Idle moments go to merging, a small step at a time so that an arriving
 * article waits for one step at most: first the new articles' keys into
 * the key index (store_db_keys_tidy), then the full-text index's segments
 * (store_db_fts_tidy).
 */
#include "store.h"
#include "store_db.h"
#include "daemon.h"
#include "log.h"
#include "proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define S_API_LIMIT 1000          /* events per "since" reply at most */
#define S_FULL_RETRY_MS 5000
#define S_PRUNE_ROWS 500
#define S_PRUNE_EVERY_MS 60000
#define S_MAX_TEXT (8u * 1024 * 1024)   /* bytes of article text */
#define S_REJECT_LOG_MS 60000     /* one rejection line per reason per minute */
#define S_PUB_HWM 1000            /* events queued for one subscriber */

typedef struct {
    char *id;                /* to acknowledge */
    proto_stored_t ev;       /* to announce; ev.seq == 0 when not new */
    char *raw;               /* the article as received (frame 1), announced as it came;
                                NULL: ev.article is encoded instead */
    size_t raw_len;
} s_done_t;

typedef struct {
    const marsad_config_t *cfg;
    store_db_t *db;
    void *pull, *pub, *api;
    s_done_t *done;          /* batch_rows slots */
    bool full;               /* the last batch hit a full disk */
    bool tidy;               /* the full-text index may have segments to merge */
    int64_t retry_at, prune_at;
    int64_t reject_logged[16];
    uint64_t received, stored, duplicates, resent, rejected;
    int m_ids[7];            /* metric ids, in s_metrics_sync's order */
} s_store_t;

/* Mirror the counters into the process metrics (GET /metrics).  Cheap:
 * a few locked stores, once per loop turn. */
static void s_metrics_sync(s_store_t *self, int64_t batch_ms)
{
    metrics_t *m = marsad_metrics();
    double v[6] = { (double) self->received, (double) self->stored, (double) self->duplicates,
                    (double) self->resent, (double) self->rejected, self->full ? 1.0 : 0.0 };
    for (int i = 0; i < 6; i++)
        metrics_set(m, self->m_ids[i], v[i]);
    if (batch_ms >= 0)
        metrics_observe(m, self->m_ids[6], (double) batch_ms / 1000.0);
}

static void s_metrics_register(s_store_t *self)
{
    static const struct { metric_type_t t; const char *name, *help; } defs[7] = {
        { METRIC_COUNTER, "marsad_store_received_total", "Article messages received" },
        { METRIC_COUNTER, "marsad_stored_total", "Articles committed (duplicates included)" },
        { METRIC_COUNTER, "marsad_duplicates_total", "Articles stored as duplicates" },
        { METRIC_COUNTER, "marsad_reacknowledged_total", "Resent documents acknowledged again" },
        { METRIC_COUNTER, "marsad_store_rejected_total", "Invalid article messages dropped" },
        { METRIC_GAUGE, "marsad_store_full", "1 while the database is full and nothing is acked" },
        { METRIC_HISTOGRAM, "marsad_store_batch_seconds", "Time to take, commit and announce a batch" },
    };
    for (int i = 0; i < 7; i++)
        self->m_ids[i] = metrics_register(marsad_metrics(), defs[i].t, defs[i].name, defs[i].help);
}

/* Publish acks and stored events for a committed batch.  Send errors are
 * logged and not fatal: the fetcher resends unacked documents and the
 * alerter catches up on gaps. */
static void s_announce(s_store_t *self, s_done_t *done, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        proto_frames_t f = { 0 };
        proto_ack_t ack = { .id = done[i].id };
        if (proto_ack_encode(&ack, &f) == 0) {
            if (proto_send(self->pub, &f, 0) != 0)
                mlog_warn("cannot publish ack for %s: %s", done[i].id, zmq_strerror(zmq_errno()));
        }
        proto_frames_clear(&f);
        if (done[i].ev.seq > 0) {
            int rc = done[i].raw
                         ? proto_stored_encode_spliced(done[i].ev.seq, done[i].ev.story_id,
                                                       done[i].ev.duplicate, done[i].raw,
                                                       done[i].raw_len, &f)
                         : proto_stored_encode(&done[i].ev, &f);
            if (rc != 0) {
                mlog_warn("cannot encode stored %lld: %s (the alerter catches up on it)",
                          (long long) done[i].ev.seq, proto_strerror(rc));
            } else {
                if (proto_send(self->pub, &f, 0) != 0)
                    mlog_warn("cannot publish stored %lld: %s", (long long) done[i].ev.seq,
                              zmq_strerror(zmq_errno()));
            }
            proto_frames_clear(&f);
        }
    }
}

static void s_done_clear(s_done_t *done, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(done[i].id);
        done[i].id = NULL;
        free(done[i].raw);
        done[i].raw = NULL;
        if (done[i].ev.seq > 0) {
            proto_stored_clear(&done[i].ev);
        } else {
            proto_article_clear(&done[i].ev.article);
            free(done[i].ev.story_id);
        }
        memset(&done[i].ev, 0, sizeof done[i].ev);
    }
}

/* Count and log a rejected message, at most once a minute per reason. */
static void s_reject(s_store_t *self, int code, const char *reason)
{
    self->rejected++;
    size_t slot = (size_t) (code < 0 ? -code : code) % 16;
    int64_t now = marsad_clock_ms();
    if (self->reject_logged[slot] && now - self->reject_logged[slot] < S_REJECT_LOG_MS)
        return;
    self->reject_logged[slot] = now;
    mlog_warn("dropped an invalid article message: %s (%llu rejected so far)", reason,
              (unsigned long long) self->rejected);
}

/* Say once that the store is full, and stop reading until the retry. */
static void s_full(s_store_t *self, size_t n)
{
    if (!self->full)
        mlog_error("the database is full (disk or [store] max_size): %zu article(s) NOT "
                   "acknowledged; no article is acknowledged until space is freed (retrying "
                   "every %d s; the fetcher keeps them in its outbox)", n, S_FULL_RETRY_MS / 1000);
    self->full = true;
    self->retry_at = marsad_clock_ms() + S_FULL_RETRY_MS;
}

/* Receive one article, waiting up to WAIT_MS.  Returns 1 with *a filled,
 * 0 when nothing came, -1 for a message that was rejected. */
/* One article message: 1 with *A decoded and, when it is as this
 * library writes it, its JSON text in *RAW (malloc'd, *RAW_LEN bytes) for
 * the announcement; 0 when none is waiting; -1 when rejected. */
static int s_receive(s_store_t *self, int wait_ms, proto_article_t *a, char **raw,
                     size_t *raw_len)
{
    *raw = NULL;
    *raw_len = 0;
    if (wait_ms > 0) {
        zmq_pollitem_t it = { self->pull, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&it, 1, wait_ms) <= 0 || !(it.revents & ZMQ_POLLIN))
            return 0;
    }
    proto_frames_t f = { 0 };
    int rc = proto_recv(self->pull, &f, ZMQ_DONTWAIT);
    if (rc == -EAGAIN || rc == -EINTR) {
        proto_frames_clear(&f);
        return 0;
    }
    self->received++;
    memset(a, 0, sizeof *a);
    if (rc == 0)
        rc = proto_article_decode(&f, a);
    if (rc == 0 && f.n >= 2 && proto_stored_spliceable(f.data[1], f.len[1])) {
        *raw = f.data[1];          /* taken: announced as it came */
        *raw_len = f.len[1];
        f.data[1] = NULL;
    }
    proto_frames_clear(&f);
    if (rc != 0) {
        s_reject(self, rc, proto_strerror(rc));
        return -1;
    }
    if (strlen(a->text) > S_MAX_TEXT) {
        s_reject(self, PROTO_ESIZE, "text larger than 8 MiB");
        proto_article_clear(a);
        free(*raw);
        *raw = NULL;
        return -1;
    }
    return 1;
}

/* One transaction: the articles already waiting, for at most batch_ms
 * from the first, up to batch_rows.  Returns 0, or a negative value on a
 * database failure (rolled back, nothing acknowledged: resent later). */
static int s_take_batch(s_store_t *self)
{
    s_done_t *done = self->done;
    size_t n = 0, max = (size_t) self->cfg->store_batch_rows;
    bool in_tx = false;
    int64_t deadline = 0;

    while (n < max) {
        /* Idle: block for the first article (s_receive's own timeout).  In a
         * transaction: take only what is already there. */
        int wait = 0;
        if (in_tx && deadline - marsad_clock_ms() <= 0)
            break;
        proto_article_t a;
        char *raw = NULL;
        size_t raw_len = 0;
        int got = s_receive(self, wait, &a, &raw, &raw_len);
        if (got < 0)
            continue;
        if (got == 0)
            break;              /* nothing waiting: commit what we have */
        if (!in_tx) {
            int rc = store_db_begin(self->db);
            if (rc != 0) {
                proto_article_clear(&a);
                free(raw);
                if (rc == STORE_DB_ENOSPC)
                    s_full(self, 1);
                else
                    mlog_error("cannot begin a transaction; the article will be resent");
                return rc;
            }
            in_tx = true;
            deadline = marsad_clock_ms() + self->cfg->store_batch_ms;
        }
        int64_t seq = 0;
        char *story = NULL, *err = NULL;
        bool dup = false;
        int rc = store_db_insert(self->db, &a, &seq, &story, &dup, &err);
        if (rc < 0) {
            if (rc == STORE_DB_ENOSPC)
                s_full(self, n + 1);
            else
                mlog_error("cannot store article %s: %s; rolling back the batch (%zu article(s) "
                           "will be resent)", a.id, err ? err : "?", n + 1);
            free(err);
            proto_article_clear(&a);
            free(raw);
            store_db_rollback(self->db);
            s_done_clear(done, n);
            return rc;
        }
        s_done_t *d = &done[n++];
        d->id = strdup(a.id);
        if (rc == 1) {
            d->ev.seq = seq;
            d->ev.story_id = story;
            d->ev.duplicate = dup;
            if (raw) {
                /* announced from the text it came as: the fields can go */
                d->raw = raw;
                d->raw_len = raw_len;
                raw = NULL;
                proto_article_clear(&a);
            } else {
                d->ev.article = a;     /* moves ownership */
            }
            self->stored++;
            if (dup)
                self->duplicates++;
        } else {
            self->resent++;
            proto_article_clear(&a);
        }
        free(raw);
    }
    if (!in_tx)
        return 0;
    int rc = store_db_commit(self->db);
    if (rc != 0) {
        if (rc == STORE_DB_ENOSPC)
            s_full(self, n);
        else
            mlog_error("commit failed; %zu article(s) will be resent by the fetcher", n);
        store_db_rollback(self->db);
        s_done_clear(done, n);
        return rc;
    }
    if (self->full) {
        mlog_info("space is back: storing and acknowledging again");
        self->full = false;
    }
    s_announce(self, done, n);
    for (size_t i = 0; i < n; i++)
        if (done[i].ev.seq > 0)
            mlog_debug("stored %lld %s", (long long) done[i].ev.seq, done[i].id);
    s_done_clear(done, n);
    return 0;
}

/* A "since" request: the alerter's catch-up. */
static void s_answer_since(s_store_t *self, const proto_frames_t *req, proto_frames_t *rep)
{
    proto_since_t since;
    int rc = proto_since_decode(req, &since);
    if (rc != 0) {
        mlog_warn("bad request on the API socket: %s", proto_strerror(rc));
        proto_error_encode(proto_strerror(rc), rep);
        return;
    }
    char **items = NULL;
    size_t n = 0;
    int64_t last = 0;
    int limit = since.limit > S_API_LIMIT ? S_API_LIMIT : (int) since.limit;
    if (store_db_events_since(self->db, since.since, limit, &items, &n, &last) == 0) {
        proto_items_encode("events", (const char *const *) items, n, last, rep);
        for (size_t i = 0; i < n; i++)
            free(items[i]);
        free(items);
    } else {
        mlog_error("cannot read events since %lld", (long long) since.since);
        proto_error_encode("database error", rep);
    }
}

/* An "article", "story" or "stats" request. */
static void s_answer_query(s_store_t *self, const proto_frames_t *req, proto_frames_t *rep)
{
    proto_query_t q;
    int rc = proto_query_decode(req, &q);
    if (rc != 0) {
        mlog_warn("bad request on the API socket: %s", proto_strerror(rc));
        proto_error_encode(proto_strerror(rc), rep);
        return;
    }
    char *json = NULL;
    if (strcmp(q.kind, "article") == 0)
        rc = store_db_article_json(self->db, q.id, &json);
    else if (strcmp(q.kind, "story") == 0)
        rc = store_db_story_json(self->db, q.id, &json);
    else
        rc = store_db_stats_json(self->db, &json);
    if (rc == 0)
        rc = proto_item_encode(q.kind, json, rep) == 0 ? 0 : -1;
    if (rc == 1) {
        proto_error_encode("not found", rep);
    } else if (rc != 0) {
        mlog_error("cannot answer a %s request", q.kind);
        proto_error_encode("database error", rep);
    }
    free(json);
    proto_query_clear(&q);
}

static void s_answer(s_store_t *self)
{
    proto_frames_t req = { 0 }, rep = { 0 };
    int rc = proto_recv(self->api, &req, ZMQ_DONTWAIT);
    if (rc == -EAGAIN || rc == -EINTR)
        return;
    if (rc != 0) {
        mlog_warn("bad request on the API socket: %s", proto_strerror(rc));
        proto_error_encode(proto_strerror(rc), &rep);
    } else if (req.n >= 1 && req.len[0] == 5 && memcmp(req.data[0], "since", 5) == 0) {
        s_answer_since(self, &req, &rep);
    } else {
        s_answer_query(self, &req, &rep);
    }
    proto_frames_clear(&req);
    /* A REP socket must answer every request, or it stays stuck. */
    if (rep.n == 0 || proto_send(self->api, &rep, 0) != 0)
        mlog_warn("cannot answer an API request: %s", zmq_strerror(zmq_errno()));
    proto_frames_clear(&rep);
}

/* Delete one small batch of expired articles, if retention is on and due. */
static void s_prune(s_store_t *self)
{
    if (self->cfg->store_keep_days <= 0 || marsad_clock_ms() < self->prune_at)
        return;
    int64_t before = (int64_t) time(NULL) - (int64_t) self->cfg->store_keep_days * 86400;
    int n = store_db_prune(self->db, before, S_PRUNE_ROWS);
    if (n < 0)
        mlog_error("cannot delete expired articles; trying again later");
    else if (n > 0)
        mlog_info("deleted %d article(s) older than %d day(s)", n, self->cfg->store_keep_days);
    /* More to do: come back at once (between batches); else in a minute. */
    self->prune_at = marsad_clock_ms() + (n == S_PRUNE_ROWS ? 0 : S_PRUNE_EVERY_MS);
}

int store_run(const marsad_config_t *cfg, void *zctx)
{
    s_store_t self;
    memset(&self, 0, sizeof self);
    self.cfg = cfg;
    /* A store may open with segments to merge (a bulk load, a restart
     * under load): merged while idle from the start.  Left for the first
     * article, a freshly loaded store of 10k articles reached FTS5's crisis
     * merge within its first ten commits, holding one up for 70-200 ms
     * (e2e-bench at 100/s: p99 63-104 ms instead of ~20). */
    self.tidy = true;
    char *err = NULL;
    self.db = store_db_open(cfg->store_db, &err);
    if (!self.db) {
        mlog_error("cannot open the store %s: %s", cfg->store_db, err ? err : "?");
        free(err);
        return 1;
    }
    int rc = 1;
    self.done = calloc((size_t) cfg->store_batch_rows, sizeof *self.done);
    if (!self.done || store_db_set_max_size(self.db, cfg->store_max_size) != 0) {
        mlog_error("cannot set up the store");
        goto out;
    }
    for (size_t i = 0; i < cfg->n_entities; i++) {
        const cfg_entity_t *e = &cfg->entities[i];
        if (store_db_catalog_entity(self.db, e->id, e->type, e->names[0]) != 0)
            mlog_warn("cannot record catalog entity %s", e->id);
    }
    /* A short inbound queue per extractor: articles are tens of KB, and
     * 1,000 waiting from each of 4 extractors at saturation took the store
     * to 70 MiB.  Beyond it they wait in the extractors (back-pressure),
     * and the batch still takes whatever is waiting. */
    self.pull = marsad_socket(zctx, ZMQ_PULL, cfg->store_bind, true, 32);
    /* And a bounded outbound one per subscriber: a subscriber that stops
     * reading held every event since in the store's memory (3,000 events
     * of 32 KB: 141 MiB).  Past 1,000 (~10 s at 100 articles/s) its events
     * are dropped; the alerter sees the gap and catches up with `since`,
     * and the fetcher resends what was not acknowledged. */
    self.pub = marsad_socket(zctx, ZMQ_PUB, cfg->store_publish, true, S_PUB_HWM);
    self.api = marsad_socket(zctx, ZMQ_REP, cfg->store_api, true, 0);
    if (!self.pull || !self.pub || !self.api)
        goto out;
    s_metrics_register(&self);
    mlog_info("store %s open: %lld articles, last seq %lld, schema %d", cfg->store_db,
              (long long) store_db_count(self.db), (long long) store_db_last_seq(self.db),
              store_db_schema_version(self.db));

    while (!marsad_daemon_stopping()) {
        /* While full, leave articles in the socket until the retry. */
        bool reading = !self.full || marsad_clock_ms() >= self.retry_at;
        zmq_pollitem_t items[] = {
            { self.api, 0, ZMQ_POLLIN, 0 },
            { self.pull, 0, ZMQ_POLLIN, 0 },
        };
        /* With segments to merge, an idle moment is spent merging them
         * (store_db_fts_tidy): poll without waiting, merge a step if
         * nothing came. */
        if (zmq_poll(items, reading ? 2 : 1, self.tidy && !self.full ? 0 : 500) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            mlog_error("poll failed: %s", zmq_strerror(zmq_errno()));
            goto out;
        }
        if (items[0].revents & ZMQ_POLLIN)
            s_answer(&self);
        if (reading && (items[1].revents & ZMQ_POLLIN)) {
            int64_t t0 = marsad_clock_ms();
            s_take_batch(&self);
            s_metrics_sync(&self, marsad_clock_ms() - t0);
            self.tidy = true;
        } else if (self.tidy && !self.full && !(items[0].revents & ZMQ_POLLIN)) {
            /* ~64 pages: a few milliseconds, so an article arriving now
             * waits little more than it would for a commit */
            char *why = NULL;
            /* the new articles' keys first: they hold memory until merged */
            int r = store_db_keys_tidy(self.db);
            if (r == 0 && (r = store_db_fts_tidy(self.db, 64, &why)) < 0)
                mlog_warn("%s (tried again after the next batch)", why ? why : "out of memory");
            free(why);
            self.tidy = r > 0;
        }
        /* The entity counters wait in memory for at most about a second
         * (store_counts.h); a batch's commit writes them when due, and so
         * does an idle moment. */
        if (!self.full && store_db_write_counts(self.db, false) < 0)
            mlog_warn("cannot write the entity counters now; they will be counted again from"
                      " the articles");
        if (!self.full)
            s_prune(&self);
    }
    rc = 0;
    mlog_info("received %llu, stored %llu (%llu duplicates), re-acknowledged %llu, rejected %llu",
              (unsigned long long) self.received, (unsigned long long) self.stored,
              (unsigned long long) self.duplicates, (unsigned long long) self.resent,
              (unsigned long long) self.rejected);
out:
    if (self.pull) zmq_close(self.pull);
    if (self.pub) zmq_close(self.pub);
    if (self.api) zmq_close(self.api);
    free(self.done);
    store_db_close(&self.db);
    return rc;
}
