/*
 * test_html.c — html_extract and html_to_utf8 against the fixtures in
 * tests/data/html (one page per quirk; README.md there says what each
 * holds): main text present and in order, boilerplate absent, charset
 * choice with lying or missing labels, metadata, language, bad input.
 * Also the internal date normalizer and language guesser directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "html_extract.h"
#include "html_internal.h"

/* ------------------------------------------------------------ helpers */

static char *
s_fixture(const char *name, size_t *len)
{
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/html/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t) n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t) n, f), (size_t) n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t) n;
    return buf;
}

static void
s_extract_fixture(const char *name, const char *url, const char *hint, html_article_t *a)
{
    size_t len;
    char *html = s_fixture(name, &len);
    int rc = html_extract(html, len, url, hint, a);
    free(html);
    assert_int_equal(rc, 0);
    assert_non_null(a->text);
    assert_non_null(a->title);
    assert_non_null(a->lang);
}

/* each of WANT occurs in TEXT, each after the previous one */
static void
s_assert_in_order(const char *text, const char *const *want, size_t n)
{
    const char *at = text;
    for (size_t i = 0; i < n; i++) {
        const char *hit = strstr(at, want[i]);
        if (!hit)
            fail_msg("missing or out of order: \"%s\"\n--- text ---\n%s", want[i], text);
        at = hit + strlen(want[i]);
    }
}

static void
s_assert_absent(const char *text, const char *const *bad, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(text, bad[i]))
            fail_msg("boilerplate leaked: \"%s\"\n--- text ---\n%s", bad[i], text);
}

