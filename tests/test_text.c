/*
 * test_text.c — the text library: folding, segmentation with exact
 * offsets, clitic-aware forms and the phrase matcher (DESIGN §4,
 * ARABIC.md).  Long or byte-tricky inputs live in tests/data/text/, one
 * file per quirk; short cases are inline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "text.h"

/* ------------------------------------------------------------ helpers */

static char *
s_fixture(const char *name)
{
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/text/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Number of hits of PHRASE in TEXT; the surface of the first hit (if any)
 * copied into SURF (may be NULL). */
static size_t
s_count(const char *phrase, const char *text, char *surf, size_t surfcap)
{
    text_matcher_t *m = text_matcher_new();
    assert_non_null(m);
    assert_int_equal(text_matcher_add(m, phrase, 7), 0);
    text_doc_t *d = text_doc_new(text, strlen(text));
    assert_non_null(d);
    text_hit_t *hits = NULL;
    size_t n = text_matcher_scan(m, d, &hits);
    assert_true(n != (size_t)-1);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(hits[i].id, 7);
        assert_true(hits[i].start < hits[i].end && hits[i].end <= strlen(text));
    }
    if (surf) {
        surf[0] = '\0';
        if (n) {
            size_t l = hits[0].end - hits[0].start;
            assert_true(l < surfcap);
            memcpy(surf, text + hits[0].start, l);
            surf[l] = '\0';
        }
    }
    free(hits);
    text_doc_destroy(&d);
    text_matcher_destroy(&m);
    return n;
}

static bool
s_match(const char *phrase, const char *text)
{
    return s_count(phrase, text, NULL, 0) > 0;
}

