/*
 * query_parse.c — the watch language's lexer and recursive-descent parser
 * (DESIGN §7, query.h).
 *
 *     query    := or EOF
 *     or       := and ( "OR" and )*
 *     and      := not ( ["AND"] not )*          juxtaposition is AND
 *     not      := "NOT" not | prox                so "a AND NOT b" works
 *     prox     := primary ( (NEAR/n | ONEAR/n | SENTENCE) primary )*
 *     primary  := WORD | WORD* | "PHRASE" | @id | "(" or ")"
 *               | title:WORD | title:"PHRASE" | title:( or )   (text: alike)
 *               | source:NAME | lang:CODE | type:TYPE
 *
 * Proximity operators are left-associative and take operands that have a
 * place in the text: words, phrases, @ids, type:, or an OR of those (so
 * "(Bout OR بوت) NEAR/5 (arms OR أسلحة)" works); NEAR/n is within n words
 * in either order (NEAR/1 = adjacent), ONEAR/n the same with the left
 * operand first, SENTENCE in one sentence.  A field prefix is glued to its
 * value (title:Bout, source:"Al Jazeera"); an unknown lowercase `name:` is
 * an error rather than a silently different query.
 *
 * Operators are the uppercase words AND, OR, NOT, NEAR/n, ONEAR/n,
 * SENTENCE only; "and" is a word.
 * Phrases may be quoted with " “ ” « » „ in any mix (Arabic text often
 * opens with « and closes with ").  Positions are line:column, 1-based,
 * counted in characters (not bytes) so they point at the right place in an
 * Arabic query.  Each error names what was expected; the first error
 * stops the parse.
 *
 * Word and phrase terms go into one text_matcher (id = term index), built
 * here once so that evaluation is a single scan per document.
 */
#include "query.h"
#include "query_ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    T_EOF, T_WORD, T_PHRASE, T_ENTITY, T_AND, T_OR, T_NOT, T_LPAREN, T_RPAREN,
    T_NEAR, T_SENTENCE, T_FIELD
} tok_kind_t;

#define QUERY_MAX_NEAR 1000   /* words: NEAR/n with n above is a typo */

typedef struct {
    tok_kind_t kind;
    const char *raw;       /* the token as written (slice of the source) */
    size_t raw_len;
    const char *val;       /* WORD: the word; PHRASE: inside the quotes; ENTITY: the id;
                            * FIELD: what follows the ':' (may be empty) */
    size_t val_len;
    int line, col;
    qfield_t field;        /* FIELD */
    size_t dist;           /* NEAR */
    bool ordered;          /* NEAR: ONEAR */
} tok_t;

typedef struct {
    const char *src;
    size_t pos;
    int line, col;
    tok_t tok;             /* lookahead */
    tok_kind_t prev;       /* kind of the token consumed last (T_EOF at start) */
    bool failed;
    query_error_t *err;
    query_t *q;
    size_t cap_terms;
    qfield_t group_field;  /* inside title:( ) or text:( ), else QF_ANY */
} parser_t;

/* -------------------------------------------------------------- errors */

