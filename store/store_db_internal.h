/*
 * store_db_internal.h — the parts of store_db_t that the story decision
 * (store_story.c) and pruning share with store_db.c.  Private to store/.
 */
#ifndef MARSAD_STORE_DB_INTERNAL_H
#define MARSAD_STORE_DB_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>
#include "store_db.h"
#include "store_bands.h"
#include "text_sig.h"
#include "db_checkpoint.h"
#include "store_counts.h"
#include "store_keyset.h"

/* What the story decision reads of a candidate (store_story.c), kept in
 * memory for the last STORE_RECENT articles: most candidates are recent
 * ones, and reading them from the database was its largest cost. */
#define STORE_RECENT 8192            /* slots, by seq modulo; ~0.5 KB each */
/* How many of the latest articles the band index holds (store_bands.h):
 * ~160 bytes each plus 32 of hash buckets, 12 MiB.  Near-duplicates older
 * than this many articles are not looked for; articles about the same
 * event are found by their rare entities whatever their age. */
#define STORE_BAND_WINDOW 65536

typedef struct {
    int64_t seq;                     /* 0: empty */
    char *strs;                      /* malloc'd: id, story, then n_ents entity ids, each NUL-ended */
    const char *id, *story, *ents;   /* into strs */
    size_t n_ents;                   /* distinct entities of its mentions */
    int64_t story_seq;               /* its story's (stories.seq) */
    uint64_t simhash;
    int64_t event_time;
    uint32_t minhash[TEXT_MINHASH_K];
    uint32_t title[TEXT_TITLE_WORDS];
    size_t n_title;
} store_recent_t;

struct store_db {
    sqlite3 *db;
    sqlite3_stmt *keys_old, *key_row[3], *fresh_insert, *key_merge,
                 *insert, *mention, *claim, *claim_entity, *fts_insert,
                 *story_upsert, *source_upsert,
                 *entity_lookup, *entity_insert, *cand_row, *cand_entities;
    int64_t n_articles;        /* cached COUNT(*), a rarity estimate only */
    uint64_t bad_index;        /* articles whose index frame did not decode */
    uint64_t cand_reads;       /* store_db_candidates_read */
    store_recent_t *recent;    /* STORE_RECENT slots, or NULL (no memory: all read from the file) */
    store_bands_t *bands;      /* the band index of the latest STORE_BAND_WINDOW articles */
    int64_t recent_mark;       /* entries above this seq (here and in bands) are not committed yet */
    db_checkpoint_t *ckpt;     /* WAL checkpoints off the commit path, or NULL */
    store_counts_t *counts;    /* the entities' counters, written behind */
    store_keyset_t *fresh;     /* keys of the articles in keys_fresh (store_keyset.h) */
    int64_t fresh_mark;        /* entries above this seq are not committed yet */
    int64_t fresh_top;         /* the highest seq filed in fresh */
    size_t merge_at, merge_step;        /* store_db_set_key_merge; 0: the defaults */
    store_keyset_entry_t *merge;        /* the merge under way: its entries, sorted */
    long merge_n, merge_pos;            /* how many; how many merged so far */
    int64_t merge_upto;                 /* it merges the entries of seq <= this */
    int64_t merge_retry_at;             /* marsad_clock_ms before which no merge starts */
    int64_t merge_idle_at;              /* marsad_clock_ms of the last step while idle */
    double merge_cpu;                   /* CPU seconds of the merge under way so far */
    store_db_merge_stats_t merge_stats;
};

/* Remember article SEQ (A, its STORY and that story's STORY_SEQ, SIG,
 * EVENT_TIME), inserted in the open transaction.  Does nothing if memory
 * is short. */
void store_recent_add(store_db_t *db, int64_t seq, const proto_article_t *a, const char *story,
                      int64_t story_seq, const text_sig_t *sig, int64_t event_time);
/* The transaction committed: its entries are trusted from now on. */
void store_recent_commit(store_db_t *db);
/* Forget the entries of a transaction that did not commit (rolled back,
 * or ended some other way: seqs are given again after a rollback). */
void store_recent_drop_uncommitted(store_db_t *db);
/* Forget the remembered candidates (articles were deleted; the band
 * index keeps theirs, which read as gone). */
void store_recent_clear(store_db_t *db);

/* The first of A's mentions naming the entity of its mention I (I if that
 * is the first): an article counts once per entity, however often named. */
size_t store_first_mention(const proto_article_t *a, size_t i);

/* Unix seconds of an RFC 3339 UTC time, 0 if it does not parse. */
int64_t store_db_parse_time(const char *s);

/* The story of a new article that is no exact duplicate: the story of the
 * best matching earlier article (a near-duplicate, or the same event), or
 * a new story named after the article.  DF[i] is how many earlier articles
 * name the entity of its mention i.  *story and *near_dup_of (NULL when
 * not a near-duplicate) are malloc'd; *story_seq is the story's seq, 0
 * for a new story (whose seq is the article's own, given at insert).
 * Returns 0, or -1 on a database error (*err malloc'd). */
int store_story_decide(store_db_t *db, const proto_article_t *a, const text_sig_t *sig,
                       int64_t event_time, const int64_t *df, char **story, int64_t *story_seq,
                       char **near_dup_of, char **err);

#endif
