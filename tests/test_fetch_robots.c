/*
 * test_fetch_robots.c — robots.txt rules (fetcher/robots.h): groups,
 * longest match, Allow on ties, wildcards, and the fixed answers for a
 * missing or unreachable file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "robots.h"

static robots_t *s_parse(const char *text, const char *agent)
{
    robots_t *r = robots_parse(text, strlen(text), agent);
    assert_non_null(r);
    return r;
}

static void test_groups_and_longest_match(void **state)
{
    (void) state;
    const char *txt =
        "# a comment\n"
        "User-agent: *\n"
        "Disallow: /private/\n"
        "Allow: /private/press/\n"
        "Disallow: /*.pdf$\n"
        "\n"
        "User-agent: OtherBot\n"
        "Disallow: /\n"
        "Sitemap: https://example.org/sitemap.xml\n";
    robots_t *r = s_parse(txt, "marsad");
    assert_true(robots_allowed(r, "/"));
    assert_true(robots_allowed(r, "/news/2024/story.html"));
    assert_false(robots_allowed(r, "/private/memo.html"));
    assert_true(robots_allowed(r, "/private/press/release.html"));    /* longer Allow wins */
    assert_false(robots_allowed(r, "/files/report.pdf"));
    assert_true(robots_allowed(r, "/files/report.pdf?download=1"));   /* $ anchors the end */
    robots_destroy(&r);
    assert_null(r);

    r = s_parse(txt, "otherbot");                   /* its own group, not "*" */
    assert_false(robots_allowed(r, "/news/"));
    robots_destroy(&r);
}

static void test_named_group_wins_over_star(void **state)
{
    (void) state;
    const char *txt =
        "User-agent: *\nDisallow: /\n\n"
        "User-agent: googlebot\nUser-agent: Marsad\nDisallow: /drafts\nAllow: /drafts/public\n";
    robots_t *r = s_parse(txt, "marsad");
    assert_true(robots_allowed(r, "/news"));        /* the "*" group does not apply to us */
    assert_false(robots_allowed(r, "/drafts/x"));
    assert_true(robots_allowed(r, "/drafts/public/x"));
    robots_destroy(&r);

    r = s_parse("User-agent: *\nDisallow:\n", "marsad");   /* empty Disallow: all allowed */
    assert_true(robots_allowed(r, "/anything"));
    robots_destroy(&r);

    r = s_parse("User-agent: *\nAllow: /a\nDisallow: /a\n", "marsad"); /* tie: Allow */
    assert_true(robots_allowed(r, "/a/b"));
    robots_destroy(&r);
}

static void test_wildcards_hostile(void **state)
{
    (void) state;
    robots_t *r = s_parse("User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*a*a*a*a*b\n", "marsad");
    char path[4096];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = '\0';
    assert_true(robots_allowed(r, path));           /* no 'b': allowed, and quickly */
    robots_destroy(&r);
}

static void test_fixed_answers_and_paths(void **state)
{
    (void) state;
    robots_t *all = robots_allow_all(), *none = robots_disallow_all();
    assert_true(robots_allowed(all, "/x"));
    assert_false(robots_allowed(none, "/x"));
    robots_destroy(&all);
    robots_destroy(&none);
    robots_destroy(&none);                          /* NULL is fine */
    assert_string_equal(robots_path_of("https://Example.org/a/b?q=1"), "/a/b?q=1");
    assert_string_equal(robots_path_of("https://example.org"), "/");
    assert_string_equal(robots_path_of("https://example.org?q=1"), "?q=1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_and_longest_match),
        cmocka_unit_test(test_named_group_wins_over_star),
        cmocka_unit_test(test_wildcards_hostile),
        cmocka_unit_test(test_fixed_answers_and_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
