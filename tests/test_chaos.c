/*
 * test_chaos.c — nothing is lost and nothing doubles while stages die
 * (DESIGN §2, issue 8).  The four real daemons run on loopback; a feed on a
 * loopback HTTP server grows by generated articles at a steady rate; every
 * few hundred milliseconds a random stage gets SIGKILL and is restarted a
 * moment later (every stage several times); a subscriber (`marsad tail
 * --json`) is killed too and resumes with `--since` the last seq it printed.
 * At the end:
 *   - every generated article is in the store, once (no loss, no copy);
 *   - the alerter has handled every stored article, and every story of a
 *     matching article has its alert;
 *   - the alerts are numbered 1..A without a hole, and the subscriber,
 *     across its restarts, printed each of them exactly once.
 * The counts are printed.
 *
 *   test_chaos                      the short form (meson test): 1,200 articles,
 *                                   120/s, each stage killed 3 times
 *   test_chaos ARTICLES RATE KILLS  e.g. 20000 200 5: tests/chaos.sh runs it
 *   test_chaos load SECONDS RATE    the load test (tests/load.sh): no kills; the
 *                                   feeds (20 sources) grow at RATE, faster than
 *                                   the pipeline can go, for SECONDS; then each
 *                                   process's peak RSS, the error lines in the
 *                                   logs, and whether every article picked up is
 *                                   stored or still waiting in the fetcher's
 *                                   outbox (pushed back, not dropped)
 *
 * RATE is articles per second added to the feed; KILLS is how many times
 * each stage is killed.  The feed keeps the newest WINDOW items, enough to
 * cover a stage's downtime many times over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daemon_spawn.h"
#include "free_port.h"
#include "loopback_http.h"
#include "proc_stat.h"

#define WINDOW 6000        /* newest items a feed shows (chaos: one feed) */
#define LOAD_SOURCES 20
#define LOAD_WINDOW 600
#define MARK_EVERY 5       /* every 5th article matches the watch */

static const char *s_names[4] = { "store", "alerter", "extractor", "fetcher" };

static struct {
    int articles, rate, kills;
    int load_s;            /* > 0: the load test, for this many seconds */
    int sources, window;
} s_opt = { 1200, 120, 3, 0, 1, WINDOW };

typedef struct {
    char tmp[256], conf[512], feed_dir[512];
    int ports[6];
    pid_t pids[4];
    int killed[4];
    pid_t tail;
    int tail_runs;
    loopback_http_t *http;
} world_t;

static int64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void s_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static const char *s_root(const char *var)
{
    const char *r = getenv(var);
    return r ? r : ".";
}

static void s_spawn(world_t *w, int i)
{
    char log[600];
    snprintf(log, sizeof log, "%s/%s.log", w->tmp, s_names[i]);
    pid_t pid = daemon_spawn(s_names[i], w->conf, log, false);
    assert_true(pid >= 0);
    w->pids[i] = pid;
}

static void s_kill(pid_t *pid, int sig)
{
    if (*pid <= 0)
        return;
    kill(*pid, sig);
    waitpid(*pid, NULL, 0);
    *pid = 0;
}

/* The seqs the subscriber printed, across its runs, in order: whole lines
 * only (a killed tail may have cut its last one).  *OUT is malloc'd. */
static size_t s_tail_seqs(world_t *w, long long **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (int r = 0; r < w->tail_runs; r++) {
        char path[600], line[65536];
        snprintf(path, sizeof path, "%s/tail-%d.jsonl", w->tmp, r);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        while (fgets(line, sizeof line, f)) {
            const char *p = strstr(line, "\"seq\":");
            if (!p || !strchr(line, '\n'))
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 1024;
                *out = realloc(*out, cap * sizeof **out);
                assert_non_null(*out);
            }
            (*out)[n++] = atoll(p + 6);
        }
        fclose(f);
    }
    return n;
}

/* The highest seq the subscriber printed so far (0: none). */
static long long s_tail_last(world_t *w)
{
    long long *seqs, last = 0;
    size_t n = s_tail_seqs(w, &seqs);
    for (size_t i = 0; i < n; i++)
        if (seqs[i] > last)
            last = seqs[i];
    free(seqs);
    return last;
}

/* Start the subscriber, resuming after what it printed before. */
static void s_tail_start(world_t *w)
{
    char since[32], out[600], bin[1024];
    snprintf(since, sizeof since, "%lld", s_tail_last(w));
    snprintf(out, sizeof out, "%s/tail-%d.jsonl", w->tmp, w->tail_runs++);
    snprintf(bin, sizeof bin, "%s/cli/marsad", s_root("MARSAD_BUILD_ROOT"));
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *f = freopen(out, "w", stdout);
        (void) f;
        execl(bin, bin, "tail", "-c", w->conf, "--since", since, "--json", (char *) NULL);
        _exit(127);
    }
    w->tail = pid;
}

