/*
 * FPPlayer: one input file played through the framepipe pipeline.
 *
 *   reader thread     av_read_frame() -> FPPacketQueue
 *   decoder thread    FPPacketQueue -> avcodec_send_packet() / avcodec_receive_frame() -> FPFrameQueue
 *   render thread     FPFrameQueue -> the video sinks (the SDL window, FPPlayerOptions.sink)
 *
 * The player is driven only by commands (command.h) posted with
 * fp_player_post() from any thread, and reports only through events
 * (FPEvent) delivered to FPPlayerOptions.on_event. It prints nothing: what a
 * person should read arrives as FP_EVENT_MESSAGE. Keys pressed in its window
 * arrive as FP_EVENT_INPUT, for the program to turn into commands.
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

#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>

#include "framepipe/command.h"
#include "framepipe/video_sink.h"

/** fp_player_run(): the input ended without a single decodable video frame. */
#define FP_ERROR_NO_FRAMES FFERRTAG('F', 'P', 'N', 'F')

/** fp_player_open(), fp_player_run(): the picture is larger than FPPlayerOptions.max_pixels. */
#define FP_ERROR_TOO_LARGE FFERRTAG('F', 'P', 'T', 'L')

/** fp_player_open(): FPPlayerOptions.video_track or .audio_track names a track the input lacks. */
#define FP_ERROR_NO_SUCH_TRACK FFERRTAG('F', 'P', 'N', 'T')

/** FPPlayerOptions.video_track, .audio_track: the track a person would expect; no track at all. */
#define FP_TRACK_DEFAULT 0
#define FP_TRACK_OFF (-1)

/**
 * The largest picture framepipe decodes by default (FPPlayerOptions.max_pixels),
 * in pixels: 8192 x 8192. A header that claims more is refused before a
 * picture of that size is allocated, by the probing in fp_player_open() as
 * well as by the decoder.
 */
#define FP_MAX_PIXELS (8192 * 8192)

/** The most threads FPPlayerOptions.decoder_threads may ask for. */
#define FP_DECODER_THREADS_MAX 64

typedef struct FPPlayer FPPlayer;

typedef enum FPEventType {
    /** Text for a person: .level (an AV_LOG_* level) and .text, one line without '\n'. */
    FP_EVENT_MESSAGE,
    /** A key or click in the player's window (.input); the program decides what it means. */
    FP_EVENT_INPUT,
    /** A frame reached the sinks: .frame (read only, for the call), .time, .pts. */
    FP_EVENT_FRAME_SHOWN,
    /** The answer to FP_CMD_MD5 (.id): .time, .pts and .md5 of the frame on screen. */
    FP_EVENT_FRAME_MD5,
    /** The command posted as .id is complete: its frame is on screen, or it was refused. */
    FP_EVENT_COMMAND_DONE,
    /** The last frame of the input is on screen (playback may stay open on it). */
    FP_EVENT_END,
    /**
     * .info describes a frame: the one on screen, in answer to FP_CMD_FRAME_INFO
     * (.id); or, with FPPlayerOptions.frame_info, every frame shown (.id 0).
     */
    FP_EVENT_FRAME_INFO,
    /**
     * .text answers the command posted as .id with one line, without '\n':
     * FP_CMD_GOP, FP_CMD_PIXEL. It is the line the script prints.
     */
    FP_EVENT_REPLY,
} FPEventType;

/**
 * What is known of one frame and of the packet it was decoded from. The
 * packet's fields come from the frame index once it is complete (they then
 * equal ffprobe -show_packets), else from what the decoder passed on.
 */
typedef struct FPFrameInfo {
    int64_t number;       /**< display number, from 0, as ffmpeg's framemd5 counts; -1 unknown */
    int64_t total;        /**< frames in the stream; -1 while the index is not complete */
    int64_t pts;          /**< the frame's time (best_effort_timestamp) in time_base */
    int64_t dts;          /**< its packet's dts; AV_NOPTS_VALUE when it had none */
    AVRational time_base; /**< of pts and dts: the video stream's */
    double time;          /**< seconds from the first frame */
    char type;            /**< picture type: 'I', 'P', 'B', 'S', 'i', 'p', 'b', or '?' */
    int key;              /**< 1 for a keyframe */
    int64_t size;         /**< its packet's bytes; -1 unknown */
    int64_t pos;          /**< its packet's byte position in the input; -1 unknown */
    char md5[33];         /**< the picture's MD5 as in ffmpeg's framemd5; "" when not asked */
} FPFrameInfo;

