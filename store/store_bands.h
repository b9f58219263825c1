/*
 * store_bands.h — the LSH band index of the latest articles, in memory:
 * which of them share a band (text_sig_bands) with a new article, the
 * newest first.  It is how the story decision (store_story.c) finds its
 * near-duplicate candidates.
 *
 * Why memory and not a table: an article's bands are random keys, so
 * filing them in a b-tree dirtied a random page per band — at 100k stored
 * articles most of the pages a commit wrote, and then wrote again at the
 * checkpoint, and more so as the store grew.  The index covers the last
 * WINDOW articles by seq (older ones fall out as new ones come) and is
 * rebuilt from their stored signatures when the store opens.
 */
#ifndef MARSAD_STORE_BANDS_H
#define MARSAD_STORE_BANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "text_sig.h"

typedef struct store_bands store_bands_t;

/* An index of the last WINDOW articles (a power of two, 2 .. 2^28).  NULL
 * if memory is short. */
store_bands_t *store_bands_new(size_t window);
void store_bands_destroy(store_bands_t **self_p);

/* What the index keeps of an article beside its bands: enough for the
 * story decision to pass over a candidate that cannot match (another
 * week's article, not a near-duplicate) without reading its row. */
typedef struct {
    bool has_simhash;             /* false: signatures of an older version, unknown */
    uint64_t simhash;
    int64_t when;                 /* event time, Unix seconds; 0: unknown */
} store_bands_info_t;

/* File article SEQ under its BANDS (0 for a band left out; at most 10
 * are not 0), with INFO (NULL: nothing known).  SEQ must be above every
 * seq added before (or forgotten). */
void store_bands_add(store_bands_t *self, int64_t seq, const int64_t bands[TEXT_SIG_NBANDS],
                     const store_bands_info_t *info);

/* What was filed with article SEQ into *INFO.  False if SEQ is not in the
 * index (never added, forgotten, or out of the window). */
bool store_bands_info(const store_bands_t *self, int64_t seq, store_bands_info_t *info);

/* The articles sharing a band of BANDS: band by band, the newest PER_BAND
 * of each, appended to OUT (holding *N seqs, at most MAX) unless already
 * there. */
void store_bands_lookup(const store_bands_t *self, const int64_t bands[TEXT_SIG_NBANDS],
                        size_t per_band, int64_t *out, size_t *n, size_t max);

/* Forget the articles above SEQ (their transaction was rolled back: their
 * seqs will be given again). */
void store_bands_forget_after(store_bands_t *self, int64_t seq);

/* Seq of the newest article filed, 0 if none. */
int64_t store_bands_top(const store_bands_t *self);

#endif
