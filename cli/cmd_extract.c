/*
 * cmd_extract.c — `marsad extract [-c FILE] [--url URL] FILE|-`: run the
 * extractor once on an HTML page and print the article JSON (text, title,
 * lang, published_at, entities with offsets, claims).
 */
#include "cli.h"
#include "page_load.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void s_usage(FILE *f)
{
    fprintf(f, "usage: marsad extract [-c FILE] [--url URL] [--no-catalog] FILE|-\n"
               "\n"
               "Extract one HTML page as marsad-extractor would and print the article JSON:\n"
               "title, text, lang, published_at, entity mentions with byte offsets into the\n"
               "text, claims.\n"
               "  -c FILE       config whose [entity] catalog to use (default: as the daemons)\n"
               "  --url URL     the page's URL, for relative links (default: file://FILE)\n"
               "  --no-catalog  extract without entities (no config needed)\n");
}

int cmd_extract(int argc, char **argv)
{
    const char *config = NULL, *url = NULL;
    int no_catalog = 0;
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "url", required_argument, NULL, 'u' },
        { "no-catalog", no_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:u:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 'u': url = optarg; break;
        case 'n': no_catalog = 1; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        s_usage(stderr);
        return 2;
    }
    marsad_config_t *cfg = NULL;
    if (!no_catalog) {
        cfg = cli_load_config(config);
        if (!cfg)
            return 2;
    }
    proto_article_t a;
    int rc = page_load(argv[optind], url, cfg, &a);
    config_destroy(&cfg);
    if (rc != 0)
        return 1;
    char *json = proto_article_to_json(&a, isatty(STDOUT_FILENO));
    proto_article_clear(&a);
    if (!json) {
        fprintf(stderr, "marsad extract: out of memory\n");
        return 1;
    }
    puts(json);
    free(json);
    return 0;
}