typedef struct FPEvent {
    FPEventType type;
    uint64_t id;          /**< the command it answers; 0 for none */
    int level;            /**< FP_EVENT_MESSAGE */
    const char *text;     /**< FP_EVENT_MESSAGE, FP_EVENT_REPLY; for the call */
    FPInput input;        /**< FP_EVENT_INPUT */
    const AVFrame *frame; /**< FP_EVENT_FRAME_SHOWN; read only, for the call */
    double time;          /**< seconds from the first frame */
    int64_t pts;          /**< in the video stream's time base */
    int64_t frame_number; /**< FP_EVENT_FRAME_SHOWN, FP_EVENT_FRAME_MD5: the display number,
                               from 0, from the frame index; -1 while it is not known */
    char md5[33];         /**< FP_EVENT_FRAME_MD5 */
    const FPFrameInfo *info; /**< FP_EVENT_FRAME_INFO; read only, for the call */
} FPEvent;

/**
 * Receives every event, on the thread that runs fp_player_run(), or for
 * messages while opening, on the thread in fp_player_open(). It may call
 * fp_player_post(), fp_player_request_quit() and fp_player_stats(); it must
 * not block for long, since the picture waits for it.
 */
typedef void (*FPEventCallback)(void *opaque, const FPEvent *event);

typedef struct FPPlayerOptions {
    int headless;                  /**< no window and no audio device: frames go to a null sink */
    int realtime;                  /**< pace the headless sink at the frames' timestamps */
    /**
     * A sink shown every frame besides the window (headless: instead of it),
     * or NULL. Borrowed: the caller keeps it and frees it after
     * fp_player_close(). The player calls its open() in fp_player_open().
     */
    FPVideoSink *sink;
    FPEventCallback on_event;      /**< NULL: events are dropped */
    void *event_opaque;            /**< passed to on_event */
    /**
     * A client will post commands (a script, a socket) until it calls
     * fp_player_end_commands(). Until then the player paces playback in real
     * time even headless, keeps a step history, waits for commands while
     * paused, and at the end stays on the last frame.
     */
    int commands;
    int packet_queue_max_count;    /**< packets the video queue holds at most */
    size_t packet_queue_max_bytes; /**< payload bytes the video queue holds at most */
    int frame_queue_size;          /**< decoded frames queued at most */
    int start_paused;              /**< show the first frame, paused */
    double start_seconds;          /**< open at the first frame at or after this time, counted
                                        from the first frame (mpv's --start); 0: the start */
    int64_t start_frame;           /**< open at this frame number (from 0, in display order),
                                        found in the frame index; 0: the start. Wins over
                                        start_seconds */
    /**
     * Emit an FP_EVENT_FRAME_INFO, MD5 included, for every frame shown. The
     * first frame then waits for the frame index, so that every frame has its
     * number (a file whose frames cannot be numbered gets -1).
     */
    int frame_info;
    int keep_open;                 /**< at the end, stay on the last frame, paused */
    int loop;                      /**< at the end, play again from the first frame */
    int screenshot_osd;            /**< screenshots save the window as seen, what is drawn
                                        over the picture included, at the window's size */
    /**
     * An A-B loop from the start, as the script's 'loop A B': seconds from the
     * first frame; -1 (the default) for none. loop_count > 0 goes back that
     * many times, then plays on past B; 0 (the default): without end.
     */
    double loop_a, loop_b;
    int64_t loop_count;
    size_t step_history_bytes;     /**< picture bytes the step history may reference */
    int no_autorotate;             /**< ignore the display matrix (rotation, flip) */
    const char *trace_ownership;   /**< write a JSON Lines trace of every hand-off here */
    int no_audio;                  /**< play no sound */
    /**
     * Which video track to show: FP_TRACK_DEFAULT (the picture, never a cover,
     * an alpha plane or a dependent stream while a real picture exists),
     * FP_TRACK_OFF, or N >= 1 for the N-th video track, as mpv's --vid counts.
     */
    int video_track;
    int audio_track;               /**< likewise for sound (mpv's --aid); no_audio wins */
    int volume;                    /**< 0 to 100 */
    int sync_video;                /**< the video clock leads even when there is sound */
    int64_t max_pixels;            /**< largest picture (width x height) a decoder may make:
                                        a larger one is refused when the file is opened
                                        (FP_ERROR_TOO_LARGE), or ends decoding there.
                                        Default FP_MAX_PIXELS; 0: libavcodec's bound */
    int64_t max_packets;           /**< the input ends, as at its end, after this many packets
                                        were read (all streams, seeks included). 0: no limit */
    /**
     * Threads the video decoder runs on: 0 (the default) chooses automatically
     * (frame threads, one per core and two more: fastest to a seek's target);
     * 1 decodes on the decoder thread alone, with the least CPU in all;
     * N > 1 asks libavcodec for N (at most FP_DECODER_THREADS_MAX). The sound
     * decoders take libavcodec's choice.
     */
    int decoder_threads;
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
    int64_t decode_errors;       /**< packets or frames the decoder rejected, or errors a
                                      decoder logged while it concealed or dropped a frame
                                      (whichever count is larger) */
    int64_t sound_errors;        /**< sound frames that could not be converted for the
                                      device or the null sink: not played, and not in
                                      fp_player_audio_md5() */
    int64_t seeks;               /**< seeks asked of the reader (keys pressed together count once) */
    int64_t seek_skipped;        /**< packets before an exact seek's target whose frames
                                      that nothing references were not decoded */
    size_t pkt_queue_max_bytes;  /**< the packet queue's high-water mark, in bytes */
    int pkt_queue_max_count;     /**< the packet queue's high-water mark, in packets */
    int frame_queue_max;         /**< the frame queue's high-water mark */
    char render_driver[32];      /**< what draws the window ("software", "opengl"), else "null" */
    int decoder_threads;         /**< threads the video decoder runs on (1: none of its own;
                                      0: no video) */
    char decoder_thread_type[8]; /**< "frame", "slice", or "none" (one thread, or no video) */
    int has_audio;               /**< a sound stream is decoded */
    int64_t drift_samples;       /**< frames shown while the audio clock led */
    double drift_max_ms;         /**< largest |audio clock - frame time| when a frame was shown */
    double drift_avg_ms;         /**< its mean */
    int64_t seeks_in_reach;      /**< exact seeks that asked nothing of the reader: their frame
                                      was in the step history, or the decoder went on to it
                                      without a keyframe in between (not in seeks) */
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
 * Warnings (sound that cannot be played) arrive as FP_EVENT_MESSAGE, on this thread.
 *
 * @param p  Set to the new player on success, to NULL on failure.
 * @param o  Copied; o->sink stays the caller's.
 * @return 0; AVERROR_STREAM_NOT_FOUND when there is neither a video stream
 *         nor a sound stream that can be played;
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
 *         that); FP_ERROR_TOO_LARGE; the error of a sink that failed to show a
 *         frame (the window, or a write of FPPlayerOptions.sink, such as
 *         AVERROR(EIO)), with FPPlayerOptions.error naming the sink and the
 *         frame's time; the read error (such as AVERROR(EIO)) when reading the
 *         input failed part-way, once what was read before it has played.
 *         A quit returns 0 even after a read error.
 */
