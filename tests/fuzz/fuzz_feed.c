/*
 * fuzz_feed.c — libFuzzer target for the feed parser (fetcher/feed*.c): RSS,
 * RDF, Atom, JSON Feed and sitemaps as any server may send them.  The first
 * byte picks the Content-Type the "server" declared, so the charset and
 * JSON-vs-XML choices are fuzzed too.  A feed that parses is also turned into
 * JSON, as `marsad feed` does.  Seed corpus: tests/fuzz/corpus_feed/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *types[] = {
        NULL, "application/rss+xml", "text/xml; charset=windows-1256",
        "application/atom+xml; charset=iso-8859-6", "application/feed+json",
        "application/json; charset=utf-8", "text/html; charset=latin1", "text/xml; charset=bogus",
    };
    if (size < 1)
        return 0;
    char *err = NULL;
    feed_t *feed = feed_parse_http((const char *) data + 1, size - 1,
                                   "https://example.com/news/feed.xml", types[data[0] & 7], &err);
    if (feed) {
        free(feed_to_json(feed));
        feed_destroy(&feed);
    }
    else if (!err)
        abort();   /* a failure always says why */
    free(err);
    return 0;
}
