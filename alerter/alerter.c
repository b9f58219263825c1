/*
 * alerter.c — marsad-alerter: match every stored article against the
 * watches, persist each alert, then publish it (DESIGN §1, §2, §7).
 *
 * Sockets: SUB "stored" (connect alerter_stored), REQ to the store's API
 * (connect alerter_store_api) for catch-up, PUB alerts (bind
 * alerter_publish), REP replay (bind alerter_replay).
 *
 * Articles are handled strictly in the store's sequence order.  The last
 * seq handled lives in the alerter's database and moves in the same
 * transaction as the alerts it produced (alert_db.h), so after a crash an
 * article is either fully handled or handled again — never half.  A live
 * message that is not the next one (at start, after a gap, after a slow
 * subscriber dropped some) starts a catch-up through the store's REP
 * socket; a periodic catch-up also covers the last message lost while the
 * SUB socket was (re)connecting.  Publishing comes after the commit; a
 * subscriber that missed it resumes with a `since` request on the replay
 * socket.
 *
 * Watches are reloaded on SIGHUP and when the config file or a file of its
 * includes changes: noticed through inotify (config_watch.h), a moment
 * after the last event so an editor's several writes make one reload, and
 * polled every 2 s only where inotify cannot watch; a file that no longer
 * loads keeps the last good watches.
 *
 * Per article only the watches whose terms occur are evaluated
 * (watch_index.h); each decides between a `new` alert, an `update` of its
 * story and silence (alert_match.h); a watch over its rate limit folds the
 * alert into a digest sent when its window has room (alert_digest.h).
 * Sinks (file, command, webhook, e-mail) are driven by their own thread
 * from the committed alerts (sink_runner.h), so they neither block this
 * loop nor lose an alert.
 *
 * DIAGNOSTICS: one info line per alert ("alert 12 bout-houthi-arms:
 * TITLE"); a warning per undecodable message, with the reason; catch-up
 * timeouts; watch errors with FILE:LINE:COL (watch_set.c).
 */
#include "alerter.h"
#include "alert_build.h"
#include "alert_curve.h"
#include "alert_db.h"
#include "alert_digest.h"
#include "alert_match.h"
#include "config_watch.h"
#include "sink_runner.h"
#include "daemon.h"
#include "fnv1a.h"
#include "log.h"
#include "proto.h"
#include "query.h"
#include "text.h"
#include "watch_set.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zmq.h>

#define CATCHUP_LIMIT 100            /* stored articles per catch-up request */
#define CATCHUP_TIMEOUT_MS 5000      /* the store must answer within this */
#define CATCHUP_BACKOFF_MAX_MS 30000
#define CATCHUP_PERIOD_MS 10000      /* check for missed articles this often */
#define FILES_POLL_MS 2000
#define RELOAD_SETTLE_MS 150         /* after the last inotify event */
#define DIGEST_CHECK_MS 1000         /* rate-limited watches' digests */
#define REPLAY_MAX_BYTES (8u * 1024 * 1024)   /* of alert JSON in one reply */
/* Stored events queued here while the alerter is busy: past this many
 * they are dropped and fetched again by catch-up (seq gaps), instead of
 * growing the process by ~20 KB each. */
#define SUB_HWM 1000

typedef struct {
    const marsad_config_t *cfg;    /* the start-up config: endpoints, db */
    marsad_config_t *reloaded;     /* the last good reloaded config, owned */
    void *zctx;
    void *sub, *req, *pub, *rep;
    alert_db_t *db;
    watch_set_t *watches;

    int64_t last;                  /* last stored seq handled (persisted) */
    bool need_catchup;
    bool req_pending;
    int64_t req_deadline;          /* ms, when req_pending */
    int64_t catchup_at;            /* ms: earliest time for the next request */
    int backoff_ms;
    bool store_down;               /* warned that the store does not answer */
    bool warned_behind;            /* warned that the store is behind us */
    int64_t asked_from;            /* the seq the pending catch-up asked from */
    int64_t next_periodic;
    uint64_t files_fp;
    size_t watch_errors;           /* watches that did not parse at the last (re)load */
    int64_t next_files_poll;
    config_watch_t *cw;            /* NULL: poll only */
    sink_runner_t *sinks;          /* NULL: no sink thread (logged) */
    int64_t reload_at;             /* ms, 0: none pending */
    int64_t next_digest;           /* ms: check rate-limited watches */
    uint64_t n_bad;                /* undecodable messages */
    int64_t store_last;            /* highest stored seq the store has told of */
    alert_curve_t *curve;          /* CURVE on publish and replay, or NULL */
} alerter_t;

