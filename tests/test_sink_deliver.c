/*
 * test_sink_deliver.c — the alert sinks (alerter/sink.h) and the thread
 * that drives them from the alert database (alerter/sink_runner.h): a
 * JSON-lines file, a command with the alert on stdin (failure, timeout),
 * a webhook POST against a small HTTP server started here on loopback
 * (errors, timeout, retry with backoff), e-mail through a small SMTP sink
 * started here (the message decodes back to the alert), and delivery that resumes at its
 * cursor after a restart, in order, without duplicates or gaps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "alert_db.h"
#include "sink.h"
#include "sink_runner.h"
#include "watch_set.h"

/* --------------------------------------------------- a POST-only server */

typedef struct {
    int fd, port;
    pthread_t thread;
    volatile bool stop;
    pthread_mutex_t mu;
    int statuses[16];     /* reply to request i; 0 = 200; -1 = never answer */
    char *bodies[64];
    char paths[64][64];
    int n;
} server_t;

static void s_serve_one(server_t *s, int c)
{
    char buf[65536];
    size_t len = 0;
    char *end = NULL;
    while (!end && len + 1 < sizeof buf) {
        ssize_t r = read(c, buf + len, sizeof buf - len - 1);
        if (r <= 0)
            return;
        len += (size_t) r;
        buf[len] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    if (!end)
        return;
    size_t want = 0;
    const char *cl = strcasestr(buf, "Content-Length:");
    if (cl)
        want = strtoul(cl + 15, NULL, 10);
    size_t have = len - (size_t) (end + 4 - buf);
    while (have < want && len + 1 < sizeof buf) {
        ssize_t r = read(c, buf + len, sizeof buf - len - 1);
        if (r <= 0)
            return;
        len += (size_t) r;
        have += (size_t) r;
    }
    buf[len] = '\0';
    pthread_mutex_lock(&s->mu);
    int i = s->n < 64 ? s->n++ : 63;
    int status = i < 16 ? s->statuses[i] : 0;
    free(s->bodies[i]);
    s->bodies[i] = strndup(end + 4, want);
    sscanf(buf, "%*s %63s", s->paths[i]);
    if (strncmp(buf, "POST ", 5) != 0)
        status = 405;
    pthread_mutex_unlock(&s->mu);
    if (status < 0) {
        while (!s->stop)
            poll(NULL, 0, 20);
        return;
    }
    if (status == 0)
        status = 200;
    char reply[128];
    int n = snprintf(reply, sizeof reply, "HTTP/1.1 %d X\r\nContent-Length: 2\r\n"
                     "Connection: close\r\n\r\nok", status);
    if (write(c, reply, (size_t) n) != n)
        return;
}

static void *s_server_main(void *arg)
{
    server_t *s = arg;
    while (!s->stop) {
        struct pollfd p = { s->fd, POLLIN, 0 };
        if (poll(&p, 1, 50) <= 0)
            continue;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        s_serve_one(s, c);
        close(c);
    }
    return NULL;
}

static void s_server_start(server_t *s)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(s->fd, (struct sockaddr *) &a, sizeof a), 0);
    assert_int_equal(listen(s->fd, 16), 0);
    socklen_t al = sizeof a;
    getsockname(s->fd, (struct sockaddr *) &a, &al);
    s->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&s->thread, NULL, s_server_main, s), 0);
}

static void s_server_stop(server_t *s)
{
    s->stop = true;
    pthread_join(s->thread, NULL);
    close(s->fd);
    for (int i = 0; i < 64; i++)
        free(s->bodies[i]);
    pthread_mutex_destroy(&s->mu);
}

static int s_server_count(server_t *s)
{
    pthread_mutex_lock(&s->mu);
    int n = s->n;
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* ---------------------------------------------------- a small SMTP sink */

typedef struct {
    int fd, port;
    pthread_t thread;
    volatile bool stop;
    bool reject_rcpt;      /* answer 550 to RCPT TO */
    char from[256], rcpt[256];
    char data[65536];      /* the message as received (dot-unstuffed) */
    int messages;
} smtp_t;

static bool s_line(int c, char *buf, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        char ch;
        if (read(c, &ch, 1) != 1)
            return false;
        buf[n++] = ch;
        if (ch == '\n')
            break;
    }
    buf[n] = '\0';
    return true;
}

static void s_say(int c, const char *text)
{
    if (write(c, text, strlen(text)) < 0)
        return;
}

