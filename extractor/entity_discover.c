/*
 * entity_discover.c — cue-based proposals of names not in the catalog (see
 * entity_discover.h).
 *
 * Arabic: a cue (folded, clitics tolerated through the token's forms) is
 * followed by descriptors (ال words: الخارجية الروسي) and then the name:
 * words without ال, up to four, of which only the last may carry ال
 * (بشار الأسد); a stop word (قال، إن، في...), punctuation, a conjunction
 * (وقال) or a catalog mention ends it.  Media and organization cues take
 * the name right after them, or, when that is an ال word, the cue with it
 * (وكالة الأنباء الفرنسية, حزب الله).  Latin and Cyrillic: runs of
 * capitalized words; a title inside or just before the run makes a person,
 * words such as Ministry or Times make an organization or medium, "in X" a
 * place, and a bare run of two or more words a low-confidence person.
 * Confidences are fixed per rule, ordered by how often the rule is right
 * on news text, not calibrated probabilities.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "entity_discover.h"

enum { K_PERSON, K_SPOKES, K_ORG, K_MEDIA, K_PLACE };

typedef struct {
    const char *words;     /* one or two words, space separated, as written */
    int kind;
    char *k1, *k2;         /* folded keys, filled once */
} s_cue_t;

static s_cue_t s_ar_cues[] = {
    { "المتحدث باسم", K_SPOKES, 0, 0 }, { "الناطق باسم", K_SPOKES, 0, 0 },
    { "المتحدثة باسم", K_SPOKES, 0, 0 }, { "الناطقة باسم", K_SPOKES, 0, 0 },
    { "تاجر الأسلحة", K_PERSON, 0, 0 }, { "تاجر السلاح", K_PERSON, 0, 0 },
    { "الأمين العام", K_PERSON, 0, 0 },
    { "الرئيس", K_PERSON, 0, 0 }, { "رئيس", K_PERSON, 0, 0 }, { "الرئيسة", K_PERSON, 0, 0 },
    { "وزير", K_PERSON, 0, 0 }, { "وزيرة", K_PERSON, 0, 0 }, { "الوزير", K_PERSON, 0, 0 },
    { "المتحدث", K_PERSON, 0, 0 }, { "الناطق", K_PERSON, 0, 0 },
    { "اللواء", K_PERSON, 0, 0 }, { "العميد", K_PERSON, 0, 0 }, { "العقيد", K_PERSON, 0, 0 },
    { "الفريق", K_PERSON, 0, 0 }, { "الجنرال", K_PERSON, 0, 0 }, { "الشيخ", K_PERSON, 0, 0 },
    { "الملك", K_PERSON, 0, 0 }, { "الأمير", K_PERSON, 0, 0 }, { "السفير", K_PERSON, 0, 0 },
    { "النائب", K_PERSON, 0, 0 }, { "القائد", K_PERSON, 0, 0 }, { "زعيم", K_PERSON, 0, 0 },
    { "السيناتور", K_PERSON, 0, 0 }, { "المستشار", K_PERSON, 0, 0 },
    { "صحيفة", K_MEDIA, 0, 0 }, { "وكالة", K_MEDIA, 0, 0 }, { "مجلة", K_MEDIA, 0, 0 },
    { "قناة", K_MEDIA, 0, 0 }, { "إذاعة", K_MEDIA, 0, 0 }, { "موقع", K_MEDIA, 0, 0 },
    { "حركة", K_ORG, 0, 0 }, { "جماعة", K_ORG, 0, 0 }, { "منظمة", K_ORG, 0, 0 },
    { "حزب", K_ORG, 0, 0 }, { "شركة", K_ORG, 0, 0 }, { "ميليشيا", K_ORG, 0, 0 },
    { "مدينة", K_PLACE, 0, 0 }, { "محافظة", K_PLACE, 0, 0 }, { "بلدة", K_PLACE, 0, 0 },
    { "قرية", K_PLACE, 0, 0 }, { "العاصمة", K_PLACE, 0, 0 }, { "ولاية", K_PLACE, 0, 0 },
    { "إقليم", K_PLACE, 0, 0 },
};
#define N_AR_CUES (sizeof(s_ar_cues) / sizeof(s_ar_cues[0]))

