/*
 * robots.c — robots.txt rules (see robots.h).
 *
 * Parsing keeps only the rules of the groups that apply: those whose
 * user-agent lines name our token, or, if none does, the "*" groups.
 * Consecutive user-agent lines share the group that follows them.
 */
#include "robots.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *pattern;
    bool allow;
} rule_t;

struct robots {
    rule_t *rules;
    size_t n, cap;
    int all;                    /* 1 allow all, -1 disallow all, 0 use rules */
};

static int s_add(rule_t **rules, size_t *n, size_t *cap, const char *p, size_t len, bool allow)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        rule_t *r = realloc(*rules, c * sizeof *r);
        if (!r)
            return -1;
        *rules = r;
        *cap = c;
    }
    char *pat = strndup(p, len);
    if (!pat)
        return -1;
    (*rules)[(*n)++] = (rule_t) { pat, allow };
    return 0;
}

robots_t *robots_parse(const char *text, size_t len, const char *agent)
{
    robots_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    /* Two rule sets: ours (groups naming AGENT) and the "*" groups. */
    rule_t *mine = NULL, *star = NULL;
    size_t n_mine = 0, cap_mine = 0, n_star = 0, cap_star = 0;
    bool named_us = false;
    bool in_agents = false, g_mine = false, g_star = false;
    size_t alen = agent ? strlen(agent) : 0;
    const char *p = text, *end = text + len;
    int oom = 0;
    while (p < end && !oom) {
        const char *eol = memchr(p, '\n', (size_t) (end - p));
        const char *le = eol ? eol : end;
        const char *hash = memchr(p, '#', (size_t) (le - p));
        const char *ce = hash ? hash : le;
        const char *colon = memchr(p, ':', (size_t) (ce - p));
        if (colon) {
            const char *k = p, *ke = colon, *v = colon + 1, *ve = ce;
            while (k < ke && isspace((unsigned char) *k))
                k++;
            while (ke > k && isspace((unsigned char) ke[-1]))
                ke--;
            while (v < ve && isspace((unsigned char) *v))
                v++;
            while (ve > v && isspace((unsigned char) ve[-1]))
                ve--;
            size_t kl = (size_t) (ke - k), vl = (size_t) (ve - v);
            if (kl == 10 && strncasecmp(k, "user-agent", 10) == 0) {
                if (!in_agents)
                    g_mine = g_star = false;        /* a new group starts */
                in_agents = true;
                if (vl == 1 && *v == '*')
                    g_star = true;
                else if (alen && vl >= alen && strncasecmp(v, agent, alen) == 0) {
                    g_mine = true;
                    named_us = true;
                }
            } else if ((kl == 5 && strncasecmp(k, "allow", 5) == 0)
                       || (kl == 8 && strncasecmp(k, "disallow", 8) == 0)) {
                in_agents = false;
                bool allow = kl == 5;
                if (vl == 0)
                    ;                               /* "Disallow:" alone allows all */
                else {
                    if (g_mine)
                        oom |= s_add(&mine, &n_mine, &cap_mine, v, vl, allow);
                    if (g_star)
                        oom |= s_add(&star, &n_star, &cap_star, v, vl, allow);
                }
            } else {
                in_agents = false;                  /* sitemap:, crawl-delay: ... */
            }
        }
        p = eol ? eol + 1 : end;
    }
    rule_t *keep = named_us ? mine : star, *drop = named_us ? star : mine;
    size_t n_keep = named_us ? n_mine : n_star, n_drop = named_us ? n_star : n_mine;
    for (size_t i = 0; i < n_drop; i++)
        free(drop[i].pattern);
    free(drop);
    r->rules = keep;
    r->n = r->cap = n_keep;
    if (oom) {
        robots_destroy(&r);
        return NULL;
    }
    return r;
}

static robots_t *s_fixed(int all)
{
    robots_t *r = calloc(1, sizeof *r);
    if (r)
        r->all = all;
    return r;
}

robots_t *robots_allow_all(void)
{
    return s_fixed(1);
}

robots_t *robots_disallow_all(void)
{
    return s_fixed(-1);
}

/* Does PATTERN match a prefix of PATH ('*' any run, final '$' end)?
 * Iterative, backtracking to the last '*' only: linear-ish even for the
 * "*a*a*a*b" patterns a hostile robots.txt could hold. */
static bool s_match(const char *pat, const char *path)
{
    const char *star = NULL, *ss = NULL;
    for (;;) {
        if (*pat == '\0')
            return true;                    /* rules match prefixes */
        if (*pat == '$' && pat[1] == '\0') {
            if (*path == '\0')
                return true;
        } else if (*pat == '*') {
            star = ++pat;
            ss = path;
            continue;
        } else if (*path && *pat == *path) {
            pat++;
            path++;
            continue;
        }
        if (star && *ss) {
            pat = star;
            path = ++ss;
            continue;
        }
        return false;
    }
}

bool robots_allowed(const robots_t *r, const char *path)
{
    if (!r || r->all > 0)
        return true;
    if (r->all < 0)
        return false;
    if (!path || !*path)
        path = "/";
    size_t best = 0;
    bool allow = true, found = false;
    for (size_t i = 0; i < r->n; i++) {
        const rule_t *ru = &r->rules[i];
        size_t l = strlen(ru->pattern);
        if (!s_match(ru->pattern, path))
            continue;
        if (!found || l > best || (l == best && ru->allow)) {
            best = l;
            allow = ru->allow;
            found = true;
        }
    }
    return allow;
}

const char *robots_path_of(const char *url)
{
    const char *p = url ? strstr(url, "://") : NULL;
    if (!p)
        return "/";
    p += 3;
    size_t n = strcspn(p, "/?#");
    p += n;
    return *p == '/' || *p == '?' ? p : "/";
}

void robots_destroy(robots_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    robots_t *r = *self_p;
    for (size_t i = 0; i < r->n; i++)
        free(r->rules[i].pattern);
    free(r->rules);
    free(r);
    *self_p = NULL;
}
