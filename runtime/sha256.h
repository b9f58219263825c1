/*
 * sha256.h — SHA-256 (FIPS 180-4), for document ids and content hashes.
 * Small and dependency-free so every stage can use it.
 */
#ifndef MARSAD_SHA256_H
#define MARSAD_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char buf[64];
    size_t used;
} sha256_t;

void sha256_init(sha256_t *s);
void sha256_update(sha256_t *s, const void *data, size_t len);
void sha256_final(sha256_t *s, unsigned char digest[32]);
/* Lower-case hex digest of DATA into OUT (65 bytes with the NUL). */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
