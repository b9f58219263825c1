/*
 * log.c — the line logger of log.h.
 *
 * Lines are logfmt, one event each, so both people and log shippers read them:
 *   ts=2026-11-25T16:59:01.123Z level=warn prog=marsad-store pid=1234 msg="..."
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

/* Append SRC to DST as a logfmt value: quoted, with " and \ escaped and
 * control characters (a newline from the network could forge a log line)
 * written as spaces.  Returns the new length. */
static size_t s_quote(char *dst, size_t used, size_t cap, const char *src)
{
    if (used + 1 < cap)
        dst[used++] = '"';
    for (const char *p = src; *p && used + 3 < cap; p++) {
        unsigned char c = (unsigned char) *p;
        if (c == '"' || c == '\\') {
            dst[used++] = '\\';
            dst[used++] = (char) c;
        } else {
            dst[used++] = c < 0x20 ? ' ' : (char) c;
        }
    }
    if (used + 1 < cap)
        dst[used++] = '"';
    return used;
}

void mlogv(mlog_level_t level, const char *fmt, va_list ap)
{
    if (level < s_min)
        return;
    char msg[3072], line[4096];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    vsnprintf(msg, sizeof msg, fmt, ap);
    int n = snprintf(line, sizeof line,
                     "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s prog=%s pid=%d msg=",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, s_names[level], s_prog, (int) getpid());
    if (n < 0)
        return;
    size_t used = s_quote(line, (size_t) n, sizeof line - 1, msg);
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