static int s_curve_prep(void *socket, void *arg)
{
    return alert_curve_apply(arg, socket);
}

/* proto_recv/proto_send return PROTO_E* codes (below -1000) or -errno. */
static const char *s_err(int rc)
{
    return rc > -1000 ? strerror(-rc) : proto_strerror(rc);
}

/* --------------------------------------------------------------- config */

static uint64_t s_fp_file(uint64_t h, const char *path)
{
    struct stat st;
    h = fnv1a(h, path, strlen(path) + 1);
    if (stat(path, &st) == 0) {
        h = fnv1a(h, &st.st_mtim, sizeof st.st_mtim);
        h = fnv1a(h, &st.st_size, sizeof st.st_size);
        h = fnv1a(h, &st.st_ino, sizeof st.st_ino);
    } else {
        h = fnv1a(h, "-", 1);
    }
    return h;
}

/* A fingerprint of the config file and every file its include globs match
 * now: it changes when any is edited, added or removed. */
static uint64_t s_files_fingerprint(const marsad_config_t *cfg)
{
    uint64_t h = FNV1A_BASIS;
    h = s_fp_file(h, cfg->path);
    for (size_t i = 0; i < cfg->n_includes; i++) {
        glob_t g;
        memset(&g, 0, sizeof g);
        if (glob(cfg->includes[i], 0, NULL, &g) == 0)
            for (size_t k = 0; k < g.gl_pathc; k++)
                h = s_fp_file(h, g.gl_pathv[k]);
        h = fnv1a(h, &g.gl_pathc, sizeof g.gl_pathc);
        globfree(&g);
    }
    return h;
}

static const marsad_config_t *s_config(const alerter_t *self)
{
    return self->reloaded ? self->reloaded : self->cfg;
}

/* What `marsad watch list` shows: the watches this process runs now (GET
 * /watches on the metrics address), which after a broken edit are the last
 * good ones, not what the files on disk say.  RELOAD_ERROR: why the last
 * reload kept them, or NULL. */
static void s_show_watches(alerter_t *self, size_t n_errors, const char *reload_error)
{
    const marsad_config_t *cfg = s_config(self);
    json_t *list = json_array();
    for (size_t i = 0; list && i < watch_set_size(self->watches); i++) {
        const watch_t *w = watch_set_get(self->watches, i);
        const cfg_watch_t *cw = config_watch(cfg, w->name);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s?}", "name", w->name,
                                              "severity", w->severity, "query", w->query_src,
                                              "file", cw && cw->file ? cw->file : cfg->path,
                                              "line", cw ? cw->line : 0, "rate_limit",
                                              cw ? cw->rate_limit : NULL));
    }
    char loaded[32];
    proto_time_format((long long) time(NULL), loaded);
    json_t *doc = json_pack("{s:s, s:s, s:I, s:s?, s:o}", "config", cfg->path, "loaded_at", loaded,
                            "errors", (json_int_t) n_errors, "reload_error", reload_error,
                            "watches", list);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    if (!text || metrics_set_document(marsad_metrics(), "/watches", text) != 0)
        mlog_warn("cannot publish the active watches on /watches (out of memory)");
    free(text);
    json_decref(doc);
    self->watch_errors = n_errors;
}

static void s_reload(alerter_t *self, const char *why)
{
    /* A copy: the config that owns the path is replaced below. */
    char *path = strdup(s_config(self)->path);
    char *err = NULL;
    marsad_config_t *cfg = path ? config_load(path, &err) : NULL;
    if (!cfg) {
        mlog_error("reload (%s): %s; keeping the last good watches", why,
                   err ? err : "cannot load the config");
        s_show_watches(self, self->watch_errors, err ? err : "cannot load the config");
        free(err);
        free(path);
        /* Do not retry the same broken files every 2 s. */
        self->files_fp = s_files_fingerprint(s_config(self));
        return;
    }
    size_t n_errors = 0;
    watch_set_t *w = watch_set_new(cfg, self->watches, &n_errors);
    if (!w) {
        mlog_error("reload (%s): out of memory; keeping the last good watches", why);
        config_destroy(&cfg);
        free(path);
        return;
    }
    watch_set_destroy(&self->watches);
    self->watches = w;
    sink_runner_set(self->sinks, w, self->db);
    config_destroy(&self->reloaded);
    self->reloaded = cfg;
    self->files_fp = s_files_fingerprint(cfg);
    /* The includes may name other directories now. */
    config_watch_destroy(&self->cw);
    self->cw = config_watch_new(cfg);
    mlog_info("reloaded %s (%s): %zu watches%s", path, why, watch_set_size(w),
              n_errors ? ", some with errors (see above)" : "");
    s_show_watches(self, n_errors, n_errors ? "some watches did not parse: the last good "
                   "version of each is kept (see the alerter's log)" : NULL);
    free(path);
}

