/*
 * store_db.c — the SQLite side of marsad-store (see store_db.h).
 *
 * Schema changes are numbered migrations applied in order at open, each in
 * its own transaction with PRAGMA user_version moved inside it, so a crash
 * mid-migration leaves the file at the previous version.  A migration is
 * SQL, plus optionally a C step for what SQL cannot compute (the folded
 * forms of the full-text index and the signatures need the text library).
 *
 * Durability: WAL with synchronous=FULL — a committed article survives a
 * power cut, which is what the ack promises the fetcher.
 *
 * The full-text index (articles_fts) is contentless: it keeps only the
 * index of the forms (text_forms.h), the text itself lives once, in
 * articles.text.  Deleting from it needs the indexed values again, which
 * are recomputed from the stored text (store_db_prune).
 *
 * An article is found by the 64-bit keys (store_key.h) of its id, content
 * hash and canonical URL: those of recent articles in memory and in
 * keys_fresh, the others in article_keys, where they are merged in bulk
 * every few thousand articles, while the store is idle or, in a store too
 * busy to idle, before a transaction (store_keyset.h, s_merge_step).
 */
#include "store_db_internal.h"
#include "store_counts.h"
#include "store_key.h"
#include "store_entity_days.h"
#include "log.h"
#include "daemon.h"
#include "db_migrate.h"
#include "text_forms.h"
#include "text_index.h"
/* XXX proto's JSON helpers, for the claim detail column: the claim object
 * exactly as the wire carries it, without a second codec here. */
#include "proto_json.h"
#include "text_sig.h"
#include "text.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int s_backfill_v2(sqlite3 *db);
static int s_reindex_v3(sqlite3 *db);

/* The full-text index from version 3 on.  It is only a filter that finds
 * a superset of the articles a search can match (store_search.c): queries
 * are ANDs and ORs of single terms and prefixes, never phrases, columns or
 * ranks, so it keeps which articles hold a term and nothing more
 * (detail=none, columnsize=0).  Its text is already the distinct folded
 * forms, separated by spaces (text_forms.h): the ascii tokenizer with
 * every printable ASCII punctuation byte as a token character splits
 * there and only there (bytes >= 0x80 are always token characters), which
 * is far cheaper than unicode61 and keeps "ak-74" one term. */
#define S_FTS_SQL \
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='', detail=none," \
    " columnsize=0, tokenize=\"ascii tokenchars '!\"\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~'\");"

/* Migration N brings user_version from N-1 to N (db_migrate.h). */
static const db_migration_t s_migrations[] = {
    /* 1: articles, mentions, claims */
    { "CREATE TABLE articles ("
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"   /* never reused, even after deletes */
      "  id TEXT NOT NULL UNIQUE,"
      "  source TEXT NOT NULL, url TEXT NOT NULL, canonical_url TEXT,"
      "  title TEXT NOT NULL, text TEXT NOT NULL, lang TEXT NOT NULL,"
      "  published_at TEXT, fetched_at TEXT NOT NULL, stored_at TEXT NOT NULL,"
      "  content_hash TEXT NOT NULL, story_id TEXT NOT NULL, duplicate_of TEXT);"
      "CREATE INDEX articles_hash ON articles(content_hash);"
      "CREATE INDEX articles_canonical ON articles(canonical_url);"
      "CREATE TABLE mentions ("
      "  article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,"
      "  entity TEXT NOT NULL, type TEXT NOT NULL, surface TEXT NOT NULL,"
      "  start INTEGER NOT NULL, end INTEGER NOT NULL, sentence INTEGER NOT NULL);"
      "CREATE INDEX mentions_article ON mentions(article_seq);"
      "CREATE INDEX mentions_entity ON mentions(entity);"
      "CREATE TABLE claims ("
      "  article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,"
      "  speaker TEXT NOT NULL, cue TEXT NOT NULL, stance TEXT NOT NULL, content TEXT NOT NULL,"
      "  start INTEGER NOT NULL, end INTEGER NOT NULL);"
      "CREATE INDEX claims_article ON claims(article_seq);", NULL },

    /* 2: signatures and event time on articles, stories, entities, sources,
     * the entities of each claim, LSH bands, and the full-text index.
     * Existing rows are carried over: stories, entities and sources from
     * the articles and mentions; signatures and index by s_backfill_v2. */
    { "ALTER TABLE articles ADD COLUMN near_duplicate_of TEXT;"
      "ALTER TABLE claims ADD COLUMN detail TEXT;"    /* the claim object as received (JSON) */
      "ALTER TABLE articles ADD COLUMN simhash INTEGER;"
      "ALTER TABLE articles ADD COLUMN minhash BLOB;"
      "ALTER TABLE articles ADD COLUMN title_sig BLOB;"
      "ALTER TABLE articles ADD COLUMN event_time INTEGER;"
      "CREATE INDEX articles_story ON articles(story_id);"
      "CREATE INDEX articles_stored ON articles(stored_at);"
      "DROP INDEX mentions_entity;"
      "CREATE INDEX mentions_entity ON mentions(entity, article_seq);"
      "CREATE TABLE stories ("
      "  id TEXT PRIMARY KEY, title TEXT NOT NULL,"
      "  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
      "  article_count INTEGER NOT NULL DEFAULT 0);"
      "INSERT INTO stories (id, title, first_seen, last_seen, article_count)"
      "  SELECT a.story_id,"
      "    (SELECT b.title FROM articles b WHERE b.story_id = a.story_id ORDER BY b.seq LIMIT 1),"
      "    MIN(COALESCE(a.published_at, a.fetched_at)), MAX(COALESCE(a.published_at, a.fetched_at)),"
      "    COUNT(*) FROM articles a GROUP BY a.story_id;"
      "CREATE TABLE entities ("
      "  id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL,"
      "  discovered INTEGER NOT NULL,"          /* 1: proposed by the extractor, not in the catalog */
      "  first_seen TEXT, last_seen TEXT, article_count INTEGER NOT NULL DEFAULT 0);"
      "INSERT INTO entities (id, type, name, discovered, first_seen, last_seen, article_count)"
      "  SELECT m.entity, MIN(m.type), MIN(m.surface), m.entity LIKE 'new:%',"
      "    MIN(COALESCE(a.published_at, a.fetched_at)), MAX(COALESCE(a.published_at, a.fetched_at)),"
      "    COUNT(DISTINCT m.article_seq)"
      "  FROM mentions m JOIN articles a ON a.seq = m.article_seq GROUP BY m.entity;"
      "CREATE TABLE sources ("
      "  name TEXT PRIMARY KEY, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
      "  article_count INTEGER NOT NULL DEFAULT 0);"
      "INSERT INTO sources SELECT source, MIN(stored_at), MAX(stored_at), COUNT(*)"
      "  FROM articles GROUP BY source;"
      "CREATE TABLE claim_entities ("
      "  article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,"
      "  claim INTEGER NOT NULL,"               /* rowid in claims */
      "  entity TEXT NOT NULL,"
      "  PRIMARY KEY (article_seq, claim, entity)) WITHOUT ROWID;"
      "INSERT OR IGNORE INTO claim_entities SELECT c.article_seq, c.rowid, m.entity"
      "  FROM claims c JOIN mentions m ON m.article_seq = c.article_seq"
      "  AND m.start >= c.start AND m.end <= c.end;"
      /* No foreign key: pruning deletes bands by their key, recomputed from
       * the article's signatures, which needs no index on seq. */
      "CREATE TABLE sig_bands (band INTEGER NOT NULL, seq INTEGER NOT NULL,"
      "  PRIMARY KEY (band, seq)) WITHOUT ROWID;"
      "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='',"
      "  tokenize='unicode61');", s_backfill_v2 },

    /* 3: the full-text index rebuilt as a term filter (S_FTS_SQL) over the
     * distinct forms; a contentless index cannot be converted in place,
     * so it is made again from the stored text by s_reindex_v3.  And the
     * columns the story decision reads of each candidate, in an index of
     * their own by seq: a candidate costs a look-up in a dense b-tree
     * (~300 bytes an article, appended in seq order) instead of in the
     * articles table, whose rows carry the whole text and rarely stay in
     * the page cache (store_story.c). */
    { "DROP TABLE articles_fts;" S_FTS_SQL
      "CREATE INDEX articles_sig ON articles(seq, id, story_id, simhash, minhash, title_sig,"
      "  event_time);", s_reindex_v3 },

    /* 4: the LSH bands move to memory (store_bands.h), rebuilt at open
     * from the signatures in articles_sig: filed in a table, each article
     * dirtied eight random pages of it.  And each mention carries its
     * article's event time, indexed with the entity: the story decision
     * asks for the articles naming an entity within days of a new one,
     * which an index by seq could only answer by reading each posting's
     * article (store_story.c). */
    { "DROP TABLE sig_bands;"
      "ALTER TABLE mentions ADD COLUMN event_time INTEGER;"
      "UPDATE mentions SET event_time ="
      "  (SELECT a.event_time FROM articles a WHERE a.seq = mentions.article_seq);"
      "DROP INDEX mentions_entity;"
      "CREATE INDEX mentions_entity ON mentions(entity, event_time);", NULL },

    /* 5: the entities' counters are written behind (store_counts.h); this
     * row says up to which article seq the table has counted.  Every
     * article so far was counted as it was stored.  And which articles
     * name an entity is filed by the day of their event
     * (store_entity_days.h), not in an index on mentions that took each
     * mention on a random page; filled here from the mentions. */
    { "CREATE TABLE counters (name TEXT PRIMARY KEY, seq INTEGER NOT NULL);"
      "INSERT INTO counters SELECT 'entities', COALESCE(MAX(seq), 0) FROM articles;"
      "DROP INDEX mentions_entity;" STORE_ENTITY_DAYS_SQL, store_entity_days_fill },

    /* 6: articles and stories filed by integer keys.  Each article had
     * landed on a random page of four text indexes — its id (UNIQUE), its
     * content hash, its story's id, and the story's own primary key —
     * which at 100k stored were 6 of the ~10 pages a transaction wrote
     * per article.  Now the id and the hash are looked up by store_key
     * (store_key.h), in indexes five times denser; and a story is filed by
     * the seq of its first article (stories.seq, articles.story_seq, NULL
     * for the first article itself), which new stories append and recent
     * ones update near the end of the b-tree.  The text columns stay, for
     * the answers and the wire.  A column constraint (UNIQUE on id) can
     * only be dropped by copying the table: s_migrate turns foreign keys
     * off around it, so that dropping the old table cascades nothing. */
    { "CREATE TABLE stories_v6 ("
      "  seq INTEGER PRIMARY KEY,"               /* the seq of its first article */
      "  id TEXT NOT NULL, title TEXT NOT NULL,"
      "  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
      "  article_count INTEGER NOT NULL DEFAULT 0);"
      "INSERT INTO stories_v6 SELECT f.seq, s.id, s.title, s.first_seen, s.last_seen,"
      "  s.article_count FROM stories s"
      "  JOIN (SELECT story_id, MIN(seq) AS seq FROM articles GROUP BY story_id) f"
      "  ON f.story_id = s.id;"
      "DROP TABLE stories;"
      "ALTER TABLE stories_v6 RENAME TO stories;"
      "CREATE TABLE articles_v6 ("
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  id TEXT NOT NULL, id_key INTEGER NOT NULL,"
      "  source TEXT NOT NULL, url TEXT NOT NULL, canonical_url TEXT,"
      "  title TEXT NOT NULL, text TEXT NOT NULL, lang TEXT NOT NULL,"
      "  published_at TEXT, fetched_at TEXT NOT NULL, stored_at TEXT NOT NULL,"
      "  content_hash TEXT NOT NULL, hash_key INTEGER NOT NULL,"
      "  story_id TEXT NOT NULL, story_seq INTEGER,"
      "  duplicate_of TEXT, near_duplicate_of TEXT,"
      "  simhash INTEGER, minhash BLOB, title_sig BLOB, event_time INTEGER);"
      "INSERT INTO articles_v6 SELECT a.seq, a.id, marsad_key(a.id), a.source, a.url,"
      "  a.canonical_url, a.title, a.text, a.lang, a.published_at, a.fetched_at, a.stored_at,"
      "  a.content_hash, marsad_key(a.content_hash), a.story_id,"
      "  NULLIF((SELECT MIN(b.seq) FROM articles b WHERE b.story_id = a.story_id), a.seq),"
      "  a.duplicate_of, a.near_duplicate_of, a.simhash, a.minhash, a.title_sig, a.event_time"
      "  FROM articles a ORDER BY a.seq;"
      /* seqs are never given twice: the counter outlives the old table */
      "CREATE TEMP TABLE v6_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'articles';"
      "DROP TABLE articles;"
      "ALTER TABLE articles_v6 RENAME TO articles;"
      "DELETE FROM sqlite_sequence WHERE name = 'articles';"
      "INSERT INTO sqlite_sequence (name, seq) SELECT 'articles',"
      "  MAX(COALESCE((SELECT seq FROM v6_seq), 0), COALESCE((SELECT MAX(seq) FROM articles), 0));"
      "DROP TABLE v6_seq;"
      "CREATE INDEX articles_id ON articles(id_key);"
      "CREATE INDEX articles_hash ON articles(hash_key);"
      "CREATE INDEX articles_canonical ON articles(canonical_url);"
      "CREATE INDEX articles_story ON articles(" STORE_STORY_SEQ ");"
      "CREATE INDEX articles_stored ON articles(stored_at);"
      "CREATE INDEX articles_sig ON articles(seq, id, story_id, story_seq, simhash, minhash,"
      "  title_sig, event_time);", NULL },

    /* 7: the keys of id, content hash and canonical URL leave their
     * indexes on articles for a key index merged in bulk (store_keyset.h).
     * Dense as they were, the three took each new article on a random
     * page, and at 100k stored were 2.6 of the 5.7 pages a transaction
     * wrote per article.  A new article's keys are appended to keys_fresh
     * (by seq) and kept in memory; every few thousand articles they go
     * into article_keys in key order.  Everything stored so far goes
     * there now, read from the old indexes. */
    { "CREATE TABLE article_keys (kind INTEGER NOT NULL, key INTEGER NOT NULL,"
      "  seq INTEGER NOT NULL, PRIMARY KEY (kind, key, seq)) WITHOUT ROWID;"
      "INSERT INTO article_keys"
      "  SELECT 0, id_key, seq FROM articles"
      "  UNION ALL SELECT 1, hash_key, seq FROM articles"
      "  UNION ALL SELECT 2, marsad_key(canonical_url), seq FROM articles"
      "    WHERE canonical_url IS NOT NULL"
      "  ORDER BY 1, 2, 3;"
      "CREATE TABLE keys_fresh (seq INTEGER PRIMARY KEY, id_key INTEGER NOT NULL,"
      "  hash_key INTEGER NOT NULL, canon_key INTEGER);"
      "DROP INDEX articles_id;"
      "DROP INDEX articles_hash;"
      "DROP INDEX articles_canonical;", NULL },
};
#define S_NMIGRATIONS ((int) (sizeof s_migrations / sizeof s_migrations[0]))
_Static_assert(S_NMIGRATIONS == STORE_DB_VERSION, "STORE_DB_VERSION is the last migration");

