/*
 * test_alert_index.c — the term → watches index (alerter/watch_index.h):
 * which watches are "always" candidates, that only the watches whose terms
 * occur are candidates among many, and that no watch that matches is ever
 * left out (checked against query_eval on real Arabic and English text),
 * and that query_eval from the index's kept scan answers as from its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "query.h"
#include "text.h"
#include "watch_index.h"
#include "watch_set.h"

typedef struct {
    query_t **q;
    size_t n;
    watch_index_t *ix;
} set_t;

static void s_set(set_t *s, const char *const *srcs, size_t n)
{
    s->q = calloc(n, sizeof *s->q);
    assert_non_null(s->q);
    s->n = n;
    for (size_t i = 0; i < n; i++) {
        query_error_t err;
        s->q[i] = query_parse(srcs[i], &err);
        if (!s->q[i])
            fail_msg("'%s': %d:%d: %s", srcs[i], err.line, err.col, err.message);
    }
    s->ix = watch_index_new((const query_t *const *) s->q, n);
    assert_non_null(s->ix);
}

static void s_set_free(set_t *s)
{
    watch_index_destroy(&s->ix);
    assert_null(s->ix);
    for (size_t i = 0; i < s->n; i++)
        query_destroy(&s->q[i]);
    free(s->q);
}

static void test_always(void **state)
{
    (void) state;
    const char *srcs[] = {
        "x",                    /* 0: indexed */
        "NOT x",                /* 1: always */
        "source:reuters",       /* 2: always */
        "x AND source:reuters", /* 3: indexed */
        "lang:ar OR x",         /* 4: always */
        "NOT NOT x",            /* 5: indexed */
        "x OR NOT y",           /* 6: always */
        "@bout NEAR/3 y",       /* 7: indexed */
        "type:weapon",          /* 8: indexed */
        "NOT (x AND NOT lang:en)", /* 9: always (x absent) */
    };
    set_t s;
    s_set(&s, srcs, 10);
    assert_int_equal(watch_index_n_always(s.ix), 5);

    text_doc_t *text = text_doc_new("nothing here", 12);
    query_input_t in = { .text = text };
    size_t out[10];
    size_t n = watch_index_candidates(s.ix, &in, out);
    assert_int_equal(n, 5);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 2);
    assert_int_equal(out[2], 4);
    assert_int_equal(out[3], 6);
    assert_int_equal(out[4], 9);
    text_doc_destroy(&text);

    /* A mention of a weapon makes watch 8 a candidate; @bout watch 7. */
    text = text_doc_new("Bout sold rifles", 16);
    query_mention_t m[] = { { "bout", 0, 4, "person" }, { "ak-47", 10, 16, "weapon" } };
    in = (query_input_t) { .text = text, .mentions = m, .n_mentions = 2 };
    n = watch_index_candidates(s.ix, &in, out);
    assert_int_equal(n, 7);
    assert_int_equal(out[3], 6);
    assert_int_equal(out[4], 7);
    assert_int_equal(out[5], 8);
    assert_int_equal(out[6], 9);
    text_doc_destroy(&text);
    s_set_free(&s);
}

/* 2,000 watches on made-up words: an article naming three of them has
 * those three as candidates, whatever the clitics. */
static void test_selective(void **state)
{
    (void) state;
    enum { N = 2000 };
    char **srcs = calloc(N, sizeof *srcs);
    assert_non_null(srcs);
    for (int i = 0; i < N; i++) {
        srcs[i] = malloc(64);
        assert_non_null(srcs[i]);
        if (i % 2)
            snprintf(srcs[i], 64, "zork%d AND (blip%d OR \"quux%d frob\")", i, i, i);
        else
            snprintf(srcs[i], 64, "zork%d NEAR/5 blip%d", i, i);
    }
    set_t s;
    s_set(&s, (const char *const *) srcs, N);
    assert_int_equal(watch_index_n_always(s.ix), 0);
    const char *t = "Reports of zork17 and quux1233 frob, and blip900 today.";
    text_doc_t *text = text_doc_new(t, strlen(t));
    text_doc_t *title = text_doc_new("zork33", 6);
    query_input_t in = { .title = title, .text = text };
    size_t *out = calloc(N, sizeof *out);
    size_t n = watch_index_candidates(s.ix, &in, out);
    assert_int_equal(n, 4);
    assert_int_equal(out[0], 17);
    assert_int_equal(out[1], 33);
    assert_int_equal(out[2], 900);
    assert_int_equal(out[3], 1233);
    /* Nothing of theirs: no candidate at all. */
    text_doc_t *none = text_doc_new("Weather today.", 14);
    in = (query_input_t) { .text = none };
    assert_int_equal(watch_index_candidates(s.ix, &in, out), 0);
    text_doc_destroy(&none);
    free(out);
    text_doc_destroy(&text);
    text_doc_destroy(&title);
    s_set_free(&s);
    for (int i = 0; i < N; i++)
        free(srcs[i]);
    free(srcs);
}

