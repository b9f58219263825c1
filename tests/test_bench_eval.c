/*
 * test_bench_eval.c — a regression floor for main-text extraction on the
 * Zyte article-extraction benchmark (../shared/peers, read in place; the
 * test skips when it is absent).  Every fourth page is extracted and scored
 * with the benchmark's own metric (bench/shingle_score.c); the full
 * evaluation is build/bench/extract-eval.  The floors sit a little under
 * the figures of the day (sample F1 0.966) so that tuning noise does not
 * fail the suite but a real regression — a pruning rule eating articles,
 * a broken decoder — does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bench_corpus.h"
#include "html_extract.h"
#include "shingle_score.h"

static void
test_benchmark_sample(void **state)
{
    (void) state;
    const char *why = NULL;
    bench_corpus_t *c = bench_corpus_load(bench_corpus_default_dir(), &why);
    if (!c) {
        if (why && strcmp(why, "absent") == 0)
            skip();
        fail_msg("benchmark present but not loadable: %s", why ? why : "?");
    }
    assert_true(c->n >= 100);
    shingle_tally_t tally = {0};
    size_t empty = 0;
    for (size_t i = 0; i < c->n; i += 4) {
        const bench_page_t *pg = &c->pages[i];
        html_article_t a;
        assert_int_equal(html_extract(pg->html, pg->html_len, pg->url, NULL, &a), 0);
        shingle_counts_t sc;
        assert_int_equal(shingle_score(pg->truth, a.text, &sc), 0);
        shingle_tally_add(&tally, &sc);
        if (!a.text[0])
            empty++;
        html_article_clear(&a);
    }
    double p, r, f1, acc;
    shingle_tally_result(&tally, &p, &r, &f1, &acc);
    printf("sample of %zu pages: P %.3f R %.3f F1 %.3f, %zu empty\n", tally.n, p, r, f1, empty);
    assert_true(f1 >= 0.93);
    assert_true(p >= 0.90);
    assert_true(r >= 0.93);
    assert_true(empty <= 1);
    bench_corpus_destroy(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_benchmark_sample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
