/*
 * FPPlayer: one input file played through the framepipe pipeline.
 *
 *   reader thread     av_read_frame() -> FPPacketQueue
 *   decoder thread    FPPacketQueue -> avcodec_send_packet() / avcodec_receive_frame() -> FPFrameQueue
 *   render thread     FPFrameQueue -> SDL window, or a null sink when headless
 *
 * The render thread is the thread that calls fp_player_run(); in the
 * framepipe program that is the process's main thread, as SDL2 requires.
 * Start and stop order is owned by player.c: open (caller's thread) -> start
 * reader -> start decoder -> run; on stop, abort every queue, join the reader,
 * join the decoder, then free.
 */
#ifndef FRAMEPIPE_PLAYER_H
#define FRAMEPIPE_PLAYER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libavformat/avio.h>
#include <libavutil/error.h>

/** fp_player_run(): the input ended without a single decodable video frame. */
#define FP_ERROR_NO_FRAMES FFERRTAG('F', 'P', 'N', 'F')

/** fp_player_open(), fp_player_run(): the picture is larger than FPPlayerOptions.max_pixels. */
#define FP_ERROR_TOO_LARGE FFERRTAG('F', 'P', 'T', 'L')

/**
 * The largest picture framepipe decodes by default (FPPlayerOptions.max_pixels),
 * in pixels: 8192 x 8192. A header that claims more is refused before a
 * picture of that size is allocated, by the probing in fp_player_open() as
 * well as by the decoder.
 */
#define FP_MAX_PIXELS (8192 * 8192)

typedef struct FPPlayer FPPlayer;

typedef struct FPPlayerOptions {
    int headless;                  /**< no window and no audio device: frames go to a null sink */
    int realtime;                  /**< pace the headless sink at the frames' timestamps */
    FILE *framemd5;                /**< if set (borrowed), a framemd5 line per frame shown */
    int packet_queue_max_count;    /**< packets the video queue holds at most */
    size_t packet_queue_max_bytes; /**< payload bytes the video queue holds at most */
    int frame_queue_size;          /**< decoded frames queued at most */
    int start_paused;              /**< show the first frame, paused */
    int keep_open;                 /**< at the end, stay on the last frame, paused */
    size_t step_history_bytes;     /**< picture bytes the step history may reference */
    const char *script;            /**< a command file, "-" for stdin; NULL for none */
    int no_autorotate;             /**< ignore the display matrix (rotation, flip) */
    const char *trace_ownership;   /**< write a JSON Lines trace of every hand-off here */
    int no_audio;                  /**< play no sound */
    int volume;                    /**< 0 to 100 */
    int sync_video;                /**< the video clock leads even when there is sound */
    int64_t max_pixels;            /**< largest picture (width x height) a decoder may make:
                                        a larger one is refused when the file is opened
                                        (FP_ERROR_TOO_LARGE), or ends decoding there.
                                        Default FP_MAX_PIXELS; 0: libavcodec's bound */
    int64_t max_packets;           /**< the input ends, as at its end, after this many packets
                                        were read (all streams, seeks included). 0: no limit */
    /**
     * If set (borrowed, error_size bytes), fp_player_open() and fp_player_run()
     * write into it, when they fail, one line that says more than
     * fp_strerror() can: which codec has no decoder, how large the picture
     * is, where a read failed. It is set to "" when there is nothing to add.
     */
    char *error;
    size_t error_size;
} FPPlayerOptions;

typedef struct FPPlayerStats {
    int64_t decoded;             /**< frames the decoder produced */
    int64_t displayed;           /**< frames that reached the window or the sink */
    int64_t dropped;             /**< frames skipped because they were late */
    int64_t stale;               /**< frames discarded because a flush made them stale */
    int64_t decode_errors;       /**< packets or frames the decoder rejected */
    int64_t sound_errors;        /**< sound frames that could not be converted for the
                                      device or the null sink: not played, and not in
                                      fp_player_audio_md5() */
    int64_t seeks;               /**< seeks asked of the reader (keys pressed together count once) */
    size_t pkt_queue_max_bytes;  /**< the packet queue's high-water mark, in bytes */
    int pkt_queue_max_count;     /**< the packet queue's high-water mark, in packets */
    int frame_queue_max;         /**< the frame queue's high-water mark */
    char render_driver[32];      /**< "null" when headless, else the SDL renderer's name */
    int has_audio;               /**< a sound stream is decoded */
    int64_t drift_samples;       /**< frames shown while the audio clock led */
    double drift_max_ms;         /**< largest |audio clock - frame time| when a frame was shown */
    double drift_avg_ms;         /**< its mean */
} FPPlayerStats;

