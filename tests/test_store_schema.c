/*
 * test_store_schema.c — the store's file over time: a version-1 file (as
 * the first marsad wrote it) migrated up with its data intact; the API
 * answers (article, story with claims and their entities, stats);
 * retention (prune, index and entity-day entries gone too); the online backup; and a full
 * disk (a size-capped database): the insert fails cleanly with nothing
 * half-written, and succeeds once space returns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"
#include "store_backup.h"
#include "sql_scalar.h"
#include "store_db.h"
#include "store_fixture.h"
#include "store_entity_days.h"
#include "store_key.h"

typedef store_fixture_t s_fix_t;

static int s_setup(void **state)
{
    s_fix_t *f = store_fixture_new("schema");
    if (!f)
        return -1;
    *state = f;
    return 0;
}

static int s_teardown(void **state) { return store_fixture_destroy((s_fix_t **) state); }

static void s_open(s_fix_t *f) { store_fixture_open(f); }

static const char S_TEXT[] = "قال مسؤول إن فيكتور بوت يتوسط في صفقة أسلحة للحوثيين.";

static proto_article_t s_article(const char *id, const char *hash)
{
    static proto_mention_t m[2];
    static proto_claim_t c;
    static char *ents[] = { "viktor_bout" };
    const char *bout = strstr(S_TEXT, "فيكتور بوت");
    const char *houthis = strstr(S_TEXT, "للحوثيين");
    m[0] = (proto_mention_t) { .entity = "viktor_bout", .type = "person", .surface = "فيكتور بوت",
                               .start = bout - S_TEXT, .end = bout - S_TEXT + strlen("فيكتور بوت"),
                               .sentence = 0 };
    m[1] = (proto_mention_t) { .entity = "houthis", .type = "org", .surface = "للحوثيين",
                               .start = houthis - S_TEXT, .end = houthis - S_TEXT + strlen("للحوثيين"),
                               .sentence = 0 };
    c = (proto_claim_t) { .speaker = "مسؤول", .cue = "قال", .stance = "asserts",
                          .content = "فيكتور بوت يتوسط في صفقة أسلحة للحوثيين",
                          .start = bout - S_TEXT, .end = (int64_t) strlen(S_TEXT) - 1,
                          .entities = ents, .n_entities = 1 };
    proto_article_t a = {
        .id = (char *) id, .source = "demo", .url = "https://example.org/a",
        .title = "صفقة أسلحة للحوثيين", .text = (char *) S_TEXT, .lang = "ar",
        .published_at = "2026-11-20T06:15:00Z", .fetched_at = "2026-11-25T10:00:00Z",
        .content_hash = (char *) hash, .mentions = m, .n_mentions = 2, .claims = &c, .n_claims = 1,
    };
    return a;
}

static int s_insert(s_fix_t *f, const proto_article_t *a, char **story)
{
    int64_t seq;
    char *s = NULL, *err = NULL;
    bool dup;
    int rc = store_db_begin(f->db);
    if (rc == 0)
        rc = store_db_insert(f->db, a, &seq, &s, &dup, &err);
    if (rc >= 0) {
        int c = store_db_commit(f->db);
        if (c != 0)
            rc = c;
    }
    if (rc < 0)
        store_db_rollback(f->db);
    free(err);
    if (story)
        *story = s;
    else
        free(s);
    return rc;
}

static void test_version_1_file_migrates_with_data_intact(void **state)
{
    s_fix_t *f = *state;
    char *err = NULL;
    assert_int_equal(store_db_migrate_file(f->path, 1, &err), 0);
    assert_int_equal(sql_scalar(f->path, "PRAGMA user_version"), 1);
    /* Rows as the version-1 store wrote them. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    const char *rows =
        "INSERT INTO articles (id, source, url, title, text, lang, published_at, fetched_at,"
        " stored_at, content_hash, story_id, duplicate_of) VALUES"
        " ('old-1', 'wire', 'https://w/1', 'الحوثيون يعلنون', 'أعلن الحوثيون والحوثي وصول شحنة أسلحة.',"
        "  'ar', '2026-10-01T08:00:00Z', '2026-10-01T08:01:00Z', '2026-10-01T08:01:05Z', 'h1', 'old-1', NULL),"
        " ('old-2', 'other', 'https://o/2', 'Houthis', 'The Houthis said a shipment arrived.',"
        "  'en', NULL, '2026-10-02T09:00:00Z', '2026-10-02T09:00:05Z', 'h2', 'old-1', 'old-1');"
        "INSERT INTO mentions VALUES (1, 'houthis', 'org', 'الحوثيون', 9, 25, 0);"
        "INSERT INTO claims VALUES (1, 'الحوثيون', 'أعلن', 'asserts', 'الحوثيون والحوثي وصول شحنة أسلحة', 9, 68);"
        /* a third, deleted: its seq is never given again */
        "INSERT INTO articles (id, source, url, title, text, lang, fetched_at, stored_at,"
        " content_hash, story_id) VALUES ('old-3', 'wire', 'https://w/3', 't', 'x', 'en',"
        " '2026-10-03T09:00:00Z', '2026-10-03T09:00:05Z', 'h3', 'old-3');"
        "DELETE FROM articles WHERE id = 'old-3';";
    assert_int_equal(sqlite3_exec(db, rows, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    s_open(f);
    assert_int_equal(store_db_schema_version(f->db), STORE_DB_VERSION);
    assert_int_equal(store_db_count(f->db), 2);
    assert_int_equal(store_db_last_seq(f->db), 3);   /* old-3 had 3 */
    /* stories, entities, sources and signatures were carried over */
    assert_int_equal(sql_scalar(f->path, "SELECT article_count FROM stories WHERE id = 'old-1'"), 2);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM stories"), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT article_count FROM entities WHERE id = 'houthis'"), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM sources"), 2);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM articles WHERE simhash IS NULL"
                                    " OR event_time IS NULL"), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM claim_entities"), 1);
    /* version 6 copied the articles table without touching what hangs
     * off it, and files articles and stories by integer keys */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM mentions"), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM claims"), 1);
    assert_true(sql_scalar(f->path, "SELECT id_key FROM articles WHERE seq = 1") == store_key("old-1"));
    assert_true(sql_scalar(f->path, "SELECT hash_key FROM articles WHERE seq = 2") == store_key("h2"));
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM articles WHERE seq = 1"
                                    " AND story_seq IS NULL"), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT story_seq FROM articles WHERE seq = 2"), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT seq FROM stories WHERE id = 'old-1'"), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                                    " AND tbl_name IN ('articles', 'stories')"
                                    " AND name LIKE 'sqlite_autoindex_%'"), 0);
    /* version 7 moved the keys of id and hash (and canonical URL: none
     * here) into article_keys, and dropped their indexes on articles */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys"), 4);
    assert_true(sql_scalar(f->path, "SELECT key FROM article_keys WHERE kind = 0 AND seq = 1")
                == store_key("old-1"));
    assert_true(sql_scalar(f->path, "SELECT key FROM article_keys WHERE kind = 1 AND seq = 2")
                == store_key("h2"));
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM keys_fresh"), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                                    " ('articles_id', 'articles_hash', 'articles_canonical')"), 0);
    /* the mention is filed by its day and entity key (version 5) */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM entity_days"), 1);
    assert_true(sql_scalar(f->path, "SELECT entity FROM entity_days") == store_key("houthis"));
    assert_int_equal(sql_scalar(f->path, "SELECT day FROM entity_days"),
                     store_entity_day(sql_scalar(f->path, "SELECT event_time FROM articles"
                                                          " WHERE seq = 1")));
    /* each mention carries its article's event time (version 4), and the
     * bands table of versions 2 and 3 is gone */
    assert_int_equal(sql_scalar(f->path, "SELECT event_time FROM mentions"),
                     sql_scalar(f->path, "SELECT event_time FROM articles WHERE seq = 1"));
    assert_true(sql_scalar(f->path, "SELECT event_time FROM mentions") > 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sig_bands'"),
                     0);
    /* the index was rebuilt as the term filter of version 3 ... */
    assert_int_equal(sql_scalar(f->path, "SELECT instr(sql, 'detail=none') > 0 FROM sqlite_master"
                                    " WHERE name = 'articles_fts'"), 1);
    /* ... and holds the old articles: a clitic-stripped form finds both */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM articles_fts"
                                    " WHERE articles_fts MATCH '\"حوثي\"'"), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM articles_fts"
                                    " WHERE articles_fts MATCH 'houthis'"), 1);
    /* the catch-up API reads them as before */
    char **items;
    size_t n;
    int64_t last;
    assert_int_equal(store_db_events_since(f->db, 0, 10, &items, &n, &last), 0);
    assert_int_equal(n, 2);
    proto_stored_t ev;
    assert_int_equal(proto_stored_from_json(items[1], strlen(items[1]), &ev), 0);
    assert_string_equal(ev.article.id, "old-2");
    assert_true(ev.duplicate);
    proto_stored_clear(&ev);
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    /* an id already stored is found by its key, and so is a content hash */
    proto_article_t again = s_article("old-2", "h9");
    assert_int_equal(s_insert(f, &again, NULL), 0);
    proto_article_t copy = s_article("copy-1", "h1");
    char *story = NULL;
    assert_int_equal(s_insert(f, &copy, &story), 1);
    assert_string_equal(story, "old-1");
    free(story);
    assert_int_equal(sql_scalar(f->path, "SELECT duplicate_of = 'old-1' AND story_seq = 1"
                                    " FROM articles WHERE id = 'copy-1'"), 1);
    assert_int_equal(sql_scalar(f->path, "SELECT article_count FROM stories WHERE seq = 1"), 3);
    /* and new articles continue the sequence, past the deleted one */
    assert_int_equal(sql_scalar(f->path, "SELECT seq FROM articles WHERE id = 'copy-1'"), 4);
    proto_article_t a = s_article("new-1", "h3");
    assert_int_equal(s_insert(f, &a, NULL), 1);
    assert_int_equal(store_db_last_seq(f->db), 5);
    /* opening again changes nothing */
    store_db_close(&f->db);
    s_open(f);
    assert_int_equal(store_db_count(f->db), 4);
}

