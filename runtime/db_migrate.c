/*
 * db_migrate.c — the migration runner of db_migrate.h, shared by the store
 * and the alerter so both files upgrade the same way.
 */
#include "db_migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int db_user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

char *db_reason(sqlite3 *db, const char *doing)
{
    const char *m = db ? sqlite3_errmsg(db) : "out of memory";
    size_t n = strlen(doing) + strlen(m) + 3;
    char *e = malloc(n);
    if (e)
        snprintf(e, n, "%s: %s", doing, m);
    return e;
}

int db_migrate(sqlite3 *db, const db_migration_t *steps, int n, int target, const char *what,
               char **err)
{
    *err = NULL;
    int v = db_user_version(db);
    if (v < 0) {
        *err = db_reason(db, "reading the schema version");
        return -1;
    }
    if (v > n) {
        char buf[200];
        snprintf(buf, sizeof buf, "%s schema version %d is newer than this marsad (%d)", what,
                 v, n);
        *err = strdup(buf);
        return -1;
    }
    for (; v < target && v < n; v++) {
        char pragma[64], doing[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", v + 1);
        snprintf(doing, sizeof doing, "migration %d", v + 1);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK
            || sqlite3_exec(db, steps[v].sql, NULL, NULL, NULL) != SQLITE_OK
            || (steps[v].after && steps[v].after(db) != 0)
            || sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
            *err = db_reason(db, doing);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            *err = db_reason(db, "committing a migration");
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}