/* STORE_DB_ENOSPC for a full database or disk, -1 for anything else. */
static int s_fail(sqlite3 *db)
{
    int ext = sqlite3_extended_errcode(db);
    return (ext & 0xff) == SQLITE_FULL || ext == SQLITE_IOERR_WRITE ? STORE_DB_ENOSPC : -1;
}

int64_t store_db_parse_time(const char *s)
{
    if (!s)
        return 0;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) < 3)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t) timegm(&tm);
}


/* Signatures, event time, bands and index entries of every article already
 * stored (articles written by a version-1 store). */
static int s_backfill_v2(sqlite3 *db)
{
    sqlite3_stmt *rd = NULL, *up = NULL, *fts = NULL, *band = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT seq, title, text, COALESCE(published_at, fetched_at)"
                           " FROM articles ORDER BY seq", -1, &rd, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "UPDATE articles SET simhash = ?2, minhash = ?3,"
                              " title_sig = ?4, event_time = ?5 WHERE seq = ?1", -1, &up, NULL)
           != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT INTO articles_fts (rowid, title, body)"
                              " VALUES (?1, ?2, ?3)", -1, &fts, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO sig_bands (band, seq) VALUES (?1, ?2)",
                              -1, &band, NULL) != SQLITE_OK)
        goto out;
    int step;
    while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(rd, 0);
        const char *title = (const char *) sqlite3_column_text(rd, 1);
        const char *text = (const char *) sqlite3_column_text(rd, 2);
        title = title ? title : "";
        text = text ? text : "";
        text_doc_t *td = text_doc_words(title, strlen(title));
        text_doc_t *xd = text_doc_words(text, strlen(text));
        char *tf = td ? text_forms_of_doc(td) : NULL;
        char *xf = xd ? text_forms_of_doc(xd) : NULL;
        text_sig_t sig;
        text_sig_compute(td, xd, &sig);
        int ok = tf && xf;
        if (ok) {
            sqlite3_bind_int64(up, 1, seq);
            sqlite3_bind_int64(up, 2, (int64_t) sig.simhash);
            sqlite3_bind_blob(up, 3, sig.minhash, sizeof sig.minhash, SQLITE_TRANSIENT);
            sqlite3_bind_blob(up, 4, sig.title, (int) (sig.n_title * sizeof sig.title[0]),
                              SQLITE_TRANSIENT);
            sqlite3_bind_int64(up, 5, store_db_parse_time((const char *) sqlite3_column_text(rd, 3)));
            ok = sqlite3_step(up) == SQLITE_DONE;
            sqlite3_reset(up);
        }
        if (ok) {
            sqlite3_bind_int64(fts, 1, seq);
            sqlite3_bind_text(fts, 2, tf, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(fts, 3, xf, -1, SQLITE_TRANSIENT);
            ok = sqlite3_step(fts) == SQLITE_DONE;
            sqlite3_reset(fts);
        }
        int64_t bands[TEXT_SIG_NBANDS];
        text_sig_bands(&sig, bands);
        for (int b = 0; ok && b < TEXT_SIG_NBANDS; b++) {
            if (!bands[b])
                continue;
            sqlite3_bind_int64(band, 1, bands[b]);
            sqlite3_bind_int64(band, 2, seq);
            ok = sqlite3_step(band) == SQLITE_DONE;
            sqlite3_reset(band);
        }
        free(tf);
        free(xf);
        text_doc_destroy(&td);
        text_doc_destroy(&xd);
        if (!ok)
            goto out;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
out:
    sqlite3_finalize(rd);
    sqlite3_finalize(up);
    sqlite3_finalize(fts);
    sqlite3_finalize(band);
    return rc;
}

