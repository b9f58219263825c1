/*
 * test_alert_db.c — the alerter's database: alerts and the last handled
 * stored seq survive a reopen, alert seqs only grow, since() pages, a
 * failed render rolls back both the alerts and the stored seq, and one
 * watch alerts once per story.  The schema migrates from the file of an
 * alerter that kept no version (and from version 1) with its data intact,
 * and the story's claim ledger is kept per claim and per article, added to
 * idempotently, rolled back with its transaction.  Also the alert snippet
 * (alert_snippet.h): widths in characters, never a split UTF-8 sequence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "alert_db.h"
#include "alert_snippet.h"

typedef struct {
    char dir[64];
    char path[128];
} fixture_t;

static int s_setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dir, "/tmp/marsad-alertdb-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/alerter.db", f->dir);
    *state = f;
    return 0;
}

static int s_teardown(void **state)
{
    fixture_t *f = *state;
    char p[160];
    const char *suffix[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Render: a JSON text carrying the seq and the entry's watch/story. */
typedef struct {
    alert_db_entry_t *entries;
    int fail_at;            /* index whose render returns NULL, -1 for none */
    int calls;
} render_t;

static char *s_render(void *arg, size_t index, int64_t seq)
{
    render_t *r = arg;
    r->calls++;
    if (r->fail_at >= 0 && (size_t) r->fail_at == index)
        return NULL;
    char *s = NULL;
    if (asprintf(&s, "{\"seq\":%lld,\"watch\":\"%s\",\"story_id\":\"%s\"}", (long long) seq,
                 r->entries[index].watch, r->entries[index].story_id) < 0)
        return NULL;
    return s;
}

static void s_record(alert_db_t *db, int64_t stored_seq, alert_db_entry_t *e, size_t n,
                     int expect_rc)
{
    render_t r = { e, -1, 0 };
    assert_int_equal(alert_db_record(db, stored_seq, e, n, s_render, &r), expect_rc);
}

static void test_empty_db(void **state)
{
    fixture_t *f = *state;
    char *err = NULL;
    alert_db_t *db = alert_db_open(f->path, &err);
    assert_non_null(db);
    assert_null(err);
    assert_int_equal(alert_db_last_stored_seq(db), 0);
    assert_int_equal(alert_db_max_seq(db), 0);
    char **jsons = (char **) 1;
    assert_int_equal(alert_db_since(db, 0, 10, &jsons, NULL), 0);
    alert_db_free_list(jsons, 0);
    alert_db_close(&db);
    assert_null(db);
    alert_db_close(&db);   /* NULL is fine */
    alert_db_close(NULL);
}

static void test_open_bad_path(void **state)
{
    (void) state;
    char *err = NULL;
    alert_db_t *db = alert_db_open("/nonexistent-dir-marsad/x/alerter.db", &err);
    assert_null(db);
    assert_non_null(err);
    free(err);
}

static void test_persists_across_reopen(void **state)
{
    fixture_t *f = *state;
    alert_db_t *db = alert_db_open(f->path, NULL);
    assert_non_null(db);
    alert_db_entry_t e[2] = { { .watch = "bout-arms", .story_id = "story-1" },
                              { .watch = "houthis", .story_id = "story-1" } };
    s_record(db, 7, e, 2, 0);
    assert_int_equal(e[0].seq, 1);
    assert_int_equal(e[1].seq, 2);
    alert_db_close(&db);

    db = alert_db_open(f->path, NULL);
    assert_non_null(db);
    assert_int_equal(alert_db_last_stored_seq(db), 7);
    assert_int_equal(alert_db_max_seq(db), 2);
    assert_true(alert_db_alerted(db, "bout-arms", "story-1"));
    assert_true(alert_db_alerted(db, "houthis", "story-1"));
    assert_false(alert_db_alerted(db, "houthis", "story-2"));

    char **jsons = NULL;
    int64_t *seqs = NULL;
    long n = alert_db_since(db, 0, 10, &jsons, &seqs);
    assert_int_equal(n, 2);
    assert_int_equal(seqs[0], 1);
    assert_int_equal(seqs[1], 2);
    assert_string_equal(jsons[0], "{\"seq\":1,\"watch\":\"bout-arms\",\"story_id\":\"story-1\"}");
    assert_string_equal(jsons[1], "{\"seq\":2,\"watch\":\"houthis\",\"story_id\":\"story-1\"}");
    alert_db_free_list(jsons, (size_t) n);
    free(seqs);
    alert_db_close(&db);
}

