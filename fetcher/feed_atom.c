/*
 * feed_atom.c — Atom 1.0 (RFC 4287), and Atom 0.3 by the same rules.
 *
 * Entry fields: id; link rel="alternate" (or no rel), resolved against
 * xml:base and the feed URL; title (type text/html/xhtml → plain text);
 * summary; content (xhtml serialized as markup); author/name (entry's,
 * else the feed's); published (0.3: issued); updated (0.3: modified).
 */
#include "feed_internal.h"

#include <stdlib.h>
#include <string.h>

/* The Atom namespace in use is the parent's own (1.0 or 0.3). */
static const char *s_ns(const xmlNode *n)
{
    return n && n->ns && n->ns->href ? (const char *) n->ns->href : "";
}

static xmlNode *s_child(const xmlNode *parent, const char *name)
{
    return parent ? feed_child(parent, s_ns(parent), name) : NULL;
}

static char *s_type(const xmlNode *n)
{
    xmlChar *t = xmlGetProp(n, BAD_CAST "type");
    char *out = t ? strdup((const char *) t) : NULL;
    if (t)
        xmlFree(t);
    return out;
}

static bool s_type_is(const char *type, const char *want)
{
    if (!type)
        return false;
    if (strcmp(type, want) == 0)
        return true;
    if (strcmp(want, "html") == 0)
        return strcmp(type, "text/html") == 0;
    if (strcmp(want, "xhtml") == 0)
        return strcmp(type, "application/xhtml+xml") == 0;
    return false;
}

/* Base64-encoded content (Atom 0.3 mode="base64"; Atom 1.0 a non-text,
 * non-XML media type): decoded, or NULL if it is not base64. */
static char *s_base64(const char *in)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(in);
    char *out = malloc(n / 4 * 3 + 4);
    if (!out)
        return NULL;
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (const char *p = in; *p; p++) {
        if (*p == '=' || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
            continue;
        const char *q = strchr(al, *p);
        if (!q) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned) (q - al);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char) ((acc >> bits) & 0xFF);
        }
    }
    out[o] = '\0';
    if (memchr(out, '\0', o)) {        /* binary: not text we can use */
        free(out);
        return NULL;
    }
    return out;
}

static bool s_is_base64(const xmlNode *n, const char *type)
{
    xmlChar *mode = xmlGetProp(n, BAD_CAST "mode");
    bool b64 = mode && xmlStrEqual(mode, BAD_CAST "base64");
    if (mode)
        xmlFree(mode);
    if (b64 || !type || !strchr(type, '/'))
        return b64;
    size_t tl = strlen(type);
    return strncmp(type, "text/", 5) != 0 && !(tl >= 3 && strcmp(type + tl - 3, "xml") == 0);
}

/* The text of N, base64-decoded when N says it is encoded. */
static char *s_raw(const xmlNode *n, const char *type)
{
    char *t = feed_text(n);
    if (t && s_is_base64(n, type)) {
        char *d = s_base64(t);
        if (d) {
            free(t);
            t = d;
        }
    }
    return t;
}

/* A text construct as plain text. */
static char *s_plain(const xmlNode *n)
{
    if (!n)
        return NULL;
    char *type = s_type(n);
    char *out;
    if (s_type_is(type, "html") || (s_is_base64(n, type) && type && strstr(type, "html"))) {
        char *html = s_raw(n, type);
        out = feed_html_to_text(html);
        free(html);
    } else if (s_is_base64(n, type)) {
        out = s_raw(n, type);
    } else {
        out = feed_text_line(n);    /* text, and xhtml's text nodes */
    }
    free(type);
    return out;
}

/* A text construct as given: html stays html, xhtml is serialized. */
static char *s_given(const xmlNode *n)
{
    if (!n)
        return NULL;
    char *type = s_type(n);
    char *out;
    if (s_type_is(type, "xhtml")) {
        xmlNode *div = NULL;
        for (xmlNode *c = n->children; c && !div; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                div = c;
        out = feed_markup(div ? div : n);
    } else {
        out = s_raw(n, type);
    }
    free(type);
    return out;
}

static char *s_link(const xmlNode *parent)
{
    const xmlNode *best = NULL;
    for (xmlNode *c = parent->children; c; c = c->next) {
        if (!feed_is(c, s_ns(parent), "link"))
            continue;
        xmlChar *rel = xmlGetProp(c, BAD_CAST "rel");
        xmlChar *has_href = xmlGetProp(c, BAD_CAST "href");
        bool alt = (!rel || xmlStrEqual(rel, BAD_CAST "alternate")) && has_href;
        if (rel)
            xmlFree(rel);
        if (has_href)
            xmlFree(has_href);
        if (alt) {
            best = c;
            break;
        }
    }
    if (!best)
        return NULL;
    xmlChar *href = xmlGetProp(best, BAD_CAST "href");
    if (!href)
        return NULL;
    char *out = feed_resolve(best, (const char *) href);
    xmlFree(href);
    return out;
}

static char *s_author(const xmlNode *parent)
{
    return feed_text_line(s_child(s_child(parent, "author"), "name"));
}

static char *s_date(const xmlNode *parent, const char *name, const char *alt)
{
    /* Repeated dates: the last one wins (as feedparser has it). */
    char *d = feed_text(feed_child_last(parent, s_ns(parent), name));
    if (!d && alt)
        d = feed_text(feed_child_last(parent, s_ns(parent), alt));
    char *out = feed_date_norm(d);
    free(d);
    return out;
}

static int s_entry(xmlNode *e, feed_t *feed, size_t *cap, const char *feed_author)
{
    feed_item_t *it = feed_item_add(feed, cap);
    if (!it)
        return -1;
    it->id = feed_text_line(s_child(e, "id"));
    it->link = s_link(e);
    it->title = s_plain(s_child(e, "title"));
    it->summary = s_given(s_child(e, "summary"));
    it->content = s_given(s_child(e, "content"));
    it->author = s_author(e);
    if (!it->author && feed_author)
        it->author = strdup(feed_author);
    it->published = s_date(e, "published", "issued");
    it->updated = s_date(e, "updated", "modified");
    return feed_item_finish(it);
}

int feed_atom_read(xmlNode *root, feed_t *feed, char **err)
{
    (void) err;
    xmlChar *ver = xmlGetProp(root, BAD_CAST "version");
    bool v03 = feed_is(root, FEED_NS_ATOM03, "feed") || (ver && xmlStrEqual(ver, BAD_CAST "0.3"));
    if (ver)
        xmlFree(ver);
    feed->format = strdup(v03 ? "atom03" : "atom10");
    feed->title = s_plain(s_child(root, "title"));
    feed->link = s_link(root);
    xmlChar *l = xmlNodeGetLang(root);
    if (l) {
        feed->lang = strdup((const char *) l);
        xmlFree(l);
    }
    char *author = s_author(root);
    size_t cap = 0;
    int rc = 0;
    for (xmlNode *c = root->children; c && rc == 0; c = c->next)
        if (feed_is(c, s_ns(root), "entry"))
            rc = s_entry(c, feed, &cap, author);
    free(author);
    return rc == 0 && feed->format ? 0 : -1;
}
