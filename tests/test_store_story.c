/*
 * test_store_story.c — near-duplicates and stories (store_story.c) on
 * articles written for this test (the JSON files in tests/data/store, in the
 * `article` wire format):
 *  - one Arabic wire report retold by three outlets (another headline,
 *    reordered paragraphs, added background, other spellings of the names
 *    that the catalog resolves to one entity) is one story;
 *  - two different Russian-arms stories of the same week are two stories,
 *    and a retelling of one of them joins it;
 *  - a republished copy with a changed sentence is a near-duplicate;
 *  - the same event far apart in time does not join;
 *  - an article rolled back is nobody's story, and the article given its
 *    seq afterwards is judged by its own signatures;
 *  - the band index, kept in memory, is built again when the store opens:
 *    copies of a long and of a short text still find their originals;
 *  - a band match of another week is passed over unread unless it is a
 *    near-duplicate.
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
#include <sqlite3.h>

#include "proto.h"
#include "sql_scalar.h"
#include "store_db.h"
#include "store_fixture.h"

typedef store_fixture_t s_fix_t;

static int s_setup(void **state)
{
    s_fix_t *f = store_fixture_new("story");
    if (!f)
        return -1;
    store_fixture_open(f);
    *state = f;
    return 0;
}

static int s_teardown(void **state) { return store_fixture_destroy((s_fix_t **) state); }

/* Read tests/data/store/NAME into A (decoded as an `article` message). */
static void s_load(const char *name, proto_article_t *a)
{
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/store/%s", root ? root : ".", name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    proto_frames_t fr = { 0 };
    fr.n = 2;
    fr.data[0] = strdup("article");
    fr.len[0] = 7;
    fr.data[1] = malloc(n);
    memcpy(fr.data[1], buf, n);
    fr.len[1] = n;
    int rc = proto_article_decode(&fr, a);
    proto_frames_clear(&fr);
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", name, proto_strerror(rc));
    assert_int_equal(rc, 0);
}

/* Store A; return its story (malloc'd). */
static char *s_store(s_fix_t *f, proto_article_t *a, bool *dup)
{
    int64_t seq;
    char *story = NULL, *err = NULL;
    bool d = false;
    assert_int_equal(store_db_begin(f->db), 0);
    int rc = store_db_insert(f->db, a, &seq, &story, &d, &err);
    if (rc < 0)
        fprintf(stderr, "insert %s: %s\n", a->id, err);
    free(err);
    assert_int_equal(rc, 1);
    assert_int_equal(store_db_commit(f->db), 0);
    if (dup)
        *dup = d;
    return story;
}

static char *s_store_file(s_fix_t *f, const char *name)
{
    proto_article_t a;
    s_load(name, &a);
    char *story = s_store(f, &a, NULL);
    proto_article_clear(&a);
    return story;
}

static void test_wire_report_retold_is_one_story(void **state)
{
    s_fix_t *f = *state;
    char *wire = s_store_file(f, "bout_wire.json");
    assert_string_equal(wire, "bout-wire");
    const char *retold[] = { "bout_retold_reordered.json", "bout_retold_background.json",
                             "bout_retold_spelling.json" };
    for (size_t i = 0; i < 3; i++) {
        char *s = s_store_file(f, retold[i]);
        if (strcmp(s, wire) != 0)
            fprintf(stderr, "%s went to story %s\n", retold[i], s);
        assert_string_equal(s, wire);
        free(s);
    }
    /* The story has four articles, first and last seen from their dates. */
    char *json = NULL;
    assert_int_equal(store_db_story_json(f->db, wire, &json), 0);
    assert_non_null(strstr(json, "\"article_count\":4"));
    assert_non_null(strstr(json, "\"first_seen\":\"2026-11-17T08:00:00Z\""));
    assert_non_null(strstr(json, "\"last_seen\":\"2026-11-18T06:40:00Z\""));
    assert_non_null(strstr(json, "bout-retold-3"));
    free(json);
    free(wire);
}

static void test_two_russian_arms_stories_stay_apart(void **state)
{
    s_fix_t *f = *state;
    /* The Arabic story first, so Russia-related entities are not new. */
    free(s_store_file(f, "bout_wire.json"));
    char *jets = s_store_file(f, "russia_jets_iran.json");
    char *kornet = s_store_file(f, "russia_kornet_sudan.json");
    char *jets2 = s_store_file(f, "russia_jets_iran_retold.json");
    assert_string_equal(jets, "ru-jets");
    assert_string_equal(kornet, "ru-kornet");     /* a story of its own */
    assert_string_equal(jets2, "ru-jets");        /* the retelling joins the jets story */
    char *json = NULL;
    assert_int_equal(store_db_stats_json(f->db, &json), 0);
    assert_non_null(strstr(json, "\"stories\":3"));
    free(json);
    free(jets);
    free(kornet);
    free(jets2);
}

