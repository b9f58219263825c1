/*
 * store_bands.c — the in-memory band index of the latest articles (see
 * store_bands.h).
 *
 * Article SEQ lives in slot SEQ mod WINDOW with its band keys.  Each band
 * of it is a node (seq * 16 + its place among the article's bands) at the
 * head of a chain in a hash bucket of the key; a chain runs from newer to
 * older nodes, so a look-up reads the newest first and stops at the first
 * node whose slot holds another seq: that article fell out of the window,
 * and every node after it is older still.  Nothing is ever unlinked.
 */
#include "store_bands.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define S_PER_ARTICLE 10          /* at most this many bands are not 0 */
#define S_PLACE_BITS 4            /* a node: seq << 4 | its place among the article's bands */
#define S_PLACE_MASK ((1 << S_PLACE_BITS) - 1)
_Static_assert(S_PER_ARTICLE <= S_PLACE_MASK + 1, "a band's place fits its bits");
#define S_BUCKETS_PER_ARTICLE 4   /* two nodes a bucket when full */

typedef struct {
    int64_t seq;                  /* 0: empty */
    uint64_t key[S_PER_ARTICLE];
    /* the next older node of each band's chain, as (seq distance << 4 |
     * band place); 0: none, or too far back to be in the window */
    uint32_t next[S_PER_ARTICLE];
    uint8_t n;
    store_bands_info_t info;
} s_slot_t;

struct store_bands {
    s_slot_t *slots;
    size_t window;                /* slots, a power of two */
    int64_t *heads;               /* newest node of each bucket, 0: none */
    size_t buckets;               /* a power of two */
    int64_t top;                  /* newest seq added */
};

store_bands_t *store_bands_new(size_t window)
{
    if (window < 2 || (window & (window - 1)) || window > (1u << (32 - S_PLACE_BITS)))
        return NULL;
    store_bands_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->window = window;
    self->buckets = window * S_BUCKETS_PER_ARTICLE;
    self->slots = calloc(window, sizeof *self->slots);
    self->heads = calloc(self->buckets, sizeof *self->heads);
    if (!self->slots || !self->heads)
        store_bands_destroy(&self);
    return self;
}

void store_bands_destroy(store_bands_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    store_bands_t *self = *self_p;
    free(self->slots);
    free(self->heads);
    free(self);
    *self_p = NULL;
}

/* The band keys are already hashes, but their top bits are the band
 * number: mix before taking the bucket. */
static size_t s_bucket(const store_bands_t *self, uint64_t key)
{
    key ^= key >> 29;
    key *= 0xbf58476d1ce4e5b9ULL;
    key ^= key >> 32;
    return (size_t) key & (self->buckets - 1);
}

static void s_link(store_bands_t *self, s_slot_t *slot)
{
    /* (the window fits a distance in the 28 bits next[] has for it) */
    for (uint8_t i = 0; i < slot->n; i++) {
        int64_t *head = &self->heads[s_bucket(self, slot->key[i])];
        int64_t older = *head, dist = slot->seq - (older >> S_PLACE_BITS);
        slot->next[i] = older && dist > 0 && (size_t) dist < self->window
                            ? (uint32_t) (dist << S_PLACE_BITS | (older & S_PLACE_MASK)) : 0;
        *head = slot->seq << S_PLACE_BITS | i;
    }
}

void store_bands_add(store_bands_t *self, int64_t seq, const int64_t bands[TEXT_SIG_NBANDS],
                     const store_bands_info_t *info)
{
    if (!self || seq <= self->top)
        return;
    s_slot_t *slot = &self->slots[(uint64_t) seq & (self->window - 1)];
    memset(slot, 0, sizeof *slot);
    slot->seq = seq;
    if (info)
        slot->info = *info;
    for (int b = 0; b < TEXT_SIG_NBANDS && slot->n < S_PER_ARTICLE; b++)
        if (bands[b])
            slot->key[slot->n++] = (uint64_t) bands[b];
    s_link(self, slot);
    self->top = seq;
}

static bool s_has(const int64_t *v, size_t n, int64_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

void store_bands_lookup(const store_bands_t *self, const int64_t bands[TEXT_SIG_NBANDS],
                        size_t per_band, int64_t *out, size_t *n, size_t max)
{
    if (!self)
        return;
    for (int b = 0; b < TEXT_SIG_NBANDS; b++) {
        uint64_t key = (uint64_t) bands[b];
        if (!key)
            continue;
        size_t found = 0;
        int64_t node = self->heads[s_bucket(self, key)];
        while (node && found < per_band && *n < max) {
            int64_t seq = node >> S_PLACE_BITS;
            const s_slot_t *slot = &self->slots[(uint64_t) seq & (self->window - 1)];
            int i = (int) (node & S_PLACE_MASK);
            if (slot->seq != seq || i >= slot->n)
                break;
            if (slot->key[i] == key) {
                found++;
                if (!s_has(out, *n, seq))
                    out[(*n)++] = seq;
            }
            uint32_t next = slot->next[i];
            node = next ? (seq - (int64_t) (next >> S_PLACE_BITS)) << S_PLACE_BITS
                              | (next & S_PLACE_MASK) : 0;
        }
    }
}

bool store_bands_info(const store_bands_t *self, int64_t seq, store_bands_info_t *info)
{
    if (!self || seq <= 0)
        return false;
    const s_slot_t *slot = &self->slots[(uint64_t) seq & (self->window - 1)];
    if (slot->seq != seq)
        return false;
    *info = slot->info;
    return true;
}

void store_bands_forget_after(store_bands_t *self, int64_t seq)
{
    if (!self || seq >= self->top)
        return;
    /* Rare (a rolled-back batch): drop the slots and link the rest again,
     * oldest first, so that no chain leads into a forgotten node. */
    memset(self->heads, 0, self->buckets * sizeof *self->heads);
    int64_t from = self->top - (int64_t) self->window + 1;
    for (int64_t s = from > 1 ? from : 1; s <= self->top; s++) {
        s_slot_t *slot = &self->slots[(uint64_t) s & (self->window - 1)];
        if (slot->seq != s)
            continue;
        if (s > seq)
            memset(slot, 0, sizeof *slot);
        else
            s_link(self, slot);
    }
    self->top = seq > 0 ? seq : 0;
}

int64_t store_bands_top(const store_bands_t *self) { return self ? self->top : 0; }
