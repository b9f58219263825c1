/*
 * html_prune.c — remove the boilerplate of a news page from the DOM before
 * the main text is chosen: scripts and styles, navigation, headers and
 * footers, asides, forms, embeds, hidden elements, and every element whose
 * id / class / role names a menu, share bar, "most read" or "related" list,
 * comment box, cookie banner, newsletter form, widget or advert.
 *
 * DESCRIPTION
 *   The class/id vocabulary is a table (s_patterns) so that it can grow as
 *   the benchmark shows misses.  "Strong" patterns always remove; "weak"
 *   ones (sidebar, widget, footer...) spare an element that holds most of
 *   the page's paragraphs — a wrapper named "content-with-sidebar" is not
 *   boilerplate.  The article anchor (itemprop=articleBody or <article>)
 *   and its ancestors are never removed.  Link-heavy lists and blocks
 *   ("related news" headlines that name other people — false alerts if
 *   kept) go in html_prune_link_lists, with the heading that introduced them.
 */
#include "html_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* elements that never hold article text */
static const char *const s_drop_tags[] = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "object", "embed", "canvas", "select", "input", "textarea",
    "label", "dialog", "menu", "figure", "figcaption", "video", "audio", "map", "link",
    "meta", NULL,
};

typedef struct {
    const char *text;
    bool whole_word; /* must be a whole word of the class/id (split on -_ space) */
    bool strong;     /* remove even if the element holds most of the paragraphs */
} s_pattern_t;

/* names that mean boilerplate even on an element holding most of the
 * page's text: a long comment thread can outweigh the article */
static const char *const s_always[] = {"comment", "disqus", "cookie", "consent", "gdpr", NULL};

static const s_pattern_t s_patterns[] = {
    {"comment", false, true},     {"disqus", false, true},      {"cookie", false, true},
    {"consent", false, true},     {"gdpr", false, true},        {"newsletter", false, true},
    {"subscri", false, true},     {"signup", false, true},      {"share", false, true},
    {"sharing", false, true},     {"social", false, true},      {"breadcrumb", false, true},
    {"related", false, true},     {"popular", false, true},     {"mostread", false, true},
    {"most-read", false, true},   {"most_read", false, true},   {"mostviewed", false, true},
    {"most-viewed", false, true}, {"trending", false, true},    {"read-more", false, true},
    {"readmore", false, true},    {"more-on", false, true},     {"outbrain", false, true},
    {"taboola", false, true},     {"advert", false, true},      {"sponsor", false, true},
    {"ad", true, true},           {"ads", true, true},          {"adv", true, true},
    {"tags", true, true},         {"tag", true, true},          {"byline", true, true},
    {"author-bio", false, true},  {"authorbio", false, true},   {"author_bio", false, true},
    {"about-author", false, true}, {"copyright", false, true},  {"skip-link", false, true},
    {"print-only", false, true},  {"modal", true, true},        {"popup", false, true},
    {"nav", true, true},          {"navbar", false, true},      {"navigation", false, true},
    {"menu", false, false},       {"footer", false, false},     {"sidebar", false, false},
    {"widget", false, false},     {"banner", false, false},     {"promo", false, false},
    {"masthead", false, false},   {"toolbar", false, false},    {"rail", true, false},
    /* pictures and what goes with them: the benchmark's truth, like a
     * reader, leaves captions and photo credits out */
    {"gallery", false, true},     {"caption", false, true},     {"credit", true, true},
    {"credits", true, true},      {"slideshow", false, true},   {"carousel", false, true},
    {"lightbox", false, true},    {"overlay", false, true},
    /* text meant for screen readers or hidden by a class */
    {"hidden", true, true},       {"sr-only", false, true},     {"visually-hidden", false, true},
    {"screen-reader", false, true},
    /* the article's small print: dates, bylines, meta lines */
    {"meta", true, true},         {"timestamp", false, true},   {"dateline", false, true},
    {"info", true, true},         {"author", true, true},       {"writer", true, true},
    {NULL, false, false},
};

/* the page's own names for its article body override a weak pattern */
static const char *const s_positive[] = {
    "articlebody", "article-body", "article_body", "story-body", "storybody", "entry-content",
    "post-content", "article-content", "article-text", "story-content", "main-content",
    "maincontent", "article__body", "article__content", NULL,
};

