/*
 * feed_date.c — feed_date_parse(): the dates feeds really carry.
 *
 * Feeds promise RFC 822 (RSS) or RFC 3339 (Atom) and deliver variations:
 * lowercase or full month names, two-digit years, missing seconds or
 * weekday, "GMT+3" / "UTC+03:00", named zones, a space instead of "T".
 * We accept those and reject what is not a date at all.  Conversion to
 * Unix time is done arithmetically (no timegm/TZ dependence).
 */
#include "feed.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long long s_days(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int s_mdays(int y, int m)
{
    static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : md[m - 1];
}

/* Read up to MAXD digits; returns how many were read (0 if none). */
static int s_num(const char **p, int maxd, int *out)
{
    int n = 0, v = 0;
    while (n < maxd && isdigit((unsigned char) (*p)[n])) {
        v = v * 10 + ((*p)[n] - '0');
        n++;
    }
    if (n > 0) {
        *p += n;
        *out = v;
    }
    return n;
}

static void s_skip_space(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n')
        (*p)++;
}

/* A month name (3 letters or more, any case): 1..12 or 0. */
static int s_month(const char **p)
{
    static const char *names[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec" };
    size_t n = 0;
    while (isalpha((unsigned char) (*p)[n]))
        n++;
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(*p, names[i], 3) == 0) {
            *p += n;
            return i + 1;
        }
    return 0;
}

/* Numeric offset after a sign: "3", "03", "0300", "03:00".  Minutes east. */
static bool s_offset(const char **p, int *minutes)
{
    int sign = **p == '-' ? -1 : 1;
    if (**p != '+' && **p != '-')
        return false;
    (*p)++;
    int hh = 0, mm = 0;
    int nd = s_num(p, 4, &hh);
    if (nd == 0)
        return false;
    if (nd >= 3) {              /* "0300" or "300" */
        mm = hh % 100;
        hh /= 100;
    } else if (**p == ':') {
        (*p)++;
        if (s_num(p, 2, &mm) != 2)
            return false;
    }
    if (hh > 14 || mm > 59)
        return false;
    *minutes = sign * (hh * 60 + mm);
    return true;
}

/* A time zone: named, numeric, or "GMT+3" style.  Minutes east of UTC.
 * No zone at all means UTC (the usual intent of a bare feed date). */
static bool s_zone(const char **p, int *minutes)
{
    static const struct { const char *name; int min; } zones[] = {
        { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
        { "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
        { "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
        { "BST", 60 }, { "IST", 330 }, { "CET", 60 }, { "CEST", 120 },
        { "EET", 120 }, { "EEST", 180 }, { "MSK", 180 }, { "WET", 0 },
        { "WEST", 60 }, { "JST", 540 }, { "AEST", 600 }, { "AEDT", 660 },
    };
    s_skip_space(p);
    *minutes = 0;
    if (**p == '\0')
        return true;
    if (**p == '+' || **p == '-')
        return s_offset(p, minutes);
    size_t n = 0;
    while (isalpha((unsigned char) (*p)[n]))
        n++;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strlen(zones[i].name) == n && strncasecmp(*p, zones[i].name, n) == 0) {
            *p += n;
            *minutes = zones[i].min;
            /* "GMT+3", "UTC+03:00": an offset glued to a UTC name. */
            if (zones[i].min == 0 && (**p == '+' || **p == '-'))
                return s_offset(p, minutes);
            /* "GMT +0300" style is rare; a trailing "(EST)" comment is
             * common and ignored below. */
            return true;
        }
    return false;
}

/* Time "HH:MM[:SS[.frac]]". */
static bool s_time(const char **p, int *h, int *mi, int *s)
{
    *s = 0;
    if (s_num(p, 2, h) == 0 || **p != ':')
        return false;
    (*p)++;
    if (s_num(p, 2, mi) != 2)
        return false;
    if (**p == ':') {
        (*p)++;
        if (s_num(p, 2, s) != 2)
            return false;
    }
    if (**p == '.' || **p == ',') {      /* fraction: dropped */
        (*p)++;
        if (!isdigit((unsigned char) **p))
            return false;
        while (isdigit((unsigned char) **p))
            (*p)++;
    }
    return *h <= 24 && *mi <= 59 && *s <= 60;
}

static int s_finish(int y, int mo, int d, int h, int mi, int s, int zone_min, long long *out)
{
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > s_mdays(y, mo))
        return -1;
    if (h == 24 && (mi != 0 || s != 0))
        return -1;
    if (s == 60)            /* leap second: clamp rather than reject */
        s = 59;
    *out = s_days(y, mo, d) * 86400 + h * 3600LL + mi * 60LL + s - zone_min * 60LL;
    return 0;
}

static bool s_tail_ok(const char *p)
{
    s_skip_space(&p);
    if (*p == '(') {            /* "+0000 (UTC)" comment */
        const char *q = strchr(p, ')');
        if (!q)
            return false;
        p = q + 1;
        s_skip_space(&p);
    }
    return *p == '\0';
}

/* RFC 3339 / ISO 8601: 2024-01-05T10:00:00.123+03:00, "2024-01-05 10:00",
 * "2024-01-05". */
static int s_rfc3339(const char *p, long long *out)
{
    int y, mo, d, h = 0, mi = 0, s = 0, zone = 0;
    if (s_num(&p, 4, &y) != 4 || *p++ != '-' || s_num(&p, 2, &mo) == 0 || *p++ != '-'
        || s_num(&p, 2, &d) == 0)
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!s_time(&p, &h, &mi, &s))
            return -1;
        if (*p == 'Z' || *p == 'z')
            p++;
        else if (*p == '+' || *p == '-') {
            if (!s_offset(&p, &zone))
                return -1;
        } else if (!s_zone(&p, &zone))
            return -1;
    }
    if (!s_tail_ok(p))
        return -1;
    return s_finish(y, mo, d, h, mi, s, zone, out);
}

