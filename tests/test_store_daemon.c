/*
 * test_store_daemon.c — the real marsad-store process, driven as the
 * extractor, the fetcher and the alerter drive it (ipc:// sockets in a
 * temporary directory):
 *  - every article is acknowledged once, and only when its row is already
 *    committed (the test reads the file when each ack arrives);
 *  - a resent id is acknowledged again with no second row and no `stored`;
 *  - bad messages (broken JSON, missing fields, invalid UTF-8, wrong
 *    version) are dropped, never acknowledged, and the store keeps going;
 *  - the REP API answers since, article, story, stats, and errors;
 *  - a full database ([store] max_size): the store stops acknowledging
 *    and says so in its log; when space is freed it resumes, and with the
 *    test resending what was not acknowledged (as the fetcher does),
 *    every article ends up stored exactly once;
 *  - a store that opens with index segments to merge merges them while
 *    idle, before any article comes;
 *  - a subscriber that stops reading does not grow the store's memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "daemon_spawn.h"
#include "proc_stat.h"
#include "proto.h"
#include "sql_scalar.h"
#include "store_db.h"

#define S_N 120

typedef struct {
    char dir[64], conf[128], db[128], log[128];
    char ep_pull[128], ep_pub[128], ep_api[128];
    pid_t pid;
    void *ctx, *push, *sub, *req;
} s_world_t;

static int64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void s_start(s_world_t *w, const char *extra)
{
    FILE *f = fopen(w->conf, "w");
    assert_non_null(f);
    fprintf(f, "[pipeline]\ndata_dir = %s\nlog_level = info\n\n"
               "[store]\nbind = %s\npublish = %s\napi = %s\ndb = %s\nbatch_rows = 16\n"
               "batch_ms = 10\n%s\n", w->dir, w->ep_pull, w->ep_pub, w->ep_api, w->db, extra);
    fclose(f);
    w->pid = daemon_spawn("store", w->conf, w->log, false);
    assert_true(w->pid >= 0);
    int hwm = 0, timeout = 5000;
    w->ctx = zmq_ctx_new();
    w->push = zmq_socket(w->ctx, ZMQ_PUSH);
    w->sub = zmq_socket(w->ctx, ZMQ_SUB);
    w->req = zmq_socket(w->ctx, ZMQ_REQ);
    zmq_setsockopt(w->sub, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(w->req, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(w->sub, ZMQ_SUBSCRIBE, "", 0);
    assert_int_equal(zmq_connect(w->push, w->ep_pull), 0);
    assert_int_equal(zmq_connect(w->sub, w->ep_pub), 0);
    assert_int_equal(zmq_connect(w->req, w->ep_api), 0);
    /* The store is up when its API answers. */
    proto_frames_t fr = { 0 }, rep = { 0 };
    proto_query_t q = { "stats", NULL };
    assert_int_equal(proto_query_encode(&q, &fr), 0);
    assert_int_equal(proto_send(w->req, &fr, 0), 0);
    proto_frames_clear(&fr);
    assert_int_equal(proto_recv(w->req, &rep, 0), 0);
    proto_frames_clear(&rep);
    usleep(200000);     /* let the SUB subscription reach the PUB */
}

static void s_stop(s_world_t *w)
{
    if (w->pid > 0) {
        kill(w->pid, SIGTERM);
        int status = 0;
        waitpid(w->pid, &status, 0);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        w->pid = 0;
    }
    int linger = 0;
    void *socks[] = { w->push, w->sub, w->req };
    for (size_t i = 0; i < 3; i++)
        if (socks[i]) {
            zmq_setsockopt(socks[i], ZMQ_LINGER, &linger, sizeof linger);
            zmq_close(socks[i]);
        }
    w->push = w->sub = w->req = NULL;
    if (w->ctx)
        zmq_ctx_term(w->ctx);
    w->ctx = NULL;
}

static int s_setup(void **state)
{
    s_world_t *w = calloc(1, sizeof *w);
    snprintf(w->dir, sizeof w->dir, "/tmp/marsad-stored-XXXXXX");
    if (!mkdtemp(w->dir))
        return -1;
    snprintf(w->conf, sizeof w->conf, "%s/marsad.conf", w->dir);
    snprintf(w->db, sizeof w->db, "%s/marsad.db", w->dir);
    snprintf(w->log, sizeof w->log, "%s/store.log", w->dir);
    snprintf(w->ep_pull, sizeof w->ep_pull, "ipc://%s/pull", w->dir);
    snprintf(w->ep_pub, sizeof w->ep_pub, "ipc://%s/pub", w->dir);
    snprintf(w->ep_api, sizeof w->ep_api, "ipc://%s/api", w->dir);
    *state = w;
    return 0;
}

