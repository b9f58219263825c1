/*
 * store_counts.c — the entities' article counters, written behind (see
 * store_counts.h).
 *
 * An entry per entity seen since the counters were last dropped: the
 * table's count (read once), the articles counted since the last write,
 * and the span of their dates.  Entries stay after a write, as a cache of
 * the table's counts for the rarity test (frequent entities come back in
 * almost every transaction), until there are more than S_KEEP; then all
 * are written and dropped.  The table is an open-addressing hash of
 * pointers to them, at most a quarter full; entries are never removed
 * one by one, only all at once.
 */
#include "store_counts.h"
#include "store_entity_days.h"
#include "store_key.h"
#include "daemon.h"
#include "db_migrate.h"

#include <stdlib.h>
#include <string.h>

/* Waiting counts are written by the first commit S_WRITE_MS after the
 * last write, or as soon as S_DIRTY_MAX entities wait.  Each write costs
 * the commit that carries it a few milliseconds per thousand entities:
 * written once a second, a store taking 100 articles/s of English pages
 * (~90 places each) held one article in a hundred up by 10-20 ms (p99.9
 * raw->stored in e2e-bench 28-57 ms against 23-34); every 100 ms, a tenth
 * as much each time.  A busy store still writes each entity once for
 * hundreds of articles. */
#define S_WRITE_MS 100
/* A busy store, one that counted more than S_BUSY_ARTICLES articles since
 * the last write (640 a second at S_WRITE_MS), writes once every
 * S_BUSY_MS instead: its commits carry batches of hundreds of articles
 * that wait for the commit anyway, and each entity is written once for
 * thousands of articles.  In store-bench at 100k stored (~4,500 a second),
 * the entities table had been 0.9 of the 5.7 pages a transaction wrote
 * per article. */
#define S_BUSY_ARTICLES 64
#define S_BUSY_MS 1000
#define S_DIRTY_MAX 4096
#define S_KEEP 16384        /* entries kept (~100 bytes each) before all are dropped */

typedef struct {
    char *id, *type, *name;      /* malloc'd; type and name for a row the table lacks */
    char *first, *last;          /* dates of the waiting articles, malloc'd; NULL: none */
    int64_t base;                /* the table's count */
    int64_t waiting;             /* articles counted here, not yet in the table */
} s_entry_t;

struct store_counts {
    sqlite3 *db;
    sqlite3_stmt *get, *put, *mark;
    s_entry_t **slots;           /* hash table of entries, NULL: empty */
    size_t n_slots, n_entries;   /* n_slots a power of two, >= 4 * (n_entries - 1) */
    s_entry_t **dirty;           /* entries with waiting counts */
    size_t n_dirty, cap_dirty;
    int64_t top;                 /* newest seq counted here */
    int64_t written_at;          /* marsad_clock_ms of the last write, 0: never */
    int64_t since_write;         /* articles counted since the last write */
    bool catch_up;               /* the table may lack articles above its seq */
    bool open;                   /* counts added in a transaction not committed yet */
};

static void s_entry_free(s_entry_t *e)
{
    if (!e)
        return;
    free(e->id);
    free(e->type);
    free(e->name);
    free(e->first);
    free(e->last);
    free(e);
}

/* Drop every entry (their counts are written, or are to be counted again). */
static void s_drop_all(store_counts_t *self)
{
    for (size_t i = 0; i < self->n_slots; i++) {
        s_entry_free(self->slots[i]);
        self->slots[i] = NULL;
    }
    self->n_entries = 0;
    self->n_dirty = 0;
}