static void *s_smtp_main(void *arg)
{
    smtp_t *m = arg;
    while (!m->stop) {
        struct pollfd p = { m->fd, POLLIN, 0 };
        if (poll(&p, 1, 50) <= 0)
            continue;
        int c = accept(m->fd, NULL, NULL);
        if (c < 0)
            continue;
        s_say(c, "220 test ESMTP\r\n");
        char line[4096];
        while (s_line(c, line, sizeof line)) {
            if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0) {
                s_say(c, "250 test\r\n");
            } else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
                sscanf(line + 10, " <%255[^>]", m->from);
                s_say(c, "250 ok\r\n");
            } else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
                sscanf(line + 8, " <%255[^>]", m->rcpt);
                s_say(c, m->reject_rcpt ? "550 no such user\r\n" : "250 ok\r\n");
            } else if (strncasecmp(line, "DATA", 4) == 0) {
                s_say(c, "354 go on\r\n");
                size_t len = 0;
                while (s_line(c, line, sizeof line) && strcmp(line, ".\r\n") != 0) {
                    const char *l = line[0] == '.' ? line + 1 : line;
                    size_t ll = strlen(l);
                    if (len + ll < sizeof m->data) {
                        memcpy(m->data + len, l, ll);
                        len += ll;
                    }
                }
                m->data[len] = '\0';
                m->messages++;
                s_say(c, "250 queued\r\n");
            } else if (strncasecmp(line, "QUIT", 4) == 0) {
                s_say(c, "221 bye\r\n");
                break;
            } else {
                s_say(c, "502 what\r\n");
            }
        }
        close(c);
    }
    return NULL;
}

static void s_smtp_start(smtp_t *m)
{
    memset(m, 0, sizeof *m);
    m->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(m->fd >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(m->fd, (struct sockaddr *) &a, sizeof a), 0);
    assert_int_equal(listen(m->fd, 4), 0);
    socklen_t al = sizeof a;
    getsockname(m->fd, (struct sockaddr *) &a, &al);
    m->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&m->thread, NULL, s_smtp_main, m), 0);
}

static void s_smtp_stop(smtp_t *m)
{
    m->stop = true;
    pthread_join(m->thread, NULL);
    close(m->fd);
}

/* ------------------------------------------------------------- helpers */

typedef struct {
    char dir[64];
} tmp_t;

