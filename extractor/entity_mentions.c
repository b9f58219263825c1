/*
 * entity_mentions.c — the extractor's entity step for one article (see
 * entity_mentions.h): catalog first, so resolution and discovery see what
 * the catalog already claimed and never overlap it.
 */
#include <stdlib.h>
#include "entity_discover.h"
#include "entity_mentions.h"
#include "entity_resolve.h"

static void
s_free(proto_mention_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].entity);
        free(m[i].type);
        free(m[i].surface);
    }
    free(m);
}

size_t
entity_mentions_find(const entity_catalog_t *cat, const text_doc_t *doc, proto_mention_t **out)
{
    *out = NULL;
    if (!cat)
        return 0;
    proto_mention_t *m = NULL;
    /* The scan leaves each form's hash for resolution (NULL: it scans). */
    size_t ntok = text_doc_ntokens(doc);
    uint32_t *fh = malloc((ntok ? ntok : 1) * TEXT_MAX_FORMS * sizeof(*fh));
    size_t n = entity_catalog_scan_hashes(cat, doc, &m, fh);
    if (n == (size_t) -1) {
        free(fh);
        return n;
    }
    size_t r = entity_resolve_hashes(cat, doc, &m, n, fh);
    free(fh);
    if (r == (size_t) -1) {
        s_free(m, n);
        return r;
    }
    *out = m;
    return r;
}

size_t
entity_mentions_discover(const text_doc_t *doc, proto_mention_t **m, size_t n)
{
    return entity_discover_mentions(doc, m, n, ENTITY_DISCOVER_MIN_CONFIDENCE);
}
