/*
 * store_db.c — the SQLite side of marsad-store (see store_db.h).
 *
 * Schema changes are numbered migrations applied in order at open, each in
 * its own transaction with PRAGMA user_version moved inside it, so a crash
 * mid-migration leaves the file at the previous version.
 *
 * Durability: WAL with synchronous=FULL — a committed article survives a
 * power cut, which is what the ack promises the fetcher.
 */
#include "store_db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct store_db {
    sqlite3 *db;
    sqlite3_stmt *by_id, *by_dup, *insert, *mention, *claim;
};

/* Migration N brings user_version from N-1 to N. */
static const char *s_migrations[] = {
    /* 1: articles, mentions, claims */
    "CREATE TABLE articles ("
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
    "CREATE INDEX claims_article ON claims(article_seq);",
};
#define S_NMIGRATIONS ((int) (sizeof s_migrations / sizeof s_migrations[0]))

static char *s_errdup(sqlite3 *db, const char *what)
{
    const char *m = db ? sqlite3_errmsg(db) : "out of memory";
    size_t n = strlen(what) + strlen(m) + 3;
    char *e = malloc(n);
    if (e)
        snprintf(e, n, "%s: %s", what, m);
    return e;
}

static int s_user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

static int s_migrate(sqlite3 *db, char **err)
{
    int v = s_user_version(db);
    if (v < 0) {
        *err = s_errdup(db, "reading schema version");
        return -1;
    }
    if (v > S_NMIGRATIONS) {
        char buf[160];
        snprintf(buf, sizeof buf, "database schema version %d is newer than this marsad (%d)",
                 v, S_NMIGRATIONS);
        *err = strdup(buf);
        return -1;
    }
    for (; v < S_NMIGRATIONS; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", v + 1);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK
            || sqlite3_exec(db, s_migrations[v], NULL, NULL, NULL) != SQLITE_OK
            || sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
            char what[64];
            snprintf(what, sizeof what, "migration %d", v + 1);
            *err = s_errdup(db, what);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            *err = s_errdup(db, "committing migration");
            return -1;
        }
    }
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
    if (sqlite3_open_v2(path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
        != SQLITE_OK) {
        *err = s_errdup(self->db, path);
        store_db_close(&self);
        return NULL;
    }
    sqlite3_busy_timeout(self->db, 5000);
    if (sqlite3_exec(self->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        *err = s_errdup(self->db, "setting up WAL");
        store_db_close(&self);
        return NULL;
    }
    if (s_migrate(self->db, err) != 0) {
        store_db_close(&self);
        return NULL;
    }
    struct { sqlite3_stmt **st; const char *sql; } stmts[] = {
        { &self->by_id, "SELECT seq FROM articles WHERE id = ?1" },
        { &self->by_dup, "SELECT id, story_id FROM articles WHERE content_hash = ?1"
                         " OR (?2 IS NOT NULL AND canonical_url = ?2) ORDER BY seq LIMIT 1" },
        { &self->insert, "INSERT INTO articles (id, source, url, canonical_url, title, text, lang,"
                         " published_at, fetched_at, stored_at, content_hash, story_id, duplicate_of)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)" },
        { &self->mention, "INSERT INTO mentions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" },
        { &self->claim, "INSERT INTO claims VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" },
    };
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
        if (sqlite3_prepare_v3(self->db, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT,
                               stmts[i].st, NULL) != SQLITE_OK) {
            *err = s_errdup(self->db, "preparing statements");
            store_db_close(&self);
            return NULL;
        }
    }
    return self;
}

void store_db_close(store_db_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    store_db_t *self = *self_p;
    sqlite3_finalize(self->by_id);
    sqlite3_finalize(self->by_dup);
    sqlite3_finalize(self->insert);
    sqlite3_finalize(self->mention);
    sqlite3_finalize(self->claim);
    sqlite3_close(self->db);
    free(self);
    *self_p = NULL;
}

int store_db_schema_version(store_db_t *db) { return s_user_version(db->db); }

