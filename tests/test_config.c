/*
 * test_config.c — marsad.conf reader (proto/config.c): a full config with
 * every section, Arabic names and an included watches.d; defaults; path
 * resolution; environment overrides; and one test per kind of error, each
 * checking that the message names the right file and line.
 *
 * Configs are written into a fresh mkdtemp() directory by each test; one
 * checked-in example lives in tests/data/config/.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

/* ------------------------------------------------------------ helpers */

static char s_dir[256];

static int
s_setup(void **state)
{
    (void) state;
    snprintf(s_dir, sizeof s_dir, "/tmp/marsad-test-config-XXXXXX");
    if (!mkdtemp(s_dir))
        return -1;
    return 0;
}

static int
s_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void) st; (void) flag; (void) ftw;
    return remove(path);
}

static int
s_teardown(void **state)
{
    (void) state;
    return nftw(s_dir, s_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write TEXT to s_dir/NAME, creating one level of subdirectory if needed. */
static void
s_write(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", s_dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0755);
    *slash = '/';
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

static char *
s_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", s_dir, name);
    return path;
}

static marsad_config_t *
s_load(const char *text, char **err)
{
    s_write("marsad.conf", text);
    return config_load(s_path("marsad.conf"), err);
}

/* Load TEXT as marsad.conf; expect failure with "FILE:LINE: " followed
 * (somewhere) by WHAT. */
static void
s_expect_error(const char *text, const char *file, int line, const char *what)
{
    char *err = NULL;
    marsad_config_t *cfg = s_load(text, &err);
    assert_null(cfg);
    assert_non_null(err);
    char where[1024];
    snprintf(where, sizeof where, "%s/%s:%d: ", s_dir, file, line);
    if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, what))
        fail_msg("error \"%s\"\n  want \"%s...%s\"", err, where, what);
    free(err);
}

/* ------------------------------------------------------------- tests */

static const char s_full[] =
    "\xEF\xBB\xBF; marsad.conf for the tests\r\n"
    "# both comment styles\r\n"
    "[pipeline]\r\n"
    "data_dir = var\r\n"
    "log_level = debug\r\n"
    "include = watches.d/*.conf\r\n"
    "include = missing.d/*.conf\r\n"
    "\r\n"
    "[fetcher]\n"
    "  bind   =   tcp://*:6551   \n"
    "ack = ipc:///run/marsad/ack\n"
    "db = /srv/outbox.db\n"
    "user_agent = test-agent/1.0 (+https://example.org/bot)\n"
    "timeout = 12\n"
    "resend_after = 45\n"
    "max_body = 2M\n"
    "fetch_pages = no\n"
    "\n"
    "[extractor]\n"
    "raw = tcp://fetcher:6551\n"
    "article = tcp://store:6552\n"
    "[store]\n"
    "bind = tcp://*:6552\n"
    "publish = tcp://*:6553\n"
    "api = tcp://*:6554\n"
    "db = db/marsad.db\n"
    "[alerter]\n"
    "stored = tcp://store:6553\n"
    "store_api = tcp://store:6554\n"
    "publish = tcp://*:6560\n"
    "replay = tcp://*:6561\n"
    "db = alerts.db\n"
    "\n"
    "[source aljazeera]\n"
    "url = https://www.aljazeera.net/aljazeerarss/a7c186be.xml?x=1#frag\n"
    "interval = 120\n"
    "lang = ar\n"
    "[source demo]\n"
    "url = file:demo/feed.xml\n"
    "[source abs]\n"
    "url = file:///var/feeds/x.xml\n"
    "\n"
    "[entity viktor_bout]\n"
    "type = person\n"
    "names = Viktor Bout | فيكتور بوت|  Виктор Бут |باوت\n"
    "epithets = merchant of death|تاجر الموت\n"
    "[entity houthis]\n"
    "type = org\n"
    "names = Houthis|الحوثيون|أنصار الله\n"
    "\n"
    "[watch bout]\n"
    "severity = critical\n"
    "query = @viktor_bout AND (\"صفقة أسلحة\" OR weapons NEAR/5 deal)\n";

static void
s_write_watches(void)
{
    s_write("watches.d/20-houthis.conf",
            "# second file, read after 10-\n"
            "[watch houthis.arms]\n"
            "query = @houthis AND سلاح*\n");
    s_write("watches.d/10-ak.conf",
            "[watch ak-47]\n"
            "severity = low\n"
            "\n"
            "query = \"AK-47\" NOT \"AK-74\"\n"
            "[entity ak47]\n"
            "type = weapon\n"
            "names = AK-47|كلاشنكوف\n");
    s_write("watches.d/notes.txt", "this is not a config file [\n");
}

