/*
 * test_proto.c — the wire codec (proto/): every message type round-trips,
 * every kind of bad message is refused with the right code and leaves the
 * output cleared, proto_recv/proto_send keep a real socket in sync, and a
 * deterministic mutation fuzzer finds no crash or leak (run under ASan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <zmq.h>

#include "proto.h"

/* ------------------------------------------------------------ samples */

/* "Viktor Bout is said to broker a weapons deal with the Houthis." */
static const char s_text[] =
    "قال مسؤول أمني أوروبي إن فيكتور بوت يتوسط في صفقة أسلحة مع الحوثيين. "
    "ونفى المتحدث باسم الحوثيين ذلك.";

static void
s_sample_article(proto_article_t *a, proto_mention_t *mentions, proto_claim_t *claims)
{
    memset(a, 0, sizeof *a);
    const char *bout = strstr(s_text, "فيكتور بوت");
    const char *houthi = strstr(s_text, "الحوثيين");
    const char *content = strstr(s_text, "فيكتور");
    mentions[0] = (proto_mention_t) {
        .entity = "viktor_bout", .type = "person", .surface = "فيكتور بوت",
        .start = bout - s_text, .end = bout - s_text + (int64_t) strlen("فيكتور بوت"),
        .sentence = 0 };
    mentions[1] = (proto_mention_t) {
        .entity = "houthis", .type = "org", .surface = "الحوثيين",
        .start = houthi - s_text, .end = houthi - s_text + (int64_t) strlen("الحوثيين"),
        .sentence = -1 };
    claims[0] = (proto_claim_t) {
        .speaker = "مسؤول أمني أوروبي", .cue = "قال", .stance = "asserts",
        .content = "فيكتور بوت يتوسط في صفقة أسلحة مع الحوثيين",
        .start = content - s_text, .end = content - s_text + 40 };
    a->id = "3f2a";
    a->source = "aljazeera";
    a->url = "https://www.aljazeera.net/news/2024/5/1/بوت";
    a->canonical_url = NULL;
    a->author = "قسم الأخبار الدولية";
    a->site_name = NULL;
    a->title = "تاجر الموت يعود";
    a->text = (char *) s_text;
    a->lang = "ar";
    a->published_at = "2024-05-01T10:00:00Z";
    a->fetched_at = "2024-05-01T10:05:00Z";
    a->content_hash = "ab12";
    a->mentions = mentions;
    a->n_mentions = 2;
    a->claims = claims;
    a->n_claims = 1;
}

static void
s_check_article(const proto_article_t *got, const proto_article_t *want)
{
    assert_string_equal(got->id, want->id);
    assert_string_equal(got->source, want->source);
    assert_string_equal(got->url, want->url);
    if (want->canonical_url)
        assert_string_equal(got->canonical_url, want->canonical_url);
    else
        assert_null(got->canonical_url);
    const char *const got_opt[2] = { got->author, got->site_name };
    const char *const want_opt[2] = { want->author, want->site_name };
    for (int k = 0; k < 2; k++) {
        if (want_opt[k])
            assert_string_equal(got_opt[k], want_opt[k]);
        else
            assert_null(got_opt[k]);
    }
    assert_string_equal(got->title, want->title);
    assert_string_equal(got->text, want->text);
    assert_string_equal(got->lang, want->lang);
    assert_string_equal(got->published_at, want->published_at);
    assert_string_equal(got->fetched_at, want->fetched_at);
    assert_string_equal(got->content_hash, want->content_hash);
    assert_int_equal(got->n_mentions, want->n_mentions);
    for (size_t i = 0; i < want->n_mentions; i++) {
        assert_string_equal(got->mentions[i].entity, want->mentions[i].entity);
        assert_string_equal(got->mentions[i].type, want->mentions[i].type);
        assert_string_equal(got->mentions[i].surface, want->mentions[i].surface);
        assert_int_equal(got->mentions[i].start, want->mentions[i].start);
        assert_int_equal(got->mentions[i].end, want->mentions[i].end);
        assert_int_equal(got->mentions[i].sentence, want->mentions[i].sentence);
        /* The offsets really point at the surface form. */
        assert_memory_equal(got->text + got->mentions[i].start, got->mentions[i].surface,
                            strlen(got->mentions[i].surface));
    }
    assert_int_equal(got->n_claims, want->n_claims);
    for (size_t i = 0; i < want->n_claims; i++) {
        assert_string_equal(got->claims[i].speaker, want->claims[i].speaker);
        assert_string_equal(got->claims[i].cue, want->claims[i].cue);
        assert_string_equal(got->claims[i].stance, want->claims[i].stance);
        assert_string_equal(got->claims[i].content, want->claims[i].content);
        assert_int_equal(got->claims[i].start, want->claims[i].start);
        assert_int_equal(got->claims[i].end, want->claims[i].end);
    }
}

static const unsigned char s_body[] = "<html>\0\x01\xff\xfe\0body</html>";

static void
s_sample_raw(proto_raw_t *r)
{
    memset(r, 0, sizeof *r);
    r->id = "d00d";
    r->source = "bbc_arabic";
    r->url = "https://www.bbc.com/arabic/articles/x";
    r->item_url = "https://feeds.bbc.co.uk/x?at_medium=RSS";
    r->fetched_at = "2024-05-01T10:05:00Z";
    r->content_type = "text/html; charset=windows-1256";
    r->charset = "windows-1256";
    r->lang = "ar";
    r->title = "الحوثيون ينفون";
    r->published_at = "2024-05-01T09:59:00Z";
    r->from_feed = true;
    r->body = s_body;
    r->body_len = sizeof s_body;    /* includes NULs and the final one */
}

static void
s_sample_alert(proto_alert_t *a, proto_match_t *matches, proto_claim_t *claims)
{
    memset(a, 0, sizeof *a);
    matches[0] = (proto_match_t) {
        .kind = "entity", .term = "@viktor_bout", .entity = "viktor_bout",
        .surface = "فيكتور بوت", .field = "text", .start = 40, .end = 59,
        .sentence = "قال مسؤول أمني أوروبي إن فيكتور بوت يتوسط في صفقة أسلحة" };
    matches[1] = (proto_match_t) {
        .kind = "term", .term = "\"merchant of death\"", .entity = NULL,
        .surface = "تاجر الموت", .field = "title", .start = 0, .end = 19, .sentence = NULL };
    claims[0] = (proto_claim_t) {
        .speaker = "houthis", .cue = "نفى", .stance = "denies", .content = "ذلك",
        .start = 120, .end = 126 };
    a->seq = 42;
    a->watch = "bout-houthis";
    a->severity = "high";
    a->kind = "new";
    a->story_id = "story-7";
    a->created_at = "2024-05-01T10:06:00Z";
    a->article_id = "3f2a";
    a->url = "https://www.aljazeera.net/news/x";
    a->title = "تاجر الموت يعود";
    a->source = "aljazeera";
    a->lang = "ar";
    a->published_at = "2024-05-01T10:00:00Z";
    a->snippet = "… إن [[فيكتور بوت]] يتوسط …";
    a->matches = matches;
    a->n_matches = 2;
    a->claims = claims;
    a->n_claims = 1;
}

static void
s_check_alert(const proto_alert_t *got, const proto_alert_t *want)
{
    assert_int_equal(got->seq, want->seq);
    assert_string_equal(got->watch, want->watch);
    assert_string_equal(got->severity, want->severity);
    assert_string_equal(got->kind, want->kind);
    assert_string_equal(got->story_id, want->story_id);
    assert_string_equal(got->created_at, want->created_at);
    assert_string_equal(got->article_id, want->article_id);
    assert_string_equal(got->url, want->url);
    assert_string_equal(got->title, want->title);
    assert_string_equal(got->source, want->source);
    assert_string_equal(got->lang, want->lang);
    assert_string_equal(got->published_at, want->published_at);
    assert_string_equal(got->snippet, want->snippet);
    assert_int_equal(got->n_matches, want->n_matches);
    for (size_t i = 0; i < want->n_matches; i++) {
        const proto_match_t *g = &got->matches[i], *w = &want->matches[i];
        assert_string_equal(g->kind, w->kind);
        assert_string_equal(g->term, w->term);
        if (w->entity) assert_string_equal(g->entity, w->entity); else assert_null(g->entity);
        assert_string_equal(g->surface, w->surface);
        assert_string_equal(g->field, w->field);
        assert_int_equal(g->start, w->start);
        assert_int_equal(g->end, w->end);
        if (w->sentence) assert_string_equal(g->sentence, w->sentence); else assert_null(g->sentence);
    }
    assert_int_equal(got->n_claims, want->n_claims);
    assert_string_equal(got->claims[0].stance, "denies");
    assert_string_equal(got->claims[0].cue, "نفى");
}