static int s_setup(void **state)
{
    tmp_t *t = calloc(1, sizeof *t);
    assert_non_null(t);
    strcpy(t->dir, "/tmp/marsad-sink-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    *state = t;
    return 0;
}

static int s_teardown(void **state)
{
    tmp_t *t = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", t->dir);
    free(t);
    return 0;
}

static char *s_slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return strdup("");
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---------------------------------------------------------- one attempt */

static void test_file_and_command(void **state)
{
    tmp_t *t = *state;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/alerts.jsonl", t->dir);
    sink_t file = { .kind = SINK_FILE, .target = path, .timeout_ms = 0 };
    assert_int_equal(sink_deliver(&file, "{\"seq\":1}", err, sizeof err), 0);
    assert_int_equal(sink_deliver(&file, "{\"seq\":2,\"title\":\"بوت\"}", err, sizeof err), 0);
    char *got = s_slurp(path);
    assert_string_equal(got, "{\"seq\":1}\n{\"seq\":2,\"title\":\"بوت\"}\n");
    free(got);
    sink_t nowhere = { .kind = SINK_FILE, .target = "/nonexistent-marsad/x.jsonl" };
    assert_true(sink_deliver(&nowhere, "{}", err, sizeof err) < 0);
    assert_non_null(strstr(err, "/nonexistent-marsad/x.jsonl"));

    /* The command gets the JSON and a newline on stdin. */
    char cmd[256], out[128];
    snprintf(out, sizeof out, "%s/cmd.out", t->dir);
    snprintf(cmd, sizeof cmd, "cat >> '%s'", out);
    sink_t c = { .kind = SINK_COMMAND, .target = cmd, .timeout_ms = 5000 };
    assert_int_equal(sink_deliver(&c, "{\"seq\":7}", err, sizeof err), 0);
    got = s_slurp(out);
    assert_string_equal(got, "{\"seq\":7}\n");
    free(got);
    sink_t fails = { .kind = SINK_COMMAND, .target = "cat >/dev/null; exit 3", .timeout_ms = 5000 };
    assert_int_equal(sink_deliver(&fails, "{}", err, sizeof err), -EIO);
    assert_string_equal(err, "command exited with 3");
    /* Not reading stdin is fine; hanging is not. */
    sink_t deaf = { .kind = SINK_COMMAND, .target = "true", .timeout_ms = 5000 };
    assert_int_equal(sink_deliver(&deaf, "{}", err, sizeof err), 0);
    sink_t slow = { .kind = SINK_COMMAND, .target = "sleep 5", .timeout_ms = 300 };
    int64_t t0 = s_now_ms();
    assert_int_equal(sink_deliver(&slow, "{}", err, sizeof err), -ETIMEDOUT);
    assert_true(s_now_ms() - t0 < 2000);
}

static void test_webhook(void **state)
{
    (void) state;
    server_t s;
    s_server_start(&s);
    s.statuses[0] = 500;
    s.statuses[1] = 204;
    s.statuses[2] = -1;   /* never answers */
    char url[128], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", s.port);
    sink_t w = { .kind = SINK_WEBHOOK, .target = url, .timeout_ms = 400 };
    assert_int_equal(sink_deliver(&w, "{\"seq\":1}", err, sizeof err), -EIO);
    assert_string_equal(err, "HTTP 500");
    assert_int_equal(sink_deliver(&w, "{\"seq\":1}", err, sizeof err), 0);
    int64_t t0 = s_now_ms();
    assert_int_equal(sink_deliver(&w, "{\"seq\":2}", err, sizeof err), -ETIMEDOUT);
    assert_true(s_now_ms() - t0 < 3000);
    assert_int_equal(s_server_count(&s), 3);
    assert_string_equal(s.bodies[1], "{\"seq\":1}");
    assert_string_equal(s.paths[1], "/hook");
    s_server_stop(&s);

    /* Nobody listening at all. */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", s.port);
    assert_true(sink_deliver(&w, "{}", err, sizeof err) < 0);
    sink_t bad = { .kind = SINK_WEBHOOK, .target = "ftp://127.0.0.1/x", .timeout_ms = 400 };
    assert_true(sink_deliver(&bad, "{}", err, sizeof err) < 0);
}

static void test_email(void **state)
{
    tmp_t *t = *state;
    smtp_t m;
    s_smtp_start(&m);
    char url[128], err[256];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d/analyst@example.org", m.port);
    /* A long alert, as real ones are: over SMTP's 998-byte line limit. */
    char json[3000];
    int n = snprintf(json, sizeof json, "{\"seq\":9,\"title\":\"");
    for (int i = 0; i < 200; i++)
        n += snprintf(json + n, sizeof json - (size_t) n, "بوت ");
    snprintf(json + n, sizeof json - (size_t) n, "\"}");
    sink_t e = { .kind = SINK_EMAIL, .target = url, .subject = "[marsad] w: alert 9",
                 .timeout_ms = 5000 };
    assert_int_equal(sink_deliver(&e, json, err, sizeof err), 0);
    assert_int_equal(m.messages, 1);
    assert_string_equal(m.rcpt, "analyst@example.org");
    assert_non_null(strstr(m.from, "marsad@"));
    assert_non_null(strstr(m.data, "Subject: [marsad] w: alert 9\r\n"));
    assert_non_null(strstr(m.data, "Content-Transfer-Encoding: base64\r\n"));
    /* Every line fits SMTP, and the body decodes back to the alert. */
    for (const char *l = m.data; *l;) {
        const char *nl = strstr(l, "\r\n");
        assert_non_null(nl);
        assert_true(nl - l <= 998);
        l = nl + 2;
    }
    char b64[256], dec[256];
    snprintf(b64, sizeof b64, "%s/body.b64", t->dir);
    snprintf(dec, sizeof dec, "%s/body.json", t->dir);
    FILE *f = fopen(b64, "w");
    assert_non_null(f);
    fputs(strstr(m.data, "\r\n\r\n") + 4, f);
    fclose(f);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "tr -d '\\r' < '%s' | base64 -d > '%s'", b64, dec);
    assert_int_equal(system(cmd), 0);
    char *got = s_slurp(dec);
    assert_string_equal(got, json);
    free(got);

    m.reject_rcpt = true;
    assert_true(sink_deliver(&e, "{}", err, sizeof err) < 0);
    assert_non_null(strstr(err, "550"));
    sink_t bad = { .kind = SINK_EMAIL, .target = "smtp://127.0.0.1", .timeout_ms = 500 };
    assert_int_equal(sink_deliver(&bad, "{}", err, sizeof err), -EINVAL);
    s_smtp_stop(&m);
}

/* -------------------------------------------------- the runner, durably */

static char *s_render(void *arg, size_t index, int64_t seq)
{
    (void) arg;
    (void) index;
    char *s = NULL;
    if (asprintf(&s, "{\"seq\":%lld}", (long long) seq) < 0)
        return NULL;
    return s;
}

