/*
 * fuzz_proto.c — libFuzzer target for every decoder of proto/ (DESIGN §3):
 * whatever arrives on a socket goes through one of them, so none may crash,
 * leak or read out of bounds.  The first byte picks the decoder and how many
 * frames the rest is cut into (at each "\x00|\x00" separator, as a multipart
 * message would arrive).  A message that decodes is encoded again and must
 * decode again: the codec agrees with itself (abort() otherwise, which
 * libFuzzer reports as a crash).  Seed corpus: tests/fuzz/corpus_proto/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Cut DATA into at most PROTO_MAX_FRAMES frames at "\0|\0"; the frames are
 * malloc'd copies, as proto_recv would make them. */
static void
s_frames(const uint8_t *data, size_t size, size_t max, proto_frames_t *f)
{
    memset(f, 0, sizeof *f);
    size_t at = 0;
    while (f->n < max) {
        size_t end = size;
        if (f->n + 1 < max)
            for (size_t i = at; i + 3 <= size; i++)
                if (data[i] == 0 && data[i + 1] == '|' && data[i + 2] == 0) {
                    end = i;
                    break;
                }
        size_t n = end - at;
        f->data[f->n] = malloc(n ? n : 1);
        if (!f->data[f->n])
            abort();
        memcpy(f->data[f->n], data + at, n);
        f->len[f->n++] = n;
        if (end == size)
            break;
        at = end + 3;
    }
}

/* Re-encode and decode again: must succeed. */
#define ROUND_TRIP(type, m)                                         \
    do {                                                            \
        proto_frames_t again;                                       \
        proto_##type##_t back;                                      \
        memset(&back, 0, sizeof back);                              \
        if (proto_##type##_encode(&(m), &again) != 0)               \
            abort();                                                \
        if (proto_##type##_decode(&again, &back) != 0)              \
            abort();                                                \
        proto_##type##_clear(&back);                                \
        proto_frames_clear(&again);                                 \
    } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned pick = data[0] % 12;
    size_t nframes = 1 + (data[0] >> 4) % PROTO_MAX_FRAMES;
    proto_frames_t f;
    s_frames(data + 1, size - 1, nframes, &f);
    switch (pick) {
    case 0: {
        proto_raw_t m;
        memset(&m, 0, sizeof m);
        if (proto_raw_decode(&f, &m) == 0)
            ROUND_TRIP(raw, m);
        proto_raw_clear(&m);
        break;
    }
    case 1: {
        proto_article_t m;
        memset(&m, 0, sizeof m);
        if (proto_article_decode(&f, &m) == 0) {
            ROUND_TRIP(article, m);
            free(proto_article_to_json(&m, false));
        }
        proto_article_clear(&m);
        break;
    }
    case 2: {
        proto_stored_t m;
        memset(&m, 0, sizeof m);
        if (proto_stored_decode(&f, &m) == 0)
            ROUND_TRIP(stored, m);
        proto_stored_clear(&m);
        break;
    }
    case 3: {
        proto_ack_t m;
        memset(&m, 0, sizeof m);
        if (proto_ack_decode(&f, &m) == 0)
            ROUND_TRIP(ack, m);
        proto_ack_clear(&m);
        break;
    }
    case 4: {
        proto_alert_t m;
        memset(&m, 0, sizeof m);
        if (proto_alert_decode(&f, &m) == 0) {
            ROUND_TRIP(alert, m);
            free(proto_alert_to_json(&m));
        }
        proto_alert_clear(&m);
        break;
    }
    case 5: {
        proto_since_t m;
        if (proto_since_decode(&f, &m) == 0) {
            proto_frames_t again;
            proto_since_t back;
            if (proto_since_encode(&m, &again) != 0 || proto_since_decode(&again, &back) != 0
                || back.since != m.since || back.limit != m.limit)
                abort();
            proto_frames_clear(&again);
        }
        break;
    }
    case 6:
    case 7: {
        char **items = NULL;
        size_t n = 0;
        int64_t last = 0;
        if (proto_items_decode(&f, pick == 6 ? "events" : "alerts", &items, &n, &last) == 0) {
            for (size_t i = 0; i < n; i++)
                free(items[i]);
            free(items);
        }
        break;
    }
    case 8: {
        proto_query_t m;
        memset(&m, 0, sizeof m);
        if (proto_query_decode(&f, &m) == 0) {
            proto_frames_t again;
            proto_query_t back;
            memset(&back, 0, sizeof back);
            if (proto_query_encode(&m, &again) != 0 || proto_query_decode(&again, &back) != 0)
                abort();
            proto_query_clear(&back);
            proto_frames_clear(&again);
        }
        proto_query_clear(&m);
        break;
    }
    case 9: {
        char *item = NULL;
        if (proto_item_decode(&f, "article", &item) == 0)
            free(item);
        break;
    }
    case 10: {
        proto_alert_t m;
        memset(&m, 0, sizeof m);
        if (proto_alert_from_json((const char *) data + 1, size - 1, &m) == 0)
            free(proto_alert_to_json(&m));
        proto_alert_clear(&m);
        break;
    }
    default: {
        proto_stored_t m;
        memset(&m, 0, sizeof m);
        if (proto_stored_from_json((const char *) data + 1, size - 1, &m) == 0)
            free(proto_stored_to_json(&m));
        proto_stored_clear(&m);
        break;
    }
    }
    proto_frames_clear(&f);
    return 0;
}