static char *s_read_fixture(const char *name)
{
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/query/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = calloc(1, 1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* No matching watch is ever missing from the candidates. */
static void test_sound(void **state)
{
    (void) state;
    const char *srcs[] = {
        "بوت", "الحوثي", "حوث*", "«فيكتور بوت» الحوثي", "بوت AND NOT بوتين", "NOT بوت",
        "\"merchant of death\" AND NOT Putin", "Bout AND (Houthis OR الحوثي)",
        "Bout OR (بوت AND الحوثي)", "title:(صفقة OR deal) OR text:Houth*",
        "@bout NEAR/3 (arms OR أسلحة)", "type:weapon SENTENCE صفقة", "lang:ar", "NOT lang:en",
        "source:wire bout", "بوتين OR روبوت", "Putin", "NOT (Bout OR بوت)", "merchant ONEAR/3 death",
    };
    const size_t nq = sizeof srcs / sizeof srcs[0];
    const char *fixtures[] = { "ar_bout_houthis.txt", "ar_houthis_plural.txt", "ar_putin_only.txt",
                               "ar_robot.txt", "en_bout_merchant.txt", "en_putin_merchant.txt" };
    set_t s;
    s_set(&s, srcs, nq);
    size_t out[64];
    int matched = 0, skipped = 0;
    for (size_t f = 0; f < sizeof fixtures / sizeof fixtures[0]; f++) {
        char *t = s_read_fixture(fixtures[f]);
        text_doc_t *text = text_doc_new(t, strlen(t));
        text_doc_t *title = text_doc_new("صفقة", strlen("صفقة"));
        const char *bout = strstr(t, "Bout");
        query_mention_t m[] = { { "bout", bout ? (size_t) (bout - t) : 0,
                                  bout ? (size_t) (bout - t) + 4 : 0, "person" } };
        query_input_t in = { title, text, m, bout ? 1 : 0, "wire", f < 4 ? "ar" : "en", NULL };
        size_t n = watch_index_candidates(s.ix, &in, out);
        watch_scan_t scan = { 0 };
        assert_int_equal(watch_index_scan(s.ix, &in, out, &scan), n);
        for (size_t w = 0; w < nq; w++) {
            bool cand = false;
            for (size_t i = 0; i < n; i++)
                cand = cand || out[i] == w;
            query_hit_t *h1 = NULL, *h2 = NULL;
            size_t n1 = 0, n2 = 0;
            bool match = query_eval(s.q[w], &in, &h1, &n1);
            if (match && !cand)
                fail_msg("'%s' matches %s but is not a candidate", srcs[w], fixtures[f]);
            matched += match;
            skipped += !cand;
            /* Evaluated from the index's scan: the same answer, the same hits. */
            query_input_t pre = in;
            watch_scan_for(&scan, w);
            pre.prescan = &scan.prescan;
            assert_int_equal(query_eval(s.q[w], &pre, &h2, &n2), match);
            assert_int_equal(n2, n1);
            for (size_t i = 0; i < n1; i++) {
                assert_int_equal(h2[i].start, h1[i].start);
                assert_int_equal(h2[i].end, h1[i].end);
                assert_int_equal(h2[i].in_title, h1[i].in_title);
                assert_string_equal(h2[i].term, h1[i].term);
            }
            free(h1);
            free(h2);
        }
        watch_scan_clear(&scan);
        text_doc_destroy(&text);
        text_doc_destroy(&title);
        free(t);
    }
    /* The check means something: many matches, and many watches skipped. */
    assert_true(matched >= 30);
    assert_true(skipped >= 30);
    s_set_free(&s);
}

/* A prescan that claims every word occurs once, at the first token of
 * the text; or knows no query. */
static size_t s_claim_all(const query_prescan_t *p, const query_t *q, size_t term, bool in_title,
                          const text_hit_t **hits)
{
    static const text_hit_t one = { .id = 0, .first = 0, .last = 0, .start = 0, .end = 4 };
    (void) p, (void) q, (void) term;
    *hits = &one;
    return in_title ? 0 : 1;
}

static size_t s_knows_none(const query_prescan_t *p, const query_t *q, size_t term, bool in_title,
                           const text_hit_t **hits)
{
    (void) p, (void) q, (void) term, (void) in_title;
    *hits = NULL;
    return (size_t) -1;
}

/* query_eval takes a prescan's word (a scan would not find it), and scans
 * for itself when the prescan does not know the query. */
static void test_prescan_used(void **state)
{
    (void) state;
    query_error_t err;
    query_t *q = query_parse("Houthis NEAR/2 arms", &err);
    assert_non_null(q);
    text_doc_t *text = text_doc_new("Bout spoke.", 11);
    query_prescan_t claim = { s_claim_all }, none = { s_knows_none };
    query_input_t in = { .text = text };
    assert_false(query_eval(q, &in, NULL, NULL));
    in.prescan = &claim;
    query_hit_t *h = NULL;
    size_t n = 0;
    assert_true(query_eval(q, &in, &h, &n));
    assert_int_equal(n, 2);
    assert_int_equal(h[0].start, 0);
    assert_int_equal(h[0].end, 4);
    free(h);
    in.prescan = &none;
    assert_false(query_eval(q, &in, NULL, NULL));
    text_doc_destroy(&text);
    text = text_doc_new("The Houthis got arms.", 21);
    in.text = text;
    assert_true(query_eval(q, &in, NULL, NULL));
    text_doc_destroy(&text);
    query_destroy(&q);
}

/* The watch set reads rate limits and sinks from the config, and finds
 * candidates through its index. */
static void test_watch_set(void **state)
{
    (void) state;
    cfg_watch_t cw[4] = {
        { .name = (char *) "a", .query = (char *) "Bout", .file = (char *) "/x.conf",
          .line = 1, .rate_limit = (char *) "20/hour", .sink_file = (char *) "/tmp/a.jsonl" },
        { .name = (char *) "b", .query = (char *) "Putin", .file = (char *) "/x.conf",
          .line = 5, .rate_limit = (char *) " 5 / minute" },
        { .name = (char *) "c", .query = (char *) "Houthis", .file = (char *) "/x.conf",
          .line = 9, .rate_limit = (char *) "often" },
        { .name = (char *) "d", .query = (char *) "(broken", .file = (char *) "/x.conf",
          .line = 13 },
    };
    marsad_config_t cfg = { .path = (char *) "/x.conf", .watches = cw, .n_watches = 4 };
    size_t errors = 0;
    watch_set_t *ws = watch_set_new(&cfg, NULL, &errors);
    assert_non_null(ws);
    assert_int_equal(errors, 1);
    assert_int_equal(watch_set_size(ws), 3);
    const watch_t *a = watch_set_find(ws, "a"), *b = watch_set_find(ws, "b");
    assert_int_equal(a->rate_n, 20);
    assert_int_equal(a->rate_period, 3600);
    assert_string_equal(a->sink_file, "/tmp/a.jsonl");
    assert_null(a->sink_webhook);
    assert_int_equal(b->rate_n, 5);
    assert_int_equal(b->rate_period, 60);
    assert_int_equal(watch_set_find(ws, "c")->rate_n, 0);   /* bad: no limit, logged */
    assert_null(watch_set_find(ws, "d"));

    text_doc_t *text = text_doc_new("Putin spoke.", 12);
    query_input_t in = { .text = text };
    size_t out[3];
    assert_int_equal(watch_set_candidates(ws, &in, out), 1);
    assert_ptr_equal(watch_set_get(ws, out[0]), b);
    /* The set's queries are evaluated from its scan: their own matchers
     * are gone, so without the scan they cannot match. */
    watch_scan_t scan = { 0 };
    assert_int_equal(watch_set_scan(ws, &in, out, &scan), 1);
    watch_scan_for(&scan, out[0]);
    in.prescan = &scan.prescan;
    assert_true(query_eval(b->query, &in, NULL, NULL));
    in.prescan = NULL;
    assert_false(query_eval(b->query, &in, NULL, NULL));
    watch_scan_clear(&scan);
    text_doc_destroy(&text);
    watch_set_destroy(&ws);
}

/* Out of memory in the set's scan is said (size_t -1), not papered over:
 * the set's queries match only from the scan, so the alerter must handle
 * the article again later rather than judge it without one.  A child
 * process scans a long text under an address-space limit a few MB above
 * what it uses, then again with the limit lifted.  (Not under ASan, whose
 * allocator aborts instead of failing.) */
static void test_watch_set_scan_out_of_memory(void **state)
{
    (void) state;
#ifdef __SANITIZE_ADDRESS__
    skip();
#endif
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        cfg_watch_t cw[] = {
            { .name = (char *) "p", .query = (char *) "Putin", .file = (char *) "/x.conf",
              .line = 1 },
        };
        marsad_config_t cfg = { .path = (char *) "/x.conf", .watches = cw, .n_watches = 1 };
        size_t errors = 0;
        watch_set_t *ws = watch_set_new(&cfg, NULL, &errors);
        size_t len = 6 * 400000;
        char *big = malloc(len + 1);
        if (!ws || !big)
            _exit(10);
        for (size_t i = 0; i < len; i += 6)
            memcpy(big + i, "Putin ", 6);
        big[len] = '\0';
        text_doc_t *text = text_doc_new(big, len);
        if (!text)
            _exit(11);
        query_input_t in = { .text = text };
        size_t out[1];
        watch_scan_t scan = { 0 };
        long pages = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (!f || fscanf(f, "%ld", &pages) != 1)
            _exit(12);
        fclose(f);
        struct rlimit old, lim;
        getrlimit(RLIMIT_AS, &old);
        lim = old;
        lim.rlim_cur = (rlim_t) pages * (rlim_t) sysconf(_SC_PAGESIZE) + (4u << 20);
        if (setrlimit(RLIMIT_AS, &lim) != 0)
            _exit(13);
        size_t n = watch_set_scan(ws, &in, out, &scan);
        setrlimit(RLIMIT_AS, &old);
        if (n != (size_t) -1)
            _exit(1);                   /* the failure was hidden */
        n = watch_set_scan(ws, &in, out, &scan);
        if (n != 1)
            _exit(2);                   /* and with memory, the watch is found */
        watch_scan_clear(&scan);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* Rate limits as people write them, and as a digest's title shows them. */
static void test_rate_limits(void **state)
{
    (void) state;
    static const struct { const char *text; int n, period; const char *shown; } cases[] = {
        { "20/hour", 20, 3600, "20/hour" },
        { " 5 / minute", 5, 60, "5/minute" },
        { "5/30min", 5, 1800, "5/30 minutes" },
        { "2/15 seconds", 2, 15, "2/15 seconds" },
        { "3/2h", 3, 7200, "3/2 hours" },
        { "1/d", 1, 86400, "1/day" },
        { "10/90s", 10, 90, "10/90 seconds" },
        { "often", 0, 0, NULL },
        { "0/hour", 0, 0, NULL },
        { "5/0min", 0, 0, NULL },
        { "5/fortnight", 0, 0, NULL },
        { "5/hour later", 0, 0, NULL },
        { "5/400d", 0, 0, NULL },
    };
    const size_t n = sizeof cases / sizeof cases[0];
    cfg_watch_t cw[16];
    memset(cw, 0, sizeof cw);
    char names[16][8];
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "w%zu", i);
        cw[i] = (cfg_watch_t) { .name = names[i], .query = (char *) "Bout",
                                .file = (char *) "/x.conf", .line = (int) i + 1,
                                .rate_limit = (char *) cases[i].text };
    }
    marsad_config_t cfg = { .path = (char *) "/x.conf", .watches = cw, .n_watches = n };
    size_t errors = 0;
    watch_set_t *ws = watch_set_new(&cfg, NULL, &errors);
    assert_non_null(ws);
    for (size_t i = 0; i < n; i++) {
        const watch_t *w = watch_set_find(ws, names[i]);
        assert_non_null(w);
        assert_int_equal(w->rate_n, cases[i].n);
        if (!cases[i].shown)
            continue;
        assert_int_equal(w->rate_period, cases[i].period);
        char shown[48];
        watch_rate_text(w, shown, sizeof shown);
        assert_string_equal(shown, cases[i].shown);
    }
    watch_set_destroy(&ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_always),
        cmocka_unit_test(test_selective),
        cmocka_unit_test(test_sound),
        cmocka_unit_test(test_prescan_used),
        cmocka_unit_test(test_watch_set),
        cmocka_unit_test(test_watch_set_scan_out_of_memory),
        cmocka_unit_test(test_rate_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
