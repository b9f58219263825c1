/*
 * proto_time.c — the one timestamp format on the wire: RFC 3339 UTC with
 * whole seconds and a literal "Z" ("2024-05-01T12:00:00Z").
 */
#include "proto.h"

#include <stdio.h>
#include <time.h>

void
proto_time_format(long long unix_seconds, char buf[32])
{
    time_t t = (time_t) unix_seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, 32, "1970-01-01T00:00:00Z");
}
