/*
 * config_watch.c — inotify on the config's directories (config_watch.h).
 */
#include "config_watch.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#define EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE \
                | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

typedef struct {
    int wd;
    char *pattern;     /* file name pattern in that directory */
} target_t;

struct config_watch {
    int fd;
    target_t *v;
    size_t n;
    bool complete;
};

void config_watch_destroy(config_watch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    config_watch_t *self = *self_p;
    if (self->fd >= 0)
        close(self->fd);
    for (size_t i = 0; i < self->n; i++)
        free(self->v[i].pattern);
    free(self->v);
    free(self);
    *self_p = NULL;
}

/* Watch the directory of PATH for its last component (a name or glob). */
static void s_add(config_watch_t *self, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t) (slash - path))
                      : strdup(".");
    char *pattern = strdup(slash ? slash + 1 : path);
    int wd = dir ? inotify_add_watch(self->fd, dir, EVENTS) : -1;
    free(dir);
    if (wd < 0 || !pattern) {
        self->complete = false;
        free(pattern);
        return;
    }
    self->v[self->n++] = (target_t) { wd, pattern };
}

config_watch_t *config_watch_new(const marsad_config_t *cfg)
{
    if (!cfg || !cfg->path)
        return NULL;
    config_watch_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->complete = true;
    self->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    self->v = calloc(1 + cfg->n_includes, sizeof *self->v);
    if (self->fd < 0 || !self->v) {
        config_watch_destroy(&self);
        return NULL;
    }
    s_add(self, cfg->path);
    for (size_t i = 0; i < cfg->n_includes; i++)
        s_add(self, cfg->includes[i]);
    return self;
}

int config_watch_fd(const config_watch_t *self)
{
    return self ? self->fd : -1;
}

bool config_watch_complete(const config_watch_t *self)
{
    return self && self->complete;
}

bool config_watch_changed(config_watch_t *self)
{
    if (!self)
        return false;
    bool changed = false;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t len = read(self->fd, buf, sizeof buf);
        if (len <= 0)
            break;
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *ev = (const struct inotify_event *) p;
            p += sizeof *ev + ev->len;
            if (ev->mask & (IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
                changed = true;   /* lost events or a directory gone: check */
                continue;
            }
            if (ev->len == 0)
                continue;
            for (size_t i = 0; i < self->n && !changed; i++)
                if (self->v[i].wd == ev->wd && fnmatch(self->v[i].pattern, ev->name, 0) == 0)
                    changed = true;
        }
    }
    return changed;
}
