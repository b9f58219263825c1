/*
 * proto_frames.c — multipart messages on a ZeroMQ socket.
 *
 * proto_recv() reads one whole multipart message into a proto_frames_t and
 * enforces the frame caps of proto.h before copying anything: a message
 * with too many frames or a frame over its cap is read to its end (so the
 * next recv starts at the next message) and reported as PROTO_EFRAMES or
 * PROTO_ESIZE.  proto_send() writes every frame with ZMQ_SNDMORE but the
 * last.  Validation of the content is the decoders' job.
 */
#include "proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

void
proto_frames_clear(proto_frames_t *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < PROTO_MAX_FRAMES; i++)
        free(f->data[i]);
    memset(f, 0, sizeof *f);
}

static size_t
s_cap(size_t index)
{
    switch (index) {
    case 0:  return PROTO_MAX_TOPIC;
    case 1:  return PROTO_MAX_JSON;
    default: return PROTO_MAX_BODY;
    }
}

int
proto_recv(void *socket, proto_frames_t *out, int flags)
{
    memset(out, 0, sizeof *out);
    int result = PROTO_OK;
    size_t count = 0;
    bool more = true;

    while (more) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        /* Only the first frame may be waited for with the caller's flags;
         * the rest of a multipart message arrives atomically with it. */
        if (zmq_msg_recv(&msg, socket, count == 0 ? flags : 0) < 0) {
            int err = errno;
            zmq_msg_close(&msg);
            proto_frames_clear(out);
            return -err;
        }
        more = zmq_msg_more(&msg);
        size_t len = zmq_msg_size(&msg);
        if (count >= PROTO_MAX_FRAMES) {
            result = PROTO_EFRAMES;
        } else if (len > s_cap(count)) {
            if (result == PROTO_OK)
                result = PROTO_ESIZE;
        } else if (result == PROTO_OK) {
            /* One spare byte: frames are NUL-terminated for convenience
             * (and never NULL, even when empty). */
            char *copy = malloc(len + 1);
            if (!copy) {
                result = PROTO_ENOMEM;
            } else {
                memcpy(copy, zmq_msg_data(&msg), len);
                copy[len] = '\0';
                out->data[count] = copy;
                out->len[count] = len;
                out->n = count + 1;
            }
        }
        zmq_msg_close(&msg);
        count++;
    }
    if (result != PROTO_OK)
        proto_frames_clear(out);
    return result;
}

int
proto_send(void *socket, const proto_frames_t *f, int flags)
{
    if (!f || f->n == 0 || f->n > PROTO_MAX_FRAMES)
        return -EINVAL;
    for (size_t i = 0; i < f->n; i++) {
        int more = i + 1 < f->n ? ZMQ_SNDMORE : 0;
        static const char empty[1] = "";
        const void *data = f->data[i] ? f->data[i] : empty;
        if (zmq_send(socket, data, f->len[i], flags | more) < 0)
            return -errno;
    }
    return 0;
}
