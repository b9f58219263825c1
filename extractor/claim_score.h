/*
 * claim_score.h — scoring claim extraction against a labeled set
 * (tests/data/claims/ar.jsonl, en.jsonl), for the `claims-eval` command and the
 * sample test in tests/test_claims.c.
 *
 * A labeled file holds one JSON object per line:
 *   {"text": "...", "claims": [{"speaker","cue","stance","content",
 *    "chain": [...]?}], "declines": [{"speaker"}]?}
 * Speakers are written as the span in the text (the innermost source, so
 * for «نقلت الصحيفة عن مسؤول قوله» the official, with "chain":["الصحيفة"]);
 * cues without the conjunction و/ف; contents without their quotes.
 * Strings are compared after text_fold (so quotes, harakat, alef forms and
 * punctuation do not count).  A predicted claim is paired with a gold claim
 * of the same cue in the same item, in order.
 */
#ifndef MARSAD_CLAIM_SCORE_H
#define MARSAD_CLAIM_SCORE_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
    size_t items;
    size_t gold, pred;                 /* claims */
    size_t cue, speaker, stance, content, chain;   /* correct among paired */
    size_t gold_declines, pred_declines, declines;
} claim_score_t;

/* Score every line of PATH into ACC (added to what it holds).  At most
 * MAX_ITEMS lines (0: all).  When VERBOSE is non-NULL, each mismatch is
 * printed there.  Returns 0, or -1 if the file cannot be read or a line is
 * not a valid item (a message on stderr). */
int claim_score_file(const char *path, size_t max_items, claim_score_t *acc, FILE *verbose);

/* precision = ok / pred, recall = ok / gold (1.0 when the denominator is 0) */
double claim_score_p(size_t ok, size_t pred);

#endif
