/*
 * store_search.c — search with the watch language over the full-text
 * index (see store_search.h).
 *
 * The candidate set must be a superset of the answer, or a search would
 * miss what a watch would have alerted on:
 *  - a word term matches a token when its key (text_term_key) equals one
 *    of the token's forms; the index holds every form, so the FTS lookup
 *    of the key finds the article;
 *  - a phrase needs all its words, so the AND of their keys is a superset;
 *  - a wildcard term is an FTS prefix query on the key;
 *  - the query is true only if one of its positive terms or @entities is
 *    present — unless it is true on an empty article with no mentions
 *    (e.g. "NOT x", "a OR NOT b"), which query_eval itself tells us; then
 *    every article is a candidate.
 * So: candidates = FTS(OR of the positive terms) ∪ articles naming one of
 * the query's @entities, then query_eval decides.
 */
#include "store_search.h"
#include "store_db.h"
#include "store_entity_days.h"
#include "store_key.h"
#include "db_migrate.h"
#include "store_snippet.h"
#include "text.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_SNIPPET_BYTES 160
#define S_SQL_MAX 8192       /* 16 entity subqueries of ~330 bytes, and the rest */
#define S_MAX_ENTITY_TERMS 16     /* more @entities: check every article instead */

struct store_search {
    sqlite3 *db;
};

store_search_t *store_search_open(const char *path, char **err)
{
    *err = NULL;
    store_search_t *self = calloc(1, sizeof *self);
    if (!self) {
        *err = strdup("out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &self->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
        || sqlite3_exec(self->db, "SELECT 1 FROM articles_fts LIMIT 0", NULL, NULL, NULL)
           != SQLITE_OK) {
        *err = db_reason(self->db, path);
        store_search_close(&self);
        return NULL;
    }
    sqlite3_busy_timeout(self->db, 5000);
    return self;
}

void store_search_close(store_search_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sqlite3_close((*self_p)->db);
    free(*self_p);
    *self_p = NULL;
}

/* ------------------------------------------------------- FTS expression */

typedef struct {
    char *buf;
    size_t len, cap;
    bool failed;
} s_str_t;

static void s_put(s_str_t *s, const char *p, size_t n)
{
    if (s->failed)
        return;
    if (s->len + n + 1 > s->cap) {
        size_t cap = (s->cap ? s->cap * 2 : 128) + n;
        char *grown = realloc(s->buf, cap);
        if (!grown) {
            s->failed = true;
            return;
        }
        s->buf = grown;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

static void s_puts(s_str_t *s, const char *p) { s_put(s, p, strlen(p)); }

/* Does the index's tokenizer split at byte C?  (store_db.c: spaces and
 * ASCII control bytes; all else is part of a term.) */
static bool s_is_sep(unsigned char c) { return c <= 0x20 || c == 0x7f; }

/* KEY as FTS5 strings, in double quotes with inner quotes doubled: one
 * string per index term in it, joined by AND (the index keeps no
 * positions, so no phrase; the AND is a superset of the phrase, and
 * query_eval narrows it).  A key is normally one term. */
static void s_put_quoted(s_str_t *s, const char *key)
{
    const char *p = key;
    bool any = false;
    for (;;) {
        while (*p && s_is_sep((unsigned char) *p))
            p++;
        if (!*p)
            break;
        if (any)
            s_puts(s, " AND ");
        s_puts(s, "\"");
        for (; *p && !s_is_sep((unsigned char) *p); p++) {
            if (*p == '"')
                s_put(s, "\"", 1);
            s_put(s, p, 1);
        }
        s_puts(s, "\"");
        any = true;
    }
    if (!any)
        s_puts(s, "\"\"");
}

static const char S_ALEF_LAM[] = "\xd8\xa7\xd9\x84";

static size_t s_cps(const char *p)
{
    size_t n = 0;
    for (; *p; p++)
        n += ((unsigned char) *p & 0xC0) != 0x80;
    return n;
}

/* One term as an FTS sub-expression: the AND of its words' keys, the last
 * one a prefix for a wildcard term.  Returns false if it has no words. */
static bool s_term_expr(s_str_t *s, const char *term)
{
    size_t len = strlen(term);
    bool prefix = len > 0 && term[len - 1] == '*';
    if (prefix)
        len--;
    text_doc_t *doc = text_doc_new(term, len);
    if (!doc) {
        s->failed = true;
        return false;
    }
    size_t n = text_doc_ntokens(doc), words = 0;
    for (size_t i = 0; i < n; i++) {
        const text_token_t *t = text_doc_token(doc, i);
        if (!t->is_word)
            continue;
        char *key;
        bool last = i == n - 1;
        if (prefix && last) {
            /* Like the matcher: only the article is removed from a prefix. */
            key = strdup(t->key);
            if (key && strncmp(key, S_ALEF_LAM, 4) == 0 && s_cps(key + 4) >= 2)
                memmove(key, key + 4, strlen(key + 4) + 1);
        } else {
            const char *txt = text_doc_text(doc);
            key = text_term_key(txt + t->start, t->end - t->start);
        }
        if (!key) {
            continue;
        }
        s_puts(s, words ? " AND " : "(");
        s_put_quoted(s, key);
        if (prefix && last)
            s_puts(s, "*");
        words++;
        free(key);
    }
    if (words)
        s_puts(s, ")");
    text_doc_destroy(&doc);
    return words > 0;
}

/* Can Q be true for an article with no title, no text and no mentions? */
static bool s_true_when_empty(const query_t *q)
{
    text_doc_t *empty = text_doc_new("", 0);
    if (!empty)
        return true;
    query_input_t in = { .title = empty, .text = empty };
    bool r = query_eval(q, &in, NULL, NULL);
    text_doc_destroy(&empty);
    return r;
}

/* Does SRC use a field that is not a word (lang:, source:, type:)?  Such
 * a query can match through the field alone, which the index cannot see,
 * so it is checked on every article that passes the filters.  Looking at
 * the text is conservative: a phrase holding "lang:" only costs a scan. */
static bool s_has_field(const char *src)
{
    static const char *const fields[] = { "lang:", "source:", "type:" };
    for (size_t i = 0; src && i < sizeof fields / sizeof fields[0]; i++)
        if (strcasestr(src, fields[i]))
            return true;
    return false;
}

char *store_search_fts_expr(const query_t *q, const char *src, bool *scan_all)
{
    *scan_all = true;
    if (s_has_field(src) || s_true_when_empty(q))
        return NULL;
    const char **terms = NULL;
    size_t n = query_terms(q, &terms);
    s_str_t s = { 0 };
    size_t parts = 0;
    for (size_t i = 0; i < n; i++) {
        size_t mark = s.len;
        if (parts)
            s_puts(&s, " OR ");
        if (s_term_expr(&s, terms[i])) {
            parts++;
        } else if (!s.failed) {
            s.len = mark;          /* a term without words matches nothing */
            if (s.buf)
                s.buf[mark] = '\0';
        }
    }
    free(terms);
    if (s.failed) {
        free(s.buf);
        return NULL;
    }
    *scan_all = false;
    if (!parts) {
        free(s.buf);
        return NULL;
    }
    return s.buf;
}

/* ---------------------------------------------------------------- run */

static char *s_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *) t) : NULL;
}