static void s_fail(parser_t *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void s_fail(parser_t *p, int line, int col, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    if (!p->err)
        return;
    p->err->line = line;
    p->err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
}

static const char *s_kind_name(tok_kind_t k)
{
    switch (k) {
    case T_EOF: return "end of query";
    case T_WORD: return "a word";
    case T_PHRASE: return "a phrase";
    case T_ENTITY: return "an @entity";
    case T_AND: return "AND";
    case T_OR: return "OR";
    case T_NOT: return "NOT";
    case T_LPAREN: return "'('";
    case T_RPAREN: return "')'";
    case T_NEAR: return "NEAR/n";
    case T_SENTENCE: return "SENTENCE";
    case T_FIELD: return "a field prefix";
    }
    return "?";
}

/* --------------------------------------------------------------- lexer */

/* Length of the UTF-8 sequence starting with byte C (1 for bad bytes, so
 * the lexer always advances). */
static size_t s_u8len(unsigned char c)
{
    if (c < 0xC0) return 1;
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    return 4;
}

static size_t s_u8len_at(const char *s, size_t pos)
{
    size_t n = s_u8len((unsigned char) s[pos]);
    for (size_t i = 1; i < n; i++)
        if (s[pos + i] == '\0')
            return i;
    return n;
}

static bool s_is_space(const char *s)
{
    unsigned char c = (unsigned char) s[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return true;
    /* NBSP U+00A0 */
    return c == 0xC2 && (unsigned char) s[1] == 0xA0;
}

/* Length in bytes of a quote character at S, or 0. */
static size_t s_quote_len(const char *s)
{
    static const char *quotes[] = {
        "\"", "\xE2\x80\x9C" /* “ */, "\xE2\x80\x9D" /* ” */,
        "\xC2\xAB" /* « */, "\xC2\xBB" /* » */, "\xE2\x80\x9E" /* „ */
    };
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
        size_t n = strlen(quotes[i]);
        if (strncmp(s, quotes[i], n) == 0)
            return n;
    }
    return 0;
}

/* Advance over one character, keeping line and column. */
static void s_advance(parser_t *p)
{
    if (p->src[p->pos] == '\0')
        return;
    if (p->src[p->pos] == '\n') {
        p->line++;
        p->col = 1;
        p->pos++;
        return;
    }
    p->pos += s_u8len_at(p->src, p->pos);
    p->col++;
}

static bool s_is_word_end(const char *s)
{
    return *s == '\0' || s_is_space(s) || *s == '(' || *s == ')' || s_quote_len(s) > 0;
}

static bool s_entity_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* A '*' only at the end of WORD, after at least 2 letters. */
static void s_check_wildcard(parser_t *p, const tok_t *t, const char *word, size_t len)
{
    const char *star = memchr(word, '*', len);
    if (!star)
        return;
    if (star != word + len - 1) {
        s_fail(p, t->line, t->col, "'*' is only allowed at the end of a word");
        return;
    }
    size_t chars = 0;
    for (const char *s = word; s < star; s++)
        if (((unsigned char) *s & 0xC0) != 0x80)
            chars++;
    if (chars < 2)
        s_fail(p, t->line, t->col, "a wildcard needs at least 2 letters before '*'");
}

/* NEAR/n or ONEAR/n (the token starts with NEAR or ONEAR). */
static void s_lex_near(parser_t *p, tok_t *t)
{
    bool ordered = t->raw[0] == 'O';
    size_t skip = ordered ? 5 : 4;
    const char *name = ordered ? "ONEAR" : "NEAR";
    t->kind = T_NEAR;
    t->ordered = ordered;
    size_t n = 0;
    bool ok = t->raw_len > skip + 1 && t->raw[skip] == '/';
    for (size_t i = skip + 1; ok && i < t->raw_len; i++) {
        if (t->raw[i] < '0' || t->raw[i] > '9' || n > QUERY_MAX_NEAR)
            ok = false;
        else
            n = n * 10 + (size_t) (t->raw[i] - '0');
    }
    if (!ok || n < 1 || n > QUERY_MAX_NEAR) {
        s_fail(p, t->line, t->col, "expected %s/n with n a number of words from 1 to %d, "
               "found '%.*s'", name, QUERY_MAX_NEAR, (int) t->raw_len, t->raw);
        return;
    }
    t->dist = n;
}

/* A `name:` prefix: T_FIELD for a known one (true), an error for an unknown
 * lowercase one (true), false when the word has no such prefix. */
static bool s_lex_field(parser_t *p, tok_t *t)
{
    static const struct { const char *name; qfield_t field; } fields[] = {
        { "title", QF_TITLE }, { "text", QF_TEXT }, { "source", QF_SOURCE },
        { "lang", QF_LANG }, { "type", QF_TYPE },
    };
    size_t k = 0;
    while (k < t->raw_len && t->raw[k] >= 'a' && t->raw[k] <= 'z')
        k++;
    if (k == 0 || k >= t->raw_len || t->raw[k] != ':')
        return false;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strlen(fields[i].name) == k && memcmp(t->raw, fields[i].name, k) == 0) {
            t->kind = T_FIELD;
            t->field = fields[i].field;
            t->val = t->raw + k + 1;
            t->val_len = t->raw_len - k - 1;
            return true;
        }
    }
    s_fail(p, t->line, t->col, "unknown field prefix '%.*s'; expected title:, text:, "
           "source:, lang: or type:", (int) k + 1, t->raw);
    t->kind = T_WORD;
    return true;
}

