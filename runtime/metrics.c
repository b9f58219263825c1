/*
 * metrics.c — the series of metrics.h and their two renderings.
 *
 * Series live in a fixed array (a daemon has tens of them, not thousands):
 * no allocation on the update path, and ids stay valid for the process's
 * life.  Histogram buckets are fixed latency bounds in seconds, from 1 ms
 * to 10 s, which covers every stage's per-message work.
 */
#include "metrics.h"
#include "metrics_internal.h"

#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_MAX_SERIES 512
#define S_NAME_MAX 200
#define S_HELP_MAX 160
#define S_MAX_DOCS 4

static const double s_bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                   1, 2.5, 5, 10 };
#define S_NBUCKETS (sizeof s_bounds / sizeof s_bounds[0])

typedef struct {
    metric_type_t type;
    char name[S_NAME_MAX];     /* with labels, as registered */
    char help[S_HELP_MAX];
    double value;              /* counter/gauge; histogram sum */
    unsigned long long count;  /* histogram count */
    unsigned long long buckets[S_NBUCKETS];
} s_series_t;

struct metrics {
    char stage[32];
    time_t started;
    pthread_mutex_t lock;
    s_series_t series[S_MAX_SERIES];
    int n;
    /* the server, see metrics_http.c */
    struct metrics_server *server;
    struct {
        char path[32];
        char *json;             /* malloc'd; NULL: slot free */
    } docs[S_MAX_DOCS];
};

metrics_t *metrics_new(const char *stage)
{
    metrics_t *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    snprintf(m->stage, sizeof m->stage, "%s", stage ? stage : "marsad");
    m->started = time(NULL);
    pthread_mutex_init(&m->lock, NULL);
    return m;
}

void metrics_destroy(metrics_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    metrics_t *m = *self_p;
    metrics_server_stop(&m->server);
    pthread_mutex_destroy(&m->lock);
    for (int i = 0; i < S_MAX_DOCS; i++)
        free(m->docs[i].json);
    free(m);
    *self_p = NULL;
}

/* The metric name without its labels. */
static size_t s_base_len(const char *name)
{
    const char *brace = strchr(name, '{');
    return brace ? (size_t) (brace - name) : strlen(name);
}

static int s_valid_name(const char *name)
{
    size_t n = s_base_len(name);
    if (n == 0 || strlen(name) >= S_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
              || (i > 0 && c >= '0' && c <= '9')))
            return 0;
    }
    return name[n] == '\0' || name[strlen(name) - 1] == '}';
}

int metrics_register(metrics_t *m, metric_type_t type, const char *name, const char *help)
{
    if (!m || !name || !s_valid_name(name))
        return -1;
    pthread_mutex_lock(&m->lock);
    int id = -1;
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->series[i].name, name) == 0) {
            id = i;
            break;
        }
    if (id < 0 && m->n < S_MAX_SERIES) {
        id = m->n++;
        s_series_t *s = &m->series[id];
        memset(s, 0, sizeof *s);
        s->type = type;
        snprintf(s->name, sizeof s->name, "%s", name);
        snprintf(s->help, sizeof s->help, "%s", help ? help : "");
    }
    pthread_mutex_unlock(&m->lock);
    return id;
}

void metrics_inc(metrics_t *m, int id, double by)
{
    if (!m || id < 0 || id >= m->n)
        return;
    pthread_mutex_lock(&m->lock);
    m->series[id].value += by;
    pthread_mutex_unlock(&m->lock);
}

void metrics_set(metrics_t *m, int id, double value)
{
    if (!m || id < 0 || id >= m->n)
        return;
    pthread_mutex_lock(&m->lock);
    m->series[id].value = value;
    pthread_mutex_unlock(&m->lock);
}

void metrics_observe(metrics_t *m, int id, double seconds)
{
    if (!m || id < 0 || id >= m->n || !(seconds >= 0))
        return;
    pthread_mutex_lock(&m->lock);
    s_series_t *s = &m->series[id];
    s->value += seconds;
    s->count++;
    for (size_t b = 0; b < S_NBUCKETS; b++)
        if (seconds <= s_bounds[b])
            s->buckets[b]++;
    pthread_mutex_unlock(&m->lock);
}

double metrics_value(metrics_t *m, int id)
{
    if (!m || id < 0 || id >= m->n)
        return NAN;
    pthread_mutex_lock(&m->lock);
    double v = m->series[id].type == METRIC_HISTOGRAM ? (double) m->series[id].count
                                                      : m->series[id].value;
    pthread_mutex_unlock(&m->lock);
    return v;
}

/* A growing string for the renderers. */
typedef struct {
    char *p;
    size_t len, cap;
    int failed;
} s_buf_t;

