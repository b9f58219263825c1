/*
 * alert_curve.c — CURVE on the alert sockets and the ZAP handler that
 * admits listed client keys (alert_curve.h).
 *
 * The handler is a REP socket on inproc://zeromq.zap.01 served by its own
 * thread: libzmq asks it once per handshake, so it is idle almost always.
 * It polls with a short timeout to notice shutdown.  The allowed keys are a
 * sorted array of 32-byte keys, replaced under a mutex when the file's
 * mtime or size changes (checked at each request: handshakes are rare).
 */
#include "alert_curve.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zmq.h>

#define ZAP_ENDPOINT "inproc://zeromq.zap.01"

struct alert_curve {
    void *zap;                 /* REP on ZAP_ENDPOINT, used by the thread only */
    pthread_t thread;
    bool running;
    atomic_bool stop;
    atomic_uint_fast64_t refused;
    uint8_t secret[32];
    char public_z85[41];
    char *clients;             /* path, or NULL: any client */
    pthread_mutex_t mu;
    uint8_t (*keys)[32];       /* allowed, sorted */
    size_t n_keys;
    struct timespec mtime;
    off_t size;
};

static int s_cmp_key(const void *a, const void *b)
{
    return memcmp(a, b, 32);
}

/* The value of a "public = KEY" / "secret = KEY" line, or a bare KEY
 * (NAME gets "public"); NULL for blank and comment lines. */
static char *s_key_line(char *line, const char **name)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *p = line + strspn(line, " \t");
    size_t len = strcspn(p, " \t");
    *name = "public";
    if (len == 40 && p[len + strspn(p + len, " \t")] == '\0') {
        p[len] = '\0';   /* a bare key: Z85 may begin with '#' or hold '=' */
        return p;
    }
    if (*p == '\0' || *p == '#' || *p == ';')
        return NULL;
    char *eq = strchr(p, '=');
    if (eq) {
        char *n = p, *e = eq;
        while (e > n && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        *e = '\0';
        *name = n;
        p = eq + 1 + strspn(eq + 1, " \t");
    }
    len = strcspn(p, " \t");
    p[len] = '\0';
    return p;
}

int alert_curve_read_keys(const char *path, char public_z85[41], char secret_z85[41])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int found = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        const char *name;
        char *key = s_key_line(line, &name);
        if (!key)
            continue;
        uint8_t raw[32];
        char *dst = strcmp(name, "public") == 0 ? public_z85
                    : strcmp(name, "secret") == 0 ? secret_z85 : NULL;
        if (!dst)
            continue;
        if (strlen(key) != 40 || !zmq_z85_decode(raw, key)) {
            bad = 1;
            continue;
        }
        memcpy(dst, key, 41);
        found++;
    }
    fclose(f);
    return bad ? -1 : found;
}

/* (Re)read the allowed keys if the file changed.  Returns 0, or -1 with
 * *ERR set (malloc'd) when it cannot be read; the old keys then stay. */
