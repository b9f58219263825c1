/*
 * main.c — marsad-alerter: matches stored articles against the watches and
 * publishes alerts (alerter.c); the daemon skeleton does the rest.
 */
#include "alerter.h"
#include "daemon.h"

static const marsad_stage_t stage = {
    "alerter", "matches stored articles against the watches and publishes alerts", alerter_run
};

int main(int argc, char **argv)
{
    return marsad_daemon_run(argc, argv, &stage);
}
