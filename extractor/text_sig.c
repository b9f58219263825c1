/*
 * text_sig.c — simhash, minhash and title signatures (see text_sig.h).
 *
 * Hashes are FNV-1a over the form's bytes, spread by splitmix64; the K
 * minhash functions are splitmix64 of the word hash xor K fixed seeds
 * (one hash per word, K cheap mixes, once per distinct word), which is
 * what makes the signature affordable at thousands of articles a second.
 */
#include "text_sig.h"
#include "fnv1a.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static uint64_t s_fnv(const char *s) { return fnv1a_str(FNV1A_BASIS, s); }

static uint64_t s_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Bit-sliced counting for the simhash: S_SPREAD[x] has byte i set to bit
 * i of x, so adding S_SPREAD of each byte of a hash to a 64-bit word
 * counts eight bit positions at once, in eight 8-bit lanes, which are
 * emptied into the int counters before they can overflow. */
static uint64_t s_spread[256];

static void s_spread_init(void)
{
    if (s_spread[255])
        return;
    for (unsigned x = 0; x < 256; x++)
        for (unsigned i = 0; i < 8; i++)
            if (x & (1u << i))
                s_spread[x] |= 1ULL << (8 * i);
}

typedef struct {
    uint64_t lanes[8];      /* lanes[j] byte i: ones so far at bit 8j+i */
    unsigned pending;       /* hashes in lanes (at most 255) */
    int ones[64];
    int total;
} s_bitcount_t;

static void s_bitcount_flush(s_bitcount_t *c)
{
    for (int j = 0; j < 8; j++) {
        for (int i = 0; i < 8; i++)
            c->ones[8 * j + i] += (int) ((c->lanes[j] >> (8 * i)) & 0xff);
        c->lanes[j] = 0;
    }
    c->pending = 0;
}

static void s_bitcount_add(s_bitcount_t *c, uint64_t h)
{
    for (int j = 0; j < 8; j++)
        c->lanes[j] += s_spread[(h >> (8 * j)) & 0xff];
    c->total++;
    if (++c->pending == 255)
        s_bitcount_flush(c);
}

static size_t s_codepoints(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char) *s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Function words that every news text has: they would make any two
 * articles look alike.  Folded keys (ى → ي, أ/إ → ا). */
static const char *const s_stop[] = {
    "the", "and", "for", "that", "with", "from", "said", "says", "was", "were", "has", "have",
    "had", "his", "her", "its", "are", "will", "would", "which", "who", "this", "they", "their",
    "been", "not", "but", "also", "after", "before", "about", "into", "than", "there", "when",
    "over", "more", "other", "told", "according", "one", "two", "new", "last", "year",
    "علي", "الي", "التي", "الذي", "الذين", "هذا", "هذه", "كان", "كانت", "بعد", "قبل", "قال",
    "قالت", "بين", "حيث", "ذلك", "تلك", "عند", "لكن", "منذ", "خلال", "اليوم", "وقال", "واضاف",
    "اضاف", "التي", "ليس", "غير", "حتي", "عبر", "وفق", "وفقا", "بحسب", "امس", "عام", "يوم",
};

#define S_NSTOP (sizeof s_stop / sizeof s_stop[0])

/* The stop words' hashes in an open-addressing set built once (the store
 * is one thread): this runs for every word of every article, with the
 * word's hash already at hand.  (A 64-bit collision with a content word is
 * not a concern; 0 marks an empty slot, and no word hashes to it.) */
#define S_STOP_SLOTS 256
_Static_assert(S_STOP_SLOTS >= 2 * S_NSTOP, "the stop set stays at most half full");

static bool s_is_stop_hash(uint64_t h)
{
    static uint64_t set[S_STOP_SLOTS];
    static bool ready;
    if (!ready) {
        for (size_t i = 0; i < S_NSTOP; i++) {
            uint64_t w = s_fnv(s_stop[i]);
            size_t k = (size_t) (w >> 32) & (S_STOP_SLOTS - 1);
            while (set[k] && set[k] != w)
                k = (k + 1) & (S_STOP_SLOTS - 1);
            set[k] = w;
        }
        ready = true;
    }
    for (size_t k = (size_t) (h >> 32) & (S_STOP_SLOTS - 1); set[k]; k = (k + 1) & (S_STOP_SLOTS - 1))
        if (set[k] == h)
            return true;
    return false;
}

/* Has the word hash H been added to SEEN (SLOTS entries, a power of two,
 * at most half full) before?  Adds it.  The minhash is over a set, so a
 * repeated word changes nothing and need not be mixed K times again. */
static bool s_seen(uint64_t *seen, size_t slots, uint64_t h)
{
    h |= 1;                         /* 0 marks an empty slot */
    size_t k = (size_t) (h >> 32) & (slots - 1);
    for (; seen[k]; k = (k + 1) & (slots - 1))
        if (seen[k] == h)
            return true;
    seen[k] = h;
    return false;
}

/* The most reduced form of a token: the base form with clitics removed and
 * endings folded, so و/ال/ب variants of a word count as one word. */
static const char *s_base(const text_token_t *t)
{
    return t->n_forms ? t->forms[t->n_forms - 1] : t->key;
}

static int s_u32cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
    return x < y ? -1 : x > y;
}

