/*
 * article_extract.c — the extractor's whole job for one document (see
 * article_extract.h).  The feed's own title, date and language fill what the
 * page does not say; the content hash is taken over the folded text so that
 * the same report with other quote marks or harakat hashes the same.  The
 * article carries the store's index of its text (text_index.h), computed
 * from the tokens the entities and claims are found in.
 */
#include "article_extract.h"
#include "claim_extract.h"
#include "entity_mentions.h"
#include "html_extract.h"
#include "sha256.h"
#include "text.h"
#include "text_index.h"

#include <stdlib.h>
#include <string.h>

static char *s_dup_or(const char *a, const char *b)
{
    const char *s = a && *a ? a : b;
    return s ? strdup(s) : NULL;
}

int article_extract(const proto_raw_t *raw, const entity_catalog_t *cat, proto_article_t *out,
                    char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    html_article_t h;
    int rc = html_extract(raw->body, raw->body_len, raw->url, raw->charset, &h);
    if (rc != 0) {
        *err = strdup(rc == -2 ? "out of memory" : "no article text in the document");
        return -1;
    }
    out->id = strdup(raw->id);
    out->source = strdup(raw->source);
    out->url = strdup(raw->url);
    out->canonical_url = h.canonical_url ? strdup(h.canonical_url) : NULL;
    out->author = h.author ? strdup(h.author) : NULL;
    out->site_name = h.site_name ? strdup(h.site_name) : NULL;
    out->title = s_dup_or(h.title, raw->title ? raw->title : "");
    out->text = strdup(h.text);
    out->lang = s_dup_or(h.lang && strcmp(h.lang, "und") != 0 ? h.lang : NULL,
                         raw->lang ? raw->lang : "und");
    out->published_at = s_dup_or(h.published_at, raw->published_at);
    out->fetched_at = strdup(raw->fetched_at);
    html_article_clear(&h);
    if (!out->id || !out->source || !out->url || !out->title || !out->text || !out->lang
        || !out->fetched_at)
        goto nomem;

    size_t len = strlen(out->text);
    char *folded = text_fold(out->text, len);
    if (!folded)
        goto nomem;
    char hex[65];
    sha256_hex(folded, strlen(folded), hex);
    free(folded);
    out->content_hash = strdup(hex);
    if (!out->content_hash)
        goto nomem;

    text_doc_t *doc = text_doc_new(out->text, len);
    if (!doc)
        goto nomem;
    /* The store's index forms and signatures, from the tokens at hand
     * (text_index.h): the store would otherwise tokenize the text again. */
    text_doc_t *tdoc = text_doc_words(out->title, strlen(out->title));
    text_index_t idx;
    int irc = tdoc ? text_index_compute(tdoc, doc, &idx) : -1;
    text_doc_destroy(&tdoc);
    if (irc == 0) {
        irc = text_index_encode(&idx, &out->index, &out->index_len);
        text_index_clear(&idx);
    }
    if (irc != 0) {
        text_doc_destroy(&doc);
        goto nomem;
    }
    if (cat) {
        proto_mention_t *m = NULL;
        size_t n = entity_mentions_find(cat, doc, &m);
        if (n == (size_t) -1) {
            text_doc_destroy(&doc);
            goto nomem;
        }
        out->mentions = m;
        out->n_mentions = n;
    }
    /* Claims after entities: speakers and contents refer to the mentions. */
    claim_set_t cs;
    int crc = claim_extract(doc, out->mentions, out->n_mentions, &cs);
    /* Discoveries ("new:" ids) after claims: a speaker is never a guess. */
    size_t nd = crc ? 0 : entity_mentions_discover(doc, &out->mentions, out->n_mentions);
    text_doc_destroy(&doc);
    if (crc)
        goto nomem;
    if (nd == (size_t) -1) {
        claim_set_clear(&cs);
        goto nomem;
    }
    out->n_mentions = nd;
    claim_set_move_claims(&cs, &out->claims, &out->n_claims);
    return 0;
nomem:
    proto_article_clear(out);
    *err = strdup("out of memory");
    return -1;
}
