/*
 * text_matcher.c — many phrases against one doc, in one pass (DESIGN §5).
 *
 * Each phrase is a list of term keys (text_term_key rules: the article
 * removed, nisba endings folded).  Phrases are filed in a hash table under
 * their first word; a doc is scanned token by token, and each form of each
 * token is looked up once, so the cost per token does not depend on how
 * many phrases there are.  A candidate phrase then checks its remaining
 * words against the following tokens: same sentence, and nothing but
 * spaces, quotes or invisible marks in between ("Putin, Bout" is not the
 * phrase "Putin Bout").
 *
 * A first word can start many phrases (a catalog of 10,000 names has
 * hundreds that begin with "Abu" or "عبد"), and walking all of them at
 * every such token would make the cost grow with the catalog.  So phrases
 * of two words or more are filed under their first two words instead (the
 * `pair` table, key "first\x1fsecond"), and their first words are marked
 * in the `heads` table: a token whose form is marked looks up each form of
 * the next token once.  Only phrases whose second word is a prefix stay
 * under their first word.
 *
 * What keeps a big catalog nearly as cheap as a small one is memory, not
 * operations: each form's hash is computed once, in a pass of its own
 * over the doc, a pair's hash is combined from its two words' hashes
 * instead of hashing a joined key, one-word phrases and first words share
 * one table (one probe per form), and probing reads a dense array of
 * 32-bit hashes: 10,000 names fit in the L2 cache, where slots with
 * pointers did not.
 *
 * Even so, the tables are probed only after filters say yes.  In news
 * text most frequent words start some name of a big catalog, and almost
 * never with that name's second word after them; so one filter keeps
 * three bits per word: "phrases are filed under it" (the table is then
 * probed), "it starts a pair" and "it ends a pair" (the second word of a
 * phrase filed in `pair`).  A token is tried against the next one only
 * when a form of it starts a pair and a form of the next one may end
 * one: surnames are rarer words than first names.  Then the `pair`
 * filter, of pair hashes, rejects almost every remaining couple before
 * the table or the gap between the two is even read.
 *
 * Prefix words (a trailing '*': حوث*, Houth*) cannot be hashed whole.  A
 * one-word prefix phrase goes into a second table keyed by the prefix, and
 * each token form is looked up under each of its own prefixes (at code
 * point boundaries, up to the longest prefix registered), with the FNV
 * hash extended one byte at a time: still independent of the number of
 * phrases.  In a multi-word phrase only the last word can be a prefix, and
 * it is checked directly when the phrase is tried.
 */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "text_internal.h"

#define S_NONE UINT32_MAX

typedef struct {
    int id;
    uint32_t word0;         /* index of the first word in m->words */
    uint32_t nwords;
    bool prefix;            /* last word is a prefix */
    uint32_t next;          /* next phrase under the same first word */
} s_phrase_t;

typedef struct {
    const char *key;
    uint32_t len;
    uint32_t head;          /* first phrase, S_NONE if none */
    bool first;             /* `heads` only: starts a phrase filed in `pair` */
} s_slot_t;

/* Open addressing; HASHES is what probing reads (0 marks an empty slot,
 * so hashes are never 0: s_nz), SLOTS is read only on a hash match. */
typedef struct {
    uint32_t *hashes;
    s_slot_t *slots;
    size_t cap, used;       /* cap is a power of two */
} s_table_t;

struct text_matcher {
    text_arena_t *arena;
    s_phrase_t *phrases;
    size_t nphr, capphr;
    const char **words;
    size_t nwords, capwords;
    s_table_t heads;        /* first word → one-word phrases and "w0 w1*"; marks pair firsts */
    s_table_t pair;         /* "w0\x1fw1" → phrases of two words or more */
    s_table_t prefix;       /* one-word prefix phrases */
    size_t max_prefix;      /* longest prefix key, bytes */
    uint64_t *filter;       /* 4-bit cells, two per word hash (see s_cell_get) */
    size_t filter_mask;     /* 64-bit words - 1 */
    uint64_t *pfilter;      /* two bits per `pair` hash, in one word (see s_pair_bits) */
    size_t pfilter_mask;    /* words - 1 */
};

