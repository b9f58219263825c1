/*
 * cmd_store.c — `marsad store backup [-c FILE] PATH` (a consistent copy of
 * the store's database through SQLite's online backup API, safe while
 * marsad-store writes), and `marsad store stats|article ID|story ID
 * [-c FILE]`, which ask the running store over its REP API and print the
 * JSON it answers.
 */
#include "cli.h"
#include "store_backup.h"
#include "proto.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define S_API_TIMEOUT_MS 5000

static void s_usage(FILE *f)
{
    fprintf(f, "usage: marsad store backup [-c FILE] PATH   copy the store's database to PATH\n"
               "       marsad store stats [-c FILE]         counters of the running store (JSON)\n"
               "       marsad store article [-c FILE] ID    one stored article (JSON)\n"
               "       marsad store story [-c FILE] ID      a story with its articles and claims\n");
}

/* Ask the running store; print the item.  Exit 0, 1 not found, 2 error. */
static int s_ask(const marsad_config_t *cfg, const char *kind, const char *id)
{
    char ep[512];
    cli_connect_endpoint(cfg->store_api, ep, sizeof ep);
    void *ctx = zmq_ctx_new();
    void *req = ctx ? zmq_socket(ctx, ZMQ_REQ) : NULL;
    int status = 2, linger = 0, timeout = S_API_TIMEOUT_MS;
    proto_frames_t f = { 0 };
    if (!req)
        goto out;
    zmq_setsockopt(req, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(req, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    proto_query_t q = { (char *) kind, (char *) id };
    if (zmq_connect(req, ep) != 0 || proto_query_encode(&q, &f) != 0
        || proto_send(req, &f, 0) != 0) {
        fprintf(stderr, "marsad store: cannot reach the store at %s\n", ep);
        goto out;
    }
    proto_frames_clear(&f);
    int rc = proto_recv(req, &f, 0);
    if (rc != 0) {
        fprintf(stderr, "marsad store: no answer from the store at %s\n", ep);
        goto out;
    }
    char *item = NULL;
    rc = proto_item_decode(&f, kind, &item);
    if (rc == 0) {
        printf("%s\n", item);
        status = 0;
    } else if (f.n == 2 && f.len[0] == 5 && memcmp(f.data[0], "error", 5) == 0) {
        fprintf(stderr, "marsad store: %.*s\n", (int) f.len[1], (const char *) f.data[1]);
        status = 1;
    } else {
        fprintf(stderr, "marsad store: bad answer: %s\n", proto_strerror(rc));
    }
    free(item);
out:
    proto_frames_clear(&f);
    if (req)
        zmq_close(req);
    if (ctx)
        zmq_ctx_term(ctx);
    return status;
}

int cmd_store(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        s_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    const char *config = NULL;
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    argc--;
    argv++;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    bool with_arg = strcmp(sub, "stats") != 0;
    if (!(strcmp(sub, "backup") == 0 || strcmp(sub, "stats") == 0
          || strcmp(sub, "article") == 0 || strcmp(sub, "story") == 0)
        || optind != argc - (with_arg ? 1 : 0)) {
        s_usage(stderr);
        return 2;
    }
    marsad_config_t *cfg = cli_load_config(config);
    if (!cfg)
        return 2;
    int status;
    if (strcmp(sub, "backup") == 0) {
        char *err = NULL;
        status = store_backup(cfg->store_db, argv[optind], &err) == 0 ? 0 : 2;
        if (status)
            fprintf(stderr, "marsad store backup: %s\n", err ? err : "failed");
        else
            printf("backed up %s to %s\n", cfg->store_db, argv[optind]);
        free(err);
    } else {
        status = s_ask(cfg, sub, with_arg ? argv[optind] : NULL);
    }
    config_destroy(&cfg);
    return status;
}