static void
test_full(void **state)
{
    (void) state;
    s_write_watches();
    char *err = NULL;
    marsad_config_t *cfg = s_load(s_full, &err);
    if (!cfg)
        fail_msg("%s", err);
    assert_null(err);

    char want[600];
    snprintf(want, sizeof want, "%s/marsad.conf", s_dir);
    assert_string_equal(cfg->path, want);
    snprintf(want, sizeof want, "%s/var", s_dir);
    assert_string_equal(cfg->data_dir, want);
    assert_string_equal(cfg->log_level, "debug");
    assert_int_equal(cfg->n_includes, 2);
    snprintf(want, sizeof want, "%s/watches.d/*.conf", s_dir);
    assert_string_equal(cfg->includes[0], want);

    assert_string_equal(cfg->fetcher_bind, "tcp://*:6551");
    assert_string_equal(cfg->fetcher_ack, "ipc:///run/marsad/ack");
    assert_string_equal(cfg->fetcher_db, "/srv/outbox.db");
    assert_string_equal(cfg->fetcher_user_agent, "test-agent/1.0 (+https://example.org/bot)");
    assert_int_equal(cfg->fetcher_timeout, 12);
    assert_int_equal(cfg->fetcher_resend_after, 45);
    assert_int_equal(cfg->fetcher_max_body, 2 * 1024 * 1024);
    assert_int_equal(cfg->fetcher_fetch_pages, 0);
    assert_string_equal(cfg->extractor_raw, "tcp://fetcher:6551");
    assert_string_equal(cfg->extractor_article, "tcp://store:6552");
    assert_string_equal(cfg->store_bind, "tcp://*:6552");
    assert_string_equal(cfg->store_publish, "tcp://*:6553");
    assert_string_equal(cfg->store_api, "tcp://*:6554");
    snprintf(want, sizeof want, "%s/db/marsad.db", s_dir);   /* relative to the file */
    assert_string_equal(cfg->store_db, want);
    assert_string_equal(cfg->alerter_stored, "tcp://store:6553");
    assert_string_equal(cfg->alerter_store_api, "tcp://store:6554");
    assert_string_equal(cfg->alerter_publish, "tcp://*:6560");
    assert_string_equal(cfg->alerter_replay, "tcp://*:6561");
    snprintf(want, sizeof want, "%s/alerts.db", s_dir);
    assert_string_equal(cfg->alerter_db, want);

    assert_int_equal(cfg->n_sources, 3);
    assert_string_equal(cfg->sources[0].name, "aljazeera");
    assert_string_equal(cfg->sources[0].url,
                        "https://www.aljazeera.net/aljazeerarss/a7c186be.xml?x=1#frag");
    assert_int_equal(cfg->sources[0].interval, 120);
    assert_string_equal(cfg->sources[0].lang, "ar");
    assert_int_equal(cfg->sources[0].line, 34);
    assert_non_null(strstr(cfg->sources[0].file, "marsad.conf"));
    snprintf(want, sizeof want, "file://%s/demo/feed.xml", s_dir);
    assert_string_equal(cfg->sources[1].url, want);
    assert_int_equal(cfg->sources[1].interval, 300);
    assert_null(cfg->sources[1].lang);
    assert_string_equal(cfg->sources[2].url, "file:///var/feeds/x.xml");

    /* Entities: main file first, then the included one. */
    assert_int_equal(cfg->n_entities, 3);
    const cfg_entity_t *bout = config_entity(cfg, "viktor_bout");
    assert_non_null(bout);
    assert_string_equal(bout->type, "person");
    assert_int_equal(bout->n_names, 4);
    assert_string_equal(bout->names[0], "Viktor Bout");
    assert_string_equal(bout->names[1], "فيكتور بوت");
    assert_string_equal(bout->names[2], "Виктор Бут");
    assert_string_equal(bout->names[3], "باوت");
    assert_int_equal(bout->n_epithets, 2);
    assert_string_equal(bout->epithets[1], "تاجر الموت");
    const cfg_entity_t *houthis = config_entity(cfg, "houthis");
    assert_int_equal(houthis->n_epithets, 0);
    assert_null(houthis->epithets);
    assert_string_equal(houthis->names[2], "أنصار الله");
    const cfg_entity_t *ak = config_entity(cfg, "ak47");
    assert_non_null(ak);
    assert_string_equal(ak->type, "weapon");
    assert_non_null(strstr(ak->file, "watches.d/10-ak.conf"));
    assert_int_equal(ak->line, 5);
    assert_null(config_entity(cfg, "putin"));

    /* Watches: main, then watches.d in name order (10- before 20-). */
    assert_int_equal(cfg->n_watches, 3);
    assert_string_equal(cfg->watches[0].name, "bout");
    assert_string_equal(cfg->watches[0].severity, "critical");
    assert_string_equal(cfg->watches[0].query,
                        "@viktor_bout AND (\"صفقة أسلحة\" OR weapons NEAR/5 deal)");
    assert_int_equal(cfg->watches[0].line, 53);     /* the query line */
    assert_string_equal(cfg->watches[1].name, "ak-47");
    assert_string_equal(cfg->watches[1].severity, "low");
    assert_int_equal(cfg->watches[1].line, 4);
    assert_non_null(strstr(cfg->watches[1].file, "10-ak.conf"));
    assert_string_equal(cfg->watches[2].name, "houthis.arms");
    assert_string_equal(cfg->watches[2].severity, "medium");
    assert_string_equal(cfg->watches[2].query, "@houthis AND سلاح*");
    assert_ptr_equal(config_watch(cfg, "houthis.arms"), &cfg->watches[2]);
    assert_null(config_watch(cfg, "nope"));

    config_destroy(&cfg);
    assert_null(cfg);
    config_destroy(&cfg);
    config_destroy(NULL);
}

