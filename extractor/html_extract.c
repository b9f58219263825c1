/*
 * html_extract.c — NAME html_extract: one HTML page to one article (title,
 * main text, language, publication time, author, canonical URL, site).
 *
 * DESCRIPTION
 *   The steps, each in its own file (html_internal.h):
 *     bytes → UTF-8 (html_charset.c) → scripts, styles, drawings and
 *     comments cut out (html_strip.c) → libxml2 HTML DOM, recover mode, no
 *     network, ignoring any <meta charset> (the bytes are UTF-8 by now) →
 *     metadata from the whole page (html_meta.c) → the
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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>

#define S_MAX_NODES 64
/* below this many characters of text, extraction is tried again (relaxed) */
#define S_RETRY_CHARS 500

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

/* The attributes any step reads (pruning, content choice, metadata); the
 * others (src, srcset, data-*, alt, title, on*...) are half of all
 * attributes on news pages and would each cost the tree three allocations. */
static const char *const s_kept_attrs[] = {
    "id", "class", "role", "itemprop", "style", "hidden", "aria-hidden", "content", "datetime",
    NULL,
};
/* and these only on the few elements that carry metadata: <html lang>,
 * <meta name/property>, <link rel href>, <script type> (an <a href> would
 * be the most common attribute of all, and nothing reads it) */
static const char *const s_meta_attrs[] = {
    "lang", "xml:lang", "property", "name", "rel", "href", "type", NULL,
};

static bool
s_in_attrs(const char *const *list, const char *a)
{
    for (size_t j = 0; list[j]; j++)
        if (list[j][0] == a[0] && strcmp(list[j], a) == 0)
            return true;
    return false;
}

static void
s_start_element(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    const xmlChar *kept[2 * 32 + 1];
    size_t k = 0;
    const char *tag = (const char *) name;
    bool meta = strcmp(tag, "meta") == 0 || strcmp(tag, "link") == 0 || strcmp(tag, "html") == 0
                || strcmp(tag, "script") == 0;
    for (size_t i = 0; atts && atts[i] && k + 2 < sizeof kept / sizeof kept[0]; i += 2) {
        const char *a = (const char *) atts[i];
        if (s_in_attrs(s_kept_attrs, a) || (meta && s_in_attrs(s_meta_attrs, a))) {
            kept[k++] = atts[i];
            kept[k++] = atts[i + 1];
        }
    }
    kept[k] = NULL;
    xmlSAX2StartElement(ctx, name, k ? kept : NULL);
}

static xmlDocPtr
s_parse(const char *utf8, size_t len)
{
    if (len > 0x7fffffff)
        return NULL;
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(utf8, (int) len);
    if (!ctxt)
        return NULL;
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR
               | HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC
               | HTML_PARSE_COMPACT;
    htmlCtxtUseOptions(ctxt, opts);
    ctxt->sax->startElement = s_start_element;
    /* The buffer is valid UTF-8 already (html_to_utf8).  Declaring UTF-8 this
     * way installs no converter; naming "UTF-8" to htmlCtxtReadMemory would
     * copy the whole page through one (half the parse time), and naming
     * nothing would make libxml2 fall back to Latin-1 at the first non-ASCII
     * byte. */
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    xmlDocPtr doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    htmlFreeParserCtxt(ctxt);
    return doc;
}

int
html_parse_only(const char *html, size_t len, const char *charset_hint)
{
    if (!html || len == 0)
        return -1;
    size_t ulen = 0;
    char *utf8 = html_to_utf8(html, len, charset_hint, &ulen);
    if (!utf8)
        return -1;
    ulen = html_strip_raw(utf8, ulen);
    xmlDocPtr doc = s_parse(utf8, ulen);
    int rc = doc && xmlDocGetRootElement(doc) ? 0 : -1;
    xmlFreeDoc(doc);
    free(utf8);
    return rc;
}

