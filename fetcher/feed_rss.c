/*
 * feed_rss.c — RSS 2.0, RSS 0.9x (<rss>) and RSS 1.0/0.90 (<rdf:RDF>).
 *
 * Item fields: guid → id; link (resolved against xml:base and the feed
 * URL) → link; title → title (plain text); description → summary;
 * content:encoded → content; author / dc:creator → author; pubDate /
 * dc:date → published; atom:updated / dc:modified-ish → updated.
 * Where RSS puts the items: in <channel> (0.9x, 2.0) or beside it (1.0).
 */
#include "feed_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *s_first_text(const xmlNode *item, const char *ns, const char *name)
{
    return feed_text(feed_child(item, ns, name));
}

static int s_item(xmlNode *node, feed_t *feed, size_t *cap)
{
    feed_item_t *it = feed_item_add(feed, cap);
    if (!it)
        return -1;
    it->title = feed_text_line(feed_child(node, NULL, "title"));
    if (!it->title)
        it->title = feed_text_line(feed_child(node, FEED_NS_DC, "title"));

    xmlNode *link = feed_child(node, NULL, "link");
    char *href = feed_text(link);
    if (!href) {
        /* Some feeds carry only <atom:link href=…>. */
        xmlNode *al = feed_child(node, FEED_NS_ATOM, "link");
        xmlChar *h = al ? xmlGetProp(al, BAD_CAST "href") : NULL;
        if (h) {
            href = strdup((const char *) h);
            xmlFree(h);
            link = al;
        }
    }
    if (href) {
        it->link = feed_resolve(link, href);
        free(href);
    }

    xmlNode *guid = feed_child(node, NULL, "guid");
    it->id = feed_text_line(guid);
    /* RSS 1.0 items are named by rdf:about. */
    if (!it->id) {
        xmlChar *about = xmlGetNsProp(node, BAD_CAST "about", BAD_CAST FEED_NS_RDF);
        if (about) {
            it->id = strdup((const char *) about);
            xmlFree(about);
        }
    }
    /* A permalink guid and no <link>: the guid is the link. */
    if (!it->link && it->id && guid) {
        xmlChar *pl = xmlGetProp(guid, BAD_CAST "isPermaLink");
        bool perma = !pl || xmlStrcasecmp(pl, BAD_CAST "false") != 0;
        if (pl)
            xmlFree(pl);
        if (perma && (strncmp(it->id, "http://", 7) == 0 || strncmp(it->id, "https://", 8) == 0))
            it->link = strdup(it->id);
    }

    /* description and the non-standard summary: the first one given is
     * the summary; the other, if any, stands in for missing content. */
    char *other = NULL;
    for (xmlNode *c = node->children; c; c = c->next) {
        if (!feed_is(c, NULL, "description") && !feed_is(c, NULL, "summary")
            && !feed_is(c, FEED_NS_DC, "description"))
            continue;
        char *t = feed_text(c);
        if (!t)
            continue;
        if (!it->summary)
            it->summary = t;
        else if (!other && !feed_is(c, FEED_NS_DC, "description"))
            other = t;
        else
            free(t);
    }
    it->content = s_first_text(node, FEED_NS_CONTENT, "encoded");
    if (!it->content)
        it->content = s_first_text(node, NULL, "fullitem");
    if (!it->content) {
        xmlNode *body = feed_child(node, FEED_NS_XHTML, "body");
        if (!body)
            body = feed_child(node, NULL, "body");
        if (body)
            it->content = feed_markup(body);
    }
    if (!it->content) {
        it->content = other;
        other = NULL;
    }
    free(other);
    static const struct { const char *ns, *name; } authors[] = {
        { NULL, "author" }, { FEED_NS_DC, "creator" }, { FEED_NS_DC, "author" },
        { FEED_NS_DC, "contributor" },
    };
    for (size_t i = 0; i < sizeof authors / sizeof authors[0] && !it->author; i++)
        it->author = feed_text_line(feed_child(node, authors[i].ns, authors[i].name));

    static const struct { const char *ns, *name; } pub[] = {
        { NULL, "pubDate" }, { FEED_NS_DC, "date" }, { FEED_NS_DCTERMS, "issued" },
        { FEED_NS_DCTERMS, "created" },
    }, upd[] = {
        { FEED_NS_ATOM, "updated" }, { FEED_NS_DCTERMS, "modified" },
    };
    for (size_t i = 0; i < sizeof pub / sizeof pub[0] && !it->published; i++) {
        char *d = feed_text(feed_child_last(node, pub[i].ns, pub[i].name));
        it->published = feed_date_norm(d);
        free(d);
    }
    for (size_t i = 0; i < sizeof upd / sizeof upd[0] && !it->updated; i++) {
        char *d = feed_text(feed_child_last(node, upd[i].ns, upd[i].name));
        it->updated = feed_date_norm(d);
        free(d);
    }
    return feed_item_finish(it);
}