static void
test_defaults(void **state)
{
    (void) state;
    char *err = NULL;
    marsad_config_t *cfg = s_load("; nothing but a comment\n", &err);
    if (!cfg)
        fail_msg("%s", err);
    char want[600];
    snprintf(want, sizeof want, "%s/data", s_dir);
    assert_string_equal(cfg->data_dir, want);
    assert_string_equal(cfg->log_level, "info");
    assert_int_equal(cfg->n_includes, 0);
    assert_string_equal(cfg->fetcher_bind, "tcp://127.0.0.1:5551");
    assert_string_equal(cfg->fetcher_ack, "tcp://127.0.0.1:5553");
    snprintf(want, sizeof want, "%s/data/fetcher.db", s_dir);
    assert_string_equal(cfg->fetcher_db, want);
    assert_string_equal(cfg->fetcher_user_agent, "marsad/0.1 (+news monitor)");
    assert_int_equal(cfg->fetcher_timeout, 30);
    assert_int_equal(cfg->fetcher_resend_after, 30);
    assert_int_equal(cfg->fetcher_max_body, 10485760);
    assert_int_equal(cfg->fetcher_fetch_pages, 1);
    assert_string_equal(cfg->extractor_raw, "tcp://127.0.0.1:5551");
    assert_string_equal(cfg->extractor_article, "tcp://127.0.0.1:5552");
    assert_string_equal(cfg->store_bind, "tcp://127.0.0.1:5552");
    assert_string_equal(cfg->store_publish, "tcp://127.0.0.1:5553");
    assert_string_equal(cfg->store_api, "tcp://127.0.0.1:5554");
    snprintf(want, sizeof want, "%s/data/marsad.db", s_dir);
    assert_string_equal(cfg->store_db, want);
    assert_string_equal(cfg->alerter_stored, "tcp://127.0.0.1:5553");
    assert_string_equal(cfg->alerter_store_api, "tcp://127.0.0.1:5554");
    assert_string_equal(cfg->alerter_publish, "tcp://127.0.0.1:5560");
    assert_string_equal(cfg->alerter_replay, "tcp://127.0.0.1:5561");
    snprintf(want, sizeof want, "%s/data/alerter.db", s_dir);
    assert_string_equal(cfg->alerter_db, want);
    assert_int_equal(cfg->n_sources + cfg->n_entities + cfg->n_watches, 0);
    config_destroy(&cfg);

    /* An empty file is fine too. */
    cfg = s_load("", &err);
    assert_non_null(cfg);
    config_destroy(&cfg);
}

