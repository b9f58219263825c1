/*
 * extract_trace.c — NAME extract-trace: a study aid for extraction
 * failures.  Prints the element chain (tag#id.class[role]) above every text
 * node of a page that contains a given snippet, so one sees which
 * container holds the article and which pruning rule may have eaten it.
 *
 * SYNOPSIS
 *   extract-trace FILE.html[.gz] SNIPPET
 *
 * The page is decoded and parsed as html_extract() does (html_to_utf8,
 * html_strip_raw, libxml2 in recover mode), but not pruned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>
#include <zlib.h>

#include "html_extract.h"
#include "html_internal.h"

static void
s_chain(xmlNodePtr n)
{
    xmlNodePtr chain[256];
    size_t k = 0;
    for (xmlNodePtr p = n->parent; p && p->type == XML_ELEMENT_NODE && k < 256; p = p->parent)
        chain[k++] = p;
    while (k--) {
        xmlNodePtr e = chain[k];
        char *id = html_attr(e, "id"), *cls = html_attr(e, "class"), *role = html_attr(e, "role");
        html_stats_t st;
        html_stats(e, &st);
        printf("  %s%s%s%s%s%s%s%s  [chars %zu link %zu paras %zu]\n", e->name, id ? "#" : "",
               id ? id : "", cls ? "." : "", cls ? cls : "", role ? " role=" : "",
               role ? role : "", "", st.chars, st.link_chars, st.paragraphs);
        xmlFree(id);
        xmlFree(cls);
        xmlFree(role);
    }
}

static void
s_find(xmlNodePtr n, const char *snippet, int *hits)
{
    for (xmlNodePtr c = n; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content
            && strstr((const char *) c->content, snippet)) {
            printf("hit %d:\n", ++*hits);
            s_chain(c);
        }
        if (c->type == XML_ELEMENT_NODE)
            s_find(c->children, snippet, hits);
    }
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: extract-trace FILE.html[.gz] SNIPPET\n");
        return 1;
    }
    gzFile f = gzopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "extract-trace: cannot open %s\n", argv[1]);
        return 1;
    }
    size_t len = 0, cap = 1 << 20;
    char *buf = malloc(cap);
    int r;
    while (buf && (r = gzread(f, buf + len, (unsigned) (cap - len))) > 0) {
        len += (size_t) r;
        if (len == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    gzclose(f);
    if (!buf)
        return 1;
    size_t ulen = 0;
    char *utf8 = html_to_utf8(buf, len, NULL, &ulen);
    free(buf);
    if (!utf8)
        return 1;
    ulen = html_strip_raw(utf8, ulen);
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(utf8, (int) ulen);
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR
                                 | HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS
                                 | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    xmlDocPtr doc = ctxt->myDoc;
    htmlFreeParserCtxt(ctxt);
    int hits = 0;
    if (doc)
        s_find(xmlDocGetRootElement(doc), argv[2], &hits);
    printf("%d hit(s)\n", hits);
    xmlFreeDoc(doc);
    free(utf8);
    return 0;
}