static const char *const s_drop_roles[] = {
    "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
    "dialog", "alertdialog", "toolbar", "form", NULL,
};

static bool
s_in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == s[0] && strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* lowercase copy of the id and class values, space-separated, into BUF;
 * false when the element has neither */
static bool
s_names(xmlNodePtr n, char *buf, size_t bufsz)
{
    const char *id = html_attr_peek(n, "id"), *cls = html_attr_peek(n, "class");
    if ((!id || !*id) && (!cls || !*cls))
        return false;
    size_t k = 0;
    for (const char *p = id; p && *p && k + 2 < bufsz; p++)
        buf[k++] = (char) tolower((unsigned char) *p);
    buf[k++] = ' ';
    for (const char *p = cls; p && *p && k + 1 < bufsz; p++)
        buf[k++] = (char) tolower((unsigned char) *p);
    buf[k] = '\0';
    return true;
}

static bool
s_word_in(const char *names, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = names; (p = strstr(p, word)) != NULL; p++) {
        bool left = p == names || !isalnum((unsigned char) p[-1]);
        bool right = !isalnum((unsigned char) p[wl]);
        if (left && right)
            return true;
    }
    return false;
}

/* 0 no match, 1 weak, 2 strong, 3 always */
static int
s_pattern_match(const char *names)
{
    for (size_t i = 0; s_always[i]; i++)
        if (strstr(names, s_always[i]))
            return 3;
    int best = 0;
    for (size_t i = 0; s_patterns[i].text; i++) {
        const s_pattern_t *p = &s_patterns[i];
        bool hit = p->whole_word ? s_word_in(names, p->text) : strstr(names, p->text) != NULL;
        if (hit) {
            if (p->strong)
                return 2;
            best = 1;
        }
    }
    return best;
}

static bool
s_positive_match(const char *names)
{
    for (size_t i = 0; s_positive[i]; i++)
        if (strstr(names, s_positive[i]))
            return true;
    return false;
}

static bool
s_hidden(xmlNodePtr n)
{
    if (!n->properties)
        return false;
    if (html_attr_peek(n, "hidden"))
        return true;
    const char *aria = html_attr_peek(n, "aria-hidden");
    if (aria && strcasecmp(aria, "true") == 0)
        return true;
    const char *style = html_attr_peek(n, "style");
    if (!style)
        return false;
    /* compare without spaces: "display : none" */
    char buf[256];
    size_t k = 0;
    for (const char *r = style; *r && k + 1 < sizeof buf; r++)
        if (!isspace((unsigned char) *r))
            buf[k++] = (char) tolower((unsigned char) *r);
    buf[k] = '\0';
    return strstr(buf, "display:none") || strstr(buf, "visibility:hidden");
}

static bool
s_is_protected(xmlNodePtr n, xmlNodePtr protect)
{
    if (html_is(n, "html") || html_is(n, "body") || html_is(n, "main"))
        return true;
    for (xmlNodePtr p = protect; p; p = p->parent)
        if (p == n)
            return true;
    const char *ip = html_attr_peek(n, "itemprop");
    return ip && strcasecmp(ip, "articleBody") == 0;
}

static bool
s_inside(xmlNodePtr n, xmlNodePtr ancestor)
{
    for (xmlNodePtr p = n ? n->parent : NULL; p && ancestor; p = p->parent)
        if (p == ancestor)
            return true;
    return false;
}

/* should N go?  BODY_PARAS is the page's paragraph count, for the weak guard */
typedef struct {
    xmlNodePtr protect;
    size_t body_paras; /* paragraphs of the whole page */
    size_t body_text;  /* non-link characters of the whole page */
    bool relaxed;      /* second attempt: class/id names are not trusted */
} s_ctx_t;

/* an element that holds most of the page's text and paragraphs is the
 * page's wrapper whatever its name says ("widget Blog", "modal-enabled") */
static bool
s_wrapper(xmlNodePtr n, const s_ctx_t *cx)
{
    html_stats_t st;
    html_stats(n, &st);
    size_t own = st.chars - st.link_chars;
    if (cx->body_paras >= 2 && st.paragraphs * 2 > cx->body_paras)
        return true;
    return cx->body_text >= 200 && own * 2 > cx->body_text;
}

