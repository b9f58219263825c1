/*
 * test_cli.c — the `marsad` command as a user runs it: help on every
 * command, `feed`, `extract` and `watch test` on the bundled demo pages
 * (exit codes are part of the interface), config errors with FILE:LINE,
 * and `marsad up` supervising the four daemons on the demo feed while
 * `marsad tail --since 0 --json` in another process prints the alerts;
 * a daemon killed with SIGKILL is restarted by `up`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char s_marsad[1024];
static char s_src[1024];

/* Run CMD with sh; return its exit status and its stdout+stderr in OUT
 * (malloc'd, caller frees). */
static int s_run(const char *cmd, char **out)
{
    char full[4200];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 >= cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    int status = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int s_runf(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int s_runf(char **out, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return s_run(cmd, out);
}

static void test_help_everywhere(void **state)
{
    (void) state;
    const char *cmds[] = { "--help", "help", "up --help", "tail --help", "extract --help",
                           "feed --help", "watch --help", "watch test --help",
                           "status --help", "search --help", "keygen --help" };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char *out;
        assert_int_equal(s_runf(&out, "%s %s", s_marsad, cmds[i]), 0);
        assert_non_null(strstr(out, "usage: marsad"));
        free(out);
    }
    const char *daemons[] = { "fetcher", "extractor", "store", "alerter" };
    for (size_t i = 0; i < 4; i++) {
        char *out;
        assert_int_equal(s_runf(&out, "%s/../%s/marsad-%s --help", getenv("MARSAD_CLI_DIR"),
                                daemons[i], daemons[i]), 0);
        assert_non_null(strstr(out, "usage: marsad-"));
        free(out);
    }
    /* The tools beside the daemons: --help prints usage and runs nothing
     * (a benchmark that took --help for "go" once ran for an hour). */
    const char *tools[] = { "fetcher/fetch-bench", "store/marsad-store-bench",
                            "alerter/alerter-bench", "extractor/claims-eval",
                            "bench/entity-bench", "bench/text-bench", "bench/e2e-bench", "bench/alerter-latency",
                            "bench/extract-bench", "bench/extract-eval",
                            "examples/marsad-subscribe-example" };
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
        char *out;
        assert_int_equal(s_runf(&out, "timeout 20 %s/../%s --help", getenv("MARSAD_CLI_DIR"),
                                tools[i]), 0);
        if (!strstr(out, "usage: "))
            fail_msg("%s --help printed no usage: %s", tools[i], out);
        free(out);
    }
    char *out;
    assert_int_equal(s_runf(&out, "%s frobnicate", s_marsad), 2);
    assert_non_null(strstr(out, "unknown command"));
    free(out);
}

static void test_feed_prints_items(void **state)
{
    (void) state;
    char *out;
    assert_int_equal(s_runf(&out, "%s feed %s/deploy/demo/feed.xml", s_marsad, s_src), 0);
    assert_non_null(strstr(out, "\"format\""));
    assert_non_null(strstr(out, "demo-bout-houthis-ar"));
    assert_non_null(strstr(out, "demo-maduro-en"));
    assert_non_null(strstr(out, "2026-11-20T06:15:00Z"));
    free(out);
    assert_int_equal(s_runf(&out, "echo 'not a feed' | %s feed -", s_marsad), 1);
    free(out);
}

static void test_extract_finds_entities(void **state)
{
    (void) state;
    char *out;
    assert_int_equal(s_runf(&out, "%s extract -c %s/deploy/marsad.conf "
                            "%s/deploy/demo/articles/bout-houthis-ar.html",
                            s_marsad, s_src, s_src), 0);
    assert_non_null(strstr(out, "\"lang\":\"ar\""));
    assert_non_null(strstr(out, "\"surface\":\"لباوت\""));
    assert_non_null(strstr(out, "\"entity\":\"houthis\""));
    /* boilerplate stays out: the related-news list names Putin */
    assert_null(strstr(out, "بوتين"));
    free(out);
    /* the page's byline and publication come out too */
    assert_int_equal(s_runf(&out, "%s extract -c %s/deploy/marsad.conf "
                            "%s/tests/data/html/ar_wire_boilerplate.html", s_marsad, s_src, s_src),
                     0);
    assert_non_null(strstr(out, "\"author\":\"قسم الأخبار الدولية\""));
    assert_non_null(strstr(out, "\"site_name\":\"وكالة المرصد\""));
    free(out);
}

