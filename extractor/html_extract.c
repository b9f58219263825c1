/*
 * html_extract.c — NAME html_extract: one HTML page to one article (title,
 * main text, language, publication time, author, canonical URL, site).
 *
 * DESCRIPTION
 *   The steps, each in its own file (html_internal.h):
 *     bytes → UTF-8 (html_charset.c) → libxml2 HTML DOM, recover mode, no
 *     network, told the input is UTF-8 so it neither re-decodes nor obeys
 *     a <meta charset> → metadata from the whole page (html_meta.c) → the
 *     article anchor (html_content.c) → boilerplate removed (html_prune.c)
 *     → main-text containers chosen (html_content.c) → link lists inside
 *     them removed (html_prune.c) → paragraphs (html_text.c) → language
 *     from the text and the markup (html_lang.c).
 *
 * DIAGNOSTICS
 *   -1 when the input is empty or libxml2 builds no document; -2 when
 *   memory runs out.  A page with markup but no text is not an error: the
 *   text is "" and the language "und".  Nothing is logged here: the caller
 *   (the extractor daemon) decides what a failure means.
 */
#include "html_extract.h"
#include "html_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_NODES 64

void
html_article_clear(html_article_t *a)
{
    if (!a)
        return;
    free(a->title);
    free(a->text);
    free(a->lang);
    free(a->published_at);
    free(a->author);
    free(a->canonical_url);
    free(a->site_name);
    memset(a, 0, sizeof *a);
}

static xmlDocPtr
s_parse(const char *utf8, size_t len, const char *url)
{
    if (len > 0x7fffffff)
        return NULL;
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return NULL;
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR
               | HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC
               | HTML_PARSE_COMPACT;
    xmlDocPtr doc = htmlCtxtReadMemory(ctxt, utf8, (int) len, url, "UTF-8", opts);
    htmlFreeParserCtxt(ctxt);
    return doc;
}

static int
s_extract(xmlDocPtr doc, const char *url, html_article_t *out)
{
    char *markup_lang = NULL;
    xmlNodePtr anchor = html_content_anchor(doc);
    int rc = html_meta_read(doc, url, anchor, out, &markup_lang);
    if (rc < 0)
        goto done;

    html_prune(xmlDocGetRootElement(doc), anchor);
    /* pruning may have emptied the anchor's ancestors but never the anchor */
    xmlNodePtr nodes[S_MAX_NODES];
    size_t n = html_content_select(doc, anchor, nodes, S_MAX_NODES);

    char *text = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        html_prune_link_lists(nodes[i]);
        rc = html_text_append(nodes[i], &text, &len, &cap);
    }
    if (rc == 0 && !text)
        text = strdup("");
    if (!text)
        rc = -2;
    out->text = text;
    if (rc == 0) {
        out->lang = html_lang_guess(out->text, markup_lang);
        if (!out->lang)
            rc = -2;
    }
done:
    free(markup_lang);
    return rc;
}

/* Binary data is no page: more than 1% control bytes (other than tab, line
 * ends, form feed and the ESC of ISO-2022), unless a UTF-16 BOM explains
 * the NULs. */
static bool
s_looks_binary(const unsigned char *b, size_t len)
{
    if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        return false;
    size_t ctl = 0;
    for (size_t i = 0; i < len; i++)
        if (b[i] < 0x20 && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' && b[i] != '\f'
            && b[i] != 0x1B)
            ctl++;
    return ctl * 100 > len;
}

int
html_extract(const char *html, size_t len, const char *url, const char *charset_hint,
             html_article_t *out)
{
    if (!out)
        return -1;
    memset(out, 0, sizeof *out);
    if (!html || len == 0 || s_looks_binary((const unsigned char *) html, len))
        return -1;
    size_t ulen = 0;
    char *utf8 = html_to_utf8(html, len, charset_hint, &ulen);
    if (!utf8)
        return -2;
    /* white space only is no page */
    size_t i = 0;
    while (i < ulen && strchr(" \t\r\n\f", utf8[i]))
        i++;
    if (i == ulen || !memchr(utf8, '<', ulen)) { /* no markup at all: not a page */
        free(utf8);
        return -1;
    }
    xmlDocPtr doc = s_parse(utf8, ulen, url);
    free(utf8);
    if (!doc || !xmlDocGetRootElement(doc)) {
        xmlFreeDoc(doc);
        return -1;
    }
    int rc = s_extract(doc, url, out);
    xmlFreeDoc(doc);
    if (rc < 0)
        html_article_clear(out);
    return rc;
}
