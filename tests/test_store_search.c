/*
 * test_store_search.c — `marsad search` underneath (store_search.c): the
 * watch language over the store's full-text index.  Arabic terms find
 * their cliticized forms and not the traps (بوت is not بوتين); AND, OR,
 * NOT, phrases, prefixes and @entities; filters; snippets with marks and
 * highlight offsets; a bad query is an error with its position.  And the
 * property that matters most: for every query, the index-picked answer is
 * exactly what query_eval says on every article (no candidate lost).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto.h"
#include "query.h"
#include "store_db.h"
#include "store_search.h"
#include "text.h"

typedef struct {
    const char *id, *lang, *title, *text, *published;
    const char *entity, *surface;      /* one mention, or NULL */
} s_doc_t;

static const s_doc_t s_docs[] = {
    { "ar-arms", "ar", "صفقة سلاح", "قال مسؤول إن فيكتور بوت يتوسط في صفقة أسلحة للحوثيين عبر البحر.",
      "2026-11-20T08:00:00Z", "viktor_bout", "فيكتور بوت" },
    { "ar-houthi", "ar", "الحوثيون يعلنون", "أعلن الحوثيون والحوثي الآخر هدنة في الحديدة.",
      "2026-11-18T08:00:00Z", "houthis", "الحوثيون" },
    { "ar-putin", "ar", "بوتين يلتقي", "التقى الرئيس بوتين وزير الدفاع، وعرض روبوت جديد.",
      "2026-11-21T08:00:00Z", "putin", "بوتين" },
    { "en-bout", "en", "Merchant of death returns",
      "Viktor Bout, the merchant of death, is brokering rifles for the Houthis, officials said.",
      "2026-11-22T08:00:00Z", "viktor_bout", "Viktor Bout" },
    { "en-other", "en", "Weather", "Heavy rain fell on the coast; no weapons were involved.",
      "2026-10-01T08:00:00Z", NULL, NULL },
    /* terms with ASCII punctuation inside (the index keeps them whole) */
    { "en-seized", "en", "Seized", "Customs seized AK-47s and al-Shabaab's M-16 parts in Mombasa.",
      "2026-09-01T08:00:00Z", NULL, NULL },
};
#define S_NDOCS (sizeof s_docs / sizeof s_docs[0])

typedef struct {
    char dir[64];
    char path[128];
    store_db_t *db;
    store_search_t *s;
    char *story_of_first;
} s_fix_t;

static int s_setup(void **state)
{
    s_fix_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/marsad-search-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/marsad.db", f->dir);
    char *err = NULL;
    f->db = store_db_open(f->path, &err);
    if (!f->db)
        return -1;
    for (size_t i = 0; i < S_NDOCS; i++) {
        const s_doc_t *d = &s_docs[i];
        proto_mention_t m = { 0 };
        if (d->entity) {
            const char *at = strstr(d->text, d->surface);
            m = (proto_mention_t) { .entity = (char *) d->entity, .type = "person",
                                    .surface = (char *) d->surface, .start = at - d->text,
                                    .end = at - d->text + (int64_t) strlen(d->surface),
                                    .sentence = 0 };
        }
        proto_article_t a = {
            .id = (char *) d->id, .source = "demo", .url = "https://example.org/x",
            .title = (char *) d->title, .text = (char *) d->text, .lang = (char *) d->lang,
            .published_at = (char *) d->published, .fetched_at = (char *) d->published,
            .content_hash = (char *) d->id, .mentions = &m, .n_mentions = d->entity ? 1 : 0,
        };
        int64_t seq;
        char *story = NULL;
        bool dup;
        if (store_db_begin(f->db) != 0 || store_db_insert(f->db, &a, &seq, &story, &dup, &err) != 1
            || store_db_commit(f->db) != 0)
            return -1;
        if (i == 0)
            f->story_of_first = story;
        else
            free(story);
    }
    /* The search reads the file on its own, beside the open writer. */
    f->s = store_search_open(f->path, &err);
    if (!f->s)
        return -1;
    *state = f;
    return 0;
}

