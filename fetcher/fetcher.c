/*
 * fetcher.c — marsad-fetcher: sources in, `raw` documents out.
 *
 * Each source is polled on its interval (first at start).  For each item
 * not seen before, the document is its page (fetched over HTTP, or read
 * from disk for file: sources) or, failing that, the feed's own content
 * wrapped as a minimal HTML page.  The document goes into the outbox
 * (committed, item marked seen) and only then onto the PUSH socket; it
 * leaves the outbox when the store's `ack` names it, and is re-sent with
 * backoff until then (DESIGN §2).
 *
 * The loop interleaves zmq_poll on the ack socket with curl's multi
 * interface, each with a short timeout.  A full PUSH queue (no extractor,
 * or extractors behind) is not an error: documents wait in the outbox.
 *
 * DIAGNOSTICS: one line per failed source poll, with the reason and the
 * retry delay; one line when the raw queue fills and when it drains.
 */
#include "fetcher.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include <zmq.h>

#include "daemon.h"
#include "feed.h"
#include "http_fetch.h"
#include "log.h"
#include "outbox.h"
#include "proto.h"
#include "robots.h"

#define FLUSH_BATCH 64          /* documents read from the outbox at a time */
#define SOURCE_BACKOFF_CAP 3600 /* seconds */
#define RAW_HWM 1000

typedef struct fetcher fetcher_t;

typedef struct {
    fetcher_t *f;
    const cfg_source_t *cfg;
    bool is_file;
    int64_t next_poll_ms;       /* monotonic */
    int failures;               /* consecutive */
    long long first_failure;    /* Unix seconds of the first of them, 0 if none */
    bool origin_private;        /* its feed is served from a private network (SSRF guard) */
    int busy;                   /* requests outstanding or queued (feed + pages) */
    char *etag, *last_modified; /* validators of the last good poll */
    bool save_pending;          /* save them once its pages are all stored */
    long host;                  /* its feed's host in fetcher.hosts, or -1 (file:) */
} source_t;

struct page;

/* Politeness per host: the earliest time of the next request there (feed
 * poll, robots.txt or article page), and the pages waiting for it. */
typedef struct {
    char *host;
    int64_t next_ms;
    struct page *head, *tail;   /* FIFO of pages to fetch */
} host_t;

struct fetcher {
    const marsad_config_t *cfg;
    outbox_t *outbox;
    http_fetch_t *http;
    void *push, *sub;
    source_t *sources;
    size_t n_sources;
    host_t *hosts;              /* grows as article links name new hosts */
    size_t n_hosts, cap_hosts;
    struct site *sites;         /* robots.txt per site, for article pages */
    size_t n_sites, cap_sites;
    char robots_agent[64];      /* our product token, from the User-Agent */
    bool push_blocked;          /* last send hit the high-water mark */
    int64_t next_flush_ms;
    long long n_sent, n_acked, n_bad_acks;
    int bad_ack_logged[16];     /* per proto error code: logged once */
};

/* One new item whose page is being fetched; owns copies of what the raw
 * message needs, because the feed is freed before the page arrives. */
typedef struct page {
    source_t *src;
    char *item_id, *doc_id, *link, *title, *published, *lang, *feed_url;
    char *fallback;             /* the item's content or summary (HTML), or NULL */
    long host;                  /* index in fetcher.hosts, or -1 (file:) */
    int attempts;               /* answered 429/503 so far */
    struct page *next;          /* in its host's queue or its site's robots wait list */
} page_t;

/* robots.txt of one site (scheme://host:port), fetched once a day. */
typedef struct site {
    char *origin;
    robots_t *rules;            /* NULL until fetched */
    bool fetching;
    int64_t expires_ms;
    page_t *waiting;            /* pages to decide when the rules arrive */
} site_t;

#define ROBOTS_TTL_MS (24LL * 3600 * 1000)
#define ROBOTS_RETRY_MS (3600LL * 1000)

/* A page answered 429/503 is asked again up to PAGE_ATTEMPTS times in all,
 * after the server's Retry-After (or PAGE_RETRY_DEFAULT_S without one).
 * Pages would wait longer than PAGE_WAIT_MAX_MS for their host (a
 * Retry-After of hours): the feed's content stands in rather than holding
 * the source's next poll up. */
#define PAGE_ATTEMPTS 3
#define PAGE_RETRY_DEFAULT_S 10
#define PAGE_WAIT_MAX_MS (120LL * 1000)

/* ------------------------------------------------------------ helpers */

static bool s_is_http(const char *url)
{
    return url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0);
}

static bool s_is_file(const char *url)
{
    return url && strncasecmp(url, "file:", 5) == 0;
}

/* The lower-case host[:port] of an http(s) URL, malloc'd, or NULL. */
static char *s_host_of(const char *url)
{
    if (!s_is_http(url))
        return NULL;
    const char *p = strstr(url, "://") + 3;
    const char *at = NULL;
    size_t n = strcspn(p, "/?#");
    for (size_t i = 0; i < n; i++)
        if (p[i] == '@')
            at = p + i;
    if (at) {
        n -= (size_t) (at + 1 - p);
        p = at + 1;
    }
    char *h = strndup(p, n);
    for (char *c = h; c && *c; c++)
        *c = (char) tolower((unsigned char) *c);
    return h;
}