/* Read the next token into p->tok. */
static void s_next(parser_t *p)
{
    while (p->src[p->pos] && s_is_space(p->src + p->pos))
        s_advance(p);

    tok_t *t = &p->tok;
    memset(t, 0, sizeof *t);
    t->line = p->line;
    t->col = p->col;
    t->raw = p->src + p->pos;
    size_t start = p->pos;
    char c = p->src[p->pos];

    if (c == '\0') {
        t->kind = T_EOF;
        return;
    }
    if (c == '(' || c == ')') {
        t->kind = c == '(' ? T_LPAREN : T_RPAREN;
        s_advance(p);
        t->raw_len = 1;
        return;
    }
    size_t ql = s_quote_len(p->src + p->pos);
    if (ql > 0) {
        s_advance(p);
        size_t inner = p->pos;
        while (p->src[p->pos] && s_quote_len(p->src + p->pos) == 0)
            s_advance(p);
        if (p->src[p->pos] == '\0') {
            s_fail(p, t->line, t->col, "unterminated quote");
            t->kind = T_EOF;
            return;
        }
        t->kind = T_PHRASE;
        t->val = p->src + inner;
        t->val_len = p->pos - inner;
        s_advance(p);   /* the closing quote */
        t->raw_len = p->pos - start;
        bool blank = true;
        for (size_t i = 0; i < t->val_len; i++)
            if (!s_is_space(t->val + i))
                blank = false;
        if (blank)
            s_fail(p, t->line, t->col, "empty phrase");
        return;
    }

    while (!s_is_word_end(p->src + p->pos))
        s_advance(p);
    t->raw_len = p->pos - start;
    t->val = t->raw;
    t->val_len = t->raw_len;

    if (t->raw_len == 3 && memcmp(t->raw, "AND", 3) == 0) { t->kind = T_AND; return; }
    if (t->raw_len == 2 && memcmp(t->raw, "OR", 2) == 0) { t->kind = T_OR; return; }
    if (t->raw_len == 3 && memcmp(t->raw, "NOT", 3) == 0) { t->kind = T_NOT; return; }

    if (t->raw[0] == '@') {
        t->kind = T_ENTITY;
        t->val = t->raw + 1;
        t->val_len = t->raw_len - 1;
        if (t->val_len == 0) {
            s_fail(p, t->line, t->col, "expected an entity id after '@'");
            return;
        }
        for (size_t i = 0; i < t->val_len; i++)
            if (!s_entity_char(t->val[i])) {
                s_fail(p, t->line, t->col,
                       "bad entity id '%.*s': ids are lowercase a-z, 0-9, '_' and '-'",
                       (int) t->raw_len, t->raw);
                return;
            }
        return;
    }

    if (t->raw_len == 8 && memcmp(t->raw, "SENTENCE", 8) == 0) { t->kind = T_SENTENCE; return; }
    if ((t->raw_len >= 4 && memcmp(t->raw, "NEAR", 4) == 0
         && (t->raw_len == 4 || t->raw[4] == '/'))
        || (t->raw_len >= 5 && memcmp(t->raw, "ONEAR", 5) == 0
            && (t->raw_len == 5 || t->raw[5] == '/'))) {
        s_lex_near(p, t);
        return;
    }
    if (s_lex_field(p, t))
        return;
    t->kind = T_WORD;
    s_check_wildcard(p, t, t->raw, t->raw_len);
}

/* --------------------------------------------------------------- terms */

static void s_node_free(qnode_t *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_kids; i++)
        s_node_free(n->kids[i]);
    free(n->kids);
    free(n);
}

void query_drop_matcher(query_t *q)
{
    if (q && q->matcher) {
        text_matcher_destroy(&q->matcher);
        q->prescan_only = true;
    }
}

void query_destroy(query_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    query_t *q = *self_p;
    s_node_free(q->root);
    for (size_t i = 0; i < q->n_terms; i++) {
        free(q->terms[i].text);
        free(q->terms[i].entity);
        free(q->terms[i].value);
        free(q->terms[i].arg);
    }
    free(q->terms);
    free(q->entity_ids);
    text_matcher_destroy(&q->matcher);
    free(q);
    *self_p = NULL;
}

