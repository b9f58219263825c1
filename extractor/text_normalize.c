/*
 * text_normalize.c — what a word becomes for matching (DESIGN §4,
 * ARABIC.md §1–2): the folded key, its clitic-stripped and ending-folded
 * forms, and the key a watch or catalog term is matched with.
 *
 * A key is built from a token's UTF-16 text in three steps:
 *   1. ICU NFKC — Arabic presentation forms (U+FB50–FDFF, U+FE70–FEFF, as
 *      found in text copied out of old PDFs) become base letters, ﻻ → لا,
 *      ﷲ → الله, fullwidth Latin and digits become ASCII.
 *   2. ICU default case folding — Latin, Cyrillic, Greek compare caselessly
 *      (BOUT = Bout, Виктор = виктор).
 *   3. text_fold_cp below, code point by code point; every rule there says
 *      why it exists.
 * The original bytes are never touched: text_doc.c keeps offsets into them.
 *
 * Forms (text_forms_build) add what a noun or name looks like with one
 * proclitic stack removed and with nisba/plural endings folded; the term key
 * (text_term_key) removes only the article.  Matching is always whole-form
 * equality (or prefix, for a term written with '*'), never a substring.
 */
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include "text_internal.h"

/* ------------------------------------------------------------ classes */

bool
text_is_invisible(int32_t c)
{
    /* RLM/LRM/ALM, ZWJ/ZWNJ, the BOM and the bidi embeddings and isolates
     * are all general category Cf.  Editors insert them inside Arabic
     * words; they carry no letter, so they must neither split a word nor
     * take part in its key.  (Cf also covers the soft hyphen U+00AD.)
     * Below U+00AD and among the Arabic letters there is none: most code
     * points of a text are answered without asking ICU. */
    if (c < 0xAD || (c >= 0x0620 && c <= 0x06DC))
        return false;
    return c == 0xFEFF || u_charType(c) == U_FORMAT_CHAR;
}

bool
text_is_joining_dash(int32_t c)
{
    /* Hyphens and the en dash and minus sign, which appear in place of
     * the hyphen in "AK–74" when a word processor has been at the text.
     * Not the em dash: that one separates clauses. */
    return c == '-' || (c >= 0x2010 && c <= 0x2013) || c == 0x2212
        || c == 0xFE63 || c == 0xFF0D;
}

static bool
s_is_double_quote(int32_t c)
{
    return c == '"' || c == 0x00AB || c == 0x00BB || (c >= 0x201C && c <= 0x201F)
        || c == 0x2039 || c == 0x203A || c == 0x275D || c == 0x275E
        || (c >= 0x301D && c <= 0x301F) || c == 0xFF02;
}

static bool
s_is_single_quote(int32_t c)
{
    return c == '\'' || (c >= 0x2018 && c <= 0x201B) || c == 0x2032
        || c == 0x02BC || c == 0x0060 || c == 0x00B4 || c == 0xFF07;
}

bool
text_is_phrase_gap(int32_t c)
{
    /* Quotes are one class here: 'صحيفة "وول ستريت جورنال"' is the phrase
     * صحيفة وول ستريت جورنال whatever quote the outlet used.  A comma or a
     * full stop is not a gap: "Putin, Bout" is not the phrase "Putin Bout". */
    return u_isUWhiteSpace(c) || text_is_invisible(c) || s_is_double_quote(c)
        || s_is_single_quote(c) || text_is_joining_dash(c) || c == 0x2014
        || c == 0x2015 || c == 0x0640;
}

/* ------------------------------------------------------------ code points */