static int s_teardown(void **state)
{
    s_world_t *w = *state;
    s_stop(w);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", w->dir);
    if (system(cmd) != 0)
        return -1;
    free(w);
    return 0;
}

static void s_send_raw(s_world_t *w, const char *topic, const char *json, size_t len)
{
    proto_frames_t f = { 0 };
    f.n = 2;
    f.data[0] = strdup(topic);
    f.len[0] = strlen(topic);
    f.data[1] = malloc(len + 1);
    memcpy(f.data[1], json, len);
    f.len[1] = len;
    assert_int_equal(proto_send(w->push, &f, 0), 0);
    proto_frames_clear(&f);
}

static void s_send(s_world_t *w, int i, const char *text)
{
    char id[32], hash[32], url[64];
    snprintf(id, sizeof id, "doc-%d", i);
    snprintf(hash, sizeof hash, "hash-%d", i);
    snprintf(url, sizeof url, "https://example.org/%d", i);
    proto_mention_t m = { .entity = "houthis", .type = "org", .surface = "x", .start = 0,
                          .end = 1 };
    proto_article_t a = {
        .id = id, .source = "demo", .url = url, .title = "عنوان", .text = (char *) text,
        .lang = "ar", .fetched_at = "2026-11-25T10:00:00Z", .content_hash = hash,
        .mentions = &m, .n_mentions = 1,
    };
    proto_frames_t f = { 0 };
    assert_int_equal(proto_article_encode(&a, &f), 0);
    assert_int_equal(proto_send(w->push, &f, 0), 0);
    proto_frames_clear(&f);
}