/* Word filter: 16+ cells per key (first and second words), at most 2^18
 * cells (128 KiB: entity-bench with 10,000 names was slower at 32 KiB,
 * whose false positives cost more than its cache misses saved, and at
 * 256 KiB), and at least 2048 (1 KiB): a catalog of ten names must not
 * pay for false positives to save a few cache lines.  `pair` filter: 16+
 * bits per key, at most 2^19 bits (64 KiB: a false positive costs a probe
 * of the table, which at 20,000 pairs cost more than the misses of the
 * larger filter; at 32 KiB entity-bench was 2% slower, at 16 KiB 4%). */
#define S_FILTER_MIN_CELLS 2048
/* ...except for a matcher of a few keys (a watch's terms: the alerter holds
 * thousands of them, so a kilobyte each would be megabytes), whose few bits
 * sit as sparsely in 128 cells (64 bytes). */
#define S_FILTER_SMALL_CELLS 128
#define S_FILTER_SMALL_KEYS 16
#define S_FILTER_MAX_CELLS (1u << 18)
#define S_PFILTER_MIN_WORDS 8
#define S_PFILTER_MAX_WORDS (1u << 13)

/* A word's filter bits: CHAIN when phrases are filed under the word
 * itself in `heads` (the table must be probed), FIRST when it starts a
 * phrase filed in `pair` (the table need not be: the pair's key is
 * compared in full), SECOND when it is the second word of a phrase in
 * `pair`.  All in one cell, so the one load each form of each token pays
 * answers all three: a token that starts a pair is tried against the next
 * one only when a form of the next one may be a second word.  In a big
 * catalog most frequent words start some name, but surnames are rarer
 * words, and this is what keeps the pairs' cost from growing with it. */
#define S_CELL_CHAIN 1u
#define S_CELL_FIRST 2u
#define S_CELL_SECOND 4u
#define S_CELL_BITS 4         /* bits per cell */
#define S_CELL_MASK 15u
#define S_WORD_CELLS 16       /* cells per 64-bit filter word */
#define S_CELLS_CHAIN 0x11111111u     /* the bit of each of 8 forms */
#define S_CELLS_FIRST 0x22222222u
#define S_CELLS_SECOND 0x44444444u

/* A hash's filter bits sit in two cells of one 64-bit word (chosen by
 * the hash's high bits, as the tables use the low ones), and a bit counts
 * only when both cells have it: at the same false-positive rate the
 * filter is a quarter of what one cell a key needs, so it stays in the
 * second-level cache while the doc's tokens stream through it. */
static inline size_t
s_cell_word(uint32_t h, size_t wmask)
{
    return (size_t)(h >> 8) & wmask;
}

static inline unsigned
s_cell_shift(uint32_t h, int which)
{
    uint32_t x = h * 0x85EBCA6Bu;
    return S_CELL_BITS * (which ? x >> 28 : (x >> 24) & (S_WORD_CELLS - 1));
}

static inline unsigned
s_cell_get(const uint64_t *f, size_t wmask, uint32_t h)
{
    uint64_t w = f[s_cell_word(h, wmask)];
    return (unsigned)((w >> s_cell_shift(h, 0)) & (w >> s_cell_shift(h, 1))) & S_CELL_MASK;
}

static inline void
s_cell_set(uint64_t *f, size_t wmask, uint32_t h, unsigned bits)
{
    f[s_cell_word(h, wmask)] |= ((uint64_t)bits << s_cell_shift(h, 0))
                                | ((uint64_t)bits << s_cell_shift(h, 1));
}

/* The `pair` filter: the word for pair hash H, and the two bits of it
 * that H sets (from the high half of a remix: the table index and the
 * word took the low and middle bits). */
static inline size_t
s_pair_word(uint32_t h, size_t mask)
{
    return (size_t)(h >> 12) & mask;
}

