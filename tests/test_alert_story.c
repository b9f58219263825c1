/*
 * test_alert_story.c — story-aware alerting (alerter/alert_match.h): the
 * first article of a story gives a `new` alert, a later one an `update`
 * only when it brings a new outlet, a newly named watched entity or a new
 * claim position (a denial), and silence otherwise; the alert's claims are
 * the story's ledger of the watched entities only, each with the outlets
 * and articles it came through, kept across a restart.  Runs against a real alert
 * database and real text docs, recording each alert as the alerter does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert_digest.h"
#include "alert_match.h"

static const char *TEXT =
    "A European official said Viktor Bout was selling rifles to the Houthis. "
    "Bout denied any deal. The weather was mild.";

typedef struct {
    char dir[64], path[128];
    alert_db_t *db;
    query_t *q;
    watch_t w;
    int64_t stored;
} world_t;

static int s_setup(void **state)
{
    world_t *x = calloc(1, sizeof *x);
    assert_non_null(x);
    strcpy(x->dir, "/tmp/marsad-story-XXXXXX");
    assert_non_null(mkdtemp(x->dir));
    snprintf(x->path, sizeof x->path, "%s/alerter.db", x->dir);
    x->db = alert_db_open(x->path, NULL);
    assert_non_null(x->db);
    *state = x;
    return 0;
}

static int s_teardown(void **state)
{
    world_t *x = *state;
    alert_db_close(&x->db);
    query_destroy(&x->q);
    char p[160];
    const char *suffix[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", x->path, suffix[i]);
        unlink(p);
    }
    rmdir(x->dir);
    free(x);
    return 0;
}

static void s_watch(world_t *x, const char *src)
{
    query_destroy(&x->q);
    query_error_t err;
    x->q = query_parse(src, &err);
    if (!x->q)
        fail_msg("%s: %s", src, err.message);
    x->w = (watch_t) { .name = (char *) "w", .severity = (char *) "high",
                       .query_src = (char *) src, .query = x->q };
}

static size_t s_at(const char *needle)
{
    const char *p = strstr(TEXT, needle);
    assert_non_null(p);
    return (size_t) (p - TEXT);
}

/* The claims of TEXT: an official asserting (about Bout), Bout denying,
 * and one about the weather involving nobody watched. */
static proto_claim_t s_claims[3];
static proto_mention_t s_mentions[3];

static void s_article(proto_stored_t *st, const char *story, const char *source,
                      size_t n_claims)
{
    size_t a0 = s_at("Viktor Bout was"), a1 = s_at(". Bout denied");
    size_t w0 = s_at("The weather");
    s_mentions[0] = (proto_mention_t) { .entity = (char *) "bout", .type = (char *) "person",
                                        .surface = (char *) "Viktor Bout", .start = (int64_t) a0,
                                        .end = (int64_t) a0 + 11, .sentence = 0 };
    s_mentions[1] = (proto_mention_t) { .entity = (char *) "bout", .type = (char *) "person",
                                        .surface = (char *) "Bout", .start = (int64_t) a1 + 2,
                                        .end = (int64_t) a1 + 6, .sentence = 1 };
    s_mentions[2] = (proto_mention_t) { .entity = (char *) "houthis", .type = (char *) "org",
                                        .surface = (char *) "Houthis",
                                        .start = (int64_t) s_at("Houthis"),
                                        .end = (int64_t) s_at("Houthis") + 7, .sentence = 0 };
    s_claims[0] = (proto_claim_t) { .speaker = (char *) "a European official",
                                    .cue = (char *) "said", .stance = (char *) "asserts",
                                    .content = (char *) "Viktor Bout was selling rifles",
                                    .start = (int64_t) a0, .end = (int64_t) a0 + 30 };
    s_claims[1] = (proto_claim_t) { .speaker = (char *) "bout", .cue = (char *) "denied",
                                    .stance = (char *) "denies", .content = (char *) "any deal",
                                    .start = (int64_t) s_at("any deal"),
                                    .end = (int64_t) s_at("any deal") + 8 };
    s_claims[2] = (proto_claim_t) { .speaker = (char *) "forecasters", .cue = (char *) "said",
                                    .stance = (char *) "asserts",
                                    .content = (char *) "The weather was mild",
                                    .start = (int64_t) w0, .end = (int64_t) w0 + 20 };
    memset(st, 0, sizeof *st);
    st->story_id = (char *) story;
    st->article = (proto_article_t) {
        .id = (char *) "a", .source = (char *) source, .url = (char *) "http://x/a",
        .title = (char *) "Arms", .text = (char *) TEXT, .lang = (char *) "en",
        .fetched_at = (char *) "2026-01-01T00:00:00Z", .content_hash = (char *) "h",
        .mentions = s_mentions, .n_mentions = 3, .claims = s_claims, .n_claims = n_claims };
}