/* -------------------------------------------------------- round trips */

static void
test_raw_roundtrip(void **state)
{
    (void) state;
    proto_raw_t in, out;
    proto_frames_t f;
    s_sample_raw(&in);
    assert_int_equal(proto_raw_encode(&in, &f), PROTO_OK);
    assert_int_equal(f.n, 3);
    assert_memory_equal(f.data[0], "raw", 3);
    assert_int_equal(f.len[2], sizeof s_body);
    assert_int_equal(proto_raw_decode(&f, &out), PROTO_OK);
    assert_string_equal(out.id, in.id);
    assert_string_equal(out.source, in.source);
    assert_string_equal(out.url, in.url);
    assert_string_equal(out.item_url, in.item_url);
    assert_string_equal(out.fetched_at, in.fetched_at);
    assert_string_equal(out.content_type, in.content_type);
    assert_string_equal(out.charset, in.charset);
    assert_string_equal(out.lang, in.lang);
    assert_string_equal(out.title, "الحوثيون ينفون");
    assert_string_equal(out.published_at, in.published_at);
    assert_true(out.from_feed);
    assert_int_equal(out.body_len, sizeof s_body);
    assert_memory_equal(out.body, s_body, sizeof s_body);
    proto_raw_clear(&out);
    assert_null(out.id);
    proto_raw_clear(&out);      /* twice is fine */
    proto_frames_clear(&f);

    /* Empty body, every optional field absent. */
    proto_raw_t min = { .id = "1", .source = "s", .url = "http://x/", .fetched_at = "t" };
    assert_int_equal(proto_raw_encode(&min, &f), PROTO_OK);
    assert_int_equal(f.len[2], 0);
    assert_int_equal(proto_raw_decode(&f, &out), PROTO_OK);
    assert_int_equal(out.body_len, 0);
    assert_null(out.item_url);
    assert_null(out.title);
    assert_null(out.published_at);
    assert_false(out.from_feed);
    proto_raw_clear(&out);
    proto_frames_clear(&f);

    /* A required field missing is refused by the encoder too. */
    min.url = NULL;
    assert_int_equal(proto_raw_encode(&min, &f), PROTO_EFIELD);
    assert_int_equal(f.n, 0);
}

static void
test_article_roundtrip(void **state)
{
    (void) state;
    proto_article_t in, out;
    proto_mention_t mentions[2];
    proto_claim_t claims[1];
    proto_frames_t f;
    s_sample_article(&in, mentions, claims);
    assert_int_equal(proto_article_encode(&in, &f), PROTO_OK);
    assert_int_equal(f.n, 2);
    assert_memory_equal(f.data[0], "article", 7);
    /* UTF-8 is kept as is on the wire, not \u-escaped. */
    assert_non_null(memmem(f.data[1], f.len[1], "فيكتور", strlen("فيكتور")));
    assert_int_equal(proto_article_decode(&f, &out), PROTO_OK);
    s_check_article(&out, &in);
    assert_null(out.index);
    proto_article_clear(&out);
    proto_frames_clear(&f);

    /* With the index frame: carried as it is, bytes and all (even empty). */
    static const char blob[] = { 'M', 'X', 1, 0, '\0', (char) 0xff };
    in.index = (char *) blob;
    in.index_len = sizeof blob;
    assert_int_equal(proto_article_encode(&in, &f), PROTO_OK);
    assert_int_equal(f.n, 3);
    assert_int_equal(proto_article_decode(&f, &out), PROTO_OK);
    s_check_article(&out, &in);
    assert_int_equal(out.index_len, sizeof blob);
    assert_memory_equal(out.index, blob, sizeof blob);
    proto_article_clear(&out);
    proto_frames_clear(&f);
    in.index_len = 0;
    assert_int_equal(proto_article_encode(&in, &f), PROTO_OK);
    assert_int_equal(f.n, 3);
    assert_int_equal(proto_article_decode(&f, &out), PROTO_OK);
    assert_non_null(out.index);
    assert_int_equal(out.index_len, 0);
    proto_article_clear(&out);
    proto_frames_clear(&f);
    in.index = NULL;

    char *json = proto_article_to_json(&in, true);
    assert_non_null(json);
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "v")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "mentions")), 2);
    /* sentence -1 (unknown) is left out. */
    assert_null(json_object_get(json_array_get(json_object_get(j, "mentions"), 1), "sentence"));
    json_decref(j);
    free(json);

    /* The encoder refuses what a decoder would refuse. */
    mentions[0].type = "robot";
    assert_int_equal(proto_article_encode(&in, &f), PROTO_ETYPE);
    assert_int_equal(f.n, 0);
    mentions[0].type = "person";
    mentions[1].end = (int64_t) strlen(s_text) + 1;
    assert_int_equal(proto_article_encode(&in, &f), PROTO_ETYPE);
    mentions[1].end = mentions[1].start;
    claims[0].stance = "hedged";
    assert_int_equal(proto_article_encode(&in, &f), PROTO_ETYPE);
    claims[0].stance = "hedges";
    in.text = NULL;
    assert_int_equal(proto_article_encode(&in, &f), PROTO_EFIELD);
    assert_null(proto_article_to_json(&in, false));
    in.text = (char *) s_text;
    assert_int_equal(proto_article_encode(&in, &f), PROTO_OK);
    proto_frames_clear(&f);

    /* No mentions, no claims, empty title. */
    in.n_mentions = in.n_claims = 0;
    in.mentions = NULL;
    in.claims = NULL;
    in.title = "";
    assert_int_equal(proto_article_encode(&in, &f), PROTO_OK);
    assert_int_equal(proto_article_decode(&f, &out), PROTO_OK);
    assert_string_equal(out.title, "");
    assert_int_equal(out.n_mentions, 0);
    assert_null(out.mentions);
    proto_article_clear(&out);
    proto_frames_clear(&f);
}

/* The optional claim members (speaker entity and span, cue span, sentence,
 * chain, entities) survive a round trip, are omitted when empty, and are
 * validated like the required ones. */