/* Article K's feed item: a unique text, every MARK_EVERY-th naming Bout
 * and a rifle (what the watch looks for).  The words are drawn so that no
 * two articles are near-duplicates. */
static void s_item(FILE *f, int k)
{
    static const char *words[] = {
        "harbour", "convoy", "minister", "border", "cargo", "tanker", "council", "drone",
        "embassy", "treaty", "sanctions", "pipeline", "militia", "airport", "customs", "envoy",
        "garrison", "shipment", "tribunal", "refinery", "coastguard", "parliament", "province",
        "railway", "smuggling", "ceasefire", "frigate", "warehouse", "auditor", "broker",
    };
    fprintf(f, "<item><title>Dispatch %d</title><link>http://127.0.0.1/a/%d</link>"
            "<guid isPermaLink=\"false\">chaos-%d</guid><description>&lt;p&gt;", k, k, k);
    uint32_t x = (uint32_t) k * 2654435761u + 12345u;
    for (int i = 0; i < 60; i++) {
        x = x * 1103515245u + 12345u;
        fprintf(f, "%s%s w%dx%d ", words[(x >> 16) % 30], i % 9 == 8 ? "." : "", k, i);
    }
    if (k % MARK_EVERY == 0)
        fprintf(f, "Officials said Viktor Bout offered a rifle shipment.");
    fprintf(f, "&lt;/p&gt;</description></item>\n");
}

/* The feed of source SRC: its newest s_opt.window articles of [0, n)
 * (article k belongs to source k mod s_opt.sources), replaced atomically. */
static void s_write_feed_of(world_t *w, int src, int n)
{
    char tmp[600], path[600];
    snprintf(tmp, sizeof tmp, "%s/feed-%d.xml.tmp", w->feed_dir, src);
    snprintf(path, sizeof path, "%s/feed-%d.xml", w->feed_dir, src);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
            "<title>chaos wire %d</title><link>http://127.0.0.1/</link>\n", src);
    int shown = 0;
    for (int k = n - 1; k >= 0 && shown < s_opt.window; k--)
        if (k % s_opt.sources == src) {
            s_item(f, k);
            shown++;
        }
    fprintf(f, "</channel></rss>\n");
    assert_int_equal(fclose(f), 0);
    assert_int_equal(rename(tmp, path), 0);
}

static void s_write_feed(world_t *w, int n)
{
    for (int src = 0; src < s_opt.sources; src++)
        s_write_feed_of(w, src, n);
}

static void s_write_config(world_t *w)
{
    FILE *f = fopen(w->conf, "w");
    assert_non_null(f);
    int *p = w->ports;
    fprintf(f,
            "[pipeline]\ndata_dir = data\nlog_level = info\n\n"
            "[fetcher]\nbind = tcp://127.0.0.1:%d\nack = tcp://127.0.0.1:%d\nresend_after = 2\n"
            "fetch_pages = false\nhost_delay = 0\nper_host = 4\nmetrics =\n\n"
            "[extractor]\nraw = tcp://127.0.0.1:%d\narticle = tcp://127.0.0.1:%d\nmetrics =\n\n"
            "[store]\nbind = tcp://127.0.0.1:%d\npublish = tcp://127.0.0.1:%d\n"
            "api = tcp://127.0.0.1:%d\nmetrics =\n\n"
            "[alerter]\nstored = tcp://127.0.0.1:%d\nstore_api = tcp://127.0.0.1:%d\n"
            "publish = tcp://127.0.0.1:%d\nreplay = tcp://127.0.0.1:%d\nmetrics =\n\n"
            "[watch chaos-bout]\nquery = \"Viktor Bout\" AND rifle\n\n",
            p[0], p[2], p[0], p[1], p[1], p[2], p[3], p[2], p[3], p[4], p[5]);
    for (int src = 0; src < s_opt.sources; src++)
        fprintf(f, "[source chaos-%d]\nurl = http://127.0.0.1:%d/feed-%d.xml\ninterval = 1\n"
                "lang = en\n\n", src, loopback_http_port(w->http), src);
    fclose(f);
}