static char *s_render(void *arg, size_t index, int64_t seq)
{
    alert_draft_t *d = arg;
    d[index].alert.seq = seq;
    return proto_alert_to_json(&d[index].alert);
}

/* Match the watch on ST and record the result as the alerter does.
 * Returns the kind ("new", "update") or NULL when silent; *d is left for
 * the caller to inspect and clear. */
static const char *s_handle(world_t *x, const proto_stored_t *st, alert_draft_t *d)
{
    const proto_article_t *a = &st->article;
    text_doc_t *title = text_doc_new(a->title, strlen(a->title));
    text_doc_t *text = text_doc_new(a->text, strlen(a->text));
    query_mention_t m[8];
    assert_true(a->n_mentions <= 8);
    for (size_t i = 0; i < a->n_mentions; i++)
        m[i] = (query_mention_t) { a->mentions[i].entity, (size_t) a->mentions[i].start,
                                   (size_t) a->mentions[i].end, a->mentions[i].type };
    query_input_t in = { title, text, m, a->n_mentions, a->source, a->lang, NULL };
    memset(d, 0, sizeof *d);
    int rc = alert_match(x->db, &x->w, st, &in, 0, d);
    assert_true(rc == 0 || rc == 1);
    alert_db_entry_t e = { .watch = "w", .story_id = st->story_id,
                           .update = rc == 1 && strcmp(d->alert.kind, "update") == 0,
                           .seen = (const char *const *) d->story.v, .n_seen = d->story.n,
                           .ledger = d->added, .n_ledger = d->n_added, .silent = rc == 0 };
    assert_int_equal(alert_db_record(x->db, ++x->stored, &e, rc == 1 || d->n_added > 0,
                                     s_render, d), 0);
    text_doc_destroy(&title);
    text_doc_destroy(&text);
    if (rc == 1)
        assert_true(e.seq > 0);
    return rc == 1 ? d->alert.kind : NULL;
}

static bool s_has(const alert_draft_t *d, const char *feature)
{
    for (size_t i = 0; i < d->story.n; i++)
        if (strcmp(d->story.v[i], feature) == 0)
            return true;
    return false;
}

static void test_new_update_silent(void **state)
{
    world_t *x = *state;
    s_watch(x, "@bout AND rifles");
    proto_stored_t st;
    alert_draft_t d;

    /* First article: the official's assertion only. */
    s_article(&st, "story-1", "wire", 1);
    assert_string_equal(s_handle(x, &st, &d), "new");
    assert_int_equal(d.alert.n_claims, 1);
    assert_string_equal(d.alert.claims[0].stance, "asserts");
    assert_true(s_has(&d, "source:wire"));
    assert_true(s_has(&d, "entity:bout"));
    assert_true(s_has(&d, "claim:a European official|asserts"));
    alert_draft_clear(&d);

    /* The same again (a syndicated copy from the same outlet): silent. */
    assert_null(s_handle(x, &st, &d));
    alert_draft_clear(&d);

    /* Another outlet: an update that brings only the outlet. */
    s_article(&st, "story-1", "other-wire", 1);
    assert_string_equal(s_handle(x, &st, &d), "update");
    assert_int_equal(d.story.n, 1);
    assert_string_equal(d.story.v[0], "source:other-wire");
    alert_draft_clear(&d);
    assert_null(s_handle(x, &st, &d));
    alert_draft_clear(&d);

    /* Bout's denial arrives: an update with the denial in the ledger; the
     * weather claim involves no watched entity and is left out. */
    s_article(&st, "story-1", "wire", 3);
    assert_string_equal(s_handle(x, &st, &d), "update");
    assert_int_equal(d.story.n, 1);
    assert_string_equal(d.story.v[0], "claim:bout|denies");
    assert_int_equal(d.alert.n_claims, 2);
    assert_string_equal(d.alert.claims[1].speaker, "bout");
    assert_string_equal(d.alert.claims[1].stance, "denies");
    char *json = proto_alert_to_json(&d.alert);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"update\""));
    assert_non_null(strstr(json, "denies"));
    assert_null(strstr(json, "forecasters"));
    free(json);
    alert_draft_clear(&d);
    assert_null(s_handle(x, &st, &d));
    alert_draft_clear(&d);

    /* Another story: new again. */
    s_article(&st, "story-2", "wire", 1);
    assert_string_equal(s_handle(x, &st, &d), "new");
    alert_draft_clear(&d);

    /* Updates and news are in the database, in order. */
    char **jsons = NULL;
    long n = alert_db_since(x->db, 0, 100, &jsons, NULL);
    assert_int_equal(n, 4);
    assert_non_null(strstr(jsons[0], "\"new\""));
    assert_non_null(strstr(jsons[1], "\"update\""));
    assert_non_null(strstr(jsons[2], "\"update\""));
    assert_non_null(strstr(jsons[3], "\"new\""));
    alert_db_free_list(jsons, (size_t) n);
}