/* RFC 822 and relatives: "[Wkd,] D Mon YY[YY] HH:MM[:SS] [zone]", also
 * "Mon D, YYYY HH:MM[:SS] [zone]". */
static int s_rfc822(const char *p, long long *out)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, zone = 0;
    s_skip_space(&p);
    /* A weekday, if any: letters then a comma or space, not a month. */
    const char *q = p;
    if (isalpha((unsigned char) *q) && s_month(&q) == 0) {
        while (isalpha((unsigned char) *p))
            p++;
        if (*p == ',' || *p == '.')
            p++;
        s_skip_space(&p);
    }
    int yd;
    if (isalpha((unsigned char) *p)) {          /* "Jan 5, 2024" */
        if ((mo = s_month(&p)) == 0)
            return -1;
        s_skip_space(&p);
        if (s_num(&p, 2, &d) == 0)
            return -1;
        if (*p == ',')
            p++;
        s_skip_space(&p);
        yd = s_num(&p, 4, &y);
    } else {                                     /* "5 Jan 2024" / "05-jan-2024" */
        if (s_num(&p, 2, &d) == 0)
            return -1;
        if (*p == '-' || *p == ' ')
            p++;
        s_skip_space(&p);
        if ((mo = s_month(&p)) == 0)
            return -1;
        if (*p == '-' || *p == ',')
            p++;
        s_skip_space(&p);
        yd = s_num(&p, 4, &y);
    }
    if (yd == 2)                                 /* RFC 5322 §4.3 */
        y += y < 50 ? 2000 : 1900;
    else if (yd == 3)
        y += 1900;
    else if (yd != 4)
        return -1;
    s_skip_space(&p);
    if (*p != '\0' && isdigit((unsigned char) *p)) {
        if (!s_time(&p, &h, &mi, &s))
            return -1;
        if (!s_zone(&p, &zone))
            return -1;
    }
    if (!s_tail_ok(p))
        return -1;
    return s_finish(y, mo, d, h, mi, s, zone, out);
}

int feed_date_parse(const char *s, long long *out)
{
    if (!s || !out)
        return -1;
    s_skip_space(&s);
    long long t;
    if (isdigit((unsigned char) s[0]) && isdigit((unsigned char) s[1])
        && isdigit((unsigned char) s[2]) && isdigit((unsigned char) s[3]) && s[4] == '-') {
        if (s_rfc3339(s, &t) != 0)
            return -1;
    } else if (s_rfc822(s, &t) != 0)
        return -1;
    *out = t;
    return 0;
}