/* Is id committed?  Read the file as another process would. */
static bool s_committed(s_world_t *w, const char *id)
{
    sqlite3 *db;
    bool yes = false;
    if (sqlite3_open_v2(w->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT 1 FROM articles WHERE id = ?1", -1, &st, NULL)
            == SQLITE_OK) {
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            yes = sqlite3_step(st) == SQLITE_ROW;
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(db);
    return yes;
}

/* Receive acks and stored events for up to MS; count them in ACKED[i]
 * (and *stored).  Every ack must find its row already committed. */
static void s_collect(s_world_t *w, int *acked, int *stored, int64_t ms, int want)
{
    int64_t end = s_now_ms() + ms;
    while (s_now_ms() < end) {
        int have = 0;
        for (int i = 0; i < S_N; i++)
            have += acked[i] > 0;
        if (want && have >= want)
            return;
        zmq_pollitem_t it = { w->sub, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&it, 1, 100) <= 0)
            continue;
        proto_frames_t f = { 0 };
        assert_int_equal(proto_recv(w->sub, &f, 0), 0);
        if (f.len[0] == 3 && memcmp(f.data[0], "ack", 3) == 0) {
            proto_ack_t ack;
            assert_int_equal(proto_ack_decode(&f, &ack), 0);
            int i = atoi(ack.id + 4);
            assert_true(i >= 0 && i < S_N);
            assert_true(s_committed(w, ack.id));
            acked[i]++;
            proto_ack_clear(&ack);
        } else if (stored) {
            proto_stored_t ev;
            assert_int_equal(proto_stored_decode(&f, &ev), 0);
            (*stored)++;
            proto_stored_clear(&ev);
        }
        proto_frames_clear(&f);
    }
}

/* One API request; returns the reply's topic (static) and *item. */
static const char *s_ask(s_world_t *w, const proto_frames_t *req, char **item)
{
    static char topic[32];
    assert_int_equal(proto_send(w->req, req, 0), 0);
    proto_frames_t rep = { 0 };
    assert_int_equal(proto_recv(w->req, &rep, 0), 0);
    snprintf(topic, sizeof topic, "%.*s", (int) rep.len[0], (const char *) rep.data[0]);
    *item = NULL;
    if (strcmp(topic, "error") != 0 && strcmp(topic, "events") != 0)
        assert_int_equal(proto_item_decode(&rep, topic, item), 0);
    proto_frames_clear(&rep);
    return topic;
}

static void test_ack_after_commit_resend_and_bad_input(void **state)
{
    s_world_t *w = *state;
    s_start(w, "");
    int acked[S_N] = { 0 }, stored = 0;
    for (int i = 0; i < 100; i++)
        s_send(w, i, "نص المقال عن الحوثيين");
    /* bad input among good */
    const char *bad[] = {
        "{not json",
        "{\"v\":1,\"id\":\"x\"}",                                    /* missing fields */
        "{\"v\":2,\"id\":\"x\",\"source\":\"s\",\"url\":\"u\",\"title\":\"\",\"text\":\"t\","
        "\"lang\":\"ar\",\"fetched_at\":\"2026-11-25T10:00:00Z\",\"content_hash\":\"h\","
        "\"mentions\":[],\"claims\":[]}",                            /* wrong version */
    };
    for (size_t i = 0; i < 3; i++)
        s_send_raw(w, "article", bad[i], strlen(bad[i]));
    s_send_raw(w, "article", "{\"v\":1,\"id\":\"\xff\xfe\"}", 17);   /* invalid UTF-8 */
    s_send_raw(w, "raw", "{}", 2);                                    /* wrong topic */
    s_collect(w, acked, &stored, 15000, 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal(acked[i], 1);
    /* a resend after a crash between commit and ack: acked again, no row */
    s_send(w, 7, "نص المقال عن الحوثيين");
    s_send(w, 100, "خبر جديد");
    s_collect(w, acked, &stored, 5000, 101);
    s_collect(w, acked, &stored, 300, 0);
    assert_int_equal(acked[7], 2);
    assert_int_equal(acked[100], 1);
    assert_int_equal(stored, 101);

    /* the API */
    char *item;
    proto_frames_t f = { 0 };
    proto_query_t q = { "article", "doc-100" };
    assert_int_equal(proto_query_encode(&q, &f), 0);
    assert_string_equal(s_ask(w, &f, &item), "article");
    assert_non_null(strstr(item, "خبر جديد"));
    free(item);
    proto_frames_clear(&f);
    q = (proto_query_t) { "article", "nope" };
    assert_int_equal(proto_query_encode(&q, &f), 0);
    assert_string_equal(s_ask(w, &f, &item), "error");
    proto_frames_clear(&f);
    q = (proto_query_t) { "story", "doc-0" };
    assert_int_equal(proto_query_encode(&q, &f), 0);
    assert_string_equal(s_ask(w, &f, &item), "story");
    assert_non_null(strstr(item, "\"articles\":["));
    free(item);
    proto_frames_clear(&f);
    q = (proto_query_t) { "stats", NULL };
    assert_int_equal(proto_query_encode(&q, &f), 0);
    assert_string_equal(s_ask(w, &f, &item), "stats");
    assert_non_null(strstr(item, "\"articles\":101"));
    free(item);
    proto_frames_clear(&f);
    proto_since_t since = { 99, 10 };
    assert_int_equal(proto_since_encode(&since, &f), 0);
    assert_string_equal(s_ask(w, &f, &item), "events");
    proto_frames_clear(&f);
    /* the command line: search reads the file beside the running store,
     * store stats asks it, store backup copies it */
    const char *cli = getenv("MARSAD_CLI_DIR");
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s/marsad search -c %s 'الحوثي' --json --limit 3",
             cli ? cli : ".", w->conf);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t got = fread(out, 1, sizeof out - 1, p);
    out[got] = '\0';
    assert_int_equal(pclose(p), 0);
    assert_non_null(strstr(out, "[[الحوثيين]]"));
    assert_non_null(strstr(out, "\"id\":\"doc-99\""));    /* newest first */
    snprintf(cmd, sizeof cmd, "%s/marsad search -c %s 'خبر' >/dev/null", cli ? cli : ".", w->conf);
    assert_int_equal(WEXITSTATUS(system(cmd)), 0);
    snprintf(cmd, sizeof cmd, "%s/marsad search -c %s 'nothing-here' >/dev/null",
             cli ? cli : ".", w->conf);
    assert_int_equal(WEXITSTATUS(system(cmd)), 1);
    snprintf(cmd, sizeof cmd, "%s/marsad store stats -c %s | grep -q '\"articles\":101'",
             cli ? cli : ".", w->conf);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/marsad store backup -c %s %s/copy.db >/dev/null && "
             "test -s %s/copy.db", cli ? cli : ".", w->conf, w->dir, w->dir);
    assert_int_equal(system(cmd), 0);

    s_send_raw(w, "article", "x", 1);   /* nothing may have broken the loop */
    f.n = 2;
    f.data[0] = strdup("bogus");
    f.len[0] = 5;
    f.data[1] = strdup("{\"v\":1}");
    f.len[1] = 7;
    assert_string_equal(s_ask(w, &f, &item), "error");
    proto_frames_clear(&f);
    s_stop(w);
    /* the rejections were logged */
    snprintf(cmd, sizeof cmd, "grep -q 'dropped an invalid article' %s", w->log);
    assert_int_equal(system(cmd), 0);
}

