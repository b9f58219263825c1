/*
 * test_store.c — store_db: migrations, idempotent insert, duplicates by
 * content hash and canonical URL, sequence numbers, events since a seq (as
 * the alerter's catch-up reads them), persistence across reopen, and the
 * index frame an article may come with.
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

#include "proto.h"
#include "sql_scalar.h"
#include "store_db.h"
#include "store_fixture.h"
#include "text_index.h"

#include <sqlite3.h>

typedef store_fixture_t s_fix_t;

static int s_setup(void **state)
{
    s_fix_t *f = store_fixture_new("store");
    if (!f)
        return -1;
    store_fixture_open(f);
    *state = f;
    return 0;
}

static int s_teardown(void **state) { return store_fixture_destroy((s_fix_t **) state); }

static proto_article_t s_article(const char *id, const char *hash, const char *canonical)
{
    static proto_mention_t m = { .entity = "bout", .type = "person", .surface = "لباوت",
                                 .start = 23, .end = 33, .sentence = 0 };
    static proto_claim_t c = { .speaker = "الكرملين", .cue = "نفى", .stance = "denies",
                               .content = "نص", .start = 0, .end = 4 };
    proto_article_t a = {
        .id = (char *) id, .source = "demo", .url = "https://example.org/a",
        .canonical_url = (char *) canonical, .title = "عنوان", .text = "نص المقال عن لباوت",
        .lang = "ar", .published_at = "2026-11-20T06:15:00Z", .fetched_at = "2026-11-25T10:00:00Z",
        .content_hash = (char *) hash, .mentions = &m, .n_mentions = 1, .claims = &c, .n_claims = 1,
    };
    return a;
}

static int s_insert(s_fix_t *f, const proto_article_t *a, int64_t *seq, char **story, bool *dup)
{
    char *err = NULL;
    assert_int_equal(store_db_begin(f->db), 0);
    int rc = store_db_insert(f->db, a, seq, story, dup, &err);
    if (rc < 0)
        fprintf(stderr, "insert: %s\n", err);
    free(err);
    assert_int_equal(store_db_commit(f->db), 0);
    return rc;
}

static void test_migrated_to_current_version(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(store_db_schema_version(f->db), STORE_DB_VERSION);
    assert_int_equal(store_db_last_seq(f->db), 0);
}

static void test_insert_is_idempotent(void **state)
{
    s_fix_t *f = *state;
    proto_article_t a = s_article("doc-1", "hash-1", NULL);
    int64_t seq = 0;
    char *story = NULL;
    bool dup = true;
    assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 1);
    assert_int_equal(seq, 1);
    assert_false(dup);
    assert_string_equal(story, "doc-1");
    free(story);
    story = NULL;
    /* the same id again (a resend after a crash before the ack): nothing new */
    seq = 0;
    assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 0);
    assert_int_equal(seq, 0);
    assert_null(story);
    assert_int_equal(store_db_count(f->db), 1);
}

static void test_duplicates_join_the_original_story(void **state)
{
    s_fix_t *f = *state;
    proto_article_t a = s_article("doc-1", "hash-1", "https://example.org/canon");
    proto_article_t b = s_article("doc-2", "hash-1", NULL);          /* same content */
    proto_article_t c = s_article("doc-3", "hash-3", "https://example.org/canon");  /* same URL */
    proto_article_t d = s_article("doc-4", "hash-4", NULL);          /* new */
    d.title = "خبر آخر";
    d.text = "موضوع مختلف تماما";
    d.n_mentions = 0;
    d.n_claims = 0;
    int64_t seq;
    char *story;
    bool dup;
    assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 1);
    free(story);
    assert_int_equal(s_insert(f, &b, &seq, &story, &dup), 1);
    assert_int_equal(seq, 2);
    assert_true(dup);
    assert_string_equal(story, "doc-1");
    free(story);
    assert_int_equal(s_insert(f, &c, &seq, &story, &dup), 1);
    assert_true(dup);
    assert_string_equal(story, "doc-1");
    free(story);
    assert_int_equal(s_insert(f, &d, &seq, &story, &dup), 1);
    assert_false(dup);
    assert_string_equal(story, "doc-4");
    free(story);
    /* the content of doc-4 under doc-1's URL: a duplicate of the earlier,
     * doc-1, whichever key found it */
    proto_article_t e = d;
    e.id = "doc-5";
    e.canonical_url = "https://example.org/canon";
    assert_int_equal(s_insert(f, &e, &seq, &story, &dup), 1);
    assert_true(dup);
    assert_string_equal(story, "doc-1");
    free(story);
    assert_int_equal(sql_scalar(f->path, "SELECT duplicate_of = 'doc-1' FROM articles"
                                         " WHERE id = 'doc-5'"), 1);
}

