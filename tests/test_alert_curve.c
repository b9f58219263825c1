/*
 * test_alert_curve.c — CURVE on the alert sockets (issue 8), with the real
 * marsad-alerter: this test plays the store (it publishes one `stored`
 * article that a watch matches) and three subscribers on the PUB socket —
 * one whose key is in curve_clients, one with a key that is not, and one
 * without CURVE at all.  Only the first receives the alert; the replay
 * socket answers only it too; `marsad tail --curve-keys` with the allowed
 * key prints the alert, with the other key prints nothing.  `marsad keygen`
 * makes the keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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

#include "free_port.h"
#include "alert_curve.h"
#include "proto.h"

typedef struct {
    char server_pub[41], server_sec[41];
    char good_pub[41], good_sec[41];
    char bad_pub[41], bad_sec[41];
} keys_t;

static char s_dir[64];
static int s_port[4];   /* stored PUB, store api, alerts PUB, replay REP */

static int64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* `marsad keygen` into PATH, read back with the alerter's own reader. */
static void s_keygen(const char *path, char pub[41], char sec[41])
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/marsad keygen > %s", getenv("MARSAD_CLI_DIR"), path);
    assert_int_equal(system(cmd), 0);
    pub[0] = sec[0] = '\0';
    assert_int_equal(alert_curve_read_keys(path, pub, sec), 2);
    assert_int_equal(strlen(pub), 40);
    assert_int_equal(strlen(sec), 40);
    char derived[41];
    assert_int_equal(zmq_curve_public(derived, sec), 0);
    assert_string_equal(derived, pub);   /* a real pair */
}

static void *s_sub(void *ctx, const keys_t *k, const char *pub, const char *sec)
{
    void *s = zmq_socket(ctx, ZMQ_SUB);
    int linger = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    if (pub) {
        zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, k->server_pub, 41);
        zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pub, 41);
        zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec, 41);
    }
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", s_port[2]);
    assert_int_equal(zmq_connect(s, ep), 0);
    zmq_setsockopt(s, ZMQ_SUBSCRIBE, "alert.", 6);
    return s;
}

/* The stored message a watch matches (seq 1). */
static void s_send_stored(void *pub)
{
    proto_stored_t st;
    memset(&st, 0, sizeof st);
    st.seq = 1;
    st.story_id = "story-1";
    st.article = (proto_article_t) {
        .id = "doc-1", .source = "wire", .url = "https://example.org/bout",
        .title = "Viktor Bout brokered a rifle deal, officials say",
        .text = "Viktor Bout brokered a rifle deal for the Houthis, two officials said.",
        .lang = "en", .fetched_at = "2026-11-29T10:00:00Z",
        .content_hash = "0000000000000000000000000000000000000000000000000000000000000000",
    };
    proto_frames_t f;
    assert_int_equal(proto_stored_encode(&st, &f), 0);
    assert_int_equal(proto_send(pub, &f, 0), 0);
    proto_frames_clear(&f);
}

/* Does S get a message within MS? */
static bool s_gets(void *s, int ms)
{
    zmq_pollitem_t it = { s, 0, ZMQ_POLLIN, 0 };
    if (zmq_poll(&it, 1, ms) <= 0)
        return false;
    proto_frames_t f;
    bool ok = proto_recv(s, &f, ZMQ_DONTWAIT) == 0 && f.n == 2
              && strncmp(f.data[0], "alert.bout-deal", f.len[0]) == 0;
    proto_frames_clear(&f);
    return ok;
}

/* A replay request with the given client key; true if answered in time. */
static bool s_replay_answers(void *ctx, const keys_t *k, const char *pub, const char *sec)
{
    void *s = zmq_socket(ctx, ZMQ_REQ);
    int linger = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, k->server_pub, 41);
    zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pub, 41);
    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec, 41);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", s_port[3]);
    assert_int_equal(zmq_connect(s, ep), 0);
    proto_since_t q = { 0, 10 };
    proto_frames_t f;
    assert_int_equal(proto_since_encode(&q, &f), 0);
    proto_send(s, &f, ZMQ_DONTWAIT);   /* queued until the handshake succeeds, if ever */
    proto_frames_clear(&f);
    zmq_pollitem_t it = { s, 0, ZMQ_POLLIN, 0 };
    bool answered = zmq_poll(&it, 1, 2000) > 0;
    if (answered) {
        char **items = NULL;
        size_t n = 0;
        int64_t last = 0;
        assert_int_equal(proto_recv(s, &f, 0), 0);
        assert_int_equal(proto_items_decode(&f, "alerts", &items, &n, &last), 0);
        assert_int_equal(n, 1);
        assert_non_null(strstr(items[0], "\"watch\":\"bout-deal\""));
        for (size_t i = 0; i < n; i++)
            free(items[i]);
        free(items);
        proto_frames_clear(&f);
    }
    zmq_close(s);
    return answered;
}