store_counts_t *store_counts_new(sqlite3 *db, char **err)
{
    store_counts_t *self = calloc(1, sizeof *self);
    if (!self) {
        *err = strdup("out of memory");
        return NULL;
    }
    self->db = db;
    self->n_slots = 4 * S_KEEP;      /* at most S_KEEP + 1 entries: a quarter full */
    self->slots = calloc(self->n_slots, sizeof *self->slots);
    self->cap_dirty = 256;
    self->dirty = malloc(self->cap_dirty * sizeof *self->dirty);
    self->catch_up = true;
    if (!self->slots || !self->dirty) {
        store_counts_destroy(&self);
        *err = strdup("out of memory");
        return NULL;
    }
    struct { sqlite3_stmt **st; const char *sql; } stmts[] = {
        { &self->get, "SELECT article_count FROM entities WHERE id = ?1" },
        { &self->put,
          "INSERT INTO entities (id, type, name, discovered, first_seen, last_seen, article_count)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET"
          " article_count = article_count + excluded.article_count,"
          " first_seen = MIN(COALESCE(first_seen, excluded.first_seen), excluded.first_seen),"
          " last_seen = MAX(COALESCE(last_seen, excluded.last_seen), excluded.last_seen)" },
        { &self->mark, "UPDATE counters SET seq = MAX(seq, ?1) WHERE name = 'entities'" },
    };
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
        if (sqlite3_prepare_v3(db, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT, stmts[i].st,
                               NULL) != SQLITE_OK) {
            *err = db_reason(db, "preparing the entity counters");
            store_counts_destroy(&self);
            return NULL;
        }
    }
    return self;
}

void store_counts_destroy(store_counts_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    store_counts_t *self = *self_p;
    if (self->slots)
        s_drop_all(self);
    free(self->slots);
    free(self->dirty);
    sqlite3_finalize(self->get);
    sqlite3_finalize(self->put);
    sqlite3_finalize(self->mark);
    free(self);
    *self_p = NULL;
}

/* The slot of ID: its entry's, or the empty one where it would go. */
static s_entry_t **s_slot(store_counts_t *self, const char *id)
{
    size_t mask = self->n_slots - 1, i = (size_t) store_key(id) & mask;
    while (self->slots[i] && strcmp(self->slots[i]->id, id) != 0)
        i = (i + 1) & mask;
    return &self->slots[i];
}

static int s_step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int s_write(store_counts_t *self)
{
    for (size_t i = 0; i < self->n_dirty; i++) {
        s_entry_t *e = self->dirty[i];
        sqlite3_stmt *st = self->put;
        sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, e->type, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, e->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, strncmp(e->id, "new:", 4) == 0);
        sqlite3_bind_text(st, 5, e->first, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, e->last, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, e->waiting);
        if (s_step_done(st) != 0)
            return -1;
    }
    sqlite3_bind_int64(self->mark, 1, self->top);
    if (s_step_done(self->mark) != 0)
        return -1;
    /* Written in the open transaction: should it not commit, everything
     * here is dropped (store_counts_lost), so the entries may already say
     * that nothing waits. */
    for (size_t i = 0; i < self->n_dirty; i++) {
        s_entry_t *e = self->dirty[i];
        e->base += e->waiting;
        e->waiting = 0;
        free(e->first);
        free(e->last);
        e->first = e->last = NULL;
    }
    self->n_dirty = 0;
    self->written_at = marsad_clock_ms();
    self->since_write = 0;
    if (self->n_entries > S_KEEP)
        s_drop_all(self);
    return 0;
}

bool store_counts_waiting(const store_counts_t *self) { return self && self->n_dirty > 0; }

bool store_counts_due(const store_counts_t *self, int64_t after_ms)
{
    if (!store_counts_waiting(self))
        return false;
    if (self->n_dirty >= S_DIRTY_MAX || self->written_at == 0)
        return true;
    int64_t elapsed = marsad_clock_ms() - self->written_at;
    return elapsed >= after_ms && (self->since_write <= S_BUSY_ARTICLES || elapsed >= S_BUSY_MS);
}

int store_counts_flush(store_counts_t *self, bool force)
{
    if (!store_counts_waiting(self) || (!force && !store_counts_due(self, S_WRITE_MS)))
        return 0;
    return s_write(self) == 0 ? 1 : -1;
}