static void test_events_since_round_trip(void **state)
{
    s_fix_t *f = *state;
    char id[16], hash[16];
    for (int i = 1; i <= 5; i++) {
        snprintf(id, sizeof id, "doc-%d", i);
        snprintf(hash, sizeof hash, "hash-%d", i);
        proto_article_t a = s_article(id, hash, NULL);
        int64_t seq;
        char *story;
        bool dup;
        assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 1);
        free(story);
    }
    char **items;
    size_t n;
    int64_t last;
    assert_int_equal(store_db_events_since(f->db, 2, 2, &items, &n, &last), 0);
    assert_int_equal(n, 2);
    assert_int_equal(last, 5);
    proto_stored_t ev;
    memset(&ev, 0, sizeof ev);
    assert_int_equal(proto_stored_from_json(items[0], strlen(items[0]), &ev), 0);
    assert_int_equal(ev.seq, 3);
    assert_string_equal(ev.article.id, "doc-3");
    assert_string_equal(ev.article.text, "نص المقال عن لباوت");
    assert_int_equal(ev.article.n_mentions, 1);
    assert_string_equal(ev.article.mentions[0].surface, "لباوت");
    assert_int_equal(ev.article.mentions[0].start, 23);
    assert_int_equal(ev.article.n_claims, 1);
    assert_string_equal(ev.article.claims[0].stance, "denies");
    proto_stored_clear(&ev);
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);

    assert_int_equal(store_db_events_since(f->db, 5, 100, &items, &n, &last), 0);
    assert_int_equal(n, 0);
    free(items);
}

static void test_survives_reopen(void **state)
{
    s_fix_t *f = *state;
    proto_article_t a = s_article("doc-1", "hash-1", NULL);
    int64_t seq;
    char *story;
    bool dup;
    assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 1);
    free(story);
    store_db_close(&f->db);
    assert_null(f->db);
    char *err = NULL;
    f->db = store_db_open(f->path, &err);
    assert_non_null(f->db);
    assert_int_equal(store_db_count(f->db), 1);
    assert_int_equal(store_db_last_seq(f->db), 1);
    story = NULL;
    assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 0);   /* still known */
    proto_article_t b = s_article("doc-2", "hash-2", NULL);
    assert_int_equal(s_insert(f, &b, &seq, &story, &dup), 1);
    assert_int_equal(seq, 2);                                    /* sequence continues */
    free(story);
}

static void test_rollback_leaves_nothing(void **state)
{
    s_fix_t *f = *state;
    proto_article_t a = s_article("doc-1", "hash-1", NULL);
    int64_t seq;
    char *story, *err = NULL;
    bool dup;
    assert_int_equal(store_db_begin(f->db), 0);
    assert_int_equal(store_db_insert(f->db, &a, &seq, &story, &dup, &err), 1);
    free(story);
    store_db_rollback(f->db);
    assert_int_equal(store_db_count(f->db), 0);
}

/* Article I of the key tests: its own id, hash and canonical URL. */
static proto_article_t s_keyed(int i, char *buf)
{
    snprintf(buf, 96, "doc-%d", i);
    snprintf(buf + 32, 64, "hash-%d", i);
    snprintf(buf + 48, 48, "https://example.org/%d", i);
    return s_article(buf, buf + 32, buf + 48);
}

/* Store the keyed articles FROM .. TO-1, each in a transaction of its own. */
static void s_store_keyed(s_fix_t *f, int from, int to)
{
    char buf[96];
    int64_t seq;
    char *story = NULL;
    bool dup = true;
    for (int i = from; i < to; i++) {
        proto_article_t a = s_keyed(i, buf);
        assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 1);
        assert_false(dup);
        free(story);
    }
}

/* The keyed articles 0 .. N-1 are all known: sent again, nothing new. */
static void s_all_known(s_fix_t *f, int n)
{
    char buf[96];
    int64_t seq;
    char *story = NULL;
    bool dup;
    for (int i = 0; i < n; i++) {
        proto_article_t a = s_keyed(i, buf);
        assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 0);
    }
}

/* The number of distinct keys filed, merged or waiting. */
static long long s_keys_filed(const s_fix_t *f)
{
    return sql_scalar(f->path, "SELECT COUNT(*) FROM (SELECT kind, key, seq FROM article_keys"
                               " UNION SELECT 0, id_key, seq FROM keys_fresh"
                               " UNION SELECT 1, hash_key, seq FROM keys_fresh"
                               " UNION SELECT 2, canon_key, seq FROM keys_fresh"
                               " WHERE canon_key IS NOT NULL)");
}

