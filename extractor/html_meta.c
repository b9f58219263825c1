/*
 * html_meta.c — the article's metadata from the whole (unpruned) page:
 * title, publication time, author, canonical URL, site name, and the
 * language the markup claims.
 *
 * DESCRIPTION
 *   One walk over the DOM collects the first value of each source; the
 *   choice is then made in a fixed order:
 *     title         og:title (minus " | site name"), JSON-LD headline, the
 *                   article's h1 (else the first h1 outside nav/header/
 *                   footer/aside), <title> minus a trailing " - Site" part;
 *     published_at  article:published_time, JSON-LD datePublished,
 *                   itemprop=datePublished, other common date metas,
 *                   <time datetime> (the article's first), then a date
 *                   printed for readers in a <time> or a "date"/"time"
 *                   element (html_date_text.c: Arabic month names of
 *                   both systems, Arabic-Indic digits) — as RFC 3339 UTC;
 *     author        meta name=author, JSON-LD author.name (joined by ", ");
 *     canonical     <link rel=canonical>, else og:url, resolved against URL;
 *     site_name     og:site_name, else JSON-LD publisher.name.
 *   JSON-LD is read with jansson (objects, arrays, @graph); when a site's
 *   JSON-LD is broken JSON, a plain scan still finds "datePublished".
 */
#include "html_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/uri.h>

typedef struct {
    char *og_title, *og_site, *og_url, *meta_date, *itemprop_date, *other_date, *meta_author;
    char *canonical, *title, *h1, *anchor_h1, *time_dt, *anchor_time_dt, *lang;
    char *ld_headline, *ld_date, *ld_author, *ld_publisher;
    char *visible_date; /* RFC 3339, from a date printed for readers */
    int err;
} s_meta_t;

static void
s_meta_free(s_meta_t *m)
{
    char **all[] = {&m->og_title, &m->og_site, &m->og_url, &m->meta_date, &m->itemprop_date,
                    &m->other_date, &m->meta_author, &m->canonical, &m->title, &m->h1,
                    &m->anchor_h1, &m->time_dt, &m->anchor_time_dt, &m->lang, &m->ld_headline,
                    &m->ld_date, &m->ld_author, &m->ld_publisher, &m->visible_date};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        free(*all[i]);
        *all[i] = NULL;
    }
}

/* set *DST to a trimmed copy of SRC if *DST is unset and SRC has text */
static void
s_take(s_meta_t *m, char **dst, const char *src)
{
    if (*dst || !src)
        return;
    while (isspace((unsigned char) *src))
        src++;
    size_t n = strlen(src);
    while (n && isspace((unsigned char) src[n - 1]))
        n--;
    if (n == 0)
        return;
    *dst = strndup(src, n);
    if (!*dst)
        m->err = -2;
}

static void
s_take_flat(s_meta_t *m, char **dst, xmlNodePtr node)
{
    if (*dst)
        return;
    char *t = html_text_flat(node);
    if (t && *t)
        *dst = t;
    else
        free(t);
}

static const char *const s_date_metas[] = {
    "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "og:published_time",
    "article.published", "datepublished", NULL,
};