/** Fill o with the defaults. */
void fp_player_options_default(FPPlayerOptions *o);

/**
 * Open path, pick its video stream, open the decoder and, unless headless,
 * the window. No thread runs yet, so a bad file fails here, at once.
 *
 * The first open in a process sets libavutil's log callback (av_log_set_callback())
 * to one that passes every message on to av_log_default_callback() unchanged and
 * notes the picture sizes libavutil refuses, so that FP_ERROR_TOO_LARGE can name
 * a size only its log knows. A program with a log callback of its own sets it
 * after the first open.
 *
 * @param p  Set to the new player on success, to NULL on failure.
 * @param o  Copied; o->framemd5 stays the caller's.
 * @return 0; AVERROR_STREAM_NOT_FOUND when there is no video stream;
 *         AVERROR_DECODER_NOT_FOUND; FP_ERROR_TOO_LARGE; AVERROR(ENOMEM); any
 *         libavformat error.
 */
int fp_player_open(FPPlayer **p, const char *path, const FPPlayerOptions *o);

/**
 * fp_player_open(), reading the input through io instead of opening a file:
 * for input held in memory, or read from anything an AVIOContext can wrap.
 * libavformat probes the format from the bytes alone.
 *
 * @param io    Remains the caller's before and after, on success and on
 *              failure: the player never closes or frees it. On success the
 *              player reads it, on its reader thread, and seeks it when its
 *              seek callback allows, until fp_player_close(); until then the
 *              caller must neither use nor free it. After a failure the
 *              player holds no reference to it, but its position is
 *              wherever probing left it.
 * @param name  Names the input in the window title and in warnings; copied.
 *              NULL: "stream".
 * @return the same values as fp_player_open().
 */
int fp_player_open_io(FPPlayer **p, AVIOContext *io, const char *name, const FPPlayerOptions *o);

/**
 * Start the reader and decoder threads and run the render loop on the calling
 * thread until the end of the input or a quit. The threads are stopped and
 * joined before it returns, whatever the outcome.
 *
 * @return 0 at the end of the input or on a quit; FP_ERROR_NO_FRAMES; the
 *         fatal error, such as AVERROR(ENOMEM), of the reader or of a decoder
 *         that stopped early (rather than FP_ERROR_NO_FRAMES, when it caused
 *         that); FP_ERROR_TOO_LARGE; AVERROR_EXTERNAL when the window fails; the read error (such as AVERROR(EIO)) when reading
 *         the input failed part-way, once what was read before it has played.
 *         A quit returns 0 even after a read error.
 */
int fp_player_run(FPPlayer *p);

/**
 * Ask a running fp_player_run() to stop, from any thread: it wakes every
 * waiting thread, and fp_player_run() returns 0 soon after. Calling it before
 * fp_player_run() makes that return at once. Thread-safe; does not block.
 */
void fp_player_request_quit(FPPlayer *p);

/** A consistent snapshot; any time after fp_player_open(). */
void fp_player_stats(FPPlayer *p, FPPlayerStats *stats);

/**
 * The MD5 of all sound consumed headless, as interleaved signed 16-bit at the
 * stream's own rate and channels. After fp_player_run().
 *
 * @return 0; AVERROR(EINVAL) when there was no sound or a device played it.
 */
int fp_player_audio_md5(FPPlayer *p, char hex[33]);

/** Stop the threads if they run, and free everything. p is set to NULL; NULL is accepted. */
void fp_player_close(FPPlayer **p);

/** A message for err, including framepipe's own error codes. */
const char *fp_strerror(int err, char *buf, size_t size);

#endif /* FRAMEPIPE_PLAYER_H */
