/*
 * html_extract.h — from an HTML page to the article: title, main text and
 * metadata.  libxml2's HTML parser in recover mode with no network access.
 * Charset (html_charset.c): a BOM wins; valid non-ASCII UTF-8 is UTF-8;
 * then the HTTP hint if the bytes are valid in it (weak server defaults
 * lose to <meta> and to a confident detector); then <meta charset>; then
 * ICU's detector — so windows-1256 / ISO-8859-6 pages behind a lying header
 * come out as correct UTF-8.
 * Boilerplate (nav, header, footer, aside, menus, related lists, share bars,
 * comments, scripts, styles, cookie banners, forms) is dropped; the main
 * text keeps headings and paragraphs in order, separated by "\n\n".
 */
#ifndef MARSAD_HTML_EXTRACT_H
#define MARSAD_HTML_EXTRACT_H

#include <stddef.h>

typedef struct {
    char *title;          /* og:title, h1, or <title> minus the site name; "" if none */
    char *text;           /* main text, UTF-8, never NULL on success */
    char *lang;           /* "ar", "en", "ru", "fr", ... or "und" */
    char *published_at;   /* RFC 3339 UTC, or NULL */
    char *author;         /* or NULL */
    char *canonical_url;  /* absolute, or NULL */
    char *site_name;      /* or NULL */
} html_article_t;

/* Extract from HTML (LEN bytes, any charset).  URL (may be NULL) resolves
 * relative links; CHARSET_HINT (may be NULL) is the HTTP header's charset.
 * Returns 0 and fills OUT (caller frees with html_article_clear), or a
 * negative code with OUT zeroed: -1 not parseable / empty, -2 no memory. */
int html_extract(const char *html, size_t len, const char *url, const char *charset_hint,
                 html_article_t *out);

/* Only the start of html_extract: the page to UTF-8, raw text stripped, and
 * libxml2's parse into a tree, which is then freed.  For benchmarks that
 * show how much of extraction the parser itself takes.  0 when a tree was
 * built, -1 otherwise. */
int html_parse_only(const char *html, size_t len, const char *charset_hint);
void html_article_clear(html_article_t *a);

/* Convert LEN bytes to UTF-8 choosing the charset as html_extract does
 * (hint, meta, BOM, detector).  Returns a malloc'd NUL-terminated string and
 * sets *out_len; NULL on failure. */
char *html_to_utf8(const char *bytes, size_t len, const char *charset_hint, size_t *out_len);

#endif