/* -------------------------------------------------------------- handling */

/* Render callback for alert_db_record: the alert's JSON with its seq. */
static char *s_render(void *arg, size_t index, int64_t seq)
{
    alert_draft_t *drafts = arg;
    drafts[index].alert.seq = seq;
    char *json = proto_alert_to_json(&drafts[index].alert);
    /* kept for s_publish: the same text goes out (a copy is cheaper than
     * encoding it again) */
    free(drafts[index].json);
    drafts[index].json = json ? strdup(json) : NULL;
    return json;
}

static void s_publish(alerter_t *self, const proto_alert_t *a, const char *json)
{
    /* alerts by watch, registered on first use (watch names are safe in a
     * label: [A-Za-z0-9_.-]) */
    char series[320];
    snprintf(series, sizeof series, "marsad_alerts_total{watch=\"%s\"}", a->watch);
    metrics_inc(marsad_metrics(), metrics_register(marsad_metrics(), METRIC_COUNTER, series,
                                                   "Alerts made, by watch"), 1);
    proto_frames_t f;
    int rc = json ? proto_alert_encode_json(a->watch, json, strlen(json), &f)
                  : proto_alert_encode(a, &f);
    if (rc == 0)
        rc = proto_send(self->pub, &f, ZMQ_DONTWAIT);
    proto_frames_clear(&f);
    /* The alert is committed; a subscriber that missed it replays it. */
    if (rc != 0)
        mlog_warn("alert %lld %s: not published (%s); it stays available for replay",
                  (long long) a->seq, a->watch, s_err(rc));
}

/* Handle stored article ST (its seq is above self->last).  Returns 0, or a
 * negative code when nothing could be committed (the article will be
 * handled again). */
static int s_handle_article(alerter_t *self, const proto_stored_t *st);

/* Queue and latency gauges: how far the alerter is behind the store (what
 * a catch-up still has to do), and what the sinks delivered. */
static void s_metrics_sync(alerter_t *self)
{
    metrics_t *m = marsad_metrics();
    if (self->store_last < self->last)
        self->store_last = self->last;
    metrics_set(m, metrics_register(m, METRIC_GAUGE, "marsad_alerter_behind",
                "Stored articles the store has told of and the alerter has not handled yet"),
                (double) (self->store_last - self->last));
    uint64_t delivered = 0, failed = 0;
    sink_runner_counts(self->sinks, &delivered, &failed);
    metrics_set(m, metrics_register(m, METRIC_COUNTER, "marsad_sink_delivered_total",
                "Alerts delivered by the sinks (file, command, webhook, e-mail)"),
                (double) delivered);
    metrics_set(m, metrics_register(m, METRIC_COUNTER, "marsad_sink_failures_total",
                "Sink deliveries that failed and will be retried"), (double) failed);
    if (self->curve)
        metrics_set(m, metrics_register(m, METRIC_COUNTER, "marsad_curve_refused_total",
                    "Subscribers refused by the CURVE allow list"),
                    (double) alert_curve_refused(self->curve));
}

/* One stored article: evaluate, record, publish; timed for the
 * marsad_alert_seconds histogram (stored in, alerts out). */
static int s_handle(alerter_t *self, const proto_stored_t *st)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = s_handle_article(self, st);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    metrics_t *m = marsad_metrics();
    metrics_observe(m, metrics_register(m, METRIC_HISTOGRAM, "marsad_alert_seconds",
                    "Per stored article: evaluate the watches, record and publish the alerts"),
                    (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9);
    return rc;
}

