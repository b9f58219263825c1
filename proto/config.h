/*
 * config.h — marsad.conf, the one INI file every stage reads.
 *
 * Every stage loads the whole file and uses its own sections; see
 * DESIGN §8 and the README's config reference.  Parsing is driven by one
 * table of {section, key, type, default, min, max} (config.c), which also
 * prints the reference (`marsad config reference`).
 *
 * Sections: [pipeline] [fetcher] [extractor] [store] [alerter] with fixed
 * keys; [source NAME], [entity ID], [watch NAME] repeatable; `include =
 * DIR/<glob>.conf` in [pipeline] reads more files (watches.d), in name order.
 * Relative paths (data_dir, include, db files, `file:` source URLs) are
 * resolved against the directory of the file that names them.
 * Any key of a stage section can be overridden from the environment as
 * MARSAD_<SECTION>_<KEY> (upper case), e.g. MARSAD_FETCHER_BIND=tcp://0.0.0.0:5551
 * — this is how Compose points stages at each other.
 */
#ifndef MARSAD_CONFIG_H
#define MARSAD_CONFIG_H

#include <stddef.h>

/* What the fetcher's SSRF guard calls internal by default: loopback,
 * RFC 1918, link-local (cloud metadata at 169.254.169.254), carrier-grade
 * NAT, "this network", IPv6 loopback, unique-local and link-local. */
#define FETCHER_PRIVATE_NETS "127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, " \
    "169.254.0.0/16, 100.64.0.0/10, 0.0.0.0/8, ::1/128, ::/128, fc00::/7, fe80::/10"

typedef struct {
    char *name;        /* from [source NAME] */
    char *url;         /* http://, https:// or file:///abs/path (file: relative paths made absolute) */
    int interval;      /* seconds between polls, default 300, min 1 */
    char *lang;        /* optional hint ("ar", "en"), NULL if unset */
    char *file;        /* where it was defined, for messages */
    int line;
} cfg_source_t;

typedef struct {
    char *id;          /* from [entity ID]; [a-z0-9_-]+ */
    char *type;        /* person | org | place | weapon | media | other */
    char **names;      /* `names = A|B|C`, trimmed, non-empty, at least one */
    size_t n_names;
    char **epithets;   /* optional `epithets = merchant of death|تاجر الموت` */
    size_t n_epithets;
    char *file;
    int line;
} cfg_entity_t;

typedef struct {
    char *name;        /* from [watch NAME]; [A-Za-z0-9_.-]+ */
    char *query;       /* the watch language, see alerter/query.h */
    char *severity;    /* low | medium | high | critical, default medium */
    char *file;        /* file and line of the `query =` line, for query errors */
    int line;
    char *rate_limit;  /* optional "N/hour" (or /minute, /day): excess folded into a digest */
    char *sink_file;   /* optional JSON-lines file each alert is appended to */
    char *sink_command;/* optional shell command run with each alert's JSON on stdin */
    char *sink_webhook;/* optional http(s) URL each alert's JSON is POSTed to */
    char *sink_email;  /* optional smtp://HOST[:PORT]/RECIPIENT each alert is mailed to */
} cfg_watch_t;

