/*
 * test_store_counts.c — the entities' counters, written behind
 * (store_counts.c), through the store's API:
 *  - every article is counted once, whether its count was written at a
 *    commit, in an idle moment or at close;
 *  - a crash (a child process that stores and exits without closing)
 *    loses nothing and counts nothing twice: the next open counts the
 *    articles the table lacks;
 *  - a rolled-back transaction counts nothing;
 *  - one transaction naming more entities than are kept in memory is
 *    written as it goes and still counts each once;
 *  - a file of version 4 is taken as fully counted.
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"
#include "sql_scalar.h"
#include "store_db.h"
#include "store_fixture.h"

typedef store_fixture_t s_fix_t;

static int s_setup(void **state)
{
    s_fix_t *f = store_fixture_new("counts");
    if (!f)
        return -1;
    *state = f;
    return 0;
}

static int s_teardown(void **state) { return store_fixture_destroy((s_fix_t **) state); }

static void s_open(s_fix_t *f) { store_fixture_open(f); }

/* Article N naming the N_ENT entities IDS (each twice: one count). */
static int s_put(store_db_t *db, int n, const char **ids, size_t n_ent, const char *published)
{
    char id[32], hash[32], text[96];
    snprintf(id, sizeof id, "doc-%d", n);
    snprintf(hash, sizeof hash, "hash-%d", n);
    snprintf(text, sizeof text, "نص رقم %d عن موضوع مختلف %d", n, n * 7);
    proto_mention_t *m = calloc(2 * n_ent, sizeof *m);
    for (size_t i = 0; i < 2 * n_ent; i++)
        m[i] = (proto_mention_t) { .entity = (char *) ids[i % n_ent], .type = "person",
                                   .surface = "x", .start = 0, .end = 1 };
    proto_article_t a = {
        .id = id, .source = "test", .url = id, .title = id, .text = text, .lang = "ar",
        .published_at = (char *) published, .fetched_at = "2026-11-25T10:00:00Z",
        .content_hash = hash, .mentions = m, .n_mentions = 2 * n_ent,
    };
    int64_t seq;
    char *story = NULL, *err = NULL;
    bool dup;
    int rc = store_db_insert(db, &a, &seq, &story, &dup, &err);
    if (rc < 0)
        fprintf(stderr, "insert: %s\n", err ? err : "?");
    free(story);
    free(err);
    free(m);
    return rc;
}

/* Article N naming ID, in a transaction of its own. */
static void s_store(store_db_t *db, int n, const char *id, const char *published)
{
    assert_int_equal(store_db_begin(db), 0);
    assert_int_equal(s_put(db, n, &id, 1, published), 1);
    assert_int_equal(store_db_commit(db), 0);
}

static int64_t s_count(s_fix_t *f, const char *id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT article_count FROM entities WHERE id = '%s'", id);
    return sql_scalar(f->path, sql);
}

static void test_each_article_counted_once(void **state)
{
    s_fix_t *f = *state;
    s_open(f);
    s_store(f->db, 1, "bout", "2026-11-20T06:00:00Z");
    /* the first commit writes (nothing was ever written) */
    assert_int_equal(s_count(f, "bout"), 1);
    s_store(f->db, 2, "bout", "2026-11-19T06:00:00Z");
    s_store(f->db, 3, "bout", "2026-11-21T06:00:00Z");
    /* written in an idle moment, by force here */
    assert_int_equal(store_db_write_counts(f->db, true), 0);
    assert_int_equal(s_count(f, "bout"), 3);
    assert_int_equal(sql_scalar(f->path, "SELECT first_seen = '2026-11-19T06:00:00Z'"
                                         " AND last_seen = '2026-11-21T06:00:00Z'"
                                         " FROM entities WHERE id = 'bout'"), 1);
    s_store(f->db, 4, "bout", "2026-11-22T06:00:00Z");
    s_store(f->db, 5, "houthis", "2026-11-22T06:00:00Z");
    store_db_close(&f->db);
    assert_int_equal(s_count(f, "bout"), 4);
    assert_int_equal(s_count(f, "houthis"), 1);
    /* and opening again counts nothing twice */
    s_open(f);
    store_db_close(&f->db);
    assert_int_equal(s_count(f, "bout"), 4);
    assert_int_equal(sql_scalar(f->path, "SELECT seq FROM counters WHERE name = 'entities'"), 5);
}

