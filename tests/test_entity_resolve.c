/*
 * test_entity_resolve.c — inside one article a lone surname after a full
 * name resolves to that person; a first name alone never does; clitics on
 * a multi-word name's first word; the longest match wins (DESIGN §5).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "entity_mentions.h"
#include "entity_resolve.h"

typedef struct {
    const char *id, *type, *names, *epithets;
} s_def_t;

static char **
s_split(const char *s, size_t *n)
{
    char **v = calloc(16, sizeof(char *));
    *n = 0;
    for (const char *p = s; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t) (bar - p) : strlen(p);
        v[(*n)++] = strndup(p, l);
        p = bar ? bar + 1 : NULL;
    }
    return v;
}

static entity_catalog_t *
s_catalog(const s_def_t *d, size_t n)
{
    cfg_entity_t *e = calloc(n, sizeof(*e));
    for (size_t i = 0; i < n; i++) {
        e[i].id = (char *) d[i].id;
        e[i].type = (char *) d[i].type;
        e[i].names = s_split(d[i].names, &e[i].n_names);
        e[i].epithets = s_split(d[i].epithets, &e[i].n_epithets);
    }
    char *err = NULL;
    entity_catalog_t *c = entity_catalog_new(e, n, &err);
    assert_null(err);
    assert_non_null(c);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < e[i].n_names; k++)
            free(e[i].names[k]);
        for (size_t k = 0; k < e[i].n_epithets; k++)
            free(e[i].epithets[k]);
        free(e[i].names);
        free(e[i].epithets);
    }
    free(e);
    return c;
}

/* The test config's Bout: no lone بوت, so بوت alone needs the full name first. */
static const s_def_t s_test_conf[] = {
    { "bout", "person", "Viktor Bout|فيكتور بوت|باوت|Виктор Бут", "merchant of death|تاجر الموت" },
    { "houthis", "org", "Houthis|الحوثي|أنصار الله", NULL },
    { "yanukovych", "person", "Viktor Yanukovych|فيكتور يانوكوفيتش", NULL },
};

/* deploy/marsad.conf's Bout lists بوت and Bout alone. */
static const s_def_t s_deploy_conf[] = {
    { "bout", "person", "Viktor Bout|Bout|فيكتور بوت|بوت|باوت|فيكتور باوت", "تاجر الموت" },
    { "putin", "person", "Vladimir Putin|Putin|فلاديمير بوتين|بوتين", NULL },
};

typedef struct {
    const char *entity, *surface;
} s_want_t;

/* Catalog mentions (ids without "new:") of TEXT equal WANT, in order, with
 * offsets that point at the surface. */
static void
s_check(const entity_catalog_t *cat, const char *text, const s_want_t *want, size_t nwant)
{
    text_doc_t *doc = text_doc_new(text, strlen(text));
    assert_non_null(doc);
    proto_mention_t *m = NULL;
    size_t n = entity_mentions_find(cat, doc, &m);
    assert_true(n != (size_t) -1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(m[i].entity, "new:", 4) == 0)
            continue;
        if (k >= nwant)
            fail_msg("unexpected mention %s \"%s\" in \"%s\"", m[i].entity, m[i].surface, text);
        assert_string_equal(m[i].entity, want[k].entity);
        assert_string_equal(m[i].surface, want[k].surface);
        assert_int_equal(m[i].end - m[i].start, strlen(want[k].surface));
        assert_memory_equal(text + m[i].start, want[k].surface, strlen(want[k].surface));
        if (i > 0)
            assert_true(m[i].start >= m[i - 1].end);
        k++;
    }
    if (k != nwant)
        fail_msg("%zu catalog mentions in \"%s\", want %zu", k, text, nwant);
    /* The look-up of surnames by the catalog scan's form hashes
     * (entity_mentions_find) finds what a matcher of them finds. */
    proto_mention_t *r = NULL;
    size_t nr = entity_catalog_scan(cat, doc, &r);
    assert_true(nr != (size_t) -1);
    nr = entity_resolve(cat, doc, &r, nr);
    assert_int_equal(nr, n);
    for (size_t i = 0; i < nr; i++) {
        assert_string_equal(r[i].entity, m[i].entity);
        assert_int_equal(r[i].start, m[i].start);
        assert_int_equal(r[i].end, m[i].end);
        free(r[i].entity);
        free(r[i].type);
        free(r[i].surface);
    }
    free(r);
    for (size_t i = 0; i < n; i++) {
        free(m[i].entity);
        free(m[i].type);
        free(m[i].surface);
    }
    free(m);
    text_doc_destroy(&doc);
}

static void
test_surname_after_full_name(void **state)
{
    (void) state;
    entity_catalog_t *c = s_catalog(s_test_conf, 3);
    s_want_t w[] = { { "bout", "فيكتور بوت" }, { "bout", "بوت" }, { "bout", "لبوت" },
                     { "bout", "وبوت" } };
    s_check(c, "وصل فيكتور بوت إلى موسكو. وقال بوت إنه بريء. وسمح القاضي لبوت بالكلام، "
               "ثم غادر وبوت مبتسم.", w, 4);
    /* The resolved mention carries its sentence index. */
    const char *t = "Viktor Bout landed. Officials said Bout was calm.";
    text_doc_t *doc = text_doc_new(t, strlen(t));
    proto_mention_t *m = NULL;
    size_t n = entity_mentions_find(c, doc, &m);
    size_t bout = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(m[i].entity, "bout") == 0 && strcmp(m[i].surface, "Bout") == 0) {
            assert_int_equal(m[i].sentence, 1);
            bout++;
        }
        free(m[i].entity);
        free(m[i].type);
        free(m[i].surface);
    }
    free(m);
    assert_int_equal(bout, 1);
    text_doc_destroy(&doc);
    entity_catalog_destroy(&c);
}

