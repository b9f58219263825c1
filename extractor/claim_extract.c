/*
 * claim_extract.c — the rules of claim extraction (see claim_extract.h).
 *
 * One pass over the sentences of a doc.  In each sentence, declining to
 * comment is found first (so that رفض التعليق is not read as a denial),
 * then every reporting cue is expanded into speaker, content and chain:
 *
 *   English  SPEAKER CUE [time] [that] CONTENT     the official said (that) ...
 *            CONTENT, SPEAKER CUE [time][, citing X]   ..., the newspaper reported
 *            CONTENT, CUE SPEAKER                  ..., said the official
 *            SPEAKER told RECIPIENT [that] CONTENT / CONTENT, SPEAKER told RECIPIENT
 *            according to SPEAKER, CONTENT / CONTENT, according to SPEAKER
 *            Citing X, SPEAKER said ... / X was quoted (by R) as saying (by R)
 *   Arabic   (و)CUE SPEAKER [، TIME ،] إن/أن CONTENT     verb first
 *            SPEAKER CUE إن/أن CONTENT                   subject first
 *            نقل(ت) RELAY عن SPEAKER [، ... ،] قوله إن CONTENT
 *            وفقا لـ/بحسب/حسب SPEAKER، CONTENT  and  CONTENT، بحسب SPEAKER
 *            «CONTENT»، قال SPEAKER
 *            قال SPEAKER، نقلا عن X، إن CONTENT
 *   Both     quotes (“ ” « » " mixed) or a colon after the cue; headlines
 *            "Source: content".
 *
 * A quotation ICU splits into sentences, and a sentence ICU ends at an
 * abbreviation (the U.S. Treasury), are put back together first.
 *
 * Where an Arabic speaker ends matters most and is hardest: a setting
 * (في بيان، أمام المحكمة، خلال مؤتمر صحفي), with or without commas, says
 * where or when something was said and is left out, while place and
 * affiliation (مسؤول في الوزارة، السفير لدى الأمم المتحدة) stay in; the
 * verb's object may follow the speaker with no mark between them.
 *
 * The text library gives word tokens only; punctuation is read from the
 * bytes between tokens ("gaps"), which is where commas, colons and quotes
 * live.  Speaker phrases are bounded by those gaps and by closed word
 * classes (claim_lexicon.h) rather than by a parser: cheap, and good enough
 * for wire copy, whose attribution formulas are few and fixed.
 */
#include "claim_extract.h"
#include "claim_lexicon.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_CHAIN 4
#define S_NONE ((size_t) -1)

enum { G_COMMA = 1, G_COLON = 2, G_QUOTE = 4, G_DASH = 8, G_STOP = 16, G_PAREN = 32 };
#define G_CLAUSE (G_COMMA | G_COLON | G_QUOTE | G_DASH | G_STOP | G_PAREN)

typedef struct {
    size_t a, b;        /* token range [a, b); a == b: none */
    int ment;           /* resolved mention index, or -1 */
    bool strip_l;       /* description drops a glued ل (وفقا لوزارة → وزارة) */
} s_tspan_t;

typedef struct {
    s_tspan_t speaker;
    size_t cue_s, cue_e;    /* bytes */
    int stance;
    size_t c_s, c_e;        /* bytes */
    s_tspan_t chain[S_MAX_CHAIN];
    size_t n_chain;
    size_t sentence;
    size_t sent_s, sent_e;  /* bytes of the (possibly merged) sentence */
} s_claim_t;

typedef struct {
    s_tspan_t speaker;
    size_t cue_s, cue_e;
    size_t sentence;
} s_decl_t;

typedef struct {
    const text_doc_t *doc;
    const char *text;
    const text_token_t *t;
    size_t nt;
    const claim_word_t **cue;
    uint32_t *fl;           /* claim_lexicon_flags of each token */
    unsigned char *fpre;    /* و/ف stripped to get those flags */
    unsigned char *cpre;
    unsigned char *used;
    int *ment;
    const proto_mention_t *m;
    size_t nm;
    size_t sf, se;          /* the sentence's tokens [sf, se) */
    size_t sent_s, sent_e;  /* its bytes */
    size_t sidx;
    s_claim_t *cl;
    size_t ncl, capcl;
    s_decl_t *dl;
    size_t ndl, capdl;
    s_tspan_t last_speaker; /* for "he said", «وأضاف:» */
    bool have_last;
} s_ctx_t;

/* ------------------------------------------------------------ bytes */

static int32_t
s_cp(const char *s, size_t len, size_t *i)
{
    unsigned char c = (unsigned char) s[*i];
    int32_t cp;
    size_t n;
    if (c < 0x80) { cp = c; n = 1; }
    else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; n = 2; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; n = 3; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; n = 4; }
    else { (*i)++; return 0xFFFD; }
    if (*i + n > len) { (*i)++; return 0xFFFD; }
    for (size_t k = 1; k < n; k++)
        cp = (cp << 6) | ((unsigned char) s[*i + k] & 0x3F);
    *i += n;
    return cp;
}

static bool
s_is_quote(int32_t c)
{
    return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x00AB
        || c == 0x00BB || c == 0x2039 || c == 0x203A || c == 0x2018 || c == 0x2019
        || c == '\'';
}

static unsigned
s_gap_bytes(const char *text, size_t a, size_t b)
{
    unsigned g = 0;
    for (size_t i = a; i < b;) {
        size_t at = i;
        int32_t c = s_cp(text, b, &i);
        if (c == ',' || c == 0x060C || c == ';' || c == 0x061B)
            g |= G_COMMA;
        else if (c == ':')
            g |= G_COLON;
        else if (c == '\'' || c == 0x2019) {
            /* Houthis' chief, Yemen’s: an apostrophe; only 'quote after a
             * space opens a quotation */
            if (at > a && text[at - 1] == ' ' && i < b && text[i] != ' ')
                g |= G_QUOTE;
        }
        else if (s_is_quote(c))
            g |= G_QUOTE;
        else if (c == 0x2014 || c == 0x2013)
            g |= G_DASH;
        else if (c == '-' && at > a && at + 1 < b && text[at - 1] == ' ' && text[at + 1] == ' ')
            g |= G_DASH;
        else if (c == '.' || c == '!' || c == '?' || c == 0x061F || c == '\n')
            g |= G_STOP;
        else if (c == '(' || c == ')')
            g |= G_PAREN;
    }
    return g;
}

/* "U.S.", "U.N.", "Mr.", "Gen.": the full stop after token I belongs to an
 * abbreviation (ICU keeps the sentence whole), so it ends no phrase. */
static bool
s_abbrev(const char *text, const text_token_t *t)
{
    static const char *const titles[] = { "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Sen",
                                          "Rep", "Gov", "Capt", "Maj", "Sgt", "St", "Jr", "Adm" };
    size_t n = t->end - t->start;
    const char *s = text + t->start;
    if (t->end < 1 || text[t->end] != '.')
        return false;
    for (size_t k = 0; k < sizeof titles / sizeof titles[0]; k++)
        if (strlen(titles[k]) == n && !memcmp(s, titles[k], n))
            return true;
    /* single capitals joined by dots: U.S, U.N, U.K */
    if (n < 3)
        return false;
    for (size_t k = 0; k < n; k++)
        if ((k % 2 == 0) != (s[k] >= 'A' && s[k] <= 'Z') || (k % 2 == 1 && s[k] != '.'))
            return false;
    return n % 2 == 1;
}

static unsigned
s_gap_tok(const s_ctx_t *x, size_t i, size_t b)
{
    size_t a = x->t[i].end;
    if (a < b && s_abbrev(x->text, &x->t[i]))
        a++;
    return s_gap_bytes(x->text, a, b);
}

/* Punctuation between token I and the next one (or the sentence end). */
static unsigned
s_gap_after(const s_ctx_t *x, size_t i)
{
    size_t b = i + 1 < x->se ? x->t[i + 1].start : x->sent_e;
    if (i + 1 >= x->se)
        return s_gap_bytes(x->text, x->t[i].end, b);
    return s_gap_tok(x, i, b);
}

/* Punctuation between the previous token (or the sentence start) and I. */
static unsigned
s_gap_before(const s_ctx_t *x, size_t i)
{
    if (i >= x->se)
        return G_STOP;
    if (i > x->sf)
        return s_gap_tok(x, i - 1, x->t[i].start);
    return s_gap_bytes(x->text, x->sent_s, x->t[i].start);
}

static uint32_t
s_fl(const s_ctx_t *x, size_t i)
{
    return i < x->nt ? x->fl[i] : 0;
}

static bool
s_key_is(const s_ctx_t *x, size_t i, const char *k)
{
    return i < x->se && strcmp(x->t[i].key, k) == 0;
}

