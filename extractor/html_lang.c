/*
 * html_lang.c — the language of an article, from its text first and its
 * markup second (ARABIC.md §6: lang="ar" and dir="rtl" are common but not
 * reliable; templates keep lang="en" on Arabic pages and the reverse).
 *
 * The letters of the main text are counted by script.  Mostly Arabic
 * script → "ar" (or fa/ur/... if the markup says one of the other languages
 * written in it); Cyrillic → "ru" (or uk/bg/... likewise); Latin → the
 * markup's language if it names a Latin-script one, else a small stopword
 * vote between English and French (which also overrules a markup of "en"
 * or "fr" when the text clearly is the other); no letters → "und".
 */
#include "html_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_arabic_script_langs[] = {"fa", "ur", "ps", "ku", "ckb", "sd", "ug",
                                                    NULL};
static const char *const s_cyrillic_langs[] = {"uk", "bg", "sr", "be", "mk", "kk", "ky", "mn",
                                               "tg", NULL};
/* written in neither Latin nor the scripts above: a markup saying so over a
 * Latin text is wrong */
static const char *const s_other_script_langs[] = {
    "ar", "fa", "ur", "ps", "ckb", "sd", "ug", "ru", "uk", "bg", "sr", "be", "mk", "kk", "ky",
    "mn", "tg", "zh", "ja", "ko", "he", "yi", "el", "hi", "bn", "th", "ka", "hy", "am", NULL,
};

static const char *const s_en_words[] = {"the", "and", "of", "to", "in", "is", "that", "for",
                                         "was", "with", "on", "said", "by", "he", "it", "as",
                                         "his", "at", "from", "has", "have", "were", NULL};
static const char *const s_fr_words[] = {"le", "la", "les", "des", "et", "un", "une", "du",
                                         "est", "que", "qui", "dans", "pour", "sur", "au",
                                         "pas", "il", "elle", "avec", "aux", "ont", "selon",
                                         NULL};

static bool
s_in(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == s[0] && strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* A language shows in its first few thousand letters: the script count and
 * the stopword vote stop there, so a long article costs no more than a
 * short one. */
#define S_SCRIPT_SAMPLE 20000 /* code points */
#define S_VOTE_SAMPLE 6000    /* bytes */

/* decode one code point; advances *P; invalid bytes give U+FFFD */
static uint32_t
s_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    size_t n = 1;
    if (c >= 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
        c = ((c & 0x07) << 18) | ((uint32_t) (s[1] & 0x3F) << 12)
            | ((uint32_t) (s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        n = 4;
    } else if (c >= 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        c = ((c & 0x0F) << 12) | ((uint32_t) (s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        n = 3;
    } else if (c >= 0xC0 && (s[1] & 0xC0) == 0x80) {
        c = ((c & 0x1F) << 6) | (s[1] & 0x3F);
        n = 2;
    } else if (c >= 0x80) {
        c = 0xFFFD;
    }
    *p = s + n;
    return c;
}

static bool
s_arabic(uint32_t c)
{
    return (c >= 0x0620 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D3)
           || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF)
           || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

static bool
s_cyrillic(uint32_t c)
{
    return c >= 0x0400 && c <= 0x04FF;
}

static bool
s_latin(uint32_t c)
{
    return (c < 0x80 && isalpha((int) c)) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* primary subtag of the markup language, lowercased, into OUT */
static void
s_primary(const char *markup, char *out, size_t outsz)
{
    size_t k = 0;
    if (markup) {
        while (isspace((unsigned char) *markup))
            markup++;
        while (*markup && isalpha((unsigned char) *markup) && k + 1 < outsz)
            out[k++] = (char) tolower((unsigned char) *markup++);
    }
    out[k] = '\0';
    if (k < 2 || k > 3)
        out[0] = '\0';
}

/* English or French by stopwords; *MARGIN gets how decisive the vote is
 * (the winner's count minus twice the loser's) */
static const char *
s_vote_latin(const char *text, int *margin)
{
    int en = 0, fr = 0;
    const unsigned char *p = (const unsigned char *) text;
    const unsigned char *stop = p + strnlen(text, S_VOTE_SAMPLE);
    char w[16];
    while (*p && p < stop) {
        while (*p && !isalpha(*p))
            p++;
        size_t k = 0;
        bool ascii = true;
        while (*p && (isalpha(*p) || *p >= 0x80)) {
            if (*p >= 0x80)
                ascii = false;
            if (k + 1 < sizeof w)
                w[k++] = (char) tolower(*p);
            p++;
        }
        w[k] = '\0';
        if (!ascii || k == 0 || k + 1 >= sizeof w)
            continue;
        if (s_in(s_en_words, w))
            en++;
        if (s_in(s_fr_words, w))
            fr++;
    }
    *margin = fr > en ? fr - 2 * en : en - 2 * fr;
    return fr > en ? "fr" : "en";
}

char *
html_lang_guess(const char *text, const char *markup_lang)
{
    size_t ar = 0, cy = 0, la = 0, seen = 0;
    const unsigned char *p = (const unsigned char *) (text ? text : "");
    while (*p && seen++ < S_SCRIPT_SAMPLE) {
        uint32_t c = s_next(&p);
        if (s_arabic(c))
            ar++;
        else if (s_cyrillic(c))
            cy++;
        else if (s_latin(c))
            la++;
    }
    char mk[8];
    s_primary(markup_lang, mk, sizeof mk);
    size_t total = ar + cy + la;
    const char *lang;
    if (total == 0)
        lang = "und";
    else if (ar * 2 >= total)
        lang = s_in(s_arabic_script_langs, mk) ? mk : "ar";
    else if (cy * 2 >= total)
        lang = s_in(s_cyrillic_langs, mk) ? mk : "ru";
    else if (la >= ar && la >= cy) {
        int margin = 0;
        const char *voted = s_vote_latin(text, &margin);
        lang = mk[0] && !s_in(s_other_script_langs, mk) ? mk : voted;
        /* a template's lang="en" over a French text (or the reverse): the
         * text wins when its vote is clear */
        if ((strcmp(mk, "en") == 0 || strcmp(mk, "fr") == 0) && strcmp(mk, voted) != 0
            && margin >= 3)
            lang = voted;
    }
    else
        lang = ar >= cy ? "ar" : "ru";
    return strdup(lang);
}
