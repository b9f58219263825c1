/*
 * extractor.c — the loop of marsad-extractor (see extractor.h).
 *
 * A document that cannot be extracted (no text, garbage) is logged and
 * dropped without an article, so the fetcher keeps it in its outbox and
 * resends it later with backoff; nothing here is stateful, so a kill at any
 * moment loses nothing that the outbox does not still hold.
 * The send is blocking (with the socket's high-water mark as the limit) so
 * that a slow store pushes back on the extractors instead of dropping.
 */
#include "extractor.h"
#include "article_extract.h"
#include "daemon.h"
#include "entity_catalog.h"
#include "log.h"
#include "proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

/* Metric ids, registered once in extractor_run. */
static int s_m_extracted, s_m_dropped, s_m_seconds;

static void s_handle(void *pull, void *push, const entity_catalog_t *cat, uint64_t *counts)
{
    int64_t t0 = marsad_clock_ms();
    proto_frames_t in = { 0 };
    int rc = proto_recv(pull, &in, ZMQ_DONTWAIT);
    if (rc == -EAGAIN || rc == -EINTR) {
        proto_frames_clear(&in);
        return;
    }
    proto_raw_t raw;
    memset(&raw, 0, sizeof raw);
    if (rc == 0)
        rc = proto_raw_decode(&in, &raw);
    if (rc != 0) {
        counts[1]++;
        metrics_inc(marsad_metrics(), s_m_dropped, 1);
        mlog_warn("dropped an invalid raw message: %s", proto_strerror(rc));
        proto_frames_clear(&in);
        return;
    }
    proto_article_t a;
    char *err = NULL;
    if (article_extract(&raw, cat, &a, &err) != 0) {
        counts[1]++;
        metrics_inc(marsad_metrics(), s_m_dropped, 1);
        mlog_warn("document %s (%s): %s; dropped", raw.id, raw.url, err ? err : "?");
        free(err);
    } else {
        proto_frames_t out = { 0 };
        if (proto_article_encode(&a, &out) != 0) {
            mlog_error("cannot encode article %s", a.id);
        } else {
            while ((rc = proto_send(push, &out, 0)) == -EINTR && !marsad_daemon_stopping())
                ;
            if (rc != 0)
                mlog_warn("cannot send article %s: %s", a.id, zmq_strerror(-rc));
            else
                counts[0]++;
            metrics_inc(marsad_metrics(), s_m_extracted, 1);
            metrics_observe(marsad_metrics(), s_m_seconds,
                            (double) (marsad_clock_ms() - t0) / 1000.0);
        }
        mlog_debug("extracted %s: %zu chars, lang %s, %zu mentions", a.id, strlen(a.text),
                   a.lang, a.n_mentions);
        proto_frames_clear(&out);
        proto_article_clear(&a);
    }
    proto_raw_clear(&raw);
    proto_frames_clear(&in);
}

int extractor_run(const marsad_config_t *cfg, void *zctx)
{
    char *err = NULL;
    entity_catalog_t *cat = entity_catalog_new(cfg->entities, cfg->n_entities, &err);
    if (!cat) {
        mlog_error("cannot build the entity catalog: %s", err ? err : "out of memory");
        free(err);
        return 1;
    }
    int rc = 1;
    metrics_t *m = marsad_metrics();
    s_m_extracted = metrics_register(m, METRIC_COUNTER, "marsad_extracted_total",
                                     "Documents turned into articles");
    s_m_dropped = metrics_register(m, METRIC_COUNTER, "marsad_extract_dropped_total",
                                   "Documents dropped: invalid message or no article text");
    s_m_seconds = metrics_register(m, METRIC_HISTOGRAM, "marsad_extract_seconds",
                                   "Time to extract one document");
    void *pull = marsad_socket(zctx, ZMQ_PULL, cfg->extractor_raw, false, 100);
    void *push = marsad_socket(zctx, ZMQ_PUSH, cfg->extractor_article, false, 100);
    if (!pull || !push)
        goto out;
    mlog_info("ready: %zu catalog entities, pulling from %s, pushing to %s", cfg->n_entities,
              cfg->extractor_raw, cfg->extractor_article);
    uint64_t counts[2] = { 0, 0 };   /* extracted, dropped */
    while (!marsad_daemon_stopping()) {
        zmq_pollitem_t items[] = { { pull, 0, ZMQ_POLLIN, 0 } };
        if (zmq_poll(items, 1, 500) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            mlog_error("poll failed: %s", zmq_strerror(zmq_errno()));
            goto out;
        }
        if (items[0].revents & ZMQ_POLLIN)
            s_handle(pull, push, cat, counts);
    }
    mlog_info("extracted %llu, dropped %llu", (unsigned long long) counts[0],
              (unsigned long long) counts[1]);
    rc = 0;
out:
    if (pull) zmq_close(pull);
    if (push) zmq_close(push);
    entity_catalog_destroy(&cat);
    return rc;
}
