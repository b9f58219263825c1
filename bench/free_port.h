/*
 * free_port.h — a TCP port of 127.0.0.1 that nothing listens on now, for
 * the tests and benchmarks that start daemons on loopback.
 *
 * The port is drawn at random from below the kernel's ephemeral range
 * (/proc/sys/net/ipv4/ip_local_port_range), never from inside it: a ZeroMQ
 * socket that connects before its peer binds keeps reconnecting from
 * ephemeral ports, and one of those could otherwise be the very port a
 * daemon is about to bind.  Another process could still take the port
 * before the daemon binds; below the ephemeral range only one that picks
 * ports itself can.
 */
#ifndef MARSAD_FREE_PORT_H
#define MARSAD_FREE_PORT_H

/* The port (never one this process was given before), or -1. */
int free_port(void);

#endif
