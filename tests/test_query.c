/*
 * test_query.c — the watch language: the parse tree (precedence,
 * juxtaposition, quotes), errors with their line:column, and evaluation on
 * real Arabic and English sentences through real text docs
 * (tests/data/query/cases.txt drives most of it), with the hits reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "query_ast.h"
#include "text.h"

/* ------------------------------------------------------------ helpers */

/* The tree as an S-expression: (OR a (AND b (NOT c))). */
static void s_dump(const query_t *q, const qnode_t *n, char *buf, size_t cap)
{
    size_t len = strlen(buf);
    switch (n->kind) {
    case QN_TERM:
    case QN_ENTITY:
        snprintf(buf + len, cap - len, "%s", q->terms[n->term].text);
        return;
    case QN_NOT:
        snprintf(buf + len, cap - len, "(NOT ");
        break;
    case QN_AND:
        snprintf(buf + len, cap - len, "(AND ");
        break;
    case QN_OR:
        snprintf(buf + len, cap - len, "(OR ");
        break;
    }
    for (size_t i = 0; i < n->n_kids; i++) {
        if (i > 0) {
            len = strlen(buf);
            snprintf(buf + len, cap - len, " ");
        }
        s_dump(q, n->kids[i], buf, cap);
    }
    len = strlen(buf);
    snprintf(buf + len, cap - len, ")");
}

