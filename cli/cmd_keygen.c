/*
 * cmd_keygen.c — `marsad keygen`: make a CURVE key pair (libzmq, with
 * libsodium) for the alerter or for a subscriber, printed in the form the
 * config and `marsad tail --curve-keys` read:
 *
 *     public = <40 characters of Z85>
 *     secret = <40 characters of Z85>
 *
 * The alerter's secret goes in `[alerter] curve_secret`; a subscriber's
 * public line goes in the `curve_clients` file.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <zmq.h>

int cmd_keygen(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("usage: marsad keygen\n"
               "\n"
               "Print a new CURVE key pair for the alert and replay sockets:\n"
               "  public = KEY   give it to the other side (curve_clients, --curve-server)\n"
               "  secret = KEY   keep it: [alerter] curve_secret, or the subscriber's\n"
               "                 --curve-keys file (chmod 600)\n");
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "usage: marsad keygen\n");
        return 2;
    }
    char public_z85[41], secret_z85[41];
    if (!zmq_has("curve") || zmq_curve_keypair(public_z85, secret_z85) != 0) {
        fprintf(stderr, "marsad keygen: this libzmq cannot make CURVE keys: %s\n",
                zmq_strerror(zmq_errno()));
        return 1;
    }
    printf("# marsad CURVE key pair (marsad keygen); keep the secret secret\n"
           "public = %s\nsecret = %s\n", public_z85, secret_z85);
    return 0;
}