/* The index entries of every stored article, into an empty articles_fts. */
static int s_reindex_v3(sqlite3 *db)
{
    sqlite3_stmt *rd = NULL, *fts = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT seq, title, text FROM articles ORDER BY seq", -1, &rd,
                           NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT INTO articles_fts (rowid, title, body)"
                              " VALUES (?1, ?2, ?3)", -1, &fts, NULL) != SQLITE_OK)
        goto out;
    int step;
    while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
        const char *title = (const char *) sqlite3_column_text(rd, 1);
        const char *text = (const char *) sqlite3_column_text(rd, 2);
        char *tf = text_forms(title, title ? strlen(title) : 0);
        char *xf = text_forms(text, text ? strlen(text) : 0);
        int ok = tf && xf;
        if (ok) {
            sqlite3_bind_int64(fts, 1, sqlite3_column_int64(rd, 0));
            sqlite3_bind_text(fts, 2, tf, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(fts, 3, xf, -1, SQLITE_TRANSIENT);
            ok = sqlite3_step(fts) == SQLITE_DONE;
            sqlite3_reset(fts);
        }
        free(tf);
        free(xf);
        if (!ok)
            goto out;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
out:
    sqlite3_finalize(rd);
    sqlite3_finalize(fts);
    return rc;
}

static int s_migrate(sqlite3 *db, int target, char **err)
{
    /* Migration 6 copies the articles table: with foreign keys on,
     * dropping the old one would delete every mention and claim.  (The
     * pragma is a no-op inside a transaction, so it goes around them.) */
    int from = db_user_version(db);
    if (from > 0 && from < 6 && target >= 6)
        mlog_info("store: filing the articles by integer keys (schema 6): this copies the"
                  " articles table once: 15 s for 100,000 articles here");
    sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
    int rc = db_migrate(db, s_migrations, S_NMIGRATIONS, target, "database", err);
    sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    return rc;
}

static sqlite3 *s_connect(const char *path, char **err)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
        != SQLITE_OK) {
        *err = db_reason(db, path);
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    if (store_key_register(db) != SQLITE_OK) {
        *err = db_reason(db, "registering marsad_key");
        sqlite3_close(db);
        return NULL;
    }
    /* A 16 MiB page cache: the hot parts of the index b-trees stay in
     * memory, and the process, with its 12 MiB band index, stays well under
     * its 64 MiB (issue #10).  store-bench at 100k stored, once the bands
     * left the file: 16 and 24 MiB ran at the same speed (2,738 and 2,745
     * per CPU second); with the bands in the file, 24 MiB had run ~10%
     * slower than 64 and 16 MiB ~17% slower. */
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     " PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;", NULL, NULL, NULL)
        != SQLITE_OK) {
        *err = db_reason(db, "setting up WAL");
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

int store_db_migrate_file(const char *path, int version, char **err)
{
    *err = NULL;
    if (version < 1 || version > S_NMIGRATIONS) {
        *err = strdup("no such schema version");
        return -1;
    }
    sqlite3 *db = s_connect(path, err);
    if (!db)
        return -1;
    int rc = s_migrate(db, version, err);
    sqlite3_close(db);
    return rc;
}

/* Build the band index of the latest STORE_BAND_WINDOW articles from
 * their signatures (read from articles_sig, a dense index: ~20 MB for a
 * full window).  Returns 0, or -1 with *err malloc'd. */
static int s_bands_load(store_db_t *self, char **err)
{
    if (!(self->bands = store_bands_new(STORE_BAND_WINDOW))) {
        *err = strdup("out of memory for the band index");
        return -1;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, "SELECT seq, simhash, minhash, event_time FROM articles"
                           " INDEXED BY articles_sig WHERE seq > ?1 ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = db_reason(self->db, "reading signatures");
        return -1;
    }
    sqlite3_bind_int64(st, 1, store_db_last_seq(self) - STORE_BAND_WINDOW);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        text_sig_t sig;
        memset(&sig, 0, sizeof sig);
        sig.simhash = (uint64_t) sqlite3_column_int64(st, 1);
        if (sqlite3_column_bytes(st, 2) == (int) sizeof sig.minhash) {
            memcpy(sig.minhash, sqlite3_column_blob(st, 2), sizeof sig.minhash);
            /* all UINT32_MAX: the text had no content word (text_sig.c) */
            for (size_t k = 0; k < TEXT_MINHASH_K && !sig.n_words; k++)
                sig.n_words = sig.minhash[k] != UINT32_MAX;
        }
        int64_t bands[TEXT_SIG_NBANDS];
        text_sig_bands(&sig, bands);
        store_bands_info_t info = { .has_simhash = sqlite3_column_type(st, 1) != SQLITE_NULL,
                                    .simhash = sig.simhash,
                                    .when = sqlite3_column_int64(st, 3) };
        store_bands_add(self->bands, sqlite3_column_int64(st, 0), bands, &info);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_reason(self->db, "reading signatures");
        return -1;
    }
    self->recent_mark = store_bands_top(self->bands);
    return 0;
}

/* File article SEQ's keys in memory (store_keyset.h): of its id, its
 * content hash and, if it has one (HAS_CANON), its canonical URL.
 * Returns 0, or -1 out of memory. */
static int s_fresh_add(store_db_t *db, int64_t seq, int64_t id_key, int64_t hash_key,
                       bool has_canon, int64_t canon_key)
{
    /* raised first, so that a rollback forgets a half-filed article too */
    if (seq > db->fresh_top)
        db->fresh_top = seq;
    if (store_keyset_add(db->fresh, STORE_KEY_ID, id_key, seq) != 0
        || store_keyset_add(db->fresh, STORE_KEY_HASH, hash_key, seq) != 0
        || (has_canon && store_keyset_add(db->fresh, STORE_KEY_CANONICAL, canon_key, seq) != 0))
        return -1;
    return 0;
}

/* The keys waiting in keys_fresh, into memory (store_keyset.h).  Returns
 * 0, or -1 with *err malloc'd. */