static void
test_claim_detail_roundtrip(void **state)
{
    (void) state;
    proto_article_t in, out;
    proto_mention_t mentions[2];
    proto_claim_t claims[1];
    proto_frames_t f;
    s_sample_article(&in, mentions, claims);
    char *chain[] = { "الصحيفة", "reuters" };
    char *ents[] = { "viktor_bout", "houthis" };
    claims[0].speaker_entity = "eu_official";
    claims[0].speaker_start = 7;
    claims[0].speaker_end = 40;
    claims[0].cue_start = 0;
    claims[0].cue_end = 6;
    claims[0].sentence = "قال مسؤول أمني أوروبي إن فيكتور بوت يتوسط.";
    claims[0].chain = chain;
    claims[0].n_chain = 2;
    claims[0].entities = ents;
    claims[0].n_entities = 2;
    assert_int_equal(proto_article_encode(&in, &f), PROTO_OK);
    assert_int_equal(proto_article_decode(&f, &out), PROTO_OK);
    proto_frames_clear(&f);
    const proto_claim_t *c = &out.claims[0];
    assert_string_equal(c->speaker_entity, "eu_official");
    assert_int_equal(c->speaker_start, 7);
    assert_int_equal(c->speaker_end, 40);
    assert_int_equal(c->cue_start, 0);
    assert_int_equal(c->cue_end, 6);
    assert_string_equal(c->sentence, claims[0].sentence);
    assert_int_equal(c->n_chain, 2);
    assert_string_equal(c->chain[0], "الصحيفة");
    assert_string_equal(c->chain[1], "reuters");
    assert_int_equal(c->n_entities, 2);
    assert_string_equal(c->entities[1], "houthis");
    proto_article_clear(&out);

    /* Alerts carry the same claim objects. */
    proto_alert_t al, al_out;
    proto_match_t matches[2];
    proto_claim_t aclaims[1];
    s_sample_alert(&al, matches, aclaims);
    aclaims[0].chain = chain;
    aclaims[0].n_chain = 1;
    assert_int_equal(proto_alert_encode(&al, &f), PROTO_OK);
    assert_int_equal(proto_alert_decode(&f, &al_out), PROTO_OK);
    assert_int_equal(al_out.claims[0].n_chain, 1);
    assert_string_equal(al_out.claims[0].chain[0], "الصحيفة");
    proto_alert_clear(&al_out);
    proto_frames_clear(&f);

    /* Empty detail is left out of the JSON. */
    claims[0] = (proto_claim_t) { .speaker = "x", .cue = "said", .stance = "asserts",
                                  .content = "y", .start = 0, .end = 1 };
    char *json = proto_article_to_json(&in, false);
    assert_non_null(json);
    assert_null(strstr(json, "speaker_start"));
    assert_null(strstr(json, "chain"));
    assert_null(strstr(json, "entities\""));
    free(json);

    /* Encoder refuses bad offsets, decoder refuses bad members. */
    claims[0].speaker_start = 5;
    claims[0].speaker_end = 2;
    assert_int_equal(proto_article_encode(&in, &f), PROTO_ETYPE);
    claims[0].speaker_start = 0;
    claims[0].speaker_end = (int64_t) strlen(in.text) + 1;
    assert_int_equal(proto_article_encode(&in, &f), PROTO_ETYPE);
    claims[0].speaker_end = 0;
    const char *bad[] = {
        "{\"v\":1,\"id\":\"a\",\"source\":\"s\",\"url\":\"u\",\"title\":\"\",\"text\":\"abc\","
        "\"lang\":\"en\",\"fetched_at\":\"t\",\"content_hash\":\"h\",\"mentions\":[],"
        "\"claims\":[{\"speaker\":\"x\",\"cue\":\"c\",\"stance\":\"asserts\",\"content\":\"y\","
        "\"start\":0,\"end\":1,\"chain\":\"notarray\"}]}",
        "{\"v\":1,\"id\":\"a\",\"source\":\"s\",\"url\":\"u\",\"title\":\"\",\"text\":\"abc\","
        "\"lang\":\"en\",\"fetched_at\":\"t\",\"content_hash\":\"h\",\"mentions\":[],"
        "\"claims\":[{\"speaker\":\"x\",\"cue\":\"c\",\"stance\":\"asserts\",\"content\":\"y\","
        "\"start\":0,\"end\":1,\"entities\":[1]}]}",
        "{\"v\":1,\"id\":\"a\",\"source\":\"s\",\"url\":\"u\",\"title\":\"\",\"text\":\"abc\","
        "\"lang\":\"en\",\"fetched_at\":\"t\",\"content_hash\":\"h\",\"mentions\":[],"
        "\"claims\":[{\"speaker\":\"x\",\"cue\":\"c\",\"stance\":\"asserts\",\"content\":\"y\","
        "\"start\":0,\"end\":1,\"speaker_start\":2,\"speaker_end\":1}]}",
        "{\"v\":1,\"id\":\"a\",\"source\":\"s\",\"url\":\"u\",\"title\":\"\",\"text\":\"abc\","
        "\"lang\":\"en\",\"fetched_at\":\"t\",\"content_hash\":\"h\",\"mentions\":[],"
        "\"claims\":[{\"speaker\":\"x\",\"cue\":\"c\",\"stance\":\"asserts\",\"content\":\"y\","
        "\"start\":0,\"end\":1,\"cue_start\":0,\"cue_end\":9}]}",
    };
    const int want[] = { PROTO_ETYPE, PROTO_ETYPE, PROTO_ETYPE, PROTO_ETYPE };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        proto_frames_t g = { 0 };
        g.n = 2;
        g.data[0] = strdup("article");
        g.len[0] = 7;
        g.data[1] = strdup(bad[i]);
        g.len[1] = strlen(bad[i]);
        assert_int_equal(proto_article_decode(&g, &out), want[i]);
        proto_frames_clear(&g);
    }
}

static void
test_stored_roundtrip(void **state)
{
    (void) state;
    proto_stored_t in = { .seq = 7, .story_id = "story-7", .duplicate = true }, out;
    proto_mention_t mentions[2];
    proto_claim_t claims[1];
    proto_frames_t f;
    s_sample_article(&in.article, mentions, claims);
    assert_int_equal(proto_stored_encode(&in, &f), PROTO_OK);
    assert_memory_equal(f.data[0], "stored", 6);
    assert_int_equal(proto_stored_decode(&f, &out), PROTO_OK);
    assert_int_equal(out.seq, 7);
    assert_string_equal(out.story_id, "story-7");
    assert_true(out.duplicate);
    s_check_article(&out.article, &in.article);
    proto_stored_clear(&out);
    proto_frames_clear(&f);

    char *json = proto_stored_to_json(&in);
    assert_non_null(json);
    assert_int_equal(proto_stored_from_json(json, strlen(json), &out), PROTO_OK);
    assert_int_equal(out.seq, 7);
    s_check_article(&out.article, &in.article);
    proto_stored_clear(&out);
    /* The inner article carries no "v" of its own. */
    json_t *j = json_loads(json, 0, NULL);
    assert_null(json_object_get(json_object_get(j, "article"), "v"));
    json_decref(j);
    free(json);

    in.seq = 0;     /* seq >= 1 */
    assert_int_equal(proto_stored_encode(&in, &f), PROTO_ETYPE);
}

/* The store's announcement spliced from the article's own text: the same
 * message as encoding it again, with no "v" inside the article; text not
 * as this library writes it is refused (the store then encodes). */
static void
test_stored_spliced(void **state)
{
    (void) state;
    proto_article_t art;
    proto_mention_t mentions[2];
    proto_claim_t claims[1];
    s_sample_article(&art, mentions, claims);
    proto_frames_t a;
    assert_int_equal(proto_article_encode(&art, &a), PROTO_OK);
    proto_frames_t f;
    assert_int_equal(proto_stored_encode_spliced(9, "story \"9\"", false, a.data[1], a.len[1], &f),
                     PROTO_OK);
    assert_int_equal(f.len[1], strlen(f.data[1]));
    proto_stored_t out;
    assert_int_equal(proto_stored_decode(&f, &out), PROTO_OK);
    assert_int_equal(out.seq, 9);
    assert_string_equal(out.story_id, "story \"9\"");
    assert_false(out.duplicate);
    s_check_article(&out.article, &art);
    proto_stored_clear(&out);
    json_t *j = json_loadb(f.data[1], f.len[1], 0, NULL);
    assert_non_null(j);
    assert_null(json_object_get(json_object_get(j, "article"), "v"));
    json_decref(j);
    /* Byte for byte what encoding the fields gives. */
    proto_stored_t in = { .seq = 9, .story_id = "story \"9\"", .duplicate = false, .article = art };
    proto_frames_t g;
    assert_int_equal(proto_stored_encode(&in, &g), PROTO_OK);
    assert_int_equal(g.len[1], f.len[1]);
    assert_memory_equal(g.data[1], f.data[1], f.len[1]);
    proto_frames_clear(&g);
    proto_frames_clear(&f);

    assert_true(proto_stored_spliceable(a.data[1], a.len[1]));
    assert_false(proto_stored_spliceable(a.data[1], a.len[1] - 1));   /* cut short */
    const char *other = "{ \"v\": 1, \"id\": \"x\"}";
    assert_false(proto_stored_spliceable(other, strlen(other)));
    assert_int_equal(proto_stored_encode_spliced(9, "s", false, other, strlen(other), &f),
                     PROTO_EJSON);
    assert_int_equal(proto_stored_encode_spliced(0, "s", false, a.data[1], a.len[1], &f),
                     PROTO_EJSON);
    proto_frames_clear(&a);
}

static void
test_ack_roundtrip(void **state)
{
    (void) state;
    proto_ack_t in = { .id = "9c1e" }, out;
    proto_frames_t f;
    assert_int_equal(proto_ack_encode(&in, &f), PROTO_OK);
    assert_int_equal(f.n, 2);
    assert_int_equal(f.len[0], 3);
    assert_int_equal(proto_ack_decode(&f, &out), PROTO_OK);
    assert_string_equal(out.id, "9c1e");
    proto_ack_clear(&out);
    proto_frames_clear(&f);
}

