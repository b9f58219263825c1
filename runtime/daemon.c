/*
 * daemon.c — the skeleton every marsad daemon runs in (see daemon.h).
 *
 * It owns what is the same for all four stages: the command line, finding
 * and loading the config (a config error exits 2 with FILE:LINE so a
 * supervisor does not restart-loop on it silently), the log level, signal
 * handling and the ZeroMQ context.  The stage only brings its loop.
 */
#include "daemon.h"
#include "log.h"
#include "marsad_build.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

static volatile sig_atomic_t s_stop;
static volatile sig_atomic_t s_reload;
static metrics_t *s_metrics;

metrics_t *marsad_metrics(void) { return s_metrics; }

/* The stage's `metrics` address from its config section. */
static const char *s_metrics_addr(const marsad_config_t *cfg, const char *stage)
{
    if (strcmp(stage, "fetcher") == 0)
        return cfg->fetcher_metrics;
    if (strcmp(stage, "extractor") == 0)
        return cfg->extractor_metrics;
    if (strcmp(stage, "store") == 0)
        return cfg->store_metrics;
    if (strcmp(stage, "alerter") == 0)
        return cfg->alerter_metrics;
    return NULL;
}

static void s_on_signal(int sig)
{
    if (sig == SIGHUP)
        s_reload = 1;
    else
        s_stop = 1;
}

void marsad_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: blocking calls (zmq_poll, nanosleep) return EINTR so
     * the loop sees the flag at once. */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

bool marsad_daemon_stopping(void) { return s_stop != 0; }
void marsad_daemon_request_stop(void) { s_stop = 1; }

bool marsad_daemon_take_reload(void)
{
    if (!s_reload)
        return false;
    s_reload = 0;
    return true;
}

int64_t marsad_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int marsad_mkdir_p(const char *dir)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf)
        return -ENAMETOOLONG;
    memcpy(buf, dir, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0750) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(buf, 0750) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

void *marsad_socket(void *zctx, int type, const char *endpoint, bool bind, int hwm)
{
    return marsad_socket_prep(zctx, type, endpoint, bind, hwm, NULL, NULL);
}