void text_sig_compute(const text_doc_t *title, const text_doc_t *text, text_sig_t *out)
{
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < TEXT_MINHASH_K; k++)
        out->minhash[k] = UINT32_MAX;

    if (text) {
        s_spread_init();
        /* v[b] of the simhash: +1 for each shingle hash with bit b set, -1
         * for each without, i.e. 2 * ones - total. */
        s_bitcount_t bits;
        memset(&bits, 0, sizeof bits);
        uint64_t prev[2] = { 0, 0 };
        size_t nw = 0, n = text_doc_ntokens(text);
        /* Distinct content words, for the minhash; on the stack for a news
         * article, from the heap for a long text (none if that fails: the
         * words are then mixed every time they occur, same result). */
        uint64_t local[1024], *seen = local;
        size_t slots = sizeof local / sizeof local[0];
        while (slots < 2 * n)
            slots *= 2;
        if (slots > sizeof local / sizeof local[0])
            seen = calloc(slots, sizeof *seen);
        else
            memset(local, 0, sizeof local);
        for (size_t i = 0; i < n; i++) {
            const text_token_t *t = text_doc_token(text, i);
            if (!t->is_word)
                continue;
            uint64_t kh = s_fnv(t->key);
            if (nw >= 2)
                s_bitcount_add(&bits, s_mix(prev[0] * 31 + prev[1] * 17 + kh));
            prev[0] = prev[1];
            prev[1] = kh;
            nw++;
            const char *base = s_base(t);
            if (s_codepoints(base) < 3 || s_is_stop_hash(kh))
                continue;
            uint64_t bh = base == t->key ? kh : s_fnv(base);
            if (bh != kh && s_is_stop_hash(bh))
                continue;
            out->n_words++;
            if (seen && s_seen(seen, slots, bh))
                continue;
            for (size_t k = 0; k < TEXT_MINHASH_K; k++) {
                uint32_t h = (uint32_t) (s_mix(bh ^ (0x51ed270b27f1a1c3ULL * (k + 1))) >> 32);
                if (h < out->minhash[k])
                    out->minhash[k] = h;
            }
        }
        if (seen != local)
            free(seen);
        s_bitcount_flush(&bits);
        for (int b = 0; b < 64; b++)
            if (2 * bits.ones[b] - bits.total > 0)
                out->simhash |= 1ULL << b;
    }
    if (title) {
        size_t n = text_doc_ntokens(title);
        for (size_t i = 0; i < n && out->n_title < TEXT_TITLE_WORDS; i++) {
            const text_token_t *t = text_doc_token(title, i);
            const char *base = s_base(t);
            if (!t->is_word || s_codepoints(base) < 3)
                continue;
            uint64_t kh = s_fnv(t->key), bh = base == t->key ? kh : s_fnv(base);
            if (s_is_stop_hash(kh) || (bh != kh && s_is_stop_hash(bh)))
                continue;
            out->title[out->n_title++] = (uint32_t) (s_mix(bh) >> 32);
        }
        qsort(out->title, out->n_title, sizeof out->title[0], s_u32cmp);
        size_t w = 0;
        for (size_t i = 0; i < out->n_title; i++)
            if (w == 0 || out->title[w - 1] != out->title[i])
                out->title[w++] = out->title[i];
        out->n_title = w;
    }
}

void text_sig_bands(const text_sig_t *sig, int64_t bands[TEXT_SIG_NBANDS])
{
    /* A text with content words is found by its minhash bands alone: 10
     * triples of minimum hashes.  A near-duplicate (Jaccard >= 0.8) shares
     * one but for a chance of (1 - 0.8^3)^10 < 8e-4; pairs would have
     * missed less, but two unrelated texts of real news share a pair 0.6%
     * of the time and a triple 0.03% (all pairs of the 10,161 articles of
     * the ANT corpus): with pairs, a store of any size filled an article's
     * candidates with chance matches.  Simhash bands, 16 bits each, only
     * ever added chance matches.  A text without content words (its
     * minhash all UINT32_MAX) has only its simhash.  Both are known from
     * the stored signatures, which is how store_bands is rebuilt. */
    bool words = sig->n_words > 0;
    for (int b = 0; b < 4; b++)
        bands[b] = words ? 0
                         : ((int64_t) b << 48) | (int64_t) ((sig->simhash >> (16 * b)) & 0xFFFF);
    _Static_assert(3 * (TEXT_SIG_NBANDS - 4) <= TEXT_MINHASH_K, "the triples fit the minhash");
    for (int b = 0; b < TEXT_SIG_NBANDS - 4; b++) {
        if (!words) {
            bands[4 + b] = 0;
            continue;
        }
        const uint32_t *m = &sig->minhash[3 * b];
        uint64_t h = s_mix(s_mix(((uint64_t) m[0] << 32) | m[1]) ^ m[2]);
        bands[4 + b] = ((int64_t) (4 + b) << 48) | (int64_t) (h & 0xFFFFFFFFFFFFULL);
    }
}

int text_sig_hamming(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }

double text_sig_minhash_similarity(const uint32_t *a, const uint32_t *b)
{
    int same = 0;
    for (size_t k = 0; k < TEXT_MINHASH_K; k++)
        same += a[k] == b[k] && a[k] != UINT32_MAX;
    return (double) same / TEXT_MINHASH_K;
}

double text_sig_set_similarity(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    if (!na || !nb)
        return 0;
    size_t i = 0, j = 0, both = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            both++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return (double) both / (double) (na + nb - both);
}
