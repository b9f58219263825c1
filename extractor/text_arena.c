/*
 * text_arena.c — bump allocator for the text library's strings.
 *
 * A doc folds every token into a key plus a few forms; a matcher stores
 * every phrase word.  Allocating each of those separately would be a malloc
 * storm, so they come from blocks freed together when the owner is
 * destroyed.  Blocks start at 256 bytes and double up to 16 KiB: a watch's
 * query owns a matcher of a few short words, and 10,000 watches each with
 * a 16 KiB block were 100 MiB of an alerter's memory.  Strings only: no
 * alignment is promised.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "text_internal.h"

#define S_BLOCK 16384
#define S_FIRST_BLOCK 256

typedef struct s_block {
    struct s_block *next;
    size_t used, cap;
    char data[];
} s_block_t;

struct text_arena {
    s_block_t *head;
    size_t next_cap;        /* of the next regular block */
};

text_arena_t *
text_arena_new(void)
{
    return calloc(1, sizeof(text_arena_t));
}

void
text_arena_destroy(text_arena_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    s_block_t *b = (*self_p)->head;
    while (b) {
        s_block_t *next = b->next;
        free(b);
        b = next;
    }
    free(*self_p);
    *self_p = NULL;
}

char *
text_arena_alloc(text_arena_t *a, size_t n)
{
    s_block_t *b = a->head;
    if (!b || b->cap - b->used < n) {
        /* An oversized request gets its own block, placed behind the head
         * so the head's free space is not wasted. */
        size_t regular = a->next_cap ? a->next_cap : S_FIRST_BLOCK;
        while (regular < n && regular < S_BLOCK)
            regular *= 2;
        bool oversized = n > regular / 4 && n > S_BLOCK / 4;
        size_t cap = oversized ? n : regular < n ? n : regular;
        s_block_t *nb = malloc(sizeof(s_block_t) + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        if (!oversized)
            a->next_cap = regular < S_BLOCK ? regular * 2 : S_BLOCK;
        if (b && oversized) {
            nb->next = b->next;
            b->next = nb;
        }
        else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

char *
text_arena_strndup(text_arena_t *a, const char *s, size_t n)
{
    char *p = text_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
