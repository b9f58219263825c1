/*
 * log.c — the line logger of log.h.
 *
 * Lines look like `2026-11-25T16:59:01Z marsad-store[1234] warn: message`.
 * Each line is written with one write(2) so that lines of processes sharing
 * a terminal or a pipe do not interleave mid-line.
 */
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const char *s_prog = "marsad";
static mlog_level_t s_min = MLOG_INFO;
static const char *s_names[] = { "debug", "info", "warn", "error" };

void mlog_init(const char *prog, mlog_level_t min_level)
{
    if (prog)
        s_prog = prog;
    s_min = min_level;
}

void mlog_set_level(mlog_level_t min_level) { s_min = min_level; }

int mlog_level_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && strcasecmp(name, s_names[i]) == 0)
            return i;
    if (name && strcasecmp(name, "warning") == 0)
        return MLOG_WARN;
    return -1;
}

void mlogv(mlog_level_t level, const char *fmt, va_list ap)
{
    if (level < s_min)
        return;
    char line[4096];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s[%d] %s: ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, s_prog, (int) getpid(), s_names[level]);
    if (n < 0)
        return;
    size_t used = (size_t) n < sizeof line ? (size_t) n : sizeof line - 1;
    int m = vsnprintf(line + used, sizeof line - used, fmt, ap);
    if (m > 0)
        used += (size_t) m < sizeof line - used ? (size_t) m : sizeof line - used - 1;
    /* One message, one line: a newline inside a message would let input
     * from the network forge log lines. */
    for (size_t i = 0; i < used; i++)
        if (line[i] == '\n' || line[i] == '\r')
            line[i] = ' ';
    if (used >= sizeof line - 1)
        used = sizeof line - 2;
    line[used++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, used);
    (void) w;
}

void mlog(mlog_level_t level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mlogv(level, fmt, ap);
    va_end(ap);
}