static void
test_relative_paths(void **state)
{
    (void) state;
    /* The config lives in a subdirectory and is named by a relative path:
     * everything resolves against conf/, not the working directory. */
    s_write("conf/marsad.conf",
            "[pipeline]\n"
            "data_dir = ../state\n"
            "include = w/*.conf\n"
            "[store]\n"
            "db = sqlite/m.db\n"
            "[source local]\n"
            "url = file:feeds/a.xml\n"
            "[source slash]\n"
            "url = file:/abs/b.xml\n");
    s_write("conf/w/x.conf", "[source inc]\nurl = file:c.xml\n");
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(s_dir), 0);
    char *err = NULL;
    marsad_config_t *cfg = config_load("conf/marsad.conf", &err);
    assert_int_equal(chdir(cwd), 0);
    if (!cfg)
        fail_msg("%s", err);
    char want[600];
    snprintf(want, sizeof want, "%s/conf/marsad.conf", s_dir);
    assert_string_equal(cfg->path, want);
    snprintf(want, sizeof want, "%s/conf/../state", s_dir);
    assert_string_equal(cfg->data_dir, want);
    snprintf(want, sizeof want, "%s/conf/../state/fetcher.db", s_dir);
    assert_string_equal(cfg->fetcher_db, want);
    snprintf(want, sizeof want, "%s/conf/sqlite/m.db", s_dir);
    assert_string_equal(cfg->store_db, want);
    snprintf(want, sizeof want, "file://%s/conf/feeds/a.xml", s_dir);
    assert_string_equal(cfg->sources[0].url, want);
    assert_string_equal(cfg->sources[1].url, "file:///abs/b.xml");
    /* A file: URL in an included file is relative to that file. */
    assert_int_equal(cfg->n_sources, 3);
    snprintf(want, sizeof want, "file://%s/conf/w/c.xml", s_dir);
    assert_string_equal(cfg->sources[2].url, want);
    config_destroy(&cfg);
}

static void
test_env_override(void **state)
{
    (void) state;
    setenv("MARSAD_FETCHER_BIND", "tcp://*:7551", 1);
    setenv("MARSAD_STORE_API", "ipc:///tmp/api.sock", 1);
    setenv("MARSAD_FETCHER_TIMEOUT", "99", 1);
    setenv("MARSAD_PIPELINE_DATA_DIR", "/srv/marsad", 1);
    char *err = NULL;
    marsad_config_t *cfg = s_load("[fetcher]\nbind = tcp://127.0.0.1:5551\ntimeout = 5\n", &err);
    if (!cfg)
        fail_msg("%s", err);
    assert_string_equal(cfg->fetcher_bind, "tcp://*:7551");
    assert_string_equal(cfg->store_api, "ipc:///tmp/api.sock");
    assert_int_equal(cfg->fetcher_timeout, 99);
    assert_string_equal(cfg->data_dir, "/srv/marsad");
    assert_string_equal(cfg->store_db, "/srv/marsad/marsad.db");  /* follows data_dir */
    config_destroy(&cfg);

    /* A bad value names the variable. */
    setenv("MARSAD_FETCHER_TIMEOUT", "soon", 1);
    cfg = s_load("", &err);
    assert_null(cfg);
    assert_non_null(strstr(err, "MARSAD_FETCHER_TIMEOUT"));
    assert_non_null(strstr(err, "'soon' is not an integer"));
    free(err);
    setenv("MARSAD_FETCHER_TIMEOUT", "0", 1);
    cfg = s_load("", &err);
    assert_null(cfg);
    assert_non_null(strstr(err, "MARSAD_FETCHER_TIMEOUT: timeout must be between 1 and 3600"));
    free(err);
    unsetenv("MARSAD_FETCHER_TIMEOUT");
    setenv("MARSAD_ALERTER_PUBLISH", "udp://x", 1);
    cfg = s_load("", &err);
    assert_null(cfg);
    assert_non_null(strstr(err, "MARSAD_ALERTER_PUBLISH"));
    free(err);
    unsetenv("MARSAD_ALERTER_PUBLISH");
    unsetenv("MARSAD_FETCHER_BIND");
    unsetenv("MARSAD_STORE_API");
    unsetenv("MARSAD_PIPELINE_DATA_DIR");
}

static void
test_error_unknown_key(void **state)
{
    (void) state;
    s_expect_error("[source aljazeera]\nurl = https://a/\n\n; c\nintervall = 60\n",
                   "marsad.conf", 5, "unknown key 'intervall' in [source aljazeera]");
    s_expect_error("[fetcher]\nbindd = tcp://*:1\n", "marsad.conf", 2,
                   "unknown key 'bindd' in [fetcher]");
}

