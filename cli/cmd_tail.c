/*
 * cmd_tail.c — `marsad tail [-c FILE] [--since SEQ] [--watch NAME] [--json]`:
 * print alerts as they arrive.
 *
 * Live alerts come from the alerter's PUB socket; history and gaps come
 * from its replay REP socket.  The SUB socket is connected before the
 * replay is asked, so an alert published during the replay is in the SUB
 * queue and is skipped by seq if the replay already printed it: no gap, no
 * duplicate (DESIGN §2).
 */
#include "cli.h"
#include "alert_curve.h"
#include "daemon.h"
#include "proto.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define S_PAGE 500
#define S_REPLY_TIMEOUT_MS 5000

static int s_curve_client(void *socket, void *arg);

typedef struct {
    const char *watch;
    int as_json;
    long long last;          /* highest seq handled, -1 before the first */
    const cli_curve_t *curve;   /* CURVE for both sockets, or NULL */
} s_tail_t;

static void s_print(const proto_alert_t *a, const char *json, size_t len, int as_json)
{
    if (as_json) {
        printf("%.*s\n", (int) len, json);
    } else {
        printf("[%lld] %s %s (%s): %s\n", (long long) a->seq, a->watch, a->kind, a->severity,
               a->title && *a->title ? a->title : "(no title)");
        printf("      %s  %s  %s\n", a->source, a->lang, a->url);
        /* Each (term, surface) pair once: an article names its subject
         * many times, and the offsets are in the JSON for who needs them. */
        printf("      matched:");
        size_t shown = 0;
        for (size_t i = 0; i < a->n_matches && shown < 8; i++) {
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = strcmp(a->matches[j].term, a->matches[i].term) == 0
                       && strcmp(a->matches[j].surface, a->matches[i].surface) == 0;
            if (seen)
                continue;
            printf("%s %s=\"%s\"", shown ? "," : "", a->matches[i].term, a->matches[i].surface);
            shown++;
        }
        printf("\n");
        for (size_t i = 0; i < a->n_claims; i++) {
            const proto_claim_t *c = &a->claims[i];
            printf("      claim: %s %s (%s): %s", c->speaker, c->cue, c->stance, c->content);
            /* The outlets it came through, each once (the JSON has the
             * articles and relays). */
            for (size_t k = 0, shown_src = 0; k < c->n_sources && shown_src < 5; k++) {
                bool dup = false;
                for (size_t j = 0; j < k && !dup; j++)
                    dup = strcmp(c->sources[j].source, c->sources[k].source) == 0;
                if (!dup)
                    printf("%s%s", shown_src++ ? ", " : " — via ", c->sources[k].source);
            }
            printf("\n");
        }
        printf("      %s\n", a->snippet);
    }
    fflush(stdout);
}

/* Handle one alert's JSON: print it unless already seen or filtered. */
static void s_handle(s_tail_t *self, const char *json, size_t len)
{
    proto_alert_t a;
    memset(&a, 0, sizeof a);
    if (proto_alert_from_json(json, len, &a) != 0) {
        fprintf(stderr, "marsad tail: skipped an invalid alert\n");
        return;
    }
    if (a.seq > self->last) {
        if (!self->watch || strcmp(self->watch, a.watch) == 0)
            s_print(&a, json, len, self->as_json);
        self->last = a.seq;
    }
    proto_alert_clear(&a);
}

/* Ask the replay socket for everything after self->last.  Returns 0, or -1
 * if the alerter did not answer (the caller goes on with live alerts). */
