/*
 * alert_curve.h — CURVE security for the alerter's publish and replay
 * sockets (issue 8): with `[alerter] curve_secret` set, both sockets are
 * CURVE servers, so traffic is encrypted and only clients that know the
 * alerter's public key get through the handshake; with `curve_clients`
 * set, a ZAP handler (ZeroMQ's RFC 27, a thread on
 * inproc://zeromq.zap.01) also admits only the client public keys listed
 * in that file.  The file is read again when it changes, so adding a
 * subscriber needs no restart.
 *
 * Ownership: alert_curve_t owns its thread and its copy of the keys;
 * destroy it after closing the sockets it secured and before terminating
 * the ZeroMQ context.
 */
#ifndef MARSAD_ALERT_CURVE_H
#define MARSAD_ALERT_CURVE_H

#include <stdint.h>

typedef struct alert_curve alert_curve_t;

/* SECRET_Z85: the server's secret key; CLIENTS: the allowed-keys file or
 * NULL/"" for any client.  The ZAP handler is bound in ZCTX before this
 * returns, so sockets made afterwards are covered.  Returns NULL with *ERR
 * (malloc'd) on a bad key or an unreadable file. */
alert_curve_t *alert_curve_new(void *zctx, const char *secret_z85, const char *clients,
                               char **err);
void alert_curve_destroy(alert_curve_t **self_p);

/* Make SOCKET (not yet bound) a CURVE server with our key.  0 or -1. */
int alert_curve_apply(alert_curve_t *self, void *socket);

/* The server's public key (Z85, 40 characters), for the log and for clients. */
const char *alert_curve_public(const alert_curve_t *self);

/* Handshakes refused by the ZAP handler so far. */
uint64_t alert_curve_refused(alert_curve_t *self);

/* Parse a key file as `marsad keygen` writes it ("public = KEY",
 * "secret = KEY", '#' comments).  Fills PUBLIC and/or SECRET (41 bytes
 * each, may be NULL) with what the file has; returns the number of keys
 * found, or -1 if the file cannot be read or a key is malformed. */
int alert_curve_read_keys(const char *path, char public_z85[41], char secret_z85[41]);

#endif