static bool
s_in(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcasecmp(list[i], s) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ JSON-LD */

static bool
s_ld_article_type(json_t *type)
{
    static const char *const types[] = {"NewsArticle", "Article", "ReportageNews",
                                        "AnalysisNewsArticle", "BlogPosting", "Report",
                                        "OpinionNewsArticle", "BackgroundNewsArticle",
                                        "LiveBlogPosting", "WebPage", NULL};
    if (json_is_string(type))
        return s_in(types, json_string_value(type));
    if (json_is_array(type)) {
        size_t i;
        json_t *t;
        json_array_foreach(type, i, t) if (json_is_string(t)
                                           && s_in(types, json_string_value(t))) return true;
    }
    return false;
}

/* author: "Name", {"name": "Name"}, or an array of either */
static void
s_ld_author(s_meta_t *m, json_t *a)
{
    if (m->ld_author || !a)
        return;
    char buf[512];
    size_t k = 0;
    json_t *one[1] = {a};
    size_t n = json_is_array(a) ? json_array_size(a) : 1;
    for (size_t i = 0; i < n && i < 8; i++) {
        json_t *e = json_is_array(a) ? json_array_get(a, i) : one[0];
        const char *name = NULL;
        if (json_is_string(e))
            name = json_string_value(e);
        else if (json_is_object(e))
            name = json_string_value(json_object_get(e, "name"));
        if (!name || !*name)
            continue;
        int w = snprintf(buf + k, sizeof buf - k, "%s%s", k ? ", " : "", name);
        if (w < 0 || (size_t) w >= sizeof buf - k)
            break;
        k += (size_t) w;
    }
    if (k)
        s_take(m, &m->ld_author, buf);
}

static void
s_ld_visit(s_meta_t *m, json_t *v, int depth)
{
    if (!v || depth > 6)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) s_ld_visit(m, e, depth + 1);
        return;
    }
    if (!json_is_object(v))
        return;
    json_t *date = json_object_get(v, "datePublished");
    if (s_ld_article_type(json_object_get(v, "@type")) || json_is_string(date)) {
        s_take(m, &m->ld_headline, json_string_value(json_object_get(v, "headline")));
        s_take(m, &m->ld_date, json_string_value(date));
        s_ld_author(m, json_object_get(v, "author"));
        json_t *pub = json_object_get(v, "publisher");
        if (json_is_object(pub))
            s_take(m, &m->ld_publisher, json_string_value(json_object_get(pub, "name")));
    }
    s_ld_visit(m, json_object_get(v, "@graph"), depth + 1);
    s_ld_visit(m, json_object_get(v, "mainEntity"), depth + 1);
}

/* broken JSON: find "datePublished" : "..." by hand */
static void
s_ld_scan(s_meta_t *m, const char *s)
{
    const char *p = strstr(s, "\"datePublished\"");
    if (!p)
        return;
    p += 15;
    while (isspace((unsigned char) *p))
        p++;
    if (*p++ != ':')
        return;
    while (isspace((unsigned char) *p))
        p++;
    if (*p++ != '"')
        return;
    const char *e = strchr(p, '"');
    if (!e || e - p > 64)
        return;
    char buf[65];
    memcpy(buf, p, (size_t) (e - p));
    buf[e - p] = '\0';
    s_take(m, &m->ld_date, buf);
}

static void
s_jsonld(s_meta_t *m, xmlNodePtr script)
{
    xmlChar *content = xmlNodeGetContent(script);
    if (!content)
        return;
    json_error_t jerr;
    json_t *root = json_loads((const char *) content, JSON_DECODE_ANY, &jerr);
    if (root) {
        s_ld_visit(m, root, 0);
        json_decref(root);
    } else {
        s_ld_scan(m, (const char *) content);
    }
    xmlFree(content);
}

/* ---------------------------------------------------------------- the walk */

static bool
s_chrome(xmlNodePtr n)
{
    return html_is(n, "nav") || html_is(n, "header") || html_is(n, "footer")
           || html_is(n, "aside");
}

static void
s_meta_tag(s_meta_t *m, xmlNodePtr n)
{
    char *prop = html_attr(n, "property");
    char *name = html_attr(n, "name");
    char *itemprop = html_attr(n, "itemprop");
    char *content = html_attr(n, "content");
    const char *key = prop ? prop : name;
    if (content && key) {
        if (strcasecmp(key, "og:title") == 0)
            s_take(m, &m->og_title, content);
        else if (strcasecmp(key, "og:site_name") == 0)
            s_take(m, &m->og_site, content);
        else if (strcasecmp(key, "og:url") == 0)
            s_take(m, &m->og_url, content);
        else if (strcasecmp(key, "article:published_time") == 0)
            s_take(m, &m->meta_date, content);
        else if (strcasecmp(key, "author") == 0 || strcasecmp(key, "article:author") == 0)
            s_take(m, &m->meta_author, strncmp(content, "http", 4) ? content : NULL);
        else if (s_in(s_date_metas, key))
            s_take(m, &m->other_date, content);
    }
    if (content && itemprop && strcasecmp(itemprop, "datePublished") == 0)
        s_take(m, &m->itemprop_date, content);
    xmlFree(prop);
    xmlFree(name);
    xmlFree(itemprop);
    xmlFree(content);
}