static int s_replay(s_tail_t *self, void *zctx, const char *endpoint)
{
    void *req = marsad_socket_prep(zctx, ZMQ_REQ, endpoint, false, 0,
                                   self->curve ? s_curve_client : NULL, (void *) self->curve);
    if (!req)
        return -1;
    int timeout = S_REPLY_TIMEOUT_MS, linger = 0;
    zmq_setsockopt(req, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(req, ZMQ_LINGER, &linger, sizeof linger);
    int rc = 0;
    for (;;) {
        proto_frames_t f = { 0 };
        proto_since_t q = { self->last < 0 ? 0 : self->last, S_PAGE };
        if (proto_since_encode(&q, &f) != 0 || proto_send(req, &f, 0) != 0) {
            proto_frames_clear(&f);
            rc = -1;
            break;
        }
        proto_frames_clear(&f);
        rc = proto_recv(req, &f, 0);
        if (rc != 0) {
            fprintf(stderr, "marsad tail: no answer from the alerter's replay socket %s%s\n",
                    endpoint, rc == -EAGAIN ? " (timeout)" : "");
            proto_frames_clear(&f);
            rc = -1;
            break;
        }
        char **items = NULL;
        size_t n = 0;
        int64_t last_seq = 0;
        rc = proto_items_decode(&f, "alerts", &items, &n, &last_seq);
        proto_frames_clear(&f);
        if (rc != 0) {
            fprintf(stderr, "marsad tail: bad replay answer: %s\n", proto_strerror(rc));
            rc = -1;
            break;
        }
        long long before = self->last;
        for (size_t i = 0; i < n; i++) {
            s_handle(self, items[i], strlen(items[i]));
            free(items[i]);
        }
        free(items);
        if (n == 0 || self->last >= last_seq || self->last == before)
            break;
    }
    zmq_close(req);
    return rc;
}

int cli_curve_setup(const marsad_config_t *cfg, const char *server_key, const char *keys_file,
                    cli_curve_t *out, bool *on)
{
    memset(out, 0, sizeof *out);
    *on = false;
    uint8_t raw[32];
    if (server_key) {
        if (strlen(server_key) != 40 || !zmq_z85_decode(raw, server_key)) {
            fprintf(stderr, "marsad: --curve-server needs the alerter's public key "
                    "(40 characters of Z85)\n");
            return 2;
        }
        memcpy(out->server, server_key, 41);
    } else if (cfg->alerter_curve_secret && *cfg->alerter_curve_secret) {
        if (zmq_curve_public(out->server, cfg->alerter_curve_secret) != 0) {
            fprintf(stderr, "marsad: cannot derive the alerter's public key: %s\n",
                    zmq_strerror(zmq_errno()));
            return 2;
        }
    } else {
        if (keys_file)
            fprintf(stderr, "marsad: --curve-keys without the alerter's key (--curve-server, or "
                    "[alerter] curve_secret in the config): ignored\n");
        return 0;
    }
    if (keys_file) {
        int n = alert_curve_read_keys(keys_file, out->public_z85, out->secret_z85);
        if (n < 0 || !out->public_z85[0] || !out->secret_z85[0]) {
            fprintf(stderr, "marsad: %s: not a key pair as `marsad keygen` prints it "
                    "(public = KEY, secret = KEY)\n", keys_file);
            return 2;
        }
    } else if (zmq_curve_keypair(out->public_z85, out->secret_z85) != 0) {
        fprintf(stderr, "marsad: cannot make a CURVE key pair: %s\n", zmq_strerror(zmq_errno()));
        return 2;
    }
    *on = true;
    return 0;
}

/* Make SOCKET a CURVE client of the alerter (before it connects). */
static int s_curve_client(void *socket, void *arg)
{
    const cli_curve_t *c = arg;
    if (zmq_setsockopt(socket, ZMQ_CURVE_SERVERKEY, c->server, 41) != 0
        || zmq_setsockopt(socket, ZMQ_CURVE_PUBLICKEY, c->public_z85, 41) != 0
        || zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, c->secret_z85, 41) != 0)
        return -1;
    return 0;
}

