/*
 * test_entity_discover.c — names beyond the catalog from cues: Arabic
 * titles and roles, media and organization words, places, English titles
 * and Title Case runs; typed, with a confidence, marked "new:" in the
 * article so no watch's @entity can fire on them (DESIGN §5).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>
#include "entity_discover.h"
#include "entity_mentions.h"
#include "article_extract.h"

typedef struct {
    const char *name, *type;
    double min_conf;
} s_want_t;

/* entity_discover(TEXT) proposes exactly WANT, in order. */
static void
s_check(const char *text, const s_want_t *want, size_t nwant)
{
    text_doc_t *doc = text_doc_new(text, strlen(text));
    assert_non_null(doc);
    entity_found_t *f = NULL;
    size_t n = entity_discover(doc, NULL, 0, &f);
    assert_true(n != (size_t) -1);
    for (size_t i = 0; i < n && i < nwant; i++) {
        if (strcmp(f[i].name, want[i].name) != 0 || strcmp(f[i].type, want[i].type) != 0)
            fail_msg("proposal %zu: \"%s\" %s, want \"%s\" %s (in \"%s\")", i, f[i].name,
                     f[i].type, want[i].name, want[i].type, text);
        assert_true(f[i].confidence >= want[i].min_conf);
        assert_true(f[i].confidence <= 1.0);
        assert_memory_equal(text + f[i].start, f[i].name, strlen(f[i].name));
        assert_int_equal(f[i].end - f[i].start, strlen(f[i].name));
    }
    if (n != nwant) {
        for (size_t i = 0; i < n; i++)
            print_message("got \"%s\" %s %.2f\n", f[i].name, f[i].type, f[i].confidence);
        fail_msg("%zu proposals in \"%s\", want %zu", n, text, nwant);
    }
    entity_found_free(f, n);
    text_doc_destroy(&doc);
}

static void
test_arabic_titles(void **state)
{
    (void) state;
    s_want_t w1[] = { { "سيرغي لافروف", "person", 0.7 } };
    s_check("قال وزير الخارجية الروسي سيرغي لافروف إن بلاده لن تتراجع.", w1, 1);
    s_want_t w2[] = { { "بشار الأسد", "person", 0.7 }, { "عبد الملك الحوثي", "person", 0.7 },
                      { "محمد بن سلمان", "person", 0.7 } };
    s_check("واستقبل الرئيس السوري بشار الأسد، وزعيم الجماعة عبد الملك الحوثي والأمير "
            "محمد بن سلمان.", w2, 3);
    s_want_t w3[] = { { "يحيى سريع", "person", 0.7 }, { "فيكتور بوت", "person", 0.7 } };
    s_check("وأكد اللواء يحيى سريع أن تاجر الأسلحة فيكتور بوت وصل.", w3, 2);
    /* A title with no name after it proposes nothing. */
    s_check("قال الرئيس في كلمة إن الوزير لن يحضر.", NULL, 0);
}

static void
test_arabic_spokesman(void **state)
{
    (void) state;
    s_want_t w[] = { { "الجيش الإسرائيلي", "org", 0.5 }, { "أفيخاي أدرعي", "person", 0.7 } };
    s_check("وقال المتحدث باسم الجيش الإسرائيلي أفيخاي أدرعي في بيان.", w, 2);
    s_want_t w2[] = { { "الحكومة", "org", 0.5 } };
    s_check("وقال الناطق باسم الحكومة للصحفيين إن الوضع هادئ.", w2, 1);
}

static void
test_arabic_media_org_place(void **state)
{
    (void) state;
    s_want_t w[] = { { "واشنطن بوست", "media", 0.7 }, { "وكالة الأنباء الفرنسية", "media", 0.5 },
                     { "فورين بوليسي", "media", 0.7 }, { "رويترز", "media", 0.7 } };
    s_check("وذكرت صحيفة واشنطن بوست ونقلت وكالة الأنباء الفرنسية، وأفادت مجلة فورين بوليسي "
            "ووكالة رويترز.", w, 4);
    s_want_t w2[] = { { "حماس", "org", 0.5 }, { "حزب الله", "org", 0.5 } };
    s_check("أعلنت حركة حماس، وقال حزب الله.", w2, 2);
    s_want_t w3[] = { { "موسكو", "place", 0.5 }, { "الحديدة", "place", 0.5 } };
    s_check("في العاصمة الروسية موسكو وفي مدينة الحديدة اليمنية.", w3, 2);
    /* a television channel: قناة, kept in the name as وكالة is above, but
     * without the proclitic ل of لقناة ("to the channel") */
    s_want_t w4[] = { { "قناة الجزيرة", "media", 0.5 } };
    s_check("وقال مسؤول لقناة الجزيرة إن المفاوضات مستمرة.", w4, 1);
}

static void
test_english_titles_and_runs(void **state)
{
    (void) state;
    s_want_t w[] = { { "Sergei Lavrov", "person", 0.7 }, { "Reuters", "media", 0.5 },
                     { "New York Times", "media", 0.5 }, { "John Kirby", "person", 0.7 },
                     { "Bangkok", "place", 0.4 }, { "Ministry of Defence", "org", 0.5 },
                     { "Smith", "person", 0.5 }, { "Anna Petrova", "person", 0.3 } };
    s_check("Foreign Minister Sergei Lavrov said on Monday, according to Reuters. The New York "
            "Times reported that spokesman John Kirby met officials in Bangkok. The Ministry of "
            "Defence denied it. Mr. Smith agreed. Later Anna Petrova left.", w, 8);
    /* Acronyms, lower case and a lone capitalized word at a sentence start are nobody. */
    s_check("NATO said the AK-47 was found. Officials agreed.", NULL, 0);
    s_want_t w2[] = { { "Emmanuel Macron", "person", 0.7 }, { "Владимир Путин", "person", 0.7 } };
    s_check("Le président Emmanuel Macron a dit. Президент Владимир Путин заявил.", w2, 2);
}

