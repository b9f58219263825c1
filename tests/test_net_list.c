/*
 * test_net_list.c — CIDR lists (proto/net_list.h) for the fetcher's SSRF
 * guard: parsing and its errors, IPv4 and IPv6 prefixes at their edges,
 * IPv4-mapped IPv6 addresses, the default private networks, and a bad
 * [fetcher] private_nets reported by the config reader with file:line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "config.h"
#include "net_list.h"

/* Is the address TEXT (v4 or v6) in LIST? */
static bool
s_in(const net_list_t *list, const char *text)
{
    struct sockaddr_in a4 = { .sin_family = AF_INET };
    struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
    if (inet_pton(AF_INET, text, &a4.sin_addr) == 1)
        return net_list_contains(list, (struct sockaddr *) &a4);
    assert_int_equal(inet_pton(AF_INET6, text, &a6.sin6_addr), 1);
    return net_list_contains(list, (struct sockaddr *) &a6);
}

static void
test_parse(void **state)
{
    (void) state;
    net_list_t l;
    char *why = NULL;
    assert_int_equal(net_list_parse("10.0.0.0/8, 192.0.2.7 ,fc00::/7\t2001:db8::1", &l, &why), 0);
    assert_null(why);
    assert_int_equal(l.n, 4);
    assert_int_equal(l.nets[1].bits, 32);     /* a bare address is one host */
    assert_int_equal(l.nets[3].bits, 128);
    net_list_clear(&l);
    assert_int_equal(net_list_parse("", &l, &why), 0);
    assert_int_equal(l.n, 0);
    assert_int_equal(net_list_parse(NULL, &l, &why), 0);

    static const char *bad[] = { "10.0.0.0/33", "10.0.0/8", "example.com", "::1/129", "10.0.0.0/",
                                 "10.0.0.0/8x", "1.2.3.4/-1", "10.0.0.0/8, nonsense" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(net_list_parse(bad[i], &l, &why), -1);
        assert_non_null(why);
        assert_int_equal(l.n, 0);
        assert_null(l.nets);
        free(why);
        why = NULL;
    }
}

static void
test_contains(void **state)
{
    (void) state;
    net_list_t l;
    char *why = NULL;
    assert_int_equal(net_list_parse(FETCHER_PRIVATE_NETS, &l, &why), 0);
    static const char *inside[] = { "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1",
                                    "172.31.255.255", "192.168.1.1", "169.254.169.254",
                                    "100.64.0.1", "100.127.255.255", "0.0.0.0", "::1", "::",
                                    "fd12:3456::1", "fe80::1", "::ffff:10.0.0.1",
                                    "::ffff:127.0.0.1", "::ffff:169.254.169.254" };
    static const char *outside[] = { "8.8.8.8", "172.15.255.255", "172.32.0.0", "192.169.0.1",
                                     "100.128.0.1", "11.0.0.1", "2001:db8::1", "2a00:1450::1",
                                     "::ffff:8.8.8.8", "fec0::1" };
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
        if (!s_in(&l, inside[i]))
            fail_msg("%s should be private", inside[i]);
    }
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        if (s_in(&l, outside[i]))
            fail_msg("%s should be public", outside[i]);
    }
    net_list_clear(&l);

    /* Odd prefix lengths cut inside a byte. */
    assert_int_equal(net_list_parse("203.0.113.64/26, 2001:db8:8000::/33", &l, &why), 0);
    assert_true(s_in(&l, "203.0.113.64"));
    assert_true(s_in(&l, "203.0.113.127"));
    assert_false(s_in(&l, "203.0.113.128"));
    assert_false(s_in(&l, "203.0.113.63"));
    assert_true(s_in(&l, "2001:db8:8000::1"));
    assert_true(s_in(&l, "2001:db8:ffff::1"));
    assert_false(s_in(&l, "2001:db8:7fff::1"));
    struct sockaddr other = { .sa_family = AF_UNIX };
    assert_false(net_list_contains(&l, &other));
    char buf[64];
    struct sockaddr_in6 m = { .sin6_family = AF_INET6 };
    inet_pton(AF_INET6, "::ffff:10.9.8.7", &m.sin6_addr);
    assert_string_equal(net_addr_text((struct sockaddr *) &m, buf, sizeof buf), "10.9.8.7");
    net_list_clear(&l);
}

static void
test_config_reports_line(void **state)
{
    (void) state;
    char path[] = "/tmp/marsad-test-nets.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "[fetcher]\nallow_nets = 10.1.0.0/16\ndeny_nets = 10.0.0.0/8, bogus/3\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t) strlen(text));
    close(fd);
    char *err = NULL;
    marsad_config_t *cfg = config_load(path, &err);
    assert_null(cfg);
    assert_non_null(err);
    char want[128];
    snprintf(want, sizeof want, "%s:3:", path);
    if (!strstr(err, want) || !strstr(err, "deny_nets") || !strstr(err, "bogus/3"))
        fail_msg("unexpected error: %s", err);
    free(err);

    /* Good lists load, and the default is the private networks. */
    fd = open(path, O_WRONLY | O_TRUNC);
    text = "[fetcher]\nallow_nets = 10.1.0.0/16\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t) strlen(text));
    close(fd);
    cfg = config_load(path, &err);
    assert_non_null(cfg);
    assert_string_equal(cfg->fetcher_allow_nets, "10.1.0.0/16");
    assert_string_equal(cfg->fetcher_private_nets, FETCHER_PRIVATE_NETS);
    assert_string_equal(cfg->fetcher_deny_nets, "");
    config_destroy(&cfg);
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_contains),
        cmocka_unit_test(test_config_reports_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