static void
test_alert_roundtrip(void **state)
{
    (void) state;
    proto_alert_t in, out;
    proto_match_t matches[2];
    proto_claim_t claims[1];
    proto_frames_t f;
    s_sample_alert(&in, matches, claims);
    assert_int_equal(proto_alert_encode(&in, &f), PROTO_OK);
    assert_int_equal(f.len[0], strlen("alert.bout-houthis"));
    assert_memory_equal(f.data[0], "alert.bout-houthis", f.len[0]);
    json_t *j = json_loadb(f.data[1], f.len[1], 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "schema")), "marsad.alert/1");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "article"), "id")),
                        "3f2a");
    json_decref(j);
    assert_int_equal(proto_alert_decode(&f, &out), PROTO_OK);
    s_check_alert(&out, &in);
    proto_alert_clear(&out);
    proto_frames_clear(&f);

    char *json = proto_alert_to_json(&in);
    assert_non_null(json);
    assert_int_equal(proto_alert_from_json(json, strlen(json), &out), PROTO_OK);
    s_check_alert(&out, &in);
    proto_alert_clear(&out);
    /* From its recorded text, the same message as encoding it. */
    proto_frames_t g;
    assert_int_equal(proto_alert_encode(&in, &f), PROTO_OK);
    assert_int_equal(proto_alert_encode_json(in.watch, json, strlen(json), &g), PROTO_OK);
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(g.len[k], f.len[k]);
        assert_memory_equal(g.data[k], f.data[k], f.len[k]);
    }
    proto_frames_clear(&g);
    proto_frames_clear(&f);
    assert_int_equal(proto_alert_encode_json("bout houthis", json, strlen(json), &g),
                     PROTO_ETOPIC);
    assert_int_equal(proto_alert_encode_json("bout", "", 0, &g), PROTO_EJSON);
    free(json);

    /* A watch name that cannot be a topic is refused by the encoder. */
    in.watch = "bout houthis";
    assert_int_equal(proto_alert_encode(&in, &f), PROTO_ETOPIC);
    in.watch = "bout";
    in.severity = "urgent";
    assert_int_equal(proto_alert_encode(&in, &f), PROTO_ETYPE);
    in.severity = "low";
    matches[1].field = "body";
    assert_int_equal(proto_alert_encode(&in, &f), PROTO_ETYPE);
    matches[1].field = "title";
    in.n_matches = 0;
    assert_int_equal(proto_alert_encode(&in, &f), PROTO_EFIELD);
}

/* An alert's ledger claim says through which articles it came (the
 * sources, each with its outlet, article and relays); an older alert
 * without sources still parses, and an article never carries them. */
static void
test_alert_claim_sources(void **state)
{
    (void) state;
    proto_alert_t in, out;
    proto_match_t matches[2];
    proto_claim_t claims[1];
    char *chain_b[] = { "Reuters", "a spokesman" };
    proto_claim_source_t src[2] = {
        { .source = "aljazeera", .article_id = "3f2a", .url = "https://a/1", .start = 120,
          .end = 126 },
        { .source = "bbc-arabic", .article_id = "9c1e", .url = "https://b/2", .start = 7,
          .end = 13, .chain = chain_b, .n_chain = 2 },
    };
    s_sample_alert(&in, matches, claims);
    claims[0].sources = src;
    claims[0].n_sources = 2;
    char *json = proto_alert_to_json(&in);
    assert_non_null(json);
    assert_int_equal(proto_alert_from_json(json, strlen(json), &out), PROTO_OK);
    free(json);
    assert_int_equal(out.n_claims, 1);
    assert_int_equal(out.claims[0].n_sources, 2);
    assert_string_equal(out.claims[0].sources[0].source, "aljazeera");
    assert_int_equal(out.claims[0].sources[0].n_chain, 0);
    assert_string_equal(out.claims[0].sources[1].article_id, "9c1e");
    assert_string_equal(out.claims[0].sources[1].url, "https://b/2");
    assert_int_equal(out.claims[0].sources[1].start, 7);
    assert_int_equal(out.claims[0].sources[1].end, 13);
    assert_int_equal(out.claims[0].sources[1].n_chain, 2);
    assert_string_equal(out.claims[0].sources[1].chain[1], "a spokesman");
    proto_alert_clear(&out);

    /* A source whose offsets are backwards is refused both ways. */
    src[1].start = 20;
    assert_null(proto_alert_to_json(&in));
    src[1].start = 7;
    const char *bad = "{\"v\":1,\"schema\":\"marsad.alert/1\",\"seq\":1,\"watch\":\"w\","
        "\"severity\":\"low\",\"kind\":\"new\",\"story_id\":\"s\",\"created_at\":\"x\","
        "\"article\":{\"id\":\"a\",\"url\":\"u\",\"title\":\"\",\"source\":\"s\",\"lang\":\"en\"},"
        "\"snippet\":\"\",\"matches\":[{\"kind\":\"term\",\"term\":\"x\",\"surface\":\"x\","
        "\"field\":\"text\",\"start\":0,\"end\":1}],\"claims\":[{\"speaker\":\"b\",\"cue\":\"said\","
        "\"stance\":\"asserts\",\"content\":\"c\",\"start\":0,\"end\":1,"
        "\"sources\":[{\"source\":\"s\",\"article_id\":\"a\",\"url\":\"u\",\"start\":5,\"end\":1}]}]}";
    assert_int_equal(proto_alert_from_json(bad, strlen(bad), &out), PROTO_ETYPE);
    assert_null(out.claims);

    /* Without sources (an alert stored by an older alerter): accepted. */
    claims[0].n_sources = 0;
    json = proto_alert_to_json(&in);
    assert_non_null(json);
    assert_null(strstr(json, "\"sources\""));
    assert_int_equal(proto_alert_from_json(json, strlen(json), &out), PROTO_OK);
    assert_int_equal(out.claims[0].n_sources, 0);
    proto_alert_clear(&out);
    free(json);

    /* An article's claims never carry sources, even if given. */
    proto_article_t art;
    proto_mention_t am[2];
    proto_claim_t ac[2];
    s_sample_article(&art, am, ac);
    ac[0].sources = src;
    ac[0].n_sources = 2;
    json = proto_article_to_json(&art, false);
    assert_non_null(json);
    assert_null(strstr(json, "\"sources\""));
    free(json);
}

static void
test_since_items_error(void **state)
{
    (void) state;
    proto_frames_t f;
    proto_since_t s = { .since = 41, .limit = 100 }, got;
    assert_int_equal(proto_since_encode(&s, &f), PROTO_OK);
    assert_int_equal(proto_since_decode(&f, &got), PROTO_OK);
    assert_int_equal(got.since, 41);
    assert_int_equal(got.limit, 100);
    proto_frames_clear(&f);
    s.limit = 1001;
    assert_int_equal(proto_since_encode(&s, &f), PROTO_ETYPE);

    const char *items[] = { "{\"v\":1,\"seq\":42}", "{\"v\":1,\"seq\":43,\"t\":\"حوثي\"}" };
    assert_int_equal(proto_items_encode("alerts", items, 2, 50, &f), PROTO_OK);
    char **out;
    size_t n;
    int64_t last;
    assert_int_equal(proto_items_decode(&f, "events", &out, &n, &last), PROTO_ETOPIC);
    assert_null(out);
    assert_int_equal(proto_items_decode(&f, "alerts", &out, &n, &last), PROTO_OK);
    assert_int_equal(n, 2);
    assert_int_equal(last, 50);
    assert_string_equal(out[0], "{\"v\":1,\"seq\":42}");
    assert_string_equal(out[1], "{\"v\":1,\"seq\":43,\"t\":\"حوثي\"}");
    for (size_t i = 0; i < n; i++)
        free(out[i]);
    free(out);
    proto_frames_clear(&f);

    /* Empty reply. */
    assert_int_equal(proto_items_encode("events", NULL, 0, 0, &f), PROTO_OK);
    assert_int_equal(proto_items_decode(&f, "events", &out, &n, &last), PROTO_OK);
    assert_int_equal(n, 0);
    assert_int_equal(last, 0);
    free(out);
    proto_frames_clear(&f);

    /* A corrupt item makes the reply fail rather than be invalid JSON. */
    const char *bad[] = { "{\"v\":1", NULL };
    assert_int_equal(proto_items_encode("events", bad, 1, 1, &f), PROTO_EJSON);
    assert_int_equal(f.n, 0);

    /* An error reply decodes as PROTO_ETOPIC. */
    assert_int_equal(proto_error_encode("limit must be 1..1000", &f), PROTO_OK);
    assert_memory_equal(f.data[0], "error", 5);
    json_t *j = json_loadb(f.data[1], f.len[1], 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "limit must be 1..1000");
    json_decref(j);
    assert_int_equal(proto_items_decode(&f, "events", &out, &n, &last), PROTO_ETOPIC);
    proto_frames_clear(&f);
}