static void test_api_answers(void **state)
{
    s_fix_t *f = *state;
    s_open(f);
    proto_article_t a = s_article("doc-1", "h1");
    char *story = NULL;
    assert_int_equal(s_insert(f, &a, &story), 1);
    char *json = NULL;
    assert_int_equal(store_db_article_json(f->db, "doc-1", &json), 0);
    proto_stored_t ev;
    assert_int_equal(proto_stored_from_json(json, strlen(json), &ev), 0);
    assert_string_equal(ev.article.title, "صفقة أسلحة للحوثيين");
    assert_int_equal(ev.article.n_claims, 1);
    /* the claim comes back whole, with the entities the extractor gave it */
    assert_int_equal(ev.article.claims[0].n_entities, 1);
    assert_string_equal(ev.article.claims[0].entities[0], "viktor_bout");
    proto_stored_clear(&ev);
    free(json);
    assert_int_equal(store_db_article_json(f->db, "nope", &json), 1);

    assert_int_equal(store_db_story_json(f->db, story, &json), 0);
    assert_non_null(strstr(json, "\"article_count\":1"));
    assert_non_null(strstr(json, "\"stance\":\"asserts\""));
    /* claim entities: the one named by the extractor and the mentions inside */
    assert_non_null(strstr(json, "\"entities\":[\"houthis\",\"viktor_bout\"]"));
    free(json);
    assert_int_equal(store_db_story_json(f->db, "nope", &json), 1);
    free(story);

    /* a catalog entity not yet seen in any article is known too */
    assert_int_equal(store_db_catalog_entity(f->db, "putin", "person", "Vladimir Putin"), 0);
    assert_int_equal(store_db_catalog_entity(f->db, "houthis", "org", "Houthis"), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM entities WHERE discovered = 0"), 3);
    assert_int_equal(sql_scalar(f->path, "SELECT article_count FROM entities WHERE id = 'houthis'"), 1);
    assert_int_equal(store_db_stats_json(f->db, &json), 0);
    assert_non_null(strstr(json, "\"articles\":1"));
    assert_non_null(strstr(json, "\"entities\":3"));
    assert_non_null(strstr(json, "\"last_seq\":1"));
    free(json);
}

static void test_prune_removes_old_articles_and_their_index(void **state)
{
    s_fix_t *f = *state;
    s_open(f);
    /* the keys of the first articles are merged into article_keys, those
     * of the last wait in keys_fresh: pruning deletes both */
    store_db_set_key_merge(f->db, 4, 100);
    char id[16], hash[16];
    for (int i = 0; i < 5; i++) {
        snprintf(id, sizeof id, "doc-%d", i);
        snprintf(hash, sizeof hash, "h-%d", i);
        proto_article_t a = s_article(id, hash);
        assert_int_equal(s_insert(f, &a, NULL), 1);
    }
    /* two entities each, filed by day */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM entity_days"), 10);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys"), 8);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM keys_fresh"), 1);
    /* nothing is older than a day ago */
    assert_int_equal(store_db_prune(f->db, (int64_t) time(NULL) - 86400, 2), 0);
    assert_int_equal(store_db_count(f->db), 5);
    /* everything is older than tomorrow: small batches until done */
    int64_t tomorrow = (int64_t) time(NULL) + 86400;
    /* one story, near-duplicates of doc-0 */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(DISTINCT story_id) FROM articles"), 1);
    assert_int_equal(store_db_prune(f->db, tomorrow, 2), 2);
    /* the story outlives its first article, and is still found by its id */
    char *json = NULL;
    assert_int_equal(store_db_story_json(f->db, "doc-0", &json), 0);
    assert_non_null(strstr(json, "\"article_count\":3"));
    assert_non_null(strstr(json, "\"id\":\"doc-4\""));
    assert_null(strstr(json, "\"id\":\"doc-1\""));
    free(json);
    assert_int_equal(store_db_story_json(f->db, "doc-2", &json), 1);
    assert_int_equal(store_db_prune(f->db, tomorrow, 2), 2);
    assert_int_equal(store_db_prune(f->db, tomorrow, 2), 1);
    assert_int_equal(store_db_prune(f->db, tomorrow, 2), 0);
    assert_int_equal(store_db_count(f->db), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM articles_fts"
                                    " WHERE articles_fts MATCH '\"حوثي\"'"), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM mentions"), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM entity_days"), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM stories"), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys"), 0);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM keys_fresh"), 0);
    /* the sequence is never reused */
    assert_int_equal(store_db_last_seq(f->db), 5);
    proto_article_t a = s_article("doc-9", "h-9");
    assert_int_equal(s_insert(f, &a, NULL), 1);
    assert_int_equal(store_db_last_seq(f->db), 6);
    /* a pruned article is not known any more: sent again, it is stored */
    proto_article_t old = s_article("doc-1", "h-1");
    assert_int_equal(s_insert(f, &old, NULL), 1);
    /* the merge before that insert filed doc-9's keys, not those of doc-4,
     * pruned while its keys waited in memory */
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys WHERE seq = 6"), 2);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM article_keys"), 2);
}

