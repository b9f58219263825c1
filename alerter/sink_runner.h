/*
 * sink_runner.h — the thread that drives every watch's sinks (sink.h) from
 * the alert database, so that a slow webhook or command never holds up the
 * alerter's loop, and no alert that was committed is lost to a sink.
 *
 * Each sink (watch, kind, target) has a cursor in the alert database: the
 * last alert seq it delivered.  The thread reads the watch's alerts after
 * the cursor, in order, delivers each, and moves the cursor after each
 * success; a failure stops that sink and retries it after a backoff (1 s,
 * doubling, at most 5 min), keeping the order.  After a crash or restart
 * delivery resumes at the cursor: at least once.  A sink that appears (new
 * watch, edited config) starts after the alerts that exist then.
 */
#ifndef MARSAD_SINK_RUNNER_H
#define MARSAD_SINK_RUNNER_H

#include "alert_db.h"
#include "watch_set.h"

typedef struct sink_runner sink_runner_t;

/* Start the thread, with its own connection to the database at DB_PATH.
 * NULL on failure (logged). */
sink_runner_t *sink_runner_new(const char *db_path);
/* Stop the thread (an ongoing delivery is cancelled) and free. */
void sink_runner_destroy(sink_runner_t **self_p);

/* Take the sinks of WS (copied); DB is the caller's connection, used to
 * create the cursors of new sinks before any later alert is recorded.
 * Returns the number of sinks. */
size_t sink_runner_set(sink_runner_t *self, const watch_set_t *ws, alert_db_t *db);

/* New alerts were committed: look now rather than at the next tick. */
void sink_runner_kick(sink_runner_t *self);

/* Deliveries made and failed so far (for tests and metrics). */
void sink_runner_counts(sink_runner_t *self, uint64_t *delivered, uint64_t *failed);

#endif
