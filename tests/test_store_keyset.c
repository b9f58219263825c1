/*
 * test_store_keyset.c — the fresh articles' keys in memory: every key
 * filed is found with its lowest seq, across growth and bulk forgetting
 * (which moves entries inside the table), and the merge order is that of
 * article_keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "store_key.h"
#include "store_keyset.h"

#define S_N 50000

/* Keys that crowd a few home slots as well as spread ones: small
 * integers (as a test's keys) and real string keys. */
static int64_t s_key(int i) { return i % 3 ? store_key((char[]) { 'k', (char) ('0' + i % 10), 0 }) + i : i; }

static void test_found_across_growth(void **state)
{
    (void) state;
    store_keyset_t *ks = store_keyset_new();
    assert_non_null(ks);
    for (int i = 1; i <= S_N; i++)
        assert_int_equal(store_keyset_add(ks, i % 3, s_key(i), i), 0);
    assert_int_equal(store_keyset_count(ks), S_N);
    for (int i = 1; i <= S_N; i++)
        assert_int_equal(store_keyset_find(ks, i % 3, s_key(i), 0), i);
    /* the same key of another kind is another entry */
    assert_int_equal(store_keyset_find(ks, (S_N + 1) % 3, s_key(S_N), 0), 0);
    assert_int_equal(store_keyset_min_seq(ks), 1);
    store_keyset_destroy(&ks);
    assert_null(ks);
}

static void test_a_key_filed_twice_gives_each_seq_in_order(void **state)
{
    (void) state;
    store_keyset_t *ks = store_keyset_new();
    assert_int_equal(store_keyset_add(ks, STORE_KEY_HASH, 42, 9), 0);
    assert_int_equal(store_keyset_add(ks, STORE_KEY_HASH, 42, 3), 0);
    assert_int_equal(store_keyset_add(ks, STORE_KEY_HASH, 42, 5), 0);
    assert_int_equal(store_keyset_find(ks, STORE_KEY_HASH, 42, 0), 3);
    assert_int_equal(store_keyset_find(ks, STORE_KEY_HASH, 42, 3), 5);
    assert_int_equal(store_keyset_find(ks, STORE_KEY_HASH, 42, 5), 9);
    assert_int_equal(store_keyset_find(ks, STORE_KEY_HASH, 42, 9), 0);
    assert_int_equal(store_keyset_find(ks, STORE_KEY_ID, 42, 0), 0);
    store_keyset_destroy(&ks);
}

/* Forgetting a range empties slots in the middle of clusters: every entry
 * kept must still be reachable from its home slot. */
static void test_keep_forgets_a_range_and_finds_the_rest(void **state)
{
    (void) state;
    store_keyset_t *ks = store_keyset_new();
    for (int i = 1; i <= S_N; i++)
        assert_int_equal(store_keyset_add(ks, i % 3, s_key(i), i), 0);
    store_keyset_keep(ks, S_N / 5, S_N - S_N / 5);      /* as after a merge and a rollback */
    assert_int_equal(store_keyset_count(ks), S_N - 2 * (S_N / 5));
    for (int i = 1; i <= S_N; i++) {
        int64_t want = i > S_N / 5 && i <= S_N - S_N / 5 ? i : 0;
        assert_int_equal(store_keyset_find(ks, i % 3, s_key(i), 0), want);
    }
    assert_int_equal(store_keyset_min_seq(ks), S_N / 5 + 1);
    store_keyset_keep(ks, 0, 0);
    assert_int_equal(store_keyset_count(ks), 0);
    assert_int_equal(store_keyset_min_seq(ks), 0);
    store_keyset_destroy(&ks);
}

static void test_sorted_in_the_order_of_article_keys(void **state)
{
    (void) state;
    store_keyset_t *ks = store_keyset_new();
    for (int i = 1; i <= 1000; i++)
        assert_int_equal(store_keyset_add(ks, i % 3, s_key(i % 400), i), 0);
    store_keyset_entry_t *e = NULL;
    long n = store_keyset_sorted(ks, 800, &e);
    assert_int_equal(n, 800);
    for (long i = 1; i < n; i++) {
        const store_keyset_entry_t *a = &e[i - 1], *b = &e[i];
        assert_true(a->kind < b->kind
                    || (a->kind == b->kind && (a->key < b->key
                                               || (a->key == b->key && a->seq < b->seq))));
    }
    for (long i = 0; i < n; i++)
        assert_true(e[i].seq >= 1 && e[i].seq <= 800);
    free(e);
    store_keyset_destroy(&ks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found_across_growth),
        cmocka_unit_test(test_a_key_filed_twice_gives_each_seq_in_order),
        cmocka_unit_test(test_keep_forgets_a_range_and_finds_the_rest),
        cmocka_unit_test(test_sorted_in_the_order_of_article_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
