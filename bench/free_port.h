/*
 * free_port.h — a TCP port of 127.0.0.1 that nothing listens on now, for
 * the tests and benchmarks that start daemons on loopback (the kernel picks it: bind to
 * port 0, read it back, close).  Another process could take it before the
 * daemon binds; on a test machine that is rare enough.
 */
#ifndef MARSAD_FREE_PORT_H
#define MARSAD_FREE_PORT_H

/* The port, or -1. */
int free_port(void);

#endif
