/*
 * store_snippet.c — snippets with marked matches (see store_snippet.h).
 */
#include "store_snippet.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool s_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Move P back to a character start, then to just after a space when one is
 * near (at most 24 bytes away). */
static size_t s_back(const char *t, size_t p)
{
    while (p > 0 && s_cont((unsigned char) t[p]))
        p--;
    for (size_t q = p, k = 0; q > 0 && k < 24; q--, k++)
        if (t[q - 1] == ' ' || t[q - 1] == '\n')
            return q;
    return p;
}

static size_t s_fwd(const char *t, size_t len, size_t p)
{
    if (p >= len)
        return len;
    while (p < len && s_cont((unsigned char) t[p]))
        p++;
    for (size_t q = p, k = 0; q < len && k < 24; q++, k++)
        if (t[q] == ' ' || t[q] == '\n')
            return q;
    return p;
}

char *store_snippet(const char *text, size_t len, const store_span_t *spans, size_t n,
                    size_t width)
{
    size_t focus = n ? spans[0].start : 0;
    size_t from = focus > width / 3 ? s_back(text, focus - width / 3) : 0;
    size_t to = s_fwd(text, len, from + width);
    if (n && spans[0].end > to)
        to = s_fwd(text, len, spans[0].end);
    char *out = malloc((to - from) + 4 * n + 16);
    if (!out)
        return NULL;
    size_t o = 0;
    if (from > 0) {
        memcpy(out, "\xe2\x80\xa6", 3);
        o = 3;
    }
    size_t k = 0;
    for (size_t p = from; p < to; p++) {
        /* marks for spans wholly inside the window, not overlapping the last */
        while (k < n && spans[k].start < p)
            k++;
        if (k < n && spans[k].start == p && spans[k].end <= to && spans[k].end > p) {
            memcpy(out + o, "[[", 2);
            o += 2;
            size_t e = spans[k].end;
            for (; p < e; p++)
                out[o++] = text[p] == '\n' ? ' ' : text[p];
            memcpy(out + o, "]]", 2);
            o += 2;
            p--;
            k++;
            continue;
        }
        out[o++] = text[p] == '\n' || text[p] == '\r' || text[p] == '\t' ? ' ' : text[p];
    }
    if (to < len) {
        memcpy(out + o, "\xe2\x80\xa6", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}
