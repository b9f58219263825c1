/*
 * feed_url.c — feed_url_canonical(): one spelling per article URL, so the
 * same item reached through a tracking link, a fragment or an upper-case
 * host is one item (DESIGN §6; the store applies the same idea).
 *
 * Lower-case scheme and host; the default port (:80 for http, :443 for
 * https) dropped; the fragment dropped; query parameters that only track
 * the reader (utm_*, fbclid, gclid, dclid, msclkid, yclid, mc_cid,
 * mc_eid, igshid, _ga, _gl, ref_src) dropped, the others kept in order;
 * an empty query dropped.  Anything not http(s) comes back unchanged.
 */
#include "feed.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool s_tracking(const char *name, size_t n)
{
    static const char *const exact[] = { "fbclid", "gclid", "dclid", "msclkid", "yclid",
                                         "mc_cid", "mc_eid", "igshid", "_ga", "_gl", "ref_src" };
    if (n > 4 && strncasecmp(name, "utm_", 4) == 0)
        return true;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strlen(exact[i]) == n && strncasecmp(name, exact[i], n) == 0)
            return true;
    return false;
}

char *feed_url_canonical(const char *url)
{
    if (!url)
        return NULL;
    size_t scheme_len = strncasecmp(url, "http://", 7) == 0 ? 4
                        : strncasecmp(url, "https://", 8) == 0 ? 5 : 0;
    if (!scheme_len)
        return strdup(url);
    size_t len = strlen(url);
    char *out = malloc(len + 2), *o = out;     /* +1: a "/" for an empty path */
    if (!out)
        return NULL;
    for (size_t i = 0; i < scheme_len; i++)
        *o++ = (char) tolower((unsigned char) url[i]);
    memcpy(o, "://", 3);
    o += 3;
    const char *p = url + scheme_len + 3;
    size_t auth = strcspn(p, "/?#");
    const char *at = memchr(p, '@', auth);
    const char *host = at ? at + 1 : p;
    if (at) {                                   /* userinfo: kept as written */
        memcpy(o, p, (size_t) (host - p));
        o += host - p;
    }
    size_t hl = (size_t) (p + auth - host);
    const char *colon = NULL;
    for (size_t i = 0; i < hl; i++)
        if (host[i] == ':' && memchr(host + i, ']', hl - i) == NULL)
            colon = host + i;                   /* the port's colon, not IPv6's */
    size_t name_len = colon ? (size_t) (colon - host) : hl;
    for (size_t i = 0; i < name_len; i++)
        *o++ = (char) tolower((unsigned char) host[i]);
    if (colon) {
        const char *port = colon + 1;
        size_t pl = hl - name_len - 1;
        bool dflt = (scheme_len == 4 && pl == 2 && !strncmp(port, "80", 2))
                    || (scheme_len == 5 && pl == 3 && !strncmp(port, "443", 3));
        if (!dflt && pl > 0) {
            *o++ = ':';
            memcpy(o, port, pl);
            o += pl;
        }
    }
    p += auth;
    size_t path_len = strcspn(p, "?#");
    if (path_len == 0 && (*p == '?' || *p == '#' || *p == '\0'))
        *o++ = '/';
    memcpy(o, p, path_len);
    o += path_len;
    p += path_len;
    if (*p == '?') {
        p++;
        size_t ql = strcspn(p, "#");
        const char *q = p, *qe = p + ql;
        bool first = true;
        while (q < qe) {
            const char *amp = memchr(q, '&', (size_t) (qe - q));
            const char *pe = amp ? amp : qe;
            size_t nl = strcspn(q, "=&#");
            if (nl > (size_t) (pe - q))
                nl = (size_t) (pe - q);
            if (pe > q && !s_tracking(q, nl)) {
                *o++ = first ? '?' : '&';
                memcpy(o, q, (size_t) (pe - q));
                o += pe - q;
                first = false;
            }
            q = amp ? amp + 1 : qe;
        }
    }
    *o = '\0';                                  /* the fragment is dropped */
    return out;
}
