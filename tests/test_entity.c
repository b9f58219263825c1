/*
 * test_entity.c — the entity catalog: every name and epithet of every
 * entity in one matcher, mentions with exact surfaces and offsets,
 * overlaps resolved to the longest (DESIGN §5).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "entity_catalog.h"

/* ------------------------------------------------------------ helpers */

static char *
s_fixture(const char *name)
{
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/text/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Split "A|B|C" into a NULL-terminated malloc'd array of malloc'd strings. */
static char **
s_split(const char *s, size_t *n)
{
    char **v = calloc(16, sizeof(char *));
    *n = 0;
    if (!s)
        return v;
    const char *p = s;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        v[(*n)++] = strndup(p, l);
        if (!bar)
            break;
        p = bar + 1;
    }
    return v;
}

static void
s_entity(cfg_entity_t *e, const char *id, const char *type, const char *names,
         const char *epithets)
{
    memset(e, 0, sizeof(*e));
    e->id = strdup(id);
    e->type = strdup(type);
    e->names = s_split(names, &e->n_names);
    e->epithets = s_split(epithets, &e->n_epithets);
}

static void
s_entities_free(cfg_entity_t *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < e[i].n_names; k++)
            free(e[i].names[k]);
        for (size_t k = 0; k < e[i].n_epithets; k++)
            free(e[i].epithets[k]);
        free(e[i].names);
        free(e[i].epithets);
        free(e[i].id);
        free(e[i].type);
    }
}

static void
s_mentions_free(proto_mention_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].entity);
        free(m[i].type);
        free(m[i].surface);
    }
    free(m);
}

/* The catalog of the brief, shared by the tests. */
#define S_NCAT 4
static cfg_entity_t s_cat[S_NCAT];

static int
s_setup(void **state)
{
    (void)state;
    s_entity(&s_cat[0], "bout", "person",
             "Viktor Bout|Victor Bout|فيكتور بوت|بوت|باوت|Виктор Бут|Бут",
             "merchant of death|تاجر الموت");
    s_entity(&s_cat[1], "houthis", "org", "Houthis|Houthi|الحوثي|أنصار الله|جماعة الحوثي", NULL);
    s_entity(&s_cat[2], "putin", "person", "Vladimir Putin|Putin|بوتين", NULL);
    s_entity(&s_cat[3], "wagner", "org", "Wagner Group|فاغنر|فاغنر", NULL);
    return 0;
}

static int
s_teardown(void **state)
{
    (void)state;
    s_entities_free(s_cat, S_NCAT);
    return 0;
}

typedef struct {
    const char *entity, *type, *surface;
    int64_t sentence;
} s_want_t;

/* Scan TEXT with the shared catalog and compare with WANT. */
static void
s_check(const char *text, const s_want_t *want, size_t nwant)
{
    char *err = NULL;
    entity_catalog_t *cat = entity_catalog_new(s_cat, S_NCAT, &err);
    assert_non_null(cat);
    assert_null(err);
    text_doc_t *doc = text_doc_new(text, strlen(text));
    assert_non_null(doc);
    proto_mention_t *m = NULL;
    size_t n = entity_catalog_scan(cat, doc, &m);
    for (size_t i = 0; i < n && i < nwant; i++)
        if (strcmp(m[i].surface, want[i].surface) != 0)
            print_error("mention %zu: got '%s' want '%s'\n", i, m[i].surface, want[i].surface);
    assert_int_equal(n, nwant);
    int64_t prev = -1;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(m[i].entity, want[i].entity);
        assert_string_equal(m[i].type, want[i].type);
        assert_string_equal(m[i].surface, want[i].surface);
        assert_int_equal(m[i].sentence, want[i].sentence);
        /* The surface is exactly the original bytes at the offsets. */
        assert_true(m[i].start >= 0 && m[i].start < m[i].end);
        assert_true((size_t)m[i].end <= strlen(text));
        assert_int_equal((size_t)(m[i].end - m[i].start), strlen(m[i].surface));
        assert_memory_equal(text + m[i].start, m[i].surface, strlen(m[i].surface));
        assert_true(m[i].start >= prev);
        prev = m[i].end;
    }
    s_mentions_free(m, n);
    text_doc_destroy(&doc);
    entity_catalog_destroy(&cat);
}

/* ------------------------------------------------------------ tests */

static void
test_arabic_paragraph_clitics(void **state)
{
    (void)state;
    char *text = s_fixture("clitics_paragraph_ar.txt");
    const s_want_t want[] = {
        { "bout", "person", "لباوت", 0 },
        { "houthis", "org", "الحوثيين", 0 },
        { "putin", "person", "بوتين", 1 },
        { "houthis", "org", "للحوثيين", 1 },
        { "bout", "person", "تاجر الموت", 2 },
        { "bout", "person", "فيكتور بوت", 2 },
        { "houthis", "org", "جماعة الحوثي", 2 },
        { "wagner", "org", "فاغنر", 3 },
    };
    s_check(text, want, sizeof want / sizeof want[0]);
    free(text);
}

static void
test_bout_is_not_putin(void **state)
{
    (void)state;
    char *text = s_fixture("bout_traps_ar.txt");
    /* بوتين is Putin; روبوت, البوتان, وبوتان and Viktor Yanukovych are nobody. */
    const s_want_t want[] = { { "putin", "person", "بوتين", 0 } };
    s_check(text, want, 1);
    free(text);
    const s_want_t want3[] = {
        { "putin", "person", "وبوتين", 0 },
        { "bout", "person", "وبوت", 0 },
        { "bout", "person", "بوت", 0 },
    };
    s_check("التقى وبوتين وبوت مع «بوت» أمس", want3, 3);
}

