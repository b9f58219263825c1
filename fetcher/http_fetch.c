/*
 * http_fetch.c — the GETs of http_fetch.h.
 *
 * Every request has a struct req; curl transfers point to it through
 * CURLOPT_PRIVATE.  Finished requests (curl's, and file: reads and
 * immediate failures, which complete at once) go on a done list that
 * http_fetch_run() drains, so a callback never runs inside
 * http_fetch_get() and may itself add requests.
 */
#include "http_fetch.h"
#include "net_list.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <curl/curl.h>
#include <curl/header.h>

typedef struct req {
    struct req *next;           /* in the done list */
    http_fetch_t *owner;
    CURL *easy;
    char *url;
    http_done_fn cb;
    void *arg;
    http_result_t res;
    size_t cap;
    bool too_big;
    struct curl_slist *headers;
    char errbuf[CURL_ERROR_SIZE];
    http_origin_t origin;
    bool connected;             /* a connection was opened (the first one decides LEARN) */
    char refused[256];          /* why the guard refused a connection, or "" */
} req_t;

struct http_fetch {
    CURLM *multi;
    char *user_agent;
    char *proxy;                /* or NULL */
    char *ca_file;              /* or NULL: the system's bundle */
    int timeout_s, connect_timeout_s, low_speed_s;
    long max_body;
    int active;                 /* requests created and not yet called back */
    req_t *done, *done_tail;
    req_t **inflight;           /* curl transfers, for cancel on destroy */
    size_t n_inflight, cap_inflight;
    bool guard;                 /* SSRF guard on (and no proxy) */
    net_list_t private_nets, allow_nets, deny_nets;
};

/* ------------------------------------------------------------ results */

static void s_result_clear(http_result_t *r)
{
    free(r->error);
    free(r->final_url);
    free(r->content_type);
    free(r->charset);
    free(r->body);
    free(r->etag);
    free(r->last_modified);
    memset(r, 0, sizeof *r);
}

static void s_fail(req_t *r, const char *reason)
{
    r->res.failed = 1;
    free(r->res.error);
    r->res.error = strdup(reason);
    free(r->res.body);
    r->res.body = NULL;
    r->res.body_len = 0;
}

static void s_done(http_fetch_t *h, req_t *r)
{
    r->next = NULL;
    if (h->done_tail)
        h->done_tail->next = r;
    else
        h->done = r;
    h->done_tail = r;
}

static void s_req_free(req_t *r)
{
    if (!r)
        return;
    s_result_clear(&r->res);
    curl_slist_free_all(r->headers);
    free(r->url);
    free(r);
}

long http_retry_after(const char *value, long long now)
{
    if (!value)
        return -1;
    while (*value == ' ' || *value == '\t')
        value++;
    if (isdigit((unsigned char) *value)) {
        char *end;
        long v = strtol(value, &end, 10);
        while (*end == ' ' || *end == '\t')
            end++;
        return *end == '\0' && v >= 0 ? v : -1;
    }
    time_t t = curl_getdate(value, NULL);
    if (t == (time_t) -1)
        return -1;
    return t > now ? (long) (t - now) : 0;
}

char *http_charset_of(const char *ct)
{
    if (!ct)
        return NULL;
    const char *p = ct;
    while ((p = strchr(p, ';')) != NULL) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "charset=", 8) != 0)
            continue;
        p += 8;
        if (*p == '"' || *p == '\'')
            p++;
        size_t n = 0;
        while (p[n] && p[n] != ';' && p[n] != '"' && p[n] != '\'' && !isspace((unsigned char) p[n]))
            n++;
        return n ? strndup(p, n) : NULL;
    }
    return NULL;
}

/* ---------------------------------------------------------------- file: */

