/*
 * html_internal.h — the pieces of html_extract() that live in their own
 * files, shared only inside the HTML library (not a public interface):
 *   html_charset.c  which charset the bytes are in
 *   html_density.c  text / link / comma statistics of a subtree
 *   html_prune.c    boilerplate removal (tags, class/id/role, link lists)
 *   html_content.c  which element(s) hold the article
 *   html_text.c     elements to paragraphs ("\n\n"-separated)
 *   html_meta.c     title, date, author, canonical URL, site name
 *   html_date.c     date strings to RFC 3339 UTC
 *   html_lang.c     language from the script of the text and the markup
 * All nodes are libxml2 HTML DOM nodes; all strings UTF-8.
 */
#ifndef MARSAD_HTML_INTERNAL_H
#define MARSAD_HTML_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "html_extract.h"

/* html_charset.c: choose the charset (ICU canonical name) for BYTES as
 * html_to_utf8 does; writes it into BUF and returns BUF. */
const char *html_charset_choose(const char *bytes, size_t len, const char *charset_hint,
                                char *buf, size_t bufsz);

/* html_strip.c: remove <script> (but JSON-LD), <style>, <svg> and comments
 * from the UTF-8 page in BUF (LEN bytes, NUL at BUF[LEN]) in place, before
 * parsing.  Returns the new length; BUF stays NUL-terminated. */
size_t html_strip_raw(char *buf, size_t len);

/* html_density.c */
typedef struct {
    size_t chars;      /* non-space code points of visible text */
    size_t link_chars; /* of which inside <a href> */
    size_t links;      /* <a> elements */
    size_t commas;     /* , and Arabic ، */
    size_t paragraphs; /* <p> with >= 25 chars, mostly not link text */
} html_stats_t;

void html_stats(xmlNodePtr node, html_stats_t *st);
double html_link_density(const html_stats_t *st);
/* The stats of every element under ROOT computed once (bottom-up) and
 * answered by html_stats in O(1) until the memo is destroyed; NULL on no
 * memory (html_stats then computes as before).  Destroy before the tree. */
typedef struct html_stats_memo html_stats_memo_t;
html_stats_memo_t *html_stats_memo_new(xmlNodePtr root);
void html_stats_memo_destroy(html_stats_memo_t **self_p);
/* non-space code points in a UTF-8 string */
size_t html_count_chars(const char *s);
/* case-insensitive tag name test */
bool html_is(xmlNodePtr node, const char *name);
/* attribute value without a copy, borrowed from the node (valid while it
 * lives); NULL if absent.  NAME lowercase. */
const char *html_attr_peek(xmlNodePtr node, const char *name);
/* attribute value, borrowed from a static buffer-free libxml2 call: caller
 * frees with xmlFree; NULL if absent */
char *html_attr(xmlNodePtr node, const char *name);

/* html_content.c: the first article anchor (itemprop=articleBody, else the
 * <article> with the most text), or NULL. */
xmlNodePtr html_content_anchor(xmlDocPtr doc);
/* The nodes that hold the main text, in document order, into NODES (at
 * most MAX); returns the count (0 when nothing looks like text). */
size_t html_content_select(xmlDocPtr doc, xmlNodePtr anchor, xmlNodePtr *nodes, size_t max);

/* html_prune.c: unlink and free boilerplate under ROOT.  PROTECT (may be
 * NULL) and its ancestors are never removed.  RELAXED: trust only tags,
 * roles and hidden markers, not class/id names (the second attempt when
 * the first gave almost nothing). */
void html_prune(xmlNodePtr root, xmlNodePtr protect, bool relaxed);
/* unlink and free link-heavy lists/blocks under ROOT (after selection too) */
void html_prune_link_lists(xmlNodePtr root);

/* html_text.c: append the paragraphs of NODE to the growing text *BUF
 * (malloc'd, *LEN bytes, *CAP capacity).  Returns 0 or -2 on no memory. */
int html_text_append(xmlNodePtr node, char **buf, size_t *len, size_t *cap);
/* whitespace-collapsed, trimmed text of a subtree; malloc'd or NULL */
char *html_text_flat(xmlNodePtr node);

/* html_meta.c: fill title, published_at, author, canonical_url, site_name
 * of OUT from the (unpruned) document.  ANCHOR may be NULL.  Returns 0 or
 * -2 on no memory.  *MARKUP_LANG gets <html lang> (malloc'd) or NULL. */
int html_meta_read(xmlDocPtr doc, const char *url, xmlNodePtr anchor, html_article_t *out,
                   char **markup_lang);

/* html_date.c: normalize IN to "YYYY-MM-DDTHH:MM:SSZ" in OUT (21 bytes).
 * Accepts RFC 3339 / ISO 8601 with Z, +hh:mm, +hhmm, fractions, a space for
 * T, and a bare date.  Returns 0, or -1 if IN is not such a date. */
int html_date_rfc3339(const char *in, char out[21]);

/* html_date_text.c: the first date written out in TEXT ("٢١ نيسان/أبريل
 * ٢٠٢٦ ١٤:٣٠", "3 أبريل 2026", "November 20, 2019", "20 ноября 2019") as
 * RFC 3339 UTC into OUT.  Returns 0, or -1 if there is none. */
int html_date_visible(const char *text, char out[21]);

/* html_lang.c: "ar", "ru", "en", ... or "und"; malloc'd. */
char *html_lang_guess(const char *text, const char *markup_lang);

#endif