/* Words that end an Arabic name: verbs of saying, particles, time words. */
static const char *s_ar_stop_src[] = {
    "قال", "قالت", "إن", "أن", "انه", "إنه", "أنه", "في", "من", "على", "إلى", "عن", "مع",
    "خلال", "بعد", "قبل", "أمس", "اليوم", "يوم", "الذي", "التي", "الذين", "ذلك", "هذا",
    "هذه", "كما", "حيث", "أكد", "أعلن", "أوضح", "أشار", "ذكر", "نفى", "صرح", "أو", "ثم",
    "قد", "لم", "لن", "ما", "لا", "عبر", "حول", "بين", "ضد", "منذ", "عند", "وفقا", "بحسب",
    "حسب", "يقول", "تقول", "أضاف", "أيضا", "إنها", "أنها", "هو", "هي", "كان", "كانت",
    "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الماضي",
    "المقبل", "الحالي", "باسم", "بأن", "لدى", "أي", "كل", "غير", "سوى", "إنما", "لكن",
    "يوما", "عاما", "صباح", "مساء", "اليوم", "أمام", "نحو", "ضمن", "وسط", "داخل", "خارج",
};
#define N_AR_STOP (sizeof(s_ar_stop_src) / sizeof(s_ar_stop_src[0]))
static char *s_ar_stop[N_AR_STOP];

static bool
s_in(const char *key, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(key, list[i]) == 0)
            return true;
    return false;
}
#define S_IN(key, arr) s_in((key), (arr), sizeof(arr) / sizeof((arr)[0]))

static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static bool s_init_ok;

static void
s_init(void)
{
    s_init_ok = true;
    for (size_t i = 0; i < N_AR_CUES; i++) {
        const char *w = s_ar_cues[i].words;
        const char *sp = strchr(w, ' ');
        s_ar_cues[i].k1 = text_fold(w, sp ? (size_t) (sp - w) : strlen(w));
        s_ar_cues[i].k2 = sp ? text_fold(sp + 1, strlen(sp + 1)) : NULL;
        if (!s_ar_cues[i].k1 || (sp && !s_ar_cues[i].k2))
            s_init_ok = false;
    }
    for (size_t i = 0; i < N_AR_STOP; i++) {
        s_ar_stop[i] = text_fold(s_ar_stop_src[i], strlen(s_ar_stop_src[i]));
        if (!s_ar_stop[i])
            s_init_ok = false;
    }
}

typedef struct {
    const text_doc_t *doc;
    const char *text;
    size_t nt;
    const unsigned char *known;     /* per token: part of a catalog mention */
    entity_found_t *v;
    size_t n, cap;
    bool failed;
} s_ctx_t;

static const text_token_t *
s_tok(const s_ctx_t *c, size_t i)
{
    return text_doc_token(c->doc, i);
}

static bool
s_has_form(const text_token_t *t, const char *key)
{
    for (size_t f = 0; f < t->n_forms; f++)
        if (strcmp(t->forms[f], key) == 0)
            return true;
    return false;
}

/* Nothing but white space between tokens A and B (A < B). */
static bool
s_joined(const s_ctx_t *c, size_t a, size_t b)
{
    for (size_t i = s_tok(c, a)->end; i < s_tok(c, b)->start; i++) {
        unsigned char ch = (unsigned char) c->text[i];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            return false;
    }
    return true;
}

static size_t
s_cps(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char) *s & 0xC0) != 0x80;
    return n;
}

static bool
s_arabic(const text_token_t *t)
{
    unsigned char b = (unsigned char) t->key[0];
    return b >= 0xD8 && b <= 0xDB;
}

static bool
s_al(const text_token_t *t)
{
    return strncmp(t->key, "\xD8\xA7\xD9\x84", 4) == 0 && s_cps(t->key) > 3;
}

static bool
s_ar_stopword(const text_token_t *t)
{
    for (size_t i = 0; i < N_AR_STOP; i++)
        if (strcmp(t->key, s_ar_stop[i]) == 0)
            return true;
    return false;
}

