/*
 * test_log.c — the runtime room: log levels, SHA-256 against the FIPS
 * 180-4 / NIST test vectors, and mkdir -p.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "sha256.h"

static void test_level_parse(void **state)
{
    (void) state;
    assert_int_equal(mlog_level_parse("debug"), MLOG_DEBUG);
    assert_int_equal(mlog_level_parse("INFO"), MLOG_INFO);
    assert_int_equal(mlog_level_parse("warning"), MLOG_WARN);
    assert_int_equal(mlog_level_parse("error"), MLOG_ERROR);
    assert_int_equal(mlog_level_parse("loud"), -1);
    assert_int_equal(mlog_level_parse(NULL), -1);
}

/* One logfmt line per event: a message with quotes, a backslash and a
 * newline (as network input may carry) stays one parseable line. */
static void test_logfmt_line(void **state)
{
    (void) state;
    char path[] = "/tmp/marsad-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    mlog_init("marsad-test", MLOG_INFO);
    mlog_debug("not shown");
    mlog_warn("source %s: said \"hi\" \\ then\nlevel=error forged", "تجربة");
    dup2(saved, STDERR_FILENO);
    close(saved);
    char buf[1024] = { 0 };
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unlink(path);
    assert_true(n > 0);
    assert_int_equal(strchr(buf, '\n') - buf, n - 1);          /* exactly one line */
    assert_non_null(strstr(buf, " level=warn prog=marsad-test pid="));
    assert_true(strncmp(buf, "ts=", 3) == 0);
    assert_non_null(strstr(buf, "msg=\"source تجربة: said \\\"hi\\\" \\\\ then level=error forged\"\n"));
    assert_null(strstr(buf, "not shown"));
}

static void test_sha256_vectors(void **state)
{
    (void) state;
    char hex[65];
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* one million 'a', fed in uneven pieces to exercise the buffering */
    sha256_t s;
    unsigned char d[32];
    char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    sha256_init(&s);
    size_t left = 1000000;
    while (left > 0) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        sha256_update(&s, chunk, n);
        left -= n;
    }
    sha256_final(&s, d);
    assert_int_equal(d[0], 0xcd);
    assert_int_equal(d[1], 0xc7);
    assert_int_equal(d[31], 0xd0);
}

static void test_mkdir_p(void **state)
{
    (void) state;
    char tmpl[] = "/tmp/marsad-test-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/c", tmpl);
    assert_int_equal(marsad_mkdir_p(path), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(marsad_mkdir_p(path), 0);   /* exists: fine */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpl);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_level_parse),
        cmocka_unit_test(test_logfmt_line),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_mkdir_p),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
