/*
 * alert_db.h — the alerter's own SQLite file: every alert it has made, and
 * the last stored article it has handled (DESIGN §2).
 *
 * The two move together: alert_db_record() commits the alerts an article
 * produced and that article's sequence number in ONE transaction, so a
 * crash at any moment either keeps both or neither — on restart the
 * article is handled again (and re-alerted exactly once) or not at all.
 * Alerts get their own monotonic sequence (never reused, even after the
 * last alert is deleted), which subscribers resume from with `since`.
 * (watch, story_id) is unique among `new` alerts: one per watch per story;
 * later `update` alerts of the story are recorded with what they brought
 * (alert_db_seen), so the same novelty never alerts twice.  The claims each
 * matching article adds to its story's ledger (alert_ledger.h) move in the
 * same transaction, so a restart finds the ledger its last alert showed.
 *
 * Errors are negative: -EIO for an SQLite failure (the database is left
 * unchanged), -ENOMEM, -EINVAL.
 */
#ifndef MARSAD_ALERT_DB_H
#define MARSAD_ALERT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alert_ledger.h"

typedef struct alert_db alert_db_t;

/* The schema this alerter writes (PRAGMA user_version).  1: alerts,
 * stories, sinks, rate limit (the files of alerters before versioning,
 * user_version 0, are version 1 once opened); 2: the story-wide claim
 * ledger. */
#define ALERT_DB_VERSION 2

/* Open or create PATH (WAL, synchronous=FULL).  NULL on failure, with a
 * malloc'd reason in *err when ERR is not NULL (caller frees). */
alert_db_t *alert_db_open(const char *path, char **err);
void alert_db_close(alert_db_t **self_p);

/* Create or migrate the file at PATH up to schema VERSION only (1 ..
 * ALERT_DB_VERSION), for tests of the migrations.  0, or -1 with a
 * malloc'd reason in *err (caller frees). */
int alert_db_migrate_file(const char *path, int version, char **err);
/* The file's schema version, -1 if unreadable. */
int alert_db_schema_version(alert_db_t *db);

/* Merge the ledger WATCH has recorded for STORY_ID into L (alert_ledger_add),
 * in first-sighting order: its latest ALERT_LEDGER_MAX_CLAIMS entries.
 * Returns 0, or a negative code (L then holds what was read). */
int alert_db_ledger(alert_db_t *db, const char *watch, const char *story_id,
                    alert_ledger_t *l);

/* The seq of the last stored article handled, 0 if none. */
int64_t alert_db_last_stored_seq(alert_db_t *db);

/* The highest alert seq ever given, 0 if none. */
int64_t alert_db_max_seq(alert_db_t *db);

/* True when WATCH already alerted on STORY_ID. */
bool alert_db_alerted(alert_db_t *db, const char *watch, const char *story_id);

/* True when WATCH has recorded WHAT ("source:aljazeera", "entity:bout",
 * "claim:bout|denies": the caller's vocabulary) for STORY_ID. */
bool alert_db_seen(alert_db_t *db, const char *watch, const char *story_id, const char *what);

/* The articles folded for WATCH since its last digest, oldest first:
 * *titles and *urls malloc'd arrays of malloc'd strings (free both with
 * alert_db_free_list).  Returns the count or a negative code. */
long alert_db_folded(alert_db_t *db, const char *watch, char ***titles, char ***urls);

/* Alerts of WATCH created in the last SECONDS. */
int64_t alert_db_count_recent(alert_db_t *db, const char *watch, int64_t seconds);

/* One alert to record.  WATCH, STORY_ID and SEEN are borrowed; SEQ is set
 * by alert_db_record(): the new alert's seq, or 0 when a `new` entry's
 * (watch, story) had already alerted (nothing was stored for it).  An
 * UPDATE entry is always stored.  SEEN (N_SEEN strings) are recorded for
 * (watch, story) with the alert. */
typedef struct {
    const char *watch;
    const char *story_id;
    int64_t seq;
    bool update;
    const char *const *seen;
    size_t n_seen;
    /* Rate limit: a FOLDED entry stores no alert (seq stays 0) but the
     * article's title and url for the watch's next digest; its story and
     * SEEN are recorded as for an alert.  A DIGEST entry is stored as an
     * update (no story mark) and clears the watch's folded articles. */
    bool folded;
    const char *fold_title, *fold_url;
    bool digest;
    /* The article's claims to add to (watch, story)'s ledger, each with
     * the sources it came through (borrowed), recorded with any entry.  A
     * SILENT entry (the article matched but brings the story nothing to
     * alert on) records its ledger claims and nothing else. */
    const proto_claim_t *ledger;
    size_t n_ledger;
    bool silent;
} alert_db_entry_t;

/* Called inside the transaction once an entry's seq is known, to make the
 * alert's JSON (which carries its seq).  Returns a malloc'd string (the
 * database frees it), or NULL to abandon the whole transaction. */
typedef char *(alert_db_render_fn)(void *arg, size_t index, int64_t seq);

/* In one transaction: store each of the N entries not yet alerted (render
 * gives its JSON), and set the last stored seq to STORED_SEQ (it never goes
 * back: a smaller value leaves it unchanged).  N may be 0.  Returns 0, or
 * a negative code with nothing changed and every entry's seq 0. */
int alert_db_record(alert_db_t *db, int64_t stored_seq, alert_db_entry_t *entries,
                    size_t n, alert_db_render_fn *render, void *arg);

/* Up to LIMIT alerts with seq > SINCE, in seq order: *jsons_out a malloc'd
 * array of malloc'd JSON texts, *seqs_out (if not NULL) their seqs, both
 * freed by the caller (alert_db_free_list helps).  Returns the count or a
 * negative code. */
long alert_db_since(alert_db_t *db, int64_t since, int64_t limit, char ***jsons_out,
                    int64_t **seqs_out);
void alert_db_free_list(char **jsons, size_t n);

/* As alert_db_since, WATCH's alerts only. */
long alert_db_watch_since(alert_db_t *db, const char *watch, int64_t since, int64_t limit,
                          char ***jsons_out, int64_t **seqs_out);

/* Delivery cursors of the sinks (sink_runner.h): the last alert seq
 * delivered through sink KEY.  alert_db_cursor returns it, creating it at
 * INIT when KEY is new (so a new sink starts with the alerts after INIT);
 * negative on failure.  alert_db_cursor_set moves it (0 or negative). */
int64_t alert_db_cursor(alert_db_t *db, const char *key, int64_t init);
int alert_db_cursor_set(alert_db_t *db, const char *key, int64_t seq);

#endif
