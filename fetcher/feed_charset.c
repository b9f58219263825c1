/*
 * feed_charset.c — feed_to_utf8(): a feed document's bytes in whatever
 * charset it came in, out as UTF-8, with the name of the charset chosen.
 *
 * The order (RFC 7303, and what Arabic sites really send):
 *   1. a byte-order mark (UTF-8, UTF-16, UTF-32): it cannot be wrong;
 *      UTF-16/32 without a BOM are recognised from "<?" too;
 *   2. the charset the server named (Content-Type), unless the bytes
 *      prove it wrong: a legacy charset named for bytes that are valid
 *      multi-byte UTF-8 (and the document does not say otherwise) is a
 *      misconfigured server, and us-ascii with high bytes is no ASCII;
 *   3. the XML declaration's encoding=;
 *   4. valid UTF-8 is UTF-8;
 *   5. ICU's detector (ucsdet), which tells windows-1256 from
 *      ISO-8859-6 and the Latin ones; windows-1252 if it has no idea.
 * ISO-8859-1 and US-ASCII are decoded as windows-1252 (as browsers do:
 * feeds that say latin-1 use its C1 range for curly quotes), but the
 * name reported is the one given.  GB2312 is read as its superset
 * GB18030.  Conversion is ICU's (ucnv): an invalid sequence becomes
 * U+FFFD, never an error.
 */
#include "feed_internal.h"
#include "utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>


/* Lower-case copy of NAME with surrounding quotes and spaces dropped. */
static char *s_label(const char *name)
{
    if (!name)
        return NULL;
    while (*name == ' ' || *name == '"' || *name == '\'')
        name++;
    size_t n = strlen(name);
    while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '"' || name[n - 1] == '\''))
        n--;
    if (n == 0 || n > 64)
        return NULL;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = (char) tolower((unsigned char) name[i]);
    out[n] = '\0';
    return out;
}

static bool s_is(const char *label, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(label, *names) == 0)
            return true;
    return false;
}

static const char *const s_utf8_names[] = { "utf-8", "utf8", "unicode-1-1-utf-8", NULL };
static const char *const s_ascii_names[] = { "us-ascii", "ascii", "ansi_x3.4-1968", NULL };
static const char *const s_latin1_names[] = { "iso-8859-1", "iso8859-1", "latin1", "latin-1",
                                              "l1", "iso_8859-1", "cp819", "ibm819", NULL };

/* The converter name ICU should use for LABEL (see the top comment). */
static const char *s_decoder(const char *label)
{
    if (s_is(label, s_ascii_names) || s_is(label, s_latin1_names))
        return "windows-1252";
    if (strcmp(label, "gb2312") == 0 || strcmp(label, "gbk") == 0)
        return "gb18030";
    return label;
}

/* The encoding= of the XML declaration, lower case, or NULL. */
static char *s_declared(const char *buf, size_t len)
{
    if (len < 6 || memcmp(buf, "<?xml", 5) != 0)
        return NULL;
    size_t end = 5;
    while (end + 1 < len && end < 512 && !(buf[end] == '?' && buf[end + 1] == '>'))
        end++;
    const char *p = memmem(buf, end, "encoding", 8);
    if (!p)
        return NULL;
    p += 8;
    while (p < buf + end && isspace((unsigned char) *p))
        p++;
    if (p >= buf + end || *p != '=')
        return NULL;
    p++;
    while (p < buf + end && isspace((unsigned char) *p))
        p++;
    if (p >= buf + end || (*p != '"' && *p != '\''))
        return NULL;
    char q = *p++;
    const char *e = memchr(p, q, (size_t) (buf + end - p));
    if (!e || e == p || e - p > 64)
        return NULL;
    char tmp[80];
    memcpy(tmp, p, (size_t) (e - p));
    tmp[e - p] = '\0';
    return s_label(tmp);
}

/* ICU's guess, lower case, or NULL. */
static char *s_detect(const char *buf, size_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err))
        return NULL;
    ucsdet_enableInputFilter(det, true);    /* markup is not evidence */
    ucsdet_setText(det, buf, (int32_t) (len > 65536 ? 65536 : len), &err);
    const UCharsetMatch *m = U_SUCCESS(err) ? ucsdet_detect(det, &err) : NULL;
    const char *name = m && U_SUCCESS(err) ? ucsdet_getName(m, &err) : NULL;
    char *out = name && U_SUCCESS(err) ? s_label(name) : NULL;
    ucsdet_close(det);
    return out;
}

/* Does ICU have a converter for LABEL? */
static bool s_known(const char *label)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *c = ucnv_open(s_decoder(label), &err);
    if (c)
        ucnv_close(c);
    return U_SUCCESS(err) && c;
}

