/*
 * html_content.c — which element(s) of a pruned page hold the article.
 *
 * DESCRIPTION
 *   1. An anchor the page declares: the element with itemprop=articleBody,
 *      else the <article> with the most non-link text.  Used when it still
 *      holds a paragraph or 140 characters after pruning.
 *   2. Otherwise text density, in the manner of the readability family:
 *      every paragraph-like element (p, pre, blockquote, td, and a div with
 *      text of its own — pages that break text with <br>) of 25+ characters
 *      scores 1 + its commas (Latin and Arabic) + one point per 100
 *      characters (at most 3); the score goes to its parent in full, its
 *      grandparent by half and the next ancestor by a third.  A container's
 *      final score is scaled by (1 - link density).  The best container is
 *      taken, with those of its siblings that score at least a fifth of it
 *      or are good paragraphs themselves (a story split across blocks).
 *   XXX Weights are first guesses; the benchmark work tunes them here.
 */
#include "html_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_MAX_CANDIDATES 4096

typedef struct {
    xmlNodePtr node;
    double score;
} s_cand_t;

typedef struct {
    s_cand_t *c;
    size_t n, cap;
} s_cands_t;

static xmlNodePtr
s_find_itemprop_body(xmlNodePtr n)
{
    for (xmlNodePtr c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *ip = html_attr_peek(c, "itemprop");
        if (ip && strcasecmp(ip, "articleBody") == 0)
            return c;
        xmlNodePtr r = s_find_itemprop_body(c->children);
        if (r)
            return r;
    }
    return NULL;
}

static void
s_best_article(xmlNodePtr n, xmlNodePtr *best, size_t *best_chars)
{
    for (xmlNodePtr c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (html_is(c, "article")) {
            html_stats_t st;
            html_stats(c, &st);
            size_t own = st.chars - st.link_chars;
            if (own > *best_chars) {
                *best = c;
                *best_chars = own;
            }
        }
        s_best_article(c->children, best, best_chars);
    }
}

xmlNodePtr
html_content_anchor(xmlDocPtr doc)
{
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root)
        return NULL;
    xmlNodePtr body = s_find_itemprop_body(root);
    if (body)
        return body;
    xmlNodePtr best = NULL;
    size_t chars = 0;
    s_best_article(root, &best, &chars);
    return best;
}

static xmlNodePtr
s_body(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root)
        return NULL;
    if (html_is(root, "body"))
        return root;
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (html_is(c, "body"))
            return c;
    return root;
}

static int
s_add_score(s_cands_t *cs, xmlNodePtr node, double add)
{
    if (!node || node->type != XML_ELEMENT_NODE || html_is(node, "html"))
        return 0;
    for (size_t i = 0; i < cs->n; i++)
        if (cs->c[i].node == node) {
            cs->c[i].score += add;
            return 0;
        }
    if (cs->n >= S_MAX_CANDIDATES)
        return 0;
    if (cs->n == cs->cap) {
        size_t nc = cs->cap ? cs->cap * 2 : 64;
        s_cand_t *nb = realloc(cs->c, nc * sizeof *nb);
        if (!nb)
            return -2;
        cs->c = nb;
        cs->cap = nc;
    }
    cs->c[cs->n++] = (s_cand_t) {node, add};
    return 0;
}

/* a div whose own text nodes (not its children's) make a paragraph */
static size_t
s_own_text(xmlNodePtr n)
{
    size_t chars = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_TEXT_NODE)
            chars += html_count_chars((const char *) c->content);
    return chars;
}

static bool
s_paragraph_like(xmlNodePtr n)
{
    if (html_is(n, "p") || html_is(n, "pre") || html_is(n, "blockquote") || html_is(n, "td"))
        return true;
    return html_is(n, "div") && s_own_text(n) >= 25;
}

static int
s_score(s_cands_t *cs, xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (s_paragraph_like(c)) {
            html_stats_t st;
            html_stats(c, &st);
            size_t chars = html_is(c, "div") ? s_own_text(c) : st.chars;
            if (chars >= 25) {
                double sc = 1.0 + (double) st.commas;
                double per100 = (double) chars / 100.0;
                sc += per100 > 3.0 ? 3.0 : per100;
                if (html_is(c, "div") && s_add_score(cs, c, sc) < 0)
                    return -2;
                if (s_add_score(cs, c->parent, sc) < 0)
                    return -2;
                if (c->parent && s_add_score(cs, c->parent->parent, sc / 2.0) < 0)
                    return -2;
                if (c->parent && c->parent->parent
                    && s_add_score(cs, c->parent->parent->parent, sc / 3.0) < 0)
                    return -2;
            }
        }
        if (s_score(cs, c) < 0)
            return -2;
    }
    return 0;
}

static double
s_lookup(const s_cands_t *cs, xmlNodePtr n)
{
    for (size_t i = 0; i < cs->n; i++)
        if (cs->c[i].node == n)
            return cs->c[i].score;
    return 0.0;
}

static bool
s_good_paragraph(xmlNodePtr n)
{
    if (!html_is(n, "p"))
        return false;
    html_stats_t st;
    html_stats(n, &st);
    double ld = html_link_density(&st);
    if (st.chars >= 80 && ld < 0.25)
        return true;
    if (st.chars > 0 && ld == 0.0 && n->children) {
        xmlChar *t = xmlNodeGetContent(n);
        bool sentence = t && (strstr((char *) t, ". ") || strstr((char *) t, "\xd8\x8c"));
        xmlFree(t);
        return sentence;
    }
    return false;
}

size_t
html_content_select(xmlDocPtr doc, xmlNodePtr anchor, xmlNodePtr *nodes, size_t max)
{
    if (!doc || max == 0)
        return 0;
    if (anchor) {
        html_stats_t st;
        html_stats(anchor, &st);
        if (st.paragraphs >= 1 || st.chars - st.link_chars >= 140) {
            nodes[0] = anchor;
            return 1;
        }
    }
    xmlNodePtr body = s_body(doc);
    if (!body)
        return 0;

    s_cands_t cs = {0};
    if (s_score(&cs, body) < 0) {
        free(cs.c);
        return 0;
    }
    xmlNodePtr top = NULL;
    double top_score = 0.0;
    for (size_t i = 0; i < cs.n; i++) {
        html_stats_t st;
        html_stats(cs.c[i].node, &st);
        cs.c[i].score *= 1.0 - html_link_density(&st);
        if (cs.c[i].score > top_score) {
            top_score = cs.c[i].score;
            top = cs.c[i].node;
        }
    }
    size_t n = 0;
    if (!top) {
        /* nothing paragraph-like: a short page; take what is left */
        html_stats_t st;
        html_stats(body, &st);
        if (st.chars > 0)
            nodes[n++] = body;
        free(cs.c);
        return n;
    }
    if (top == body || !top->parent) {
        nodes[n++] = top;
        free(cs.c);
        return n;
    }
    double threshold = top_score * 0.2 > 10.0 ? top_score * 0.2 : 10.0;
    for (xmlNodePtr s = top->parent->children; s && n < max; s = s->next) {
        if (s->type != XML_ELEMENT_NODE)
            continue;
        if (s == top || s_lookup(&cs, s) >= threshold || s_good_paragraph(s))
            nodes[n++] = s;
    }
    free(cs.c);
    return n;
}
