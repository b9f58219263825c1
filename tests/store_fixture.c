/*
 * store_fixture.c — a store file in a temporary folder (see
 * store_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store_fixture.h"

store_fixture_t *store_fixture_new(const char *name)
{
    store_fixture_t *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    snprintf(f->dir, sizeof f->dir, "/tmp/marsad-%s-XXXXXX", name);
    if (!mkdtemp(f->dir)) {
        free(f);
        return NULL;
    }
    snprintf(f->path, sizeof f->path, "%s/marsad.db", f->dir);
    return f;
}

void store_fixture_open(store_fixture_t *f)
{
    char *err = NULL;
    f->db = store_db_open(f->path, &err);
    if (!f->db)
        fail_msg("opening %s: %s", f->path, err ? err : "?");
    free(err);
}

int store_fixture_destroy(store_fixture_t **f_p)
{
    store_fixture_t *f = *f_p;
    if (!f)
        return 0;
    store_db_close(&f->db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    int rc = system(cmd) == 0 ? 0 : -1;
    free(f);
    *f_p = NULL;
    return rc;
}
