/*
 * marsad.c — `marsad`, the one command a person types: dispatch to the
 * subcommands (cmd_*.c) and the little they share (input files, config,
 * endpoints, printing alerts).
 */
#include "cli.h"
#include "log.h"
#include "proto.h"
#include "marsad_build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_usage(FILE *f)
{
    fprintf(f,
            "usage: marsad COMMAND [options]\n"
            "\n"
            "marsad watches news sources, extracts who is mentioned and who said what,\n"
            "stores everything in SQLite and publishes alerts on a ZeroMQ socket.\n"
            "\n"
            "commands:\n"
            "  up      [-c FILE] [--show-alerts] [--allow-root]\n"
            "                                        start and supervise the four daemons\n"
            "  tail    [-c FILE] [--since SEQ] [--watch NAME] [--json]\n"
            "          [--curve-server KEY] [--curve-keys FILE]\n"
            "                                        print alerts as they arrive\n"
            "  extract [-c FILE] [--url URL] FILE|-  extract one HTML page; print the article JSON\n"
            "  feed    FILE|-                        parse one feed; print its items as JSON\n"
            "  watch test [-c FILE] QUERY FILE|-     does QUERY match this page? (exit 0 yes, 1 no)\n"
            "  search  [-c FILE] QUERY [--since T] [--lang L] [--entity ID] [--story ID] [--json]\n"
            "                                        search the stored articles\n"
            "  store   backup|stats|article|story [-c FILE] ...\n"
            "                                        back up the store; ask it for an article,\n"
            "                                        a story or its counters\n"
            "  status  [-c FILE] [--stage NAME] [--json]  each stage: up?, pid, counters\n"
            "  keygen                                print a CURVE key pair for the alert sockets\n"
            "  config reference                      print every config key (Markdown)\n"
            "  help                                  this text\n"
            "\n"
            "daemons (normally started by `marsad up`):\n"
            "  marsad-fetcher, marsad-extractor, marsad-store, marsad-alerter  [-c FILE]\n"
            "\n"
            "-c defaults to $MARSAD_CONFIG, then ./marsad.conf, then %s/marsad.conf.\n"
            "`marsad COMMAND --help` describes each command.\n",
            MARSAD_SYSCONFDIR);
}

char *cli_read_input(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "marsad: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= (size_t) 256 * 1024 * 1024) {
            fprintf(stderr, "marsad: %s is larger than 256 MiB\n", path);
            free(buf);
            buf = NULL;
            break;
        }
        char *grown = realloc(buf, cap * 2 + 1);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        fprintf(stderr, "marsad: cannot read %s: %s\n", path, strerror(errno));
        free(buf);
        buf = NULL;
    }
    if (f != stdin)
        fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

marsad_config_t *cli_load_config(const char *path)
{
    if (!path)
        path = config_default_path();
    char *err = NULL;
    marsad_config_t *cfg = config_load(path, &err);
    if (!cfg) {
        fprintf(stderr, "marsad: config: %s\n", err ? err : "cannot load");
        free(err);
    }
    return cfg;
}

const char *cli_connect_endpoint(const char *bind_ep, char *buf, size_t n)
{
    const char *p;
    if ((p = strstr(bind_ep, "://*:")) != NULL || (p = strstr(bind_ep, "://0.0.0.0:")) != NULL) {
        const char *port = strchr(p + 3, ':');
        snprintf(buf, n, "%.*s://127.0.0.1%s", (int) (p - bind_ep), bind_ep, port);
        return buf;
    }
    snprintf(buf, n, "%s", bind_ep);
    return buf;
}

int main(int argc, char **argv)
{
    mlog_init("marsad", MLOG_INFO);
    if (argc < 2) {
        s_usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        s_usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("marsad %s\n", MARSAD_VERSION);
        return 0;
    }
    if (strcmp(cmd, "up") == 0)
        return cmd_up(argc - 1, argv + 1);
    if (strcmp(cmd, "tail") == 0)
        return cmd_tail(argc - 1, argv + 1);
    if (strcmp(cmd, "extract") == 0)
        return cmd_extract(argc - 1, argv + 1);
    if (strcmp(cmd, "feed") == 0)
        return cmd_feed(argc - 1, argv + 1);
    if (strcmp(cmd, "watch") == 0)
        return cmd_watch(argc - 1, argv + 1);
    if (strcmp(cmd, "status") == 0)
        return cmd_status(argc - 1, argv + 1);
    if (strcmp(cmd, "search") == 0)
        return cmd_search(argc - 1, argv + 1);
    if (strcmp(cmd, "store") == 0)
        return cmd_store(argc - 1, argv + 1);
    if (strcmp(cmd, "keygen") == 0)
        return cmd_keygen(argc - 1, argv + 1);
    if (strcmp(cmd, "config") == 0) {
        if (argc == 3 && strcmp(argv[2], "reference") == 0) {
            config_print_reference(stdout);
            return 0;
        }
        fprintf(stderr, "usage: marsad config reference\n");
        return 2;
    }
    fprintf(stderr, "marsad: unknown command '%s'\n\n", cmd);
    s_usage(stderr);
    return 2;
}
