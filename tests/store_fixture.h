/*
 * store_fixture.h — for the store's tests: a store file in a temporary
 * folder of its own, opened when the test wants it, and removed with the
 * folder afterwards.
 */
#ifndef MARSAD_STORE_FIXTURE_H
#define MARSAD_STORE_FIXTURE_H

#include "store_db.h"

typedef struct {
    char dir[64];               /* /tmp/marsad-NAME-XXXXXX */
    char path[128];             /* DIR/marsad.db */
    store_db_t *db;             /* NULL until store_fixture_open */
} store_fixture_t;

/* A new folder named after NAME; NULL if it cannot be made. */
store_fixture_t *store_fixture_new(const char *name);

/* Open (and migrate) the file into F->db; the test fails (cmocka) if it
 * cannot, with the store's reason. */
void store_fixture_open(store_fixture_t *f);

/* Close the store, remove the folder and free *F_P.  Returns 0, or -1 if
 * the folder could not be removed. */
int store_fixture_destroy(store_fixture_t **f_p);

#endif
