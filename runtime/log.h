/*
 * log.h — one line per event, to stderr, with time, program and level.
 *
 * Every marsad process logs through here so that `marsad up` can interleave
 * the four daemons' output and an operator can grep it.  A message is logged
 * once, by the code that decides what to do about the failure.
 */
#ifndef MARSAD_LOG_H
#define MARSAD_LOG_H

#include <stdarg.h>

typedef enum { MLOG_DEBUG = 0, MLOG_INFO, MLOG_WARN, MLOG_ERROR } mlog_level_t;

/* Set the program name shown on every line (borrowed; must outlive logging)
 * and the lowest level printed. */
void mlog_init(const char *prog, mlog_level_t min_level);

/* Parse "debug", "info", "warn" or "error"; returns -1 if unknown. */
int mlog_level_parse(const char *name);
void mlog_set_level(mlog_level_t min_level);

void mlog(mlog_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mlogv(mlog_level_t level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define mlog_debug(...) mlog(MLOG_DEBUG, __VA_ARGS__)
#define mlog_info(...)  mlog(MLOG_INFO, __VA_ARGS__)
#define mlog_warn(...)  mlog(MLOG_WARN, __VA_ARGS__)
#define mlog_error(...) mlog(MLOG_ERROR, __VA_ARGS__)

#endif