static void test_new_watched_entity(void **state)
{
    world_t *x = *state;
    /* Either entity matches; a later article naming the other one is news. */
    s_watch(x, "@bout OR @houthis");
    proto_stored_t st;
    alert_draft_t d;
    s_article(&st, "s", "wire", 0);
    st.article.n_mentions = 1;           /* Bout only */
    assert_string_equal(s_handle(x, &st, &d), "new");
    assert_false(s_has(&d, "entity:houthis"));
    alert_draft_clear(&d);
    s_article(&st, "s", "wire", 0);      /* now the Houthis too */
    assert_string_equal(s_handle(x, &st, &d), "update");
    assert_int_equal(d.story.n, 1);
    assert_string_equal(d.story.v[0], "entity:houthis");
    alert_draft_clear(&d);
}

static void test_ledger_without_entities(void **state)
{
    world_t *x = *state;
    /* No @ids: the ledger is the claims holding a matched term; type:
     * brings the entities it found. */
    s_watch(x, "weather");
    proto_stored_t st;
    alert_draft_t d;
    s_article(&st, "s", "wire", 3);
    assert_string_equal(s_handle(x, &st, &d), "new");
    assert_int_equal(d.alert.n_claims, 1);
    assert_string_equal(d.alert.claims[0].speaker, "forecasters");
    alert_draft_clear(&d);

    s_watch(x, "type:org");
    s_article(&st, "s2", "wire", 3);
    assert_string_equal(s_handle(x, &st, &d), "new");
    assert_true(s_has(&d, "entity:houthis"));
    assert_int_equal(d.alert.n_claims, 0);   /* no claim names the Houthis */
    assert_string_equal(d.alert.matches[0].entity, "houthis");
    alert_draft_clear(&d);

    /* A match of NOTs only has nothing to show: silent. */
    s_watch(x, "NOT Putin");
    s_article(&st, "s3", "wire", 3);
    assert_null(s_handle(x, &st, &d));
    alert_draft_clear(&d);
}

/* ------------------------------------------------ the story's ledger */

/* One article of the Bout story: TEXT with a mention of Bout at "Viktor
 * Bout" and the claims given (their offsets found in TEXT). */
typedef struct {
    proto_stored_t st;
    proto_mention_t m[1];
    proto_claim_t c[2];
} story_art_t;