static void test_seq_monotonic_and_stored_seq_never_back(void **state)
{
    fixture_t *f = *state;
    alert_db_t *db = alert_db_open(f->path, NULL);
    assert_non_null(db);
    int64_t last = 0;
    char story[32];
    for (int i = 0; i < 20; i++) {
        snprintf(story, sizeof story, "s%d", i);
        alert_db_entry_t e = { .watch = "w", .story_id = story };
        s_record(db, i + 1, &e, 1, 0);
        assert_true(e.seq > last);
        last = e.seq;
    }
    assert_int_equal(alert_db_last_stored_seq(db), 20);
    /* An article with no alerts still moves the stored seq... */
    s_record(db, 21, NULL, 0, 0);
    assert_int_equal(alert_db_last_stored_seq(db), 21);
    /* ...and an older one (a late duplicate) never moves it back. */
    s_record(db, 5, NULL, 0, 0);
    assert_int_equal(alert_db_last_stored_seq(db), 21);
    assert_int_equal(alert_db_max_seq(db), last);
    alert_db_close(&db);

    /* After reopen the next alert continues above the old ones. */
    db = alert_db_open(f->path, NULL);
    alert_db_entry_t e = { .watch = "w", .story_id = "later" };
    s_record(db, 22, &e, 1, 0);
    assert_int_equal(e.seq, last + 1);
    alert_db_close(&db);
}

static void test_since_pages(void **state)
{
    fixture_t *f = *state;
    alert_db_t *db = alert_db_open(f->path, NULL);
    assert_non_null(db);
    char stories[25][16];
    alert_db_entry_t e[25];
    for (int i = 0; i < 25; i++) {
        snprintf(stories[i], sizeof stories[i], "story-%02d", i);
        e[i] = (alert_db_entry_t) { .watch = "w", .story_id = stories[i] };
    }
    s_record(db, 1, e, 25, 0);

    /* Page through with limit 10: 10, 10, 5, then nothing. */
    int64_t since = 0;
    long sizes[4];
    int pages = 0;
    int seen = 0;
    for (;;) {
        char **jsons = NULL;
        int64_t *seqs = NULL;
        long n = alert_db_since(db, since, 10, &jsons, &seqs);
        assert_true(n >= 0);
        assert_true(pages < 4);
        sizes[pages++] = n;
        for (long i = 0; i < n; i++) {
            assert_int_equal(seqs[i], since + 1);   /* no gap, no repeat */
            char want[96];
            snprintf(want, sizeof want, "\"story_id\":\"story-%02d\"", seen);
            assert_non_null(strstr(jsons[i], want));
            since = seqs[i];
            seen++;
        }
        alert_db_free_list(jsons, (size_t) n);
        free(seqs);
        if (n == 0)
            break;
    }
    assert_int_equal(pages, 4);
    assert_int_equal(sizes[0], 10);
    assert_int_equal(sizes[1], 10);
    assert_int_equal(sizes[2], 5);
    assert_int_equal(sizes[3], 0);
    assert_int_equal(seen, 25);

    /* since in the middle, and past the end */
    char **jsons = NULL;
    long n = alert_db_since(db, 23, 100, &jsons, NULL);
    assert_int_equal(n, 2);
    assert_non_null(strstr(jsons[0], "\"seq\":24"));
    alert_db_free_list(jsons, (size_t) n);
    assert_int_equal(alert_db_since(db, 25, 100, &jsons, NULL), 0);
    alert_db_free_list(jsons, 0);
    assert_int_equal(alert_db_since(db, 0, -1, &jsons, NULL), -EINVAL);
    alert_db_close(&db);
}

