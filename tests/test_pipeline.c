/*
 * test_pipeline.c — the whole pipeline, for real: the four daemon binaries
 * as separate processes on loopback TCP, a temporary data dir with real
 * SQLite files, a feed and its article pages served over real HTTP from
 * 127.0.0.1, and a ZeroMQ SUB socket where a subscriber would be.
 *
 * It checks what a user relies on: an Arabic article that names Viktor Bout
 * only in a cliticized variant spelling (لباوت) alerts, with the alert JSON
 * of DESIGN §3; an article about Putin (بوتين, لبوتين, روبوت) does not; and
 * after kill -9 of every daemon and a restart nothing is stored twice,
 * refetched or re-alerted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "daemon_spawn.h"
#include "free_port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "loopback_http.h"
#include "proto.h"

static const char *s_names[4] = { "store", "alerter", "extractor", "fetcher" };

typedef struct {
    char tmp[256];
    char conf[512];
    int ports[10];            /* raw, article, ack/stored, store api, alerts, replay,
                                 metrics of fetcher, extractor, store, alerter */
    pid_t pids[4];
    loopback_http_t *http;
    void *zctx;
    void *sub;
    json_t *alerts;           /* every alert JSON received on SUB */
} s_world_t;

static int64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *s_root(const char *var)
{
    const char *r = getenv(var);
    return r ? r : ".";
}

static void s_spawn(s_world_t *w, int i)
{
    char log[512];
    snprintf(log, sizeof log, "%s/%s.log", w->tmp, s_names[i]);
    /* MARSAD_TEST_VALGRIND=1 (test_pipeline_valgrind): every daemon under
     * memcheck; any error makes its exit status 99, which the clean stops
     * below reject. */
    pid_t pid = daemon_spawn(s_names[i], w->conf, log, getenv("MARSAD_TEST_VALGRIND") != NULL);
    assert_true(pid >= 0);
    w->pids[i] = pid;
}

static void s_stop(s_world_t *w, int i, int sig)
{
    if (w->pids[i] <= 0)
        return;
    kill(w->pids[i], sig);
    int status = 0;
    waitpid(w->pids[i], &status, 0);
    if (sig == SIGTERM) {
        /* A clean stop must be clean: exit status 0. */
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    w->pids[i] = 0;
}

static void s_write_config(s_world_t *w, int http_port)
{
    FILE *f = fopen(w->conf, "w");
    assert_non_null(f);
    int *p = w->ports;
    fprintf(f,
            "[pipeline]\ndata_dir = data\nlog_level = debug\n\n"
            "[fetcher]\nbind = tcp://127.0.0.1:%d\nack = tcp://127.0.0.1:%d\nresend_after = 3\n"
            "timeout = 10\nmetrics = 127.0.0.1:%d\nunhealthy_after = 1\n\n"
            "[extractor]\nraw = tcp://127.0.0.1:%d\narticle = tcp://127.0.0.1:%d\n"
            "metrics = 127.0.0.1:%d\n\n"
            "[store]\nbind = tcp://127.0.0.1:%d\npublish = tcp://127.0.0.1:%d\n"
            "api = tcp://127.0.0.1:%d\nmetrics = 127.0.0.1:%d\n\n"
            "[alerter]\nstored = tcp://127.0.0.1:%d\nstore_api = tcp://127.0.0.1:%d\n"
            "publish = tcp://127.0.0.1:%d\nreplay = tcp://127.0.0.1:%d\nmetrics = 127.0.0.1:%d\n\n"
            "[source testwire]\nurl = http://127.0.0.1:%d/feed.xml\ninterval = 2\nlang = ar\n\n"
            /* nothing listens on port 1: this source only fails */
            "[source deadwire]\nurl = http://127.0.0.1:1/feed.xml\ninterval = 1\n\n"
            "[entity bout]\ntype = person\n"
            "names = Viktor Bout|Bout|فيكتور بوت|بوت|باوت|Виктор Бут\n"
            "epithets = merchant of death|تاجر الموت\n\n"
            "[entity houthis]\ntype = org\nnames = Houthis|Houthi|الحوثي|جماعة الحوثي|أنصار الله\n\n"
            "[entity putin]\ntype = person\nnames = Vladimir Putin|Putin|بوتين\n\n"
            "[watch bout-arms]\nquery = @bout AND (@houthis OR الحوثي)\nseverity = high\n\n"
            "[watch bout-word]\nquery = بوت\n",
            p[0], p[2], p[6], p[0], p[1], p[7], p[1], p[2], p[3], p[8], p[2], p[3], p[4], p[5], p[9],
            http_port);
    fclose(f);
}

static int s_setup(void **state)
{
    s_world_t *w = calloc(1, sizeof *w);
    snprintf(w->tmp, sizeof w->tmp, "/tmp/marsad-it-XXXXXX");
    if (!mkdtemp(w->tmp))
        return -1;
    snprintf(w->conf, sizeof w->conf, "%s/marsad.conf", w->tmp);
    for (int i = 0; i < 10; i++)
        w->ports[i] = free_port();
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/data/pipeline", s_root("MARSAD_SOURCE_ROOT"));
    w->http = loopback_http_new(dir);
    if (!w->http)
        return -1;
    s_write_config(w, loopback_http_port(w->http));
    w->zctx = zmq_ctx_new();
    w->sub = zmq_socket(w->zctx, ZMQ_SUB);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", w->ports[4]);
    zmq_connect(w->sub, ep);
    zmq_setsockopt(w->sub, ZMQ_SUBSCRIBE, "alert.", 6);
    w->alerts = json_array();
    for (int i = 0; i < 4; i++)
        s_spawn(w, i);
    *state = w;
    return 0;
}

static int s_teardown(void **state)
{
    s_world_t *w = *state;
    for (int i = 3; i >= 0; i--)
        if (w->pids[i] > 0) {
            kill(w->pids[i], SIGTERM);
            waitpid(w->pids[i], NULL, 0);
        }
    /* The daemons' logs, for whoever reads a failure. */
    for (int i = 0; i < 4; i++) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "echo '--- %s.log'; tail -n 40 %s/%s.log >&2", s_names[i],
                 w->tmp, s_names[i]);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot show %s.log\n", s_names[i]);
    }
    zmq_close(w->sub);
    zmq_ctx_term(w->zctx);
    loopback_http_destroy(&w->http);
    json_decref(w->alerts);
    if (!getenv("MARSAD_KEEP_TMP")) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf %s", w->tmp);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", w->tmp);
    }
    free(w);
    return 0;
}