static int s_teardown(void **state)
{
    s_fix_t *f = *state;
    store_search_close(&f->s);
    store_db_close(&f->db);
    free(f->story_of_first);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

/* The ids found for O, newest first, joined by spaces (static buffer). */
static const char *s_ids(s_fix_t *f, store_search_opts_t o)
{
    static char buf[512];
    store_search_result_t *r;
    size_t n;
    char *err = NULL;
    if (store_search_run(f->s, &o, &r, &n, &err) != 0) {
        snprintf(buf, sizeof buf, "error: %s", err);
        free(err);
        return buf;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(buf, i ? " " : "");
        strcat(buf, r[i].id);
    }
    store_search_results_free(r, n);
    return buf;
}

static const char *s_q(s_fix_t *f, const char *query)
{
    return s_ids(f, (store_search_opts_t) { .query = query, .limit = 50 });
}

static void test_arabic_clitics_and_traps(void **state)
{
    s_fix_t *f = *state;
    /* the example: للحوثيين and أسلحة */
    assert_string_equal(s_q(f, "الحوثي AND أسلحة"), "ar-arms");
    /* الحوثيون, والحوثي, للحوثيين */
    assert_string_equal(s_q(f, "الحوثي"), "ar-houthi ar-arms");
    /* بوت is neither بوتين nor روبوت */
    assert_string_equal(s_q(f, "بوت"), "ar-arms");
    assert_string_equal(s_q(f, "بوتين"), "ar-putin");
    assert_string_equal(s_q(f, "Houthis OR الحوثي"), "en-bout ar-houthi ar-arms");
}

static void test_operators(void **state)
{
    s_fix_t *f = *state;
    assert_string_equal(s_q(f, "\"merchant of death\""), "en-bout");
    assert_string_equal(s_q(f, "\"death of merchant\""), "");
    assert_string_equal(s_q(f, "حوث*"), "ar-houthi ar-arms");
    assert_string_equal(s_q(f, "weapons OR rifles"), "en-other en-bout");
    assert_string_equal(s_q(f, "(weapons OR rifles) AND NOT rain"), "en-bout");
    /* no positive word: every article is checked */
    assert_string_equal(s_q(f, "NOT الحوثي AND NOT Houthis"), "en-seized en-other ar-putin");
    /* a term with ASCII punctuation inside, whole or as a prefix */
    assert_string_equal(s_q(f, "AK-47s"), "en-seized");
    assert_string_equal(s_q(f, "ak-4*"), "en-seized");
    assert_string_equal(s_q(f, "\"M-16 parts\""), "en-seized");
    /* an entity alone: the articles that mention it */
    assert_string_equal(s_q(f, "@viktor_bout"), "en-bout ar-arms");
    assert_string_equal(s_q(f, "@viktor_bout AND بوت"), "ar-arms");
}

static void test_filters(void **state)
{
    s_fix_t *f = *state;
    assert_string_equal(s_ids(f, (store_search_opts_t) { .query = "الحوثي OR Houthis",
                                                         .lang = "en" }), "en-bout");
    assert_string_equal(s_ids(f, (store_search_opts_t) { .query = "الحوثي OR Houthis",
                                                         .entity = "houthis" }), "ar-houthi");
    assert_string_equal(s_ids(f, (store_search_opts_t) { .query = "الحوثي OR Houthis",
                                                         .story = f->story_of_first }), "ar-arms");
    /* since 2026-11-19: ar-houthi (11-18) is out */
    assert_string_equal(s_ids(f, (store_search_opts_t) { .query = "الحوثي OR Houthis",
                                                         .since = 1795046400 }), "en-bout ar-arms");
    assert_string_equal(s_ids(f, (store_search_opts_t) { .query = "الحوثي OR Houthis",
                                                         .limit = 1 }), "en-bout");
}

static void test_snippet_and_highlights(void **state)
{
    s_fix_t *f = *state;
    store_search_opts_t o = { .query = "الحوثي AND أسلحة" };
    store_search_result_t *r;
    size_t n;
    char *err = NULL;
    assert_int_equal(store_search_run(f->s, &o, &r, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_non_null(strstr(r[0].snippet, "[[أسلحة]]"));
    assert_non_null(strstr(r[0].snippet, "[[للحوثيين]]"));
    assert_int_equal(r[0].n_hits, 2);
    char *json = store_search_result_json(&r[0]);
    assert_non_null(strstr(json, "\"highlights\":[{"));
    assert_non_null(strstr(json, "\"field\":\"text\""));
    /* the offsets point at the words in the original text */
    const char *text = s_docs[0].text;
    size_t at = (size_t) (strstr(text, "للحوثيين") - text);
    bool found = false;
    for (size_t i = 0; i < r[0].n_hits; i++)
        found |= r[0].hits[i].start == at && r[0].hits[i].end == at + strlen("للحوثيين");
    assert_true(found);
    free(json);
    store_search_results_free(r, n);
}

static void test_bad_query_is_an_error_with_position(void **state)
{
    s_fix_t *f = *state;
    const char *r = s_q(f, "(الحوثي AND");
    assert_non_null(strstr(r, "error: query:1:"));
}

static void test_index_loses_no_match(void **state)
{
    s_fix_t *f = *state;
    static const char *queries[] = {
        "الحوثي", "أسلحة", "سلاح", "بوت", "Houthis", "houthi", "merchant", "\"merchant of death\"",
        "حوث*", "بو*", "rifle*", "فيكتور OR روبوت", "بوتين AND NOT روبوت", "الدفاع", "وزير",
        "هدنة AND الحديدة", "@houthis OR rain", "AK-47 OR coast", "الرئيس",
        "AK-47s", "ak-4*", "AK*", "al-Shabaab's", "al-shab*", "M-16 AND Mombasa", "\"M-16 parts\"",
        "shabaab", "47s",
    };
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        query_error_t qerr;
        query_t *qq = query_parse(queries[q], &qerr);
        assert_non_null(qq);
        /* what query_eval says on every article, newest first */
        char want[512] = "";
        for (size_t i = S_NDOCS; i-- > 0;) {
            const s_doc_t *d = &s_docs[i];
            text_doc_t *t = text_doc_new(d->title, strlen(d->title));
            text_doc_t *x = text_doc_new(d->text, strlen(d->text));
            query_mention_t m = { 0 };
            if (d->entity) {
                const char *at = strstr(d->text, d->surface);
                m = (query_mention_t) { .entity = d->entity, .start = (size_t) (at - d->text),
                                        .end = (size_t) (at - d->text) + strlen(d->surface) };
            }
            query_input_t in = { .title = t, .text = x, .mentions = &m,
                                 .n_mentions = d->entity ? 1 : 0, .source = "demo",
                                 .lang = d->lang };
            if (query_eval(qq, &in, NULL, NULL)) {
                strcat(want, want[0] ? " " : "");
                strcat(want, d->id);
            }
            text_doc_destroy(&t);
            text_doc_destroy(&x);
        }
        query_destroy(&qq);
        const char *got = s_q(f, queries[q]);
        if (strcmp(got, want) != 0)
            fprintf(stderr, "query %s: index gave '%s', evaluation '%s'\n", queries[q], got, want);
        assert_string_equal(got, want);
    }
}

static void test_fts_expression(void **state)
{
    (void) state;
    query_error_t qerr;
    query_t *q = query_parse("الحوثي AND أسلحة", &qerr);
    bool scan;
    char *e = store_search_fts_expr(q, "الحوثي AND أسلحة", &scan);
    assert_false(scan);
    assert_non_null(e);
    assert_non_null(strstr(e, "\"حوثي\""));      /* the term key: article removed */
    assert_non_null(strstr(e, " OR "));
    free(e);
    query_destroy(&q);
    q = query_parse("NOT x", &qerr);
    e = store_search_fts_expr(q, "NOT x", &scan);
    assert_null(e);
    assert_true(scan);
    query_destroy(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arabic_clitics_and_traps, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_operators, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_filters, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_snippet_and_highlights, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_bad_query_is_an_error_with_position, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_index_loses_no_match, s_setup, s_teardown),
        cmocka_unit_test(test_fts_expression),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