/* paragraphs joined by exactly "\n\n", trimmed, no run of spaces */
static void
s_assert_clean(const char *text)
{
    size_t n = strlen(text);
    assert_true(n > 0);
    assert_false(text[0] == ' ' || text[0] == '\n');
    assert_false(text[n - 1] == ' ' || text[n - 1] == '\n');
    assert_null(strstr(text, "\n\n\n"));
    assert_null(strstr(text, "  "));
    assert_null(strstr(text, " \n"));
    assert_null(strstr(text, "\n "));
    assert_null(strstr(text, "\t"));
    assert_null(strstr(text, "\xef\xbf\xbd")); /* U+FFFD: a decoding went wrong */
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------ Arabic wire article */

static const char *const s_ar_paragraphs[] = {
    "أفادت مصادر أمنية أوروبية، الثلاثاء، بأن تاجر الأسلحة الروسي فيكتور بوت يجري اتصالات مع "
    "وسطاء لترتيب صفقة أسلحة خفيفة لصالح جماعة الحوثي في اليمن.",
    "وقال مسؤول أمني أوروبي، طلب عدم الكشف عن هويته، إن الصفقة المقترحة تشمل بنادق هجومية من "
    "طراز AK-74 وذخائر، مضيفا أن المفاوضات لم تكتمل بعد.",
    "نفي روسي",
    "في المقابل، نفى المتحدث باسم الخارجية الروسية هذه التقارير، ووصفها بأنها «عارية عن الصحة»، "
    "مؤكدا أن موسكو تلتزم بقرارات مجلس الأمن الخاصة باليمن.",
    "وكان بوت، الملقب بـ«تاجر الموت»، قد أُفرج عنه عام 2022 في إطار صفقة تبادل سجناء بين موسكو "
    "وواشنطن، بعد أن قضى سنوات في سجن أمريكي.",
    "ولم يرد ممثلو جماعة الحوثي على طلب للتعليق حتى وقت نشر هذا الخبر.",
};

static const char *const s_ar_boilerplate[] = {
    "الرئيسية", "سياسة", "اقتصاد", "رياضة", "منوعات", "أخبار العالم",          /* menus */
    "شارك على فيسبوك", "غرّد على تويتر", "واتساب",                             /* share bar */
    "الأكثر قراءة", "بوتين يستقبل", "ماكرون", "أوبك",                          /* most read */
    "أخبار ذات صلة", "زيلينسكي", "عبد الملك الحوثي يهدد",                      /* related */
    "اقرأ أيضا", "أردوغان", "نتنياهو", "السيسي", "محمد بن سلمان",              /* read also */
    "ملفات تعريف الارتباط", "موافق",                                           /* cookies */
    "نشرتنا البريدية", "اشترك",                                                /* newsletter */
    "التعليقات", "أبو خالد", "هذا خبر مهم جدا", "أتمنى أن تنشروا", "أرسل تعليقك", /* comments */
    "جميع الحقوق محفوظة", "©", "من نحن", "اتصل بنا",                           /* footer */
    "وسوم", "إعلان", "بقلم", "12 مارس", "trackPageView", "dataLayer", "display:flex",
};

static void
test_ar_wire_boilerplate(void **state)
{
    (void) state;
    html_article_t a;
    s_extract_fixture("ar_wire_boilerplate.html", "https://example.com/ar/news/x?utm_source=rss",
                      NULL, &a);
    s_assert_in_order(a.text, s_ar_paragraphs, N(s_ar_paragraphs));
    s_assert_absent(a.text, s_ar_boilerplate, N(s_ar_boilerplate));
    s_assert_clean(a.text);
    /* paragraphs are separated by exactly one blank line */
    assert_non_null(strstr(a.text, "لم تكتمل بعد.\n\nنفي روسي\n\nفي المقابل"));
    assert_string_equal(a.title, "مصادر: فيكتور بوت يتوسط في صفقة أسلحة للحوثيين");
    assert_string_equal(a.lang, "ar");
    assert_string_equal(a.published_at, "2024-03-12T11:05:00Z"); /* +03:00 to UTC */
    assert_string_equal(a.author, "قسم الأخبار الدولية");
    assert_string_equal(a.canonical_url, "https://example.com/ar/news/2024/03/12/bout-houthi");
    assert_string_equal(a.site_name, "وكالة المرصد");
    html_article_clear(&a);
    assert_null(a.text);
    assert_null(a.title);
}

/* a UTF-8 page served with a stale legacy header is still UTF-8 */
static void
test_valid_utf8_beats_legacy_hint(void **state)
{
    (void) state;
    html_article_t a;
    s_extract_fixture("ar_wire_boilerplate.html", NULL, "windows-1256", &a);
    s_assert_in_order(a.text, s_ar_paragraphs, N(s_ar_paragraphs));
    s_assert_clean(a.text);
    /* no base URL: a relative canonical link cannot be made absolute */
    assert_null(a.canonical_url);
    html_article_clear(&a);
}

/* ------------------------------------------------ English wire article */

static void
test_en_wire_boilerplate(void **state)
{
    (void) state;
    static const char *const want[] = {
        "The Russian arms dealer Viktor Bout has been in contact with intermediaries about a "
        "sale of small arms to Yemen's Houthi rebels, according to two European security "
        "officials.",
        "One official, who asked not to be named because the information was classified,",
        ("Moscow denied the reports. A spokesperson for the Russian foreign ministry called them "
         "\"baseless\""),
        "Released in a prisoner swap",
        "Bout, once dubbed the \"merchant of death\", was freed in 2022",
        "Houthi representatives did not respond to a request for comment.",
    };
    static const char *const bad[] = {
        "Skip to main content", "cookies", "Accept all", "Manage preferences", "World",
        "Business", "Sport", "Culture", "Daily Monitor", "Share on", "Sign up", "newsletter",
        "Putin hosts", "Xi Jinping", "Related stories", "Zelensky", "Erdogan", "Comments",
        "exactly what everyone expected", "Most viewed", "Macron", "Netanyahu", "Opec",
        "All rights reserved", "©", "By Jane", "09.30 GMT", "Yemen\n", "Russia\n",
    };
    html_article_t a;
    s_extract_fixture("en_wire_boilerplate.html", NULL, "utf-8", &a);
    s_assert_in_order(a.text, want, N(want));
    s_assert_absent(a.text, bad, N(bad));
    s_assert_clean(a.text);
    /* the last paragraph ends the text: the rich link after it was dropped */
    const char *last = "Houthi representatives did not respond to a request for comment.";
    assert_string_equal(a.text + strlen(a.text) - strlen(last), last);
    /* no og:title: the h1; the <title>'s " - The Daily Monitor" is not used */
    assert_string_equal(a.title, "Arms dealer Viktor Bout linked to Houthi weapons talks");
    assert_string_equal(a.lang, "en"); /* en-GB → primary subtag */
    assert_string_equal(a.published_at, "2024-03-12T09:30:00Z");
    assert_string_equal(a.author, "Jane Reporter");
    assert_string_equal(a.canonical_url,
                        "https://www.dailymonitor.example/world/2024/mar/12/bout-houthi-weapons");
    assert_null(a.site_name);
    html_article_clear(&a);
}

/* ------------------------------------------------ charsets */

static const char *const s_1256_paragraphs[] = {
    "الحكومة اليمنية تتهم طهران بتهريب صواريخ",
    "اتهم وزير الإعلام اليمني، الأربعاء، إيران بتهريب صواريخ مضادة للسفن إلى جماعة الحوثي عبر "
    "زوارق صيد في البحر الأحمر.",
    "وأوضح الوزير في تصريح صحفي أن خفر السواحل ضبط شحنة تضم مكونات صواريخ وأجهزة توجيه، مشيرا "
    "إلى أن التحقيقات لا تزال جارية.",
    "من جهتها، رفضت طهران هذه الاتهامات، ووصفتها بأنها «لا أساس لها»، وفق ما نقلته وكالة أنباء "
    "رسمية.",
};

static const char *const s_1256_boilerplate[] = {
    "الرئيسية", "محليات", "عربي ودولي", "الأكثر قراءة", "بوتين", "ماكرون", "أسعار النفط",
    "جميع الحقوق محفوظة",
};

static void
s_check_1256(const html_article_t *a)
{
    s_assert_in_order(a->text, s_1256_paragraphs, N(s_1256_paragraphs));
    s_assert_absent(a->text, s_1256_boilerplate, N(s_1256_boilerplate));
    s_assert_clean(a->text);
    assert_string_equal(a->title, "الحكومة اليمنية تتهم طهران بتهريب صواريخ");
    assert_string_equal(a->lang, "ar");
}

/* HTTP says UTF-8, the bytes are windows-1256 (invalid UTF-8), the meta
 * says windows-1256: the meta wins. */
static void
test_windows1256_lying_utf8_hint(void **state)
{
    (void) state;
    html_article_t a;
    s_extract_fixture("ar_windows1256_lying_hint.html", NULL, "utf-8", &a);
    s_check_1256(&a);
    html_article_clear(&a);

    size_t len, ulen = 0;
    char *raw = s_fixture("ar_windows1256_lying_hint.html", &len);
    char *u = html_to_utf8(raw, len, "UTF-8", &ulen);
    assert_non_null(u);
    assert_int_equal(strlen(u), ulen);
    assert_non_null(strstr(u, "charset=windows-1256")); /* markup kept as is */
    assert_non_null(strstr(u, "<h1>الحكومة اليمنية تتهم طهران بتهريب صواريخ</h1>"));
    free(u);
    free(raw);
}

/* the servers' default ISO-8859-1 loses to the page's own meta */
static void
test_windows1256_default_latin1_hint(void **state)
{
    (void) state;
    html_article_t a;
    s_extract_fixture("ar_windows1256_lying_hint.html", NULL, "ISO-8859-1", &a);
    s_check_1256(&a);
    html_article_clear(&a);
}

/* no label anywhere: ICU's detector finds windows-1256 */
static void
test_windows1256_detector(void **state)
{
    (void) state;
    size_t len;
    char *raw = s_fixture("ar_windows1256_lying_hint.html", &len);
    char *meta = strstr(raw, "<meta http-equiv");
    assert_non_null(meta);
    char *end = strchr(meta, '>');
    assert_non_null(end);
    memset(meta, ' ', (size_t) (end - meta) + 1); /* blank the whole tag out */
    assert_null(strstr(raw, "charset"));
    html_article_t a;
    assert_int_equal(html_extract(raw, len, NULL, NULL, &a), 0);
    s_check_1256(&a);
    html_article_clear(&a);
    /* and with the weak server default on top */
    assert_int_equal(html_extract(raw, len, NULL, "iso-8859-1", &a), 0);
    s_check_1256(&a);
    html_article_clear(&a);
    free(raw);
}

static void
test_iso8859_6(void **state)
{
    (void) state;
    static const char *const want[] = {
        "مدد مجلس الأمن الدولي، مساء الخميس، نظام العقوبات المفروض على اليمن لمدة عام، بما في "
        "ذلك حظر توريد الأسلحة إلى جماعة الحوثي.",
        "وقال دبلوماسيون إن القرار حظي بتأييد ثلاثة عشر عضوا، بينما امتنعت روسيا والصين عن "
        "التصويت؛ وأضافوا أن فريق الخبراء سيواصل عمله.",
        "هل ينجح الحظر في وقف التهريب؟ يرى مراقبون أن الرقابة البحرية ما زالت ضعيفة.",
    };
    static const char *const bad[] = {"الرئيسية", "أخبار عربية", "دولية\n", "جميع الحقوق"};
    html_article_t a;
    s_extract_fixture("ar_iso8859_6.html", NULL, NULL, &a);
    s_assert_in_order(a.text, want, N(want));
    s_assert_absent(a.text, bad, N(bad));
    s_assert_clean(a.text);
    /* no og:title, no h1: <title> minus the Arabic site suffix */
    assert_string_equal(a.title, "مجلس الأمن يمدد العقوبات على اليمن عاما");
    assert_string_equal(a.lang, "ar"); /* no lang attribute: from the text */
    html_article_clear(&a);

    /* the bytes really are ISO-8859-6: the Arabic comma is 0xAC there */
    size_t len;
    char *raw = s_fixture("ar_iso8859_6.html", &len);
    assert_non_null(memchr(raw, 0xAC, len));
    free(raw);
}

/* a UTF-8 BOM beats a lying meta and a lying header */
static void
test_utf8_bom(void **state)
{
    (void) state;
    html_article_t a;
    s_extract_fixture("utf8_bom.html", NULL, "iso-8859-1", &a);
    static const char *const want[] = {
        "الأمم المتحدة تحذر من مجاعة في الحديدة",
        "حذر برنامج الأغذية العالمي، الاثنين، من أن ملايين الأشخاص في محافظة الحديدة يواجهون "
        "خطر المجاعة بسبب نقص التمويل.",
        "وقالت متحدثة باسم البرنامج إن المساعدات الغذائية خُفضت إلى النصف خلال الأشهر الثلاثة "
        "الماضية.",
    };
    s_assert_in_order(a.text, want, N(want));
    s_assert_clean(a.text);
    assert_string_equal(a.title, "الأمم المتحدة تحذر من مجاعة في الحديدة");
    html_article_clear(&a);

    size_t len, ulen;
    char *raw = s_fixture("utf8_bom.html", &len);
    assert_int_equal((unsigned char) raw[0], 0xEF);
    char *u = html_to_utf8(raw, len, "windows-1256", &ulen);
    assert_non_null(u);
    assert_int_equal(ulen, len - 3); /* the BOM is dropped, nothing else changes */
    assert_memory_equal(u, raw + 3, ulen);
    free(u);
    free(raw);
}

static void
test_utf16_bom(void **state)
{
    (void) state;
    /* "<p>سلام</p>" in UTF-16LE with a BOM */
    static const unsigned char le[] = {0xFF, 0xFE, '<', 0, 'p', 0, '>', 0, 0x33, 0x06, 0x44,
                                       0x06, 0x27, 0x06, 0x45, 0x06, '<', 0, '/', 0, 'p', 0,
                                       '>', 0};
    size_t ulen;
    char *u = html_to_utf8((const char *) le, sizeof le, "utf-8", &ulen);
    assert_non_null(u);
    assert_string_equal(u, "<p>سلام</p>");
    free(u);
    html_article_t a;
    assert_int_equal(html_extract((const char *) le, sizeof le, NULL, NULL, &a), 0);
    assert_string_equal(a.text, "سلام");
    assert_string_equal(a.lang, "ar");
    html_article_clear(&a);
}

/* ------------------------------------------------ metadata */

static void
test_jsonld_date_og_title(void **state)
{
    (void) state;
    html_article_t a;
    s_extract_fixture("jsonld_date_og_title.html", "https://gulfwire.example/feed.xml", NULL,
                      &a);
    /* og:title minus " | Gulf Wire" (the og:site_name) */
    assert_string_equal(a.title, "Ceasefire talks resume in Muscat");
    /* JSON-LD datePublished, -05:00 crossing into the next day and month;
     * not the <time> of the related card */
    assert_string_equal(a.published_at, "2024-02-01T04:30:00Z");
    assert_string_equal(a.author, "Omar Haddad, Lena Fischer");
    assert_string_equal(a.site_name, "Gulf Wire");
    /* no <link rel=canonical>: og:url */
    assert_string_equal(a.canonical_url, "https://gulfwire.example/2024/02/01/muscat-talks");
    static const char *const want[] = {
        "Ceasefire talks resume in Muscat as envoys shuttle between delegations",
        "Negotiators from both sides returned to the Omani capital on Wednesday",
        "payment of public salaries.",
    };
    s_assert_in_order(a.text, want, N(want));
    static const char *const bad[] = {"Older story", "May 5", "@context", "NewsArticle"};
    s_assert_absent(a.text, bad, N(bad));
    html_article_clear(&a);
}

static void
test_jsonld_broken_json_still_dated(void **state)
{
    (void) state;
    /* a trailing comma makes this invalid JSON; the scan still finds the date */
    const char *html = "<html><head><script type=\"application/ld+json\">"
                       "{\"@type\":\"NewsArticle\",\"datePublished\": \"2023-12-31T22:00:00-03:00\",}"
                       "</script><title>Short</title></head><body><p>Body text here for the "
                       "test page, long enough.</p></body></html>";
    html_article_t a;
    assert_int_equal(html_extract(html, strlen(html), NULL, NULL, &a), 0);
    assert_string_equal(a.published_at, "2024-01-01T01:00:00Z");
    /* a one-word <title> has no site part to strip */
    assert_string_equal(a.title, "Short");
    html_article_clear(&a);
}

/* ------------------------------------------------ main-text heuristics */

static void
test_no_article_density(void **state)
{
    (void) state;
    static const char *const want[] = {
        "Un navire marchand visé en mer Rouge",
        "Un navire marchand battant pavillon libérien a été visé mardi par un missile",
        "Les rebelles houthis, qui contrôlent une grande partie du Yémen,",
        "Selon un responsable américain, le missile a causé des dégâts limités",
        "ce qui allonge les trajets de plusieurs jours.",
    };
    static const char *const bad[] = {"Accueil", "Monde", "Économie", "Poutine", "Macron",
                                      "pétrole", "Erdogan", "Netanyahou", "Zelensky",
                                      "brève", "Publicité", "Tous droits réservés"};
    html_article_t a;
    s_extract_fixture("no_article_density.html", NULL, NULL, &a);
    s_assert_in_order(a.text, want, N(want));
    s_assert_absent(a.text, bad, N(bad));
    s_assert_clean(a.text);
    /* no lang attribute, Latin text: the stopword vote says French */
    assert_string_equal(a.lang, "fr");
    assert_string_equal(a.title, "Yémen : un navire marchand visé en mer Rouge");
    assert_null(a.published_at);
    html_article_clear(&a);
}

/* old sites: one <div> of text split by <br><br>, no <p> at all */
static void
test_br_paragraphs_no_p(void **state)
{
    (void) state;
    html_article_t a;
    s_extract_fixture("br_paragraphs_no_p.html", NULL, NULL, &a);
    assert_string_equal(a.text,
                        "صنعاء - قال مصدر محلي، اليوم، إن الأمطار الغزيرة تسببت في أضرار كبيرة "
                        "بالمنازل.\n\nوأضاف المصدر أن فرق الإنقاذ، بمساعدة السكان، تمكنت من "
                        "إجلاء عشرات الأسر.\n\nولم تعلن السلطات حصيلة رسمية حتى الآن.");
    html_article_clear(&a);
}

static void
test_malformed_unclosed(void **state)
{
    (void) state;
    static const char *const want[] = {
        "Port strike enters second week",
        "Dock workers at the port of Aden extended their strike into a second week on Monday,",
        "The stoppage has delayed fuel deliveries, and shipping agents said dozens of vessels "
        "were waiting offshore.",
        "A government spokesman said talks with the union would resume on Tuesday,",
        "Also after the unclosed bold: officials expect the backlog, which grew all week, to "
        "take a month to clear.",
    };
    static const char *const bad[] = {"Home", "World", "Gulf", "Share", "Tweet", "Copyright"};
    html_article_t a;
    s_extract_fixture("malformed_unclosed.html", NULL, NULL, &a);
    s_assert_in_order(a.text, want, N(want));
    s_assert_absent(a.text, bad, N(bad));
    s_assert_clean(a.text);
    assert_string_equal(a.title, "Port strike enters second week");
    html_article_clear(&a);
}

static void
test_bad_input(void **state)
{
    (void) state;
    html_article_t a;
    memset(&a, 0x5A, sizeof a); /* must be zeroed on error */
    assert_int_equal(html_extract("", 0, NULL, NULL, &a), -1);
    assert_null(a.text);
    assert_null(a.title);
    assert_int_equal(html_extract(NULL, 10, NULL, NULL, &a), -1);
    assert_int_equal(html_extract(" \r\n\t ", 5, NULL, "utf-8", &a), -1);
    assert_null(a.text);
    const char *plain = "just words, no markup at all";
    assert_int_equal(html_extract(plain, strlen(plain), NULL, NULL, &a), -1);

    size_t len;
    char *garbage = s_fixture("garbage.bin", &len);
    assert_true(len > 1000);
    assert_int_equal(html_extract(garbage, len, "http://x/", "utf-8", &a), -1);
    assert_null(a.text);
    free(garbage);

    assert_null(html_to_utf8("", 0, NULL, &len));
    html_article_clear(NULL);
    html_article_clear(&a);

    /* markup without text is a page with no text, not a crash */
    const char *empty = "<html><body><div><img src=x></div><script>var x;</script></body></html>";
    assert_int_equal(html_extract(empty, strlen(empty), NULL, NULL, &a), 0);
    assert_string_equal(a.text, "");
    assert_string_equal(a.lang, "und");
    assert_string_equal(a.title, "");
    html_article_clear(&a);
    const char *junk = "<<<>>><</ <!-- <![CDATA[ &#xFFFFFFF; &bogus; <p <a href=";
    int rc = html_extract(junk, strlen(junk), NULL, NULL, &a);
    assert_true(rc == 0 || rc == -1);
    html_article_clear(&a);

    /* a page cut off in the middle of a UTF-8 sequence */
    char *html = s_fixture("ar_wire_boilerplate.html", &len);
    const char *p = strstr(html, "أفادت مصادر");
    assert_non_null(p);
    size_t cut = (size_t) (p - html) + 1; /* inside the first letter */
    rc = html_extract(html, cut, NULL, NULL, &a);
    assert_true(rc == 0 || rc == -1);
    if (rc == 0)
        assert_non_null(a.text);
    html_article_clear(&a);
    /* every prefix of a page: no crash, no leak (ASan run) */
    for (size_t n = 1; n < len; n += 97) {
        rc = html_extract(html, n, "https://example.com/", NULL, &a);
        assert_true(rc == 0 || rc == -1);
        html_article_clear(&a);
    }
    free(html);
}

static void
test_lang_markup_lies(void **state)
{
    (void) state;
    const char *ar = "<html lang=\"en\"><body><p>قال المتحدث باسم الحكومة إن الاجتماع سيعقد "
                     "الأسبوع المقبل في العاصمة.</p></body></html>";
    html_article_t a;
    assert_int_equal(html_extract(ar, strlen(ar), NULL, NULL, &a), 0);
    assert_string_equal(a.lang, "ar");
    html_article_clear(&a);
    const char *ru = "<html lang=\"ar\" dir=\"rtl\"><body><p>Представитель МИД России заявил, "
                     "что сообщения не соответствуют действительности.</p></body></html>";
    assert_int_equal(html_extract(ru, strlen(ru), NULL, NULL, &a), 0);
    assert_string_equal(a.lang, "ru");
    html_article_clear(&a);
}

/* ------------------------------------------------ internals */

static void
test_date_normalize(void **state)
{
    (void) state;
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"2024-03-12T14:05:00+03:00", "2024-03-12T11:05:00Z"},
        {"2024-03-12T14:05:00Z", "2024-03-12T14:05:00Z"},
        {"2024-03-12T14:05:00.123Z", "2024-03-12T14:05:00Z"},
        {"2024-03-12T14:05+0300", "2024-03-12T11:05:00Z"},
        {"2024-03-12 01:00:00+03", "2024-03-11T22:00:00Z"},
        {"2024-03-01T01:00:00+04:00", "2024-02-29T21:00:00Z"}, /* leap year */
        {"2023-12-31T22:00:00-05:00", "2024-01-01T03:00:00Z"},
        {"  2024-03-12  ", "2024-03-12T00:00:00Z"},
        {"2024-03-12T14:05:00", "2024-03-12T14:05:00Z"},
    };
    for (size_t i = 0; i < N(ok); i++) {
        char out[21];
        if (html_date_rfc3339(ok[i].in, out) != 0)
            fail_msg("rejected %s", ok[i].in);
        assert_string_equal(out, ok[i].out);
    }
    static const char *const bad[] = {
        "", "12 March 2024", "2024-13-01", "2023-02-29", "2024-03-12T25:00:00Z",
        "2024-03-12T14:05:00+03:00 trailing", "2024/03/12", "yesterday", NULL,
    };
    for (size_t i = 0; i < N(bad); i++) {
        char out[21];
        assert_int_equal(html_date_rfc3339(bad[i], out), -1);
    }
}

