/*
 * daemon_spawn.c — one way to start a daemon for tests and benchmarks
 * (daemon_spawn.h), so a change in how they are run is made once.
 */
#include "daemon_spawn.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t daemon_spawn(const char *stage, const char *conf, const char *log, bool valgrind)
{
    const char *root = getenv("MARSAD_BUILD_ROOT");
    char bin[1024];
    snprintf(bin, sizeof bin, "%s/%s/marsad-%s", root ? root : ".", stage, stage);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    FILE *f = freopen(log, "a", stderr);
    (void) f;
    if (valgrind)
        /* somalloc: memcheck must replace jemalloc's malloc (the extractor
         * and the alerter link it) as it does libc's, or it sees no
         * allocations there. */
        execlp("valgrind", "valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
               "--soname-synonyms=somalloc=*jemalloc*",
               "--errors-for-leak-kinds=definite", "--track-fds=no", bin, "-c", conf,
               (char *) NULL);
    else
        execl(bin, bin, "-c", conf, (char *) NULL);
    _exit(127);
}

void daemon_kill(pid_t *pid)
{
    if (*pid > 0) {
        kill(*pid, SIGKILL);
        waitpid(*pid, NULL, 0);
    }
    *pid = 0;
}
