/*
 * proc_stat.h — what Linux says of a process in /proc: its peak resident
 * set (VmHWM) and the CPU seconds it used.  For the load and chaos tests and
 * the end-to-end benchmark, which watch the daemons from outside.
 */
#ifndef MARSAD_PROC_STAT_H
#define MARSAD_PROC_STAT_H

#include <sys/types.h>

/* A "Field:" line of /proc/PID/status in KiB (e.g. "VmHWM:"), or -1. */
long proc_status_kb(pid_t pid, const char *field);

/* User + system CPU seconds of PID so far, or -1. */
double proc_cpu_seconds(pid_t pid);

#endif