static qnode_t *s_node_new(parser_t *p, qnode_kind_t kind)
{
    qnode_t *n = calloc(1, sizeof *n);
    if (!n)
        s_fail(p, p->tok.line, p->tok.col, "out of memory");
    else
        n->kind = kind;
    return n;
}

/* What a term is made of: where it starts, how it was written, what it
 * matches. */
typedef struct {
    int line, col;
    const char *raw;  size_t raw_len;   /* as written, with prefix and quotes */
    const char *val;  size_t val_len;   /* word/phrase, entity id or field value */
    bool entity, phrase;
    qfield_t field;
} term_spec_t;

static bool s_known_type(const char *v, size_t len)
{
    static const char *types[] = { "person", "org", "place", "weapon", "media", "other" };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i]) == len && memcmp(types[i], v, len) == 0)
            return true;
    return false;
}

/* Add a term; returns a leaf node or NULL. */
static qnode_t *s_term(parser_t *p, const term_spec_t *t)
{
    query_t *q = p->q;
    if (q->n_terms == p->cap_terms) {
        size_t cap = p->cap_terms ? p->cap_terms * 2 : 8;
        qterm_t *terms = realloc(q->terms, cap * sizeof *terms);
        if (!terms) {
            s_fail(p, t->line, t->col, "out of memory");
            return NULL;
        }
        q->terms = terms;
        p->cap_terms = cap;
    }
    bool in_text = !t->entity && (t->field == QF_ANY || t->field == QF_TITLE
                                  || t->field == QF_TEXT);
    qterm_t *term = &q->terms[q->n_terms];
    memset(term, 0, sizeof *term);
    term->line = t->line;
    term->col = t->col;
    term->field = t->field;
    term->text = strndup(t->raw, t->raw_len);
    bool ok = term->text != NULL;
    if (t->entity)
        ok = ok && (term->entity = strndup(t->val, t->val_len)) != NULL;
    else if (in_text)
        ok = ok && (term->value = strndup(t->val, t->val_len)) != NULL;
    else
        ok = ok && (term->arg = strndup(t->val, t->val_len)) != NULL;
    if (!ok) {
        free(term->text);
        free(term->entity);
        free(term->value);
        free(term->arg);
        s_fail(p, t->line, t->col, "out of memory");
        return NULL;
    }
    size_t index = q->n_terms++;

    if (in_text) {
        if (!q->matcher && !(q->matcher = text_matcher_new())) {
            s_fail(p, t->line, t->col, "out of memory");
            return NULL;
        }
        if (text_matcher_add(q->matcher, term->value, (int) index) != 0) {
            s_fail(p, t->line, t->col, "%s %.*s has no letters or digits to match",
                   t->phrase ? "phrase" : "word", (int) t->raw_len, t->raw);
            return NULL;
        }
    }
    qnode_t *n = s_node_new(p, t->entity ? QN_ENTITY : QN_TERM);
    if (n)
        n->term = index;
    return n;
}

/* ------------------------------------------------------------- grammar */

static void s_consume(parser_t *p)
{
    p->prev = p->tok.kind;
    s_next(p);
}

static qnode_t *s_or(parser_t *p);
static qnode_t *s_prox(parser_t *p);
static qnode_t *s_wrap(parser_t *p, qnode_kind_t kind, qnode_t *first);
static void s_append(parser_t *p, qnode_t *n, qnode_t *kid);

/* Report that a term was expected at the lookahead. */
static void s_expected_term(parser_t *p)
{
    tok_t *t = &p->tok;
    char after[32] = "";
    if (p->prev == T_AND || p->prev == T_OR || p->prev == T_NOT || p->prev == T_NEAR
        || p->prev == T_SENTENCE)
        snprintf(after, sizeof after, " after %s", s_kind_name(p->prev));
    else if (p->prev == T_LPAREN)
        snprintf(after, sizeof after, " after '('");

    if (t->kind == T_EOF) {
        if (p->prev == T_EOF)
            s_fail(p, t->line, t->col, "empty query");
        else
            s_fail(p, t->line, t->col, "unexpected end of query, expected a term%s", after);
    } else if (t->kind == T_RPAREN && p->prev != T_LPAREN && after[0] == '\0') {
        s_fail(p, t->line, t->col, "unexpected ')' with no matching '('");
    } else {
        s_fail(p, t->line, t->col, "expected a term%s, found %s", after, s_kind_name(t->kind));
    }
}

