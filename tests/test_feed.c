/*
 * test_feed.c — the feed parser (fetcher/feed.h) against one fixture per
 * quirk in tests/data/feeds/, and feed_date_parse() against date forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed.h"

static char *s_load(const char *name, size_t *len)
{
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/feeds/%s", root ? root : ".", name);
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

static feed_t *s_parse(const char *name, const char *base, char **err)
{
    size_t len;
    char *buf = s_load(name, &len);
    char *e = NULL;
    feed_t *f = feed_parse(buf, len, base, &e);
    free(buf);
    if (err)
        *err = e;
    else {
        if (!f)
            fail_msg("%s: %s", name, e ? e : "(no error)");
        free(e);
    }
    return f;
}

static const feed_item_t *s_item(const feed_t *f, const char *id)
{
    for (size_t i = 0; i < f->n_items; i++)
        if (f->items[i].id && strcmp(f->items[i].id, id) == 0)
            return &f->items[i];
    fail_msg("no item with id %s", id);
    return NULL;
}

static void test_rss20_arabic_cdata(void **state)
{
    (void) state;
    feed_t *f = s_parse("rss20_arabic_cdata.xml", "https://news.example.org/ar/feed.xml", NULL);
    assert_string_equal(f->format, "rss20");
    assert_string_equal(f->title, "مرصد الأخبار");
    assert_string_equal(f->lang, "ar");
    assert_string_equal(f->link, "https://news.example.org/ar/");
    assert_int_equal(f->n_items, 2);

    const feed_item_t *a = &f->items[0];
    assert_string_equal(a->id, "news-ar-1001");
    assert_string_equal(a->title, "الحوثيون يعلنون عن صفقة أسلحة جديدة");
    assert_string_equal(a->link, "https://news.example.org/ar/2024/01/houthi-deal");
    /* CDATA is taken verbatim: markup stays, nothing is decoded. */
    assert_string_equal(a->summary, "<p>قال المتحدث باسم الجماعة إن <b>الصفقة</b> تمت.</p>");
    assert_string_equal(a->content, "<p>نص المقال الكامل عن فيكتور بوت &amp; الصفقة.</p>");
    assert_string_equal(a->author, "أحمد المحرر");
    assert_string_equal(a->published, "2024-01-05T10:45:00Z");
    assert_null(a->updated);

    const feed_item_t *b = &f->items[1];
    assert_string_equal(b->id, "https://news.example.org/ar/2024/01/merchant");
    assert_string_equal(b->title, "تاجر الموت يعود");           /* white space collapsed */
    assert_string_equal(b->link, "https://news.example.org/ar/2024/01/merchant");
    assert_string_equal(b->summary, "ملخص قصير");
    assert_null(b->content);
    assert_string_equal(b->author, "desk@example.org (مكتب الأخبار)");
    assert_string_equal(b->published, "2024-01-06T08:00:00Z");
    feed_destroy(&f);
    assert_null(f);
    feed_destroy(&f);   /* accepts NULL */
    feed_destroy(NULL);
}

static void test_atom_xml_base(void **state)
{
    (void) state;
    feed_t *f = s_parse("atom_xml_base_relative_links.xml", "https://feeds.example.com/a/atom.xml",
                        NULL);
    assert_string_equal(f->format, "atom10");
    assert_string_equal(f->title, "Base test");
    assert_string_equal(f->lang, "en");
    assert_string_equal(f->link, "https://example.com/news/index.html");
    assert_int_equal(f->n_items, 3);

    const feed_item_t *a = s_item(f, "tag:example.com,2024:1");
    /* entry xml:base "/world/" against feed xml:base; rel=enclosure skipped */
    assert_string_equal(a->link, "https://example.com/world/story-1.html");
    assert_string_equal(a->title, "Relative to entry base");
    assert_string_equal(a->published, "2024-02-01T08:30:00Z");
    assert_string_equal(a->updated, "2024-02-01T10:00:00Z");
    assert_string_equal(a->author, "Feed Author");             /* inherited */
    assert_string_equal(a->summary, "First summary");
    assert_null(a->content);

    const feed_item_t *b = s_item(f, "tag:example.com,2024:2");
    assert_string_equal(b->link, "https://example.com/news/2024/story-2.html");
    assert_string_equal(b->updated, "2024-02-02T16:00:00Z");
    assert_null(b->published);
    assert_string_equal(b->author, "Entry Author");
    /* xhtml serialized as markup; the blank between inline elements kept */
    assert_non_null(strstr(b->content, "<p>Para <em>one</em> <strong>two</strong>.</p>"));

    const feed_item_t *c = s_item(f, "tag:example.com,2024:3");
    assert_string_equal(c->link, "https://other.example.net/x?a=1&b=2");
    feed_destroy(&f);
}

