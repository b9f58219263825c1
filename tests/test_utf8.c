/*
 * test_utf8.c — utf8_check against a plain decoder written from RFC 3629
 * (decode each code point, then reject overlongs, surrogates and what lies
 * past U+10FFFF): every sequence of one to three bytes, the four-byte ones
 * over every lead and second byte, and random text mixing ASCII runs,
 * Arabic and stray bytes at every length, so that the eight-byte ASCII
 * steps meet every boundary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static int s_decoder(const unsigned char *s, size_t n)
{
    int multi = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = s[i], min;
        size_t len;
        if (cp < 0x80) {
            i++;
            continue;
        }
        multi = 1;
        if ((cp & 0xE0) == 0xC0) {
            len = 2, cp &= 0x1F, min = 0x80;
        } else if ((cp & 0xF0) == 0xE0) {
            len = 3, cp &= 0x0F, min = 0x800;
        } else if ((cp & 0xF8) == 0xF0) {
            len = 4, cp &= 0x07, min = 0x10000;
        } else {
            return -1;
        }
        if (n - i < len)
            return -1;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return -1;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        i += len;
    }
    return multi;
}

static void s_same(const unsigned char *s, size_t n)
{
    int want = s_decoder(s, n), got = utf8_check(s, n);
    if (want != got) {
        char msg[96];
        int at = 0;
        for (size_t i = 0; i < n && i < 8; i++)
            at += snprintf(msg + at, sizeof msg - (size_t) at, "%02x ", s[i]);
        fail_msg("%s(%zu bytes): decoder %d, utf8_check %d", msg, n, want, got);
    }
}

static void test_every_short_sequence(void **state)
{
    (void) state;
    unsigned char b[3];
    for (unsigned x = 0; x < 256; x++) {
        b[0] = (unsigned char) x;
        s_same(b, 1);
        for (unsigned y = 0; y < 256; y++) {
            b[1] = (unsigned char) y;
            s_same(b, 2);
            for (unsigned z = 0; z < 256; z++) {
                b[2] = (unsigned char) z;
                s_same(b, 3);
            }
        }
    }
}

static void test_four_byte_sequences(void **state)
{
    (void) state;
    const unsigned char tails[] = { 0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xD8, 0xFF };
    unsigned char b[4];
    for (unsigned x = 0xE0; x < 256; x++)
        for (unsigned y = 0; y < 256; y++)
            for (size_t i = 0; i < sizeof tails; i++)
                for (size_t j = 0; j < sizeof tails; j++) {
                    b[0] = (unsigned char) x, b[1] = (unsigned char) y;
                    b[2] = tails[i], b[3] = tails[j];
                    s_same(b, 4);
                }
    /* the extremes, and a NUL, which is valid */
    assert_int_equal(utf8_check((const unsigned char *) "\xF4\x8F\xBF\xBF", 4), 1);
    assert_int_equal(utf8_check((const unsigned char *) "\xF4\x90\x80\x80", 4), -1);
    assert_int_equal(utf8_check((const unsigned char *) "\xED\x9F\xBF", 3), 1);
    assert_int_equal(utf8_check((const unsigned char *) "\xED\xA0\x80", 3), -1);
    assert_int_equal(utf8_check((const unsigned char *) "a\0b", 3), 0);
    assert_int_equal(utf8_check((const unsigned char *) "", 0), 0);
}

static void test_random_text_at_every_length(void **state)
{
    (void) state;
    /* pieces: ASCII, Arabic, a three- and a four-byte character, and
     * bytes that are wrong wherever they stand */
    static const char *pieces[] = { "a", "the ", "0123456789", "بوت", "الحوثي ", "€", "😀",
                                    "\x80", "\xC0\xAF", "\xED\xA0\x80", "\xF5", "\xE2\x82" };
    unsigned char buf[128];
    srand(7);
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        /* mostly well-formed: a bad piece one round in four */
        int bad_ok = round % 4 == 0;
        while (n < 100) {
            size_t k = (size_t) rand() % (sizeof pieces / sizeof pieces[0]);
            if (k >= 7 && !bad_ok)
                k = (size_t) rand() % 7;
            size_t len = strlen(pieces[k]);
            memcpy(buf + n, pieces[k], len);
            n += len;
        }
        for (size_t m = 0; m <= n; m++)
            s_same(buf, m);
        for (size_t off = 1; off < 9; off++)
            s_same(buf + off, n - off);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_short_sequence),
        cmocka_unit_test(test_four_byte_sequences),
        cmocka_unit_test(test_random_text_at_every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
