/*
 * test_store_bands.c — the in-memory band index (store_bands.c): newest
 * first, at most PER_BAND a band and MAX in all, each seq once; articles
 * fall out of the window as new ones come; a rolled-back batch is
 * forgotten and its seqs can be filed again; keys that share a hash bucket
 * are told apart; what is filed with an article comes back with it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "store_bands.h"

/* Bands with key K1 in the first minhash band and K2 in the second. */
static void s_bands(int64_t bands[TEXT_SIG_NBANDS], int64_t k1, int64_t k2)
{
    memset(bands, 0, TEXT_SIG_NBANDS * sizeof bands[0]);
    bands[4] = k1 ? (4LL << 48) | k1 : 0;
    bands[5] = k2 ? (5LL << 48) | k2 : 0;
}

static size_t s_find(const store_bands_t *b, int64_t k1, int64_t k2, size_t per_band,
                     int64_t *out, size_t max)
{
    int64_t q[TEXT_SIG_NBANDS];
    s_bands(q, k1, k2);
    size_t n = 0;
    store_bands_lookup(b, q, per_band, out, &n, max);
    return n;
}

static void test_newest_first_and_limits(void **state)
{
    (void) state;
    store_bands_t *b = store_bands_new(64);
    assert_non_null(b);
    int64_t bands[TEXT_SIG_NBANDS];
    /* seqs 1..10 share key 7 in the first band; the even ones share 9 in
     * the second; seq 11 has neither */
    for (int64_t s = 1; s <= 10; s++) {
        s_bands(bands, 7, s % 2 ? 100 + s : 9);
        store_bands_add(b, s, bands, NULL);
    }
    s_bands(bands, 8, 8);
    store_bands_add(b, 11, bands, NULL);
    assert_int_equal(store_bands_top(b), 11);
    int64_t out[32];
    assert_int_equal(s_find(b, 7, 0, 3, out, 32), 3);
    assert_int_equal(out[0], 10);
    assert_int_equal(out[1], 9);
    assert_int_equal(out[2], 8);
    /* the second band's newest three are 10, 8 and 6: only 6 is new */
    assert_int_equal(s_find(b, 7, 9, 3, out, 32), 4);
    assert_int_equal(out[3], 6);
    /* MAX caps the whole answer */
    assert_int_equal(s_find(b, 7, 9, 16, out, 4), 4);
    /* a key nobody has, and one band number's key under another number */
    assert_int_equal(s_find(b, 12345, 0, 16, out, 32), 0);
    assert_int_equal(s_find(b, 0, 7, 16, out, 32), 0);
    store_bands_destroy(&b);
    assert_null(b);
}

static void test_window_drops_the_oldest(void **state)
{
    (void) state;
    store_bands_t *b = store_bands_new(16);
    int64_t bands[TEXT_SIG_NBANDS];
    for (int64_t s = 1; s <= 40; s++) {
        s_bands(bands, s == 1 || s == 30 ? 5 : 1000 + s, 6);
        store_bands_add(b, s, bands, NULL);
    }
    int64_t out[64];
    /* seq 1 fell out of the last 16; 30 is still in */
    assert_int_equal(s_find(b, 5, 0, 16, out, 64), 1);
    assert_int_equal(out[0], 30);
    /* all share key 6: only the last 16, newest first */
    assert_int_equal(s_find(b, 0, 6, 64, out, 64), 16);
    assert_int_equal(out[0], 40);
    assert_int_equal(out[15], 25);
    store_bands_destroy(&b);
}

static void test_forget_after_rollback(void **state)
{
    (void) state;
    store_bands_t *b = store_bands_new(32);
    int64_t bands[TEXT_SIG_NBANDS];
    for (int64_t s = 1; s <= 20; s++) {
        s_bands(bands, 3, s);
        store_bands_add(b, s, bands, NULL);
    }
    store_bands_forget_after(b, 15);
    assert_int_equal(store_bands_top(b), 15);
    int64_t out[32];
    assert_int_equal(s_find(b, 3, 0, 32, out, 32), 15);
    assert_int_equal(out[0], 15);
    assert_int_equal(s_find(b, 0, 18, 32, out, 32), 0);
    /* seq 16 again, with other bands: found by them, not by the old ones */
    s_bands(bands, 4, 0);
    store_bands_add(b, 16, bands, NULL);
    assert_int_equal(s_find(b, 0, 16, 32, out, 32), 0);
    assert_int_equal(s_find(b, 4, 0, 32, out, 32), 1);
    assert_int_equal(out[0], 16);
    assert_int_equal(s_find(b, 3, 0, 32, out, 32), 15);
    assert_int_equal(out[0], 15);
    /* a seq not above the top is refused */
    s_bands(bands, 99, 0);
    store_bands_add(b, 10, bands, NULL);
    assert_int_equal(s_find(b, 99, 0, 32, out, 32), 0);
    store_bands_destroy(&b);
}

