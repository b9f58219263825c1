/*
 * net_list.c — CIDR lists (net_list.h): parsing with inet_pton, and a
 * prefix comparison per entry.  Lists are short (a dozen entries), so a
 * linear scan per connection is the simple and sufficient choice.
 */
#include "net_list.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One entry "ADDR[/BITS]" of LEN bytes into *NET; 0 or -1. */
static int
s_parse_one(const char *s, size_t len, net_t *net)
{
    char buf[INET6_ADDRSTRLEN + 8];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    int bits = -1;
    if (slash) {
        *slash = '\0';
        char *end;
        long b = strtol(slash + 1, &end, 10);
        if (slash[1] == '\0' || *end != '\0' || b < 0 || b > 128)
            return -1;
        bits = (int) b;
    }
    memset(net, 0, sizeof *net);
    if (inet_pton(AF_INET, buf, net->addr) == 1) {
        net->family = AF_INET;
        if (bits > 32)
            return -1;
        net->bits = bits < 0 ? 32 : bits;
    }
    else if (inet_pton(AF_INET6, buf, net->addr) == 1) {
        net->family = AF_INET6;
        net->bits = bits < 0 ? 128 : bits;
    }
    else
        return -1;
    return 0;
}

int
net_list_parse(const char *text, net_list_t *out, char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    const char *sep = ", \t";
    size_t cap = 0;
    for (const char *p = text ? text : ""; *p;) {
        p += strspn(p, sep);
        size_t len = strcspn(p, sep);
        if (len == 0)
            break;
        net_t net;
        if (s_parse_one(p, len, &net) != 0) {
            if (asprintf(why, "'%.*s' is not an address or network (e.g. 10.0.0.0/8, fc00::/7)",
                         (int) len, p) < 0)
                *why = NULL;
            net_list_clear(out);
            return -1;
        }
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            net_t *grown = realloc(out->nets, cap * sizeof *grown);
            if (!grown) {
                *why = strdup("out of memory");
                net_list_clear(out);
                return -1;
            }
            out->nets = grown;
        }
        out->nets[out->n++] = net;
        p += len;
    }
    return 0;
}

void
net_list_clear(net_list_t *list)
{
    if (!list)
        return;
    free(list->nets);
    list->nets = NULL;
    list->n = 0;
}

/* The address bytes of SA, an IPv4-mapped IPv6 address as IPv4; its
 * family, or 0 if not an IP address. */
static int
s_addr_of(const struct sockaddr *sa, unsigned char out[16])
{
    if (sa->sa_family == AF_INET) {
        memcpy(out, &((const struct sockaddr_in *) (const void *) sa)->sin_addr, 4);
        return AF_INET;
    }
    if (sa->sa_family == AF_INET6) {
        const unsigned char *a =
            ((const struct sockaddr_in6 *) (const void *) sa)->sin6_addr.s6_addr;
        static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
        if (memcmp(a, mapped, 12) == 0) {
            memcpy(out, a + 12, 4);
            return AF_INET;
        }
        memcpy(out, a, 16);
        return AF_INET6;
    }
    return 0;
}

static bool
s_prefix_equal(const unsigned char *a, const unsigned char *b, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, (size_t) whole) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char) (0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

bool
net_list_contains(const net_list_t *list, const struct sockaddr *sa)
{
    unsigned char a[16];
    int family = sa ? s_addr_of(sa, a) : 0;
    if (!family || !list)
        return false;
    for (size_t i = 0; i < list->n; i++)
        if (list->nets[i].family == family && s_prefix_equal(a, list->nets[i].addr, list->nets[i].bits))
            return true;
    return false;
}

const char *
net_addr_text(const struct sockaddr *sa, char *buf, size_t size)
{
    unsigned char a[16];
    int family = sa ? s_addr_of(sa, a) : 0;
    if (!family || !inet_ntop(family, a, buf, (socklen_t) size))
        snprintf(buf, size, "?");
    return buf;
}