static void
test_time_format(void **state)
{
    (void) state;
    char buf[32];
    proto_time_format(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    proto_time_format(1714557600, buf);
    assert_string_equal(buf, "2024-05-01T10:00:00Z");
    assert_string_equal(proto_strerror(PROTO_ESIZE), "frame or field too large");
}

/* ------------------------------------------------------- bad messages */

/* Every decoder behind one signature; OUT is a union big enough for all. */
typedef union {
    proto_raw_t raw;
    proto_article_t article;
    proto_stored_t stored;
    proto_ack_t ack;
    proto_alert_t alert;
    proto_since_t since;
} any_msg_t;

typedef struct {
    const char *name;
    int (*decode)(const proto_frames_t *, any_msg_t *);
    void (*clear)(any_msg_t *);
    size_t size;
} codec_t;

static int d_raw(const proto_frames_t *f, any_msg_t *m) { return proto_raw_decode(f, &m->raw); }
static int d_article(const proto_frames_t *f, any_msg_t *m) { return proto_article_decode(f, &m->article); }
static int d_stored(const proto_frames_t *f, any_msg_t *m) { return proto_stored_decode(f, &m->stored); }
static int d_ack(const proto_frames_t *f, any_msg_t *m) { return proto_ack_decode(f, &m->ack); }
static int d_alert(const proto_frames_t *f, any_msg_t *m) { return proto_alert_decode(f, &m->alert); }
static int d_since(const proto_frames_t *f, any_msg_t *m) { return proto_since_decode(f, &m->since); }
static void c_raw(any_msg_t *m) { proto_raw_clear(&m->raw); }
static void c_article(any_msg_t *m) { proto_article_clear(&m->article); }
static void c_stored(any_msg_t *m) { proto_stored_clear(&m->stored); }
static void c_ack(any_msg_t *m) { proto_ack_clear(&m->ack); }
static void c_alert(any_msg_t *m) { proto_alert_clear(&m->alert); }
static void c_since(any_msg_t *m) { memset(&m->since, 0, sizeof m->since); }

enum { K_RAW, K_ARTICLE, K_STORED, K_ACK, K_ALERT, K_SINCE, K_COUNT };
static const codec_t s_codecs[K_COUNT] = {
    { "raw", d_raw, c_raw, sizeof(proto_raw_t) },
    { "article", d_article, c_article, sizeof(proto_article_t) },
    { "stored", d_stored, c_stored, sizeof(proto_stored_t) },
    { "ack", d_ack, c_ack, sizeof(proto_ack_t) },
    { "alert", d_alert, c_alert, sizeof(proto_alert_t) },
    { "since", d_since, c_since, sizeof(proto_since_t) },
};

/* A valid encoded message of kind K. */
static void
s_valid(int k, proto_frames_t *f)
{
    proto_mention_t mentions[2];
    proto_claim_t claims[1];
    proto_match_t matches[2];
    int rc = -100;
    switch (k) {
    case K_RAW: {
        proto_raw_t r;
        s_sample_raw(&r);
        rc = proto_raw_encode(&r, f);
        break;
    }
    case K_ARTICLE: {
        proto_article_t a;
        s_sample_article(&a, mentions, claims);
        rc = proto_article_encode(&a, f);
        break;
    }
    case K_STORED: {
        proto_stored_t s = { .seq = 3, .story_id = "s1" };
        s_sample_article(&s.article, mentions, claims);
        rc = proto_stored_encode(&s, f);
        break;
    }
    case K_ACK: {
        proto_ack_t a = { .id = "abc" };
        rc = proto_ack_encode(&a, f);
        break;
    }
    case K_ALERT: {
        proto_alert_t a;
        s_sample_alert(&a, matches, claims);
        rc = proto_alert_encode(&a, f);
        break;
    }
    case K_SINCE: {
        proto_since_t s = { .since = 0, .limit = 10 };
        rc = proto_since_encode(&s, f);
        break;
    }
    }
    assert_int_equal(rc, PROTO_OK);
}

/* Decode F with codec K: expect WANT and, on failure, a cleared output
 * (the struct is filled with garbage first to prove the decoder clears). */
static void
s_expect(int k, const proto_frames_t *f, int want, const char *what)
{
    any_msg_t m;
    memset(&m, 0xAB, sizeof m);
    int rc = s_codecs[k].decode(f, &m);
    if (rc != want)
        fail_msg("%s / %s: got %d (%s), want %d (%s)", s_codecs[k].name, what, rc,
                 proto_strerror(rc), want, proto_strerror(want));
    if (rc != PROTO_OK) {
        static const unsigned char zero[sizeof(any_msg_t)];
        if (memcmp(&m, zero, s_codecs[k].size) != 0)
            fail_msg("%s / %s: output not cleared after failure", s_codecs[k].name, what);
    }
    s_codecs[k].clear(&m);
}

/* Replace frame 1 of F (a copy of a valid message) with TEXT. */
static void
s_set_json(proto_frames_t *f, const char *text, size_t len)
{
    free(f->data[1]);
    f->data[1] = malloc(len + 1);
    memcpy(f->data[1], text, len);
    ((char *) f->data[1])[len] = '\0';
    f->len[1] = len;
}

static void
s_set_obj(proto_frames_t *f, json_t *obj)
{
    char *text = json_dumps(obj, JSON_COMPACT);
    s_set_json(f, text, strlen(text));
    free(text);
}

/* Walk "a/b/0/c" to the parent object or array of the last component. */
static json_t *
s_walk(json_t *root, const char *path, char *last, size_t size)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = root;
    char *save = NULL;
    char *tok = strtok_r(buf, "/", &save);
    while (tok) {
        char *next = strtok_r(NULL, "/", &save);
        if (!next) {
            snprintf(last, size, "%s", tok);
            return cur;
        }
        cur = json_is_array(cur) ? json_array_get(cur, (size_t) atoi(tok))
                                 : json_object_get(cur, tok);
        assert_non_null(cur);
        tok = next;
    }
    return NULL;
}

typedef enum { OP_DEL, OP_INT, OP_STR, OP_NULL, OP_ARRAY } op_t;

/* Apply OP at PATH to a valid message of kind K and expect WANT. */
static void
s_mutate(int k, const char *path, op_t op, long long ival, const char *sval, int want)
{
    proto_frames_t f;
    s_valid(k, &f);
    json_t *root = json_loadb(f.data[1], f.len[1], 0, NULL);
    assert_non_null(root);
    char last[64];
    json_t *parent = s_walk(root, path, last, sizeof last);
    assert_non_null(parent);
    json_t *val = NULL;
    switch (op) {
    case OP_DEL:   break;
    case OP_INT:   val = json_integer(ival); break;
    case OP_STR:   val = json_string(sval); break;
    case OP_NULL:  val = json_null(); break;
    case OP_ARRAY: val = json_array(); break;
    }
    if (json_is_array(parent)) {
        size_t i = (size_t) atoi(last);
        if (val)
            json_array_set_new(parent, i, val);
        else
            json_array_remove(parent, i);
    } else if (val) {
        json_object_set_new(parent, last, val);
    } else {
        assert_int_equal(json_object_del(parent, last), 0);
    }
    s_set_obj(&f, root);
    json_decref(root);
    char what[160];
    snprintf(what, sizeof what, "%s op %d", path, (int) op);
    s_expect(k, &f, want, what);
    proto_frames_clear(&f);
}

