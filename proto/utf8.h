/*
 * utf8.h — strict UTF-8, as every stage checks it: the feeds the fetcher
 * reads, the config, the index frames the store takes from the network.
 *
 * Strict is RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF, no sequence cut at the end.  NUL is valid here; a caller that
 * cannot hold it checks for it itself.
 *
 * Inline, in a header, so that the text library, which links nothing of
 * proto/, can use it too.  It is on the store's path for every article
 * (the forms of its index frame, a few KB): runs of ASCII are checked
 * eight bytes at a time, and two-byte sequences (Arabic, most accented
 * Latin) without decoding them.  The byte-by-byte decoder it replaced was
 * ~4% of the store's CPU in store-bench.
 */
#ifndef MARSAD_UTF8_H
#define MARSAD_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* -1 if the N bytes at S are not strict UTF-8; else 1 if any of them is
 * outside ASCII, 0 if none is. */
static inline int utf8_check(const unsigned char *s, size_t n)
{
    int multi = 0;
    size_t i = 0;
    while (i < n) {
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i == n)
            break;
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        multi = 1;
        if (c >= 0xC2 && c <= 0xDF) {
            if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
                return -1;
            i += 2;
            continue;
        }
        /* The second byte's range rules out overlongs (E0, F0), surrogates
         * (ED) and what lies past U+10FFFF (F4). */
        unsigned lo, hi;
        size_t len;
        if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return -1;
        }
        if (i + len > n || s[i + 1] < lo || s[i + 1] > hi || (s[i + 2] & 0xC0) != 0x80
            || (len == 4 && (s[i + 3] & 0xC0) != 0x80))
            return -1;
        i += len;
    }
    return multi;
}

#endif