static const char *s_field_name(qfield_t f)
{
    switch (f) {
    case QF_TITLE: return "title:";
    case QF_TEXT: return "text:";
    case QF_SOURCE: return "source:";
    case QF_LANG: return "lang:";
    case QF_TYPE: return "type:";
    case QF_ANY: break;
    }
    return "";
}

/* A field prefix at the lookahead: title:WORD, title:"PHRASE", title:( or ),
 * source:NAME, source:"NAME", lang:CODE, type:TYPE. */
static qnode_t *s_field(parser_t *p)
{
    tok_t pre = p->tok;
    const char *fname = s_field_name(pre.field);
    bool textual = pre.field == QF_TITLE || pre.field == QF_TEXT;
    if (textual && p->group_field != QF_ANY && p->group_field != pre.field) {
        s_fail(p, pre.line, pre.col, "%s inside %s( ): a term is in one field only",
               fname, s_field_name(p->group_field));
        return NULL;
    }
    term_spec_t spec = { pre.line, pre.col, pre.raw, pre.raw_len, pre.val, pre.val_len,
                         false, false, pre.field };
    if (pre.val_len == 0) {
        /* The value is the next token, which must touch the prefix. */
        bool glued = p->src[p->pos] != '\0' && !s_is_space(p->src + p->pos);
        s_consume(p);
        tok_t *t = &p->tok;
        if (glued && textual && t->kind == T_LPAREN) {
            int line = t->line, col = t->col;
            qfield_t saved = p->group_field;
            p->group_field = pre.field;
            s_consume(p);
            qnode_t *inner = s_or(p);
            p->group_field = saved;
            if (!inner)
                return NULL;
            if (p->tok.kind != T_RPAREN) {
                s_fail(p, p->tok.line, p->tok.col,
                       "expected ')' to close '(' opened at %d:%d", line, col);
                s_node_free(inner);
                return NULL;
            }
            s_consume(p);
            return inner;
        }
        if (!glued || t->kind != T_PHRASE) {
            s_fail(p, pre.line, pre.col, "expected a word%s or a \"phrase\" right after '%s'",
                   textual ? ", '('" : "", fname);
            return NULL;
        }
        spec.raw_len = (size_t) (t->raw + t->raw_len - pre.raw);
        spec.val = t->val;
        spec.val_len = t->val_len;
        spec.phrase = true;
    } else if (textual) {
        s_check_wildcard(p, &pre, pre.val, pre.val_len);
    } else {
        const char *star = memchr(pre.val, '*', pre.val_len);
        if (star && (pre.field == QF_TYPE || star != pre.val + pre.val_len - 1))
            s_fail(p, pre.line, pre.col, "'*' is only allowed at the end of a %s value",
                   fname);
    }
    if (p->failed)
        return NULL;
    if (pre.field == QF_TYPE && !s_known_type(spec.val, spec.val_len)) {
        s_fail(p, pre.line, pre.col, "unknown entity type '%.*s'; expected person, org, "
               "place, weapon, media or other", (int) spec.val_len, spec.val);
        return NULL;
    }
    qnode_t *n = s_term(p, &spec);
    if (n)
        s_consume(p);
    return n;
}

static qnode_t *s_primary(parser_t *p)
{
    if (p->failed)
        return NULL;
    tok_t *t = &p->tok;
    switch (t->kind) {
    case T_WORD:
    case T_PHRASE:
    case T_ENTITY: {
        if (t->kind == T_ENTITY && p->group_field != QF_ANY) {
            s_fail(p, t->line, t->col, "@entity inside %s:( ): entities are found "
                   "in the text, not by field", p->group_field == QF_TITLE ? "title" : "text");
            return NULL;
        }
        term_spec_t spec = { t->line, t->col, t->raw, t->raw_len, t->val, t->val_len,
                             t->kind == T_ENTITY, t->kind == T_PHRASE, p->group_field };
        qnode_t *n = s_term(p, &spec);
        if (n)
            s_consume(p);
        return n;
    }
    case T_FIELD:
        return s_field(p);
    case T_LPAREN: {
        int line = t->line, col = t->col;
        s_consume(p);
        qnode_t *inner = s_or(p);
        if (!inner)
            return NULL;
        if (p->tok.kind != T_RPAREN) {
            s_fail(p, p->tok.line, p->tok.col, "expected ')' to close '(' opened at %d:%d",
                   line, col);
            s_node_free(inner);
            return NULL;
        }
        s_consume(p);
        return inner;
    }
    default:
        s_expected_term(p);
        return NULL;
    }
}