static int s_handle_article(alerter_t *self, const proto_stored_t *st)
{
    const proto_article_t *art = &st->article;
    size_t nw = watch_set_size(self->watches);
    alert_draft_t *drafts = NULL;
    alert_db_entry_t *entries = NULL;
    query_mention_t *mentions = NULL;
    size_t *cand = NULL;
    watch_scan_t scan = { 0 };
    text_doc_t *title = NULL, *text = NULL;
    size_t n = 0;
    int rc = 0;

    /* A duplicate is matched too: from a new outlet it updates its story;
     * from a known one it brings nothing and stays silent. */
    if (nw > 0) {
        const char *t = art->title ? art->title : "";
        const char *x = art->text ? art->text : "";
        title = text_doc_new(t, strlen(t));
        text = text_doc_new(x, strlen(x));
        mentions = calloc(art->n_mentions ? art->n_mentions : 1, sizeof *mentions);
        cand = malloc(nw * sizeof *cand);
        if (!title || !text || !mentions || !cand) {
            goto oom;
        }
        size_t nm = 0;
        for (size_t i = 0; i < art->n_mentions; i++) {
            const proto_mention_t *m = &art->mentions[i];
            if (m->entity && m->start >= 0 && m->end >= m->start)
                mentions[nm++] = (query_mention_t) { m->entity, (size_t) m->start,
                                                     (size_t) m->end, m->type };
        }
        query_input_t in = { title, text, mentions, nm, art->source, art->lang, NULL };
        long long now = (long long) time(NULL);
        size_t nc = watch_set_scan(self->watches, &in, cand, &scan);
        if (nc == (size_t) -1)
            goto oom;
        /* Sized by the candidates, not the watches: with 10,000 watches a
         * draft per watch was megabytes to clear for every article. */
        drafts = calloc(nc ? nc : 1, sizeof *drafts);
        entries = calloc(nc ? nc : 1, sizeof *entries);
        if (!drafts || !entries) {
            goto oom;
        }
        for (size_t c = 0; c < nc; c++) {
            const watch_t *w = watch_set_get(self->watches, cand[c]);
            /* the index's scan already found this watch's words */
            watch_scan_for(&scan, cand[c]);
            in.prescan = scan.index ? &scan.prescan : NULL;
            rc = alert_match(self->db, w, st, &in, now, &drafts[n]);
            if (rc < 0)
                goto done;
            if (rc == 0 && drafts[n].n_added == 0) {
                alert_draft_clear(&drafts[n]);
                continue;
            }
            if (rc == 0) {
                /* Silent: nothing to alert, but its claims join the ledger
                 * the story's next alert for this watch shows. */
                entries[n] = (alert_db_entry_t) {
                    .watch = w->name, .story_id = st->story_id, .silent = true,
                    .ledger = drafts[n].added, .n_ledger = drafts[n].n_added };
                n++;
                continue;
            }
            entries[n] = (alert_db_entry_t) {
                .watch = w->name, .story_id = st->story_id,
                .update = strcmp(drafts[n].alert.kind, "update") == 0,
                .seen = (const char *const *) drafts[n].story.v, .n_seen = drafts[n].story.n,
                .ledger = drafts[n].added, .n_ledger = drafts[n].n_added };
            if (w->rate_n > 0
                && alert_db_count_recent(self->db, w->name, w->rate_period) >= w->rate_n) {
                /* Over the limit: kept for the watch's next digest. */
                entries[n].folded = true;
                entries[n].fold_title = art->title;
                entries[n].fold_url = art->url;
                mlog_info("watch %s: rate limit reached; stored %lld folded into its next "
                          "digest", w->name, (long long) st->seq);
            }
            n++;
        }
        rc = 0;
    }

    rc = alert_db_record(self->db, st->seq, entries, n, s_render, drafts);
    if (rc != 0) {
        mlog_error("stored %lld: cannot record in the alert database (%s); will retry",
                   (long long) st->seq, strerror(-rc));
        goto done;
    }
    if (st->seq > self->last)
        self->last = st->seq;
    metrics_set(marsad_metrics(), metrics_register(marsad_metrics(), METRIC_GAUGE,
                "marsad_alerter_last_stored_seq", "Last stored article handled"),
                (double) self->last);
    metrics_inc(marsad_metrics(), metrics_register(marsad_metrics(), METRIC_COUNTER,
                "marsad_alerter_articles_total", "Stored articles evaluated"), 1);
    if (n > 0)
        sink_runner_kick(self->sinks);
    for (size_t i = 0; i < n; i++) {
        if (entries[i].seq <= 0)
            continue;
        drafts[i].alert.seq = entries[i].seq;
        mlog_info("alert %lld %s%s: %s", (long long) entries[i].seq, entries[i].watch,
                  entries[i].update ? " (update)" : "",
                  art->title && art->title[0] ? art->title : art->url);
        s_publish(self, &drafts[i].alert, drafts[i].json);
    }
    goto done;
oom:
    /* The article is handled again later, with the rest after it. */
    mlog_error("stored %lld: out of memory while matching the watches; will retry",
               (long long) st->seq);
    rc = -ENOMEM;
done:
    for (size_t i = 0; drafts && i < n; i++)
        alert_draft_clear(&drafts[i]);
    free(drafts);
    free(entries);
    free(mentions);
    free(cand);
    watch_scan_clear(&scan);
    text_doc_destroy(&title);
    text_doc_destroy(&text);
    return rc;
}

