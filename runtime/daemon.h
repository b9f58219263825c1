/*
 * daemon.h — the skeleton every marsad daemon runs in (after Postfix's
 * single_server): options (-c FILE, -h, -V, -l LEVEL), config loading with
 * clear errors, logging, signals and the ZeroMQ context.  A stage's main()
 * is a table entry and one call:
 *
 *     static const marsad_stage_t stage = { "store", "keeps articles", store_run };
 *     int main(int argc, char **argv) { return marsad_daemon_run(argc, argv, &stage); }
 *
 * The stage's run() loops on zmq_poll with a short timeout and returns when
 * marsad_daemon_stopping() becomes true (SIGTERM, SIGINT).  SIGHUP sets a
 * flag the stage reads with marsad_daemon_take_reload().
 */
#ifndef MARSAD_DAEMON_H
#define MARSAD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include "config.h"
#include "metrics.h"

typedef struct marsad_stage {
    const char *name;       /* "fetcher": the program is marsad-fetcher */
    const char *summary;    /* one line for --help */
    /* Run until stopping.  ZCTX is the process's ZeroMQ context.  Returns 0
     * after a clean stop, non-zero on a fatal error (logged by the stage). */
    int (*run)(const marsad_config_t *cfg, void *zctx);
} marsad_stage_t;

/* Parse options, load config, set up logging and signals, call run().
 * Returns the process exit status: 0, 1 (runtime failure), 2 (usage or
 * config error). */
int marsad_daemon_run(int argc, char **argv, const marsad_stage_t *stage);

bool marsad_daemon_stopping(void);
bool marsad_daemon_take_reload(void);
/* Ask the loop to stop (as SIGTERM would). */
void marsad_daemon_request_stop(void);

/* Install the SIGTERM/SIGINT/SIGHUP handlers alone (for `marsad up` and
 * `marsad tail`, which are not stage daemons). */
void marsad_signals_install(void);

/* The process's metrics (served on the stage's `metrics` address, see
 * config.h); never NULL inside a stage's run().  Borrowed. */
metrics_t *marsad_metrics(void);

/* Milliseconds on the monotonic clock. */
int64_t marsad_clock_ms(void);

/* Open a ZeroMQ socket of TYPE and bind or connect it to ENDPOINT, with
 * sane options (linger 1 s, the given high-water mark, 0 = default).
 * Logs and returns NULL on failure. */
void *marsad_socket(void *zctx, int type, const char *endpoint, bool bind, int hwm);
/* The same, calling PREP(socket, ARG) before the bind or connect (security
 * options must be set first); PREP returns 0 or -1 (with zmq_errno). */
void *marsad_socket_prep(void *zctx, int type, const char *endpoint, bool bind, int hwm,
                         int (*prep)(void *socket, void *arg), void *arg);

/* Daemons do not run as root unless told to (--allow-root, or
 * MARSAD_ALLOW_ROOT=1 in the environment, which `marsad up --allow-root`
 * passes to its children): they parse what the network sends, and a bug
 * there should not come with root's rights.  Returns true when PROG may go
 * on; otherwise prints why on stderr. */
bool marsad_root_check(const char *prog, bool allow_root);

/* mkdir -p DIR (mode 0750).  Returns 0 or -errno (not logged). */
int marsad_mkdir_p(const char *dir);

#endif
