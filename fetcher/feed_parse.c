/*
 * feed_parse.c — feed_parse(): XML in, feed_t out; the shared helpers the
 * format readers (feed_rss.c, feed_atom.c) use.
 *
 * Safety: libxml2 runs with XML_PARSE_NONET, without XML_PARSE_NOENT and
 * without DTD loading, so external entities (XXE) are never fetched or
 * substituted; our text collector does not descend into entity
 * references, so nested internal entities (billion laughs) are never
 * expanded by us, and libxml2's own amplification guard stops the parser.
 * XML_PARSE_RECOVER keeps the many slightly broken feeds readable.
 */
#include "feed_internal.h"
#include "sha256.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/uri.h>

/* ------------------------------------------------------------ strings */

typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} s_buf_t;

static void s_put(s_buf_t *b, const char *s, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Trim in place; free and return NULL if nothing is left. */
static char *s_trimmed(char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s), i = 0;
    while (i < n && isspace((unsigned char) s[i]))
        i++;
    while (n > i && isspace((unsigned char) s[n - 1]))
        n--;
    if (n == i) {
        free(s);
        return NULL;
    }
    memmove(s, s + i, n - i);
    s[n - i] = '\0';
    return s;
}

/* Collapse white-space runs (ASCII and NBSP) to one space, trim. */
static char *s_collapsed(char *s)
{
    if (!s)
        return NULL;
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char) s[i];
        bool ws = isspace(c);
        if (c == 0xC2 && (unsigned char) s[i + 1] == 0xA0) {
            ws = true;
            i++;
        }
        if (ws) {
            space = true;
            continue;
        }
        if (space && o > 0)
            s[o++] = ' ';
        space = false;
        s[o++] = s[i];
    }
    s[o] = '\0';
    return s_trimmed(s);
}

/* --------------------------------------------------------- node tests */

bool feed_is(const xmlNode *node, const char *ns, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE || !xmlStrEqual(node->name, BAD_CAST name))
        return false;
    const char *href = node->ns && node->ns->href ? (const char *) node->ns->href : NULL;
    if (ns == NULL)
        return href == NULL || strcmp(href, FEED_NS_RSS10) == 0
               || strcmp(href, FEED_NS_RSS090) == 0;
    return href && strcmp(href, ns) == 0;
}

xmlNode *feed_child(const xmlNode *parent, const char *ns, const char *name)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (feed_is(c, ns, name))
            return c;
    return NULL;
}

/* ---------------------------------------------------------------- text */

/* HTML entity names feeds use in XML without declaring them.  libxml2
 * leaves an entity-reference node for them (in recover mode). */
static const char *s_html_entity(const char *name)
{
    static const struct { const char *n, *u; } t[] = {
        { "nbsp", "\xC2\xA0" }, { "mdash", "\xE2\x80\x94" }, { "ndash", "\xE2\x80\x93" },
        { "hellip", "\xE2\x80\xA6" }, { "lsquo", "\xE2\x80\x98" }, { "rsquo", "\xE2\x80\x99" },
        { "ldquo", "\xE2\x80\x9C" }, { "rdquo", "\xE2\x80\x9D" }, { "laquo", "\xC2\xAB" },
        { "raquo", "\xC2\xBB" }, { "copy", "\xC2\xA9" }, { "reg", "\xC2\xAE" },
        { "trade", "\xE2\x84\xA2" }, { "middot", "\xC2\xB7" }, { "bull", "\xE2\x80\xA2" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(name, t[i].n) == 0)
            return t[i].u;
    return NULL;
}

static void s_collect(const xmlNode *n, s_buf_t *b, int depth)
{
    if (depth > 256)            /* absurd nesting: stop, don't recurse forever */
        return;
    for (; n; n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (n->content)
                s_put(b, (const char *) n->content, strlen((const char *) n->content));
            break;
        case XML_ELEMENT_NODE:
            s_collect(n->children, b, depth + 1);
            break;
        case XML_ENTITY_REF_NODE: {
            /* Never follow n->children (the entity's content): that is
             * how billion laughs and XXE get in. */
            const char *u = n->name ? s_html_entity((const char *) n->name) : NULL;
            if (u)
                s_put(b, u, strlen(u));
            break;
        }
        default:
            break;
        }
    }
}

char *feed_text(const xmlNode *node)
{
    if (!node)
        return NULL;
    s_buf_t b = { 0 };
    s_collect(node->children, &b, 0);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return s_trimmed(b.s);
}

char *feed_text_line(const xmlNode *node)
{
    return s_collapsed(feed_text(node));
}

