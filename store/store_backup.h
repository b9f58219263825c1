/*
 * store_backup.h — `marsad store backup PATH`: a consistent copy of the
 * store's database made with SQLite's online backup API while the store
 * keeps writing (WAL lets the reader and the writer run side by side).
 */
#ifndef MARSAD_STORE_BACKUP_H
#define MARSAD_STORE_BACKUP_H

/* Copy the database at SRC to DEST (created or overwritten), a few
 * hundred pages at a time so the writer is never held up for long.
 * Returns 0, or -1 with *err a malloc'd reason; DEST is removed on
 * failure. */
int store_backup(const char *src, const char *dest, char **err);

#endif