/* an element whose class or id says it holds the date a reader sees */
static bool
s_dateish(xmlNodePtr n)
{
    static const char *const words[] = {"date", "time", "publish", "posted", NULL};
    const char *attrs[] = {html_attr_peek(n, "class"), html_attr_peek(n, "id")};
    for (size_t a = 0; a < 2; a++) {
        if (!attrs[a])
            continue;
        for (size_t i = 0; words[i]; i++)
            if (strcasestr(attrs[a], words[i]))
                return true;
    }
    return false;
}

/* a date printed for readers, in words and digits of any script */
static void
s_visible_date(s_meta_t *m, xmlNodePtr n)
{
    if (m->visible_date)
        return;
    char *t = html_text_flat(n);
    char out[21];
    if (t && html_count_chars(t) <= 200 && html_date_visible(t, out) == 0)
        s_take(m, &m->visible_date, out);
    free(t);
}

static void
s_walk(s_meta_t *m, xmlNodePtr node, bool in_anchor, bool in_chrome, xmlNodePtr anchor)
{
    for (xmlNodePtr n = node; n && !m->err; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        bool anch = in_anchor || n == anchor;
        bool chrome = in_chrome || (s_chrome(n) && !anch);
        if (html_is(n, "html")) {
            char *lang = html_attr(n, "lang");
            if (!lang)
                lang = html_attr(n, "xml:lang");
            s_take(m, &m->lang, lang);
            xmlFree(lang);
        } else if (html_is(n, "meta")) {
            s_meta_tag(m, n);
        } else if (html_is(n, "link")) {
            char *rel = html_attr(n, "rel");
            if (rel && strcasecmp(rel, "canonical") == 0) {
                char *href = html_attr(n, "href");
                s_take(m, &m->canonical, href);
                xmlFree(href);
            }
            xmlFree(rel);
        } else if (html_is(n, "title")) {
            if (!m->title && n->parent && !html_is(n->parent, "svg"))
                s_take_flat(m, &m->title, n);
        } else if (html_is(n, "script")) {
            char *type = html_attr(n, "type");
            if (type && strcasecmp(type, "application/ld+json") == 0)
                s_jsonld(m, n);
            xmlFree(type);
            continue;
        } else if (html_is(n, "h1")) {
            if (anch)
                s_take_flat(m, &m->anchor_h1, n);
            if (!chrome)
                s_take_flat(m, &m->h1, n);
        } else if (html_is(n, "time")) {
            char *dt = html_attr(n, "datetime");
            char tmp[21];
            bool ok = dt && html_date_rfc3339(dt, tmp) == 0;
            if (ok && anch)
                s_take(m, &m->anchor_time_dt, dt);
            if (ok && !chrome)
                s_take(m, &m->time_dt, dt);
            xmlFree(dt);
            if (!ok && !chrome)
                s_visible_date(m, n);
        }
        if (n->properties && !html_is(n, "meta")) {
            const char *ip = html_attr_peek(n, "itemprop");
            if (ip && strcasecmp(ip, "datePublished") == 0) {
                const char *dt = html_attr_peek(n, "datetime");
                s_take(m, &m->itemprop_date, dt ? dt : html_attr_peek(n, "content"));
            }
            if (!chrome && !m->visible_date && !html_is(n, "time") && s_dateish(n))
                s_visible_date(m, n);
        }
        s_walk(m, n->children, anch, chrome, anchor);
    }
}

/* ------------------------------------------------------------ the choices */

static const char *const s_separators[] = {" | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ",
                                           " :: ", " \xc2\xbb ", " \xc2\xab ", " / ", NULL};

