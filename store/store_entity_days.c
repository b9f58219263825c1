/*
 * store_entity_days.c — entity days, and the filling of entity_days
 * (see store_entity_days.h).
 */
#include "store_entity_days.h"
#include "store_key.h"

#include <stdio.h>

int64_t store_entity_day(int64_t t)
{
    /* floor, for times before 1970 too */
    return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

void store_entity_days_all(char *buf, size_t size, int param)
{
    /* one seek a day, from the first day filed to the last: the days as
     * an IN list, which SQLite walks seeking (day, entity) */
    snprintf(buf, size,
             "SELECT e.seq FROM entity_days e WHERE e.entity = ?%d AND e.day IN"
             " (WITH RECURSIVE d(x) AS (SELECT MIN(day) FROM entity_days UNION ALL"
             " SELECT x + 1 FROM d WHERE x < (SELECT MAX(day) FROM entity_days))"
             " SELECT x FROM d)", param);
}

int store_entity_days_fill(sqlite3 *db)
{
    sqlite3_stmt *rd = NULL, *ins = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT article_seq, entity, event_time FROM mentions", -1, &rd,
                           NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO entity_days VALUES (?1, ?2, ?3)", -1,
                              &ins, NULL) != SQLITE_OK)
        goto out;
    int step;
    while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
        sqlite3_bind_int64(ins, 1, store_entity_day(sqlite3_column_int64(rd, 2)));
        sqlite3_bind_int64(ins, 2, store_key((const char *) sqlite3_column_text(rd, 1)));
        sqlite3_bind_int64(ins, 3, sqlite3_column_int64(rd, 0));
        int r = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (r != SQLITE_DONE)
            goto out;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
out:
    sqlite3_finalize(rd);
    sqlite3_finalize(ins);
    return rc;
}