/* One integer from an SQLite file (read-only, beside the writer). */
static long long s_sql_int(const char *db_path, const char *sql)
{
    sqlite3 *db = NULL;
    long long v = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

/* A temporary directory, empty feeds on a loopback HTTP server, the config,
 * and the four daemons started. */
static void s_world_start(world_t *w)
{
    memset(w, 0, sizeof *w);
    snprintf(w->tmp, sizeof w->tmp, "/tmp/marsad-chaos-XXXXXX");
    assert_non_null(mkdtemp(w->tmp));
    snprintf(w->conf, sizeof w->conf, "%s/marsad.conf", w->tmp);
    snprintf(w->feed_dir, sizeof w->feed_dir, "%s/www", w->tmp);
    assert_int_equal(mkdir(w->feed_dir, 0755), 0);
    for (int i = 0; i < 6; i++)
        w->ports[i] = free_port();
    s_write_feed(w, 0);
    w->http = loopback_http_new(w->feed_dir);
    assert_non_null(w->http);
    s_write_config(w);
    for (int i = 0; i < 4; i++)
        s_spawn(w, i);
}

static void s_world_end(world_t *w)
{
    loopback_http_destroy(&w->http);
    if (!getenv("MARSAD_KEEP_TMP")) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf %s", w->tmp);
        (void) system(cmd);
    }
}

/* Lines with level=error in the daemons' logs. */
static int s_error_lines(world_t *w)
{
    int n = 0;
    for (int i = 0; i < 4; i++) {
        char path[600], line[4096];
        snprintf(path, sizeof path, "%s/%s.log", w->tmp, s_names[i]);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        while (fgets(line, sizeof line, f))
            if (strstr(line, "level=error")) {
                if (n < 5)
                    fprintf(stderr, "%s: %s", s_names[i], line);
                n++;
            }
        fclose(f);
    }
    return n;
}

/* The load test: the feeds grow at s_opt.rate for s_opt.load_s seconds. */
static void test_load(void **state)
{
    (void) state;
    world_t w;
    s_world_start(&w);
    char store_db[600], fetch_db[600];
    snprintf(store_db, sizeof store_db, "%s/data/marsad.db", w.tmp);
    snprintf(fetch_db, sizeof fetch_db, "%s/data/fetcher.db", w.tmp);
    int64_t t0 = s_now_ms(), end = t0 + (int64_t) s_opt.load_s * 1000, next_feed = 0;
    int published = 0;
    long long stored_at_1 = -1;
    int64_t t_1 = 0;
    for (int64_t now = t0; now < end; now = s_now_ms()) {
        int due = (int) ((now - t0) * s_opt.rate / 1000);
        if (due > published && now >= next_feed) {   /* once a second: the feeds are big */
            published = due;
            s_write_feed(&w, published);
            next_feed = now + 1000;
        }
        if (stored_at_1 < 0 && now - t0 >= 10000) {  /* the rate after a warm-up */
            stored_at_1 = s_sql_int(store_db, "SELECT count(*) FROM articles");
            t_1 = now;
        }
        for (int i = 0; i < 4; i++)
            assert_true(w.pids[i] > 0 && waitpid(w.pids[i], NULL, WNOHANG) == 0);   /* alive */
        s_sleep_ms(50);
    }
    long long stored_at_2 = s_sql_int(store_db, "SELECT count(*) FROM articles");
    int64_t t_2 = s_now_ms();
    /* Stop the fetcher (cleanly): what it picked up and what still waits in
     * its outbox no longer change.  Then let the rest of the pipeline store
     * what it was sent. */
    long rss[4];
    double cpu[4];
    rss[3] = proc_status_kb(w.pids[3], "VmHWM:");
    cpu[3] = proc_cpu_seconds(w.pids[3]);
    s_kill(&w.pids[3], SIGTERM);
    long long seen = s_sql_int(fetch_db, "SELECT count(*) FROM seen");
    long long pending = s_sql_int(fetch_db, "SELECT count(*) FROM pending");
    long long stored = -1;
    for (int64_t until = s_now_ms() + 60000, steady = 0; s_now_ms() < until; s_sleep_ms(500)) {
        long long now_stored = s_sql_int(store_db, "SELECT count(*) FROM articles");
        steady = now_stored == stored ? steady + 1 : 0;
        stored = now_stored;
        if (steady >= 6)
            break;
    }
    for (int i = 0; i < 3; i++) {
        rss[i] = proc_status_kb(w.pids[i], "VmHWM:");
        cpu[i] = proc_cpu_seconds(w.pids[i]);
    }
    for (int i = 2; i >= 0; i--)
        s_kill(&w.pids[i], SIGTERM);
    int errors = s_error_lines(&w);
    double rate = (double) (stored_at_2 - stored_at_1) * 1000.0 / (double) (t_2 - t_1);
    printf("load: %d s, feeds growing at %d/s over %d sources: %d articles offered, %lld picked "
           "up\n", s_opt.load_s, s_opt.rate, s_opt.sources, published, seen);
    printf("load: stored %lld (%.0f articles/s sustained after the first 10 s); %lld waiting in "
           "the fetcher's outbox; picked up and neither stored nor waiting: %lld\n",
           stored, rate, pending, seen - stored - pending > 0 ? seen - stored - pending : 0);
    for (int i = 0; i < 4; i++)
        printf("load: %-9s peak RSS %6.1f MiB, CPU %6.1f s\n", s_names[i], rss[i] / 1024.0,
               cpu[i]);
    printf("load: %d error lines in the logs\n", errors);
    /* Pushed back, never dropped: every article picked up is stored or still
     * in the outbox (an acknowledgement on its way may leave it in both). */
    assert_true(stored + pending >= seen);
    assert_true(stored <= seen);
    assert_true(seen > 0);
    assert_int_equal(errors, 0);
    for (int i = 0; i < 4; i++)
        assert_true(rss[i] > 0 && rss[i] < 256 * 1024);   /* bounded (a sanity cap) */
    s_world_end(&w);
}

