/*
 * store_keyset.h — the keys of the articles stored since the last merge,
 * in memory.
 *
 * An article is found by three keys (store_key.h): of its id, of its
 * content hash and of its canonical URL.  All three are random, so an
 * index on them takes each new article on a random page: at 100k stored,
 * two of the ~6 pages a transaction wrote per article.  The store files a
 * new article's keys in a table appended in seq order (keys_fresh) and
 * here, where they are looked up; every few thousand articles it merges
 * them into the key index (article_keys) in key order, so that a merge
 * writes each page of the index once for thousands of articles
 * (store_db.c, migration 7).  After a crash this set is built again from
 * keys_fresh.
 *
 * A key may be filed more than once (duplicates share a content hash, two
 * strings may share a key): look-ups return the lowest seq, and the
 * caller compares the string.
 */
#ifndef MARSAD_STORE_KEYSET_H
#define MARSAD_STORE_KEYSET_H

#include <stddef.h>
#include <stdint.h>

/* The kinds of key, as filed in article_keys.kind. */
enum { STORE_KEY_ID = 0, STORE_KEY_HASH = 1, STORE_KEY_CANONICAL = 2 };

typedef struct {
    int64_t key;
    int64_t seq;
    int kind;
} store_keyset_entry_t;

typedef struct store_keyset store_keyset_t;

store_keyset_t *store_keyset_new(void);
void store_keyset_destroy(store_keyset_t **self_p);

/* File KEY of KIND for article SEQ (> 0).  Returns 0, -1 out of memory. */
int store_keyset_add(store_keyset_t *self, int kind, int64_t key, int64_t seq);

/* The lowest seq filed under KEY of KIND above AFTER (0: any), or 0. */
int64_t store_keyset_find(const store_keyset_t *self, int kind, int64_t key, int64_t after);

/* Forget every entry whose seq is not in (LO, HI]. */
void store_keyset_keep(store_keyset_t *self, int64_t lo, int64_t hi);

/* How many entries are filed. */
size_t store_keyset_count(const store_keyset_t *self);
/* The lowest seq filed, 0 if none. */
int64_t store_keyset_min_seq(const store_keyset_t *self);

/* The entries with seq <= UPTO, sorted by kind, key and seq (the order of
 * article_keys), into *OUT (malloc'd, caller frees).  Returns how many, or
 * -1 out of memory. */
long store_keyset_sorted(const store_keyset_t *self, int64_t upto, store_keyset_entry_t **out);

#endif
