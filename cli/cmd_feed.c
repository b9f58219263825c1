/*
 * cmd_feed.c — `marsad feed FILE|-`: parse one feed document with the
 * fetcher's parser and print its items as JSON (for checking a source, and
 * for the feed conformance tests).
 */
#include "cli.h"
#include "feed.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_usage(FILE *f)
{
    fprintf(f, "usage: marsad feed [--url URL] [--content-type CT] FILE|-\n"
               "\n"
               "Parse one feed (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed, sitemap)\n"
               "and print its items as JSON.\n"
               "  --url URL            the feed's URL, to resolve relative links (default: none)\n"
               "  --content-type CT    the Content-Type a server sent with it; its charset\n"
               "                       is used when the document does not name its own\n");
}

int cmd_feed(int argc, char **argv)
{
    const char *url = NULL, *ctype = NULL;
    static const struct option longopts[] = {
        { "url", required_argument, NULL, 'u' },
        { "content-type", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "u:t:h", longopts, NULL)) != -1) {
        if (opt == 'u') {
            url = optarg;
        } else if (opt == 't') {
            ctype = optarg;
        } else if (opt == 'h') {
            s_usage(stdout);
            return 0;
        } else {
            s_usage(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        s_usage(stderr);
        return 2;
    }
    size_t len;
    char *buf = cli_read_input(argv[optind], &len);
    if (!buf)
        return 1;
    char *err = NULL;
    feed_t *feed = feed_parse_http(buf, len, url, ctype, &err);
    free(buf);
    if (!feed) {
        fprintf(stderr, "marsad feed: %s: %s\n", argv[optind], err ? err : "not a feed");
        free(err);
        return 1;
    }
    char *json = feed_to_json(feed);
    feed_destroy(&feed);
    if (!json) {
        fprintf(stderr, "marsad feed: out of memory\n");
        return 1;
    }
    puts(json);
    free(json);
    return 0;
}
