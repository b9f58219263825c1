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

#include <strings.h>

bool
html_is(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->name
           && strcasecmp((const char *) node->name, name) == 0;
}

char *
html_attr(xmlNodePtr node, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE)
        return NULL;
    return (char *) xmlGetProp(node, (const xmlChar *) name);
}

/* count code points that are not white space; commas on the side */
static size_t
s_count(const unsigned char *s, size_t *commas)
{
    size_t n = 0;
    for (; *s; s++) {
        unsigned char c = *s;
        if ((c & 0xC0) == 0x80)
            continue; /* continuation byte */
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            continue;
        /* U+00A0 no-break space: C2 A0 */
        if (c == 0xC2 && s[1] == 0xA0)
            continue;
        if (commas) {
            if (c == ',')
                (*commas)++;
            else if (c == 0xD8 && s[1] == 0x8C) /* U+060C Arabic comma */
                (*commas)++;
        }
        n++;
    }
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
