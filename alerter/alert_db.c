/*
 * alert_db.c — the alerter's SQLite file (see alert_db.h).
 *
 * Tables:
 *   alerts(seq INTEGER PRIMARY KEY AUTOINCREMENT, watch, story_id, json, created_at)
 *     AUTOINCREMENT so a seq is never reused, even if the newest rows are
 *     removed: a subscriber's `since` must never skip a later alert.
 *   alerted(watch, story_id) PRIMARY KEY: one `new` alert per watch per story.
 *   story_seen(watch, story_id, what) PRIMARY KEY: what each watch's alerts
 *     on a story have shown (outlets, entities, claims), for `update`s.
 *   state(id = 1, last_stored_seq): how far into the store's stream we are.
 *   sink_cursor(key, seq): the last alert each sink delivered.
 *   folded(watch, story_id, title, url): articles a rate limit held back,
 *     until the watch's digest alert.
 *   ledger(id, watch, story_id, speaker, stance, content, ...) UNIQUE on
 *     (watch, story_id, speaker, stance, content): each claim of a story's
 *     ledger for a watch (alert_ledger.h), id in first-sighting order;
 *   ledger_source(claim, article_id, source, url, start, end, chain):
 *     the articles it came through, one row per article.
 * WAL with synchronous=FULL: a commit is on disk before we publish.
 *
 * Schema changes are numbered migrations applied in order at open, each in
 * its own transaction with PRAGMA user_version moved inside it (as the
 * store does, store/store_db.c), so a crash mid-migration leaves the file
 * at the previous version.  Migration 1 is the schema of the alerters
 * that kept no version: it creates only what is missing, so their files
 * (user_version 0) migrate with their alerts.
 */
#include "alert_db.h"
#include "db_checkpoint.h"
#include "db_migrate.h"
#include "log.h"

#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Statements kept prepared for the connection's life: the alerter runs the
 * same dozen for every article, and preparing them each time was about a
 * sixth of its CPU per article (perf, alerter-latency). */
#define S_STMT_CACHE 32

struct alert_db {
    sqlite3 *db;
    db_checkpoint_t *ckpt;      /* WAL checkpoints off the commit path, or NULL */
    struct {
        const char *sql;        /* a string literal of this file: its address is the key */
        sqlite3_stmt *st;
    } cache[S_STMT_CACHE];
};

/* SQL prepared, reset and unbound, from the cache (or added to it); NULL
 * on failure.  Give it back with s_put(), never sqlite3_finalize(). */