/* Receive alerts on SUB for up to MS milliseconds, appending their JSON to
 * w->alerts after checking the frames a subscriber sees. */
static void s_pump(s_world_t *w, int ms)
{
    int64_t until = s_now_ms() + ms;
    while (s_now_ms() < until) {
        zmq_pollitem_t it = { w->sub, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&it, 1, 100) <= 0)
            continue;
        proto_frames_t f = { 0 };
        assert_int_equal(proto_recv(w->sub, &f, 0), 0);
        assert_int_equal(f.n, 2);
        json_error_t err;
        json_t *a = json_loadb(f.data[1], f.len[1], 0, &err);
        assert_non_null(a);
        /* frame 0 is alert.<watch> and agrees with the body */
        char topic[300];
        snprintf(topic, sizeof topic, "alert.%s", json_string_value(json_object_get(a, "watch")));
        assert_int_equal(f.len[0], strlen(topic));
        assert_memory_equal(f.data[0], topic, f.len[0]);
        json_array_append_new(w->alerts, a);
        proto_frames_clear(&f);
    }
}

static json_t *s_find(json_t *alerts, const char *watch, const char *url_part)
{
    size_t i;
    json_t *a;
    json_array_foreach(alerts, i, a) {
        const char *wn = json_string_value(json_object_get(a, "watch"));
        const char *url = json_string_value(json_object_get(json_object_get(a, "article"), "url"));
        if (wn && url && strcmp(wn, watch) == 0 && strstr(url, url_part))
            return a;
    }
    return NULL;
}

static size_t s_count_url(json_t *alerts, const char *url_part)
{
    size_t i, n = 0;
    json_t *a;
    json_array_foreach(alerts, i, a) {
        const char *url = json_string_value(json_object_get(json_object_get(a, "article"), "url"));
        if (url && strstr(url, url_part))
            n++;
    }
    return n;
}

/* One request on a REP socket of the pipeline: "since" 0; returns the
 * reply's items (JSON array, caller decrefs) and last_seq. */
