/*
 * test_shingle_score.c — the benchmark metric in bench/shingle_score.c must
 * give what the benchmark's evaluate.py gives.  Every expected value below
 * was computed by evaluate.py's own functions (string_shingle_matching,
 * precision_score, recall_score, _tokenize) on the same strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "shingle_score.h"

#define EPS 1e-9

static void
s_expect(const char *truth, const char *pred, double tp, double fp, double fn, double p,
         double r)
{
    shingle_counts_t c;
    assert_int_equal(shingle_score(truth, pred, &c), 0);
    assert_float_equal(c.tp, tp, EPS);
    assert_float_equal(c.fp, fp, EPS);
    assert_float_equal(c.fn, fn, EPS);
    assert_float_equal(shingle_precision(&c), p, EPS);
    assert_float_equal(shingle_recall(&c), r, EPS);
}

/* \w+ as CPython has it: letters, numbers of any script, '_'; combining
 * marks split words; apostrophes split */
static void
test_tokens(void **state)
{
    (void) state;
    assert_int_equal(shingle_count_tokens("snake_case 12 \xd9\xa1\xd9\xa2 \xc2\xbd \xe2\x85\xab don't"), 7);
    /* كَتَبَ: each fatha ends a token */
    assert_int_equal(shingle_count_tokens("\xd9\x83\xd9\x8e\xd8\xaa\xd9\x8e\xd8\xa8\xd9\x8e"), 3);
    /* na\u00efve caf\u00e9 x\u0303y: precomposed letters are letters, a combining tilde splits */
    assert_int_equal(shingle_count_tokens("na\xc3\xafve caf\xc3\xa9 x\xcc\x83y"), 4);
    assert_int_equal(shingle_count_tokens(""), 0);
    assert_int_equal(shingle_count_tokens(NULL), 0);
    assert_int_equal(shingle_count_tokens(" ,.;-- "), 0);
    /* invalid UTF-8 is a separator, not a crash */
    assert_int_equal(shingle_count_tokens("ab\xff\xfe" "cd"), 2);
}

static void
test_pages(void **state)
{
    (void) state;
    s_expect("a b c d e f", "a b c d e f", 1, 0, 0, 1, 1);
    s_expect("one two three four five six", "one two three four seven", 0.25, 0.25, 0.5, 0.5,
             1.0 / 3);
    /* multisets: repeated shingles count as often as they occur */
    s_expect("a a a a a a", "a a a a", 1.0 / 3, 0, 2.0 / 3, 1, 1.0 / 3);
    /* fewer than four tokens: one short shingle */
    s_expect("x y", "x y", 1, 0, 0, 1, 1);
    s_expect("x y", "x z", 0, 0.5, 0.5, 0, 0);
    s_expect("", "a b c d", 0, 1, 0, 0, 0);
    s_expect("a b c d", "", 0, 0, 1, 0, 0);
    /* harakat at a word's end do not change its tokens */
    s_expect("\xd9\x83\xd8\xaa\xd8\xa8\xd9\x8e \xd8\xa7\xd9\x84\xd9\x88\xd9\x84\xd8\xaf\xd9\x8f "
             "\xd8\xa7\xd9\x84\xd8\xaf\xd8\xb1\xd8\xb3\xd9\x8e \xd9\x81\xd9\x8a "
             "\xd8\xa7\xd9\x84\xd8\xa8\xd9\x8a\xd8\xaa",
             "\xd9\x83\xd8\xaa\xd8\xa8 \xd8\xa7\xd9\x84\xd9\x88\xd9\x84\xd8\xaf "
             "\xd8\xa7\xd9\x84\xd8\xaf\xd8\xb1\xd8\xb3 \xd9\x81\xd9\x8a "
             "\xd8\xa7\xd9\x84\xd8\xa8\xd9\x8a\xd8\xaa",
             1, 0, 0, 1, 1);
    /* case is kept */
    s_expect("The cat sat on the mat", "the cat sat on the mat", 0.5, 0.25, 0.25, 2.0 / 3,
             2.0 / 3);
}

/* averages: precision skips pages that predicted nothing, recall skips
 * pages whose truth is empty; F1 comes from the two averages */
static void
test_tally(void **state)
{
    (void) state;
    shingle_tally_t t = {0};
    shingle_counts_t c;
    assert_int_equal(shingle_score("one two three four five six", "one two three four seven", &c), 0);
    shingle_tally_add(&t, &c); /* P 0.5, R 1/3 */
    assert_int_equal(shingle_score("a b c d", "", &c), 0);
    shingle_tally_add(&t, &c); /* no precision; R 0 */
    assert_int_equal(shingle_score("a b c d e", "a b c d e", &c), 0);
    assert_true(c.exact);
    shingle_tally_add(&t, &c); /* P 1, R 1 */
    double p, r, f1, acc;
    shingle_tally_result(&t, &p, &r, &f1, &acc);
    assert_float_equal(p, 0.75, EPS);
    assert_float_equal(r, (1.0 / 3 + 0 + 1) / 3, EPS);
    assert_float_equal(f1, 2 * p * r / (p + r), EPS);
    assert_float_equal(acc, 1.0 / 3, EPS);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_tally),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
