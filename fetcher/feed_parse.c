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
#include <libxml/parserInternals.h>
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
               || strcmp(href, FEED_NS_RSS090) == 0 || strcmp(href, FEED_NS_RSS_USERLAND) == 0
               || strcmp(href, FEED_NS_RSS_HARVARD) == 0;
    if (ns[0] == '\0')         /* "": no namespace at all */
        return href == NULL;
    return href && strcmp(href, ns) == 0;
}

xmlNode *feed_child(const xmlNode *parent, const char *ns, const char *name)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (feed_is(c, ns, name))
            return c;
    return NULL;
}

xmlNode *feed_child_last(const xmlNode *parent, const char *ns, const char *name)
{
    xmlNode *last = NULL;
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (feed_is(c, ns, name))
            last = c;
    return last;
}

/* ---------------------------------------------------------------- text */

/* HTML entity names feeds use in XML without declaring them (&nbsp;
 * &eacute; &mdash; ...): HTML 4's table, from libxml2's HTML parser, as
 * UTF-8 in BUF.  NULL if NAME is not one. */
static const char *s_html_entity(const char *name, char buf[8])
{
    const htmlEntityDesc *d = htmlEntityLookup(BAD_CAST name);
    if (!d || d->value == 0 || d->value > 0x10FFFF)
        return NULL;
    int n = xmlCopyCharMultiByte(BAD_CAST buf, (int) d->value);
    if (n <= 0 || n > 4)
        return NULL;
    buf[n] = '\0';
    return buf;
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
             * how billion laughs and XXE get in.  An internal entity the
             * document declared is taken as plain text when it is short
             * and refers to nothing; an HTML name as its character. */
            char ch[8];
            const char *u = n->name ? s_html_entity((const char *) n->name, ch) : NULL;
            const xmlEntity *ent = (const xmlEntity *) n->children;
            if (!u && ent && ent->type == XML_ENTITY_DECL
                && ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content
                && !strchr((const char *) ent->content, '&')
                && !strchr((const char *) ent->content, '<')
                && strlen((const char *) ent->content) < 1024)
                u = (const char *) ent->content;
            if (u) {
                s_put(b, u, strlen(u));
            } else if (n->name) {
                /* Unknown: keep the reference as written rather than
                 * lose it (feeds misuse undeclared names). */
                s_put(b, "&", 1);
                s_put(b, (const char *) n->name, strlen((const char *) n->name));
                s_put(b, ";", 1);
            }
            break;
        }
        default:
            break;
        }
    }
}

/* C1 controls (U+0080..U+009F) in feed text are windows-1252 bytes that
 * went through a latin-1 decoder or a &#146; reference; give them back
 * their meaning (curly quotes, dashes, the euro sign). */
