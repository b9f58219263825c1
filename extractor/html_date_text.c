/*
 * html_date_text.c — dates as pages print them for people, when the markup
 * carries none: "الثلاثاء ٢١ نيسان/أبريل ٢٠٢٦ - ١٤:٣٠", "3 أبريل 2026",
 * "21 كانون الثاني 2025", "November 20, 2019", "20 novembre 2019",
 * "20 ноября 2019".
 *
 * DESCRIPTION
 *   The string is folded with the text library (text_fold: Arabic-Indic
 *   and Persian digits become 0-9, أ إ آ become ا, harakat and tatweel go,
 *   Latin and Cyrillic are case-folded, punctuation separates words), then
 *   read as words.  A date is a day (1-31), a month name, and a 4-digit
 *   year, in that order, or month-day-year (English).  Month names come in
 *   every naming system Arabic papers use — the Egyptian/Gulf one
 *   (يناير ... أبريل ... ديسمبر), the Levantine/Iraqi one (كانون الثاني ...
 *   نيسان ... كانون الأول), and the Maghreb one (جانفي، أفريل، جوان، أوت) —
 *   and a second name of the same month may follow ("أبريل/نيسان",
 *   "نيسان (أبريل)").  Two months that disagree ("أبريل/أيار") are no
 *   date.  An "HH:MM" right after the year (within three words) gives the
 *   time, with "pm" / "م" (مساءً) read as afternoon.  The page's time zone is unknown: the time is taken as UTC.
 */
#include "html_internal.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name; /* folded; two words separated by one space */
    int month;
} s_month_t;

static const s_month_t s_months[] = {
    /* Egyptian / Gulf (and variants of spelling) */
    {"يناير", 1}, {"فبراير", 2}, {"مارس", 3}, {"ابريل", 4}, {"مايو", 5}, {"يونيو", 6},
    {"يونيه", 6}, {"يوليو", 7}, {"يوليه", 7}, {"اغسطس", 8}, {"سبتمبر", 9}, {"اكتوبر", 10},
    {"نوفمبر", 11}, {"ديسمبر", 12},
    /* Levantine / Iraqi */
    {"كانون الثاني", 1}, {"شباط", 2}, {"اذار", 3}, {"نيسان", 4}, {"ايار", 5}, {"حزيران", 6},
    {"تموز", 7}, {"اب", 8}, {"ايلول", 9}, {"تشرين الاول", 10}, {"تشرين الثاني", 11},
    {"كانون الاول", 12},
    /* Maghreb */
    {"جانفي", 1}, {"فيفري", 2}, {"افريل", 4}, {"ماي", 5}, {"جوان", 6}, {"جويليه", 7},
    {"اوت", 8},
    /* English */
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6},
    {"july", 7}, {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11},
    {"december", 12}, {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7},
    {"aug", 8}, {"sep", 9}, {"sept", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
    /* French */
    {"janvier", 1}, {"f\xc3\xa9vrier", 2}, {"mars", 3}, {"avril", 4}, {"mai", 5}, {"juin", 6},
    {"juillet", 7}, {"ao\xc3\xbbt", 8}, {"septembre", 9}, {"octobre", 10}, {"novembre", 11},
    {"d\xc3\xa9" "cembre", 12},
    /* Russian (genitive, as dates are written) */
    {"января", 1}, {"февраля", 2}, {"марта", 3}, {"апреля", 4}, {"мая", 5}, {"июня", 6},
    {"июля", 7}, {"августа", 8}, {"сентября", 9}, {"октября", 10}, {"ноября", 11},
    {"декабря", 12},
    {NULL, 0},
};

#define S_MAX_WORDS 4096

typedef struct {
    const char *w[S_MAX_WORDS];
    size_t len[S_MAX_WORDS];
    size_t n;
} s_words_t;

static bool
s_word_eq(const s_words_t *ws, size_t i, const char *s, size_t n)
{
    return i < ws->n && ws->len[i] == n && memcmp(ws->w[i], s, n) == 0;
}

/* the month named at word I: its number, and the words it takes in *USED */
static int
s_month_at(const s_words_t *ws, size_t i, size_t *used)
{
    for (size_t k = 0; s_months[k].name; k++) {
        const char *name = s_months[k].name;
        const char *sp = strchr(name, ' ');
        if (!sp) {
            if (s_word_eq(ws, i, name, strlen(name))) {
                *used = 1;
                return s_months[k].month;
            }
        } else if (s_word_eq(ws, i, name, (size_t) (sp - name))
                   && s_word_eq(ws, i + 1, sp + 1, strlen(sp + 1))) {
            *used = 2;
            return s_months[k].month;
        }
    }
    return 0;
}