static int s_keys_load(store_db_t *self, char **err)
{
    sqlite3_stmt *st = NULL;
    if (!(self->fresh = store_keyset_new())) {
        *err = strdup("out of memory for the fresh keys");
        return -1;
    }
    if (sqlite3_prepare_v2(self->db, "SELECT seq, id_key, hash_key, canon_key FROM keys_fresh",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = db_reason(self->db, "reading the fresh keys");
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (s_fresh_add(self, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                        sqlite3_column_int64(st, 2), sqlite3_column_type(st, 3) != SQLITE_NULL,
                        sqlite3_column_int64(st, 3)) != 0) {
            sqlite3_finalize(st);
            *err = strdup("out of memory for the fresh keys");
            return -1;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = db_reason(self->db, "reading the fresh keys");
        return -1;
    }
    self->fresh_mark = self->fresh_top;
    return 0;
}

store_db_t *store_db_open(const char *path, char **err)
{
    *err = NULL;
    store_db_t *self = calloc(1, sizeof *self);
    if (!self) {
        *err = strdup("out of memory");
        return NULL;
    }
    self->db = s_connect(path, err);
    if (!self->db || s_migrate(self->db, S_NMIGRATIONS, err) != 0) {
        store_db_close(&self);
        return NULL;
    }
    struct { sqlite3_stmt **st; const char *sql; } stmts[] = {
        { &self->keys_old, "SELECT seq FROM article_keys WHERE kind = ?1 AND key = ?2"
                           " ORDER BY seq" },
        { &self->key_row[STORE_KEY_ID], "SELECT id, story_id, " STORE_STORY_SEQ
                                        " FROM articles WHERE seq = ?1 AND id = ?2" },
        { &self->key_row[STORE_KEY_HASH], "SELECT id, story_id, " STORE_STORY_SEQ
                                          " FROM articles WHERE seq = ?1 AND content_hash = ?2" },
        { &self->key_row[STORE_KEY_CANONICAL], "SELECT id, story_id, " STORE_STORY_SEQ
                                               " FROM articles WHERE seq = ?1"
                                               " AND canonical_url = ?2" },
        { &self->fresh_insert, "INSERT INTO keys_fresh (seq, id_key, hash_key, canon_key)"
                               " VALUES (?1, ?2, ?3, ?4)" },
        /* an article pruned while its keys waited is not filed: pruning
         * deletes its row in keys_fresh too (a small table, in the cache,
         * where the articles' rows are not) */
        { &self->key_merge, "INSERT OR IGNORE INTO article_keys SELECT ?1, ?2, ?3"
                            " WHERE EXISTS (SELECT 1 FROM keys_fresh WHERE seq = ?3)" },
        { &self->insert, "INSERT INTO articles (id, source, url, canonical_url, title, text, lang,"
                         " published_at, fetched_at, stored_at, content_hash, story_id, duplicate_of,"
                         " near_duplicate_of, simhash, minhash, title_sig, event_time, id_key,"
                         " hash_key, story_seq)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                         " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)" },
        { &self->mention, "INSERT INTO mentions (article_seq, entity, type, surface, start, end,"
                          " sentence, event_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)" },
        { &self->claim, "INSERT INTO claims (article_seq, speaker, cue, stance, content, start,"
                        " end, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)" },
        { &self->claim_entity, "INSERT OR IGNORE INTO claim_entities VALUES (?1, ?2, ?3)" },
        { &self->fts_insert, "INSERT INTO articles_fts (rowid, title, body) VALUES (?1, ?2, ?3)" },
        { &self->story_upsert,
          "INSERT INTO stories (seq, id, title, first_seen, last_seen, article_count)"
          " VALUES (?4, ?1, ?2, ?3, ?3, 1) ON CONFLICT (seq) DO UPDATE SET"
          " article_count = article_count + 1,"
          " first_seen = MIN(first_seen, excluded.first_seen),"
          " last_seen = MAX(last_seen, excluded.last_seen)" },
        { &self->source_upsert,
          "INSERT INTO sources (name, first_seen, last_seen, article_count) VALUES (?1, ?2, ?2, 1)"
          " ON CONFLICT (name) DO UPDATE SET article_count = article_count + 1,"
          " last_seen = excluded.last_seen" },
        { &self->entity_lookup, STORE_ENTITY_DAYS_NEAR " LIMIT 8" },
        { &self->entity_insert, "INSERT OR IGNORE INTO entity_days VALUES (?1, ?2, ?3)" },
        { &self->cand_row, "SELECT id, story_id, simhash, minhash, title_sig, event_time,"
                           " " STORE_STORY_SEQ " FROM articles INDEXED BY articles_sig"
                           " WHERE seq = ?1" },
        { &self->cand_entities, "SELECT DISTINCT entity FROM mentions WHERE article_seq = ?1" },
    };
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
        if (sqlite3_prepare_v3(self->db, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT,
                               stmts[i].st, NULL) != SQLITE_OK) {
            *err = db_reason(self->db, "preparing statements");
            store_db_close(&self);
            return NULL;
        }
    }
    if (!(self->counts = store_counts_new(self->db, err))) {
        store_db_close(&self);
        return NULL;
    }
    /* The recent-candidate cache is an optimization: without memory for
     * it, candidates are read from the file.  The band index is not: without
     * it near-duplicates would go unseen. */
    self->recent = calloc(STORE_RECENT, sizeof *self->recent);
    self->n_articles = store_db_count(self);
    if (s_keys_load(self, err) != 0 || s_bands_load(self, err) != 0) {
        store_db_close(&self);
        return NULL;
    }
    /* Articles a crash left uncounted are counted now, so that the table
     * is right from the start; if this fails it is done again at the
     * first transaction, which fails too if the cause remains. */
    int up = store_db_begin(self);
    if (up == 0 && (up = store_db_commit(self)) != 0)
        store_db_rollback(self);
    if (up != 0)
        mlog_warn("store: the entity counters are not brought up to date yet: %s",
                  sqlite3_errmsg(self->db));
    /* No merging inside inserts: store_db_fts_tidy does it when idle (a
     * read-only file keeps its settings, which is harmless).  It merges a
     * level once it holds 16 segments, not FTS5's 4: each posting is then
     * rewritten about half as many times as the index grows (log16 vs log4
     * levels), at the price of up to 15 segments a level for a search to
     * read.  With 4, a store of 1M articles that had rarely been idle spent
     * a third of its CPU at 100 articles/s merging, and p99 raw->alert was
     * 57-77 ms against 35-55 with 16 (e2e-bench, alternating runs).  The
     * crisis merge, which does run inside a commit, waits for 32 segments
     * so that the idle merging at 16 comes first. */
    if (sqlite3_exec(self->db, "INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 0);"
                     "INSERT INTO articles_fts(articles_fts, rank) VALUES('usermerge', 16);"
                     "INSERT INTO articles_fts(articles_fts, rank) VALUES('crisismerge', 32)",
                     NULL, NULL, NULL) != SQLITE_OK)
        mlog_debug("store: cannot set the index's automerge: %s", sqlite3_errmsg(self->db));
    /* Without the thread, SQLite checkpoints inside commits, as before. */
    char *why = NULL;
    if (!(self->ckpt = db_checkpoint_new(self->db, path, &why)))
        mlog_warn("store: checkpoints stay inside commits: %s", why ? why : "out of memory");
    free(why);
    return self;
}

void store_db_close(store_db_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    store_db_t *self = *self_p;
    /* The counters waiting in memory; should this fail, the next open
     * counts their articles again. */
    if (self->counts && store_db_write_counts(self, true) != 0)
        mlog_warn("store: the entity counters were not written at close (%s); they will be"
                  " counted again at the next start", sqlite3_errmsg(self->db));
    store_counts_destroy(&self->counts);
    db_checkpoint_destroy(&self->ckpt);
    sqlite3_stmt *all[] = {
        self->keys_old, self->key_row[0], self->key_row[1], self->key_row[2],
        self->fresh_insert, self->key_merge, self->insert, self->mention,
        self->claim, self->claim_entity, self->fts_insert, self->story_upsert,
        self->source_upsert, self->entity_lookup, self->entity_insert,
        self->cand_row, self->cand_entities,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(self->db);
    store_recent_clear(self);
    free(self->recent);
    store_bands_destroy(&self->bands);
    store_keyset_destroy(&self->fresh);
    free(self->merge);
    free(self);
    *self_p = NULL;
}

int store_db_schema_version(store_db_t *db) { return db_user_version(db->db); }

int store_db_set_max_size(store_db_t *db, int64_t max_bytes)
{
    sqlite3_stmt *st;
    int64_t page = 4096;
    if (sqlite3_prepare_v2(db->db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            page = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    char sql[96];
    /* 0 means no cap; SQLite's own maximum is 4294967294 pages. */
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
             max_bytes > 0 ? (long long) (max_bytes / page) : 4294967294LL);
    return sqlite3_exec(db->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static void s_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static int s_step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The fresh keys filed in the transaction that just committed are
 * trusted from now on; those of one that did not are forgotten (its seqs
 * are given again). */
static void s_fresh_commit(store_db_t *db) { db->fresh_mark = db->fresh_top; }

static void s_fresh_drop_uncommitted(store_db_t *db)
{
    if (db->fresh_top > db->fresh_mark) {
        store_keyset_keep(db->fresh, 0, db->fresh_mark);
        db->fresh_top = db->fresh_mark;
    }
}

/* How many fresh keys wait before a merge: about 1/16 of the articles
 * stored, three keys each, within bounds.  A merge writes about every
 * page of article_keys (~60 bytes an article), so merging after a fixed
 * count would cost more per article as the store grows; waiting in
 * proportion keeps it near 0.1 pages an article at 100k and 0.35 at 1M.
 * The bound keeps the set's table at 4 MiB (262,144 slots, three quarters
 * full at most, room for the keys that arrive while a merge runs) and a
 * merge's sorted copy at 3 MiB. */
static size_t s_merge_at(const store_db_t *db)
{
    if (db->merge_at)
        return db->merge_at;
    int64_t at = db->n_articles * 3 / 16;
    return at < 49152 ? 49152 : at > 131072 ? 131072 : (size_t) at;
}

void store_db_merge_stats(const store_db_t *db, store_db_merge_stats_t *out)
{
    *out = db->merge_stats;
}

int64_t store_db_pages_written(store_db_t *db)
{
    int cur = 0, high = 0;
    sqlite3_db_status(db->db, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &high, 0);
    return cur;
}

void store_db_set_key_merge(store_db_t *db, size_t at, size_t step)
{
    db->merge_at = at;
    db->merge_step = step;
}

/* Forget the merge under way, to start again later: whatever it filed is
 * filed again, which INSERT OR IGNORE makes harmless. */
static void s_merge_abandon(store_db_t *db, const char *why)
{
    mlog_warn("store: cannot merge the keys of new articles now (%s); trying again in 10 s,"
              " and they are found meanwhile", why);
    if (!sqlite3_get_autocommit(db->db))
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    free(db->merge);
    db->merge = NULL;
    db->merge_retry_at = marsad_clock_ms() + 10000;
}

/* Whether a merge is under way or due. */
static bool s_merge_due(const store_db_t *db)
{
    return db->merge || (store_keyset_count(db->fresh) >= s_merge_at(db)
                         && marsad_clock_ms() >= db->merge_retry_at);
}

/* One step of merging the fresh keys into article_keys, of up to STEP keys
 * (0: the default), if a merge is under way or due: a transaction of its
 * own, which the next commit syncs.  The last step also deletes their rows
 * from keys_fresh and forgets them in memory.  A crash between steps
 * leaves every key in keys_fresh, read back at open. */
static void s_merge_step(store_db_t *db, long step)
{
    if (!sqlite3_get_autocommit(db->db) || !s_merge_due(db))
        return;
    struct timespec c0, c1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
    if (!db->merge) {
        db->merge_cpu = 0;
        db->merge_upto = db->fresh_mark;
        db->merge_pos = 0;
        if ((db->merge_n = store_keyset_sorted(db->fresh, db->merge_upto, &db->merge)) < 0) {
            s_merge_abandon(db, "out of memory");
            return;
        }
    }
    long end = db->merge_pos + (db->merge_step ? (long) db->merge_step : step ? step : 4096);
    if (end > db->merge_n)
        end = db->merge_n;
    sqlite3_exec(db->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    bool ok = sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
    for (long i = db->merge_pos; ok && i < end; i++) {
        sqlite3_bind_int(db->key_merge, 1, db->merge[i].kind);
        sqlite3_bind_int64(db->key_merge, 2, db->merge[i].key);
        sqlite3_bind_int64(db->key_merge, 3, db->merge[i].seq);
        ok = s_step_done(db->key_merge) == 0;
    }
    if (ok && end == db->merge_n) {
        char sql[64];
        snprintf(sql, sizeof sql, "DELETE FROM keys_fresh WHERE seq <= %lld",
                 (long long) db->merge_upto);
        ok = sqlite3_exec(db->db, sql, NULL, NULL, NULL) == SQLITE_OK;
    }
    ok = ok && sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    if (!ok)
        s_merge_abandon(db, sqlite3_errmsg(db->db));
    sqlite3_exec(db->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
    double cpu = (double) (c1.tv_sec - c0.tv_sec) + (double) (c1.tv_nsec - c0.tv_nsec) / 1e9;
    db->merge_stats.cpu_total += cpu;
    db->merge_cpu += cpu;
    if (!ok)
        return;
    db->merge_pos = end;
    if (end == db->merge_n) {
        long articles = 0;
        for (long i = 0; i < db->merge_n; i++)
            articles += db->merge[i].kind == STORE_KEY_ID;
        db->merge_stats.merges++;
        db->merge_stats.last_cpu = db->merge_cpu;
        db->merge_stats.last_articles = articles;
        mlog_debug("store: merged the keys of %ld articles into the key index (%ld keys,"
                   " %.0f ms of CPU)", articles, db->merge_n, db->merge_cpu * 1e3);
        store_keyset_keep(db->fresh, db->merge_upto, INT64_MAX);
        free(db->merge);
        db->merge = NULL;
    }
}

int store_db_keys_tidy(store_db_t *db)
{
    if (!s_merge_due(db))
        return 0;
    db->merge_idle_at = marsad_clock_ms();
    s_merge_step(db, 512);
    return s_merge_due(db);
}

int store_db_begin(store_db_t *db)
{
    /* A transaction that ended without store_db_commit left nothing. */
    store_recent_drop_uncommitted(db);
    s_fresh_drop_uncommitted(db);
    if (store_counts_uncommitted(db->counts))
        store_counts_lost(db->counts);
    /* Merges are done while idle (store_db_keys_tidy); a store that has
     * not been idle for a second does them here, before its batches. */
    if (marsad_clock_ms() - db->merge_idle_at >= 1000)
        s_merge_step(db, 0);
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return s_fail(db->db);
    /* After a start or a lost transaction, the counters first count what
     * the table lacks. */
    if (store_counts_catch_up(db->counts) != 0) {
        int rc = s_fail(db->db);
        mlog_error("store: cannot bring the entity counters up to date: %s",
                   sqlite3_errmsg(db->db));
        store_db_rollback(db);
        return rc;
    }
    return 0;
}

int store_db_commit(store_db_t *db)
{
    if (store_counts_flush(db->counts, false) < 0
        || sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = s_fail(db->db);
        store_recent_drop_uncommitted(db);
        s_fresh_drop_uncommitted(db);
        store_counts_lost(db->counts);
        return rc;
    }
    store_recent_commit(db);
    s_fresh_commit(db);
    store_counts_committed(db->counts);
    return 0;
}

void store_db_rollback(store_db_t *db)
{
    if (!sqlite3_get_autocommit(db->db))
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    store_recent_drop_uncommitted(db);
    s_fresh_drop_uncommitted(db);
    store_counts_lost(db->counts);
    db->n_articles = store_db_count(db);
}

int store_db_write_counts(store_db_t *db, bool force)
{
    if (!sqlite3_get_autocommit(db->db)
        || !(force ? store_counts_waiting(db->counts)
                   : store_counts_due(db->counts, STORE_COUNTS_IDLE_MS)))
        return 0;
    int rc = store_db_begin(db);
    if (rc != 0)
        return rc;
    if (store_counts_flush(db->counts, true) < 0) {
        rc = s_fail(db->db);
        store_db_rollback(db);
        return rc;
    }
    return store_db_commit(db);
}

/* What a look-up by key found of an article. */
typedef struct {
    int64_t seq;
    char *id, *story;        /* malloc'd */
    int64_t story_seq;
} s_found_t;

/* Whether article SEQ's string of KIND is S; if so, and FOUND is given,
 * it is filled.  Returns 1, 0, -1 on a database error, -2 out of memory. */
static int s_key_row(store_db_t *db, int kind, int64_t seq, const char *s, s_found_t *found)
{
    sqlite3_stmt *st = db->key_row[kind];
    sqlite3_bind_int64(st, 1, seq);
    s_bind_text(st, 2, s);
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (out == 1 && found) {
        found->seq = seq;
        found->id = strdup((const char *) sqlite3_column_text(st, 0));
        found->story = strdup((const char *) sqlite3_column_text(st, 1));
        found->story_seq = sqlite3_column_int64(st, 2);
        if (!found->id || !found->story)
            out = -2;
    }
    sqlite3_reset(st);
    return out;
}

/* The earliest stored article whose string of KIND (id, content hash or
 * canonical URL) is S, of key KEY: in article_keys, else among the fresh
 * keys (store_keyset.h).  Candidates come in seq order, and each is
 * checked against the string: a shared key, or an article pruned while
 * its key waited, only costs a row read.  Returns its seq (FOUND filled
 * if given), 0 if there is none, -1 on a database error, -2 out of
 * memory. */
static int64_t s_find_key(store_db_t *db, int kind, const char *s, int64_t key, s_found_t *found)
{
    sqlite3_stmt *st = db->keys_old;
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_int64(st, 2, key);
    int rc, hit = 0;
    int64_t seq = 0;
    while (!hit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        seq = sqlite3_column_int64(st, 0);
        hit = s_key_row(db, kind, seq, s, found);
    }
    sqlite3_reset(st);
    if (hit < 0)
        return hit;
    if (!hit && rc != SQLITE_DONE)
        return -1;
    for (seq = hit ? seq : 0; !hit && (seq = store_keyset_find(db->fresh, kind, key, seq));)
        if ((hit = s_key_row(db, kind, seq, s, found)) < 0)
            return hit;
    return hit ? seq : 0;
}

/* The earliest stored article with A's content hash (whose store_key is
 * HASH_KEY) or canonical URL (CANON_KEY): its id and story into *DUP_OF
 * and *STORY (malloc'd), its story's seq into *STORY_SEQ.  Returns 1 if
 * there is one, 0 if not, -1 on a database error, -2 out of memory. */
static int s_find_dup(store_db_t *db, const proto_article_t *a, int64_t hash_key,
                      int64_t canon_key, char **dup_of, char **story, int64_t *story_seq)
{
    s_found_t best = { 0 }, f = { 0 };
    int rc = 0;
    for (int kind = STORE_KEY_HASH; kind <= STORE_KEY_CANONICAL && rc >= 0; kind++) {
        const char *s = kind == STORE_KEY_HASH ? a->content_hash : a->canonical_url;
        if (!s)
            continue;
        int64_t seq = s_find_key(db, kind, s, kind == STORE_KEY_HASH ? hash_key : canon_key, &f);
        if (seq < 0)
            rc = (int) seq;
        else if (seq > 0 && (!best.seq || seq < best.seq)) {
            free(best.id);
            free(best.story);
            best = f;
            memset(&f, 0, sizeof f);
        }
        free(f.id);
        free(f.story);
        memset(&f, 0, sizeof f);
    }
    if (rc < 0 || !best.seq) {
        free(best.id);
        free(best.story);
        return rc;
    }
    *dup_of = best.id;
    *story = best.story;
    *story_seq = best.story_seq;
    return 1;
}

size_t store_first_mention(const proto_article_t *a, size_t i)
{
    size_t first = 0;
    while (first < i && strcmp(a->mentions[first].entity, a->mentions[i].entity) != 0)
        first++;
    return first;
}

/* Count article A (of time WHEN) in its entities' counters; DF[i] gets
 * how many earlier articles named the entity of its mention i.  Returns 0,
 * or -1 on a database error or out of memory. */
static int s_count_entities(store_db_t *db, const proto_article_t *a, const char *when,
                            int64_t *df)
{
    for (size_t i = 0; i < a->n_mentions; i++) {
        const proto_mention_t *m = &a->mentions[i];
        /* Counters count articles, so only a first mention counts. */
        size_t first = store_first_mention(a, i);
        if (first < i)
            df[i] = df[first];
        else if (store_counts_add(db->counts, m->entity, m->type, m->surface, when, &df[i]) != 0)
            return -1;
    }
    return 0;
}

/* The rows that hang off a new article: mentions, claims and the entities
 * inside each claim, its story and source counters, and its full-text
 * index entries.  (Its entities' counters: store_counts.) */
static int s_insert_children(store_db_t *db, const proto_article_t *a, int64_t seq,
                             int64_t event_time, const char *story, int64_t story_seq,
                             const char *when,
                             const char *title_forms,
                             const char *text_forms)
{
    sqlite3_stmt *st;
    for (size_t i = 0; i < a->n_mentions; i++) {
        const proto_mention_t *m = &a->mentions[i];
        st = db->mention;
        sqlite3_bind_int64(st, 1, seq);
        s_bind_text(st, 2, m->entity);
        s_bind_text(st, 3, m->type);
        s_bind_text(st, 4, m->surface);
        sqlite3_bind_int64(st, 5, m->start);
        sqlite3_bind_int64(st, 6, m->end);
        sqlite3_bind_int64(st, 7, m->sentence);
        sqlite3_bind_int64(st, 8, event_time);
        if (s_step_done(st) != 0)
            return -1;
        /* filed by day once per entity */
        if (store_first_mention(a, i) < i)
            continue;
        st = db->entity_insert;
        sqlite3_bind_int64(st, 1, store_entity_day(event_time));
        sqlite3_bind_int64(st, 2, store_key(m->entity));
        sqlite3_bind_int64(st, 3, seq);
        if (s_step_done(st) != 0)
            return -1;
    }
    for (size_t i = 0; i < a->n_claims; i++) {
        const proto_claim_t *c = &a->claims[i];
        st = db->claim;
        sqlite3_bind_int64(st, 1, seq);
        s_bind_text(st, 2, c->speaker);
        s_bind_text(st, 3, c->cue);
        s_bind_text(st, 4, c->stance);
        s_bind_text(st, 5, c->content);
        sqlite3_bind_int64(st, 6, c->start);
        sqlite3_bind_int64(st, 7, c->end);
        int jrc;
        json_t *arr = pj_claims_array(c, 1, false, &jrc);
        char *detail = jrc ? NULL : json_dumps(json_array_get(arr, 0), JSON_COMPACT);
        json_decref(arr);
        s_bind_text(st, 8, detail);
        free(detail);
        if (s_step_done(st) != 0)
            return -1;
        int64_t claim = sqlite3_last_insert_rowid(db->db);
        /* The entities of a claim: those the extractor named for it (its
         * speaker and content), and the mentions inside its content. */
        size_t n_ids = a->n_mentions + c->n_entities + 1;
        for (size_t j = 0; j < n_ids; j++) {
            const char *id = NULL;
            if (j < a->n_mentions) {
                const proto_mention_t *m = &a->mentions[j];
                if ((m->start >= c->start && m->end <= c->end) || strcmp(m->entity, c->speaker) == 0)
                    id = m->entity;
            } else if (j < a->n_mentions + c->n_entities) {
                id = c->entities[j - a->n_mentions];
            } else {
                id = c->speaker_entity;
            }
            if (!id)
                continue;
            st = db->claim_entity;
            sqlite3_bind_int64(st, 1, seq);
            sqlite3_bind_int64(st, 2, claim);
            s_bind_text(st, 3, id);
            if (s_step_done(st) != 0)
                return -1;
        }
    }
    st = db->story_upsert;
    s_bind_text(st, 1, story);
    s_bind_text(st, 2, a->title ? a->title : "");
    s_bind_text(st, 3, when);
    sqlite3_bind_int64(st, 4, story_seq);
    if (s_step_done(st) != 0)
        return -1;
    st = db->source_upsert;
    s_bind_text(st, 1, a->source);
    s_bind_text(st, 2, when);
    if (s_step_done(st) != 0)
        return -1;
    st = db->fts_insert;
    sqlite3_bind_int64(st, 1, seq);
    s_bind_text(st, 2, title_forms);
    s_bind_text(st, 3, text_forms);
    return s_step_done(st);
}

/* The index forms and signatures of A: those the extractor sent when they
 * are of this build's version, else computed here.  Returns 0, or -1 out
 * of memory. */
static int s_index(store_db_t *db, const proto_article_t *a, text_index_t *idx)
{
    int rc = a->index ? text_index_decode(a->index, a->index_len, idx) : 1;
    if (rc == 0)
        return 0;
    if (rc < 0 && db->bad_index++ % 1000 == 0)
        mlog_warn("article %s came with a malformed index frame; computing its index here"
                  " (%llu such so far)", a->id, (unsigned long long) db->bad_index);
    return text_index_of(a->title, a->text, idx);
}

int store_db_insert(store_db_t *db, const proto_article_t *a, int64_t *seq, char **story_id,
                    bool *duplicate, char **err)
{
    *err = NULL;
    const int64_t id_key = store_key(a->id), hash_key = store_key(a->content_hash);
    const int64_t canon_key = a->canonical_url ? store_key(a->canonical_url) : 0;
    int64_t found = s_find_key(db, STORE_KEY_ID, a->id, id_key, NULL);
    if (found > 0)
        return 0;
    if (found == -2) {
        *err = strdup("out of memory");
        return -1;
    }
    if (found < 0) {
        *err = db_reason(db->db, "looking up article id");
        return s_fail(db->db);
    }
    sqlite3_stmt *st;
    int rc;

    const char *title = a->title ? a->title : "";
    const char *text = a->text ? a->text : "";
    text_index_t idx;
    if (s_index(db, a, &idx) != 0) {
        *err = strdup("out of memory");
        return -1;
    }
    const char *tforms = idx.title_forms, *xforms = idx.forms;
    const text_sig_t sig = idx.sig;
    char *dup_of = NULL, *near_of = NULL, *story = NULL;
    int64_t story_seq = 0;   /* 0: a story of its own, filed by its own seq */
    int64_t *df = NULL;      /* per mention: how many earlier articles name its entity */
    const char *when = a->published_at ? a->published_at : a->fetched_at;
    int64_t event_time = store_db_parse_time(when);
    int result = -1;

    /* An earlier article with the same content or canonical URL: a
     * duplicate, in the original's story. */
    rc = s_find_dup(db, a, hash_key, canon_key, &dup_of, &story, &story_seq);
    if (rc == -1) {
        *err = db_reason(db->db, "looking up duplicates");
        result = s_fail(db->db);
        goto out;
    }
    if (rc < 0) {
        *err = strdup("out of memory");
        goto out;
    }
    bool exact = rc == 1;
    char now[32];
    proto_time_format((long long) time(NULL), now);
    if (a->n_mentions && !(df = malloc(a->n_mentions * sizeof *df))) {
        *err = strdup("out of memory");
        goto out;
    }
    if (s_count_entities(db, a, when ? when : now, df) != 0) {
        *err = db_reason(db->db, "counting the article's entities");
        result = s_fail(db->db);
        goto out;
    }
    if (!exact
        && store_story_decide(db, a, &sig, event_time, df, &story, &story_seq, &near_of, err)
               != 0) {
        result = s_fail(db->db);
        goto out;
    }

    st = db->insert;
    s_bind_text(st, 1, a->id);
    s_bind_text(st, 2, a->source);
    s_bind_text(st, 3, a->url);
    s_bind_text(st, 4, a->canonical_url);
    s_bind_text(st, 5, title);
    s_bind_text(st, 6, text);
    s_bind_text(st, 7, a->lang ? a->lang : "und");
    s_bind_text(st, 8, a->published_at);
    s_bind_text(st, 9, a->fetched_at);
    s_bind_text(st, 10, now);
    s_bind_text(st, 11, a->content_hash);
    s_bind_text(st, 12, story);
    s_bind_text(st, 13, dup_of);
    s_bind_text(st, 14, near_of);
    sqlite3_bind_int64(st, 15, (int64_t) sig.simhash);
    sqlite3_bind_blob(st, 16, sig.minhash, sizeof sig.minhash, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 17, sig.title, (int) (sig.n_title * sizeof sig.title[0]),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 18, event_time);
    sqlite3_bind_int64(st, 19, id_key);
    sqlite3_bind_int64(st, 20, hash_key);
    if (story_seq)
        sqlite3_bind_int64(st, 21, story_seq);
    else
        sqlite3_bind_null(st, 21);
    if (s_step_done(st) != 0) {
        *err = db_reason(db->db, "inserting article");
        result = s_fail(db->db);
        goto out;
    }
    int64_t new_seq = sqlite3_last_insert_rowid(db->db);
    if (!story_seq)
        story_seq = new_seq;
    st = db->fresh_insert;
    sqlite3_bind_int64(st, 1, new_seq);
    sqlite3_bind_int64(st, 2, id_key);
    sqlite3_bind_int64(st, 3, hash_key);
    if (a->canonical_url)
        sqlite3_bind_int64(st, 4, canon_key);
    else
        sqlite3_bind_null(st, 4);
    if (s_step_done(st) != 0) {
        *err = db_reason(db->db, "filing the article's keys");
        result = s_fail(db->db);
        goto out;
    }
    if (s_fresh_add(db, new_seq, id_key, hash_key, a->canonical_url != NULL, canon_key) != 0) {
        *err = strdup("out of memory for the article's keys");
        goto out;
    }
    if (a->n_mentions && store_counts_counted(db->counts, new_seq) != 0) {
        *err = db_reason(db->db, "writing the entity counters");
        result = s_fail(db->db);
        goto out;
    }
    if (s_insert_children(db, a, new_seq, event_time, story, story_seq, when ? when : now,
                          tforms, xforms) != 0) {
        *err = db_reason(db->db, "inserting mentions, claims and index entries");
        result = s_fail(db->db);
        goto out;
    }
    if (a->id && story)
        store_recent_add(db, new_seq, a, story, story_seq, &sig, event_time);
    int64_t bands[TEXT_SIG_NBANDS];
    text_sig_bands(&sig, bands);
    store_bands_info_t info = { .has_simhash = true, .simhash = sig.simhash, .when = event_time };
    store_bands_add(db->bands, new_seq, bands, &info);
    db->n_articles++;
    *seq = new_seq;
    *story_id = story;
    story = NULL;
    *duplicate = dup_of != NULL;
    result = 1;
out:
    free(dup_of);
    free(near_of);
    free(story);
    free(df);
    text_index_clear(&idx);
    return result;
}

static char *s_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *) t) : NULL;
}

#define S_EVENT_COLUMNS "seq, id, source, url, canonical_url, title, text, lang," \
                        " published_at, fetched_at, content_hash, story_id, duplicate_of"

/* Fill C from a claim's detail column (the claim object as received).
 * Returns true if it did. */
static bool s_claim_detail(const char *detail, proto_claim_t *c)
{
    if (!detail)
        return false;
    json_t *obj = json_loads(detail, 0, NULL);
    json_t *arr = obj ? json_array() : NULL;
    proto_claim_t *parsed = NULL;
    size_t n = 0;
    bool ok = arr && json_array_append(arr, obj) == 0
              && pj_claims_parse(arr, false, &parsed, &n) == 0 && n == 1;
    if (ok) {
        *c = parsed[0];
        free(parsed);
    } else if (parsed) {
        pj_claims_free(parsed, n);
    }
    json_decref(arr);
    json_decref(obj);
    return ok;
}

/* Rebuild the `stored` event of a row (S_EVENT_COLUMNS) from the tables. */
static char *s_event_json(store_db_t *db, sqlite3_stmt *row)
{
    proto_stored_t ev;
    memset(&ev, 0, sizeof ev);
    proto_article_t *a = &ev.article;
    ev.seq = sqlite3_column_int64(row, 0);
    a->id = s_col_dup(row, 1);
    a->source = s_col_dup(row, 2);
    a->url = s_col_dup(row, 3);
    a->canonical_url = s_col_dup(row, 4);
    a->title = s_col_dup(row, 5);
    a->text = s_col_dup(row, 6);
    a->lang = s_col_dup(row, 7);
    a->published_at = s_col_dup(row, 8);
    a->fetched_at = s_col_dup(row, 9);
    a->content_hash = s_col_dup(row, 10);
    ev.story_id = s_col_dup(row, 11);
    ev.duplicate = sqlite3_column_type(row, 12) != SQLITE_NULL;

    char *json = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, "SELECT entity, type, surface, start, end, sentence"
                           " FROM mentions WHERE article_seq = ?1 ORDER BY rowid", -1, &st, NULL)
        != SQLITE_OK)
        goto done;
    sqlite3_bind_int64(st, 1, ev.seq);
    while (sqlite3_step(st) == SQLITE_ROW) {
        proto_mention_t *grown = realloc(a->mentions, (a->n_mentions + 1) * sizeof *grown);
        if (!grown)
            goto done;
        a->mentions = grown;
        proto_mention_t *m = &a->mentions[a->n_mentions++];
        memset(m, 0, sizeof *m);
        m->entity = s_col_dup(st, 0);
        m->type = s_col_dup(st, 1);
        m->surface = s_col_dup(st, 2);
        m->start = sqlite3_column_int64(st, 3);
        m->end = sqlite3_column_int64(st, 4);
        m->sentence = sqlite3_column_int64(st, 5);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db->db, "SELECT speaker, cue, stance, content, start, end, detail"
                           " FROM claims WHERE article_seq = ?1 ORDER BY rowid", -1, &st, NULL)
        != SQLITE_OK)
        goto done;
    sqlite3_bind_int64(st, 1, ev.seq);
    while (sqlite3_step(st) == SQLITE_ROW) {
        proto_claim_t *grown = realloc(a->claims, (a->n_claims + 1) * sizeof *grown);
        if (!grown)
            goto done;
        a->claims = grown;
        proto_claim_t *c = &a->claims[a->n_claims++];
        memset(c, 0, sizeof *c);
        if (s_claim_detail((const char *) sqlite3_column_text(st, 6), c))
            continue;
        c->speaker = s_col_dup(st, 0);
        c->cue = s_col_dup(st, 1);
        c->stance = s_col_dup(st, 2);
        c->content = s_col_dup(st, 3);
        c->start = sqlite3_column_int64(st, 4);
        c->end = sqlite3_column_int64(st, 5);
    }
    json = proto_stored_to_json(&ev);
done:
    sqlite3_finalize(st);
    proto_stored_clear(&ev);
    return json;
}

int store_db_events_since(store_db_t *db, int64_t since, int limit, char ***items, size_t *n,
                          int64_t *last_seq)
{
    *items = NULL;
    *n = 0;
    *last_seq = store_db_last_seq(db);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "SELECT " S_EVENT_COLUMNS
                           " FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2", -1, &st, NULL)
        != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int(st, 2, limit);
    char **out = calloc((size_t) (limit > 0 ? limit : 1), sizeof *out);
    int rc = out ? 0 : -1;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW && *n < (size_t) limit) {
        char *json = s_event_json(db, st);
        if (!json)
            rc = -1;
        else
            out[(*n)++] = json;
    }
    sqlite3_finalize(st);
    if (rc != 0) {
        for (size_t i = 0; out && i < *n; i++)
            free(out[i]);
        free(out);
        *n = 0;
        return -1;
    }
    *items = out;
    return 0;
}