void *marsad_socket_prep(void *zctx, int type, const char *endpoint, bool bind, int hwm,
                         int (*prep)(void *socket, void *arg), void *arg)
{
    void *s = zmq_socket(zctx, type);
    if (!s) {
        mlog_error("cannot create socket for %s: %s", endpoint, zmq_strerror(zmq_errno()));
        return NULL;
    }
    int linger = 1000;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    if (hwm > 0) {
        zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
        zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm);
    }
    if (prep && prep(s, arg) != 0) {
        mlog_error("cannot set up the socket for %s: %s", endpoint, zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    int rc = bind ? zmq_bind(s, endpoint) : zmq_connect(s, endpoint);
    if (rc != 0) {
        mlog_error("cannot %s %s: %s", bind ? "bind" : "connect to", endpoint,
                   zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    return s;
}

bool marsad_root_check(const char *prog, bool allow_root)
{
    if (geteuid() != 0)
        return true;
    const char *env = getenv("MARSAD_ALLOW_ROOT");
    if (allow_root || (env && strcmp(env, "1") == 0)) {
        fprintf(stderr, "%s: running as root because --allow-root or MARSAD_ALLOW_ROOT=1 says "
                "so; an ordinary user is safer\n", prog);
        return true;
    }
    fprintf(stderr, "%s: refusing to run as root: marsad parses what the network sends, and a "
            "bug there should not come with root's rights.  Run it as an ordinary user (the "
            "container and the systemd units do), or pass --allow-root (MARSAD_ALLOW_ROOT=1) "
            "if you must.\n", prog);
    return false;
}

static void s_usage(FILE *f, const marsad_stage_t *stage)
{
    fprintf(f,
            "usage: marsad-%s [-c FILE] [-l LEVEL]\n"
            "\n"
            "marsad-%s: %s\n"
            "\n"
            "options:\n"
            "  -c, --config FILE   config file (default: $MARSAD_CONFIG, ./marsad.conf,\n"
            "                      then %s/marsad.conf)\n"
            "  -l, --log-level L   debug, info, warn or error (default: the config's\n"
            "                      [pipeline] log_level)\n"
            "  -t, --check         load and validate the config, then exit\n"
            "      --allow-root    run even as root (also MARSAD_ALLOW_ROOT=1); not advised\n"
            "  -V, --version       print the version and exit\n"
            "  -h, --help          show this help and exit\n"
            "\n"
            "Signals: SIGTERM/SIGINT stop cleanly; SIGHUP reloads what the stage can reload.\n"
            "Normally started by `marsad up`, which supervises all four stages.\n",
            stage->name, stage->name, stage->summary, MARSAD_SYSCONFDIR);
}

int marsad_daemon_run(int argc, char **argv, const marsad_stage_t *stage)
{
    static char prog[64];
    snprintf(prog, sizeof prog, "marsad-%s", stage->name);
    mlog_init(prog, MLOG_INFO);

    const char *config_path = NULL;
    const char *level_name = NULL;
    bool check_only = false, allow_root = false;
    static const struct option longopts[] = {
        { "allow-root", no_argument, NULL, 'R' },
        { "config", required_argument, NULL, 'c' },
        { "log-level", required_argument, NULL, 'l' },
        { "check", no_argument, NULL, 't' },
        { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "c:l:tVh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'l': level_name = optarg; break;
        case 't': check_only = true; break;
        case 'R': allow_root = true; break;
        case 'V': printf("%s %s\n", prog, MARSAD_VERSION); return 0;
        case 'h': s_usage(stdout, stage); return 0;
        default: s_usage(stderr, stage); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
        s_usage(stderr, stage);
        return 2;
    }
    if (!config_path)
        config_path = config_default_path();

    char *err = NULL;
    marsad_config_t *cfg = config_load(config_path, &err);
    if (!cfg) {
        mlog_error("config: %s", err ? err : "cannot load");
        free(err);
        return 2;
    }
    const char *lvl = level_name ? level_name : cfg->log_level;
    int level = mlog_level_parse(lvl);
    if (level < 0) {
        mlog_error("unknown log level '%s' (use debug, info, warn or error)", lvl);
        config_destroy(&cfg);
        return 2;
    }
    mlog_set_level((mlog_level_t) level);
    if (check_only) {
        printf("%s: config %s is valid\n", prog, cfg->path);
        config_destroy(&cfg);
        return 0;
    }
    if (!marsad_root_check(prog, allow_root)) {
        config_destroy(&cfg);
        return 2;
    }
    if (marsad_mkdir_p(cfg->data_dir) != 0) {
        mlog_error("cannot create data directory %s: %s", cfg->data_dir, strerror(errno));
        config_destroy(&cfg);
        return 1;
    }

    marsad_signals_install();
    void *zctx = zmq_ctx_new();
    if (!zctx) {
        mlog_error("cannot create ZeroMQ context: %s", zmq_strerror(zmq_errno()));
        config_destroy(&cfg);
        return 1;
    }
    mlog_info("starting (config %s)", cfg->path);
    s_metrics = metrics_new(stage->name);
    const char *maddr = s_metrics_addr(cfg, stage->name);
    if (s_metrics && maddr && *maddr) {
        /* Metrics are for watching the daemon, not part of its job: a busy
         * port is worth a warning, not a refusal to run. */
        int mrc = metrics_serve(s_metrics, maddr);
        if (mrc != 0)
            mlog_warn("metrics: cannot listen on %s: %s; running without /metrics", maddr,
                      strerror(-mrc));
        else
            mlog_info("metrics on http://%s/metrics and /status", maddr);
    }
    metrics_set(s_metrics, metrics_register(s_metrics, METRIC_GAUGE, "marsad_up",
                                            "1 while the stage runs"), 1);
    int rc = s_metrics ? stage->run(cfg, zctx) : 1;
    metrics_destroy(&s_metrics);
    zmq_ctx_term(zctx);
    mlog_info("stopped%s", rc == 0 ? "" : " after an error");
    config_destroy(&cfg);
    return rc == 0 ? 0 : 1;
}
