/*
 * claim_score.c — compare claim_extract's output with a labeled set (see
 * claim_score.h).  No catalog is used: speakers are compared as the text
 * span they were found in, so the figure measures the rules, not the
 * catalog.
 */
#include "claim_score.h"
#include "claim_extract.h"
#include "text.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

double
claim_score_p(size_t ok, size_t n)
{
    return n ? (double) ok / (double) n : 1.0;
}

static bool
s_same(const char *a, size_t alen, const char *b)
{
    char *fa = text_fold(a, alen), *fb = text_fold(b, strlen(b));
    bool same = fa && fb && strcmp(fa, fb) == 0;
    free(fa);
    free(fb);
    return same;
}

static const char *
s_get(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* The speaker as written: the span when there is one. */
static void
s_pred_speaker(const char *text, const proto_claim_t *c, const char **s, size_t *n)
{
    if (c->speaker_end > c->speaker_start) {
        *s = text + c->speaker_start;
        *n = (size_t) (c->speaker_end - c->speaker_start);
    }
    else {
        *s = c->speaker;
        *n = strlen(c->speaker);
    }
}

static bool
s_chain_same(const json_t *gold, const proto_claim_t *c)
{
    size_t n = json_array_size(gold);
    if (n != c->n_chain)
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *g = json_string_value(json_array_get(gold, i));
        if (!g || !s_same(c->chain[i], strlen(c->chain[i]), g))
            return false;
    }
    return true;
}

static int
s_item(const json_t *item, size_t line, claim_score_t *acc, FILE *v)
{
    const char *text = json_string_value(json_object_get(item, "text"));
    json_t *gold = json_object_get(item, "claims");
    json_t *gdecl = json_object_get(item, "declines");
    if (!text || !json_is_array(gold)) {
        fprintf(stderr, "line %zu: needs \"text\" and \"claims\"\n", line);
        return -1;
    }
    text_doc_t *doc = text_doc_new(text, strlen(text));
    claim_set_t cs;
    if (!doc || claim_extract(doc, NULL, 0, &cs)) {
        text_doc_destroy(&doc);
        fprintf(stderr, "line %zu: out of memory\n", line);
        return -1;
    }
    size_t ng = json_array_size(gold);
    bool *taken = calloc(ng + 1, 1);
    if (!taken) {
        claim_set_clear(&cs);
        text_doc_destroy(&doc);
        return -1;
    }
    acc->items++;
    acc->gold += ng;
    acc->pred += cs.n_claims;
    for (size_t i = 0; i < cs.n_claims; i++) {
        const proto_claim_t *c = &cs.claims[i];
        size_t g = ng;
        for (size_t k = 0; k < ng && g == ng; k++)
            if (!taken[k] && s_same(c->cue, strlen(c->cue), s_get(json_array_get(gold, k), "cue")))
                g = k;
        if (g == ng) {
            if (v)
                fprintf(v, "line %zu: extra claim: [%s] %s (%s): %s\n", line, c->speaker, c->cue,
                        c->stance, c->content);
            continue;
        }
        taken[g] = true;
        const json_t *gc = json_array_get(gold, g);
        acc->cue++;
        const char *sp;
        size_t spn;
        s_pred_speaker(text, c, &sp, &spn);
        bool ok_sp = s_same(sp, spn, s_get(gc, "speaker"));
        bool ok_st = !strcmp(c->stance, s_get(gc, "stance"));
        bool ok_ct = s_same(c->content, strlen(c->content), s_get(gc, "content"));
        bool ok_ch = s_chain_same(json_object_get(gc, "chain"), c);
        acc->speaker += ok_sp;
        acc->stance += ok_st;
        acc->content += ok_ct;
        acc->chain += ok_ch;
        if (v && !(ok_sp && ok_st && ok_ct && ok_ch))
            fprintf(v, "line %zu: cue %s:%s%s%s%s\n  got  speaker [%.*s] stance %s content [%s] chain %zu\n"
                    "  want speaker [%s] stance %s content [%s]\n",
                    line, c->cue, ok_sp ? "" : " speaker", ok_st ? "" : " stance",
                    ok_ct ? "" : " content", ok_ch ? "" : " chain", (int) spn, sp, c->stance,
                    c->content, c->n_chain, s_get(gc, "speaker"), s_get(gc, "stance"),
                    s_get(gc, "content"));
    }
    for (size_t k = 0; v && k < ng; k++)
        if (!taken[k])
            fprintf(v, "line %zu: missed claim: cue %s speaker [%s]\n", line,
                    s_get(json_array_get(gold, k), "cue"), s_get(json_array_get(gold, k), "speaker"));
    size_t nd = json_array_size(gdecl);
    acc->gold_declines += nd;
    acc->pred_declines += cs.n_declines;
    for (size_t i = 0; i < cs.n_declines && i < nd; i++) {
        const claim_decline_t *d = &cs.declines[i];
        const char *sp = text + d->speaker_start;
        size_t spn = d->speaker_end - d->speaker_start;
        if (s_same(sp, spn, s_get(json_array_get(gdecl, i), "speaker")))
            acc->declines++;
        else if (v)
            fprintf(v, "line %zu: decline speaker [%.*s] want [%s]\n", line, (int) spn, sp,
                    s_get(json_array_get(gdecl, i), "speaker"));
    }
    if (v && cs.n_declines != nd)
        fprintf(v, "line %zu: %zu declines, want %zu\n", line, cs.n_declines, nd);
    free(taken);
    claim_set_clear(&cs);
    text_doc_destroy(&doc);
    return 0;
}

int
claim_score_file(const char *path, size_t max_items, claim_score_t *acc, FILE *verbose)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, no = 0, done = 0;
    int rc = 0;
    ssize_t n;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0 && (!max_items || done < max_items)) {
        no++;
        if (n <= 1)
            continue;
        json_error_t err;
        json_t *item = json_loadb(line, (size_t) n, 0, &err);
        if (!item) {
            fprintf(stderr, "%s:%zu: %s\n", path, no, err.text);
            rc = -1;
            break;
        }
        rc = s_item(item, no, acc, verbose);
        json_decref(item);
        done++;
    }
    free(line);
    fclose(f);
    return rc;
}