int store_db_article_json(store_db_t *db, const char *id, char **json)
{
    *json = NULL;
    sqlite3_stmt *st;
    int64_t seq = s_find_key(db, STORE_KEY_ID, id, store_key(id), NULL);
    if (seq <= 0)
        return seq == 0 ? 1 : -1;
    if (sqlite3_prepare_v2(db->db, "SELECT " S_EVENT_COLUMNS " FROM articles WHERE seq = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *json = s_event_json(db, st);
        rc = *json ? 0 : -1;
    } else {
        rc = rc == SQLITE_DONE ? 1 : -1;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Column I of ST as a JSON value: string, integer or null. */
static json_t *s_json_col(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_NULL: return json_null();
    default: return json_string((const char *) sqlite3_column_text(st, i));
    }
}

/* Each row of SQL (with ?1 bound to ARG) as an object of its columns. */
static json_t *s_json_rows(store_db_t *db, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    s_bind_text(st, 1, arg);
    json_t *arr = json_array();
    int rc;
    while (arr && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; o && i < sqlite3_column_count(st); i++)
            json_object_set_new(o, sqlite3_column_name(st, i), s_json_col(st, i));
        json_array_append_new(arr, o);
    }
    if (arr && rc != SQLITE_DONE) {
        json_decref(arr);
        arr = NULL;
    }
    sqlite3_finalize(st);
    return arr;
}

/* The seq of story ID (stories.seq), 0 if there is none, -1 on error. */
static int64_t s_story_seq(store_db_t *db, const char *id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "SELECT " STORE_STORY_OF("?1", "?2"), -1, &st, NULL)
        != SQLITE_OK)
        return -1;
    s_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, store_key(id));
    int rc = sqlite3_step(st);
    int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return seq;
}

