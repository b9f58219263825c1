/*
 * store_backup.c — online backup of the store (see store_backup.h).
 *
 * sqlite3_backup_step() copies S_PAGES pages per step; when the writer
 * changes the source between steps, SQLite restarts the copy, so the result
 * is always one consistent snapshot.  The source is opened read-only: a
 * backup can never damage what it copies.
 */
#include "store_backup.h"
#include "db_migrate.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_PAGES 256

int store_backup(const char *src, const char *dest, char **err)
{
    *err = NULL;
    sqlite3 *from = NULL, *to = NULL;
    int rc = -1;
    if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        *err = db_reason(from, src);
        goto out;
    }
    sqlite3_busy_timeout(from, 5000);
    /* A file that is not a database fails here, not half-way through. */
    if (sqlite3_exec(from, "SELECT COUNT(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK) {
        *err = db_reason(from, src);
        goto out;
    }
    if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
        != SQLITE_OK) {
        *err = db_reason(to, dest);
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        *err = db_reason(to, "starting the backup");
        goto out;
    }
    int step;
    do {
        step = sqlite3_backup_step(b, S_PAGES);
        if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
            usleep(20000);
    } while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) {
        *err = db_reason(to, "copying");
        goto out;
    }
    rc = 0;
out:
    sqlite3_close(from);
    sqlite3_close(to);
    if (rc != 0 && to)
        unlink(dest);
    return rc;
}