static inline uint64_t
s_pair_bits(uint32_t h)
{
    uint32_t x = h * 0x85EBCA6Bu;
    return (1ull << (x >> 26)) | (1ull << ((x >> 20) & 63));
}

static inline bool
s_pair_maybe(const text_matcher_t *m, uint32_t h)
{
    if (!m->pfilter)
        return true;
    uint64_t b = s_pair_bits(h);
    return (m->pfilter[s_pair_word(h, m->pfilter_mask)] & b) == b;
}

#define S_FNV_BASIS 2166136261u
#define S_FNV_PRIME 16777619u

static uint32_t
s_hash(const char *s, size_t n)
{
    uint32_t h = S_FNV_BASIS;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * S_FNV_PRIME;
    return h;
}

/* Hashes as stored: never 0, which marks an empty slot. */
static inline uint32_t
s_nz(uint32_t h)
{
    return h ? h : 1;
}

/* The `pair` hash of a first and a second word, from their own hashes. */
static inline uint32_t
s_pair_hash(uint32_t h1, uint32_t h2)
{
    return s_nz((h1 * 0x9E3779B1u) ^ h2);
}

/* The slot whose key is A (LA bytes), then, when B is not NULL, '\x1f' and
 * B (LB bytes); H is the key's s_nz hash.  NULL if absent. */
static s_slot_t *
s_find2(const s_table_t *t, const char *a, size_t la, const char *b, size_t lb, uint32_t h)
{
    if (!t->cap)
        return NULL;
    size_t len = b ? la + 1 + lb : la;
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        uint32_t sh = t->hashes[i];
        if (!sh)
            return NULL;
        if (sh != h)
            continue;
        s_slot_t *s = &t->slots[i];
        if (s->len == len && memcmp(s->key, a, la) == 0
            && (!b || (s->key[la] == '\x1f' && memcmp(s->key + la + 1, b, lb) == 0)))
            return s;
    }
}

static s_slot_t *
s_find(const s_table_t *t, const char *key, size_t len, uint32_t h)
{
    return s_find2(t, key, len, NULL, 0, h);
}

/* The slot for KEY (hash H, s_nz), inserted empty (head S_NONE) if absent;
 * NULL on allocation failure.  The table is kept at most half full. */
static s_slot_t *
s_insert(s_table_t *t, const char *key, size_t len, uint32_t h)
{
    s_slot_t *s = s_find(t, key, len, h);
    if (s)
        return s;
    if (len > UINT32_MAX)
        return NULL;
    if ((t->used + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 8;   /* a query has a few words */
        uint32_t *nh = calloc(ncap, sizeof(*nh));
        s_slot_t *ns = calloc(ncap, sizeof(*ns));
        if (!nh || !ns) {
            free(nh);
            free(ns);
            return NULL;
        }
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->hashes[i])
                continue;
            size_t j = t->hashes[i] & (ncap - 1);
            while (nh[j])
                j = (j + 1) & (ncap - 1);
            nh[j] = t->hashes[i];
            ns[j] = t->slots[i];
        }
        free(t->hashes);
        free(t->slots);
        t->hashes = nh;
        t->slots = ns;
        t->cap = ncap;
    }
    size_t j = h & (t->cap - 1);
    while (t->hashes[j])
        j = (j + 1) & (t->cap - 1);
    t->hashes[j] = h;
    s = &t->slots[j];
    s->key = key;
    s->len = (uint32_t)len;
    s->head = S_NONE;
    s->first = false;
    t->used++;
    return s;
}

static void
s_table_free(s_table_t *t)
{
    free(t->hashes);
    free(t->slots);
}

text_matcher_t *
text_matcher_new(void)
{
    text_matcher_t *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->arena = text_arena_new();
    if (!m->arena) {
        free(m);
        return NULL;
    }
    return m;
}

void
text_matcher_destroy(text_matcher_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    text_matcher_t *m = *self_p;
    text_arena_destroy(&m->arena);
    free(m->phrases);
    free(m->words);
    s_table_free(&m->heads);
    free(m->filter);
    free(m->pfilter);
    s_table_free(&m->pair);
    s_table_free(&m->prefix);
    free(m);
    *self_p = NULL;
}