static json_t *s_since(s_world_t *w, int port, const char *topic, int64_t *last_seq)
{
    void *req = zmq_socket(w->zctx, ZMQ_REQ);
    int timeout = 5000, linger = 0;
    zmq_setsockopt(req, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(req, ZMQ_LINGER, &linger, sizeof linger);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    zmq_connect(req, ep);
    proto_frames_t f = { 0 };
    proto_since_t q = { 0, 1000 };
    assert_int_equal(proto_since_encode(&q, &f), 0);
    assert_int_equal(proto_send(req, &f, 0), 0);
    proto_frames_clear(&f);
    int rc = proto_recv(req, &f, 0);
    zmq_close(req);
    if (rc != 0)
        return NULL;
    assert_int_equal(f.n, 2);
    assert_int_equal(f.len[0], strlen(topic));
    json_t *body = json_loadb(f.data[1], f.len[1], 0, NULL);
    proto_frames_clear(&f);
    assert_non_null(body);
    *last_seq = json_integer_value(json_object_get(body, "last_seq"));
    json_t *items = json_incref(json_object_get(body, "items"));
    json_decref(body);
    return items;
}

static size_t s_stored_count(s_world_t *w)
{
    int64_t last = 0;
    json_t *items = s_since(w, w->ports[3], "events", &last);
    size_t n = items ? json_array_size(items) : 0;
    json_decref(items);
    return n;
}

static void test_alerts_for_cliticized_bout_not_putin(void **state)
{
    s_world_t *w = *state;
    int64_t start = s_now_ms();
    /* Wait for the three articles to be stored and their alerts to come. */
    while (s_now_ms() - start < 60000) {
        s_pump(w, 500);
        if (s_stored_count(w) == 3 && s_find(w->alerts, "bout-arms", "bout-ar.html")
            && s_find(w->alerts, "bout-arms", "bout-en.html")
            && s_find(w->alerts, "bout-word", "bout-ar.html"))
            break;
    }
    fprintf(stderr, "pipeline: first alerts after %lld ms\n", (long long) (s_now_ms() - start));
    assert_int_equal(s_stored_count(w), 3);
    s_pump(w, 1500);   /* anything late about Putin would show up here */

    json_t *a = s_find(w->alerts, "bout-arms", "bout-ar.html");
    assert_non_null(a);
    assert_string_equal(json_string_value(json_object_get(a, "schema")), "marsad.alert/1");
    assert_true(json_integer_value(json_object_get(a, "seq")) >= 1);
    assert_string_equal(json_string_value(json_object_get(a, "severity")), "high");
    assert_string_equal(json_string_value(json_object_get(a, "kind")), "new");
    json_t *art = json_object_get(a, "article");
    assert_string_equal(json_string_value(json_object_get(art, "lang")), "ar");
    assert_string_equal(json_string_value(json_object_get(art, "source")), "testwire");
    assert_non_null(strstr(json_string_value(json_object_get(a, "snippet")), "[["));
    /* the entity match is the cliticized variant spelling, as written */
    json_t *m;
    size_t i;
    int saw_bout = 0;
    json_array_foreach(json_object_get(a, "matches"), i, m) {
        const char *ent = json_string_value(json_object_get(m, "entity"));
        const char *surface = json_string_value(json_object_get(m, "surface"));
        if (ent && strcmp(ent, "bout") == 0) {
            /* the page never writes the plain بوت: only these forms */
            assert_true(strcmp(surface, "لباوت") == 0 || strcmp(surface, "باوت") == 0
                        || strcmp(surface, "وبوت") == 0);
            assert_true(json_integer_value(json_object_get(m, "end"))
                        > json_integer_value(json_object_get(m, "start")));
            saw_bout = 1;
        }
    }
    assert_true(saw_bout);

    /* Putin, لبوتين and روبوت must not look like Bout to either watch. */
    assert_int_equal(s_count_url(w->alerts, "putin-ar.html"), 0);
    /* One alert per watch and story: 2 for bout-ar, 1 for bout-en (the
     * word watch is Arabic only). */
    assert_int_equal(s_count_url(w->alerts, "bout-ar.html"), 2);
    assert_int_equal(s_count_url(w->alerts, "bout-en.html"), 1);

    /* The replay socket holds the same alerts. */
    int64_t last = 0;
    json_t *replayed = s_since(w, w->ports[5], "alerts", &last);
    assert_non_null(replayed);
    assert_int_equal(json_array_size(replayed), json_array_size(w->alerts));
    assert_int_equal(last, (int64_t) json_array_size(w->alerts));
    json_decref(replayed);

    /* Operators see the same through `marsad status`, which asks the
     * running stages over HTTP (their /status), and through /metrics. */
    char cmd[1200], line[512];
    snprintf(cmd, sizeof cmd, "%s/cli/marsad status -c %s --json", s_root("MARSAD_BUILD_ROOT"),
             w->conf);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *all = calloc(1, 65536);
    size_t used = 0;
    while (fgets(line, sizeof line, p) && used + strlen(line) < 65535) {
        memcpy(all + used, line, strlen(line));
        used += strlen(line);
    }
    assert_int_equal(WEXITSTATUS(pclose(p)), 0);   /* every stage up */
    json_t *st = json_loads(all, 0, NULL);
    free(all);
    assert_non_null(st);
    const char *stages[] = { "fetcher", "extractor", "store", "alerter" };
    for (int k = 0; k < 4; k++)
        assert_true(json_is_true(json_object_get(json_object_get(st, stages[k]), "up")));
    json_t *em = json_object_get(json_object_get(st, "extractor"), "metrics");
    assert_true(json_number_value(json_object_get(em, "marsad_extracted_total")) == 3);
    json_t *sm = json_object_get(json_object_get(st, "store"), "metrics");
    assert_true(json_number_value(json_object_get(sm, "marsad_stored_total")) == 3);
    json_t *am = json_object_get(json_object_get(st, "alerter"), "metrics");
    assert_true(json_number_value(json_object_get(am, "marsad_alerts_total{watch=\"bout-arms\"}"))
                == 2);
    assert_true(json_number_value(json_object_get(am, "marsad_alerter_last_stored_seq")) == 3);
    assert_true(json_number_value(json_object_get(am, "marsad_alert_seconds")) >= 3);
    assert_true(json_object_get(am, "marsad_alerter_behind") != NULL);
    assert_true(json_number_value(json_object_get(am, "marsad_alerter_behind")) == 0);
    json_t *fm = json_object_get(json_object_get(st, "fetcher"), "metrics");
    assert_true(json_number_value(json_object_get(fm, "marsad_fetched_total")) >= 1);
    assert_true(json_number_value(json_object_get(fm, "marsad_acked_total")) == 3);
    assert_true(json_number_value(json_object_get(fm, "marsad_outbox_documents")) == 0);
    /* A source failing for [fetcher] unhealthy_after seconds (1 here, a
     * day by default) is unhealthy; the working one is not. */
    assert_true(json_number_value(json_object_get(fm, "marsad_sources_unhealthy")) == 1);
    assert_true(json_number_value(json_object_get(
                    fm, "marsad_source_unhealthy{source=\"deadwire\"}")) == 1);
    assert_true(json_number_value(json_object_get(
                    fm, "marsad_source_failures{source=\"deadwire\"}")) >= 1);
    assert_true(json_number_value(json_object_get(
                    fm, "marsad_source_unhealthy{source=\"testwire\"}")) == 0);
    assert_true(json_number_value(json_object_get(fm, "marsad_fetch_seconds")) >= 1);
    json_decref(st);
    snprintf(cmd, sizeof cmd, "%s/cli/marsad status -c %s --stage fetcher",
             s_root("MARSAD_BUILD_ROOT"), w->conf);
    p = popen(cmd, "r");
    assert_non_null(p);
    int saw_unhealthy = 0;
    while (fgets(line, sizeof line, p))
        saw_unhealthy |= strstr(line, "source deadwire UNHEALTHY") != NULL;
    assert_int_equal(WEXITSTATUS(pclose(p)), 0);
    assert_true(saw_unhealthy);
    snprintf(cmd, sizeof cmd, "%s/cli/marsad status -c %s --stage nosuch >/dev/null 2>&1",
             s_root("MARSAD_BUILD_ROOT"), w->conf);
    assert_int_equal(WEXITSTATUS(system(cmd)), 2);
}

static void test_kill9_restart_loses_and_duplicates_nothing(void **state)
{
    s_world_t *w = *state;
    int64_t start = s_now_ms();
    while (s_now_ms() - start < 60000 && (s_stored_count(w) < 3 || json_array_size(w->alerts) < 3))
        s_pump(w, 500);
    assert_int_equal(s_stored_count(w), 3);
    size_t alerts_before = json_array_size(w->alerts);
    int pages_before = loopback_http_requests(w->http);

    for (int i = 0; i < 4; i++)
        s_stop(w, i, SIGKILL);
    for (int i = 0; i < 4; i++)
        s_spawn(w, i);
    /* Several feed polls (interval 2 s) and an outbox resend period. */
    s_pump(w, 8000);

    assert_int_equal(s_stored_count(w), 3);
    assert_int_equal(json_array_size(w->alerts), alerts_before);
    int64_t last = 0;
    json_t *replayed = s_since(w, w->ports[5], "alerts", &last);
    assert_non_null(replayed);
    assert_int_equal(json_array_size(replayed), alerts_before);
    json_decref(replayed);
    /* Only the feed was fetched again, never the already-seen pages: at
     * most one request per 2 s poll. */
    assert_true(loopback_http_requests(w->http) - pages_before <= 6);

    for (int i = 3; i >= 0; i--)
        s_stop(w, i, SIGTERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alerts_for_cliticized_bout_not_putin, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_kill9_restart_loses_and_duplicates_nothing, s_setup,
                                        s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
