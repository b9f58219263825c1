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
 */
#include "store.h"
#include "store_db.h"
#include "daemon.h"
#include "log.h"
#include "proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define S_BATCH 256          /* articles per transaction at most */
#define S_API_LIMIT 1000     /* events per "since" reply at most */

typedef struct {
    char *id;                /* to acknowledge */
    proto_stored_t ev;       /* to announce; ev.seq == 0 when not new */
} s_done_t;

typedef struct {
    store_db_t *db;
    void *pull, *pub, *api;
    uint64_t received, stored, duplicates, resent, rejected;
} s_store_t;

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
            if (proto_stored_encode(&done[i].ev, &f) == 0) {
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
        if (done[i].ev.seq > 0) {
            proto_stored_clear(&done[i].ev);
        } else {
            proto_article_clear(&done[i].ev.article);
            free(done[i].ev.story_id);
        }
        memset(&done[i].ev, 0, sizeof done[i].ev);
    }
}

/* Drain up to S_BATCH waiting articles into one transaction.  Returns 0, or
 * -1 on a database failure (the batch is rolled back and not acknowledged:
 * the fetcher will resend). */
static int s_take_batch(s_store_t *self)
{
    static s_done_t done[S_BATCH];
    size_t n = 0;
    bool in_tx = false;

    while (n < S_BATCH) {
        proto_frames_t f = { 0 };
        int rc = proto_recv(self->pull, &f, ZMQ_DONTWAIT);
        if (rc == -EAGAIN || rc == -EINTR) {
            proto_frames_clear(&f);
            break;
        }
        self->received++;
        proto_article_t a;
        memset(&a, 0, sizeof a);
        if (rc == 0)
            rc = proto_article_decode(&f, &a);
        proto_frames_clear(&f);
        if (rc != 0) {
            self->rejected++;
            mlog_warn("dropped an invalid article message: %s (%llu rejected so far)",
                      proto_strerror(rc), (unsigned long long) self->rejected);
            continue;
        }
        if (!in_tx) {
            if (store_db_begin(self->db) != 0) {
                mlog_error("cannot begin a transaction; the batch will be resent");
                proto_article_clear(&a);
                break;
            }
            in_tx = true;
        }
        int64_t seq = 0;
        char *story = NULL, *err = NULL;
        bool dup = false;
        rc = store_db_insert(self->db, &a, &seq, &story, &dup, &err);
        if (rc < 0) {
            mlog_error("cannot store article %s: %s; rolling back the batch", a.id,
                       err ? err : "?");
            free(err);
            proto_article_clear(&a);
            store_db_rollback(self->db);
            s_done_clear(done, n);
            return -1;
        }
        s_done_t *d = &done[n++];
        d->id = strdup(a.id);
        if (rc == 1) {
            d->ev.seq = seq;
            d->ev.story_id = story;
            d->ev.duplicate = dup;
            d->ev.article = a;     /* moves ownership */
            self->stored++;
            if (dup)
                self->duplicates++;
        } else {
            self->resent++;
            proto_article_clear(&a);
        }
    }
    if (!in_tx)
        return 0;
    if (store_db_commit(self->db) != 0) {
        mlog_error("commit failed; %zu article(s) will be resent by the fetcher", n);
        store_db_rollback(self->db);
        s_done_clear(done, n);
        return -1;
    }
    s_announce(self, done, n);
    for (size_t i = 0; i < n; i++)
        if (done[i].ev.seq > 0)
            mlog_debug("stored %lld %s", (long long) done[i].ev.seq, done[i].id);
    s_done_clear(done, n);
    return 0;
}

static void s_answer(s_store_t *self)
{
    proto_frames_t req = { 0 }, rep = { 0 };
    int rc = proto_recv(self->api, &req, ZMQ_DONTWAIT);
    if (rc == -EAGAIN || rc == -EINTR)
        return;
    proto_since_t since;
    if (rc == 0)
        rc = proto_since_decode(&req, &since);
    proto_frames_clear(&req);
    if (rc != 0) {
        mlog_warn("bad request on the API socket: %s", proto_strerror(rc));
        proto_error_encode(proto_strerror(rc), &rep);
    } else {
        char **items = NULL;
        size_t n = 0;
        int64_t last = 0;
        int limit = since.limit > S_API_LIMIT ? S_API_LIMIT : (int) since.limit;
        if (store_db_events_since(self->db, since.since, limit, &items, &n, &last) == 0) {
            proto_items_encode("events", (const char *const *) items, n, last, &rep);
            for (size_t i = 0; i < n; i++)
                free(items[i]);
            free(items);
        } else {
            mlog_error("cannot read events since %lld", (long long) since.since);
            proto_error_encode("database error", &rep);
        }
    }
    /* A REP socket must answer every request, or it stays stuck. */
    if (rep.n == 0 || proto_send(self->api, &rep, 0) != 0)
        mlog_warn("cannot answer an API request: %s", zmq_strerror(zmq_errno()));
    proto_frames_clear(&rep);
}

int store_run(const marsad_config_t *cfg, void *zctx)
{
    s_store_t self;
    memset(&self, 0, sizeof self);
    char *err = NULL;
    self.db = store_db_open(cfg->store_db, &err);
    if (!self.db) {
        mlog_error("cannot open the store %s: %s", cfg->store_db, err ? err : "?");
        free(err);
        return 1;
    }
    int rc = 1;
    self.pull = marsad_socket(zctx, ZMQ_PULL, cfg->store_bind, true, 1000);
    self.pub = marsad_socket(zctx, ZMQ_PUB, cfg->store_publish, true, 100000);
    self.api = marsad_socket(zctx, ZMQ_REP, cfg->store_api, true, 0);
    if (!self.pull || !self.pub || !self.api)
        goto out;
    mlog_info("store %s open: %lld articles, last seq %lld", cfg->store_db,
              (long long) store_db_count(self.db), (long long) store_db_last_seq(self.db));

    while (!marsad_daemon_stopping()) {
        zmq_pollitem_t items[] = {
            { self.pull, 0, ZMQ_POLLIN, 0 },
            { self.api, 0, ZMQ_POLLIN, 0 },
        };
        if (zmq_poll(items, 2, 500) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            mlog_error("poll failed: %s", zmq_strerror(zmq_errno()));
            goto out;
        }
        if (items[0].revents & ZMQ_POLLIN)
            s_take_batch(&self);
        if (items[1].revents & ZMQ_POLLIN)
            s_answer(&self);
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
    store_db_close(&self.db);
    return rc;
}
