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
 * `pair` table, key "first\x1fsecond"), and the first words alone go into
 * `firsts`: a token whose form is in `firsts` looks up each form of the
 * next token once.  Only phrases whose second word is a prefix stay under
 * their first word.
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
    const char *key;        /* NULL: empty slot */
    size_t len;
    uint32_t hash;
    uint32_t head;          /* first phrase */
} s_slot_t;

typedef struct {
    s_slot_t *slots;
    size_t cap, used;       /* cap is a power of two */
} s_table_t;

struct text_matcher {
    text_arena_t *arena;
    s_phrase_t *phrases;
    size_t nphr, capphr;
    const char **words;
    size_t nwords, capwords;
    s_table_t exact;        /* first word → one-word phrases, and "w0 w1*" */
    s_table_t pair;         /* "w0\x1fw1" → phrases of two words or more */
    s_table_t firsts;       /* first words of the phrases in `pair` (no phrases) */
    s_table_t prefix;       /* one-word prefix phrases */
    size_t max_prefix;      /* longest prefix key, bytes */
};

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

static s_slot_t *
s_find(const s_table_t *t, const char *key, size_t len, uint32_t h)
{
    if (!t->cap)
        return NULL;
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        s_slot_t *s = &t->slots[i];
        if (!s->key)
            return NULL;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

/* The slot for KEY, inserted empty (head S_NONE) if absent; NULL on
 * allocation failure.  The table is kept at most half full. */
static s_slot_t *
s_insert(s_table_t *t, const char *key, size_t len)
{
    uint32_t h = s_hash(key, len);
    s_slot_t *s = s_find(t, key, len, h);
    if (s)
        return s;
    if ((t->used + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        s_slot_t *ns = calloc(ncap, sizeof(*ns));
        if (!ns)
            return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slots[i].key)
                continue;
            size_t j = t->slots[i].hash & (ncap - 1);
            while (ns[j].key)
                j = (j + 1) & (ncap - 1);
            ns[j] = t->slots[i];
        }
        free(t->slots);
        t->slots = ns;
        t->cap = ncap;
    }
    size_t j = h & (t->cap - 1);
    while (t->slots[j].key)
        j = (j + 1) & (t->cap - 1);
    s = &t->slots[j];
    s->key = key;
    s->len = len;
    s->hash = h;
    s->head = S_NONE;
    t->used++;
    return s;
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
    free(m->exact.slots);
    free(m->pair.slots);
    free(m->firsts.slots);
    free(m->prefix.slots);
    free(m);
    *self_p = NULL;
}

static int
s_reserve(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 32;
    while (nc < need)
        nc *= 2;
    void *na = realloc(*arr, nc * elem);
    if (!na)
        return -1;
    *arr = na;
    *cap = nc;
    return 0;
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
    if (n == 1 && prefix) {
        slot = s_insert(&m->prefix, first, flen);
        if (slot && flen > m->max_prefix)
            m->max_prefix = flen;
    }
    else if (n >= 2 && !(n == 2 && prefix)) {
        const char *second = m->words[word0 + 1];
        size_t slen = strlen(second);
        char *key = text_arena_alloc(m->arena, flen + 1 + slen + 1);
        if (!key || !s_insert(&m->firsts, first, flen))
            goto done;
        memcpy(key, first, flen);
        key[flen] = '\x1f';
        memcpy(key + flen + 1, second, slen + 1);
        slot = s_insert(&m->pair, key, flen + 1 + slen);
    }
    else
        slot = s_insert(&m->exact, first, flen);
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

/* Try the phrases chained from HEAD at token I (whose first word matched). */
static int
s_try_chain(const text_matcher_t *m, uint32_t head, const text_doc_t *doc, size_t i,
            s_hits_t *h)
{
    size_t ntok = text_doc_ntokens(doc);
    const text_token_t *t0 = text_doc_token(doc, i);
    for (uint32_t pi = head; pi != S_NONE; pi = m->phrases[pi].next) {
        const s_phrase_t *p = &m->phrases[pi];
        if (i + p->nwords > ntok)
            continue;
        bool ok = true;
        for (uint32_t w = 1; ok && w < p->nwords; w++) {
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

/* The phrases filed under FORM (of token I) and a form of token I + 1. */
static int
s_try_pairs(const text_matcher_t *m, const char *form, size_t fl, const text_doc_t *doc,
            size_t i, s_hits_t *h)
{
    const text_token_t *t = text_doc_token(doc, i), *next = text_doc_token(doc, i + 1);
    if (next->sentence != t->sentence || !s_gap_ok(doc, t->end, next->start))
        return 0;
    char stack[256];
    for (size_t g = 0; g < next->n_forms; g++) {
        size_t gl = strlen(next->forms[g]), kl = fl + 1 + gl;
        char *key = kl < sizeof stack ? stack : malloc(kl + 1);
        if (!key)
            return -1;
        memcpy(key, form, fl);
        key[fl] = '\x1f';
        memcpy(key + fl + 1, next->forms[g], gl);
        s_slot_t *s = s_find(&m->pair, key, kl, s_hash(key, kl));
        if (key != stack)
            free(key);
        if (s && s_try_chain(m, s->head, doc, i, h))
            return -1;
    }
    return 0;
}

size_t
text_matcher_scan(const text_matcher_t *m, const text_doc_t *doc, text_hit_t **hits)
{
    s_hits_t h = { NULL, 0, 0, 0 };
    *hits = NULL;
    if (!m || !doc)
        return (size_t)-1;
    size_t ntok = text_doc_ntokens(doc);
    for (size_t i = 0; i < ntok; i++) {
        const text_token_t *t = text_doc_token(doc, i);
        h.first_of_token = h.n;
        for (size_t f = 0; f < t->n_forms; f++) {
            const char *form = t->forms[f];
            size_t fl = strlen(form);
            uint32_t fh = s_hash(form, fl);
            s_slot_t *s = s_find(&m->exact, form, fl, fh);
            if (s && s_try_chain(m, s->head, doc, i, &h))
                goto fail;
            if (i + 1 < ntok && m->firsts.used && s_find(&m->firsts, form, fl, fh)
                && s_try_pairs(m, form, fl, doc, i, &h))
                goto fail;
            if (!m->prefix.used)
                continue;
            size_t lim = fl < m->max_prefix ? fl : m->max_prefix;
            uint32_t ph = S_FNV_BASIS;
            for (size_t L = 1; L <= lim; L++) {
                ph = (ph ^ (unsigned char)form[L - 1]) * S_FNV_PRIME;
                /* only at code point boundaries */
                if (L < fl && ((unsigned char)form[L] & 0xC0) == 0x80)
                    continue;
                s = s_find(&m->prefix, form, L, ph);
                if (s && s_try_chain(m, s->head, doc, i, &h))
                    goto fail;
            }
        }
    }
    *hits = h.v;
    return h.n;
fail:
    free(h.v);
    return (size_t)-1;
}
