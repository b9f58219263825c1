/*
 * main.c — marsad-store: the pipeline's memory (DESIGN §6).  All the work
 * is in store.c; the skeleton in runtime/daemon.c does options and signals.
 */
#include "daemon.h"
#include "store.h"

static const marsad_stage_t s_stage = {
    "store", "commit extracted articles to SQLite, acknowledge them and announce them",
    store_run
};

int main(int argc, char **argv) { return marsad_daemon_run(argc, argv, &s_stage); }
