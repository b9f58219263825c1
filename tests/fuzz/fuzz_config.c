/*
 * fuzz_config.c — libFuzzer target for the config reader (proto/config.c):
 * marsad.conf is written by people, so any bytes must give a config or an
 * error "FILE:LINE: what" — never a crash.  config_load reads a path, so each
 * input is written to a file in a private temporary directory first (an
 * `include` in the input may name files there, or anywhere).
 * Seed corpus: tests/fuzz/corpus_config/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char s_path[64], s_dir[48];

/* libFuzzer ends with exit(): leave no temporary directory behind. */
static void s_cleanup(void)
{
    unlink(s_path);
    rmdir(s_dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!s_path[0]) {
        snprintf(s_dir, sizeof s_dir, "/tmp/marsad-fuzz-config.XXXXXX");
        if (!mkdtemp(s_dir))
            abort();
        snprintf(s_path, sizeof s_path, "%s/marsad.conf", s_dir);
        atexit(s_cleanup);
    }
    FILE *f = fopen(s_path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    char *err = NULL;
    marsad_config_t *cfg = config_load(s_path, &err);
    if (cfg)
        config_destroy(&cfg);
    else if (!err || !strstr(err, ":"))
        abort();   /* an error always names where */
    free(err);
    return 0;
}
