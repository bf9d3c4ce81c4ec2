/*
 * The key table: what each key in the window means, in one place. The
 * program turns FP_EVENT_INPUT into commands with it, and --help prints it,
 * so the two cannot drift apart.
 */
#ifndef FRAMEPIPE_APP_KEYS_H
#define FRAMEPIPE_APP_KEYS_H

#include <stdio.h>

#include "framepipe/command.h"
#include "framepipe/video_sink.h"

/**
 * The command for what a person did in the window.
 *
 * @return 1 with *cmd filled (interactive set); 0 when it means nothing.
 */
int fp_keys_command(const FPInput *input, FPCommand *cmd);

/** Print the table as --help shows it: "  KEYS   WHAT", one row per line or more. */
void fp_keys_print_help(FILE *out);

#endif /* FRAMEPIPE_APP_KEYS_H */
