/*
 * net_list.h — lists of IP networks in CIDR notation ("10.0.0.0/8,
 * fc00::/7, 192.0.2.1"), as the config names them ([fetcher] private_nets,
 * allow_nets, deny_nets), and the test whether an address is in one.
 * The config reader validates a list with net_list_parse (so a bad entry
 * is reported with its file and line); the fetcher's SSRF guard parses it
 * again at start and asks net_list_contains for every connection.
 *
 * IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are tested as the IPv4
 * address they carry, so they cannot slip past an IPv4 entry.
 */
#ifndef MARSAD_NET_LIST_H
#define MARSAD_NET_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

typedef struct {
    int family;               /* AF_INET or AF_INET6 */
    unsigned char addr[16];   /* network bytes (4 used for AF_INET) */
    int bits;                 /* prefix length */
} net_t;

typedef struct {
    net_t *nets;              /* malloc'd */
    size_t n;
} net_list_t;

/* Parse TEXT: entries separated by commas and/or spaces, each an address
 * with an optional /prefix (a bare address is one host).  An empty TEXT is
 * an empty list.  Returns 0, or -1 with *WHY a malloc'd reason naming the
 * bad entry (caller frees) and OUT empty. */
int net_list_parse(const char *text, net_list_t *out, char **why);
void net_list_clear(net_list_t *list);

/* Is SA (AF_INET or AF_INET6; anything else: false) in LIST? */
bool net_list_contains(const net_list_t *list, const struct sockaddr *sa);

/* SA as text ("10.0.0.1", "fe80::1") into BUF; returns BUF. */
const char *net_addr_text(const struct sockaddr *sa, char *buf, size_t size);

#endif