static int s_load_clients(alert_curve_t *self, char **err)
{
    struct stat st;
    if (stat(self->clients, &st) != 0) {
        if (asprintf(err, "%s: %s", self->clients, strerror(errno)) < 0)
            *err = NULL;
        return -1;
    }
    if (self->keys && st.st_mtim.tv_sec == self->mtime.tv_sec
        && st.st_mtim.tv_nsec == self->mtime.tv_nsec && st.st_size == self->size)
        return 0;
    FILE *f = fopen(self->clients, "r");
    if (!f) {
        if (asprintf(err, "%s: %s", self->clients, strerror(errno)) < 0)
            *err = NULL;
        return -1;
    }
    uint8_t (*keys)[32] = NULL;
    size_t n = 0, cap = 0;
    char line[512];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        const char *name;
        char *key = s_key_line(line, &name);
        if (!key || strcmp(name, "public") != 0)
            continue;   /* a secret key line is never a client key */
        uint8_t raw[32];
        if (strlen(key) != 40 || !zmq_z85_decode(raw, key)) {
            if (asprintf(err, "%s:%d: not a CURVE public key (40 characters of Z85): '%s'",
                         self->clients, lineno, key) < 0)
                *err = NULL;
            free(keys);
            fclose(f);
            return -1;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            uint8_t (*grown)[32] = realloc(keys, cap * sizeof *keys);
            if (!grown) {
                free(keys);
                fclose(f);
                *err = strdup("out of memory");
                return -1;
            }
            keys = grown;
        }
        memcpy(keys[n++], raw, 32);
    }
    fclose(f);
    if (n)
        qsort(keys, n, sizeof *keys, s_cmp_key);
    pthread_mutex_lock(&self->mu);
    free(self->keys);
    self->keys = keys ? keys : calloc(1, 32);   /* non-NULL: loaded, maybe empty */
    self->n_keys = n;
    self->mtime = st.st_mtim;
    self->size = st.st_size;
    pthread_mutex_unlock(&self->mu);
    mlog_info("CURVE: %zu subscriber key(s) allowed, from %s", n, self->clients);
    return 0;
}

static bool s_allowed(alert_curve_t *self, const uint8_t key[32])
{
    if (!self->clients)
        return true;
    char *err = NULL;
    if (s_load_clients(self, &err) != 0) {
        mlog_warn("CURVE: cannot reread the allowed keys (%s); keeping the last ones",
                  err ? err : "?");
        free(err);
    }
    pthread_mutex_lock(&self->mu);
    bool ok = self->n_keys && bsearch(key, self->keys, self->n_keys, 32, s_cmp_key) != NULL;
    pthread_mutex_unlock(&self->mu);
    return ok;
}

/* One ZAP request (RFC 27): version, request id, domain, address, identity,
 * mechanism, credentials...; the reply: version, request id, status code,
 * status text, user id, metadata. */
static void s_zap_one(alert_curve_t *self)
{
    zmq_msg_t part[8];
    int n = 0, more = 1;
    while (more && n < 8) {
        zmq_msg_init(&part[n]);
        if (zmq_msg_recv(&part[n], self->zap, 0) < 0) {
            zmq_msg_close(&part[n]);
            break;
        }
        more = zmq_msg_more(&part[n]);
        n++;
    }
    while (more) {   /* more frames than a CURVE request has: drain */
        zmq_msg_t x;
        zmq_msg_init(&x);
        if (zmq_msg_recv(&x, self->zap, 0) < 0)
            more = 0;
        else
            more = zmq_msg_more(&x);
        zmq_msg_close(&x);
    }
    const char *status = "400", *text = "not allowed";
    char user[41] = "";
    char address[64] = "?";
    if (n >= 7 && zmq_msg_size(&part[5]) == 5 && memcmp(zmq_msg_data(&part[5]), "CURVE", 5) == 0
        && zmq_msg_size(&part[6]) == 32) {
        const uint8_t *key = zmq_msg_data(&part[6]);
        zmq_z85_encode(user, key, 32);
        size_t al = zmq_msg_size(&part[3]) < sizeof address - 1 ? zmq_msg_size(&part[3])
                                                                 : sizeof address - 1;
        memcpy(address, zmq_msg_data(&part[3]), al);
        address[al] = '\0';
        if (s_allowed(self, key)) {
            status = "200";
            text = "OK";
        }
    }
    if (strcmp(status, "200") != 0) {
        uint64_t k = atomic_fetch_add(&self->refused, 1) + 1;
        if (k <= 10 || k % 1000 == 0)
            mlog_warn("CURVE: refused subscriber %s from %s (not in curve_clients); %llu refused "
                      "so far", user[0] ? user : "(no CURVE key)", address, (unsigned long long) k);
    }
    /* reply: echo version and request id */
    const void *frames[6] = { "1.0", NULL, status, text, user, "" };
    size_t lens[6] = { 3, 0, 3, strlen(text), strlen(user), 0 };
    if (n >= 2) {
        frames[1] = zmq_msg_data(&part[1]);
        lens[1] = zmq_msg_size(&part[1]);
    }
    for (int i = 0; i < 6; i++)
        zmq_send(self->zap, frames[i], lens[i], i < 5 ? ZMQ_SNDMORE : 0);
    for (int i = 0; i < n; i++)
        zmq_msg_close(&part[i]);
}