static char *s_c1_fixed(char *s)
{
    static const unsigned short cp1252[32] = {
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    };
    if (!s)
        return NULL;
    bool any = false;
    for (const char *p = s; *p && !any; p++)
        any = (unsigned char) p[0] == 0xC2 && (unsigned char) p[1] >= 0x80
              && (unsigned char) p[1] <= 0x9F;
    if (!any)
        return s;
    s_buf_t b = { 0 };
    for (const char *p = s; *p; p++) {
        unsigned char c1 = (unsigned char) p[1];
        if ((unsigned char) p[0] == 0xC2 && c1 >= 0x80 && c1 <= 0x9F && cp1252[c1 - 0x80]) {
            char u[4];
            unsigned v = cp1252[c1 - 0x80];
            int n = xmlCopyCharMultiByte(BAD_CAST u, (int) v);
            s_put(&b, u, n > 0 ? (size_t) n : 0);
            p++;
        } else {
            s_put(&b, p, 1);
        }
    }
    if (b.oom) {
        free(b.s);
        return s;
    }
    free(s);
    return b.s;
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
    return s_c1_fixed(s_trimmed(b.s));
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
    /* One spelling per article: tracking parameters and fragments would
     * make a re-shared item look new. */
    if (it->link) {
        char *c = feed_url_canonical(it->link);
        if (!c)
            return -1;
        free(it->link);
        it->link = c;
    }
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
    free(f->encoding);
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
    char ch[8];
    const char *u = s_html_entity((const char *) name, ch);
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

static xmlDocPtr s_read(xmlParserCtxtPtr ctxt, const char *buf, size_t len, const char *base_url)
{
    /* No NOENT (entities stay references), no DTDLOAD/DTDATTR/DTDVALID
     * (no external subset is read), NONET (nothing from the network).
     * The text is UTF-8 by now (feed_to_utf8): the declaration's
     * encoding= is ignored. */
    int opts = XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
               | XML_PARSE_COMPACT | XML_PARSE_IGNORE_ENC;
    return xmlCtxtReadMemory(ctxt, buf, (int) len, base_url, "UTF-8", opts);
}

feed_t *feed_parse(const char *buf, size_t len, const char *base_url, char **err)
{
    return feed_parse_charset(buf, len, base_url, NULL, err);
}

/* Is S (at '&') the start of a well-formed reference? */
static bool s_is_ref(const char *s, const char *end)
{
    const char *p = s + 1;
    if (p < end && *p == '#') {
        p++;
        bool hex = p < end && (*p == 'x' || *p == 'X');
        if (hex)
            p++;
        const char *d = p;
        while (p < end && (hex ? isxdigit((unsigned char) *p) : isdigit((unsigned char) *p)))
            p++;
        return p > d && p < end && *p == ';';
    }
    if (p >= end || !(isalpha((unsigned char) *p) || *p == '_' || (unsigned char) *p >= 0x80))
        return false;
    while (p < end && (isalnum((unsigned char) *p) || *p == '_' || *p == '-' || *p == '.'
                       || (unsigned char) *p >= 0x80))
        p++;
    return p < end && *p == ';';
}

/* Feeds written by string concatenation carry bare '&' (in URLs above
 * all) and "&#X41;"; XML recovery would drop what follows.  Escape a '&'
 * that starts no reference, and lower-case the X, outside CDATA sections,
 * comments and processing instructions.  Returns a malloc'd copy, or
 * NULL if nothing needed changing (or out of memory). */
static char *s_repair_amps(const char *s, size_t len, size_t *out_len)
{
    s_buf_t b = { 0 };
    bool changed = false;
    const char *end = s + len, *p = s, *flushed = s;
    while (p < end) {
        const char *skip_to = NULL;
        if (*p == '<' && end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
            skip_to = memmem(p, (size_t) (end - p), "]]>", 3);
        else if (*p == '<' && end - p >= 4 && memcmp(p, "<!--", 4) == 0)
            skip_to = memmem(p, (size_t) (end - p), "-->", 3);
        else if (*p == '<' && end - p >= 2 && p[1] == '?')
            skip_to = memmem(p, (size_t) (end - p), "?>", 2);
        else if (*p == '<' && end - p >= 2 && p[1] == '!') {
            /* <!DOCTYPE ...>, with an internal subset in [...] perhaps:
             * entity values there are not text. */
            const char *gt = memchr(p, '>', (size_t) (end - p));
            const char *br = memchr(p, '[', (size_t) (end - p));
            skip_to = br && gt && br < gt ? memmem(br, (size_t) (end - br), "]>", 2) : gt;
            if (skip_to == gt && skip_to)
                skip_to--;          /* the +2 below lands after '>' */
        }
        if (skip_to) {
            p = skip_to + 2;
            continue;
        }
        if (*p == '<' && end - p >= 2 && (p[1] == '!' || p[1] == '?')) {
            p = end;                /* unterminated: leave the rest alone */
            continue;
        }
        if (*p == '&') {
            bool ref = s_is_ref(p, end);
            if (!ref || (p + 2 < end && p[1] == '#' && p[2] == 'X')) {
                s_put(&b, flushed, (size_t) (p - flushed));
                s_put(&b, ref ? "&#x" : "&amp;", ref ? 3 : 5);
                p += ref ? 3 : 1;
                flushed = p;
                changed = true;
                continue;
            }
        }
        p++;
    }
    if (!changed || b.oom) {
        free(b.s);
        return NULL;
    }
    s_put(&b, flushed, (size_t) (end - flushed));
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    *out_len = b.len;
    return b.s;
}

feed_t *feed_parse_http(const char *buf, size_t len, const char *base_url,
                        const char *content_type, char **err)
{
    char *cs = feed_charset_of(content_type);
    feed_t *f = feed_parse_charset(buf, len, base_url, cs, err);
    free(cs);
    return f;
}

static bool s_looks_json(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char) s[i]))
        i++;
    return i < n && s[i] == '{';
}