static int s_hex(int c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

char *http_file_path(const char *url)
{
    if (!url || strncasecmp(url, "file:", 5) != 0)
        return NULL;
    const char *p = url + 5;
    if (strncmp(p, "//", 2) == 0) {
        p += 2;
        if (strncasecmp(p, "localhost/", 10) == 0)
            p += 9;
        else if (*p != '/')
            return NULL;        /* file://otherhost/...: not ours to read */
    }
    if (*p != '/')
        return NULL;
    size_t n = strcspn(p, "?#");
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n && s_hex((unsigned char) p[i + 1]) >= 0
            && s_hex((unsigned char) p[i + 2]) >= 0) {
            char c = (char) (s_hex((unsigned char) p[i + 1]) * 16 + s_hex((unsigned char) p[i + 2]));
            if (c == '\0') {
                free(out);
                return NULL;
            }
            out[o++] = c;
            i += 2;
        } else {
            out[o++] = p[i];
        }
    }
    out[o] = '\0';
    return out;
}

static const char *s_guess_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    if (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"))
        return "text/html";
    if (!strcasecmp(dot, ".xml") || !strcasecmp(dot, ".rss") || !strcasecmp(dot, ".atom"))
        return "application/xml";
    if (!strcasecmp(dot, ".json"))
        return "application/json";
    if (!strcasecmp(dot, ".txt"))
        return "text/plain";
    return NULL;
}

static void s_read_file(http_fetch_t *h, req_t *r)
{
    char *path = http_file_path(r->url);
    char msg[512];
    if (!path) {
        s_fail(r, "not a local file: URL");
        return;
    }
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(msg, sizeof msg, "%s: %s", path, f ? "not a regular file" : strerror(errno));
        s_fail(r, msg);
        if (f)
            fclose(f);
        free(path);
        return;
    }
    if (st.st_size > h->max_body) {
        snprintf(msg, sizeof msg, "%s: larger than %ld bytes", path, h->max_body);
        s_fail(r, msg);
        fclose(f);
        free(path);
        return;
    }
    size_t n = (size_t) st.st_size;
    r->res.body = malloc(n + 1);
    if (!r->res.body || fread(r->res.body, 1, n, f) != n) {
        snprintf(msg, sizeof msg, "%s: read error", path);
        s_fail(r, msg);
    } else {
        r->res.body[n] = '\0';
        r->res.body_len = n;
        r->res.final_url = strdup(r->url);
        const char *ct = s_guess_type(path);
        r->res.content_type = ct ? strdup(ct) : NULL;
    }
    fclose(f);
    free(path);
}

/* ---------------------------------------------------------------- curl */

static size_t s_write(char *data, size_t size, size_t nmemb, void *userp)
{
    req_t *r = userp;
    size_t n = size * nmemb;
    if (r->res.body_len + n > (size_t) r->owner->max_body) {
        r->too_big = true;
        return 0;                       /* aborts the transfer */
    }
    if (r->res.body_len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 16384;
        while (cap < r->res.body_len + n + 1)
            cap *= 2;
        char *p = realloc(r->res.body, cap);
        if (!p)
            return 0;
        r->res.body = p;
        r->cap = cap;
    }
    memcpy(r->res.body + r->res.body_len, data, n);
    r->res.body_len += n;
    r->res.body[r->res.body_len] = '\0';
    return n;
}

static int s_add_header(req_t *r, const char *name, const char *value)
{
    if (!value || !*value)
        return 0;
    char line[1024];
    snprintf(line, sizeof line, "%s: %s", name, value);
    struct curl_slist *l = curl_slist_append(r->headers, line);
    if (!l)
        return -1;
    r->headers = l;
    return 0;
}

/* ------------------------------------------------------- SSRF guard */

/* May request R connect to SA?  Sets R's origin on its first connection
 * when it is to be learned; on refusal says why in r->refused. */
static bool s_guard_ok(http_fetch_t *h, req_t *r, const struct sockaddr *sa)
{
    if (!h->guard || h->proxy)
        return true;
    bool first = !r->connected;
    r->connected = true;
    char ip[64];
    if (net_list_contains(&h->deny_nets, sa)) {
        snprintf(r->refused, sizeof r->refused, "refused to connect to %s: on [fetcher] deny_nets",
                 net_addr_text(sa, ip, sizeof ip));
        return false;
    }
    if (net_list_contains(&h->allow_nets, sa) || !net_list_contains(&h->private_nets, sa))
        return true;
    if (first && r->origin == HTTP_ORIGIN_LEARN)
        r->res.origin_private = true;
    if (r->res.origin_private)
        return true;
    snprintf(r->refused, sizeof r->refused,
             "refused to connect to %s: a private address, reached from a source that is not "
             "(SSRF guard; see [fetcher] private_nets and allow_nets)",
             net_addr_text(sa, ip, sizeof ip));
    return false;
}