static void *s_zap_thread(void *arg)
{
    alert_curve_t *self = arg;
    while (!atomic_load(&self->stop)) {
        zmq_pollitem_t it = { self->zap, 0, ZMQ_POLLIN, 0 };
        int rc = zmq_poll(&it, 1, 200);
        if (rc < 0) {
            if (zmq_errno() == ETERM)
                break;
            continue;
        }
        if (rc > 0 && (it.revents & ZMQ_POLLIN))
            s_zap_one(self);
    }
    return NULL;
}

alert_curve_t *alert_curve_new(void *zctx, const char *secret_z85, const char *clients,
                               char **err)
{
    *err = NULL;
    if (!zmq_has("curve")) {
        *err = strdup("this libzmq has no CURVE support");
        return NULL;
    }
    alert_curve_t *self = calloc(1, sizeof *self);
    if (!self) {
        *err = strdup("out of memory");
        return NULL;
    }
    pthread_mutex_init(&self->mu, NULL);
    if (!secret_z85 || strlen(secret_z85) != 40 || !zmq_z85_decode(self->secret, secret_z85)
        || zmq_curve_public(self->public_z85, secret_z85) != 0) {
        *err = strdup("curve_secret is not a CURVE secret key (40 characters of Z85)");
        goto fail;
    }
    if (clients && *clients) {
        if (!(self->clients = strdup(clients))) {
            *err = strdup("out of memory");
            goto fail;
        }
        if (s_load_clients(self, err) != 0)
            goto fail;
    }
    self->zap = zmq_socket(zctx, ZMQ_REP);
    int linger = 0;
    if (!self->zap || zmq_setsockopt(self->zap, ZMQ_LINGER, &linger, sizeof linger) != 0
        || zmq_bind(self->zap, ZAP_ENDPOINT) != 0) {
        if (asprintf(err, "cannot bind the ZAP handler: %s", zmq_strerror(zmq_errno())) < 0)
            *err = NULL;
        goto fail;
    }
    if (pthread_create(&self->thread, NULL, s_zap_thread, self) != 0) {
        *err = strdup("cannot start the ZAP thread");
        goto fail;
    }
    self->running = true;
    return self;
fail:
    alert_curve_destroy(&self);
    return NULL;
}

void alert_curve_destroy(alert_curve_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    alert_curve_t *self = *self_p;
    atomic_store(&self->stop, true);
    if (self->running)
        pthread_join(self->thread, NULL);
    if (self->zap)
        zmq_close(self->zap);
    memset(self->secret, 0, sizeof self->secret);
    free(self->clients);
    free(self->keys);
    pthread_mutex_destroy(&self->mu);
    free(self);
    *self_p = NULL;
}

int alert_curve_apply(alert_curve_t *self, void *socket)
{
    int server = 1;
    const char domain[] = "marsad";
    if (zmq_setsockopt(socket, ZMQ_CURVE_SERVER, &server, sizeof server) != 0
        || zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, self->secret, 32) != 0
        || zmq_setsockopt(socket, ZMQ_ZAP_DOMAIN, domain, sizeof domain - 1) != 0)
        return -1;
    return 0;
}

const char *alert_curve_public(const alert_curve_t *self)
{
    return self->public_z85;
}

uint64_t alert_curve_refused(alert_curve_t *self)
{
    return self ? atomic_load(&self->refused) : 0;
}
