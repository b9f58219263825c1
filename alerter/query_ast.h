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

#include <stddef.h>
#include "text.h"

typedef enum {
    QN_TERM,      /* word or phrase: matched by the text matcher */
    QN_ENTITY,    /* @id: matched against the article's mentions */
    QN_AND,       /* all kids (n >= 2) */
    QN_OR,        /* any kid (n >= 2) */
    QN_NOT        /* one kid */
} qnode_kind_t;

typedef struct qnode {
    qnode_kind_t kind;
    size_t term;             /* QN_TERM / QN_ENTITY: index into query->terms */
    struct qnode **kids;     /* AND / OR / NOT, owned */
    size_t n_kids;
} qnode_t;

typedef struct {
    char *text;              /* as written: Houthis, "merchant of death", @bout, حوث* */
    char *entity;            /* entity id for @terms, else NULL */
    int line, col;           /* where it starts in the query */
} qterm_t;

struct query {
    qnode_t *root;
    qterm_t *terms;          /* owned */
    size_t n_terms;
    const char **entity_ids; /* distinct @ids, pointing into terms[].entity */
    size_t n_entity_ids;
    text_matcher_t *matcher; /* NULL when the query has no word terms */
};

#endif