static bool
s_upper(const s_ctx_t *x, size_t i)
{
    unsigned char c = (unsigned char) x->text[x->t[i].start];
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Arabic letters start with lead bytes D8..DB. */
static bool
s_arabic_tok(const s_ctx_t *x, size_t i)
{
    unsigned char c = (unsigned char) x->t[i].key[0];
    return c >= 0xD8 && c <= 0xDB;
}

static bool
s_definite(const s_ctx_t *x, size_t i)
{
    return strncmp(x->t[i].key, "\xD8\xA7\xD9\x84", 4) == 0;   /* ال */
}

static bool
s_starts_with_lam(const s_ctx_t *x, size_t i, bool *double_lam)
{
    const char *k = x->t[i].key;
    *double_lam = strncmp(k, "\xD9\x84\xD9\x84", 4) == 0;
    return strncmp(k, "\xD9\x84", 2) == 0;
}

/* ل + a media word (لوكالة، للصحيفة، لرويترز): a recipient, not a speaker. */
static bool
s_ar_recipient(const s_ctx_t *x, size_t i)
{
    bool dl;
    if (i >= x->se || !s_starts_with_lam(x, i, &dl))
        return false;
    const char *k = x->t[i].key;
    if (dl) {
        char buf[128];
        size_t n = strlen(k + 4);
        if (n + 5 > sizeof buf)
            return false;
        memcpy(buf, "\xD8\xA7\xD9\x84", 4);     /* ال + rest */
        memcpy(buf + 4, k + 4, n + 1);
        const claim_word_t *w = claim_lexicon_find(buf);
        return w && (w->flags & CL_MEDIA);
    }
    /* لنظيره، لنظرائه: said to a counterpart, who is no speaker */
    if (!strncmp(k + 2, "\xD9\x86\xD8\xB8\xD9\x8A\xD8\xB1", 8)
        || !strncmp(k + 2, "\xD9\x86\xD8\xB8\xD8\xB1\xD8\xA7\xD8\xA6", 10))
        return true;
    const claim_word_t *w = claim_lexicon_find(k + 2);
    return w && (w->flags & CL_MEDIA);
}

/* ------------------------------------------------------------ output */

static s_claim_t *
s_new_claim(s_ctx_t *x)
{
    if (x->ncl == x->capcl) {
        size_t nc = x->capcl ? x->capcl * 2 : 8;
        s_claim_t *n = realloc(x->cl, nc * sizeof *n);
        if (!n)
            return NULL;
        x->cl = n;
        x->capcl = nc;
    }
    s_claim_t *c = &x->cl[x->ncl];
    memset(c, 0, sizeof *c);
    c->sentence = x->sidx;
    c->sent_s = x->sent_s;
    c->sent_e = x->sent_e;
    c->speaker.ment = -1;
    return c;
}

/* Trim spaces, quotes and trailing punctuation from bytes [*s, *e). */
static void
s_trim(const char *text, size_t *s, size_t *e)
{
    for (;;) {
        size_t i = *s;
        if (i >= *e)
            break;
        int32_t c = s_cp(text, *e, &i);
        if (c == ' ' || c == '\n' || c == '\t' || s_is_quote(c) || c == ':' || c == ','
            || c == 0x060C || c == 0x2014 || c == 0x2013 || c == '-' || c == 0x200F
            || c == 0x200E || c == 0xA0)
            *s = i;
        else
            break;
    }
    while (*e > *s) {
        size_t i = *e - 1;
        while (i > *s && ((unsigned char) text[i] & 0xC0) == 0x80)
            i--;
        size_t j = i;
        int32_t c = s_cp(text, *e, &j);
        if (c == ' ' || c == '\n' || c == '\t' || s_is_quote(c) || c == '.' || c == ','
            || c == 0x060C || c == ':' || c == ';' || c == 0x061B || c == 0x2014
            || c == 0x2013 || c == '-' || c == 0x200F || c == 0x200E || c == 0xA0)
            *e = i;
        else
            break;
    }
}

/* Is token span [a, b) one entity speaking (the Kremlin, a Kremlin
 * spokesman, المتحدث باسم الكرملين, الرئيس بوتين)?  Then its mention. */
static int
s_resolve(const s_ctx_t *x, size_t a, size_t b)
{
    int ment = -1;
    for (size_t i = a; i < b; i++) {
        if (x->ment[i] >= 0) {
            if (ment >= 0 && x->ment[i] != ment)
                return -1;
            ment = x->ment[i];
            const proto_mention_t *m = &x->m[ment];
            size_t sl = strlen(m->surface);
            /* Bout's lawyer: a possessive names someone else. */
            if (sl >= 2 && (m->surface[sl - 1] == 's' || m->surface[sl - 1] == 'S')
                && (m->surface[sl - 2] == '\'' || (sl >= 4 && !strncmp(m->surface + sl - 4, "\xE2\x80\x99s", 4))))
                return -1;
            continue;
        }
        uint32_t f = s_fl(x, i);
        if ((f & (CL_DET | CL_TITLE | CL_SPOKES)) || s_key_is(x, i, "the"))
            continue;
        if (s_arabic_tok(x, i) && s_definite(x, i) && claim_lexicon_nisba(x->t[i].key))
            continue;
        if (!s_arabic_tok(x, i) && (strstr(x->t[i].key, "spokes") || !strcmp(x->t[i].key, "official")))
            continue;
        return -1;
    }
    return ment;
}

static void
s_set_speaker(s_ctx_t *x, s_tspan_t *sp, size_t a, size_t b)
{
    sp->a = a;
    sp->b = b;
    sp->strip_l = false;
    sp->ment = a < b ? s_resolve(x, a, b) : -1;
}

/* ------------------------------------------------------------ phrases */

/* First content token of the sentence (after a dateline such as
 * "MOSCOW, Nov 20 —" or "موسكو - "). */
static size_t
s_content_first(const s_ctx_t *x)
{
    /* "Exclusive: ...", "عاجل: ..." */
    for (size_t i = x->sf; i < x->se && i < x->sf + 2; i++)
        if ((s_gap_after(x, i) & G_COLON) && (s_fl(x, i) & CL_LABEL))
            return i + 1;
    for (size_t i = x->sf; i < x->se && i < x->sf + 8; i++) {
        if (s_gap_after(x, i) & G_DASH) {
            for (size_t k = x->sf; k <= i; k++)
                if (!s_arabic_tok(x, k) && !s_upper(x, k))
                    return x->sf;
            return i + 1;
        }
    }
    return x->sf;
}

/* Content bytes from token A to the end of token B-1, trimmed. */
static void
s_content_tokens(const s_ctx_t *x, size_t a, size_t b, size_t *cs, size_t *ce)
{
    if (a >= b) {
        *cs = *ce = 0;
        return;
    }
    *cs = x->t[a].start;
    *ce = x->t[b - 1].end;
    s_trim(x->text, cs, ce);
    /* "12 people (including three children)": a bracket opened inside the
     * content closes inside it */
    int open = 0;
    for (size_t k = *cs; k < *ce; k++)
        open += x->text[k] == '(' ? 1 : x->text[k] == ')' ? -1 : 0;
    size_t lim = b < x->nt ? x->t[b].start : strlen(x->text);
    for (size_t k = *ce; open > 0 && k < lim; k++)
        if (x->text[k] == ')') {
            *ce = k + 1;
            open--;
        }
}

static bool s_english_cue_ok(const s_ctx_t *x, size_t i);

/* ", and a Kremlin spokesman called ...", ", but prosecutors said ...": a
 * conjunction after a comma, then a short subject and a reporting verb,
 * starts a second report, not more of the first one's content (", and
 * that ..." has no verb of its own and goes on). */
static bool
s_en_second_report(const s_ctx_t *x, size_t n)
{
    if (!(s_fl(x, n) & CL_CONJ))
        return false;
    for (size_t m = n + 1; m < x->se && m < n + 8 && !(s_gap_before(x, m) & G_CLAUSE); m++) {
        if (s_fl(x, m) & CL_COMP)
            return false;
        if (x->cue[m] && !x->cue[m]->arabic && m > n + 1 && s_english_cue_ok(x, m))
            return true;
    }
    return false;
}

/* After a comma or dash at N, does a remark on the report start rather
 * than more of it?  ", a claim that could not be verified", " - a view
 * not shared by ...", ", without giving details", "، وهو ما لم يتسن التحقق
 * منه", "، دون أن يقدم تفاصيل": the reporter's, not the speaker's. */
static bool
s_remark_at(const s_ctx_t *x, size_t n)
{
    static const char *const heads[] = {
        "claim", "allegation", "charge", "accusation", "assertion", "figure", "number",
        "view", "version", "account", "statement", "toll", "tally",
    };
    if (n + 1 >= x->se)
        return false;
    if (s_key_is(x, n, "a") || s_key_is(x, n, "an")) {
        for (size_t e = 0; e < sizeof heads / sizeof heads[0]; e++)
            if (s_key_is(x, n + 1, heads[e]))
                return n + 2 < x->se && (s_key_is(x, n + 2, "that") || s_key_is(x, n + 2, "which")
                                         || s_key_is(x, n + 2, "not")
                                         || s_key_is(x, n + 2, "disputed")
                                         || s_key_is(x, n + 2, "rejected")
                                         || s_key_is(x, n + 2, "denied"));
        return false;
    }
    return s_key_is(x, n, "without")
        || s_key_is(x, n, "\xD8\xAF\xD9\x88\xD9\x86")                          /* دون */
        || s_key_is(x, n, "\xD8\xA8\xD8\xAF\xD9\x88\xD9\x86")                  /* بدون */
        || ((s_key_is(x, n, "\xD9\x88\xD9\x87\xD9\x88")                         /* وهو */
             || s_key_is(x, n, "\xD9\x88\xD9\x87\xD9\x8A"))                     /* وهي */
            && s_key_is(x, n + 1, "\xD9\x85\xD8\xA7"));                           /* ما */
}

/* Where the content that starts at A ends: at a quote that closes an
 * opening quote just before A, else at the next coordinated cue clause
 * ("، وقال ...", ", and the ministry said ..."), ", citing"/", adding",
 * or the sentence end.  Returns the exclusive token index. */
static size_t
s_content_end(const s_ctx_t *x, size_t a)
{
    bool quoted = a < x->se && (s_gap_before(x, a) & G_QUOTE);
    for (size_t k = a; k < x->se; k++) {
        unsigned g = s_gap_after(x, k);
        if (quoted && (g & G_QUOTE))
            return k + 1;
        if (k + 1 < x->se && !quoted && x->cue[k + 1] && x->cpre[k + 1] && k + 1 > a)
            return k + 1;       /* ... ووصفتها: the next coordinated report */
        if (k + 2 < x->se && !quoted && (s_fl(x, k + 1) & CL_CONJ) && x->cue[k + 2]
            && !x->cue[k + 2]->arabic && !(g & G_QUOTE))
            return k + 1;       /* "denied any wrongdoing and said ..." */
        if (k + 1 < x->se && (g & (G_COMMA | G_DASH)) && !quoted && k + 1 > a
            && s_remark_at(x, k + 1))
            return k + 1;
        if (k + 1 < x->se && (g & G_COMMA) && !quoted) {
            size_t n = k + 1;
            if (s_fl(x, n) & CL_CITE)
                return k + 1;
            if (s_key_is(x, n, "adding") || s_key_is(x, n, "according")
                || (s_fl(x, n) & CL_ADDING) || s_en_second_report(x, n))
                return k + 1;
        }
    }
    return x->se;
}

/* English: a time/setting phrase after a cue ("on Thursday", "in a
 * statement", "late on Sunday") is skipped only if what follows it is
 * "that", punctuation or the end. */
static size_t
s_en_skip_setting(const s_ctx_t *x, size_t a)
{
    size_t j = a;
    size_t noun_end = a;    /* after the setting's head noun ("statement") */
    while (j < x->se && ((s_fl(x, j) & CL_ETIME) || s_key_is(x, j, "the") || s_key_is(x, j, "his")
                         || s_key_is(x, j, "her") || s_key_is(x, j, "its")
                         || s_key_is(x, j, "their"))
           && !(j > a && (s_gap_before(x, j) & G_CLAUSE))) {
        if ((s_fl(x, j) & CL_ETIME) && !(s_fl(x, j) & (CL_DET | CL_NOSUBJ | CL_TIME)) && j > a
            && !s_key_is(x, j, "in") && !s_key_is(x, j, "on") && !s_key_is(x, j, "late")
            && !s_key_is(x, j, "early"))
            noun_end = j + 1;
        j++;
    }
    if (j > a && (j >= x->se || s_key_is(x, j, "that") || (s_gap_before(x, j) & G_CLAUSE)))
        return j;
    if (j > a && (s_fl(x, j - 1) & CL_TIME))
        return j;       /* "said on Tuesday they had ..." */
    /* "said in a statement it would ...", "... in a statement the attack
     * ...": the content's subject follows the setting with no "that" */
    if (noun_end > a && noun_end < x->se && s_key_is(x, a, "in")
        && ((s_fl(x, noun_end) & CL_PRON) || s_key_is(x, noun_end, "it")
            || s_key_is(x, noun_end, "we") || s_key_is(x, noun_end, "the")))
        return noun_end;
    /* A prepositional phrase of any words ("in a post on X late on Tuesday
     * that", "in a court filing unsealed on Tuesday.") is a setting when it
     * ends at "that" or at the end of the clause; the content is after
     * "that", or before the speaker. */
    static const char *const preps[] = { "in", "on", "at", "during", "via", "with", "after" };
    bool prep = false;
    for (size_t k = 0; k < sizeof preps / sizeof preps[0] && !prep; k++)
        prep = s_key_is(x, a, preps[k]);
    if (!prep)
        return a;
    for (j = a + 1; j < x->se && j < a + 14; j++) {
        if (s_key_is(x, j, "that"))
            return j;
        if (s_gap_before(x, j) & (G_QUOTE | G_COLON))
            return a;
        if (s_gap_before(x, j) & G_CLAUSE)
            return j;
    }
    return j >= x->se ? j : a;
}

/* English recipient after "told": "the newspaper", "Reuters", "The
 * Associated Press", "reporters". */
static size_t
s_en_recipient(const s_ctx_t *x, size_t a)
{
    size_t j = a;
    if (j >= x->se)
        return j;
    if (s_fl(x, j) & CL_REPORTERS)
        return j + 1;
    if (s_key_is(x, j, "the") || s_key_is(x, j, "a") || s_key_is(x, j, "an")) {
        j++;
        if (j < x->se && !(s_gap_before(x, j) & G_CLAUSE))
            j++;
        /* "the state news agency TASS", "a local television channel" */
        while (j < x->se && (s_upper(x, j) || (s_fl(x, j) & CL_ENMEDIA))
               && !(s_gap_before(x, j) & G_CLAUSE) && !(s_fl(x, j) & CL_TIME))
            j++;
        return j;
    }
    while (j < x->se && s_upper(x, j) && !(j > a && (s_gap_before(x, j) & G_CLAUSE))
           && !(s_fl(x, j) & CL_TIME))
        j++;
    return j;
}

/* "told a news conference (in Muscat)", "told a press briefing", "told a
 * rally": an event, not a recipient that relays the words.  R is where
 * s_en_recipient ended; the event's head noun may be at R ("a news" then
 * "conference").  Returns the token after the event noun, or A. */
static size_t
s_en_told_setting(const s_ctx_t *x, size_t a, size_t r)
{
    static const char *const events[] = {
        "conference", "briefing", "rally", "meeting", "summit", "hearing", "session",
        "forum", "gathering", "seminar", "ceremony", "debate",
    };
    for (size_t j = a; j < x->se && j <= r && j < a + 5; j++) {
        if (j > a && (s_gap_before(x, j) & G_CLAUSE))
            break;
        for (size_t e = 0; e < sizeof events / sizeof events[0]; e++)
            if (s_key_is(x, j, events[e]))
                return j + 1;
    }
    return a;
}

/* English speaker after a cue or "according to": up to punctuation, a
 * setting phrase, "citing", "that". */
static size_t
s_en_np_after(const s_ctx_t *x, size_t a)
{
    size_t j = a;
    while (j < x->se && j < a + 10) {
        if (j > a && (s_gap_before(x, j) & G_CLAUSE))
            break;
        if (s_fl(x, j) & (CL_CITE | CL_COMP))
            break;
        if (j > a && s_key_is(x, j, "on") && j + 1 < x->se && (s_fl(x, j + 1) & CL_TIME))
            break;
        if (j > a && (s_key_is(x, j, "in") || s_key_is(x, j, "late")) && j + 1 < x->se
            && (s_fl(x, j + 1) & CL_ETIME))
            break;
        j++;
    }
    return j;
}

/* A definite elative or colour adjective, الأفعل (الأبيض، الأوسط، الأعلى،
 * الأقصى), agrees with the noun before it (البيت الأبيض) like a nisba;
 * the pattern is ال + ا + three letters, none of them a final ة. */
static bool
s_ar_elative(const char *k)
{
    if (strlen(k) != 12 || strncmp(k, "\xD8\xA7\xD9\x84\xD8\xA7", 6))
        return false;
    for (size_t i = 6; i < 12; i += 2)
        if ((unsigned char) k[i] < 0xD8 || (unsigned char) k[i] > 0xD9)
            return false;
    return strcmp(k + 10, "\xD9\x87") != 0;      /* not ...ه (folded ة) */
}

/* A participle and the preposition it governs, with a pronoun
 * (المعترف بها دوليا، المقرب منه، المدعومة منها): an adjective of the noun
 * before it.  Returns the exclusive end, or K when there is none. */
static size_t
s_ar_participle_phrase(const s_ctx_t *x, size_t k)
{
    const char *p = x->t[k].key;
    if (k + 1 >= x->se || strncmp(p, "\xD8\xA7\xD9\x84\xD9\x85", 6) || strlen(p) < 10
        || (s_gap_after(x, k) & G_CLAUSE))
        return k;
    static const char *const pp[] = {
        "\xD8\xA8\xD9\x87", "\xD8\xA8\xD9\x87\xD8\xA7", "\xD8\xA8\xD9\x87\xD9\x85",  /* به بها بهم */
        "\xD9\x84\xD9\x87", "\xD9\x84\xD9\x87\xD8\xA7", "\xD9\x84\xD9\x87\xD9\x85",  /* له لها لهم */
        "\xD9\x85\xD9\x86\xD9\x87", "\xD9\x85\xD9\x86\xD9\x87\xD8\xA7",                /* منه منها */
        "\xD9\x85\xD9\x86\xD9\x87\xD9\x85",                                              /* منهم */
        "\xD8\xB9\xD9\x84\xD9\x8A\xD9\x87", "\xD8\xB9\xD9\x84\xD9\x8A\xD9\x87\xD8\xA7", /* عليه عليها */
        "\xD8\xB9\xD9\x86\xD9\x87", "\xD8\xB9\xD9\x86\xD9\x87\xD8\xA7",                /* عنه عنها */
        "\xD9\x81\xD9\x8A\xD9\x87", "\xD9\x81\xD9\x8A\xD9\x87\xD8\xA7",                /* فيه فيها */
    };
    bool ok = false;
    for (size_t i = 0; i < sizeof pp / sizeof pp[0] && !ok; i++)
        ok = s_key_is(x, k + 1, pp[i]);
    if (!ok)
        return k;
    size_t e = k + 2;
    /* a nisba adverb in -iyyan: دوليا، رسميا، إقليميا */
    if (e < x->se && !(s_gap_before(x, e) & G_CLAUSE) && s_arabic_tok(x, e) && !s_definite(x, e)
        && !x->cue[e] && !(s_fl(x, e) & (CL_COMP | CL_PREP | CL_TIME)) && strlen(x->t[e].key) > 4) {
        const char *q = x->t[e].key;
        if (!strcmp(q + strlen(q) - 4, "\xD9\x8A\xD8\xA7"))
            e++;
    }
    return e;
}

/* Arabic noun phrase (a speaker or relay) starting at A: a head, its
 * adjectives (nisba), an idafa complement, a quoted media name after
 * صحيفة/وكالة, "باسم ...", a catalog mention.  Returns the exclusive end. */
static size_t
s_ar_np(const s_ctx_t *x, size_t a)
{
    size_t j = a, n = 0;
    if (a >= x->se)
        return a;
    for (;;) {
        bool closed_quote = false;
        n++;
        if (x->ment[j] >= 0) {
            while (j + 1 < x->se && x->ment[j + 1] == x->ment[j]
                   && x->t[j + 1].start < (size_t) x->m[x->ment[j]].end)
                j++;
        }
        if ((s_fl(x, j) & CL_MEDIA) && j + 1 < x->se && (s_gap_after(x, j) & G_QUOTE)) {
            size_t k = j + 1;
            while (k + 1 < x->se && !(s_gap_after(x, k) & G_QUOTE) && k < j + 6)
                k++;
            j = k;
            closed_quote = true;
        }
        size_t nx = j + 1;
        if (nx >= x->se || n >= 8)
            return nx;
        unsigned g = s_gap_after(x, j);
        /* a short quoted or bracketed name inside the phrase (وثائق اطلعت
         * عليها «الشرق الأوسط» أن، وزارة الدفاع (البنتاغون)): the name is part
         * of it when what follows it cannot continue a quotation */
        if (!closed_quote && (g & (G_QUOTE | G_PAREN)) && !(g & (G_COMMA | G_COLON | G_STOP))
            && !(s_fl(x, nx) & (CL_COMP | CL_NEG))) {
            size_t k = nx;
            while (k + 1 < x->se && k < nx + 3 && !(s_gap_after(x, k) & G_CLAUSE)
                   && !x->cue[k] && !(s_fl(x, k) & (CL_COMP | CL_NEG | CL_PREP)))
                k++;
            unsigned gk = k + 1 < x->se ? s_gap_after(x, k) : 0;
            if (k + 1 < x->se && (gk & (G_QUOTE | G_PAREN)) && !(gk & G_STOP) && !x->cue[k]
                && ((gk & G_COMMA) || (s_fl(x, k + 1) & (CL_COMP | CL_PREP | CL_QAWL))
                    || s_ar_recipient(x, k + 1))) {
                j = k;
                if (gk & G_COMMA)
                    return k + 1;
                continue;
            }
        }
        if (closed_quote ? (g & (G_CLAUSE & ~G_QUOTE)) : (g & G_CLAUSE))
            return nx;
        uint32_t f = s_fl(x, nx);
        if (x->cue[nx] || (f & (CL_COMP | CL_QAWL | CL_TIME | CL_PREP | CL_DEMONST | CL_NEG
                                | CL_COMMENT | CL_HEDGE | CL_ADV))
            || s_ar_recipient(x, nx) || !s_arabic_tok(x, nx) || strlen(x->t[nx].key) <= 2)
            return nx;
        const char *kn = x->t[nx].key;
        bool cont = false;
        if (!strncmp(kn, "\xD8\xA8\xD8\xA7\xD8\xB3\xD9\x85", 8)        /* باسم... */
            || !strcmp(kn, "\xD8\xA8\xD9\x82\xD9\x8A\xD8\xA7\xD8\xAF\xD9\x87")   /* بقياده */
            || !strncmp(kn, "\xD8\xA7\xD9\x84\xD8\xAA\xD8\xA7\xD8\xA8\xD8\xB9", 10)) /* التابع */
            cont = true;
        else if ((s_fl(x, j) & CL_TITLE) && (!s_definite(x, nx) || x->ment[nx] >= 0))
            cont = true;     /* الرئيس بوتين, السيد بوت */
        else if ((s_fl(x, j) & CL_SPOKES) && x->ment[nx] >= 0)
            cont = true;
        else if ((claim_lexicon_nisba(kn) || (f & CL_ADJ) || s_ar_elative(kn))
                 && !(s_definite(x, j) && !s_definite(x, nx) && !(f & CL_ADJ)))
            cont = true;     /* an adjective agrees in definiteness: not الحوثيين يحيى */
        else if (n <= 3 && s_definite(x, j) && x->ment[j] < 0 && strlen(kn) >= 12
                 && !strncmp(kn, "\xD9\x88\xD8\xA7\xD9\x84", 6))
            cont = true;     /* الكاتب والمحلل، الحكومة والمعارضة: و joins a second head */
        else if (j > a && !strncmp(kn, "\xD9\x84\xD9\x84", 4) && s_definite(x, j)
                 && (claim_lexicon_nisba(x->t[j].key) || (s_fl(x, j) & CL_ADJ))
                 && ((s_fl(x, j - 1) & CL_PERSON) || (s_definite(x, j - 1) && x->ment[j - 1] < 0)))
            cont = true;     /* الأمين العام للأمم المتحدة، المكتب الإعلامي للحكومة */
        else if (s_definite(x, j) && s_ar_participle_phrase(x, nx) > nx) {
            size_t e = s_ar_participle_phrase(x, nx);
            if (e >= x->se || n + 2 >= 8)
                return e;
            j = e - 1;
            n += 2;
            continue;
        }
        else if (x->ment[nx] >= 0 && !s_definite(x, nx))
            cont = !s_definite(x, j) || claim_lexicon_nisba(x->t[j].key);
        else if (!s_definite(x, j) && x->ment[j] < 0 && n <= 5)
            cont = true;
        if (!cont)
            return nx;
        j = nx;
    }
}

static size_t s_ar_content_start(const s_ctx_t *x, size_t a, size_t limit);
static size_t s_ar_skip_aside(const s_ctx_t *x, size_t a);

/* A word that can be part of a person's name after a role (not a
 * function word, a cue, a recipient or a time word). */
static bool
s_ar_name_word(const s_ctx_t *x, size_t m)
{
    return m < x->se && s_arabic_tok(x, m) && !x->cue[m] && strlen(x->t[m].key) > 2
        && !s_ar_recipient(x, m)
        && !(s_fl(x, m) & (CL_COMP | CL_QAWL | CL_SUBORD | CL_PREP | CL_TIME | CL_ADV | CL_NEG
                           | CL_DEMONST | CL_HEDGE | CL_COMMENT | CL_SETTING | CL_ADDING));
}

/* على عن إلى مع: prepositions a word before governs (مطلعون على الملف،
 * طلب عدم الكشف عن اسمه); the others say where, when or how it was said
 * (أمام المحكمة، خلال المؤتمر، عبر الهاتف، بعد الاجتماع), never who. */
static bool
s_ar_governed_prep(const s_ctx_t *x, size_t b)
{
    return s_key_is(x, b, "\xD8\xB9\xD9\x84\xD9\x8A") || s_key_is(x, b, "\xD8\xB9\xD9\x86")
        || s_key_is(x, b, "\xD8\xA7\xD9\x84\xD9\x8A") || s_key_is(x, b, "\xD9\x85\xD8\xB9");
}

/* Does token K start a setting — where, when or how it was said (في
 * رسالة، خلال مؤتمر صحفي، أمام البرلمان، مساء الأحد) — rather than continue a
 * speaker? */
static bool
s_ar_setting_at(const s_ctx_t *x, size_t k)
{
    uint32_t f = s_fl(x, k);
    if (f & CL_TIME)
        return true;
    if (!(f & CL_PREP))
        return false;
    if (!(f & CL_PLACE) && !s_ar_governed_prep(x, k))
        return true;
    return k + 1 < x->se && (s_fl(x, k + 1) & (CL_SETTING | CL_TIME));
}

/* Can the prepositional phrase at B stay inside a speaker phrase when no
 * إن/أن closes it?  Place and affiliation can (مسؤول في الوزارة، السفير
 * لدى الأمم المتحدة), and so can what a participle governs (مطلعون على
 * الملف، مقرب من الرئاسة، مصادر قريبة من الحكومة). */
static bool
s_ar_place_prep(const s_ctx_t *x, size_t b)
{
    uint32_t f = s_fl(x, b);
    if (!(f & CL_PREP))
        return false;
    if (f & CL_PLACE)
        return true;
    if (b == x->sf || (s_gap_before(x, b) & G_CLAUSE) || !s_ar_governed_prep(x, b))
        return false;
    const char *p = x->t[b - 1].key;
    if (!strncmp(p, "\xD8\xA7\xD9\x84", 4))
        p += 4;         /* ال */
    return (!strncmp(p, "\xD9\x85", 2) && strlen(p) > 4)                  /* م... */
        || !strncmp(p, "\xD9\x82\xD8\xB1\xD9\x8A\xD8\xA8", 8);      /* قريب... */
}

/* After a first name, is the definite word at M a surname (أحمد
 * المسماري، خالد الفالح) rather than the start of the verb's object?  A
 * masculine nisba (…ي, not …ية) is the common surname form; any other
 * definite word is one when a second definite noun follows it, which is
 * then the object (الوزير خالد الفالح الشركة), and not when an adjective
 * of it follows (يحيى سريع البحرية الأمريكية). */
static bool
s_ar_surname(const s_ctx_t *x, size_t m)
{
    const char *k = x->t[m].key;
    size_t n = strlen(k);
    if ((s_fl(x, m) & (CL_ADJ | CL_TIME)) || (s_gap_after(x, m) & G_CLAUSE) || x->ment[m] >= 0)
        return false;
    size_t nx = m + 1;
    bool adj_next = nx < x->se && s_definite(x, nx)
        && (claim_lexicon_nisba(x->t[nx].key) || (s_fl(x, nx) & CL_ADJ) || s_ar_elative(x->t[nx].key));
    if (adj_next)
        return false;
    if (n > 6 && !strcmp(k + n - 2, "\xD9\x8A"))
        return true;
    return nx < x->se && s_definite(x, nx) && s_ar_name_word(x, nx);
}

/* The speaker phrase [A, B) of a verb-first report, extended past what
 * s_ar_np stops at:
 *   - a prepositional phrase of place or affiliation (في/من): مسؤول في
 *     الحكومة اليمنية، السفارة الروسية في واشنطن هذه المزاعم، الشرطة في
 *     أثينا السبت — kept when the head is indefinite (an unnamed source is
 *     always placed), or when what follows it cannot continue it (إن/أن, a
 *     time word, a demonstrative, a bracket or a comma);
 *   - a name after a role: المتحدث باسم الحوثيين محمد عبد السلام في تغريدة
 *     ... إن، المتحدث ... يحيى سريع البحرية الأمريكية (an object follows);
 *   - a name between commas after a role: الباحث ...، سامر الحداد، إلى أن
 *     (then the name alone is the speaker, *PA moves to it, as in English).
 * Returns the new exclusive end. */
static size_t
s_ar_extend_speaker(const s_ctx_t *x, size_t *pa, size_t b)
{
    size_t a = *pa;
    bool titled = false, comp_ahead = false;
    for (size_t k = a; k < b; k++)
        titled |= (s_fl(x, k) & (CL_SPOKES | CL_TITLE | CL_PERSON)) != 0;
    for (size_t k = b; k < x->se && !comp_ahead; k++)
        comp_ahead = (s_fl(x, k) & (CL_COMP | CL_QAWL)) || (s_gap_before(x, k) & G_COLON);
    if (b >= x->se || (s_gap_before(x, b) & (G_STOP | G_COLON)))
        return b;
    unsigned gb = s_gap_before(x, b);
    if ((s_fl(x, b) & CL_PREP) && !(s_fl(x, b) & CL_PLACE) && !s_ar_governed_prep(x, b))
        return b;
    if ((s_fl(x, b) & CL_PREP) && !(gb & G_CLAUSE) && b + 1 < x->se
        && !(s_fl(x, b + 1) & (CL_COMP | CL_SETTING | CL_TIME)) && !x->cue[b + 1]) {
        size_t pe = s_ar_np(x, b + 1);
        unsigned gp = pe < x->se ? s_gap_before(x, pe) : G_STOP;
        /* ends right at إن/أن (مقربون من الوسيط أن، الادعاء العام في نيويورك أن) */
        if (pe < x->se && (s_fl(x, pe) & CL_COMP) && !(gp & G_CLAUSE))
            return pe;
        size_t m = b + 1;
        while (m < x->se && m < b + 4 && !(s_fl(x, m) & CL_COMP)
               && !(s_gap_before(x, m) & G_CLAUSE) && !x->cue[m]
               && !s_ar_recipient(x, m) && !s_ar_setting_at(x, m))
            m++;
        if (m < x->se && (s_fl(x, m) & CL_COMP) && !(s_gap_before(x, m) & G_CLAUSE)) {
            /* أشار تقرير صادر عن البنك إلى أن، شدد بيان ... على أن: a
             * preposition right before أن is the verb's, not the speaker's */
            if (m > b + 2 && s_ar_governed_prep(x, m - 1))
                return m - 1;
            return m;
        }
        if (!s_ar_place_prep(x, b)
            || !((!s_definite(x, a) && x->ment[a] < 0)
                 || (pe < x->se && ((gp & (G_COMMA | G_PAREN))
                                    || (s_fl(x, pe) & (CL_TIME | CL_DEMONST))))))
            return b;
        b = pe;
        if (b >= x->se || !(s_gap_before(x, b) & G_COMMA))
            return b;
        gb = s_gap_before(x, b);
    }
    if (!titled && !comp_ahead)
        return b;
    /* a name between commas after a role: الباحث ...، سامر الحداد، إلى أن */
    bool rank = (s_fl(x, b) & CL_TITLE) != 0;     /* اللواء، العميد، الدكتور */
    if ((gb & G_COMMA) && !(gb & G_QUOTE) && titled && s_ar_name_word(x, b)
        && (!s_definite(x, b) || rank)) {
        size_t m = b;
        while (m < x->se && m < b + 5 && s_ar_name_word(x, m) && !(m > b && (s_gap_before(x, m) & G_CLAUSE)))
            m++;
        if (m > b && m < x->se && (s_gap_before(x, m) & G_COMMA)) {
            /* then إن/أن, or a setting between commas (، في تصريح لقناة
             * الجزيرة،) before إن or the verb's object */
            size_t past = s_ar_skip_aside(x, m);
            size_t cs = comp_ahead ? s_ar_content_start(x, m, x->se) : S_NONE;
            if ((cs != S_NONE && cs < past + 4) || (!comp_ahead && past > m)) {
                *pa = b;
                return m;
            }
        }
        return b;
    }
    if ((gb & G_CLAUSE) || (s_definite(x, b) && !rank) || !s_ar_name_word(x, b))
        return b;
    /* a name after the description: محامي الوسيط جوناثان ريف إن */
    size_t m = b;
    bool surname = false;
    while (m < x->se && m < b + 4 && s_ar_name_word(x, m) && !(m > b && (s_gap_before(x, m) & G_CLAUSE))) {
        /* with an object to come, a definite word starts it, unless a name
         * particle precedes (عبد السلام، أبو بكر) */
        if (!comp_ahead && m > b && s_definite(x, m)) {
            const char *p = x->t[m - 1].key;
            if (s_ar_surname(x, m)) {
                surname = true;     /* the name ends with it; the object follows */
                m++;
                break;
            }
            if (strcmp(p, "\xD8\xB9\xD8\xA8\xD8\xAF") && strcmp(p, "\xD8\xA7\xD8\xA8\xD9\x88"))
                break;   /* عبد، ابو */
        }
        m++;
    }
    if (surname && titled && m < x->se && !(s_gap_before(x, m) & G_CLAUSE))
        return m;
    if (m >= x->se || m == b)
        return b;
    unsigned gm = s_gap_before(x, m);
    if ((s_fl(x, m) & CL_COMP) && !(gm & G_CLAUSE) && m <= b + 3)
        return m;
    if (!titled)
        return b;
    if (comp_ahead && ((s_fl(x, m) & (CL_PREP | CL_TIME)) || s_ar_recipient(x, m) || (gm & G_COMMA)))
        return m;
    if (!comp_ahead && s_definite(x, m) && !(gm & G_CLAUSE))
        return m;
    return b;
}

/* ------------------------------------------------------------ stance */

/* قد + imperfect (قد يكون، قد تغير) is "may"; قد + past (كان قد توسط) is
 * "had".  Unvowelled, تفعّل past and تُفعّل present look alike, so a
 * preceding كان decides, else the ي/ت/ن prefix. */
static bool
s_imperfect_qad(const s_ctx_t *x, size_t i)
{
    const char *n = x->t[i + 1].key;
    if (strncmp(n, "\xD9\x8A", 2) && strncmp(n, "\xD8\xAA", 2) && strncmp(n, "\xD9\x86", 2))
        return false;     /* not ي ت ن */
    for (size_t k = i; k > x->sf && k + 3 > i; k--) {
        const char *p = x->t[k - 1].key;
        if (strstr(p, "\xD9\x83\xD8\xA7\xD9\x86"))     /* كان كانت وكان */
            return false;
    }
    return true;
}

/* "a lie", «كذب»: the noun calls the claim false; the verb (الوزير كذب
 * على البرلمان, they lie) accuses someone, which is no denial.  English:
 * after a/an, or a/an and one adjective (a blatant lie).  Arabic, where
 * the unvowelled verb and noun are one word: at the start of the content,
 * after إنه/بأنه, after a quote mark, or after محض. */
static bool
s_lie_noun(const s_ctx_t *x, size_t i, size_t a)
{
    const char *k = x->t[i].key;
    if (!strcmp(k, "lie"))
        return i > x->sf && (s_key_is(x, i - 1, "a") || s_key_is(x, i - 1, "an")
                             || (i - 1 > x->sf && (s_key_is(x, i - 2, "a") || s_key_is(x, i - 2, "an"))));
    if (strcmp(k, "\xD9\x83\xD8\xB0\xD8\xA8"))     /* كذب */
        return false;
    return i == a || (i > x->sf && ((s_fl(x, i - 1) & CL_COMP) || (s_gap_before(x, i) & G_QUOTE)
                                    || s_key_is(x, i - 1, "\xD9\x85\xD8\xAD\xD8\xB6")));  /* محض */
}

static int
s_stance(const s_ctx_t *x, const claim_word_t *w, bool neg, size_t a, size_t b, bool hedged)
{
    int st = w->stance;
    for (size_t i = a; i < b && i < x->se; i++) {
        uint32_t f = s_fl(x, i);
        if (f & CL_DENYWORD)
            st = STANCE_DENIES;
        else if (!strcmp(x->t[i].key, "\xD8\xA7\xD8\xB3\xD8\xA7\xD8\xB3") && i > x->sf   /* أساس */
                 && (s_fl(x, i - 1) & CL_NEG))
            st = STANCE_DENIES;
        else if (s_lie_noun(x, i, a))
            st = STANCE_DENIES;
    }
    if (neg)
        return STANCE_HEDGES;
    if (st == STANCE_DENIES)
        return st;
    if (hedged)
        return STANCE_HEDGES;
    for (size_t i = a; i < b && i < x->se; i++) {
        uint32_t f = s_fl(x, i);
        if (f & CL_HEDGE) {
            /* "May" the month is capitalized; "may" the modal is not. */
            if (!strcmp(x->t[i].key, "may") && x->text[x->t[i].start] == 'M')
                continue;
            return STANCE_HEDGES;
        }
        /* قد + imperfect (قد يكون) is "may"; قد + past (قد توسط) is not. */
        if (!strcmp(x->t[i].key, "\xD9\x82\xD8\xAF") && i + 1 < x->se && s_imperfect_qad(x, i))
            return STANCE_HEDGES;
    }
    return st;
}

/* ------------------------------------------------------------ rules */

/* Quotation depth after the bytes [a, b), starting from DEPTH: « “ „ open,
 * » ” close, " closes an open quotation and otherwise opens one. */
static int
s_quote_depth(const char *text, size_t a, size_t b, int depth)
{
    for (size_t i = a; i < b;) {
        int32_t c = s_cp(text, b, &i);
        if (c == 0x00AB || c == 0x201C || c == 0x201E)
            depth++;
        else if ((c == 0x00BB || c == 0x201D) && depth > 0)
            depth--;
        else if (c == '"')
            depth = depth > 0 ? depth - 1 : depth + 1;
    }
    return depth;
}

/* Inside a quotation that opens before token I and closes after it in
 * this sentence, a cue word is part of the quoted words ("a political
 * show", «قال لنا إن ...»), not an attribution. */
static bool
s_in_quotation(const s_ctx_t *x, size_t i)
{
    int d = s_quote_depth(x->text, x->sent_s, x->t[i].start, 0);
    return d > 0 && s_quote_depth(x->text, x->t[i].start, x->sent_e, d) == 0;
}


/* "the accused", "a reported deal", "its claims": a determiner makes an
 * English cue word a noun or an adjective. */
static bool
s_en_after_det(const s_ctx_t *x, size_t i)
{
    if (i <= x->sf || (s_gap_before(x, i) & G_CLAUSE))
        return false;
    const char *p = x->t[i - 1].key;
    return !strcmp(p, "the") || !strcmp(p, "a") || !strcmp(p, "an") || !strcmp(p, "this")
        || !strcmp(p, "its") || !strcmp(p, "his") || !strcmp(p, "her") || !strcmp(p, "their");
}

/* A cue token that can start a claim here (not a noun use). */
static bool
s_live_cue(const s_ctx_t *x, size_t i)
{
    return x->cue[i] && !x->used[i] && (x->cue[i]->arabic || !s_en_after_det(x, i));
}

/* Title Case Headline? (more than half the words capitalized) */
static bool
s_title_case(const s_ctx_t *x)
{
    size_t up = 0, n = 0;
    for (size_t i = x->sf; i < x->se; i++, n++)
        up += s_upper(x, i);
    return n >= 3 && up * 2 > n;
}

static bool
s_english_cue_ok(const s_ctx_t *x, size_t i)
{
    const char *k = x->t[i].key;
    /* "the Dubai Air Show", "Reuters Reports": a capital makes a name */
    if (i > x->sf && s_upper(x, i) && strcmp(k, "according") && !s_title_case(x))
        return false;
    /* "who said", "which reported": a relative clause, not an attribution */
    if (i > x->sf && !(s_gap_before(x, i) & G_CLAUSE)
        && (s_key_is(x, i - 1, "who") || s_key_is(x, i - 1, "which")))
        return false;
    if (strcmp(k, "according") && s_en_after_det(x, i))
        return false;
    if (i > x->sf && (s_fl(x, i - 1) & CL_PASSIVE) && strcmp(k, "according"))
        return !strcmp(k, "quoted") && (s_key_is(x, i + 1, "as") || s_key_is(x, i + 1, "by"));
    if (!strcmp(k, "according"))
        return s_key_is(x, i + 1, "to");
    if (!strcmp(k, "reports") || !strcmp(k, "claims") || !strcmp(k, "claim")
        || !strcmp(k, "say") || !strcmp(k, "deny") || !strcmp(k, "confirm") || !strcmp(k, "warn"))
        if (i == x->sf || (s_fl(x, i - 1) & CL_DET) || (s_gap_before(x, i) & G_CLAUSE))
            return false;
    /* "rejected opposition claims that ...", "dismissed the group's reports":
     * a reporting verb two or three words before makes it that verb's
     * object, a noun */
    if (!strcmp(k, "reports") || !strcmp(k, "claims") || !strcmp(k, "claim"))
        for (size_t q = i - 1; q > x->sf && q + 4 > i && !(s_gap_before(x, q) & G_CLAUSE); q--)
            if (x->cue[q - 1] && !x->cue[q - 1]->arabic)
                return false;
    if (!strcmp(k, "called") || !strcmp(k, "dismissed") || !strcmp(k, "described")
        || !strcmp(k, "branded")) {
        if (s_key_is(x, i + 1, "for") || s_key_is(x, i + 1, "on") || s_key_is(x, i + 1, "off")
            || s_key_is(x, i + 1, "up"))
            return false;
        /* called/described need a quality after the object (as, baseless, "a hoax") */
        bool ok = !strcmp(k, "dismissed");
        for (size_t j = i + 1; !ok && j < x->se && j < i + 10; j++)
            if (s_key_is(x, j, "as") || (s_fl(x, j) & CL_DENYWORD))
                ok = true;
            else if (j > i + 1 && (s_gap_before(x, j) & G_QUOTE))
                ok = true;      /* called the sanctions "illegitimate" */
            else if (s_gap_before(x, j) & (G_STOP | G_COLON))
                break;
        return ok;
    }
    return true;
}

/* "Court documents seen by AP show ...", "Satellite images show ...": a
 * record as the subject makes "show" report what it says, where "show no
 * mercy" or "the talks show signs" do not. */
static bool
s_en_evidence(const s_ctx_t *x, size_t sa, size_t sb)
{
    static const char *const nouns[] = {
        "documents", "document", "records", "images", "imagery", "photos", "photographs",
        "pictures", "footage", "videos", "data", "figures", "statistics", "emails",
        "filings", "papers", "minutes", "logs", "recordings", "messages",
    };
    for (size_t k = sa; k < sb; k++)
        for (size_t e = 0; e < sizeof nouns / sizeof nouns[0]; e++)
            if (s_key_is(x, k, nouns[e]))
                return true;
    return false;
}

/* English subject before the cue at I (after skipping negation and
 * adverbs): sets *sa, *sb; *neg, *hedged as found. */
static void
s_en_subject(const s_ctx_t *x, size_t i, size_t *sa, size_t *sb, bool *neg, bool *hedged)
{
    size_t k = i;   /* exclusive end of what precedes */
    *sa = *sb = i;
    while (k > x->sf && !(s_gap_before(x, k) & G_CLAUSE)) {
        size_t p = k - 1;
        uint32_t f = s_fl(x, p);
        const char *pk = x->t[p].key;
        if (f & CL_NEG) { *neg = true; k = p; continue; }
        if (!strcmp(pk, "did") || !strcmp(pk, "does") || !strcmp(pk, "has") || !strcmp(pk, "have")
            || !strcmp(pk, "could") || !strcmp(pk, "be") || !strcmp(pk, "been")
            || !strcmp(pk, "had") || !strcmp(pk, "would") || !strcmp(pk, "will")
            || !strcmp(pk, "to") || (!strcmp(pk, "declined") && k < i)) {
            if (!strcmp(pk, "declined") || !strcmp(pk, "to"))
                *neg = true;
            k = p;
            continue;
        }
        if (f & CL_ADV) {
            if (f & CL_HEDGE)
                *hedged = true;
            k = p;
            continue;
        }
        if ((f & CL_TIME) && p > x->sf && s_key_is(x, p - 1, "on")) {
            k = p - 1;
            continue;
        }
        break;
    }
    if (k == x->sf || (s_gap_before(x, k) & G_CLAUSE))
        return;     /* nothing in this clause before the cue */
    size_t b = k, a = k;
    while (a > x->sf && !(s_gap_before(x, a) & G_CLAUSE) && !(s_fl(x, a - 1) & CL_CONJ)
           && !s_live_cue(x, a - 1) && b - a < 12)
        a--;
    *sa = a;
    *sb = b;
}

static void
s_add_chain(s_claim_t *c, const s_tspan_t *sp)
{
    if (c->n_chain < S_MAX_CHAIN && sp->a < sp->b)
        c->chain[c->n_chain++] = *sp;
}

/* "Officials said C, according to state television", «وقال الجيش إن C،
 * بحسب التلفزيون الرسمي»: a trailing according-to after a report of this
 * sentence whose content ends before it names who relayed that report,
 * not a second claim.  Adds the relay SP to that claim's chain, outermost
 * first, and returns true; false when there is no such claim. */
static bool
s_according_relays(s_ctx_t *x, size_t i, const s_tspan_t *sp)
{
    if (!x->ncl || sp->a >= sp->b)
        return false;
    s_claim_t *p = &x->cl[x->ncl - 1];
    if (p->sentence != x->sidx || p->c_e > x->t[i].start || p->cue_e > x->t[i].start
        || p->n_chain >= S_MAX_CHAIN)
        return false;
    memmove(&p->chain[1], &p->chain[0], p->n_chain * sizeof p->chain[0]);
    p->chain[0] = *sp;
    p->n_chain++;
    return true;
}

/* Finish a claim: inherit a pronoun/empty speaker, check the content. */
static int
s_commit(s_ctx_t *x, s_claim_t *c, const claim_word_t *w, bool neg, bool hedged,
         size_t ca, size_t cb)
{
    if (c->c_e <= c->c_s)
        return 0;
    bool pron = c->speaker.a < c->speaker.b && c->speaker.b - c->speaker.a == 1
        && (s_fl(x, c->speaker.a) & CL_PRON);
    if (c->speaker.a >= c->speaker.b || pron) {
        if (x->have_last)
            c->speaker = x->last_speaker;
        else if (!pron)
            return 0;
    }
    /* المتحدث باسمه / باسمها: the spokesman of whoever spoke just before */
    if (c->speaker.ment < 0 && x->have_last && x->last_speaker.ment >= 0)
        for (size_t k = c->speaker.a; k < c->speaker.b; k++)
            if (!strncmp(x->t[k].key, "\xD8\xA8\xD8\xA7\xD8\xB3\xD9\x85\xD9\x87", 10))
                c->speaker.ment = x->last_speaker.ment;
    c->stance = s_stance(x, w, neg, ca, cb, hedged);
    for (size_t k = c->speaker.a; k < c->speaker.b && k < x->nt; k++)
        x->used[k] = 1;
    x->last_speaker = c->speaker;
    x->have_last = true;
    x->ncl++;
    return 0;
}

/* "X was quoted as saying (that) C (by R)", "X was quoted by R as saying
 * C", "C, X was quoted as saying by R": the speaker is the subject before
 * "was", the relay follows "by", the content follows "saying" or, when
 * nothing does, precedes the speaker. */
static int
s_en_passive_quoted(s_ctx_t *x, s_claim_t *c, size_t i, const claim_word_t *w, size_t first)
{
    bool neg = false, hedged = false;
    size_t sa, sb;
    s_en_subject(x, i - 1, &sa, &sb, &neg, &hedged);
    if (sa == sb)
        return 0;
    s_set_speaker(x, &c->speaker, sa, sb);
    size_t j = i + 1, ra = 0, rb = 0;
    if (s_key_is(x, j, "by")) {
        ra = j + 1;
        for (rb = ra; rb < x->se && rb < ra + 8 && !s_key_is(x, rb, "as")
             && !(rb > ra && (s_gap_before(x, rb) & G_CLAUSE)); rb++)
            ;
        j = rb;
    }
    if (!s_key_is(x, j, "as") || !s_key_is(x, j + 1, "saying"))
        return 0;
    size_t a = j + 2, ca, cb;
    if (s_key_is(x, a, "that"))
        a++;
    if (ra == rb && s_key_is(x, a, "by")) {
        ra = a + 1;
        rb = s_en_np_after(x, ra);
        a = rb;
    }
    if (a < x->se && !(s_gap_before(x, a) & G_STOP)) {
        ca = a;
        cb = s_content_end(x, a);
    }
    else if (sa > first && (s_gap_before(x, sa) & (G_COMMA | G_QUOTE))) {
        ca = first;
        cb = sa;
    }
    else
        return 0;
    if (ra < rb) {
        s_tspan_t relay;
        s_set_speaker(x, &relay, ra, rb);
        s_add_chain(c, &relay);
    }
    s_content_tokens(x, ca, cb, &c->c_s, &c->c_e);
    x->used[i] = 1;
    return s_commit(x, c, w, neg, hedged, ca, cb);
}

static int
s_english(s_ctx_t *x, size_t i, const claim_word_t *w)
{
    s_claim_t *c = s_new_claim(x);
    if (!c)
        return -1;
    c->cue_s = x->t[i].start;
    c->cue_e = x->t[i].end;
    bool neg = false, hedged = false;
    size_t first = s_content_first(x);

    if (w->kind == CUE_ACCORDING) {
        c->cue_e = x->t[i + 1].end;
        size_t a = i + 2, b = s_en_np_after(x, a);
        s_set_speaker(x, &c->speaker, a, b);
        if (b < x->se && (s_fl(x, b) & CL_CITE)) {
            s_add_chain(c, &c->speaker);
            size_t ib = s_en_np_after(x, b + 1);
            s_set_speaker(x, &c->speaker, b + 1, ib);
            b = ib;
        }
        size_t ca, cb;
        if (i > first && s_according_relays(x, i, &c->speaker)) {
            x->used[i] = x->used[i + 1] = 1;
            return 0;
        }
        if (i > first) { ca = first; cb = i; }
        else { ca = b; cb = s_content_end(x, b); }
        s_content_tokens(x, ca, cb, &c->c_s, &c->c_e);
        x->used[i] = x->used[i + 1] = 1;
        return s_commit(x, c, w, neg, hedged, ca, cb);
    }

    size_t sa, sb;
    if (w->kind == CUE_TRANSMIT && i > x->sf && (s_fl(x, i - 1) & CL_PASSIVE))
        return s_en_passive_quoted(x, c, i, w, first);
    s_en_subject(x, i, &sa, &sb, &neg, &hedged);
    bool inverted = sa == sb;

    if (w->kind == CUE_TRANSMIT) {
        /* RELAY quoted SPEAKER as saying (that) CONTENT */
        size_t as = i + 1;
        while (as < x->se && as < i + 10 && !s_key_is(x, as, "as"))
            as++;
        if (sa == sb || as >= x->se || as == i + 1 || !s_key_is(x, as + 1, "saying"))
            return 0;
        s_tspan_t relay;
        s_set_speaker(x, &relay, sa, sb);
        s_add_chain(c, &relay);
        s_set_speaker(x, &c->speaker, i + 1, as);
        size_t a = as + 2;
        if (s_key_is(x, a, "that"))
            a++;
        size_t cb = s_content_end(x, a);
        s_content_tokens(x, a, cb, &c->c_s, &c->c_e);
        x->used[i] = 1;
        return s_commit(x, c, w, neg, hedged, a, cb);
    }
    /* "Dmitry Peskov, the Kremlin spokesman, said that ...", "A diplomat,
     * speaking on condition of anonymity, said ...", "Clark, meanwhile,
     * told ...": an apposition, an aside or an adverb between commas sits
     * between the subject and the verb; the subject is the segment before. */
    if (inverted && i > first && (s_gap_before(x, i) & G_COMMA) && !(s_gap_before(x, i) & G_QUOTE)) {
        size_t seg = i - 1;     /* start of the segment just before the cue */
        while (seg > first && !(s_gap_before(x, seg) & G_CLAUSE))
            seg--;
        const char *k0 = x->t[seg].key;
        bool adverbs = true;
        for (size_t k = seg; k < i && adverbs; k++)
            adverbs = (s_fl(x, k) & CL_ADV) != 0;
        bool aside = seg > first && (s_gap_before(x, seg) & G_COMMA) && !(s_gap_before(x, seg) & G_QUOTE)
            && (adverbs || !strcmp(k0, "the") || !strcmp(k0, "a") || !strcmp(k0, "an")
                || !strcmp(k0, "who") || !strcmp(k0, "speaking") || !strcmp(k0, "which")
                || !strcmp(k0, "whose"));
        size_t ps = seg > first ? seg - 1 : seg;    /* the segment before the aside */
        while (ps > first && !(s_gap_before(x, ps) & G_CLAUSE))
            ps--;
        /* "A lawyer for the broker, Jonathan Reeve, said": the name */
        /* ... or any description with a common noun in it: "Russia's deputy
         * foreign minister, Sergei Ryabkov, told ..." */
        bool described = s_key_is(x, ps, "a") || s_key_is(x, ps, "the") || s_key_is(x, ps, "an");
        for (size_t k = ps + 1; k < seg - 1 && !described; k++)
            described = !s_upper(x, k) && !(s_fl(x, k) & (CL_NOSUBJ | CL_ETIME));
        bool name = seg > first && ps == first && i - seg <= 4
            && (s_gap_before(x, seg) & G_COMMA) && !(s_gap_before(x, seg) & G_QUOTE)
            && described && !(s_fl(x, ps) & CL_NOSUBJ);
        for (size_t k = seg; name && k < i; k++)
            name = s_upper(x, k);
        if (name) {
            sa = seg;
            sb = i;
            inverted = false;
        }
        else if (aside && seg - ps <= 8 && !(s_fl(x, ps) & CL_NOSUBJ) && s_upper(x, ps)) {
            sa = ps;
            sb = seg;
            inverted = false;
        }
    }
    /* "... and noted that": the subject of the coordinated verb is the
     * speaker just before in this sentence, if any */
    if (inverted && i > x->sf && !(s_gap_before(x, i) & G_CLAUSE) && (s_fl(x, i - 1) & CL_CONJ)) {
        if (!x->have_last || !x->ncl || x->cl[x->ncl - 1].sentence != x->sidx)
            goto drop;
        sa = sb = i;
        inverted = false;
    }

    size_t a = i + 1;
    s_tspan_t recipient = { 0, 0, -1, false };
    if (w->kind == CUE_TELL) {
        size_t r = s_en_recipient(x, a);
        size_t st = s_en_told_setting(x, a, r);
        if (st > a)
            a = st;     /* "told a news conference": where, not who relays */
        else if (r > a) {
            s_set_speaker(x, &recipient, a, r);
            a = r;
        }
    }
    while (a < x->se && (s_fl(x, a) & CL_TIME) && s_upper(x, a) && !(s_gap_before(x, a) & G_CLAUSE))
        a++;    /* "announced Wednesday a deal" */
    /* "dismissed the report as ..." keeps its object in the content. */
    size_t skip = s_en_skip_setting(x, a);
    if (skip > a && !(skip < x->se && !(s_gap_before(x, skip) & G_CLAUSE)
                      && !s_key_is(x, skip, "that")))
        a = skip;
    else if (skip > a)
        a = skip;

    size_t ca = 0, cb = 0;
    bool content_first = false;
    if (inverted) {
        /* ", said the official." / ", said Peskov, the Kremlin spokesman." */
        size_t b = s_en_np_after(x, a);
        /* "said on Tuesday" has no speaker after the cue; "said a diplomat"
         * has one, though "a" also starts settings ("in a statement") */
        bool art = s_key_is(x, a, "a") || s_key_is(x, a, "an");
        if (b == a || i <= first || (s_fl(x, a) & CL_NOSUBJ) || ((s_fl(x, a) & CL_ETIME) && !art))
            goto drop;
        s_set_speaker(x, &c->speaker, a, b);
        a = b;
        content_first = true;
    }
    else {
        /* "at a press conference told", "if respondents noted", a whole
         * clause before the verb: not a speaker */
        if (sa < sb && ((s_fl(x, sa) & CL_NOSUBJ) || sb - sa > 9))
            goto drop;
        /* "Clark in October revealed": a trailing time phrase */
        if (sb - sa > 2 && (s_fl(x, sb - 1) & CL_TIME)
            && (s_key_is(x, sb - 2, "in") || s_key_is(x, sb - 2, "on")))
            sb -= 2;
        s_set_speaker(x, &c->speaker, sa, sb);
        /* "Citing U.S. officials, the newspaper said ...": the inner source
         * leads the sentence */
        if (sa > first + 1 && (s_fl(x, first) & CL_CITE) && (s_gap_before(x, sa) & G_COMMA)
            && !(s_gap_before(x, sa) & G_QUOTE)) {
            size_t k = first + 1;
            while (k < sa && !(s_gap_before(x, k) & G_CLAUSE))
                k++;
            if (k == sa) {
                s_add_chain(c, &c->speaker);
                s_set_speaker(x, &c->speaker, first + 1, sa);
            }
        }
        if (a >= x->se || (s_gap_before(x, a) & G_STOP) || (s_fl(x, a) & CL_CITE)
            || s_key_is(x, a, "adding"))
            content_first = true;
        else if ((s_gap_before(x, a) & G_COMMA) && !(s_gap_before(x, a) & (G_QUOTE | G_COLON)))
            content_first = true;
        else if (sa > first && sa < sb && (s_gap_before(x, sa) & G_QUOTE))
            content_first = true;   /* "...," the minister told reporters in Muscat */
    }
    /* ", citing people familiar with the matter": the inner source. */
    if (a < x->se && (s_fl(x, a) & CL_CITE)) {
        size_t ib = s_en_np_after(x, a + 1);
        if (ib > a + 1) {
            s_add_chain(c, &c->speaker);
            s_set_speaker(x, &c->speaker, a + 1, ib);
        }
    }
    if (recipient.a < recipient.b && !(s_fl(x, recipient.a) & CL_REPORTERS)) {
        /* the recipient relays the speaker: outermost first */
        if (c->n_chain < S_MAX_CHAIN) {
            memmove(&c->chain[1], &c->chain[0], c->n_chain * sizeof c->chain[0]);
            c->chain[0] = recipient;
            c->n_chain++;
        }
    }
    if ((!strcmp(x->t[i].key, "show") || !strcmp(x->t[i].key, "shows")
         || !strcmp(x->t[i].key, "showed"))
        && !(!inverted && s_key_is(x, i + 1, "that"))
        && !(!inverted && s_en_evidence(x, sa, sb))
        && !(!inverted && content_first && sa > first && (s_gap_before(x, sa) & (G_COMMA | G_QUOTE))))
        goto drop;      /* "show no mercy", "a political show"; only "..., documents show"
                         * and "show that" report */
    if (content_first) {
        size_t end = inverted ? i : sa;
        if (end <= first)
            goto drop;
        ca = first;
        cb = end;
        /* the content is what precedes the comma or quote before the speaker */
        s_content_tokens(x, ca, cb, &c->c_s, &c->c_e);
    }
    else {
        if (s_key_is(x, a, "that"))
            a++;
        ca = a;
        cb = s_content_end(x, a);
        s_content_tokens(x, ca, cb, &c->c_s, &c->c_e);
    }
    x->used[i] = 1;
    return s_commit(x, c, w, neg, hedged, ca, cb);
drop:
    return 0;
}

/* Search forward from A (at most 14 tokens) for where an Arabic content
 * starts: after إن/أن (bare) or at أنه/إنها (pronoun attached), after
 * قوله [إن], or after a colon/opening quote.  S_NONE if none. */
static size_t
s_ar_content_start(const s_ctx_t *x, size_t a, size_t limit)
{
    /* Between the speaker and إن/أن only a few things may stand: a time
     * phrase, a preposition and its object (أشار إلى أن، في بيان، لوكالة
     * فرانس برس), an aside between commas (، طلب عدم الكشف عن هويته،).
     * Anything else means the verb took an object instead. */
    bool aside = false;
    size_t free_words = 0;
    for (size_t j = a; j < x->se && j < a + 14 && j < limit; j++) {
        if (j > a && x->cue[j] && !x->used[j] && x->cpre[j])
            return S_NONE;
        unsigned gb = s_gap_before(x, j);
        bool after_lam = j > a && strlen(x->t[j - 1].key) <= 2;    /* لـ«الشرق الأوسط» */
        if ((gb & (G_COLON | G_QUOTE)) && !after_lam && !(s_fl(x, j) & CL_COMP))
            return j;
        if (gb & G_STOP)
            return S_NONE;
        if (after_lam) {
            free_words = 3;
            continue;
        }
        if (gb & G_COMMA)
            aside = !aside || j == a;
        uint32_t f = s_fl(x, j);
        if ((f & CL_PREP) && !(f & CL_COMP) && j + 1 < x->se && !(s_fl(x, j + 1) & CL_COMP)) {
            /* a preposition and its whole object: في إحاطة لمجلس الأمن إن */
            size_t e = s_ar_np(x, j + 1);
            if (e > j + 1 && e < x->se && (s_fl(x, e) & (CL_COMP | CL_QAWL | CL_PREP))
                && !(s_gap_before(x, e) & G_STOP)) {
                j = e - 1;
                free_words = 0;
                continue;
            }
        }
        if (!(f & (CL_COMP | CL_QAWL))) {
            if (strlen(x->t[j].key) <= 2)
                free_words = 3;
            else if (f & (CL_PREP | CL_TIME))
                free_words = 2;
            else if (s_ar_recipient(x, j))
                free_words = 3;
            else if (f & CL_SETTING)
                free_words = 1;
            else if (free_words > 0)
                free_words--;
            else if (!aside)
                return S_NONE;
            continue;
        }
        if (f & CL_QAWL) {
            if (j + 1 < x->se && (s_fl(x, j + 1) & CL_COMP))
                j++;
            else
                return j + 1;
        }
        if (j > a && (s_fl(x, j - 1) & CL_SUBORD))
            return S_NONE;      /* دون أن: not a complementizer of the cue */
        /* bare ان / بان / وان: content after; with a pronoun: at it */
        const char *k = x->t[j].key;
        size_t n = strlen(k);
        if ((n >= 4 && !strcmp(k + n - 4, "\xD8\xA7\xD9\x86")))   /* ends with ان */
            return j + 1;
        return j;
    }
    return S_NONE;
}

/* وصف X بـ، اتهم X بـ without an attached pronoun: the object X must
 * stand between the speaker and the ب. */
static bool
s_ar_needs_object(const s_ctx_t *x, size_t i)
{
    const char *k = x->t[i].key + x->cpre[i];
    size_t n = strlen(k);
    if (n >= 2 && !strcmp(k + n - 2, "\xD9\x87"))
        return false;                                   /* ...ه: وصفه */
    if (n >= 4 && !strcmp(k + n - 4, "\xD9\x87\xD8\xA7"))
        return false;                                   /* ...ها: وصفتها */
    return x->cue[i]->kind == CUE_DESCRIBE || strstr(k, "\xD8\xAA\xD9\x87\xD9\x85");  /* تهم: اتهم، يتهم */
}

/* The speaker phrase [A, B) of a verb-first report ran on into the
 * verb's object (رفضت موسكو الاتهامات الأمريكية، وصف الوزير في حكومة صنعاء
 * التقرير بأنه): a definite noun with its adjectives at the end, after an
 * indefinite word (a name, or the last noun of an idafa), is the object.
 * Returns where the object starts, or S_NONE. */
static size_t
s_ar_object_in_speaker(const s_ctx_t *x, size_t a, size_t b)
{
    size_t e = b;
    while (e > a + 1 && s_definite(x, e - 1)
           && (claim_lexicon_nisba(x->t[e - 1].key) || (s_fl(x, e - 1) & CL_ADJ)
               || s_ar_elative(x->t[e - 1].key)))
        e--;
    if (e <= a + 1)
        return S_NONE;
    size_t d = e - 1;
    if (!s_definite(x, d) || x->ment[d] >= 0 || s_definite(x, d - 1)
        || (s_fl(x, d - 1) & (CL_PREP | CL_SPOKES)) || (s_gap_before(x, d) & G_CLAUSE))
        return S_NONE;
    return d;
}

/* A setting between commas after the speaker (نفى الوزير، في تصريحات
 * للصحفيين، أي علاقة ...): the object comes after it.  Returns the token
 * after the closing comma, or A when there is no such aside. */
static size_t
s_ar_skip_aside(const s_ctx_t *x, size_t a)
{
    if (a >= x->se || (s_gap_before(x, a) & (G_CLAUSE & ~G_COMMA)) || !(s_gap_before(x, a) & G_COMMA)
        || !s_ar_setting_at(x, a))
        return a;
    for (size_t k = a + 1; k < x->se && k < a + 12; k++) {
        unsigned g = s_gap_before(x, k);
        if (g & (G_CLAUSE & ~G_COMMA))
            return a;
        if (g & G_COMMA)
            return k;
    }
    return a;
}

/* A setting with no commas between the speaker and the object (نفى
 * المكتب في بيان صدر مساء السبت وجود ...، رفض الادعاء أمام المحكمة طلب
 * ...): a setting word with its adjectives, time words and a short
 * relative verb (صدر، نشرته), or a non-place preposition and its noun
 * phrase.  Returns where the object starts, or A. */
static size_t
s_ar_skip_setting(const s_ctx_t *x, size_t a)
{
    static const char *const rel[] = {
        "\xD8\xB5\xD8\xAF\xD8\xB1",                                    /* صدر */
        "\xD9\x86\xD8\xB4\xD8\xB1\xD9\x87", "\xD9\x86\xD8\xB4\xD8\xB1\xD8\xAA\xD9\x87",  /* نشره نشرته */
        "\xD8\xA7\xD8\xB5\xD8\xAF\xD8\xB1\xD9\x87",                    /* اصدره */
        "\xD8\xA7\xD8\xB5\xD8\xAF\xD8\xB1\xD8\xAA\xD9\x87",            /* اصدرته */
        "\xD8\xA8\xD8\xAB\xD9\x87", "\xD8\xA8\xD8\xAB\xD8\xAA\xD9\x87",                  /* بثه بثته */
    };
    if (a + 1 >= x->se || (s_gap_before(x, a) & G_CLAUSE) || !s_ar_setting_at(x, a)
        || (s_fl(x, a) & CL_TIME))
        return a;
    size_t e;
    if (s_fl(x, a + 1) & CL_SETTING) {
        e = a + 2;
        while (e < x->se && e < a + 8 && !(s_gap_before(x, e) & G_CLAUSE)) {
            bool r = false;
            for (size_t k = 0; k < sizeof rel / sizeof rel[0] && !r; k++)
                r = s_key_is(x, e, rel[k]);
            if (!r && !(s_fl(x, e) & (CL_TIME | CL_SETTING)) && !claim_lexicon_nisba(x->t[e].key))
                break;
            e++;
        }
    }
    else
        e = s_ar_np(x, a + 1);
    if (e >= x->se || (s_gap_before(x, e) & G_CLAUSE) || (s_fl(x, e) & (CL_COMP | CL_QAWL)))
        return a;
    return e;
}

/* طلب عدم الكشف عن اسمه، تحدثوا شرط عدم كشف هوياتهم: the anonymity
 * clause right after a speaker [A, B), with no commas, describes the
 * speaker (between commas it is an aside, and the content start skips
 * it), and so does the reason given with it (لأنه غير مخول بالحديث لوسائل
 * الإعلام) when إن/أن follows.  The noun phrase may already have taken the
 * clause's first words (دبلوماسي غربي طلب عدم).  Returns the new exclusive
 * end of the speaker. */
static size_t
s_ar_anonymity(const s_ctx_t *x, size_t a, size_t b)
{
    static const char *const verbs[] = {
        "\xD8\xB7\xD9\x84\xD8\xA8", "\xD8\xB7\xD9\x84\xD8\xA8\xD8\xAA",        /* طلب طلبت */
        "\xD8\xB7\xD9\x84\xD8\xA8\xD8\xA7", "\xD8\xB7\xD9\x84\xD8\xA8\xD9\x88\xD8\xA7",  /* طلبا طلبوا */
        "\xD8\xAA\xD8\xAD\xD8\xAF\xD8\xAB", "\xD8\xAA\xD8\xAD\xD8\xAF\xD8\xAB\xD8\xAA",  /* تحدث تحدثت */
        "\xD8\xAA\xD8\xAD\xD8\xAF\xD8\xAB\xD9\x88\xD8\xA7",                      /* تحدثوا */
        "\xD9\x81\xD8\xB6\xD9\x84", "\xD9\x81\xD8\xB6\xD9\x84\xD8\xAA",        /* فضل فضلت */
    };
    static const char *const because[] = {
        "\xD9\x84\xD8\xA7\xD9\x86\xD9\x87", "\xD9\x84\xD8\xA7\xD9\x86\xD9\x87\xD8\xA7",  /* لانه لانها */
        "\xD9\x84\xD8\xA7\xD9\x86\xD9\x87\xD9\x85",                  /* لانهم */
        "\xD9\x83\xD9\x88\xD9\x86\xD9\x87", "\xD9\x83\xD9\x88\xD9\x86\xD9\x87\xD8\xA7",  /* كونه كونها */
    };
    size_t v = S_NONE;
    for (size_t j = a + 1; j <= b && j + 2 < x->se && v == S_NONE; j++) {
        if (s_gap_before(x, j) & G_CLAUSE)
            break;
        for (size_t k = 0; k < sizeof verbs / sizeof verbs[0] && v == S_NONE; k++)
            if (s_key_is(x, j, verbs[k]))
                v = j;
    }
    if (v == S_NONE)
        return b;
    size_t e = S_NONE;
    for (size_t k = v + 1; k < x->se && k < v + 8 && !(s_gap_before(x, k) & G_CLAUSE); k++)
        if (strstr(x->t[k].key, "\xD8\xA7\xD8\xB3\xD9\x85")          /* اسم */
            || strstr(x->t[k].key, "\xD9\x87\xD9\x88\xD9\x8A")) {    /* هوي */
            e = k + 1;
            break;
        }
    if (e == S_NONE || e >= x->se)
        return b;
    bool why = false;
    for (size_t k = 0; k < sizeof because / sizeof because[0] && !why; k++)
        why = s_key_is(x, e, because[k]);
    if (why && !(s_gap_before(x, e) & G_CLAUSE)) {
        size_t m = e + 1;
        while (m < x->se && m < e + 10 && !(s_gap_before(x, m) & G_CLAUSE) && !x->cue[m]
               && !(s_fl(x, m) & (CL_COMP | CL_QAWL)))
            m++;
        if (m < x->se && (s_fl(x, m) & (CL_COMP | CL_QAWL)) && !(s_gap_before(x, m) & G_CLAUSE))
            e = m;
    }
    return e;
}

static int
s_arabic(s_ctx_t *x, size_t i, const claim_word_t *w)
{
    s_claim_t *c = s_new_claim(x);
    if (!c)
        return -1;
    size_t pre = x->cpre[i];
    c->cue_s = x->t[i].start + pre;
    c->cue_e = x->t[i].end;
    bool neg = i > x->sf && (s_fl(x, i - 1) & CL_NEG) && !(s_gap_before(x, i) & G_CLAUSE);
    size_t first = s_content_first(x);
    bool clause_start = i <= first || (s_gap_before(x, i) & G_CLAUSE) || pre > 0
        || (i > x->sf && !strcmp(x->t[i - 1].key, "\xD9\x88"));
    if (neg)
        clause_start = true;
    size_t ca = 0, cb = 0;

    if (w->kind == CUE_ACCORDING) {
        size_t a = i + 1;
        if (a < x->se && strlen(x->t[a].key) <= 2)     /* لـ written apart */
            a++;
        if (s_key_is(x, a, "\xD8\xB9\xD9\x86"))         /* نقلا عن */
            a++;
        size_t b = s_ar_np(x, a);
        if (i <= first) {
            /* ووفقا لتقرير سري اطلعت عليه رويترز، ...: up to the comma */
            size_t m = b;
            while (m < x->se && m < a + 16
                   && !(s_gap_before(x, m) & (G_CLAUSE & ~(G_QUOTE | G_PAREN))))
                m++;
            if (m < x->se && (s_gap_before(x, m) & G_COMMA))
                b = m;
        }
        s_set_speaker(x, &c->speaker, a, b);
        bool dl;
        /* وفقا لوزارة: the ل of لـ is glued to the speaker (not after بحسب/حسب) */
        if (a < b && a == i + 1 && s_starts_with_lam(x, a, &dl)
            && strcmp(x->t[i].key, "\xD8\xA8\xD8\xAD\xD8\xB3\xD8\xA8")     /* بحسب */
            && strcmp(x->t[i].key, "\xD8\xAD\xD8\xB3\xD8\xA8"))            /* حسب */
            c->speaker.strip_l = true;
        if (i > first && s_according_relays(x, i, &c->speaker)) {
            x->used[i] = 1;
            return 0;
        }
        if (i > first) { ca = first; cb = i; }
        else { ca = b; cb = s_content_end(x, b); }
        s_content_tokens(x, ca, cb, &c->c_s, &c->c_e);
        x->used[i] = 1;
        return s_commit(x, c, w, neg, false, ca, cb);
    }

    if (w->kind == CUE_TRANSMIT) {
        size_t a = i + 1, b = s_ar_np(x, a);
        /* the relay runs to عن, across a quoted name and its adjectives
         * (وكالة الأنباء الروسية «تاس»، قناة «المسيرة» التابعة للجماعة); a
         * time phrase between commas is not part of it */
        if (!s_key_is(x, b, "\xD8\xB9\xD9\x86")) {
            size_t k = a, cut = 0;
            while (k < x->se && k < a + 10 && !s_key_is(x, k, "\xD8\xB9\xD9\x86")
                   && !(k > a && (s_gap_before(x, k) & (G_STOP | G_COLON)))
                   && !(k > a && x->cue[k]))
                if ((s_gap_before(x, ++k) & G_COMMA) && !cut)
                    cut = k;
            if (!s_key_is(x, k, "\xD8\xB9\xD9\x86"))
                return 0;
            b = cut ? cut : k;
        }
        s_tspan_t relay;
        s_set_speaker(x, &relay, a, b);
        s_add_chain(c, &relay);
        /* the source runs to قوله, إن/أن or a comma: مصدر في الميناء قوله */
        size_t ya = b + 1, yb = ya;
        while (yb < x->se && yb < ya + 8 && !(s_fl(x, yb) & (CL_QAWL | CL_COMP))
               && !(yb > ya && (s_gap_before(x, yb) & G_CLAUSE)))
            yb++;
        s_set_speaker(x, &c->speaker, ya, yb);
        size_t cs = s_ar_content_start(x, yb, x->se);
        if (cs == S_NONE)
            return 0;
        ca = cs;
        cb = s_content_end(x, cs);
        s_content_tokens(x, ca, cb, &c->c_s, &c->c_e);
        x->used[i] = 1;
        return s_commit(x, c, w, neg, false, ca, cb);
    }

    size_t after;    /* first token after the speaker (or the cue) */
    if (clause_start) {
        size_t a = i + 1;
        while (a < x->se && (s_fl(x, a) & CL_TIME))
            a++;
        if (a < x->se && !(s_fl(x, a) & (CL_COMP | CL_QAWL))
            && !(s_gap_before(x, a) & (G_COLON | G_QUOTE | G_STOP))) {
            size_t b = s_ar_extend_speaker(x, &a, s_ar_np(x, a));
            b = s_ar_anonymity(x, a, b);
            s_set_speaker(x, &c->speaker, a, b);
            after = b;
            /* "، نقلا عن مسؤولين، إن": the newspaper relays an inner source */
            size_t nq = after;
            if (nq + 1 < x->se && !strcmp(x->t[nq].key, "\xD9\x86\xD9\x82\xD9\x84\xD8\xA7")   /* نقلا */
                && s_key_is(x, nq + 1, "\xD8\xB9\xD9\x86")) {
                size_t ia = nq + 2, ib = ia;
                while (ib < x->se && ib < ia + 8 && !(s_fl(x, ib) & (CL_COMP | CL_QAWL))
                       && !(ib > ia && (s_gap_before(x, ib) & G_CLAUSE)))
                    ib++;
                if (ib > ia) {
                    s_add_chain(c, &c->speaker);
                    s_set_speaker(x, &c->speaker, ia, ib);
                    x->used[nq] = 1;
                    after = ib;
                }
            }
        }
        else
            after = a;
    }
    else {
        size_t a = i;
        while (a > x->sf && !(s_gap_before(x, a) & G_CLAUSE) && i - a < 8
               && !(x->cue[a - 1] && !x->used[a - 1])
               && !(s_fl(x, a - 1) & CL_COMP))      /* قال إن الوزير كذب: from إن on */
            a--;
        if (a < i && !strcmp(x->t[a].key, "\xD9\x88"))   /* a lone و */
            a++;
        s_set_speaker(x, &c->speaker, a, i);
        after = i + 1;
    }
    size_t cs = S_NONE;
    if (w->kind != CUE_DESCRIBE)
        cs = s_ar_content_start(x, after, x->se);
    if (cs != S_NONE) {
        ca = cs;
        cb = s_content_end(x, cs);
    }
    else if (clause_start && !pre && i > first && (s_gap_before(x, i) & (G_COMMA | G_QUOTE))
             && c->speaker.a < c->speaker.b) {
        /* «...»، قال المدير التنفيذي للشركة: the speaker runs to the end */
        size_t e = c->speaker.b;
        while (e < x->se && e < c->speaker.a + 10 && !(s_gap_before(x, e) & G_CLAUSE)
               && !s_ar_recipient(x, e)    /* للصحفيين في موسكو: said to whom, where */
               && !s_ar_setting_at(x, e))  /* في رسالة، خلال مؤتمر: how */
            e++;
        s_set_speaker(x, &c->speaker, c->speaker.a, e);
        ca = first;
        cb = i;
    }
    else {
        size_t a = s_ar_skip_aside(x, after);
        if (a == after)
            a = s_ar_skip_setting(x, a);
        while (a < x->se && (s_fl(x, a) & CL_TIME) && !(s_gap_before(x, a) & G_STOP))
            a++;
        bool eaten = a >= x->se || (x->cue[a] && x->cpre[a])
            || (a == c->speaker.b && s_ar_needs_object(x, i) && a < x->se
                && !strncmp(x->t[a].key, "\xD8\xA8", 2));     /* ب: بأنه، بتهريب */
        size_t o = eaten && clause_start ? s_ar_object_in_speaker(x, c->speaker.a, c->speaker.b)
                                         : S_NONE;
        if (o != S_NONE) {
            a = o;
            s_set_speaker(x, &c->speaker, c->speaker.a, o);
        }
        else if ((a >= x->se || (x->cue[a] && x->cpre[a])) && clause_start
            && c->speaker.b - c->speaker.a >= 2
            && x->ment[c->speaker.a] < 0) {
            /* رفضت موسكو اتهامات واشنطن: the subject phrase ate an
             * indefinite object; a verb with an object needs one, so the
             * subject is one word */
            size_t e = c->speaker.a + 1;
            while (e < c->speaker.b && claim_lexicon_nisba(x->t[e].key))
                e++;
            if (e < c->speaker.b) {
                a = e;
                s_set_speaker(x, &c->speaker, c->speaker.a, e);
            }
        }
        if (a < x->se && !(s_gap_before(x, a) & G_STOP) && !(s_fl(x, a) & CL_COMMENT)) {
            ca = a;
            cb = s_content_end(x, a);
        }
        else if (clause_start && i > first && (s_gap_before(x, i) & (G_COMMA | G_QUOTE))) {
            ca = first;       /* «...»، قال المتحدث */
            cb = i;
        }
        else
            return 0;
    }
    s_content_tokens(x, ca, cb, &c->c_s, &c->c_e);
    x->used[i] = 1;
    return s_commit(x, c, w, neg, false, ca, cb);
}

/* Declining to comment: a decline word shortly before "comment". */
static int
s_declines(s_ctx_t *x)
{
    for (size_t i = x->sf; i < x->se; i++) {
        bool to_say = s_key_is(x, i, "say") && i > x->sf && s_key_is(x, i - 1, "to");
        /* unanswered calls or messages (لم يرد على اتصالات) decline too, but
         * only after a word of not answering: لم ينف وجود اتصالات is no decline */
        bool calls = (s_fl(x, i) & CL_CALLS) != 0;
        if (!(s_fl(x, i) & CL_COMMENT) && !to_say && !calls)
            continue;
        size_t d = S_NONE;
        /* لم تعلق السفارة: the verb is the decline */
        if ((s_fl(x, i) & CL_DECLINE) && i > x->sf && (s_fl(x, i - 1) & CL_NEG))
            d = i;
        /* a negated Arabic decline verb may stand further back, with a
         * long speaker before على (لم يرد المكتب الإعلامي للحكومة في طرابلس
         * على طلب للتعليق) */
        for (size_t k = i; d == S_NONE && k > x->sf && k + 12 > i; k--) {
            size_t p = k - 1;
            if (s_gap_after(x, p) & G_CLAUSE)
                break;
            bool arabic_refuse = !calls && x->cue[p] && x->cue[p]->kind == CUE_DENY
                && x->cue[p]->arabic;
            bool near = k + 7 > i;
            if (((s_fl(x, p) & CL_DECLINE) || arabic_refuse)
                && (near || (s_arabic_tok(x, p) && p > x->sf && (s_fl(x, p - 1) & CL_NEG)
                             && (s_fl(x, p) & CL_DECLINE)))) {
                d = p;
                break;
            }
        }
        if (d == S_NONE)
            continue;
        if (x->ndl == x->capdl) {
            size_t nc = x->capdl ? x->capdl * 2 : 4;
            s_decl_t *n = realloc(x->dl, nc * sizeof *n);
            if (!n)
                return -1;
            x->dl = n;
            x->capdl = nc;
        }
        s_decl_t *dc = &x->dl[x->ndl];
        memset(dc, 0, sizeof *dc);
        dc->speaker.ment = -1;
        dc->sentence = x->sidx;
        size_t cue_first = d;
        while (cue_first > x->sf && !(s_gap_before(x, cue_first) & G_CLAUSE)
               && ((s_fl(x, cue_first - 1) & CL_NEG) || s_key_is(x, cue_first - 1, "did")
                   || s_key_is(x, cue_first - 1, "could") || s_key_is(x, cue_first - 1, "not")
                   || s_key_is(x, cue_first - 1, "immediately") || s_key_is(x, cue_first - 1, "be")
                   || s_key_is(x, cue_first - 1, "been") || s_key_is(x, cue_first - 1, "has")
                   || s_key_is(x, cue_first - 1, "have") || s_key_is(x, cue_first - 1, "had")
                   || s_key_is(x, cue_first - 1, "would") || s_key_is(x, cue_first - 1, "was")))
            cue_first--;
        size_t pre = x->cue[d] ? x->cpre[d] : x->fpre[d];
        dc->cue_s = x->t[cue_first].start + (cue_first == d ? pre : x->fpre[cue_first]);
        dc->cue_e = x->t[i].end;
        /* speaker: Arabic verb first (رفض المتحدث التعليق، لم يرد المتحدث على ...) */
        size_t sa = d, sb = d;
        if (s_arabic_tok(x, d)) {
            bool vfirst = pre > 0 || cue_first == x->sf || cue_first <= s_content_first(x)
                || (s_gap_before(x, cue_first) & G_CLAUSE) || cue_first < d;
            if (vfirst && d == i) {
                sa = d + 1;
                sb = s_ar_np(x, sa);
            }
            else if (vfirst && d + 1 < i) {
                sa = d + 1;
                sb = s_ar_np(x, sa);
                /* السفارة الروسية في القاهرة على طلب: a place phrase that runs
                 * up to the decline's own preposition is the speaker's */
                if (sb + 1 < i && (s_fl(x, sb) & CL_PLACE) && !(s_gap_before(x, sb) & G_CLAUSE)) {
                    size_t pe = s_ar_np(x, sb + 1);
                    if (pe < i && s_ar_governed_prep(x, pe) && !(s_gap_before(x, pe) & G_CLAUSE))
                        sb = pe;
                }
                /* الوزارة ولا الشركة، الوزارة أو الشركة: both decline */
                if (sb + 1 < i && (s_key_is(x, sb, "\xD9\x88\xD9\x84\xD8\xA7")
                                   || s_key_is(x, sb, "\xD8\xA7\xD9\x88")))
                    sb = s_ar_np(x, sb + 1);
                if (sb > i)
                    sb = i;
            }
            else {
                sb = cue_first;
                sa = sb;
                while (sa > x->sf && !(s_gap_before(x, sa) & G_CLAUSE) && sb - sa < 8)
                    sa--;
            }
        }
        else {
            bool neg = false, hedged = false;
            s_en_subject(x, cue_first, &sa, &sb, &neg, &hedged);
        }
        /* لم يتسن الحصول على تعليق من الشركة */
        if (s_arabic_tok(x, i) && s_key_is(x, i + 1, "\xD9\x85\xD9\x86") && i + 2 < x->se) {
            sa = i + 2;
            sb = s_ar_np(x, sa);
        }
        if (sa >= sb && x->have_last)
            dc->speaker = x->last_speaker;
        else
            s_set_speaker(x, &dc->speaker, sa, sb);
        for (size_t k = cue_first; k <= i; k++)
            x->used[k] = 1;
        for (size_t k = dc->speaker.a; k < dc->speaker.b && k < x->nt; k++)
            x->used[k] = 1;
        x->ndl++;
    }
    return 0;
}

/* "Source: content" — a short phrase, a colon, the claim (headlines). */
static int
s_colon_headline(s_ctx_t *x)
{
    for (size_t k = x->sf; k < x->se && k < x->sf + 4; k++) {
        unsigned g = s_gap_after(x, k);
        if (!(g & G_COLON))
            continue;
        if (g & (G_STOP | G_COMMA) || x->se - k < 4)
            return 0;
        const char *colon0 = memchr(x->text + x->t[k].end, ':', x->t[k + 1].start - x->t[k].end);
        if (!colon0 || colon0[1] != ' ')
            return 0;
        for (size_t j = x->sf; j <= k; j++)
            if (x->t[j].key[0] >= '0' && x->t[j].key[0] <= '9')
                return 0;
        for (size_t j = x->sf; j <= k; j++)
            if (x->used[j] || x->cue[j] || (s_fl(x, j) & CL_LABEL))
                return 0;
        s_claim_t *c = s_new_claim(x);
        if (!c)
            return -1;
        s_set_speaker(x, &c->speaker, x->sf, k + 1);
        const char *colon = memchr(x->text + x->t[k].end, ':', x->t[k + 1].start - x->t[k].end);
        c->cue_s = (size_t) (colon - x->text);
        c->cue_e = c->cue_s + 1;
        s_content_tokens(x, k + 1, x->se, &c->c_s, &c->c_e);
        static const claim_word_t colon_cue = { CL_CUE, CUE_SAY, STANCE_ASSERTS, false };
        return s_commit(x, c, &colon_cue, false, false, k + 1, x->se);
    }
    return 0;
}

static int
s_sentence(s_ctx_t *x)
{
    if (s_declines(x))
        return -1;
    size_t before = x->ncl;
    for (size_t i = x->sf; i < x->se; i++) {
        const claim_word_t *w = x->cue[i];
        if (!w || x->used[i] || s_in_quotation(x, i))
            continue;
        int rc;
        if (w->arabic) {
            if (w->kind == CUE_DESCRIBE) {
                bool ok = false;
                /* وصف X بأنه/بأنها ... or بال... (a quality), not any ب word */
                for (size_t j = i + 1; j < x->se && j < i + 9 && !ok; j++)
                    ok = !strncmp(x->t[j].key, "\xD8\xA8", 2)
                         && ((s_fl(x, j) & CL_COMP)
                             || !strncmp(x->t[j].key, "\xD8\xA8\xD8\xA7\xD9\x84", 6));
                if (!ok)
                    continue;
            }
            /* كذب على: lied to someone, not denied something */
            if (w->kind == CUE_DENY && s_key_is(x, i + 1, "\xD8\xB9\xD9\x84\xD9\x8A")
                && !strcmp(x->t[i].key + x->cpre[i], "\xD9\x83\xD8\xB0\xD8\xA8"))
                continue;
            /* دون أن تكشف، أن يكون: a subordinate verb, not a report */
            if (i > x->sf && !(s_gap_before(x, i) & G_CLAUSE) && !x->cpre[i]
                && ((s_fl(x, i - 1) & CL_SUBORD) || s_key_is(x, i - 1, "\xD8\xA7\xD9\x86")))
                continue;
            rc = s_arabic(x, i, w);
        }
        else {
            if (!s_english_cue_ok(x, i))
                continue;
            rc = s_english(x, i, w);
        }
        if (rc)
            return -1;
    }
    if (x->ncl == before && s_colon_headline(x))
        return -1;
    return 0;
}

/* ------------------------------------------------------------ sentences */

/* The last ICU sentence of the group that starts at S.  ICU ends a
 * sentence inside a quotation ("... released. Nothing has changed," a
 * diplomat said) and after an abbreviation before a capital (the U.S.
 * Treasury said); for attribution both are one sentence.  A quotation is
 * followed for at most two more sentences and only if it closes there, and
 * never across a paragraph break. */
static size_t
s_sentence_group(const s_ctx_t *x, size_t s, size_t ns)
{
    size_t last = s;
    int depth = 0;
    for (;;) {
        if (last + 1 >= ns)
            return last;
        text_span_t cur = text_doc_sentence(x->doc, last), nxt = text_doc_sentence(x->doc, last + 1);
        if (memchr(x->text + cur.end, '\n', nxt.start - cur.end)
            || memchr(x->text + cur.start, '\n', cur.end - cur.start))
            return last;
        depth = s_quote_depth(x->text, cur.start, cur.end, depth);
        /* the token that ends this sentence: an abbreviation? */
        bool abbrev = false;
        const char *e = x->text + cur.end;
        while (e > x->text + cur.start && (e[-1] == ' ' || e[-1] == '\n'))
            e--;
        if (e > x->text + cur.start && e[-1] == '.') {
            /* tokens are in text order: the last one ending at or before te */
            size_t te = (size_t) (e - 1 - x->text), lo = 0, hi = x->nt;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (x->t[mid].end <= te)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            abbrev = lo > 0 && x->t[lo - 1].end == te && s_abbrev(x->text, &x->t[lo - 1]);
        }
        if (abbrev) {
            last++;
            continue;
        }
        if (depth <= 0)
            return last;
        /* does the quotation close within the next two sentences? */
        int d = depth;
        size_t k = last + 1;
        for (; k < ns && k <= last + 2; k++) {
            text_span_t sk = text_doc_sentence(x->doc, k), sp = text_doc_sentence(x->doc, k - 1);
            if (memchr(x->text + sp.end, '\n', sk.start - sp.end))
                return last;
            d = s_quote_depth(x->text, sk.start, sk.end, d);
            if (d <= 0)
                break;
        }
        if (d > 0 || k >= ns)
            return last;
        return k;
    }
}

/* ------------------------------------------------------------ API */

static char *
s_speaker_desc(const s_ctx_t *x, const s_tspan_t *sp, size_t *bs, size_t *be)
{
    *bs = x->t[sp->a].start;
    *be = x->t[sp->b - 1].end;
    size_t s = *bs, e = *be;
    s_trim(x->text, &s, &e);
    /* صحيفة «وول ستريت جورنال»: keep the mark that closes a quoted name */
    if (s_quote_depth(x->text, s, e, 0) > 0) {
        size_t k = e;
        int32_t q = s_cp(x->text, text_doc_len(x->doc), &k);
        if (q == 0x00BB || q == 0x201D || q == '"')
            e = k;
    }
    *bs = s;
    *be = e;
    if (sp->strip_l && e - s > 2) {
        if (!strncmp(x->text + s, "\xD9\x84\xD9\x84", 4)) {    /* لل → ال */
            char *d = malloc(e - s + 1);
            if (!d)
                return NULL;
            memcpy(d, "\xD8\xA7", 2);
            memcpy(d + 2, x->text + s + 2, e - s - 2);
            d[e - s] = '\0';
            return d;
        }
        s += 2;
    }
    return strndup(x->text + s, e - s);
}

static char *
s_span_name(const s_ctx_t *x, const s_tspan_t *sp)
{
    if (sp->ment >= 0)
        return strdup(x->m[sp->ment].entity);
    size_t bs, be;
    return s_speaker_desc(x, sp, &bs, &be);
}

static int
s_to_proto(const s_ctx_t *x, const s_claim_t *c, proto_claim_t *p)
{
    static const char *const stances[] = { "asserts", "denies", "hedges" };
    size_t bs, be;
    char *desc = s_speaker_desc(x, &c->speaker, &bs, &be);
    if (!desc)
        return -1;
    if (c->speaker.ment >= 0) {
        p->speaker = strdup(x->m[c->speaker.ment].entity);
        p->speaker_entity = strdup(x->m[c->speaker.ment].entity);
        free(desc);
        if (!p->speaker || !p->speaker_entity)
            return -1;
    }
    else
        p->speaker = desc;
    p->speaker_start = (int64_t) bs;
    p->speaker_end = (int64_t) be;
    p->cue = strndup(x->text + c->cue_s, c->cue_e - c->cue_s);
    p->cue_start = (int64_t) c->cue_s;
    p->cue_end = (int64_t) c->cue_e;
    p->stance = strdup(stances[c->stance]);
    p->content = strndup(x->text + c->c_s, c->c_e - c->c_s);
    p->start = (int64_t) c->c_s;
    p->end = (int64_t) c->c_e;
    if (!p->cue || !p->stance || !p->content)
        return -1;
    p->sentence = strndup(x->text + c->sent_s, c->sent_e - c->sent_s);
    if (!p->sentence)
        return -1;
    if (c->n_chain) {
        p->chain = calloc(c->n_chain, sizeof *p->chain);
        if (!p->chain)
            return -1;
        p->n_chain = c->n_chain;
        for (size_t k = 0; k < c->n_chain; k++)
            if (!(p->chain[k] = s_span_name(x, &c->chain[k])))
                return -1;
    }
    /* entities inside the content, each once.  Mentions are in text order
     * (claim_extract relies on it too): a binary search finds the first one
     * at or after the content, so a page with many claims and many mentions
     * costs n log n, not n squared. */
    size_t lo = 0, hi = x->nm;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((size_t) x->m[mid].start < c->c_s)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t first = lo, ne = 0;
    for (size_t k = first; k < x->nm && (size_t) x->m[k].start < c->c_e; k++)
        if ((size_t) x->m[k].end <= c->c_e)
            ne++;
    if (ne) {
        p->entities = calloc(ne, sizeof *p->entities);
        if (!p->entities)
            return -1;
        for (size_t k = first; k < x->nm && (size_t) x->m[k].start < c->c_e; k++) {
            if ((size_t) x->m[k].end > c->c_e)
                continue;
            bool seen = false;
            for (size_t q = 0; q < p->n_entities && !seen; q++)
                seen = !strcmp(p->entities[q], x->m[k].entity);
            if (seen)
                continue;
            if (!(p->entities[p->n_entities] = strdup(x->m[k].entity)))
                return -1;
            p->n_entities++;
        }
    }
    return 0;
}

static void
s_decline_free(claim_decline_t *d, size_t n)
{
    for (size_t i = 0; d && i < n; i++) {
        free(d[i].speaker);
        free(d[i].speaker_entity);
    }
    free(d);
}

static void
s_claims_free(proto_claim_t *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++) {
        free(c[i].speaker);
        free(c[i].cue);
        free(c[i].stance);
        free(c[i].content);
        free(c[i].speaker_entity);
        free(c[i].sentence);
        for (size_t k = 0; c[i].chain && k < c[i].n_chain; k++)
            free(c[i].chain[k]);
        free(c[i].chain);
        for (size_t k = 0; c[i].entities && k < c[i].n_entities; k++)
            free(c[i].entities[k]);
        free(c[i].entities);
    }
    free(c);
}