int fp_player_run(FPPlayer *p);

/**
 * Ask a running fp_player_run() to stop, from any thread: it wakes every
 * waiting thread, and fp_player_run() returns 0 soon after. Calling it before
 * fp_player_run() makes that return at once. Thread-safe; does not block.
 */
void fp_player_request_quit(FPPlayer *p);

/**
 * Post a command, from any thread (the event callback included). Commands
 * run one at a time in the order posted; FP_CMD_QUIT acts at once, as
 * fp_player_request_quit() does. cmd is copied.
 *
 * @param id  If not NULL, set to the command's id (from 1), which its
 *            FP_EVENT_COMMAND_DONE carries.
 * @return 0; AVERROR(EAGAIN) when FP_PLAYER_MAX_POSTED commands already wait;
 *         AVERROR_EXIT after a quit. Thread-safe; does not block.
 */
int fp_player_post(FPPlayer *p, const FPCommand *cmd, uint64_t *id);

/** Commands that may wait at once in a player's inbox. */
#define FP_PLAYER_MAX_POSTED 64

/**
 * No more commands will be posted (the script ended): from now on the
 * player behaves as one opened without FPPlayerOptions.commands, once
 * those already posted are done. Thread-safe; does not block.
 */
void fp_player_end_commands(FPPlayer *p);

typedef struct FPPlayerInfo {
    int has_video; /**< 0 for sound alone */
    int has_audio; /**< a sound stream is decoded */
    int seekable;  /**< seeks and back-steps beyond the step history can work */
} FPPlayerInfo;

/** What was opened. Any thread after fp_player_open(). */
void fp_player_info(const FPPlayer *p, FPPlayerInfo *info);

/**
 * A consistent snapshot of the counters. Any thread, any time after
 * fp_player_open(), also while fp_player_run() runs.
 */
void fp_player_stats(FPPlayer *p, FPPlayerStats *stats);

/**
 * The MD5 of all sound consumed headless, as interleaved signed 16-bit at the
 * stream's own rate and channels. After FP_CMD_AUDIO_TRACK switched tracks:
 * of the sound of the track played last, from where it started (the keyframe
 * at or before the picture then). After fp_player_run().
 *
 * @return 0; AVERROR(EINVAL) when there was no sound, a device played it, or
 *         the run ended (a quit) before all of it was consumed; AVERROR(ENODATA)
 *         when the sound stream gave not one sample (an MD5 of nothing would pass
 *         for a hash of it).
 */
int fp_player_audio_md5(FPPlayer *p, char hex[33]);

/** Stop the threads if they run, and free everything. p is set to NULL; NULL is accepted. */
void fp_player_close(FPPlayer **p);

/** A message for err, including framepipe's own error codes. */
const char *fp_strerror(int err, char *buf, size_t size);

#endif /* FRAMEPIPE_PLAYER_H */