static void s_story_article(story_art_t *a, const char *id, const char *outlet, const char *text,
                            const proto_claim_t *claims, size_t n_claims)
{
    memset(a, 0, sizeof *a);
    const char *p = strstr(text, "Viktor Bout");
    assert_non_null(p);
    a->m[0] = (proto_mention_t) { .entity = (char *) "bout", .type = (char *) "person",
                                  .surface = (char *) "Viktor Bout", .start = p - text,
                                  .end = p - text + 11, .sentence = 0 };
    assert_true(n_claims <= 2);
    for (size_t i = 0; i < n_claims; i++) {
        a->c[i] = claims[i];
        const char *q = strstr(text, claims[i].content);
        assert_non_null(q);
        a->c[i].start = q - text;
        a->c[i].end = q - text + (int64_t) strlen(claims[i].content);
    }
    char url[64];
    snprintf(url, sizeof url, "https://%s.example/%s", outlet, id);
    a->st.story_id = (char *) "bout-arms";
    a->st.article = (proto_article_t) {
        .id = (char *) id, .source = (char *) outlet, .url = strdup(url),
        .title = (char *) "Arms", .text = (char *) text, .lang = (char *) "en",
        .fetched_at = (char *) "2026-01-01T00:00:00Z", .content_hash = (char *) id,
        .mentions = a->m, .n_mentions = 1, .claims = a->c, .n_claims = n_claims };
}

static void s_story_article_clear(story_art_t *a)
{
    free(a->st.article.url);
}

static const proto_claim_t *s_entry(const alert_draft_t *d, const char *speaker,
                                    const char *stance)
{
    for (size_t i = 0; i < d->alert.n_claims; i++)
        if (strcmp(d->alert.claims[i].speaker, speaker) == 0
            && strcmp(d->alert.claims[i].stance, stance) == 0)
            return &d->alert.claims[i];
    fail_msg("no ledger entry %s|%s among %zu", speaker, stance, d->alert.n_claims);
    return NULL;
}

static const char *ASSERTS = "Viktor Bout brokered arms for the Houthis";
static const char *DENIES = "Viktor Bout never brokered any arms deal";

static const proto_claim_t *s_claim_official(void)
{
    static char *chain[] = { (char *) "Reuters" };
    static proto_claim_t c;
    c = (proto_claim_t) { .speaker = (char *) "a European security official",
                          .cue = (char *) "said", .stance = (char *) "asserts",
                          .content = (char *) ASSERTS, .chain = chain, .n_chain = 1 };
    return &c;
}

static const proto_claim_t *s_claim_lawyer(const char *content)
{
    static proto_claim_t c;
    c = (proto_claim_t) { .speaker = (char *) "Bout's lawyer", .cue = (char *) "denied",
                          .stance = (char *) "denies", .content = (char *) content };
    return &c;
}

/* The update alert's ledger is the story's, not the article's: outlet A's
 * assertion and outlet B's denial, each with its source; outlet C
 * repeating the assertion is a second source of the same entry; the
 * ledger is reloaded from the alert database after a restart, and a
 * silent article's claim joins it too. */
