/*
 * claim_lexicon.h — the closed word lists the claim extractor reasons with
 * (reporting verbs and their inflections in Arabic and English, the
 * complementizers إن/أن/that, time words, hedges, denial words, ...).
 *
 * Entries are written in natural spelling in claim_lexicon.c and folded
 * with the text library's own text_fold() when the table is built, so a
 * lookup takes a token's key (text_token_t.key) as it is: قالت, نفى and
 * وفقًا are found whatever harakat, alef or yeh form the article used.
 * The table is built once per process (pthread_once) and is read-only
 * afterwards; a lookup is one hash probe sequence, no allocation.
 */
#ifndef MARSAD_CLAIM_LEXICON_H
#define MARSAD_CLAIM_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Word classes (a word may be in several). */
enum {
    CL_CUE       = 1u << 0,   /* a reporting cue (see kind) */
    CL_COMP      = 1u << 1,   /* complementizer: إن أن بأن أنه ... that */
    CL_QAWL      = 1u << 2,   /* قوله قولها قولهم (after نقل ... عن ...) */
    CL_TIME      = 1u << 3,   /* time words: اليوم أمس الاثنين; today Monday */
    CL_HEDGE     = 1u << 4,   /* reportedly, may, يبدو, ربما ... */
    CL_DENYWORD  = 1u << 5,   /* baseless, hoax, fake, مفبركة, خدعة ... */
    CL_DET       = 1u << 6,   /* English determiners that make report/claims nouns */
    CL_PREP      = 1u << 7,   /* prepositions that end an Arabic speaker phrase */
    CL_DEMONST   = 1u << 8,   /* هذه هذا تلك ذلك (start an object) */
    CL_SPOKES    = 1u << 9,   /* spokesman, المتحدث, الناطق (speaks for an entity) */
    CL_NEG       = 1u << 10,  /* لم لا لن not never */
    CL_MEDIA     = 1u << 11,  /* وكالة صحيفة قناة ... (recipient heads after ل) */
    CL_COMMENT   = 1u << 12,  /* comment, التعليق */
    CL_DECLINE   = 1u << 13,  /* declined refused respond reply reached رفض امتنع يرد يستجب */
    CL_PRON      = 1u << 14,  /* he she they it (a speaker to resolve) */
    CL_ADV       = 1u << 15,  /* adverbs skipped between speaker and cue */
    CL_TITLE     = 1u << 16,  /* titles transparent for speaker resolution */
    CL_ETIME     = 1u << 17,  /* English words of a time/setting phrase after a cue */
    CL_PASSIVE   = 1u << 18,  /* was were is are be been */
    CL_CONJ      = 1u << 19,  /* and but while */
    CL_CITE      = 1u << 20,  /* citing quoting (an inner source follows) */
    CL_REPORTERS = 1u << 21,  /* reporters journalists (a recipient, not a relay) */
    CL_SETTING   = 1u << 23,  /* بيان تصريح مقابلة (في بيان: where it was said) */
    CL_LABEL     = 1u << 24,  /* Exclusive: / عاجل: headline labels */
    CL_SUBORD    = 1u << 25,  /* دون كي حتى: a following verb is subordinate */
    CL_NOSUBJ    = 1u << 26,  /* at, during, if, who ...: cannot start an English speaker */
    CL_ADJ       = 1u << 22,  /* definite adjectives that are not nisba: المتحدة العام */
    CL_PLACE     = 1u << 31,  /* في من لدى داخل: a preposition that can stay in a speaker */
    CL_CALLS     = 1u << 30,  /* calls messages اتصالات: unanswered, a decline */
    CL_PERSON    = 1u << 29,  /* الباحث محامي السفير: a person's role, a name may follow */
    CL_ADDING    = 1u << 28,  /* مضيفا مؤكدة واصفة: a participle clause after the content */
    CL_ENMEDIA   = 1u << 27,  /* newspaper agency channel ...: words of an English recipient */
};

typedef enum {
    CUE_NONE = 0,
    CUE_SAY,        /* said, قال, أكد ... : clause, quote or object */
    CUE_DENY,       /* denied, نفى, رفض ... */
    CUE_ACCORDING,  /* according to, وفقا لـ, بحسب, حسب, نقلا عن */
    CUE_TRANSMIT,   /* نقل ... عن ... قوله; quoted X as saying */
    CUE_DESCRIBE,   /* وصف ... بأن, called, described, dismissed ... as */
    CUE_TELL,       /* told (a recipient follows) */
    CUE_NEGCONFIRM, /* لم يؤكد/did not confirm use this stance: hedges */
} claim_cue_kind_t;

typedef enum { STANCE_ASSERTS = 0, STANCE_DENIES, STANCE_HEDGES } claim_stance_t;

typedef struct {
    uint32_t flags;
    uint8_t kind;       /* claim_cue_kind_t when CL_CUE */
    uint8_t stance;     /* claim_stance_t: the cue's own stance */
    bool arabic;        /* the cue is an Arabic word */
} claim_word_t;

/* The entry for the folded KEY, or NULL.  Never allocates after the first
 * call (which builds the table; if that fails every lookup is NULL). */
const claim_word_t *claim_lexicon_find(const char *key);

/* As claim_lexicon_find, but an Arabic reporting cue may carry the
 * conjunction و or ف (وقال، فنفى): when KEY itself is not a cue and starts
 * with one of them, the rest is tried, and *prefix_bytes is set to the
 * length of the stripped letter (else 0).  Returns the cue entry or NULL. */
const claim_word_t *claim_lexicon_find_cue(const char *key, size_t *prefix_bytes);

/* Flags of KEY, together with those of KEY without a leading و or ف when
 * KEY is Arabic (ويبدو is a hedge, وامتنعت a decline); *prefix_bytes as
 * for claim_lexicon_find_cue, set only when the flags came from the rest. */
uint32_t claim_lexicon_flags(const char *key, size_t *prefix_bytes);

/* Ends with an Arabic nisba/adjective ending (ي، ية، يون، يين) after folding. */
bool claim_lexicon_nisba(const char *key);

#endif