int store_db_story_json(store_db_t *db, const char *id, char **json)
{
    *json = NULL;
    int64_t story_seq = s_story_seq(db, id);
    if (story_seq < 0)
        return -1;
    if (story_seq == 0)
        return 1;
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long) story_seq);
    json_t *head = s_json_rows(db, "SELECT id, title, first_seen, last_seen, article_count"
                                   " FROM stories WHERE seq = CAST(?1 AS INTEGER)", key);
    if (!head)
        return -1;
    if (json_array_size(head) == 0) {
        json_decref(head);
        return 1;
    }
    json_t *story = json_incref(json_array_get(head, 0));
    json_decref(head);
    json_t *articles = s_json_rows(db, "SELECT seq, id, source, url, title, lang, published_at,"
                                       " fetched_at, duplicate_of IS NOT NULL AS duplicate,"
                                       " near_duplicate_of IS NOT NULL AS near_duplicate"
                                       " FROM articles WHERE " STORE_STORY_SEQ
                                       " = CAST(?1 AS INTEGER) ORDER BY seq", key);
    json_t *claims = s_json_rows(db, "SELECT a.id AS article_id, c.rowid AS claim, c.speaker,"
                                     " c.cue, c.stance, c.content"
                                     " FROM articles a JOIN claims c ON c.article_seq = a.seq"
                                     " WHERE " STORE_STORY_SEQ " = CAST(?1 AS INTEGER)"
                                     " ORDER BY c.article_seq, c.rowid", key);
    int rc = -1;
    if (articles && claims) {
        size_t i;
        json_t *c;
        json_array_foreach(claims, i, c) {
            char rowid[32];
            snprintf(rowid, sizeof rowid, "%lld",
                     (long long) json_integer_value(json_object_get(c, "claim")));
            json_t *ents = s_json_rows(db, "SELECT entity FROM claim_entities"
                                           " WHERE claim = CAST(?1 AS INTEGER) ORDER BY entity",
                                       rowid);
            json_t *ids = json_array();
            size_t j;
            json_t *e;
            json_array_foreach(ents, j, e)
                json_array_append(ids, json_object_get(e, "entity"));
            json_decref(ents);
            json_object_set_new(c, "entities", ids);
            json_object_del(c, "claim");
        }
        json_object_set(story, "articles", articles);
        json_object_set(story, "claims", claims);
        *json = json_dumps(story, JSON_COMPACT);
        rc = *json ? 0 : -1;
    }
    json_decref(articles);
    json_decref(claims);
    json_decref(story);
    return rc;
}