/* Render callback for a digest: ARG is the digest. */
static char *s_render_digest(void *arg, size_t index, int64_t seq)
{
    (void) index;
    alert_digest_t *d = arg;
    d->draft.alert.seq = seq;
    return proto_alert_to_json(&d->draft.alert);
}

/* For each rate-limited watch whose window has room again and that folded
 * articles meanwhile: one digest alert, recorded (clearing the folded
 * articles in the same transaction), then published. */
static void s_digests(alerter_t *self)
{
    for (size_t i = 0; i < watch_set_size(self->watches); i++) {
        const watch_t *w = watch_set_get(self->watches, i);
        if (w->rate_n <= 0
            || alert_db_count_recent(self->db, w->name, w->rate_period) >= w->rate_n)
            continue;
        char **titles = NULL, **urls = NULL;
        long n = alert_db_folded(self->db, w->name, &titles, &urls);
        if (n <= 0)
            continue;
        char limit[48];
        watch_rate_text(w, limit, sizeof limit);
        alert_digest_t d;
        int rc = alert_digest_init(&d, w->name, w->severity, limit, titles, urls, (size_t) n,
                                   (long long) time(NULL));
        alert_db_free_list(titles, (size_t) n);
        alert_db_free_list(urls, (size_t) n);
        if (rc != 0)
            continue;
        alert_db_entry_t e = { .watch = w->name, .story_id = d.story_id, .digest = true };
        rc = alert_db_record(self->db, self->last, &e, 1, s_render_digest, &d);
        if (rc == 0 && e.seq > 0) {
            d.draft.alert.seq = e.seq;
            mlog_info("alert %lld %s: %s", (long long) e.seq, w->name, d.title);
            s_publish(self, &d.draft.alert, NULL);
            sink_runner_kick(self->sinks);
        } else {
            mlog_error("watch %s: cannot record its digest (%s); will retry", w->name,
                       strerror(rc ? -rc : EIO));
        }
        alert_digest_clear(&d);
    }
}

/* ------------------------------------------------------------- catch-up */

static void s_req_close(alerter_t *self)
{
    if (self->req)
        zmq_close(self->req);
    self->req = NULL;
    self->req_pending = false;
}

static void s_catchup_later(alerter_t *self, int64_t now)
{
    self->catchup_at = now + self->backoff_ms;
    self->backoff_ms = self->backoff_ms * 2 > CATCHUP_BACKOFF_MAX_MS ? CATCHUP_BACKOFF_MAX_MS
                                                                      : self->backoff_ms * 2;
}

static void s_catchup_send(alerter_t *self, int64_t now)
{
    if (!self->req) {
        /* Endpoints are not reloadable: always the start-up config's. */
        self->req = marsad_socket(self->zctx, ZMQ_REQ, self->cfg->alerter_store_api, false, 0);
        if (!self->req) {
            s_catchup_later(self, now);
            return;
        }
    }
    proto_since_t req = { self->last, CATCHUP_LIMIT };
    proto_frames_t f;
    int rc = proto_since_encode(&req, &f);
    if (rc == 0)
        rc = proto_send(self->req, &f, ZMQ_DONTWAIT);
    proto_frames_clear(&f);
    if (rc != 0) {
        mlog_warn("catch-up request to %s failed (%s); retrying in %d s",
                  self->cfg->alerter_store_api, s_err(rc),
                  self->backoff_ms / 1000);
        s_req_close(self);
        s_catchup_later(self, now);
        return;
    }
    mlog_debug("catch-up: since %lld", (long long) self->last);
    self->asked_from = self->last;
    self->req_pending = true;
    self->req_deadline = now + CATCHUP_TIMEOUT_MS;
}