static void
test_error_missing_required(void **state)
{
    (void) state;
    s_expect_error("[pipeline]\n\n[watch x]\nseverity = high\n[watch y]\nquery = a\n",
                   "marsad.conf", 3, "[watch x]: missing required key 'query'");
    s_expect_error("[source s]\ninterval = 5\n", "marsad.conf", 1,
                   "[source s]: missing required key 'url'");
    s_expect_error("[entity e]\ntype = person\n", "marsad.conf", 1,
                   "[entity e]: missing required key 'names'");
}

static void
test_error_duplicate(void **state)
{
    (void) state;
    s_expect_error("[source a]\nurl = http://x/\n[source a]\nurl = http://y/\n",
                   "marsad.conf", 3, "duplicate section [source a] (first at ");
    s_expect_error("[fetcher]\n[store]\n[fetcher]\n", "marsad.conf", 3,
                   "duplicate section [fetcher]");
    s_expect_error("[watch w]\nquery = a\nquery = b\n", "marsad.conf", 3,
                   "duplicate key 'query' in [watch w]");
}

static void
test_error_numbers(void **state)
{
    (void) state;
    s_expect_error("[source a]\nurl = http://x/\ninterval = 0\n", "marsad.conf", 3,
                   "interval must be between 1 and 604800");
    s_expect_error("[source a]\nurl = http://x/\ninterval = 5m\n", "marsad.conf", 3,
                   "interval: '5m' is not an integer");
    s_expect_error("[fetcher]\ntimeout =\n", "marsad.conf", 2, "is not an integer");
    s_expect_error("[fetcher]\nmax_body = 10Q\n", "marsad.conf", 2, "is not a size");
    s_expect_error("[fetcher]\nmax_body = 1G\n", "marsad.conf", 2, "max_body must be between");
    s_expect_error("[fetcher]\nfetch_pages = maybe\n", "marsad.conf", 2, "is not a boolean");
}

static void
test_error_values(void **state)
{
    (void) state;
    s_expect_error("[entity e]\ntype = robot\nnames = R2\n", "marsad.conf", 2,
                   "type must be one of person|org|place|weapon|media|other");
    s_expect_error("[entity e]\ntype = person\nnames = A||B\n", "marsad.conf", 3,
                   "names: empty item");
    s_expect_error("[entity e]\ntype = person\nnames =  \n", "marsad.conf", 3,
                   "names: empty item");
    s_expect_error("[watch w]\nquery = x\nseverity = urgent\n", "marsad.conf", 3,
                   "severity must be one of low|medium|high|critical");
    s_expect_error("[source s]\nurl = ftp://x/feed\n", "marsad.conf", 2,
                   "unsupported URL scheme");
    s_expect_error("[source s]\nurl = file://host/feed\n", "marsad.conf", 2,
                   "file:///ABSOLUTE/PATH");
    s_expect_error("[store]\napi = tcp://127.0.0.1\n", "marsad.conf", 2,
                   "is not a ZeroMQ endpoint");
    s_expect_error("[store]\napi = tcp://127.0.0.1:99999\n", "marsad.conf", 2,
                   "is not a ZeroMQ endpoint");
    s_expect_error("[pipeline]\nlog_level = loud\n", "marsad.conf", 2, "log_level must be one of");
}

static void
test_error_syntax(void **state)
{
    (void) state;
    s_expect_error("; top\ndata_dir = x\n", "marsad.conf", 2, "key 'data_dir' outside any section");
    s_expect_error("[pipeline]\njust some words\n", "marsad.conf", 2, "malformed line");
    s_expect_error("[pipeline]\n= value\n", "marsad.conf", 2, "malformed key");
    s_expect_error("[pipeline]\n[fetcher\n", "marsad.conf", 2, "malformed section header");
    s_expect_error("\n\n[sorce x]\n", "marsad.conf", 3, "unknown section type 'sorce'");
    s_expect_error("[source]\n", "marsad.conf", 1, "[source] needs a name");
    s_expect_error("[fetcher main]\n", "marsad.conf", 1, "[fetcher] takes no name");
    s_expect_error("[watch bad name!]\n", "marsad.conf", 1, "bad watch name");
    s_expect_error("[entity Viktor]\n", "marsad.conf", 1, "bad entity name 'Viktor'");
    s_expect_error("[pipeline]\nlog_level = info\xff\n", "marsad.conf", 2, "invalid UTF-8");

    char *big = malloc(5000);
    memset(big, 'a', 4999);
    big[4999] = '\0';
    memcpy(big, "[watch w]\nquery = ", 18);
    s_expect_error(big, "marsad.conf", 2, "line too long");
    free(big);
}

