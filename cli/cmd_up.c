/*
 * cmd_up.c — `marsad up [-c FILE] [--show-alerts]`: start the four daemons
 * and supervise them, as Postfix's master does.
 *
 * A daemon that exits is restarted with a backoff (1 s doubling to 30 s,
 * back to 1 s once it has run for a minute), so a crash loop does not spin
 * the machine.  SIGTERM or SIGINT stops all of them (SIGTERM, then SIGKILL
 * after 10 s); SIGHUP is passed on.  The daemons are found beside this
 * program (installed layout) or in the build tree (../<room>/marsad-X).
 * With --show-alerts the alerts are printed as they fire, as `marsad tail`
 * would, in a child process of its own.
 */
#include "cli.h"
#include "daemon.h"
#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    const char *name;        /* "store" → marsad-store */
    char path[PATH_MAX];
    pid_t pid;
    int64_t started_ms;
    int64_t restart_at_ms;   /* 0: running or not due */
    int backoff_s;
    unsigned restarts;
} s_child_t;

/* Binders first, so connectors find them at once (ZeroMQ would retry anyway). */
static s_child_t s_children[] = {
    { .name = "store" }, { .name = "alerter" }, { .name = "extractor" }, { .name = "fetcher" },
};
#define S_NCHILD (sizeof s_children / sizeof s_children[0])

static int s_find_binary(const char *name, char *out, size_t n)
{
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        self[len] = '\0';
        char *dir = dirname(self);
        snprintf(out, n, "%s/marsad-%s", dir, name);
        if (access(out, X_OK) == 0)
            return 0;
        snprintf(out, n, "%s/../%s/marsad-%s", dir, name, name);
        if (access(out, X_OK) == 0)
            return 0;
    }
    /* Fall back to $PATH through execvp. */
    snprintf(out, n, "marsad-%s", name);
    return 0;
}

static pid_t s_spawn(const s_child_t *c, const char *config)
{
    pid_t pid = fork();
    if (pid < 0) {
        mlog_error("cannot fork for marsad-%s: %s", c->name, strerror(errno));
        return -1;
    }
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_IGN);     /* ^C reaches the whole group; the master decides */
        signal(SIGHUP, SIG_DFL);
        char *argv[] = { (char *) c->path, "-c", (char *) config, NULL };
        execvp(c->path, argv);
        fprintf(stderr, "marsad up: cannot run %s: %s\n", c->path, strerror(errno));
        _exit(127);
    }
    return pid;
}

static void s_usage(FILE *f)
{
    fprintf(f, "usage: marsad up [-c FILE] [--show-alerts] [--allow-root]\n"
               "\n"
               "Start marsad-store, marsad-alerter, marsad-extractor and marsad-fetcher and\n"
               "supervise them: restart with backoff, stop on SIGTERM/SIGINT, pass SIGHUP on.\n"
               "  -c FILE         config file (passed to every daemon)\n"
               "  --show-alerts   also print alerts as they fire (as `marsad tail`)\n"
               "  --allow-root    let the daemons run as root (not advised; they refuse\n"
               "                  otherwise); sets MARSAD_ALLOW_ROOT=1 for them\n");
}

