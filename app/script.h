/*
 * The --script reader: a client of the player's command API. A thread reads
 * commands, one per line, from a file or stdin, posts each with
 * fp_player_post() and waits for its FP_EVENT_COMMAND_DONE (its frame on
 * screen) before reading the next line. A line that does not parse gets a
 * message naming it, and the script goes on. At the end of the input it
 * calls fp_player_end_commands().
 */
#ifndef FRAMEPIPE_APP_SCRIPT_H
#define FRAMEPIPE_APP_SCRIPT_H

#include <stdint.h>

#include "framepipe/player.h"

typedef struct FPScript FPScript;

/**
 * @param path  A file, or "-" for standard input.
 * @return 0; AVERROR(ENOENT) and the like when the file cannot be opened; AVERROR(ENOMEM).
 */
int fp_script_open(FPScript **s, const char *path);

/**
 * Start the reader thread, posting to player (borrowed; it must outlive
 * fp_script_free()). The player must have been opened with
 * FPPlayerOptions.commands set.
 */
int fp_script_start(FPScript *s, FPPlayer *player);

/**
 * The player says command id is complete: the reader may go on. Call it from
 * the player's event callback for every FP_EVENT_COMMAND_DONE. Any thread.
 */
void fp_script_command_done(FPScript *s, uint64_t id);

/** Stop the reader (it may be waiting for input or for a command to complete). Any thread. */
void fp_script_abort(FPScript *s);

/** Abort, join the thread and close the input. s is set to NULL; NULL is accepted. */
void fp_script_free(FPScript **s);

#endif /* FRAMEPIPE_APP_SCRIPT_H */