/* The index of URL's host in F's table, added if new; -1 for a URL with
 * no host (file:) or when out of memory (no politeness then: logged). */
static long s_host_index(fetcher_t *f, const char *url)
{
    char *host = s_host_of(url);
    if (!host)
        return -1;
    for (size_t k = 0; k < f->n_hosts; k++)
        if (strcmp(f->hosts[k].host, host) == 0) {
            free(host);
            return (long) k;
        }
    if (f->n_hosts == f->cap_hosts) {
        size_t cap = f->cap_hosts ? f->cap_hosts * 2 : 16;
        host_t *nh = realloc(f->hosts, cap * sizeof *nh);
        if (!nh) {
            mlog_error("out of memory for the host table");
            free(host);
            return -1;
        }
        f->hosts = nh;
        f->cap_hosts = cap;
    }
    f->hosts[f->n_hosts] = (host_t) { .host = host, .next_ms = marsad_clock_ms() };
    return (long) f->n_hosts++;
}

/* Nothing more to host IX before UNTIL (monotonic ms). */
static void s_host_hold(fetcher_t *f, long ix, int64_t until)
{
    if (ix >= 0 && f->hosts[ix].next_ms < until)
        f->hosts[ix].next_ms = until;
}

/* A request to host IX starts now: the next waits [fetcher] host_delay. */
static void s_host_used(fetcher_t *f, long ix)
{
    s_host_hold(f, ix, marsad_clock_ms() + (int64_t) f->cfg->fetcher_host_delay * 1000);
}

static void s_now_rfc3339(char buf[32])
{
    proto_time_format((long long) time(NULL), buf);
}