static void test_crash_loses_and_doubles_nothing(void **state)
{
    s_fix_t *f = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* the daemon: stores five articles, one commit each, and dies */
        char *err = NULL;
        store_db_t *db = store_db_open(f->path, &err);
        if (!db)
            _exit(10);
        const char *id = "bout";
        for (int n = 1; n <= 5; n++) {
            if (store_db_begin(db) != 0 || s_put(db, n, &id, 1, "2026-11-20T06:00:00Z") != 1
                || store_db_commit(db) != 0)
                _exit(11);
        }
        /* what the table says when it dies: the first commit's count only
         * (the others wait in memory for up to a second) */
        sqlite3 *rd;
        sqlite3_stmt *st;
        int seen = -1;
        if (sqlite3_open_v2(f->path, &rd, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
            && sqlite3_prepare_v2(rd, "SELECT article_count FROM entities WHERE id = 'bout'", -1,
                                  &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                seen = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
        sqlite3_close(rd);
        _exit(seen);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    int seen = WEXITSTATUS(status);
    assert_true(seen >= 1 && seen < 5);      /* 10, 11: the child failed */
    /* the next start counts what the table lacked, once */
    s_open(f);
    assert_int_equal(s_count(f, "bout"), 5);
    s_store(f->db, 6, "bout", "2026-11-20T06:00:00Z");
    store_db_close(&f->db);
    assert_int_equal(s_count(f, "bout"), 6);
}

static void test_rollback_counts_nothing(void **state)
{
    s_fix_t *f = *state;
    s_open(f);
    s_store(f->db, 1, "bout", "2026-11-20T06:00:00Z");
    s_store(f->db, 2, "bout", "2026-11-20T07:00:00Z");
    assert_int_equal(store_db_begin(f->db), 0);
    const char *id = "bout";
    assert_int_equal(s_put(f->db, 3, &id, 1, "2026-11-20T08:00:00Z"), 1);
    assert_int_equal(s_put(f->db, 4, &id, 1, "2026-11-20T09:00:00Z"), 1);
    store_db_rollback(f->db);
    s_store(f->db, 5, "bout", "2026-11-20T10:00:00Z");
    store_db_close(&f->db);
    assert_int_equal(s_count(f, "bout"), 3);
    assert_int_equal(sql_scalar(f->path, "SELECT last_seen = '2026-11-20T10:00:00Z'"
                                         " FROM entities WHERE id = 'bout'"), 1);
}

/* More entities in one transaction than memory keeps (16,384): written
 * as it goes, each counted once, and the rarity of each still right. */
static void test_long_transaction_written_as_it_goes(void **state)
{
    s_fix_t *f = *state;
    s_open(f);
    enum { N_ART = 9, PER = 2500 };
    const char **ids = calloc(PER, sizeof *ids);
    char (*names)[24] = calloc((size_t) N_ART * PER, sizeof *names);
    assert_int_equal(store_db_begin(f->db), 0);
    for (int n = 0; n < N_ART; n++) {
        for (int i = 0; i < PER; i++) {
            snprintf(names[n * PER + i], sizeof names[0], "e%d", n * PER + i);
            ids[i] = names[n * PER + i];
        }
        assert_int_equal(s_put(f->db, n, ids, PER, "2026-11-20T06:00:00Z"), 1);
    }
    /* and the first article's entities again */
    for (int i = 0; i < PER; i++)
        ids[i] = names[i];
    assert_int_equal(s_put(f->db, 100, ids, PER, "2026-11-20T06:00:00Z"), 1);
    assert_int_equal(store_db_commit(f->db), 0);
    store_db_close(&f->db);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM entities WHERE article_count = 1"),
                     (N_ART - 1) * PER);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM entities WHERE article_count = 2"),
                     PER);
    free(ids);
    free(names);
}

static int64_t s_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A quiet store writes the counts 100 ms after the last write; one that
 * counted more than 64 articles since, once a second. */
static void test_busy_store_writes_once_a_second(void **state)
{
    s_fix_t *f = *state;
    s_open(f);
    s_store(f->db, 1, "bout", "2026-11-20T06:00:00Z");
    int64_t written = s_ms();
    assert_int_equal(s_count(f, "bout"), 1);
    usleep(150 * 1000);
    s_store(f->db, 2, "bout", "2026-11-20T06:00:00Z");
    written = s_ms();
    assert_int_equal(s_count(f, "bout"), 2);
    /* busy: 70 articles in one transaction */
    const char *id = "bout";
    assert_int_equal(store_db_begin(f->db), 0);
    for (int n = 3; n < 73; n++)
        assert_int_equal(s_put(f->db, n, &id, 1, "2026-11-20T06:00:00Z"), 1);
    assert_int_equal(store_db_commit(f->db), 0);
    usleep(150 * 1000);
    s_store(f->db, 73, "bout", "2026-11-20T06:00:00Z");
    /* (a machine too slow to get here within the second writes, rightly) */
    if (s_ms() - written < 900)
        assert_int_equal(s_count(f, "bout"), 2);
    else
        fprintf(stderr, "note: too slow to check the busy store's wait\n");
    while (s_ms() - written < 1100)
        usleep(50 * 1000);
    s_store(f->db, 74, "bout", "2026-11-20T06:00:00Z");
    assert_int_equal(s_count(f, "bout"), 74);
    /* quiet again: 100 ms */
    usleep(150 * 1000);
    s_store(f->db, 75, "bout", "2026-11-20T06:00:00Z");
    assert_int_equal(s_count(f, "bout"), 75);
}

/* A file written by version 4 counted every article as it was stored:
 * migrating takes it as counted to its last article. */
static void test_version_4_file_is_counted(void **state)
{
    s_fix_t *f = *state;
    char *err = NULL;
    assert_int_equal(store_db_migrate_file(f->path, 4, &err), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
        "INSERT INTO articles (id, source, url, title, text, lang, fetched_at, stored_at,"
        " content_hash, story_id) VALUES ('old', 's', 'u', 't', 'x', 'ar', '2026-11-01T00:00:00Z',"
        " '2026-11-01T00:00:00Z', 'h', 'old');"
        "INSERT INTO mentions (article_seq, entity, type, surface, start, end, sentence)"
        " VALUES (1, 'bout', 'person', 'x', 0, 1, 0);"
        "INSERT INTO entities (id, type, name, discovered, article_count)"
        " VALUES ('bout', 'person', 'x', 0, 1);", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    s_open(f);
    assert_int_equal(sql_scalar(f->path, "SELECT seq FROM counters WHERE name = 'entities'"), 1);
    s_store(f->db, 2, "bout", "2026-11-20T06:00:00Z");
    store_db_close(&f->db);
    assert_int_equal(s_count(f, "bout"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_each_article_counted_once, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_crash_loses_and_doubles_nothing, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_rollback_counts_nothing, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_long_transaction_written_as_it_goes, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_busy_store_writes_once_a_second, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_version_4_file_is_counted, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
