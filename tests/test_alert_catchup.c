/*
 * test_alert_catchup.c — the real marsad-alerter's catch-up against a
 * store played by this test (its REP socket answers `since` requests, its
 * PUB socket sends `stored` events):
 *  - live events that overtake a catch-up answer are no sign of a reset:
 *    the store answers "last seq 4" while seq 5 has already come live and
 *    been handled; the alerter must not warn that the store is behind it
 *    (it did, on 1M-article e2e-bench runs);
 *  - a store that really was reset (an empty one under a kept alerter
 *    database) is warned of, once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "daemon_spawn.h"
#include "proto.h"

#define N_STORED 5
#define WARNING "is below the last one handled here"

typedef struct {
    char dir[64], conf[128], log[128];
    void *ctx, *api, *pub;
    char *stored[N_STORED];     /* JSON of stored seq i+1 */
    pid_t pid;
} world_t;

static int64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void s_stored(proto_stored_t *st, int seq, char *story, char *id, char *title)
{
    snprintf(story, 32, "story-%d", seq);
    snprintf(id, 32, "doc-%d", seq);
    snprintf(title, 64, "Viktor Bout deal number %d", seq);
    memset(st, 0, sizeof *st);
    st->seq = seq;
    st->story_id = story;
    st->article = (proto_article_t) {
        .id = id, .source = "wire", .url = id, .title = title,
        .text = "Viktor Bout brokered a rifle deal for the Houthis, two officials said.",
        .lang = "en", .fetched_at = "2026-11-30T10:00:00Z",
        .content_hash = "0000000000000000000000000000000000000000000000000000000000000000",
    };
}

static void s_publish(world_t *w, int seq)
{
    char story[32], id[32], title[64];
    proto_stored_t st;
    s_stored(&st, seq, story, id, title);
    proto_frames_t f;
    assert_int_equal(proto_stored_encode(&st, &f), 0);
    assert_int_equal(proto_send(w->pub, &f, 0), 0);
    proto_frames_clear(&f);
}

/* Wait up to MS for a catch-up request; returns its `since`, or -1. */
static int64_t s_request(world_t *w, int ms)
{
    zmq_pollitem_t it = { w->api, 0, ZMQ_POLLIN, 0 };
    if (zmq_poll(&it, 1, ms) <= 0)
        return -1;
    proto_frames_t f;
    assert_int_equal(proto_recv(w->api, &f, 0), 0);
    proto_since_t q;
    assert_int_equal(proto_since_decode(&f, &q), 0);
    proto_frames_clear(&f);
    return q.since;
}

/* Answer the request with the stored events after SINCE up to UPTO, and
 * LAST as the store's last seq. */
static void s_answer(world_t *w, int64_t since, int upto, int64_t last)
{
    const char *items[N_STORED];
    size_t n = 0;
    for (int64_t s = since + 1; s <= upto; s++)
        items[n++] = w->stored[s - 1];
    proto_frames_t f;
    assert_int_equal(proto_items_encode("events", items, n, last, &f), 0);
    assert_int_equal(proto_send(w->api, &f, 0), 0);
    proto_frames_clear(&f);
}

