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

    it->summary = s_first_text(node, NULL, "description");
    it->content = s_first_text(node, FEED_NS_CONTENT, "encoded");
    it->author = feed_text_line(feed_child(node, NULL, "author"));
    if (!it->author)
        it->author = feed_text_line(feed_child(node, FEED_NS_DC, "creator"));

    char *d = s_first_text(node, NULL, "pubDate");
    if (!d)
        d = s_first_text(node, FEED_NS_DC, "date");
    it->published = feed_date_norm(d);
    free(d);
    d = s_first_text(node, FEED_NS_ATOM, "updated");
    it->updated = feed_date_norm(d);
    free(d);
    return feed_item_finish(it);
}

int feed_rss_read(xmlNode *root, feed_t *feed, char **err)
{
    (void) err;
    bool rdf = feed_is(root, FEED_NS_RDF, "RDF");
    if (rdf) {
        feed->format = strdup("rss10");
    } else {
        xmlChar *v = xmlGetProp(root, BAD_CAST "version");
        feed->format = strdup(v && xmlStrncmp(v, BAD_CAST "0.9", 3) == 0 ? "rss09x" : "rss20");
        if (v)
            xmlFree(v);
    }
    xmlNode *channel = feed_child(root, NULL, "channel");
    if (!channel) {
        /* A truncated or empty document recovers into a bare <rss>. */
        *err = strdup("not a feed: RSS without <channel>");
        return -1;
    }
    {
        feed->title = feed_text_line(feed_child(channel, NULL, "title"));
        xmlNode *link = feed_child(channel, NULL, "link");
        char *href = feed_text(link);
        feed->link = href ? feed_resolve(link, href) : NULL;
        free(href);
        feed->lang = feed_text_line(feed_child(channel, NULL, "language"));
        if (!feed->lang)
            feed->lang = feed_text_line(feed_child(channel, FEED_NS_DC, "language"));
    }
    if (!feed->lang) {
        xmlChar *l = xmlNodeGetLang(root);
        if (l) {
            feed->lang = strdup((const char *) l);
            xmlFree(l);
        }
    }
    size_t cap = 0;
    /* RSS 2.0/0.9x: items in <channel>; RSS 1.0: items beside it. */
    xmlNode *holders[2] = { channel, rdf ? root : NULL };
    for (int h = 0; h < 2; h++)
        for (xmlNode *c = holders[h] ? holders[h]->children : NULL; c; c = c->next)
            if (feed_is(c, NULL, "item") && s_item(c, feed, &cap) != 0)
                return -1;
    return feed->format ? 0 : -1;
}
