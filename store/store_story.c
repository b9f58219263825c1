/*
 * store_story.c — which story a new article joins (DESIGN §6).
 *
 * Candidates come from index lookups only, never a scan, so the cost does
 * not grow with the store: earlier articles among the latest
 * STORE_BAND_WINDOW that share an LSH band with the new one (store_bands.h;
 * text_sig.h: a triple of minhash values, or a simhash band),
 * and the latest articles of the nine days around it naming one of its
 * rare entities (entity_days, filed by the day of the event:
 * store_entity_days.h; those of another week are never read).  Each
 * candidate is then scored:
 *
 *   near-duplicate   simhash within TEXT_SIG_NEAR_BITS bits: same story.
 *   same event       within S_WINDOW of each other, and
 *                      - word sets mostly the same (minhash >= 0.5), or
 *                      - two or more shared rare entities, and the texts or
 *                        the headlines overlap a little, or
 *                      - one shared rare entity, and the texts or the
 *                        headlines overlap clearly.
 *
 * "Rare" is what makes an event: an entity named in at most S_RARE_SHARE
 * of the stored articles (and always when the store is still small).
 * Russia, named by every arms story of the week, is not rare; a named
 * dealer, a ship or a village is.  Other spellings of a name are the same
 * entity once the extractor's catalog resolves them, which is why entity
 * ids, not surface words, carry the decision.
 *
 * A candidate's signatures, story and entities come from memory when it
 * is among the last STORE_RECENT articles (store_db_internal.h), else
 * from the file.  Only committed articles, and those of the open
 * transaction, are remembered: after a rollback their seqs are given to
 * other articles.
 */
#include "store_db_internal.h"
#include "store_entity_days.h"
#include "store_key.h"
#include "db_migrate.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_WINDOW (4 * 24 * 3600)   /* seconds between two reports of one event */
#define S_MAX_CAND 32
#define S_PER_BAND 16             /* the newest articles of each band that are candidates */
#define S_MAX_RARE_LOOKUPS 4      /* rare entities whose articles are looked up */
#define S_MAX_ENT 32
#define S_RARE_SHARE 0.02
#define S_RARE_MIN 3               /* an entity in this many articles is still rare */

typedef struct {
    const char *id;
    bool rare;
} s_ent_t;

/* One candidate as the scoring reads it; strings borrowed (from the
 * recent cache or from the row of cand_row, until its reset). */
typedef struct {
    const char *id, *story;
    int64_t story_seq;
    bool has_simhash, have_min;
    uint64_t simhash;
    int64_t when;
    uint32_t minhash[TEXT_MINHASH_K];
    uint32_t title[TEXT_TITLE_WORDS];
    size_t n_title;
    const store_recent_t *recent;    /* NULL: entities are read from the file */
} s_cand_t;

static store_recent_t *s_slot(store_db_t *db, int64_t seq)
{
    return db->recent ? &db->recent[(uint64_t) seq % STORE_RECENT] : NULL;
}

static void s_slot_clear(store_recent_t *r)
{
    free(r->strs);
    memset(r, 0, sizeof *r);
}

void store_recent_add(store_db_t *db, int64_t seq, const proto_article_t *a, const char *story,
                      int64_t story_seq, const text_sig_t *sig, int64_t event_time)
{
    store_recent_t *r = s_slot(db, seq);
    if (!r)
        return;
    s_slot_clear(r);
    size_t len = strlen(a->id) + strlen(story) + 2;
    for (size_t i = 0; i < a->n_mentions; i++)
        len += strlen(a->mentions[i].entity) + 1;
    char *p = malloc(len);
    if (!p)
        return;
    r->strs = p;
    r->id = p;
    p = stpcpy(p, a->id) + 1;
    r->story = p;
    p = stpcpy(p, story) + 1;
    r->ents = p;
    /* distinct, as SELECT DISTINCT entity FROM mentions would give */
    for (size_t i = 0; i < a->n_mentions; i++) {
        if (store_first_mention(a, i) < i)
            continue;
        p = stpcpy(p, a->mentions[i].entity) + 1;
        r->n_ents++;
    }
    r->story_seq = story_seq;
    r->simhash = sig->simhash;
    r->event_time = event_time;
    memcpy(r->minhash, sig->minhash, sizeof r->minhash);
    memcpy(r->title, sig->title, sig->n_title * sizeof sig->title[0]);
    r->n_title = sig->n_title;
    r->seq = seq;
}

uint64_t store_db_candidates_read(const store_db_t *db) { return db->cand_reads; }

void store_recent_commit(store_db_t *db)
{
    int64_t top = db->recent_mark;
    if (store_bands_top(db->bands) > top)
        top = store_bands_top(db->bands);
    for (size_t i = 0; db->recent && i < STORE_RECENT; i++)
        if (db->recent[i].seq > top)
            top = db->recent[i].seq;
    db->recent_mark = top;
}