/* A nisba adjective (الروسي، الأمريكية): a descriptor, not a name. */
static bool
s_nisba(const text_token_t *t)
{
    size_t l = strlen(t->key);
    return l >= 2 && (strcmp(t->key + l - 2, "\xD9\x8A") == 0
                      || (l >= 4 && strcmp(t->key + l - 4, "\xD9\x8A\xD9\x87") == 0));
}

static long
s_ar_cue_at(const s_ctx_t *c, size_t i, size_t *len)
{
    const text_token_t *t = s_tok(c, i);
    for (size_t k = 0; k < N_AR_CUES; k++) {
        if (!s_has_form(t, s_ar_cues[k].k1))
            continue;
        if (s_ar_cues[k].k2) {
            if (i + 1 >= c->nt || !s_joined(c, i, i + 1)
                || strcmp(s_tok(c, i + 1)->key, s_ar_cues[k].k2) != 0)
                continue;
            *len = 2;
        } else {
            *len = 1;
        }
        return (long) k;
    }
    return -1;
}

static bool
s_ar_nameword(const s_ctx_t *c, size_t i)
{
    const text_token_t *t = s_tok(c, i);
    static const char *const proclitic_al[] = {
        "\xD9\x84\xD9\x84",                         /* لل */
        "\xD9\x88\xD8\xA7\xD9\x84",                 /* وال */
        "\xD8\xA8\xD8\xA7\xD9\x84",                 /* بال */
        "\xD9\x81\xD8\xA7\xD9\x84",                 /* فال */
        "\xD9\x83\xD8\xA7\xD9\x84",                 /* كال */
    };
    if (!t->is_word || c->known[i] || !s_arabic(t) || s_cps(t->key) < 2 || s_ar_stopword(t))
        return false;
    for (size_t k = 0; k < sizeof(proclitic_al) / sizeof(proclitic_al[0]); k++)
        if (strncmp(t->key, proclitic_al[k], strlen(proclitic_al[k])) == 0)
            return false;   /* للصحفيين، والجيش: a noun with its article, not a name */
    return true;
}

static void
s_push(s_ctx_t *c, size_t first, size_t last, const char *type, const char *cue, double conf)
{
    if (c->failed)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap * 2 + 8;
        entity_found_t *v = realloc(c->v, cap * sizeof(*v));
        if (!v) {
            c->failed = true;
            return;
        }
        c->v = v;
        c->cap = cap;
    }
    entity_found_t *f = &c->v[c->n];
    f->start = s_tok(c, first)->start;
    f->end = s_tok(c, last)->end;
    f->sentence = s_tok(c, first)->sentence;
    f->type = type;
    f->cue = cue;
    f->confidence = conf;
    f->name = strndup(c->text + f->start, f->end - f->start);
    if (!f->name)
        c->failed = true;
    else
        c->n++;
}

/* و + a word of three letters or more: most likely "and ...". */
static bool
s_conj(const text_token_t *t)
{
    return t->key[0] == '\xD9' && t->key[1] == '\x88' && s_cps(t->key) > 3;
}

static bool
s_compound(const text_token_t *t)
{
    static const char *const w[] = {
        "\xD8\xB9\xD8\xA8\xD8\xAF",                 /* عبد */
        "\xD8\xA7\xD8\xA8\xD9\x88",                 /* ابو */
        "\xD8\xA8\xD9\x86",                         /* بن */
        "\xD8\xA7\xD8\xA8\xD9\x86",                 /* ابن */
        "\xD8\xA8\xD9\x86\xD8\xAA",                 /* بنت */
        "\xD8\xA7\xD9\x85",                         /* ام */
    };
    return S_IN(t->key, w);
}

