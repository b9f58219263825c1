/*
 * feed_sitemap.c — sitemaps (sitemaps.org 0.9) and Google News sitemaps
 * (<news:news>), for sites that publish no feed.
 *
 * One item per <url>: loc → id and link; news:title → title;
 * news:publication_date → published; lastmod → updated;
 * news:publication/news:language → the feed's language (first seen).
 * A sitemap index (<sitemapindex>) names other sitemaps, not articles:
 * it is not read here.
 */
#include "feed_internal.h"

#include <stdlib.h>
#include <string.h>

/* Children in the sitemap namespace, or in none (hand-written files). */
static xmlNode *s_child(const xmlNode *parent, const char *name)
{
    xmlNode *c = feed_child(parent, FEED_NS_SITEMAP, name);
    return c ? c : feed_child(parent, NULL, name);
}

static char *s_date(const xmlNode *n)
{
    char *d = feed_text(n);
    char *out = feed_date_norm(d);
    free(d);
    return out;
}

int feed_sitemap_read(xmlNode *root, feed_t *feed, char **err)
{
    size_t cap = 0;
    bool news = false;
    for (xmlNode *u = root->children; u; u = u->next) {
        if (u->type != XML_ELEMENT_NODE || !xmlStrEqual(u->name, BAD_CAST "url"))
            continue;
        char *loc = feed_text_line(s_child(u, "loc"));
        if (!loc)
            continue;               /* a <url> without <loc> names nothing */
        feed_item_t *it = feed_item_add(feed, &cap);
        if (!it) {
            free(loc);
            *err = strdup("out of memory");
            return -1;
        }
        it->link = feed_resolve(u, loc);
        free(loc);
        it->updated = s_date(s_child(u, "lastmod"));
        xmlNode *nn = feed_child(u, FEED_NS_NEWS, "news");
        if (nn) {
            news = true;
            it->title = feed_text_line(feed_child(nn, FEED_NS_NEWS, "title"));
            it->published = s_date(feed_child(nn, FEED_NS_NEWS, "publication_date"));
            xmlNode *pub = feed_child(nn, FEED_NS_NEWS, "publication");
            if (!feed->lang)
                feed->lang = feed_text_line(feed_child(pub, FEED_NS_NEWS, "language"));
            if (!feed->title)
                feed->title = feed_text_line(feed_child(pub, FEED_NS_NEWS, "name"));
        }
        if (feed_item_finish(it) != 0) {
            *err = strdup("out of memory");
            return -1;
        }
    }
    feed->format = strdup(news ? "sitemap-news" : "sitemap");
    return feed->format ? 0 : -1;
}
