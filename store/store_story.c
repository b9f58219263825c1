/*
 * store_story.c — which story a new article joins (DESIGN §6).
 *
 * Candidates come from index lookups only, never a scan, so the cost does
 * not grow with the store: earlier articles that share an LSH band with
 * the new one (store_sig.h: a simhash band, or a pair of minhash values),
 * and the latest articles naming one of its rare entities.  Each
 * candidate is then scored:
 *
 *   near-duplicate   simhash within STORE_SIG_NEAR_BITS bits: same story.
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
 */
#include "store_db_internal.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_WINDOW (4 * 24 * 3600)   /* seconds between two reports of one event */
#define S_MAX_CAND 32
#define S_MAX_RARE_LOOKUPS 4      /* rare entities whose articles are looked up */
#define S_MAX_ENT 32
#define S_RARE_SHARE 0.02
#define S_RARE_MIN 3               /* an entity in this many articles is still rare */

typedef struct {
    const char *id;
    bool rare;
} s_ent_t;

static bool s_has(const int64_t *v, size_t n, int64_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

static int s_collect(sqlite3_stmt *st, int64_t *cand, size_t *n)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        if (*n < S_MAX_CAND && !s_has(cand, *n, seq))
            cand[(*n)++] = seq;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_story_decide(store_db_t *db, const proto_article_t *a, const store_sig_t *sig,
                       int64_t event_time, char **story, char **near_dup_of, char **err)
{
    *story = NULL;
    *near_dup_of = NULL;
    int64_t cand[S_MAX_CAND];
    size_t n_cand = 0;

    int64_t bands[STORE_SIG_NBANDS];
    store_sig_bands(sig, bands);
    for (int b = 0; b < STORE_SIG_NBANDS; b++) {
        if (!bands[b])
            continue;
        sqlite3_bind_int64(db->band_lookup, 1, bands[b]);
        if (s_collect(db->band_lookup, cand, &n_cand) != 0)
            goto dberr;
    }

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
        sqlite3_bind_text(db->entity_df, 1, id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(db->entity_df);
        int64_t df = rc == SQLITE_ROW ? sqlite3_column_int64(db->entity_df, 0) : 0;
        sqlite3_reset(db->entity_df);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            goto dberr;
        ents[n_ent].id = id;
        ents[n_ent].rare = df > 0 && (double) df <= rare_max;
        if (ents[n_ent].rare && n_lookups++ < S_MAX_RARE_LOOKUPS) {
            sqlite3_bind_text(db->entity_lookup, 1, id, -1, SQLITE_STATIC);
            if (s_collect(db->entity_lookup, cand, &n_cand) != 0)
                goto dberr;
        }
        n_ent++;
    }

    double best = 0;
    for (size_t c = 0; c < n_cand; c++) {
        sqlite3_stmt *st = db->cand_row;
        sqlite3_bind_int64(st, 1, cand[c]);
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_reset(st);
            continue;
        }
        uint64_t simhash = (uint64_t) sqlite3_column_int64(st, 2);
        uint32_t minhash[STORE_MINHASH_K];
        uint32_t title[STORE_TITLE_WORDS];
        bool have_min = sqlite3_column_bytes(st, 3) == (int) sizeof minhash;
        if (have_min)
            memcpy(minhash, sqlite3_column_blob(st, 3), sizeof minhash);
        size_t n_title = (size_t) sqlite3_column_bytes(st, 4) / sizeof title[0];
        if (n_title > STORE_TITLE_WORDS)
            n_title = STORE_TITLE_WORDS;
        if (n_title)
            memcpy(title, sqlite3_column_blob(st, 4), n_title * sizeof title[0]);
        int64_t when = sqlite3_column_int64(st, 5);

        double score = 0;
        bool near = sqlite3_column_type(st, 2) != SQLITE_NULL && sig->n_words >= 8
                    && store_sig_hamming(simhash, sig->simhash) <= STORE_SIG_NEAR_BITS;
        if (near) {
            score = 100;
        } else if (!event_time || !when || llabs(event_time - when) <= S_WINDOW) {
            double jx = have_min && sig->n_words ? store_sig_minhash_similarity(minhash, sig->minhash)
                                                 : 0;
            double jt = store_sig_set_similarity(title, n_title, sig->title, sig->n_title);
            int rare = 0;
            /* Entities matter only between the two text thresholds. */
            if (n_ent && jx < 0.5 && (jx >= 0.1 || jt >= 0.15)) {
                sqlite3_stmt *es = db->cand_entities;
                sqlite3_bind_int64(es, 1, cand[c]);
                int rc;
                while ((rc = sqlite3_step(es)) == SQLITE_ROW) {
                    const char *id = (const char *) sqlite3_column_text(es, 0);
                    for (size_t j = 0; j < n_ent; j++)
                        if (ents[j].rare && strcmp(ents[j].id, id) == 0)
                            rare++;
                }
                sqlite3_reset(es);
                if (rc != SQLITE_DONE) {
                    sqlite3_reset(st);
                    goto dberr;
                }
            }
            mlog_debug("story: %s vs %s: text %.2f, title %.2f, rare entities %d", a->id,
                       (const char *) sqlite3_column_text(st, 0), jx, jt, rare);
            if (jx >= 0.5 || (rare >= 2 && (jx >= 0.1 || jt >= 0.15))
                || (rare >= 1 && (jx >= 0.25 || jt >= 0.4)))
                score = jx + jt + 0.5 * rare;
        }
        if (score > best) {
            char *s = strdup((const char *) sqlite3_column_text(st, 1));
            char *d = near ? strdup((const char *) sqlite3_column_text(st, 0)) : NULL;
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
    {
        const char *m = sqlite3_errmsg(db->db);
        size_t len = strlen(m) + 32;
        *err = malloc(len);
        if (*err)
            snprintf(*err, len, "choosing a story: %s", m);
    }
fail:
    free(*story);
    free(*near_dup_of);
    *story = NULL;
    *near_dup_of = NULL;
    return -1;
}
