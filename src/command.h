/*
 * Internal: what the user asks the player to do, from a key or a script line.
 * Both go through the same FPCommand, so a script and the keyboard drive one
 * player core.
 */
#ifndef FRAMEPIPE_SRC_COMMAND_H
#define FRAMEPIPE_SRC_COMMAND_H

#include <stddef.h>

typedef enum FPCommandType {
    FP_CMD_NONE,
    FP_CMD_QUIT,
    FP_CMD_PAUSE,
    FP_CMD_PLAY,
    FP_CMD_TOGGLE,
    FP_CMD_STEP,       /* count frames forward, pausing */
    FP_CMD_BACK,       /* count frames back, pausing */
    FP_CMD_SEEK,       /* to seconds (from the first frame), or by seconds if relative */
    FP_CMD_WAIT,       /* let playback run for seconds */
    FP_CMD_MD5,        /* print the MD5 of the frame on screen */
    FP_CMD_SCREENSHOT, /* save the frame on screen as a PNG at path */
    FP_CMD_FULLSCREEN,
    FP_CMD_INFO,       /* toggle the information line */
    FP_CMD_OVERLAY,    /* toggle the ownership overlay */
    FP_CMD_VOLUME,     /* change the volume by count (percent) */
    FP_CMD_MUTE,
} FPCommandType;

#define FP_COMMAND_PATH_MAX 1024

typedef struct FPCommand {
    FPCommandType type;
    int count;
    double seconds;
    int relative; /* FP_CMD_SEEK: seconds is an offset from the frame on screen */
    int keyframe; /* FP_CMD_SEEK: land on the keyframe at or before the target */
    char path[FP_COMMAND_PATH_MAX];
} FPCommand;

/**
 * Parse one script line. '#' starts a comment that runs to the end of the
 * line; blank and comment-only lines parse to FP_CMD_NONE.
 *
 * @return 0; AVERROR(EINVAL) with a message in err.
 */
int fp_command_parse(const char *line, FPCommand *cmd, char *err, size_t err_size);

#endif /* FRAMEPIPE_SRC_COMMAND_H */