/* Keys go into article_keys in merges of a few steps, taken before the
 * transactions; an id, hash or canonical URL is found whether its key was
 * merged, is waiting, or is halfway through a merge. */
static void test_keys_found_across_merges(void **state)
{
    s_fix_t *f = *state;
    store_db_set_key_merge(f->db, 9, 4);
    int64_t seq;
    char *story;
    bool dup;
    for (int i = 0; i < 20; i++) {
        s_store_keyed(f, i, i + 1);
        /* every earlier id is known at every point of the merges */
        s_all_known(f, i + 1);
    }
    assert_true(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys") >= 30);
    assert_true(sql_scalar(f->path, "SELECT COUNT(*) FROM keys_fresh") < 10);
    /* a merged content hash and a waiting canonical URL: duplicates */
    proto_article_t c = s_article("copy-a", "hash-0", NULL);
    assert_int_equal(s_insert(f, &c, &seq, &story, &dup), 1);
    assert_true(dup);
    assert_string_equal(story, "doc-0");
    free(story);
    proto_article_t d = s_article("copy-b", "hash-new", "https://example.org/19");
    assert_int_equal(s_insert(f, &d, &seq, &story, &dup), 1);
    assert_true(dup);
    free(story);
    /* (all in one story: the same text) */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM articles WHERE"
                                    " (id = 'copy-a' AND duplicate_of = 'doc-0')"
                                    " OR (id = 'copy-b' AND duplicate_of = 'doc-19')"), 2);
    /* nothing lost, nothing filed twice: 20 articles with three keys, a
     * copy without a canonical URL and one with */
    assert_int_equal(s_keys_filed(f), 20 * 3 + 2 + 3);
    char *json = NULL;
    assert_int_equal(store_db_article_json(f->db, "doc-3", &json), 0);
    assert_non_null(strstr(json, "\"id\":\"doc-3\""));
    free(json);
}

/* A store closed in the middle of a merge (as by a crash between its
 * steps) knows every article at the next open, from keys_fresh; the merge
 * done again files nothing twice. */
static void test_keys_survive_reopen_mid_merge(void **state)
{
    s_fix_t *f = *state;
    store_db_set_key_merge(f->db, 9, 2);
    s_store_keyed(f, 0, 6);
    /* under way: some keys merged, all still in keys_fresh */
    long long merged = sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys");
    assert_true(merged > 0 && merged < 18);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM keys_fresh"), 6);
    store_db_close(&f->db);
    store_fixture_open(f);
    s_all_known(f, 6);
    store_db_set_key_merge(f->db, 9, 100);
    assert_int_equal(store_db_begin(f->db), 0);
    assert_int_equal(store_db_commit(f->db), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys"), 18);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM keys_fresh"), 0);
    s_all_known(f, 6);
    assert_int_equal(store_db_count(f->db), 6);
}

/* The daemon merges keys while idle, a step per call; a store that was
 * just idle leaves the merge to that, not to its next transaction. */
static void test_keys_merged_while_idle(void **state)
{
    s_fix_t *f = *state;
    store_db_set_key_merge(f->db, 9, 4);
    assert_int_equal(store_db_keys_tidy(f->db), 0);            /* nothing due */
    s_store_keyed(f, 0, 3);                                    /* 9 keys */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys"), 0);
    assert_int_equal(store_db_keys_tidy(f->db), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys"), 4);
    assert_int_equal(store_db_begin(f->db), 0);
    assert_int_equal(store_db_commit(f->db), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys"), 4);
    assert_int_equal(store_db_keys_tidy(f->db), 1);
    assert_int_equal(store_db_keys_tidy(f->db), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys"), 9);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM keys_fresh"), 0);
    s_all_known(f, 3);
}

/* The keys of a transaction rolled back are forgotten: its articles are
 * neither known nor originals of anything. */
static void test_rollback_forgets_keys(void **state)
{
    s_fix_t *f = *state;
    proto_article_t a = s_article("doc-1", "hash-1", "https://example.org/c");
    int64_t seq;
    char *story, *err = NULL;
    bool dup = true;
    assert_int_equal(store_db_begin(f->db), 0);
    assert_int_equal(store_db_insert(f->db, &a, &seq, &story, &dup, &err), 1);
    free(story);
    store_db_rollback(f->db);
    proto_article_t b = s_article("doc-2", "hash-1", "https://example.org/c");
    assert_int_equal(s_insert(f, &b, &seq, &story, &dup), 1);
    assert_false(dup);
    assert_string_equal(story, "doc-2");
    free(story);
    assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 1);
    assert_true(dup);
    free(story);
    assert_int_equal(s_keys_filed(f), 6);
}

