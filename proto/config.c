/*
 * config.c — read marsad.conf (DESIGN §8) into a marsad_config_t.
 *
 * One table, s_params[], lists every key of every section with its type,
 * default, range and description.  It drives the parser (what keys exist,
 * how a value is checked and stored), the defaults, the environment
 * overrides (MARSAD_<SECTION>_<KEY> for the five stage sections) and
 * config_print_reference().  Adding a key is adding a row (and a field in
 * config.h).
 *
 * XXX Why not inih: errors must carry line numbers, and inih only passes
 * the line number to its handler when built with INI_HANDLER_LINENO, which
 * Debian's libinih is not (and the handler signature depends on it, so we
 * cannot turn it on from here).  Counting handler calls does not give line
 * numbers either (blank lines and comments are skipped silently).  So this
 * file has its own small line reader, s_load_file(): whole-line comments
 * (';' or '#'), [type NAME] headers, `key = value` with trimming, CRLF, a
 * UTF-8 BOM at the start of the file, strict UTF-8, and a maximum line
 * length.  Values are taken literally: no quotes are stripped and no inline
 * comments are recognised (URLs hold '#', watch queries hold '"' and ';').
 *
 * Diagnostics: the first problem found is returned as "FILE:LINE: message";
 * an invalid environment override as "$MARSAD_X_Y: message".
 */
#include "config.h"
#include "proto.h"
#include "marsad_build.h"
#include "net_list.h"
#include "utf8.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zmq.h>

#define CFG_MAX_LINE 4096                 /* bytes per line, without the newline */
#define CFG_MAX_FILE (4 * 1024 * 1024)    /* bytes per file */
#define CFG_USER_AGENT "marsad/0.1 (+news monitor)"

/* ------------------------------------------------------------- table */

typedef enum {
    CT_STRING,      /* any UTF-8 text */
    CT_INT,         /* decimal integer in [min, max]; stored as int */
    CT_BOOL,        /* true/false, yes/no, on/off, 1/0; stored as int 1/0 */
    CT_SIZE,        /* bytes, optional k/M/G suffix, in [min, max]; stored as long */
    CT_ENDPOINT,    /* tcp://HOST:PORT, ipc://PATH, inproc://NAME */
    CT_PATH,        /* file system path; relative to the naming file's directory */
    CT_ENUM,        /* one of `choices` */
    CT_URL,         /* http(s):// as is; file: made file:///absolute */
    CT_LIST,        /* A|B|C, trimmed, none empty; stored as char ** + size_t */
    CT_NETS,        /* IP networks "10.0.0.0/8, fc00::/7" (net_list.h); stored as text */
    CT_KEY,         /* a CURVE key in Z85 (40 characters, `marsad keygen`), or empty */
    CT_INCLUDE      /* repeatable glob, [pipeline] only */
} cfg_type_t;

typedef enum { S_PIPELINE, S_FETCHER, S_EXTRACTOR, S_STORE, S_ALERTER,
               S_SOURCE, S_ENTITY, S_WATCH, S_COUNT } cfg_section_t;

static const char *const s_section_names[S_COUNT] = {
    "pipeline", "fetcher", "extractor", "store", "alerter", "source", "entity", "watch"
};

typedef struct {
    cfg_section_t section;
    const char *key;
    cfg_type_t type;
    const char *dflt;     /* NULL: none; "DATA/x": x inside data_dir */
    long long min, max;   /* CT_INT, CT_SIZE */
    const char *choices;  /* CT_ENUM: "a|b|c" */
    bool required;        /* repeatable sections only */
    size_t offset;        /* into marsad_config_t, or the section's struct */
    size_t count_offset;  /* CT_LIST: where the count lives */
    const char *desc;
} cfg_param_t;

#define C(f) offsetof(marsad_config_t, f)
#define SRC(f) offsetof(cfg_source_t, f)
#define ENT(f) offsetof(cfg_entity_t, f)
#define WAT(f) offsetof(cfg_watch_t, f)

