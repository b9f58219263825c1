/*
 * html_charset.c — NAME html_to_utf8: bytes of a fetched page in any charset
 * to UTF-8, before libxml2 sees them.
 *
 * DESCRIPTION
 *   The charset is chosen from the evidence in this order (ARABIC.md §6: a
 *   wrong HTTP header is common on Arabic sites, so the header must not be
 *   trusted blindly):
 *     1. a byte order mark (UTF-8, UTF-16LE/BE) is authoritative;
 *     2. bytes that contain non-ASCII and are entirely valid UTF-8 are UTF-8,
 *        whatever the header or meta claim: a legacy single-byte Arabic or
 *        Latin page is practically never valid multi-byte UTF-8, so a label
 *        saying otherwise is stale (a site moved to UTF-8, kept the template);
 *        pure ASCII is decoded as UTF-8 too (every ASCII-compatible label gives
 *        the same text);
 *     3. the HTTP hint, if the bytes are valid in it — except that the
 *        servers' default labels (ISO-8859-1, US-ASCII, windows-1252) are
 *        weak and lose to a <meta> declaration or a confident detector;
 *     4. the <meta charset> / <meta http-equiv=content-type> in the first
 *        4 KB, if the bytes are valid in it;
 *     5. ICU's charset detector (ucsdet);
 *     6. whichever label we had, decoding leniently (U+FFFD for bad bytes),
 *        else windows-1252.
 *   Labels follow the WHATWG mapping where it matters: ISO-8859-1 and
 *   US-ASCII mean windows-1252; a meta claiming UTF-16 means UTF-8.
 *   Conversion is ICU ucnv; the BOM is not copied to the output.
 *
 * DIAGNOSTICS
 *   Returns NULL only when memory runs out or LEN is 0.
 */
#include "html_extract.h"
#include "html_internal.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#define S_META_SCAN 4096

/* --------------------------------------------------------------------------
 * UTF-8 validity
 */

/* 1 valid with non-ASCII, 0 pure ASCII (no NUL), -1 invalid (or has NUL) */
static int
s_utf8_class(const unsigned char *s, size_t n)
{
    bool multi = false;
    size_t i = 0;
    while (i < n) {
        /* eight ASCII bytes without NUL at a time: most of any page */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ULL)
                || ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
                break;
            i += 8;
        }
        /* Arabic, Cyrillic, Greek, Hebrew: two-byte sequences with ASCII
         * between the words, the rest of a news page */
        while (i + 1 < n) {
            unsigned char a = s[i];
            if ((unsigned) (a - 0xC2) <= 0xDF - 0xC2 && (s[i + 1] & 0xC0) == 0x80) {
                multi = true;
                i += 2;
            } else if ((unsigned) (a - 1) < 0x7F) {
                i++;
            } else {
                break;
            }
        }
        if (i >= n)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0)
                return -1;
            i++;
            continue;
        }
        size_t need;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
        else return -1;
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* overlong, surrogates, beyond U+10FFFF */
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF
            || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        multi = true;
        i += need + 1;
    }
    return multi ? 1 : 0;
}

/* --------------------------------------------------------------------------
 * Labels
 */