static curl_socket_t s_opensocket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    req_t *r = clientp;
    if (purpose == CURLSOCKTYPE_IPCXN && !s_guard_ok(r->owner, r, &a->addr))
        return CURL_SOCKET_BAD;
    return socket(a->family, a->socktype, a->protocol);
}

/* The address a finished transfer talked to last, checked again: a reused
 * connection opened for another request never went through s_opensocket. */
static bool s_guard_final(http_fetch_t *h, req_t *r)
{
    char *ip = NULL;
    if (!h->guard || h->proxy || curl_easy_getinfo(r->easy, CURLINFO_PRIMARY_IP, &ip) != CURLE_OK || !ip
        || !*ip)
        return true;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (inet_pton(AF_INET, ip, &((struct sockaddr_in *) (void *) &ss)->sin_addr) == 1)
        ss.ss_family = AF_INET;
    else if (inet_pton(AF_INET6, ip, &((struct sockaddr_in6 *) (void *) &ss)->sin6_addr) == 1)
        ss.ss_family = AF_INET6;
    else
        return true;
    return s_guard_ok(h, r, (const struct sockaddr *) &ss);
}

static int s_start_curl(http_fetch_t *h, req_t *r, const char *etag, const char *last_modified)
{
    if (s_add_header(r, "If-None-Match", etag) || s_add_header(r, "If-Modified-Since", last_modified))
        return -1;
    CURL *e = curl_easy_init();
    if (!e)
        return -1;
    if (r->headers)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
    r->easy = e;
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, s_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TIMEOUT, (long) h->timeout_s);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long) h->connect_timeout_s);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 64L);     /* bytes/s, averaged by curl */
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long) h->low_speed_s);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");      /* all curl decodes: gzip, deflate, br */
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);              /* prefer multiplexing to a new connection */
    if (h->proxy)
        curl_easy_setopt(e, CURLOPT_PROXY, h->proxy);
    if (h->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
    curl_easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) h->max_body);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, s_opensocket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, r);
    if (h->n_inflight == h->cap_inflight) {
        size_t cap = h->cap_inflight ? h->cap_inflight * 2 : 32;
        req_t **p = realloc(h->inflight, cap * sizeof *p);
        if (!p)
            goto fail;
        h->inflight = p;
        h->cap_inflight = cap;
    }
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK)
        goto fail;
    h->inflight[h->n_inflight++] = r;
    return 0;
fail:
    curl_easy_cleanup(e);
    r->easy = NULL;
    return -1;
}

static void s_untrack(http_fetch_t *h, req_t *r)
{
    for (size_t i = 0; i < h->n_inflight; i++)
        if (h->inflight[i] == r) {
            h->inflight[i] = h->inflight[--h->n_inflight];
            return;
        }
}