/* what html_strip_raw cuts before parsing, and what it must leave */
static void
test_strip_raw(void **state)
{
    (void) state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"<p>a</p><script>var x = '<p>not text</p>';</script><p>b</p>", "<p>a</p><p>b</p>"},
        {"<p>a</p><SCRIPT type=text/javascript>x()</SCRIPT ><p>b</p>", "<p>a</p><p>b</p>"},
        {"<script data-x=\"a>b\">x()</script>ok", "ok"},
        {"<script src=\"x.js\"/><p>a</p>", "<p>a</p>"},
        {"<style>p { color: red }</style><p>a</p>", "<p>a</p>"},
        {"<!-- a comment <p>hidden</p> --><p>c</p>", "<p>c</p>"},
        {"<svg><svg><title>t</title></svg><text>x</text></svg><p>d</p>", "<p>d</p>"},
        {"<svg/><p>e</p>", "<p>e</p>"},
        /* JSON-LD is metadata: kept byte for byte, even a "<!--" inside it */
        {"<script type=\"application/ld+json\">{\"a\":\"<!-- x\"}</script><p>f</p>",
         "<script type=\"application/ld+json\">{\"a\":\"<!-- x\"}</script><p>f</p>"},
        /* names that only begin like a raw-text tag */
        {"<scripts>g</scripts><styles>h</styles><svgx>i</svgx>",
         "<scripts>g</scripts><styles>h</styles><svgx>i</svgx>"},
        /* a comment never closed: keep everything rather than lose the article */
        {"<p>a</p><!-- never closed <p>b</p>", "<p>a</p><!-- never closed <p>b</p>"},
        /* a script never closed runs to the end, as in the parser */
        {"<p>a</p><script>var a = 1;", "<p>a</p>"},
        {"<script", "<script"}, /* a name cut by the end of the page: no tag yet */
        {"text < 5 and <!- not a comment", "text < 5 and <!- not a comment"},
        {"", ""},
    };
    for (size_t i = 0; i < N(cases); i++) {
        char *buf = strdup(cases[i].in);
        assert_non_null(buf);
        size_t n = html_strip_raw(buf, strlen(buf));
        assert_int_equal(n, strlen(buf));
        if (strcmp(buf, cases[i].want) != 0)
            fail_msg("case %zu: want \"%s\", got \"%s\"", i, cases[i].want, buf);
        free(buf);
    }
}

