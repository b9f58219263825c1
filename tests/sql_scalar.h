/*
 * sql_scalar.h — for the store's tests: one integer that a read-only SQL
 * query gives on the file at PATH, read as another process would read it
 * while the store runs.  The test fails (cmocka) when the file cannot be
 * opened, the query is wrong or it gives no row.
 */
#ifndef MARSAD_SQL_SCALAR_H
#define MARSAD_SQL_SCALAR_H

#include <stdint.h>

int64_t sql_scalar(const char *path, const char *sql);

#endif