static void s_finish_curl(http_fetch_t *h, req_t *r, CURLcode code)
{
    CURL *e = r->easy;
    char msg[CURL_ERROR_SIZE + 64];
    char *eff = NULL, *ct = NULL;
    curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &eff);
    curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ct);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->res.status);
    long ver = 0;
    curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &ver);
    r->res.http_version = ver == CURL_HTTP_VERSION_2_0 ? 2 : ver == CURL_HTTP_VERSION_3 ? 3
                          : ver ? 1 : 0;
    r->res.final_url = strdup(eff ? eff : r->url);
    if (ct) {
        r->res.content_type = strdup(ct);
        r->res.charset = http_charset_of(ct);
    }
    struct curl_header *hd;
    if (curl_easy_header(e, "ETag", 0, CURLH_HEADER, -1, &hd) == CURLHE_OK && hd->value)
        r->res.etag = strdup(hd->value);
    if (curl_easy_header(e, "Last-Modified", 0, CURLH_HEADER, -1, &hd) == CURLHE_OK && hd->value)
        r->res.last_modified = strdup(hd->value);
    curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &r->res.redirects);
    curl_easy_getinfo(e, CURLINFO_TOTAL_TIME, &r->res.seconds);
    if (curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &hd) == CURLHE_OK && hd->value)
        r->res.retry_after = http_retry_after(hd->value, (long long) time(NULL));
    if (code == CURLE_OK && r->res.status == 304 && r->headers) {
        r->res.not_modified = true;
        free(r->res.body);
        r->res.body = strdup("");
        r->res.body_len = 0;
        if (!r->res.body)
            s_fail(r, "out of memory");
    } else if (r->refused[0] || !s_guard_final(h, r)) {
        s_fail(r, r->refused);
    } else if (code != CURLE_OK) {
        if (r->too_big || code == CURLE_FILESIZE_EXCEEDED)
            snprintf(msg, sizeof msg, "body larger than %ld bytes", h->max_body);
        else
            snprintf(msg, sizeof msg, "%s", r->errbuf[0] ? r->errbuf : curl_easy_strerror(code));
        s_fail(r, msg);
    } else if (r->res.status < 200 || r->res.status > 299) {
        snprintf(msg, sizeof msg, "HTTP %ld", r->res.status);
        s_fail(r, msg);
    } else if (!r->res.body) {
        r->res.body = strdup("");       /* an empty 200 is still a body */
        if (!r->res.body)
            s_fail(r, "out of memory");
    }
    curl_multi_remove_handle(h->multi, e);
    curl_easy_cleanup(e);
    r->easy = NULL;
    s_untrack(h, r);
    s_done(h, r);
}

/* ------------------------------------------------------------- public */

http_fetch_t *http_fetch_new(const char *user_agent, int timeout_s, long max_body)
{
    http_fetch_t *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->multi = curl_multi_init();
    h->user_agent = strdup(user_agent ? user_agent : "marsad");
    h->timeout_s = timeout_s > 0 ? timeout_s : 30;
    h->connect_timeout_s = h->timeout_s < 15 ? h->timeout_s : 15;
    h->low_speed_s = h->timeout_s < 20 ? h->timeout_s : 20;
    h->max_body = max_body > 0 ? max_body : 10L * 1024 * 1024;
    if (!h->multi || !h->user_agent) {
        http_fetch_destroy(&h);
        return NULL;
    }
    /* Politeness and sanity: a feed of 200 items must not open 200
     * connections to one site at once; curl queues the rest. */
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 32L);
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX);
    return h;
}

int http_fetch_set_options(http_fetch_t *h, const http_options_t *o)
{
    if (o->proxy) {
        char *p = *o->proxy ? strdup(o->proxy) : NULL;
        if (*o->proxy && !p)
            return -1;
        free(h->proxy);
        h->proxy = p;
    }
    if (o->ca_file) {
        char *c = *o->ca_file ? strdup(o->ca_file) : NULL;
        if (*o->ca_file && !c)
            return -1;
        free(h->ca_file);
        h->ca_file = c;
    }
    if (o->per_host > 0)
        curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long) o->per_host);
    if (o->parallel > 0)
        curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long) o->parallel);
    if (o->connect_timeout_s > 0)
        h->connect_timeout_s = o->connect_timeout_s;
    if (o->low_speed_s > 0)
        h->low_speed_s = o->low_speed_s;
    return 0;
}

static void s_dispatch(http_fetch_t *h)
{
    /* Detach the list first: callbacks may add requests (and completions). */
    req_t *r = h->done;
    h->done = h->done_tail = NULL;
    while (r) {
        req_t *next = r->next;
        h->active--;
        r->cb(&r->res, r->arg);
        s_req_free(r);
        r = next;
    }
}

