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
    case QN_NEAR:
        snprintf(buf + len, cap - len, "(%sNEAR/%zu ", n->ordered ? "O" : "", n->dist);
        break;
    case QN_SENTENCE:
        snprintf(buf + len, cap - len, "(SENTENCE ");
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
    a->in = (query_input_t) { .title = a->title, .text = a->text, .mentions = mentions,
                              .n_mentions = n_mentions };
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
    s_expect_tree("a NEAR/5 b", "(NEAR/5 a b)");
    s_expect_tree("a ONEAR/2 b c", "(AND (ONEAR/2 a b) c)");
    s_expect_tree("a NEAR/1 b ONEAR/3 c", "(ONEAR/3 (NEAR/1 a b) c)");
    s_expect_tree("NOT a SENTENCE b OR c", "(OR (NOT (SENTENCE a b)) c)");
    s_expect_tree("(a OR b) NEAR/5 \"c d\"", "(NEAR/5 (OR a b) \"c d\")");
    s_expect_tree("title:Bout source:reuters lang:en type:weapon",
                  "(AND title:Bout source:reuters lang:en type:weapon)");
    s_expect_tree("title:(a OR b) text:\"c d\"", "(AND (OR a b) text:\"c d\")");
    s_expect_tree("NEARBY SENTENCES near/5", "(AND NEARBY SENTENCES near/5)");
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
    s_expect_error("Bout NEAR arms", 1, 6, "expected NEAR/n with n a number of words "
                   "from 1 to 1000, found 'NEAR'");
    s_expect_error("Bout NEAR/0 arms", 1, 6, "expected NEAR/n with n a number of words "
                   "from 1 to 1000, found 'NEAR/0'");
    s_expect_error("Bout ONEAR/x arms", 1, 6, "expected ONEAR/n with n a number of words "
                   "from 1 to 1000, found 'ONEAR/x'");
    s_expect_error("Bout NEAR/99999999999999999999 arms", 1, 6,
                   "expected NEAR/n with n a number of words from 1 to 1000, "
                   "found 'NEAR/99999999999999999999'");
    s_expect_error("Bout NEAR/5", 1, 12, "unexpected end of query, expected a term after "
                   "NEAR/n");
    s_expect_error("NEAR/5 Bout", 1, 1, "expected a term, found NEAR/n");
    s_expect_error("(a b) NEAR/5 c", 1, 1, "the left operand of NEAR/5 must be words, "
                   "phrases, @entities or type: (or an OR of them)");
    s_expect_error("a SENTENCE (b NOT c)", 1, 12, "the right operand of SENTENCE must be "
                   "words, phrases, @entities or type: (or an OR of them)");
    s_expect_error("a NEAR/3 lang:ar", 1, 10, "the right operand of NEAR/3 must be words, "
                   "phrases, @entities or type: (or an OR of them)");
    s_expect_error("titel:Bout", 1, 1, "unknown field prefix 'titel:'; expected title:, "
                   "text:, source:, lang: or type:");
    s_expect_error("x type:weapn", 1, 3, "unknown entity type 'weapn'; expected person, "
                   "org, place, weapon, media or other");
    s_expect_error("title: Bout", 1, 1, "expected a word, '(' or a \"phrase\" right after "
                   "'title:'");
    s_expect_error("source:(a OR b)", 1, 1, "expected a word or a \"phrase\" right after "
                   "'source:'");
    s_expect_error("title:(a text:b)", 1, 10, "text: inside title:( ): a term is in one "
                   "field only");
    s_expect_error("title:(a @bout)", 1, 10, "@entity inside title:( ): entities are found "
                   "in the text, not by field");
    s_expect_error("title:(a OR b", 1, 14, "expected ')' to close '(' opened at 1:7");
    s_expect_error("title:a*b", 1, 1, "'*' is only allowed at the end of a word");
    s_expect_error("type:weap*", 1, 1, "'*' is only allowed at the end of a type: value");
    s_expect_error("الحوثي\n  NEAR/5 title:", 2, 10,
                   "expected a word, '(' or a \"phrase\" right after 'title:'");
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

/* What query_terms gives the store: positive words and phrases as
 * written (phrases without their quotes, wildcards with their '*'), once
 * each, in query order; nothing under NOT, no @entities. */