static const cfg_param_t s_params[] = {
    { S_PIPELINE, "data_dir", CT_PATH, "data", 0, 0, NULL, false, C(data_dir), 0,
      "Directory of the databases (relative to the config file)" },
    { S_PIPELINE, "log_level", CT_ENUM, "info", 0, 0, "debug|info|warn|error", false,
      C(log_level), 0, "Lowest level logged" },
    { S_PIPELINE, "include", CT_INCLUDE, NULL, 0, 0, NULL, false, 0, 0,
      "Glob of more files to read, e.g. watches.d/*.conf (may repeat; relative to this file; "
      "included files hold only [source], [entity] and [watch])" },

    { S_FETCHER, "bind", CT_ENDPOINT, "tcp://127.0.0.1:5551", 0, 0, NULL, false,
      C(fetcher_bind), 0, "PUSH socket for `raw` documents (bind)" },
    { S_FETCHER, "ack", CT_ENDPOINT, "tcp://127.0.0.1:5553", 0, 0, NULL, false,
      C(fetcher_ack), 0, "The store's PUB socket, for `ack` (connect)" },
    { S_FETCHER, "db", CT_PATH, "DATA/fetcher.db", 0, 0, NULL, false, C(fetcher_db), 0,
      "Outbox and seen items (SQLite)" },
    { S_FETCHER, "user_agent", CT_STRING, CFG_USER_AGENT, 0, 0, NULL, false,
      C(fetcher_user_agent), 0, "HTTP User-Agent" },
    { S_FETCHER, "timeout", CT_INT, "30", 1, 3600, NULL, false, C(fetcher_timeout), 0,
      "Seconds per HTTP request" },
    { S_FETCHER, "resend_after", CT_INT, "30", 1, 86400, NULL, false,
      C(fetcher_resend_after), 0, "Seconds before an unacknowledged document is sent again" },
    { S_FETCHER, "max_body", CT_SIZE, "10485760", 1024, PROTO_MAX_BODY, NULL, false,
      C(fetcher_max_body), 0, "Largest document fetched, bytes (k, M, G suffixes allowed)" },
    { S_FETCHER, "fetch_pages", CT_BOOL, "true", 0, 1, NULL, false, C(fetcher_fetch_pages), 0,
      "Fetch each item's page (false: use the feed's content only)" },
    { S_FETCHER, "robots", CT_BOOL, "true", 0, 1, NULL, false, C(fetcher_robots), 0,
      "Respect each site's robots.txt for article pages (feeds are always polled)" },
    { S_FETCHER, "proxy", CT_STRING, "", 0, 0, NULL, false, C(fetcher_proxy), 0,
      "HTTP(S) proxy URL for all requests, e.g. http://proxy:3128; empty: none" },
    { S_FETCHER, "ca_file", CT_PATH, "", 0, 0, NULL, false, C(fetcher_ca_file), 0,
      "PEM file of CA certificates to verify HTTPS servers with instead of the system bundle "
      "(e.g. an internal CA); empty: the system's" },
    { S_FETCHER, "parallel", CT_INT, "32", 1, 1024, NULL, false, C(fetcher_parallel), 0,
      "Requests in flight at once, all hosts together" },
    { S_FETCHER, "per_host", CT_INT, "1", 1, 16, NULL, false, C(fetcher_per_host), 0,
      "Connections to one host at once" },
    { S_FETCHER, "host_delay", CT_INT, "1", 0, 3600, NULL, false, C(fetcher_host_delay), 0,
      "Seconds between two requests to one host (feed polls, robots.txt, pages)" },
    { S_FETCHER, "unhealthy_after", CT_INT, "86400", 1, 31536000, NULL, false,
      C(fetcher_unhealthy_after), 0,
      "Seconds a source may keep failing before `marsad status` calls it unhealthy (it is still retried)" },
    { S_FETCHER, "private_nets", CT_NETS, FETCHER_PRIVATE_NETS, 0, 0, NULL, false,
      C(fetcher_private_nets), 0,
      "Internal networks (SSRF guard): reached only by sources whose own URL is on one of them" },
    { S_FETCHER, "allow_nets", CT_NETS, "", 0, 0, NULL, false, C(fetcher_allow_nets), 0,
      "Networks every source may reach, even among private_nets" },
    { S_FETCHER, "deny_nets", CT_NETS, "", 0, 0, NULL, false, C(fetcher_deny_nets), 0,
      "Networks no source may reach, whatever its own address" },
    { S_FETCHER, "metrics", CT_STRING, "127.0.0.1:9551", 0, 0, NULL, false, C(fetcher_metrics), 0,
      "HTTP address of GET /metrics (Prometheus) and GET /status; empty: off" },

    { S_EXTRACTOR, "raw", CT_ENDPOINT, "tcp://127.0.0.1:5551", 0, 0, NULL, false,
      C(extractor_raw), 0, "The fetcher's PUSH socket, PULL `raw` (connect)" },
    { S_EXTRACTOR, "article", CT_ENDPOINT, "tcp://127.0.0.1:5552", 0, 0, NULL, false,
      C(extractor_article), 0, "The store's PULL socket, PUSH `article` (connect)" },
    { S_EXTRACTOR, "metrics", CT_STRING, "127.0.0.1:9552", 0, 0, NULL, false, C(extractor_metrics), 0,
      "HTTP address of GET /metrics (Prometheus) and GET /status; empty: off" },

    { S_STORE, "bind", CT_ENDPOINT, "tcp://127.0.0.1:5552", 0, 0, NULL, false,
      C(store_bind), 0, "PULL socket for `article` (bind)" },
    { S_STORE, "publish", CT_ENDPOINT, "tcp://127.0.0.1:5553", 0, 0, NULL, false,
      C(store_publish), 0, "PUB socket for `ack` and `stored` (bind)" },
    { S_STORE, "api", CT_ENDPOINT, "tcp://127.0.0.1:5554", 0, 0, NULL, false,
      C(store_api), 0, "REP socket for catch-up and queries (bind)" },
    { S_STORE, "db", CT_PATH, "DATA/marsad.db", 0, 0, NULL, false, C(store_db), 0,
      "The article store (SQLite)" },
    { S_STORE, "metrics", CT_STRING, "127.0.0.1:9553", 0, 0, NULL, false, C(store_metrics), 0,
      "HTTP address of GET /metrics (Prometheus) and GET /status; empty: off" },
    { S_STORE, "batch_rows", CT_INT, "256", 1, 10000, NULL, false, C(store_batch_rows), 0,
      "Articles committed in one transaction at most (acknowledged only after the commit)" },
    { S_STORE, "batch_ms", CT_INT, "20", 0, 10000, NULL, false, C(store_batch_ms), 0,
      "Longest a transaction keeps taking articles already waiting (it never waits for more: an idle store commits at once)" },
    { S_STORE, "keep_days", CT_INT, "0", 0, 36500, NULL, false, C(store_keep_days), 0,
      "Delete articles stored more than this many days ago, in small batches (0: keep forever)" },
    { S_STORE, "max_size", CT_SIZE, "0", 0, 1099511627776LL, NULL, false, C(store_max_size), 0,
      "Cap on the database size, bytes (k, M, G suffixes; 0: none); when reached the store "
      "stops acknowledging until space is freed" },

    { S_ALERTER, "stored", CT_ENDPOINT, "tcp://127.0.0.1:5553", 0, 0, NULL, false,
      C(alerter_stored), 0, "The store's PUB socket, SUB `stored` (connect)" },
    { S_ALERTER, "store_api", CT_ENDPOINT, "tcp://127.0.0.1:5554", 0, 0, NULL, false,
      C(alerter_store_api), 0, "The store's REP socket (connect)" },
    { S_ALERTER, "publish", CT_ENDPOINT, "tcp://127.0.0.1:5560", 0, 0, NULL, false,
      C(alerter_publish), 0, "PUB socket for `alert.<watch>` (bind)" },
    { S_ALERTER, "replay", CT_ENDPOINT, "tcp://127.0.0.1:5561", 0, 0, NULL, false,
      C(alerter_replay), 0, "REP socket for alert replay (bind)" },
    { S_ALERTER, "db", CT_PATH, "DATA/alerter.db", 0, 0, NULL, false, C(alerter_db), 0,
      "Alerts and watch state (SQLite)" },
    { S_ALERTER, "metrics", CT_STRING, "127.0.0.1:9554", 0, 0, NULL, false, C(alerter_metrics), 0,
      "HTTP address of GET /metrics (Prometheus), GET /status and GET /watches (the active watches); empty: off" },
    { S_ALERTER, "curve_secret", CT_KEY, "", 0, 0, NULL, false, C(alerter_curve_secret), 0,
      "The alerter's CURVE secret key (`marsad keygen`): encrypt and authenticate the publish "
      "and replay sockets; empty: plain" },
    { S_ALERTER, "curve_clients", CT_PATH, "", 0, 0, NULL, false, C(alerter_curve_clients), 0,
      "File of the subscribers' public keys allowed in (one per line, or `public = KEY` lines); "
      "empty: any subscriber that knows the alerter's public key" },

    { S_SOURCE, "url", CT_URL, NULL, 0, 0, NULL, true, SRC(url), 0,
      "Feed or page URL: http://, https://, file:///ABS or file:REL (relative to the file)" },
    { S_SOURCE, "interval", CT_INT, "300", 1, 604800, NULL, false, SRC(interval), 0,
      "Seconds between polls" },
    { S_SOURCE, "lang", CT_STRING, NULL, 0, 0, NULL, false, SRC(lang), 0,
      "Language hint (\"ar\", \"en\", ...)" },

    { S_ENTITY, "type", CT_ENUM, NULL, 0, 0, "person|org|place|weapon|media|other", true,
      ENT(type), 0, "Kind of entity" },
    { S_ENTITY, "names", CT_LIST, NULL, 0, 0, NULL, true, ENT(names), ENT(n_names),
      "Names in every script, separated by |" },
    { S_ENTITY, "epithets", CT_LIST, NULL, 0, 0, NULL, false, ENT(epithets), ENT(n_epithets),
      "Descriptions that stand for the entity, separated by |" },

    { S_WATCH, "query", CT_STRING, NULL, 0, 0, NULL, true, WAT(query), 0,
      "Watch query (words, \"phrases\", AND OR NOT, NEAR/n, field:, @entity)" },
    { S_WATCH, "severity", CT_ENUM, "medium", 0, 0, "low|medium|high|critical", false,
      WAT(severity), 0, "Severity carried by the alerts" },
    { S_WATCH, "rate_limit", CT_STRING, NULL, 0, 0, NULL, false, WAT(rate_limit), 0,
      "At most N alerts per period, \"N/hour\" (or /minute, /day, /second, or a multiple: "
      "\"5/30min\", \"2/15 seconds\"); the excess is folded into one digest alert" },
    { S_WATCH, "sink_file", CT_PATH, NULL, 0, 0, NULL, false, WAT(sink_file), 0,
      "JSON-lines file each alert is appended to (relative to this file)" },
    { S_WATCH, "sink_command", CT_STRING, NULL, 0, 0, NULL, false, WAT(sink_command), 0,
      "Shell command run for each alert, with the alert JSON on stdin" },
    { S_WATCH, "sink_webhook", CT_STRING, NULL, 0, 0, NULL, false, WAT(sink_webhook), 0,
      "http(s) URL each alert JSON is POSTed to (retried with backoff)" },
    { S_WATCH, "sink_email", CT_STRING, NULL, 0, 0, NULL, false, WAT(sink_email), 0,
      "smtp://HOST[:PORT]/RECIPIENT (or smtps://) each alert is mailed to" },
};
#define N_PARAMS (sizeof s_params / sizeof s_params[0])
_Static_assert(N_PARAMS <= 64, "seen-masks are 64 bits");