static void s_alert(alert_db_t *db, int64_t stored, const char *watch, const char *story)
{
    alert_db_entry_t e = { .watch = watch, .story_id = story };
    assert_int_equal(alert_db_record(db, stored, &e, 1, s_render, NULL), 0);
    assert_true(e.seq > 0);
}

/* Wait until PRED's file holds WANT exactly. */
static bool s_wait_file(const char *path, const char *want, int ms)
{
    int64_t end = s_now_ms() + ms;
    for (;;) {
        char *got = s_slurp(path);
        bool ok = strcmp(got, want) == 0;
        if (!ok && s_now_ms() >= end)
            fprintf(stderr, "%s holds:\n%s---\nwant:\n%s---\n", path, got, want);
        free(got);
        if (ok)
            return true;
        if (s_now_ms() >= end)
            return false;
        poll(NULL, 0, 20);
    }
}

static void test_runner_resumes(void **state)
{
    tmp_t *t = *state;
    server_t s;
    s_server_start(&s);
    s.statuses[0] = 503;   /* the first POST fails: retried after 1 s */

    char dbpath[128], file[128], url[128], conf[128];
    snprintf(dbpath, sizeof dbpath, "%s/alerter.db", t->dir);
    snprintf(file, sizeof file, "%s/w.jsonl", t->dir);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/in", s.port);
    snprintf(conf, sizeof conf, "%s/marsad.conf", t->dir);
    cfg_watch_t cw[2] = {
        { .name = (char *) "w", .query = (char *) "Bout", .file = conf, .line = 1,
          .sink_file = file, .sink_webhook = url },
        { .name = (char *) "quiet", .query = (char *) "Putin", .file = conf, .line = 5 },
    };
    marsad_config_t cfg = { .path = conf, .watches = cw, .n_watches = 2 };
    watch_set_t *ws = watch_set_new(&cfg, NULL, NULL);
    assert_non_null(ws);

    alert_db_t *db = alert_db_open(dbpath, NULL);
    assert_non_null(db);
    s_alert(db, 1, "w", "s1");            /* before the sink existed: not sent */
    sink_runner_t *r = sink_runner_new(dbpath);
    assert_non_null(r);
    assert_int_equal(sink_runner_set(r, ws, db), 2);
    s_alert(db, 2, "w", "s2");
    s_alert(db, 3, "quiet", "s3");        /* another watch: not its sinks */
    s_alert(db, 4, "w", "s4");
    sink_runner_kick(r);
    assert_true(s_wait_file(file, "{\"seq\":2}\n{\"seq\":4}\n", 5000));
    int64_t end = s_now_ms() + 6000;
    while (s_server_count(&s) < 3 && s_now_ms() < end)
        poll(NULL, 0, 20);
    assert_int_equal(s_server_count(&s), 3);   /* 503, then 2 and 4 in order */
    assert_string_equal(s.bodies[0], "{\"seq\":2}");
    assert_string_equal(s.bodies[1], "{\"seq\":2}");
    assert_string_equal(s.bodies[2], "{\"seq\":4}");
    /* The server counts a request before the runner has its answer. */
    uint64_t ok = 0, failed = 0;
    end = s_now_ms() + 5000;
    do {
        sink_runner_counts(r, &ok, &failed);
    } while (ok < 4 && s_now_ms() < end && poll(NULL, 0, 20) == 0);
    assert_int_equal(ok, 4);
    assert_int_equal(failed, 1);
    sink_runner_destroy(&r);
    assert_null(r);

    /* While no runner runs, alerts are committed; the next one resumes at
     * the cursors: no duplicate, no gap. */
    s_alert(db, 5, "w", "s5");
    r = sink_runner_new(dbpath);
    assert_non_null(r);
    sink_runner_set(r, ws, db);
    assert_true(s_wait_file(file, "{\"seq\":2}\n{\"seq\":4}\n{\"seq\":5}\n", 5000));
    end = s_now_ms() + 5000;
    while (s_server_count(&s) < 4 && s_now_ms() < end)
        poll(NULL, 0, 20);
    assert_int_equal(s_server_count(&s), 4);
    assert_string_equal(s.bodies[3], "{\"seq\":5}");
    poll(NULL, 0, 300);
    assert_int_equal(s_server_count(&s), 4);
    sink_runner_destroy(&r);

    watch_set_destroy(&ws);
    alert_db_close(&db);
    s_server_stop(&s);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_and_command, s_setup, s_teardown),
        cmocka_unit_test(test_webhook),
        cmocka_unit_test_setup_teardown(test_email, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_runner_resumes, s_setup, s_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
