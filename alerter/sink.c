/*
 * sink.c — one delivery of one alert (sink.h).
 *
 * File: appended as one line with a single write() on an O_APPEND file
 * and fsync'd, so concurrent readers never see half a line and a crash
 * after success cannot lose it.  Command: /bin/sh -c CMD with the JSON and
 * a newline on stdin; killed when it outlives the timeout.  Webhook:
 * libcurl POST, Content-Type application/json, redirects not followed
 * (a 3xx is a failure to look at), any 2xx is success.
 */
#include "sink.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *sink_kind_name(sink_kind_t kind)
{
    switch (kind) {
    case SINK_FILE: return "file";
    case SINK_COMMAND: return "command";
    case SINK_WEBHOOK: return "webhook";
    case SINK_EMAIL: return "email";
    }
    return "?";
}

static int s_file(const sink_t *s, const char *json, char *err, size_t errlen)
{
    size_t len = strlen(json);
    char *line = malloc(len + 2);
    if (!line)
        return -ENOMEM;
    memcpy(line, json, len);
    line[len] = '\n';
    int fd = open(s->target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    int rc = 0;
    if (fd < 0) {
        rc = -errno;
    } else {
        ssize_t w = write(fd, line, len + 1);
        if (w != (ssize_t) (len + 1))
            rc = w < 0 ? -errno : -EIO;
        else if (fsync(fd) != 0)
            rc = -errno;
        close(fd);
    }
    free(line);
    if (rc != 0)
        snprintf(err, errlen, "%s: %s", s->target, strerror(-rc));
    return rc;
}

static int64_t s_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int s_command(const sink_t *s, const char *json, char *err, size_t errlen)
{
    int in[2];
    if (pipe2(in, O_CLOEXEC) != 0)
        return -errno;
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(in[0]);
        close(in[1]);
        return -e;
    }
    if (pid == 0) {
        dup2(in[0], 0);
        signal(SIGPIPE, SIG_DFL);
        execl("/bin/sh", "sh", "-c", s->target, (char *) NULL);
        _exit(127);
    }
    close(in[0]);
    /* A command that does not read its stdin must not hang us: SIGPIPE is
     * ignored by the daemon, so a write to a closed pipe is EPIPE. */
    size_t len = strlen(json), off = 0;
    while (off < len) {
        ssize_t w = write(in[1], json + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t) w;
    }
    if (off == len && write(in[1], "\n", 1) != 1)
        off = 0;
    close(in[1]);

    int status = 0;
    int64_t end = s_ms() + (s->timeout_ms > 0 ? s->timeout_ms : 30000);
    pid_t got;
    while ((got = waitpid(pid, &status, WNOHANG)) == 0) {
        if (s_ms() >= end || (s->cancel && *s->cancel)) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            snprintf(err, errlen, "command timed out after %d ms", s->timeout_ms);
            return -ETIMEDOUT;
        }
        poll(NULL, 0, 10);
    }
    if (got < 0)
        return -errno;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "command %s %d", WIFEXITED(status) ? "exited with" : "killed by",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -EIO;
    }
    (void) off;
    return 0;
}

static size_t s_discard(char *ptr, size_t size, size_t nmemb, void *arg)
{
    (void) ptr;
    (void) arg;
    return size * nmemb;
}

static int s_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void) a; (void) b; (void) c; (void) d;
    const volatile bool *cancel = arg;
    return cancel && *cancel ? 1 : 0;
}

static int s_webhook(const sink_t *s, const char *json, char *err, size_t errlen)
{
    CURL *h = curl_easy_init();
    if (!h)
        return -ENOMEM;
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, s->target);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long) strlen(json));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "marsad-alerter");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long) (s->timeout_ms > 0 ? s->timeout_ms : 10000));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, s_discard);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, s_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *) s->cancel);
    CURLcode cc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(cc));
        return cc == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT : -EIO;
    }
    if (code < 200 || code > 299) {
        snprintf(err, errlen, "HTTP %ld", code);
        return -EIO;
    }
    return 0;
}

/* The message curl uploads for SMTP. */
typedef struct {
    const char *data;
    size_t len, off;
} upload_t;

static size_t s_read(char *buf, size_t size, size_t nmemb, void *arg)
{
    upload_t *u = arg;
    size_t n = size * nmemb;
    if (n > u->len - u->off)
        n = u->len - u->off;
    memcpy(buf, u->data + u->off, n);
    u->off += n;
    return n;
}

/* TEXT in base64, lines of 76 characters ending in CRLF (RFC 2045): the
 * alert JSON is one long line, and SMTP allows 998 bytes per line. */
static char *s_base64(const char *text)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t len = strlen(text), n4 = (len + 2) / 3 * 4;
    char *out = malloc(n4 + (n4 / 76 + 1) * 2 + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *) text;
    size_t o = 0, col = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned) p[i] << 16;
        if (i + 1 < len)
            v |= (unsigned) p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? tab[v & 63] : '=';
        if ((col += 4) == 76) {
            out[o++] = '\r';
            out[o++] = '\n';
            col = 0;
        }
    }
    if (col) {
        out[o++] = '\r';
        out[o++] = '\n';
    }
    out[o] = '\0';
    return out;
}

/* smtp://HOST[:PORT]/RECIPIENT: the server URL and the recipient. */
static int s_email(const sink_t *s, const char *json, char *err, size_t errlen)
{
    const char *scheme_end = strstr(s->target, "://");
    const char *slash = scheme_end ? strchr(scheme_end + 3, '/') : NULL;
    if (!slash || !slash[1] || !strchr(slash + 1, '@')
        || (strncmp(s->target, "smtp://", 7) != 0 && strncmp(s->target, "smtps://", 8) != 0)) {
        snprintf(err, errlen, "%s is not smtp://HOST[:PORT]/RECIPIENT", s->target);
        return -EINVAL;
    }
    char *server = strndup(s->target, (size_t) (slash - s->target));
    const char *rcpt = slash + 1;
    char from[300], date[64];
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    snprintf(from, sizeof from, "marsad@%s", host);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    char *msg = NULL;
    char *body = s_base64(json);
    int mlen = body ? asprintf(&msg, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: %s\r\n"
                               "MIME-Version: 1.0\r\n"
                               "Content-Type: application/json; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\n%s", date, from, rcpt,
                               s->subject ? s->subject : "marsad alert", body) : -1;
    free(body);
    CURL *h = server && mlen > 0 ? curl_easy_init() : NULL;
    if (!h) {
        free(server);
        if (mlen > 0)
            free(msg);
        return -ENOMEM;
    }
    upload_t up = { msg, (size_t) mlen, 0 };
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, server);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, s_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long) (s->timeout_ms > 0 ? s->timeout_ms : 10000));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, s_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *) s->cancel);
    CURLcode cc = curl_easy_perform(h);
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(h);
    free(server);
    free(msg);
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(cc));
        return cc == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT : -EIO;
    }
    return 0;
}

int sink_deliver(const sink_t *s, const char *json, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    if (!s || !s->target || !json)
        return -EINVAL;
    switch (s->kind) {
    case SINK_FILE: return s_file(s, json, err, errlen);
    case SINK_COMMAND: return s_command(s, json, err, errlen);
    case SINK_WEBHOOK: return s_webhook(s, json, err, errlen);
    case SINK_EMAIL: return s_email(s, json, err, errlen);
    }
    return -EINVAL;
}