static void test_watch_test_exit_codes(void **state)
{
    (void) state;
    char *out;
    assert_int_equal(s_runf(&out, "%s watch test -c %s/deploy/marsad.conf "
                            "'@bout AND (@houthis OR الحوثي)' "
                            "%s/deploy/demo/articles/bout-houthis-ar.html", s_marsad, s_src, s_src), 0);
    assert_non_null(strstr(out, "match"));
    assert_non_null(strstr(out, "لباوت"));
    free(out);
    /* بوت is not بوتين, روبوت or البوتان */
    assert_int_equal(s_runf(&out, "%s watch test -c %s/deploy/marsad.conf 'بوت OR @bout' "
                            "%s/deploy/demo/articles/putin-robot-ar.html", s_marsad, s_src, s_src), 1);
    assert_non_null(strstr(out, "no match"));
    free(out);
    assert_int_equal(s_runf(&out, "%s watch test -c %s/deploy/marsad.conf '(@bout OR' "
                            "%s/deploy/demo/articles/putin-robot-ar.html", s_marsad, s_src, s_src), 2);
    assert_non_null(strstr(out, "query:1:"));
    free(out);
}

static void test_config_error_names_file_and_line(void **state)
{
    (void) state;
    char dir[] = "/tmp/marsad-cli-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/bad.conf", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "[pipeline]\nlog_level = info\n\n[source x]\nurl = file:feed.xml\nintervall = 5\n");
    fclose(f);
    char *out;
    assert_int_equal(s_runf(&out, "%s/../store/marsad-store -c %s", getenv("MARSAD_CLI_DIR"), path), 2);
    assert_non_null(strstr(out, "bad.conf:6"));
    assert_non_null(strstr(out, "intervall"));
    free(out);
    assert_int_equal(s_runf(&out, "%s up -c %s", s_marsad, path), 2);
    assert_non_null(strstr(out, "bad.conf:6"));
    free(out);
    s_runf(NULL, "rm -rf %s", dir);
}

/* As root, the daemons and `marsad up` refuse to start unless told to;
 * --check still works (it starts nothing).  As another user this cannot be
 * shown, and the test says so. */
static void test_daemons_refuse_root(void **state)
{
    (void) state;
    if (geteuid() != 0) {
        print_message("not root: the refusal cannot be shown here\n");
        return;
    }
    char dir[] = "/tmp/marsad-cli-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/ok.conf", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "[pipeline]\ndata_dir = %s/data\n\n[store]\nmetrics =\n", dir);
    fclose(f);
    static const char *daemons[] = { "store/marsad-store", "alerter/marsad-alerter",
                                     "extractor/marsad-extractor", "fetcher/marsad-fetcher" };
    char *out;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(s_runf(&out, "env -u MARSAD_ALLOW_ROOT %s/../%s -c %s",
                                getenv("MARSAD_CLI_DIR"), daemons[i], path), 2);
        assert_non_null(strstr(out, "refusing to run as root"));
        free(out);
        assert_int_equal(s_runf(&out, "env -u MARSAD_ALLOW_ROOT %s/../%s -c %s --check",
                                getenv("MARSAD_CLI_DIR"), daemons[i], path), 0);
        free(out);
    }
    assert_int_equal(s_runf(&out, "env -u MARSAD_ALLOW_ROOT %s up -c %s", s_marsad, path), 2);
    assert_non_null(strstr(out, "refusing to run as root"));
    free(out);
    /* Nothing was started, so nothing was created. */
    char data[300];
    snprintf(data, sizeof data, "%s/data", dir);
    assert_int_not_equal(access(data, F_OK), 0);
    s_runf(NULL, "rm -rf %s", dir);
}

static pid_t s_spawn_to(const char *outfile, char *const argv[])
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *o = freopen(outfile, "w", stdout);
        FILE *e = freopen(outfile, "a", stderr);
        (void) o;
        (void) e;
        setpgid(0, 0);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static int s_count_lines_with(const char *file, const char *needle)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return 0;
    char line[65536];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, needle))
            n++;
    fclose(f);
    return n;
}

