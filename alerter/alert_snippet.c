/*
 * alert_snippet.c — the marked excerpt of an alert (see alert_snippet.h).
 *
 * Offsets from the text library are byte offsets into UTF-8; widths are
 * counted in characters so an Arabic snippet is as long to the eye as an
 * English one and a cut never leaves half a letter.
 */
#include "alert_snippet.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool s_cont(const char *s, size_t i)
{
    return ((unsigned char) s[i] & 0xC0) == 0x80;
}

/* Move I back to the start of the character it is in. */
static size_t s_align(const char *s, size_t i)
{
    while (i > 0 && s_cont(s, i))
        i--;
    return i;
}

static bool s_is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v';
}

/* Append S[from, to) to OUT at *n, folding whitespace runs. */
static void s_copy(char *out, size_t *n, const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (s_is_space(s[i])) {
            if (*n > 0 && out[*n - 1] == ' ')
                continue;
            out[(*n)++] = ' ';
        } else {
            out[(*n)++] = s[i];
        }
    }
}

static void s_add(char *out, size_t *n, const char *lit)
{
    size_t l = strlen(lit);
    memcpy(out + *n, lit, l);
    *n += l;
}

char *alert_snippet(const char *text, size_t len, size_t start, size_t end, size_t width)
{
    if (!text)
        len = 0;
    if (start > len)
        start = len;
    if (end > len)
        end = len;
    if (end < start)
        end = start;
    start = s_align(text, start);
    if (end < len)
        end = s_align(text, end);

    size_t from = start;
    for (size_t k = 0; k < width && from > 0; k++)
        from = s_align(text, from - 1);
    size_t to = end;
    for (size_t k = 0; k < width && to < len; k++) {
        to++;
        while (to < len && s_cont(text, to))
            to++;
    }
    static const char ellipsis[] = "\xE2\x80\xA6";   /* … */
    char *out = malloc((to - from) + 2 * sizeof ellipsis + 5);
    if (!out)
        return NULL;
    size_t n = 0;
    if (from > 0)
        s_add(out, &n, ellipsis);
    s_copy(out, &n, text, from, start);
    s_add(out, &n, "[[");
    s_copy(out, &n, text, start, end);
    s_add(out, &n, "]]");
    s_copy(out, &n, text, end, to);
    if (to < len)
        s_add(out, &n, ellipsis);
    out[n] = '\0';
    return out;
}