/* ----------------------------------------------------------- context */

typedef struct {
    marsad_config_t *cfg;
    char *err;                 /* first error, malloc'd */
    char *main_dir;            /* directory of the main file */
    /* The section being read. */
    cfg_section_t section;     /* S_COUNT: none yet */
    size_t index;              /* which source/entity/watch */
    int header_line;
    const char *file;          /* borrowed: the file being read, for messages */
    uint64_t seen;             /* keys given in the current section */
    uint64_t stage_set;        /* stage keys given anywhere (file or env) */
    const char *stage_file[S_SOURCE];
    int stage_line[S_SOURCE];  /* where each stage section was opened, 0: not yet */
} cfg_ctx_t;

static void s_error(cfg_ctx_t *ctx, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
s_error(cfg_ctx_t *ctx, const char *file, int line, const char *fmt, ...)
{
    if (ctx->err)
        return;
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    int n;
    if (line > 0)
        n = asprintf(&ctx->err, "%s:%d: %s", file, line, msg ? msg : "out of memory");
    else
        n = asprintf(&ctx->err, "%s: %s", file, msg ? msg : "out of memory");
    if (n < 0)
        ctx->err = NULL;
    free(msg);
    if (!ctx->err)
        ctx->err = strdup("out of memory");
}

/* --------------------------------------------------- small utilities */

static char *
s_join(const char *dir, const char *rel)
{
    if (rel[0] == '/')
        return strdup(rel);
    char *out = NULL;
    if (asprintf(&out, "%s/%s", dir, rel) < 0)
        return NULL;
    return out;
}

static char *
s_dirname(const char *abs)
{
    const char *slash = strrchr(abs, '/');
    if (!slash || slash == abs)
        return strdup("/");
    return strndup(abs, (size_t) (slash - abs));
}

static char *
s_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static bool
s_name_ok(const char *s, bool lower_only)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                  || (!lower_only && ((c >= 'A' && c <= 'Z') || c == '.'));
        if (!ok)
            return false;
    }
    return true;
}


static int
s_parse_int(const char *v, long long *out)
{
    if (!*v)
        return -1;
    errno = 0;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || end == v)
        return -1;
    *out = n;
    return 0;
}