char *feed_markup(const xmlNode *node)
{
    if (!node)
        return NULL;
    xmlBufferPtr buf = xmlBufferCreate();
    if (!buf)
        return NULL;
    for (xmlNode *c = node->children; c; c = c->next)
        xmlNodeDump(buf, node->doc, c, 0, 0);
    char *out = strdup((const char *) xmlBufferContent(buf));
    xmlBufferFree(buf);
    return s_trimmed(out);
}

static void s_html_collect(const xmlNode *n, s_buf_t *b, int depth)
{
    if (depth > 256)
        return;
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                s_put(b, (const char *) n->content, strlen((const char *) n->content));
        } else if (n->type == XML_ELEMENT_NODE) {
            if (xmlStrcasecmp(n->name, BAD_CAST "script") == 0
                || xmlStrcasecmp(n->name, BAD_CAST "style") == 0)
                continue;
            /* Block-ish elements and <br> separate words. */
            s_put(b, " ", 1);
            s_html_collect(n->children, b, depth + 1);
            s_put(b, " ", 1);
        }
    }
}

char *feed_html_to_text(const char *html)
{
    if (!html || !*html)
        return NULL;
    /* Wrapping keeps libxml2 from guessing an encoding: the text is UTF-8. */
    htmlDocPtr doc = htmlReadMemory(html, (int) strlen(html), NULL, "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                                    | HTML_PARSE_RECOVER | HTML_PARSE_NOIMPLIED);
    if (!doc)
        return NULL;
    s_buf_t b = { 0 };
    s_html_collect(doc->children, &b, 0);
    xmlFreeDoc(doc);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return s_collapsed(b.s);
}

/* ---------------------------------------------------------------- URLs */

char *feed_resolve(const xmlNode *node, const char *href)
{
    if (!href)
        return NULL;
    char *h = s_trimmed(strdup(href));
    if (!h)
        return NULL;
    xmlChar *base = node ? xmlNodeGetBase(node->doc, node) : NULL;
    if (!base)
        return h;
    xmlChar *abs = xmlBuildURI(BAD_CAST h, base);
    xmlFree(base);
    if (!abs)
        return h;
    char *out = strdup((const char *) abs);
    xmlFree(abs);
    if (!out)
        return h;
    free(h);
    return out;
}

/* --------------------------------------------------------------- dates */

char *feed_date_norm(const char *s)
{
    long long t;
    if (!s || feed_date_parse(s, &t) != 0)
        return NULL;
    time_t tt = (time_t) t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 1)
        return NULL;
    char buf[80];   /* room for any int, so -Wformat-truncation has nothing to say */
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return strdup(buf);
}

/* --------------------------------------------------------------- items */

feed_item_t *feed_item_add(feed_t *feed, size_t *cap)
{
    if (feed->n_items == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        feed_item_t *p = realloc(feed->items, ncap * sizeof *p);
        if (!p)
            return NULL;
        feed->items = p;
        *cap = ncap;
    }
    feed_item_t *it = &feed->items[feed->n_items++];
    memset(it, 0, sizeof *it);
    return it;
}

int feed_item_finish(feed_item_t *it)
{
    if (it->id)
        return 0;
    if (it->link) {
        it->id = strdup(it->link);
        return it->id ? 0 : -1;
    }
    /* Neither guid nor link: the item's identity is what it says and when. */
    sha256_t c;
    uint8_t d[32];
    sha256_init(&c);
    const char *parts[] = { it->title, it->published ? it->published : it->updated,
                            it->title ? NULL : (it->summary ? it->summary : it->content) };
    for (size_t i = 0; i < 3; i++) {
        if (parts[i])
            sha256_update(&c, parts[i], strlen(parts[i]));
        sha256_update(&c, "\n", 1);
    }
    sha256_final(&c, d);
    char *id = malloc(7 + 64 + 1);
    if (!id)
        return -1;
    memcpy(id, "sha256:", 7);
    for (int i = 0; i < 32; i++)
        snprintf(id + 7 + 2 * i, 3, "%02x", d[i]);
    it->id = id;
    return 0;
}

static void s_item_clear(feed_item_t *it)
{
    free(it->id);
    free(it->link);
    free(it->title);
    free(it->summary);
    free(it->content);
    free(it->author);
    free(it->published);
    free(it->updated);
}

void feed_destroy(feed_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    feed_t *f = *self_p;
    for (size_t i = 0; i < f->n_items; i++)
        s_item_clear(&f->items[i]);
    free(f->items);
    free(f->format);
    free(f->title);
    free(f->link);
    free(f->lang);
    free(f);
    *self_p = NULL;
}

/* --------------------------------------------------------------- parse */