/* The checks every decoder shares: frames, topic, JSON, version. */
static void
test_bad_envelope(void **state)
{
    (void) state;
    for (int k = 0; k < K_COUNT; k++) {
        proto_frames_t f;
        s_valid(k, &f);
        s_expect(k, &f, PROTO_OK, "valid");

        /* Wrong frame count: one too few, one too many (or raw with 2). */
        proto_frames_t g = f;
        g.n = f.n - 1;
        s_expect(k, &g, PROTO_EFRAMES, "too few frames");
        /* (an article may have a third frame, its index: tested in
         * test_article_roundtrip) */
        if (f.n < PROTO_MAX_FRAMES && k != K_ARTICLE) {
            g = f;
            g.n = f.n + 1;
            g.data[f.n] = "x";
            g.len[f.n] = 1;
            s_expect(k, &g, PROTO_EFRAMES, "too many frames");
        }
        g.n = 0;
        s_expect(k, &g, PROTO_EFRAMES, "no frames");

        /* Wrong topics. */
        g = f;
        g.data[0] = "ack";
        g.len[0] = 3;
        if (k != K_ACK)
            s_expect(k, &g, PROTO_ETOPIC, "topic ack");
        g.data[0] = k == K_ACK ? "raw" : "ack\0";
        g.len[0] = k == K_ACK ? 3 : 4;
        s_expect(k, &g, PROTO_ETOPIC, "other topic");
        g.data[0] = "";
        g.len[0] = 0;
        s_expect(k, &g, PROTO_ETOPIC, "empty topic");

        /* Frame 1 problems. */
        static const struct { const char *json; int want; const char *what; } bad[] = {
            { "{\"v\":1,", PROTO_EJSON, "truncated JSON" },
            { "not json", PROTO_EJSON, "not JSON" },
            { "", PROTO_EJSON, "empty frame" },
            { "[1,2,3]", PROTO_EJSON, "array" },
            { "\"v\"", PROTO_EJSON, "string" },
            { "{\"v\":1,\"id\":\"\xff\xfe\"}", PROTO_EJSON, "invalid UTF-8" },
            { "{\"v\":1,\"id\":\"\xc0\xaf\"}", PROTO_EJSON, "overlong UTF-8" },
            { "{\"v\":1,\"id\":\"a\\u0000b\"}", PROTO_EJSON, "NUL in string" },
            { "{\"id\":\"x\"}", PROTO_EFIELD, "no v" },
            { "{\"v\":2,\"id\":\"x\"}", PROTO_EVERSION, "v 2" },
            { "{\"v\":0}", PROTO_EVERSION, "v 0" },
            { "{\"v\":\"1\"}", PROTO_ETYPE, "v string" },
            { "{\"v\":1.0}", PROTO_ETYPE, "v real" },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            proto_frames_t h;
            s_valid(k, &h);
            s_set_json(&h, bad[i].json, strlen(bad[i].json));
            s_expect(k, &h, bad[i].want, bad[i].what);
            proto_frames_clear(&h);
        }

        /* Duplicate keys, in an otherwise valid message: repeat "v". */
        proto_frames_t h;
        s_valid(k, &h);
        size_t len = h.len[1] + 6;
        char *dup = malloc(len + 1);
        memcpy(dup, "{\"v\":1,", 7);
        memcpy(dup + 7, (char *) h.data[1] + 1, h.len[1] - 1);
        dup[len] = '\0';
        s_set_json(&h, dup, len);
        free(dup);
        s_expect(k, &h, PROTO_EJSON, "duplicate key");
        proto_frames_clear(&h);

        /* Frame 1 over its cap. */
        s_valid(k, &h);
        free(h.data[1]);
        h.len[1] = PROTO_MAX_JSON + 1;
        h.data[1] = malloc(h.len[1]);
        memset(h.data[1], ' ', h.len[1]);
        memcpy(h.data[1], "{\"v\":1}", 7);
        s_expect(k, &h, PROTO_ESIZE, "frame 1 over cap");
        proto_frames_clear(&h);

        proto_frames_clear(&f);
    }
}

static void
test_bad_raw(void **state)
{
    (void) state;
    static const char *const required[] = { "id", "source", "url", "fetched_at" };
    for (size_t i = 0; i < 4; i++) {
        s_mutate(K_RAW, required[i], OP_DEL, 0, NULL, PROTO_EFIELD);
        s_mutate(K_RAW, required[i], OP_NULL, 0, NULL, PROTO_EFIELD);
        s_mutate(K_RAW, required[i], OP_INT, 5, NULL, PROTO_ETYPE);
    }
    static const char *const optional[] = { "item_url", "content_type", "charset", "lang",
                                            "title", "published_at" };
    for (size_t i = 0; i < 6; i++) {
        s_mutate(K_RAW, optional[i], OP_DEL, 0, NULL, PROTO_OK);
        s_mutate(K_RAW, optional[i], OP_NULL, 0, NULL, PROTO_OK);
        s_mutate(K_RAW, optional[i], OP_ARRAY, 0, NULL, PROTO_ETYPE);
    }
    s_mutate(K_RAW, "from_feed", OP_STR, 0, "yes", PROTO_ETYPE);
    s_mutate(K_RAW, "from_feed", OP_DEL, 0, NULL, PROTO_OK);
    s_mutate(K_RAW, "unknown_future_field", OP_STR, 0, "x", PROTO_OK);

    /* An oversize body frame. */
    proto_frames_t f;
    s_valid(K_RAW, &f);
    free(f.data[2]);
    f.len[2] = PROTO_MAX_BODY + 1;
    f.data[2] = calloc(1, f.len[2]);
    s_expect(K_RAW, &f, PROTO_ESIZE, "body over cap");
    proto_frames_clear(&f);
}

static void
test_bad_article(void **state)
{
    (void) state;
    static const char *const required[] = { "id", "source", "url", "title", "text", "lang",
                                            "fetched_at", "content_hash", "mentions", "claims",
                                            "mentions/0/entity", "mentions/0/type",
                                            "mentions/0/surface", "mentions/0/start",
                                            "mentions/0/end", "claims/0/speaker", "claims/0/cue",
                                            "claims/0/stance", "claims/0/content",
                                            "claims/0/start", "claims/0/end" };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        s_mutate(K_ARTICLE, required[i], OP_DEL, 0, NULL, PROTO_EFIELD);
        s_mutate(K_ARTICLE, required[i], OP_NULL, 0, NULL, PROTO_EFIELD);
    }
    static const char *const strings[] = { "id", "source", "url", "title", "text", "lang",
                                           "fetched_at", "content_hash", "canonical_url",
                                           "author", "published_at", "mentions/0/surface",
                                           "claims/0/cue" };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        s_mutate(K_ARTICLE, strings[i], OP_INT, 1, NULL, PROTO_ETYPE);
    s_mutate(K_ARTICLE, "canonical_url", OP_NULL, 0, NULL, PROTO_OK);
    s_mutate(K_ARTICLE, "author", OP_DEL, 0, NULL, PROTO_OK);   /* optional */
    s_mutate(K_ARTICLE, "mentions/0/sentence", OP_DEL, 0, NULL, PROTO_OK);
    s_mutate(K_ARTICLE, "mentions/0/sentence", OP_STR, 0, "1", PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions/0/sentence", OP_INT, -2, NULL, PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions/0/confidence", OP_INT, 1, NULL, PROTO_OK);     /* in (0, 1] */
    s_mutate(K_ARTICLE, "mentions/0/confidence", OP_INT, 2, NULL, PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions/0/confidence", OP_INT, 0, NULL, PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions/0/confidence", OP_STR, 0, "0.5", PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions", OP_STR, 0, "[]", PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions/0", OP_STR, 0, "m", PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions/0/start", OP_INT, -1, NULL, PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions/0/start", OP_STR, 0, "1", PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions/0/start", OP_INT, 100000, NULL, PROTO_ETYPE); /* > end */
    s_mutate(K_ARTICLE, "mentions/0/end", OP_INT, 100000, NULL, PROTO_ETYPE);   /* > text */
    s_mutate(K_ARTICLE, "claims/0/end", OP_INT, -5, NULL, PROTO_ETYPE);
    s_mutate(K_ARTICLE, "claims/0/start", OP_INT, 1000, NULL, PROTO_ETYPE);
    s_mutate(K_ARTICLE, "claims/0/stance", OP_STR, 0, "claims", PROTO_ETYPE);
    s_mutate(K_ARTICLE, "claims/0/stance", OP_STR, 0, "hedges", PROTO_OK);
    s_mutate(K_ARTICLE, "mentions/0/type", OP_STR, 0, "robot", PROTO_ETYPE);
    s_mutate(K_ARTICLE, "mentions/1/type", OP_STR, 0, "weapon", PROTO_OK);
    s_mutate(K_ARTICLE, "extra", OP_ARRAY, 0, NULL, PROTO_OK);
}

