/*
 * store_key.c — 64-bit keys of strings (see store_key.h).
 */
#include "store_key.h"
#include "fnv1a.h"

#include <stddef.h>

int64_t store_key(const char *s)
{
    uint64_t h = fnv1a_str(FNV1A_BASIS, s ? s : "");  /* FNV-1a ... */
    h ^= h >> 31;                                     /* ... with its bits mixed */
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 29;
    return (int64_t) h;
}

static void s_sql_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void) argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_int64(ctx, store_key((const char *) sqlite3_value_text(argv[0])));
}

int store_key_register(sqlite3 *db)
{
    return sqlite3_create_function(db, "marsad_key", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   s_sql_key, NULL, NULL);
}