static void test_atom_relative_against_feed_url(void **state)
{
    (void) state;
    /* No xml:base at all: links resolve against the URL we fetched. */
    static const char doc[] =
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
        "<entry><id>e1</id><title>x</title><link href='../p/1.html'/></entry></feed>";
    char *err = NULL;
    feed_t *f = feed_parse(doc, sizeof doc - 1, "https://h.example/feeds/all.xml", &err);
    assert_non_null(f);
    assert_null(err);
    assert_string_equal(f->items[0].link, "https://h.example/p/1.html");
    feed_destroy(&f);
    /* Without a base URL the link stays as given. */
    f = feed_parse(doc, sizeof doc - 1, NULL, &err);
    assert_non_null(f);
    assert_string_equal(f->items[0].link, "../p/1.html");
    feed_destroy(&f);
}

/* Atom 0.3 (the pre-RFC draft, still served): its own namespace, issued and
 * modified for the dates, escaped and base64 content modes. */
static void test_atom03(void **state)
{
    (void) state;
    static const char doc[] =
        "<?xml version='1.0' encoding='utf-8'?>"
        "<feed version='0.3' xmlns='http://purl.org/atom/ns#' xml:lang='ar'>"
        "<title>\xD9\x88\xD9\x83\xD8\xA7\xD9\x84\xD8\xA9</title>"    /* وكالة */
        "<link rel='alternate' type='text/html' href='https://wire.example/'/>"
        "<author><name>Desk</name></author>"
        "<modified>2023-05-02T10:00:00+03:00</modified>"
        "<entry><title>First &amp; only</title>"
        "<link rel='alternate' type='text/html' href='/ar/1.html'/>"
        "<id>tag:wire.example,2023:1</id>"
        "<issued>2023-05-02T09:15:00+03:00</issued><modified>2023-05-02T11:00:00Z</modified>"
        "<summary>Short</summary>"
        "<content type='text/html' mode='escaped'>&lt;p&gt;Body &amp;amp; more&lt;/p&gt;</content>"
        "</entry>"
        "<entry><title>Second</title><link rel='alternate' href='https://wire.example/ar/2.html'/>"
        "<id>tag:wire.example,2023:2</id><issued>2023-05-03T08:00:00Z</issued>"
        "<author><name>Reporter</name></author>"
        "<content type='text/plain' mode='base64'>QmFzZTY0IGJvZHk=</content>"   /* Base64 body */
        "</entry></feed>";
    char *err = NULL;
    feed_t *f = feed_parse(doc, sizeof doc - 1, "https://wire.example/atom03.xml", &err);
    assert_non_null(f);
    assert_null(err);
    assert_string_equal(f->format, "atom03");
    assert_string_equal(f->lang, "ar");
    assert_int_equal(f->n_items, 2);
    const feed_item_t *a = s_item(f, "tag:wire.example,2023:1");
    assert_string_equal(a->title, "First & only");
    assert_string_equal(a->link, "https://wire.example/ar/1.html");
    assert_string_equal(a->published, "2023-05-02T06:15:00Z");       /* issued, to UTC */
    assert_string_equal(a->updated, "2023-05-02T11:00:00Z");         /* modified */
    assert_string_equal(a->author, "Desk");                          /* the feed's */
    assert_non_null(strstr(a->content, "<p>Body &amp; more</p>"));  /* decoded once */
    const feed_item_t *b = s_item(f, "tag:wire.example,2023:2");
    assert_string_equal(b->author, "Reporter");
    assert_non_null(strstr(b->content, "Base64 body"));
    feed_destroy(&f);
}

