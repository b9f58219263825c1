/*
 * sha256.h — SHA-256 (FIPS 180-4), small and self-contained.
 *
 * The fetcher names documents by the hex SHA-256 of "source\nitem id"
 * (DESIGN §2: ids must be stable across restarts), and the feed parser
 * uses it for items that have neither guid nor link.  None of the linked
 * libraries exposes a hash, so this is the one copy.
 */
#ifndef MARSAD_SHA256_H
#define MARSAD_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t total;        /* bytes hashed so far */
    uint8_t buf[64];
    size_t used;           /* bytes in buf */
} sha256_ctx_t;

void sha256_init(sha256_ctx_t *c);
void sha256_update(sha256_ctx_t *c, const void *data, size_t len);
void sha256_final(sha256_ctx_t *c, uint8_t out[32]);

/* One-shot: hex digest of DATA into OUT (64 lowercase hex digits + NUL). */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
