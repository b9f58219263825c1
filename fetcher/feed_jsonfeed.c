/*
 * feed_jsonfeed.c — JSON Feed 1.0 and 1.1 (jsonfeed.org).
 *
 * Feed: title, home_page_url → link, language (1.1).  Items: id; url
 * (else external_url) → link, resolved against the feed URL; title;
 * summary; content_html (else content_text) → content; authors[0].name
 * (1.1) or author.name (1.0) → author; date_published → published;
 * date_modified → updated.  An item without id falls back like any other
 * (feed_item_finish).  Values of the wrong JSON type are ignored.
 */
#include "feed_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <libxml/uri.h>

static char *s_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v) && json_string_length(v) > 0)
        return strdup(json_string_value(v));
    if (json_is_integer(v)) {       /* ids are strings, but some feeds send numbers */
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long) json_integer_value(v));
        return strdup(buf);
    }
    return NULL;
}

static char *s_url(json_t *o, const char *key, const char *base)
{
    char *u = s_str(o, key);
    if (!u || !base)
        return u;
    xmlChar *abs = xmlBuildURI(BAD_CAST u, BAD_CAST base);
    if (!abs)
        return u;
    char *out = strdup((const char *) abs);
    xmlFree(abs);
    if (!out)
        return u;
    free(u);
    return out;
}

static char *s_date(json_t *o, const char *key)
{
    char *d = s_str(o, key);
    char *out = feed_date_norm(d);
    free(d);
    return out;
}

static char *s_author(json_t *o)
{
    json_t *a = json_object_get(o, "authors");
    if (json_is_array(a) && json_array_size(a) > 0)
        return s_str(json_array_get(a, 0), "name");
    a = json_object_get(o, "author");
    return json_is_object(a) ? s_str(a, "name") : NULL;
}

int feed_jsonfeed_read(const char *text, size_t len, const char *base_url, feed_t *feed,
                       char **err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!json_is_object(root)) {
        char buf[300];
        snprintf(buf, sizeof buf, "not a feed: bad JSON at line %d: %s", je.line, je.text);
        *err = strdup(buf);
        json_decref(root);
        return -1;
    }
    json_t *version = json_object_get(root, "version");
    json_t *items = json_object_get(root, "items");
    if (!json_is_string(version) || !strstr(json_string_value(version), "jsonfeed.org")
        || !json_is_array(items)) {
        *err = strdup("not a feed: JSON without a jsonfeed.org version and items");
        json_decref(root);
        return -1;
    }
    feed->format = strdup(strstr(json_string_value(version), "1.1") ? "json11" : "json10");
    feed->title = s_str(root, "title");
    feed->link = s_url(root, "home_page_url", base_url);
    feed->lang = s_str(root, "language");
    char *feed_author = s_author(root);
    size_t cap = 0;
    int rc = 0;
    for (size_t i = 0; i < json_array_size(items) && rc == 0; i++) {
        json_t *o = json_array_get(items, i);
        if (!json_is_object(o))
            continue;
        feed_item_t *it = feed_item_add(feed, &cap);
        if (!it) {
            rc = -1;
            break;
        }
        it->id = s_str(o, "id");
        it->link = s_url(o, "url", base_url);
        if (!it->link)
            it->link = s_url(o, "external_url", base_url);
        it->title = s_str(o, "title");
        it->summary = s_str(o, "summary");
        it->content = s_str(o, "content_html");
        if (!it->content)
            it->content = s_str(o, "content_text");
        it->author = s_author(o);
        if (!it->author && feed_author)
            it->author = strdup(feed_author);
        it->published = s_date(o, "date_published");
        it->updated = s_date(o, "date_modified");
        rc = feed_item_finish(it);
    }
    free(feed_author);
    json_decref(root);
    if (rc != 0 || !feed->format) {
        *err = strdup("out of memory");
        return -1;
    }
    return 0;
}