static void
s_assert_fold(const char *in, const char *want)
{
    char *got = text_fold(in, strlen(in));
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* The original substring of token I. */
static void
s_token_text(const text_doc_t *d, size_t i, char *out, size_t cap)
{
    const text_token_t *t = text_doc_token(d, i);
    assert_non_null(t);
    size_t l = t->end - t->start;
    assert_true(l < cap);
    memcpy(out, text_doc_text(d) + t->start, l);
    out[l] = '\0';
}

/* ------------------------------------------------------------ folding */

static void
test_fold_harakat_alef(void **state)
{
    (void)state;
    s_assert_fold("أَحْمَد", "احمد");
    s_assert_fold("أحمد", "احمد");
    s_assert_fold("احمد", "احمد");
    s_assert_fold("إيران آمال ٱلله", "ايران امال الله");
    s_assert_fold("قرآنٰ", "قران");         /* dagger alef dropped */
}

static void
test_fold_tatweel_letters(void **state)
{
    (void)state;
    s_assert_fold("مـــادورو", "مادورو");
    s_assert_fold("ڤيكتور", "فيكتور");
    s_assert_fold("على", "علي");            /* alef maqsura */
    s_assert_fold("المدينة", "المدينه");    /* teh marbuta */
    s_assert_fold("ایران کابل", "ايران كابل"); /* Persian yeh, keheh */
}

static void
test_fold_hamza_seats_kept(void **state)
{
    (void)state;
    /* Decision: ؤ and ئ stay (folding them merges real words). */
    s_assert_fold("رئيس مسؤول", "رئيس مسؤول");
    assert_false(s_match("رييس", "رئيس"));
    assert_false(s_match("مسوول", "مسؤول"));
    /* A decomposed seat (yeh + combining hamza) composes under NFKC. */
    s_assert_fold("ري\xd9\x94يس", "رئيس");
}

static void
test_fold_digits_case(void **state)
{
    (void)state;
    s_assert_fold("٢٠٢٤ ۲۰۲۴ 2024", "2024 2024 2024");
    s_assert_fold("BOUT Bout Виктор БУТ", "bout bout виктор бут");
    s_assert_fold("ＡＢＣ", "abc");          /* fullwidth, via NFKC */
    assert_true(s_match("2024", "في ٢٠٢٤."));
    assert_true(s_match("2024", "في ۲۰۲۴."));
    assert_true(s_match("٢٠٢٤", "in 2024."));
    assert_false(s_match("2024", "في ٢٠٢٣."));
    /* Era letters glued to a year: م (AD), هـ (AH). */
    assert_true(s_match("2024", "في عام ٢٠٢٤م"));
    assert_true(s_match("1445", "عام 1445هـ"));
    assert_false(s_match("2024", "في عام ٢٠٢٤كم"));
}

static void
test_fold_quotes_dashes(void **state)
{
    (void)state;
    /* Inside a word an apostrophe of any kind is one character. */
    s_assert_fold("O’Brien O'Brien", "o'brien o'brien");
    s_assert_fold("AK‐74 AK–74 AK-74", "ak-74 ak-74 ak-74");
    /* Punctuation is not a word; only words appear in the fold. */
    s_assert_fold("«بوت» “بوت” \"بوت\" — ‹بوت›", "بوت بوت بوت بوت");
    s_assert_fold("وقال لباوت، إن!", "وقال لباوت ان");
}

static void
test_presentation_forms(void **state)
{
    (void)state;
    char *text = s_fixture("presentation_forms.txt");
    text_doc_t *d = text_doc_new(text, strlen(text));
    assert_non_null(d);
    /* قالت الحوثي إن لا اتفاق، ولاخرون الله */
    assert_int_equal(text_doc_ntokens(d), 7);
    assert_string_equal(text_doc_token(d, 1)->key, "الحوثي");
    assert_string_equal(text_doc_token(d, 3)->key, "لا");        /* U+FEFB */
    assert_string_equal(text_doc_token(d, 5)->key, "ولاخرون");   /* U+FEF5 */
    assert_string_equal(text_doc_token(d, 6)->key, "الله");      /* U+FDF2 */
    char buf[64];
    s_token_text(d, 1, buf, sizeof buf);
    assert_string_equal(buf, "\xef\xba\x8d\xef\xbb\x9f\xef\xba\xa4\xef\xbb\xae\xef\xba\x9b\xef\xbb\xb2");
    s_token_text(d, 3, buf, sizeof buf);
    assert_string_equal(buf, "\xef\xbb\xbb");
    text_doc_destroy(&d);

    char surf[64];
    assert_int_equal(s_count("الحوثي", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "\xef\xba\x8d\xef\xbb\x9f\xef\xba\xa4\xef\xbb\xae\xef\xba\x9b\xef\xbb\xb2");
    assert_true(s_match("لا اتفاق", text));
    free(text);
}

static void
test_invisible_marks(void **state)
{
    (void)state;
    char *text = s_fixture("invisible_marks.txt");
    text_doc_t *d = text_doc_new(text, strlen(text));
    assert_non_null(d);
    /* قال فيكتور بو‏ت ‎إن الحو‌ثيين ؜وصلوا‏. ﻿Bo‍ut said. */
    assert_int_equal(text_doc_ntokens(d), 8);
    char buf[64];
    s_token_text(d, 2, buf, sizeof buf);
    assert_string_equal(buf, "بو\u200Fت");              /* RLM kept inside */
    assert_string_equal(text_doc_token(d, 2)->key, "بوت");
    s_token_text(d, 3, buf, sizeof buf);
    assert_string_equal(buf, "إن");                      /* leading LRM not in span */
    s_token_text(d, 4, buf, sizeof buf);
    assert_string_equal(buf, "الحو\u200Cثيين");
    s_token_text(d, 5, buf, sizeof buf);
    assert_string_equal(buf, "وصلوا");                  /* ALM before, RLM after: trimmed */
    s_token_text(d, 6, buf, sizeof buf);
    assert_string_equal(buf, "Bo\u200Dut");
    assert_string_equal(text_doc_token(d, 6)->key, "bout");
    text_doc_destroy(&d);

    char surf[64];
    assert_int_equal(s_count("فيكتور بوت", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "فيكتور بو\u200Fت");
    assert_int_equal(s_count("الحوثي", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "الحو\u200Cثيين");
    assert_true(s_match("Bout", text));
    free(text);
}

static void
test_harakat_tatweel_offsets(void **state)
{
    (void)state;
    char *text = s_fixture("harakat_tatweel.txt");
    char surf[64];
    assert_int_equal(s_count("احمد", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "أَحْمَدَ");
    assert_int_equal(s_count("أحمد", text, surf, sizeof surf), 1);
    assert_int_equal(s_count("مادورو", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "مـــادورو");
    assert_int_equal(s_count("الرئيس مادورو", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "الرَّئِيسُ مـــادورو");
    assert_int_equal(s_count("كاراكاس", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "كـاراكاس");
    free(text);
}

/* Every token of every fixture: the span is non-empty, has no edge
 * whitespace, and folding the original span alone gives the token's key. */
static void
test_offsets_roundtrip_all_fixtures(void **state)
{
    (void)state;
    const char *names[] = { "presentation_forms.txt", "invisible_marks.txt",
        "harakat_tatweel.txt", "mixed_quotes.txt", "bout_traps_ar.txt",
        "clitics_paragraph_ar.txt", "english_possessive.txt", "cyrillic.txt" };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char *text = s_fixture(names[k]);
        text_doc_t *d = text_doc_new(text, strlen(text));
        assert_non_null(d);
        assert_true(text_doc_ntokens(d) > 0);
        size_t prev_end = 0, prev_sent = 0;
        for (size_t i = 0; i < text_doc_ntokens(d); i++) {
            const text_token_t *t = text_doc_token(d, i);
            assert_true(t->start < t->end && t->end <= strlen(text));
            assert_true(t->start >= prev_end);
            assert_true(t->sentence >= prev_sent && t->sentence < text_doc_nsentences(d));
            text_span_t sp = text_doc_sentence(d, t->sentence);
            assert_true(sp.start <= t->start && t->end <= sp.end);
            assert_true(t->is_word);
            assert_true(t->n_forms >= 1 && t->n_forms <= TEXT_MAX_FORMS);
            assert_ptr_equal(t->forms[0], t->key);
            assert_false(text[t->start] == ' ' || text[t->end - 1] == ' ');
            char *f = text_fold(text + t->start, t->end - t->start);
            assert_non_null(f);
            assert_string_equal(f, t->key);
            free(f);
            prev_end = t->end;
            prev_sent = t->sentence;
        }
        assert_string_equal(text_doc_text(d), text);
        assert_int_equal(text_doc_len(d), strlen(text));
        text_doc_destroy(&d);
        free(text);
    }
}

static void
test_invalid_utf8(void **state)
{
    (void)state;
    const char text[] = "\xff\xfe" "بوت \xc3 x\xe2\x82 \xed\xa0\x80" "Bout";
    text_doc_t *d = text_doc_new(text, sizeof text - 1);
    assert_non_null(d);
    assert_int_equal(text_doc_ntokens(d), 3);
    const text_token_t *t = text_doc_token(d, 0);
    assert_int_equal(t->start, 2);
    assert_int_equal(t->end, 8);
    assert_string_equal(text_doc_token(d, 1)->key, "x");
    t = text_doc_token(d, 2);
    assert_int_equal(t->end, sizeof text - 1);
    assert_string_equal(t->key, "bout");
    text_doc_destroy(&d);

    d = text_doc_new("", 0);
    assert_non_null(d);
    assert_int_equal(text_doc_ntokens(d), 0);
    assert_int_equal(text_doc_nsentences(d), 0);
    assert_null(text_doc_token(d, 0));
    text_doc_destroy(&d);
    text_doc_destroy(&d);          /* NULL is accepted */
    text_doc_destroy(NULL);
}

/* ------------------------------------------------------------ segmentation */

static void
test_hyphenated_codes(void **state)
{
    (void)state;
    const char *text = "AK-74 S-300 Su-30 Buk-M2 F-16 Iran-backed 2010-2020 إف-16";
    text_doc_t *d = text_doc_new(text, strlen(text));
    assert_non_null(d);
    const char *want[] = { "ak-74", "s-300", "su-30", "buk-m2", "f-16", "iran", "backed",
                           "2010", "2020", "اف-16" };
    assert_int_equal(text_doc_ntokens(d), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(text_doc_token(d, i)->key, want[i]);
    char buf[32];
    s_token_text(d, 3, buf, sizeof buf);
    assert_string_equal(buf, "Buk-M2");
    text_doc_destroy(&d);

    assert_true(s_match("AK-74", "بنادق AK-74 جديدة"));
    assert_false(s_match("AK-74", "بنادق AK-47 جديدة"));
    assert_false(s_match("AK-47", "بنادق AK-74 جديدة"));
    assert_false(s_match("AK", "بنادق AK-74 جديدة"));
    assert_false(s_match("74", "بنادق AK-74 جديدة"));
    assert_true(s_match("S-300", "منظومة S–300 الروسية"));   /* en dash */
    assert_true(s_match("F-16", "طائرات F-16s"));
    assert_true(s_match("Iran", "Iran-backed Houthis"));
}

/* the rule verbatim: ١٠ = 10 (and the Persian form too) */
static void
test_digits_ten(void **state)
{
    (void)state;
    s_assert_fold("١٠", "10");
    s_assert_fold("۱۰", "10");
    assert_true(s_match("10", "قتل ١٠ أشخاص"));
    assert_true(s_match("١٠", "10 people were killed"));
    assert_false(s_match("10", "قتل ١٠٠ شخص"));    /* 100 is not 10 */
}

/* words come from ICU's word break iterator, not from spaces: punctuation
 * glued to words (Arabic comma, quotes, brackets) separates them, while a
 * decimal number, an apostrophe inside a word and an e-mail-like dot do not */
static void
test_word_segmentation(void **state)
{
    (void)state;
    const char *text = "الحوثي،بوت(روسيا)«صفقة» 3.5 don't";
    text_doc_t *d = text_doc_new(text, strlen(text));
    assert_non_null(d);
    static const char *const want[] = {"الحوثي", "بوت", "روسيا", "صفقة", "3.5", "don't"};
    assert_int_equal(text_doc_ntokens(d), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < text_doc_ntokens(d); i++) {
        const text_token_t *t = text_doc_token(d, i);
        assert_int_equal(t->end - t->start, strlen(want[i]));
        assert_memory_equal(text + t->start, want[i], t->end - t->start);
    }
    text_doc_destroy(&d);
}

static void
test_sentences(void **state)
{
    (void)state;
    const char *text = "قال بوت إن الصفقة تمت. هل وصلت الشحنة؟ نعم! The deal is done.  ";
    text_doc_t *d = text_doc_new(text, strlen(text));
    assert_non_null(d);
    assert_int_equal(text_doc_nsentences(d), 4);
    text_span_t s1 = text_doc_sentence(d, 1);
    assert_int_equal(s1.end - s1.start, strlen("هل وصلت الشحنة؟"));
    assert_memory_equal(text + s1.start, "هل وصلت الشحنة؟", s1.end - s1.start);
    text_span_t s3 = text_doc_sentence(d, 3);
    assert_memory_equal(text + s3.start, "The deal is done.", s3.end - s3.start);
    size_t want_sent[] = { 0, 0, 0, 0, 0, 1, 1, 1, 2, 3, 3, 3, 3 };
    assert_int_equal(text_doc_ntokens(d), sizeof want_sent / sizeof want_sent[0]);
    for (size_t i = 0; i < text_doc_ntokens(d); i++)
        assert_int_equal(text_doc_token(d, i)->sentence, want_sent[i]);
    text_span_t none = text_doc_sentence(d, 99);
    assert_int_equal(none.start, 0);
    assert_int_equal(none.end, 0);
    text_doc_destroy(&d);
}

/* text_doc_words: the same tokens, offsets and forms as text_doc_new,
 * without sentences. */
static void
test_doc_words_same_tokens(void **state)
{
    (void)state;
    const char *text = "قال بوت إن الصفقة تمت للحوثيين. هل وصلت الشحنة؟ نعم! The AK-74 deal, "
                       "U.S. officials said, is done.  وأكد المسؤولون ذلك.";
    text_doc_t *a = text_doc_new(text, strlen(text));
    text_doc_t *b = text_doc_words(text, strlen(text));
    assert_non_null(a);
    assert_non_null(b);
    assert_true(text_doc_nsentences(a) >= 4);
    assert_int_equal(text_doc_nsentences(b), 0);
    assert_true(text_doc_ntokens(a) > 20);
    assert_int_equal(text_doc_ntokens(b), text_doc_ntokens(a));
    for (size_t i = 0; i < text_doc_ntokens(a); i++) {
        const text_token_t *x = text_doc_token(a, i), *y = text_doc_token(b, i);
        assert_int_equal(y->start, x->start);
        assert_int_equal(y->end, x->end);
        assert_int_equal(y->sentence, 0);
        assert_int_equal(y->n_forms, x->n_forms);
        for (size_t f = 0; f < x->n_forms; f++)
            assert_string_equal(y->forms[f], x->forms[f]);
    }
    text_doc_destroy(&a);
    text_doc_destroy(&b);
}

/* ------------------------------------------------------------ forms */

static void
test_forms_clitics(void **state)
{
    (void)state;
    text_doc_t *d = text_doc_new("وللحوثيين", strlen("وللحوثيين"));
    assert_non_null(d);
    const text_token_t *t = text_doc_token(d, 0);
    bool has = false;
    for (size_t i = 0; i < t->n_forms; i++) {
        for (size_t j = i + 1; j < t->n_forms; j++)
            assert_string_not_equal(t->forms[i], t->forms[j]);
        if (strcmp(t->forms[i], "حوثي") == 0)
            has = true;
    }
    assert_true(has);
    text_doc_destroy(&d);

    /* A single-letter proclitic is never stripped to leave one letter. */
    d = text_doc_new("بي", strlen("بي"));
    assert_int_equal(text_doc_token(d, 0)->n_forms, 1);
    text_doc_destroy(&d);
}

static void
test_term_key(void **state)
{
    (void)state;
    struct { const char *in, *want; } cases[] = {
        { "الحوثي", "حوثي" }, { "الحوثيون", "حوثي" }, { "الحوثية", "حوثي" },
        { "بوت", "بوت" }, { "وبوت", "وبوت" }, { "«بوت»", "بوت" },
        { "الم", "الم" }, { "Houthi's", "houthi's" }, { "أَحْمَد", "احمد" },
        { "فيه", "فيه" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *k = text_term_key(cases[i].in, strlen(cases[i].in));
        assert_non_null(k);
        assert_string_equal(k, cases[i].want);
        free(k);
    }
    assert_null(text_term_key("", 0));
    assert_null(text_term_key("«»", strlen("«»")));
    assert_null(text_term_key("\u064E\u0640", strlen("\u064E\u0640")));
}

/* ------------------------------------------------------------ must pass */

static void
test_houthi_forms(void **state)
{
    (void)state;
    const char *texts[] = { "الحوثيون", "الحوثيين", "للحوثيين", "والحوثي", "بالحوثي",
                            "الحوثية", "الحوثي", "حوثي", "وبالحوثيين" };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char surf[64];
        assert_int_equal(s_count("الحوثي", texts[i], surf, sizeof surf), 1);
        assert_string_equal(surf, texts[i]);
    }
    assert_false(s_match("الحوثي", "الحوثان"));
    assert_false(s_match("الحوثي", "حوث"));
}

static void
test_houthi_in_phrase(void **state)
{
    (void)state;
    char surf[96];
    const char *text = "هاجم مقاتلون تابعون لميليشيا الحوثي السفينة";
    assert_int_equal(s_count("ميليشيا الحوثي", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "لميليشيا الحوثي");
    assert_int_equal(s_count("الحوثي", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "الحوثي");
    /* Consecutive words only. */
    assert_false(s_match("ميليشيا الحوثي", "ميليشيا تابعة للحوثي"));
}

static void
test_bout_clitics_quotes(void **state)
{
    (void)state;
    const char *texts[] = { "وبوت", "لبوت", "«بوت»", "\"بوت\"", "“بوت”", "فبوت", "بوت" };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_true(s_match("بوت", texts[i]));

    char *text = s_fixture("mixed_quotes.txt");
    text_matcher_t *m = text_matcher_new();
    assert_int_equal(text_matcher_add(m, "بوت", 1), 0);
    text_doc_t *d = text_doc_new(text, strlen(text));
    text_hit_t *hits;
    size_t n = text_matcher_scan(m, d, &hits);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(hits[i].end - hits[i].start, strlen("بوت"));
        assert_memory_equal(text + hits[i].start, "بوت", strlen("بوت"));
        if (i)
            assert_true(hits[i].first > hits[i - 1].first);
    }
    free(hits);
    text_doc_destroy(&d);
    text_matcher_destroy(&m);
    free(text);
}

static void
test_bout_traps(void **state)
{
    (void)state;
    assert_false(s_match("بوت", "بوتين"));
    assert_false(s_match("بوت", "روبوت"));
    assert_false(s_match("بوت", "بوتان"));
    assert_false(s_match("بوت", "وبوتين"));
    assert_false(s_match("بوت", "البوتان"));
    assert_false(s_match("فيكتور بوت", "فيكتور يانوكوفيتش"));
    char *text = s_fixture("bout_traps_ar.txt");
    assert_int_equal(s_count("بوت", text, NULL, 0), 0);
    assert_int_equal(s_count("فيكتور بوت", text, NULL, 0), 0);
    /* Positive controls in the same text. */
    assert_int_equal(s_count("بوتين", text, NULL, 0), 1);
    assert_int_equal(s_count("فيكتور يانوكوفيتش", text, NULL, 0), 1);
    assert_int_equal(s_count("بوتان", text, NULL, 0), 2);
    free(text);
}

static void
test_latin_cyrillic(void **state)
{
    (void)state;
    assert_true(s_match("Houthi", "the Houthis said"));
    assert_true(s_match("Houthi", "the Houthi's spokesman"));
    assert_true(s_match("Houthi", "the Houthi’s spokesman"));
    assert_true(s_match("Bout", "VIKTOR BOUT"));
    assert_true(s_match("BOUT", "Bout"));
    assert_false(s_match("Bout", "Bouton"));
    assert_false(s_match("Houthi", "Houthism"));
    assert_true(s_match("Виктор Бут", "и виктор бут сказал"));
    char *text = s_fixture("cyrillic.txt");
    char surf[64];
    assert_int_equal(s_count("Виктор Бут", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "Виктор Бут");
    free(text);
    text = s_fixture("english_possessive.txt");
    assert_int_equal(s_count("Houthi", text, NULL, 0), 2);
    assert_int_equal(s_count("merchant of death", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "Merchant of Death");
    assert_int_equal(s_count("Putin", text, surf, sizeof surf), 1);
    assert_string_equal(surf, "Putin's");
    free(text);
}

static void
test_prefix_terms(void **state)
{
    (void)state;
    char surf[64];
    assert_int_equal(s_count("حوث*", "قال الحوثيين", surf, sizeof surf), 1);
    assert_string_equal(surf, "الحوثيين");
    assert_true(s_match("Houth*", "the Houthis"));
    assert_true(s_match("houth*", "HOUTHI"));
    assert_true(s_match("الحوث*", "للحوثيين"));
    assert_false(s_match("حوث*", "حوار"));
    assert_false(s_match("Houth*", "Hout"));
    assert_false(s_match("Houth*", "the house"));
    assert_true(s_match("جماعة الحو*", "أعلنت جماعة الحوثيين"));
    assert_false(s_match("جماعة الحو*", "أعلنت جماعة أخرى"));
    /* A '*' that is not glued to the last word is not a wildcard. */
    assert_false(s_match("Houth *", "the Houthis"));
    /* Several prefixes of one token all fire, each once. */
    text_matcher_t *m = text_matcher_new();
    assert_int_equal(text_matcher_add(m, "ح*", 1), 0);
    assert_int_equal(text_matcher_add(m, "حوث*", 2), 0);
    assert_int_equal(text_matcher_add(m, "حوثيين*", 3), 0);
    assert_int_equal(text_matcher_add(m, "حوثيينات*", 4), 0);
    text_doc_t *d = text_doc_new("للحوثيين", strlen("للحوثيين"));
    text_hit_t *hits;
    size_t n = text_matcher_scan(m, d, &hits);
    assert_int_equal(n, 3);
    int seen = 0;
    for (size_t i = 0; i < n; i++)
        seen |= 1 << hits[i].id;
    assert_int_equal(seen, (1 << 1) | (1 << 2) | (1 << 3));
    free(hits);
    text_doc_destroy(&d);
    text_matcher_destroy(&m);
}

/* ------------------------------------------------------------ matcher */

static void
test_phrase_gaps(void **state)
{
    (void)state;
    assert_false(s_match("Putin Bout", "Putin, Bout"));
    assert_false(s_match("فيكتور بوت", "التقى فيكتور. بوت قال"));
    assert_true(s_match("صحيفة وول ستريت جورنال", "نقلت صحيفة \"وول ستريت جورنال\" عن"));
    assert_true(s_match("صحيفة وول ستريت جورنال", "نقلت صحيفة «وول ستريت جورنال» عن"));
    assert_true(s_match("Viktor Bout", "Viktor\u00A0\t Bout"));
    /* A line break is a paragraph end for ICU's sentence rules (extracted
     * article text puts one paragraph per line), so no phrase spans it. */
    assert_false(s_match("Viktor Bout", "Viktor\nBout"));
}

static void
test_matcher_ids_and_dedupe(void **state)
{
    (void)state;
    text_matcher_t *m = text_matcher_new();
    assert_non_null(m);
    assert_int_equal(text_matcher_add(m, "Viktor Bout", 1), 0);
    assert_int_equal(text_matcher_add(m, "Bout", 1), 0);
    assert_int_equal(text_matcher_add(m, "Houthis", 2), 0);
    assert_int_equal(text_matcher_add(m, "Houthi", 2), 0);   /* same span, same id */
    assert_int_equal(text_matcher_add(m, "Bout", 3), 0);     /* same word, other id */
    assert_int_equal(text_matcher_add(m, "   ", 4), -1);
    assert_int_equal(text_matcher_add(m, "«» ،", 4), -1);
    assert_int_equal(text_matcher_add(NULL, "x", 4), -1);
    const char *text = "Viktor Bout met the Houthis.";
    text_doc_t *d = text_doc_new(text, strlen(text));
    text_hit_t *hits;
    size_t n = text_matcher_scan(m, d, &hits);
    /* (1, Viktor Bout) (1, Bout) (3, Bout) (2, Houthis) */
    assert_int_equal(n, 4);
    assert_int_equal(hits[0].id, 1);
    assert_int_equal(hits[0].first, 0);
    assert_int_equal(hits[0].last, 1);
    assert_int_equal(hits[0].start, 0);
    assert_int_equal(hits[0].end, strlen("Viktor Bout"));
    assert_int_equal(hits[1].first, 1);
    assert_int_equal(hits[2].first, 1);
    assert_true((hits[1].id == 1 && hits[2].id == 3) || (hits[1].id == 3 && hits[2].id == 1));
    assert_int_equal(hits[3].id, 2);
    assert_int_equal(hits[3].first, 4);
    free(hits);

    /* No hits: count 0. */
    text_doc_t *d2 = text_doc_new("nothing here", 12);
    n = text_matcher_scan(m, d2, &hits);
    assert_int_equal(n, 0);
    free(hits);
    text_doc_destroy(&d2);
    text_doc_destroy(&d);
    text_matcher_destroy(&m);
    text_matcher_destroy(&m);
}

/* Thousands of phrases: the right ones still hit, and only those. */
static void
test_matcher_many_phrases(void **state)
{
    (void)state;
    text_matcher_t *m = text_matcher_new();
    char buf[64];
    for (int i = 0; i < 20000; i++) {
        snprintf(buf, sizeof buf, "name%d word%d", i, i % 7);
        assert_int_equal(text_matcher_add(m, buf, i), 0);
        snprintf(buf, sizeof buf, "pre%dx*", i);
        assert_int_equal(text_matcher_add(m, buf, 100000 + i), 0);
    }
    assert_int_equal(text_matcher_add(m, "الحوثي", 999999), 0);
    const char *text = "name123 word4 and name124 word0 and pre77xyz with للحوثيين";
    text_doc_t *d = text_doc_new(text, strlen(text));
    text_hit_t *hits;
    size_t n = text_matcher_scan(m, d, &hits);
    assert_int_equal(n, 3);
    assert_int_equal(hits[0].id, 123);      /* 123 % 7 == 4 */
    assert_int_equal(hits[1].id, 100077);   /* name124 word5 does not match word0 */
    assert_int_equal(hits[2].id, 999999);
    free(hits);
    text_doc_destroy(&d);
    text_matcher_destroy(&m);
}

/* The filters in front of the tables: a word first a pair's first word
 * and later a phrase of its own (and the reverse) is found as both, by
 * phrases added before and after the filters grew; clitics on the first
 * word, the sentence and gap rules and بوت / بوتين hold with thousands of
 * pairs under frequent first words. */
static void
test_matcher_filters(void **state)
{
    (void)state;
    text_matcher_t *m = text_matcher_new();
    char buf[96];
    assert_int_equal(text_matcher_add(m, "رئيس الحكومة", 1), 0);
    assert_int_equal(text_matcher_add(m, "وزير", 2), 0);
    for (int i = 0; i < 12000; i++) {
        snprintf(buf, sizeof buf, "%s zq%d", i % 2 ? "رئيس" : "وزير", i);
        assert_int_equal(text_matcher_add(m, buf, 1000 + i), 0);
        snprintf(buf, sizeof buf, "first%d second%d", i, i);
        assert_int_equal(text_matcher_add(m, buf, 100000 + i), 0);
    }
    assert_int_equal(text_matcher_add(m, "رئيس", 3), 0);
    assert_int_equal(text_matcher_add(m, "وزير الخارجية", 4), 0);
    assert_int_equal(text_matcher_add(m, "فيكتور بوت", 5), 0);
    const char *text = "قال لرئيس الحكومة ووزير الخارجية إن first7 second7 وfirst8. second8 "
                       "first9, second9 فيكتور بوتين zq1 رئيس zq3";
    text_doc_t *d = text_doc_new(text, strlen(text));
    text_hit_t *hits;
    size_t n = text_matcher_scan(m, d, &hits);
    int want[][2] = { { 3, 1 }, { 1, 1 }, { 2, 3 }, { 4, 3 }, { 100007, 6 }, { 3, 15 },
                      { 1003, 15 } };
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(hits[i].id, want[i][0]);
        assert_int_equal(hits[i].first, (size_t)want[i][1]);
    }
    free(hits);
    text_doc_destroy(&d);
    text_matcher_destroy(&m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_harakat_alef),
        cmocka_unit_test(test_fold_tatweel_letters),
        cmocka_unit_test(test_fold_hamza_seats_kept),
        cmocka_unit_test(test_fold_digits_case),
        cmocka_unit_test(test_fold_quotes_dashes),
        cmocka_unit_test(test_presentation_forms),
        cmocka_unit_test(test_invisible_marks),
        cmocka_unit_test(test_harakat_tatweel_offsets),
        cmocka_unit_test(test_offsets_roundtrip_all_fixtures),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_hyphenated_codes),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_doc_words_same_tokens),
        cmocka_unit_test(test_digits_ten),
        cmocka_unit_test(test_word_segmentation),
        cmocka_unit_test(test_forms_clitics),
        cmocka_unit_test(test_term_key),
        cmocka_unit_test(test_houthi_forms),
        cmocka_unit_test(test_houthi_in_phrase),
        cmocka_unit_test(test_bout_clitics_quotes),
        cmocka_unit_test(test_bout_traps),
        cmocka_unit_test(test_latin_cyrillic),
        cmocka_unit_test(test_prefix_terms),
        cmocka_unit_test(test_phrase_gaps),
        cmocka_unit_test(test_matcher_ids_and_dedupe),
        cmocka_unit_test(test_matcher_many_phrases),
        cmocka_unit_test(test_matcher_filters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
