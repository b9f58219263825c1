/*
 * main.c — marsad-fetcher: polls the sources and pushes `raw` documents
 * (see fetcher.c).  All options, config and signals: runtime/daemon.c.
 */
#include "daemon.h"
#include "fetcher.h"

static const marsad_stage_t s_stage = {
    "fetcher", "polls news sources and pushes new documents to the extractors", fetcher_run
};

int main(int argc, char **argv)
{
    return marsad_daemon_run(argc, argv, &s_stage);
}
