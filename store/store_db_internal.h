/*
 * store_db_internal.h — the parts of store_db_t that the story decision
 * (store_story.c) and pruning share with store_db.c.  Private to store/.
 */
#ifndef MARSAD_STORE_DB_INTERNAL_H
#define MARSAD_STORE_DB_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>
#include "store_db.h"
#include "store_sig.h"

struct store_db {
    sqlite3 *db;
    sqlite3_stmt *by_id, *by_dup, *insert, *mention, *claim, *claim_entity, *fts_insert,
                 *band_insert, *story_upsert, *entity_upsert, *source_upsert, *entity_df,
                 *band_lookup, *entity_lookup, *cand_row, *cand_entities;
    int64_t n_articles;        /* cached COUNT(*), a rarity estimate only */
};

/* Unix seconds of an RFC 3339 UTC time, 0 if it does not parse. */
int64_t store_db_parse_time(const char *s);

/* The story of a new article that is no exact duplicate: the story of the
 * best matching earlier article (a near-duplicate, or the same event), or
 * a new story named after the article.  *story and *near_dup_of (NULL when
 * not a near-duplicate) are malloc'd.  Returns 0, or -1 on a database
 * error (*err malloc'd). */
int store_story_decide(store_db_t *db, const proto_article_t *a, const store_sig_t *sig,
                       int64_t event_time, char **story, char **near_dup_of, char **err);

#endif
