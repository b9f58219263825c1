/*
 * test_store_entity_days.c — the entity-by-day index (store_entity_days.c):
 * the key of an id is fixed (every stored file holds keys: a change needs
 * a migration), days are floored, the story decision's query gives the
 * articles of the nine days around one, the latest day first, and
 * search's query gives those of every day, before 1970 too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store_entity_days.h"
#include "store_key.h"

static void test_key_and_day(void **state)
{
    (void) state;
    /* pinned: files hold these */
    assert_true(store_key("viktor_bout") == (int64_t) 0x5dde23cf1e98999dULL);
    assert_true(store_key("houthis") != store_key("viktor_bout"));
    assert_true(store_key("new:فيكتور بوت") != store_key("new:فيكتور"));
    /* the migrations' SQL twin gives the same keys */
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(store_key_register(db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT marsad_key('new:فيكتور بوت'),"
                                        " marsad_key(NULL) IS NULL", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_true(sqlite3_column_int64(st, 0) == store_key("new:فيكتور بوت"));
    assert_int_equal(sqlite3_column_int(st, 1), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(store_entity_day(0), 0);
    assert_int_equal(store_entity_day(86399), 0);
    assert_int_equal(store_entity_day(86400), 1);
    assert_int_equal(store_entity_day(-1), -1);
    assert_int_equal(store_entity_day(-86400), -1);
    assert_int_equal(store_entity_day(-86401), -2);
}

/* The seqs QUERY gives with ?1 = KEY and ?2 = DAY, as "s1 s2 ...". */
static const char *s_run(sqlite3 *db, const char *query, int64_t key, int64_t day)
{
    static char out[256];
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, key);
    sqlite3_bind_int64(st, 2, day);
    out[0] = '\0';
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%lld", out[0] ? " " : "",
                 (long long) sqlite3_column_int64(st, 0));
    assert_int_equal(rc, SQLITE_DONE);
    sqlite3_finalize(st);
    return out;
}

static void test_queries(void **state)
{
    (void) state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, STORE_ENTITY_DAYS_SQL, NULL, NULL, NULL), SQLITE_OK);
    int64_t k = store_key("bout"), other = store_key("putin");
    /* (day, seq) of the articles naming bout, and some naming putin */
    const int64_t rows[][2] = { { 10, 1 }, { 13, 2 }, { 13, 5 }, { 16, 6 }, { 17, 7 },
                                { 20, 8 }, { -3, 9 }, { 7, 10 } };
    sqlite3_stmt *ins;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO entity_days VALUES (?1, ?2, ?3)", -1,
                                        &ins, NULL), SQLITE_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (int e = 0; e < 2; e++) {
            if (e == 1 && i % 2)
                continue;
            sqlite3_bind_int64(ins, 1, rows[i][0]);
            sqlite3_bind_int64(ins, 2, e ? other : k);
            sqlite3_bind_int64(ins, 3, rows[i][1] + 100 * e);
            assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
            sqlite3_reset(ins);
        }
    }
    sqlite3_finalize(ins);
    /* around day 12: days 8 .. 16, the latest day first */
    assert_string_equal(s_run(db, STORE_ENTITY_DAYS_NEAR, k, 12), "6 5 2 1");
    assert_string_equal(s_run(db, STORE_ENTITY_DAYS_NEAR " LIMIT 2", k, 12), "6 5");
    assert_string_equal(s_run(db, STORE_ENTITY_DAYS_NEAR, other, 12), "105 101");
    assert_string_equal(s_run(db, STORE_ENTITY_DAYS_NEAR, k, 100), "");
    /* every day, from before 1970 on */
    char all[512], sql[600];
    store_entity_days_all(all, sizeof all, 1);
    snprintf(sql, sizeof sql, "%s ORDER BY 1", all);
    assert_string_equal(s_run(db, sql, k, 0), "1 2 5 6 7 8 9 10");
    assert_string_equal(s_run(db, sql, store_key("nobody"), 0), "");
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_and_day),
        cmocka_unit_test(test_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