static void s_printf(s_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_printf(s_buf_t *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if ((size_t) n < b->cap - b->len) {
            b->len += (size_t) n;
            return;
        }
        size_t cap = (b->cap + (size_t) n) * 2;
        char *grown = realloc(b->p, cap);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
}

static char *s_finish(s_buf_t *b)
{
    if (b->failed) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* NAME with a label added: `x{a="1"}` + le → `x_bucket{a="1",le="0.5"}`. */
static void s_bucket_name(s_buf_t *b, const char *name, const char *suffix, const char *le)
{
    size_t base = s_base_len(name);
    const char *labels = name[base] ? name + base + 1 : NULL;   /* after '{' */
    s_printf(b, "%.*s%s", (int) base, name, suffix);
    if (labels && le)
        s_printf(b, "{%.*s,le=\"%s\"}", (int) (strlen(labels) - 1), labels, le);
    else if (labels)
        s_printf(b, "{%s", labels);
    else if (le)
        s_printf(b, "{le=\"%s\"}", le);
}

char *metrics_render(metrics_t *m)
{
    s_buf_t b = { malloc(4096), 0, 4096, 0 };
    if (!b.p)
        return NULL;
    b.p[0] = '\0';
    static const char *types[] = { "counter", "gauge", "histogram" };
    pthread_mutex_lock(&m->lock);
    for (int i = 0; i < m->n; i++) {
        s_series_t *s = &m->series[i];
        size_t base = s_base_len(s->name);
        /* HELP and TYPE once per family: at its first series. */
        int first = 1;
        for (int j = 0; j < i && first; j++)
            first = !(s_base_len(m->series[j].name) == base
                      && strncmp(m->series[j].name, s->name, base) == 0);
        if (first)
            s_printf(&b, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int) base, s->name, s->help,
                     (int) base, s->name, types[s->type]);
        if (s->type != METRIC_HISTOGRAM) {
            s_printf(&b, "%s %.17g\n", s->name, s->value);
            continue;
        }
        for (size_t k = 0; k < S_NBUCKETS; k++) {
            char le[32];
            snprintf(le, sizeof le, "%g", s_bounds[k]);
            s_bucket_name(&b, s->name, "_bucket", le);
            s_printf(&b, " %llu\n", s->buckets[k]);
        }
        s_bucket_name(&b, s->name, "_bucket", "+Inf");
        s_printf(&b, " %llu\n", s->count);
        s_bucket_name(&b, s->name, "_sum", NULL);
        s_printf(&b, " %.17g\n", s->value);
        s_bucket_name(&b, s->name, "_count", NULL);
        s_printf(&b, " %llu\n", s->count);
    }
    pthread_mutex_unlock(&m->lock);
    return s_finish(&b);
}

static void s_json_string(s_buf_t *b, const char *s)
{
    s_printf(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            s_printf(b, "\\%c", *s);
        else if ((unsigned char) *s < 0x20)
            s_printf(b, "\\u%04x", (unsigned char) *s);
        else
            s_printf(b, "%c", *s);
    }
    s_printf(b, "\"");
}

char *metrics_render_status(metrics_t *m)
{
    s_buf_t b = { malloc(4096), 0, 4096, 0 };
    if (!b.p)
        return NULL;
    pthread_mutex_lock(&m->lock);
    s_printf(&b, "{\"stage\":");
    s_json_string(&b, m->stage);
    s_printf(&b, ",\"pid\":%d,\"uptime_s\":%lld,\"metrics\":{", (int) getpid(),
             (long long) (time(NULL) - m->started));
    for (int i = 0; i < m->n; i++) {
        s_series_t *s = &m->series[i];
        if (i)
            s_printf(&b, ",");
        s_json_string(&b, s->name);
        s_printf(&b, ":%.17g", s->type == METRIC_HISTOGRAM ? (double) s->count : s->value);
    }
    s_printf(&b, "}}");
    pthread_mutex_unlock(&m->lock);
    return s_finish(&b);
}

int metrics_set_document(metrics_t *m, const char *path, const char *json)
{
    if (!m || !path || strlen(path) >= sizeof m->docs[0].path)
        return -1;
    char *copy = json ? strdup(json) : NULL;
    if (json && !copy)
        return -1;
    int rc = -1;
    pthread_mutex_lock(&m->lock);
    int slot = -1;
    for (int i = 0; i < S_MAX_DOCS; i++) {
        if (m->docs[i].json && strcmp(m->docs[i].path, path) == 0) {
            slot = i;
            break;
        }
        if (!m->docs[i].json && slot < 0)
            slot = i;
    }
    if (slot >= 0) {
        free(m->docs[slot].json);
        m->docs[slot].json = copy;
        snprintf(m->docs[slot].path, sizeof m->docs[slot].path, "%s", path);
        copy = NULL;
        rc = 0;
    }
    pthread_mutex_unlock(&m->lock);
    free(copy);
    return json ? rc : 0;
}

char *metrics_document(metrics_t *m, const char *path)
{
    char *out = NULL;
    pthread_mutex_lock(&m->lock);
    for (int i = 0; i < S_MAX_DOCS && !out; i++)
        if (m->docs[i].json && strcmp(m->docs[i].path, path) == 0)
            out = strdup(m->docs[i].json);
    pthread_mutex_unlock(&m->lock);
    return out;
}

void metrics_attach_server(metrics_t *m, struct metrics_server *server)
{
    metrics_server_stop(&m->server);
    m->server = server;
}