static int s_hit_cmp(const void *a, const void *b)
{
    const store_span_t *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Evaluate Q on the candidate row ST; on a match, fill R.  Returns 1 on a
 * match, 0 if not, -1 on allocation failure. */
static int s_check(store_search_t *self, const query_t *q, sqlite3_stmt *st, sqlite3_stmt *ment,
                   store_search_result_t *r)
{
    const char *title = (const char *) sqlite3_column_text(st, 4);
    const char *text = (const char *) sqlite3_column_text(st, 5);
    title = title ? title : "";
    text = text ? text : "";
    size_t tlen = strlen(title), xlen = strlen(text);

    query_mention_t *mentions = NULL;
    char **ids = NULL;      /* entity then type of each mention, owned here */
    size_t n_m = 0, cap = 0;
    sqlite3_bind_int64(ment, 1, sqlite3_column_int64(st, 0));
    while (sqlite3_step(ment) == SQLITE_ROW) {
        if (n_m == cap) {
            cap = cap ? cap * 2 : 16;
            query_mention_t *gm = realloc(mentions, cap * sizeof *gm);
            char **gi = gm ? realloc(ids, 2 * cap * sizeof *gi) : NULL;
            if (gm)
                mentions = gm;
            if (gi)
                ids = gi;
            if (!gm || !gi)
                break;
        }
        /* `type:` queries need each mention's entity type */
        ids[2 * n_m] = s_dup(ment, 0);
        ids[2 * n_m + 1] = s_dup(ment, 3);
        mentions[n_m].entity = ids[2 * n_m];
        mentions[n_m].type = ids[2 * n_m + 1];
        mentions[n_m].start = (size_t) sqlite3_column_int64(ment, 1);
        mentions[n_m].end = (size_t) sqlite3_column_int64(ment, 2);
        n_m++;
    }
    sqlite3_reset(ment);

    text_doc_t *td = text_doc_new(title, tlen);
    text_doc_t *xd = text_doc_new(text, xlen);
    int rc = -1;
    query_hit_t *hits = NULL;
    size_t n_hits = 0;
    if (!td || !xd)
        goto out;
    query_input_t in = { .title = td, .text = xd, .mentions = mentions, .n_mentions = n_m,
                         .source = (const char *) sqlite3_column_text(st, 2),
                         .lang = (const char *) sqlite3_column_text(st, 6) };
    if (!query_eval(q, &in, &hits, &n_hits)) {
        rc = 0;
        goto out;
    }
    memset(r, 0, sizeof *r);
    r->seq = sqlite3_column_int64(st, 0);
    r->id = s_dup(st, 1);
    r->source = s_dup(st, 2);
    r->url = s_dup(st, 3);
    r->title = strdup(title);
    r->lang = s_dup(st, 6);
    r->published_at = s_dup(st, 7);
    r->story_id = s_dup(st, 8);
    r->duplicate = sqlite3_column_type(st, 9) != SQLITE_NULL;
    r->hits = calloc(n_hits + 1, sizeof *r->hits);
    store_span_t *spans = calloc(n_hits + 1, sizeof *spans);
    size_t n_spans = 0;
    for (size_t i = 0; r->hits && i < n_hits; i++) {
        r->hits[i].term = strdup(hits[i].term);
        r->hits[i].in_title = hits[i].in_title;
        r->hits[i].start = hits[i].start;
        r->hits[i].end = hits[i].end;
        if (spans && !hits[i].in_title && hits[i].end <= xlen)
            spans[n_spans++] = (store_span_t) { hits[i].start, hits[i].end };
    }
    r->n_hits = r->hits ? n_hits : 0;
    if (spans) {
        qsort(spans, n_spans, sizeof *spans, s_hit_cmp);
        /* overlapping marks would nest; keep the first of each overlap */
        size_t w = 0;
        for (size_t i = 0; i < n_spans; i++)
            if (w == 0 || spans[i].start >= spans[w - 1].end)
                spans[w++] = spans[i];
        r->snippet = store_snippet(text, xlen, spans, w, S_SNIPPET_BYTES);
    }
    free(spans);
    rc = r->id && r->snippet && r->title ? 1 : -1;
    (void) self;
out:
    free(hits);
    text_doc_destroy(&td);
    text_doc_destroy(&xd);
    for (size_t i = 0; i < 2 * n_m; i++)
        free(ids[i]);
    free(ids);
    free(mentions);
    return rc;
}

int store_search_run(store_search_t *self, const store_search_opts_t *o,
                     store_search_result_t **results, size_t *n_out, char **err)
{
    *results = NULL;
    *n_out = 0;
    *err = NULL;
    query_error_t qerr;
    query_t *q = query_parse(o->query ? o->query : "", &qerr);
    if (!q) {
        char buf[320];
        snprintf(buf, sizeof buf, "query:%d:%d: %s", qerr.line, qerr.col, qerr.message);
        *err = strdup(buf);
        return -1;
    }
    bool scan_all;
    char *fts = store_search_fts_expr(q, o->query, &scan_all);
    const char **ents = NULL;
    size_t n_ents = scan_all ? 0 : query_entities(q, &ents);
    if (n_ents > S_MAX_ENTITY_TERMS) {
        scan_all = true;
        n_ents = 0;
        free(fts);
        fts = NULL;
    }

    /* Parameters: ?1 fts, ?2 since, ?3 lang, ?4 entity, ?5 story and ?6 its key,
     * ?10.. @ids */
    char sql[S_SQL_MAX];
    int len = snprintf(sql, sizeof sql,
                       "SELECT a.seq, a.id, a.source, a.url, a.title, a.text, a.lang,"
                       " a.published_at, a.story_id, a.duplicate_of FROM articles a WHERE 1");
    if (!scan_all) {
        len += snprintf(sql + len, sizeof sql - (size_t) len, " AND a.seq IN (%s",
                        fts ? "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1" : "");
        for (size_t i = 0; i < n_ents; i++) {
            char sub[400];
            store_entity_days_all(sub, sizeof sub, (int) (10 + i));
            len += snprintf(sql + len, sizeof sql - (size_t) len, "%s%s",
                            fts || i ? " UNION " : "", sub);
        }
        if (!fts && !n_ents)
            len += snprintf(sql + len, sizeof sql - (size_t) len, "SELECT NULL WHERE 0");
        len += snprintf(sql + len, sizeof sql - (size_t) len, ")");
    }
    if (o->since)
        len += snprintf(sql + len, sizeof sql - (size_t) len, " AND a.event_time >= ?2");
    if (o->lang)
        len += snprintf(sql + len, sizeof sql - (size_t) len, " AND a.lang = ?3");
    if (o->entity)
        len += snprintf(sql + len, sizeof sql - (size_t) len,
                        " AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_seq = a.seq"
                        " AND m.entity = ?4)");
    if (o->story)
        len += snprintf(sql + len, sizeof sql - (size_t) len,
                        " AND " STORE_STORY_SEQ " = " STORE_STORY_OF("?5", "?6"));
    snprintf(sql + len, sizeof sql - (size_t) len, " ORDER BY a.seq DESC");

    sqlite3_stmt *st = NULL, *ment = NULL;
    size_t limit = o->limit ? o->limit : 20;
    store_search_result_t *out = calloc(limit, sizeof *out);
    size_t n = 0;
    int rc = -1;
    if (!out) {
        *err = strdup("out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(self->db, "SELECT entity, start, end, type FROM mentions"
                              " WHERE article_seq = ?1", -1, &ment, NULL) != SQLITE_OK) {
        *err = db_reason(self->db, "search");
        goto done;
    }
    if (fts)
        sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, o->since);
    if (o->lang)
        sqlite3_bind_text(st, 3, o->lang, -1, SQLITE_STATIC);
    if (o->entity)
        sqlite3_bind_text(st, 4, o->entity, -1, SQLITE_STATIC);
    if (o->story) {
        sqlite3_bind_text(st, 5, o->story, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, store_key(o->story));
    }
    /* entity_days' keys: a candidate passes only if its own mentions name
     * the entity (s_check) */
    for (size_t i = 0; i < n_ents; i++)
        sqlite3_bind_int64(st, (int) (10 + i), store_key(ents[i]));
    int step;
    while (n < limit && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int c = s_check(self, q, st, ment, &out[n]);
        if (c < 0) {
            store_search_results_free(out, n + 1);
            out = NULL;
            *err = strdup("out of memory");
            goto done;
        }
        n += (size_t) c;
    }
    if (n < limit && step != SQLITE_DONE) {
        *err = db_reason(self->db, "search");
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    sqlite3_finalize(ment);
    free(fts);
    query_destroy(&q);
    if (rc != 0) {
        store_search_results_free(out, n);
        return -1;
    }
    *results = out;
    *n_out = n;
    return 0;
}

void store_search_results_free(store_search_result_t *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++) {
        free(r[i].id);
        free(r[i].source);
        free(r[i].url);
        free(r[i].title);
        free(r[i].lang);
        free(r[i].published_at);
        free(r[i].story_id);
        free(r[i].snippet);
        for (size_t j = 0; r[i].hits && j < r[i].n_hits; j++)
            free(r[i].hits[j].term);
        free(r[i].hits);
    }
    free(r);
}

char *store_search_result_json(const store_search_result_t *r)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "seq", json_integer(r->seq));
    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "source", json_string(r->source ? r->source : ""));
    json_object_set_new(o, "url", json_string(r->url ? r->url : ""));
    json_object_set_new(o, "title", json_string(r->title));
    json_object_set_new(o, "lang", json_string(r->lang ? r->lang : "und"));
    if (r->published_at)
        json_object_set_new(o, "published_at", json_string(r->published_at));
    json_object_set_new(o, "story_id", json_string(r->story_id ? r->story_id : ""));
    json_object_set_new(o, "duplicate", json_boolean(r->duplicate));
    json_object_set_new(o, "snippet", json_string(r->snippet));
    json_t *hl = json_array();
    for (size_t i = 0; i < r->n_hits; i++) {
        json_t *h = json_object();
        json_object_set_new(h, "term", json_string(r->hits[i].term));
        json_object_set_new(h, "field", json_string(r->hits[i].in_title ? "title" : "text"));
        json_object_set_new(h, "start", json_integer((json_int_t) r->hits[i].start));
        json_object_set_new(h, "end", json_integer((json_int_t) r->hits[i].end));
        json_array_append_new(hl, h);
    }
    json_object_set_new(o, "highlights", hl);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}
