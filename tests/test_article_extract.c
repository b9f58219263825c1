/*
 * test_article_extract.c — the extractor's whole job for one document
 * (article_extract.c), as far as the other tests do not cover it: the
 * article carries the store's index of its title and text (text_index.h),
 * the same the store would compute, and its content hash ignores harakat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "article_extract.h"
#include "text_index.h"

static int s_extract(const char *page, proto_article_t *a)
{
    proto_raw_t raw = { .id = "x", .source = "t", .url = "https://e.com/a",
                        .fetched_at = "2026-01-01T00:00:00Z", .body = page,
                        .body_len = strlen(page) };
    char *err = NULL;
    int rc = article_extract(&raw, NULL, a, &err);
    free(err);
    return rc;
}

static void test_carries_the_store_index(void **state)
{
    (void) state;
    proto_article_t a;
    assert_int_equal(s_extract("<html lang=\"ar\"><head><title>صفقة أسلحة</title></head><body>"
                               "<article><h1>صفقة أسلحة</h1><p>قال مسؤول أمني إن فيكتور بوت "
                               "يتوسط في صفقة أسلحة للحوثيين، ونفى الكرملين ذلك.</p>"
                               "<p>وتضم الشحنة صواريخ كورنيت وبنادق AK-74.</p>"
                               "</article></body></html>", &a), 0);
    assert_non_null(a.index);
    text_index_t sent, want;
    assert_int_equal(text_index_decode(a.index, a.index_len, &sent), 0);
    assert_int_equal(text_index_of(a.title, a.text, &want), 0);
    assert_non_null(strstr(sent.forms, "حوثي"));
    assert_non_null(strstr(sent.title_forms, "صفقه"));
    assert_string_equal(sent.forms, want.forms);
    assert_string_equal(sent.title_forms, want.title_forms);
    assert_true(sent.sig.simhash == want.sig.simhash);
    assert_memory_equal(sent.sig.minhash, want.sig.minhash, sizeof want.sig.minhash);
    text_index_clear(&sent);
    text_index_clear(&want);
    /* the same text with harakat hashes the same */
    proto_article_t b;
    assert_int_equal(s_extract("<html lang=\"ar\"><head><title>صفقة أسلحة</title></head><body>"
                               "<article><h1>صفقة أسلحة</h1><p>قَالَ مسؤول أمني إن فيكتور بوت "
                               "يتوسط في صفقة أسلحة للحوثيين، ونفى الكرملين ذلك.</p>"
                               "<p>وتضم الشحنة صواريخ كورنيت وبنادق AK-74.</p>"
                               "</article></body></html>", &b), 0);
    assert_string_equal(a.content_hash, b.content_hash);
    proto_article_clear(&a);
    proto_article_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_carries_the_store_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
