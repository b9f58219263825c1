/*
 * watch_set.c — parse the config's watches into queries (see watch_set.h).
 *
 * DIAGNOSTICS: "FILE:LINE:COL: watch NAME: MESSAGE" for a broken query (an
 * editor can jump there), "FILE:LINE: watch NAME: unknown entity @ID" for
 * an @id with no [entity ID] section.
 */
#include "watch_set.h"
#include "log.h"
#include "watch_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct watch_set {
    watch_t *v;
    size_t n;
    watch_index_t *index;    /* over v[i].query */
};

static void s_watch_clear(watch_t *w)
{
    free(w->name);
    free(w->severity);
    free(w->query_src);
    query_destroy(&w->query);
    free(w->sink_file);
    free(w->sink_command);
    free(w->sink_webhook);
    free(w->sink_email);
}

void watch_set_destroy(watch_set_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    watch_set_t *self = *self_p;
    for (size_t i = 0; i < self->n; i++)
        s_watch_clear(&self->v[i]);
    free(self->v);
    watch_index_destroy(&self->index);
    free(self);
    *self_p = NULL;
}

size_t watch_set_size(const watch_set_t *self)
{
    return self ? self->n : 0;
}

const watch_t *watch_set_get(const watch_set_t *self, size_t i)
{
    return self && i < self->n ? &self->v[i] : NULL;
}

const watch_t *watch_set_find(const watch_set_t *self, const char *name)
{
    for (size_t i = 0; self && name && i < self->n; i++)
        if (strcmp(self->v[i].name, name) == 0)
            return &self->v[i];
    return NULL;
}

/* The column in FILE's line FILE_LINE where query column COL of the query's
 * line QLINE is: the query line's text is looked up in the file line.  Falls
 * back to COL. */
static int s_file_col(const char *file, int file_line, const char *src, int qline, int col)
{
    const char *q = src;
    for (int l = 1; l < qline && q; l++) {
        q = strchr(q, '\n');
        if (q)
            q++;
    }
    if (!q || !file)
        return col;
    size_t qlen = strcspn(q, "\n");
    FILE *f = fopen(file, "r");
    if (!f)
        return col;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got = -1;
    for (int l = 1; l <= file_line; l++)
        if ((got = getline(&line, &cap, f)) < 0)
            break;
    fclose(f);
    int out = col;
    if (got >= 0 && qlen > 0) {
        char *needle = strndup(q, qlen);
        const char *at = needle ? strstr(line, needle) : NULL;
        if (at) {
            int chars = 0;
            for (const char *p = line; p < at; p++)
                if (((unsigned char) *p & 0xC0) != 0x80)
                    chars++;
            out = chars + col;
        }
        free(needle);
    }
    free(line);
    return out;
}

/* "N/UNIT" or "N/K UNIT" (N, K >= 1; UNIT second, minute, hour or day,
 * singular, plural or short: s, min, h, d; "5/30min", "2/15 seconds")
 * into *N and *PERIOD seconds (at most a year). */
static int s_rate(const char *text, int *n, int *period)
{
    static const struct { const char *name; int secs; } units[] = {
        { "second", 1 }, { "seconds", 1 }, { "sec", 1 }, { "s", 1 },
        { "minute", 60 }, { "minutes", 60 }, { "min", 60 },
        { "hour", 3600 }, { "hours", 3600 }, { "h", 3600 },
        { "day", 86400 }, { "days", 86400 }, { "d", 86400 },
    };
    int count = 0, k = 1, used = 0;
    if (sscanf(text, " %d / %n", &count, &used) != 1 || count < 1 || used == 0)
        return -1;
    const char *p = text + used;
    if (*p >= '0' && *p <= '9') {
        char *end;
        long v = strtol(p, &end, 10);
        if (v < 1 || v > 366L * 86400)
            return -1;
        k = (int) v;
        p = end;
        while (*p == ' ')
            p++;
    }
    size_t len = 0;
    while (p[len] >= 'a' && p[len] <= 'z')
        len++;
    const char *rest = p + len;
    while (*rest == ' ')
        rest++;
    if (*rest != '\0')
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].name) == len && strncmp(p, units[i].name, len) == 0) {
            if ((long) k * units[i].secs > 366L * 86400)
                return -1;
            *n = count;
            *period = k * units[i].secs;
            return 0;
        }
    }
    return -1;
}

void watch_rate_text(const watch_t *w, char *buf, size_t size)
{
    static const struct { int secs; const char *one, *many; } units[] = {
        { 86400, "day", "days" }, { 3600, "hour", "hours" }, { 60, "minute", "minutes" },
        { 1, "second", "seconds" },
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (w->rate_period % units[i].secs != 0)
            continue;
        int k = w->rate_period / units[i].secs;
        if (k == 1)
            snprintf(buf, size, "%d/%s", w->rate_n, units[i].one);
        else
            snprintf(buf, size, "%d/%d %s", w->rate_n, k, units[i].many);
        return;
    }
    snprintf(buf, size, "%d/%d seconds", w->rate_n, w->rate_period);
}

