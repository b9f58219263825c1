/*
 * fuzz_extract.c — libFuzzer target for the extractor's whole job on one
 * document: bytes in as a fetched page, article_extract (HTML parse, prune,
 * metadata, dates, language, text doc, catalog entities, resolution,
 * discovery, claims) out.  Built only with clang and -Dfuzz=true; the seed
 * corpus is tests/fuzz/corpus_extract/.  Run:
 *   build-fuzz/tests/fuzz_extract -max_total_time=600 tests/fuzz/corpus_extract
 * The first input byte picks the declared charset so the charset sniffing
 * paths are fuzzed too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "article_extract.h"
#include "entity_catalog.h"

static entity_catalog_t *s_cat;

static void
s_build_catalog(void)
{
    static char *bout_names[] = { "Viktor Bout", "فيكتور بوت", "باوت", "Виктор Бут" };
    static char *bout_epi[] = { "merchant of death", "تاجر الموت" };
    static char *hou_names[] = { "Houthis", "الحوثي", "أنصار الله" };
    static char *ak_names[] = { "AK-47", "كلاشنيكوف" };
    cfg_entity_t e[3] = {
        { .id = "bout", .type = "person", .names = bout_names, .n_names = 4,
          .epithets = bout_epi, .n_epithets = 2 },
        { .id = "houthis", .type = "org", .names = hou_names, .n_names = 3 },
        { .id = "ak47", .type = "weapon", .names = ak_names, .n_names = 2 },
    };
    char *err = NULL;
    s_cat = entity_catalog_new(e, 3, &err);
    free(err);
    if (!s_cat)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *charsets[] = { NULL, "utf-8", "windows-1256", "iso-8859-1" };
    if (!s_cat)
        s_build_catalog();
    const char *charset = size ? charsets[data[0] & 3] : NULL;
    proto_raw_t raw = {
        .id = "fuzz", .source = "fuzz", .url = "https://example.com/a/1",
        .fetched_at = "2026-01-01T00:00:00Z", .charset = (char *) charset,
        .title = "feed title", .body = data, .body_len = size,
    };
    proto_article_t a;
    char *err = NULL;
    if (article_extract(&raw, s_cat, &a, &err) == 0)
        proto_article_clear(&a);
    free(err);
    return 0;
}
