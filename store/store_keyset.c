/*
 * store_keyset.c — the fresh articles' keys in memory (store_keyset.h).
 *
 * An open-addressing table with linear probing: 16 bytes a slot, the
 * kind packed in the top bits of the seq, at most three quarters full.
 * Entries leave in bulk (a merge, a rollback, a prune), by backward-shift
 * deletion (Knuth's Algorithm R), so the table never holds tombstones and
 * forgetting needs no memory.
 */
#include "store_keyset.h"

#include <stdlib.h>

#define S_KIND_SHIFT 61
#define S_SEQ_MASK ((INT64_C(1) << S_KIND_SHIFT) - 1)

typedef struct {
    int64_t key;
    int64_t tag;                    /* seq | kind << S_KIND_SHIFT; 0: empty */
} s_slot_t;

struct store_keyset {
    s_slot_t *slots;
    size_t cap;                     /* a power of two, or 0 */
    size_t count;
};

static size_t s_home(const store_keyset_t *self, int kind, int64_t key)
{
    /* The keys are already mixed (store_key.c); the kind is mixed in so
     * that the three keys of one string land apart. */
    uint64_t h = ((uint64_t) key + (uint64_t) kind * UINT64_C(0x9E3779B97F4A7C15))
                 * UINT64_C(0xff51afd7ed558ccd);
    return (size_t) (h >> 32) & (self->cap - 1);
}

static int s_kind(int64_t tag) { return (int) (tag >> S_KIND_SHIFT); }
static int64_t s_seq(int64_t tag) { return tag & S_SEQ_MASK; }

static void s_put(store_keyset_t *self, int kind, int64_t key, int64_t tag)
{
    size_t i = s_home(self, kind, key);
    while (self->slots[i].tag)
        i = (i + 1) & (self->cap - 1);
    self->slots[i].key = key;
    self->slots[i].tag = tag;
}

static int s_grow(store_keyset_t *self)
{
    size_t cap = self->cap ? self->cap * 2 : 1024;
    s_slot_t *old = self->slots;
    size_t old_cap = self->cap;
    if (!(self->slots = calloc(cap, sizeof *self->slots))) {
        self->slots = old;
        return -1;
    }
    self->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].tag)
            s_put(self, s_kind(old[i].tag), old[i].key, old[i].tag);
    free(old);
    return 0;
}

store_keyset_t *store_keyset_new(void)
{
    store_keyset_t *self = calloc(1, sizeof *self);
    if (self && s_grow(self) != 0) {
        free(self);
        return NULL;
    }
    return self;
}

void store_keyset_destroy(store_keyset_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->slots);
    free(*self_p);
    *self_p = NULL;
}

int store_keyset_add(store_keyset_t *self, int kind, int64_t key, int64_t seq)
{
    if ((self->count + 1) * 4 > self->cap * 3 && s_grow(self) != 0)
        return -1;
    s_put(self, kind, key, (seq & S_SEQ_MASK) | ((int64_t) kind << S_KIND_SHIFT));
    self->count++;
    return 0;
}

int64_t store_keyset_find(const store_keyset_t *self, int kind, int64_t key, int64_t after)
{
    int64_t best = 0;
    for (size_t i = s_home(self, kind, key); self->slots[i].tag; i = (i + 1) & (self->cap - 1)) {
        const s_slot_t *s = &self->slots[i];
        int64_t seq = s_seq(s->tag);
        if (s->key == key && s_kind(s->tag) == kind && seq > after && (!best || seq < best))
            best = seq;
    }
    return best;
}

/* Empty slot I, moving later entries of its cluster back so that every
 * entry stays reachable from its home slot. */
static void s_delete(store_keyset_t *self, size_t i)
{
    size_t mask = self->cap - 1, j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!self->slots[j].tag)
            break;
        size_t k = s_home(self, s_kind(self->slots[j].tag), self->slots[j].key);
        /* It stays if its home lies cyclically in (i, j]. */
        if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
            continue;
        self->slots[i] = self->slots[j];
        i = j;
    }
    self->slots[i].tag = 0;
    self->slots[i].key = 0;
}

void store_keyset_keep(store_keyset_t *self, int64_t lo, int64_t hi)
{
    /* A deletion may move a later entry into slot i: look at i again. */
    for (size_t i = 0; i < self->cap;) {
        int64_t seq = s_seq(self->slots[i].tag);
        if (self->slots[i].tag && (seq <= lo || seq > hi)) {
            s_delete(self, i);
            self->count--;
        } else {
            i++;
        }
    }
}

size_t store_keyset_count(const store_keyset_t *self) { return self->count; }

int64_t store_keyset_min_seq(const store_keyset_t *self)
{
    int64_t min = 0;
    for (size_t i = 0; i < self->cap; i++) {
        int64_t seq = s_seq(self->slots[i].tag);
        if (self->slots[i].tag && (!min || seq < min))
            min = seq;
    }
    return min;
}

static int s_cmp(const void *pa, const void *pb)
{
    const store_keyset_entry_t *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

long store_keyset_sorted(const store_keyset_t *self, int64_t upto, store_keyset_entry_t **out)
{
    *out = malloc((self->count ? self->count : 1) * sizeof **out);
    if (!*out)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < self->cap; i++) {
        const s_slot_t *s = &self->slots[i];
        if (s->tag && s_seq(s->tag) <= upto)
            (*out)[n++] = (store_keyset_entry_t) { .key = s->key, .seq = s_seq(s->tag),
                                                   .kind = s_kind(s->tag) };
    }
    qsort(*out, n, sizeof **out, s_cmp);
    return (long) n;
}