static void test_full_disk_stops_acks_then_resumes(void **state)
{
    s_world_t *w = *state;
    /* A ballast table fills most of a 6 MiB cap; dropping it is "space
     * returns". */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(w->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE ballast (b BLOB);"
                                      "INSERT INTO ballast VALUES (zeroblob(5000000));",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    s_start(w, "max_size = 6M\n");
    static char text[20001];
    memset(text, 'a', sizeof text - 1);
    for (int i = 0; i < 20000; i += 7)
        text[i] = ' ';
    int acked[S_N] = { 0 };
    for (int i = 0; i < S_N; i++)
        s_send(w, i, text);
    s_collect(w, acked, NULL, 4000, S_N);
    int first = 0;
    for (int i = 0; i < S_N; i++)
        first += acked[i] > 0;
    assert_true(first > 0);
    assert_true(first < S_N);            /* it filled up */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "grep -q 'database is full' %s", w->log);
    assert_int_equal(system(cmd), 0);

    /* Space returns. */
    assert_int_equal(sqlite3_open(w->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE ballast", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    /* Resend what is unacknowledged, as the fetcher does, until all are in. */
    int64_t end = s_now_ms() + 40000;
    int have = first;
    while (have < S_N && s_now_ms() < end) {
        for (int i = 0; i < S_N; i++)
            if (!acked[i])
                s_send(w, i, text);
        s_collect(w, acked, NULL, 3000, S_N);
        have = 0;
        for (int i = 0; i < S_N; i++)
            have += acked[i] > 0;
    }
    assert_int_equal(have, S_N);
    snprintf(cmd, sizeof cmd, "grep -q 'space is back' %s", w->log);
    assert_int_equal(system(cmd), 0);
    s_stop(w);
    /* nothing lost, nothing twice */
    assert_int_equal(sqlite3_open(w->db, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(*), COUNT(DISTINCT id) FROM articles",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), S_N);
    assert_int_equal(sqlite3_column_int(st, 1), S_N);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A subscriber to the store's events that stops reading (a stuck client)
 * holds at most the store's send queue for it: the store's memory stays
 * bounded while 3,000 articles of 32 KB go through, where the queue of
 * 100,000 messages it had took their `stored` events (~96 MB) into the
 * store's memory.  Such a subscriber loses events past the queue and
 * catches up with `since`, as PROTOCOL.md says.  (Not under ASan, whose
 * own memory hides the figure.) */
/* A store that opens with index segments to merge (20 commits' worth, as a
 * bulk load leaves them) merges them while idle, before any article
 * comes: left for the first article, such a store reached FTS5's crisis
 * merge within its first commits and held one up for 70-200 ms. */
static void test_idle_store_merges_from_the_start(void **state)
{
    s_world_t *w = *state;
    char *err = NULL;
    store_db_t *db = store_db_open(w->db, &err);
    assert_non_null(db);
    for (int i = 0; i < 20; i++) {
        char id[32], hash[32];
        snprintf(id, sizeof id, "bulk-%d", i);
        snprintf(hash, sizeof hash, "hash-%d", i);
        proto_article_t a = { .id = id, .source = "t", .url = "https://t/a", .title = "عنوان",
                              .text = "نص المقال عن الحوثيين وشحنة الأسلحة", .lang = "ar",
                              .fetched_at = "2026-11-20T06:15:00Z", .content_hash = hash };
        int64_t seq;
        char *story = NULL;
        bool dup;
        assert_int_equal(store_db_begin(db), 0);
        assert_int_equal(store_db_insert(db, &a, &seq, &story, &dup, &err), 1);
        assert_int_equal(store_db_commit(db), 0);
        free(story);
    }
    store_db_close(&db);
    int64_t before = sql_scalar(w->db, "SELECT COUNT(*) FROM articles_fts_data"), now = before;
    assert_true(before > 20);
    s_start(w, "");
    for (int64_t until = s_now_ms() + 5000; now >= before && s_now_ms() < until;) {
        usleep(50000);
        now = sql_scalar(w->db, "SELECT COUNT(*) FROM articles_fts_data");
    }
    if (now >= before)
        fail_msg("the idle store did not merge: %lld index rows before, %lld after 5 s",
                 (long long) before, (long long) now);
}

/* The entity counters wait in memory after a commit (store_counts.h): a
 * commit writes them once 100 ms have passed since the last write, and a
 * store with nothing more to commit writes them itself a second later,
 * while it runs.  The first article's commit writes (nothing was written
 * yet); the second, acknowledged within 80 ms of the first, leaves its
 * count waiting, which the idle store writes. */
static void test_idle_store_writes_entity_counts(void **state)
{
    s_world_t *w = *state;
    s_start(w, "");
    int acked[S_N] = { 0 }, stored = 0;
    const char *count = "SELECT article_count FROM entities WHERE id = 'houthis'";
    s_send(w, 0, "نص المقال عن الحوثيين");
    s_collect(w, acked, &stored, 5000, 1);
    int64_t t1 = s_now_ms();
    assert_int_equal(sql_scalar(w->db, count), 1);
    s_send(w, 1, "نص آخر عن الحوثيين");
    s_collect(w, acked, &stored, 5000, 2);
    assert_int_equal(acked[1], 1);
    int64_t n = sql_scalar(w->db, count);
    if (s_now_ms() - t1 < 80)        /* (a slow machine's commit may have written it) */
        assert_int_equal(n, 1);
    for (int64_t until = s_now_ms() + 5000; n < 2 && s_now_ms() < until;) {
        usleep(50000);
        n = sql_scalar(w->db, count);
    }
    assert_int_equal(n, 2);
    s_stop(w);
    assert_int_equal(sql_scalar(w->db, count), 2);
}

static void test_stuck_subscriber_bounds_memory(void **state)
{
#ifdef __SANITIZE_ADDRESS__
    skip();
#endif
    s_world_t *w = *state;
    s_start(w, "");
    void *stuck = zmq_socket(w->ctx, ZMQ_SUB);
    int one = 1, small = 4096, linger = 0;
    zmq_setsockopt(stuck, ZMQ_RCVHWM, &one, sizeof one);
    zmq_setsockopt(stuck, ZMQ_RCVBUF, &small, sizeof small);
    zmq_setsockopt(stuck, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(stuck, ZMQ_SUBSCRIBE, "", 0);
    assert_int_equal(zmq_connect(stuck, w->ep_pub), 0);
    usleep(200000);
    static char text[32768];
    const char *words = "قال مسؤول إن الشحنة وصلت إلى الميناء ";
    size_t wl = strlen(words), len = 0;
    while (len + wl < sizeof text) {
        memcpy(text + len, words, wl);
        len += wl;
    }
    text[len] = '\0';
    const int n = 3000;
    int acked = 0;
    for (int i = 0; i < n || acked < n;) {
        if (i < n)
            s_send(w, i++, text);
        zmq_pollitem_t it = { w->sub, 0, ZMQ_POLLIN, 0 };
        while (zmq_poll(&it, 1, i < n ? 0 : 2000) > 0) {
            proto_frames_t f = { 0 };
            assert_int_equal(proto_recv(w->sub, &f, 0), 0);
            acked += f.len[0] == 3 && memcmp(f.data[0], "ack", 3) == 0;
            proto_frames_clear(&f);
            if (i < n)
                break;
        }
        if (i >= n && zmq_poll(&it, 1, 0) == 0 && acked < n)
            assert_true(zmq_poll(&it, 1, 30000) > 0);   /* still coming */
    }
    long kib = proc_status_kb(w->pid, "VmHWM:");
    zmq_close(stuck);       /* before any assert: an open socket holds the context */
    fprintf(stderr, "store peak RSS %ld KiB with a stuck subscriber\n", kib);
    assert_true(kib > 0);
    assert_true(kib < 100 * 1024);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ack_after_commit_resend_and_bad_input, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_full_disk_stops_acks_then_resumes, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_idle_store_merges_from_the_start, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_idle_store_writes_entity_counts, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_stuck_subscriber_bounds_memory, s_setup,
                                        s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