/* `marsad tail --since 0 --json --curve-keys FILE` for 3 s: lines printed. */
static int s_tail_lines(const char *conf, const char *keyfile)
{
    char out[256], cmd[1200];
    snprintf(out, sizeof out, "%s/tail.out", s_dir);
    snprintf(cmd, sizeof cmd, "timeout -s INT 3 %s/marsad tail -c %s --since 0 --json "
             "--curve-keys %s > %s 2>&1", getenv("MARSAD_CLI_DIR"), conf, keyfile, out);
    (void) system(cmd);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    char line[65536];
    int n = 0;
    while (fgets(line, sizeof line, f))
        n += strstr(line, "\"schema\":\"marsad.alert/1\"") != NULL;
    fclose(f);
    return n;
}

static void test_only_listed_subscribers(void **state)
{
    (void) state;
    strcpy(s_dir, "/tmp/marsad-curve-XXXXXX");
    assert_non_null(mkdtemp(s_dir));
    keys_t k;
    char path[256], good_file[256], bad_file[256], conf[256], clients[256];
    snprintf(path, sizeof path, "%s/server.key", s_dir);
    s_keygen(path, k.server_pub, k.server_sec);
    snprintf(good_file, sizeof good_file, "%s/good.key", s_dir);
    s_keygen(good_file, k.good_pub, k.good_sec);
    snprintf(bad_file, sizeof bad_file, "%s/bad.key", s_dir);
    s_keygen(bad_file, k.bad_pub, k.bad_sec);
    /* The allowed list: the good subscriber's public line, as keygen
     * printed it (its secret line must not count as a key). */
    snprintf(clients, sizeof clients, "%s/clients", s_dir);
    FILE *f = fopen(clients, "w");
    fprintf(f, "# subscribers allowed in\npublic = %s\nsecret = %s\n", k.good_pub, k.bad_pub);
    fclose(f);
    for (int i = 0; i < 4; i++)
        s_port[i] = free_port();
    snprintf(conf, sizeof conf, "%s/marsad.conf", s_dir);
    f = fopen(conf, "w");
    fprintf(f, "[pipeline]\ndata_dir = data\n\n"
            "[alerter]\nstored = tcp://127.0.0.1:%d\nstore_api = tcp://127.0.0.1:%d\n"
            "publish = tcp://127.0.0.1:%d\nreplay = tcp://127.0.0.1:%d\nmetrics =\n"
            "curve_secret = %s\ncurve_clients = clients\n\n"
            "[entity bout]\ntype = person\nnames = Viktor Bout|Bout\n\n"
            "[watch bout-deal]\nquery = \"Viktor Bout\" AND (deal OR rifle)\n",
            s_port[0], s_port[1], s_port[2], s_port[3], k.server_sec);
    fclose(f);

    void *ctx = zmq_ctx_new();
    void *stored = zmq_socket(ctx, ZMQ_PUB);
    char ep[64];
    snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", s_port[0]);
    assert_int_equal(zmq_bind(stored, ep), 0);

    char exe[512], log[256];
    snprintf(exe, sizeof exe, "%s/alerter/marsad-alerter", getenv("MARSAD_BUILD_ROOT"));
    snprintf(log, sizeof log, "%s/alerter.log", s_dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        execl(exe, exe, "-c", conf, (char *) NULL);
        _exit(127);
    }
    void *good = s_sub(ctx, &k, k.good_pub, k.good_sec);
    void *bad = s_sub(ctx, &k, k.bad_pub, k.bad_sec);
    void *plain = s_sub(ctx, &k, NULL, NULL);

    /* Publish the stored article until the allowed subscriber has the
     * alert (subscriptions take a moment to reach the PUB socket); a
     * repeat of seq 1 is ignored by the alerter. */
    bool got = false;
    for (int64_t end = s_now_ms() + 15000; !got && s_now_ms() < end;) {
        s_send_stored(stored);
        got = s_gets(good, 300);
    }
    assert_true(got);
    /* The others: nothing, though they stayed connected all along. */
    assert_false(s_gets(bad, 1000));
    assert_false(s_gets(plain, 200));

    assert_true(s_replay_answers(ctx, &k, k.good_pub, k.good_sec));
    assert_false(s_replay_answers(ctx, &k, k.bad_pub, k.bad_sec));

    /* marsad tail: the server key comes from the config's secret; the
     * client pair from --curve-keys. */
    assert_int_equal(s_tail_lines(conf, good_file), 1);
    assert_int_equal(s_tail_lines(conf, bad_file), 0);

    /* The refusals are logged, with the refused key. */
    FILE *lf = fopen(log, "r");
    assert_non_null(lf);
    static char text[1 << 20];
    size_t tn = fread(text, 1, sizeof text - 1, lf);
    text[tn] = '\0';
    fclose(lf);
    char want[128];
    snprintf(want, sizeof want, "refused subscriber %s", k.bad_pub);
    if (!strstr(text, want))
        fail_msg("the refusal is not in the log:\n%s", text);
    char cmd[600];

    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    zmq_close(good);
    zmq_close(bad);
    zmq_close(plain);
    zmq_close(stored);
    zmq_ctx_term(ctx);
    snprintf(cmd, sizeof cmd, "rm -rf %s", s_dir);
    (void) system(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_listed_subscribers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