static void test_republished_copy_is_near_duplicate(void **state)
{
    s_fix_t *f = *state;
    free(s_store_file(f, "bout_wire.json"));
    proto_article_t a;
    s_load("bout_wire.json", &a);
    /* Another outlet runs the wire copy with its own last line. */
    free(a.id);
    a.id = strdup("bout-copy");
    free(a.source);
    a.source = strdup("outlet-z");
    free(a.content_hash);
    a.content_hash = strdup("another-hash");
    size_t len = strlen(a.text);
    const char *tail = "\nوتابعت الوكالة التطورات.";
    char *text = malloc(len + strlen(tail) + 1);
    memcpy(text, a.text, len);
    strcpy(text + len, tail);
    free(a.text);
    a.text = text;
    bool dup = true;
    char *story = s_store(f, &a, &dup);
    assert_string_equal(story, "bout-wire");
    assert_false(dup);            /* not an exact duplicate: the alerter may report a new outlet */
    free(story);
    proto_article_clear(&a);
    char *json = NULL;
    assert_int_equal(store_db_story_json(f->db, "bout-wire", &json), 0);
    assert_non_null(strstr(json, "\"near_duplicate\":1"));
    free(json);
}

/* The bout wire copy as another outlet's article ID (content hash HASH). */
static void s_load_copy(proto_article_t *a, const char *id, const char *hash)
{
    s_load("bout_wire.json", a);
    free(a->id);
    a->id = strdup(id);
    free(a->content_hash);
    a->content_hash = strdup(hash);
}

static void test_rolled_back_article_is_no_candidate(void **state)
{
    s_fix_t *f = *state;
    proto_article_t a;
    s_load("bout_wire.json", &a);
    int64_t seq;
    char *story = NULL, *err = NULL;
    bool dup;
    assert_int_equal(store_db_begin(f->db), 0);
    assert_int_equal(store_db_insert(f->db, &a, &seq, &story, &dup, &err), 1);
    free(story);
    store_db_rollback(f->db);
    proto_article_clear(&a);
    /* another article takes the rolled-back seq */
    char *other = s_store_file(f, "russia_kornet_sudan.json");
    assert_string_not_equal(other, "bout-wire");
    free(other);
    /* a copy of the rolled-back wire starts its own story ... */
    s_load_copy(&a, "bout-copy-1", "copy-hash-1");
    story = s_store(f, &a, NULL);
    assert_string_equal(story, "bout-copy-1");
    free(story);
    proto_article_clear(&a);
    /* ... which the next copy joins */
    s_load_copy(&a, "bout-copy-2", "copy-hash-2");
    story = s_store(f, &a, NULL);
    assert_string_equal(story, "bout-copy-1");
    free(story);
    proto_article_clear(&a);
}

static void test_same_names_months_apart_are_another_story(void **state)
{
    s_fix_t *f = *state;
    free(s_store_file(f, "bout_wire.json"));
    proto_article_t a;
    s_load("bout_retold_spelling.json", &a);
    free(a.published_at);
    a.published_at = strdup("2027-03-02T09:00:00Z");
    char *story = s_store(f, &a, NULL);
    assert_string_equal(story, "bout-retold-3");
    free(story);
    proto_article_clear(&a);
}

/* Store a copy of A (under ID and HASH) that names no entity, so that
 * only its bands can find the original; return its story (malloc'd). */
static char *s_store_unnamed_copy(s_fix_t *f, proto_article_t *a, const char *id)
{
    free(a->id);
    a->id = strdup(id);
    free(a->content_hash);
    a->content_hash = strdup(id);
    size_t n = a->n_mentions;
    a->n_mentions = 0;
    char *story = s_store(f, a, NULL);
    a->n_mentions = n;
    return story;
}

/* The band index lives in memory and is built again when the store opens:
 * a copy stored after a restart still finds its original, by the bands
 * alone (it names no entity), for a long text and for a short one. */
