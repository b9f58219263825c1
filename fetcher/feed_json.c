/*
 * feed_json.c — feed_to_json(): the JSON `marsad feed` prints.
 *
 * {"format","title","link","lang","encoding","wellformed","items":[{"id","link","title","summary",
 * "content","author","published","updated"}]}; absent values are null so
 * every item has the same keys.
 */
#include "feed.h"

#include <jansson.h>

static json_t *s_str(const char *s)
{
    json_t *v = s ? json_string(s) : NULL;
    /* json_string() refuses invalid UTF-8; keep the key, say null. */
    return v ? v : json_null();
}

char *feed_to_json(const feed_t *feed)
{
    if (!feed)
        return NULL;
    json_t *root = json_object();
    json_t *items = json_array();
    if (!root || !items) {
        json_decref(root);
        json_decref(items);
        return NULL;
    }
    json_object_set_new(root, "format", s_str(feed->format));
    json_object_set_new(root, "title", s_str(feed->title));
    json_object_set_new(root, "link", s_str(feed->link));
    json_object_set_new(root, "lang", s_str(feed->lang));
    json_object_set_new(root, "encoding", s_str(feed->encoding));
    json_object_set_new(root, "wellformed", json_boolean(feed->wellformed));
    for (size_t i = 0; i < feed->n_items; i++) {
        const feed_item_t *it = &feed->items[i];
        json_t *o = json_object();
        if (!o)
            continue;
        json_object_set_new(o, "id", s_str(it->id));
        json_object_set_new(o, "link", s_str(it->link));
        json_object_set_new(o, "title", s_str(it->title));
        json_object_set_new(o, "summary", s_str(it->summary));
        json_object_set_new(o, "content", s_str(it->content));
        json_object_set_new(o, "author", s_str(it->author));
        json_object_set_new(o, "published", s_str(it->published));
        json_object_set_new(o, "updated", s_str(it->updated));
        json_array_append_new(items, o);
    }
    json_object_set_new(root, "items", items);
    char *out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return out;
}