static void s_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void test_up_and_tail_on_the_demo(void **state)
{
    (void) state;
    char dir[] = "/tmp/marsad-up-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char conf[256], upout[256], tailout[256];
    snprintf(conf, sizeof conf, "%s/marsad.conf", dir);
    snprintf(upout, sizeof upout, "%s/up.out", dir);
    snprintf(tailout, sizeof tailout, "%s/tail.out", dir);
    int p[6];
    for (int i = 0; i < 6; i++)
        p[i] = free_port();
    FILE *f = fopen(conf, "w");
    /* the shipped demo feed and watches, on ports of our own */
    fprintf(f,
            "[pipeline]\ndata_dir = data\ninclude = %s/deploy/watches.d/*.conf\n"
            "[fetcher]\nbind = tcp://127.0.0.1:%d\nack = tcp://127.0.0.1:%d\n"
            "[extractor]\nraw = tcp://127.0.0.1:%d\narticle = tcp://127.0.0.1:%d\n"
            "[store]\nbind = tcp://127.0.0.1:%d\npublish = tcp://127.0.0.1:%d\napi = tcp://127.0.0.1:%d\n"
            "[alerter]\nstored = tcp://127.0.0.1:%d\nstore_api = tcp://127.0.0.1:%d\n"
            "publish = tcp://127.0.0.1:%d\nreplay = tcp://127.0.0.1:%d\n"
            "[source demo]\nurl = file://%s/deploy/demo/feed.xml\ninterval = 60\nlang = ar\n"
            "[entity bout]\ntype = person\nnames = Viktor Bout|Bout|بوت|باوت\nepithets = merchant of death|تاجر الموت\n"
            "[entity houthis]\ntype = org\nnames = Houthis|Houthi|الحوثي|جماعة الحوثي\n"
            "[entity wagner]\ntype = org\nnames = Wagner|فاغنر\n"
            "[entity haftar]\ntype = person\nnames = Haftar|حفتر\n"
            "[entity maduro]\ntype = person\nnames = Nicolás Maduro|Maduro|مادورو\n",
            s_src, p[0], p[2], p[0], p[1], p[1], p[2], p[3], p[2], p[3], p[4], p[5], s_src);
    fclose(f);

    char *up_argv[] = { s_marsad, "up", "-c", conf, NULL };
    pid_t up = s_spawn_to(upout, up_argv);
    s_sleep_ms(500);
    char *tail_argv[] = { s_marsad, "tail", "-c", conf, "--since", "0", "--json", NULL };
    pid_t tail = s_spawn_to(tailout, tail_argv);

    /* the four demo alerts: 2 x bout-houthi-arms, wagner-libya, maduro-arms */
    int64_t waited = 0;
    while (waited < 30000 && s_count_lines_with(tailout, "\"schema\":\"marsad.alert/1\"") < 4) {
        s_sleep_ms(200);
        waited += 200;
    }
    fprintf(stderr, "up+tail: 4 demo alerts after %lld ms\n", (long long) waited);
    assert_int_equal(s_count_lines_with(tailout, "\"schema\":\"marsad.alert/1\""), 4);
    assert_int_equal(s_count_lines_with(tailout, "\"watch\":\"bout-houthi-arms\""), 2);
    assert_int_equal(s_count_lines_with(tailout, "\"watch\":\"wagner-libya\""), 1);
    assert_int_equal(s_count_lines_with(tailout, "\"watch\":\"maduro-arms\""), 1);
    assert_int_equal(s_count_lines_with(tailout, "putin-robot-ar.html"), 0);

    /* SIGKILL the store: `up` restarts it. */
    char *out;
    assert_int_equal(s_runf(&out, "pkill -KILL -f 'marsad-stor[e] -c %s'", conf), 0);
    free(out);
    waited = 0;
    while (waited < 10000 && s_count_lines_with(upout, "restarted marsad-store") < 1) {
        s_sleep_ms(200);
        waited += 200;
    }
    assert_int_equal(s_count_lines_with(upout, "restarted marsad-store"), 1);

    /* A clean stop stops everything. */
    kill(tail, SIGTERM);
    waitpid(tail, NULL, 0);
    kill(up, SIGTERM);
    int status;
    waitpid(up, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_not_equal(s_runf(NULL, "pgrep -f 'marsad-[a-z]* -c %s'", conf), 0);
    s_runf(NULL, "tail -n 30 %s >&2; rm -rf %s", upout, dir);
}

int main(void)
{
    const char *dir = getenv("MARSAD_CLI_DIR");
    const char *src = getenv("MARSAD_SOURCE_ROOT");
    if (!dir || !src) {
        fprintf(stderr, "MARSAD_CLI_DIR and MARSAD_SOURCE_ROOT must be set (meson does)\n");
        return 1;
    }
    snprintf(s_marsad, sizeof s_marsad, "%s/marsad", dir);
    snprintf(s_src, sizeof s_src, "%s", src);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_everywhere),
        cmocka_unit_test(test_feed_prints_items),
        cmocka_unit_test(test_extract_finds_entities),
        cmocka_unit_test(test_watch_test_exit_codes),
        cmocka_unit_test(test_config_error_names_file_and_line),
        cmocka_unit_test(test_daemons_refuse_root),
        cmocka_unit_test(test_up_and_tail_on_the_demo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
