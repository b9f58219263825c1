/*
 * outbox.c — the durable outbox of outbox.h, on SQLite.
 *
 * WAL with synchronous=FULL: a committed put survives power loss, which
 * is the point (DESIGN §2).  The fetcher is the only writer; a busy
 * timeout covers the odd `sqlite3` shell reading alongside.
 */
#include "outbox.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

struct outbox {
    sqlite3 *db;
    sqlite3_stmt *seen, *ins_seen, *ins_doc, *del_doc, *due, *sent, *count, *next;
    sqlite3_stmt *st_get, *st_ok, *st_fail;
};

static const char s_schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS seen ("
    "  source TEXT NOT NULL, item_id TEXT NOT NULL, seen_at INTEGER NOT NULL,"
    "  PRIMARY KEY (source, item_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS pending ("
    "  doc_id TEXT PRIMARY KEY, json BLOB NOT NULL, body BLOB NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0, next_send_at INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS pending_due ON pending(next_send_at);"
    /* Per source: the validators of the last good poll (conditional GET
     * across restarts) and its health. */
    "CREATE TABLE IF NOT EXISTS source_state ("
    "  source TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
    "  failures INTEGER NOT NULL DEFAULT 0, first_failure INTEGER, last_ok INTEGER,"
    "  last_error TEXT, last_attempt INTEGER);"
    "CREATE VIEW IF NOT EXISTS source_status AS SELECT source, failures, last_ok, last_attempt,"
    "  last_error, first_failure, (first_failure IS NOT NULL AND"
    "  CAST(strftime('%s','now') AS INTEGER) - first_failure >= 86400) AS unhealthy"
    "  FROM source_state;";

static int s_prepare(outbox_t *o, sqlite3_stmt **st, const char *sql)
{
    return sqlite3_prepare_v2(o->db, sql, -1, st, NULL) == SQLITE_OK ? 0 : -1;
}

outbox_t *outbox_open(const char *path, char **err)
{
    if (err)
        *err = NULL;
    outbox_t *o = calloc(1, sizeof *o);
    if (!o) {
        if (err)
            *err = strdup("out of memory");
        return NULL;
    }
    int rc = sqlite3_open_v2(path, &o->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(o->db, 5000);
        rc = sqlite3_exec(o->db, s_schema, NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK
        && (s_prepare(o, &o->seen, "SELECT 1 FROM seen WHERE source=?1 AND item_id=?2")
            || s_prepare(o, &o->ins_seen,
                         "INSERT OR IGNORE INTO seen(source,item_id,seen_at) VALUES(?1,?2,?3)")
            || s_prepare(o, &o->ins_doc,
                         "INSERT OR REPLACE INTO pending(doc_id,json,body,attempts,next_send_at,"
                         "created_at) VALUES(?1,?2,?3,0,?4,?4)")
            || s_prepare(o, &o->del_doc, "DELETE FROM pending WHERE doc_id=?1")
            || s_prepare(o, &o->due,
                         "SELECT doc_id,json,body,attempts,next_send_at FROM pending"
                         " WHERE next_send_at<=?1 ORDER BY next_send_at, created_at LIMIT ?2")
            || s_prepare(o, &o->sent,
                         "UPDATE pending SET attempts=attempts+1, next_send_at=?2 WHERE doc_id=?1")
            || s_prepare(o, &o->count, "SELECT count(*) FROM pending")
            || s_prepare(o, &o->next, "SELECT min(next_send_at) FROM pending")
            || s_prepare(o, &o->st_get,
                         "SELECT etag,last_modified,failures,first_failure FROM source_state"
                         " WHERE source=?1")
            || s_prepare(o, &o->st_ok,
                         "INSERT INTO source_state(source,etag,last_modified,failures,"
                         "first_failure,last_ok,last_error,last_attempt)"
                         " VALUES(?1,?2,?3,0,NULL,?4,NULL,?4) ON CONFLICT(source) DO UPDATE SET"
                         " etag=?2,last_modified=?3,failures=0,first_failure=NULL,last_ok=?4,"
                         " last_error=NULL,last_attempt=?4")
            || s_prepare(o, &o->st_fail,
                         "INSERT INTO source_state(source,failures,first_failure,last_error,"
                         "last_attempt) VALUES(?1,1,?3,?2,?3) ON CONFLICT(source) DO UPDATE SET"
                         " failures=failures+1,first_failure=coalesce(first_failure,?3),"
                         " last_error=?2,last_attempt=?3")))
        rc = SQLITE_ERROR;
    if (rc != SQLITE_OK) {
        if (err) {
            const char *m = o->db ? sqlite3_errmsg(o->db) : "cannot open";
            size_t n = strlen(path) + strlen(m) + 3;
            *err = malloc(n);
            if (*err)
                snprintf(*err, n, "%s: %s", path, m);
        }
        outbox_destroy(&o);
        return NULL;
    }
    return o;
}

void outbox_destroy(outbox_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    outbox_t *o = *self_p;
    sqlite3_stmt *all[] = { o->seen, o->ins_seen, o->ins_doc, o->del_doc, o->due,
                            o->sent, o->count, o->next, o->st_get, o->st_ok, o->st_fail };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(o->db);
    free(o);
    *self_p = NULL;
}

const char *outbox_errmsg(outbox_t *self)
{
    return self && self->db ? sqlite3_errmsg(self->db) : "no database";
}

void outbox_doc_id(const char *source, const char *item_id, char out[65])
{
    sha256_t c;
    uint8_t d[32];
    static const char hex[] = "0123456789abcdef";
    sha256_init(&c);
    sha256_update(&c, source, strlen(source));
    sha256_update(&c, "\n", 1);
    sha256_update(&c, item_id, strlen(item_id));
    sha256_final(&c, d);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
}

int outbox_seen(outbox_t *self, const char *source, const char *item_id)
{
    sqlite3_stmt *st = self->seen;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, item_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int outbox_put(outbox_t *self, const char *source, const char *item_id, const char *doc_id,
               const void *json, size_t json_len, const void *body, size_t body_len,
               long long now)
{
    if (sqlite3_exec(self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    int result = -1;
    sqlite3_stmt *st = self->ins_seen;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, item_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        goto done;
    if (sqlite3_changes(self->db) == 0) {
        result = 1;                 /* seen before: leave everything as it is */
        goto done;
    }
    st = self->ins_doc;
    sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
    /* zeroblob-safe: a NULL pointer with length 0 must still be a blob */
    sqlite3_bind_blob64(st, 2, json_len ? json : "", json_len, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 3, body_len ? body : "", body_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE)
        result = 0;
done:
    if (result == 0) {
        if (sqlite3_exec(self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        return 0;
    }
    sqlite3_exec(self->db, "ROLLBACK", NULL, NULL, NULL);
    return result;
}

int outbox_ack(outbox_t *self, const char *doc_id)
{
    sqlite3_stmt *st = self->del_doc;
    sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return -1;
    return sqlite3_changes(self->db) > 0 ? 1 : 0;
}

void outbox_doc_clear(outbox_doc_t *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->json);
    free(d->body);
    memset(d, 0, sizeof *d);
}

static void *s_blob(sqlite3_stmt *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(st, col);
    int n = sqlite3_column_bytes(st, col);
    void *out = malloc(n > 0 ? (size_t) n : 1);
    if (out && n > 0)
        memcpy(out, p, (size_t) n);
    *len = n > 0 ? (size_t) n : 0;
    return out;
}

int outbox_due(outbox_t *self, long long now, size_t max, outbox_doc_t **docs)
{
    *docs = NULL;
    if (max == 0)
        return 0;
    outbox_doc_t *arr = calloc(max, sizeof *arr);
    if (!arr)
        return -1;
    sqlite3_stmt *st = self->due;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, (sqlite3_int64) max);
    size_t n = 0;
    int rc = SQLITE_DONE;
    int failed = 0;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        outbox_doc_t *d = &arr[n];
        const unsigned char *id = sqlite3_column_text(st, 0);
        d->id = strdup(id ? (const char *) id : "");
        d->json = s_blob(st, 1, &d->json_len);
        d->body = s_blob(st, 2, &d->body_len);
        d->attempts = sqlite3_column_int(st, 3);
        d->next_send_at = sqlite3_column_int64(st, 4);
        n++;
        if (!d->id || !d->json || !d->body) {
            failed = 1;
            break;
        }
    }
    if (!failed && n < max && rc != SQLITE_DONE)
        failed = 1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (failed) {
        for (size_t i = 0; i < n; i++)
            outbox_doc_clear(&arr[i]);
        free(arr);
        return -1;
    }
    *docs = arr;
    return (int) n;
}

long long outbox_backoff(int resend_after, int attempts)
{
    long long d = resend_after > 0 ? resend_after : 1;
    for (int i = 1; i < attempts && d < OUTBOX_BACKOFF_CAP; i++)
        d *= 2;
    return d > OUTBOX_BACKOFF_CAP ? OUTBOX_BACKOFF_CAP : d;
}

int outbox_sent(outbox_t *self, const char *doc_id, long long now, int resend_after)
{
    /* attempts after this send is attempts+1; read it to compute the wait. */
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(self->db, "SELECT attempts FROM pending WHERE doc_id=?1", -1, &q,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    int attempts = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE)
        return 0;                   /* acked meanwhile: nothing to schedule */
    if (attempts < 0)
        return -1;
    sqlite3_stmt *st = self->sent;
    sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now + outbox_backoff(resend_after, attempts + 1));
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

long long outbox_pending(outbox_t *self)
{
    sqlite3_stmt *st = self->count;
    int rc = sqlite3_step(st);
    long long n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

int outbox_next_due(outbox_t *self, long long *when)
{
    sqlite3_stmt *st = self->next;
    int rc = sqlite3_step(st);
    int out = -1;
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_NULL)
            out = 0;
        else {
            *when = sqlite3_column_int64(st, 0);
            out = 1;
        }
    }
    sqlite3_reset(st);
    return out;
}

/* ------------------------------------------------------- source state */

static char *s_col_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? strdup((const char *) t) : NULL;
}

int outbox_source_get(outbox_t *self, const char *source, outbox_source_t *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = self->st_get;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int result = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (result == 1) {
        out->etag = s_col_dup(st, 0);
        out->last_modified = s_col_dup(st, 1);
        out->failures = sqlite3_column_int(st, 2);
        out->first_failure = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return result;
}

void outbox_source_clear(outbox_source_t *s)
{
    if (!s)
        return;
    free(s->etag);
    free(s->last_modified);
    memset(s, 0, sizeof *s);
}

int outbox_source_ok(outbox_t *self, const char *source, const char *etag,
                     const char *last_modified, long long now)
{
    sqlite3_stmt *st = self->st_ok;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, etag, -1, SQLITE_STATIC);          /* NULL binds NULL */
    sqlite3_bind_text(st, 3, last_modified, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int outbox_source_failed(outbox_t *self, const char *source, const char *reason, long long now)
{
    sqlite3_stmt *st = self->st_fail;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, reason ? reason : "unknown error", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
