/*
 * store_forms.c — the indexed text of an article (see store_forms.h).
 *
 * Forms are written as they are; FTS5's unicode61 tokenizer then splits a
 * form such as "ak-74" into "ak" "74".  A query term goes through the same
 * tokenizer (it is written as a quoted FTS string), so it becomes the same
 * token sequence and still finds it.
 */
#include "store_forms.h"

#include <stdlib.h>
#include <string.h>

char *store_forms_of_doc(const text_doc_t *doc)
{
    size_t cap = 1;
    size_t n = text_doc_ntokens(doc);
    for (size_t i = 0; i < n; i++) {
        const text_token_t *t = text_doc_token(doc, i);
        for (size_t f = 0; f < t->n_forms; f++)
            cap += strlen(t->forms[f]) + 1;
    }
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const text_token_t *t = text_doc_token(doc, i);
        if (!t->is_word)
            continue;
        for (size_t f = 0; f < t->n_forms; f++) {
            size_t k = strlen(t->forms[f]);
            if (k == 0)
                continue;
            if (len)
                out[len++] = ' ';
            memcpy(out + len, t->forms[f], k);
            len += k;
        }
    }
    out[len] = '\0';
    return out;
}

char *store_forms(const char *text, size_t len)
{
    text_doc_t *doc = text_doc_new(text ? text : "", text ? len : 0);
    if (!doc)
        return NULL;
    char *out = store_forms_of_doc(doc);
    text_doc_destroy(&doc);
    return out;
}