/* Can N be an operand of NEAR / SENTENCE: does it have places in the
 * text? */
static bool s_positional(const query_t *q, const qnode_t *n)
{
    switch (n->kind) {
    case QN_ENTITY:
        return true;
    case QN_TERM:
        return q->terms[n->term].field != QF_SOURCE && q->terms[n->term].field != QF_LANG;
    case QN_OR:
        for (size_t i = 0; i < n->n_kids; i++)
            if (!s_positional(q, n->kids[i]))
                return false;
        return true;
    case QN_NEAR:
    case QN_SENTENCE:
        return true;
    case QN_AND:
    case QN_NOT:
        return false;
    }
    return false;
}

static qnode_t *s_prox(parser_t *p)
{
    tok_t first = p->tok;
    qnode_t *acc = s_primary(p);
    while (acc && !p->failed && (p->tok.kind == T_NEAR || p->tok.kind == T_SENTENCE)) {
        tok_t op = p->tok;
        if (!s_positional(p->q, acc)) {
            s_fail(p, first.line, first.col, "the left operand of %.*s must be words, "
                   "phrases, @entities or type: (or an OR of them)", (int) op.raw_len, op.raw);
            break;
        }
        s_consume(p);
        tok_t right = p->tok;
        qnode_t *kid = s_primary(p);
        if (!kid)
            break;
        if (!s_positional(p->q, kid)) {
            s_node_free(kid);
            s_fail(p, right.line, right.col, "the right operand of %.*s must be words, "
                   "phrases, @entities or type: (or an OR of them)", (int) op.raw_len, op.raw);
            break;
        }
        qnode_t *n = s_wrap(p, op.kind == T_NEAR ? QN_NEAR : QN_SENTENCE, acc);
        if (!n) {
            acc = NULL;
            s_node_free(kid);
            break;
        }
        n->dist = op.dist;
        n->ordered = op.ordered;
        acc = n;
        s_append(p, n, kid);
    }
    if (p->failed) {
        s_node_free(acc);
        return NULL;
    }
    return acc;
}

static qnode_t *s_not(parser_t *p)
{
    if (p->failed)
        return NULL;
    if (p->tok.kind != T_NOT)
        return s_prox(p);
    s_consume(p);
    qnode_t *kid = s_not(p);
    if (!kid)
        return NULL;
    return s_wrap(p, QN_NOT, kid);
}

/* A new n-ary node of KIND whose first kid is FIRST; NULL (FIRST freed)
 * on allocation failure. */
static qnode_t *s_wrap(parser_t *p, qnode_kind_t kind, qnode_t *first)
{
    qnode_t *n = s_node_new(p, kind);
    qnode_t **kids = n ? malloc(sizeof *kids) : NULL;
    if (!kids) {
        free(n);
        s_node_free(first);
        s_fail(p, p->tok.line, p->tok.col, "out of memory");
        return NULL;
    }
    kids[0] = first;
    n->kids = kids;
    n->n_kids = 1;
    return n;
}

/* Append KID to N's kids; KID is freed on allocation failure. */
static void s_append(parser_t *p, qnode_t *n, qnode_t *kid)
{
    qnode_t **kids = realloc(n->kids, (n->n_kids + 1) * sizeof *kids);
    if (!kids) {
        s_node_free(kid);
        s_fail(p, p->tok.line, p->tok.col, "out of memory");
        return;
    }
    kids[n->n_kids++] = kid;
    n->kids = kids;
}

static bool s_starts_term(tok_kind_t k)
{
    return k == T_WORD || k == T_PHRASE || k == T_ENTITY || k == T_LPAREN || k == T_NOT
           || k == T_FIELD;
}

