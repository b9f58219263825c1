/*
 * db_migrate.h — versioned schema migrations for marsad's SQLite files
 * (the store's marsad.db, the alerter's alerter.db).
 *
 * A file's version is its PRAGMA user_version; migration N brings it from
 * N-1 to N, inside one transaction with the version bump, so a crash in
 * the middle leaves the file at N-1, whole.  A file newer than the code is
 * refused, never "downgraded" by guesswork.
 */
#ifndef MARSAD_DB_MIGRATE_H
#define MARSAD_DB_MIGRATE_H

#include <sqlite3.h>

typedef struct {
    const char *sql;                /* the statements of this step */
    int (*after)(sqlite3 *db);      /* optional: C work in the same transaction, 0 = ok */
} db_migration_t;

/* "DOING: sqlite's message" (DB's last error; "out of memory" when DB is
 * NULL), malloc'd for the caller to free; NULL if out of memory.  Every
 * SQLite file of marsad reports its errors this way. */
char *db_reason(sqlite3 *db, const char *doing);

/* The file's schema version, or -1 if it cannot be read. */
int db_user_version(sqlite3 *db);

/* Apply STEPS[v .. TARGET-1] (N steps in all) to DB, whose version is v.
 * WHAT names the file in messages ("alert database").  Returns 0, or -1
 * with *ERR a malloc'd reason (caller frees; NULL if out of memory). */
int db_migrate(sqlite3 *db, const db_migration_t *steps, int n, int target, const char *what,
               char **err);

#endif