void store_recent_drop_uncommitted(store_db_t *db)
{
    store_bands_forget_after(db->bands, db->recent_mark);
    for (size_t i = 0; db->recent && i < STORE_RECENT; i++)
        if (db->recent[i].seq > db->recent_mark)
            s_slot_clear(&db->recent[i]);
}

void store_recent_clear(store_db_t *db)
{
    for (size_t i = 0; db->recent && i < STORE_RECENT; i++)
        s_slot_clear(&db->recent[i]);
}

/* Candidate SEQ into C: from memory, or from the file with ST (cand_row,
 * left stepped: the caller resets it).  Returns 1 if found, 0 if the
 * article is gone, -1 on a database error. */
static int s_cand(store_db_t *db, int64_t seq, sqlite3_stmt *st, s_cand_t *c)
{
    const store_recent_t *r = s_slot(db, seq);
    if (r && r->seq == seq) {
        c->id = r->id;
        c->story = r->story;
        c->story_seq = r->story_seq;
        c->has_simhash = true;
        c->simhash = r->simhash;
        c->have_min = true;
        memcpy(c->minhash, r->minhash, sizeof c->minhash);
        memcpy(c->title, r->title, r->n_title * sizeof r->title[0]);
        c->n_title = r->n_title;
        c->when = r->event_time;
        c->recent = r;
        return 1;
    }
    db->cand_reads++;
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : -1;
    c->id = (const char *) sqlite3_column_text(st, 0);
    c->story = (const char *) sqlite3_column_text(st, 1);
    c->has_simhash = sqlite3_column_type(st, 2) != SQLITE_NULL;
    c->simhash = (uint64_t) sqlite3_column_int64(st, 2);
    c->have_min = sqlite3_column_bytes(st, 3) == (int) sizeof c->minhash;
    if (c->have_min)
        memcpy(c->minhash, sqlite3_column_blob(st, 3), sizeof c->minhash);
    c->n_title = (size_t) sqlite3_column_bytes(st, 4) / sizeof c->title[0];
    if (c->n_title > TEXT_TITLE_WORDS)
        c->n_title = TEXT_TITLE_WORDS;
    if (c->n_title)
        memcpy(c->title, sqlite3_column_blob(st, 4), c->n_title * sizeof c->title[0]);
    c->when = sqlite3_column_int64(st, 5);
    c->story_seq = sqlite3_column_int64(st, 6);
    c->recent = NULL;
    if (!c->id || !c->story)
        return -1;
    return 1;
}

/* How many of the rare entities of ENTS (N_ENT) candidate C names.
 * Returns -1 on a database error. */
static int s_rare_shared(store_db_t *db, int64_t seq, const s_cand_t *c, const s_ent_t *ents,
                         size_t n_ent)
{
    int rare = 0;
    if (c->recent) {
        const char *e = c->recent->ents;
        for (size_t i = 0; i < c->recent->n_ents; i++, e += strlen(e) + 1)
            for (size_t j = 0; j < n_ent; j++)
                if (ents[j].rare && strcmp(ents[j].id, e) == 0)
                    rare++;
        return rare;
    }
    sqlite3_stmt *es = db->cand_entities;
    sqlite3_bind_int64(es, 1, seq);
    int rc;
    while ((rc = sqlite3_step(es)) == SQLITE_ROW) {
        const char *id = (const char *) sqlite3_column_text(es, 0);
        for (size_t j = 0; id && j < n_ent; j++)
            if (ents[j].rare && strcmp(ents[j].id, id) == 0)
                rare++;
    }
    sqlite3_reset(es);
    return rc == SQLITE_DONE ? rare : -1;
}

/* Whether an article of SIMHASH is a near-duplicate of one of SIG (too
 * short a text never is: a few words say too little). */
static bool s_near(const text_sig_t *sig, uint64_t simhash)
{
    return sig->n_words >= 8 && text_sig_hamming(simhash, sig->simhash) <= TEXT_SIG_NEAR_BITS;
}