/* A person's name from token P on: returns the token after it, or P. */
static size_t
s_ar_person(s_ctx_t *c, size_t prev, size_t p, const char *cue, bool skip_desc)
{
    size_t skipped = 0;
    while (skip_desc && p < c->nt && skipped < 3 && s_joined(c, prev, p) && !c->known[p]
           && s_al(s_tok(c, p)) && !s_ar_stopword(s_tok(c, p))) {
        prev = p++;
        skipped++;
    }
    size_t dummy;
    if (p >= c->nt || !s_joined(c, prev, p) || !s_ar_nameword(c, p) || s_al(s_tok(c, p))
        || s_ar_cue_at(c, p, &dummy) >= 0)
        return p;
    /* Two name words, more through compound markers (عبد الملك، محمد بن
     * سلمان) and one final ال word (بشار الأسد، عبد الملك الحوثي) that is
     * not a nisba after a full name (فيكتور بوت الروسي). */
    size_t first = p, last = p;
    size_t core = s_compound(s_tok(c, p)) ? 0 : 1;
    while (last + 1 < c->nt && last - first < 4 && s_joined(c, last, last + 1)
           && s_ar_nameword(c, last + 1)) {
        const text_token_t *t = s_tok(c, last + 1);
        if (s_conj(t))
            break;   /* و + word: a conjunction, the name has ended */
        bool after_compound = s_compound(s_tok(c, last));
        if (!after_compound && s_ar_cue_at(c, last + 1, &dummy) >= 0)
            break;   /* the next title: الرئيس ... ووزير */
        if (s_al(t)) {
            if (after_compound) {
                last++;
                core++;
                continue;
            }
            if (core == 1 || (core >= 1 && !s_nisba(t)))
                last++;
            break;
        }
        if (!after_compound && core >= 2)
            break;
        last++;
        core += !s_compound(t);
    }
    size_t words = last - first + 1;
    s_push(c, first, last, "person", cue, words >= 2 ? 0.8 : 0.55);
    return last + 1;
}

/* When the name keeps its cue word (وكالة الأنباء الفرنسية) and that word
 * came with a proclitic (لقناة الجزيرة: "to the channel"), the name starts
 * after the proclitic.  Its bytes are those of the token's key before the
 * cue's own key K1, when the text has exactly them (no harakat on it). */
static void
s_drop_proclitic(s_ctx_t *c, size_t ci, const char *k1)
{
    if (c->failed || c->n == 0 || !k1)
        return;
    const text_token_t *t = s_tok(c, ci);
    entity_found_t *f = &c->v[c->n - 1];
    size_t kl = strlen(t->key), l1 = strlen(k1);
    if (f->start != t->start || kl <= l1 || strcmp(t->key + kl - l1, k1) != 0)
        return;
    size_t skip = kl - l1;
    if (f->start + skip >= f->end || memcmp(c->text + f->start, t->key, skip) != 0)
        return;
    char *name = strndup(c->text + f->start + skip, f->end - f->start - skip);
    if (!name) {
        c->failed = true;
        return;
    }
    free(f->name);
    f->name = name;
    f->start += skip;
}

/* Media or organization name after its cue at [CI, CI+CLEN); K1 is the
 * cue's first word as a key. */
static size_t
s_ar_named(s_ctx_t *c, size_t ci, size_t clen, const char *type, const char *cue,
           const char *k1, bool with_cue)
{
    size_t p = ci + clen, prev = p - 1;
    if (p >= c->nt || !s_joined(c, prev, p) || c->known[p])
        return p;
    if (s_al(s_tok(c, p))) {
        if (s_ar_stopword(s_tok(c, p)))
            return p;
        size_t last = p;
        while (last + 1 < c->nt && last - p < 1 && s_joined(c, last, last + 1)
               && !c->known[last + 1] && s_al(s_tok(c, last + 1))
               && !s_ar_stopword(s_tok(c, last + 1)))
            last++;
        s_push(c, with_cue ? ci : p, last, type, cue, 0.6);
        if (with_cue)
            s_drop_proclitic(c, ci, k1);
        return last + 1;
    }
    if (!s_ar_nameword(c, p))
        return p;
    size_t last = p;
    while (last + 1 < c->nt && last - p < 2 && s_joined(c, last, last + 1)
           && s_ar_nameword(c, last + 1) && !s_al(s_tok(c, last + 1))
           && !s_conj(s_tok(c, last + 1)))
        last++;
    s_push(c, p, last, type, cue, 0.75);
    return last + 1;
}