static bool
s_is_boilerplate(xmlNodePtr n, const s_ctx_t *cx)
{
    xmlNodePtr protect = cx->protect;
    const char *tag = (const char *) n->name;
    if (s_in_list(s_drop_tags, tag)) {
        /* the article's own header holds its headline: keep it (html_text
         * takes only headings from a header) */
        if (html_is(n, "header") && protect && s_inside(n, protect))
            return false;
        /* ASP.NET pages wrap the whole body in one <form> */
        if (html_is(n, "form")) {
            html_stats_t st;
            html_stats(n, &st);
            if (st.paragraphs >= 3)
                return false;
        }
        return true;
    }
    if (s_hidden(n))
        return true;
    const char *role = html_attr_peek(n, "role");
    if (role && s_in_list(s_drop_roles, role))
        return true;

    char names[512];
    if (cx->relaxed || !s_names(n, names, sizeof names))
        return false;
    int m = s_pattern_match(names);
    if (m == 3)
        return true;
    if (m == 2)
        return !s_wrapper(n, cx);
    if (m == 1 && !s_positive_match(names))
        return !s_wrapper(n, cx);
    return false;
}

static void
s_prune(xmlNodePtr node, const s_ctx_t *cx)
{
    xmlNodePtr c = node->children;
    while (c) {
        xmlNodePtr next = c->next;
        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            if (!s_is_protected(c, cx->protect) && s_is_boilerplate(c, cx)) {
                xmlUnlinkNode(c);
                xmlFreeNode(c);
            } else {
                s_prune(c, cx);
            }
        }
        c = next;
    }
}

void
html_prune(xmlNodePtr root, xmlNodePtr protect, bool relaxed)
{
    if (!root)
        return;
    html_stats_t st;
    html_stats(root, &st);
    s_ctx_t cx = {protect, st.paragraphs, st.chars - st.link_chars, relaxed};
    s_prune(root, &cx);
}

static bool
s_heading(xmlNodePtr n)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && tolower(n->name[0]) == 'h'
           && n->name[1] >= '1' && n->name[1] <= '6' && n->name[2] == '\0';
}

static xmlNodePtr
s_prev_element(xmlNodePtr n)
{
    for (xmlNodePtr p = n->prev; p; p = p->prev) {
        if (p->type == XML_ELEMENT_NODE)
            return p;
        if (p->type == XML_TEXT_NODE && html_count_chars((const char *) p->content) > 0)
            return NULL;
    }
    return NULL;
}

static bool
s_list_like(xmlNodePtr n)
{
    static const char *const tags[] = {"ul", "ol", "dl", "table", "div", "section", "p",
                                       "span", "li", "article", NULL};
    return n->type == XML_ELEMENT_NODE && s_in_list(tags, (const char *) n->name);
}

static void
s_prune_links(xmlNodePtr node)
{
    xmlNodePtr c = node->children;
    while (c) {
        xmlNodePtr next = c->next;
        if (c->type == XML_ELEMENT_NODE && !html_is(c, "body") && !html_is(c, "main")) {
            bool drop = false;
            if (s_list_like(c)) {
                html_stats_t st;
                html_stats(c, &st);
                double ld = html_link_density(&st);
                bool list = html_is(c, "ul") || html_is(c, "ol") || html_is(c, "dl");
                if (st.chars > 0 && ld > 0.5 && st.paragraphs < 2
                    && (st.links >= 3 || (list && st.links >= 2)))
                    drop = true;
                /* a block that is mostly one link: "Read more: ...", a rich link */
                if (!drop && st.chars > 0 && ld > 0.5 && st.paragraphs == 0 && st.links >= 1)
                    drop = true;
            }
            if (drop) {
                xmlNodePtr h = s_prev_element(c);
                if (s_heading(h)) {
                    xmlUnlinkNode(h);
                    xmlFreeNode(h);
                }
                xmlUnlinkNode(c);
                xmlFreeNode(c);
            } else {
                s_prune_links(c);
            }
        }
        c = next;
    }
}

void
html_prune_link_lists(xmlNodePtr root)
{
    if (root)
        s_prune_links(root);
}