static void test_transaction_all_or_nothing(void **state)
{
    fixture_t *f = *state;
    alert_db_t *db = alert_db_open(f->path, NULL);
    assert_non_null(db);
    alert_db_entry_t first = { .watch = "w", .story_id = "s0" };
    s_record(db, 3, &first, 1, 0);
    assert_int_equal(first.seq, 1);

    /* The second alert's render fails: neither alert nor the stored seq 4
     * may be kept, so a restart handles article 4 again. */
    alert_db_entry_t e[3] = { { .watch = "w", .story_id = "s1" },
                              { .watch = "w", .story_id = "s2" },
                              { .watch = "x", .story_id = "s1" } };
    render_t r = { e, 1, 0 };
    assert_int_equal(alert_db_record(db, 4, e, 3, s_render, &r), -ENOMEM);
    assert_int_equal(r.calls, 2);
    assert_int_equal(e[0].seq, 0);
    assert_int_equal(e[1].seq, 0);
    assert_int_equal(alert_db_last_stored_seq(db), 3);
    assert_false(alert_db_alerted(db, "w", "s1"));
    char **jsons = NULL;
    assert_int_equal(alert_db_since(db, 1, 10, &jsons, NULL), 0);
    alert_db_free_list(jsons, 0);

    /* Handling article 4 again works and gives the next seqs: the failed
     * attempt did not burn any (the sequence rolled back with it). */
    s_record(db, 4, e, 3, 0);
    assert_int_equal(e[0].seq, 2);
    assert_int_equal(e[1].seq, 3);
    assert_int_equal(e[2].seq, 4);
    assert_int_equal(alert_db_last_stored_seq(db), 4);
    alert_db_close(&db);

    /* Bad arguments change nothing. */
    db = alert_db_open(f->path, NULL);
    alert_db_entry_t bad = { .watch = NULL, .story_id = "s9" };
    assert_int_equal(alert_db_record(db, 9, &bad, 1, s_render, &r), -EINVAL);
    assert_int_equal(alert_db_last_stored_seq(db), 4);
    assert_int_equal(alert_db_record(NULL, 9, NULL, 0, NULL, NULL), -EINVAL);
    alert_db_close(&db);
}

static void test_one_alert_per_watch_and_story(void **state)
{
    fixture_t *f = *state;
    alert_db_t *db = alert_db_open(f->path, NULL);
    assert_non_null(db);
    alert_db_entry_t a = { .watch = "bout", .story_id = "story-1" };
    s_record(db, 1, &a, 1, 0);
    assert_int_equal(a.seq, 1);

    /* Another article of the same story: the same watch stays silent, a
     * different watch and a different story alert. */
    alert_db_entry_t e[3] = { { .watch = "bout", .story_id = "story-1" },
                              { .watch = "houthis", .story_id = "story-1" },
                              { .watch = "bout", .story_id = "story-2" } };
    render_t r = { e, -1, 0 };
    assert_int_equal(alert_db_record(db, 2, e, 3, s_render, &r), 0);
    assert_int_equal(e[0].seq, 0);
    assert_int_equal(e[1].seq, 2);
    assert_int_equal(e[2].seq, 3);
    assert_int_equal(r.calls, 2);   /* no JSON made for the silent one */
    /* The same pair twice in one record: only the first is kept. */
    alert_db_entry_t twice[2] = { { .watch = "w", .story_id = "s" },
                                  { .watch = "w", .story_id = "s" } };
    s_record(db, 3, twice, 2, 0);
    assert_int_equal(twice[0].seq, 4);
    assert_int_equal(twice[1].seq, 0);
    assert_int_equal(alert_db_max_seq(db), 4);
    alert_db_close(&db);
}

/* Update entries are stored even though the story alerted; what entries
 * bring is remembered per watch and story, in the same transaction. */
