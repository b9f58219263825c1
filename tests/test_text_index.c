/*
 * test_text_index.c — the index frame (text_index.c): it round-trips; the
 * extractor's sentence-segmented doc gives the same index as the store's
 * words-only one; a frame of another version is told apart from a
 * malformed one, and no cut, flipped byte or bad UTF-8 is taken; and the
 * version guard: what the index of a fixed text encodes to is pinned, so
 * a change to tokens, folding, forms or signatures fails here until
 * TEXT_INDEX_VERSION is bumped (and the digest below updated with it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_index.h"

static const char s_title[] = "فيكتور بوت يعود: Arms broker \"Viktor Bout\" returns";
static const char s_text[] =
    "قال مسؤول أمني أوروبي إن فيكتور بوت يتوسط في صفقة أسلحة مع الحوثيين، "
    "وإن الشحنة تضم صواريخ كورنيت وبنادق AK-74. ونفى الكرملين ذلك في بيان.\n"
    "A European security official said Viktor Bout was brokering a deal for the Houthis; "
    "the Kremlin denied it. Prices rose 3.5% in 2026.";

static void s_same(const text_index_t *a, const text_index_t *b)
{
    assert_string_equal(a->title_forms, b->title_forms);
    assert_string_equal(a->forms, b->forms);
    assert_true(a->sig.simhash == b->sig.simhash);
    assert_memory_equal(a->sig.minhash, b->sig.minhash, sizeof a->sig.minhash);
    assert_int_equal(a->sig.n_title, b->sig.n_title);
    assert_memory_equal(a->sig.title, b->sig.title, a->sig.n_title * sizeof a->sig.title[0]);
    assert_int_equal(a->sig.n_words, b->sig.n_words);
}

static void test_round_trip(void **state)
{
    (void) state;
    text_index_t idx, back;
    assert_int_equal(text_index_of(s_title, s_text, &idx), 0);
    assert_non_null(strstr(idx.forms, "حوثي"));
    assert_true(idx.sig.n_words > 8);
    char *buf;
    size_t len;
    assert_int_equal(text_index_encode(&idx, &buf, &len), 0);
    assert_int_equal(text_index_decode(buf, len, &back), 0);
    s_same(&idx, &back);
    text_index_clear(&back);
    free(buf);
    /* no words at all */
    text_index_t empty;
    assert_int_equal(text_index_of("", "", &empty), 0);
    assert_string_equal(empty.forms, "");
    assert_int_equal(text_index_encode(&empty, &buf, &len), 0);
    assert_int_equal(text_index_decode(buf, len, &back), 0);
    s_same(&empty, &back);
    text_index_clear(&back);
    text_index_clear(&empty);
    free(buf);
    text_index_clear(&idx);
}

/* The extractor computes from text_doc_new, the store from text_doc_words. */
static void test_extractor_doc_gives_the_store_index(void **state)
{
    (void) state;
    text_doc_t *title = text_doc_words(s_title, strlen(s_title));
    text_doc_t *text = text_doc_new(s_text, strlen(s_text));
    assert_true(text_doc_nsentences(text) > 1);
    text_index_t a, b;
    assert_int_equal(text_index_compute(title, text, &a), 0);
    assert_int_equal(text_index_of(s_title, s_text, &b), 0);
    s_same(&a, &b);
    text_index_clear(&a);
    text_index_clear(&b);
    text_doc_destroy(&title);
    text_doc_destroy(&text);
}

static void test_bad_frames(void **state)
{
    (void) state;
    text_index_t idx, out;
    assert_int_equal(text_index_of(s_title, s_text, &idx), 0);
    char *buf;
    size_t len;
    assert_int_equal(text_index_encode(&idx, &buf, &len), 0);
    text_index_clear(&idx);
    /* another version: not malformed, just not ours */
    buf[2] = TEXT_INDEX_VERSION + 1;
    assert_int_equal(text_index_decode(buf, len, &out), 1);
    assert_null(out.forms);
    buf[2] = TEXT_INDEX_VERSION;
    /* every cut, and one byte too many */
    for (size_t n = 0; n < len; n++)
        assert_int_equal(text_index_decode(buf, n, &out), -1);
    char *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = ' ';
    assert_int_equal(text_index_decode(longer, len + 1, &out), -1);
    free(longer);
    /* a wrong magic, too many title hashes */
    buf[0] = 'm';
    assert_int_equal(text_index_decode(buf, len, &out), -1);
    buf[0] = 'M';
    unsigned char nt = (unsigned char) buf[3];
    buf[3] = TEXT_TITLE_WORDS + 1;
    assert_int_equal(text_index_decode(buf, len, &out), -1);
    buf[3] = (char) nt;
    /* the last byte of the text forms made a lone continuation byte, a NUL,
     * a surrogate's lead */
    const unsigned char bad[] = { 0x80, 0x00, 0xED };
    char last = buf[len - 1];
    for (size_t i = 0; i < sizeof bad; i++) {
        buf[len - 1] = (char) bad[i];
        assert_int_equal(text_index_decode(buf, len, &out), -1);
        assert_null(out.forms);
    }
    buf[len - 1] = last;
    /* any single flipped byte decodes or is refused, never crashes */
    for (size_t i = 0; i < len; i++) {
        buf[i] ^= 0x5a;
        if (text_index_decode(buf, len, &out) == 0)
            text_index_clear(&out);
        buf[i] ^= 0x5a;
    }
    assert_int_equal(text_index_decode(buf, len, &out), 0);
    text_index_clear(&out);
    free(buf);
}

static uint64_t s_fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char) s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* If this fails after a change to the text library or the signatures:
 * bump TEXT_INDEX_VERSION (a store then recomputes what an extractor of
 * the other version sends) and put the new version and digest here. */
static void test_version_guard(void **state)
{
    (void) state;
    text_index_t idx;
    assert_int_equal(text_index_of(s_title, s_text, &idx), 0);
    char *buf;
    size_t len;
    assert_int_equal(text_index_encode(&idx, &buf, &len), 0);
    uint64_t digest = s_fnv(buf, len);
    printf("index version %d, %zu bytes, digest %016llx\n", TEXT_INDEX_VERSION, len,
           (unsigned long long) digest);
    assert_int_equal(TEXT_INDEX_VERSION, 1);
    assert_true(digest == 0x37e6542af89ac8e7ULL);
    free(buf);
    text_index_clear(&idx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_extractor_doc_gives_the_store_index),
        cmocka_unit_test(test_bad_frames),
        cmocka_unit_test(test_version_guard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