static bool
s_label_is(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

/* Map a label to the one we decode with (WHATWG quirks), and to ICU's
 * canonical name so labels can be compared.  Writes into BUF; returns BUF,
 * or NULL when ICU does not know the label. */
static const char *
s_canonical(const char *label, char *buf, size_t bufsz)
{
    if (!label || !*label)
        return NULL;
    char tmp[64];
    size_t n = 0;
    while (label[n] && n + 1 < sizeof tmp) {
        tmp[n] = label[n];
        n++;
    }
    tmp[n] = '\0';
    /* trim quotes/space the callers may have left */
    char *p = tmp;
    while (*p == ' ' || *p == '"' || *p == '\'')
        p++;
    size_t len = strlen(p);
    while (len && (p[len - 1] == ' ' || p[len - 1] == '"' || p[len - 1] == '\''))
        p[--len] = '\0';
    if (!*p)
        return NULL;

    if (s_label_is(p, "iso-8859-1") || s_label_is(p, "latin1") || s_label_is(p, "l1")
        || s_label_is(p, "us-ascii") || s_label_is(p, "ascii") || s_label_is(p, "iso8859-1")
        || s_label_is(p, "iso_8859-1") || s_label_is(p, "cp1252"))
        p = "windows-1252";
    else if (s_label_is(p, "iso-8859-6-i") || s_label_is(p, "iso-8859-6-e"))
        p = "ISO-8859-6";

    /* the name of the converter ICU actually loads for this label, so that
     * two labels compare equal exactly when they decode alike */
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(p, &err);
    if (U_FAILURE(err) || !cv)
        return NULL;
    const char *name = ucnv_getName(cv, &err);
    if (U_FAILURE(err) || !name) {
        ucnv_close(cv);
        return NULL;
    }
    snprintf(buf, bufsz, "%s", name);
    ucnv_close(cv);
    return buf;
}

static bool
s_is_utf8(const char *canon)
{
    return canon && (strcasecmp(canon, "UTF-8") == 0);
}

static bool
s_is_utf16(const char *canon)
{
    return canon && strncasecmp(canon, "UTF-16", 6) == 0;
}

/* the labels web servers send by default, not chosen by the page author
 * (ISO-8859-1 and US-ASCII were mapped to windows-1252 above) */
static bool
s_is_weak(const char *canon)
{
    char w[64];
    return canon && s_canonical("windows-1252", w, sizeof w) && strcmp(canon, w) == 0;
}

/* --------------------------------------------------------------------------
 * <meta> scan over the first 4 KB (ASCII-compatible bytes only)
 */

static const char *
s_memcasemem(const char *hay, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    if (nn > hn)
        return NULL;
    char lo = (char) tolower((unsigned char) needle[0]);
    char up = (char) toupper((unsigned char) needle[0]);
    for (size_t i = 0; i + nn <= hn; i++)
        if ((hay[i] == lo || hay[i] == up) && strncasecmp(hay + i, needle, nn) == 0)
            return hay + i;
    return NULL;
}

/* Writes the declared label into OUT; true if one was found. */
static bool
s_meta_charset(const char *bytes, size_t len, char *out, size_t outsz)
{
    size_t n = len < S_META_SCAN ? len : S_META_SCAN;
    const char *p = bytes, *end = bytes + n;
    while (p < end) {
        const char *m = s_memcasemem(p, (size_t) (end - p), "<meta");
        if (!m)
            return false;
        const char *gt = memchr(m, '>', (size_t) (end - m));
        const char *tag_end = gt ? gt : end;
        const char *cs = s_memcasemem(m, (size_t) (tag_end - m), "charset");
        if (cs) {
            const char *q = cs + 7;
            while (q < tag_end && isspace((unsigned char) *q))
                q++;
            if (q < tag_end && *q == '=') {
                q++;
                while (q < tag_end && (isspace((unsigned char) *q) || *q == '"' || *q == '\''))
                    q++;
                size_t k = 0;
                while (q < tag_end && k + 1 < outsz
                       && (isalnum((unsigned char) *q) || *q == '-' || *q == '_' || *q == '.'
                           || *q == ':')) {
                    out[k++] = *q++;
                }
                out[k] = '\0';
                if (k > 0)
                    return true;
            }
        }
        p = tag_end;
        if (p < end)
            p++;
    }
    return false;
}

/* --------------------------------------------------------------------------
 * Conversion
 */

/* Convert with ICU.  STRICT: fail on any byte the charset does not define.
 * Returns malloc'd UTF-8 (NUL-terminated) or NULL. */
static char *
s_convert(const char *canon, const char *bytes, size_t len, bool strict, size_t *out_len)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(canon, &err);
    if (U_FAILURE(err) || !cv)
        return NULL;
    if (strict) {
        err = U_ZERO_ERROR;
        ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    }
    if (len > (size_t) INT32_MAX / 2) {
        ucnv_close(cv);
        return NULL;
    }
    /* UTF-16 needs at most one unit per input byte for every charset we meet
     * (single-byte, UTF-8, UTF-16, CJK multibyte); +1 for the terminator. */
    int32_t cap = (int32_t) len + 1;
    UChar *u = malloc((size_t) cap * sizeof(UChar));
    if (!u) {
        ucnv_close(cv);
        return NULL;
    }
    err = U_ZERO_ERROR;
    int32_t ulen = ucnv_toUChars(cv, u, cap, bytes, (int32_t) len, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
        free(u);
        cap = ulen + 1;
        u = malloc((size_t) cap * sizeof(UChar));
        if (!u) {
            ucnv_close(cv);
            return NULL;
        }
        ucnv_reset(cv);
        err = U_ZERO_ERROR;
        ulen = ucnv_toUChars(cv, u, cap, bytes, (int32_t) len, &err);
    }
    ucnv_close(cv);
    if (U_FAILURE(err)) {
        free(u);
        return NULL;
    }
    /* drop a leading BOM (U+FEFF) and NULs, which would end libxml2's input */
    int32_t w = 0;
    for (int32_t r = 0; r < ulen; r++) {
        if ((r == 0 && u[r] == 0xFEFF) || u[r] == 0)
            continue;
        u[w++] = u[r];
    }
    ulen = w;

    size_t ocap = (size_t) ulen * 3 + 1;
    char *out = malloc(ocap);
    if (!out) {
        free(u);
        return NULL;
    }
    int32_t olen = 0;
    err = U_ZERO_ERROR;
    u_strToUTF8WithSub(out, (int32_t) ocap, &olen, u, ulen, 0xFFFD, NULL, &err);
    free(u);
    if (U_FAILURE(err)) {
        free(out);
        return NULL;
    }
    out[olen] = '\0';
    if (out_len)
        *out_len = (size_t) olen;
    return out;
}