static int
s_reserve(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 4;
    while (nc < need)
        nc *= 2;
    void *na = realloc(*arr, nc * elem);
    if (!na)
        return -1;
    *arr = na;
    *cap = nc;
    return 0;
}

/* Keep the filters (most tokens start no phrase, and most that start a
 * pair are not followed by its second word: with 10,000 names the tables
 * do not fit in the first-level cache, the filters do, or nearly).  Each
 * is rebuilt from its table when the table has grown past its size;
 * s_filter_add and s_pfilter_add set the bits of each new key meanwhile.
 * On allocation failure a filter is dropped: everything is probed. */
static void
s_filter_update(text_matcher_t *m)
{
    size_t keys = m->heads.used + m->pair.used;
    size_t want = keys < S_FILTER_SMALL_KEYS ? S_FILTER_SMALL_CELLS : S_FILTER_MIN_CELLS;
    while (want < keys * 16 && want < S_FILTER_MAX_CELLS)
        want *= 2;
    size_t words = want / S_WORD_CELLS;
    if (!m->filter || words > m->filter_mask + 1) {
        uint64_t *f = calloc(words, sizeof(*f));
        for (size_t i = 0; f && i < m->heads.cap; i++) {
            if (!m->heads.hashes[i])
                continue;
            const s_slot_t *sl = &m->heads.slots[i];
            unsigned v = (sl->head != S_NONE ? S_CELL_CHAIN : 0) | (sl->first ? S_CELL_FIRST : 0);
            s_cell_set(f, words - 1, m->heads.hashes[i], v);
        }
        for (size_t i = 0; f && i < m->pair.cap; i++) {
            if (!m->pair.hashes[i])
                continue;
            const s_slot_t *sl = &m->pair.slots[i];
            const char *sep = memchr(sl->key, '\x1f', sl->len);
            size_t off = (size_t)(sep - sl->key) + 1;
            uint32_t h2 = s_nz(s_hash(sl->key + off, sl->len - off));
            s_cell_set(f, words - 1, h2, S_CELL_SECOND);
        }
        free(m->filter);
        m->filter = f;
        m->filter_mask = words - 1;
    }
    want = S_PFILTER_MIN_WORDS;
    while (want * 64 < m->pair.used * 16 && want < S_PFILTER_MAX_WORDS)
        want *= 2;
    if (!m->pfilter || want > m->pfilter_mask + 1) {
        uint64_t *f = calloc(want, sizeof(*f));
        for (size_t i = 0; f && i < m->pair.cap; i++)
            if (m->pair.hashes[i])
                f[s_pair_word(m->pair.hashes[i], want - 1)] |= s_pair_bits(m->pair.hashes[i]);
        free(m->pfilter);
        m->pfilter = f;
        m->pfilter_mask = want - 1;
    }
}

static void
s_filter_add(text_matcher_t *m, uint32_t h, unsigned bits)
{
    if (m->filter)
        s_cell_set(m->filter, m->filter_mask, h, bits);
}

static void
s_pfilter_add(text_matcher_t *m, uint32_t h)
{
    if (m->pfilter)
        m->pfilter[s_pair_word(h, m->pfilter_mask)] |= s_pair_bits(h);
}

/* True when the phrase ends in '*' right after its last word. */
static bool
s_ends_with_star(const char *phrase, size_t len, size_t last_end)
{
    while (len > last_end && (phrase[len - 1] == ' ' || phrase[len - 1] == '\t'
                              || phrase[len - 1] == '\n' || phrase[len - 1] == '\r'))
        len--;
    return len == last_end + 1 && phrase[last_end] == '*';
}

