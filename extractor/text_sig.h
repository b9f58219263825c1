/*
 * text_sig.h — the signatures the store compares articles by, to find
 * near-duplicates and articles about the same event (store_story.h).
 *
 * - simhash: 64 bits over the article's word 3-shingles (folded keys).  A
 *   copy with a changed sentence or a new byline differs in a few bits; a
 *   Hamming distance <= TEXT_SIG_NEAR_BITS is a near-duplicate.
 * - minhash: TEXT_MINHASH_K minimum hashes over the set of content words
 *   (the most reduced form of each token, 3 letters or more, not a
 *   function word such as "said" or قال), estimating
 *   the Jaccard similarity of the two word sets: it survives reordered
 *   paragraphs and added background, which a retelling has.
 * - title: the sorted distinct hashes of the title's words, to compare
 *   headlines exactly.
 * Each also gives LSH bands (text_sig_bands) so candidates are found by
 * index lookups, not by scanning.
 */
#ifndef MARSAD_TEXT_SIG_H
#define MARSAD_TEXT_SIG_H

#include <stddef.h>
#include <stdint.h>
#include "text.h"

#define TEXT_MINHASH_K 32
#define TEXT_TITLE_WORDS 32
#define TEXT_SIG_NEAR_BITS 3
#define TEXT_SIG_NBANDS 14          /* 4 simhash bands of 16 bits + 10 minhash triples */

typedef struct {
    uint64_t simhash;
    uint32_t minhash[TEXT_MINHASH_K];
    uint32_t title[TEXT_TITLE_WORDS];   /* sorted, distinct */
    size_t n_title;
    size_t n_words;                      /* content words seen (0: minhash meaningless) */
} text_sig_t;

/* Signatures of TITLE and TEXT docs (either may be NULL).  Never fails. */
void text_sig_compute(const text_doc_t *title, const text_doc_t *text, text_sig_t *out);

/* The LSH band keys of SIG (TEXT_SIG_NBANDS values, each tagged with its
 * band number in the top bits so bands never collide with each other; 0
 * for one left out): the 10 minhash bands for a text with content words,
 * else the 4 simhash bands (a simhash quarter of 0 is left out). */
void text_sig_bands(const text_sig_t *sig, int64_t bands[TEXT_SIG_NBANDS]);

int text_sig_hamming(uint64_t a, uint64_t b);
/* Estimated Jaccard similarity of the word sets, 0..1. */
double text_sig_minhash_similarity(const uint32_t *a, const uint32_t *b);
/* Jaccard similarity of two sorted hash sets, 0..1 (0 if either is empty). */
double text_sig_set_similarity(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

#endif