static void test_chaos(void **state)
{
    (void) state;
    world_t w;
    s_world_start(&w);
    s_tail_start(&w);

    /* Kill schedule: each stage KILLS times, in a shuffled order, spread over
     * the time the feed grows; the subscriber now and then as well. */
    int n_kills = 4 * s_opt.kills;
    int *order = calloc((size_t) n_kills, sizeof *order);
    for (int i = 0; i < n_kills; i++)
        order[i] = i % 4;
    srand((unsigned) time(NULL));
    for (int i = n_kills - 1; i > 0; i--) {
        int j = rand() % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    int64_t t0 = s_now_ms();
    int64_t publish_ms = (int64_t) s_opt.articles * 1000 / s_opt.rate;
    int64_t kill_every = publish_ms / (n_kills + 1);
    int64_t next_kill = t0 + kill_every, restart_at[4] = { 0 };
    int next = 0, published = 0, tail_kills = 0;
    while (published < s_opt.articles || next < n_kills) {
        int64_t now = s_now_ms();
        int due = (int) ((now - t0) * s_opt.rate / 1000);
        if (due > s_opt.articles)
            due = s_opt.articles;
        if (due > published) {
            published = due;
            s_write_feed(&w, published);
        }
        /* A stage still down from its last kill is killed once it is back. */
        if (next < n_kills && now >= next_kill && w.pids[order[next]] > 0) {
            int i = order[next++];
            s_kill(&w.pids[i], SIGKILL);
            w.killed[i]++;
            restart_at[i] = now + 100 + rand() % 700;
            next_kill = now + kill_every;
            if (next % 3 == 0) {   /* the subscriber too, resuming after what it printed */
                s_kill(&w.tail, SIGKILL);
                tail_kills++;
                s_tail_start(&w);
            }
        }
        for (int i = 0; i < 4; i++)
            if (w.pids[i] == 0 && restart_at[i] && now >= restart_at[i]) {
                s_spawn(&w, i);
                restart_at[i] = 0;
            }
        s_sleep_ms(50);
    }
    for (int i = 0; i < 4; i++)   /* the last ones killed come back too */
        if (w.pids[i] == 0) {
            s_sleep_ms(100);
            s_spawn(&w, i);
        }
    free(order);

    /* Drain: every article stored, every stored article seen by the alerter. */
    char store_db[600], alert_db[600];
    snprintf(store_db, sizeof store_db, "%s/data/marsad.db", w.tmp);
    snprintf(alert_db, sizeof alert_db, "%s/data/alerter.db", w.tmp);
    int64_t drain_ms = 120000 + (int64_t) s_opt.articles * 20;
    long long stored = 0, max_seq = 0, handled = 0;
    for (int64_t end = s_now_ms() + drain_ms; s_now_ms() < end; s_sleep_ms(500)) {
        stored = s_sql_int(store_db, "SELECT count(*) FROM articles WHERE source LIKE 'chaos-%'");
        max_seq = s_sql_int(store_db, "SELECT coalesce(max(seq), 0) FROM articles");
        handled = s_sql_int(alert_db, "SELECT last_stored_seq FROM state");
        if (stored >= s_opt.articles && handled >= max_seq)
            break;
    }
    long long n_alerts = s_sql_int(alert_db, "SELECT count(*) FROM alerts");
    long long max_alert = s_sql_int(alert_db, "SELECT coalesce(max(seq), 0) FROM alerts");
    /* The subscriber catches up, then stops cleanly. */
    for (int64_t end = s_now_ms() + 20000; s_now_ms() < end && s_tail_last(&w) < max_alert;)
        s_sleep_ms(200);
    s_sleep_ms(500);
    kill(w.tail, SIGINT);
    waitpid(w.tail, NULL, 0);
    w.tail = 0;
    for (int i = 3; i >= 0; i--)
        s_kill(&w.pids[i], SIGTERM);

    /* What the subscriber printed, across its runs: each seq once. */
    char *seen = calloc((size_t) max_alert + 2, 1);
    long long printed = 0, twice = 0, out_of_range = 0;
    long long *seqs;
    size_t n_seqs = s_tail_seqs(&w, &seqs);
    for (size_t i = 0; i < n_seqs; i++) {
        long long q = seqs[i];
        if (q < 1 || q > max_alert) {
            out_of_range++;
            continue;
        }
        twice += seen[q];
        seen[q] = 1;
        printed++;
    }
    free(seqs);
    long long missing = 0;
    for (long long s = 1; s <= max_alert; s++)
        missing += !seen[s];
    free(seen);

    /* Every story holding a matching article has its alert. */
    char sql[1200];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS al", alert_db);
    sqlite3 *db = NULL;
    long long stories_missing = -1, matching = -1, copies = -1;
    assert_int_equal(sqlite3_open_v2(store_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    const char *q[3] = {
        "SELECT count(*) FROM articles WHERE text LIKE '%Viktor Bout offered a rifle%'",
        "SELECT count(DISTINCT story_id) FROM articles WHERE text LIKE '%Viktor Bout offered a "
        "rifle%' AND story_id NOT IN (SELECT story_id FROM al.alerted WHERE watch = 'chaos-bout')",
        "SELECT count(*) FROM (SELECT url FROM articles GROUP BY url HAVING count(*) > 1)",
    };
    long long *out[3] = { &matching, &stories_missing, &copies };
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, q[i], -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        *out[i] = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);

    printf("chaos: %d articles at %d/s; killed store %d, alerter %d, extractor %d, fetcher %d "
           "times, the subscriber %d times\n",
           s_opt.articles, s_opt.rate, w.killed[0], w.killed[1], w.killed[2], w.killed[3],
           tail_kills);
    printf("chaos: stored %lld of %d (%lld urls stored twice); alerter handled seq %lld of %lld; "
           "%lld matching articles, %lld of their stories without an alert\n",
           stored, s_opt.articles, copies, handled, max_seq, matching, stories_missing);
    printf("chaos: alerts 1..%lld (%lld rows); the subscriber printed %lld, %lld missing, %lld "
           "twice, %lld out of range; took %.1f s\n",
           max_alert, n_alerts, printed, missing, twice, out_of_range,
           (double) (s_now_ms() - t0) / 1000.0);

    for (int i = 0; i < 4; i++)
        assert_true(w.killed[i] >= s_opt.kills);
    assert_int_equal(stored, s_opt.articles);
    assert_int_equal(copies, 0);
    assert_int_equal(handled, max_seq);
    assert_int_equal(matching, s_opt.articles / MARK_EVERY + (s_opt.articles % MARK_EVERY != 0));
    assert_int_equal(stories_missing, 0);
    assert_true(n_alerts >= 1);
    assert_int_equal(n_alerts, max_alert);        /* 1..A, no hole */
    assert_int_equal(missing, 0);
    assert_int_equal(twice, 0);
    assert_int_equal(out_of_range, 0);

    s_world_end(&w);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc == 4 && strcmp(argv[1], "load") == 0) {
        s_opt.load_s = atoi(argv[2]);
        s_opt.rate = atoi(argv[3]);
        s_opt.sources = LOAD_SOURCES;
        s_opt.window = LOAD_WINDOW;
        if (s_opt.load_s < 15 || s_opt.rate < 1) {
            fprintf(stderr, "usage: test_chaos load SECONDS RATE (SECONDS >= 15)\n");
            return 2;
        }
        const struct CMUnitTest tests[] = { cmocka_unit_test(test_load) };
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    if (argc == 4) {
        s_opt.articles = atoi(argv[1]);
        s_opt.rate = atoi(argv[2]);
        s_opt.kills = atoi(argv[3]);
        if (s_opt.articles < 1 || s_opt.rate < 1 || s_opt.kills < 1) {
            fprintf(stderr, "usage: test_chaos [ARTICLES RATE KILLS | load SECONDS RATE]\n");
            return 2;
        }
    } else if (argc != 1) {
        fprintf(stderr, "usage: test_chaos [ARTICLES RATE KILLS | load SECONDS RATE]\n");
        return 2;
    }
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_chaos) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
