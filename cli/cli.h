/*
 * cli.h — the subcommands of `marsad` (DESIGN §1; the forms are a contract
 * that scripts depend on).  Each takes the arguments after its name
 * (argv[0] is the subcommand) and returns the process exit status.
 */
#ifndef MARSAD_CLI_H
#define MARSAD_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "config.h"

int cmd_up(int argc, char **argv);
int cmd_tail(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_feed(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_store(int argc, char **argv);
int cmd_keygen(int argc, char **argv);

/* GET PATH ("/status") from a running stage's metrics ADDR ("127.0.0.1:9554")
 * and parse it: the JSON (caller decrefs), or NULL with *WHY a static
 * reason.  Answers over MAX_BYTES are refused.  curl_global_init first. */
json_t *cli_ask_stage(const char *addr, const char *path, size_t max_bytes, const char **why);

/* Read all of PATH ("-" = stdin) into a malloc'd, NUL-terminated buffer;
 * *len excludes the NUL.  Prints the error and returns NULL on failure. */
char *cli_read_input(const char *path, size_t *len);

/* Load -c FILE or the default config; prints the error (FILE:LINE) and
 * returns NULL on failure. */
marsad_config_t *cli_load_config(const char *path);

/* A connect address for an endpoint a daemon binds: tcp://0.0.0.0:P and
 * tcp://(star):P become tcp://127.0.0.1:P.  Writes into BUF (size N). */
const char *cli_connect_endpoint(const char *bind_ep, char *buf, size_t n);

/* Follow the alerts: print those with seq > SINCE (SINCE < 0: only new
 * ones from now on) whose watch is WATCH (NULL: all), as text or JSON
 * lines, until stopped by a signal.  Gaps in the live stream are filled
 * from the replay socket, so nothing is missed or printed twice.
 * Returns an exit status. */
typedef struct {
    char server[41];     /* the alerter's public key (Z85) */
    char public_z85[41]; /* ours */
    char secret_z85[41];
} cli_curve_t;

/* CURVE for a subscriber: the alerter's public key from SERVER_KEY, else
 * derived from the config's [alerter] curve_secret (same host); our key
 * pair from KEYS_FILE (`marsad keygen` output), else a fresh one.  Sets
 * *ON false when there is no server key (plain sockets).  Returns 0, or 2
 * after printing what is wrong. */
int cli_curve_setup(const marsad_config_t *cfg, const char *server_key, const char *keys_file,
                    cli_curve_t *out, bool *on);

int cli_follow_alerts(const marsad_config_t *cfg, long long since, const char *watch, int as_json,
                      const cli_curve_t *curve);

#endif