static int
s_parse_size(const char *v, long long *out)
{
    if (!*v || *v == '-')
        return -1;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || end == v)
        return -1;
    unsigned long long mult = 1;
    if (*end) {
        switch (*end) {
        case 'k': case 'K': mult = 1024ULL; break;
        case 'm': case 'M': mult = 1024ULL * 1024; break;
        case 'g': case 'G': mult = 1024ULL * 1024 * 1024; break;
        default: return -1;
        }
        end++;
        if (*end == 'B' || *end == 'b')
            end++;
        if (*end)
            return -1;
    }
    if (n > (unsigned long long) LLONG_MAX / mult)
        return -1;
    *out = (long long) (n * mult);
    return 0;
}

static int
s_parse_bool(const char *v, int *out)
{
    static const char *const yes[] = { "true", "yes", "on", "1", NULL };
    static const char *const no[] = { "false", "no", "off", "0", NULL };
    for (size_t i = 0; yes[i]; i++) {
        if (strcasecmp(v, yes[i]) == 0) { *out = 1; return 0; }
        if (strcasecmp(v, no[i]) == 0) { *out = 0; return 0; }
    }
    return -1;
}

static bool
s_choice_ok(const char *choices, const char *v)
{
    size_t vlen = strlen(v);
    const char *p = choices;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t) (bar - p) : strlen(p);
        if (len == vlen && memcmp(p, v, len) == 0)
            return vlen > 0;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

static bool
s_endpoint_ok(const char *v)
{
    if (strncmp(v, "ipc://", 6) == 0)
        return v[6] != '\0';
    if (strncmp(v, "inproc://", 9) == 0)
        return v[9] != '\0';
    if (strncmp(v, "tcp://", 6) != 0)
        return false;
    const char *host = v + 6;
    const char *colon = strrchr(host, ':');
    if (!colon || colon == host)
        return false;
    const char *port = colon + 1;
    if (strcmp(port, "*") == 0)
        return true;
    long long n;
    if (s_parse_int(port, &n) != 0 || n < 1 || n > 65535 || port[0] == '+' || port[0] == '-')
        return false;
    return true;
}

/* http(s) as is; file:///abs as is; file:/abs and file:rel made
 * file:///absolute against DIR.  NULL with *why set on failure. */
static char *
s_url(const char *v, const char *dir, const char **why)
{
    *why = "unsupported URL scheme (use http://, https://, file:///ABS or file:REL)";
    if ((strncasecmp(v, "http://", 7) == 0 && v[7]) || (strncasecmp(v, "https://", 8) == 0 && v[8]))
        return strdup(v);
    if (strncasecmp(v, "file:", 5) != 0)
        return NULL;
    const char *p = v + 5;
    if (strncmp(p, "//", 2) == 0) {
        if (p[2] != '/' || !p[3]) {
            *why = "file URLs are file:///ABSOLUTE/PATH or file:RELATIVE/PATH";
            return NULL;
        }
        return strdup(v);
    }
    if (!*p) {
        *why = "file: URL without a path";
        return NULL;
    }
    char *path = s_join(dir, p);
    char *out = NULL;
    if (path && asprintf(&out, "file://%s", path) < 0)
        out = NULL;
    free(path);
    return out;
}

/* Split "A|B|C": trimmed, none empty. */
static int
s_split(const char *v, char ***out, size_t *n_out, const char **why)
{
    *out = NULL;
    *n_out = 0;
    char *copy = strdup(v);
    if (!copy) {
        *why = "out of memory";
        return -1;
    }
    size_t cap = 1;
    for (const char *p = v; *p; p++)
        cap += *p == '|';
    char **list = calloc(cap, sizeof *list);
    size_t n = 0;
    int rc = list ? 0 : -1;
    *why = "out of memory";
    char *p = copy;
    while (rc == 0) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        char *item = s_trim(p);
        if (!*item) {
            *why = "empty item in list (items are separated by |)";
            rc = -1;
            break;
        }
        if (!(list[n] = strdup(item))) {
            rc = -1;
            break;
        }
        n++;
        if (!bar)
            break;
        p = bar + 1;
    }
    free(copy);
    if (rc) {
        for (size_t i = 0; i < n; i++)
            free(list[i]);
        free(list);
        return -1;
    }
    *out = list;
    *n_out = n;
    return 0;
}

static void
s_free_list(char **list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        free(list[i]);
    free(list);
}

/* --------------------------------------------------- setting a value */

/* Store V for P into the struct at BASE; relative paths against DIR.
 * Returns 0, or -1 with a malloc'd message (without location) in *msg. */
