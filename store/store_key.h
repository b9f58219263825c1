/*
 * store_key.h — 64-bit keys of strings, for the store's integer indexes.
 *
 * Article ids, content hashes and entity ids are long strings (a SHA-256
 * in hex is 64 bytes), and the digests among them are random: an index
 * on the string itself holds ~50 entries a page, and every new article
 * lands on a random page of it.  Filed by an 8-byte key instead, the
 * index is five times denser, so a transaction of a few hundred articles
 * writes far fewer distinct pages of it (store_db.c, migration 6).
 *
 * Two strings may share a key (a chance in 2^64 a pair): every look-up
 * by key also compares the string, so a shared key costs a row read,
 * never a wrong answer.  The value is stored in files: it must never
 * change (tests/test_store_entity_days.c pins it).
 */
#ifndef MARSAD_STORE_KEY_H
#define MARSAD_STORE_KEY_H

#include <sqlite3.h>
#include <stdint.h>

/* The key of S (NULL keys as ""). */
int64_t store_key(const char *s);

/* Make store_key callable from SQL on DB as marsad_key(text), for the
 * migrations that fill key columns.  Returns an SQLite result code. */
int store_key_register(sqlite3 *db);

#endif
