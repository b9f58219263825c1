/*
 * shingle_score.h — the metric of the Zyte article-extraction benchmark
 * (its evaluate.py), so that marsad is scored exactly as the published
 * results are.
 *
 * A text is cut into tokens the way Python's re.findall(r'\w+') does: a
 * token is a run of letters (Unicode categories L*), characters with a
 * numeric value (N*, and others with a Numeric_Type) and '_'.  Combining
 * marks are NOT word characters there, so harakat split a word; case is
 * kept.  Shingles are the runs of 4 consecutive tokens (a text of 1-3
 * tokens is one shorter shingle; no tokens, no shingle).  Per page, true
 * positives / false positives / false negatives are counted over the
 * multisets of shingles and normalised to sum to 1; precision and recall
 * are averaged over pages (precision only over pages that predicted
 * something, recall only over pages whose truth has text) and F1 is taken
 * from the two averages.
 */
#ifndef MARSAD_SHINGLE_SCORE_H
#define MARSAD_SHINGLE_SCORE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    double tp, fp, fn; /* normalised: tp + fp + fn == 1, or all 0 */
    bool exact;        /* same token sequence (the benchmark's "accuracy") */
} shingle_counts_t;

/* Score one page: PRED (extracted text) against TRUTH, both UTF-8 and
 * NUL-terminated (NULL counts as "").  Returns 0, or -2 on no memory. */
int shingle_score(const char *truth, const char *pred, shingle_counts_t *out);

/* Per-page precision and recall as evaluate.py defines them. */
double shingle_precision(const shingle_counts_t *c);
double shingle_recall(const shingle_counts_t *c);

/* The running averages over pages. */
typedef struct {
    double sum_p, sum_r, sum_exact;
    size_t n_p, n_r, n;
} shingle_tally_t;

void shingle_tally_add(shingle_tally_t *t, const shingle_counts_t *c);
/* Averages so far; F1 = 2PR/(P+R) (0 when both are 0). */
void shingle_tally_result(const shingle_tally_t *t, double *precision, double *recall,
                          double *f1, double *accuracy);

/* The tokens of TEXT as evaluate.py sees them, for tests and diagnostics:
 * the number of \w+ tokens. */
size_t shingle_count_tokens(const char *text);

#endif
