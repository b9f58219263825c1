/*
 * html_text.c — turn the chosen content elements into plain text: one
 * paragraph per block (p, headings, list items, quotes, cells, text split
 * by <br>), white space collapsed and trimmed, paragraphs separated by
 * "\n\n".  Inside a <header> only headings are kept: the article's header
 * carries its headline, but also bylines, dates and share counts.
 */
#include "html_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *buf; /* output text */
    size_t len, cap;
    char *blk; /* the block being gathered */
    size_t blen, bcap;
    bool space; /* a space is pending in the block */
    int err;
} s_out_t;

static const char *const s_block_tags[] = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "li", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "thead", "tbody",
    "tfoot", "caption", "br", "hr", "header", "address", "center", "details", "summary",
    "figure", "figcaption", "body", "html", NULL,
};

static bool
s_block(xmlNodePtr n)
{
    for (size_t i = 0; s_block_tags[i]; i++)
        if (html_is(n, s_block_tags[i]))
            return true;
    return false;
}

static bool
s_heading(xmlNodePtr n)
{
    return html_is(n, "h1") || html_is(n, "h2") || html_is(n, "h3") || html_is(n, "h4")
           || html_is(n, "h5") || html_is(n, "h6");
}

static int
s_grow(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 256;
    while (nc < need)
        nc *= 2;
    char *nb = realloc(*buf, nc);
    if (!nb)
        return -2;
    *buf = nb;
    *cap = nc;
    return 0;
}

/* append text to the block, collapsing white space runs into one space */
static void
s_add(s_out_t *o, const unsigned char *s)
{
    for (; *s && !o->err; s++) {
        unsigned char c = *s;
        bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (c == 0xC2 && s[1] == 0xA0) { /* no-break space */
            ws = true;
            s++;
        }
        if (ws) {
            o->space = o->blen > 0;
            continue;
        }
        if (s_grow(&o->blk, &o->bcap, o->blen + 3) < 0) {
            o->err = -2;
            return;
        }
        if (o->space) {
            o->blk[o->blen++] = ' ';
            o->space = false;
        }
        o->blk[o->blen++] = (char) c;
    }
}

/* end the current block: append it to the output as one paragraph */
static void
s_flush(s_out_t *o)
{
    o->space = false;
    if (o->err || o->blen == 0)
        return;
    size_t sep = o->len ? 2 : 0;
    if (s_grow(&o->buf, &o->cap, o->len + sep + o->blen + 1) < 0) {
        o->err = -2;
        return;
    }
    if (sep) {
        memcpy(o->buf + o->len, "\n\n", 2);
        o->len += 2;
    }
    memcpy(o->buf + o->len, o->blk, o->blen);
    o->len += o->blen;
    o->buf[o->len] = '\0';
    o->blen = 0;
}

static void
s_walk(s_out_t *o, xmlNodePtr node, bool headings_only, bool in_heading)
{
    for (xmlNodePtr c = node->children; c && !o->err; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content && (!headings_only || in_heading))
                s_add(o, c->content);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (html_is(c, "script") || html_is(c, "style") || html_is(c, "noscript")
            || html_is(c, "template"))
            continue;
        bool block = s_block(c);
        bool head = s_heading(c);
        if (block)
            s_flush(o);
        s_walk(o, c, headings_only || html_is(c, "header"), in_heading || head);
        if (block)
            s_flush(o);
    }
}

int
html_text_append(xmlNodePtr node, char **buf, size_t *len, size_t *cap)
{
    s_out_t o = {.buf = *buf, .len = *len, .cap = *cap};
    if (node) {
        bool head = s_heading(node);
        s_walk(&o, node, html_is(node, "header"), head);
        s_flush(&o);
    }
    free(o.blk);
    *buf = o.buf;
    *len = o.len;
    *cap = o.cap;
    return o.err;
}

char *
html_text_flat(xmlNodePtr node)
{
    if (!node)
        return NULL;
    s_out_t o = {0};
    /* one block: no block boundaries inside a title */
    xmlChar *content = xmlNodeGetContent(node);
    if (!content)
        return NULL;
    s_add(&o, content);
    xmlFree(content);
    s_flush(&o);
    free(o.blk);
    if (o.err) {
        free(o.buf);
        return NULL;
    }
    if (!o.buf)
        o.buf = strdup("");
    return o.buf;
}