static void test_story_ledger_sources(void **state)
{
    world_t *x = *state;
    s_watch(x, "@bout");
    alert_draft_t d;
    story_art_t a;

    s_story_article(&a, "a1", "outlet-a",
                    "A European security official said Viktor Bout brokered arms for the "
                    "Houthis, Reuters reported.", s_claim_official(), 1);
    assert_string_equal(s_handle(x, &a.st, &d), "new");
    assert_int_equal(d.alert.n_claims, 1);
    assert_int_equal(d.alert.claims[0].n_sources, 1);
    assert_string_equal(d.alert.claims[0].sources[0].source, "outlet-a");
    alert_draft_clear(&d);
    s_story_article_clear(&a);

    /* Article 2, outlet B: the lawyer's denial.  Its own claims are the
     * denial only; the update's ledger holds both positions. */
    s_story_article(&a, "b1", "outlet-b",
                    "Bout's lawyer denied the report: Viktor Bout never brokered any arms deal.",
                    s_claim_lawyer(DENIES), 1);
    assert_string_equal(s_handle(x, &a.st, &d), "update");
    assert_int_equal(d.alert.n_claims, 2);
    const proto_claim_t *as = s_entry(&d, "a European security official", "asserts");
    const proto_claim_t *dn = s_entry(&d, "Bout's lawyer", "denies");
    assert_ptr_equal(as, &d.alert.claims[0]);           /* first seen first */
    assert_string_equal(as->content, ASSERTS);
    assert_int_equal(as->n_sources, 1);
    assert_string_equal(as->sources[0].source, "outlet-a");
    assert_string_equal(as->sources[0].article_id, "a1");
    assert_string_equal(as->sources[0].url, "https://outlet-a.example/a1");
    assert_int_equal(as->sources[0].n_chain, 1);
    assert_string_equal(as->sources[0].chain[0], "Reuters");
    assert_string_equal(dn->content, DENIES);
    assert_string_equal(dn->cue, "denied");
    assert_int_equal(dn->n_sources, 1);
    assert_string_equal(dn->sources[0].source, "outlet-b");
    assert_string_equal(dn->sources[0].article_id, "b1");
    assert_int_equal(dn->sources[0].start, 33);
    assert_int_equal(dn->sources[0].n_chain, 0);
    alert_draft_clear(&d);
    s_story_article_clear(&a);

    /* Article 3, outlet C, repeats the assertion word for word: a new
     * outlet (an update), and C is a second source of the same entry. */
    s_story_article(&a, "c1", "outlet-c",
                    "Officials in Brussels said: Viktor Bout brokered arms for the Houthis.",
                    s_claim_official(), 1);
    a.c[0].chain = NULL;
    a.c[0].n_chain = 0;
    assert_string_equal(s_handle(x, &a.st, &d), "update");
    assert_int_equal(d.story.n, 1);
    assert_string_equal(d.story.v[0], "source:outlet-c");
    assert_int_equal(d.alert.n_claims, 2);
    as = s_entry(&d, "a European security official", "asserts");
    assert_int_equal(as->n_sources, 2);
    assert_string_equal(as->sources[0].source, "outlet-a");
    assert_string_equal(as->sources[1].source, "outlet-c");
    assert_string_equal(as->sources[1].article_id, "c1");
    assert_int_equal(as->sources[1].start, 28);
    assert_int_equal(as->sources[1].n_chain, 0);
    assert_int_equal(s_entry(&d, "Bout's lawyer", "denies")->n_sources, 1);
    /* What the subscriber reads: the same, through the JSON. */
    char *json = proto_alert_to_json(&d.alert);
    assert_non_null(json);
    proto_alert_t back;
    assert_int_equal(proto_alert_from_json(json, strlen(json), &back), 0);
    free(json);
    assert_int_equal(back.n_claims, 2);
    assert_int_equal(back.claims[0].n_sources, 2);
    assert_string_equal(back.claims[0].sources[1].url, "https://outlet-c.example/c1");
    assert_string_equal(back.claims[1].sources[0].source, "outlet-b");
    proto_alert_clear(&back);
    alert_draft_clear(&d);
    s_story_article_clear(&a);

    /* Article 4, outlet B again, a second denial in other words: nothing
     * new to alert on (same outlet, same speaker and stance), but it
     * joins the ledger. */
    s_story_article(&a, "b2", "outlet-b", "His lawyer said Viktor Bout is a victim of lies.",
                    s_claim_lawyer("Viktor Bout is a victim of lies"), 1);
    assert_null(s_handle(x, &a.st, &d));
    alert_draft_clear(&d);
    s_story_article_clear(&a);

    /* Restart: the ledger comes back from the alert database. */
    alert_db_close(&x->db);
    x->db = alert_db_open(x->path, NULL);
    assert_non_null(x->db);

    /* Article 5, outlet D, no claim at all: an update (new outlet) whose
     * ledger is the story's, as recorded before the restart. */
    s_story_article(&a, "d1", "outlet-d", "Viktor Bout was not in court on Monday.", NULL, 0);
    assert_string_equal(s_handle(x, &a.st, &d), "update");
    assert_int_equal(d.alert.n_claims, 3);
    as = &d.alert.claims[0];
    assert_string_equal(as->speaker, "a European security official");
    assert_int_equal(as->n_sources, 2);
    assert_string_equal(as->sources[0].article_id, "a1");
    assert_string_equal(as->sources[0].chain[0], "Reuters");
    assert_string_equal(as->sources[1].article_id, "c1");
    assert_string_equal(d.alert.claims[1].content, DENIES);
    assert_string_equal(d.alert.claims[1].sources[0].article_id, "b1");
    assert_string_equal(d.alert.claims[2].content, "Viktor Bout is a victim of lies");
    assert_string_equal(d.alert.claims[2].speaker, "Bout's lawyer");
    assert_int_equal(d.alert.claims[2].n_sources, 1);
    assert_string_equal(d.alert.claims[2].sources[0].article_id, "b2");
    assert_int_equal(d.alert.claims[2].start, 16);     /* offsets: its source's text */
    alert_draft_clear(&d);
    s_story_article_clear(&a);

    /* Another story starts with an empty ledger. */
    s_story_article(&a, "e1", "outlet-a", "Viktor Bout flew to Moscow.", NULL, 0);
    a.st.story_id = (char *) "other-story";
    assert_string_equal(s_handle(x, &a.st, &d), "new");
    assert_int_equal(d.alert.n_claims, 0);
    alert_draft_clear(&d);
    s_story_article_clear(&a);
}