static int
s_extract(xmlDocPtr doc, const char *url, html_article_t *out, bool relaxed)
{
    char *markup_lang = NULL;
    xmlNodePtr anchor = html_content_anchor(doc);
    int rc = html_meta_read(doc, url, anchor, out, &markup_lang);
    if (rc < 0)
        goto done;

    /* stats memos: pruning and selection decide from the top down, so the
     * figures of what they look at are always current (html_internal.h) */
    xmlNodePtr root = xmlDocGetRootElement(doc);
    html_stats_memo_t *memo = html_stats_memo_new(root);
    html_prune(root, anchor, relaxed);
    html_stats_memo_destroy(&memo);
    memo = html_stats_memo_new(root);
    /* pruning may have emptied the anchor's ancestors but never the anchor */
    xmlNodePtr nodes[S_MAX_NODES];
    size_t n = html_content_select(doc, anchor, nodes, S_MAX_NODES);

    char *text = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        html_prune_link_lists(nodes[i]);
        rc = html_text_append(nodes[i], &text, &len, &cap);
    }
    html_stats_memo_destroy(&memo);
    if (rc == 0 && !text)
        text = strdup("");
    if (!text)
        rc = -2;
    out->text = text;
    if (rc == 0 && !out->published_at) {
        /* a dateline opening the text: "القاهرة - ٥ نيسان/أبريل ٢٠٢٦" */
        char head[401]; /* the headline, then the first paragraph */
        size_t hn = strlen(out->text);
        if (hn > 400)
            hn = 400;
        while (hn > 0 && ((unsigned char) out->text[hn] & 0xC0) == 0x80)
            hn--; /* not in the middle of a character */
        memcpy(head, out->text, hn);
        head[hn] = '\0';
        char date[21];
        if (html_date_visible(head, date) == 0 && !(out->published_at = strdup(date)))
            rc = -2;
    }
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
    /* a word at a time: most words of a page hold no control byte */
    const uint32_t allowed = (1u << '\t') | (1u << '\n') | (1u << '\r') | (1u << '\f')
                             | (1u << 0x1B);
    size_t ctl = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        /* high bit set in each byte below 0x20 (bytes >= 0x80 excluded) */
        uint64_t low = (w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL;
        if (!low)
            continue;
        for (size_t k = 0; k < 8; k++)
            ctl += (b[i + k] < 0x20) & !((allowed >> (b[i + k] & 31)) & 1);
    }
    for (; i < len; i++)
        ctl += (b[i] < 0x20) & !((allowed >> (b[i] & 31)) & 1);
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
    ulen = html_strip_raw(utf8, ulen);
    xmlDocPtr doc = s_parse(utf8, ulen);
    if (!doc || !xmlDocGetRootElement(doc)) {
        xmlFreeDoc(doc);
        free(utf8);
        return -1;
    }
    int rc = s_extract(doc, url, out, false);
    xmlFreeDoc(doc);
    /* Almost nothing: a class or id name fooled the pruner (a blog whose
     * post sits in "widget Blog", an article div "modal-enabled").  Try
     * again on a fresh tree trusting only tags, roles and hidden markers,
     * and keep that text if it is much longer (readability's second pass, in
     * short): a short page's footer alone is no reason to switch. */
    if (rc == 0 && html_count_chars(out->text) < S_RETRY_CHARS) {
        html_article_t again;
        memset(&again, 0, sizeof again);
        doc = s_parse(utf8, ulen);
        int rc2 = doc ? s_extract(doc, url, &again, true) : -1;
        xmlFreeDoc(doc);
        size_t first = html_count_chars(out->text);
        if (rc2 == 0 && html_count_chars(again.text) > 2 * first + 100) {
            html_article_clear(out);
            *out = again;
        } else {
            html_article_clear(&again);
        }
    }
    free(utf8);
    if (rc < 0)
        html_article_clear(out);
    return rc;
}
