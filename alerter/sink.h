/*
 * sink.h — deliver one alert beside the ZeroMQ socket (DESIGN §7): append
 * it to a JSON-lines file, run a command with it on stdin, POST it to a
 * webhook, or mail it through SMTP (target smtp://HOST[:PORT]/RECIPIENT or
 * smtps://...; the subject names the watch and the alert, the body is
 * the JSON in base64).  One attempt per call; sink_runner.h retries with
 * backoff and keeps the order.  Blocking (a webhook waits up to its timeout): call
 * from the sink thread, never from the alerter's loop.
 */
#ifndef MARSAD_SINK_H
#define MARSAD_SINK_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { SINK_FILE, SINK_COMMAND, SINK_WEBHOOK, SINK_EMAIL } sink_kind_t;

typedef struct {
    sink_kind_t kind;
    const char *target;          /* path, shell command or URL (borrowed) */
    const char *subject;         /* e-mail: the Subject line (NULL: "marsad alert") */
    int timeout_ms;              /* webhook and command: give up after this */
    const volatile bool *cancel; /* optional: abort a transfer when set */
} sink_t;

/* Deliver JSON (one alert, no newline) through S.  Returns 0 when it is
 * delivered (file written and fsync'd, command exited 0, webhook answered
 * 2xx), else a negative code with a reason in ERR (ERRLEN bytes). */
int sink_deliver(const sink_t *s, const char *json, char *err, size_t errlen);

const char *sink_kind_name(sink_kind_t kind);

#endif