static void
test_error_in_include(void **state)
{
    (void) state;
    s_write("watches.d/a.conf", "[watch a]\nquery = x\n");
    s_write("watches.d/b.conf", "# b\n[watch b]\nquery = y\nseverty = high\n");
    char where[1024];
    snprintf(where, sizeof where, "%s/watches.d/b.conf:4: unknown key 'severty' in [watch b]",
             s_dir);
    char *err = NULL;
    marsad_config_t *cfg = s_load("[pipeline]\ninclude = watches.d/*.conf\n", &err);
    assert_null(cfg);
    assert_string_equal(err, where);
    free(err);

    /* A duplicate across files names both places. */
    s_write("watches.d/b.conf", "\n[watch a]\nquery = y\n");
    cfg = s_load("[pipeline]\ninclude = watches.d/*.conf\n", &err);
    assert_null(cfg);
    snprintf(where, sizeof where, "%s/watches.d/b.conf:2: duplicate section [watch a] "
             "(first at %s/watches.d/a.conf:2)", s_dir, s_dir);
    assert_string_equal(err, where);
    free(err);

    /* Stage sections belong to the main file only. */
    s_write("watches.d/b.conf", "[fetcher]\ntimeout = 3\n");
    cfg = s_load("[pipeline]\ninclude = watches.d/*.conf\n", &err);
    assert_null(cfg);
    snprintf(where, sizeof where, "%s/watches.d/b.conf:1: [fetcher] is only allowed", s_dir);
    assert_non_null(strstr(err, where));
    free(err);

    /* include outside [pipeline] is an unknown key. */
    s_expect_error("[fetcher]\ninclude = x/*.conf\n", "marsad.conf", 2,
                   "unknown key 'include' in [fetcher]");
}

static void
test_error_missing_file(void **state)
{
    (void) state;
    char *err = NULL;
    marsad_config_t *cfg = config_load(s_path("nope.conf"), &err);
    assert_null(cfg);
    assert_non_null(strstr(err, "nope.conf"));
    free(err);
    /* err may be NULL when the caller does not want the message. */
    assert_null(config_load(s_path("nope.conf"), NULL));
}

static void
test_fixture(void **state)
{
    (void) state;
    const char *root = getenv("MARSAD_SOURCE_ROOT");
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/config/marsad.conf", root ? root : ".");
    char *err = NULL;
    marsad_config_t *cfg = config_load(path, &err);
    if (!cfg)
        fail_msg("%s", err);
    assert_true(cfg->n_sources >= 1);
    assert_non_null(config_entity(cfg, "viktor_bout"));
    assert_non_null(config_watch(cfg, "bout"));
    assert_non_null(config_watch(cfg, "houthis"));
    config_destroy(&cfg);
}

static void
test_reference_and_default_path(void **state)
{
    (void) state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    config_print_reference(f);
    fclose(f);
    assert_non_null(strstr(buf, "## [fetcher]"));
    assert_non_null(strstr(buf, "## [watch NAME]"));
    assert_non_null(strstr(buf, "| `timeout` | int | `30` | 1 – 3600 | `MARSAD_FETCHER_TIMEOUT` |"));
    assert_non_null(strstr(buf, "low\\|medium\\|high\\|critical"));
    assert_non_null(strstr(buf, "`MARSAD_ALERTER_STORE_API`"));
    free(buf);

    setenv("MARSAD_CONFIG", "/etc/x/marsad.conf", 1);
    assert_string_equal(config_default_path(), "/etc/x/marsad.conf");
    unsetenv("MARSAD_CONFIG");
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(s_dir), 0);
    assert_non_null(strstr(config_default_path(), "/marsad/marsad.conf"));
    s_write("marsad.conf", "");
    assert_string_equal(config_default_path(), "./marsad.conf");
    assert_int_equal(chdir(cwd), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, s_setup, s_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_full),
        T(test_defaults),
        T(test_relative_paths),
        T(test_env_override),
        T(test_error_unknown_key),
        T(test_error_missing_required),
        T(test_error_duplicate),
        T(test_error_numbers),
        T(test_error_values),
        T(test_error_syntax),
        T(test_error_in_include),
        T(test_error_missing_file),
        T(test_fixture),
        T(test_reference_and_default_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
