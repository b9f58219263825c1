/*
 * test_claims.c — claim extraction (extractor/claim_extract.h): one
 * sentence written for each rule, in Arabic and English; speaker
 * resolution against a small catalog; declining to comment; the demo
 * pages' claims and denials end to end through article_extract; and a
 * sample of the labeled set (the full figures come from `claims-eval`).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "article_extract.h"
#include "claim_extract.h"
#include "claim_score.h"
#include "config.h"
#include "entity_catalog.h"

/* ------------------------------------------------------------ helpers */

typedef struct {
    text_doc_t *doc;
    proto_mention_t *m;
    size_t nm;
    claim_set_t cs;
    const char *text;
} s_run_t;

static entity_catalog_t *s_cat;

static void
s_check_offsets(const s_run_t *r)
{
    size_t len = strlen(r->text);
    for (size_t i = 0; i < r->cs.n_claims; i++) {
        const proto_claim_t *c = &r->cs.claims[i];
        assert_true(c->start <= c->end && (size_t) c->end <= len);
        assert_int_equal(strlen(c->content), (size_t) (c->end - c->start));
        assert_memory_equal(c->content, r->text + c->start, (size_t) (c->end - c->start));
        assert_true(c->cue_start < c->cue_end && (size_t) c->cue_end <= len);
        assert_memory_equal(c->cue, r->text + c->cue_start, (size_t) (c->cue_end - c->cue_start));
        assert_true(c->speaker_start <= c->speaker_end && (size_t) c->speaker_end <= len);
        assert_non_null(c->sentence);
    }
}

static void
s_run(s_run_t *r, const char *text, bool with_catalog)
{
    memset(r, 0, sizeof *r);
    r->text = text;
    r->doc = text_doc_new(text, strlen(text));
    assert_non_null(r->doc);
    if (with_catalog) {
        r->nm = entity_catalog_scan(s_cat, r->doc, &r->m);
        assert_int_not_equal(r->nm, (size_t) -1);
    }
    assert_int_equal(claim_extract(r->doc, r->m, r->nm, &r->cs), 0);
    s_check_offsets(r);
}

static void
s_done(s_run_t *r)
{
    claim_set_clear(&r->cs);
    proto_article_t a;
    memset(&a, 0, sizeof a);
    a.mentions = r->m;
    a.n_mentions = r->nm;
    proto_article_clear(&a);
    text_doc_destroy(&r->doc);
}

/* The speaker as written (its span), to compare with what a test expects. */
static char *
s_speaker_text(const s_run_t *r, size_t i)
{
    const proto_claim_t *c = &r->cs.claims[i];
    return strndup(r->text + c->speaker_start, (size_t) (c->speaker_end - c->speaker_start));
}

/* Expect exactly one claim with these fields (NULL: not checked). */
static void
s_expect1(const char *text, const char *speaker, const char *cue, const char *stance,
          const char *content)
{
    s_run_t r;
    s_run(&r, text, false);
    if (r.cs.n_claims != 1)
        fail_msg("%zu claims in: %s", r.cs.n_claims, text);
    const proto_claim_t *c = &r.cs.claims[0];
    char *sp = s_speaker_text(&r, 0);
    if (speaker)
        assert_string_equal(sp, speaker);
    if (cue)
        assert_string_equal(c->cue, cue);
    if (stance)
        assert_string_equal(c->stance, stance);
    if (content)
        assert_string_equal(c->content, content);
    free(sp);
    s_done(&r);
}

static void
s_expect_none(const char *text)
{
    s_run_t r;
    s_run(&r, text, false);
    if (r.cs.n_claims != 0)
        fail_msg("unexpected claim [%s] in: %s", r.cs.claims[0].cue, text);
    s_done(&r);
}

/* ------------------------------------------------------------ Arabic */

static void
test_ar_verb_first(void **state)
{
    (void) state;
    s_expect1("قال مسؤول أمني أوروبي إن الشحنة غادرت الميناء ليلا.",
              "مسؤول أمني أوروبي", "قال", "asserts", "الشحنة غادرت الميناء ليلا");
    /* the conjunction is not part of the cue */
    s_expect1("وأكدت وزارة الدفاع أن الطائرة هبطت في مطار صنعاء.",
              "وزارة الدفاع", "أكدت", "asserts", "الطائرة هبطت في مطار صنعاء");
}