int
text_matcher_add(text_matcher_t *m, const char *phrase, int id)
{
    if (!m || !phrase)
        return -1;
    size_t plen = strlen(phrase);
    text_doc_t *doc = text_doc_new(phrase, plen);
    if (!doc)
        return -1;
    size_t n = text_doc_ntokens(doc);
    int rc = -1;
    char *buf = NULL;
    if (n == 0 || n > UINT32_MAX / 2)
        goto done;
    bool prefix = s_ends_with_star(phrase, plen, text_doc_token(doc, n - 1)->end);

    if (s_reserve((void **)&m->words, &m->capwords, m->nwords + n, sizeof(char *))
        || s_reserve((void **)&m->phrases, &m->capphr, m->nphr + 1, sizeof(s_phrase_t)))
        goto done;
    uint32_t word0 = (uint32_t)m->nwords;
    for (size_t i = 0; i < n; i++) {
        const char *key = text_doc_token(doc, i)->key;
        buf = text_arena_alloc(m->arena, strlen(key) + 1);
        if (!buf)
            goto done;
        text_term_key_from_key(key, prefix && i == n - 1, buf);
        m->words[word0 + i] = buf;
    }
    const char *first = m->words[word0];
    size_t flen = strlen(first);
    s_slot_t *slot;
    uint32_t fh = s_hash(first, flen);
    unsigned bits = S_CELL_CHAIN;   /* the filter bit this phrase needs */
    uint32_t ph = 0, sh = 0;
    if (n == 1 && prefix) {
        slot = s_insert(&m->prefix, first, flen, s_nz(fh));
        if (slot && flen > m->max_prefix)
            m->max_prefix = flen;
    }
    else if (n >= 2 && !(n == 2 && prefix)) {
        const char *second = m->words[word0 + 1];
        size_t slen = strlen(second);
        char *key = text_arena_alloc(m->arena, flen + 1 + slen + 1);
        s_slot_t *fs = key ? s_insert(&m->heads, first, flen, s_nz(fh)) : NULL;
        if (!fs)
            goto done;
        memcpy(key, first, flen);
        key[flen] = '\x1f';
        memcpy(key + flen + 1, second, slen + 1);
        sh = s_nz(s_hash(second, slen));
        ph = s_pair_hash(s_nz(fh), sh);
        slot = s_insert(&m->pair, key, flen + 1 + slen, ph);
        if (slot)
            fs->first = true;
        bits = S_CELL_FIRST;
    }
    else
        slot = s_insert(&m->heads, first, flen, s_nz(fh));
    if (!slot)
        goto done;
    /* Only now is the phrase committed: a failure above leaves the
     * matcher as it was (the arena may hold unused bytes). */
    m->nwords += n;
    s_phrase_t *p = &m->phrases[m->nphr];
    p->id = id;
    p->word0 = word0;
    p->nwords = (uint32_t)n;
    p->prefix = prefix;
    p->next = slot->head;
    slot->head = (uint32_t)m->nphr;
    m->nphr++;
    if (!(n == 1 && prefix))
        s_filter_add(m, s_nz(fh), bits);
    if (bits == S_CELL_FIRST) {
        s_filter_add(m, sh, S_CELL_SECOND);
        s_pfilter_add(m, ph);
    }
    s_filter_update(m);
    rc = 0;
done:
    text_doc_destroy(&doc);
    return rc;
}

/* ------------------------------------------------------------ scan */

typedef struct {
    text_hit_t *v;
    size_t n, cap;
    size_t first_of_token;  /* index of the first hit of the current token */
} s_hits_t;

static bool
s_word_matches(const char *word, bool prefix, const text_token_t *t)
{
    size_t wl = strlen(word);
    for (size_t f = 0; f < t->n_forms; f++) {
        if (prefix ? strncmp(t->forms[f], word, wl) == 0 : strcmp(t->forms[f], word) == 0)
            return true;
    }
    return false;
}

static bool
s_gap_ok(const text_doc_t *doc, size_t from, size_t to)
{
    const char *text = text_doc_text(doc);
    size_t i = from;
    while (i < to) {
        if (!text_is_phrase_gap(text_utf8_next(text, to, &i)))
            return false;
    }
    return true;
}

