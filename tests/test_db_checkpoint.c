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

/* A page in the log: 4 KiB and its 24-byte frame header. */
#define S_FRAME (4096 + 24)

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

typedef struct {
    char dir[64], path[128], wal[160];
    sqlite3 *db;
    db_checkpoint_t *ck;
    sqlite3_stmt *ins;
    long long biggest;      /* the log file's size at its largest */
} s_fix_t;

static void s_open(s_fix_t *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/marsad-ckpt-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    snprintf(f->wal, sizeof f->wal, "%s-wal", f->path);
    assert_int_equal(sqlite3_open(f->path, &f->db), SQLITE_OK);
    sqlite3_busy_timeout(f->db, 5000);     /* as the store and the alerter */
    /* Syncs off: they would only slow the test; what is checked is who
     * copies the log and when. */
    s_exec(f->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
                  " CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
    char *err = NULL;
    f->ck = db_checkpoint_new(f->db, f->path, &err);
    assert_non_null(f->ck);
    assert_null(err);
    assert_int_equal(sqlite3_prepare_v2(f->db, "INSERT INTO t (body) VALUES (zeroblob(3000))",
                                        -1, &f->ins, NULL), SQLITE_OK);
}

/* N commits of one ~3 KB row each (a page or two in the log each). */
static void s_commits(s_fix_t *f, int n)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(sqlite3_step(f->ins), SQLITE_DONE);
        sqlite3_reset(f->ins);
        if (i % 50 == 0 && s_size(f->wal) > f->biggest)
            f->biggest = s_size(f->wal);
    }
    if (s_size(f->wal) > f->biggest)
        f->biggest = s_size(f->wal);
}

static int s_count(sqlite3 *db)
{
    sqlite3_stmt *cnt = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM t", -1, &cnt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(cnt), SQLITE_ROW);
    int n = sqlite3_column_int(cnt, 0);
    sqlite3_finalize(cnt);
    return n;
}

/* Destroy the checkpointer, commit once more (SQLite's own checkpoints
 * are back: the hook no longer points at the freed object, which ASan
 * would see), close, reopen: all N + 1 rows are there. */
static void s_close_check(s_fix_t *f, int n)
{
    sqlite3_finalize(f->ins);
    assert_int_equal(s_count(f->db), n);
    db_checkpoint_destroy(&f->ck);
    assert_null(f->ck);
    db_checkpoint_destroy(&f->ck);     /* harmless twice */
    s_exec(f->db, "INSERT INTO t (body) VALUES (zeroblob(10))");
    assert_int_equal(sqlite3_close(f->db), SQLITE_OK);
    assert_int_equal(sqlite3_open(f->path, &f->db), SQLITE_OK);
    assert_int_equal(s_count(f->db), n + 1);
    sqlite3_close(f->db);
    char shm[200];
    snprintf(shm, sizeof shm, "%s-shm", f->path);
    unlink(f->path);
    unlink(f->wal);
    unlink(shm);
    rmdir(f->dir);
}

/* Bursts of commits with pauses between them, as a store sees: the thread
 * copies the log during the pauses and it starts over, so it stays near
 * DB_CHECKPOINT_WAKE pages.  Without the thread the ~8,000 pages would
 * all stay in the log; with SQLite's own checkpoints, done would be 0. */
static void test_thread_keeps_the_log_short(void **state)
{
    (void) state;
    s_fix_t f;
    s_open(&f);
    for (int burst = 0; burst < 16; burst++) {
        s_commits(&f, 250);
        usleep(100 * 1000);     /* a pass copies and syncs the file */
    }
    assert_true(db_checkpoint_done(f.ck) > 0);
    assert_int_equal(db_checkpoint_by_writer(f.ck), 0);
    long long bound = 3000LL * S_FRAME;
    if (f.biggest >= bound)
        fail_msg("the log grew to %lld bytes (bound %lld)", f.biggest, bound);
    s_close_check(&f, 16 * 250);
}

/* A writer that never pauses (~32,000 pages): the thread copies most of
 * the log, the writer copies the rest at DB_CHECKPOINT_HARD pages, and
 * waits for a pass under way past a quarter more, so the log stays under
 * that. */
static void test_writer_without_pauses(void **state)
{
    (void) state;
    s_fix_t f;
    s_open(&f);
    s_commits(&f, 16000);
    assert_true(db_checkpoint_done(f.ck) > 0);
    long long bound = (DB_CHECKPOINT_HARD + DB_CHECKPOINT_HARD / 4 + 100LL) * S_FRAME;
    if (f.biggest >= bound)
        fail_msg("the log grew to %lld bytes (bound %lld)", f.biggest, bound);
    s_close_check(&f, 16000);
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
        cmocka_unit_test(test_writer_without_pauses),
        cmocka_unit_test(test_bad_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