static void
test_ar_inflections(void **state)
{
    (void) state;
    static const char *const cases[][3] = {
        { "وقالت الشركة إن السفينة وصلت فجرا.", "قالت", "asserts" },
        { "ويقول المحققون إن الأموال حولت عبر دبي.", "يقول", "asserts" },
        { "وتقول الوزارة إن الطائرة لم تقلع.", "تقول", "asserts" },
        { "ويؤكد الجيش أن القارب كان يحمل أسلحة.", "يؤكد", "asserts" },
        { "ونفت الشركة أن تكون قد باعت أسلحة.", "نفت", "denies" },
        { "وتنفي الحكومة أن تكون تسلمت أي شحنة.", "تنفي", "denies" },
        { "وأفاد شهود بأن الانفجار وقع قرب الميناء.", "أفاد", "asserts" },
        { "وذكر التقرير أن الوسيط سافر إلى موسكو.", "ذكر", "asserts" },
        { "وأوضحت المصادر أن الصفقة لم تكتمل.", "أوضحت", "asserts" },
        { "وأشار المحلل إلى أن العقوبات لم تمنع التهريب.", "أشار", "asserts" },
        { "وكشفت الوثائق أن الدفع تم نقدا.", "كشفت", "asserts" },
        { "وأضاف المسؤول أن التحقيق مستمر.", "أضاف", "asserts" },
        { "واعتبر الخبراء أن الصفقة تهدد الهدنة.", "اعتبر", "asserts" },
        { "وزعم الوسيط أنه لم يلتق أحدا.", "زعم", "asserts" },
        { "وحذرت الأمم المتحدة من أن التهريب يتزايد.", "حذرت", "asserts" },
        { "واتهمت الحكومة الشركة بتزوير الشهادات.", "اتهمت", "asserts" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        s_expect1(cases[i][0], NULL, cases[i][1], cases[i][2], NULL);
}

static void
test_ar_time_between_verb_and_speaker(void **state)
{
    (void) state;
    s_expect1("قال الكرملين، اليوم الاثنين، إن موسكو لا تعلم شيئا عن الصفقة.",
              "الكرملين", "قال", "asserts", "موسكو لا تعلم شيئا عن الصفقة");
    s_expect1("وقالت اليوم وزارة الخارجية إن السفير استدعي.",
              "وزارة الخارجية", "قالت", "asserts", "السفير استدعي");
    /* a recipient after the speaker is not part of it */
    s_expect1("وقال المتحدث العسكري لوكالة فرانس برس إن الطائرة كانت تحمل أدوية.",
              "المتحدث العسكري", "قال", "asserts", "الطائرة كانت تحمل أدوية");
}

static void
test_ar_subject_first(void **state)
{
    (void) state;
    s_expect1("الجيش الأمريكي قال إن سفينة حربية اعترضت القارب.",
              "الجيش الأمريكي", "قال", "asserts", "سفينة حربية اعترضت القارب");
    s_expect1("الكرملين ينفي أن يكون على علم بالصفقة.",
              "الكرملين", "ينفي", "denies", "يكون على علم بالصفقة");
}

static void
test_ar_transmit_chain(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "ونقلت الصحيفة عن مسؤول أمني، طلب عدم الكشف عن هويته، قوله إن المحادثات "
              "شملت بنادق هجومية.", false);
    assert_int_equal(r.cs.n_claims, 1);
    char *sp = s_speaker_text(&r, 0);
    assert_string_equal(sp, "مسؤول أمني");
    free(sp);
    assert_string_equal(r.cs.claims[0].cue, "نقلت");
    assert_int_equal(r.cs.claims[0].n_chain, 1);
    assert_string_equal(r.cs.claims[0].chain[0], "الصحيفة");
    assert_string_equal(r.cs.claims[0].content, "المحادثات شملت بنادق هجومية");
    s_done(&r);
    /* نقل as a noun (transport) is no cue */
    s_expect_none("وتم نقل الأسلحة بالشاحنات إلى الميناء.");
}

static void
test_ar_according(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "ووفقًا لوزارة الخارجية، فإن السفينة كانت تحمل مساعدات.", false);
    assert_int_equal(r.cs.n_claims, 1);
    /* the glued ل of وفقا لـ is dropped from the description */
    assert_string_equal(r.cs.claims[0].speaker, "وزارة الخارجية");
    assert_string_equal(r.cs.claims[0].content, "فإن السفينة كانت تحمل مساعدات");
    s_done(&r);
    s_run(&r, "وفقا للصحيفة، التقى الوسيط ممثلي الجماعة.", false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_string_equal(r.cs.claims[0].speaker, "الصحيفة");
    s_done(&r);
    s_expect1("وبحسب التقرير، فإن قيمة الصفقة عشرة ملايين دولار.",
              "التقرير", "بحسب", "asserts", "فإن قيمة الصفقة عشرة ملايين دولار");
    s_expect1("وتبلغ قيمة الصفقة عشرة ملايين دولار، حسب الصحيفة.",
              "الصحيفة", "حسب", "asserts", "وتبلغ قيمة الصفقة عشرة ملايين دولار");
    s_expect1("وأرسلت الشحنة عبر جيبوتي، وفق مصادر ملاحية.",
              "مصادر ملاحية", "وفق", "asserts", "وأرسلت الشحنة عبر جيبوتي");
}

static void
test_ar_quotes(void **state)
{
    (void) state;
    s_expect1("وقالت وزارة الخارجية: «لن نسمح باستخدام أجوائنا».",
              "وزارة الخارجية", "قالت", "asserts", "لن نسمح باستخدام أجوائنا");
    s_expect1("«لم نبع أي سلاح للحوثيين»، قال المدير التنفيذي للشركة.",
              "المدير التنفيذي للشركة", "قال", "asserts", "لم نبع أي سلاح للحوثيين");
    /* mixed marks: opened with « and closed with " */
    s_expect1("وقال المتحدث: «الشحنة لم تصل بعد\".",
              "المتحدث", "قال", "asserts", "الشحنة لم تصل بعد");
    s_expect1("وقال الوزير إن “التحقيق ما زال في بدايته”.",
              "الوزير", "قال", "asserts", "التحقيق ما زال في بدايته");
}

static void
test_ar_denials(void **state)
{
    (void) state;
    s_expect1("ونفى الكرملين هذه التقارير.", "الكرملين", "نفى", "denies", "هذه التقارير");
    s_expect1("وقال المتحدث باسمه إن \"لا أساس لها من الصحة\".",
              "المتحدث باسمه", "قال", "denies", "لا أساس لها من الصحة");
    s_expect1("ووصف المتحدث باسم الجماعة التقارير بأنها \"مفبركة\".",
              "المتحدث باسم الجماعة", "وصف", "denies", NULL);
    s_expect1("وقالت الشركة إن الوثائق المتداولة مزيفة.", "الشركة", "قالت", "denies", NULL);
    s_expect1("واعتبر المتحدث أن الخبر عار عن الصحة.", "المتحدث", "اعتبر", "denies", NULL);
    /* وصف as a noun, without بأن, is no cue */
    s_expect_none("وجاء وصف الحادث في بيان الشرطة.");
}

static void
test_ar_hedges(void **state)
{
    (void) state;
    s_expect1("واعتبر محللون أن الصفقة قد تغير موازين القوى.", "محللون", "اعتبر", "hedges", NULL);
    s_expect1("وقال دبلوماسي إنه يبدو أن الشحنة نقلت عبر جيبوتي.", "دبلوماسي", "قال", "hedges", NULL);
    s_expect1("وقال المسؤول إن الشحنة ربما وصلت إلى الحديدة.", "المسؤول", "قال", "hedges", NULL);
    /* قد + past after كان is "had", not "may" */
    s_expect1("وقال المسؤول إن الوسيط كان قد توسط في صفقة سابقة.", "المسؤول", "قال", "asserts",
              NULL);
    /* negated confirmation is neither assertion nor denial */
    s_expect1("ولم تؤكد السفارة عقد الاجتماع.", "السفارة", "تؤكد", "hedges", "عقد الاجتماع");
    s_expect1("ولم ينف المتحدث وجود اتصالات.", "المتحدث", "ينف", "hedges", NULL);
}

static void
test_ar_declines(void **state)
{
    (void) state;
    static const char *const cases[][2] = {
        { "ورفض محامي بوت التعليق.", "محامي بوت" },
        { "ولم يرد المتحدث باسم الشركة على طلب للتعليق.", "المتحدث باسم الشركة" },
        { "وامتنعت الوزارة عن التعليق على التقرير.", "الوزارة" },
        { "ولم يستجب الجيش لطلب التعليق.", "الجيش" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s_run_t r;
        s_run(&r, cases[i][0], false);
        /* not a claim, and in particular not a denial */
        assert_int_equal(r.cs.n_claims, 0);
        assert_int_equal(r.cs.n_declines, 1);
        const claim_decline_t *d = &r.cs.declines[0];
        assert_string_equal(d->speaker, cases[i][1]);
        assert_true(d->cue_start < d->cue_end);
        s_done(&r);
    }
}

static void
test_ar_two_claims_one_sentence(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "ونفى الكرملين هذه التقارير، وقال المتحدث باسمه إن \"لا أساس لها من الصحة\".",
          false);
    assert_int_equal(r.cs.n_claims, 2);
    assert_string_equal(r.cs.claims[0].cue, "نفى");
    assert_string_equal(r.cs.claims[0].content, "هذه التقارير");
    assert_string_equal(r.cs.claims[1].cue, "قال");
    assert_string_equal(r.cs.claims[1].stance, "denies");
    s_done(&r);
}

/* ------------------------------------------------------------ English */

static void
test_en_orders(void **state)
{
    (void) state;
    s_expect1("A European security official said the shipment left Bandar Abbas in October.",
              "A European security official", "said", "asserts",
              "the shipment left Bandar Abbas in October");
    s_expect1("The rifles were loaded in Minsk, the official said.",
              "the official", "said", "asserts", "The rifles were loaded in Minsk");
    s_expect1("The investigation is continuing, said the spokeswoman.",
              "the spokeswoman", "said", "asserts", "The investigation is continuing");
    s_expect1("\"The ship carried only aid,\" said Ahmed Saleh, a port official.",
              "Ahmed Saleh", "said", "asserts", "The ship carried only aid");
    s_expect1("Dmitry Peskov, the Kremlin spokesman, said that Moscow knew nothing.",
              "Dmitry Peskov", "said", "asserts", "Moscow knew nothing");
    s_expect1("Officials say the cargo left on Tuesday.", "Officials", "say", "asserts",
              "the cargo left on Tuesday");
}

static void
test_en_setting_phrase(void **state)
{
    (void) state;
    s_expect1("The ministry said in a statement on Friday that no aircraft had landed.",
              "The ministry", "said", "asserts", "no aircraft had landed");
    s_expect1("The coast guard confirmed on Monday that a vessel had been boarded.",
              "The coast guard", "confirmed", "asserts", "a vessel had been boarded");
    s_expect1("The minister said: \"We will not allow smuggling.\"",
              "The minister", "said", "asserts", "We will not allow smuggling");
}

static void
test_en_chain(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "The broker met envoys in Moscow, the Wall Street Journal reported on Thursday, "
              "citing people familiar with the matter.", false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_string_equal(r.cs.claims[0].speaker, "people familiar with the matter");
    assert_string_equal(r.cs.claims[0].cue, "reported");
    assert_int_equal(r.cs.claims[0].n_chain, 1);
    assert_string_equal(r.cs.claims[0].chain[0], "the Wall Street Journal");
    assert_string_equal(r.cs.claims[0].content, "The broker met envoys in Moscow");
    s_done(&r);

    s_run(&r, "A senior official told Reuters that the talks had stalled.", false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_string_equal(r.cs.claims[0].cue, "told");
    assert_int_equal(r.cs.claims[0].n_chain, 1);
    assert_string_equal(r.cs.claims[0].chain[0], "Reuters");
    assert_string_equal(r.cs.claims[0].content, "the talks had stalled");
    s_done(&r);

    /* "told reporters": a recipient, not a relay */
    s_run(&r, "The general told reporters that the border was closed.", false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_int_equal(r.cs.claims[0].n_chain, 0);
    s_done(&r);
}

static void
test_en_according(void **state)
{
    (void) state;
    s_expect1("According to the UN panel, 40 containers were diverted.",
              "the UN panel", "According to", "asserts", "40 containers were diverted");
    s_expect1("Forty containers were diverted, according to the UN panel.",
              "the UN panel", "according to", "asserts", "Forty containers were diverted");
}

static void
test_en_denials(void **state)
{
    (void) state;
    s_expect1("The Kremlin denied the report.", "The Kremlin", "denied", "denies", "the report");
    s_expect1("The Houthis denied receiving weapons from Russia.", "The Houthis", "denied",
              "denies", "receiving weapons from Russia");
    s_expect1("\"These claims are baseless,\" a Kremlin spokesman said.",
              "a Kremlin spokesman", "said", "denies", "These claims are baseless");
    s_expect1("The group's spokesman dismissed the allegations as a fabrication.",
              "The group's spokesman", "dismissed", "denies", NULL);
    s_expect1("The ministry called the report \"a hoax\".", "The ministry", "called", "denies",
              NULL);
    s_expect1("The documents are fake, the company's lawyer said.", "the company's lawyer",
              "said", "denies", "The documents are fake");
    s_expect1("The airline rejected the accusations.", "The airline", "rejected", "denies", NULL);
    /* "called for" is no claim */
    s_expect_none("The council called for an inquiry.");
}

static void
test_en_hedges(void **state)
{
    (void) state;
    s_expect1("Officials say the cargo may have included missiles.", "Officials", "say",
              "hedges", NULL);
    s_expect1("The militia reportedly received rifles, a diplomat said.", "a diplomat", "said",
              "hedges", NULL);
    s_expect1("The shipment appears to have gone through Djibouti, two officials said.",
              "two officials", "said", "hedges", NULL);
    s_expect1("The minister allegedly said the ships were armed.", "The minister", "said",
              "hedges", NULL);
    /* May the month is no hedge */
    s_expect1("The panel said the rifles were seized in May.", "The panel", "said", "asserts",
              NULL);
    s_expect1("The embassy did not confirm the meeting.", "The embassy", "confirm", "hedges",
              "the meeting");
}

static void
test_en_declines(void **state)
{
    (void) state;
    static const char *const cases[][2] = {
        { "Bout's lawyer declined to comment.", "Bout's lawyer" },
        { "The ministry did not respond to a request for comment.", "The ministry" },
        { "A spokesman for the firm could not be reached for comment.",
          "A spokesman for the firm" },
        { "The embassy refused to comment on the report.", "The embassy" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s_run_t r;
        s_run(&r, cases[i][0], false);
        assert_int_equal(r.cs.n_claims, 0);
        assert_int_equal(r.cs.n_declines, 1);
        assert_string_equal(r.cs.declines[0].speaker, cases[i][1]);
        s_done(&r);
    }
}

static void
test_en_not_cues(void **state)
{
    (void) state;
    s_expect_none("The claims were investigated by the panel.");
    s_expect_none("Media reports about the deal spread quickly.");
    s_expect_none("The deal was reported to the committee.");
    s_expect_none("Bout was freed in 2022 in a prisoner swap.");
}

static void
test_headline_colon(void **state)
{
    (void) state;
    s_expect1("Report: arms broker sought rifles for Yemen's rebels", "Report", ":", "asserts",
              "arms broker sought rifles for Yemen's rebels");
    s_expect1("تقرير: تاجر الأسلحة يتوسط في صفقة للحوثيين", "تقرير", ":", "asserts",
              "تاجر الأسلحة يتوسط في صفقة للحوثيين");
}

static void
test_pronoun_speaker(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "The minister said the ship was searched. He added that nothing was found.", false);
    assert_int_equal(r.cs.n_claims, 2);
    assert_string_equal(r.cs.claims[1].speaker, "The minister");
    assert_string_equal(r.cs.claims[1].content, "nothing was found");
    s_done(&r);
    s_run(&r, "وقال المسؤول إن الشحنة وصلت. وأضاف: «التحقيق مستمر».", false);
    assert_int_equal(r.cs.n_claims, 2);
    assert_string_equal(r.cs.claims[1].speaker, "المسؤول");
    assert_string_equal(r.cs.claims[1].content, "التحقيق مستمر");
    s_done(&r);
}

/* ------------------------------------------------------------ generalization (set 5) */

static void
test_en_abbreviations(void **state)
{
    (void) state;
    /* ICU ends a sentence at "U.S." before a capital; the phrase goes on */
    s_expect1("The U.S. Treasury said it had frozen the broker's accounts.",
              "The U.S. Treasury", "said", "asserts", "it had frozen the broker's accounts");
    s_expect1("The navy accused the U.N. Mission of ignoring the cargo.",
              "The navy", "accused", "asserts", "the U.N. Mission of ignoring the cargo");
}

static void
test_quote_across_sentences(void **state)
{
    (void) state;
    s_expect1("\"The plane never landed. We checked every log,\" an airport official said.",
              "an airport official", "said", "asserts",
              "The plane never landed. We checked every log");
    s_expect1("وقال مدير الميناء: «لم ترس السفينة هنا. راجعنا كل السجلات».",
              "مدير الميناء", "قال", "asserts", "لم ترس السفينة هنا. راجعنا كل السجلات");
}

static void
test_en_setting_any_words(void **state)
{
    (void) state;
    s_expect1("The navy said in a post on Telegram late on Friday that two boats were seized.",
              "The navy", "said", "asserts", "two boats were seized");
    s_expect1("Two boats were seized off Aden, the navy said in a briefing for diplomats.",
              "the navy", "said", "asserts", "Two boats were seized off Aden");
}

static void
test_en_apposition_and_recipient(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "Yemen's deputy interior minister, Khaled Nasser, told the state broadcaster "
              "that the port was closed.", false);
    assert_int_equal(r.cs.n_claims, 1);
    char *sp = s_speaker_text(&r, 0);
    assert_string_equal(sp, "Khaled Nasser");
    free(sp);
    assert_int_equal(r.cs.claims[0].n_chain, 1);
    assert_string_equal(r.cs.claims[0].chain[0], "the state broadcaster");
    assert_string_equal(r.cs.claims[0].content, "the port was closed");
    s_done(&r);
}

static void
test_en_citing_first(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "Citing two Gulf diplomats, the agency said the talks had failed.", false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_string_equal(r.cs.claims[0].speaker, "two Gulf diplomats");
    assert_int_equal(r.cs.claims[0].n_chain, 1);
    assert_string_equal(r.cs.claims[0].chain[0], "the agency");
    assert_string_equal(r.cs.claims[0].content, "the talks had failed");
    s_done(&r);
}

static void
test_en_called_show(void **state)
{
    (void) state;
    s_expect1("The embassy called the charges \"a political show\".", "The embassy", "called",
              "asserts", NULL);
    s_expect1("Shipping records show that the tanker docked in Tartus.", "Shipping records",
              "show", "asserts", "the tanker docked in Tartus");
    s_expect_none("The guards show no mercy.");
}

static void
test_en_passive_quoted(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "The talks will resume next week, an aide was quoted as saying by the state "
              "news agency.", false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_string_equal(r.cs.claims[0].speaker, "an aide");
    assert_string_equal(r.cs.claims[0].content, "The talks will resume next week");
    assert_int_equal(r.cs.claims[0].n_chain, 1);
    assert_string_equal(r.cs.claims[0].chain[0], "the state news agency");
    s_done(&r);
    s_run(&r, "An aide was quoted by Interfax as saying that the talks would resume.", false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_string_equal(r.cs.claims[0].speaker, "An aide");
    assert_string_equal(r.cs.claims[0].chain[0], "Interfax");
    assert_string_equal(r.cs.claims[0].content, "the talks would resume");
    s_done(&r);
}

static void
test_ar_content_ends_at_participle(void **state)
{
    (void) state;
    /* "، مضيفة أن" is ", adding that": the content ends at the comma */
    s_expect1("وقالت الوزارة إن السفينة غادرت الميناء، مضيفة أنها لم تحمل أسلحة.",
              "الوزارة", "قالت", "asserts", "السفينة غادرت الميناء");
    /* عدم ذكر: a cue after عدم is a noun */
    s_expect1("وأكد مصدر، طلب عدم ذكر اسمه، أن الشحنة وصلت.", "مصدر", "أكد", "asserts",
              "الشحنة وصلت");
}

static void
test_ar_object_before_coordinated_cue(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "ونفت الشركة الاتهامات واعتبرتها «ادعاءات مفبركة».", false);
    assert_int_equal(r.cs.n_claims, 2);
    char *sp = s_speaker_text(&r, 0);
    assert_string_equal(sp, "الشركة");
    free(sp);
    assert_string_equal(r.cs.claims[0].content, "الاتهامات");
    assert_string_equal(r.cs.claims[1].cue, "اعتبرتها");
    assert_string_equal(r.cs.claims[1].speaker, "الشركة");
    assert_string_equal(r.cs.claims[1].stance, "denies");
    s_done(&r);
}

static void
test_ar_quoted_names_in_phrases(void **state)
{
    (void) state;
    s_expect1("ووفقا لبيانات جمعتها منظمة «مراقبة الشحن» المستقلة، فإن السفينة توقفت في بورتسودان.",
              "لبيانات جمعتها منظمة «مراقبة الشحن» المستقلة", "وفقا", "asserts",
              "فإن السفينة توقفت في بورتسودان");
    s_expect1("وكشفت رسائل اطلعت عليها «الشرق الأوسط» أن الوسيط زار صنعاء.",
              "رسائل اطلعت عليها «الشرق الأوسط»", "كشفت", "asserts", "الوسيط زار صنعاء");
    s_run_t r;
    s_run(&r, "ونقلت وكالة الأنباء السورية «سانا» عن مصدر عسكري قوله إن الدفاعات الجوية "
              "تصدت للهجوم.", false);
    assert_int_equal(r.cs.n_claims, 1);
    char *sp = s_speaker_text(&r, 0);
    assert_string_equal(sp, "مصدر عسكري");
    free(sp);
    assert_int_equal(r.cs.claims[0].n_chain, 1);
    assert_string_equal(r.cs.claims[0].chain[0], "وكالة الأنباء السورية «سانا»");
    s_done(&r);
}

static void
test_ar_name_after_role(void **state)
{
    (void) state;
    /* an adjective agrees in definiteness, so the name is not one; with an
     * object to come, the object starts at the definite word */
    s_expect1("واتهم المتحدث باسم الجيش خالد ناصر الحكومة بتسليح الميليشيات.",
              "المتحدث باسم الجيش خالد ناصر", "اتهم", "asserts", "الحكومة بتسليح الميليشيات");
    s_expect1("وقال المبعوث الأممي كارل يوهانسون في إحاطة لمجلس الأمن إن الهدنة صامدة.",
              "المبعوث الأممي كارل يوهانسون", "قال", "asserts", "الهدنة صامدة");
    s_expect1("«لم نتلق أي شحنة»، قال المتحدث باسم الميناء سالم العمري للصحفيين في عدن.",
              "المتحدث باسم الميناء سالم العمري", "قال", "asserts", "لم نتلق أي شحنة");
    /* between commas after a role, the name alone */
    s_expect1("وأوضح محامي الدفاع، ديفيد كولينز، أن موكله سيستأنف الحكم.",
              "ديفيد كولينز", "أوضح", "asserts", "موكله سيستأنف الحكم");
}

static void
test_ar_affiliation(void **state)
{
    (void) state;
    s_expect1("ونفى مصدر في وزارة الخارجية وجود أي اتصالات مع الوسيط.",
              "مصدر في وزارة الخارجية", "نفى", "denies", "وجود أي اتصالات مع الوسيط");
    s_expect1("ورفضت السفارة الإيرانية في لندن هذه الاتهامات.",
              "السفارة الإيرانية في لندن", "رفضت", "denies", "هذه الاتهامات");
    s_expect1("وقال ضابط في الميناء: «لم ترس السفينة هنا».",
              "ضابط في الميناء", "قال", "asserts", "لم ترس السفينة هنا");
}

static void
test_ar_naqlan_an(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "وقالت قناة «العربية»، نقلا عن مصادر دبلوماسية، إن المحادثات توقفت.", false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_string_equal(r.cs.claims[0].cue, "قالت");
    assert_string_equal(r.cs.claims[0].speaker, "مصادر دبلوماسية");
    assert_int_equal(r.cs.claims[0].n_chain, 1);
    assert_string_equal(r.cs.claims[0].chain[0], "قناة «العربية»");
    assert_string_equal(r.cs.claims[0].content, "المحادثات توقفت");
    s_done(&r);
}

static void
test_declines_calls_and_pairs(void **state)
{
    (void) state;
    static const char *const cases[][2] = {
        { "ولم يرد مدير الشركة على اتصالات متكررة من الصحيفة.", "مدير الشركة" },
        { "ولم ترد السفارة ولا القنصلية على طلبات التعليق.", "السفارة ولا القنصلية" },
        { "The broker's lawyer did not return calls on Friday.", "The broker's lawyer" },
        { "Neither the port nor the airline responded to requests for comment.",
          "Neither the port nor the airline" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s_run_t r;
        s_run(&r, cases[i][0], false);
        assert_int_equal(r.cs.n_claims, 0);
        assert_int_equal(r.cs.n_declines, 1);
        assert_string_equal(r.cs.declines[0].speaker, cases[i][1]);
        s_done(&r);
    }
    /* contacts that were not denied are no decline */
    s_run_t r;
    s_run(&r, "ولم ينف المسؤول وجود اتصالات مع الوسيط.", false);
    assert_int_equal(r.cs.n_declines, 0);
    assert_int_equal(r.cs.n_claims, 1);
    s_done(&r);
}

static void
test_smear_denies(void **state)
{
    (void) state;
    s_expect1("وقال الوسيط إن التقرير «حملة تشويه».", "الوسيط", "قال", "denies", NULL);
    s_expect1("\"It is a smear,\" the broker said.", "the broker", "said", "denies", NULL);
}

/* ------------------------------------------------------------ catalog */

static void
test_speaker_resolution(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "\"These claims are baseless,\" a Kremlin spokesman said. Bout's lawyer said the "
              "Houthis never paid him.", true);
    assert_int_equal(r.cs.n_claims, 2);
    assert_string_equal(r.cs.claims[0].speaker, "kremlin");
    assert_string_equal(r.cs.claims[0].speaker_entity, "kremlin");
    /* a lawyer is not his client */
    assert_null(r.cs.claims[1].speaker_entity);
    assert_string_equal(r.cs.claims[1].speaker, "Bout's lawyer");
    assert_int_equal(r.cs.claims[1].n_entities, 1);
    assert_string_equal(r.cs.claims[1].entities[0], "houthis");
    s_done(&r);

    s_run(&r, "وقال المتحدث باسم الكرملين إن فيكتور بوت لم يزر موسكو. وقال محامي بوت إن "
              "موكله بريء.", true);
    assert_int_equal(r.cs.n_claims, 2);
    assert_string_equal(r.cs.claims[0].speaker, "kremlin");
    assert_int_equal(r.cs.claims[0].n_entities, 1);
    assert_string_equal(r.cs.claims[0].entities[0], "bout");
    assert_null(r.cs.claims[1].speaker_entity);
    s_done(&r);

    /* المتحدث باسمه: the spokesman of the one who spoke just before */
    s_run(&r, "ونفى الكرملين هذه التقارير، وقال المتحدث باسمه إن \"لا أساس لها من الصحة\".",
          true);
    assert_int_equal(r.cs.n_claims, 2);
    assert_string_equal(r.cs.claims[1].speaker, "kremlin");
    s_done(&r);
}

/* ------------------------------------------------------------ demo pages */

static void
s_demo(const char *name, proto_article_t *a)
{
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/deploy/demo/articles/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        skip();
    static char body[65536];
    size_t n = fread(body, 1, sizeof body, f);
    fclose(f);
    proto_raw_t raw;
    memset(&raw, 0, sizeof raw);
    raw.id = "demo";
    raw.source = "demo";
    raw.url = "http://example.test/demo";
    raw.fetched_at = "2026-11-20T10:00:00Z";
    raw.body = body;
    raw.body_len = n;
    char *err = NULL;
    assert_int_equal(article_extract(&raw, s_cat, a, &err), 0);
}

static const proto_claim_t *
s_find(const proto_article_t *a, const char *cue, const char *speaker)
{
    for (size_t i = 0; i < a->n_claims; i++)
        if (!strcmp(a->claims[i].cue, cue) && !strcmp(a->claims[i].speaker, speaker))
            return &a->claims[i];
    fail_msg("no claim %s by %s", cue, speaker);
    return NULL;
}

static void
test_demo_pages(void **state)
{
    (void) state;
    proto_article_t a;
    s_demo("bout-houthis-en.html", &a);
    const proto_claim_t *c = s_find(&a, "reported", "people familiar with the matter");
    assert_int_equal(c->n_chain, 1);
    assert_string_equal(c->chain[0], "the Wall Street Journal");
    assert_string_equal(c->stance, "asserts");
    assert_non_null(strstr(c->content, "brokered talks to sell small arms"));
    c = s_find(&a, "told", "a European security official");
    assert_string_equal(c->chain[0], "the newspaper");
    c = s_find(&a, "denied", "kremlin");
    assert_string_equal(c->stance, "denies");
    assert_string_equal(c->content, "the report");
    c = s_find(&a, "said", "kremlin");
    assert_string_equal(c->stance, "denies");
    assert_string_equal(c->content, "These claims are baseless");
    /* the lawyer declined to comment: no claim of his */
    for (size_t i = 0; i < a.n_claims; i++)
        assert_null(strstr(a.claims[i].speaker, "lawyer"));
    proto_article_clear(&a);

    s_demo("bout-houthis-ar.html", &a);
    c = s_find(&a, "ذكرت", "صحيفة «وول ستريت جورنال» الأمريكية");
    assert_string_equal(c->stance, "asserts");
    c = s_find(&a, "نقلت", "مسؤول أمني أوروبي");
    assert_int_equal(c->n_chain, 1);
    assert_string_equal(c->chain[0], "الصحيفة");
    c = s_find(&a, "نفى", "kremlin");
    assert_string_equal(c->stance, "denies");
    assert_string_equal(c->content, "هذه التقارير");
    c = s_find(&a, "قال", "kremlin");
    assert_string_equal(c->stance, "denies");
    assert_string_equal(c->content, "لا أساس لها من الصحة");
    proto_article_clear(&a);

    /* and the claims survive the wire */
    s_demo("bout-houthis-en.html", &a);
    proto_frames_t f;
    assert_int_equal(proto_article_encode(&a, &f), PROTO_OK);
    proto_article_t back;
    assert_int_equal(proto_article_decode(&f, &back), PROTO_OK);
    assert_int_equal(back.n_claims, a.n_claims);
    assert_string_equal(back.claims[0].sentence, a.claims[0].sentence);
    proto_article_clear(&back);
    proto_frames_clear(&f);
    proto_article_clear(&a);
}

/* ------------------------------------------------------------ labeled set */

static void
test_labeled_sample(void **state)
{
    (void) state;
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    static const char *const files[] = { "ar.jsonl", "en.jsonl" };
    for (size_t i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/data/claims/%s", root ? root : ".", files[i]);
        claim_score_t s;
        memset(&s, 0, sizeof s);
        assert_int_equal(claim_score_file(path, 15, &s, NULL), 0);
        assert_int_equal(s.items, 15);
        assert_true(claim_score_p(s.cue, s.gold) >= 0.9);
        assert_true(claim_score_p(s.cue, s.pred) >= 0.9);
        assert_true(claim_score_p(s.stance, s.gold) >= 0.9);
        assert_true(claim_score_p(s.speaker, s.gold) >= 0.8);
        assert_true(claim_score_p(s.content, s.gold) >= 0.8);
    }
}

/* ------------------------------------------------------------ edges */

/* Cues at the very end, lone quotes, empty and punctuation-only text, a
 * long run-on sentence: no crash, offsets inside the text (s_run checks). */
/* Set 7's English misses, as families: an inverted speaker with "a",
 * "show" after a record, "claims" as a verb's object, "told" an event,
 * and a content that stops where a coordinated second report starts. */
static void
test_en_set7_families(void **state)
{
    (void) state;
    s_expect1("\"The ceasefire is holding,\" said a senior UN official, who asked not to be "
              "identified.", "a senior UN official", "said", "asserts", "The ceasefire is holding");
    s_expect1("Satellite images reviewed by Reuters show the runway has been repaired.",
              "Satellite images reviewed by Reuters", "show", "asserts",
              "the runway has been repaired");
    s_expect_none("The two sides show no sign of compromise.");
    s_expect1("The union rejected government claims that the strike was illegal.",
              "The union", "rejected", "denies", "government claims that the strike was illegal");
    s_run_t r;
    s_run(&r, "The foreign minister told a press briefing in Amman that the embassy would reopen.",
          false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_int_equal(r.cs.claims[0].n_chain, 0);
    assert_string_equal(r.cs.claims[0].content, "the embassy would reopen");
    s_done(&r);
    s_run(&r, "Police said two people were arrested, but prosecutors said no charges had been "
              "filed.", false);
    assert_int_equal(r.cs.n_claims, 2);
    assert_string_equal(r.cs.claims[0].content, "two people were arrested");
    assert_string_equal(r.cs.claims[1].content, "no charges had been filed");
    s_done(&r);
    s_run(&r, "The army denied targeting civilians, and a military spokesman described the "
              "reports as \"propaganda.\"", false);
    assert_int_equal(r.cs.n_claims, 2);
    assert_string_equal(r.cs.claims[0].content, "targeting civilians");
    s_done(&r);
    /* ", and that ..." has no verb of its own: the same report goes on */
    s_expect1("The ministry said 12 people had been killed, and that rescue work was continuing.",
              "The ministry", "said", "asserts",
              "12 people had been killed, and that rescue work was continuing");
}

/* Set 7's Arabic misses, as families: a rank and name between commas
 * before a setting between commas, an anonymity clause with its reason, a
 * title joined by و, the verb's preposition before أن, and a decline whose
 * speaker has a place and stands far from التعليق. */
static void
test_ar_set7_families(void **state)
{
    (void) state;
    s_expect1("ورفض المتحدث باسم وزارة الداخلية، العقيد خالد المالكي، في حديث لإذاعة محلية، "
              "الاتهامات الموجهة للشرطة.", "العقيد خالد المالكي", "رفض", "denies",
              "الاتهامات الموجهة للشرطة");
    s_expect1("وقال المتحدث باسم الجيش، العقيد أحمد المسماري، خلال مؤتمر صحفي، إن القوات تقدمت.",
              "العقيد أحمد المسماري", "قال", "asserts", "القوات تقدمت");
    s_expect1("وقال مسؤول عسكري طلب عدم ذكر اسمه لأنه غير مخول بالتصريح للصحافة إن القوات انسحبت.",
              "مسؤول عسكري طلب عدم ذكر اسمه لأنه غير مخول بالتصريح للصحافة", "قال", "asserts",
              "القوات انسحبت");
    s_expect1("وقال الباحث والأكاديمي المصري عمرو حمزاوي إن الحوار متعثر.",
              "الباحث والأكاديمي المصري عمرو حمزاوي", "قال", "asserts", "الحوار متعثر");
    s_expect1("ولفتت دراسة صادرة عن جامعة بيرزيت إلى أن البطالة تضاعفت.",
              "دراسة صادرة عن جامعة بيرزيت", "لفتت", "asserts", "البطالة تضاعفت");
    s_expect1("وشدد بيان صادر عن الرئاسة على أن الانتخابات ستجرى في موعدها.",
              "بيان صادر عن الرئاسة", "شدد", "asserts", "الانتخابات ستجرى في موعدها");
    static const char *const declines[][2] = {
        { "ولم يرد المكتب الإعلامي للحكومة في طرابلس على طلب للتعليق.",
          "المكتب الإعلامي للحكومة في طرابلس" },
        { "ولم ترد القنصلية الفرنسية في بيروت على أسئلة الصحفيين.", "القنصلية الفرنسية في بيروت" },
    };
    for (size_t i = 0; i < sizeof declines / sizeof declines[0]; i++) {
        s_run_t r;
        s_run(&r, declines[i][0], false);
        assert_int_equal(r.cs.n_claims, 0);
        assert_int_equal(r.cs.n_declines, 1);
        assert_string_equal(r.cs.declines[0].speaker, declines[i][1]);
        s_done(&r);
    }
}

/* Neighbours of set 7's misses: where a content stops (a remark on the
 * report, "without", a trailing according-to that relays it, a bracket
 * closed inside it), a setting before a subject with no "that", a name
 * between commas after a feminine role, a counterpart as recipient. */
static void
test_content_ends_and_roles(void **state)
{
    (void) state;
    s_expect1("The army said it had killed 20 militants, a claim that could not be independently "
              "verified.", "The army", "said", "asserts", "it had killed 20 militants");
    s_expect1("The spokesman said the talks were constructive - a view not shared by the "
              "opposition.", "The spokesman", "said", "asserts", "the talks were constructive");
    s_expect1("The group said in a statement it would retaliate, without giving details.",
              "The group", "said", "asserts", "it would retaliate");
    s_expect1("وقال الجيش إنه قتل 20 مسلحا، وهو ما لم يتسن التحقق منه بشكل مستقل.",
              "الجيش", "قال", "asserts", "إنه قتل 20 مسلحا");
    s_expect1("وأكد البيان أن الهجوم أسفر عن مقتل 12 شخصا، دون أن يقدم تفاصيل إضافية.",
              "البيان", "أكد", "asserts", "الهجوم أسفر عن مقتل 12 شخصا");
    s_run_t r;
    s_run(&r, "Officials said the blast killed at least 12 people (including three children), "
              "according to state television.", false);
    assert_int_equal(r.cs.n_claims, 1);
    assert_string_equal(r.cs.claims[0].content,
                        "the blast killed at least 12 people (including three children)");
    assert_int_equal(r.cs.claims[0].n_chain, 1);
    assert_string_equal(r.cs.claims[0].chain[0], "state television");
    s_done(&r);
    s_expect1("وقالت الممثلة الخاصة للأمين العام في ليبيا، هانا تيتيه، أمام مجلس الأمن، إن العملية "
              "السياسية متعثرة.", "هانا تيتيه", "قالت", "asserts", "العملية السياسية متعثرة");
    s_expect1("وقال وزير الخارجية الإيراني عباس عراقجي لنظيره العماني إن طهران لن تتفاوض تحت الضغط.",
              "وزير الخارجية الإيراني عباس عراقجي", "قال", "asserts", "طهران لن تتفاوض تحت الضغط");
}

static void
test_edges(void **state)
{
    (void) state;
    static const char *const cases[] = {
        "", ".", "«»", "\"", "قال", "وقال", "said", "according to", "according", "told",
        "نقلت الصحيفة عن", "ونقلت", "وفقا ل", "بحسب", "قال:", "said:", ": :", "Report:",
        "\"Unclosed quote, the official said", "«غير مغلق، قال المتحدث",
        "He said.", "وأضاف.", "declined to comment", "رفض التعليق", "لم يرد",
        "Officials said that", "قال المسؤول إن", "The, the, the said that that.",
        "،،، قال ، إن ، أن ،",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s_run_t r;
        s_run(&r, cases[i], false);
        s_done(&r);
    }
    /* a long run-on sentence with a cue every few words */
    size_t n = 0, cap = 40000;
    char *big = malloc(cap);
    assert_non_null(big);
    while (n + 64 < cap) {
        const char *piece = (n / 64) % 2 ? "وقال المسؤول إن الشحنة وصلت، " : "the official said that, ";
        size_t l = strlen(piece);
        memcpy(big + n, piece, l);
        n += l;
    }
    big[n] = '\0';
    s_run_t r;
    s_run(&r, big, false);
    assert_true(r.cs.n_claims > 100);
    s_done(&r);
    free(big);
}

/* Where, when or how it was said is no part of who said it: a setting
 * between commas after the speaker, a setting after a speaker that ends the
 * sentence, and prepositions of setting (أمام، خلال، عبر) against those of
 * place or affiliation (في، لدى) and those a participle governs. */
static void
test_ar_settings(void **state)
{
    (void) state;
    s_expect1("ونفى الوزير، في تصريحات للصحفيين، أي علاقة له بالشحنة.",
              "الوزير", "نفى", "denies", "أي علاقة له بالشحنة");
    s_expect1("وأكد المتحدث، خلال مؤتمر صحفي في عدن، وصول الدفعة الأولى من المساعدات.",
              "المتحدث", "أكد", "asserts", "وصول الدفعة الأولى من المساعدات");
    s_expect1("«لن نتراجع عن قرارنا»، قال رئيس الوفد في كلمة أمام البرلمان.",
              "رئيس الوفد", "قال", "asserts", "لن نتراجع عن قرارنا");
    s_expect1("«الملف مغلق»، قالت الناطقة باسم الوزارة خلال مؤتمر صحفي.",
              "الناطقة باسم الوزارة", "قالت", "asserts", "الملف مغلق");
    s_expect1("وأقر المتهم الثاني أمام القاضي بأنه تلقى الأموال نقدا.",
              "المتهم الثاني", "أقر", "asserts", "بأنه تلقى الأموال نقدا");
    s_expect1("وقال مسؤول عبر الهاتف إن الشحنة وصلت.", "مسؤول", "قال", "asserts", "الشحنة وصلت");
    s_expect1("وقال الوزير بعد الاجتماع إن الشحنة وصلت.", "الوزير", "قال", "asserts",
              "الشحنة وصلت");
    /* place, affiliation and what a participle governs stay */
    s_expect1("وقال المندوب الروسي لدى الأمم المتحدة إن بلاده ستستخدم حق النقض.",
              "المندوب الروسي لدى الأمم المتحدة", "قال", "asserts", "بلاده ستستخدم حق النقض");
    s_expect1("وقال دبلوماسيون مطلعون على المفاوضات إن الاتفاق بات وشيكا.",
              "دبلوماسيون مطلعون على المفاوضات", "قال", "asserts", "الاتفاق بات وشيكا");
    s_expect1("وقالت مصادر قريبة من الرئاسة إن الزيارة أرجئت.",
              "مصادر قريبة من الرئاسة", "قالت", "asserts", "الزيارة أرجئت");
}

/* Adjectives that are not nisba keep a title whole: an elative or colour
 * (البيت الأبيض، المجلس الأعلى), a participle with its preposition and
 * pronoun (المعترف بها دوليا), a listed adjective (الخاص، الدائم). */
static void
test_ar_official_titles(void **state)
{
    (void) state;
    s_run_t r;
    s_run(&r, "ورفض متحدث باسم البيت الأبيض التعليق على الصفقة.", false);
    assert_int_equal(r.cs.n_claims, 0);
    assert_int_equal(r.cs.n_declines, 1);
    assert_string_equal(r.cs.declines[0].speaker, "متحدث باسم البيت الأبيض");
    s_done(&r);
    s_expect1("ونفى رئيس المجلس الأعلى للقضاء الاتهامات.",
              "رئيس المجلس الأعلى للقضاء", "نفى", "denies", "الاتهامات");
    s_expect1("وقال وزير الخارجية في الحكومة المعترف بها دوليا إن المحادثات فشلت.",
              "وزير الخارجية في الحكومة المعترف بها دوليا", "قال", "asserts", "المحادثات فشلت");
    s_expect1("وقال قائد القوات المدعومة منها إن الهجوم صد.",
              "قائد القوات المدعومة منها", "قال", "asserts", "الهجوم صد");
    s_expect1("وأكد المبعوث الأممي الخاص إلى اليمن أن الهدنة صامدة.",
              "المبعوث الأممي الخاص إلى اليمن", "أكد", "asserts", "الهدنة صامدة");
    s_expect1("وقال مصدر أمني رفيع المستوى إن المهربين اعتقلوا.",
              "مصدر أمني رفيع المستوى", "قال", "asserts", "المهربين اعتقلوا");
    /* ال + ا + three letters ending in ة is a noun (الأزمة), the object */
    s_expect1("ووصف الوزير الأزمة بأنها مفتعلة.", "الوزير", "وصف", "asserts",
              "الأزمة بأنها مفتعلة");
}

/* The verb's object is no part of the speaker: after a place phrase that
 * ends in a name (في حكومة عدن الاتفاق), and after a surname in ال. */
static void
test_ar_object_after_speaker(void **state)
{
    (void) state;
    s_expect1("ووصف رئيس الوزراء في حكومة عدن الاتفاق بأنه «خطوة تاريخية».",
              "رئيس الوزراء في حكومة عدن", "وصف", "asserts", "الاتفاق بأنه «خطوة تاريخية");
    s_expect1("ورفض وزير الخارجية في حكومة طرابلس الاتهامات الأمريكية.",
              "وزير الخارجية في حكومة طرابلس", "رفض", "denies", "الاتهامات الأمريكية");
    /* a masculine nisba after a first name is a surname */
    s_expect1("واتهم المتحدث العسكري خالد العمري إيران بتهريب الأسلحة.",
              "المتحدث العسكري خالد العمري", "اتهم", "asserts", "إيران بتهريب الأسلحة");
    /* ... and so is a definite word that another definite noun follows */
    s_expect1("واتهم الوزير خالد الفالح الشركة بإخفاء الأرباح.",
              "الوزير خالد الفالح", "اتهم", "asserts", "الشركة بإخفاء الأرباح");
    /* ... but not one its adjective follows: that is the object */
    s_expect1("واتهم المتحدث يحيى سريع البحرية الأمريكية بقصف قارب صيد.",
              "المتحدث يحيى سريع", "اتهم", "asserts", "البحرية الأمريكية بقصف قارب صيد");
}

/* "a lie" and «كذب» the noun deny; كذب the verb (lied to) does not. */
static void
test_lie_denies(void **state)
{
    (void) state;
    s_expect1("The ministry called the report \"a complete lie.\"", "The ministry", "called",
              "denies", NULL);
    s_expect1("A spokesman said the accusations were a lie.", "A spokesman", "said", "denies",
              "the accusations were a lie");
    s_expect1("Protesters said officials lie about the death toll.", "Protesters", "said",
              "asserts", NULL);
    s_expect1("وقال المتحدث إن الرواية الرسمية «كذب صريح».", "المتحدث", "قال", "denies", NULL);
    s_expect1("ووصفت الوزارة البيان بأنه كذب.", "الوزارة", "وصفت", "denies", "البيان بأنه كذب");
    s_expect1("وقال المتحدث إن ما نشر محض كذب.", "المتحدث", "قال", "denies", NULL);
    s_expect1("وقال المعارض إن الوزير كذب على البرلمان.", "المعارض", "قال", "asserts",
              "الوزير كذب على البرلمان");
}

/* More of a speaker's own words: a rank before a name (اللواء), a ل
 * genitive after a role's adjective (الأمين العام للأمم المتحدة), an
 * anonymity clause with no commas; and what is not: a recipient after a
 * place phrase, a setting with no commas before the object. */
static void
test_ar_speaker_families(void **state)
{
    (void) state;
    s_expect1("وقال وزير الدفاع في الحكومة الانتقالية، اللواء سامي حسن، إن الجيش جاهز.",
              "اللواء سامي حسن", "قال", "asserts", "الجيش جاهز");
    s_expect1("وأكد الأمين العام للأمم المتحدة أنطونيو غوتيريش أن المساعدات يجب أن تصل.",
              "الأمين العام للأمم المتحدة أنطونيو غوتيريش", "أكد", "asserts",
              "المساعدات يجب أن تصل");
    s_expect1("وقال مسؤول أمريكي رفيع المستوى طلب عدم نشر اسمه إن الضربات ستتواصل.",
              "مسؤول أمريكي رفيع المستوى طلب عدم نشر اسمه", "قال", "asserts",
              "الضربات ستتواصل");
    s_expect1("وقال مسؤولون في الإدارة الأمريكية تحدثوا شرط عدم كشف هوياتهم إن القرار اتخذ.",
              "مسؤولون في الإدارة الأمريكية تحدثوا شرط عدم كشف هوياتهم", "قال", "asserts",
              "القرار اتخذ");
    s_expect1("وقال رئيس لجنة الدفاع في البرلمان لوكالة رويترز إن الميزانية ستزاد.",
              "رئيس لجنة الدفاع في البرلمان", "قال", "asserts", "الميزانية ستزاد");
    s_expect1("وقالت منظمة العفو الدولية في تقرير نشرته الخميس إن السجناء تعرضوا للتعذيب.",
              "منظمة العفو الدولية", "قالت", "asserts", "السجناء تعرضوا للتعذيب");
    s_expect1("ونفى مكتب رئيس الوزراء في بيان صدر مساء السبت وجود أي اتصالات.",
              "مكتب رئيس الوزراء", "نفى", "denies", "وجود أي اتصالات");
    s_expect1("ورفض ممثل الادعاء العام أمام المحكمة طلب الإفراج بكفالة.",
              "ممثل الادعاء العام", "رفض", "denies", "طلب الإفراج بكفالة");
}

/* ------------------------------------------------------------ main */

static int
s_setup(void **state)
{
    (void) state;
    static char *bout[] = { "Viktor Bout", "Bout", "فيكتور بوت", "بوت", "باوت" };
    static char *bout_ep[] = { "merchant of death", "تاجر الموت" };
    static char *houthis[] = { "Houthis", "Houthi", "الحوثي", "الحوثيون", "جماعة الحوثي" };
    static char *kremlin[] = { "Kremlin", "الكرملين" };
    static cfg_entity_t ents[] = {
        { .id = "bout", .type = "person", .names = bout, .n_names = 5, .epithets = bout_ep,
          .n_epithets = 2 },
        { .id = "houthis", .type = "org", .names = houthis, .n_names = 5 },
        { .id = "kremlin", .type = "org", .names = kremlin, .n_names = 2 },
    };
    char *err = NULL;
    s_cat = entity_catalog_new(ents, 3, &err);
    return s_cat ? 0 : -1;
}

static int
s_teardown(void **state)
{
    (void) state;
    entity_catalog_destroy(&s_cat);
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ar_verb_first),
        cmocka_unit_test(test_ar_inflections),
        cmocka_unit_test(test_ar_time_between_verb_and_speaker),
        cmocka_unit_test(test_ar_subject_first),
        cmocka_unit_test(test_ar_transmit_chain),
        cmocka_unit_test(test_ar_according),
        cmocka_unit_test(test_ar_quotes),
        cmocka_unit_test(test_ar_denials),
        cmocka_unit_test(test_ar_hedges),
        cmocka_unit_test(test_ar_declines),
        cmocka_unit_test(test_ar_two_claims_one_sentence),
        cmocka_unit_test(test_en_orders),
        cmocka_unit_test(test_en_setting_phrase),
        cmocka_unit_test(test_en_chain),
        cmocka_unit_test(test_en_according),
        cmocka_unit_test(test_en_denials),
        cmocka_unit_test(test_en_hedges),
        cmocka_unit_test(test_en_declines),
        cmocka_unit_test(test_en_not_cues),
        cmocka_unit_test(test_headline_colon),
        cmocka_unit_test(test_en_abbreviations),
        cmocka_unit_test(test_quote_across_sentences),
        cmocka_unit_test(test_en_setting_any_words),
        cmocka_unit_test(test_en_apposition_and_recipient),
        cmocka_unit_test(test_en_citing_first),
        cmocka_unit_test(test_en_called_show),
        cmocka_unit_test(test_en_passive_quoted),
        cmocka_unit_test(test_ar_content_ends_at_participle),
        cmocka_unit_test(test_ar_object_before_coordinated_cue),
        cmocka_unit_test(test_ar_quoted_names_in_phrases),
        cmocka_unit_test(test_ar_name_after_role),
        cmocka_unit_test(test_ar_affiliation),
        cmocka_unit_test(test_ar_naqlan_an),
        cmocka_unit_test(test_declines_calls_and_pairs),
        cmocka_unit_test(test_smear_denies),
        cmocka_unit_test(test_pronoun_speaker),
        cmocka_unit_test(test_speaker_resolution),
        cmocka_unit_test(test_demo_pages),
        cmocka_unit_test(test_ar_settings),
        cmocka_unit_test(test_ar_official_titles),
        cmocka_unit_test(test_ar_object_after_speaker),
        cmocka_unit_test(test_lie_denies),
        cmocka_unit_test(test_ar_speaker_families),
        cmocka_unit_test(test_labeled_sample),
        cmocka_unit_test(test_en_set7_families),
        cmocka_unit_test(test_ar_set7_families),
        cmocka_unit_test(test_content_ends_and_roles),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