int cli_follow_alerts(const marsad_config_t *cfg, long long since, const char *watch, int as_json,
                      const cli_curve_t *curve)
{
    char pub_ep[512], rep_ep[512];
    cli_connect_endpoint(cfg->alerter_publish, pub_ep, sizeof pub_ep);
    cli_connect_endpoint(cfg->alerter_replay, rep_ep, sizeof rep_ep);
    s_tail_t self = { watch, as_json, since, curve };
    void *zctx = zmq_ctx_new();
    void *sub = zctx ? marsad_socket_prep(zctx, ZMQ_SUB, pub_ep, false, 0,
                                          curve ? s_curve_client : NULL, (void *) curve)
                     : NULL;
    if (!sub) {
        if (zctx)
            zmq_ctx_term(zctx);
        return 1;
    }
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "alert.", 6);
    if (since >= 0)
        s_replay(&self, zctx, rep_ep);
    while (!marsad_daemon_stopping()) {
        zmq_pollitem_t items[] = { { sub, 0, ZMQ_POLLIN, 0 } };
        if (zmq_poll(items, 1, 500) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            break;
        }
        if (!(items[0].revents & ZMQ_POLLIN))
            continue;
        proto_frames_t f = { 0 };
        if (proto_recv(sub, &f, ZMQ_DONTWAIT) == 0 && f.n == 2) {
            proto_alert_t a;
            memset(&a, 0, sizeof a);
            if (proto_alert_decode(&f, &a) == 0) {
                /* A gap between what we printed and this alert: fill it. */
                if (self.last >= 0 && a.seq > self.last + 1)
                    s_replay(&self, zctx, rep_ep);
                proto_alert_clear(&a);
            }
            s_handle(&self, f.data[1], f.len[1]);
        }
        proto_frames_clear(&f);
    }
    zmq_close(sub);
    zmq_ctx_term(zctx);
    return 0;
}

static void s_usage(FILE *f)
{
    fprintf(f, "usage: marsad tail [-c FILE] [--since SEQ] [--watch NAME] [--json]\n"
               "                   [--curve-server KEY] [--curve-keys FILE]\n"
               "\n"
               "Print alerts as they arrive, until interrupted.\n"
               "  -c FILE        config (for the alerter's endpoints)\n"
               "  --since SEQ    first print every stored alert after SEQ (0: all), then\n"
               "                 follow; resumes with no gap and no duplicate\n"
               "  --watch NAME   only alerts of this watch\n"
               "  --json         one JSON object per line (schema marsad.alert/1)\n"
               "  --curve-server KEY  the alerter's CURVE public key (default: derived from\n"
               "                 [alerter] curve_secret when the config has it)\n"
               "  --curve-keys FILE   our key pair, as `marsad keygen` prints it (default: a\n"
               "                 fresh pair, enough unless the alerter lists curve_clients)\n");
}

int cmd_tail(int argc, char **argv)
{
    const char *config = NULL, *watch = NULL, *curve_server = NULL, *curve_keys = NULL;
    long long since = -1;
    int as_json = 0;
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "since", required_argument, NULL, 's' },
        { "watch", required_argument, NULL, 'w' },
        { "json", no_argument, NULL, 'j' },
        { "curve-server", required_argument, NULL, 'S' },
        { "curve-keys", required_argument, NULL, 'K' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 's': {
            char *end;
            since = strtoll(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || since < 0) {
                fprintf(stderr, "marsad tail: --since needs a sequence number >= 0\n");
                return 2;
            }
            break;
        }
        case 'w': watch = optarg; break;
        case 'j': as_json = 1; break;
        case 'S': curve_server = optarg; break;
        case 'K': curve_keys = optarg; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        s_usage(stderr);
        return 2;
    }
    marsad_config_t *cfg = cli_load_config(config);
    if (!cfg)
        return 2;
    cli_curve_t curve;
    bool curve_on = false;
    if (cli_curve_setup(cfg, curve_server, curve_keys, &curve, &curve_on) != 0) {
        config_destroy(&cfg);
        return 2;
    }
    marsad_signals_install();
    int rc = cli_follow_alerts(cfg, since, watch, as_json, curve_on ? &curve : NULL);
    config_destroy(&cfg);
    return rc;
}