static void test_updates_and_seen(void **state)
{
    fixture_t *f = *state;
    alert_db_t *db = alert_db_open(f->path, NULL);
    assert_non_null(db);
    const char *first[] = { "source:wire", "entity:bout" };
    alert_db_entry_t a = { .watch = "bout", .story_id = "s1", .seen = first, .n_seen = 2 };
    s_record(db, 1, &a, 1, 0);
    assert_int_equal(a.seq, 1);
    assert_true(alert_db_seen(db, "bout", "s1", "source:wire"));
    assert_true(alert_db_seen(db, "bout", "s1", "entity:bout"));
    assert_false(alert_db_seen(db, "bout", "s1", "claim:bout|denies"));
    assert_false(alert_db_seen(db, "other", "s1", "source:wire"));
    assert_false(alert_db_seen(db, "bout", "s2", "source:wire"));

    const char *denial[] = { "claim:bout|denies" };
    alert_db_entry_t u = { .watch = "bout", .story_id = "s1", .update = true, .seen = denial,
                           .n_seen = 1 };
    s_record(db, 2, &u, 1, 0);
    assert_int_equal(u.seq, 2);
    assert_true(alert_db_seen(db, "bout", "s1", "claim:bout|denies"));
    assert_int_equal(alert_db_last_stored_seq(db), 2);

    /* A failed render forgets what the entry brought, too. */
    const char *outlet[] = { "source:other" };
    alert_db_entry_t v = { .watch = "bout", .story_id = "s1", .update = true, .seen = outlet,
                           .n_seen = 1 };
    render_t r = { &v, 0, 0 };
    assert_int_equal(alert_db_record(db, 3, &v, 1, s_render, &r), -ENOMEM);
    assert_false(alert_db_seen(db, "bout", "s1", "source:other"));
    assert_int_equal(alert_db_last_stored_seq(db), 2);

    assert_int_equal(alert_db_count_recent(db, "bout", 3600), 2);
    assert_int_equal(alert_db_count_recent(db, "other", 3600), 0);
    alert_db_close(&db);
}

static void s_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

/* The file an alerter before schema versions wrote (its tables, user_version
 * 0) and a version-1 file both reach the current version at open with
 * their alerts, stories and position intact; a newer file is refused. */
static void test_migrates_with_data_intact(void **state)
{
    fixture_t *f = *state;
    char *err = NULL;
    assert_int_equal(alert_db_migrate_file(f->path, 1, &err), 0);
    assert_null(err);
    /* What that alerter left: one alert, its story mark, its position. */
    s_exec(f->path, "PRAGMA user_version = 0;"
           "INSERT INTO alerts (watch, story_id, json, created_at)"
           " VALUES ('bout', 's1', '{\"seq\":1}', '2026-01-01T00:00:00Z');"
           "INSERT INTO alerted (watch, story_id, alert_seq) VALUES ('bout', 's1', 1);"
           "INSERT INTO story_seen (watch, story_id, what) VALUES ('bout', 's1', 'source:a');"
           "UPDATE state SET last_stored_seq = 7 WHERE id = 1;");
    alert_db_t *db = alert_db_open(f->path, &err);
    assert_non_null(db);
    assert_int_equal(alert_db_schema_version(db), ALERT_DB_VERSION);
    assert_int_equal(ALERT_DB_VERSION, 2);
    assert_int_equal(alert_db_last_stored_seq(db), 7);
    assert_int_equal(alert_db_max_seq(db), 1);
    assert_true(alert_db_alerted(db, "bout", "s1"));
    assert_true(alert_db_seen(db, "bout", "s1", "source:a"));
    /* The new tables work on the migrated file, and seqs go on from 1. */
    proto_claim_source_t src = { .source = "a", .article_id = "a1", .url = "http://a/1",
                                 .start = 0, .end = 4 };
    proto_claim_t c = { .speaker = "x", .cue = "said", .stance = "asserts", .content = "deal",
                        .start = 0, .end = 4, .sources = &src, .n_sources = 1 };
    alert_db_entry_t e = { .watch = "bout", .story_id = "s1", .update = true, .ledger = &c,
                           .n_ledger = 1 };
    s_record(db, 8, &e, 1, 0);
    assert_int_equal(e.seq, 2);
    alert_ledger_t l = { 0 };
    assert_int_equal(alert_db_ledger(db, "bout", "s1", &l), 0);
    assert_int_equal(l.n, 1);
    alert_ledger_clear(&l);
    alert_db_close(&db);

    /* Opening again migrates nothing. */
    db = alert_db_open(f->path, NULL);
    assert_non_null(db);
    assert_int_equal(alert_db_schema_version(db), ALERT_DB_VERSION);
    assert_int_equal(alert_db_max_seq(db), 2);
    alert_db_close(&db);

    s_exec(f->path, "PRAGMA user_version = 99");
    db = alert_db_open(f->path, &err);
    assert_null(db);
    assert_non_null(err);
    assert_non_null(strstr(err, "newer"));
    free(err);
}