/* a number of 1-4 ASCII digits at word I, else -1 */
static int
s_number_at(const s_words_t *ws, size_t i, size_t *digits)
{
    if (i >= ws->n || ws->len[i] > 4)
        return -1;
    int v = 0;
    for (size_t k = 0; k < ws->len[i]; k++) {
        char c = ws->w[i][k];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *digits = ws->len[i];
    return v;
}

/* a month and, optionally, a second name for it; 0 when they disagree */
static int
s_months_at(const s_words_t *ws, size_t i, size_t *used)
{
    size_t u1 = 0, u2 = 0;
    int m = s_month_at(ws, i, &u1);
    if (!m)
        return 0;
    int m2 = s_month_at(ws, i + u1, &u2);
    if (m2 && m2 != m)
        return 0;
    *used = u1 + (m2 ? u2 : 0);
    return m;
}

static bool
s_valid(int y, int m, int d)
{
    static const int dim[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= dim[m - 1];
}

int
html_date_visible(const char *text, char out[21])
{
    if (!text || !*text)
        return -1;
    /* a day and a year are five digits at least (ASCII, Arabic-Indic
     * U+0660-9 or Persian U+06F0-9): skip the folding when they are not */
    size_t digits = 0;
    for (const unsigned char *p = (const unsigned char *) text; *p && digits < 5; p++)
        if ((*p >= '0' && *p <= '9') || (p[0] == 0xD9 && p[1] >= 0xA0 && p[1] <= 0xA9)
            || (p[0] == 0xDB && p[1] >= 0xB0 && p[1] <= 0xB9))
            digits++;
    if (digits < 5)
        return -1;
    char *folded = text_fold(text, strlen(text));
    if (!folded)
        return -1;
    s_words_t *ws = malloc(sizeof *ws);
    if (!ws) {
        free(folded);
        return -1;
    }
    ws->n = 0;
    for (char *p = folded; *p && ws->n < S_MAX_WORDS;) {
        char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t) (sp - p) : strlen(p);
        ws->w[ws->n] = p;
        ws->len[ws->n++] = n;
        p += n;
        while (*p == ' ')
            p++;
    }
    int rc = -1;
    for (size_t i = 0; i < ws->n && rc < 0; i++) {
        size_t dd = 0, yd = 0, used = 0;
        int d = -1, m = 0, y = -1;
        size_t after = 0;
        int n = s_number_at(ws, i, &dd);
        if (n >= 1 && n <= 31 && dd <= 2 && (m = s_months_at(ws, i + 1, &used)) != 0) {
            d = n; /* day month year */
            y = s_number_at(ws, i + 1 + used, &yd);
            after = i + 2 + used;
        } else if ((m = s_months_at(ws, i, &used)) != 0) {
            d = s_number_at(ws, i + used, &dd); /* month day year */
            if (d >= 1 && dd <= 2)
                y = s_number_at(ws, i + used + 1, &yd);
            after = i + used + 2;
        }
        if (!m || yd != 4 || !s_valid(y, m, d))
            continue;
        /* HH MM (the colon folds to a word break) within three words */
        int hh = 0, mm = 0;
        for (size_t k = after; k < after + 3 && k + 1 < ws->n; k++) {
            size_t hd = 0, md = 0;
            int h = s_number_at(ws, k, &hd), mi = s_number_at(ws, k + 1, &md);
            if (h >= 0 && h <= 23 && hd <= 2 && mi >= 0 && mi <= 59 && md == 2) {
                hh = h;
                mm = mi;
                /* 12-hour clocks: "pm" / "م" (مساءً) after the minutes */
                bool pm = s_word_eq(ws, k + 2, "pm", 2) || s_word_eq(ws, k + 2, "\xd9\x85", 2)
                          || s_word_eq(ws, k + 2, "\xd9\x85\xd8\xb3\xd8\xa7\xd8\xa1", 8);
                bool am = s_word_eq(ws, k + 2, "am", 2);
                if (pm && hh < 12)
                    hh += 12;
                else if (am && hh == 12)
                    hh = 0;
                break;
            }
        }
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, hh, mm);
        rc = html_date_rfc3339(tmp, out);
    }
    free(ws);
    free(folded);
    return rc;
}