static void test_copies_found_after_reopen(void **state)
{
    s_fix_t *f = *state;
    free(s_store_file(f, "bout_wire.json"));
    proto_article_t a;
    s_load_copy(&a, "short-note", "short-hash");
    free(a.text);
    a.text = strdup("وصل الوفد الروسي إلى المطار صباح اليوم.");
    free(a.title);
    a.title = strdup("وصول");
    free(s_store(f, &a, NULL));
    store_db_close(&f->db);
    char *err = NULL;
    f->db = store_db_open(f->path, &err);
    assert_non_null(f->db);
    char *story = s_store_unnamed_copy(f, &a, "short-copy");
    assert_string_equal(story, "short-note");
    free(story);
    proto_article_clear(&a);
    s_load("bout_wire.json", &a);
    story = s_store_unnamed_copy(f, &a, "wire-copy");
    assert_string_equal(story, "bout-wire");
    free(story);
    proto_article_clear(&a);
    /* and a retelling, found by the names it shares within days, read
     * from the file */
    story = s_store_file(f, "bout_retold_spelling.json");
    assert_string_equal(story, "bout-wire");
    free(story);
    assert_int_equal(sql_scalar(f->path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sig_bands'"), 0);
}

/* A band match of another week is passed over without reading its row,
 * unless it is a near-duplicate.  The store is opened again before each
 * article so that the candidate is not among the remembered ones. */
static void test_band_match_of_another_week_is_not_read(void **state)
{
    s_fix_t *f = *state;
    free(s_store_file(f, "bout_wire.json"));
    /* the wire's words and as many others: shares bands, not a near-duplicate */
    proto_article_t a;
    s_load_copy(&a, "half-1", "half-1");
    const char *more = "\nوفي شأن آخر افتتحت البلدية حديقة عامة جديدة تضم ملاعب للأطفال"
                       " ومسارات للدراجات وبحيرة صغيرة ومكتبة مفتوحة، وقال رئيس البلدية"
                       " إن المشروع استغرق عامين وكلف ميزانية كبيرة جمعت من تبرعات السكان"
                       " والشركات المحلية، وإن الحديقة ستفتح أبوابها يوميا من الصباح حتى"
                       " منتصف الليل طوال أيام الصيف المقبل.";
    char *text = malloc(strlen(a.text) + strlen(more) + 1);
    strcpy(stpcpy(text, a.text), more);
    free(a.text);
    a.text = text;
    size_t n_mentions = a.n_mentions;
    a.n_mentions = 0;                      /* found by its bands only */
    char *err = NULL;
    /* within the week: read from the file, and judged (then rolled back,
     * lest it be the later one's near-duplicate) */
    store_db_close(&f->db);
    assert_non_null(f->db = store_db_open(f->path, &err));
    int64_t seq;
    char *story = NULL;
    bool dup;
    assert_int_equal(store_db_begin(f->db), 0);
    assert_int_equal(store_db_insert(f->db, &a, &seq, &story, &dup, &err), 1);
    free(story);
    store_db_rollback(f->db);
    assert_int_equal(store_db_candidates_read(f->db), 1);
    /* months later: passed over, unread */
    free(a.id);
    a.id = strdup("half-2");
    free(a.content_hash);
    a.content_hash = strdup("half-2");
    free(a.published_at);
    a.published_at = strdup("2027-03-02T09:00:00Z");
    store_db_close(&f->db);
    assert_non_null(f->db = store_db_open(f->path, &err));
    story = s_store(f, &a, NULL);
    assert_string_equal(story, "half-2");
    free(story);
    assert_int_equal(store_db_candidates_read(f->db), 0);
    a.n_mentions = n_mentions;
    proto_article_clear(&a);
    /* a near-duplicate months later is read, and joins */
    s_load_copy(&a, "copy-later", "copy-later");
    free(a.published_at);
    a.published_at = strdup("2027-03-03T09:00:00Z");
    a.n_mentions = 0;
    store_db_close(&f->db);
    assert_non_null(f->db = store_db_open(f->path, &err));
    dup = true;
    story = s_store(f, &a, &dup);
    assert_string_equal(story, "bout-wire");
    assert_false(dup);
    free(story);
    assert_true(store_db_candidates_read(f->db) >= 1);
    a.n_mentions = n_mentions;
    proto_article_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wire_report_retold_is_one_story, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_two_russian_arms_stories_stay_apart, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_republished_copy_is_near_duplicate, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_rolled_back_article_is_no_candidate, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_same_names_months_apart_are_another_story, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_copies_found_after_reopen, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_band_match_of_another_week_is_not_read, s_setup,
                                        s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