static void
test_surname_before_full_name_is_nobody(void **state)
{
    (void) state;
    entity_catalog_t *c = s_catalog(s_test_conf, 3);
    s_want_t w[] = { { "bout", "فيكتور بوت" } };
    s_check(c, "قال بوت إنه بريء، ثم وصل فيكتور بوت.", w, 1);
    s_check(c, "قال بوت إنه بريء.", NULL, 0);
    s_want_t w2[] = { { "bout", "Виктор Бут" }, { "bout", "Бут" } };
    s_check(c, "Виктор Бут прибыл в Москву. Бут заявил, что невиновен.", w2, 2);
    entity_catalog_destroy(&c);
}

static void
test_first_name_never(void **state)
{
    (void) state;
    entity_catalog_t *c = s_catalog(s_test_conf, 3);
    s_want_t w[] = { { "bout", "فيكتور بوت" } };
    s_check(c, "وصل فيكتور بوت إلى موسكو، وقال فيكتور إنه متعب.", w, 1);
    /* Another Viktor is neither Bout nor, alone, Yanukovych. */
    s_want_t w2[] = { { "bout", "Viktor Bout" }, { "yanukovych", "Viktor Yanukovych" },
                      { "yanukovych", "Yanukovych" } };
    s_check(c, "Viktor Bout met Viktor Yanukovych. Viktor then left, Yanukovych stayed.",
            w2, 3);
    s_want_t w3[] = { { "bout", "Viktor Bout" } };
    s_check(c, "Viktor Bout spoke. Viktor Orban, another Viktor, did not.", w3, 1);
    entity_catalog_destroy(&c);
}

static void
test_clitics_on_first_word(void **state)
{
    (void) state;
    entity_catalog_t *c = s_catalog(s_test_conf, 3);
    s_want_t w[] = { { "bout", "وفيكتور بوت" }, { "bout", "لفيكتور بوت" },
                     { "bout", "بفيكتور بوت" } };
    s_check(c, "التقى الوفد وفيكتور بوت، وقيل لفيكتور بوت ما جرى، ورحبوا بفيكتور بوت.", w, 3);
    entity_catalog_destroy(&c);
}

static void
test_longest_match_and_listed_surname(void **state)
{
    (void) state;
    /* بوت is listed alone: it matches anywhere, even first; the full name
     * is one mention; بوتين is Putin, not Bout. */
    entity_catalog_t *c = s_catalog(s_deploy_conf, 2);
    s_want_t w[] = { { "bout", "بوت" }, { "bout", "فيكتور بوت" }, { "putin", "بوتين" },
                     { "bout", "وبوت" }, { "bout", "ولباوت" }, { "bout", "بوت" } };
    s_check(c, "قال بوت أولا إن فيكتور بوت التقى بوتين، وبوت ينفي، ولباوت محام، «بوت»", w, 6);
    s_want_t w2[] = { { "bout", "Viktor Bout" }, { "putin", "Putin" } };
    s_check(c, "Viktor Bout and Putin.", w2, 2);
    entity_catalog_destroy(&c);
}

static void
test_ambiguous_surname_goes_to_last_named(void **state)
{
    (void) state;
    static const s_def_t d[] = {
        { "joe", "person", "Joe Biden", NULL },
        { "hunter", "person", "Hunter Biden", NULL },
    };
    entity_catalog_t *c = s_catalog(d, 2);
    s_want_t w[] = { { "joe", "Joe Biden" }, { "joe", "Biden" }, { "hunter", "Hunter Biden" },
                     { "hunter", "Biden" } };
    s_check(c, "Joe Biden spoke. Biden smiled. Later Hunter Biden arrived and Biden sat.", w, 4);
    entity_catalog_destroy(&c);
}

static void
test_not_a_surname(void **state)
{
    (void) state;
    entity_catalog_t *c = s_catalog(s_test_conf, 3);
    /* An organization's last word is no surname; lower-case Latin is a word. */
    s_want_t w[] = { { "houthis", "أنصار الله" } };
    s_check(c, "أعلنت جماعة أنصار الله أن الله أكبر.", w, 1);
    s_want_t w2[] = { { "bout", "Viktor Bout" }, { "bout", "Bout" } };
    s_check(c, "Viktor Bout had a bout of flu. Bout recovered.", w2, 2);
    /* The epithet after the full name is the same person. */
    s_want_t w3[] = { { "bout", "Viktor Bout" }, { "bout", "merchant of death" } };
    s_check(c, "Viktor Bout, the merchant of death, smiled.", w3, 2);
    entity_catalog_destroy(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surname_after_full_name),
        cmocka_unit_test(test_surname_before_full_name_is_nobody),
        cmocka_unit_test(test_first_name_never),
        cmocka_unit_test(test_clitics_on_first_word),
        cmocka_unit_test(test_longest_match_and_listed_surname),
        cmocka_unit_test(test_ambiguous_surname_goes_to_last_named),
        cmocka_unit_test(test_not_a_surname),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