static size_t
s_ar_place(s_ctx_t *c, size_t ci, size_t clen, const char *cue)
{
    size_t p = ci + clen, prev = p - 1;
    /* العاصمة الروسية موسكو: skip the nisba; مدينة الحديدة: the ال word is the name */
    while (p < c->nt && s_joined(c, prev, p) && !c->known[p] && s_al(s_tok(c, p))
           && s_nisba(s_tok(c, p)) && p - (ci + clen) < 2)
        prev = p++;
    if (p >= c->nt || !s_joined(c, prev, p) || c->known[p] || !s_tok(c, p)->is_word
        || !s_arabic(s_tok(c, p)) || s_ar_stopword(s_tok(c, p)))
        return p;
    size_t last = p;
    if (!s_al(s_tok(c, p)) && p + 1 < c->nt && s_joined(c, p, p + 1) && s_ar_nameword(c, p + 1)
        && !s_al(s_tok(c, p + 1)) && s_tok(c, p + 1)->key[0] != '\xD9')
        last = p + 1;
    s_push(c, p, last, "place", cue, 0.65);
    return last + 1;
}

/* ------------------------------------------------------------ Latin, Cyrillic */

static const char *s_en_person[] = {
    "president", "minister", "spokesman", "spokeswoman", "spokesperson", "general", "gen",
    "senator", "sen", "secretary", "chancellor", "ambassador", "mr", "mrs", "ms", "dr",
    "colonel", "col", "commander", "leader", "king", "queen", "prince", "judge", "lieutenant",
    "lt", "admiral", "dealer", "premier", "governor", "mayor", "envoy", "sheikh",
    "président", "ministre", "général", "президент", "министр", "генерал", "премьер",
};
static const char *s_en_desc[] = {
    "foreign", "prime", "defence", "defense", "interior", "state", "deputy", "vice",
    "former", "chief", "of", "the", "arms", "finance", "economy", "justice", "health",
    "acting", "military", "army", "russian", "american", "us", "u.s",
};
static const char *s_en_media_cue[] = {
    "newspaper", "agency", "magazine", "channel", "broadcaster", "daily", "journal",
    "journal", "газета", "агентство",
};
static const char *s_en_media_word[] = {
    "times", "post", "news", "journal", "guardian", "telegraph", "gazette", "herald",
    "tribune", "reuters", "press", "television", "tv", "radio", "monde", "figaro",
};
static const char *s_en_org_word[] = {
    "ministry", "council", "party", "army", "forces", "bank", "corporation", "company",
    "inc", "ltd", "university", "organization", "organisation", "union", "front",
    "movement", "committee", "commission", "court", "department", "group", "institute",
    "association", "federation", "nations", "authority", "office", "brigade", "guard",
    "navy", "agency", "police", "service", "fund", "alliance", "parliament", "congress",
};
static const char *s_en_place_prev[] = { "in", "at", "from", "near", "into", "to", "across" };
static const char *s_en_skip[] = {
    "the", "a", "an", "in", "on", "at", "but", "and", "it", "he", "she", "this", "that",
    "when", "after", "before", "while", "if", "as", "for", "by", "from", "to", "with",
    "we", "they", "his", "her", "their", "its", "there", "then", "last", "on", "some",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "i", "you", "our", "all", "no",
    "later", "earlier", "meanwhile", "however", "also", "today", "yesterday", "tomorrow",
    "according", "officials", "police", "said", "what", "why", "how", "where", "who",
};
static const char *s_en_connect[] = { "of", "bin", "al", "de", "van", "von", "du", "la", "le", "da" };

/* First code point of S (UTF-8, 2 bytes at most matter here). */
static unsigned
s_cp(const unsigned char *s, size_t *len)
{
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
        *len = 2;
        return ((unsigned) (s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    }
    *len = 1;
    return 0xFFFF;
}

static bool
s_upper(unsigned cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
           || (cp >= 0x410 && cp <= 0x42F) || cp == 0x401;
}

static bool
s_lower(unsigned cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7)
           || (cp >= 0x430 && cp <= 0x44F) || cp == 0x451;
}