static void
test_bad_stored_ack_since(void **state)
{
    (void) state;
    s_mutate(K_STORED, "seq", OP_DEL, 0, NULL, PROTO_EFIELD);
    s_mutate(K_STORED, "seq", OP_INT, 0, NULL, PROTO_ETYPE);
    s_mutate(K_STORED, "seq", OP_INT, -3, NULL, PROTO_ETYPE);
    s_mutate(K_STORED, "seq", OP_STR, 0, "3", PROTO_ETYPE);
    s_mutate(K_STORED, "story_id", OP_DEL, 0, NULL, PROTO_EFIELD);
    s_mutate(K_STORED, "duplicate", OP_DEL, 0, NULL, PROTO_EFIELD);
    s_mutate(K_STORED, "duplicate", OP_INT, 1, NULL, PROTO_ETYPE);
    s_mutate(K_STORED, "article", OP_DEL, 0, NULL, PROTO_EFIELD);
    s_mutate(K_STORED, "article", OP_STR, 0, "{}", PROTO_ETYPE);
    s_mutate(K_STORED, "article/text", OP_DEL, 0, NULL, PROTO_EFIELD);
    s_mutate(K_STORED, "article/mentions/1/end", OP_INT, -1, NULL, PROTO_ETYPE);

    s_mutate(K_ACK, "id", OP_DEL, 0, NULL, PROTO_EFIELD);
    s_mutate(K_ACK, "id", OP_INT, 7, NULL, PROTO_ETYPE);

    s_mutate(K_SINCE, "since", OP_DEL, 0, NULL, PROTO_EFIELD);
    s_mutate(K_SINCE, "since", OP_INT, -1, NULL, PROTO_ETYPE);
    s_mutate(K_SINCE, "limit", OP_INT, 0, NULL, PROTO_ETYPE);
    s_mutate(K_SINCE, "limit", OP_INT, 1001, NULL, PROTO_ETYPE);
    s_mutate(K_SINCE, "limit", OP_INT, 1000, NULL, PROTO_OK);
}

static void
test_bad_alert(void **state)
{
    (void) state;
    static const char *const required[] = {
        "schema", "seq", "watch", "severity", "kind", "story_id", "created_at", "article",
        "article/id", "article/url", "article/title", "article/source", "article/lang",
        "snippet", "matches", "claims", "matches/0/kind", "matches/0/term",
        "matches/0/surface", "matches/0/field", "matches/0/start", "matches/0/end" };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        s_mutate(K_ALERT, required[i], OP_DEL, 0, NULL, PROTO_EFIELD);
    s_mutate(K_ALERT, "schema", OP_STR, 0, "marsad.alert/2", PROTO_EVERSION);
    s_mutate(K_ALERT, "severity", OP_STR, 0, "urgent", PROTO_ETYPE);
    s_mutate(K_ALERT, "kind", OP_STR, 0, "old", PROTO_ETYPE);
    s_mutate(K_ALERT, "kind", OP_STR, 0, "update", PROTO_OK);
    s_mutate(K_ALERT, "seq", OP_INT, 0, NULL, PROTO_ETYPE);
    s_mutate(K_ALERT, "matches/0/field", OP_STR, 0, "body", PROTO_ETYPE);
    s_mutate(K_ALERT, "matches/0/start", OP_INT, -1, NULL, PROTO_ETYPE);
    s_mutate(K_ALERT, "matches/0/start", OP_INT, 60, NULL, PROTO_ETYPE);
    s_mutate(K_ALERT, "matches/0/entity", OP_DEL, 0, NULL, PROTO_OK);
    s_mutate(K_ALERT, "matches/0/sentence", OP_NULL, 0, NULL, PROTO_OK);
    s_mutate(K_ALERT, "matches", OP_ARRAY, 0, NULL, PROTO_ETYPE);   /* no match */
    s_mutate(K_ALERT, "claims", OP_ARRAY, 0, NULL, PROTO_OK);
    s_mutate(K_ALERT, "claims/0/stance", OP_STR, 0, "maybe", PROTO_ETYPE);
    s_mutate(K_ALERT, "article/published_at", OP_DEL, 0, NULL, PROTO_OK);
    /* The JSON watch must agree with the topic. */
    s_mutate(K_ALERT, "watch", OP_STR, 0, "other", PROTO_ETOPIC);

    proto_frames_t f;
    s_valid(K_ALERT, &f);
    f.len[0] = strlen("alert.");
    s_expect(K_ALERT, &f, PROTO_ETOPIC, "topic without watch");
    memcpy(f.data[0], "alert.bout houthis", strlen("alert.bout-houthis"));
    f.len[0] = strlen("alert.bout-houthis");
    s_expect(K_ALERT, &f, PROTO_ETOPIC, "topic with a space");
    proto_frames_clear(&f);

    /* from_json: same validation, a bad watch name is a type error. */
    proto_alert_t a;
    const char *bad = "{\"v\":1,\"schema\":\"marsad.alert/1\",\"seq\":1,\"watch\":\"a b\"}";
    assert_int_equal(proto_alert_from_json(bad, strlen(bad), &a), PROTO_ETYPE);
    assert_null(a.watch);
    assert_int_equal(proto_alert_from_json("[]", 2, &a), PROTO_EJSON);
}

static void
test_bad_sizes(void **state)
{
    (void) state;
    /* Any string field but text: 8 MiB at most. */
    size_t big = 8u * 1024 * 1024 + 1;
    char *s = malloc(big + 1);
    memset(s, 'a', big);
    s[big] = '\0';
    s_mutate(K_ARTICLE, "title", OP_STR, 0, s, PROTO_ESIZE);
    s_mutate(K_ARTICLE, "mentions/0/surface", OP_STR, 0, s, PROTO_ESIZE);
    s_mutate(K_RAW, "url", OP_STR, 0, s, PROTO_ESIZE);
    s_mutate(K_ALERT, "snippet", OP_STR, 0, s, PROTO_ESIZE);
    s_mutate(K_ACK, "id", OP_STR, 0, s, PROTO_ESIZE);
    /* ...but the text may be longer (its offsets are then out of range:
     * check the size rule alone with no mentions or claims). */
    proto_article_t a, out;
    proto_mention_t mentions[2];
    proto_claim_t claims[1];
    proto_frames_t f;
    s_sample_article(&a, mentions, claims);
    a.text = s;
    a.n_mentions = a.n_claims = 0;
    assert_int_equal(proto_article_encode(&a, &f), PROTO_OK);
    assert_int_equal(proto_article_decode(&f, &out), PROTO_OK);
    assert_int_equal(strlen(out.text), big);
    proto_article_clear(&out);
    proto_frames_clear(&f);
    free(s);

    /* More than 10000 mentions, claims or matches. */
    static const char *const arrays[][2] = {
        { "article", "mentions" }, { "article", "claims" }, { "alert", "matches" },
        { "alert", "claims" } };
    for (size_t i = 0; i < 4; i++) {
        int k = strcmp(arrays[i][0], "article") == 0 ? K_ARTICLE : K_ALERT;
        s_valid(k, &f);
        json_t *root = json_loadb(f.data[1], f.len[1], 0, NULL);
        json_t *arr = json_object_get(root, arrays[i][1]);
        json_t *first = json_array_get(arr, 0);
        while (json_array_size(arr) <= 10000)
            json_array_append(arr, first);
        s_set_obj(&f, root);
        json_decref(root);
        s_expect(k, &f, PROTO_ESIZE, arrays[i][1]);
        proto_frames_clear(&f);
    }
}

/* ------------------------------------------------------ socket I/O */

typedef struct {
    void *ctx, *a, *b;
} pair_t;