static void test_many_keys_share_buckets(void **state)
{
    (void) state;
    /* 2,000 articles with distinct keys in a window of 4,096: 8,192
     * buckets hold them, so chains mix keys and must be told apart */
    store_bands_t *b = store_bands_new(4096);
    int64_t bands[TEXT_SIG_NBANDS];
    for (int64_t s = 1; s <= 2000; s++) {
        s_bands(bands, s * 7919, s * 104729);
        store_bands_add(b, s, bands, NULL);
    }
    int64_t out[32];
    for (int64_t s = 1; s <= 2000; s += 37) {
        assert_int_equal(s_find(b, s * 7919, 0, 16, out, 32), 1);
        assert_int_equal(out[0], s);
        assert_int_equal(s_find(b, 0, s * 104729, 16, out, 32), 1);
        assert_int_equal(out[0], s);
    }
    assert_null(store_bands_new(100));   /* not a power of two */
    store_bands_destroy(&b);
}

/* An article's every band is filed: 10 minhash triples (text_sig.h). */
static void test_all_bands_of_an_article(void **state)
{
    (void) state;
    store_bands_t *b = store_bands_new(64);
    int64_t bands[TEXT_SIG_NBANDS], q[TEXT_SIG_NBANDS];
    for (int i = 0; i < TEXT_SIG_NBANDS; i++)
        bands[i] = i < 4 ? 0 : ((int64_t) i << 48) | (1000 + i);
    store_bands_add(b, 1, bands, NULL);
    for (int i = 4; i < TEXT_SIG_NBANDS; i++) {
        memset(q, 0, sizeof q);
        q[i] = bands[i];
        int64_t out[4];
        size_t n = 0;
        store_bands_lookup(b, q, 16, out, &n, 4);
        assert_int_equal(n, 1);
        assert_int_equal(out[0], 1);
    }
    store_bands_destroy(&b);
}

/* What is filed with an article comes back while it is in the window,
 * and not once it fell out or was forgotten. */
static void test_info_kept_with_the_article(void **state)
{
    (void) state;
    store_bands_t *b = store_bands_new(4);
    int64_t bands[TEXT_SIG_NBANDS];
    s_bands(bands, 7, 0);
    store_bands_info_t in = { .has_simhash = true, .simhash = 0xfeedULL, .when = 1700000000 }, out;
    store_bands_add(b, 1, bands, &in);
    store_bands_add(b, 2, bands, NULL);
    assert_true(store_bands_info(b, 1, &out));
    assert_true(out.has_simhash);
    assert_int_equal(out.simhash, 0xfeedULL);
    assert_int_equal(out.when, 1700000000);
    assert_true(store_bands_info(b, 2, &out));      /* filed without: nothing known */
    assert_false(out.has_simhash);
    assert_int_equal(out.when, 0);
    assert_false(store_bands_info(b, 3, &out));     /* never filed */
    store_bands_forget_after(b, 1);
    assert_false(store_bands_info(b, 2, &out));
    for (int64_t s = 2; s <= 5; s++)                /* 1 falls out of the window of 4 */
        store_bands_add(b, s, bands, &in);
    assert_false(store_bands_info(b, 1, &out));
    assert_true(store_bands_info(b, 5, &out));
    store_bands_destroy(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newest_first_and_limits),
        cmocka_unit_test(test_window_drops_the_oldest),
        cmocka_unit_test(test_forget_after_rollback),
        cmocka_unit_test(test_many_keys_share_buckets),
        cmocka_unit_test(test_all_bands_of_an_article),
        cmocka_unit_test(test_info_kept_with_the_article),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