/* dates printed for readers: both Arabic month systems, alone and paired,
 * Arabic-Indic digits, 12-hour clocks, and Latin / Cyrillic months */
static void
test_date_visible(void **state)
{
    (void) state;
    static const struct {
        const char *in, *want;
    } ok[] = {
        {"الثلاثاء ٢١ نيسان/أبريل ٢٠٢٦ - ١٤:٣٠", "2026-04-21T14:30:00Z"},
        {"21 أبريل/نيسان 2026", "2026-04-21T00:00:00Z"},
        {"3 أبريل 2026", "2026-04-03T00:00:00Z"},
        {"٣ نيسان ٢٠٢٦", "2026-04-03T00:00:00Z"},
        {"٥ إبريل ٢٠٢٦", "2026-04-05T00:00:00Z"},                /* hamza below */
        {"نشر في ١٢ أيار (مايو) ٢٠٢٦", "2026-05-12T00:00:00Z"},  /* second name in brackets */
        {"21 كانون الثاني 2025", "2025-01-21T00:00:00Z"},         /* two-word months */
        {"1 كانون الأول 2024", "2024-12-01T00:00:00Z"},
        {"١٥ تشرين الأول/أكتوبر ٢٠٢٥", "2025-10-15T00:00:00Z"},
        {"9 آب 2025", "2025-08-09T00:00:00Z"},
        {"7 أفريل 2026", "2026-04-07T00:00:00Z"},                 /* Maghreb */
        {"٢٩ شباط ٢٠٢٤ ٠٨:٠٥ م", "2024-02-29T20:05:00Z"},         /* leap day, pm */
        {"Updated 5:27 am CST, Wednesday, November 20, 2019", "2019-11-20T00:00:00Z"},
        {"November 20, 2019 5:27 pm", "2019-11-20T17:27:00Z"},
        {"20 novembre 2019", "2019-11-20T00:00:00Z"},
        {"20 ноября 2019 г., 10:45", "2019-11-20T10:45:00Z"},
    };
    for (size_t i = 0; i < N(ok); i++) {
        char out[21] = "";
        if (html_date_visible(ok[i].in, out) != 0 || strcmp(out, ok[i].want) != 0)
            fail_msg("case %zu \"%s\": want %s, got \"%s\"", i, ok[i].in, ok[i].want, out);
    }
    static const char *const bad[] = {
        "",
        "أبريل/أيار 2026",          /* two months that disagree, and no day */
        "5 أبريل/أيار 2026",        /* disagree */
        "31 شباط 2026",             /* no such day */
        "12 كانون 2026",            /* كانون alone is January or December */
        "قال بوتين 12 2026",        /* no month */
        "5 أبريل",                  /* no year */
        "في عام 2026",
    };
    for (size_t i = 0; i < N(bad); i++) {
        char out[21];
        if (html_date_visible(bad[i], out) == 0)
            fail_msg("\"%s\" read as %s", bad[i], out);
    }
    char out[21];
    assert_int_equal(html_date_visible(NULL, out), -1);
}