static int
s_add_hit(s_hits_t *h, int id, size_t first, size_t last, const text_doc_t *doc)
{
    /* The same phrase can match through two forms of one token, and one id
     * can own two phrases that match the same span (Houthi / Houthis). */
    for (size_t k = h->first_of_token; k < h->n; k++)
        if (h->v[k].id == id && h->v[k].last == last)
            return 0;
    if (s_reserve((void **)&h->v, &h->cap, h->n + 1, sizeof(text_hit_t)))
        return -1;
    text_hit_t *x = &h->v[h->n++];
    x->id = id;
    x->first = first;
    x->last = last;
    x->start = text_doc_token(doc, first)->start;
    x->end = text_doc_token(doc, last)->end;
    return 0;
}

/* Try the phrases chained from HEAD at token I, whose first MATCHED words
 * are known to match (1, or 2 for a chain of `pair`, whose key holds both
 * words and whose caller checked the gap between them). */
static int
s_try_chain(const text_matcher_t *m, uint32_t head, const text_doc_t *doc, size_t i,
            uint32_t matched, s_hits_t *h)
{
    size_t ntok = text_doc_ntokens(doc);
    const text_token_t *t0 = text_doc_token(doc, i);
    for (uint32_t pi = head; pi != S_NONE; pi = m->phrases[pi].next) {
        const s_phrase_t *p = &m->phrases[pi];
        if (i + p->nwords > ntok)
            continue;
        bool ok = true;
        for (uint32_t w = matched; ok && w < p->nwords; w++) {
            const text_token_t *prev = text_doc_token(doc, i + w - 1);
            const text_token_t *t = text_doc_token(doc, i + w);
            ok = t->sentence == t0->sentence && s_gap_ok(doc, prev->end, t->start)
                 && s_word_matches(m->words[p->word0 + w], p->prefix && w == p->nwords - 1, t);
        }
        if (ok && s_add_hit(h, p->id, i, i + p->nwords - 1, doc))
            return -1;
    }
    return 0;
}

/* The phrases filed under form F of token I (T, whose forms' hashes are
 * at TH) and a form of token I + 1 (NEXT: hashes NH, filter cells NCELLS).
 * The `pair` filter answers most of these from the first-level cache; the
 * gap between the tokens is checked only once a pair is found, as it
 * reads the doc's text, which the scan otherwise leaves alone. */
static int
s_try_pairs(const text_matcher_t *m, const uint32_t *th, size_t f, const uint32_t *nh,
            unsigned ncells, const text_doc_t *doc, size_t i, const text_token_t *t,
            const text_token_t *next, s_hits_t *h)
{
    int gap = -1;           /* unknown, 0 no, 1 yes */
    for (size_t g = 0; g < next->n_forms; g++) {
        if (!((ncells >> (S_CELL_BITS * g)) & S_CELL_SECOND))
            continue;
        uint32_t ph = s_pair_hash(th[f], nh[g]);
        if (!s_pair_maybe(m, ph))
            continue;
        s_slot_t *s = s_find2(&m->pair, t->forms[f], strlen(t->forms[f]), next->forms[g],
                              strlen(next->forms[g]), ph);
        if (!s)
            continue;
        if (gap < 0)
            gap = next->sentence == t->sentence && s_gap_ok(doc, t->end, next->start);
        if (!gap)
            return 0;
        if (s_try_chain(m, s->head, doc, i, 2, h))
            return -1;
    }
    return 0;
}

/* Pass one: each form's s_nz hash into HASHES (TEXT_MAX_FORMS a token, 0
 * after the last form when there is room) and each token's filter cells
 * into CELLS (S_CELL_BITS a form).  A loop of its own, without a branch
 * on what the filter says, so that the loads of filter cells overlap: in
 * a big catalog the filter is in the second-level cache, and the scan
 * that branched on each token's answer (yes for ~40% of news tokens, at
 * random) waited for each load in turn. */