/* Over the limit an article is folded (no alert, kept for the digest);
 * the digest is one valid alert listing them, and clears them. */
static void test_rate_limit_digest(void **state)
{
    world_t *x = *state;
    s_watch(x, "@bout");
    proto_stored_t st;
    alert_draft_t d;
    s_article(&st, "s1", "wire", 0);
    assert_string_equal(s_handle(x, &st, &d), "new");
    alert_draft_clear(&d);
    s_article(&st, "s2", "wire", 0);
    assert_string_equal(s_handle(x, &st, &d), "new");
    alert_draft_clear(&d);
    assert_int_equal(alert_db_count_recent(x->db, "w", 3600), 2);

    /* A third story with a limit of 2/hour: folded. */
    const char *seen[] = { "source:wire" };
    alert_db_entry_t e = { .watch = "w", .story_id = "s3", .seen = seen, .n_seen = 1,
                           .folded = true, .fold_title = "Third story", .fold_url = "http://x/3" };
    assert_int_equal(alert_db_record(x->db, ++x->stored, &e, 1, s_render, NULL), 0);
    assert_int_equal(e.seq, 0);
    assert_true(alert_db_alerted(x->db, "w", "s3"));
    assert_true(alert_db_seen(x->db, "w", "s3", "source:wire"));
    alert_db_entry_t e4 = { .watch = "w", .story_id = "s4", .folded = true,
                            .fold_title = "", .fold_url = "http://x/4" };
    assert_int_equal(alert_db_record(x->db, ++x->stored, &e4, 1, s_render, NULL), 0);
    assert_int_equal(alert_db_count_recent(x->db, "w", 3600), 2);
    char **titles = NULL, **urls = NULL;
    long n = alert_db_folded(x->db, "w", &titles, &urls);
    assert_int_equal(n, 2);
    assert_string_equal(titles[0], "Third story");
    assert_string_equal(urls[1], "http://x/4");

    alert_digest_t dg;
    assert_int_equal(alert_digest_init(&dg, "w", "high", "2/hour", titles, urls, 2, 0), 0);
    alert_db_free_list(titles, 2);
    alert_db_free_list(urls, 2);
    assert_string_equal(dg.draft.alert.title, "2 alerts of w folded by its rate limit (2/hour)");
    assert_string_equal(dg.draft.alert.snippet, "Third story · http://x/4");
    assert_string_equal(dg.draft.alert.url, "http://x/4");
    alert_db_entry_t de = { .watch = "w", .story_id = dg.story_id, .digest = true };
    alert_draft_t *as_draft = &dg.draft;
    assert_int_equal(alert_db_record(x->db, x->stored, &de, 1, s_render, as_draft), 0);
    assert_int_equal(de.seq, 3);
    assert_int_equal(alert_db_folded(x->db, "w", &titles, &urls), 0);
    /* It is a valid alert for any subscriber. */
    char **jsons = NULL;
    assert_int_equal(alert_db_since(x->db, 2, 10, &jsons, NULL), 1);
    proto_alert_t back;
    memset(&back, 0, sizeof back);
    assert_int_equal(proto_alert_from_json(jsons[0], strlen(jsons[0]), &back), 0);
    assert_int_equal(back.seq, 3);
    assert_string_equal(back.watch, "w");
    assert_string_equal(back.kind, "new");
    assert_string_equal(back.matches[0].term, "rate_limit");
    proto_alert_clear(&back);
    alert_db_free_list(jsons, 1);
    alert_digest_clear(&dg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_update_silent, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_new_watched_entity, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_ledger_without_entities, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_digest, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_story_ledger_sources, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
