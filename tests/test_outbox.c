/*
 * test_outbox.c — the fetcher's durable outbox (fetcher/outbox.h) and the
 * SHA-256 that names documents (runtime/sha256.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "http_fetch.h"
#include "outbox.h"
#include "sha256.h"

/* ------------------------------------------------------------ sha256 */

static void test_sha256_vectors(void **state)
{
    (void) state;
    static const struct { const char *in; const char *hex; } v[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    };
    char out[65];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        sha256_hex(v[i].in, strlen(v[i].in), out);
        assert_string_equal(out, v[i].hex);
    }
    /* Padding boundaries: 55, 56, 63, 64, 65 bytes. */
    static const struct { size_t n; const char *hex; } b[] = {
        { 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
        { 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
        { 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
        { 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
        { 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
    };
    char a[65];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        sha256_hex(a, b[i].n, out);
        assert_string_equal(out, b[i].hex);
    }
}

static void test_sha256_million_a_incremental(void **state)
{
    (void) state;
    /* One million 'a' fed in uneven chunks: the FIPS 180-2 long vector. */
    char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    sha256_t c;
    sha256_init(&c);
    size_t left = 1000000;
    size_t step = 1;
    while (left > 0) {
        size_t n = step < left ? step : left;
        sha256_update(&c, chunk, n);
        left -= n;
        step = step % 997 + 1;
    }
    uint8_t d[32];
    sha256_final(&c, d);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_doc_id(void **state)
{
    (void) state;
    char id[65], id2[65];
    outbox_doc_id("aljazeera", "https://x/1", id);
    assert_string_equal(id, "700f0a5445455f093eea6e478b754d66569b6ee75acbb06bf1e49a9807673f7f");
    /* It is the hash of the bytes source "\n" item id, nothing else. */
    static const char joined[] = "aljazeera\nhttps://x/1";
    sha256_hex(joined, sizeof joined - 1, id2);
    assert_string_equal(id, id2);
    outbox_doc_id("bbc", "https://x/1", id2);
    assert_string_not_equal(id, id2);
}

/* ------------------------------------------------------------ outbox */

typedef struct {
    char dir[64];
    char path[128];
} fixture_t;

static int s_setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_outbox.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/fetcher.db", f->dir);
    *state = f;
    return 0;
}

static int s_teardown(void **state)
{
    fixture_t *f = *state;
    char p[160];
    const char *suffix[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static outbox_t *s_open(fixture_t *f)
{
    char *err = NULL;
    outbox_t *o = outbox_open(f->path, &err);
    if (!o)
        fail_msg("outbox_open: %s", err ? err : "?");
    return o;
}

static void test_put_survives_reopen(void **state)
{
    fixture_t *f = *state;
    outbox_t *o = s_open(f);
    char id[65];
    outbox_doc_id("demo", "item-1", id);
    assert_int_equal(outbox_seen(o, "demo", "item-1"), 0);
    static const char json[] = "{\"v\":1}";
    static const char body[] = "<html>\0binary ok</html>";
    assert_int_equal(outbox_put(o, "demo", "item-1", id, json, sizeof json - 1, body,
                                sizeof body - 1, 1000), 0);
    assert_int_equal(outbox_seen(o, "demo", "item-1"), 1);
    assert_int_equal(outbox_seen(o, "other", "item-1"), 0);
    assert_int_equal(outbox_pending(o), 1);
    /* Putting the same item again changes nothing. */
    assert_int_equal(outbox_put(o, "demo", "item-1", id, "x", 1, "y", 1, 2000), 1);
    outbox_destroy(&o);
    assert_null(o);
    outbox_destroy(&o);

    o = s_open(f);            /* "restart" */
    assert_int_equal(outbox_seen(o, "demo", "item-1"), 1);
    assert_int_equal(outbox_pending(o), 1);
    outbox_doc_t *docs = NULL;
    assert_int_equal(outbox_due(o, 999, 10, &docs), 0);    /* not due before put time */
    free(docs);
    assert_int_equal(outbox_due(o, 1000, 10, &docs), 1);
    assert_string_equal(docs[0].id, id);
    assert_int_equal(docs[0].json_len, sizeof json - 1);
    assert_memory_equal(docs[0].json, json, sizeof json - 1);
    assert_int_equal(docs[0].body_len, sizeof body - 1);   /* embedded NUL kept */
    assert_memory_equal(docs[0].body, body, sizeof body - 1);
    assert_int_equal(docs[0].attempts, 0);
    outbox_doc_clear(&docs[0]);
    free(docs);
    outbox_destroy(&o);
}

static void test_ack_deletes_but_seen_stays(void **state)
{
    fixture_t *f = *state;
    outbox_t *o = s_open(f);
    char a[65], b[65];
    outbox_doc_id("demo", "a", a);
    outbox_doc_id("demo", "b", b);
    assert_int_equal(outbox_put(o, "demo", "a", a, "{}", 2, "", 0, 10), 0);
    assert_int_equal(outbox_put(o, "demo", "b", b, "{}", 2, "B", 1, 10), 0);
    assert_int_equal(outbox_pending(o), 2);
    assert_int_equal(outbox_ack(o, a), 1);
    assert_int_equal(outbox_ack(o, a), 0);          /* duplicate ack: harmless */
    assert_int_equal(outbox_ack(o, "not-ours"), 0);
    assert_int_equal(outbox_pending(o), 1);
    outbox_destroy(&o);

    o = s_open(f);
    assert_int_equal(outbox_pending(o), 1);
    assert_int_equal(outbox_seen(o, "demo", "a"), 1);      /* acked, still seen */
    assert_int_equal(outbox_put(o, "demo", "a", a, "{}", 2, "", 0, 20), 1);
    assert_int_equal(outbox_pending(o), 1);
    outbox_doc_t *docs = NULL;
    assert_int_equal(outbox_due(o, 100, 10, &docs), 1);
    assert_string_equal(docs[0].id, b);
    assert_int_equal(docs[0].body_len, 0 + 1);
    outbox_doc_clear(&docs[0]);
    free(docs);
    outbox_destroy(&o);
}

static void test_source_state_survives_reopen(void **state)
{
    fixture_t *f = *state;
    outbox_t *o = s_open(f);
    outbox_source_t st;
    assert_int_equal(outbox_source_get(o, "news", &st), 0);     /* nothing yet */
    assert_int_equal(outbox_source_ok(o, "news", "\"v1\"", "Mon, 01 Jan 2024 00:00:00 GMT",
                                      1000), 0);
    assert_int_equal(outbox_source_failed(o, "news", "HTTP 503", 2000), 0);
    assert_int_equal(outbox_source_failed(o, "news", "HTTP 503", 3000), 0);
    outbox_destroy(&o);

    o = s_open(f);                                              /* a restart */
    assert_int_equal(outbox_source_get(o, "news", &st), 1);
    assert_string_equal(st.etag, "\"v1\"");                    /* failures keep validators */
    assert_string_equal(st.last_modified, "Mon, 01 Jan 2024 00:00:00 GMT");
    assert_int_equal(st.failures, 2);
    assert_int_equal(st.first_failure, 2000);
    outbox_source_clear(&st);

    /* Failing since 2000 (decades ago): unhealthy; a good poll heals. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT unhealthy, last_error FROM source_status"
                                        " WHERE source='news'", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 1);
    assert_string_equal((const char *) sqlite3_column_text(q, 1), "HTTP 503");
    sqlite3_reset(q);
    assert_int_equal(outbox_source_ok(o, "news", NULL, "Tue, 02 Jan 2024 00:00:00 GMT", 4000), 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_int_equal(outbox_source_get(o, "news", &st), 1);
    assert_null(st.etag);                                       /* the server dropped it */
    assert_int_equal(st.failures, 0);
    outbox_source_clear(&st);
    outbox_destroy(&o);
}

static void test_backoff_values(void **state)
{
    (void) state;
    assert_int_equal(outbox_backoff(30, 1), 30);
    assert_int_equal(outbox_backoff(30, 2), 60);
    assert_int_equal(outbox_backoff(30, 3), 120);
    assert_int_equal(outbox_backoff(30, 5), 480);
    assert_int_equal(outbox_backoff(30, 6), 600);        /* capped at 10 min */
    assert_int_equal(outbox_backoff(30, 1000), 600);     /* no overflow */
    assert_int_equal(outbox_backoff(0, 1), 1);
    assert_int_equal(outbox_backoff(900, 1), 600);
}

static void test_resend_schedule(void **state)
{
    fixture_t *f = *state;
    outbox_t *o = s_open(f);
    char id[65];
    outbox_doc_id("demo", "r", id);
    long long t = 5000, when = 0;
    assert_int_equal(outbox_next_due(o, &when), 0);        /* empty */
    assert_int_equal(outbox_put(o, "demo", "r", id, "{}", 2, "x", 1, t), 0);
    assert_int_equal(outbox_next_due(o, &when), 1);
    assert_int_equal(when, t);

    /* Each send pushes the next one out: 30, 60, 120 s after the send. */
    long long expect_gap[] = { 30, 60, 120, 240, 480, 600, 600 };
    for (size_t i = 0; i < sizeof expect_gap / sizeof expect_gap[0]; i++) {
        outbox_doc_t *docs = NULL;
        assert_int_equal(outbox_due(o, t, 10, &docs), 1);
        assert_int_equal(docs[0].attempts, (int) i);
        outbox_doc_clear(&docs[0]);
        free(docs);
        assert_int_equal(outbox_sent(o, id, t, 30), 0);
        assert_int_equal(outbox_due(o, t + expect_gap[i] - 1, 10, &docs), 0);
        free(docs);
        assert_int_equal(outbox_next_due(o, &when), 1);
        assert_int_equal(when, t + expect_gap[i]);
        t += expect_gap[i];
    }
    /* The schedule is durable too. */
    outbox_destroy(&o);
    o = s_open(f);
    assert_int_equal(outbox_next_due(o, &when), 1);
    assert_int_equal(when, t);
    /* Sent for a doc acked meanwhile: no error, nothing happens. */
    assert_int_equal(outbox_ack(o, id), 1);
    assert_int_equal(outbox_sent(o, id, t, 30), 0);
    assert_int_equal(outbox_pending(o), 0);
    outbox_destroy(&o);
}

static void test_due_limit_and_order(void **state)
{
    fixture_t *f = *state;
    outbox_t *o = s_open(f);
    char id[65], name[16];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "n%d", i);
        outbox_doc_id("demo", name, id);
        assert_int_equal(outbox_put(o, "demo", name, id, name, strlen(name), "", 0, 100 - i), 0);
    }
    outbox_doc_t *docs = NULL;
    int n = outbox_due(o, 1000, 3, &docs);
    assert_int_equal(n, 3);
    /* Earliest first: n4 (96), n3 (97), n2 (98). */
    assert_memory_equal(docs[0].json, "n4", 2);
    assert_memory_equal(docs[1].json, "n3", 2);
    assert_memory_equal(docs[2].json, "n2", 2);
    for (int i = 0; i < n; i++)
        outbox_doc_clear(&docs[i]);
    free(docs);
    outbox_destroy(&o);
}

static void test_open_failure(void **state)
{
    (void) state;
    char *err = NULL;
    outbox_t *o = outbox_open("/nonexistent-dir-xyz/sub/fetcher.db", &err);
    assert_null(o);
    assert_non_null(err);
    assert_non_null(strstr(err, "/nonexistent-dir-xyz"));
    free(err);
}

/* ------------------------------------------- fetch helpers (fetcher lib) */

static void test_file_urls(void **state)
{
    (void) state;
    char *p = http_file_path("file:///tmp/x/feed.xml");
    assert_string_equal(p, "/tmp/x/feed.xml");
    free(p);
    p = http_file_path("file:/tmp/a%20b.html#frag");
    assert_string_equal(p, "/tmp/a b.html");
    free(p);
    p = http_file_path("file://localhost/etc/hosts");
    assert_string_equal(p, "/etc/hosts");
    free(p);
    assert_null(http_file_path("file://otherhost/etc/hosts"));
    assert_null(http_file_path("file:relative/path"));
    assert_null(http_file_path("file:///tmp/nul%00byte"));
    assert_null(http_file_path("https://example.com/"));

    char *cs = http_charset_of("text/html; charset=\"windows-1256\"");
    assert_string_equal(cs, "windows-1256");
    free(cs);
    cs = http_charset_of("text/xml;Charset=ISO-8859-6 ; foo=bar");
    assert_string_equal(cs, "ISO-8859-6");
    free(cs);
    assert_null(http_charset_of("text/html"));
    assert_null(http_charset_of(NULL));
}

typedef struct {
    int calls;
    int failed;
    char *error, *body, *url;
} got_t;

static void s_got(http_result_t *res, void *arg)
{
    got_t *g = arg;
    g->calls++;
    g->failed = res->failed;
    g->error = res->error;
    res->error = NULL;              /* callbacks may take fields */
    g->body = res->body;
    res->body = NULL;
    g->url = res->final_url;
    res->final_url = NULL;
}

static void test_fetch_file(void **state)
{
    fixture_t *f = *state;
    char path[200], url[220];
    snprintf(path, sizeof path, "%s/page.html", f->dir);
    FILE *fp = fopen(path, "w");
    fputs("<html>hello</html>", fp);
    fclose(fp);
    snprintf(url, sizeof url, "file://%s", path);

    http_fetch_t *h = http_fetch_new("test", 5, 10);   /* 10-byte cap */
    assert_non_null(h);
    got_t denied = { 0 }, big = { 0 }, missing = { 0 }, scheme = { 0 };
    assert_int_equal(http_fetch_get(h, url, false, s_got, &denied), 0);
    assert_int_equal(http_fetch_get(h, url, true, s_got, &big), 0);
    assert_int_equal(http_fetch_get(h, "file:///nonexistent/x.html", true, s_got, &missing), 0);
    assert_int_equal(http_fetch_get(h, "gopher://x/", true, s_got, &scheme), 0);
    assert_int_equal(denied.calls, 0);              /* never from inside get() */
    assert_int_equal(http_fetch_active(h), 4);
    assert_int_equal(http_fetch_run(h, 10), 0);
    assert_int_equal(denied.calls, 1);
    assert_true(denied.failed);
    assert_non_null(strstr(denied.error, "file:"));
    assert_true(big.failed);                        /* 18 bytes > 10 */
    assert_non_null(strstr(big.error, "larger than"));
    assert_true(missing.failed);
    assert_true(scheme.failed);
    got_t *all[] = { &denied, &big, &missing, &scheme };
    for (int i = 0; i < 4; i++) {
        free(all[i]->error);
        free(all[i]->body);
        free(all[i]->url);
    }
    http_fetch_destroy(&h);

    h = http_fetch_new("test", 5, 1000);
    got_t ok = { 0 };
    assert_int_equal(http_fetch_get(h, url, true, s_got, &ok), 0);
    http_fetch_run(h, 10);
    assert_int_equal(ok.calls, 1);
    assert_false(ok.failed);
    assert_string_equal(ok.body, "<html>hello</html>");
    assert_string_equal(ok.url, url);
    free(ok.body);
    free(ok.url);
    free(ok.error);

    /* Destroy with a request pending: its callback still runs (cancelled)
     * so its argument can be freed. */
    got_t pend = { 0 };
    assert_int_equal(http_fetch_get(h, url, true, s_got, &pend), 0);
    http_fetch_destroy(&h);
    assert_null(h);
    assert_int_equal(pend.calls, 1);
    free(pend.body);
    free(pend.url);
    free(pend.error);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_sha256_million_a_incremental),
        cmocka_unit_test(test_doc_id),
        cmocka_unit_test_setup_teardown(test_put_survives_reopen, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_ack_deletes_but_seen_stays, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_source_state_survives_reopen, s_setup, s_teardown),
        cmocka_unit_test(test_backoff_values),
        cmocka_unit_test_setup_teardown(test_resend_schedule, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_due_limit_and_order, s_setup, s_teardown),
        cmocka_unit_test(test_open_failure),
        cmocka_unit_test(test_file_urls),
        cmocka_unit_test_setup_teardown(test_fetch_file, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