static int
s_set(const cfg_param_t *p, void *base, const char *v, const char *dir, char **msg)
{
    char *field = (char *) base + p->offset;
    char **str = (char **) (void *) field;
    long long n;
    const char *why = NULL;
    char *val = NULL;
    int r;

    switch (p->type) {
    case CT_STRING:
        val = strdup(v);
        break;
    case CT_KEY: {
        uint8_t raw[32];
        if (*v && (strlen(v) != 40 || !zmq_z85_decode(raw, v))) {
            r = asprintf(msg, "%s: not a CURVE key (40 characters of Z85, as `marsad keygen` "
                         "prints): '%s'", p->key, v);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        val = strdup(v);
        break;
    }
    case CT_NETS: {
        net_list_t nets;
        char *bad = NULL;
        if (net_list_parse(v, &nets, &bad) != 0) {
            r = asprintf(msg, "%s: %s", p->key, bad ? bad : "out of memory");
            free(bad);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        net_list_clear(&nets);
        val = strdup(v);
        break;
    }
    case CT_ENUM:
        if (!s_choice_ok(p->choices, v)) {
            r = asprintf(msg, "%s must be one of %s, not '%s'", p->key, p->choices, v);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        val = strdup(v);
        break;
    case CT_ENDPOINT:
        if (!s_endpoint_ok(v)) {
            r = asprintf(msg, "%s: '%s' is not a ZeroMQ endpoint "
                         "(tcp://HOST:PORT, ipc://PATH or inproc://NAME)", p->key, v);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        val = strdup(v);
        break;
    case CT_PATH:
        if (!*v && p->dflt && !*p->dflt) {   /* an optional path: "" is none */
            val = strdup("");
            break;
        }
        if (!*v) {
            r = asprintf(msg, "%s must not be empty", p->key);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        val = s_join(dir, v);
        break;
    case CT_URL:
        if (!(val = s_url(v, dir, &why))) {
            r = asprintf(msg, "%s: %s: '%s'", p->key, why, v);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        break;
    case CT_INT:
    case CT_SIZE:
        if ((p->type == CT_INT ? s_parse_int(v, &n) : s_parse_size(v, &n)) != 0) {
            r = asprintf(msg, p->type == CT_INT ? "%s: '%s' is not an integer"
                                                : "%s: '%s' is not a size (bytes, or with a k, M or G suffix)",
                         p->key, v);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        if (n < p->min || n > p->max) {
            r = asprintf(msg, "%s must be between %lld and %lld", p->key, p->min, p->max);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        if (p->type == CT_INT)
            *(int *) (void *) field = (int) n;
        else
            *(long *) (void *) field = (long) n;
        return 0;
    case CT_BOOL: {
        int b;
        if (s_parse_bool(v, &b) != 0) {
            r = asprintf(msg, "%s: '%s' is not a boolean (true/false, yes/no, on/off, 1/0)",
                         p->key, v);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        *(int *) (void *) field = b;
        return 0;
    }
    case CT_LIST: {
        char ***list = (char ***) (void *) field;
        size_t *count = (size_t *) (void *) ((char *) base + p->count_offset);
        char **items;
        size_t n_items;
        if (s_split(v, &items, &n_items, &why) != 0) {
            r = asprintf(msg, "%s: %s", p->key, why);
            return r < 0 ? (*msg = NULL, -1) : -1;
        }
        s_free_list(*list, *count);
        *list = items;
        *count = n_items;
        return 0;
    }
    case CT_INCLUDE:
        return -1;      /* handled by the caller */
    }
    if (!val) {
        *msg = strdup("out of memory");
        return -1;
    }
    free(*str);
    *str = val;
    return 0;
}

/* --------------------------------------------------------- sections */

static void *
s_section_base(cfg_ctx_t *ctx, cfg_section_t s)
{
    switch (s) {
    case S_SOURCE: return &ctx->cfg->sources[ctx->index];
    case S_ENTITY: return &ctx->cfg->entities[ctx->index];
    case S_WATCH:  return &ctx->cfg->watches[ctx->index];
    default:       return ctx->cfg;
    }
}

static const char *
s_section_label(cfg_ctx_t *ctx, char *buf, size_t size)
{
    const char *name = NULL;
    if (ctx->section == S_SOURCE) name = ctx->cfg->sources[ctx->index].name;
    if (ctx->section == S_ENTITY) name = ctx->cfg->entities[ctx->index].id;
    if (ctx->section == S_WATCH)  name = ctx->cfg->watches[ctx->index].name;
    if (name)
        snprintf(buf, size, "[%s %s]", s_section_names[ctx->section], name);
    else
        snprintf(buf, size, "[%s]", s_section_names[ctx->section]);
    return buf;
}

/* The current section ends: required keys, then defaults. */
static void
s_close_section(cfg_ctx_t *ctx)
{
    if (ctx->section == S_COUNT || ctx->err)
        return;
    if (ctx->section >= S_SOURCE) {
        void *base = s_section_base(ctx, ctx->section);
        char label[300];
        for (size_t i = 0; i < N_PARAMS && !ctx->err; i++) {
            const cfg_param_t *p = &s_params[i];
            if (p->section != ctx->section || (ctx->seen & (1ULL << i)))
                continue;
            if (p->required) {
                s_error(ctx, ctx->file, ctx->header_line, "%s: missing required key '%s'",
                        s_section_label(ctx, label, sizeof label), p->key);
            } else if (p->dflt) {
                char *msg = NULL;
                if (s_set(p, base, p->dflt, ctx->main_dir, &msg) != 0)
                    s_error(ctx, ctx->file, ctx->header_line, "%s", msg ? msg : "out of memory");
                free(msg);
            }
        }
    }
    ctx->section = S_COUNT;
    ctx->seen = 0;
}

/* Grow ARRAY of SIZE-byte elements by one zeroed element. */
static void *
s_grow(void *array, size_t *n, size_t size)
{
    char *bigger = realloc(array, (*n + 1) * size);
    if (!bigger)
        return NULL;
    memset(bigger + *n * size, 0, size);
    (*n)++;
    return bigger;
}

static void
s_open_section(cfg_ctx_t *ctx, char *inner, int line, bool is_main)
{
    s_close_section(ctx);
    if (ctx->err)
        return;
    inner = s_trim(inner);
    char *name = inner + strcspn(inner, " \t");
    if (*name) {
        *name++ = '\0';
        name = s_trim(name);
    }
    cfg_section_t s = S_COUNT;
    for (int i = 0; i < S_COUNT; i++)
        if (strcmp(inner, s_section_names[i]) == 0)
            s = (cfg_section_t) i;
    if (s == S_COUNT) {
        s_error(ctx, ctx->file, line, "unknown section type '%s' (expected pipeline, fetcher, "
                "extractor, store, alerter, source, entity or watch)", inner);
        return;
    }
    ctx->header_line = line;
    ctx->seen = 0;
    if (s < S_SOURCE) {
        if (*name) {
            s_error(ctx, ctx->file, line, "[%s] takes no name", inner);
        } else if (!is_main) {
            s_error(ctx, ctx->file, line, "[%s] is only allowed in the main config file", inner);
        } else if (ctx->stage_line[s]) {
            s_error(ctx, ctx->file, line, "duplicate section [%s] (first at %s:%d)", inner,
                    ctx->stage_file[s], ctx->stage_line[s]);
        } else {
            ctx->stage_line[s] = line;
            ctx->stage_file[s] = ctx->file;
            ctx->section = s;
        }
        return;
    }
    if (!*name) {
        s_error(ctx, ctx->file, line, "[%s] needs a name: [%s NAME]", inner, inner);
        return;
    }
    if (!s_name_ok(name, s == S_ENTITY)) {
        s_error(ctx, ctx->file, line, "bad %s name '%s' (allowed: %s)", inner, name,
                s == S_ENTITY ? "a-z 0-9 _ -" : "A-Z a-z 0-9 _ . -");
        return;
    }
    marsad_config_t *cfg = ctx->cfg;
    const char *dup_file = NULL;
    int dup_line = 0;
    for (size_t i = 0; s == S_SOURCE && i < cfg->n_sources; i++)
        if (strcmp(cfg->sources[i].name, name) == 0)
            dup_file = cfg->sources[i].file, dup_line = cfg->sources[i].line;
    for (size_t i = 0; s == S_ENTITY && i < cfg->n_entities; i++)
        if (strcmp(cfg->entities[i].id, name) == 0)
            dup_file = cfg->entities[i].file, dup_line = cfg->entities[i].line;
    for (size_t i = 0; s == S_WATCH && i < cfg->n_watches; i++)
        if (strcmp(cfg->watches[i].name, name) == 0)
            dup_file = cfg->watches[i].file, dup_line = cfg->watches[i].line;
    if (dup_file) {
        s_error(ctx, ctx->file, line, "duplicate section [%s %s] (first at %s:%d)", inner, name,
                dup_file, dup_line);
        return;
    }
    char *copy = strdup(name), *file = strdup(ctx->file);
    void *grown = NULL;
    if (copy && file) {
        if (s == S_SOURCE && (grown = s_grow(cfg->sources, &cfg->n_sources, sizeof *cfg->sources))) {
            cfg->sources = grown;
            ctx->index = cfg->n_sources - 1;
            cfg->sources[ctx->index] = (cfg_source_t) { .name = copy, .file = file, .line = line };
        } else if (s == S_ENTITY
                   && (grown = s_grow(cfg->entities, &cfg->n_entities, sizeof *cfg->entities))) {
            cfg->entities = grown;
            ctx->index = cfg->n_entities - 1;
            cfg->entities[ctx->index] = (cfg_entity_t) { .id = copy, .file = file, .line = line };
        } else if (s == S_WATCH
                   && (grown = s_grow(cfg->watches, &cfg->n_watches, sizeof *cfg->watches))) {
            cfg->watches = grown;
            ctx->index = cfg->n_watches - 1;
            cfg->watches[ctx->index] = (cfg_watch_t) { .name = copy, .file = file, .line = line };
        }
    }
    if (!grown) {
        free(copy);
        free(file);
        s_error(ctx, ctx->file, line, "out of memory");
        return;
    }
    ctx->section = s;
}

static int
s_add_include(cfg_ctx_t *ctx, const char *pattern, const char *dir)
{
    char *resolved = s_join(dir, pattern);
    char **grown = resolved ? realloc(ctx->cfg->includes,
                                      (ctx->cfg->n_includes + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(resolved);
        return -1;
    }
    ctx->cfg->includes = grown;
    ctx->cfg->includes[ctx->cfg->n_includes++] = resolved;
    return 0;
}

static void
s_key_value(cfg_ctx_t *ctx, const char *key, const char *value, int line, const char *dir)
{
    char label[300];
    if (ctx->section == S_COUNT) {
        s_error(ctx, ctx->file, line, "key '%s' outside any section", key);
        return;
    }
    const cfg_param_t *p = NULL;
    size_t idx = 0;
    for (size_t i = 0; i < N_PARAMS; i++)
        if (s_params[i].section == ctx->section && strcmp(s_params[i].key, key) == 0)
            p = &s_params[i], idx = i;
    if (!p) {
        s_error(ctx, ctx->file, line, "unknown key '%s' in %s", key,
                s_section_label(ctx, label, sizeof label));
        return;
    }
    if (p->type == CT_INCLUDE) {
        if (!*value)
            s_error(ctx, ctx->file, line, "include must not be empty");
        else if (s_add_include(ctx, value, dir) != 0)
            s_error(ctx, ctx->file, line, "out of memory");
        return;
    }
    if (ctx->seen & (1ULL << idx)) {
        s_error(ctx, ctx->file, line, "duplicate key '%s' in %s", key,
                s_section_label(ctx, label, sizeof label));
        return;
    }
    ctx->seen |= 1ULL << idx;
    if (ctx->section < S_SOURCE)
        ctx->stage_set |= 1ULL << idx;
    char *msg = NULL;
    if (s_set(p, s_section_base(ctx, ctx->section), value, dir, &msg) != 0) {
        s_error(ctx, ctx->file, line, "%s", msg ? msg : "out of memory");
        free(msg);
        return;
    }
    if (ctx->section == S_WATCH && strcmp(key, "query") == 0) {
        /* Query errors are reported at the query line, not the header. */
        cfg_watch_t *w = &ctx->cfg->watches[ctx->index];
        w->line = line;
    }
}

/* ------------------------------------------------------ line reader */

static char *
s_read_file(const char *path, size_t *len, char **why)
{
    *why = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return NULL;
    }
    char *buf = malloc(CFG_MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, CFG_MAX_FILE + 1, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad || n > CFG_MAX_FILE) {
        *why = bad ? "read error" : "file too large (max 4 MiB)";
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Read one file (the main one, or an included one) into CTX. */
static void
s_load_file(cfg_ctx_t *ctx, const char *path, const char *abs_path, bool is_main)
{
    size_t len = 0;
    char *why;
    char *buf = s_read_file(path, &len, &why);
    if (!buf) {
        s_error(ctx, path, 0, "cannot read: %s", why);
        return;
    }
    char *dir = s_dirname(abs_path);
    if (!dir) {
        free(buf);
        s_error(ctx, path, 0, "out of memory");
        return;
    }
    ctx->file = path;
    ctx->section = S_COUNT;
    ctx->seen = 0;

    char *p = buf, *end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (int line = 1; p < end && !ctx->err; line++) {
        char *nl = memchr(p, '\n', (size_t) (end - p));
        char *eol = nl ? nl : end;
        size_t n = (size_t) (eol - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n > CFG_MAX_LINE) {
            s_error(ctx, path, line, "line too long (max %d bytes)", CFG_MAX_LINE);
            break;
        }
        if (memchr(p, '\0', n)) {
            s_error(ctx, path, line, "NUL byte in line");
            break;
        }
        if (utf8_check((const unsigned char *) p, n) < 0) {
            s_error(ctx, path, line, "invalid UTF-8");
            break;
        }
        p[n] = '\0';
        char *s = s_trim(p);
        p = nl ? nl + 1 : end;

        if (!*s || *s == ';' || *s == '#')
            continue;
        if (*s == '[') {
            size_t sl = strlen(s);
            if (s[sl - 1] != ']') {
                s_error(ctx, path, line, "malformed section header (expected [type NAME])");
                break;
            }
            s[sl - 1] = '\0';
            s_open_section(ctx, s + 1, line, is_main);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            s_error(ctx, path, line, "malformed line (expected `key = value`, [section] or a comment)");
            break;
        }
        *eq = '\0';
        char *key = s_trim(s);
        char *value = s_trim(eq + 1);
        if (!s_name_ok(key, true)) {
            s_error(ctx, path, line, "malformed key '%s' (expected `key = value`)", key);
            break;
        }
        s_key_value(ctx, key, value, line, dir);
    }
    s_close_section(ctx);
    free(dir);
    free(buf);
}

/* ------------------------------------------------- env and defaults */

static void
s_env_overrides(cfg_ctx_t *ctx)
{
    for (size_t i = 0; i < N_PARAMS && !ctx->err; i++) {
        const cfg_param_t *p = &s_params[i];
        if (p->section >= S_SOURCE)
            continue;
        char var[128];
        int n = snprintf(var, sizeof var, "MARSAD_%s_%s", s_section_names[p->section], p->key);
        for (int k = 0; k < n; k++)
            if (var[k] >= 'a' && var[k] <= 'z')
                var[k] = (char) (var[k] - 'a' + 'A');
        const char *v = getenv(var);
        if (!v)
            continue;
        char name[140];
        snprintf(name, sizeof name, "$%s", var);
        if (p->type == CT_INCLUDE) {
            /* The variable replaces the file's include lines. */
            s_free_list(ctx->cfg->includes, ctx->cfg->n_includes);
            ctx->cfg->includes = NULL;
            ctx->cfg->n_includes = 0;
            if (*v && s_add_include(ctx, v, ctx->main_dir) != 0)
                s_error(ctx, name, 0, "out of memory");
            continue;
        }
        char *msg = NULL;
        if (s_set(p, ctx->cfg, v, ctx->main_dir, &msg) != 0)
            s_error(ctx, name, 0, "%s", msg ? msg : "out of memory");
        free(msg);
        ctx->stage_set |= 1ULL << i;
    }
}

static void
s_stage_defaults(cfg_ctx_t *ctx)
{
    /* data_dir first: the DATA/ defaults depend on it. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < N_PARAMS && !ctx->err; i++) {
            const cfg_param_t *p = &s_params[i];
            if (p->section >= S_SOURCE || !p->dflt || (ctx->stage_set & (1ULL << i)))
                continue;
            bool is_data_dir = p->offset == C(data_dir) && p->section == S_PIPELINE;
            if ((pass == 0) != is_data_dir)
                continue;
            const char *dir = ctx->main_dir;
            const char *v = p->dflt;
            if (strncmp(v, "DATA/", 5) == 0) {
                dir = ctx->cfg->data_dir;
                v += 5;
            }
            char *msg = NULL;
            if (s_set(p, ctx->cfg, v, dir, &msg) != 0)
                s_error(ctx, ctx->cfg->path, 0, "default of %s: %s", p->key,
                        msg ? msg : "out of memory");
            free(msg);
        }
    }
}

static void
s_includes(cfg_ctx_t *ctx)
{
    for (size_t i = 0; i < ctx->cfg->n_includes && !ctx->err; i++) {
        glob_t g;
        int rc = glob(ctx->cfg->includes[i], 0, NULL, &g);
        if (rc == GLOB_NOMATCH)
            continue;       /* an empty or missing watches.d is fine */
        if (rc != 0) {
            s_error(ctx, ctx->cfg->path, 0, "include '%s': %s", ctx->cfg->includes[i],
                    rc == GLOB_NOSPACE ? "out of memory" : "read error");
            continue;
        }
        /* glob(3) returns the names sorted, which is the documented order. */
        for (size_t k = 0; k < g.gl_pathc && !ctx->err; k++) {
            char *abs = realpath(g.gl_pathv[k], NULL);
            if (abs && strcmp(abs, ctx->cfg->path) != 0) {
                /* ctx->file must outlive the load: keep a copy per file. */
                char *name = strdup(g.gl_pathv[k]);
                if (name) {
                    s_load_file(ctx, name, abs, false);
                    free(name);
                } else {
                    s_error(ctx, ctx->cfg->path, 0, "out of memory");
                }
            }
            free(abs);
        }
        globfree(&g);
    }
}

/* ------------------------------------------------------------ public */

marsad_config_t *
config_load(const char *path, char **err)
{
    if (err)
        *err = NULL;
    cfg_ctx_t ctx = { .section = S_COUNT };
    ctx.cfg = calloc(1, sizeof *ctx.cfg);
    if (!ctx.cfg) {
        if (err)
            *err = strdup("out of memory");
        return NULL;
    }
    ctx.cfg->path = realpath(path, NULL);
    if (!ctx.cfg->path) {
        s_error(&ctx, path, 0, "cannot read: %s", strerror(errno));
    } else if (!(ctx.main_dir = s_dirname(ctx.cfg->path))) {
        s_error(&ctx, path, 0, "out of memory");
    } else {
        s_load_file(&ctx, path, ctx.cfg->path, true);
        s_env_overrides(&ctx);
        s_stage_defaults(&ctx);
        s_includes(&ctx);
    }
    free(ctx.main_dir);
    if (ctx.err) {
        config_destroy(&ctx.cfg);
        if (err)
            *err = ctx.err;
        else
            free(ctx.err);
        return NULL;
    }
    return ctx.cfg;
}

void
config_destroy(marsad_config_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    marsad_config_t *c = *self_p;
    char **strings[] = {
        &c->path, &c->data_dir, &c->log_level, &c->fetcher_bind, &c->fetcher_ack,
        &c->fetcher_db, &c->fetcher_user_agent, &c->extractor_raw, &c->extractor_article,
        &c->store_bind, &c->store_publish, &c->store_api, &c->store_db, &c->alerter_stored,
        &c->alerter_store_api, &c->alerter_publish, &c->alerter_replay, &c->alerter_db,
        &c->fetcher_metrics, &c->extractor_metrics, &c->store_metrics, &c->alerter_metrics,
        &c->fetcher_proxy, &c->fetcher_ca_file, &c->fetcher_private_nets, &c->fetcher_allow_nets,
        &c->fetcher_deny_nets, &c->alerter_curve_secret, &c->alerter_curve_clients,
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        free(*strings[i]);
    s_free_list(c->includes, c->n_includes);
    for (size_t i = 0; i < c->n_sources; i++) {
        free(c->sources[i].name);
        free(c->sources[i].url);
        free(c->sources[i].lang);
        free(c->sources[i].file);
    }
    free(c->sources);
    for (size_t i = 0; i < c->n_entities; i++) {
        free(c->entities[i].id);
        free(c->entities[i].type);
        s_free_list(c->entities[i].names, c->entities[i].n_names);
        s_free_list(c->entities[i].epithets, c->entities[i].n_epithets);
        free(c->entities[i].file);
    }
    free(c->entities);
    for (size_t i = 0; i < c->n_watches; i++) {
        free(c->watches[i].name);
        free(c->watches[i].query);
        free(c->watches[i].severity);
        free(c->watches[i].file);
        free(c->watches[i].rate_limit);
        free(c->watches[i].sink_file);
        free(c->watches[i].sink_command);
        free(c->watches[i].sink_webhook);
        free(c->watches[i].sink_email);
    }
    free(c->watches);
    free(c);
    *self_p = NULL;
}

const char *
config_default_path(void)
{
    const char *env = getenv("MARSAD_CONFIG");
    if (env && *env)
        return env;
    if (access("marsad.conf", R_OK) == 0)
        return "./marsad.conf";
    return MARSAD_SYSCONFDIR "/marsad.conf";
}

const cfg_entity_t *
config_entity(const marsad_config_t *cfg, const char *id)
{
    for (size_t i = 0; cfg && id && i < cfg->n_entities; i++)
        if (strcmp(cfg->entities[i].id, id) == 0)
            return &cfg->entities[i];
    return NULL;
}

const cfg_watch_t *
config_watch(const marsad_config_t *cfg, const char *name)
{
    for (size_t i = 0; cfg && name && i < cfg->n_watches; i++)
        if (strcmp(cfg->watches[i].name, name) == 0)
            return &cfg->watches[i];
    return NULL;
}

static const char *
s_type_name(cfg_type_t t)
{
    switch (t) {
    case CT_STRING:   return "string";
    case CT_INT:      return "int";
    case CT_BOOL:     return "bool";
    case CT_SIZE:     return "size";
    case CT_ENDPOINT: return "endpoint";
    case CT_PATH:     return "path";
    case CT_ENUM:     return "choice";
    case CT_URL:      return "url";
    case CT_LIST:     return "list";
    case CT_NETS:     return "networks";
    case CT_KEY:      return "key";
    case CT_INCLUDE:  return "glob";
    }
    return "?";
}

void
config_print_reference(FILE *f)
{
    static const char *const headers[S_COUNT] = {
        "[pipeline]", "[fetcher]", "[extractor]", "[store]", "[alerter]",
        "[source NAME] (repeatable)", "[entity ID] (repeatable; ID is a-z 0-9 _ -)",
        "[watch NAME] (repeatable; NAME is A-Z a-z 0-9 _ . -)"
    };
    fprintf(f, "# marsad.conf reference\n\n"
               "Relative paths are resolved against the directory of the file that names "
               "them; `DATA` is `data_dir`.  Keys of the stage sections can be overridden "
               "from the environment.\n");
    for (int s = 0; s < S_COUNT; s++) {
        fprintf(f, "\n## %s\n\n", headers[s]);
        if (s < S_SOURCE)
            fprintf(f, "| key | type | default | range | environment | description |\n"
                       "|-----|------|---------|-------|-------------|-------------|\n");
        else
            fprintf(f, "| key | type | default | range | description |\n"
                       "|-----|------|---------|-------|-------------|\n");
        for (size_t i = 0; i < N_PARAMS; i++) {
            const cfg_param_t *p = &s_params[i];
            if ((int) p->section != s)
                continue;
            char range[96] = "";
            if (p->type == CT_INT || p->type == CT_SIZE)
                snprintf(range, sizeof range, "%lld – %lld", p->min, p->max);
            else if (p->type == CT_ENUM)
                snprintf(range, sizeof range, "%s", p->choices);
            char dflt[256];
            if (p->dflt)
                snprintf(dflt, sizeof dflt, "`%s`", p->dflt);
            else
                snprintf(dflt, sizeof dflt, "%s", p->required ? "(required)" : "");
            fprintf(f, "| `%s` | %s | %s | ", p->key, s_type_name(p->type), dflt);
            /* A '|' inside a cell would split it: escape the choice lists. */
            for (const char *c = range; *c; c++)
                fputs(*c == '|' ? "\\|" : (char[]) { *c, 0 }, f);
            if (s < S_SOURCE) {
                fprintf(f, " | `MARSAD_");
                for (const char *c = s_section_names[s]; *c; c++)
                    fputc(*c - 'a' + 'A', f);
                fputc('_', f);
                for (const char *c = p->key; *c; c++)
                    fputc(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c, f);
                fputc('`', f);
            }
            fprintf(f, " | %s |\n", p->desc);
        }
    }
}
