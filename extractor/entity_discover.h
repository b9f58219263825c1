/*
 * entity_discover.h — names beyond the catalog, proposed from cues (DESIGN
 * §5): titles and roles before names (الرئيس، وزير، المتحدث باسم، اللواء،
 * تاجر الأسلحة; President, Minister, spokesman), media words (صحيفة، وكالة،
 * مجلة، قناة; newspaper, agency) and English Title Case runs.
 */
#ifndef MARSAD_ENTITY_DISCOVER_H
#define MARSAD_ENTITY_DISCOVER_H

#include <stddef.h>
#include "proto.h"
#include "text.h"

typedef struct {
    char *name;            /* malloc'd: the name as written */
    const char *type;      /* static: person | org | media | place */
    const char *cue;       /* static: the cue that proposed it ("title-case" for a bare run) */
    double confidence;     /* 0..1: a title right before a two-word name is surer than a bare run */
    size_t start, end;     /* byte offsets of the name in the doc's text */
    size_t sentence;
} entity_found_t;

/* Proposals in DOC, in text order, never overlapping each other nor any of
 * the N_KNOWN mentions KNOWN (catalog mentions win).  *out is malloc'd
 * (free with entity_found_free).  Returns the count, or (size_t)-1. */
size_t entity_discover(const text_doc_t *doc, const proto_mention_t *known, size_t n_known,
                       entity_found_t **out);
void entity_found_free(entity_found_t *f, size_t n);

/* Append to *M (N mentions, as entity_resolve) one mention per proposal of
 * at least MIN_CONFIDENCE, with entity id "new:<folded name>" (proto.h:
 * discovered), so no watch's @entity can fire on it; sorted by offset.
 * Returns the new count, or (size_t)-1 (*M and its N mentions valid). */
size_t entity_discover_mentions(const text_doc_t *doc, proto_mention_t **m, size_t n,
                                double min_confidence);

#endif
