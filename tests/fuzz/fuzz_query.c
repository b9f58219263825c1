/*
 * fuzz_query.c — libFuzzer target for the watch language's parser
 * (alerter/query_parse.c): any text a user may put in a watch file.  A query
 * that parses has its terms and entities listed and is evaluated against a
 * small Arabic and English article; one that does not has an error with a
 * position inside the text.  Seed corpus: tests/fuzz/corpus_query/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static text_doc_t *s_title, *s_text;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!s_title) {
        static const char title[] = "Viktor Bout and the Houthis: صفقة أسلحة";
        static const char text[] = "قال مسؤول إن تاجر الأسلحة فيكتور بوت باع للحوثيين بنادق "
                                   "AK-47. Moscow denied the report, calling it \"baseless\".";
        s_title = text_doc_new(title, sizeof title - 1);
        s_text = text_doc_new(text, sizeof text - 1);
        if (!s_title || !s_text)
            abort();
    }
    char *src = malloc(size + 1);
    if (!src)
        abort();
    memcpy(src, data, size);
    src[size] = '\0';
    query_error_t err;
    memset(&err, 0, sizeof err);
    query_t *q = query_parse(src, &err);
    if (q) {
        const char **list = NULL;
        size_t n = query_entities(q, &list);   /* Q's own array */
        for (size_t i = 0; i < n; i++)
            if (!list[i] || !list[i][0])
                abort();
        list = NULL;
        query_terms(q, &list);                 /* a malloc'd array */
        free(list);
        query_input_t in = { .title = s_title, .text = s_text, .source = "demo", .lang = "ar" };
        query_hit_t *hits = NULL;
        size_t n_hits = 0;
        (void) query_eval(q, &in, &hits, &n_hits);
        free(hits);
        query_destroy(&q);
    }
    else if (err.line < 1 || err.col < 1 || !err.message[0])
        abort();   /* an error always says where and what */
    free(src);
    return 0;
}
