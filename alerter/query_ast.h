/*
 * query_ast.h — the parsed form of a watch query, shared by the parser
 * (query_parse.c) and the evaluator (query_eval.c).  Private to alerter/;
 * callers see only query.h.
 *
 * A query is a tree of nodes over a flat table of terms.  Every word and
 * phrase term is added to one text_matcher with its term index as id, so an
 * evaluation scans each document once whatever the number of terms.
 */
#ifndef MARSAD_QUERY_AST_H
#define MARSAD_QUERY_AST_H

#include <stdbool.h>
#include <stddef.h>
#include "text.h"

typedef enum {
    QN_TERM,      /* word or phrase: matched by the text matcher */
    QN_ENTITY,    /* @id: matched against the article's mentions */
    QN_AND,       /* all kids (n >= 2) */
    QN_OR,        /* any kid (n >= 2) */
    QN_NOT,       /* one kid */
    QN_NEAR,      /* two kids within `dist` words (in order if `ordered`) */
    QN_SENTENCE   /* two kids in the same sentence */
} qnode_kind_t;

/* What a term looks at.  Words and phrases: QF_ANY (title or text),
 * QF_TITLE, QF_TEXT.  The others are not matched in the text: QF_SOURCE
 * and QF_LANG compare the article's source name and language, QF_TYPE
 * looks for a mention of an entity of that type (it has positions). */
typedef enum {
    QF_ANY, QF_TITLE, QF_TEXT, QF_SOURCE, QF_LANG, QF_TYPE
} qfield_t;

typedef struct qnode {
    qnode_kind_t kind;
    size_t term;             /* QN_TERM / QN_ENTITY: index into query->terms */
    size_t dist;             /* QN_NEAR: at most this many words apart (>= 1) */
    bool ordered;            /* QN_NEAR: ONEAR, left operand first */
    struct qnode **kids;     /* AND / OR / NOT, owned */
    size_t n_kids;
} qnode_t;

typedef struct {
    char *text;              /* as written: Houthis, "merchant of death", @bout, حوث* */
    char *entity;            /* entity id for @terms, else NULL */
    char *value;             /* word/phrase: what is matched (no quotes; a
                              * wildcard keeps its '*'); NULL for @terms */
    qfield_t field;          /* QF_ANY for plain words, phrases, @ids */
    char *arg;               /* QF_SOURCE / QF_LANG / QF_TYPE: the value, as
                              * written (a trailing '*' is a prefix match) */
    bool negated;            /* under an odd number of NOTs */
    int line, col;           /* where it starts in the query */
} qterm_t;

struct query {
    qnode_t *root;
    qterm_t *terms;          /* owned */
    size_t n_terms;
    const char **entity_ids; /* distinct @ids, pointing into terms[].entity */
    size_t n_entity_ids;
    text_matcher_t *matcher; /* NULL when the query has no word terms, or dropped */
    bool prescan_only;       /* the matcher was dropped (query_drop_matcher) */
};

#endif
