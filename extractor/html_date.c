/*
 * html_date.c — normalize the dates pages publish (meta tags, JSON-LD,
 * <time datetime>) to RFC 3339 UTC, "YYYY-MM-DDTHH:MM:SSZ".
 *
 * Accepted: YYYY-MM-DD, then optionally T or a space and HH:MM[:SS[.frac]],
 * then optionally Z, +hh:mm, +hhmm or +hh (a missing zone is taken as UTC:
 * there is nothing better to assume, and the date is still right to a day).
 * The offset is applied with calendar arithmetic (no timegm, no locale).
 */
#include "html_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* days since 1970-01-01 of a proleptic Gregorian date */
static int64_t
s_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
s_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int) (doy - (153 * mp + 2) / 5 + 1);
    *m = (int) (mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* read exactly N digits */
static bool
s_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char) (*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static int
s_days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

int
html_date_rfc3339(const char *in, char out[21])
{
    if (!in)
        return -1;
    const char *p = in;
    while (isspace((unsigned char) *p))
        p++;
    int y, mo, d, h = 0, mi = 0, s = 0;
    if (!s_digits(&p, 4, &y) || *p++ != '-' || !s_digits(&p, 2, &mo) || *p++ != '-'
        || !s_digits(&p, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > s_days_in_month(y, mo) || y < 1900)
        return -1;
    int off_min = 0;
    if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char) p[1]))) {
        p++;
        if (!s_digits(&p, 2, &h) || *p++ != ':' || !s_digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (!s_digits(&p, 2, &s))
                return -1;
            if (*p == '.' || *p == ',') {
                p++;
                while (isdigit((unsigned char) *p))
                    p++;
            }
        }
        if (h > 23 || mi > 59 || s > 60)
            return -1;
        if (s == 60)
            s = 59; /* a leap second: keep the minute */
        while (*p == ' ')
            p++;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p == '-' ? -1 : 1, oh, om = 0;
            p++;
            if (!s_digits(&p, 2, &oh))
                return -1;
            if (*p == ':')
                p++;
            if (isdigit((unsigned char) *p) && !s_digits(&p, 2, &om))
                return -1;
            if (oh > 14 || om > 59)
                return -1;
            off_min = sign * (oh * 60 + om);
        }
    }
    while (isspace((unsigned char) *p))
        p++;
    if (*p != '\0')
        return -1;
    int64_t t = s_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
                - (int64_t) off_min * 60;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t rem = t - days * 86400;
    int64_t yy;
    int mm, dd;
    s_civil_from_days(days, &yy, &mm, &dd);
    if (yy < 1000 || yy > 9999)
        return -1;
    char tmp[64];
    int w = snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int) yy, mm, dd,
                     (int) (rem / 3600), (int) (rem % 3600 / 60), (int) (rem % 60));
    if (w != 20)
        return -1;
    memcpy(out, tmp, 21);
    return 0;
}