static void s_expect_tree(const char *src, const char *want)
{
    query_error_t err;
    query_t *q = query_parse(src, &err);
    if (!q)
        fail_msg("'%s' did not parse: %d:%d: %s", src, err.line, err.col, err.message);
    char buf[1024] = "";
    s_dump(q, q->root, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("'%s' parsed as %s, want %s", src, buf, want);
    query_destroy(&q);
    assert_null(q);
}

static void s_expect_error(const char *src, int line, int col, const char *message)
{
    query_error_t err;
    query_t *q = query_parse(src, &err);
    if (q) {
        query_destroy(&q);
        fail_msg("'%s' parsed but should fail with %s", src, message);
    }
    if (err.line != line || err.col != col || strcmp(err.message, message) != 0)
        fail_msg("'%s': got %d:%d: %s\n  want %d:%d: %s", src, err.line, err.col,
                 err.message, line, col, message);
}

static char *s_read_fixture(const char *name)
{
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/query/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t n = fread(buf + len, 1, 4096, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* An article: its docs and mentions, for query_eval. */
typedef struct {
    text_doc_t *title, *text;
    query_input_t in;
} article_t;

static void s_article(article_t *a, const char *title, const char *text,
                      const query_mention_t *mentions, size_t n_mentions)
{
    memset(a, 0, sizeof *a);
    if (title) {
        a->title = text_doc_new(title, strlen(title));
        assert_non_null(a->title);
    }
    a->text = text_doc_new(text, strlen(text));
    assert_non_null(a->text);
    a->in = (query_input_t) { a->title, a->text, mentions, n_mentions };
}

static void s_article_free(article_t *a)
{
    text_doc_destroy(&a->title);
    text_doc_destroy(&a->text);
}

static bool s_matches(const char *src, const article_t *a)
{
    query_error_t err;
    query_t *q = query_parse(src, &err);
    if (!q)
        fail_msg("'%s' did not parse: %d:%d: %s", src, err.line, err.col, err.message);
    bool m = query_eval(q, &a->in, NULL, NULL);
    query_destroy(&q);
    return m;
}

/* Byte offset of NEEDLE in HAY (must be there). */
static size_t s_offset(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    if (!p)
        fail_msg("'%s' not in the test text", needle);
    return (size_t) (p - hay);
}

/* ------------------------------------------------------------- parsing */

static void test_precedence(void **state)
{
    (void) state;
    s_expect_tree("a", "a");
    s_expect_tree("a b", "(AND a b)");
    s_expect_tree("a AND b AND c", "(AND a b c)");
    s_expect_tree("a OR b c", "(OR a (AND b c))");
    s_expect_tree("a b OR c", "(OR (AND a b) c)");
    s_expect_tree("a OR b OR c", "(OR a b c)");
    s_expect_tree("NOT a b", "(AND (NOT a) b)");
    s_expect_tree("a AND NOT b OR c", "(OR (AND a (NOT b)) c)");
    s_expect_tree("a NOT b", "(AND a (NOT b))");
    s_expect_tree("NOT NOT a", "(NOT (NOT a))");
    s_expect_tree("NOT (a OR b)", "(NOT (OR a b))");
    s_expect_tree("(a OR b) c", "(AND (OR a b) c)");
    s_expect_tree("(a OR b)AND(c)", "(AND (OR a b) c)");
    s_expect_tree("((a))", "a");
    s_expect_tree("@bout AND (@houthis OR الحوثي)", "(AND @bout (OR @houthis الحوثي))");
    /* Operators are uppercase only; anything else is a word. */
    s_expect_tree("arms and ammo", "(AND arms and ammo)");
    s_expect_tree("a Or b not c", "(AND a Or b not c)");
    s_expect_tree("ANDROID ORBIT NOTE", "(AND ANDROID ORBIT NOTE)");
    s_expect_tree("  a\n\tOR\r\n b  ", "(OR a b)");
}

static void test_phrases_and_terms(void **state)
{
    (void) state;
    s_expect_tree("\"merchant of death\" AND NOT Putin",
                  "(AND \"merchant of death\" (NOT Putin))");
    s_expect_tree("“merchant of death”", "“merchant of death”");
    s_expect_tree("«تاجر الموت» OR بوت", "(OR «تاجر الموت» بوت)");
    /* Arabic text often opens with « and closes with ". */
    s_expect_tree("«تاجر الموت\" بوت", "(AND «تاجر الموت\" بوت)");
    s_expect_tree("a\"b c\"d", "(AND a \"b c\" d)");
    s_expect_tree("حوث* OR Houthi*", "(OR حوث* Houthi*)");

    query_error_t err;
    query_t *q = query_parse("@bout (@houthis OR @bout) NOT @putin x", &err);
    assert_non_null(q);
    const char **ids = NULL;
    size_t n = query_entities(q, &ids);
    assert_int_equal(n, 3);
    assert_string_equal(ids[0], "bout");
    assert_string_equal(ids[1], "houthis");
    assert_string_equal(ids[2], "putin");
    query_destroy(&q);

    q = query_parse("no entities here", &err);
    assert_non_null(q);
    assert_int_equal(query_entities(q, &ids), 0);
    query_destroy(&q);
    query_destroy(&q);   /* NULL is fine */
    query_destroy(NULL);
    assert_int_equal(query_entities(NULL, &ids), 0);
}

static void test_errors(void **state)
{
    (void) state;
    s_expect_error("", 1, 1, "empty query");
    s_expect_error("   ", 1, 4, "empty query");
    s_expect_error("Bout OR", 1, 8, "unexpected end of query, expected a term after OR");
    s_expect_error("Bout AND NOT", 1, 13, "unexpected end of query, expected a term after NOT");
    s_expect_error("Bout (", 1, 7, "unexpected end of query, expected a term after '('");
    s_expect_error("Bout AND (arms OR rifles", 1, 25,
                   "expected ')' to close '(' opened at 1:10");
    s_expect_error("Bout AND (arms OR rifles AND", 1, 29,
                   "unexpected end of query, expected a term after AND");
    s_expect_error("Bout )", 1, 6, "unexpected ')' with no matching '('");
    s_expect_error("()", 1, 2, "expected a term after '(', found ')'");
    s_expect_error("AND Bout", 1, 1, "expected a term, found AND");
    s_expect_error("Bout AND OR arms", 1, 10, "expected a term after AND, found OR");
    s_expect_error("Bout OR )", 1, 9, "expected a term after OR, found ')'");
    s_expect_error("Bout \"\"", 1, 6, "empty phrase");
    s_expect_error("Bout «  »", 1, 6, "empty phrase");
    s_expect_error("Bout \"merchant of", 1, 6, "unterminated quote");
    s_expect_error("Bout “merchant of", 1, 6, "unterminated quote");
    s_expect_error("@", 1, 1, "expected an entity id after '@'");
    s_expect_error("x @Bout", 1, 3,
                   "bad entity id '@Bout': ids are lowercase a-z, 0-9, '_' and '-'");
    s_expect_error("a*b", 1, 1, "'*' is only allowed at the end of a word");
    s_expect_error("x *", 1, 3, "a wildcard needs at least 2 letters before '*'");
    s_expect_error("ح*", 1, 1, "a wildcard needs at least 2 letters before '*'");
    s_expect_error("Bout NEAR/5 arms", 1, 6, "NEAR/n is not supported yet");
    s_expect_error("title:Bout", 1, 1, "field prefix 'title:' is not supported yet");
    /* Columns count characters, not bytes: الحوثي is 6 letters (12 bytes). */
    s_expect_error("الحوثي OR (بوت", 1, 15, "expected ')' to close '(' opened at 1:11");
    /* Lines count too. */
    s_expect_error("Bout AND\n  (arms OR\n   rifles", 3, 10,
                   "expected ')' to close '(' opened at 2:3");
    s_expect_error("a\nOR\n", 3, 1, "unexpected end of query, expected a term after OR");
    /* NULL error pointer is allowed. */
    assert_null(query_parse("(", NULL));
    assert_null(query_parse(NULL, NULL));
}

static void test_term_without_words(void **state)
{
    (void) state;
    s_expect_error("Bout AND !!!", 1, 10, "word !!! has no letters or digits to match");
    s_expect_error("\"-- ...\" Bout", 1, 1, "phrase \"-- ...\" has no letters or digits to match");
}

/* ---------------------------------------------------------- evaluation */

/* Every line of tests/data/query/cases.txt. */
static void test_cases_file(void **state)
{
    (void) state;
    char *cases = s_read_fixture("cases.txt");
    int run = 0, failed = 0;
    char *save = NULL;
    for (char *line = strtok_r(cases, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *expect = line;
        char *tab1 = strchr(expect, '\t');
        assert_non_null(tab1);
        *tab1 = '\0';
        char *fixture = tab1 + 1;
        char *tab2 = strchr(fixture, '\t');
        assert_non_null(tab2);
        *tab2 = '\0';
        const char *src = tab2 + 1;
        bool want = strcmp(expect, "match") == 0;
        if (!want && strcmp(expect, "nomatch") != 0)
            fail_msg("bad expectation '%s' in cases.txt", expect);

        char *text = s_read_fixture(fixture);
        article_t a;
        s_article(&a, NULL, text, NULL, 0);
        bool got = s_matches(src, &a);
        if (got != want) {
            print_error("cases.txt: %s on %s: got %s, want %s\n", src, fixture,
                        got ? "match" : "nomatch", expect);
            failed++;
        }
        s_article_free(&a);
        free(text);
        run++;
    }
    free(cases);
    assert_true(run >= 30);
    assert_int_equal(failed, 0);
}

static void test_entities_with_mentions(void **state)
{
    (void) state;
    char *text = s_read_fixture("ar_bout_houthis.txt");
    size_t b = s_offset(text, "فيكتور بوت");
    query_mention_t mentions[] = { { "bout", b, b + strlen("فيكتور بوت") } };
    article_t a;
    s_article(&a, "صفقة أسلحة جديدة", text, mentions, 1);

    /* @bout is mentioned; @houthis is not, but الحوثي matches للحوثيين. */
    query_error_t err;
    query_t *q = query_parse("@bout AND (@houthis OR الحوثي)", &err);
    assert_non_null(q);
    query_hit_t *hits = NULL;
    size_t n = 0;
    assert_true(query_eval(q, &a.in, &hits, &n));
    assert_int_equal(n, 2);
    /* In text order: the entity, then the term. */
    assert_string_equal(hits[0].term, "@bout");
    assert_string_equal(hits[0].entity, "bout");
    assert_false(hits[0].in_title);
    assert_int_equal(hits[0].start, b);
    assert_int_equal(hits[0].end, b + strlen("فيكتور بوت"));
    assert_string_equal(hits[1].term, "الحوثي");
    assert_null(hits[1].entity);
    assert_false(hits[1].in_title);
    size_t h = s_offset(text, "للحوثيين");
    assert_int_equal(hits[1].start, h);
    assert_int_equal(hits[1].end, h + strlen("للحوثيين"));
    free(hits);
    query_destroy(&q);

    /* Without the mention the same text does not match @bout. */
    article_t none;
    s_article(&none, NULL, text, NULL, 0);
    assert_false(s_matches("@bout AND (@houthis OR الحوثي)", &none));
    assert_true(s_matches("NOT @bout", &none));
    assert_false(s_matches("NOT @bout", &a));
    /* Another entity's mention is not this one. */
    query_mention_t putin[] = { { "putin", b, b + 4 } };
    article_t other;
    s_article(&other, NULL, text, putin, 1);
    assert_false(s_matches("@bout", &other));
    assert_true(s_matches("@putin", &other));

    s_article_free(&a);
    s_article_free(&none);
    s_article_free(&other);
    free(text);
}

static void test_hits_only_from_true_branches(void **state)
{
    (void) state;
    const char *title = "Bout in talks with the Houthis";
    char *text = s_read_fixture("en_bout_merchant.txt");
    article_t a;
    s_article(&a, title, text, NULL, 0);

    query_error_t err;
    query_t *q = query_parse("(Putin OR Bout OR \"merchant of death\") AND NOT robot", &err);
    assert_non_null(q);
    query_hit_t *hits = NULL;
    size_t n = 0;
    assert_true(query_eval(q, &a.in, &hits, &n));
    /* Bout in the title; Bout and the phrase in the text; no Putin, no robot. */
    assert_int_equal(n, 3);
    assert_true(hits[0].in_title);
    assert_string_equal(hits[0].term, "Bout");
    assert_int_equal(hits[0].start, 0);
    assert_int_equal(hits[0].end, 4);
    assert_false(hits[1].in_title);
    assert_string_equal(hits[1].term, "Bout");
    assert_int_equal(hits[1].start, s_offset(text, "Bout"));
    assert_false(hits[2].in_title);
    assert_string_equal(hits[2].term, "\"merchant of death\"");
    size_t m = s_offset(text, "merchant of death");
    assert_int_equal(hits[2].start, m);
    assert_int_equal(hits[2].end, m + strlen("merchant of death"));
    free(hits);
    query_destroy(&q);

    /* Terms under NOT are never reported, even when the query matches. */
    q = query_parse("Houthis AND NOT (Putin AND Bout)", &err);
    assert_non_null(q);
    assert_true(query_eval(q, &a.in, &hits, &n));
    for (size_t i = 0; i < n; i++)
        assert_string_equal(hits[i].term, "Houthis");
    assert_int_equal(n, 2);   /* title and text */
    free(hits);
    query_destroy(&q);

    /* A top-level NOT matches with nothing to show. */
    q = query_parse("NOT Putin", &err);
    assert_non_null(q);
    hits = (query_hit_t *) 1;
    assert_true(query_eval(q, &a.in, &hits, &n));
    assert_int_equal(n, 0);
    free(hits);
    query_destroy(&q);

    /* No match: no hits. */
    q = query_parse("Putin", &err);
    assert_non_null(q);
    hits = (query_hit_t *) 1;
    n = 99;
    assert_false(query_eval(q, &a.in, &hits, &n));
    assert_null(hits);
    assert_int_equal(n, 0);
    query_destroy(&q);

    s_article_free(&a);
    free(text);
}

static void test_title_only_and_case(void **state)
{
    (void) state;
    article_t a;
    s_article(&a, "Houthis claim strike on ship", "A ship was hit in the Red Sea.", NULL, 0);
    assert_true(s_matches("houthis", &a));
    assert_true(s_matches("HOUTHIS ship", &a));
    assert_false(s_matches("houthis AND Bout", &a));
    s_article_free(&a);

    /* A doc may be absent (no title). */
    char *text = s_read_fixture("ar_houthis_plural.txt");
    article_t b;
    s_article(&b, NULL, text, NULL, 0);
    query_error_t err;
    query_t *q = query_parse("حوث*", &err);
    assert_non_null(q);
    query_hit_t *hits = NULL;
    size_t n = 0;
    assert_true(query_eval(q, &b.in, &hits, &n));
    assert_int_equal(n, 1);
    size_t h = s_offset(text, "الحوثيون");
    assert_int_equal(hits[0].start, h);
    assert_int_equal(hits[0].end, h + strlen("الحوثيون"));
    free(hits);
    query_destroy(&q);
    assert_false(query_eval(NULL, &b.in, NULL, NULL));
    s_article_free(&b);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_phrases_and_terms),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_term_without_words),
        cmocka_unit_test(test_cases_file),
        cmocka_unit_test(test_entities_with_mentions),
        cmocka_unit_test(test_hits_only_from_true_branches),
        cmocka_unit_test(test_title_only_and_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