static void test_atom_html_title(void **state)
{
    (void) state;
    feed_t *f = s_parse("atom_html_title.xml", NULL, NULL);
    assert_string_equal(f->title, "Arms & Deals");
    const feed_item_t *a = s_item(f, "urn:x:1");
    assert_string_equal(a->title, "Bout & the Houthis \xE2\x80\x94 report");
    assert_string_equal(a->content, "<p>Body <b>bold</b></p>");
    const feed_item_t *b = s_item(f, "urn:x:2");
    assert_string_equal(b->title, "Less <than> is text");
    feed_destroy(&f);
}

static void test_double_encoded_entities(void **state)
{
    (void) state;
    feed_t *f = s_parse("rss_double_encoded_entities.xml", NULL, NULL);
    assert_string_equal(f->title, "AT&T &amp; friends");
    const feed_item_t *a = s_item(f, "double-1");
    assert_string_equal(a->title, "Tom &amp; Jerry &lt;3");   /* decoded once, not twice */
    assert_string_equal(a->link, "https://example.com/a?x=1&y=2");
    assert_string_equal(a->summary, "<p>Fish &amp; chips</p>");
    /* Undeclared HTML entities in XML (recovered): well-known ones kept. */
    const feed_item_t *b = s_item(f, "undeclared-html-entity");
    assert_string_equal(b->title, "Curly quotes\xE2\x80\x94" "and more");
    feed_destroy(&f);
}

static void test_missing_guid(void **state)
{
    (void) state;
    feed_t *f = s_parse("rss_missing_guid.xml", NULL, NULL);
    assert_int_equal(f->n_items, 4);
    assert_string_equal(f->items[0].id, "https://example.com/link-only");
    const char *h1 = f->items[1].id, *h2 = f->items[2].id;
    assert_non_null(h1);
    assert_non_null(h2);
    assert_int_equal(strncmp(h1, "sha256:", 7), 0);
    assert_int_equal(strlen(h1), 7 + 64);
    assert_string_not_equal(h1, h2);      /* same title, different date */
    assert_null(f->items[1].link);
    /* A permalink guid with no <link> gives the link. */
    assert_string_equal(f->items[3].id, "https://example.com/permalink-guid");
    assert_string_equal(f->items[3].link, "https://example.com/permalink-guid");

    /* Stable across parses: a restart must not see new items. */
    feed_t *g = s_parse("rss_missing_guid.xml", NULL, NULL);
    assert_string_equal(g->items[1].id, h1);
    assert_string_equal(g->items[2].id, h2);
    feed_destroy(&g);
    feed_destroy(&f);
}

static void test_date_forms_in_feed(void **state)
{
    (void) state;
    feed_t *f = s_parse("rss_date_forms.xml", NULL, NULL);
    const char *same[] = { "rfc822", "named-zone", "no-seconds", "lowercase-month",
                           "two-digit-year", "gmt-plus", "dc-date", "rfc3339-frac-offset",
                           "full-month-no-weekday" };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        const feed_item_t *it = s_item(f, same[i]);
        if (!it->published || strcmp(it->published, "2024-01-05T10:45:00Z") != 0)
            fail_msg("%s: published %s", same[i], it->published ? it->published : "NULL");
    }
    assert_null(s_item(f, "not-a-date")->published);
    feed_destroy(&f);
}