/* Capitalized word with a lower-case letter after the first (not NATO, AK-47). */
static bool
s_title(const s_ctx_t *c, size_t i)
{
    const text_token_t *t = s_tok(c, i);
    if (!t->is_word || c->known[i])
        return false;
    const unsigned char *s = (const unsigned char *) c->text + t->start;
    const unsigned char *e = (const unsigned char *) c->text + t->end;
    size_t l;
    if (!s_upper(s_cp(s, &l)))
        return false;
    for (s += l; s < e; s += l)
        if (s_lower(s_cp(s, &l)))
            return true;
    return false;
}

/* Between A and B only white space, or the period of an abbreviation (Mr. Dr. Gen.). */
static bool
s_run_joined(const s_ctx_t *c, size_t a, size_t b)
{
    if (s_joined(c, a, b))
        return true;
    const text_token_t *t = s_tok(c, a);
    if (s_cps(t->key) > 3 || c->text[t->end] != '.')
        return false;
    for (size_t i = t->end + 1; i < s_tok(c, b)->start; i++)
        if (c->text[i] != ' ')
            return false;
    return S_IN(t->key, s_en_person);
}

static size_t
s_latin_run(s_ctx_t *c, size_t i)
{
    size_t last = i;
    for (;;) {
        size_t j = last + 1;
        if (j < c->nt && s_run_joined(c, last, j) && s_title(c, j)) {
            last = j;
            continue;
        }
        if (j + 1 < c->nt && s_joined(c, last, j) && s_joined(c, j, j + 1)
            && S_IN(s_tok(c, j)->key, s_en_connect) && s_title(c, j + 1)) {
            last = j + 1;
            continue;
        }
        break;
    }
    /* Strip titles, descriptors and sentence-start words from the front. */
    bool person_cue = false, media_cue = false, place_cue = false;
    size_t first = i;
    while (first <= last) {
        const char *k = s_tok(c, first)->key;
        if (S_IN(k, s_en_person))
            person_cue = true;
        else if (!S_IN(k, s_en_desc) && !S_IN(k, s_en_skip))
            break;
        first++;
    }
    while (last >= first && last > i && S_IN(s_tok(c, last)->key, s_en_skip))
        last--;
    if (first > last)
        return last + 1 > i ? last + 1 : i + 1;
    if (i > 0 && s_joined(c, i - 1, i)) {
        const char *pk = s_tok(c, i - 1)->key;
        person_cue = person_cue || S_IN(pk, s_en_person);
        media_cue = S_IN(pk, s_en_media_cue);
        place_cue = first == i && S_IN(pk, s_en_place_prev);
    }
    size_t words = last - first + 1;
    bool media = false, org = false;
    for (size_t t = first; t <= last; t++) {
        media = media || S_IN(s_tok(c, t)->key, s_en_media_word);
        org = org || S_IN(s_tok(c, t)->key, s_en_org_word);
    }
    if (words > 5)
        return last + 1;
    if (media)
        s_push(c, first, last, "media", media_cue ? "media" : "title-case", media_cue ? 0.75 : 0.6);
    else if (org)
        s_push(c, first, last, "org", "title-case", 0.6);
    else if (person_cue)
        s_push(c, first, last, "person", "title", words >= 2 ? 0.8 : 0.55);
    else if (media_cue)
        s_push(c, first, last, "media", "media", 0.7);
    else if (place_cue && words <= 3)
        s_push(c, first, last, "place", "in", 0.45);
    else if (words >= 2)
        s_push(c, first, last, "person", "title-case", 0.35);
    return last + 1;
}