/* The ledger keeps each claim once per (watch, story) and each article
 * once per claim, in the order first seen, with its relays; a silent entry
 * records only its claims; a rolled-back transaction records none. */
static void test_ledger_persists(void **state)
{
    fixture_t *f = *state;
    alert_db_t *db = alert_db_open(f->path, NULL);
    assert_non_null(db);
    char *chain[] = { "Reuters" };
    char *ents[] = { "bout", "houthis" };
    proto_claim_source_t sa = { .source = "outlet-a", .article_id = "a1", .url = "http://a/1",
                                .start = 10, .end = 40, .chain = chain, .n_chain = 1 };
    proto_claim_source_t sb = { .source = "outlet-b", .article_id = "b1", .url = "http://b/1",
                                .start = 3, .end = 33 };
    proto_claim_t assert_c = { .speaker = "a European official", .cue = "said",
                               .stance = "asserts", .content = "Bout brokered arms",
                               .sentence = "A European official said Bout brokered arms.",
                               .entities = ents, .n_entities = 2,
                               .sources = &sa, .n_sources = 1 };
    proto_claim_t deny_c = { .speaker = "Bout's lawyer", .cue = "denied", .stance = "denies",
                             .content = "Bout brokered arms", .sources = &sb, .n_sources = 1 };
    alert_db_entry_t e = { .watch = "w", .story_id = "s", .ledger = &assert_c, .n_ledger = 1 };
    s_record(db, 1, &e, 1, 0);
    /* The same article again (handled twice after a crash): nothing new. */
    e = (alert_db_entry_t) { .watch = "w", .story_id = "s", .silent = true,
                             .ledger = &assert_c, .n_ledger = 1 };
    s_record(db, 2, &e, 1, 0);
    assert_int_equal(e.seq, 0);
    /* A silent match from outlet B: its denial, and the assertion again. */
    proto_claim_t both[2] = { deny_c, assert_c };
    both[1].sources = &sb;
    e = (alert_db_entry_t) { .watch = "w", .story_id = "s", .silent = true, .ledger = both,
                             .n_ledger = 2 };
    s_record(db, 3, &e, 1, 0);
    assert_int_equal(e.seq, 0);
    assert_int_equal(alert_db_max_seq(db), 1);       /* silent: no alert */
    /* A failed render rolls the ledger back with the rest. */
    proto_claim_source_t sc = { .source = "outlet-c", .article_id = "c1", .url = "http://c/1" };
    proto_claim_t other = { .speaker = "x", .cue = "said", .stance = "hedges", .content = "y",
                            .sources = &sc, .n_sources = 1 };
    alert_db_entry_t bad = { .watch = "w", .story_id = "s", .update = true, .ledger = &other,
                             .n_ledger = 1 };
    render_t r = { &bad, 0, 0 };
    assert_int_equal(alert_db_record(db, 4, &bad, 1, s_render, &r), -ENOMEM);
    alert_db_close(&db);

    db = alert_db_open(f->path, NULL);
    alert_ledger_t l = { 0 };
    assert_int_equal(alert_db_ledger(db, "w", "s", &l), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].speaker, "a European official");
    assert_string_equal(l.v[0].stance, "asserts");
    assert_string_equal(l.v[0].cue, "said");
    assert_string_equal(l.v[0].sentence, "A European official said Bout brokered arms.");
    assert_int_equal(l.v[0].n_entities, 2);
    assert_string_equal(l.v[0].entities[1], "houthis");
    assert_int_equal(l.v[0].start, 10);
    assert_int_equal(l.v[0].n_sources, 2);
    assert_string_equal(l.v[0].sources[0].source, "outlet-a");
    assert_string_equal(l.v[0].sources[0].article_id, "a1");
    assert_string_equal(l.v[0].sources[0].url, "http://a/1");
    assert_int_equal(l.v[0].sources[0].n_chain, 1);
    assert_string_equal(l.v[0].sources[0].chain[0], "Reuters");
    assert_string_equal(l.v[0].sources[1].source, "outlet-b");
    assert_int_equal(l.v[0].sources[1].start, 3);
    assert_int_equal(l.v[0].sources[1].n_chain, 0);
    assert_string_equal(l.v[1].speaker, "Bout's lawyer");
    assert_string_equal(l.v[1].stance, "denies");
    assert_int_equal(l.v[1].n_sources, 1);
    assert_null(l.v[1].sentence);
    alert_ledger_clear(&l);
    /* Another watch or story has its own ledger. */
    assert_int_equal(alert_db_ledger(db, "w2", "s", &l), 0);
    assert_int_equal(l.n, 0);
    assert_int_equal(alert_db_ledger(db, "w", "s2", &l), 0);
    assert_int_equal(l.n, 0);
    alert_db_close(&db);
}