static void test_date_parse(void **state)
{
    (void) state;
    static const struct { const char *s; long long t; } ok[] = {
        { "Thu, 01 Jan 1970 00:00:00 GMT", 0 },
        { "Fri, 05 Jan 2024 13:45:00 +0300", 1704451500 },
        { "Fri, 05 Jan 2024 13:45:00 +03:00", 1704451500 },
        { "Fri, 05 Jan 2024 13:45:00 GMT+3", 1704451500 },
        { "Fri, 05 Jan 2024 13:45:00 GMT+03:00", 1704451500 },
        { "Fri, 05 Jan 2024 13:45:00 UTC+0300", 1704451500 },
        { "Fri, 05 Jan 2024 02:45:00 PST", 1704451500 },
        { "Fri, 05 Jan 2024 10:45:00 +0000 (UTC)", 1704451500 },
        { "Friday, 05-Jan-24 10:45:00 GMT", 1704451500 },
        { "FRI, 05 JAN 2024 10:45:00 Z", 1704451500 },
        { "05 Jan 2024 10:45 UT", 1704451500 },
        { "Jan 5, 2024 10:45:00", 1704451500 },
        { "  2024-01-05T10:45:00Z  ", 1704451500 },
        { "2024-01-05t10:45:00z", 1704451500 },
        { "2024-01-05 13:45:00+03:00", 1704451500 },
        { "2024-01-05T10:45Z", 1704451500 },
        { "2024-01-05T05:45:00.999999-05:00", 1704451500 },
        { "2024-01-05T10:45:00", 1704451500 },
        { "2000-02-29", 951782400 },
        { "Fri, 31 Dec 99 23:59:59 GMT", 946684799 },
        { "1 Jan 2024", 1704067200 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        long long t = -1;
        if (feed_date_parse(ok[i].s, &t) != 0 || t != ok[i].t)
            fail_msg("\"%s\": got %lld, want %lld", ok[i].s, t, ok[i].t);
    }
    static const char *bad[] = { "", "   ", "yesterday", "2023-02-29", "2024-13-01",
                                 "Mon, 32 Jan 2024 10:00:00 GMT", "Fri, 05 Foo 2024",
                                 "2024-01-05T25:00:00Z", "2024-01-05T10:45:00 nonsense",
                                 "Fri, 05 Jan 2024 10:45:00 +9999", "12345" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long long t = 42;
        if (feed_date_parse(bad[i], &t) != -1)
            fail_msg("\"%s\" accepted as %lld", bad[i], t);
        assert_int_equal(t, 42);        /* output untouched on failure */
    }
    long long t;
    assert_int_equal(feed_date_parse(NULL, &t), -1);
}

static void test_xxe_not_expanded(void **state)
{
    (void) state;
    char *err = NULL;
    feed_t *f = s_parse("rss_xxe_external_entity.xml", NULL, &err);
    /* Parsing may succeed (recover) — but nothing from /etc/passwd may
     * appear anywhere. */
    if (f) {
        char *json = feed_to_json(f);
        assert_non_null(json);
        assert_null(strstr(json, "root:"));
        assert_null(strstr(json, "/bin/"));
        free(json);
        assert_int_equal(f->n_items, 1);
        /* The reference is kept as written, never expanded. */
        assert_string_equal(f->items[0].title, "Secret: &xxe;");
        assert_string_equal(f->items[0].summary, "&remote;");
        feed_destroy(&f);
    } else {
        assert_non_null(err);
    }
    free(err);
}

static void test_billion_laughs(void **state)
{
    (void) state;
    char *err = NULL;
    clock_t t0 = clock();
    feed_t *f = s_parse("rss_billion_laughs.xml", NULL, &err);
    double secs = (double) (clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 5.0);
    if (f) {
        for (size_t i = 0; i < f->n_items; i++)
            assert_true(!f->items[i].title || strlen(f->items[i].title) < 1000);
        feed_destroy(&f);
    } else {
        assert_non_null(err);
    }
    free(err);
}

static void test_not_feeds(void **state)
{
    (void) state;
    char *err = NULL;
    feed_t *f = s_parse("not_a_feed_xhtml.xml", NULL, &err);
    assert_null(f);
    assert_non_null(err);
    assert_non_null(strstr(err, "not a feed"));
    assert_non_null(strstr(err, "html"));
    free(err);

    err = NULL;
    f = s_parse("garbage_binary.txt", NULL, &err);
    assert_null(f);
    assert_non_null(err);
    assert_true(strlen(err) > 0);
    free(err);

    err = NULL;
    assert_null(feed_parse("", 0, NULL, &err));
    assert_non_null(err);
    free(err);
    assert_null(feed_parse("<rss", 4, NULL, NULL));      /* err may be NULL */
}

static void test_rss09x_and_latin1(void **state)
{
    (void) state;
    feed_t *f = s_parse("rss091_no_namespace.xml", NULL, NULL);
    assert_string_equal(f->format, "rss091");
    assert_string_equal(f->encoding, "iso-8859-1");
    assert_true(f->wellformed);
    assert_string_equal(f->title, "Café news");
    assert_string_equal(f->lang, "fr");
    assert_int_equal(f->n_items, 1);
    assert_string_equal(f->items[0].title, "Crème brûlée");
    assert_string_equal(f->items[0].id, "http://example.org/creme");
    feed_destroy(&f);

    f = s_parse("rss092_latin1_bytes.xml", NULL, NULL);
    assert_string_equal(f->format, "rss092");
    assert_string_equal(f->items[0].title, "Café crème");   /* transcoded to UTF-8 */
    feed_destroy(&f);
}

static void test_rss10_rdf(void **state)
{
    (void) state;
    feed_t *f = s_parse("rss10_rdf.xml", NULL, NULL);
    assert_string_equal(f->format, "rss10");
    assert_string_equal(f->title, "RDF feed");
    assert_string_equal(f->lang, "en");
    assert_int_equal(f->n_items, 1);
    assert_string_equal(f->items[0].id, "https://example.org/item/1");
    assert_string_equal(f->items[0].published, "2024-04-01T08:00:00Z");
    assert_string_equal(f->items[0].author, "Reporter");
    feed_destroy(&f);
}

static void test_http_charset(void **state)
{
    (void) state;
    size_t len;
    char *buf = s_load("rss_windows1256_http_charset.xml", &len);
    char *err = NULL;
    /* No encoding in the XML declaration: the server's charset decides. */
    feed_t *f = feed_parse_charset(buf, len, NULL, "windows-1256", &err);
    assert_non_null(f);
    assert_string_equal(f->title, "الحوثي");
    assert_string_equal(f->items[0].title, "مرحبا");
    feed_destroy(&f);
    /* An unknown charset name is ignored, not fatal. */
    f = feed_parse_charset(buf, len, NULL, "no-such-charset-xyz", &err);
    assert_non_null(f);
    feed_destroy(&f);
    free(buf);

    /* A declared encoding wins over the server's claim. */
    buf = s_load("rss092_latin1_bytes.xml", &len);
    f = feed_parse_charset(buf, len, NULL, "windows-1256", &err);
    assert_non_null(f);
    assert_string_equal(f->items[0].title, "Café crème");
    feed_destroy(&f);
    free(buf);
}

/* Every fixture, whole and cut at many lengths: a feed or an error,
 * never a crash (the sanitizer build makes this bite). */
static void test_jsonfeed11(void **state)
{
    (void) state;
    feed_t *f = s_parse("jsonfeed11_relative_urls.json", "https://example.org/feed.json", NULL);
    assert_string_equal(f->format, "json11");
    assert_string_equal(f->title, "JSON news");
    assert_string_equal(f->lang, "ar");
    assert_int_equal(f->n_items, 2);
    const feed_item_t *it = s_item(f, "j-1");
    assert_string_equal(it->link, "https://example.org/2024/one.html");
    assert_string_equal(it->title, "First &amp; only");     /* JSON text: nothing to decode */
    assert_string_equal(it->content, "<p>Body</p>");
    assert_string_equal(it->summary, "Short");
    assert_string_equal(it->author, "Desk");                /* the feed's author */
    assert_string_equal(it->published, "2024-01-05T07:00:00Z");
    assert_string_equal(it->updated, "2024-01-05T12:00:00Z");
    it = s_item(f, "42");
    assert_string_equal(it->link, "https://other.example/x");
    assert_string_equal(it->content, "plain");
    feed_destroy(&f);
}

static void test_sitemaps(void **state)
{
    (void) state;
    feed_t *f = s_parse("sitemap_news.xml", NULL, NULL);
    assert_string_equal(f->format, "sitemap-news");
    assert_string_equal(f->lang, "ar");
    assert_string_equal(f->title, "Example News");
    assert_int_equal(f->n_items, 1);                        /* <url> without <loc>: none */
    const feed_item_t *it = &f->items[0];
    assert_string_equal(it->id, "https://news.example/ar/2024/01/05/houthis");
    assert_string_equal(it->title, "الحوثيون & البحر الأحمر");
    assert_string_equal(it->published, "2024-01-05T06:00:00Z");
    assert_string_equal(it->updated, "2024-01-05T09:30:00Z");
    feed_destroy(&f);

    f = s_parse("sitemap_plain_relative.xml", NULL, NULL);
    assert_string_equal(f->format, "sitemap");
    assert_int_equal(f->n_items, 2);
    assert_string_equal(f->items[0].link, "https://site.example/a");
    assert_string_equal(f->items[0].updated, "2024-02-01T00:00:00Z");
    assert_null(f->items[1].updated);
    feed_destroy(&f);
}

static void test_bare_ampersands(void **state)
{
    (void) state;
    feed_t *f = s_parse("rss_bare_ampersand_url.xml", NULL, NULL);
    assert_false(f->wellformed);                            /* repaired, and said so */
    assert_string_equal(f->title, "A & B");                 /* decoded once */
    assert_string_equal(f->items[0].title, "Tom & Jerry A");
    assert_string_equal(f->items[0].link, "http://example.org/?a=1&b=2&c");
    assert_string_equal(f->items[0].summary, "keep & this"); /* CDATA untouched */
    feed_destroy(&f);
}

static void test_arabic_charsets(void **state)
{
    (void) state;
    feed_t *f = s_parse("rss_iso8859_6_declared.xml", NULL, NULL);
    assert_string_equal(f->encoding, "iso-8859-6");
    assert_string_equal(f->title, "أخبار");
    assert_string_equal(f->items[0].title, "الحوثيون في البحر الأحمر");
    feed_destroy(&f);

    /* No declaration, no header: ICU's detector must find windows-1256. */
    f = s_parse("rss_windows1256_undeclared.xml", NULL, NULL);
    assert_string_equal(f->encoding, "windows-1256");
    assert_string_equal(f->title, "أخبار اليوم");
    assert_non_null(strstr(f->items[0].title, "الحوثيين"));
    assert_false(f->wellformed);                            /* a guess is flagged */
    feed_destroy(&f);

    /* A server that calls UTF-8 bytes latin-1 is wrong: the bytes win. */
    size_t len;
    char *buf = s_load("rss20_arabic_cdata.xml", &len);
    char *err = NULL;
    f = feed_parse_http(buf, len, NULL, "application/rss+xml; charset=iso-8859-1", &err);
    free(buf);
    assert_non_null(f);
    assert_string_equal(f->encoding, "utf-8");
    feed_destroy(&f);
    free(err);
}

static void test_url_canonical(void **state)
{
    (void) state;
    static const char *cases[][2] = {
        { "HTTPS://News.Example.ORG:443/Path/A?utm_source=x&id=7&fbclid=abc#top",
          "https://news.example.org/Path/A?id=7" },
        { "http://example.org:80", "http://example.org/" },
        { "http://e", "http://e/" },
        { "http://e?", "http://e/" },
        { "http://example.org:8080/a?utm_medium=rss", "http://example.org:8080/a" },
        { "https://example.org/a?gclid=1&b=2&utm_campaign=c&c", "https://example.org/a?b=2&c" },
        { "https://user@Example.org/x#frag", "https://user@example.org/x" },
        { "http://[::1]:8080/x", "http://[::1]:8080/x" },
        { "urn:uuid:1234", "urn:uuid:1234" },
        { "https://example.org/utm_source/path?xutm_source=1", "https://example.org/utm_source/path?xutm_source=1" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *c = feed_url_canonical(cases[i][0]);
        assert_string_equal(c, cases[i][1]);
        free(c);
    }
    assert_null(feed_url_canonical(NULL));
}

static void test_all_fixtures_truncated(void **state)
{
    (void) state;
    static const char *names[] = {
        "rss20_arabic_cdata.xml", "atom_xml_base_relative_links.xml", "atom_html_title.xml",
        "rss_double_encoded_entities.xml", "rss_missing_guid.xml", "rss_date_forms.xml",
        "rss_xxe_external_entity.xml", "rss_billion_laughs.xml", "not_a_feed_xhtml.xml",
        "garbage_binary.txt", "rss091_no_namespace.xml", "rss092_latin1_bytes.xml",
        "rss10_rdf.xml", "rss_windows1256_http_charset.xml", "jsonfeed11_relative_urls.json",
        "sitemap_news.xml", "sitemap_plain_relative.xml", "rss_bare_ampersand_url.xml",
        "rss_iso8859_6_declared.xml", "rss_windows1256_undeclared.xml",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        char *buf = s_load(names[i], &len);
        for (size_t cut = len; cut > 0; cut = cut > 64 ? cut - cut / 7 : cut - 1) {
            char *err = NULL;
            feed_t *f = feed_parse(buf, cut, "https://example.com/f.xml", &err);
            assert_true((f != NULL) != (err != NULL));
            if (f) {
                char *json = feed_to_json(f);
                assert_non_null(json);
                free(json);
                for (size_t k = 0; k < f->n_items; k++)
                    assert_non_null(f->items[k].id);    /* every item has an id */
            }
            feed_destroy(&f);
            free(err);
        }
        free(buf);
    }
}

static void test_to_json(void **state)
{
    (void) state;
    feed_t *f = s_parse("rss20_arabic_cdata.xml", "https://news.example.org/ar/feed.xml", NULL);
    char *text = feed_to_json(f);
    assert_non_null(text);
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "format")), "rss20");
    assert_string_equal(json_string_value(json_object_get(j, "title")), "مرصد الأخبار");
    assert_string_equal(json_string_value(json_object_get(j, "lang")), "ar");
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 2);
    json_t *b = json_array_get(items, 1);
    static const char *keys[] = { "id", "link", "title", "summary", "content", "author",
                                  "published", "updated" };
    for (size_t i = 0; i < 8; i++)
        assert_non_null(json_object_get(b, keys[i]));   /* present, maybe null */
    assert_true(json_is_null(json_object_get(b, "content")));
    assert_true(json_is_null(json_object_get(b, "updated")));
    assert_string_equal(json_string_value(json_object_get(b, "title")), "تاجر الموت يعود");
    json_decref(j);
    free(text);
    feed_destroy(&f);
    assert_null(feed_to_json(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rss20_arabic_cdata),
        cmocka_unit_test(test_atom_xml_base),
        cmocka_unit_test(test_atom_relative_against_feed_url),
        cmocka_unit_test(test_atom03),
        cmocka_unit_test(test_atom_html_title),
        cmocka_unit_test(test_double_encoded_entities),
        cmocka_unit_test(test_missing_guid),
        cmocka_unit_test(test_date_forms_in_feed),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_xxe_not_expanded),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_not_feeds),
        cmocka_unit_test(test_rss09x_and_latin1),
        cmocka_unit_test(test_rss10_rdf),
        cmocka_unit_test(test_jsonfeed11),
        cmocka_unit_test(test_url_canonical),
        cmocka_unit_test(test_sitemaps),
        cmocka_unit_test(test_bare_ampersands),
        cmocka_unit_test(test_arabic_charsets),
        cmocka_unit_test(test_http_charset),
        cmocka_unit_test(test_all_fixtures_truncated),
        cmocka_unit_test(test_to_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