static void s_catchup_reply(alerter_t *self, int64_t now)
{
    proto_frames_t f;
    int rc = proto_recv(self->req, &f, ZMQ_DONTWAIT);
    if (rc == -EAGAIN || rc == -EINTR)
        return;
    self->req_pending = false;
    char **items = NULL;
    size_t n = 0;
    int64_t last_seq = 0;
    if (rc == 0)
        rc = proto_items_decode(&f, "events", &items, &n, &last_seq);
    proto_frames_clear(&f);
    if (rc != 0) {
        mlog_warn("catch-up: bad reply from the store (%s); retrying in %d s",
                  s_err(rc), self->backoff_ms / 1000);
        /* After an error on a REQ socket its state is unknown: start over. */
        s_req_close(self);
        s_catchup_later(self, now);
        return;
    }
    int64_t before = self->last;
    int failed = 0;
    for (size_t i = 0; i < n && !failed; i++) {
        proto_stored_t st;
        memset(&st, 0, sizeof st);
        int drc = proto_stored_from_json(items[i], strlen(items[i]), &st);
        if (drc != 0) {
            self->n_bad++;
            mlog_warn("catch-up: item %zu after seq %lld is not a stored article (%s); skipped",
                      i, (long long) self->last, proto_strerror(drc));
        } else if (st.seq > self->last) {
            failed = s_handle(self, &st) != 0;
        }
        proto_stored_clear(&st);
    }
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);

    if (failed) {
        s_catchup_later(self, now);
        return;
    }
    self->backoff_ms = 1000;
    if (self->store_down)
        mlog_info("catch-up: the store answers again");
    self->store_down = false;
    if (self->last > before)
        mlog_info("caught up to stored %lld (store at %lld)", (long long) self->last,
                  (long long) last_seq);
    if (last_seq > self->store_last)
        self->store_last = last_seq;
    if (n == 0 || self->last >= last_seq) {
        /* Measured against what we had handled when we asked: live
         * events published after the store answered may have been handled
         * before its answer was read, and are no sign of a reset. */
        if (last_seq < self->asked_from && !self->warned_behind) {
            /* A store database replaced under a kept alerter database:
             * nothing alerts until the store passes our seq again. */
            mlog_warn("the store's last seq %lld is below the last one handled here (%lld); "
                      "was the store's database reset?", (long long) last_seq,
                      (long long) self->last);
            self->warned_behind = true;
        }
        self->need_catchup = false;
    } else if (self->last == before) {
        /* Items came but none moved us forward: do not spin on them. */
        mlog_warn("catch-up: no progress past stored %lld; trying again later",
                  (long long) self->last);
        self->need_catchup = false;
    } else {
        self->catchup_at = now;   /* more to fetch: ask again at once */
    }
}

static void s_catchup_timeout(alerter_t *self, int64_t now)
{
    /* Once per outage at warn level; the retries after it at debug. */
    mlog(self->store_down ? MLOG_DEBUG : MLOG_WARN,
         "catch-up: no answer from the store at %s within %d s; retrying in %d s",
         self->cfg->alerter_store_api, CATCHUP_TIMEOUT_MS / 1000, self->backoff_ms / 1000);
    self->store_down = true;
    /* A REQ socket waiting for a reply cannot send again: reopen it. */
    s_req_close(self);
    s_catchup_later(self, now);
}

/* ------------------------------------------------------------------ live */

static void s_on_stored(alerter_t *self)
{
    proto_frames_t f;
    int rc = proto_recv(self->sub, &f, ZMQ_DONTWAIT);
    if (rc == -EAGAIN || rc == -EINTR)
        return;
    proto_stored_t st;
    memset(&st, 0, sizeof st);
    if (rc == 0)
        rc = proto_stored_decode(&f, &st);
    proto_frames_clear(&f);
    if (rc != 0) {
        self->n_bad++;
        mlog_warn("dropped a bad stored message (%s); %llu so far", s_err(rc),
                  (unsigned long long) self->n_bad);
        proto_stored_clear(&st);
        return;
    }
    if (st.seq > self->store_last)
        self->store_last = st.seq;
    if (st.seq <= self->last) {
        /* seen already (a replayed or duplicated delivery) */
    } else if (st.seq == self->last + 1) {
        if (s_handle(self, &st) != 0) {
            self->need_catchup = true;
            s_catchup_later(self, marsad_clock_ms());
        }
    } else {
        mlog_info("stored %lld arrived after %lld: catching up from the store",
                  (long long) st.seq, (long long) self->last);
        self->need_catchup = true;
    }
    proto_stored_clear(&st);
}