static void
test_mentions_are_new_and_never_catalog(void **state)
{
    (void) state;
    char *names[] = { "Viktor Bout", "فيكتور بوت" };
    cfg_entity_t e = { .id = "bout", .type = "person", .names = names, .n_names = 2 };
    char *err = NULL;
    entity_catalog_t *cat = entity_catalog_new(&e, 1, &err);
    assert_non_null(cat);
    const char *t = "قال تاجر الأسلحة فيكتور بوت إن الرئيس الأمريكي دونالد ترامب وعد. "
                    "The arms dealer Viktor Bout met President Joe Biden; later Anna Petrova "
                    "spoke.";
    text_doc_t *doc = text_doc_new(t, strlen(t));
    proto_mention_t *m = NULL;
    size_t n = entity_mentions_find(cat, doc, &m);
    assert_int_equal(n, 2);
    n = entity_mentions_discover(doc, &m, n);
    assert_int_equal(n, 4);
    /* The catalog wins the cue "تاجر الأسلحة": Bout is "bout", not new. */
    assert_string_equal(m[0].entity, "bout");
    assert_string_equal(m[1].entity, "new:دونالد ترامب");
    assert_string_equal(m[1].type, "person");
    assert_string_equal(m[1].surface, "دونالد ترامب");
    assert_string_equal(m[2].entity, "bout");
    assert_string_equal(m[3].entity, "new:joe biden");
    /* Anna Petrova (a bare run, confidence below ENTITY_DISCOVER_MIN_CONFIDENCE) stays out. */
    for (size_t i = 0; i < n; i++) {
        assert_true(i == 0 || m[i].start >= m[i - 1].end);
        free(m[i].entity);
        free(m[i].type);
        free(m[i].surface);
    }
    free(m);
    /* Without a catalog the discoveries still come. */
    n = entity_mentions_find(NULL, doc, &m);
    assert_int_equal(n, 0);
    n = entity_mentions_discover(doc, &m, n);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        assert_memory_equal(m[i].entity, "new:", 4);
        free(m[i].entity);
        free(m[i].type);
        free(m[i].surface);
    }
    free(m);
    text_doc_destroy(&doc);
    entity_catalog_destroy(&cat);
}

/* The whole extraction carries discoveries; claims keep catalog speakers. */
static void
test_article_extract_carries_discoveries(void **state)
{
    (void) state;
    char *names[] = { "Viktor Bout", "فيكتور بوت" };
    cfg_entity_t e = { .id = "bout", .type = "person", .names = names, .n_names = 2 };
    char *err = NULL;
    entity_catalog_t *cat = entity_catalog_new(&e, 1, &err);
    assert_non_null(cat);
    const char *page =
        "<html lang=\"ar\"><head><title>خبر</title></head><body><article><h1>بوت يتحدث</h1>"
        "<p>وصل تاجر الأسلحة الروسي فيكتور بوت إلى موسكو بعد الإفراج عنه، وقال بوت للصحفيين "
        "إنه سعيد بالعودة. وذكرت صحيفة واشنطن بوست أن الرئيس الأمريكي جو بايدن وافق على "
        "التبادل، بينما قال المتحدث باسم الكرملين ديمتري بيسكوف إن المفاوضات كانت صعبة.</p>"
        "</article></body></html>";
    proto_raw_t raw = { .id = "x", .source = "t", .url = "https://e.com/a",
                        .fetched_at = "2026-01-01T00:00:00Z", .body = page,
                        .body_len = strlen(page) };
    proto_article_t a;
    assert_int_equal(article_extract(&raw, cat, &a, &err), 0);
    const char *want[][2] = { { "bout", "فيكتور بوت" }, { "bout", "بوت" },
                              { "new:واشنطن بوست", "media" }, { "new:جو بايدن", "person" },
                              { "new:الكرملين", "org" }, { "new:ديمتري بيسكوف", "person" } };
    size_t k = 0;
    for (size_t i = 0; i < a.n_mentions; i++) {
        if (k < 6 && strcmp(a.mentions[i].entity, want[k][0]) == 0)
            k++;
        assert_true(i == 0 || a.mentions[i].start >= a.mentions[i - 1].end);
    }
    if (k != 6) {
        for (size_t i = 0; i < a.n_mentions; i++)
            print_message("%s %s\n", a.mentions[i].entity, a.mentions[i].surface);
        fail_msg("found %zu of 6 expected mentions in order", k);
    }
    for (size_t i = 0; i < a.n_claims; i++)
        assert_true(strncmp(a.claims[i].speaker, "new:", 4) != 0);
    /* A discovered name carries how sure discovery is, a catalog one does
     * not; and the JSON (what `marsad extract` prints) keeps it. */
    for (size_t i = 0; i < a.n_mentions; i++) {
        bool discovered = strncmp(a.mentions[i].entity, "new:", 4) == 0;
        if (discovered)
            assert_true(a.mentions[i].confidence > 0 && a.mentions[i].confidence <= 1);
        else
            assert_true(a.mentions[i].confidence == 0);
    }
    char *json = proto_article_to_json(&a, false);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"confidence\""));
    free(json);
    proto_article_clear(&a);
    entity_catalog_destroy(&cat);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arabic_titles),
        cmocka_unit_test(test_arabic_spokesman),
        cmocka_unit_test(test_arabic_media_org_place),
        cmocka_unit_test(test_english_titles_and_runs),
        cmocka_unit_test(test_mentions_are_new_and_never_catalog),
        cmocka_unit_test(test_article_extract_carries_discoveries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
