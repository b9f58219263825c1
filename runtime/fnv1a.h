/*
 * fnv1a.h — 64-bit FNV-1a, the cheap string hash of the text library
 * (forms, signatures), the store's keys and the alerter's config
 * fingerprint.  Each caller adds its own finishing mix where it needs
 * well-spread bits.  Values of it are stored in files (signatures, keys):
 * the constants must never change.
 *
 * Inline, in a header, so that the text library, which links nothing of
 * runtime/, can use it too.
 */
#ifndef MARSAD_FNV1A_H
#define MARSAD_FNV1A_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A_BASIS UINT64_C(1469598103934665603)

/* H carried on over the N bytes at P (start from FNV1A_BASIS). */
static inline uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(1099511628211);
    return h;
}

/* H carried on over the NUL-ended string S. */
static inline uint64_t fnv1a_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char) *s) * UINT64_C(1099511628211);
    return h;
}

#endif