static size_t
s_words(const char *s, size_t n)
{
    size_t w = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        bool sp = isspace((unsigned char) s[i]);
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

/* Remove a site name from a title: the trailing part after the last
 * separator when it is short (a site name) and what stays is a headline,
 * or a leading "Site | " when it equals SITE.  Edits T in place. */
static void
s_strip_site(char *t, const char *site, bool only_if_site)
{
    size_t len = strlen(t);
    const char *best = NULL;
    size_t best_sep = 0;
    for (size_t i = 0; s_separators[i]; i++) {
        const char *p = t, *last = NULL;
        while ((p = strstr(p, s_separators[i])) != NULL) {
            last = p;
            p++;
        }
        if (last && (!best || last > best)) {
            best = last;
            best_sep = strlen(s_separators[i]);
        }
    }
    if (best) {
        const char *suffix = best + best_sep;
        size_t head = (size_t) (best - t);
        bool is_site = site && strcasecmp(suffix, site) == 0;
        bool looks_site = s_words(suffix, strlen(suffix)) <= 4 && s_words(t, head) >= 3;
        if (is_site || (!only_if_site && looks_site)) {
            t[head] = '\0';
            return;
        }
    }
    if (site) {
        size_t sl = strlen(site);
        if (len > sl && strncasecmp(t, site, sl) == 0) {
            for (size_t i = 0; s_separators[i]; i++) {
                size_t ssl = strlen(s_separators[i]);
                if (strncmp(t + sl, s_separators[i], ssl) == 0) {
                    memmove(t, t + sl + ssl, len - sl - ssl + 1);
                    return;
                }
            }
        }
    }
}

static char *
s_date(const char *const *cands, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char out[21];
        if (cands[i] && html_date_rfc3339(cands[i], out) == 0)
            return strdup(out);
    }
    return NULL;
}

int
html_meta_read(xmlDocPtr doc, const char *url, xmlNodePtr anchor, html_article_t *out,
               char **markup_lang)
{
    *markup_lang = NULL;
    s_meta_t m = {0};
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root)
        s_walk(&m, root, false, false, anchor);
    if (m.err) {
        s_meta_free(&m);
        return -2;
    }
    int rc = 0;

    /* site name first: the title cleaning uses it */
    const char *site = m.og_site ? m.og_site : m.ld_publisher;
    if (site && !(out->site_name = strdup(site)))
        rc = -2;

    char *title = NULL;
    bool og = false;
    if (m.og_title) {
        title = strdup(m.og_title);
        og = true;
    } else if (m.ld_headline) {
        title = strdup(m.ld_headline);
        og = true;
    } else if (m.anchor_h1 || m.h1) {
        title = strdup(m.anchor_h1 ? m.anchor_h1 : m.h1);
    } else if (m.title) {
        title = strdup(m.title);
        s_strip_site(title, site, false);
        og = false;
    } else {
        title = strdup("");
    }
    if (title && og)
        s_strip_site(title, site, true);
    if (!title)
        rc = -2;
    out->title = title;

    const char *dates[] = {m.meta_date,      m.ld_date, m.itemprop_date, m.other_date,
                           m.anchor_time_dt, m.time_dt, m.visible_date};
    out->published_at = s_date(dates, sizeof dates / sizeof dates[0]);

    const char *author = m.meta_author ? m.meta_author : m.ld_author;
    if (author && !(out->author = strdup(author)))
        rc = -2;

    const char *canon = m.canonical ? m.canonical : m.og_url;
    if (canon) {
        xmlChar *abs = xmlBuildURI((const xmlChar *) canon, (const xmlChar *) url);
        /* without a base, only an already absolute URL will do */
        if (abs && (url || strstr((const char *) abs, "://")))
            out->canonical_url = strdup((const char *) abs);
        xmlFree(abs);
    }

    *markup_lang = m.lang;
    m.lang = NULL;
    s_meta_free(&m);
    return rc;
}