/* pages whose only date is the one printed for readers */
static void
test_visible_date_pages(void **state)
{
    (void) state;
    html_article_t a;
    s_extract_fixture("ar_visible_date.html", NULL, NULL, &a);
    assert_string_equal(a.published_at, "2026-04-05T09:15:00Z");
    assert_string_equal(a.lang, "ar");
    assert_non_null(strstr(a.text, "افتتح وزير الثقافة"));
    /* the byline and date line is small print, not article text; the menu
     * and footer stay out */
    static const char *const bad[] = {"كتب:", "الأحد", "ثقافة</a>", "رياضة", "جميع الحقوق"};
    s_assert_absent(a.text, bad, N(bad));
    html_article_clear(&a);
    s_extract_fixture("ar_dateline_maghreb.html", NULL, NULL, &a);
    assert_string_equal(a.published_at, "2026-04-12T00:00:00Z");
    html_article_clear(&a);
}

static void
test_lang_guess(void **state)
{
    (void) state;
    static const struct {
        const char *text, *markup, *want;
    } cases[] = {
        {"قال المتحدث إن الاجتماع سيعقد غدا", "en", "ar"},
        {"قال المتحدث إن الاجتماع سيعقد غدا", NULL, "ar"},
        {"سخنگوی دولت گفت که نشست فردا برگزار می‌شود", "fa-IR", "fa"},
        {"Представитель заявил, что встреча состоится завтра", "en", "ru"},
        {"Речник уряду заявив, що зустріч відбудеться завтра", "uk", "uk"},
        {"The spokesman said that the meeting will be held in the capital", NULL, "en"},
        {"Le porte-parole a déclaré que la réunion aura lieu dans la capitale", NULL, "fr"},
        {"Le porte-parole a déclaré que la réunion aura lieu dans la capitale", "ar", "fr"},
        /* a template's lang="en" over French, and lang="fr" over English */
        {"Le porte-parole a déclaré que la réunion aura lieu dans la capitale et que les "
         "ministres seront présents", "en", "fr"},
        {"The spokesman said that the meeting will be held in the capital and that the "
         "ministers will attend", "fr", "en"},
        /* a French word or two in English does not flip it */
        {"The spokesman said the coup d'état was a fait accompli", "en", "en"},
        {"Der Sprecher sagte, das Treffen finde morgen statt", "DE-at", "de"},
        {"", "ar", "und"},
        {"2024 — 12:00 !!!", "en", "und"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        char *got = html_lang_guess(cases[i].text, cases[i].markup);
        assert_non_null(got);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: want %s, got %s", i, cases[i].want, got);
        free(got);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ar_wire_boilerplate),
        cmocka_unit_test(test_valid_utf8_beats_legacy_hint),
        cmocka_unit_test(test_en_wire_boilerplate),
        cmocka_unit_test(test_windows1256_lying_utf8_hint),
        cmocka_unit_test(test_windows1256_default_latin1_hint),
        cmocka_unit_test(test_windows1256_detector),
        cmocka_unit_test(test_iso8859_6),
        cmocka_unit_test(test_utf8_bom),
        cmocka_unit_test(test_utf16_bom),
        cmocka_unit_test(test_jsonld_date_og_title),
        cmocka_unit_test(test_jsonld_broken_json_still_dated),
        cmocka_unit_test(test_no_article_density),
        cmocka_unit_test(test_br_paragraphs_no_p),
        cmocka_unit_test(test_malformed_unclosed),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_lang_markup_lies),
        cmocka_unit_test(test_date_normalize),
        cmocka_unit_test(test_lang_guess),
        cmocka_unit_test(test_strip_raw),
        cmocka_unit_test(test_date_visible),
        cmocka_unit_test(test_visible_date_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