size_t
entity_discover(const text_doc_t *doc, const proto_mention_t *known, size_t n_known,
                entity_found_t **out)
{
    *out = NULL;
    pthread_once(&s_once, s_init);
    if (!doc || !s_init_ok)
        return (size_t) -1;
    s_ctx_t c = { .doc = doc, .text = text_doc_text(doc), .nt = text_doc_ntokens(doc) };
    unsigned char *known_tok = calloc(c.nt ? c.nt : 1, 1);
    if (!known_tok)
        return (size_t) -1;
    for (size_t m = 0; m < n_known; m++) {
        size_t lo = 0, hi = c.nt;   /* first token ending after the mention's start */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((int64_t) text_doc_token(doc, mid)->end <= known[m].start)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t t = lo; t < c.nt && (int64_t) text_doc_token(doc, t)->start < known[m].end;
             t++)
            known_tok[t] = 1;
    }
    c.known = known_tok;
    for (size_t i = 0; i < c.nt && !c.failed;) {
        const text_token_t *t = s_tok(&c, i);
        if (!t->is_word || known_tok[i]) {
            i++;
            continue;
        }
        if (s_arabic(t)) {
            size_t clen = 0;
            long k = s_ar_cue_at(&c, i, &clen);
            if (k < 0) {
                i++;
                continue;
            }
            const char *cue = s_ar_cues[k].words;
            size_t next = i + clen;
            switch (s_ar_cues[k].kind) {
            case K_PERSON:
                next = s_ar_person(&c, i + clen - 1, i + clen, cue, true);
                break;
            case K_SPOKES: {
                size_t o = s_ar_named(&c, i, clen, "org", cue, s_ar_cues[k].k1, false);
                if (o > i + clen && c.n > 0 && c.v[c.n - 1].start > s_tok(&c, i)->start
                    && c.v[c.n - 1].start == s_tok(&c, i + clen)->start)
                    next = s_ar_person(&c, o - 1, o, cue, false);
                else
                    next = o;
                break;
            }
            case K_ORG:
                next = s_ar_named(&c, i, clen, "org", cue, s_ar_cues[k].k1, true);
                break;
            case K_MEDIA:
                next = s_ar_named(&c, i, clen, "media", cue, s_ar_cues[k].k1, true);
                break;
            default:
                next = s_ar_place(&c, i, clen, cue);
                break;
            }
            i = next > i ? next : i + 1;
            continue;
        }
        if (s_title(&c, i)) {
            size_t next = s_latin_run(&c, i);
            i = next > i ? next : i + 1;
            continue;
        }
        i++;
    }
    free(known_tok);
    if (c.failed) {
        entity_found_free(c.v, c.n);
        return (size_t) -1;
    }
    *out = c.v;
    return c.n;
}

void
entity_found_free(entity_found_t *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        free(f[i].name);
    free(f);
}

static int
s_cmp_start(const void *a, const void *b)
{
    const proto_mention_t *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

size_t
entity_discover_mentions(const text_doc_t *doc, proto_mention_t **m, size_t n,
                         double min_confidence)
{
    entity_found_t *f = NULL;
    size_t nf = entity_discover(doc, *m, n, &f);
    if (nf == (size_t) -1)
        return (size_t) -1;
    size_t keep = 0;
    for (size_t i = 0; i < nf; i++)
        keep += f[i].confidence >= min_confidence;
    if (keep == 0) {
        entity_found_free(f, nf);
        return n;
    }
    proto_mention_t *v = realloc(*m, (n + keep) * sizeof(*v));
    if (!v) {
        entity_found_free(f, nf);
        return (size_t) -1;
    }
    *m = v;
    size_t orig_n = n;
    for (size_t i = 0; i < nf; i++) {
        if (f[i].confidence < min_confidence)
            continue;
        proto_mention_t *x = &v[n];
        memset(x, 0, sizeof(*x));
        char *folded = text_fold(f[i].name, strlen(f[i].name));
        if (folded && asprintf(&x->entity, "new:%s", folded) < 0)
            x->entity = NULL;
        free(folded);
        x->type = strdup(f[i].type);
        x->surface = f[i].name;
        f[i].name = NULL;
        x->start = (int64_t) f[i].start;
        x->end = (int64_t) f[i].end;
        x->sentence = (int64_t) f[i].sentence;
        x->confidence = f[i].confidence > 0 && f[i].confidence <= 1 ? f[i].confidence : 0;
        n++;
        if (!x->entity || !x->type || !x->surface) {
            for (size_t k = orig_n; k < n; k++) {
                free(v[k].entity);
                free(v[k].type);
                free(v[k].surface);
            }
            entity_found_free(f, nf);
            return (size_t) -1;
        }
    }
    entity_found_free(f, nf);
    qsort(v, n, sizeof(*v), s_cmp_start);
    return n;
}