static void s_expect_terms(const char *src, const char *want)
{
    query_error_t err;
    query_t *q = query_parse(src, &err);
    if (!q)
        fail_msg("'%s' did not parse: %d:%d: %s", src, err.line, err.col, err.message);
    const char **terms = NULL;
    size_t n = query_terms(q, &terms);
    char buf[1024] = "";
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof buf - len, "%s[%s]", i ? " " : "", terms[i]);
    }
    if (strcmp(buf, want) != 0)
        fail_msg("query_terms('%s') = %s, want %s", src, buf, want);
    if (n == 0)
        assert_null(terms);
    free(terms);
    query_destroy(&q);
}

static void test_terms_for_store(void **state)
{
    (void) state;
    s_expect_terms("Bout", "[Bout]");
    s_expect_terms("\"merchant of death\" AND NOT Putin", "[merchant of death]");
    s_expect_terms("«تاجر الموت» OR بوت", "[تاجر الموت] [بوت]");
    s_expect_terms("حوث* OR Houthi*", "[حوث*] [Houthi*]");
    s_expect_terms("@bout AND (@houthis OR الحوثي)", "[الحوثي]");
    s_expect_terms("a NOT (b OR NOT c) a", "[a] [c]");
    s_expect_terms("NOT NOT a", "[a]");
    s_expect_terms("@bout NOT Putin", "");
    s_expect_terms("title:Bout source:reuters lang:en type:weapon text:\"arms deal\"",
                   "[Bout] [arms deal]");
    s_expect_terms("title:(a OR bo*) NEAR/3 c", "[a] [bo*] [c]");

    const char **terms = (const char **) 1;
    assert_int_equal(query_terms(NULL, &terms), 0);
    assert_null(terms);
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
    query_mention_t mentions[] = { { "bout", b, b + strlen("فيكتور بوت"), "person" } };
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
    query_mention_t putin[] = { { "putin", b, b + 4, "person" } };
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

/* --------------------------------------------- proximity and fields */

static void test_near_and_sentence(void **state)
{
    (void) state;
    char *en = s_read_fixture("en_bout_merchant.txt");
    article_t a;
    s_article(&a, NULL, en, NULL, 0);
    /* Viktor(0) Bout(1) the(2) arms(3) ... merchant(9) of(10) death(11)
     * ... rifle(16) ... Houthis(20): NEAR/n is "at most n words on". */
    assert_true(s_matches("Bout NEAR/2 arms", &a));
    assert_false(s_matches("Bout NEAR/1 arms", &a));
    assert_true(s_matches("arms NEAR/2 Bout", &a));
    assert_false(s_matches("arms ONEAR/2 Bout", &a));
    assert_true(s_matches("Bout ONEAR/2 arms", &a));
    assert_true(s_matches("Bout NEAR/19 Houthis", &a));
    assert_false(s_matches("Bout NEAR/18 Houthis", &a));
    assert_true(s_matches("\"merchant of death\" NEAR/5 rifle", &a));
    assert_false(s_matches("\"merchant of death\" NEAR/4 rifle", &a));
    assert_true(s_matches("(Putin OR Bout) NEAR/2 (weapons OR arms)", &a));
    assert_false(s_matches("(Putin OR Yanukovych) NEAR/2 arms", &a));
    assert_true(s_matches("Viktor ONEAR/1 Bout ONEAR/2 arms", &a));
    assert_false(s_matches("Viktor ONEAR/1 Bout ONEAR/1 arms", &a));
    assert_true(s_matches("neg* NEAR/3 rifle", &a));
    /* Precedence: NEAR binds tighter than NOT, AND and OR. */
    assert_true(s_matches("NOT Bout NEAR/1 arms", &a));
    assert_false(s_matches("NOT Bout NEAR/2 arms", &a));

    /* Only the terms of the proximity are reported. */
    query_error_t err;
    query_t *q = query_parse("Bout NEAR/2 arms OR Putin", &err);
    assert_non_null(q);
    query_hit_t *hits = NULL;
    size_t n = 0;
    assert_true(query_eval(q, &a.in, &hits, &n));
    assert_int_equal(n, 2);
    assert_string_equal(hits[0].term, "Bout");
    assert_int_equal(hits[0].start, s_offset(en, "Bout"));
    assert_string_equal(hits[1].term, "arms");
    free(hits);
    query_destroy(&q);
    s_article_free(&a);
    free(en);

    /* Arabic, through clitics: بوت(8) ... للحوثيين(14); two sentences. */
    char *ar = s_read_fixture("ar_bout_houthis.txt");
    s_article(&a, NULL, ar, NULL, 0);
    assert_true(s_matches("بوت NEAR/6 الحوثي", &a));
    assert_false(s_matches("بوت NEAR/5 الحوثي", &a));
    assert_true(s_matches("بوت ONEAR/6 حوث*", &a));
    assert_false(s_matches("الحوثي ONEAR/6 بوت", &a));
    assert_true(s_matches("بوت SENTENCE الحوثي", &a));
    assert_false(s_matches("بوت SENTENCE كلاشنيكوف", &a));
    assert_true(s_matches("صفقة SENTENCE كلاشنيكوف", &a));
    assert_true(s_matches("«فيكتور بوت» SENTENCE اليمن", &a));
    s_article_free(&a);
    free(ar);
}

static void test_fields(void **state)
{
    (void) state;
    article_t a;
    s_article(&a, "Houthis claim strike on ship", "A ship was hit in the Red Sea.", NULL, 0);
    a.in.source = "aljazeera";
    a.in.lang = "ar-EG";
    assert_true(s_matches("title:Houthis", &a));
    assert_false(s_matches("text:Houthis", &a));
    assert_true(s_matches("title:ship AND text:ship", &a));
    assert_true(s_matches("title:(denial OR claim) ship", &a));
    assert_true(s_matches("title:\"claim strike\"", &a));
    assert_false(s_matches("text:\"claim strike\"", &a));
    assert_true(s_matches("text:(Red ONEAR/1 Sea)", &a));
    assert_false(s_matches("title:(Red ONEAR/1 Sea)", &a));
    assert_true(s_matches("title:Hout*", &a));
    /* A proximity never spans the title and the text. */
    assert_false(s_matches("ship ONEAR/1 ship", &a));

    assert_true(s_matches("source:aljazeera ship", &a));
    assert_true(s_matches("source:AlJazeera", &a));
    assert_true(s_matches("source:al*", &a));
    assert_true(s_matches("source:\"aljazeera\"", &a));
    assert_false(s_matches("source:reuters", &a));
    assert_false(s_matches("source:aljaz", &a));
    assert_true(s_matches("lang:ar", &a));
    assert_true(s_matches("lang:ar-eg", &a));
    assert_false(s_matches("lang:en", &a));
    assert_false(s_matches("lang:a", &a));
    assert_true(s_matches("ship NOT source:reuters", &a));
    a.in.source = NULL;
    assert_false(s_matches("source:al*", &a));
    s_article_free(&a);

    /* type: is any mention of an entity of that type. */
    char *ar = s_read_fixture("ar_bout_houthis.txt");
    size_t b = s_offset(ar, "فيكتور بوت"), k = s_offset(ar, "كلاشنيكوف");
    query_mention_t mentions[] = {
        { "bout", b, b + strlen("فيكتور بوت"), "person" },
        { "ak-47", k, k + strlen("كلاشنيكوف"), "weapon" },
    };
    s_article(&a, NULL, ar, mentions, 2);
    assert_true(s_matches("type:weapon", &a));
    assert_false(s_matches("type:org", &a));
    assert_true(s_matches("type:person SENTENCE الحوثي", &a));
    assert_false(s_matches("type:weapon SENTENCE بوت", &a));
    assert_true(s_matches("type:weapon SENTENCE الصفقة", &a));
    assert_true(s_matches("@bout NEAR/1 يتفاوض", &a));
    assert_false(s_matches("@bout NEAR/1 صفقة", &a));
    query_error_t err;
    query_t *q = query_parse("type:weapon AND @bout", &err);
    assert_non_null(q);
    query_hit_t *hits = NULL;
    size_t n = 0;
    assert_true(query_eval(q, &a.in, &hits, &n));
    assert_int_equal(n, 2);
    assert_string_equal(hits[0].term, "@bout");
    assert_string_equal(hits[1].term, "type:weapon");
    assert_string_equal(hits[1].entity, "ak-47");
    assert_int_equal(hits[1].start, k);
    free(hits);
    query_destroy(&q);
    s_article_free(&a);
    free(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_phrases_and_terms),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_term_without_words),
        cmocka_unit_test(test_terms_for_store),
        cmocka_unit_test(test_cases_file),
        cmocka_unit_test(test_entities_with_mentions),
        cmocka_unit_test(test_hits_only_from_true_branches),
        cmocka_unit_test(test_title_only_and_case),
        cmocka_unit_test(test_near_and_sentence),
        cmocka_unit_test(test_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
