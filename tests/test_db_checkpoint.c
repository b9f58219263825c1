/*
 * test_db_checkpoint.c — WAL checkpoints on their own thread
 * (runtime/db_checkpoint.h): the thread keeps the log short while a writer
 * commits without pause, the writer never has to checkpoint itself, the
 * data is all there afterwards, and destroying it hands checkpoints back
 * to SQLite.  A real SQLite file in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_checkpoint.h"

#define S_COMMITS 6000

static long long s_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long) st.st_size : 0;
}

static void s_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* S_COMMITS commits of one ~3 KB row each: a page or two in the log each,
 * ~12,000 pages in all, which without checkpoints would all stay in the
 * log (the writer's own fallback starts at DB_CHECKPOINT_HARD pages). */
static void test_thread_keeps_the_log_short(void **state)
{
    (void) state;
    char dir[] = "/tmp/marsad-ckpt-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], wal[300];
    snprintf(path, sizeof path, "%s/t.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* Syncs off: they would only slow the test; what is checked is who
     * copies the log and when. */
    sqlite3_busy_timeout(db, 5000);     /* as the store and the alerter */
    s_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
               " CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
    char *err = NULL;
    db_checkpoint_t *ck = db_checkpoint_new(db, path, &err);
    assert_non_null(ck);
    assert_null(err);

    sqlite3_stmt *ins = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t (body) VALUES (zeroblob(3000))", -1,
                                        &ins, NULL), SQLITE_OK);
    long long biggest = 0;
    for (int i = 0; i < S_COMMITS; i++) {
        assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
        usleep(100);    /* a busy store's pace, not a memory copy's */
        if (i % 100 == 0 && s_size(wal) > biggest)
            biggest = s_size(wal);
    }
    sqlite3_finalize(ins);
    if (s_size(wal) > biggest)
        biggest = s_size(wal);
    assert_true(db_checkpoint_done(ck) > 0);
    assert_int_equal(db_checkpoint_by_writer(ck), 0);
    /* Without the thread the log would hold ~12,000 pages (~48 MB). */
    long long bound = 5000LL * 4096;
    if (biggest >= bound)
        fail_msg("the log grew to %lld bytes (bound %lld)", biggest, bound);

    sqlite3_stmt *cnt = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM t", -1, &cnt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(cnt), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(cnt, 0), S_COMMITS);
    sqlite3_finalize(cnt);

    db_checkpoint_destroy(&ck);
    assert_null(ck);
    db_checkpoint_destroy(&ck);     /* harmless twice */
    /* SQLite's own checkpoints are back: the hook no longer points at the
     * freed object (ASan would see it), and commits go on. */
    s_exec(db, "INSERT INTO t (body) VALUES (zeroblob(10))");
    assert_int_equal(sqlite3_close(db), SQLITE_OK);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM t", -1, &cnt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(cnt), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(cnt, 0), S_COMMITS + 1);
    sqlite3_finalize(cnt);
    sqlite3_close(db);
    unlink(path);
    unlink(wal);
    char shm[300];
    snprintf(shm, sizeof shm, "%s-shm", path);
    unlink(shm);
    rmdir(dir);
}

/* A file it cannot open: NULL and a reason, and the writer untouched. */
static void test_bad_path(void **state)
{
    (void) state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    char *err = NULL;
    db_checkpoint_t *ck = db_checkpoint_new(db, "/nonexistent-dir/x.db", &err);
    assert_null(ck);
    assert_non_null(err);
    assert_non_null(strstr(err, "/nonexistent-dir/x.db"));
    free(err);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_keeps_the_log_short),
        cmocka_unit_test(test_bad_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