static bool s_has(const int64_t *v, size_t n, int64_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

/* The newest articles naming entity ID on the days around EVENT_TIME
 * (entity_days; 8 of them, entity_lookup's LIMIT), appended to CAND
 * (holding *N) unless there.
 * Returns 0, or -1 on a database error. */
static int s_collect(store_db_t *db, const char *id, int64_t event_time, int64_t *cand,
                     size_t *n)
{
    sqlite3_stmt *st = db->entity_lookup;
    sqlite3_bind_int64(st, 1, store_key(id));
    sqlite3_bind_int64(st, 2, store_entity_day(event_time));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        if (*n < S_MAX_CAND && !s_has(cand, *n, seq))
            cand[(*n)++] = seq;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_story_decide(store_db_t *db, const proto_article_t *a, const text_sig_t *sig,
                       int64_t event_time, const int64_t *df, char **story, int64_t *story_seq,
                       char **near_dup_of, char **err)
{
    *story = NULL;
    *story_seq = 0;
    *near_dup_of = NULL;
    int64_t cand[S_MAX_CAND];
    size_t n_cand = 0;

    int64_t bands[TEXT_SIG_NBANDS];
    text_sig_bands(sig, bands);
    store_bands_lookup(db->bands, bands, S_PER_BAND, cand, &n_cand, S_MAX_CAND);
    /* A band match from another week can only be a near-duplicate: the
     * index knows its simhash and time, so one that is neither is dropped
     * here, unread, and leaves its place to the entity look-ups. */
    size_t kept = 0;
    for (size_t i = 0; i < n_cand; i++) {
        store_bands_info_t info;
        if (store_bands_info(db->bands, cand[i], &info) && info.has_simhash && info.when
            && event_time && llabs(event_time - info.when) > S_WINDOW
            && !s_near(sig, info.simhash))
            continue;
        cand[kept++] = cand[i];
    }
    n_cand = kept;

    /* The article's distinct entities, and which are rare. */
    s_ent_t ents[S_MAX_ENT];
    size_t n_ent = 0, n_lookups = 0;
    double rare_max = (double) db->n_articles * S_RARE_SHARE;
    if (rare_max < S_RARE_MIN)
        rare_max = S_RARE_MIN;
    for (size_t i = 0; i < a->n_mentions && n_ent < S_MAX_ENT; i++) {
        const char *id = a->mentions[i].entity;
        bool seen = false;
        for (size_t j = 0; j < n_ent && !seen; j++)
            seen = strcmp(ents[j].id, id) == 0;
        if (seen)
            continue;
        ents[n_ent].id = id;
        ents[n_ent].rare = df[i] > 0 && (double) df[i] <= rare_max;
        /* the latest of the days around it (an article whose time is
         * unknown, day 0, meets those of unknown time) */
        if (ents[n_ent].rare && n_lookups++ < S_MAX_RARE_LOOKUPS
            && s_collect(db, id, event_time, cand, &n_cand) != 0)
            goto dberr;
        n_ent++;
    }

    double best = 0;
    for (size_t i = 0; i < n_cand; i++) {
        sqlite3_stmt *st = db->cand_row;
        s_cand_t c;
        int found = s_cand(db, cand[i], st, &c);
        if (found <= 0) {
            sqlite3_reset(st);
            if (found < 0)
                goto dberr;
            continue;
        }
        double score = 0;
        bool near = c.has_simhash && s_near(sig, c.simhash);
        if (near) {
            score = 100;
        } else if (!event_time || !c.when || llabs(event_time - c.when) <= S_WINDOW) {
            double jx = c.have_min && sig->n_words
                            ? text_sig_minhash_similarity(c.minhash, sig->minhash) : 0;
            double jt = text_sig_set_similarity(c.title, c.n_title, sig->title, sig->n_title);
            int rare = 0;
            /* Entities matter only between the two text thresholds. */
            if (n_ent && jx < 0.5 && (jx >= 0.1 || jt >= 0.15)) {
                rare = s_rare_shared(db, cand[i], &c, ents, n_ent);
                if (rare < 0) {
                    sqlite3_reset(st);
                    goto dberr;
                }
            }
            mlog_debug("story: %s vs %s: text %.2f, title %.2f, rare entities %d", a->id, c.id,
                       jx, jt, rare);
            if (jx >= 0.5 || (rare >= 2 && (jx >= 0.1 || jt >= 0.15))
                || (rare >= 1 && (jx >= 0.25 || jt >= 0.4)))
                score = jx + jt + 0.5 * rare;
        }
        if (score > best) {
            char *s = strdup(c.story);
            char *d = near ? strdup(c.id) : NULL;
            if (!s || (near && !d)) {
                free(s);
                free(d);
                sqlite3_reset(st);
                *err = strdup("out of memory");
                goto fail;
            }
            free(*story);
            free(*near_dup_of);
            *story = s;
            *story_seq = c.story_seq;
            *near_dup_of = d;
            best = score;
        }
        sqlite3_reset(st);
    }
    if (!*story && !(*story = strdup(a->id))) {
        *err = strdup("out of memory");
        goto fail;
    }
    return 0;
dberr:
    *err = db_reason(db->db, "choosing a story");
fail:
    free(*story);
    free(*near_dup_of);
    *story = NULL;
    *story_seq = 0;
    *near_dup_of = NULL;
    return -1;
}