static void test_backup_is_a_consistent_copy(void **state)
{
    s_fix_t *f = *state;
    s_open(f);
    proto_article_t a = s_article("doc-1", "h1");
    assert_int_equal(s_insert(f, &a, NULL), 1);
    char dest[160], *err = NULL;
    snprintf(dest, sizeof dest, "%s/copy.db", f->dir);
    /* while the store holds the file open (and could be writing) */
    assert_int_equal(store_backup(f->path, dest, &err), 0);
    assert_int_equal(sql_scalar(dest, "SELECT COUNT(*) FROM articles"), 1);
    assert_int_equal(sql_scalar(dest, "PRAGMA user_version"), STORE_DB_VERSION);
    assert_int_equal(sql_scalar(dest, "SELECT COUNT(*) FROM articles_fts"
                                 " WHERE articles_fts MATCH '\"حوثي\"'"), 1);
    /* a missing source is an error, not an empty copy */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/none.db", f->dir);
    assert_int_equal(store_backup(missing, dest, &err), -1);
    assert_non_null(err);
    free(err);
}

static void test_full_disk_stops_then_resumes(void **state)
{
    s_fix_t *f = *state;
    s_open(f);
    proto_article_t a = s_article("doc-0", "h-0");
    assert_int_equal(s_insert(f, &a, NULL), 1);
    int64_t bytes = sql_scalar(f->path, "SELECT page_count * page_size FROM pragma_page_count(),"
                                   " pragma_page_size()");
    /* Cap the file at (about) its current size, then fill it. */
    assert_int_equal(store_db_set_max_size(f->db, bytes + 4096), 0);
    static char big[200000];
    memset(big, 'x', sizeof big - 1);
    int rc = 1, stored = 1;
    char id[16], hash[16];
    for (int i = 1; i < 100 && rc == 1; i++) {
        snprintf(id, sizeof id, "doc-%d", i);
        snprintf(hash, sizeof hash, "h-%d", i);
        proto_article_t b = s_article(id, hash);
        b.text = big;
        b.n_mentions = 0;
        b.n_claims = 0;
        rc = s_insert(f, &b, NULL);
        if (rc == 1)
            stored++;
    }
    assert_int_equal(rc, STORE_DB_ENOSPC);
    /* nothing half-written: what was committed is there, the failed one not */
    assert_int_equal(store_db_count(f->db), stored);
    snprintf(id, sizeof id, "doc-%d", stored);
    char *json = NULL;
    assert_int_equal(store_db_article_json(f->db, id, &json), 1);
    /* space returns: the same article is stored, after the others */
    assert_int_equal(store_db_set_max_size(f->db, 0), 0);
    snprintf(hash, sizeof hash, "h-%d", stored);
    proto_article_t b = s_article(id, hash);
    b.text = big;
    b.n_mentions = 0;
    b.n_claims = 0;
    assert_int_equal(s_insert(f, &b, NULL), 1);
    assert_int_equal(store_db_count(f->db), stored + 1);
    assert_int_equal(store_db_last_seq(f->db), stored + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_version_1_file_migrates_with_data_intact, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_api_answers, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_prune_removes_old_articles_and_their_index, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_backup_is_a_consistent_copy, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_full_disk_stops_then_resumes, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
