/*
 * html_density.c — how much text a subtree holds, how much of it is link
 * text, how many commas and real paragraphs: the measurements the
 * boilerplate pruner and the main-content chooser decide on.
 *
 * Lengths are counted in code points, not bytes, so an Arabic paragraph
 * (two bytes a letter) weighs the same as an English one; white space is
 * not counted, so indentation in the markup does not matter.
 */
#include "html_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* libxml2's HTML parser lowercases element and attribute names, so NAME
 * (lowercase) compares byte for byte; the first byte settles most tests */
bool
html_is(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->name && node->name[0] == name[0]
           && strcmp((const char *) node->name, name) == 0;
}

const char *
html_attr_peek(xmlNodePtr node, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        if (a->name[0] != name[0] || strcmp((const char *) a->name, name) != 0)
            continue;
        xmlNodePtr t = a->children;
        if (!t)
            return "";
        if (t->type == XML_TEXT_NODE && !t->next)
            return t->content ? (const char *) t->content : "";
        return NULL; /* entity references in the value: not from the HTML parser */
    }
    return NULL;
}

char *
html_attr(xmlNodePtr node, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE)
        return NULL;
    return (char *) xmlGetProp(node, (const xmlChar *) name);
}

/* What a byte is to s_count: 0 not counted (a continuation byte, ASCII
 * white space), 1 a code point, 2 a code point that may be a comma or a
 * no-break space (',' and the lead bytes C2 and D8).  Every text node of
 * every page passes through here, so one look-up per byte. */
static unsigned char s_count_class[256];

static void
s_count_init(void)
{
    for (int c = 0; c < 256; c++)
        s_count_class[c] = (c & 0xC0) != 0x80;
    const unsigned char blank[] = { ' ', '\t', '\n', '\r', '\f', '\v' };
    for (size_t i = 0; i < sizeof blank; i++)
        s_count_class[blank[i]] = 0;
    s_count_class[','] = s_count_class[0xC2] = s_count_class[0xD8] = 2;
}

/* count code points that are not white space; commas on the side */
static size_t
s_count(const unsigned char *s, size_t *commas)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, s_count_init);
    size_t n = 0, k = 0;
    for (; *s; s++) {
        unsigned char cl = s_count_class[*s];
        if (cl != 2) {
            n += cl;
            continue;
        }
        if (*s == 0xC2 && s[1] == 0xA0)
            continue; /* U+00A0 no-break space */
        n++;
        if (*s == ',' || (*s == 0xD8 && s[1] == 0x8C)) /* U+060C Arabic comma */
            k++;
    }
    if (commas)
        *commas += k;
    return n;
}

size_t
html_count_chars(const char *s)
{
    return s ? s_count((const unsigned char *) s, NULL) : 0;
}

static bool
s_invisible(xmlNodePtr n)
{
    return html_is(n, "script") || html_is(n, "style") || html_is(n, "noscript")
           || html_is(n, "template");
}

static void
s_walk(xmlNodePtr node, bool in_link, html_stats_t *st)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (!c->content)
                continue;
            size_t n = s_count(c->content, &st->commas);
            st->chars += n;
            if (in_link)
                st->link_chars += n;
        } else if (c->type == XML_ELEMENT_NODE) {
            if (s_invisible(c))
                continue;
            bool link = in_link;
            if (html_is(c, "a")) {
                st->links++;
                link = true;
            }
            if (html_is(c, "p")) {
                html_stats_t sub = {0};
                s_walk(c, link, &sub);
                if (sub.chars >= 25 && sub.link_chars * 2 < sub.chars)
                    st->paragraphs++;
                st->chars += sub.chars;
                st->link_chars += sub.link_chars;
                st->links += sub.links;
                st->commas += sub.commas;
                st->paragraphs += sub.paragraphs;
            } else {
                s_walk(c, link, st);
            }
        }
    }
}

void
html_stats(xmlNodePtr node, html_stats_t *st)
{
    *st = (html_stats_t) {0};
    if (!node)
        return;
    if (node->type == XML_ELEMENT_NODE && node->_private) {
        *st = *(const html_stats_t *) node->_private;
        return;
    }
    if (node->type == XML_TEXT_NODE) {
        st->chars = node->content ? s_count(node->content, &st->commas) : 0;
        return;
    }
    bool link = html_is(node, "a");
    if (link)
        st->links++;
    s_walk(node, link, st);
    if (html_is(node, "p") && st->chars >= 25 && st->link_chars * 2 < st->chars)
        st->paragraphs++;
}

double
html_link_density(const html_stats_t *st)
{
    return st->chars ? (double) st->link_chars / (double) st->chars : 0.0;
}

/* ------------------------------------------------------------------ memo
 * Every element's stats, computed bottom-up in one walk and hung on the
 * node's _private pointer (which nothing else in marsad uses), so that the
 * content chooser and the link-list pruner, which ask for the stats of
 * nested elements again and again, pay O(1) per question.  Removing a
 * subtree later leaves its ancestors' figures stale: callers decide top
 * down, so an ancestor has been decided before its children change.
 */
struct html_stats_memo {
    xmlNodePtr root;
    html_stats_t *slots;
    size_t n, cap;
};

static size_t
s_count_elements(xmlNodePtr node)
{
    size_t n = 0;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            n += 1 + s_count_elements(c);
    return n;
}

/* fill the slot of NODE (an element) from its children's slots */
static void
s_memo_fill(html_stats_memo_t *m, xmlNodePtr node, int depth)
{
    html_stats_t *st = &m->slots[m->n++];
    *st = (html_stats_t) {0};
    bool link = html_is(node, "a");
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                st->chars += s_count(c->content, &st->commas);
        } else if (c->type == XML_ELEMENT_NODE) {
            if (depth > 4096) { /* pathological nesting: count it flat */
                html_stats_t sub;
                html_stats(c, &sub);
                st->chars += sub.chars;
                st->link_chars += sub.link_chars;
                continue;
            }
            s_memo_fill(m, c, depth + 1);
            if (s_invisible(c))
                continue;
            const html_stats_t *sub = c->_private;
            st->chars += sub->chars;
            st->link_chars += sub->link_chars;
            st->links += sub->links;
            st->commas += sub->commas;
            st->paragraphs += sub->paragraphs;
        }
    }
    if (link) {
        st->links++;
        st->link_chars = st->chars;
        st->paragraphs = 0;
    }
    if (html_is(node, "p") && st->chars >= 25 && st->link_chars * 2 < st->chars)
        st->paragraphs++;
    node->_private = st;
}

static void
s_memo_clear(xmlNodePtr node)
{
    for (xmlNodePtr c = node; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            c->_private = NULL;
            s_memo_clear(c->children);
        }
}

html_stats_memo_t *
html_stats_memo_new(xmlNodePtr root)
{
    if (!root || root->type != XML_ELEMENT_NODE)
        return NULL;
    html_stats_memo_t *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 1 + s_count_elements(root);
    m->slots = malloc(m->cap * sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    m->root = root;
    s_memo_fill(m, root, 0);
    return m;
}

void
html_stats_memo_destroy(html_stats_memo_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    html_stats_memo_t *m = *self_p;
    s_memo_clear(m->root);
    free(m->slots);
    free(m);
    *self_p = NULL;
}