static sqlite3_stmt *s_stmt(alert_db_t *db, const char *sql)
{
    size_t i = 0;
    for (; i < S_STMT_CACHE && db->cache[i].sql; i++)
        if (db->cache[i].sql == sql)
            return db->cache[i].st;
    /* Room for every statement of this file: full means a new statement
     * was added without growing S_STMT_CACHE, an error of ours, not a leak. */
    sqlite3_stmt *st = NULL;
    if (i == S_STMT_CACHE
        || sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    db->cache[i].sql = sql;
    db->cache[i].st = st;
    return st;
}

/* Done with ST for now: reset (releasing any read it holds) and unbound. */
static void s_put(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

/* Migration N brings user_version from N-1 to N. */
static const db_migration_t s_migrations[] = {
    /* 1: alerts, stories, sinks, rate limit */
    { "CREATE TABLE IF NOT EXISTS alerts ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  watch TEXT NOT NULL,"
    "  story_id TEXT NOT NULL,"
    "  json TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS alerted ("
    "  watch TEXT NOT NULL,"
    "  story_id TEXT NOT NULL,"
    "  alert_seq INTEGER NOT NULL,"
    "  PRIMARY KEY (watch, story_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS story_seen ("
    "  watch TEXT NOT NULL,"
    "  story_id TEXT NOT NULL,"
    "  what TEXT NOT NULL,"
    "  PRIMARY KEY (watch, story_id, what)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS alerts_watch_time ON alerts (watch, created_at);"
    "CREATE TABLE IF NOT EXISTS folded ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  watch TEXT NOT NULL,"
    "  story_id TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  url TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sink_cursor ("
    "  key TEXT PRIMARY KEY,"
    "  seq INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS state ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  last_stored_seq INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO state (id, last_stored_seq) VALUES (1, 0);", NULL },
    /* 2: the story-wide claim ledger */
    { "CREATE TABLE ledger ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  watch TEXT NOT NULL, story_id TEXT NOT NULL,"
    "  speaker TEXT NOT NULL, stance TEXT NOT NULL, content TEXT NOT NULL,"
    "  cue TEXT NOT NULL, speaker_entity TEXT, sentence TEXT,"
    "  entities TEXT,"                          /* JSON array of ids, or NULL */
    "  UNIQUE (watch, story_id, speaker, stance, content));"
    "CREATE TABLE ledger_source ("
    "  claim INTEGER NOT NULL REFERENCES ledger(id) ON DELETE CASCADE,"
    "  article_id TEXT NOT NULL, source TEXT NOT NULL, url TEXT NOT NULL,"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL,"
    "  chain TEXT,"                             /* JSON array of relays, or NULL */
    "  UNIQUE (claim, article_id));", NULL },
};
#define S_NMIGRATIONS ((int) (sizeof s_migrations / sizeof s_migrations[0]))
_Static_assert(S_NMIGRATIONS == ALERT_DB_VERSION, "ALERT_DB_VERSION is the last migration");

/* Bring DB to schema TARGET.  0, or -1 with a malloc'd reason in *err. */
static int s_migrate(sqlite3 *db, int target, char **err)
{
    return db_migrate(db, s_migrations, S_NMIGRATIONS, target, "alert database", err);
}

int alert_db_migrate_file(const char *path, int version, char **err)
{
    *err = NULL;
    if (version < 1 || version > S_NMIGRATIONS) {
        *err = strdup("no such schema version");
        return -1;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
        != SQLITE_OK) {
        *err = db_reason(db, path);
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    int rc = s_migrate(db, version, err);
    sqlite3_close(db);
    return rc;
}

int alert_db_schema_version(alert_db_t *db)
{
    return db ? db_user_version(db->db) : -1;
}

alert_db_t *alert_db_open(const char *path, char **err)
{
    if (err)
        *err = NULL;
    alert_db_t *self = calloc(1, sizeof *self);
    if (!self) {
        if (err)
            *err = strdup("out of memory");
        return NULL;
    }
    const char *step = "open";
    if (sqlite3_open_v2(path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                        | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(self->db, 5000);
    step = "journal_mode=WAL";
    if (sqlite3_exec(self->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    step = "synchronous=FULL";
    if (sqlite3_exec(self->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    step = "foreign_keys=ON";
    if (sqlite3_exec(self->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    char *why = NULL;
    if (s_migrate(self->db, S_NMIGRATIONS, &why) != 0) {
        if (err)
            *err = why ? why : strdup("schema migration failed");
        else
            free(why);
        sqlite3_close(self->db);
        free(self);
        return NULL;
    }
    /* Each article's alerts are committed (and synced) before they are
     * published; without the thread, one commit in ~40 also copied the
     * log into the file.  Without it, SQLite does as before. */
    if (!(self->ckpt = db_checkpoint_new(self->db, path, &why)))
        mlog_warn("alerter: checkpoints stay inside commits: %s", why ? why : "out of memory");
    free(why);
    return self;
fail:
    if (err)
        *err = db_reason(self->db, step);
    sqlite3_close(self->db);
    free(self);
    return NULL;
}

void alert_db_close(alert_db_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    db_checkpoint_destroy(&(*self_p)->ckpt);
    for (size_t i = 0; i < S_STMT_CACHE; i++)
        sqlite3_finalize((*self_p)->cache[i].st);
    sqlite3_close((*self_p)->db);
    free(*self_p);
    *self_p = NULL;
}

/* One integer from SQL (no parameters); 0 on any failure. */
static int64_t s_int(alert_db_t *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    if (db && (st = s_stmt(db, sql)) != NULL && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    s_put(st);
    return v;
}

int64_t alert_db_last_stored_seq(alert_db_t *db)
{
    return s_int(db, "SELECT last_stored_seq FROM state WHERE id = 1");
}

int64_t alert_db_max_seq(alert_db_t *db)
{
    /* sqlite_sequence remembers the highest seq even when rows are gone. */
    int64_t a = s_int(db, "SELECT seq FROM sqlite_sequence WHERE name = 'alerts'");
    int64_t b = s_int(db, "SELECT COALESCE(MAX(seq), 0) FROM alerts");
    return a > b ? a : b;
}

bool alert_db_alerted(alert_db_t *db, const char *watch, const char *story_id)
{
    if (!db || !watch || !story_id)
        return false;
    sqlite3_stmt *st = NULL;
    bool found = false;
    if ((st = s_stmt(db, "SELECT 1 FROM alerted WHERE watch = ?1 AND story_id = ?2")) != NULL) {
        sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, story_id, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    s_put(st);
    return found;
}

bool alert_db_seen(alert_db_t *db, const char *watch, const char *story_id, const char *what)
{
    if (!db || !watch || !story_id || !what)
        return false;
    sqlite3_stmt *st = NULL;
    bool found = false;
    if ((st = s_stmt(db, "SELECT 1 FROM story_seen WHERE watch = ?1 AND "
                           "story_id = ?2 AND what = ?3")) != NULL) {
        sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, story_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    s_put(st);
    return found;
}

long alert_db_folded(alert_db_t *db, const char *watch, char ***titles, char ***urls)
{
    if (!db || !watch || !titles || !urls)
        return -EINVAL;
    *titles = *urls = NULL;
    sqlite3_stmt *st = NULL;
    if ((st = s_stmt(db, "SELECT title, url FROM folded WHERE watch = ?1 ORDER BY id")) == NULL)
        return -EIO;
    sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
    size_t n = 0, cap = 0;
    long rc = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            char **t = realloc(*titles, cap * sizeof *t);
            if (t)
                *titles = t;
            char **u = t ? realloc(*urls, cap * sizeof *u) : NULL;
            if (u)
                *urls = u;
            if (!t || !u) {
                rc = -ENOMEM;
                break;
            }
        }
        const char *t = (const char *) sqlite3_column_text(st, 0);
        const char *u = (const char *) sqlite3_column_text(st, 1);
        (*titles)[n] = strdup(t ? t : "");
        (*urls)[n] = strdup(u ? u : "");
        n++;
        if (!(*titles)[n - 1] || !(*urls)[n - 1]) {
            rc = -ENOMEM;
            break;
        }
    }
    s_put(st);
    if (rc != 0) {
        alert_db_free_list(*titles, n);
        alert_db_free_list(*urls, n);
        *titles = *urls = NULL;
        return rc;
    }
    return (long) n;
}

int64_t alert_db_count_recent(alert_db_t *db, const char *watch, int64_t seconds)
{
    if (!db || !watch)
        return 0;
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    if ((st = s_stmt(db, "SELECT COUNT(*) FROM alerts WHERE watch = ?1 AND "
                           "created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?2)")) != NULL) {
        char mod[32];
        snprintf(mod, sizeof mod, "-%lld seconds", (long long) seconds);
        sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, mod, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    s_put(st);
    return n;
}

/* N strings as a JSON array text (malloc'd), NULL when N is 0 or on
 * failure (*fail set). */
static char *s_json_strings(char *const *v, size_t n, bool *fail)
{
    if (n == 0 || !v)
        return NULL;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(v[i] ? v[i] : "")) != 0) {
            json_decref(a);
            a = NULL;
        }
    char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    if (!text)
        *fail = true;
    return text;
}

/* A JSON array text back into *v / *n (malloc'd, free each and the array).
 * NULL or not an array of strings: empty.  0 or -ENOMEM. */
static int s_strings_json(const char *text, char ***v, size_t *n)
{
    *v = NULL;
    *n = 0;
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    size_t len = json_is_array(a) ? json_array_size(a) : 0;
    int rc = 0;
    if (len > 0) {
        *v = calloc(len, sizeof **v);
        if (!*v)
            rc = -ENOMEM;
        for (size_t i = 0; rc == 0 && i < len; i++) {
            const char *s = json_string_value(json_array_get(a, i));
            (*v)[i] = strdup(s ? s : "");
            if (!(*v)[i])
                rc = -ENOMEM;
            else
                (*n)++;
        }
    }
    json_decref(a);
    if (rc != 0) {
        alert_db_free_list(*v, *n);
        *v = NULL;
        *n = 0;
    }
    return rc;
}

/* Add entry E's ledger claims (inside the open transaction): each claim
 * once per (watch, story, speaker, stance, content), each source once per
 * claim and article — so an article handled again after a crash adds
 * nothing twice.  0 or a negative code. */
static int s_record_ledger(alert_db_t *db, const alert_db_entry_t *e)
{
    if (e->n_ledger == 0)
        return 0;
    sqlite3_stmt *ins = NULL, *get = NULL, *src = NULL;
    int rc = -EIO;
    if ((ins = s_stmt(db, "INSERT OR IGNORE INTO ledger (watch, story_id, speaker, stance, content, cue,"
            " speaker_entity, sentence, entities) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")) == NULL
        || (get = s_stmt(db, "SELECT id FROM ledger WHERE watch = ?1 AND story_id = ?2 AND speaker = ?3"
            " AND stance = ?4 AND content = ?5")) == NULL
        || (src = s_stmt(db, "INSERT OR IGNORE INTO ledger_source (claim, article_id, source, url, start, end,"
            " chain) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")) == NULL)
        goto out;
    for (size_t i = 0; i < e->n_ledger; i++) {
        const proto_claim_t *c = &e->ledger[i];
        bool fail = false;
        char *ents = s_json_strings(c->entities, c->n_entities, &fail);
        if (fail) {
            rc = -ENOMEM;
            goto out;
        }
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, e->watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, e->story_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, c->speaker ? c->speaker : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, c->stance ? c->stance : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, c->content ? c->content : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 6, c->cue ? c->cue : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 7, c->speaker_entity, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 8, c->sentence, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 9, ents, -1, free);
        if (sqlite3_step(ins) != SQLITE_DONE)
            goto out;
        sqlite3_reset(get);
        sqlite3_bind_text(get, 1, e->watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(get, 2, e->story_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(get, 3, c->speaker ? c->speaker : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(get, 4, c->stance ? c->stance : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(get, 5, c->content ? c->content : "", -1, SQLITE_STATIC);
        if (sqlite3_step(get) != SQLITE_ROW)
            goto out;
        int64_t id = sqlite3_column_int64(get, 0);
        for (size_t k = 0; k < c->n_sources; k++) {
            const proto_claim_source_t *s = &c->sources[k];
            char *chain = s_json_strings(s->chain, s->n_chain, &fail);
            if (fail) {
                rc = -ENOMEM;
                goto out;
            }
            sqlite3_reset(src);
            sqlite3_bind_int64(src, 1, id);
            sqlite3_bind_text(src, 2, s->article_id ? s->article_id : "", -1, SQLITE_STATIC);
            sqlite3_bind_text(src, 3, s->source ? s->source : "", -1, SQLITE_STATIC);
            sqlite3_bind_text(src, 4, s->url ? s->url : "", -1, SQLITE_STATIC);
            sqlite3_bind_int64(src, 5, s->start);
            sqlite3_bind_int64(src, 6, s->end);
            sqlite3_bind_text(src, 7, chain, -1, free);
            if (sqlite3_step(src) != SQLITE_DONE)
                goto out;
        }
    }
    rc = 0;
out:
    s_put(ins);
    s_put(get);
    s_put(src);
    return rc;
}

int alert_db_ledger(alert_db_t *db, const char *watch, const char *story_id,
                    alert_ledger_t *l)
{
    if (!db || !watch || !story_id || !l)
        return -EINVAL;
    sqlite3_stmt *st = NULL;
    if ((st = s_stmt(db, "SELECT l.speaker, l.stance, l.content, l.cue, l.speaker_entity, l.sentence,"
            " l.entities, s.article_id, s.source, s.url, s.start, s.end, s.chain"
            " FROM ledger l JOIN ledger_source s ON s.claim = l.id"
            " WHERE l.id IN (SELECT id FROM ledger WHERE watch = ?1 AND story_id = ?2"
            "                ORDER BY id DESC LIMIT ?3)"
            " ORDER BY l.id, s.rowid")) == NULL)
        return -EIO;
    sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, story_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, ALERT_LEDGER_MAX_CLAIMS);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        proto_claim_t c = {
            .speaker = (char *) sqlite3_column_text(st, 0),
            .stance = (char *) sqlite3_column_text(st, 1),
            .content = (char *) sqlite3_column_text(st, 2),
            .cue = (char *) sqlite3_column_text(st, 3),
            .speaker_entity = (char *) sqlite3_column_text(st, 4),
            .sentence = (char *) sqlite3_column_text(st, 5),
        };
        proto_claim_source_t s = {
            .article_id = (char *) sqlite3_column_text(st, 7),
            .source = (char *) sqlite3_column_text(st, 8),
            .url = (char *) sqlite3_column_text(st, 9),
            .start = sqlite3_column_int64(st, 10),
            .end = sqlite3_column_int64(st, 11),
        };
        rc = s_strings_json((const char *) sqlite3_column_text(st, 6), &c.entities,
                            &c.n_entities);
        if (rc == 0)
            rc = s_strings_json((const char *) sqlite3_column_text(st, 12), &s.chain,
                                &s.n_chain);
        if (rc == 0)
            rc = alert_ledger_add(l, &c, &s) < 0 ? -ENOMEM : 0;
        alert_db_free_list(c.entities, c.n_entities);
        alert_db_free_list(s.chain, s.n_chain);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -EIO;
    s_put(st);
    return rc;
}

/* Store entry I (inside the open transaction).  Returns 0 (E->seq set, or
 * left 0 when already alerted) or a negative code. */
static int s_record_one(alert_db_t *db, sqlite3_stmt *mark, sqlite3_stmt *ins,
                        sqlite3_stmt *upd, sqlite3_stmt *link, sqlite3_stmt *seen,
                        alert_db_entry_t *e, size_t i, alert_db_render_fn *render, void *arg)
{
    if (!e->watch || !e->story_id)
        return -EINVAL;
    for (size_t k = 0; k < e->n_seen; k++) {
        sqlite3_reset(seen);
        sqlite3_bind_text(seen, 1, e->watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(seen, 2, e->story_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(seen, 3, e->seen[k], -1, SQLITE_STATIC);
        if (sqlite3_step(seen) != SQLITE_DONE)
            return -EIO;
    }
    int lrc = s_record_ledger(db, e);
    if (lrc != 0 || e->silent)
        return lrc;
    if (e->update || e->digest)
        goto store;
    sqlite3_reset(mark);
    sqlite3_bind_text(mark, 1, e->watch, -1, SQLITE_STATIC);
    sqlite3_bind_text(mark, 2, e->story_id, -1, SQLITE_STATIC);
    if (sqlite3_step(mark) != SQLITE_DONE)
        return -EIO;
    if (sqlite3_changes(db->db) == 0)
        return 0;   /* this watch already alerted on this story */

store:
    if (e->folded || e->digest) {
        const char *sql = e->folded
            ? "INSERT INTO folded (watch, story_id, title, url) VALUES (?1, ?2, ?3, ?4)"
            : "DELETE FROM folded WHERE watch = ?1";
        sqlite3_stmt *f = s_stmt(db, sql);
        int frc = f ? SQLITE_OK : SQLITE_ERROR;
        if (frc == SQLITE_OK) {
            sqlite3_bind_text(f, 1, e->watch, -1, SQLITE_STATIC);
            if (e->folded) {
                sqlite3_bind_text(f, 2, e->story_id, -1, SQLITE_STATIC);
                sqlite3_bind_text(f, 3, e->fold_title ? e->fold_title : "", -1, SQLITE_STATIC);
                sqlite3_bind_text(f, 4, e->fold_url ? e->fold_url : "", -1, SQLITE_STATIC);
            }
            frc = sqlite3_step(f) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        s_put(f);
        if (frc != SQLITE_OK)
            return -EIO;
        if (e->folded)
            return 0;
    }
    sqlite3_reset(ins);
    sqlite3_bind_text(ins, 1, e->watch, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, e->story_id, -1, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE)
        return -EIO;
    int64_t seq = sqlite3_last_insert_rowid(db->db);

    char *json = render ? render(arg, i, seq) : strdup("{}");
    if (!json)
        return -ENOMEM;
    sqlite3_reset(upd);
    sqlite3_bind_text(upd, 1, json, -1, free);
    sqlite3_bind_int64(upd, 2, seq);
    int rc = sqlite3_step(upd);
    sqlite3_clear_bindings(upd);
    if (rc != SQLITE_DONE)
        return -EIO;
    if (e->update || e->digest) {
        e->seq = seq;
        return 0;
    }

    sqlite3_reset(link);
    sqlite3_bind_int64(link, 1, seq);
    sqlite3_bind_text(link, 2, e->watch, -1, SQLITE_STATIC);
    sqlite3_bind_text(link, 3, e->story_id, -1, SQLITE_STATIC);
    if (sqlite3_step(link) != SQLITE_DONE)
        return -EIO;
    e->seq = seq;
    return 0;
}

int alert_db_record(alert_db_t *db, int64_t stored_seq, alert_db_entry_t *entries,
                    size_t n, alert_db_render_fn *render, void *arg)
{
    if (!db || (n > 0 && !entries))
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        entries[i].seq = 0;
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return -EIO;

    sqlite3_stmt *mark = NULL, *ins = NULL, *upd = NULL, *link = NULL, *state = NULL;
    sqlite3_stmt *seen = NULL;
    int rc = -EIO;
    if ((mark = s_stmt(db, "INSERT OR IGNORE INTO alerted (watch, story_id, alert_seq) VALUES (?1, ?2, 0)")) == NULL
        || (ins = s_stmt(db, "INSERT INTO alerts (watch, story_id, json, created_at) VALUES (?1, ?2, '',"
            " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")) == NULL
        || (upd = s_stmt(db, "UPDATE alerts SET json = ?1 WHERE seq = ?2")) == NULL
        || (link = s_stmt(db, "UPDATE alerted SET alert_seq = ?1 WHERE watch = ?2 AND story_id = ?3")) == NULL
        || (state = s_stmt(db, "UPDATE state SET last_stored_seq = MAX(last_stored_seq, ?1) WHERE id = 1")) == NULL
        || (seen = s_stmt(db, "INSERT OR IGNORE INTO story_seen (watch, story_id, what) VALUES (?1, ?2, ?3)")) == NULL)
        goto done;

    for (size_t i = 0; i < n; i++) {
        rc = s_record_one(db, mark, ins, upd, link, seen, &entries[i], i, render, arg);
        if (rc != 0)
            goto done;
    }
    rc = -EIO;
    sqlite3_bind_int64(state, 1, stored_seq);
    if (sqlite3_step(state) != SQLITE_DONE)
        goto done;
    if (sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto done;
    rc = 0;
done:
    s_put(mark);
    s_put(ins);
    s_put(upd);
    s_put(link);
    s_put(state);
    s_put(seen);
    if (rc != 0) {
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        for (size_t i = 0; i < n; i++)
            entries[i].seq = 0;
    }
    return rc;
}

void alert_db_free_list(char **jsons, size_t n)
{
    if (!jsons)
        return;
    for (size_t i = 0; i < n; i++)
        free(jsons[i]);
    free(jsons);
}

static long s_since(alert_db_t *db, const char *watch, int64_t since, int64_t limit,
                    char ***jsons_out, int64_t **seqs_out);

long alert_db_since(alert_db_t *db, int64_t since, int64_t limit, char ***jsons_out,
                    int64_t **seqs_out)
{
    return s_since(db, NULL, since, limit, jsons_out, seqs_out);
}

long alert_db_watch_since(alert_db_t *db, const char *watch, int64_t since, int64_t limit,
                          char ***jsons_out, int64_t **seqs_out)
{
    if (!watch)
        return -EINVAL;
    return s_since(db, watch, since, limit, jsons_out, seqs_out);
}

int64_t alert_db_cursor(alert_db_t *db, const char *key, int64_t init)
{
    if (!db || !key)
        return -EINVAL;
    sqlite3_stmt *ins = NULL, *get = NULL;
    int64_t seq = -EIO;
    if ((ins = s_stmt(db, "INSERT OR IGNORE INTO sink_cursor (key, seq) "
                           "VALUES (?1, ?2)")) != NULL
        && (get = s_stmt(db, "SELECT seq FROM sink_cursor WHERE key = ?1")) != NULL) {
        sqlite3_bind_text(ins, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, init);
        sqlite3_bind_text(get, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(ins) == SQLITE_DONE && sqlite3_step(get) == SQLITE_ROW)
            seq = sqlite3_column_int64(get, 0);
    }
    s_put(ins);
    s_put(get);
    return seq;
}

int alert_db_cursor_set(alert_db_t *db, const char *key, int64_t seq)
{
    if (!db || !key)
        return -EINVAL;
    sqlite3_stmt *st = NULL;
    int rc = -EIO;
    if ((st = s_stmt(db, "INSERT INTO sink_cursor (key, seq) VALUES (?1, ?2) "
                           "ON CONFLICT (key) DO UPDATE SET seq = excluded.seq")) != NULL) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = 0;
    }
    s_put(st);
    return rc;
}

static long s_since(alert_db_t *db, const char *watch, int64_t since, int64_t limit,
                    char ***jsons_out, int64_t **seqs_out)
{
    if (!db || !jsons_out || limit < 0)
        return -EINVAL;
    *jsons_out = NULL;
    if (seqs_out)
        *seqs_out = NULL;
    if (limit == 0)
        return 0;
    sqlite3_stmt *st = NULL;
    if (!(st = s_stmt(db, watch
            ? "SELECT seq, json FROM alerts WHERE seq > ?1 AND watch = ?3 ORDER BY seq LIMIT ?2"
            : "SELECT seq, json FROM alerts WHERE seq > ?1 ORDER BY seq LIMIT ?2")))
        return -EIO;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int64(st, 2, limit);
    if (watch)
        sqlite3_bind_text(st, 3, watch, -1, SQLITE_STATIC);

    char **jsons = NULL;
    int64_t *seqs = NULL;
    size_t n = 0, cap = 0;
    long rc = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nj = realloc(jsons, cap * sizeof *nj);
            if (nj)
                jsons = nj;
            int64_t *ns = nj ? realloc(seqs, cap * sizeof *ns) : NULL;
            if (ns)
                seqs = ns;
            if (!nj || !ns) {
                rc = -ENOMEM;
                break;
            }
        }
        const char *text = (const char *) sqlite3_column_text(st, 1);
        jsons[n] = strdup(text ? text : "");
        if (!jsons[n]) {
            rc = -ENOMEM;
            break;
        }
        seqs[n] = sqlite3_column_int64(st, 0);
        n++;
    }
    if (rc == 0 && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = -EIO;
    s_put(st);
    if (rc != 0) {
        alert_db_free_list(jsons, n);
        free(seqs);
        return rc;
    }
    *jsons_out = jsons;
    if (seqs_out)
        *seqs_out = seqs;
    else
        free(seqs);
    return (long) n;
}