static char *s_dup_opt(const char *s, bool *failed)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *failed = true;
    return d;
}

static int s_copy_watch(watch_t *dst, const cfg_watch_t *cw, const char *file,
                        const char *severity, const char *src, query_t *q)
{
    memset(dst, 0, sizeof *dst);
    bool failed = false;
    dst->name = strdup(cw->name);
    dst->severity = strdup(severity ? severity : "medium");
    dst->query_src = strdup(src);
    dst->query = q;
    dst->sink_file = s_dup_opt(cw->sink_file, &failed);
    dst->sink_command = s_dup_opt(cw->sink_command, &failed);
    dst->sink_webhook = s_dup_opt(cw->sink_webhook, &failed);
    dst->sink_email = s_dup_opt(cw->sink_email, &failed);
    if (cw->rate_limit && s_rate(cw->rate_limit, &dst->rate_n, &dst->rate_period) != 0) {
        mlog_error("%s:%d: watch %s: rate_limit '%s' is not N/minute, N/hour, N/day or "
                   "N/K units (5/30min) (no limit applied)", file, cw->line, cw->name, cw->rate_limit);
        dst->rate_n = 0;
    }
    if (failed || !dst->name || !dst->severity || !dst->query_src) {
        s_watch_clear(dst);
        return -1;
    }
    return 0;
}

watch_set_t *watch_set_new(const marsad_config_t *cfg, const watch_set_t *prev,
                           size_t *n_errors)
{
    if (n_errors)
        *n_errors = 0;
    watch_set_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    size_t n = cfg ? cfg->n_watches : 0;
    if (n > 0 && !(self->v = calloc(n, sizeof *self->v))) {
        free(self);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const cfg_watch_t *cw = &cfg->watches[i];
        const char *file = cw->file ? cw->file : cfg->path;
        query_error_t err;
        query_t *q = cw->query ? query_parse(cw->query, &err) : NULL;
        const char *src = cw->query;
        const char *severity = cw->severity;
        if (!q) {
            if (!cw->query) {
                err.line = err.col = 1;
                snprintf(err.message, sizeof err.message, "no query");
            }
            if (n_errors)
                (*n_errors)++;
            int line = cw->line + err.line - 1;
            int col = cw->query ? s_file_col(file, line, cw->query, err.line, err.col) : 1;
            const watch_t *old = watch_set_find(prev, cw->name);
            mlog_error("%s:%d:%d: watch %s: %s%s", file, line, col, cw->name, err.message,
                       old ? " (keeping its last good query)" : " (watch skipped)");
            if (!old)
                continue;
            q = query_parse(old->query_src, NULL);
            src = old->query_src;
            severity = old->severity;
            if (!q)
                continue;
        }
        const char **ids = NULL;
        size_t n_ids = query_entities(q, &ids);
        for (size_t k = 0; k < n_ids; k++)
            if (!config_entity(cfg, ids[k]))
                mlog_warn("%s:%d: watch %s: unknown entity @%s (no [entity %s] in the config)",
                          file, cw->line, cw->name, ids[k], ids[k]);
        if (s_copy_watch(&self->v[self->n], cw, file, severity, src, q) != 0) {
            watch_set_destroy(&self);
            return NULL;
        }
        self->n++;
    }
    const query_t **queries = calloc(self->n ? self->n : 1, sizeof *queries);
    for (size_t i = 0; queries && i < self->n; i++)
        queries[i] = self->v[i].query;
    self->index = queries ? watch_index_new(queries, self->n) : NULL;
    free(queries);
    if (!self->index) {
        watch_set_destroy(&self);
        return NULL;
    }
    /* The index holds every watch's words and the alerter evaluates the
     * candidates from its scan (watch_set_scan): their own matchers would
     * only take memory. */
    for (size_t i = 0; i < self->n; i++)
        query_drop_matcher(self->v[i].query);
    return self;
}

size_t watch_set_candidates(const watch_set_t *self, const query_input_t *in, size_t *out)
{
    return watch_set_scan(self, in, out, NULL);
}

size_t watch_set_scan(const watch_set_t *self, const query_input_t *in, size_t *out,
                      watch_scan_t *scan)
{
    if (!self)
        return 0;
    /* Out of memory is the caller's to act on: the set's queries match
     * only from the scan (their own matchers are dropped), so trying every
     * watch without it would find nothing, and the article would be
     * handled as if no watch wanted it. */
    return watch_index_scan(self->index, in, out, scan);
}