/* HTML-escape S (text) into a malloc'd string. */
static char *s_escape(const char *s)
{
    if (!s)
        return strdup("");
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == '&' ? 5 : (*p == '<' || *p == '>') ? 4 : *p == '"' ? 6 : 1;
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = s; *p; p++) {
        const char *rep = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                          : *p == '"' ? "&quot;" : NULL;
        if (rep) {
            memcpy(o, rep, strlen(rep));
            o += strlen(rep);
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* The minimal page for an item the feed carries itself. */
static char *s_wrap_html(const char *title, const char *html, const char *lang)
{
    char *t = s_escape(title);
    char *l = s_escape(lang);
    if (!t || !l) {
        free(t);
        free(l);
        return NULL;
    }
    const char *body = html ? html : "";
    size_t n = strlen(t) + strlen(l) + strlen(body) + 160;
    char *out = malloc(n);
    if (out)
        snprintf(out, n,
                 "<!DOCTYPE html>\n<html%s%s%s><head><meta charset=\"utf-8\"><title>%s</title>"
                 "</head><body><article>%s</article></body></html>\n",
                 *l ? " lang=\"" : "", l, *l ? "\"" : "", t, body);
    free(t);
    free(l);
    return out;
}

/* ------------------------------------------------------------- sending */

/* Hand due documents to the PUSH socket, without blocking. */
static void s_flush(fetcher_t *f)
{
    long long now = (long long) time(NULL);
    f->next_flush_ms = marsad_clock_ms() + 1000;
    for (int round = 0; round < 16; round++) {
        outbox_doc_t *docs = NULL;
        int n = outbox_due(f->outbox, now, FLUSH_BATCH, &docs);
        if (n < 0) {
            mlog_error("outbox: cannot read pending documents: %s", outbox_errmsg(f->outbox));
            return;
        }
        int i = 0;
        bool stop = false;
        for (; i < n && !stop; i++) {
            char topic[] = "raw";
            proto_frames_t fr = { .n = 3,
                                  .data = { topic, docs[i].json, docs[i].body },
                                  .len = { 3, docs[i].json_len, docs[i].body_len } };
            int rc = proto_send(f->push, &fr, ZMQ_DONTWAIT);
            if (rc == -EAGAIN) {
                if (!f->push_blocked)
                    mlog_warn("raw queue full (no extractor connected, or all busy): "
                              "%lld documents wait in the outbox", outbox_pending(f->outbox));
                f->push_blocked = true;
                stop = true;
                continue;
            }
            if (rc < 0) {
                if (rc != -EINTR)
                    mlog_error("cannot send raw: %s", zmq_strerror(-rc));
                stop = true;
                continue;
            }
            if (f->push_blocked) {
                mlog_info("raw queue accepting again");
                f->push_blocked = false;
            }
            f->n_sent++;
            if (docs[i].attempts > 0)
                mlog_debug("re-sent %s (attempt %d, not acknowledged yet)", docs[i].id,
                           docs[i].attempts + 1);
            if (outbox_sent(f->outbox, docs[i].id, now, f->cfg->fetcher_resend_after) != 0)
                mlog_error("outbox: cannot schedule %s: %s", docs[i].id,
                           outbox_errmsg(f->outbox));
        }
        for (int k = 0; k < n; k++)
            outbox_doc_clear(&docs[k]);
        free(docs);
        if (stop || n < FLUSH_BATCH)
            return;
    }
}

static void s_forget_validators(source_t *src)
{
    free(src->etag);
    free(src->last_modified);
    src->etag = src->last_modified = NULL;
}

/* Build the raw message, commit it to the outbox (marking the item
 * seen), then try to send.  Borrowed arguments. */
static void s_emit(source_t *src, const char *item_id, const char *doc_id, const proto_raw_t *m)
{
    fetcher_t *f = src->f;
    proto_frames_t fr;
    int rc = proto_raw_encode(m, &fr);
    if (rc != PROTO_OK) {
        mlog_error("source %s: cannot encode document for %s: %s", src->cfg->name, item_id,
                   proto_strerror(rc));
        return;
    }
    rc = outbox_put(f->outbox, src->cfg->name, item_id, doc_id, fr.data[1], fr.len[1],
                    fr.n > 2 ? fr.data[2] : NULL, fr.n > 2 ? fr.len[2] : 0, (long long) time(NULL));
    proto_frames_clear(&fr);
    if (rc < 0) {
        /* Not marked seen either: the next (unconditional) poll tries again. */
        mlog_error("outbox: cannot store document for %s/%s: %s", src->cfg->name, item_id,
                   outbox_errmsg(f->outbox));
        s_forget_validators(src);
        return;
    }
    if (rc == 0) {
        mlog_debug("source %s: new document %s (%s)", src->cfg->name, doc_id, m->url);
        s_flush(f);
    }
}

static void s_emit_from_feed(source_t *src, const char *item_id, const char *doc_id,
                             const char *link, const char *title, const char *html,
                             const char *published, const char *lang, const char *feed_url)
{
    char fetched[32];
    s_now_rfc3339(fetched);
    char *page = s_wrap_html(title, html, lang);
    if (!page) {
        mlog_error("out of memory");
        return;
    }
    proto_raw_t m = {
        .id = (char *) doc_id,
        .source = src->cfg->name,
        .url = (char *) (link ? link : feed_url),
        .item_url = (char *) link,
        .fetched_at = fetched,
        .content_type = "text/html; charset=utf-8",
        .charset = "utf-8",
        .lang = (char *) lang,
        .title = (char *) title,
        .published_at = (char *) published,
        .from_feed = true,
        .body = page,
        .body_len = strlen(page),
    };
    s_emit(src, item_id, doc_id, &m);
    free(page);
}

/* ------------------------------------------------------------- sources */

static void s_source_ok(source_t *src)
{
    src->failures = 0;
    src->first_failure = 0;
    src->next_poll_ms = marsad_clock_ms() + (int64_t) src->cfg->interval * 1000;
}

/* The poll is done and every item is stored: keep the validators, on
 * disk too, so the next poll (after a restart as well) is conditional. */
static void s_source_save(source_t *src)
{
    if (outbox_source_ok(src->f->outbox, src->cfg->name, src->etag, src->last_modified,
                         (long long) time(NULL)) != 0)
        mlog_error("outbox: cannot save the state of %s: %s", src->cfg->name,
                   outbox_errmsg(src->f->outbox));
}

/* One of SRC's pages is in the outbox (or could not be put there, which
 * forgot the validators).  The validators of the poll that listed it are
 * saved only when the last page is: saved earlier, a crash or a stop with
 * pages still waiting for their host would make the next poll a 304 that
 * hides them for good. */
static void s_source_page_stored(source_t *src)
{
    if (--src->busy == 0 && src->save_pending) {
        src->save_pending = false;
        s_source_save(src);
    }
}

#define RETRY_AFTER_CAP (6 * 3600)  /* a server's Retry-After, believed up to 6 h */

/* MIN_DELAY_S: at least this long (a Retry-After), or -1. */
static void s_source_failed(source_t *src, const char *reason, long min_delay_s)
{
    if (src->failures++ == 0)
        src->first_failure = (long long) time(NULL);
    /* Exponential from min(interval, 60 s), capped at 1 h, ±20 % jitter
     * so many failing sources do not retry in lockstep. */
    double delay = src->cfg->interval < 60 ? src->cfg->interval : 60;
    for (int i = 1; i < src->failures && delay < SOURCE_BACKOFF_CAP; i++)
        delay *= 2;
    if (delay > SOURCE_BACKOFF_CAP)
        delay = SOURCE_BACKOFF_CAP;
    delay *= 0.8 + 0.4 * ((double) rand() / RAND_MAX);
    if (delay < 1)
        delay = 1;
    if (min_delay_s >= 0) {
        /* 429 / 503 with Retry-After: the server said when; the whole
         * host waits, not just this feed. */
        double ra = min_delay_s > RETRY_AFTER_CAP ? RETRY_AFTER_CAP : (double) min_delay_s;
        if (delay < ra)
            delay = ra;
        s_host_hold(src->f, src->host, marsad_clock_ms() + (int64_t) (ra * 1000));
    }
    mlog_warn("source %s: fetch failed: %s; retry in %.0f s", src->cfg->name, reason, delay);
    src->next_poll_ms = marsad_clock_ms() + (int64_t) (delay * 1000);
    if (outbox_source_failed(src->f->outbox, src->cfg->name, reason, (long long) time(NULL)) != 0)
        mlog_error("outbox: cannot record the failure of %s: %s", src->cfg->name,
                   outbox_errmsg(src->f->outbox));
}

static void s_page_free(page_t *p)
{
    if (!p)
        return;
    free(p->item_id);
    free(p->doc_id);
    free(p->link);
    free(p->title);
    free(p->published);
    free(p->lang);
    free(p->feed_url);
    free(p->fallback);
    free(p);
}

/* P's page cannot be had: the feed's own content stands in (DESIGN §2). */
static void s_page_fallback(page_t *p, const char *why)
{
    source_t *src = p->src;
    mlog_info("source %s: page %s: %s; using the feed's content", src->cfg->name, p->link, why);
    s_emit_from_feed(src, p->item_id, p->doc_id, p->link, p->title, p->fallback, p->published,
                     p->lang, p->feed_url);
    s_page_free(p);
    s_source_page_stored(src);
}

/* Wait for P's host (src->busy already counts P). */
static void s_page_queue(page_t *p)
{
    host_t *h = &p->src->f->hosts[p->host];
    p->next = NULL;
    if (h->tail)
        h->tail->next = p;
    else
        h->head = p;
    h->tail = p;
}

/* P goes next at its host: it already had its turn (robots.txt came first). */
static void s_page_queue_front(page_t *p)
{
    host_t *h = &p->src->f->hosts[p->host];
    p->next = h->head;
    h->head = p;
    if (!h->tail)
        h->tail = p;
}

static void s_page_done(http_result_t *res, void *arg)
{
    page_t *p = arg;
    source_t *src = p->src;
    fetcher_t *f = src->f;
    if (res->cancelled) {
        src->busy--;
        s_page_free(p);
        return;
    }
    if (res->failed && (res->status == 429 || res->status == 503) && p->host >= 0) {
        /* The host asked us to slow down: every request to it waits
         * (feed polls too), and the page is asked again after the wait
         * unless the wait is long. */
        long wait = res->retry_after >= 0 ? res->retry_after : PAGE_RETRY_DEFAULT_S;
        if (wait > RETRY_AFTER_CAP)
            wait = RETRY_AFTER_CAP;
        s_host_hold(f, p->host, marsad_clock_ms() + (int64_t) wait * 1000);
        if (++p->attempts < PAGE_ATTEMPTS && (int64_t) wait * 1000 <= PAGE_WAIT_MAX_MS) {
            mlog_info("source %s: page %s: HTTP %ld; asking again in %ld s", src->cfg->name,
                      p->link, res->status, wait);
            s_page_queue(p);
            return;
        }
    }
    if (res->failed) {
        s_page_fallback(p, res->error ? res->error : "failed");
        return;
    }
    char fetched[32];
    s_now_rfc3339(fetched);
    proto_raw_t m = {
        .id = p->doc_id,
        .source = src->cfg->name,
        .url = res->final_url ? res->final_url : p->link,
        .item_url = p->link,
        .fetched_at = fetched,
        .content_type = res->content_type,
        .charset = res->charset,
        .lang = p->lang,
        .title = p->title,
        .published_at = p->published,
        .from_feed = false,
        .body = res->body,
        .body_len = res->body_len,
    };
    s_emit(src, p->item_id, p->doc_id, &m);
    s_page_free(p);
    s_source_page_stored(src);
}

static char *s_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ------------------------------------------------------ robots.txt */

/* What the SSRF guard lets an article page of SRC reach: private
 * networks only when the source's own feed is on one (or is a local file). */
static http_origin_t s_origin(const source_t *src)
{
    return src->is_file || src->origin_private ? HTTP_ORIGIN_PRIVATE : HTTP_ORIGIN_PUBLIC;
}

/* Fetch P's page now (src->busy already counts it). */
static void s_page_start(page_t *p)
{
    source_t *src = p->src;
    s_host_used(src->f, p->host);
    if (http_fetch_get_origin(src->f->http, p->link, src->is_file, NULL, NULL, s_origin(src),
                              s_page_done, p) != 0)
        s_page_fallback(p, "out of memory");
}

typedef struct {
    fetcher_t *f;
    size_t site;
} robots_arg_t;

/* The rules arrived: the pages that waited for them queue for their host
 * again, and are decided when their turn comes. */
static void s_robots_done(http_result_t *res, void *arg)
{
    robots_arg_t *a = arg;
    fetcher_t *a_f = a->f;
    site_t *site = &a_f->sites[a->site];
    char *agent = a_f->robots_agent;
    free(a);
    page_t *w = site->waiting;
    site->waiting = NULL;
    site->fetching = false;
    if (res->cancelled) {
        while (w) {
            page_t *next = w->next;
            w->src->busy--;
            s_page_free(w);
            w = next;
        }
        return;
    }
    if (res->status == 429 || res->status == 503) {
        /* Asked to slow down: no rules yet; the host waits, and so do the
         * pages, which ask for the rules again in their turn (a few times). */
        long wait = res->retry_after >= 0 ? res->retry_after : PAGE_RETRY_DEFAULT_S;
        if (wait > RETRY_AFTER_CAP)
            wait = RETRY_AFTER_CAP;
        s_host_hold(a_f, s_host_index(a_f, site->origin),
                    marsad_clock_ms() + (int64_t) wait * 1000);
        while (w) {
            page_t *next = w->next;
            if (++w->attempts < PAGE_ATTEMPTS)
                s_page_queue_front(w);
            else
                s_page_fallback(w, "its site keeps answering robots.txt with HTTP 429/503");
            w = next;
        }
        return;
    }
    robots_t *r;
    int64_t ttl = ROBOTS_TTL_MS;
    if (!res->failed)
        r = robots_parse(res->body, res->body_len, agent);
    else if (res->status >= 400 && res->status < 500)
        r = robots_allow_all();             /* no robots.txt: no rules (RFC 9309 §2.3.1.3) */
    else {
        r = robots_disallow_all();          /* unreachable: assume none (§2.3.1.4), retry soon */
        ttl = ROBOTS_RETRY_MS;
    }
    robots_destroy(&site->rules);
    site->rules = r;
    site->expires_ms = marsad_clock_ms() + ttl;
    while (w) {
        page_t *next = w->next;
        s_page_queue_front(w);
        w = next;
    }
}

/* The scheme://host[:port] of an http(s) URL, malloc'd, or NULL. */
static char *s_origin_of(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return NULL;
    p += 3;
    size_t n = (size_t) (p - url) + strcspn(p, "/?#");
    char *o = strndup(url, n);
    for (char *c = o; c && *c; c++)
        *c = (char) tolower((unsigned char) *c);
    return o;
}

/* The robots.txt state of URL's site, added if new; NULL if out of memory. */
static site_t *s_site_of(fetcher_t *f, const char *url)
{
    char *origin = s_origin_of(url);
    if (!origin)
        return NULL;
    for (size_t i = 0; i < f->n_sites; i++)
        if (strcmp(f->sites[i].origin, origin) == 0) {
            free(origin);
            return &f->sites[i];
        }
    if (f->n_sites == f->cap_sites) {
        size_t cap = f->cap_sites ? f->cap_sites * 2 : 16;
        site_t *ns = realloc(f->sites, cap * sizeof *ns);
        if (!ns) {
            free(origin);
            return NULL;
        }
        f->sites = ns;
        f->cap_sites = cap;
    }
    f->sites[f->n_sites] = (site_t) { .origin = origin };
    return &f->sites[f->n_sites++];
}

/* P's turn at its host: fetch it if robots.txt allows (fetching the rules
 * first when they are not known).  Returns true if a request went out. */
static bool s_page_turn(fetcher_t *f, page_t *p)
{
    site_t *site = f->cfg->fetcher_robots && s_is_http(p->link) ? s_site_of(f, p->link) : NULL;
    if (!site) {
        s_page_start(p);
        return true;
    }
    if (site->rules && marsad_clock_ms() < site->expires_ms && !site->fetching) {
        if (robots_allowed(site->rules, robots_path_of(p->link))) {
            s_page_start(p);
            return true;
        }
        s_page_fallback(p, "robots.txt disallows it");
        return false;
    }
    p->next = site->waiting;
    site->waiting = p;
    if (site->fetching)
        return false;
    char url[1100];
    robots_arg_t *a = malloc(sizeof *a);
    snprintf(url, sizeof url, "%s/robots.txt", site->origin);
    if (a && strlen(site->origin) <= 1000) {
        *a = (robots_arg_t) { f, (size_t) (site - f->sites) };
        s_host_used(f, p->host);
        if (http_fetch_get_origin(f->http, url, false, NULL, NULL, s_origin(p->src),
                                  s_robots_done, a) == 0) {
            site->fetching = true;
            return true;
        }
    }
    free(a);
    site->waiting = p->next;
    s_page_start(p);
    return true;
}

/* Give each host whose delay has passed its next page; drain to the
 * feed's content the queue of a host that asked for a long wait. */
static void s_hosts_run(fetcher_t *f)
{
    int64_t now = marsad_clock_ms();
    for (size_t i = 0; i < f->n_hosts; i++) {
        host_t *h = &f->hosts[i];
        bool drain = h->head && h->next_ms - now > PAGE_WAIT_MAX_MS;
        while (h->head && (drain || now >= h->next_ms)) {
            page_t *p = h->head;
            h->head = p->next;
            if (!h->head)
                h->tail = NULL;
            p->next = NULL;
            if (drain)
                s_page_fallback(p, "its host asked us to wait");
            else
                s_page_turn(f, p);
            now = marsad_clock_ms();
        }
    }
}

/* Returns -1 if the outbox could not be read (the item may be new). */
static int s_item(source_t *src, const feed_t *feed, const feed_item_t *it, const char *feed_url)
{
    fetcher_t *f = src->f;
    if (!it->id)
        return 0;
    int seen = outbox_seen(f->outbox, src->cfg->name, it->id);
    if (seen != 0) {
        if (seen < 0)
            mlog_error("outbox: %s", outbox_errmsg(f->outbox));
        return seen < 0 ? -1 : 0;
    }
    char doc_id[65];
    outbox_doc_id(src->cfg->name, it->id, doc_id);
    const char *lang = src->cfg->lang ? src->cfg->lang : feed->lang;
    const char *published = it->published ? it->published : it->updated;
    const char *html = it->content ? it->content : it->summary;
    bool want_page = f->cfg->fetcher_fetch_pages && it->link
                     && (s_is_http(it->link) || (src->is_file && s_is_file(it->link)));
    if (want_page) {
        page_t *p = calloc(1, sizeof *p);
        if (p) {
            p->src = src;
            p->item_id = s_dup(it->id);
            p->doc_id = s_dup(doc_id);
            p->link = s_dup(it->link);
            p->title = s_dup(it->title);
            p->published = s_dup(published);
            p->lang = s_dup(lang);
            p->feed_url = s_dup(feed_url);
            p->fallback = s_dup(html);
        }
        if (p && p->item_id && p->doc_id && p->link && p->feed_url) {
            src->busy++;
            p->host = s_host_index(f, p->link);
            if (p->host >= 0)
                s_page_queue(p);        /* s_hosts_run() starts it in turn */
            else
                s_page_start(p);        /* file: */
            return 0;
        }
        s_page_free(p);
        /* Could not even start: fall through to the feed's content. */
    }
    s_emit_from_feed(src, it->id, doc_id, it->link, it->title, html, published, lang, feed_url);
    return 0;
}

/* Count one event in the process metrics (GET /metrics); SERIES is a
 * full series name, registered on first use. */
static void s_count(const char *series, const char *help)
{
    metrics_inc(marsad_metrics(), metrics_register(marsad_metrics(), METRIC_COUNTER, series, help),
                1);
}

static void s_feed_done(http_result_t *res, void *arg)
{
    source_t *src = arg;
    src->busy--;
    if (res->cancelled)
        return;
    src->origin_private = res->origin_private;
    if (res->status) {   /* an HTTP exchange took place (file: has no status) */
        metrics_t *m = marsad_metrics();
        metrics_observe(m, metrics_register(m, METRIC_HISTOGRAM, "marsad_fetch_seconds",
                                            "Feed fetches, request to last byte"),
                        res->seconds);
    }
    if (res->failed)
        s_count(res->status >= 400 ? "marsad_fetch_errors_total{kind=\"http\"}"
                                   : "marsad_fetch_errors_total{kind=\"network\"}",
                "Feed fetches that failed, by kind");
    else if (res->not_modified)
        s_count("marsad_fetch_not_modified_total", "Feed polls answered 304 Not Modified");
    else
        s_count("marsad_fetched_total", "Feed documents fetched");
    if (res->failed) {
        s_source_failed(src, res->error ? res->error : "unknown error",
                        res->status == 429 || res->status == 503 ? res->retry_after : -1);
        return;
    }
    if (res->not_modified) {
        mlog_debug("source %s: not modified", src->cfg->name);
        s_source_ok(src);
        s_source_save(src);
        return;
    }
    const char *url = res->final_url ? res->final_url : src->cfg->url;
    char *err = NULL;
    feed_t *feed = feed_parse_charset(res->body, res->body_len, url, res->charset, &err);
    if (!feed) {
        char msg[600];
        snprintf(msg, sizeof msg, "parse error: %s", err ? err : "not a feed");
        s_count("marsad_fetch_errors_total{kind=\"parse\"}", "Feed fetches that failed, by kind");
        free(err);
        s_source_failed(src, msg, -1);
        return;
    }
    s_source_ok(src);
    size_t before = (size_t) outbox_pending(src->f->outbox);
    /* Keep the validators only if every item gets looked at and stored:
     * otherwise a 304 next time would hide what we could not handle.
     * s_forget_validators() undoes this on any failure below. */
    free(src->etag);
    free(src->last_modified);
    src->etag = res->etag;
    src->last_modified = res->last_modified;
    res->etag = res->last_modified = NULL;
    src->busy++;                /* the items' pages don't save while we list them */
    for (size_t i = 0; i < feed->n_items; i++)
        if (s_item(src, feed, &feed->items[i], url) != 0)
            s_forget_validators(src);
    src->save_pending = true;
    s_source_page_stored(src);
    mlog_debug("source %s: %zu items, %d pages to fetch, %lld pending (was %zu)",
               src->cfg->name, feed->n_items, src->busy, outbox_pending(src->f->outbox), before);
    feed_destroy(&feed);
}

static void s_poll_source(source_t *src)
{
    fetcher_t *f = src->f;
    if (http_fetch_get_cond(f->http, src->cfg->url, src->is_file, src->etag, src->last_modified,
                            s_feed_done, src) != 0) {
        s_source_failed(src, "out of memory", -1);
        return;
    }
    src->busy++;
    /* Until the poll completes, don't start another. */
    src->next_poll_ms = INT64_MAX;
    s_host_used(f, src->host);
}

/* ---------------------------------------------------------------- acks */

static void s_recv_acks(fetcher_t *f)
{
    for (int i = 0; i < 1000; i++) {
        proto_frames_t fr;
        int rc = proto_recv(f->sub, &fr, ZMQ_DONTWAIT);
        if (rc == -EAGAIN || rc == -EINTR)
            return;
        /* PROTO_E* codes sit below -1000, -errno values above. */
        if (rc < 0 && rc > -1000) {
            mlog_error("ack socket: %s", zmq_strerror(-rc));
            return;
        }
        proto_ack_t ack = { 0 };
        if (rc == PROTO_OK)
            rc = proto_ack_decode(&fr, &ack);
        proto_frames_clear(&fr);
        if (rc != PROTO_OK) {
            f->n_bad_acks++;
            int slot = rc <= PROTO_EFRAMES && rc > PROTO_EFRAMES - 15 ? PROTO_EFRAMES - rc : 15;
            if (!f->bad_ack_logged[slot]++)
                mlog_warn("dropped a bad ack message: %s (further ones counted, not logged)",
                          proto_strerror(rc));
            continue;
        }
        int n = outbox_ack(f->outbox, ack.id);
        if (n < 0)
            mlog_error("outbox: cannot delete %s: %s", ack.id, outbox_errmsg(f->outbox));
        else if (n > 0) {
            f->n_acked++;
            mlog_debug("acked %s", ack.id);
        }
        proto_ack_clear(&ack);
    }
}

/* ---------------------------------------------------------------- run */

static int s_open(fetcher_t *f, void *zctx)
{
    const marsad_config_t *cfg = f->cfg;
    /* The outbox's directory may not exist yet on a fresh data dir. */
    char *dir = strdup(cfg->fetcher_db);
    if (dir) {
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            int rc = marsad_mkdir_p(dir);
            if (rc != 0)
                mlog_warn("cannot create %s: %s", dir, strerror(-rc));
        }
        free(dir);
    }
    char *err = NULL;
    f->outbox = outbox_open(cfg->fetcher_db, &err);
    if (!f->outbox) {
        mlog_error("cannot open outbox: %s", err ? err : "?");
        free(err);
        return -1;
    }
    f->http = http_fetch_new(cfg->fetcher_user_agent, cfg->fetcher_timeout, cfg->fetcher_max_body);
    /* The robots.txt product token: the User-Agent up to '/' or a space. */
    size_t tl = strcspn(cfg->fetcher_user_agent, "/ ");
    if (tl >= sizeof f->robots_agent)
        tl = sizeof f->robots_agent - 1;
    memcpy(f->robots_agent, cfg->fetcher_user_agent, tl);
    f->robots_agent[tl] = '\0';
    http_options_t hopts = { .proxy = cfg->fetcher_proxy, .ca_file = cfg->fetcher_ca_file,
                             .per_host = cfg->fetcher_per_host,
                             .parallel = cfg->fetcher_parallel };
    if (!f->http || http_fetch_set_options(f->http, &hopts) != 0) {
        mlog_error("cannot set up libcurl");
        return -1;
    }
    if (http_fetch_set_guard(f->http, cfg->fetcher_private_nets, cfg->fetcher_allow_nets,
                             cfg->fetcher_deny_nets, &err) != 0) {
        mlog_error("%s: [fetcher] %s", cfg->path, err ? err : "out of memory");
        free(err);
        return -1;
    }
    if (cfg->fetcher_proxy && *cfg->fetcher_proxy)
        mlog_info("requests go through the proxy %s: the SSRF guard is the proxy's to enforce",
                  cfg->fetcher_proxy);
    f->push = marsad_socket(zctx, ZMQ_PUSH, cfg->fetcher_bind, true, RAW_HWM);
    f->sub = marsad_socket(zctx, ZMQ_SUB, cfg->fetcher_ack, false, 0);
    if (!f->push || !f->sub)
        return -1;
    if (zmq_setsockopt(f->sub, ZMQ_SUBSCRIBE, "ack", 3) != 0) {
        mlog_error("cannot subscribe to acks: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    f->n_sources = cfg->n_sources;
    f->sources = calloc(cfg->n_sources ? cfg->n_sources : 1, sizeof *f->sources);
    if (!f->sources)
        return -1;
    int64_t now = marsad_clock_ms();
    for (size_t i = 0; i < cfg->n_sources; i++) {
        source_t *s = &f->sources[i];
        s->host = s_host_index(f, cfg->sources[i].url);
        s->f = f;
        s->cfg = &cfg->sources[i];
        s->is_file = s_is_file(s->cfg->url);
        s->next_poll_ms = now;          /* first poll at start */
        /* Validators and failures from before a restart. */
        outbox_source_t st;
        if (outbox_source_get(f->outbox, s->cfg->name, &st) == 1) {
            s->etag = st.etag;
            s->last_modified = st.last_modified;
            s->failures = st.failures;
            s->first_failure = st.first_failure;
            st.etag = st.last_modified = NULL;
        }
        outbox_source_clear(&st);
    }
    return 0;
}

/* Each source's health as gauges, for `marsad status` and Prometheus:
 * consecutive failures, and unhealthy = failing for [fetcher]
 * unhealthy_after seconds (a day by default) — still retried, slowly. */
static void s_health_sync(fetcher_t *f)
{
    metrics_t *m = marsad_metrics();
    long long now = (long long) time(NULL);
    int unhealthy = 0;
    char series[400];
    for (size_t i = 0; i < f->n_sources; i++) {
        const source_t *s = &f->sources[i];
        int bad = s->failures > 0 && s->first_failure > 0
                  && now - s->first_failure >= f->cfg->fetcher_unhealthy_after;
        unhealthy += bad;
        snprintf(series, sizeof series, "marsad_source_failures{source=\"%s\"}", s->cfg->name);
        metrics_set(m, metrics_register(m, METRIC_GAUGE, series,
                                        "Consecutive failed polls of a source"), s->failures);
        snprintf(series, sizeof series, "marsad_source_unhealthy{source=\"%s\"}", s->cfg->name);
        metrics_set(m, metrics_register(m, METRIC_GAUGE, series,
                                        "1 when a source has failed for unhealthy_after seconds"),
                    bad);
    }
    metrics_set(m, metrics_register(m, METRIC_GAUGE, "marsad_sources_unhealthy",
                                    "Sources failing for unhealthy_after seconds or more"),
                unhealthy);
}

static void s_close(fetcher_t *f)
{
    http_fetch_destroy(&f->http);       /* cancels: page contexts freed */
    if (f->push)
        zmq_close(f->push);
    if (f->sub)
        zmq_close(f->sub);
    outbox_destroy(&f->outbox);
    for (size_t i = 0; i < f->n_sources; i++) {
        free(f->sources[i].etag);
        free(f->sources[i].last_modified);
    }
    free(f->sources);
    for (size_t i = 0; i < f->n_hosts; i++) {
        page_t *p = f->hosts[i].head;
        while (p) {             /* not marked seen: new again after a restart */
            page_t *next = p->next;
            s_page_free(p);
            p = next;
        }
        free(f->hosts[i].host);
    }
    free(f->hosts);
    for (size_t i = 0; i < f->n_sites; i++) {
        free(f->sites[i].origin);
        robots_destroy(&f->sites[i].rules);
    }
    free(f->sites);
}

int fetcher_run(const marsad_config_t *cfg, void *zctx)
{
    fetcher_t f = { .cfg = cfg };
    srand((unsigned) time(NULL) ^ (unsigned) getpid());
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        mlog_error("cannot initialise libcurl");
        return 1;
    }
    if (s_open(&f, zctx) != 0) {
        s_close(&f);
        curl_global_cleanup();
        return 1;
    }
    mlog_info("%zu sources, %lld documents pending in the outbox (%s); raw on %s, acks from %s",
              f.n_sources, outbox_pending(f.outbox), cfg->fetcher_db, cfg->fetcher_bind,
              cfg->fetcher_ack);
    if (f.n_sources == 0)
        mlog_warn("no [source NAME] sections in %s: nothing to fetch", cfg->path);

    while (!marsad_daemon_stopping()) {
        int64_t now = marsad_clock_ms();
        for (size_t i = 0; i < f.n_sources; i++)
            if (f.sources[i].busy == 0 && now >= f.sources[i].next_poll_ms
                && (f.sources[i].host < 0 || now >= f.hosts[f.sources[i].host].next_ms))
                s_poll_source(&f.sources[i]);
        s_hosts_run(&f);
        s_recv_acks(&f);
        if (marsad_clock_ms() >= f.next_flush_ms) {
            s_flush(&f);
            metrics_t *m = marsad_metrics();
            metrics_set(m, metrics_register(m, METRIC_GAUGE, "marsad_outbox_documents",
                        "Documents kept until the store acknowledges them"),
                        (double) outbox_pending(f.outbox));
            metrics_set(m, metrics_register(m, METRIC_COUNTER, "marsad_raw_sent_total",
                        "Raw documents sent to the extractors (resends included)"),
                        (double) f.n_sent);
            metrics_set(m, metrics_register(m, METRIC_COUNTER, "marsad_acked_total",
                        "Documents acknowledged by the store"), (double) f.n_acked);
            s_health_sync(&f);
        }

        bool active = http_fetch_active(f.http) > 0;
        zmq_pollitem_t item = { f.sub, 0, ZMQ_POLLIN, 0 };
        int rc = zmq_poll(&item, 1, active ? 0 : 100);
        if (rc < 0 && zmq_errno() != EINTR) {
            mlog_error("zmq_poll: %s", zmq_strerror(zmq_errno()));
            break;
        }
        if (active)
            http_fetch_run(f.http, 50);
    }
    mlog_info("stopping: %lld sent, %lld acknowledged, %lld documents pending",
              f.n_sent, f.n_acked, outbox_pending(f.outbox));
    s_close(&f);
    curl_global_cleanup();
    return 0;
}
