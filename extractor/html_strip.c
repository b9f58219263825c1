/*
 * html_strip.c — remove, before libxml2 parses the page, the parts that
 * never hold article text and cost most of the parsing: <script> and
 * <style> elements with their content, <svg> drawings, and comments.  On
 * news pages these are over half of the bytes, and libxml2 walks raw-text
 * content one character at a time.
 *
 * DESCRIPTION
 *   One pass over the UTF-8 buffer, compacting it in place.  The end of
 *   each piece is found as libxml2 in recover mode (and HTML5) finds it:
 *   a script or style ends at the first "</script" / "</style" whatever
 *   the case, a comment at the first "-->", an <svg> at its matching
 *   "</svg" (nested drawings counted).  A self-closed "<script/>" is only
 *   its tag.  Kept: <script type="application/ld+json"> (metadata), and
 *   everything after a comment that is never closed (better to parse too
 *   much than to lose the article).  An unclosed script or style runs to
 *   the end, as it would in the parser.
 *   XXX a "<script" written inside an attribute value is taken as a tag;
 *   libxml2 would not.  Pages do not do that in practice.
 */
#include "html_internal.h"

#include <string.h>
#include <strings.h>

/* the tag name at P (after '<') is NAME followed by a delimiter */
static bool
s_tag_is(const char *p, const char *end, const char *name, size_t n)
{
    if ((size_t) (end - p) <= n || strncasecmp(p, name, n) != 0)
        return false;
    char c = p[n];
    return c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r'
           || c == '\f';
}

/* the '>' that closes the tag starting at P (quoted values skipped), or END */
static const char *
s_tag_end(const char *p, const char *end)
{
    char quote = 0;
    for (; p < end; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'') {
            /* a quote only opens a value after '=' (possibly spaced) */
            const char *q = p - 1;
            while (*q == ' ')
                q--;
            if (*q == '=')
                quote = *p;
        } else if (*p == '>') {
            return p;
        }
    }
    return end;
}

/* first case-insensitive occurrence of NEEDLE (lowercase, starts with '<') */
static const char *
s_find_ci(const char *p, const char *end, const char *needle, size_t n)
{
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t) (end - p));
        if (!lt || (size_t) (end - lt) < n)
            return NULL;
        if (strncasecmp(lt, needle, n) == 0)
            return lt;
        p = lt + 1;
    }
    return NULL;
}

/* where the raw-text element NAME opened at P ends (after its end tag) */
static const char *
s_skip_raw(const char *p, const char *end, const char *close, size_t n)
{
    const char *gt = s_tag_end(p, end);
    if (gt == end)
        return end;
    if (gt[-1] == '/')
        return gt + 1; /* <script .../> */
    const char *c = s_find_ci(gt + 1, end, close, n);
    if (!c)
        return end;
    const char *cg = memchr(c, '>', (size_t) (end - c));
    return cg ? cg + 1 : end;
}

static const char *
s_skip_svg(const char *p, const char *end)
{
    int depth = 0;
    const char *q = p;
    while (q < end) {
        const char *lt = memchr(q, '<', (size_t) (end - q));
        if (!lt)
            return end;
        if (s_tag_is(lt + 1, end, "svg", 3)) {
            const char *gt = s_tag_end(lt, end);
            if (gt == end)
                return end;
            if (gt[-1] != '/')
                depth++;
            else if (depth == 0)
                return gt + 1;
            q = gt + 1;
        } else if (lt + 1 < end && lt[1] == '/' && s_tag_is(lt + 2, end, "svg", 3)) {
            const char *gt = memchr(lt, '>', (size_t) (end - lt));
            q = gt ? gt + 1 : end;
            if (--depth <= 0)
                return q;
        } else {
            q = lt + 1;
        }
    }
    return end;
}

static bool
s_ld_json(const char *p, const char *gt)
{
    for (const char *q = p; q + 7 <= gt; q++)
        if (strncasecmp(q, "ld+json", 7) == 0)
            return true;
    return false;
}

size_t
html_strip_raw(char *buf, size_t len)
{
    const char *r = buf, *end = buf + len;
    char *w = buf;
    while (r < end) {
        const char *lt = memchr(r, '<', (size_t) (end - r));
        if (!lt)
            lt = end;
        size_t n = (size_t) (lt - r);
        if (w != r)
            memmove(w, r, n);
        w += n;
        r = lt;
        if (r == end)
            break;
        const char *skip = NULL;
        const char *name = r + 1;
        if (end - r >= 4 && memcmp(r, "<!--", 4) == 0) {
            const char *close = memmem(r + 4, (size_t) (end - r - 4), "-->", 3);
            if (close)
                skip = close + 3;
        } else if (name == end || (*name != 's' && *name != 'S')) {
            /* not script, style or svg: the common case, one test */
        } else if (s_tag_is(name, end, "script", 6)) {
            const char *gt = s_tag_end(r, end);
            const char *after = s_skip_raw(r, end, "</script", 8);
            if (s_ld_json(r, gt)) { /* kept whole, JSON untouched */
                n = (size_t) (after - r);
                if (w != r)
                    memmove(w, r, n);
                w += n;
                r = after;
                continue;
            }
            skip = after;
        } else if (s_tag_is(name, end, "style", 5)) {
            skip = s_skip_raw(r, end, "</style", 7);
        } else if (s_tag_is(name, end, "svg", 3)) {
            skip = s_skip_svg(r, end);
        }
        if (skip) {
            r = skip;
        } else {
            *w++ = *r++;
        }
    }
    if (w < buf + len)
        *w = '\0';
    return (size_t) (w - buf);
}