int32_t
text_fold_cp(int32_t c)
{
    if (c < 0x80) {
        /* ASCII after case folding is final, except whitespace: NFKC
         * expands some compatibility characters (isolated harakat
         * U+FE70.., ﷺ) into sequences with spaces, and a key is one word. */
        if (c == ' ' || (c >= 0x09 && c <= 0x0D))
            return -1;
        if (c == '`')
            return '\'';
        return c;
    }
    /* Harakat (tanween, fatha, damma, kasra, shadda, sukun), the dagger
     * alef, and the rarer marks up to U+065F: vowel marks are usually
     * absent and sometimes partial, so أَحْمَد, أحمد and احمد must be one
     * key.  Quranic annotation marks (U+06D6–06ED) are dropped for the same
     * reason. */
    if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06ED
        && c != 0x06DD && c != 0x06DE && c != 0x06E5 && c != 0x06E6 && c != 0x06E9))
        return -1;
    switch (c) {
    case 0x0640:            /* tatweel only stretches letters: مـــادورو */
        return -1;
    /* Alef with hamza above/below, with madda, wasla, wavy hamza: writers
     * and keyboards choose among them freely (أحمد / احمد, إيران / ايران),
     * so all become bare alef. */
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: case 0x0672: case 0x0673:
        return 0x0627;
    /* Alef maqsura and yeh are mixed at word ends (على / علي), and the
     * Persian/Urdu yeh ی and the Kurdish ې appear in names typed on
     * Persian keyboards. */
    case 0x0649: case 0x06CC: case 0x06D0:
        return 0x064A;
    /* Teh marbuta is written as heh by many editors (المدينة / المدينه);
     * the Urdu heh forms come from Persian keyboards. */
    case 0x0629: case 0x06C1: case 0x06BE: case 0x06D5:
        return 0x0647;
    /* Persian keheh ک and swash kaf ڪ are kaf. */
    case 0x06A9: case 0x06AA:
        return 0x0643;
    /* ڤ (veh, used for V in ڤيكتور) is written ف just as often. */
    case 0x06A4: case 0x06A5:
        return 0x0641;
    /* Persian gaf is kept (گ is distinct in Persian names), as are the
     * hamza seats ؤ and ئ: folding them to و / ي merges real words
     * (رئيس is not رييس, مسؤول is kept as written) and writers do not drop
     * the seat the way they drop the hamza on alef. */
    default:
        break;
    }
    /* The other Arabic letters are final as they are (none is a quote, a
     * dash, white space or invisible). */
    if (c >= 0x0621 && c <= 0x064A)
        return c;
    /* Arabic-Indic and Persian digits: dates and numbers in either script
     * are one number (٢٠٢٤ = ۲۰۲۴ = 2024). */
    if (c >= 0x0660 && c <= 0x0669)
        return '0' + (c - 0x0660);
    if (c >= 0x06F0 && c <= 0x06F9)
        return '0' + (c - 0x06F0);
    /* One quote class, one dash: a key never depends on the typographic
     * choice.  Single quotes stay apostrophes because they sit inside
     * words (Houthi's, O'Brien). */
    if (s_is_double_quote(c))
        return '"';
    if (s_is_single_quote(c))
        return '\'';
    if (text_is_joining_dash(c) || c == 0x2014 || c == 0x2015 || c == 0xFE58)
        return '-';
    if (text_is_invisible(c) || u_isUWhiteSpace(c))
        return -1;
    return c;
}

/* ------------------------------------------------------------ UTF-8 */