/* The index merges nothing while articles go in (each commit leaves a
 * segment; 20 stay under the crisis merge's 32); store_db_fts_tidy merges
 * them step by step, 16 segments of a level at a time, says when nothing
 * is left to merge, and what was indexed is still found. */
static void test_fts_tidy_merges_then_stops(void **state)
{
    s_fix_t *f = *state;
    for (int i = 0; i < 20; i++) {
        char id[32], hash[32];
        snprintf(id, sizeof id, "doc-%d", i);
        snprintf(hash, sizeof hash, "hash-%d", i);
        proto_article_t a = s_article(id, hash, NULL);
        int64_t seq;
        char *story = NULL;
        bool dup;
        assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 1);
        free(story);
    }
    assert_int_equal(sql_scalar(f->path, "SELECT v FROM articles_fts_config WHERE k = 'automerge'"),
                     0);
    assert_int_equal(sql_scalar(f->path, "SELECT v FROM articles_fts_config WHERE k = 'usermerge'"),
                     16);
    assert_int_equal(sql_scalar(f->path, "SELECT v FROM articles_fts_config"
                                        " WHERE k = 'crisismerge'"), 32);
    const char *rows = "SELECT COUNT(*) FROM articles_fts_data";
    int64_t before = sql_scalar(f->path, rows);
    int merged = 0, calls = 0, r;
    char *err = NULL;
    while ((r = store_db_fts_tidy(f->db, 8, &err)) == 1 && calls < 1000) {
        merged++;
        calls++;
    }
    assert_int_equal(r, 0);
    assert_null(err);
    assert_true(merged >= 1);
    assert_true(sql_scalar(f->path, rows) < before);
    assert_int_equal(store_db_fts_tidy(f->db, 8, &err), 0);   /* and stays done */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM articles_fts WHERE articles_fts"
                                         " MATCH '\"المقال\"'"), 20);
}

/* An article's index frame (text_index.h) is what the store files it
 * under, when it is of this build's version: here it names a word the
 * text does not have.  A frame of another version, or a malformed one, is
 * ignored and the index is computed from the text. */
static void test_index_frame_used_when_current(void **state)
{
    s_fix_t *f = *state;
    text_index_t idx;
    assert_int_equal(text_index_of("عنوان", "كلمة_مرسلة", &idx), 0);
    char *frame;
    size_t len;
    assert_int_equal(text_index_encode(&idx, &frame, &len), 0);
    text_index_clear(&idx);
    const char *ids[] = { "sent", "other-version", "malformed" };
    for (int i = 0; i < 3; i++) {
        proto_article_t a = s_article(ids[i], ids[i], NULL);
        a.index = frame;
        a.index_len = len;
        if (i == 1)
            frame[2]++;              /* the version byte */
        if (i == 2)
            a.index_len = len - 1;   /* cut short */
        int64_t seq;
        char *story = NULL;
        bool dup;
        assert_int_equal(s_insert(f, &a, &seq, &story, &dup), 1);
        free(story);
        if (i == 1)
            frame[2]--;
    }
    /* the sent forms, not the text's, for the first only */
    assert_int_equal(sql_scalar(f->path, "SELECT group_concat(rowid) FROM articles_fts"
                                        " WHERE articles_fts MATCH '\"كلمه_مرسله\"'"), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM articles_fts WHERE articles_fts"
                                        " MATCH '\"المقال\"'"), 2);
    free(frame);
}

static void test_refuses_a_newer_schema(void **state)
{
    s_fix_t *f = *state;
    store_db_close(&f->db);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "sqlite3 %s 'PRAGMA user_version = 99' 2>/dev/null", f->path);
    if (system(cmd) != 0)
        skip();   /* the sqlite3 shell is optional */
    char *err = NULL;
    f->db = store_db_open(f->path, &err);
    assert_null(f->db);
    assert_non_null(strstr(err, "newer"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrated_to_current_version, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_insert_is_idempotent, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_join_the_original_story, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_events_since_round_trip, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_survives_reopen, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_keys_found_across_merges, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_keys_survive_reopen_mid_merge, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_rollback_forgets_keys, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_keys_merged_while_idle, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_index_frame_used_when_current, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_fts_tidy_merges_then_stops, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_refuses_a_newer_schema, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
