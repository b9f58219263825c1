/*
 * daemon_spawn.h — start one marsad daemon as a child process, for the
 * integration tests and the benchmarks that run the real binaries:
 * $MARSAD_BUILD_ROOT/STAGE/marsad-STAGE -c CONF (the build root defaults to
 * "."), its stderr appended to LOG so each stage's log stays readable after
 * a failure.
 */
#ifndef MARSAD_DAEMON_SPAWN_H
#define MARSAD_DAEMON_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

/* STAGE is "fetcher", "extractor", "store" or "alerter".  With VALGRIND the
 * daemon runs under valgrind's memcheck, and any error makes it exit 99.
 * Returns the child's pid, or -1 if fork failed. */
pid_t daemon_spawn(const char *stage, const char *conf, const char *log, bool valgrind);

/* Kill the daemon *PID (SIGKILL) and reap it, then set *PID to 0; nothing
 * if *PID is not above 0.  For teardowns: a failed assertion must not leave
 * a daemon behind. */
void daemon_kill(pid_t *pid);

#endif