static void s_expect_snippet(const char *text, const char *match, size_t width, const char *want)
{
    const char *p = strstr(text, match);
    assert_non_null(p);
    size_t start = (size_t) (p - text);
    char *got = alert_snippet(text, strlen(text), start, start + strlen(match), width);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_snippet(void **state)
{
    (void) state;
    const char *en = "Two people said Viktor Bout is negotiating a rifle sale to the Houthis.";
    s_expect_snippet(en, "Viktor Bout", 7, "…e said [[Viktor Bout]] is neg…");
    s_expect_snippet(en, "Two", 5, "[[Two]] peop…");
    s_expect_snippet(en, "Houthis.", 4, "…the [[Houthis.]]");
    s_expect_snippet(en, "Bout", 200, "Two people said Viktor [[Bout]] is negotiating a rifle sale to the Houthis.");
    /* Arabic: 3 characters each side are 3 letters (6 bytes), not 3 bytes. */
    const char *ar = "قال مصدر إن فيكتور بوت يتفاوض على صفقة";
    s_expect_snippet(ar, "بوت", 3, "…ور [[بوت]] يت…");
    /* Newlines and runs of spaces fold to one space. */
    s_expect_snippet("first line\n\n  Bout\tagain", "Bout", 100, "first line [[Bout]] again");

    /* Offsets inside a UTF-8 sequence move to its start; past the end clamp. */
    char *got = alert_snippet(ar, strlen(ar), 1, 3, 0);
    assert_non_null(got);
    assert_string_equal(got, "[[ق]]…");
    free(got);
    got = alert_snippet("abc", 3, 10, 20, 2);
    assert_string_equal(got, "…bc[[]]");
    free(got);
    got = alert_snippet(NULL, 0, 0, 0, 5);
    assert_string_equal(got, "[[]]");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty_db, s_setup, s_teardown),
        cmocka_unit_test(test_open_bad_path),
        cmocka_unit_test_setup_teardown(test_persists_across_reopen, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_seq_monotonic_and_stored_seq_never_back, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_since_pages, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_transaction_all_or_nothing, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_updates_and_seen, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_one_alert_per_watch_and_story, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_migrates_with_data_intact, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_ledger_persists, s_setup, s_teardown),
        cmocka_unit_test(test_snippet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
