/*
 * free_port.c — see free_port.h.
 */
#include "free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define S_LOWEST 10000
#define S_GIVEN_MAX 4096

/* The first port of the ephemeral range (32768 when it cannot be read). */
static int s_ephemeral_low(void)
{
    int low = 32768, high = 60999;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    if (f) {
        if (fscanf(f, "%d %d", &low, &high) != 2)
            low = 32768;
        fclose(f);
    }
    return low;
}

static bool s_bindable(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = bind(fd, (struct sockaddr *) &a, sizeof a) == 0;
    close(fd);
    return ok;
}

int free_port(void)
{
    static int given[S_GIVEN_MAX];
    static size_t n_given;
    static uint64_t state;
    if (!state) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        state = ((uint64_t) getpid() << 32) ^ (uint64_t) ts.tv_nsec ^ (uint64_t) ts.tv_sec;
        state |= 1;
    }
    int low = s_ephemeral_low();
    if (low <= S_LOWEST + 100)
        return -1;
    for (int attempt = 0; attempt < 1000; attempt++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        int port = S_LOWEST + (int) (state % (uint64_t) (low - S_LOWEST));
        bool seen = false;
        for (size_t i = 0; i < n_given && !seen; i++)
            seen = given[i] == port;
        if (seen || !s_bindable(port))
            continue;
        if (n_given < S_GIVEN_MAX)
            given[n_given++] = port;
        return port;
    }
    return -1;
}
