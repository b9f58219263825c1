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
 * WAL with synchronous=FULL: a commit is on disk before we publish.
 */
#include "alert_db.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct alert_db {
    sqlite3 *db;
};

static const char *s_schema =
    "CREATE TABLE IF NOT EXISTS alerts ("
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
    "INSERT OR IGNORE INTO state (id, last_stored_seq) VALUES (1, 0);";

static char *s_errdup(const char *what, sqlite3 *db)
{
    const char *msg = db ? sqlite3_errmsg(db) : "out of memory";
    size_t n = strlen(what) + strlen(msg) + 3;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s: %s", what, msg);
    return s;
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
    step = "schema";
    if (sqlite3_exec(self->db, s_schema, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    return self;
fail:
    if (err)
        *err = s_errdup(step, self->db);
    sqlite3_close(self->db);
    free(self);
    return NULL;
}

void alert_db_close(alert_db_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sqlite3_close((*self_p)->db);
    free(*self_p);
    *self_p = NULL;
}

/* One integer from SQL (no parameters); 0 on any failure. */
static int64_t s_int(alert_db_t *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    if (db && sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
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
    if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM alerted WHERE watch = ?1 AND story_id = ?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, story_id, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

bool alert_db_seen(alert_db_t *db, const char *watch, const char *story_id, const char *what)
{
    if (!db || !watch || !story_id || !what)
        return false;
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM story_seen WHERE watch = ?1 AND "
                           "story_id = ?2 AND what = ?3", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, story_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

long alert_db_folded(alert_db_t *db, const char *watch, char ***titles, char ***urls)
{
    if (!db || !watch || !titles || !urls)
        return -EINVAL;
    *titles = *urls = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, "SELECT title, url FROM folded WHERE watch = ?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
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
    sqlite3_finalize(st);
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
    if (sqlite3_prepare_v2(db->db, "SELECT COUNT(*) FROM alerts WHERE watch = ?1 AND "
                           "created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?2)",
                           -1, &st, NULL) == SQLITE_OK) {
        char mod[32];
        snprintf(mod, sizeof mod, "-%lld seconds", (long long) seconds);
        sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, mod, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
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
        sqlite3_stmt *f = NULL;
        int frc = sqlite3_prepare_v2(db->db, sql, -1, &f, NULL);
        if (frc == SQLITE_OK) {
            sqlite3_bind_text(f, 1, e->watch, -1, SQLITE_STATIC);
            if (e->folded) {
                sqlite3_bind_text(f, 2, e->story_id, -1, SQLITE_STATIC);
                sqlite3_bind_text(f, 3, e->fold_title ? e->fold_title : "", -1, SQLITE_STATIC);
                sqlite3_bind_text(f, 4, e->fold_url ? e->fold_url : "", -1, SQLITE_STATIC);
            }
            frc = sqlite3_step(f) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        sqlite3_finalize(f);
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
    if (sqlite3_prepare_v2(db->db,
            "INSERT OR IGNORE INTO alerted (watch, story_id, alert_seq) VALUES (?1, ?2, 0)",
            -1, &mark, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db,
            "INSERT INTO alerts (watch, story_id, json, created_at) VALUES (?1, ?2, '',"
            " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", -1, &ins, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db, "UPDATE alerts SET json = ?1 WHERE seq = ?2",
                              -1, &upd, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db,
            "UPDATE alerted SET alert_seq = ?1 WHERE watch = ?2 AND story_id = ?3",
            -1, &link, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db,
            "UPDATE state SET last_stored_seq = MAX(last_stored_seq, ?1) WHERE id = 1",
            -1, &state, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db->db,
            "INSERT OR IGNORE INTO story_seen (watch, story_id, what) VALUES (?1, ?2, ?3)",
            -1, &seen, NULL) != SQLITE_OK)
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
    sqlite3_finalize(mark);
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
    sqlite3_finalize(link);
    sqlite3_finalize(state);
    sqlite3_finalize(seen);
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
    if (sqlite3_prepare_v2(db->db, "INSERT OR IGNORE INTO sink_cursor (key, seq) "
                           "VALUES (?1, ?2)", -1, &ins, NULL) == SQLITE_OK
        && sqlite3_prepare_v2(db->db, "SELECT seq FROM sink_cursor WHERE key = ?1", -1, &get,
                              NULL) == SQLITE_OK) {
        sqlite3_bind_text(ins, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, init);
        sqlite3_bind_text(get, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(ins) == SQLITE_DONE && sqlite3_step(get) == SQLITE_ROW)
            seq = sqlite3_column_int64(get, 0);
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(get);
    return seq;
}

int alert_db_cursor_set(alert_db_t *db, const char *key, int64_t seq)
{
    if (!db || !key)
        return -EINVAL;
    sqlite3_stmt *st = NULL;
    int rc = -EIO;
    if (sqlite3_prepare_v2(db->db, "INSERT INTO sink_cursor (key, seq) VALUES (?1, ?2) "
                           "ON CONFLICT (key) DO UPDATE SET seq = excluded.seq", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = 0;
    }
    sqlite3_finalize(st);
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
    if (sqlite3_prepare_v2(db->db, watch
            ? "SELECT seq, json FROM alerts WHERE seq > ?1 AND watch = ?3 ORDER BY seq LIMIT ?2"
            : "SELECT seq, json FROM alerts WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            -1, &st, NULL) != SQLITE_OK)
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
    sqlite3_finalize(st);
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