/* ---------------------------------------------------------------- replay */

static void s_reply_error(alerter_t *self, const char *reason)
{
    proto_frames_t f;
    if (proto_error_encode(reason, &f) == 0)
        proto_send(self->rep, &f, 0);
    proto_frames_clear(&f);
}

static void s_on_replay(alerter_t *self)
{
    proto_frames_t f;
    int rc = proto_recv(self->rep, &f, ZMQ_DONTWAIT);
    if (rc == -EAGAIN || rc == -EINTR)
        return;
    if (rc < PROTO_ENOMEM) {
        mlog_warn("replay socket: %s", strerror(-rc));
        return;
    }
    proto_since_t req;
    if (rc == 0)
        rc = proto_since_decode(&f, &req);
    proto_frames_clear(&f);
    if (rc != 0) {
        mlog_warn("replay: bad request (%s)", proto_strerror(rc));
        s_reply_error(self, proto_strerror(rc));
        return;
    }
    char **jsons = NULL;
    long n = alert_db_since(self->db, req.since, req.limit, &jsons, NULL);
    if (n < 0) {
        mlog_error("replay: cannot read the alert database (%s)", strerror((int) -n));
        s_reply_error(self, "alert database unavailable");
        return;
    }
    /* Keep the reply under the frame cap: the client asks again for more. */
    size_t keep = 0, bytes = 0;
    while (keep < (size_t) n && (keep == 0 || bytes + strlen(jsons[keep]) < REPLAY_MAX_BYTES))
        bytes += strlen(jsons[keep++]);
    rc = proto_items_encode("alerts", (const char *const *) jsons, keep,
                            alert_db_max_seq(self->db), &f);
    alert_db_free_list(jsons, (size_t) n);
    if (rc != 0) {
        mlog_error("replay: cannot encode the reply (%s)", proto_strerror(rc));
        s_reply_error(self, "cannot encode the reply");
        return;
    }
    int src = proto_send(self->rep, &f, 0);
    if (src != 0)
        mlog_warn("replay: cannot send the reply (%s)", strerror(-src));
    proto_frames_clear(&f);
}

/* ------------------------------------------------------------------ loop */

static void s_teardown(alerter_t *self)
{
    s_req_close(self);
    if (self->sub)
        zmq_close(self->sub);
    if (self->pub)
        zmq_close(self->pub);
    if (self->rep)
        zmq_close(self->rep);
    alert_curve_destroy(&self->curve);
    sink_runner_destroy(&self->sinks);
    alert_db_close(&self->db);
    config_watch_destroy(&self->cw);
    watch_set_destroy(&self->watches);
    config_destroy(&self->reloaded);
}