void
claim_set_clear(claim_set_t *out)
{
    if (!out)
        return;
    s_claims_free(out->claims, out->n_claims);
    s_decline_free(out->declines, out->n_declines);
    memset(out, 0, sizeof *out);
}

void
claim_set_move_claims(claim_set_t *out, proto_claim_t **claims, size_t *n)
{
    *claims = out->claims;
    *n = out->n_claims;
    out->claims = NULL;
    out->n_claims = 0;
    claim_set_clear(out);
}

static int
s_build_output(const s_ctx_t *x, claim_set_t *out)
{
    if (x->ncl) {
        out->claims = calloc(x->ncl, sizeof *out->claims);
        if (!out->claims)
            return -1;
        for (size_t i = 0; i < x->ncl; i++) {
            out->n_claims = i + 1;
            if (s_to_proto(x, &x->cl[i], &out->claims[i]))
                return -1;
        }
    }
    if (x->ndl) {
        out->declines = calloc(x->ndl, sizeof *out->declines);
        if (!out->declines)
            return -1;
        for (size_t i = 0; i < x->ndl; i++) {
            const s_decl_t *d = &x->dl[i];
            claim_decline_t *o = &out->declines[i];
            out->n_declines = i + 1;
            o->cue_start = d->cue_s;
            o->cue_end = d->cue_e;
            o->sentence = d->sentence;
            if (d->speaker.a < d->speaker.b) {
                char *desc = s_speaker_desc(x, &d->speaker, &o->speaker_start, &o->speaker_end);
                if (!desc)
                    return -1;
                if (d->speaker.ment >= 0) {
                    free(desc);
                    o->speaker = strdup(x->m[d->speaker.ment].entity);
                    o->speaker_entity = strdup(x->m[d->speaker.ment].entity);
                    if (!o->speaker || !o->speaker_entity)
                        return -1;
                }
                else
                    o->speaker = desc;
            }
            else if (!(o->speaker = strdup("")))
                return -1;
        }
    }
    return 0;
}