/* *P = a copy of S if *P is NULL or S sorts before (LATER: after) it. */
static int s_widen(char **p, const char *s, bool later)
{
    if (*p && (later ? strcmp(s, *p) <= 0 : strcmp(s, *p) >= 0))
        return 0;
    char *c = strdup(s);
    if (!c)
        return -1;
    free(*p);
    *p = c;
    return 0;
}

int store_counts_add(store_counts_t *self, const char *id, const char *type, const char *name,
                     const char *when, int64_t *df)
{
    s_entry_t **slot = s_slot(self, id);
    s_entry_t *e = *slot;
    if (!e) {
        sqlite3_bind_text(self->get, 1, id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(self->get);
        int64_t base = rc == SQLITE_ROW ? sqlite3_column_int64(self->get, 0) : 0;
        sqlite3_reset(self->get);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return -1;
        if (!(e = calloc(1, sizeof *e)))
            return -1;
        e->id = strdup(id);
        e->type = strdup(type ? type : "");
        e->name = strdup(name ? name : "");
        if (!e->id || !e->type || !e->name) {
            s_entry_free(e);
            return -1;
        }
        e->base = base;
        *slot = e;
        self->n_entries++;
    }
    *df = e->base + e->waiting;
    if (!e->waiting) {
        if (self->n_dirty == self->cap_dirty) {
            s_entry_t **d = realloc(self->dirty, 2 * self->cap_dirty * sizeof *d);
            if (!d)
                return -1;
            self->dirty = d;
            self->cap_dirty *= 2;
        }
        self->dirty[self->n_dirty++] = e;
    }
    if (when && (s_widen(&e->first, when, false) != 0 || s_widen(&e->last, when, true) != 0))
        return -1;
    e->waiting++;
    self->open = true;
    return 0;
}

int store_counts_counted(store_counts_t *self, int64_t seq)
{
    if (seq > self->top)
        self->top = seq;
    self->since_write++;
    /* Bound the memory of one long transaction: past S_KEEP entries,
     * write them all (in it) and start over. */
    return self->n_entries > S_KEEP ? s_write(self) : 0;
}

void store_counts_committed(store_counts_t *self)
{
    if (self)
        self->open = false;
}

bool store_counts_uncommitted(const store_counts_t *self) { return self && self->open; }

void store_counts_lost(store_counts_t *self)
{
    if (!self)
        return;
    s_drop_all(self);
    self->open = false;
    self->catch_up = true;
    self->since_write = 0;
}

int store_counts_catch_up(store_counts_t *self)
{
    if (!self->catch_up)
        return 0;
    /* Memory holds nothing that is not in the table (it was dropped): the
     * articles above the table's seq are counted from their mentions, an
     * article once per entity, dated as when it was counted first. */
    static const char sql[] =
        "INSERT OR IGNORE INTO counters (name, seq)"
        "  SELECT 'entities', COALESCE(MAX(seq), 0) FROM articles;"
        "INSERT INTO entities (id, type, name, discovered, first_seen, last_seen, article_count)"
        "  SELECT m.entity, MIN(m.type), MIN(m.surface), m.entity LIKE 'new:%',"
        "    MIN(COALESCE(a.published_at, a.fetched_at)), MAX(COALESCE(a.published_at, a.fetched_at)),"
        "    COUNT(DISTINCT m.article_seq)"
        "  FROM mentions m JOIN articles a ON a.seq = m.article_seq"
        "  WHERE m.article_seq > (SELECT seq FROM counters WHERE name = 'entities')"
        "  GROUP BY m.entity"
        "  ON CONFLICT (id) DO UPDATE SET article_count = article_count + excluded.article_count,"
        "    first_seen = MIN(COALESCE(first_seen, excluded.first_seen), excluded.first_seen),"
        "    last_seen = MAX(COALESCE(last_seen, excluded.last_seen), excluded.last_seen);"
        "UPDATE counters SET seq = MAX(seq, (SELECT COALESCE(MAX(seq), 0) FROM articles))"
        "  WHERE name = 'entities';";
    s_drop_all(self);
    if (sqlite3_exec(self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    self->catch_up = false;
    self->open = true;      /* undone, with the rest, if this transaction is lost */
    return 0;
}