typedef struct marsad_config {
    char *path;              /* absolute path of the main file */

    /* [pipeline] */
    char *data_dir;          /* default "data" (relative to the file) */
    char *log_level;         /* debug|info|warn|error, default info */
    char **includes;         /* the include globs as written, resolved */
    size_t n_includes;

    /* [fetcher] */
    char *fetcher_bind;          /* PUSH raw, default tcp://127.0.0.1:5551 */
    char *fetcher_ack;           /* SUB ack (connect), default tcp://127.0.0.1:5553 */
    char *fetcher_db;            /* outbox + seen items, default DATA/fetcher.db */
    char *fetcher_user_agent;    /* default "marsad/VERSION (+news monitor)" */
    int fetcher_timeout;         /* seconds per request, default 30 */
    int fetcher_resend_after;    /* seconds before an unacked doc is resent, default 30 */
    long fetcher_max_body;       /* bytes, default 10485760 */
    int fetcher_fetch_pages;     /* 1: fetch each item's page (default), 0: feed content only */
    char *fetcher_proxy;         /* proxy URL, "" for none */
    char *fetcher_ca_file;       /* CA bundle (PEM) for HTTPS, "" for the system's */
    int fetcher_robots;          /* 1: respect robots.txt for article pages (default) */
    int fetcher_parallel;        /* requests in flight, default 32 */
    int fetcher_per_host;        /* connections per host, default 1 */
    int fetcher_host_delay;      /* seconds between requests to one host, default 1 */
    int fetcher_unhealthy_after; /* seconds of failing before a source is unhealthy, default 1 day */
    /* SSRF guard (fetcher/http_fetch.c): CIDR lists as text, net_list.h */
    char *fetcher_private_nets;  /* reached only by sources that are on them; FETCHER_PRIVATE_NETS */
    char *fetcher_allow_nets;    /* always allowed, "" by default */
    char *fetcher_deny_nets;     /* never allowed, "" by default */

    /* [extractor] */
    char *extractor_raw;         /* PULL raw (connect), default tcp://127.0.0.1:5551 */
    char *extractor_article;     /* PUSH article (connect), default tcp://127.0.0.1:5552 */

    /* [store] */
    char *store_bind;            /* PULL article, default tcp://127.0.0.1:5552 */
    char *store_publish;         /* PUB ack + stored, default tcp://127.0.0.1:5553 */
    char *store_api;             /* REP, default tcp://127.0.0.1:5554 */
    char *store_db;              /* default DATA/marsad.db */
    int store_batch_rows;        /* articles per transaction at most, default 256 */
    int store_batch_ms;          /* ms a batch may wait for more articles, default 20 */
    int store_keep_days;         /* delete articles older than this; 0 (default): keep forever */
    long store_max_size;         /* database size cap in bytes; 0 (default): none */

    /* [alerter] */
    char *alerter_stored;        /* SUB stored (connect), default tcp://127.0.0.1:5553 */
    char *alerter_store_api;     /* REQ to the store (connect), default tcp://127.0.0.1:5554 */
    char *alerter_publish;       /* PUB alerts, default tcp://127.0.0.1:5560 */
    char *alerter_replay;        /* REP replay, default tcp://127.0.0.1:5561 */
    char *alerter_db;            /* default DATA/alerter.db */
    char *alerter_curve_secret;  /* Z85 CURVE secret key, "" for plain sockets */
    char *alerter_curve_clients; /* file of allowed client public keys, "" for any */

    /* `metrics` of each stage section: host:port of its HTTP /metrics and
     * /status (defaults 127.0.0.1:9551..9554); "" turns it off */
    char *fetcher_metrics, *extractor_metrics, *store_metrics, *alerter_metrics;

    cfg_source_t *sources;   size_t n_sources;
    cfg_entity_t *entities;  size_t n_entities;
    cfg_watch_t *watches;    size_t n_watches;
} marsad_config_t;

/* Read PATH (and its includes).  Returns a new config, or NULL with *err set
 * to a malloc'd message "FILE:LINE: what was wrong" (caller frees).
 * Unknown sections and keys, bad numbers, duplicate names, a missing
 * required key: all errors. */
marsad_config_t *config_load(const char *path, char **err);

/* Frees everything; accepts NULL and *self_p == NULL; sets *self_p = NULL. */
void config_destroy(marsad_config_t **self_p);

/* The file to use when no -c was given: $MARSAD_CONFIG, then ./marsad.conf,
 * then MARSAD_SYSCONFDIR/marsad.conf.  Returns a borrowed string. */
const char *config_default_path(void);

/* Look up by name; NULL if absent.  Borrowed pointers into CFG. */
const cfg_entity_t *config_entity(const marsad_config_t *cfg, const char *id);
const cfg_watch_t *config_watch(const marsad_config_t *cfg, const char *name);

/* Print the config reference (every section and key, type, default, range,
 * description) as Markdown to F. */
#include <stdio.h>
void config_print_reference(FILE *f);

#endif
