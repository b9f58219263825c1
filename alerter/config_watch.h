/*
 * config_watch.h — notice when the config file or a file its includes
 * match is written, added, renamed or removed (inotify), so the alerter
 * reloads its watches at once instead of polling (DESIGN §7: adding a
 * watch is adding a file).
 *
 * Directories are watched, not files: editors replace a file by renaming a
 * new one over it, and a new file in watches.d must be seen too.  Events
 * are filtered by name (the config file's name, the include globs' file
 * patterns), so a database written beside the config does not count.
 */
#ifndef MARSAD_CONFIG_WATCH_H
#define MARSAD_CONFIG_WATCH_H

#include <stdbool.h>
#include "config.h"

typedef struct config_watch config_watch_t;

/* Watch CFG's file and includes.  NULL when inotify is unavailable (the
 * caller polls instead). */
config_watch_t *config_watch_new(const marsad_config_t *cfg);
void config_watch_destroy(config_watch_t **self_p);

/* A file descriptor that becomes readable when something happened (for
 * poll / zmq_poll). */
int config_watch_fd(const config_watch_t *self);

/* True when every directory could be watched (else the caller should
 * also poll: an include directory that does not exist yet, say). */
bool config_watch_complete(const config_watch_t *self);

/* Read the pending events without blocking; true if one concerns a config
 * file (or events were lost). */
bool config_watch_changed(config_watch_t *self);

#endif