int store_db_begin(store_db_t *db)
{
    return sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int store_db_commit(store_db_t *db)
{
    return sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

void store_db_rollback(store_db_t *db)
{
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
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

int store_db_insert(store_db_t *db, const proto_article_t *a, int64_t *seq, char **story_id,
                    bool *duplicate, char **err)
{
    *err = NULL;
    sqlite3_stmt *st = db->by_id;
    s_bind_text(st, 1, a->id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE) {
        *err = s_errdup(db->db, "looking up article id");
        return -1;
    }

    /* The same story as an earlier article with the same content or the same
     * canonical URL; otherwise a story of its own, named after the article.
     * (Near-duplicates and event clustering come with the store issue.) */
    char *dup_of = NULL, *story = NULL;
    st = db->by_dup;
    s_bind_text(st, 1, a->content_hash);
    s_bind_text(st, 2, a->canonical_url);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        dup_of = strdup((const char *) sqlite3_column_text(st, 0));
        story = strdup((const char *) sqlite3_column_text(st, 1));
    } else if (rc == SQLITE_DONE) {
        story = strdup(a->id);
    }
    sqlite3_reset(st);
    if (!story || (rc == SQLITE_ROW && !dup_of)) {
        *err = rc == SQLITE_DONE || rc == SQLITE_ROW ? strdup("out of memory")
                                                     : s_errdup(db->db, "looking up duplicates");
        free(dup_of);
        free(story);
        return -1;
    }

    char now[32];
    proto_time_format((long long) time(NULL), now);
    st = db->insert;
    s_bind_text(st, 1, a->id);
    s_bind_text(st, 2, a->source);
    s_bind_text(st, 3, a->url);
    s_bind_text(st, 4, a->canonical_url);
    s_bind_text(st, 5, a->title ? a->title : "");
    s_bind_text(st, 6, a->text ? a->text : "");
    s_bind_text(st, 7, a->lang ? a->lang : "und");
    s_bind_text(st, 8, a->published_at);
    s_bind_text(st, 9, a->fetched_at);
    s_bind_text(st, 10, now);
    s_bind_text(st, 11, a->content_hash);
    s_bind_text(st, 12, story);
    s_bind_text(st, 13, dup_of);
    if (s_step_done(st) != 0) {
        *err = s_errdup(db->db, "inserting article");
        free(dup_of);
        free(story);
        return -1;
    }
    int64_t new_seq = sqlite3_last_insert_rowid(db->db);

    for (size_t i = 0; i < a->n_mentions; i++) {
        const proto_mention_t *m = &a->mentions[i];
        st = db->mention;
        sqlite3_bind_int64(st, 1, new_seq);
        s_bind_text(st, 2, m->entity);
        s_bind_text(st, 3, m->type);
        s_bind_text(st, 4, m->surface);
        sqlite3_bind_int64(st, 5, m->start);
        sqlite3_bind_int64(st, 6, m->end);
        sqlite3_bind_int64(st, 7, m->sentence);
        if (s_step_done(st) != 0)
            goto fail;
    }
    for (size_t i = 0; i < a->n_claims; i++) {
        const proto_claim_t *c = &a->claims[i];
        st = db->claim;
        sqlite3_bind_int64(st, 1, new_seq);
        s_bind_text(st, 2, c->speaker);
        s_bind_text(st, 3, c->cue);
        s_bind_text(st, 4, c->stance);
        s_bind_text(st, 5, c->content);
        sqlite3_bind_int64(st, 6, c->start);
        sqlite3_bind_int64(st, 7, c->end);
        if (s_step_done(st) != 0)
            goto fail;
    }
    *seq = new_seq;
    *story_id = story;
    *duplicate = dup_of != NULL;
    free(dup_of);
    return 1;
fail:
    *err = s_errdup(db->db, "inserting mentions and claims");
    free(dup_of);
    free(story);
    return -1;
}

static char *s_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *) t) : NULL;
}

/* Rebuild the `stored` event of row SEQ from the tables. */
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
        m->entity = s_col_dup(st, 0);
        m->type = s_col_dup(st, 1);
        m->surface = s_col_dup(st, 2);
        m->start = sqlite3_column_int64(st, 3);
        m->end = sqlite3_column_int64(st, 4);
        m->sentence = sqlite3_column_int64(st, 5);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db->db, "SELECT speaker, cue, stance, content, start, end"
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
    if (sqlite3_prepare_v2(db->db,
                           "SELECT seq, id, source, url, canonical_url, title, text, lang,"
                           " published_at, fetched_at, content_hash, story_id, duplicate_of"
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

int64_t store_db_last_seq(store_db_t *db)
{
    /* sqlite_sequence, not MAX(seq): the highest seq ever given stays the
     * answer after old articles are deleted. */
    return s_scalar(db, "SELECT COALESCE((SELECT seq FROM sqlite_sequence"
                        " WHERE name = 'articles'), 0)");
}

int64_t store_db_count(store_db_t *db) { return s_scalar(db, "SELECT COUNT(*) FROM articles"); }