/* ICU's detector; writes the canonical name and returns the confidence
 * (0-100), or -1 if it has no opinion. */
static int
s_detect(const char *bytes, size_t len, char *out, size_t outsz)
{
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err) || !det)
        return -1;
    /* markup would swamp the statistics: let ICU skip tags */
    ucsdet_enableInputFilter(det, true);
    int32_t n = len > (size_t) INT32_MAX ? INT32_MAX : (int32_t) len;
    ucsdet_setText(det, bytes, n, &err);
    const UCharsetMatch *m = U_SUCCESS(err) ? ucsdet_detect(det, &err) : NULL;
    int conf = -1;
    if (U_SUCCESS(err) && m) {
        const char *name = ucsdet_getName(m, &err);
        int32_t c = ucsdet_getConfidence(m, &err);
        char tmp[64];
        if (U_SUCCESS(err) && name && s_canonical(name, tmp, sizeof tmp)) {
            snprintf(out, outsz, "%s", tmp);
            conf = c;
        }
    }
    ucsdet_close(det);
    return conf;
}

const char *
html_charset_choose(const char *bytes, size_t len, const char *charset_hint, char *buf,
                    size_t bufsz)
{
    const unsigned char *b = (const unsigned char *) bytes;
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        return snprintf(buf, bufsz, "UTF-8"), buf;
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return snprintf(buf, bufsz, "UTF-16LE"), buf;
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return snprintf(buf, bufsz, "UTF-16BE"), buf;

    char hint[64], meta[64], metaraw[64], det[64];
    const char *h = s_canonical(charset_hint, hint, sizeof hint);
    const char *m = NULL;
    if (s_meta_charset(bytes, len, metaraw, sizeof metaraw)) {
        m = s_canonical(metaraw, meta, sizeof meta);
        if (s_is_utf16(m)) /* a meta we could read as ASCII is not UTF-16 */
            m = snprintf(meta, sizeof meta, "UTF-8") > 0 ? meta : NULL;
    }

    int u8 = s_utf8_class(b, len);
    if (u8 >= 0 && !(u8 == 0 && s_is_utf16(h)))
        return snprintf(buf, bufsz, "UTF-8"), buf;

    /* from here on the bytes are not valid UTF-8: a UTF-8 label is wrong */
    if (h && !s_is_utf8(h)) {
        bool weak = s_is_weak(h);
        if (weak && m && !s_is_utf8(m) && strcasecmp(m, h) != 0) {
            h = NULL; /* the page's own declaration beats a server default */
        } else if (weak && !m) {
            int conf = s_detect(bytes, len, det, sizeof det);
            if (conf >= 50 && !s_is_utf8(det))
                return snprintf(buf, bufsz, "%s", det), buf;
        }
        if (h) {
            char *t = s_convert(h, bytes, len, true, NULL);
            if (t) {
                free(t);
                return snprintf(buf, bufsz, "%s", h), buf;
            }
        }
    }
    if (m && !s_is_utf8(m)) {
        char *t = s_convert(m, bytes, len, true, NULL);
        if (t) {
            free(t);
            return snprintf(buf, bufsz, "%s", m), buf;
        }
    }
    if (s_detect(bytes, len, det, sizeof det) >= 0 && !s_is_utf8(det))
        return snprintf(buf, bufsz, "%s", det), buf;
    if (m && !s_is_utf8(m))
        return snprintf(buf, bufsz, "%s", m), buf;
    if (h && !s_is_utf8(h))
        return snprintf(buf, bufsz, "%s", h), buf;
    return snprintf(buf, bufsz, "windows-1252"), buf;
}

char *
html_to_utf8(const char *bytes, size_t len, const char *charset_hint, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!bytes || len == 0)
        return NULL;
    char cs[64];
    const char *canon = html_charset_choose(bytes, len, charset_hint, cs, sizeof cs);
    /* the common case: valid UTF-8 (no NUL) is copied, less its BOM */
    if (s_is_utf8(canon)) {
        /* without a BOM, html_charset_choose said UTF-8 only after checking
         * that every byte is valid UTF-8 without NUL: no second pass */
        size_t bom = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        if (!bom || s_utf8_class((const unsigned char *) bytes + bom, len - bom) >= 0) {
            char *copy = malloc(len - bom + 1);
            if (!copy)
                return NULL;
            memcpy(copy, bytes + bom, len - bom);
            copy[len - bom] = '\0';
            if (out_len)
                *out_len = len - bom;
            return copy;
        }
    }
    char *out = s_convert(canon, bytes, len, false, out_len);
    if (!out && strcasecmp(canon, "windows-1252") != 0)
        out = s_convert("windows-1252", bytes, len, false, out_len);
    return out;
}