int32_t
text_utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    unsigned char b = p[0];
    int32_t c, min;
    size_t n;
    if (b < 0x80) {
        (*i)++;
        return b;
    }
    if (b >= 0xC2 && b <= 0xDF) { n = 2; c = b & 0x1F; min = 0x80; }
    else if (b >= 0xE0 && b <= 0xEF) { n = 3; c = b & 0x0F; min = 0x800; }
    else if (b >= 0xF0 && b <= 0xF4) { n = 4; c = b & 0x07; min = 0x10000; }
    else goto bad;
    if (left < n)
        goto bad;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (p[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        goto bad;
    *i += n;
    return c;
bad:
    (*i)++;
    return 0xFFFD;
}

static size_t
s_utf8_put(char *out, int32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Code points in S[0..n). */
static size_t
s_cp_count(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            k++;
    return k;
}

/* ------------------------------------------------------------ folder */

void
text_folder_init(text_folder_t *f)
{
    memset(f, 0, sizeof(*f));
}

void
text_folder_clear(text_folder_t *f)
{
    free(f->a);
    free(f->b);
    free(f->out);
    memset(f, 0, sizeof(*f));
}

static int
s_grow16(UChar **buf, int32_t *cap, int32_t need)
{
    if (need <= *cap)
        return 0;
    int32_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    UChar *nb = realloc(*buf, (size_t)ncap * sizeof(UChar));
    if (!nb)
        return -1;
    *buf = nb;
    *cap = ncap;
    return 0;
}

int
text_folder_run(text_folder_t *f, const UChar *src, int32_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&st);
    if (U_FAILURE(st))
        return -1;

    /* NFKC into f->a; most tokens are already NFKC (quick check) and are
     * copied as they are. */
    const UChar *norm = src;
    int32_t nlen = n;
    if (unorm2_spanQuickCheckYes(nfkc, src, n, &st) != n || U_FAILURE(st)) {
        st = U_ZERO_ERROR;
        if (s_grow16(&f->a, &f->acap, n * 2 + 16))
            return -1;
        nlen = unorm2_normalize(nfkc, src, n, f->a, f->acap, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            st = U_ZERO_ERROR;
            if (s_grow16(&f->a, &f->acap, nlen + 1))
                return -1;
            nlen = unorm2_normalize(nfkc, src, n, f->a, f->acap, &st);
        }
        if (U_FAILURE(st))
            return -1;
        norm = f->a;
    }

    /* Case fold into f->b. */
    st = U_ZERO_ERROR;
    if (s_grow16(&f->b, &f->bcap, nlen + 16))
        return -1;
    int32_t flen = u_strFoldCase(f->b, f->bcap, norm, nlen, U_FOLD_CASE_DEFAULT, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        st = U_ZERO_ERROR;
        if (s_grow16(&f->b, &f->bcap, flen + 1))
            return -1;
        flen = u_strFoldCase(f->b, f->bcap, norm, nlen, U_FOLD_CASE_DEFAULT, &st);
    }
    if (U_FAILURE(st) && st != U_STRING_NOT_TERMINATED_WARNING)
        return -1;

    /* Map and encode.  A BMP code point (one unit) takes at most 3 bytes,
     * a supplementary one (two units) 4, and text_fold_cp only maps to
     * ASCII or 2-byte Arabic letters: 3 bytes per unit + NUL bounds it. */
    size_t need = (size_t)flen * 3 + 1;
    if (need > f->outcap) {
        char *nb = realloc(f->out, need);
        if (!nb)
            return -1;
        f->out = nb;
        f->outcap = need;
    }
    size_t o = 0;
    for (int32_t i = 0; i < flen;) {
        UChar32 c;
        U16_NEXT(f->b, i, flen, c);
        int32_t m = text_fold_cp(c);
        if (m >= 0)
            o += s_utf8_put(f->out + o, m);
    }
    f->out[o] = '\0';
    f->outlen = o;
    return 0;
}

/* ------------------------------------------------------------ forms */

/* Proclitic stacks, folded (أ إ already bare alef), as they attach to nouns
 * and names: the conjunctions و ف, the prepositions ب ك ل, the article ال
 * and their stacks.  لل is ل + ال (the alef drops: للحوثيين).  Future سـ
 * is left out: it attaches to verbs, and stripping it from nouns would turn
 * سوريا into a second word.  Only one stack is removed per form, and only
 * when at least two letters remain, so a short name is never whittled down
 * to something that matches everything. */
typedef struct {
    const char *s;
    size_t len;     /* bytes: every word of every text is tried against these */
} s_affix_t;
#define S_AFFIX(x) { x, sizeof(x) - 1 }

static const s_affix_t s_proclitics[] = {
    S_AFFIX("و"), S_AFFIX("ف"), S_AFFIX("ب"), S_AFFIX("ك"), S_AFFIX("ل"),
    S_AFFIX("ال"), S_AFFIX("لل"), S_AFFIX("وب"), S_AFFIX("ول"), S_AFFIX("وك"),
    S_AFFIX("فب"), S_AFFIX("فل"), S_AFFIX("فك"),
    S_AFFIX("وال"), S_AFFIX("فال"), S_AFFIX("بال"), S_AFFIX("كال"), S_AFFIX("ولل"),
    S_AFFIX("فلل"),
    S_AFFIX("وبال"), S_AFFIX("وكال"), S_AFFIX("فبال"), S_AFFIX("فكال"),
};
#define S_N_PROCLITICS (sizeof(s_proclitics) / sizeof(s_proclitics[0]))

/* Nisba and its inflections, folded (ة → ه already): ية يه → ي (feminine),
 * يون يين (sound masculine plural), يات (feminine plural), يي (plural in
 * construct, الحوثيي).  All fold back to the nisba ي so الحوثي catches
 * الحوثية، الحوثيون، الحوثيين.  The bare plural endings ون ين ات are NOT
 * folded: that would make بوتين (Putin) the plural of بوت (Bout).  At least
 * two letters must stay before the ي (فيه stays فيه). */
static const s_affix_t s_nisba_endings[] = {
    S_AFFIX("يون"), S_AFFIX("يين"), S_AFFIX("يات"), S_AFFIX("يه"), S_AFFIX("يي"),
};
#define S_N_ENDINGS (sizeof(s_nisba_endings) / sizeof(s_nisba_endings[0]))
#define S_YEH "\xd9\x8a"    /* ي U+064A */
#define S_ALEF_LAM "\xd8\xa7\xd9\x84"  /* ال */

/* Length of S with its nisba ending folded to ي, or 0 if S has none. */
static size_t
s_nisba_len(const char *s, size_t n)
{
    /* Every ending is Arabic letters (two bytes each): the last byte
     * rejects most words before any comparison. */
    if (n < 4)
        return 0;
    for (size_t k = 0; k < S_N_ENDINGS; k++) {
        const s_affix_t *e = &s_nisba_endings[k];
        if (n > e->len && s[n - 1] == e->s[e->len - 1]
            && memcmp(s + n - e->len, e->s, e->len) == 0 && s_cp_count(s, n - e->len) >= 2)
            return n - e->len + 2;          /* stem + ي (2 bytes) */
    }
    return 0;
}

static bool
s_is_latin_letter(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static bool
s_has_form(const char **forms, const size_t *lens, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (lens[i] == len && memcmp(forms[i], s, len) == 0)
            return true;
    return false;
}

/* Add S[0..len) unless present; copies into A when COPY.  LENS keeps the
 * forms' lengths beside them. */
static int
s_add_form(text_arena_t *a, const char **forms, size_t *lens, size_t *n, const char *s,
           size_t len, bool copy)
{
    if (*n >= TEXT_MAX_FORMS || s_has_form(forms, lens, *n, s, len))
        return 0;
    if (copy) {
        s = text_arena_strndup(a, s, len);
        if (!s)
            return -1;
    }
    lens[*n] = len;
    forms[(*n)++] = s;
    return 0;
}

size_t
text_forms_build(text_arena_t *a, const char *key, const char **forms)
{
    size_t n = 0, klen = strlen(key);
    size_t lens[TEXT_MAX_FORMS];
    lens[n] = klen;
    forms[n++] = key;

    /* Proclitic stacks: the stripped form is a suffix of the key, so it
     * points into the key and costs nothing.  The second byte of the first
     * letter rejects most stacks before any comparison. */
    if (((unsigned char)key[0] == 0xD8 || (unsigned char)key[0] == 0xD9) && klen > 2) {
        for (size_t k = 0; k < S_N_PROCLITICS; k++) {
            const s_affix_t *p = &s_proclitics[k];
            if (klen > p->len && key[1] == p->s[1] && memcmp(key, p->s, p->len) == 0
                && s_cp_count(key + p->len, klen - p->len) >= 2)
                if (s_add_form(a, forms, lens, &n, key + p->len, klen - p->len, false))
                    return 0;
        }
    }
    /* Latin: possessive 's (’ is folded to ' already) and plural -s, so
     * Houthi matches Houthi's and Houthis.  "ss" is not a plural (Hess). */
    else if (s_is_latin_letter((unsigned char)key[0])) {
        if (klen > 3 && key[klen - 2] == '\'' && key[klen - 1] == 's')
            if (s_add_form(a, forms, lens, &n, key, klen - 2, true))
                return 0;
        if (klen > 3 && key[klen - 1] == 's' && key[klen - 2] != 's' && key[klen - 2] != '\'')
            if (s_add_form(a, forms, lens, &n, key, klen - 1, true))
                return 0;
    }

    /* A year with its era letter glued on: ٢٠٢٤م (ميلادي), ١٤٤٥هـ (هجري, the
     * tatweel already gone).  ICU keeps digits and letters in one word, so
     * without this "2024" would not find "2024م". */
    else if (key[0] >= '0' && key[0] <= '9') {
        size_t d = 0;
        while (key[d] >= '0' && key[d] <= '9')
            d++;
        if (strcmp(key + d, "\xd9\x85") == 0 || strcmp(key + d, "\xd9\x87") == 0)
            if (s_add_form(a, forms, lens, &n, key, d, true))
                return 0;
    }

    /* Nisba endings, on each form so far. */
    size_t base = n;
    for (size_t i = 0; i < base; i++) {
        size_t nl = s_nisba_len(forms[i], lens[i]);
        if (!nl || n >= TEXT_MAX_FORMS)
            continue;
        char *s = text_arena_alloc(a, nl + 1);
        if (!s)
            return 0;
        memcpy(s, forms[i], nl - 2);
        memcpy(s + nl - 2, S_YEH, 2);
        s[nl] = '\0';
        if (!s_has_form(forms, lens, n, s, nl)) {
            lens[n] = nl;
            forms[n++] = s;
        }
    }
    return n;
}

size_t
text_term_key_from_key(const char *key, bool prefix, char *out)
{
    size_t n = strlen(key);
    /* Only the article: a term is written by a user or a catalog editor who
     * does not add و or ب, and stripping single letters from a term would
     * turn the name بوت into وت. */
    if (n > 4 && memcmp(key, S_ALEF_LAM, 4) == 0 && s_cp_count(key + 4, n - 4) >= 2) {
        key += 4;
        n -= 4;
    }
    memcpy(out, key, n);
    out[n] = '\0';
    if (!prefix) {
        size_t nl = s_nisba_len(out, n);
        if (nl) {
            memcpy(out + nl - 2, S_YEH, 2);
            out[nl] = '\0';
            n = nl;
        }
    }
    return n;
}

/* ------------------------------------------------------------ public */

char *
text_fold(const char *text, size_t len)
{
    text_doc_t *doc = text_doc_words(text, len);
    if (!doc)
        return NULL;
    size_t total = 1, nt = text_doc_ntokens(doc);
    for (size_t i = 0; i < nt; i++)
        total += strlen(text_doc_token(doc, i)->key) + 1;
    char *out = malloc(total);
    if (out) {
        size_t o = 0;
        for (size_t i = 0; i < nt; i++) {
            const char *k = text_doc_token(doc, i)->key;
            size_t kl = strlen(k);
            if (i)
                out[o++] = ' ';
            memcpy(out + o, k, kl);
            o += kl;
        }
        out[o] = '\0';
    }
    text_doc_destroy(&doc);
    return out;
}

char *
text_term_key(const char *word, size_t len)
{
    /* Segment like a doc so that «بوت» or "Houthi's" gives the word's own
     * key; a "word" that segments into several tokens keeps them joined by
     * spaces (it then matches nothing, which is the honest answer). */
    char *folded = text_fold(word, len);
    if (!folded)
        return NULL;
    if (!*folded) {
        free(folded);
        return NULL;
    }
    char *out = malloc(strlen(folded) + 1);
    if (out)
        text_term_key_from_key(folded, false, out);
    free(folded);
    return out;
}
