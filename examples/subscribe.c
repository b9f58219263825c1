/*
 * subscribe.c — subscribe to marsad alerts from C with libzmq and jansson.
 *
 *   cc subscribe.c -o subscribe $(pkg-config --cflags --libs libzmq jansson)
 *   ./subscribe [tcp://127.0.0.1:5560]
 *
 * Each alert is a two-frame message: the topic "alert.<watch>" and a JSON
 * object with schema "marsad.alert/1" (see proto/PROTOCOL.md).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))) {
        fprintf(argc > 2 ? stderr : stdout,
                "usage: marsad-subscribe-example [ENDPOINT]\n"
                "Prints every alert published by marsad-alerter (default tcp://127.0.0.1:5560).\n");
        return argc > 2 ? 2 : 0;
    }
    const char *endpoint = argc > 1 ? argv[1] : "tcp://127.0.0.1:5560";
    void *ctx = zmq_ctx_new();
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    if (zmq_connect(sub, endpoint) != 0) {
        fprintf(stderr, "cannot connect to %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
        return 1;
    }
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "alert.", 6);
    for (;;) {
        zmq_msg_t topic, body;
        zmq_msg_init(&topic);
        zmq_msg_init(&body);
        if (zmq_msg_recv(&topic, sub, 0) < 0 || !zmq_msg_more(&topic)
            || zmq_msg_recv(&body, sub, 0) < 0)
            break;
        json_error_t err;
        json_t *alert = json_loadb(zmq_msg_data(&body), zmq_msg_size(&body), 0, &err);
        if (alert) {
            json_t *article = json_object_get(alert, "article");
            printf("[%lld] %s: %s\n    %s\n    %s\n",
                   (long long) json_integer_value(json_object_get(alert, "seq")),
                   json_string_value(json_object_get(alert, "watch")),
                   json_string_value(json_object_get(article, "title")),
                   json_string_value(json_object_get(article, "url")),
                   json_string_value(json_object_get(alert, "snippet")));
            fflush(stdout);
            json_decref(alert);
        }
        zmq_msg_close(&topic);
        zmq_msg_close(&body);
    }
    zmq_close(sub);
    zmq_ctx_term(ctx);
    return 0;
}
