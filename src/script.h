/*
 * Internal: the --script reader. A thread reads commands, one per line, from a
 * file or stdin, hands each to the render thread and waits until the render
 * thread says it is complete (its frame on screen) before reading the next
 * line. A line that does not parse gets a message naming it, and the script
 * goes on.
 */
#ifndef FRAMEPIPE_SRC_SCRIPT_H
#define FRAMEPIPE_SRC_SCRIPT_H

#include <stdint.h>

#include "command.h"

typedef struct FPScript FPScript;

/**
 * @param path  A file, or "-" for standard input.
 * @return 0; AVERROR(ENOENT) and the like when the file cannot be opened; AVERROR(ENOMEM).
 */
int fp_script_open(FPScript **s, const char *path);

/** Start the reader thread. */
int fp_script_start(FPScript *s);

/**
 * Render thread: take the next command if one is waiting. Does not block.
 *
 * @return 1 with *cmd filled; 0 when none is waiting yet; AVERROR_EOF once the
 *         script has ended and every command was taken.
 */
int fp_script_take(FPScript *s, FPCommand *cmd);

/**
 * Render thread: wait at most timeout_us for a command to be handed over (or
 * for the script to end), so an idle player answers a script at once instead
 * of at its next poll.
 */
void fp_script_wait(FPScript *s, int64_t timeout_us);

/** Render thread: the command last taken is complete; the reader may go on. */
void fp_script_done(FPScript *s);

/** Stop the reader (it may be waiting for input or for a command to complete). Any thread. */
void fp_script_abort(FPScript *s);

/** Abort, join the thread and close the input. s is set to NULL; NULL is accepted. */
void fp_script_free(FPScript **s);

#endif /* FRAMEPIPE_SRC_SCRIPT_H */
