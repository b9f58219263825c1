/*
 * text.h — marsad's text library: Arabic-first normalization, ICU
 * segmentation and the clitic-aware match key (DESIGN §4, ARABIC.md).
 *
 * The extractor (entities), the store (search) and the alerter (watch
 * terms) all see text through a text_doc_t: the original UTF-8 is kept
 * for display, every token carries byte offsets back into it, and matching
 * happens on folded keys.
 *
 * Folding (the "key" of a token): NFKC, case folding, harakat and dagger
 * alef and tatweel removed, أ إ آ ٱ → ا, ى → ي, ة → ه, ی → ي, ک → ك,
 * ڤ → ف, Arabic-Indic and Persian digits → 0-9, invisible marks (RLM, LRM,
 * ALM, ZWJ, ZWNJ, BOM) dropped, quotes and dashes unified.
 *
 * Clitic awareness: each token also carries its candidate base forms —
 * the key with a proclitic from a closed list removed (و ف ب ك ل ال وال فال
 * بال كال لل ولل فلل وب ول فب فل وك ...), and nisba/plural endings folded
 * back to the singular nisba (ية يه يون يين يات → ي).  A term word matches a
 * token when the term's key equals one of these forms; there is no substring
 * matching, so بوت does not match بوتين or روبوت.
 */
#ifndef MARSAD_TEXT_H
#define MARSAD_TEXT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#define TEXT_MAX_FORMS 8

typedef struct {
    size_t start, end;     /* byte offsets of the token in the original text */
    size_t sentence;       /* index into the doc's sentences */
    const char *key;       /* folded key (forms[0]), NUL-terminated, owned by the doc */
    const char *forms[TEXT_MAX_FORMS];  /* forms[0] = key; then base forms, distinct */
    size_t n_forms;
    bool is_word;          /* letters or digits (not punctuation) */
} text_token_t;

typedef struct {
    size_t start, end;     /* byte offsets in the original text */
} text_span_t;

typedef struct text_doc text_doc_t;

/* Normalize and segment TEXT (LEN bytes of UTF-8; invalid sequences are
 * replaced, offsets still refer to TEXT).  Only word tokens are kept (no
 * spaces or punctuation), in order.  Hyphenated letter-digit runs (AK-74,
 * S-300, F-16) are one token.  Returns NULL on allocation failure.
 * The doc keeps its own copy of TEXT. */
text_doc_t *text_doc_new(const char *text, size_t len);
/* The same tokens without sentences (text_doc_nsentences is 0, every
 * token's sentence 0), for callers that need only the tokens. */
text_doc_t *text_doc_words(const char *text, size_t len);
void text_doc_destroy(text_doc_t **self_p);

size_t text_doc_ntokens(const text_doc_t *doc);
const text_token_t *text_doc_token(const text_doc_t *doc, size_t i);
size_t text_doc_nsentences(const text_doc_t *doc);
text_span_t text_doc_sentence(const text_doc_t *doc, size_t i);
const char *text_doc_text(const text_doc_t *doc);   /* the original, NUL-terminated */
size_t text_doc_len(const text_doc_t *doc);

/* The folded form of a whole string (as search and the store's FTS index
 * see it), malloc'd; NULL on failure.  Word keys joined by single spaces. */
char *text_fold(const char *text, size_t len);

/* The key a term word is matched with: folded, and with the article ال
 * removed when what remains has at least 2 letters (so "الحوثي" → "حوثي"),
 * nisba plural endings folded as for tokens.  malloc'd; NULL if the word
 * folds to nothing. */
char *text_term_key(const char *word, size_t len);

/* ------------------------------------------------------------ matcher */
/* A set of phrases (each one or more words), each with an integer id,
 * matched against a doc in one pass over its tokens: the cost does not grow
 * with the number of phrases (hash lookups per token form). */
typedef struct text_matcher text_matcher_t;

typedef struct {
    int id;                 /* the id given to text_matcher_add */
    size_t first, last;     /* token indexes, inclusive */
    size_t start, end;      /* byte offsets in the doc's text */
} text_hit_t;

text_matcher_t *text_matcher_new(void);
void text_matcher_destroy(text_matcher_t **self_p);
/* Add PHRASE (split into words with the same segmentation as docs).  A
 * trailing '*' on the last word makes it a prefix match on token forms.
 * Returns 0, or -1 if the phrase has no words or on allocation failure. */
int text_matcher_add(text_matcher_t *m, const char *phrase, int id);
/* All hits in DOC, in token order; overlapping hits of different ids are
 * all reported.  *hits is malloc'd (caller frees); returns the count, or
 * (size_t)-1 on allocation failure. */
size_t text_matcher_scan(const text_matcher_t *m, const text_doc_t *doc, text_hit_t **hits);
/* As text_matcher_scan; when FORM_HASHES is not NULL (caller-owned,
 * text_doc_ntokens(doc) * TEXT_MAX_FORMS entries), entry
 * [i * TEXT_MAX_FORMS + f] is also set to text_key_hash of token i's form
 * f, and entry [i * TEXT_MAX_FORMS + n_forms] to 0 when there is room.
 * The scan hashes every form anyway; a second pass over the same doc in
 * the same call (entity_resolve's surnames) then need not, nor even read
 * the tokens until a hash is found. */
size_t text_matcher_scan_hashes(const text_matcher_t *m, const text_doc_t *doc, text_hit_t **hits,
                                uint32_t *form_hashes);
/* The hash the matcher gives a key of LEN bytes (a token form or a term
 * key): FNV-1a, never 0. */
uint32_t text_key_hash(const char *key, size_t len);

#endif
