/*
 * test_metrics.c — runtime/metrics: series, the Prometheus text format
 * (families, labels, histogram buckets), the /status JSON, and the HTTP
 * server answering GET /metrics, /status and refusing the rest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metrics.h"

static void test_series_and_render(void **state)
{
    (void) state;
    metrics_t *m = metrics_new("store");
    assert_non_null(m);
    int stored = metrics_register(m, METRIC_COUNTER, "marsad_stored_total", "Articles stored");
    int a1 = metrics_register(m, METRIC_COUNTER, "marsad_alerts_total{watch=\"bout\"}", "Alerts");
    int a2 = metrics_register(m, METRIC_COUNTER, "marsad_alerts_total{watch=\"wagner\"}", "Alerts");
    int depth = metrics_register(m, METRIC_GAUGE, "marsad_outbox_documents", "Outbox size");
    int lat = metrics_register(m, METRIC_HISTOGRAM, "marsad_stage_seconds{stage=\"store\"}", "Latency");
    assert_true(stored >= 0 && a1 >= 0 && a2 >= 0 && depth >= 0 && lat >= 0);
    assert_int_equal(metrics_register(m, METRIC_COUNTER, "marsad_stored_total", "x"), stored);
    assert_int_equal(metrics_register(m, METRIC_COUNTER, "9bad name", "x"), -1);
    metrics_inc(m, stored, 3);
    metrics_inc(m, a1, 1);
    metrics_set(m, depth, 7);
    metrics_set(m, depth, 5);
    metrics_observe(m, lat, 0.003);
    metrics_observe(m, lat, 0.2);
    metrics_observe(m, lat, 30);
    assert_true(metrics_value(m, stored) == 3);
    assert_true(metrics_value(m, depth) == 5);
    assert_true(metrics_value(m, lat) == 3);
    assert_true(isnan(metrics_value(m, 999)));

    char *text = metrics_render(m);
    assert_non_null(text);
    assert_non_null(strstr(text, "# TYPE marsad_stored_total counter\nmarsad_stored_total 3\n"));
    /* one HELP/TYPE per family, then both labelled series */
    char *first = strstr(text, "# TYPE marsad_alerts_total counter");
    assert_non_null(first);
    assert_null(strstr(first + 1, "# TYPE marsad_alerts_total"));
    assert_non_null(strstr(text, "marsad_alerts_total{watch=\"bout\"} 1\n"));
    assert_non_null(strstr(text, "marsad_alerts_total{watch=\"wagner\"} 0\n"));
    assert_non_null(strstr(text, "marsad_outbox_documents 5\n"));
    assert_non_null(strstr(text, "marsad_stage_seconds_bucket{stage=\"store\",le=\"0.005\"} 1\n"));
    assert_non_null(strstr(text, "marsad_stage_seconds_bucket{stage=\"store\",le=\"0.25\"} 2\n"));
    assert_non_null(strstr(text, "marsad_stage_seconds_bucket{stage=\"store\",le=\"+Inf\"} 3\n"));
    assert_non_null(strstr(text, "marsad_stage_seconds_count{stage=\"store\"} 3\n"));
    free(text);

    char *status = metrics_render_status(m);
    json_t *j = json_loads(status, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "stage")), "store");
    assert_int_equal(json_integer_value(json_object_get(j, "pid")), getpid());
    json_t *ms = json_object_get(j, "metrics");
    assert_true(json_number_value(json_object_get(ms, "marsad_stored_total")) == 3);
    json_decref(j);
    free(status);
    metrics_destroy(&m);
    assert_null(m);
    metrics_destroy(&m);   /* NULL is fine */
}

static char *s_get(int port, const char *request)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *) &a, sizeof a) != 0) {
        close(fd);
        return NULL;
    }
    ssize_t w = write(fd, request, strlen(request));
    (void) w;
    char *buf = calloc(1, 65536);
    size_t used = 0;
    ssize_t r;
    while ((r = read(fd, buf + used, 65535 - used)) > 0)
        used += (size_t) r;
    close(fd);
    return buf;
}

/* Documents beside the series: replaced in place, removed with NULL, at
 * most four paths. */
static void test_documents(void **state)
{
    (void) state;
    metrics_t *m = metrics_new("alerter");
    assert_null(metrics_document(m, "/watches"));
    assert_int_equal(metrics_set_document(m, "/watches", "{\"n\":1}"), 0);
    assert_int_equal(metrics_set_document(m, "/watches", "{\"n\":2}"), 0);
    char *d = metrics_document(m, "/watches");
    assert_string_equal(d, "{\"n\":2}");
    free(d);
    assert_int_equal(metrics_set_document(m, "/a", "1"), 0);
    assert_int_equal(metrics_set_document(m, "/b", "2"), 0);
    assert_int_equal(metrics_set_document(m, "/c", "3"), 0);
    assert_int_equal(metrics_set_document(m, "/d", "4"), -1);      /* full */
    assert_int_equal(metrics_set_document(m, "/a", NULL), 0);      /* removed: room again */
    assert_null(metrics_document(m, "/a"));
    assert_int_equal(metrics_set_document(m, "/d", "4"), 0);
    d = metrics_document(m, "/d");
    assert_string_equal(d, "4");
    free(d);
    metrics_destroy(&m);
}

static void test_http_server(void **state)
{
    (void) state;
    metrics_t *m = metrics_new("fetcher");
    int id = metrics_register(m, METRIC_COUNTER, "marsad_fetched_total", "Documents fetched");
    metrics_inc(m, id, 42);
    int port = 0, rc = -1;
    for (int tries = 0; tries < 20 && rc != 0; tries++) {
        port = 20000 + (int) ((unsigned) getpid() * 7919u + (unsigned) tries * 104729u) % 40000;
        char addr[32];
        snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
        rc = metrics_serve(m, addr);
    }
    assert_int_equal(rc, 0);
    char *r = s_get(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_non_null(r);
    assert_true(strncmp(r, "HTTP/1.1 200 OK", 15) == 0);
    assert_non_null(strstr(r, "marsad_fetched_total 42"));
    free(r);
    r = s_get(port, "GET /status HTTP/1.1\r\n\r\n");
    assert_non_null(strstr(r, "\"stage\":\"fetcher\""));
    free(r);
    r = s_get(port, "GET /etc/passwd HTTP/1.1\r\n\r\n");
    assert_true(strncmp(r, "HTTP/1.1 404", 12) == 0);
    free(r);
    r = s_get(port, "POST /metrics HTTP/1.1\r\n\r\n");
    assert_true(strncmp(r, "HTTP/1.1 405", 12) == 0);
    free(r);
    assert_true(metrics_serve(m, "no-port") < 0);
    metrics_destroy(&m);   /* stops the server */
    assert_null(s_get(port, "GET /metrics HTTP/1.1\r\n\r\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_and_render),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_http_server),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