/* Feeds written by HTML templates use &nbsp; &mdash; … without declaring
 * them; libxml2 would drop them and glue words together.  When an entity
 * is unknown and is one of our few HTML names, declare it in the
 * document's internal subset on the fly: the parser then leaves a
 * reference node that feed_text() turns into the character. */
static xmlEntityPtr s_get_entity(void *ctx, const xmlChar *name)
{
    xmlParserCtxtPtr ctxt = ctx;
    xmlEntityPtr ent = xmlSAX2GetEntity(ctx, name);
    if (ent || ctxt->inSubset != 0 || !ctxt->myDoc || !name)
        return ent;
    const char *u = s_html_entity((const char *) name);
    if (!u)
        return NULL;
    if (!ctxt->myDoc->intSubset && !xmlCreateIntSubset(ctxt->myDoc, BAD_CAST "feed", NULL, NULL))
        return NULL;
    return xmlAddDocEntity(ctxt->myDoc, name, XML_INTERNAL_GENERAL_ENTITY, NULL, NULL, BAD_CAST u);
}

static char *s_err(const char *what, const char *detail)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s", what, detail ? detail : "");
    /* libxml2 messages end in a newline. */
    size_t n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return strdup(buf);
}

/* Does the document say its own encoding (BOM, or encoding= in the XML
 * declaration)?  Then a server's charset must not override it. */
static bool s_self_described(const char *buf, size_t len)
{
    const unsigned char *u = (const unsigned char *) buf;
    if (len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE)))
        return true;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return true;
    if (len < 5 || memcmp(buf, "<?xml", 5) != 0)
        return false;
    size_t end = 5;
    while (end + 1 < len && end < 256 && !(buf[end] == '?' && buf[end + 1] == '>'))
        end++;
    return memmem(buf, end, "encoding", 8) != NULL;
}

static xmlDocPtr s_read(xmlParserCtxtPtr ctxt, const char *buf, size_t len, const char *base_url,
                        const char *encoding)
{
    /* No NOENT (entities stay references), no DTDLOAD/DTDATTR/DTDVALID
     * (no external subset is read), NONET (nothing from the network). */
    int opts = XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
               | XML_PARSE_COMPACT;
    return xmlCtxtReadMemory(ctxt, buf, (int) len, base_url, encoding, opts);
}

feed_t *feed_parse(const char *buf, size_t len, const char *base_url, char **err)
{
    return feed_parse_charset(buf, len, base_url, NULL, err);
}

feed_t *feed_parse_charset(const char *buf, size_t len, const char *base_url,
                           const char *http_charset, char **err)
{
    char *e = NULL;
    feed_t *feed = NULL;
    if (err)
        *err = NULL;
    if (!buf || len == 0 || len > INT32_MAX) {
        e = s_err("not a feed: ", len == 0 ? "empty document" : "document too large");
        goto out;
    }
    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt && ctxt->sax)
        ctxt->sax->getEntity = s_get_entity;
    if (!ctxt) {
        e = s_err("out of memory", NULL);
        goto out;
    }
    xmlDocPtr doc = NULL;
    if (http_charset && *http_charset && !s_self_described(buf, len)) {
        doc = s_read(ctxt, buf, len, base_url, http_charset);
        if (!doc || !xmlDocGetRootElement(doc)) {    /* unknown charset name: ignore it */
            if (doc)
                xmlFreeDoc(doc);
            doc = NULL;
            xmlCtxtReset(ctxt);
            ctxt->sax->getEntity = s_get_entity;
        }
    }
    if (!doc)
        doc = s_read(ctxt, buf, len, base_url, NULL);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        const xmlError *xe = xmlCtxtGetLastError(ctxt);
        e = s_err("not XML: ", xe && xe->message ? xe->message : "no root element");
        if (doc)
            xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        goto out;
    }
    feed = calloc(1, sizeof *feed);
    int rc = -1;
    if (!feed)
        e = s_err("out of memory", NULL);
    else if (feed_is(root, NULL, "rss") || feed_is(root, FEED_NS_RDF, "RDF"))
        rc = feed_rss_read(root, feed, &e);
    else if (feed_is(root, FEED_NS_ATOM, "feed") || feed_is(root, FEED_NS_ATOM03, "feed"))
        rc = feed_atom_read(root, feed, &e);
    else
        e = s_err("not a feed: root element ", (const char *) root->name);
    if (rc != 0)
        feed_destroy(&feed);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
out:
    if (!feed) {
        if (!e)
            e = s_err("not a feed", NULL);
        if (err)
            *err = e;
        else
            free(e);
    }
    return feed;
}
