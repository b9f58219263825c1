/*
 * feed.h — parse one feed document (RSS 2.0 / 0.9x, Atom 1.0 to start;
 * RSS 1.0, JSON Feed and sitemaps later) from a buffer.  Fetching is not
 * here: the fetcher hands bytes in, `marsad feed` hands a file in.
 * libxml2 with no network access and no entity expansion (XXE-safe).
 */
#ifndef MARSAD_FEED_H
#define MARSAD_FEED_H

#include <stddef.h>

typedef struct {
    char *id;            /* guid / atom:id; if absent, the canonical link; else a hash */
    char *link;          /* absolute (resolved against xml:base and the feed URL) and
                            canonical (feed_url_canonical), or NULL */
    char *title;         /* plain text (entities decoded once) or NULL */
    char *summary;       /* description / summary, as given (may hold HTML) or NULL */
    char *content;       /* content:encoded / atom:content, as given, or NULL */
    char *author;        /* or NULL */
    char *published;     /* RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ", or NULL */
    char *updated;       /* same, or NULL */
} feed_item_t;

typedef struct {
    char *format;        /* "rss20", "rss09x", "atom10", ... */
    char *title;         /* or NULL */
    char *link;          /* or NULL */
    char *lang;          /* or NULL */
    char *encoding;      /* the charset the document was read in, lower case ("utf-8") */
    int wellformed;      /* 1, or 0 when the parser had to recover from broken markup */
    feed_item_t *items;
    size_t n_items;
} feed_t;

/* Parse BUF.  BASE_URL (may be NULL) is the feed's URL, for relative links.
 * Returns a new feed, or NULL with *err a malloc'd reason (caller frees). */
feed_t *feed_parse(const char *buf, size_t len, const char *base_url, char **err);
void feed_destroy(feed_t **self_p);

/* As feed_parse(), with the charset the server named (Content-Type; may be
 * NULL).  The charset is chosen from a BOM, then the XML declaration, then
 * HTTP_CHARSET, then UTF-8 (newsboat's order). */
feed_t *feed_parse_charset(const char *buf, size_t len, const char *base_url,
                           const char *http_charset, char **err);

/* As feed_parse_charset(), from a whole Content-Type value (may be NULL):
 * its charset parameter, and its media type to tell JSON Feed from XML. */
feed_t *feed_parse_http(const char *buf, size_t len, const char *base_url,
                        const char *content_type, char **err);

/* The charset parameter of a Content-Type value, malloc'd, or NULL. */
char *feed_charset_of(const char *content_type);

/* URL with lower-case scheme and host, no default port, no fragment and
 * no tracking parameters (utm_*, fbclid, gclid, ...); malloc'd.  Non-http
 * URLs are copied unchanged.  NULL only if URL is NULL or out of memory. */
char *feed_url_canonical(const char *url);

/* The feed as JSON text (what `marsad feed` prints), malloc'd. */
char *feed_to_json(const feed_t *feed);

/* Parse an RFC 822 / RFC 3339 date (and the common broken forms) into
 * Unix seconds; returns 0 on success, -1 if not a date. */
int feed_date_parse(const char *s, long long *out);

#endif
