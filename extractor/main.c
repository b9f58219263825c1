/*
 * main.c — marsad-extractor: text, metadata and entities from raw documents.
 * The loop is in extractor.c; the skeleton in runtime/daemon.c.
 */
#include "daemon.h"
#include "extractor.h"

static const marsad_stage_t s_stage = {
    "extractor", "turn fetched pages into articles: clean text, language, entities",
    extractor_run
};

int main(int argc, char **argv) { return marsad_daemon_run(argc, argv, &s_stage); }