static void
s_pair(pair_t *p, const char *endpoint)
{
    p->ctx = zmq_ctx_new();
    p->a = zmq_socket(p->ctx, ZMQ_PAIR);
    p->b = zmq_socket(p->ctx, ZMQ_PAIR);
    int timeout = 5000;
    zmq_setsockopt(p->b, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    assert_int_equal(zmq_bind(p->a, endpoint), 0);
    assert_int_equal(zmq_connect(p->b, endpoint), 0);
}

static void
s_pair_close(pair_t *p)
{
    zmq_close(p->a);
    zmq_close(p->b);
    zmq_ctx_term(p->ctx);
}

static void
test_socket_roundtrip(void **state)
{
    (void) state;
    pair_t p;
    s_pair(&p, "inproc://proto-roundtrip");
    proto_frames_t f, g;
    proto_raw_t r, out;
    s_sample_raw(&r);
    assert_int_equal(proto_raw_encode(&r, &f), PROTO_OK);
    assert_int_equal(proto_send(p.a, &f, 0), 0);
    assert_int_equal(proto_recv(p.b, &g, 0), PROTO_OK);
    assert_int_equal(g.n, 3);
    assert_int_equal(proto_raw_decode(&g, &out), PROTO_OK);
    assert_int_equal(out.body_len, sizeof s_body);
    assert_memory_equal(out.body, s_body, sizeof s_body);
    assert_string_equal(out.title, r.title);
    proto_raw_clear(&out);
    proto_frames_clear(&f);
    proto_frames_clear(&g);

    /* Nothing waiting: -EAGAIN with ZMQ_DONTWAIT, output cleared. */
    assert_int_equal(proto_recv(p.b, &g, ZMQ_DONTWAIT), -EAGAIN);
    assert_int_equal(g.n, 0);
    /* Sending nothing is an error. */
    proto_frames_t empty = { 0 };
    assert_int_equal(proto_send(p.a, &empty, 0), -EINVAL);
    s_pair_close(&p);
}

static void
s_send_good_ack(void *sock, const char *id)
{
    proto_ack_t a = { .id = (char *) id };
    proto_frames_t f;
    assert_int_equal(proto_ack_encode(&a, &f), PROTO_OK);
    assert_int_equal(proto_send(sock, &f, 0), 0);
    proto_frames_clear(&f);
}

static void
s_recv_good_ack(void *sock, const char *id)
{
    proto_frames_t g;
    proto_ack_t a;
    assert_int_equal(proto_recv(sock, &g, 0), PROTO_OK);
    assert_int_equal(proto_ack_decode(&g, &a), PROTO_OK);
    assert_string_equal(a.id, id);
    proto_ack_clear(&a);
    proto_frames_clear(&g);
}

static void
test_socket_bad_then_good(void **state)
{
    (void) state;
    pair_t p;
    s_pair(&p, "inproc://proto-bad-then-good");
    proto_frames_t g;

    /* A 5-frame message, then a good one. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(zmq_send(p.a, "frame", 5, i < 4 ? ZMQ_SNDMORE : 0), 5);
    s_send_good_ack(p.a, "after-five");
    assert_int_equal(proto_recv(p.b, &g, 0), PROTO_EFRAMES);
    assert_int_equal(g.n, 0);
    assert_null(g.data[0]);
    s_recv_good_ack(p.b, "after-five");

    /* An oversize JSON frame (followed by a third frame), then a good one. */
    size_t big = PROTO_MAX_JSON + 1;
    char *buf = calloc(1, big);
    assert_int_equal(zmq_send(p.a, "article", 7, ZMQ_SNDMORE), 7);
    assert_int_equal(zmq_send(p.a, buf, big, ZMQ_SNDMORE), (int) big);
    assert_int_equal(zmq_send(p.a, "tail", 4, 0), 4);
    free(buf);
    s_send_good_ack(p.a, "after-oversize");
    assert_int_equal(proto_recv(p.b, &g, 0), PROTO_ESIZE);
    assert_int_equal(g.n, 0);
    s_recv_good_ack(p.b, "after-oversize");

    /* An oversize topic. */
    char topic[PROTO_MAX_TOPIC + 1];
    memset(topic, 't', sizeof topic);
    assert_int_equal(zmq_send(p.a, topic, sizeof topic, ZMQ_SNDMORE), (int) sizeof topic);
    assert_int_equal(zmq_send(p.a, "{}", 2, 0), 2);
    s_send_good_ack(p.a, "after-topic");
    assert_int_equal(proto_recv(p.b, &g, 0), PROTO_ESIZE);
    s_recv_good_ack(p.b, "after-topic");

    /* An empty single frame arrives as one empty frame and decodes as bad. */
    assert_int_equal(zmq_send(p.a, "", 0, 0), 0);
    assert_int_equal(proto_recv(p.b, &g, 0), PROTO_OK);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.len[0], 0);
    proto_ack_t a;
    assert_int_equal(proto_ack_decode(&g, &a), PROTO_EFRAMES);
    proto_frames_clear(&g);
    s_pair_close(&p);
}

/* ---------------------------------------------------------------- fuzz */

static uint64_t s_rng = 0x9E3779B97F4A7C15ULL;

static uint32_t
s_rand(void)
{
    s_rng = s_rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t) (s_rng >> 33);
}

static void
s_feed_all(const proto_frames_t *f)
{
    for (int k = 0; k < K_COUNT; k++) {
        any_msg_t m;
        int rc = s_codecs[k].decode(f, &m);
        (void) rc;
        s_codecs[k].clear(&m);
    }
    char **items;
    size_t n;
    int64_t last;
    if (proto_items_decode(f, "events", &items, &n, &last) == PROTO_OK) {
        for (size_t i = 0; i < n; i++)
            free(items[i]);
        free(items);
    }
    if (f->n >= 2) {
        proto_alert_t a;
        proto_stored_t s;
        if (proto_alert_from_json(f->data[1], f->len[1], &a) == PROTO_OK)
            proto_alert_clear(&a);
        if (proto_stored_from_json(f->data[1], f->len[1], &s) == PROTO_OK)
            proto_stored_clear(&s);
    }
}

static void
test_fuzz(void **state)
{
    (void) state;
    int decoded_ok = 0, total = 0;
    for (int k = 0; k < K_COUNT; k++) {
        proto_frames_t orig;
        s_valid(k, &orig);
        for (int iter = 0; iter < 1500; iter++) {
            proto_frames_t f = { .n = orig.n };
            for (size_t i = 0; i < orig.n; i++) {
                f.data[i] = malloc(orig.len[i] + 1);
                memcpy(f.data[i], orig.data[i], orig.len[i]);
                f.len[i] = orig.len[i];
            }
            unsigned char *j = f.data[1];
            switch (s_rand() % 5) {
            case 0:     /* a few bit flips */
            case 1: {
                int flips = 1 + (int) (s_rand() % 4);
                for (int b = 0; b < flips; b++)
                    j[s_rand() % f.len[1]] ^= (unsigned char) (1u << (s_rand() % 8));
                break;
            }
            case 2:     /* truncation */
                f.len[1] = s_rand() % f.len[1];
                break;
            case 3:     /* overwrite a byte with a JSON-significant one */
                j[s_rand() % f.len[1]] = (unsigned char) "{}[]\",:0-9e\\ntf"[s_rand() % 16];
                break;
            case 4:     /* drop or flip a frame / the topic */
                if (s_rand() % 2)
                    f.n = s_rand() % (orig.n + 1);
                else if (f.len[0])
                    ((unsigned char *) f.data[0])[s_rand() % f.len[0]] ^= 0x20;
                break;
            }
            if (s_rand() % 64 == 0)   /* sometimes both */
                j[s_rand() % orig.len[1]] = '"';
            any_msg_t m;
            if (s_codecs[k].decode(&f, &m) == PROTO_OK)
                decoded_ok++;
            s_codecs[k].clear(&m);
            s_feed_all(&f);
            total++;
            f.n = orig.n;
            proto_frames_clear(&f);
        }
        proto_frames_clear(&orig);
    }
    /* The mutations must not all be trivially fatal (some flips land in
     * string contents and still decode), nor all harmless. */
    assert_true(decoded_ok > 0);
    assert_true(decoded_ok < total);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_roundtrip),
        cmocka_unit_test(test_article_roundtrip),
        cmocka_unit_test(test_claim_detail_roundtrip),
        cmocka_unit_test(test_stored_roundtrip),
        cmocka_unit_test(test_stored_spliced),
        cmocka_unit_test(test_ack_roundtrip),
        cmocka_unit_test(test_alert_roundtrip),
        cmocka_unit_test(test_alert_claim_sources),
        cmocka_unit_test(test_since_items_error),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_bad_envelope),
        cmocka_unit_test(test_bad_raw),
        cmocka_unit_test(test_bad_article),
        cmocka_unit_test(test_bad_stored_ack_since),
        cmocka_unit_test(test_bad_alert),
        cmocka_unit_test(test_bad_sizes),
        cmocka_unit_test(test_socket_roundtrip),
        cmocka_unit_test(test_socket_bad_then_good),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