int
claim_extract(const text_doc_t *doc, const proto_mention_t *mentions, size_t n,
              claim_set_t *out)
{
    memset(out, 0, sizeof *out);
    s_ctx_t x;
    memset(&x, 0, sizeof x);
    x.doc = doc;
    x.text = text_doc_text(doc);
    x.nt = text_doc_ntokens(doc);
    x.m = mentions;
    x.nm = mentions ? n : 0;
    if (x.nt == 0)
        return 0;
    x.t = text_doc_token(doc, 0);
    /* One block for the per-token scratch arrays. */
    size_t nt = x.nt;
    size_t sz = nt * (sizeof(claim_word_t *) + sizeof(uint32_t) + sizeof(int) + 3);
    char *block = malloc(sz);
    if (!block)
        return -1;
    x.cue = (const claim_word_t **) (void *) block;
    x.fl = (uint32_t *) (void *) (x.cue + nt);
    x.ment = (int *) (void *) (x.fl + nt);
    x.cpre = (unsigned char *) (x.ment + nt);
    x.used = x.cpre + nt;
    x.fpre = x.used + nt;
    int rc = -1;
    for (size_t i = 0; i < nt; i++) {
        size_t pre = 0;
        x.fl[i] = claim_lexicon_flags(x.t[i].key, &pre);
        x.fpre[i] = (unsigned char) pre;
        x.cue[i] = claim_lexicon_find_cue(x.t[i].key, &pre);
        x.cpre[i] = (unsigned char) pre;
        x.used[i] = 0;
        x.ment[i] = -1;
    }
    /* Mentions are in text order, as are tokens: one merge pass. */
    for (size_t k = 0, i = 0; k < x.nm; k++) {
        while (i < nt && x.t[i].end <= (size_t) x.m[k].start)
            i++;
        for (size_t j = i; j < nt && x.t[j].start < (size_t) x.m[k].end; j++)
            x.ment[j] = (int) k;
    }
    size_t ns = text_doc_nsentences(doc);
    size_t i = 0;
    for (size_t s = 0; s < ns; s++) {
        size_t a = i;
        text_span_t sp = text_doc_sentence(doc, s);
        size_t last = s_sentence_group(&x, s, ns);
        sp.end = text_doc_sentence(doc, last).end;
        while (i < nt && x.t[i].sentence <= last)
            i++;
        s = last;
        if (a == i)
            continue;
        x.sf = a;
        x.se = i;
        x.sent_s = sp.start;
        x.sent_e = sp.end;
        x.sidx = s;
        /* a paragraph break inside an ICU sentence (a headline without a
         * full stop) ends the sentence for our purposes */
        for (size_t k = a; k + 1 < i; k++)
            if (memchr(x.text + x.t[k].end, '\n', x.t[k + 1].start - x.t[k].end)) {
                size_t save_se = x.se, save_e = x.sent_e;
                x.se = k + 1;
                x.sent_e = x.t[k].end;
                if (s_sentence(&x))
                    goto done;
                x.sf = k + 1;
                x.se = save_se;
                x.sent_s = x.t[k + 1].start;
                x.sent_e = save_e;
            }
        if (s_sentence(&x))
            goto done;
    }
    rc = s_build_output(&x, out);
done:
    if (rc)
        claim_set_clear(out);
    free(x.cl);
    free(x.dl);
    free(block);
    return rc;
}
