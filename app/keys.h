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

/** The go-to-frame prompt ('Enter', digits, 'Enter'); zeroed: closed. */
typedef struct FPKeyPrompt {
    int open;
    char digits[12];
} FPKeyPrompt;

/**
 * What a key means to the prompt: Enter opens it; while it is open, digits
 * and Backspace edit the number, Enter goes to that frame, Esc closes it, and
 * other keys do nothing. Clicks and the close button are not the prompt's.
 *
 * @return 1 with *cmd filled (FP_CMD_SHOW_TEXT showing the prompt, or
 *         FP_CMD_FRAME); 0 when the key was the prompt's and needs no
 *         command; -1 when it is not the prompt's: see fp_keys_command().
 */
int fp_keys_prompt(FPKeyPrompt *prompt, const FPInput *input, FPCommand *cmd);

/** Print the table as --help shows it: "  KEYS   WHAT", one row per line or more. */
void fp_keys_print_help(FILE *out);

#endif /* FRAMEPIPE_APP_KEYS_H */
