/*
 * store_entity_days.h — which articles name an entity, filed by the day of
 * their event: table entity_days (day, entity key, article seq), a b-tree
 * led by the day.
 *
 * Why by day: an index on mentions(entity) took each mention on the page
 * of its entity, a random page, in every commit — at 100k stored the
 * largest share of the pages a transaction wrote.  Filed by day, a new
 * article's entries land beside the other entries of its days, on a few
 * pages that the next commits write again.  Look-ups still seek: the
 * story decision asks for the nine days around an article
 * (store_story.c), search for every day from the first to the last
 * (store_search.c), one seek a day.
 *
 * The key is the entity id's store_key (store_key.h): 8 bytes whatever
 * the id.  Two ids may share one; every reader checks the article's own
 * mentions, so that costs a candidate, never a wrong answer.
 */
#ifndef MARSAD_STORE_ENTITY_DAYS_H
#define MARSAD_STORE_ENTITY_DAYS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_ENTITY_DAYS_SQL \
    "CREATE TABLE entity_days (day INTEGER NOT NULL, entity INTEGER NOT NULL," \
    " seq INTEGER NOT NULL, PRIMARY KEY (day, entity, seq)) WITHOUT ROWID;"

/* The articles naming entity key ?1 on days ?2 - 4 .. ?2 + 4 (the days of
 * the story decision's window), the latest day first, and the newest
 * first within a day: the order of the b-tree walked backwards, so that a
 * LIMIT stops the walk (ORDER BY seq alone sorted every row first). */
#define STORE_ENTITY_DAYS_NEAR \
    "SELECT seq FROM entity_days WHERE entity = ?1 AND day IN (?2 - 4, ?2 - 3, ?2 - 2," \
    " ?2 - 1, ?2, ?2 + 1, ?2 + 2, ?2 + 3, ?2 + 4) ORDER BY day DESC, seq DESC"

/* The day of an event at Unix time T. */
int64_t store_entity_day(int64_t t);

/* Into BUF (of SIZE bytes): a subquery giving the seqs of every article
 * naming the entity whose key is parameter number PARAM, for search. */
void store_entity_days_all(char *buf, size_t size, int param);

/* File every stored article's mentions (the migration that made the
 * table).  Returns 0, or -1 on error. */
int store_entity_days_fill(sqlite3 *db);

#endif
