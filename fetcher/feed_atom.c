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
    return n && n->ns && n->ns->href ? (const char *) n->ns->href : FEED_NS_ATOM;
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

/* A text construct as plain text. */
static char *s_plain(const xmlNode *n)
{
    if (!n)
        return NULL;
    char *type = s_type(n);
    char *out;
    if (s_type_is(type, "html")) {
        char *html = feed_text(n);
        out = feed_html_to_text(html);
        free(html);
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
        out = feed_text(n);
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
        bool alt = !rel || xmlStrEqual(rel, BAD_CAST "alternate");
        if (rel)
            xmlFree(rel);
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
    char *d = feed_text(s_child(parent, name));
    if (!d && alt)
        d = feed_text(s_child(parent, alt));
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
    bool v03 = feed_is(root, FEED_NS_ATOM03, "feed");
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
