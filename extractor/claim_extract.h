/*
 * claim_extract.h — who said what: attributed statements in Arabic and
 * English news text (DESIGN §5, ARABIC.md §5).
 *
 * Rule-based, over the text library's tokens and ICU sentences: a
 * reporting cue (قال، نفى، وفقا لـ، نقلت ... عن ... قوله; said, denied,
 * according to, told ...) is found by its folded key, then the speaker and
 * the content are found around it from the punctuation between tokens
 * (commas, colons, quotes of every kind) and small closed word lists
 * (claim_lexicon.h): verb-first and subject-first orders, a time phrase
 * between verb and speaker, إن/أن/that clauses, quotes, content before the
 * cue ("..., the official said"), "Source: content" headlines, and layered
 * attribution (نقلت الصحيفة عن مسؤول قوله; ..., citing people familiar
 * with the matter; X told the newspaper) as a chain of relays.
 *
 * Stance: the cue's own (denied/نفى → denies), a denial word in the
 * content (baseless, hoax, fake, لا أساس، مفبركة) → denies; a hedge word
 * (reportedly, may, يبدو، ربما) or a negated confirmation (لم يؤكد، did
 * not confirm) → hedges; else asserts.
 *
 * Declining to comment (declined to comment, رفض التعليق، لم يرد على طلب
 * للتعليق) is not a claim: it is reported apart, in declines.
 *
 * Cost: one lexicon probe per token and a bounded look-around per cue; a
 * few allocations per document (per-token scratch arrays) plus the output.
 */
#ifndef MARSAD_CLAIM_EXTRACT_H
#define MARSAD_CLAIM_EXTRACT_H

#include <stddef.h>
#include "proto.h"
#include "text.h"

/* Someone declined to comment: speaker as in a claim, cue the phrase. */
typedef struct {
    char *speaker;              /* entity id when resolved, else the description */
    char *speaker_entity;       /* NULL when not resolved */
    size_t speaker_start, speaker_end;
    size_t cue_start, cue_end;  /* "declined to comment", "رفض التعليق" */
    size_t sentence;            /* sentence index */
} claim_decline_t;

typedef struct {
    proto_claim_t *claims;  size_t n_claims;      /* all strings malloc'd */
    claim_decline_t *declines; size_t n_declines;
} claim_set_t;

/* Extract the claims of DOC.  MENTIONS (N of them, from
 * entity_catalog_scan, offsets into the doc's text; may be NULL) resolve
 * speakers and fill each claim's entities; they are borrowed during the
 * call only.  OUT is filled (zeroed first; free with claim_set_clear).
 * Returns 0, or -1 on allocation failure (OUT left empty). */
int claim_extract(const text_doc_t *doc, const proto_mention_t *mentions, size_t n,
                  claim_set_t *out);

/* Free everything OUT holds and zero it; accepts a zeroed set. */
void claim_set_clear(claim_set_t *out);

/* Move OUT's claims into an article (ARTICLE takes ownership and frees them
 * with proto_article_clear); the declines are freed.  OUT is zeroed. */
void claim_set_move_claims(claim_set_t *out, proto_claim_t **claims, size_t *n);

#endif