void http_fetch_destroy(http_fetch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    http_fetch_t *h = *self_p;
    for (size_t i = 0; i < h->n_inflight; i++) {
        req_t *r = h->inflight[i];
        curl_multi_remove_handle(h->multi, r->easy);
        curl_easy_cleanup(r->easy);
        r->easy = NULL;
        s_done(h, r);
    }
    h->n_inflight = 0;
    for (req_t *r = h->done; r; r = r->next)
        r->res.cancelled = true;
    /* Callbacks of cancelled requests must not add requests; if they do,
     * those are cancelled too in the next round. */
    while (h->done) {
        s_dispatch(h);
        for (req_t *r = h->done; r; r = r->next)
            r->res.cancelled = true;
    }
    free(h->inflight);
    if (h->multi)
        curl_multi_cleanup(h->multi);
    free(h->user_agent);
    free(h->proxy);
    free(h->ca_file);
    net_list_clear(&h->private_nets);
    net_list_clear(&h->allow_nets);
    net_list_clear(&h->deny_nets);
    free(h);
    *self_p = NULL;
}

int http_fetch_get(http_fetch_t *h, const char *url, bool allow_file, http_done_fn cb, void *arg)
{
    return http_fetch_get_cond(h, url, allow_file, NULL, NULL, cb, arg);
}

int http_fetch_get_cond(http_fetch_t *h, const char *url, bool allow_file, const char *etag,
                        const char *last_modified, http_done_fn cb, void *arg)
{
    return http_fetch_get_origin(h, url, allow_file, etag, last_modified, HTTP_ORIGIN_LEARN, cb,
                                 arg);
}

int http_fetch_set_guard(http_fetch_t *h, const char *private_nets, const char *allow_nets,
                         const char *deny_nets, char **err)
{
    net_list_t lists[3];
    const char *texts[3] = { private_nets, allow_nets, deny_nets };
    static const char *names[3] = { "private_nets", "allow_nets", "deny_nets" };
    for (int i = 0; i < 3; i++) {
        char *why = NULL;
        if (net_list_parse(texts[i], &lists[i], &why) != 0) {
            if (asprintf(err, "%s: %s", names[i], why ? why : "out of memory") < 0)
                *err = NULL;
            free(why);
            while (i-- > 0)
                net_list_clear(&lists[i]);
            return -1;
        }
    }
    net_list_clear(&h->private_nets);
    net_list_clear(&h->allow_nets);
    net_list_clear(&h->deny_nets);
    h->private_nets = lists[0];
    h->allow_nets = lists[1];
    h->deny_nets = lists[2];
    h->guard = true;
    return 0;
}

int http_fetch_get_origin(http_fetch_t *h, const char *url, bool allow_file, const char *etag,
                          const char *last_modified, http_origin_t origin, http_done_fn cb,
                          void *arg)
{
    req_t *r = calloc(1, sizeof *r);
    if (!r || !(r->url = strdup(url))) {
        free(r);
        return -1;
    }
    r->owner = h;
    r->cb = cb;
    r->arg = arg;
    r->res.retry_after = -1;
    r->origin = origin;
    r->res.origin_private = origin == HTTP_ORIGIN_PRIVATE;
    h->active++;
    if (strncasecmp(url, "file:", 5) == 0) {
        if (allow_file)
            s_read_file(h, r);
        else
            s_fail(r, "file: URLs are only read for file: sources");
        s_done(h, r);
    } else if (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0) {
        if (s_start_curl(h, r, etag, last_modified) != 0) {
            s_fail(r, "cannot start transfer");
            s_done(h, r);
        }
    } else {
        s_fail(r, "unsupported URL scheme");
        s_done(h, r);
    }
    return 0;
}

int http_fetch_run(http_fetch_t *h, int timeout_ms)
{
    if (h->n_inflight > 0) {
        int running = 0;
        /* Only wait when there is nothing ready to hand back. */
        if (!h->done)
            curl_multi_poll(h->multi, NULL, 0, timeout_ms, NULL);
        curl_multi_perform(h->multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
            if (m->msg != CURLMSG_DONE)
                continue;
            req_t *r = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **) &r);
            CURLcode code = m->data.result;
            if (r)
                s_finish_curl(h, r, code);  /* removes the handle: m is now stale */
        }
    }
    s_dispatch(h);
    return h->active;
}

int http_fetch_active(const http_fetch_t *h)
{
    return h ? h->active : 0;
}
