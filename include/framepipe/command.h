/*
 * The one command vocabulary of the player: everything a key, a script line,
 * or any later client (a socket) can ask of a running player. Commands are
 * posted with fp_player_post() (player.h) and carried out one at a time, in
 * the order they were posted, on the thread that runs fp_player_run().
 */
#ifndef FRAMEPIPE_COMMAND_H
#define FRAMEPIPE_COMMAND_H

#include <stddef.h>

typedef enum FPCommandType {
    FP_CMD_NONE,
    FP_CMD_QUIT,
    FP_CMD_PAUSE,
    FP_CMD_PLAY,
    FP_CMD_TOGGLE,
    FP_CMD_STEP,       /**< count frames forward, pausing */
    FP_CMD_BACK,       /**< count frames back, pausing */
    FP_CMD_SEEK,       /**< to seconds (from the first frame), or by seconds if relative */
    FP_CMD_WAIT,       /**< let playback run for seconds */
    FP_CMD_MD5,        /**< the MD5 of the frame on screen, as an FP_EVENT_FRAME_MD5 */
    FP_CMD_SCREENSHOT, /**< save the frame on screen as a PNG at path ("": a name of its time) */
    FP_CMD_FULLSCREEN,
    FP_CMD_INFO,       /**< toggle the information line */
    FP_CMD_OVERLAY,    /**< toggle the ownership overlay */
    FP_CMD_VOLUME,     /**< change the volume by count (percent) */
    FP_CMD_MUTE,
    FP_CMD_FRAME,      /**< go to frame number count (from 0, in display order), exactly */
    FP_CMD_FRAME_INFO, /**< describe the frame on screen, as an FP_EVENT_FRAME_INFO */
    /**
     * Play audio track count (from 1, as --aid counts), FP_AUDIO_TRACK_OFF or
     * FP_AUDIO_TRACK_NEXT. The new track starts where the picture is.
     */
    FP_CMD_AUDIO_TRACK,
    FP_CMD_TIMELINE,   /**< pin the timeline on screen, or unpin it */
    FP_CMD_GOP,        /**< the GOP around the frame on screen, as an FP_EVENT_REPLY line */
    FP_CMD_PIXEL,      /**< pixel x, y of the frame on screen, as an FP_EVENT_REPLY line */
    FP_CMD_GOP_STRIP,  /**< show the GOP strip over the picture, or hide it */
    FP_CMD_LOUPE,      /**< show the pixel loupe under the pointer, or hide it */
    FP_CMD_LOOP,       /**< A-B loop: seconds to seconds_b; both < 0: no loop */
    FP_CMD_LOOP_MARK,  /**< 'l': set A at the frame on screen, then B, then clear */
    FP_CMD_HEADERS,    /**< the bitstream headers of the frame on screen, FP_EVENT_REPLY lines */
    FP_CMD_INSPECTOR,  /**< show the frame inspector over the picture, or hide it */
    /** Say path over the picture for count milliseconds; count < 0: until replaced. */
    FP_CMD_SHOW_TEXT,
} FPCommandType;

/** FP_CMD_AUDIO_TRACK's count: no sound. */
#define FP_AUDIO_TRACK_OFF 0
/** FP_CMD_AUDIO_TRACK's count: the next track; after the last, none; after none, the first. */
#define FP_AUDIO_TRACK_NEXT (-1)

#define FP_COMMAND_PATH_MAX 1024

typedef struct FPCommand {
    FPCommandType type;
    int count;       /**< FP_CMD_STEP, FP_CMD_BACK: frames (1 or more); FP_CMD_VOLUME: percent;
                          FP_CMD_FRAME: the frame number, from 0; FP_CMD_AUDIO_TRACK: the
                          track, from 1, or FP_AUDIO_TRACK_OFF or FP_AUDIO_TRACK_NEXT */
    double seconds;  /**< FP_CMD_SEEK, FP_CMD_WAIT */
    int relative;    /**< FP_CMD_SEEK: seconds is an offset from the frame on screen */
    int keyframe;    /**< FP_CMD_SEEK, FP_CMD_FRAME: land on the keyframe at or before the
                          target (a drag along the timeline) */
    /**
     * FP_CMD_FRAME, FP_CMD_SEEK: seconds is a place in the stream, from 0 to
     * 1, instead: the frame that place on the timeline shows (frame n of N
     * covers n/N up to (n+1)/N), or that fraction of the input's duration
     * (seek, as ffplay's right click).
     */
    int fraction;
    /**
     * A key held down rather than a script line: relative seeks posted while
     * another interactive seek waits or runs are merged into it (one seek by
     * their sum), instead of queueing one seek per key repeat.
     */
    int interactive;
    int timeline;    /**< FP_CMD_FRAME from the timeline: a later one replaces it */
    int x, y;        /**< FP_CMD_PIXEL: in the decoded picture, from 0, before rotation */
    double seconds_b; /**< FP_CMD_LOOP: B, where playback goes back to A (seconds) */
    char path[FP_COMMAND_PATH_MAX]; /**< FP_CMD_SCREENSHOT */
} FPCommand;

/**
 * Parse one script line. '#' starts a comment that runs to the end of the
 * line; blank and comment-only lines parse to FP_CMD_NONE.
 *
 * @param cmd  Filled on success; cleared, count 1, before parsing.
 * @param err  On failure, a message naming what is wrong (err_size bytes).
 * @return 0; AVERROR(EINVAL) with a message in err. Thread-safe.
 */
int fp_command_parse(const char *line, FPCommand *cmd, char *err, size_t err_size);

/** The script word of type ("step", "seek" ...), or "?" for none. */
const char *fp_command_name(FPCommandType type);

#endif /* FRAMEPIPE_COMMAND_H */
