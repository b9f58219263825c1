/*
 * text_forms.c — the indexed text of an article (see text_forms.h).
 *
 * Each distinct form is written once, in the order of its first token:
 * the index keeps only which articles hold a term (detail=none), so a
 * second copy would cost tokenizing and nothing else.  Forms are written
 * as they are; the index's tokenizer splits at spaces and ASCII control
 * bytes only (store_db.c), so a form such as "ak-74" is one term, and a
 * query term, written as a quoted FTS string, becomes that same term.
 */
#include "text_forms.h"
#include "fnv1a.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t s_hash(const char *s, size_t n)
{
    uint64_t h = fnv1a(FNV1A_BASIS, s, n);
    return h ^ (h >> 29);
}

char *text_forms_of_doc(const text_doc_t *doc)
{
    size_t cap = 1, nforms = 0;
    size_t n = text_doc_ntokens(doc);
    for (size_t i = 0; i < n; i++) {
        const text_token_t *t = text_doc_token(doc, i);
        if (!t->is_word)
            continue;
        for (size_t f = 0; f < t->n_forms; f++)
            cap += strlen(t->forms[f]) + 1;
        nforms += t->n_forms;
    }
    /* An open-addressing set of the forms written so far: each slot is the
     * offset + 1 of a form in OUT (0 = empty), at most half full. */
    size_t slots = 16;
    while (slots < 2 * nforms)
        slots *= 2;
    char *out = malloc(cap);
    uint32_t *set = calloc(slots, sizeof *set);
    if (!out || !set || cap > UINT32_MAX) {
        free(out);
        free(set);
        return NULL;
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const text_token_t *t = text_doc_token(doc, i);
        if (!t->is_word)
            continue;
        for (size_t f = 0; f < t->n_forms; f++) {
            const char *form = t->forms[f];
            size_t k = strlen(form);
            if (k == 0)
                continue;
            size_t s = (size_t) s_hash(form, k) & (slots - 1);
            bool seen = false;
            for (; set[s]; s = (s + 1) & (slots - 1)) {
                const char *old = out + set[s] - 1;
                if (strncmp(old, form, k) == 0 && (old[k] == ' ' || old[k] == '\0')) {
                    seen = true;
                    break;
                }
            }
            if (seen)
                continue;
            if (len)
                out[len++] = ' ';
            set[s] = (uint32_t) len + 1;
            memcpy(out + len, form, k);
            len += k;
            out[len] = '\0';
        }
    }
    out[len] = '\0';
    free(set);
    return out;
}

char *text_forms(const char *text, size_t len)
{
    text_doc_t *doc = text_doc_words(text ? text : "", text ? len : 0);
    if (!doc)
        return NULL;
    char *out = text_forms_of_doc(doc);
    text_doc_destroy(&doc);
    return out;
}