static int64_t s_scalar(store_db_t *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = 0;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

int store_db_stats_json(store_db_t *db, char **json)
{
    json_t *o = json_object();
    if (!o)
        return -1;
    struct { const char *key, *sql; } q[] = {
        { "articles", "SELECT COUNT(*) FROM articles" },
        { "stories", "SELECT COUNT(*) FROM stories" },
        { "duplicates", "SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL" },
        { "near_duplicates", "SELECT COUNT(*) FROM articles WHERE near_duplicate_of IS NOT NULL" },
        { "entities", "SELECT COUNT(*) FROM entities" },
        { "sources", "SELECT COUNT(*) FROM sources" },
        { "claims", "SELECT COUNT(*) FROM claims" },
        { "schema_version", "PRAGMA user_version" },
        { "bytes", "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()" },
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        json_object_set_new(o, q[i].key, json_integer(s_scalar(db, q[i].sql)));
    json_object_set_new(o, "last_seq", json_integer(store_db_last_seq(db)));
    *json = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return *json ? 0 : -1;
}

/* Remove the full-text index entries of the article in row RD (seq,
 * title, text, event time) — the same forms that were indexed — and its
 * entries in entity_days, by their whole key (day, entity, seq), from
 * its mentions' entities (ENTS gives them, ENT_DEL deletes). */
static int s_unindex(sqlite3_stmt *rd, sqlite3_stmt *fts_del, sqlite3_stmt *ents,
                     sqlite3_stmt *ent_del)
{
    int64_t seq = sqlite3_column_int64(rd, 0);
    sqlite3_bind_int64(ents, 1, seq);
    int mrc;
    while ((mrc = sqlite3_step(ents)) == SQLITE_ROW) {
        sqlite3_bind_int64(ent_del, 1, store_entity_day(sqlite3_column_int64(rd, 3)));
        sqlite3_bind_int64(ent_del, 2, store_key((const char *) sqlite3_column_text(ents, 0)));
        sqlite3_bind_int64(ent_del, 3, seq);
        if (s_step_done(ent_del) != 0)
            break;
    }
    sqlite3_reset(ents);
    if (mrc != SQLITE_DONE)
        return -1;
    const char *title = (const char *) sqlite3_column_text(rd, 1);
    const char *text = (const char *) sqlite3_column_text(rd, 2);
    char *tf = text_forms(title, title ? strlen(title) : 0);
    char *xf = text_forms(text, text ? strlen(text) : 0);
    int rc = tf && xf ? 0 : -1;
    if (!rc) {
        sqlite3_bind_int64(fts_del, 1, seq);
        sqlite3_bind_text(fts_del, 2, tf, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(fts_del, 3, xf, -1, SQLITE_TRANSIENT);
        rc = s_step_done(fts_del);
    }
    free(tf);
    free(xf);
    return rc;
}

/* Delete the keys of the article in RD's row (seq, ..., id_key, hash_key,
 * canonical_url from column 5) from article_keys (KEY_DEL) and keys_fresh
 * (FRESH_DEL). */
static int s_unkey(sqlite3_stmt *rd, sqlite3_stmt *key_del, sqlite3_stmt *fresh_del)
{
    int64_t seq = sqlite3_column_int64(rd, 0);
    const char *canon = (const char *) sqlite3_column_text(rd, 7);
    int64_t keys[3] = { sqlite3_column_int64(rd, 5), sqlite3_column_int64(rd, 6),
                        canon ? store_key(canon) : 0 };
    for (int kind = STORE_KEY_ID; kind <= (canon ? STORE_KEY_CANONICAL : STORE_KEY_HASH); kind++) {
        sqlite3_bind_int(key_del, 1, kind);
        sqlite3_bind_int64(key_del, 2, keys[kind]);
        sqlite3_bind_int64(key_del, 3, seq);
        if (s_step_done(key_del) != 0)
            return -1;
    }
    sqlite3_bind_int64(fresh_del, 1, seq);
    return s_step_done(fresh_del);
}

int store_db_fts_tidy(store_db_t *db, int pages, char **err)
{
    *err = NULL;
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO articles_fts(articles_fts, rank) VALUES('merge', %d)",
             pages > 0 ? pages : 1);
    /* FTS5 writes fewer than two rows when there was nothing to merge. */
    int before = sqlite3_total_changes(db->db);
    /* Not synced: a merge lost to a power cut is only redone, and the
     * next article's commit syncs the log, this step's pages with it.  A
     * sync here held an arriving article back by its few milliseconds,
     * hundreds of times a minute. */
    sqlite3_exec(db->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        *err = db_reason(db->db, "merging the full-text index");
    sqlite3_exec(db->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return -1;
    return sqlite3_total_changes(db->db) - before >= 2 ? 1 : 0;
}

int store_db_prune(store_db_t *db, int64_t before, int max_rows)
{
    char cut[32];
    proto_time_format((long long) before, cut);
    sqlite3_stmt *rd = NULL, *fts_del = NULL, *ent_del = NULL, *del = NULL, *story = NULL,
                 *story_del = NULL, *key_del = NULL, *fresh_del = NULL;
    int n = 0, rc = -1;
    if (store_db_begin(db) != 0)
        return -1;
    if (sqlite3_prepare_v2(db->db, "SELECT seq, title, text, event_time, " STORE_STORY_SEQ ","
                           " id_key, hash_key, canonical_url"
                           " FROM articles WHERE stored_at < ?1 ORDER BY seq LIMIT ?2",
                           -1, &rd, NULL) != SQLITE_OK
        /* its keys, merged or not (store_keyset.h): the fresh ones in
         * memory stay until their merge, which skips them */
        || sqlite3_prepare_v2(db->db, "DELETE FROM article_keys WHERE kind = ?1 AND key = ?2"
                              " AND seq = ?3", -1, &key_del, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db, "DELETE FROM keys_fresh WHERE seq = ?1", -1, &fresh_del,
                              NULL) != SQLITE_OK
        /* a story goes with its last article (no RETURNING: its statement
         * savepoint would make the full-text index flush every row) */
        || sqlite3_prepare_v2(db->db, "UPDATE stories SET article_count = article_count - 1"
                              " WHERE seq = ?1", -1, &story, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db, "DELETE FROM stories WHERE seq = ?1 AND article_count <= 0",
                              -1, &story_del, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db, "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
                              " VALUES ('delete', ?1, ?2, ?3)", -1, &fts_del, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db, "DELETE FROM entity_days WHERE day = ?1 AND entity = ?2"
                              " AND seq = ?3", -1, &ent_del, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db, "DELETE FROM articles WHERE seq = ?1", -1, &del, NULL)
           != SQLITE_OK)
        goto out;
    sqlite3_bind_text(rd, 1, cut, -1, SQLITE_STATIC);
    sqlite3_bind_int(rd, 2, max_rows);
    int step;
    while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
        if (s_unindex(rd, fts_del, db->cand_entities, ent_del) != 0)
            goto out;
        if (s_unkey(rd, key_del, fresh_del) != 0)
            goto out;
        sqlite3_bind_int64(del, 1, sqlite3_column_int64(rd, 0));
        if (s_step_done(del) != 0)
            goto out;
        sqlite3_bind_int64(story, 1, sqlite3_column_int64(rd, 4));
        sqlite3_bind_int64(story_del, 1, sqlite3_column_int64(rd, 4));
        if (s_step_done(story) != 0 || s_step_done(story_del) != 0)
            goto out;
        n++;
    }
    if (step != SQLITE_DONE)
        goto out;
    rc = 0;
out:
    sqlite3_finalize(story);
    sqlite3_finalize(story_del);
    sqlite3_finalize(key_del);
    sqlite3_finalize(fresh_del);
    sqlite3_finalize(rd);
    sqlite3_finalize(fts_del);
    sqlite3_finalize(ent_del);
    sqlite3_finalize(del);
    if (rc != 0 || store_db_commit(db) != 0) {
        store_db_rollback(db);
        return -1;
    }
    if (n > 0)
        store_recent_clear(db);
    db->n_articles -= n;
    return n;
}

int store_db_catalog_entity(store_db_t *db, const char *id, const char *type, const char *name)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "INSERT INTO entities (id, type, name, discovered)"
                           " VALUES (?1, ?2, ?3, 0) ON CONFLICT (id) DO UPDATE SET"
                           " type = excluded.type, name = excluded.name, discovered = 0",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    s_bind_text(st, 1, id);
    s_bind_text(st, 2, type);
    s_bind_text(st, 3, name);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

int64_t store_db_last_seq(store_db_t *db)
{
    /* sqlite_sequence, not MAX(seq): the highest seq ever given stays the
     * answer after old articles are deleted. */
    return s_scalar(db, "SELECT COALESCE((SELECT seq FROM sqlite_sequence"
                        " WHERE name = 'articles'), 0)");
}

int64_t store_db_count(store_db_t *db) { return s_scalar(db, "SELECT COUNT(*) FROM articles"); }