/* BUF in charset FROM as malloc'd UTF-8. */
static char *s_convert(const char *from, const char *buf, size_t len, size_t *out_len)
{
    if (len > INT32_MAX / 4)
        return NULL;
    int32_t cap = (int32_t) len * 3 + 4;
    char *out = malloc((size_t) cap);
    if (!out)
        return NULL;
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = ucnv_convert("UTF-8", from, out, cap, buf, (int32_t) len, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
        free(out);
        cap = n + 1;
        out = malloc((size_t) cap);
        if (!out)
            return NULL;
        err = U_ZERO_ERROR;
        n = ucnv_convert("UTF-8", from, out, cap, buf, (int32_t) len, &err);
    }
    if (U_FAILURE(err) && err != U_STRING_NOT_TERMINATED_WARNING) {
        free(out);
        return NULL;
    }
    out[n < cap ? n : cap - 1] = '\0';
    *out_len = (size_t) n;
    return out;
}

char *feed_to_utf8(const char *buf, size_t len, const char *http_charset, size_t *out_len,
                   char **encoding, bool *doubtful)
{
    const unsigned char *u = (const unsigned char *) buf;
    const char *from = NULL;
    char *label = NULL;
    size_t skip = 0;
    *doubtful = false;
    *encoding = NULL;

    /* 1. BOM, or UTF-16/32 "<?" without one. */
    static const struct { const char *bom; size_t n; const char *name; } boms[] = {
        { "\x00\x00\xFE\xFF", 4, "utf-32be" }, { "\xFF\xFE\x00\x00", 4, "utf-32le" },
        { "\xEF\xBB\xBF", 3, "utf-8" }, { "\xFE\xFF", 2, "utf-16be" }, { "\xFF\xFE", 2, "utf-16le" },
    };
    for (size_t i = 0; i < sizeof boms / sizeof boms[0] && !from; i++)
        if (len >= boms[i].n && memcmp(buf, boms[i].bom, boms[i].n) == 0) {
            from = boms[i].name;
            skip = boms[i].n;
        }
    if (!from && len >= 4) {
        if (!memcmp(u, "\x00\x00\x00\x3C", 4))
            from = "utf-32be";
        else if (!memcmp(u, "\x3C\x00\x00\x00", 4))
            from = "utf-32le";
        else if (!memcmp(u, "\x00\x3C\x00\x3F", 4))
            from = "utf-16be";
        else if (!memcmp(u, "\x3C\x00\x3F\x00", 4))
            from = "utf-16le";
    }
    if (from) {
        label = strdup(from);
    } else {
        /* multi: any byte >= 0x80 (ill-formed UTF-8 always has one) */
        int check = utf8_check(u, len);
        bool utf8 = check >= 0, multi = check != 0;
        char *decl = s_declared(buf, len);
        char *http = s_label(http_charset);
        /* 2. The server's charset, unless the bytes prove it wrong. */
        if (http && !s_known(http)) {
            *doubtful = true;
            free(http);
            http = NULL;
        }
        if (http) {
            bool says_utf8 = s_is(http, s_utf8_names);
            bool says_ascii = s_is(http, s_ascii_names);
            bool decl_other = decl && !s_is(decl, s_utf8_names) && !s_is(decl, s_ascii_names);
            if (says_utf8 && multi && !utf8)
                *doubtful = true;           /* go on: declaration, detector */
            else if (says_ascii && multi)
                *doubtful = true;
            else if (!says_utf8 && !says_ascii && multi && utf8 && !decl_other)
                *doubtful = true;           /* a legacy name for UTF-8 bytes */
            else
                label = strdup(http);
        }
        /* 3. The XML declaration. */
        if (!label && decl) {
            if (!s_known(decl))
                *doubtful = true;
            else if (s_is(decl, s_utf8_names) && multi && !utf8)
                *doubtful = true;
            else if (s_is(decl, s_ascii_names) && multi)
                *doubtful = true;
            else
                label = strdup(decl);
        }
        /* 4. UTF-8 (plain ASCII included), 5. ICU's guess. */
        if (!label && utf8)
            label = strdup("utf-8");
        if (!label) {
            *doubtful = true;       /* a guess, not something the document said */
            label = s_detect(buf, len);
            if (label && (!s_known(label) || strncmp(label, "utf-", 4) == 0)) {
                free(label);
                label = NULL;
            }
            if (!label)
                label = strdup("windows-1252");
        }
        free(decl);
        free(http);
    }
    if (!label)
        return NULL;
    char *out = s_convert(s_decoder(label), buf + skip, len - skip, out_len);
    if (!out) {
        free(label);
        return NULL;
    }
    if (strcmp(s_decoder(label), "gb18030") == 0) {
        free(label);            /* say what it was read as */
        label = strdup("gb18030");
    }
    *encoding = label;
    return out;
}

char *feed_charset_of(const char *ct)
{
    if (!ct)
        return NULL;
    const char *p = ct;
    while ((p = strchr(p, ';')) != NULL) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "charset", 7) != 0)
            continue;
        p += 7;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=')
            continue;
        p++;
        while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
            p++;
        size_t n = 0;
        while (p[n] && p[n] != ';' && p[n] != '"' && p[n] != '\'' && !isspace((unsigned char) p[n]))
            n++;
        return n ? strndup(p, n) : NULL;
    }
    return NULL;
}