/* The reader for ROOT's format, or NULL with *err set. */
static int s_read_xml(xmlNode *root, feed_t *feed, char **e)
{
    if (feed_is(root, NULL, "rss") || feed_is(root, FEED_NS_RDF, "RDF"))
        return feed_rss_read(root, feed, e);
    if (feed_is(root, FEED_NS_ATOM, "feed") || feed_is(root, FEED_NS_ATOM03, "feed"))
        return feed_atom_read(root, feed, e);
    if (xmlStrEqual(root->name, BAD_CAST "urlset"))
        return feed_sitemap_read(root, feed, e);
    /* Namespace-less or mis-namespaced Atom and RDF still say what they are. */
    if (xmlStrEqual(root->name, BAD_CAST "feed"))
        return feed_atom_read(root, feed, e);
    if (xmlStrEqual(root->name, BAD_CAST "RDF"))
        return feed_rss_read(root, feed, e);
    *e = s_err("not a feed: root element ", (const char *) root->name);
    return -1;
}

feed_t *feed_parse_charset(const char *buf, size_t len, const char *base_url,
                           const char *http_charset, char **err)
{
    char *e = NULL;
    feed_t *feed = NULL;
    char *text = NULL, *encoding = NULL;
    size_t text_len = 0;
    bool doubtful = false;
    if (err)
        *err = NULL;
    if (!buf || len == 0 || len > INT32_MAX / 4) {
        e = s_err("not a feed: ", len == 0 ? "empty document" : "document too large");
        goto out;
    }
    text = feed_to_utf8(buf, len, http_charset, &text_len, &encoding, &doubtful);
    if (!text) {
        e = s_err("cannot decode the document's charset", NULL);
        goto out;
    }
    feed = calloc(1, sizeof *feed);
    if (!feed) {
        e = s_err("out of memory", NULL);
        goto out;
    }
    feed->encoding = encoding;
    encoding = NULL;
    feed->wellformed = !doubtful;
    if (s_looks_json(text, text_len)) {
        if (feed_jsonfeed_read(text, text_len, base_url, feed, &e) != 0)
            feed_destroy(&feed);
        goto out;
    }
    size_t fixed_len = 0;
    char *fixed = s_repair_amps(text, text_len, &fixed_len);
    if (fixed) {
        free(text);
        text = fixed;
        text_len = fixed_len;
    }
    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        e = s_err("out of memory", NULL);
        feed_destroy(&feed);
        goto out;
    }
    if (ctxt->sax)
        ctxt->sax->getEntity = s_get_entity;
    xmlDocPtr doc = s_read(ctxt, text, text_len, base_url);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        const xmlError *xe = xmlCtxtGetLastError(ctxt);
        e = s_err("not XML: ", xe && xe->message ? xe->message : "no root element");
        feed_destroy(&feed);
    } else {
        if (!ctxt->wellFormed || !ctxt->nsWellFormed || fixed)
            feed->wellformed = 0;
        if (s_read_xml(root, feed, &e) != 0)
            feed_destroy(&feed);
        else if (!feed->wellformed && feed->n_items == 0 && !feed->title && !feed->link) {
            /* Recovery kept a root element and nothing else ("<rss"): say
             * it is broken rather than call it an empty feed. */
            const xmlError *xe = xmlCtxtGetLastError(ctxt);
            e = s_err("not a feed: broken XML: ", xe && xe->message ? xe->message : "no content");
            feed_destroy(&feed);
        }
        for (char *l = feed ? feed->lang : NULL; l && *l; l++)
            if (*l == '_')
                *l = '-';           /* en_US → en-US (BCP 47) */
    }
    if (doc)
        xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
out:
    free(text);
    free(encoding);
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