int feed_rss_read(xmlNode *root, feed_t *feed, char **err)
{
    (void) err;
    bool rdf = xmlStrEqual(root->name, BAD_CAST "RDF");
    if (rdf) {
        /* RSS 0.90 is RDF too, with its own namespace for the items. */
        bool v090 = false;
        for (xmlNs *d = root->nsDef; d && !v090; d = d->next)
            v090 = d->href && xmlStrEqual(d->href, BAD_CAST FEED_NS_RSS090);
        for (xmlNode *c = root->children; c && !v090; c = c->next)
            v090 = c->type == XML_ELEMENT_NODE && c->ns && c->ns->href
                   && xmlStrEqual(c->ns->href, BAD_CAST FEED_NS_RSS090);
        feed->format = strdup(v090 ? "rss090" : "rss10");
    } else {
        /* rss091 .. rss094 as the version says; 2.0, 2.01, 2.1 and none: rss20. */
        xmlChar *v = xmlGetProp(root, BAD_CAST "version");
        char fmt[8] = "rss20";
        if (v && v[0] == '0' && v[1] == '.' && v[2] == '9' && v[3] >= '1' && v[3] <= '4')
            snprintf(fmt, sizeof fmt, "rss09%c", v[3]);
        feed->format = strdup(fmt);
        if (v)
            xmlFree(v);
    }
    (void) err;
    xmlNode *channel = feed_child(root, NULL, "channel");
    if (channel) {
        feed->title = feed_text_line(feed_child(channel, NULL, "title"));
        if (!feed->title)
            feed->title = feed_text_line(feed_child(channel, FEED_NS_DC, "title"));
        xmlNode *link = feed_child(channel, NULL, "link");
        char *href = feed_text(link);
        feed->link = href ? feed_resolve(link, href) : NULL;
        free(href);
        feed->lang = feed_text_line(feed_child(channel, NULL, "language"));
        if (!feed->lang)
            feed->lang = feed_text_line(feed_child(channel, FEED_NS_DC, "language"));
    }
    /* An empty <rss> (or one truncated before <channel>) is a feed with
     * no items; the parser's recovery shows in feed->wellformed. */
    if (!feed->lang) {
        xmlChar *l = xmlNodeGetLang(root);
        if (l) {
            feed->lang = strdup((const char *) l);
            xmlFree(l);
        }
    }
    size_t cap = 0;
    /* RSS 2.0/0.9x: items in <channel>; RSS 1.0: items beside it. */
    /* Items outside <channel> too: RSS 1.0 puts them there, and broken
     * RSS 0.9x / 2.0 sometimes does. */
    xmlNode *holders[2] = { channel, root };
    for (int h = 0; h < 2; h++)
        for (xmlNode *c = holders[h] ? holders[h]->children : NULL; c; c = c->next)
            if (feed_is(c, NULL, "item") && s_item(c, feed, &cap) != 0)
                return -1;
    return feed->format ? 0 : -1;
}