int cmd_up(int argc, char **argv)
{
    const char *config = NULL;
    int show_alerts = 0;
    bool allow_root = false;
    static const struct option longopts[] = {
        { "allow-root", no_argument, NULL, 'R' },
        { "config", required_argument, NULL, 'c' },
        { "show-alerts", no_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 'a': show_alerts = 1; break;
        case 'R': allow_root = true; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        s_usage(stderr);
        return 2;
    }
    /* Validate once here so a config error is one clear message, not four
     * daemons in a restart loop. */
    if (!marsad_root_check("marsad up", allow_root))
        return 2;
    if (allow_root)
        setenv("MARSAD_ALLOW_ROOT", "1", 1);   /* for the daemons */
    marsad_config_t *cfg = cli_load_config(config);
    if (!cfg)
        return 2;
    mlog_init("marsad-up", MLOG_INFO);
    marsad_signals_install();

    for (size_t i = 0; i < S_NCHILD; i++) {
        s_find_binary(s_children[i].name, s_children[i].path, sizeof s_children[i].path);
        s_children[i].backoff_s = 1;
        s_children[i].pid = s_spawn(&s_children[i], cfg->path);
        s_children[i].started_ms = marsad_clock_ms();
        if (s_children[i].pid > 0)
            mlog_info("started marsad-%s (pid %d)", s_children[i].name, (int) s_children[i].pid);
    }
    pid_t tail_pid = -1;
    /* With CURVE on, the follower knows the alerter's key from the config
     * and makes its own pair (accepted unless curve_clients restricts). */
    cli_curve_t curve;
    bool curve_on = false;
    if (show_alerts && cli_curve_setup(cfg, NULL, NULL, &curve, &curve_on) != 0)
        show_alerts = 0;
    if (show_alerts) {
        fflush(NULL);
        tail_pid = fork();
        if (tail_pid == 0) {
            signal(SIGINT, SIG_IGN);
            int rc = cli_follow_alerts(cfg, -1, NULL, 0, curve_on ? &curve : NULL);
            _exit(rc);
        }
    }

    while (!marsad_daemon_stopping()) {
        if (marsad_daemon_take_reload()) {
            mlog_info("SIGHUP: passing it on");
            for (size_t i = 0; i < S_NCHILD; i++)
                if (s_children[i].pid > 0)
                    kill(s_children[i].pid, SIGHUP);
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == tail_pid) {
                tail_pid = -1;
                continue;
            }
            for (size_t i = 0; i < S_NCHILD; i++) {
                s_child_t *c = &s_children[i];
                if (c->pid != pid)
                    continue;
                int64_t ran = marsad_clock_ms() - c->started_ms;
                if (ran > 60000)
                    c->backoff_s = 1;
                if (WIFEXITED(status))
                    mlog_warn("marsad-%s (pid %d) exited with status %d; restarting in %d s",
                              c->name, (int) pid, WEXITSTATUS(status), c->backoff_s);
                else
                    mlog_warn("marsad-%s (pid %d) killed by signal %d; restarting in %d s",
                              c->name, (int) pid, WTERMSIG(status), c->backoff_s);
                c->pid = 0;
                c->restart_at_ms = marsad_clock_ms() + (int64_t) c->backoff_s * 1000;
                c->backoff_s = c->backoff_s * 2 > 30 ? 30 : c->backoff_s * 2;
            }
        }
        int64_t now = marsad_clock_ms();
        for (size_t i = 0; i < S_NCHILD; i++) {
            s_child_t *c = &s_children[i];
            if (c->pid == 0 && c->restart_at_ms && now >= c->restart_at_ms) {
                c->pid = s_spawn(c, cfg->path);
                c->started_ms = now;
                c->restart_at_ms = 0;
                c->restarts++;
                if (c->pid > 0)
                    mlog_info("restarted marsad-%s (pid %d, restart %u)", c->name, (int) c->pid,
                              c->restarts);
                else
                    c->restart_at_ms = now + (int64_t) c->backoff_s * 1000;
            }
        }
        struct timespec ts = { 0, 200 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }

    mlog_info("stopping");
    if (tail_pid > 0)
        kill(tail_pid, SIGTERM);
    for (size_t i = 0; i < S_NCHILD; i++)
        if (s_children[i].pid > 0)
            kill(s_children[i].pid, SIGTERM);
    int64_t deadline = marsad_clock_ms() + 10000;
    for (;;) {
        int left = 0;
        for (size_t i = 0; i < S_NCHILD; i++) {
            s_child_t *c = &s_children[i];
            if (c->pid > 0 && waitpid(c->pid, NULL, WNOHANG) == c->pid)
                c->pid = 0;
            if (c->pid > 0)
                left++;
        }
        if (tail_pid > 0 && waitpid(tail_pid, NULL, WNOHANG) == tail_pid)
            tail_pid = -1;
        if (left == 0)
            break;
        if (marsad_clock_ms() > deadline) {
            for (size_t i = 0; i < S_NCHILD; i++)
                if (s_children[i].pid > 0) {
                    mlog_warn("marsad-%s did not stop in 10 s; killing it", s_children[i].name);
                    kill(s_children[i].pid, SIGKILL);
                    waitpid(s_children[i].pid, NULL, 0);
                    s_children[i].pid = 0;
                }
            break;
        }
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    if (tail_pid > 0)
        kill(tail_pid, SIGKILL);
    config_destroy(&cfg);
    mlog_info("stopped");
    return 0;
}
