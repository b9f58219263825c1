/*
 * feed_internal.h — what feed_parse.c shares with the format readers
 * (feed_rss.c, feed_atom.c).  Not part of the public API (feed.h).
 *
 * All returned char * are malloc'd and the caller's; NULL means absent.
 */
#ifndef MARSAD_FEED_INTERNAL_H
#define MARSAD_FEED_INTERNAL_H

#include <stdbool.h>
#include <libxml/tree.h>

#include "feed.h"

#define FEED_NS_ATOM     "http://www.w3.org/2005/Atom"
#define FEED_NS_ATOM03   "http://purl.org/atom/ns#"
#define FEED_NS_RSS10    "http://purl.org/rss/1.0/"
#define FEED_NS_RSS090   "http://my.netscape.com/rdf/simple/0.9/"
#define FEED_NS_RSS_USERLAND "http://backend.userland.com/rss2"
#define FEED_NS_RSS_HARVARD  "http://blogs.law.harvard.edu/tech/rss"
#define FEED_NS_XHTML    "http://www.w3.org/1999/xhtml"
#define FEED_NS_RDF      "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define FEED_NS_CONTENT  "http://purl.org/rss/1.0/modules/content/"
#define FEED_NS_DC       "http://purl.org/dc/elements/1.1/"
#define FEED_NS_DCTERMS  "http://purl.org/dc/terms/"
#define FEED_NS_SITEMAP  "http://www.sitemaps.org/schemas/sitemap/0.9"
#define FEED_NS_NEWS     "http://www.google.com/schemas/sitemap-news/0.9"

/* Is NODE an element named NAME in namespace NS?  NS NULL means "no
 * namespace, or one of the RSS namespaces" (RSS 0.9x/2.0 have none, RSS
 * 1.0/0.90 put their elements in one, a few RSS 2.0 feeds too); "" means
 * no namespace only. */
bool feed_is(const xmlNode *node, const char *ns, const char *name);

/* First child element matching feed_is(), or NULL. */
xmlNode *feed_child(const xmlNode *parent, const char *ns, const char *name);

/* Text of NODE: its text and CDATA descendants concatenated, entities
 * decoded once by the XML parser; entity references are NOT expanded
 * (billion laughs / XXE) except a few well-known HTML names feeds misuse.
 * Trimmed; NULL if empty. */
char *feed_text(const xmlNode *node);

/* As feed_text(), with runs of white space collapsed to one space. */
char *feed_text_line(const xmlNode *node);

/* The children of NODE serialized as markup (Atom type="xhtml"). */
char *feed_markup(const xmlNode *node);

/* The last child element matching feed_is(), or NULL (a repeated
 * date: the last one wins, as in feedparser). */
xmlNode *feed_child_last(const xmlNode *parent, const char *ns, const char *name);

/* Plain text of an HTML fragment: tags dropped, HTML entities decoded,
 * white space collapsed.  NULL if empty. */
char *feed_html_to_text(const char *html);

/* HREF made absolute against NODE's xml:base chain and the document URL.
 * Returns a malloc'd copy of HREF (trimmed) if it cannot be resolved. */
char *feed_resolve(const xmlNode *node, const char *href);

/* A feed date normalized to "YYYY-MM-DDTHH:MM:SSZ", or NULL. */
char *feed_date_norm(const char *s);

/* A fresh zeroed item appended to FEED (*cap tracks capacity), or NULL
 * if out of memory. */
feed_item_t *feed_item_add(feed_t *feed, size_t *cap);

/* Fill item->id when the feed gave none: the link, else a hash of title
 * and date (and summary).  Returns 0 or -1 (out of memory). */
int feed_item_finish(feed_item_t *item);

/* Format readers: fill FEED from ROOT.  0, or -1 with *err set. */
int feed_rss_read(xmlNode *root, feed_t *feed, char **err);
int feed_atom_read(xmlNode *root, feed_t *feed, char **err);
int feed_sitemap_read(xmlNode *root, feed_t *feed, char **err);

/* JSON Feed 1.0/1.1 from UTF-8 TEXT; relative URLs against BASE_URL. */
int feed_jsonfeed_read(const char *text, size_t len, const char *base_url, feed_t *feed,
                       char **err);

/* BUF decoded to UTF-8 (feed_charset.c): malloc'd, NUL-terminated, its
 * length in *OUT_LEN; *ENCODING the charset chosen (malloc'd, lower
 * case); *DOUBTFUL set when a named charset was unknown or contradicted
 * by the bytes.  NULL if out of memory. */
char *feed_to_utf8(const char *buf, size_t len, const char *http_charset, size_t *out_len,
                   char **encoding, bool *doubtful);

#endif