static void
test_english_longest(void **state)
{
    (void)state;
    const char *text = "Viktor Bout, the Merchant of Death, met Houthi officials. "
                       "Vladimir Putin's office and the Wagner Group said nothing about Victor Bout.";
    const s_want_t want[] = {
        { "bout", "person", "Viktor Bout", 0 },
        { "bout", "person", "Merchant of Death", 0 },
        { "houthis", "org", "Houthi", 0 },
        { "putin", "person", "Vladimir Putin's", 1 },
        { "wagner", "org", "Wagner Group", 1 },
        { "bout", "person", "Victor Bout", 1 },
    };
    s_check(text, want, sizeof want / sizeof want[0]);
}

static void
test_cyrillic(void **state)
{
    (void)state;
    char *text = s_fixture("cyrillic.txt");
    const s_want_t want[] = { { "bout", "person", "Виктор Бут", 1 } };
    s_check(text, want, 1);
    free(text);
}

static void
test_invisible_and_forms_in_mentions(void **state)
{
    (void)state;
    char *text = s_fixture("invisible_marks.txt");
    const s_want_t want[] = {
        { "bout", "person", "فيكتور بو\u200Fت", 0 },
        { "houthis", "org", "الحو\u200Cثيين", 0 },
    };
    /* (The fixture's "Bo\u200Dut" is not a mention: the catalog has no
     * bare Latin "Bout".) */
    s_check(text, want, sizeof want / sizeof want[0]);
    free(text);
    text = s_fixture("presentation_forms.txt");
    const s_want_t want2[] = {
        { "houthis", "org", "\xef\xba\x8d\xef\xbb\x9f\xef\xba\xa4\xef\xbb\xae\xef\xba\x9b\xef\xbb\xb2", 0 },
    };
    s_check(text, want2, 1);
    free(text);
}

static void
test_ties_and_empty(void **state)
{
    (void)state;
    cfg_entity_t e[4];
    s_entity(&e[0], "first", "media", "Al Jazeera|الجزيرة", NULL);
    s_entity(&e[1], "second", "place", "الجزيرة|Arabian Peninsula", NULL);
    s_entity(&e[2], "wallst", "place", "Wall Street", NULL);
    s_entity(&e[3], "wsj", "media", "Wall Street Journal|وول ستريت جورنال", NULL);
    char *err = NULL;
    entity_catalog_t *cat = entity_catalog_new(e, 4, &err);
    assert_non_null(cat);
    const char *text = "نقلت قناة الجزيرة الخبر";
    text_doc_t *doc = text_doc_new(text, strlen(text));
    proto_mention_t *m;
    size_t n = entity_catalog_scan(cat, doc, &m);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].entity, "first");     /* equal spans: config order */
    assert_string_equal(m[0].type, "media");
    s_mentions_free(m, n);
    text_doc_destroy(&doc);

    /* Same first token, the longer name wins over the earlier entity. */
    text = "Reporters on Wall Street told the Wall Street Journal that";
    doc = text_doc_new(text, strlen(text));
    n = entity_catalog_scan(cat, doc, &m);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].entity, "wallst");
    assert_string_equal(m[0].surface, "Wall Street");
    assert_string_equal(m[1].entity, "wsj");
    assert_string_equal(m[1].surface, "Wall Street Journal");
    s_mentions_free(m, n);
    text_doc_destroy(&doc);

    doc = text_doc_new("nothing to see", 14);
    n = entity_catalog_scan(cat, doc, &m);
    assert_int_equal(n, 0);
    free(m);
    text_doc_destroy(&doc);
    entity_catalog_destroy(&cat);
    entity_catalog_destroy(&cat);
    entity_catalog_destroy(NULL);
    s_entities_free(e, 4);

    /* An empty catalog scans to nothing. */
    cat = entity_catalog_new(NULL, 0, &err);
    assert_non_null(cat);
    doc = text_doc_new("Bout", 4);
    n = entity_catalog_scan(cat, doc, &m);
    assert_int_equal(n, 0);
    free(m);
    text_doc_destroy(&doc);
    entity_catalog_destroy(&cat);
}

static void
test_empty_name_is_an_error(void **state)
{
    (void)state;
    cfg_entity_t e[1];
    s_entity(&e[0], "bad", "person", "Bout|«»", NULL);
    char *err = NULL;
    entity_catalog_t *cat = entity_catalog_new(e, 1, &err);
    assert_null(cat);
    assert_non_null(err);
    assert_string_equal(err, "entity bad: name 2 is empty");
    free(err);
    s_entities_free(e, 1);

    s_entity(&e[0], "bad2", "person", "Bout", "merchant|  ");
    err = NULL;
    cat = entity_catalog_new(e, 1, &err);
    assert_null(cat);
    assert_string_equal(err, "entity bad2: epithet 2 is empty");
    free(err);
    s_entities_free(e, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arabic_paragraph_clitics),
        cmocka_unit_test(test_bout_is_not_putin),
        cmocka_unit_test(test_english_longest),
        cmocka_unit_test(test_cyrillic),
        cmocka_unit_test(test_invisible_and_forms_in_mentions),
        cmocka_unit_test(test_ties_and_empty),
        cmocka_unit_test(test_empty_name_is_an_error),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