int alerter_run(const marsad_config_t *cfg, void *zctx)
{
    alerter_t self_s;
    alerter_t *self = &self_s;
    memset(self, 0, sizeof *self);
    self->cfg = cfg;
    self->zctx = zctx;
    self->backoff_ms = 1000;

    char *err = NULL;
    self->db = alert_db_open(cfg->alerter_db, &err);
    if (!self->db) {
        mlog_error("cannot open the alert database %s: %s", cfg->alerter_db,
                   err ? err : "unknown error");
        free(err);
        return 1;
    }
    self->last = alert_db_last_stored_seq(self->db);

    size_t n_errors = 0;
    self->watches = watch_set_new(cfg, NULL, &n_errors);
    if (!self->watches) {
        mlog_error("out of memory building the watches");
        s_teardown(self);
        return 1;
    }
    self->files_fp = s_files_fingerprint(cfg);
    s_show_watches(self, n_errors, NULL);
    /* Sinks: a thread with its own connection, fed from this database. */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    self->sinks = sink_runner_new(cfg->alerter_db);
    size_t n_sinks = sink_runner_set(self->sinks, self->watches, self->db);
    if (n_sinks)
        mlog_info("%zu sinks", n_sinks);
    self->cw = config_watch_new(cfg);
    if (!self->cw)
        mlog_warn("inotify unavailable: checking the config files every %d s",
                  FILES_POLL_MS / 1000);

    if (cfg->alerter_curve_secret && *cfg->alerter_curve_secret) {
        char *why = NULL;
        self->curve = alert_curve_new(zctx, cfg->alerter_curve_secret, cfg->alerter_curve_clients,
                                      &why);
        if (!self->curve) {
            mlog_error("%s: [alerter] CURVE: %s", cfg->path, why ? why : "out of memory");
            free(why);
            s_teardown(self);
            return 1;
        }
        mlog_info("CURVE on %s and %s: public key %s; %s", cfg->alerter_publish,
                  cfg->alerter_replay, alert_curve_public(self->curve),
                  *cfg->alerter_curve_clients ? "only the subscribers in curve_clients"
                                              : "any subscriber that knows this key");
    }
    self->sub = marsad_socket(zctx, ZMQ_SUB, cfg->alerter_stored, false, SUB_HWM);
    self->pub = marsad_socket_prep(zctx, ZMQ_PUB, cfg->alerter_publish, true, 0,
                                   self->curve ? s_curve_prep : NULL, self->curve);
    self->rep = marsad_socket_prep(zctx, ZMQ_REP, cfg->alerter_replay, true, 0,
                                   self->curve ? s_curve_prep : NULL, self->curve);
    if (!self->sub || !self->pub || !self->rep) {
        s_teardown(self);
        return 1;
    }
    zmq_setsockopt(self->sub, ZMQ_SUBSCRIBE, "stored", 6);

    mlog_info("%zu watches; last stored seq handled %lld, last alert %lld",
              watch_set_size(self->watches), (long long) self->last,
              (long long) alert_db_max_seq(self->db));
    self->need_catchup = true;   /* whatever was stored while we were away */
    int64_t now = marsad_clock_ms();
    self->next_periodic = now + CATCHUP_PERIOD_MS;
    self->next_files_poll = now + FILES_POLL_MS;

    while (!marsad_daemon_stopping()) {
        now = marsad_clock_ms();
        if (self->need_catchup && !self->req_pending && now >= self->catchup_at)
            s_catchup_send(self, now);

        zmq_pollitem_t items[4] = {
            { self->sub, 0, ZMQ_POLLIN, 0 },
            { self->rep, 0, ZMQ_POLLIN, 0 },
            { NULL, config_watch_fd(self->cw), ZMQ_POLLIN, 0 },
            { self->req, 0, ZMQ_POLLIN, 0 },
        };
        int n_items = 2;
        int i_cw = -1, i_req = -1;
        if (self->cw)
            i_cw = n_items++;
        if (self->req_pending) {
            items[n_items] = items[3];
            i_req = n_items++;
        }
        int rc = zmq_poll(items, n_items, 200);
        if (rc < 0 && zmq_errno() != EINTR) {
            mlog_error("poll: %s", zmq_strerror(zmq_errno()));
            break;
        }
        now = marsad_clock_ms();
        if (rc > 0) {
            /* Drain a batch of live messages, then let the others speak. */
            for (int k = 0; k < 100 && (items[0].revents & ZMQ_POLLIN); k++) {
                s_on_stored(self);
                int ev = 0;
                size_t sz = sizeof ev;
                if (zmq_getsockopt(self->sub, ZMQ_EVENTS, &ev, &sz) != 0 || !(ev & ZMQ_POLLIN))
                    break;
            }
            if (items[1].revents & ZMQ_POLLIN)
                s_on_replay(self);
            if (i_req >= 0 && (items[i_req].revents & ZMQ_POLLIN) && self->req_pending)
                s_catchup_reply(self, now);
            if (i_cw >= 0 && (items[i_cw].revents & ZMQ_POLLIN)
                && config_watch_changed(self->cw))
                self->reload_at = now + RELOAD_SETTLE_MS;
        }
        if (self->req_pending && now >= self->req_deadline)
            s_catchup_timeout(self, now);
        if (now >= self->next_periodic) {
            self->next_periodic = now + CATCHUP_PERIOD_MS;
            self->need_catchup = true;
        }
        s_metrics_sync(self);
        if (now >= self->next_digest) {
            self->next_digest = now + DIGEST_CHECK_MS;
            s_digests(self);
        }
        if (marsad_daemon_take_reload())
            s_reload(self, "SIGHUP");
        if (self->reload_at && now >= self->reload_at) {
            self->reload_at = 0;
            if (s_files_fingerprint(s_config(self)) != self->files_fp)
                s_reload(self, "config file changed");
        }
        if ((!self->cw || !config_watch_complete(self->cw)) && now >= self->next_files_poll) {
            self->next_files_poll = now + FILES_POLL_MS;
            if (s_files_fingerprint(s_config(self)) != self->files_fp)
                s_reload(self, "config file changed");
        }
    }
    s_teardown(self);
    curl_global_cleanup();
    return 0;
}