static size_t s_log_count(const world_t *w, const char *needle)
{
    static char text[1 << 20];
    FILE *f = fopen(w->log, "r");
    size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[len] = '\0';
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Alerts the alerter has logged, waiting up to MS for WANT of them (its
 * log, not its PUB socket: a subscriber may join after the first ones). */
static size_t s_alerts(const world_t *w, size_t want, int ms)
{
    size_t n;
    for (int64_t end = s_now_ms() + ms;
         (n = s_log_count(w, "msg=\"alert ")) < want && s_now_ms() < end;)
        usleep(50000);
    return n;
}

/* The running alerter, for the teardown: a failed assertion must not
 * leave it behind (it would also keep the test runner's output open). */
static pid_t s_running;

static int s_reap(void **state)
{
    (void) state;
    daemon_kill(&s_running);
    return 0;
}

/* The alerter, its log appended to w->log (both runs in one file). */
static void s_spawn(world_t *w)
{
    w->pid = daemon_spawn("alerter", w->conf, w->log, false);
    assert_true(w->pid >= 0);
    s_running = w->pid;
}

static void s_stop(world_t *w)
{
    kill(w->pid, SIGTERM);
    int status = 0;
    waitpid(w->pid, &status, 0);
    s_running = 0;
}

static void test_catchup_overtaken_is_no_reset(void **state)
{
    (void) state;
    char exe[512];
    snprintf(exe, sizeof exe, "%s/alerter/marsad-alerter", getenv("MARSAD_BUILD_ROOT"));
    if (access(exe, X_OK) != 0) {
        fprintf(stderr, "no %s: skipped\n", exe);
        skip();
    }
    world_t w_s, *w = &w_s;
    memset(w, 0, sizeof *w);
    strcpy(w->dir, "/tmp/marsad-catchup-XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    snprintf(w->conf, sizeof w->conf, "%s/marsad.conf", w->dir);
    snprintf(w->log, sizeof w->log, "%s/alerter.log", w->dir);
    FILE *f = fopen(w->conf, "w");
    assert_non_null(f);
    fprintf(f, "[pipeline]\ndata_dir = .\n\n"
            "[alerter]\nstored = ipc://%s/stored\nstore_api = ipc://%s/api\n"
            "publish = ipc://%s/pub\nreplay = ipc://%s/replay\nmetrics =\n\n"
            "[entity bout]\ntype = person\nnames = Viktor Bout|Bout\n\n"
            "[watch bout]\nquery = \"Viktor Bout\" AND deal\n", w->dir, w->dir, w->dir, w->dir);
    fclose(f);
    for (int i = 0; i < N_STORED; i++) {
        char story[32], id[32], title[64];
        proto_stored_t st;
        s_stored(&st, i + 1, story, id, title);
        w->stored[i] = proto_stored_to_json(&st);
        assert_non_null(w->stored[i]);
    }
    w->ctx = zmq_ctx_new();
    int linger = 0;
    char ep[128];
    w->api = zmq_socket(w->ctx, ZMQ_REP);
    snprintf(ep, sizeof ep, "ipc://%s/api", w->dir);
    assert_int_equal(zmq_bind(w->api, ep), 0);
    w->pub = zmq_socket(w->ctx, ZMQ_PUB);
    zmq_setsockopt(w->pub, ZMQ_LINGER, &linger, sizeof linger);
    snprintf(ep, sizeof ep, "ipc://%s/stored", w->dir);
    assert_int_equal(zmq_bind(w->pub, ep), 0);

    /* Start: the store has 1-3. */
    s_spawn(w);
    assert_int_equal(s_request(w, 10000), 0);
    s_answer(w, 0, 3, 3);
    assert_int_equal(s_alerts(w, 3, 10000), 3);

    /* Seq 5 comes live before 4: a gap, so the alerter asks since 3. */
    s_publish(w, 5);
    assert_int_equal(s_request(w, 10000), 3);
    /* The store answers as of seq 4, but its answer is read only after 4
     * and 5 came live and were handled. */
    s_publish(w, 4);
    s_publish(w, 5);
    assert_int_equal(s_alerts(w, 5, 10000), 5);
    s_answer(w, 3, 4, 4);
    assert_int_equal(s_alerts(w, 6, 1500), 5);      /* 4 is not alerted twice */
    assert_int_equal(s_log_count(w, WARNING), 0);

    /* An empty store under the kept alerter database: warned, once. */
    s_stop(w);
    s_spawn(w);
    assert_int_equal(s_request(w, 10000), 5);
    s_answer(w, 5, 0, 0);
    for (int64_t end = s_now_ms() + 5000; !s_log_count(w, WARNING) && s_now_ms() < end;)
        usleep(50000);
    assert_int_equal(s_log_count(w, WARNING), 1);
    s_stop(w);

    zmq_close(w->api);
    zmq_close(w->pub);
    zmq_ctx_term(w->ctx);
    for (int i = 0; i < N_STORED; i++)
        free(w->stored[i]);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", w->dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_catchup_overtaken_is_no_reset, s_reap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