static qnode_t *s_and(parser_t *p)
{
    qnode_t *acc = s_not(p);
    qnode_t *conj = NULL;     /* the n-ary node of this level, once there is one */
    while (acc && !p->failed) {
        if (p->tok.kind == T_AND)
            s_consume(p);
        else if (!s_starts_term(p->tok.kind))
            break;           /* juxtaposition: another term means AND */
        qnode_t *kid = s_not(p);
        if (!kid)
            break;
        if (!conj && !(acc = conj = s_wrap(p, QN_AND, acc))) {
            s_node_free(kid);
            break;
        }
        s_append(p, conj, kid);
    }
    if (p->failed) {
        s_node_free(acc);
        return NULL;
    }
    return acc;
}

static qnode_t *s_or(parser_t *p)
{
    qnode_t *acc = s_and(p);
    qnode_t *disj = NULL;
    while (acc && !p->failed && p->tok.kind == T_OR) {
        s_consume(p);
        qnode_t *kid = s_and(p);
        if (!kid)
            break;
        if (!disj && !(acc = disj = s_wrap(p, QN_OR, acc))) {
            s_node_free(kid);
            break;
        }
        s_append(p, disj, kid);
    }
    if (p->failed) {
        s_node_free(acc);
        return NULL;
    }
    return acc;
}

/* ----------------------------------------------------------------- API */

static int s_collect_entities(query_t *q)
{
    if (q->n_terms == 0)
        return 0;
    q->entity_ids = calloc(q->n_terms, sizeof *q->entity_ids);
    if (!q->entity_ids)
        return -1;
    for (size_t i = 0; i < q->n_terms; i++) {
        const char *id = q->terms[i].entity;
        if (!id)
            continue;
        bool seen = false;
        for (size_t j = 0; j < q->n_entity_ids && !seen; j++)
            seen = strcmp(q->entity_ids[j], id) == 0;
        if (!seen)
            q->entity_ids[q->n_entity_ids++] = id;
    }
    return 0;
}

/* Mark the terms of N that sit under an odd number of NOTs. */
static void s_mark_negated(query_t *q, const qnode_t *n, bool negated)
{
    if (n->kind == QN_TERM || n->kind == QN_ENTITY) {
        q->terms[n->term].negated = negated;
        return;
    }
    for (size_t i = 0; i < n->n_kids; i++)
        s_mark_negated(q, n->kids[i], n->kind == QN_NOT ? !negated : negated);
}

query_t *query_parse(const char *src, query_error_t *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    query_t *q = calloc(1, sizeof *q);
    if (!q || !src) {
        if (err) {
            err->line = err->col = 1;
            snprintf(err->message, sizeof err->message, q ? "no query" : "out of memory");
        }
        free(q);
        return NULL;
    }
    parser_t p = { .src = src, .line = 1, .col = 1, .prev = T_EOF, .err = err, .q = q };
    s_next(&p);
    q->root = s_or(&p);
    if (!p.failed && p.tok.kind != T_EOF) {
        if (p.tok.kind == T_RPAREN)
            s_fail(&p, p.tok.line, p.tok.col, "unexpected ')' with no matching '('");
        else
            s_fail(&p, p.tok.line, p.tok.col, "expected AND, OR, NOT or a term, found %s",
                   s_kind_name(p.tok.kind));
    }
    if (!p.failed && s_collect_entities(q) != 0)
        s_fail(&p, 1, 1, "out of memory");
    if (!p.failed)
        s_mark_negated(q, q->root, false);
    if (p.failed) {
        query_destroy(&q);
        return NULL;
    }
    return q;
}

size_t query_terms(const query_t *q, const char ***terms_out)
{
    if (terms_out)
        *terms_out = NULL;
    if (!q || !terms_out || q->n_terms == 0)
        return 0;
    const char **out = calloc(q->n_terms, sizeof *out);
    if (!out)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < q->n_terms; i++) {
        const qterm_t *t = &q->terms[i];
        if (!t->value || t->negated)
            continue;
        bool seen = false;
        for (size_t j = 0; j < n && !seen; j++)
            seen = strcmp(out[j], t->value) == 0;
        if (!seen)
            out[n++] = t->value;
    }
    if (n == 0) {
        free(out);
        return 0;
    }
    *terms_out = out;
    return n;
}

size_t query_entities(const query_t *q, const char ***ids_out)
{
    if (ids_out)
        *ids_out = q ? q->entity_ids : NULL;
    return q ? q->n_entity_ids : 0;
}