static void
s_hash_doc(const text_matcher_t *m, const text_doc_t *doc, size_t ntok, uint32_t *hashes,
           unsigned *cells)
{
    for (size_t i = 0; i < ntok; i++) {
        const text_token_t *t = text_doc_token(doc, i);
        uint32_t *row = hashes + i * TEXT_MAX_FORMS;
        unsigned c = 0;
        for (size_t f = 0; f < t->n_forms; f++) {
            uint32_t h = s_nz(s_hash(t->forms[f], strlen(t->forms[f])));
            row[f] = h;
            if (m->filter)
                c |= s_cell_get(m->filter, m->filter_mask, h) << (S_CELL_BITS * f);
        }
        if (t->n_forms < TEXT_MAX_FORMS)
            row[t->n_forms] = 0;
        cells[i] = m->filter ? c : ~0u;
    }
}

uint32_t
text_key_hash(const char *key, size_t len)
{
    return s_nz(s_hash(key, len));
}

size_t
text_matcher_scan(const text_matcher_t *m, const text_doc_t *doc, text_hit_t **hits)
{
    return text_matcher_scan_hashes(m, doc, hits, NULL);
}

size_t
text_matcher_scan_hashes(const text_matcher_t *m, const text_doc_t *doc, text_hit_t **hits,
                         uint32_t *form_hashes)
{
    s_hits_t h = { NULL, 0, 0, 0 };
    *hits = NULL;
    if (!m || !doc)
        return (size_t)-1;
    size_t ntok = text_doc_ntokens(doc);
    if (ntok == 0)
        return 0;
    /* One allocation for the cells and, when the caller keeps no hashes,
     * the hashes. */
    size_t nh = form_hashes ? 0 : ntok * TEXT_MAX_FORMS;
    unsigned *cells = malloc(ntok * sizeof(*cells) + nh * sizeof(uint32_t));
    if (!cells)
        return (size_t)-1;
    uint32_t *hashes = form_hashes ? form_hashes : (uint32_t *)(cells + ntok);
    s_hash_doc(m, doc, ntok, hashes, cells);
    for (size_t i = 0; i < ntok; i++) {
        /* A token starts something only when a form is a one-word key, or
         * starts a pair and a form of the next token may end one. */
        unsigned tc = cells[i];
        unsigned nc = i + 1 < ntok ? cells[i + 1] : 0;
        tc &= S_CELLS_CHAIN | (S_CELLS_FIRST & (0u - (unsigned)((nc & S_CELLS_SECOND) != 0)));
        if (!tc && !m->prefix.used)
            continue;
        const text_token_t *t = text_doc_token(doc, i);
        const uint32_t *th = hashes + i * TEXT_MAX_FORMS;
        h.first_of_token = h.n;
        for (size_t f = 0; f < t->n_forms; f++) {
            const char *form = t->forms[f];
            unsigned cell = (tc >> (S_CELL_BITS * f)) & S_CELL_MASK;
            s_slot_t *s;
            if (cell & S_CELL_CHAIN) {
                s = s_find(&m->heads, form, strlen(form), th[f]);
                if (s && s->head != S_NONE && s_try_chain(m, s->head, doc, i, 1, &h))
                    goto fail;
            }
            if ((cell & S_CELL_FIRST)
                && s_try_pairs(m, th, f, th + TEXT_MAX_FORMS, nc, doc, i, t,
                               text_doc_token(doc, i + 1), &h))
                goto fail;
            if (!m->prefix.used)
                continue;
            size_t fl = strlen(form);
            size_t lim = fl < m->max_prefix ? fl : m->max_prefix;
            uint32_t ph = S_FNV_BASIS;
            for (size_t L = 1; L <= lim; L++) {
                ph = (ph ^ (unsigned char)form[L - 1]) * S_FNV_PRIME;
                /* only at code point boundaries */
                if (L < fl && ((unsigned char)form[L] & 0xC0) == 0x80)
                    continue;
                s = s_find(&m->prefix, form, L, s_nz(ph));
                if (s && s_try_chain(m, s->head, doc, i, 1, &h))
                    goto fail;
            }
        }
    }
    free(cells);
    *hits = h.v;
    return h.n;
fail:
    free(cells);
    free(h.v);
    return (size_t)-1;
}
