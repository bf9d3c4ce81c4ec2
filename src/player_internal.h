/*
 * Internal: the FPPlayer struct, shared by player.c (open, threads, close) and
 * playback.c (the render thread's loop: pacing, stepping, seeking, commands).
 */
#ifndef FRAMEPIPE_SRC_PLAYER_INTERNAL_H
#define FRAMEPIPE_SRC_PLAYER_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include <libavformat/avformat.h>
#include <libavutil/frame.h>

#include "framepipe/frame_queue.h"
#include "framepipe/packet_queue.h"
#include "framepipe/player.h"
#include "audio_out.h"
#include "clock.h"
#include "command.h"
#include "decode.h"
#include "demux.h"
#include "framemd5.h"
#include "history.h"
#include "picture.h"
#include "render_sdl.h"
#include "script.h"
#include "trace.h"

#define FP_KEY_QUEUE_SIZE 16

typedef enum FPSeekMode {
    FP_SEEK_EXACT,  /* show the first frame at or after the target */
    FP_SEEK_KEY,    /* show the keyframe the seek lands on, at or before the target */
    FP_SEEK_BACK,   /* fill the history with the frames before its first one */
    FP_SEEK_RESYNC, /* bring the sound back to the picture on screen; the history stays */
} FPSeekMode;

/* What the render thread is busy with; one at a time. */
typedef struct FPOperation {
    FPCommandType type; /* FP_CMD_NONE when idle */
    int count;          /* steps still to take */
    int from_script;    /* tell the script when it completes */
    double until;       /* FP_CMD_WAIT: wall time it ends */

    /* FP_CMD_SEEK, and FP_CMD_BACK while it refills the history */
    int seeking;
    FPSeekMode mode;
    int64_t target;     /* stream time base */
    int64_t seek_ts;    /* where the newest request went */
    int64_t request;    /* its id */
    int attempts;
    int landed;         /* a frame of the new serial arrived */
    int prev_serial;    /* to fall back to when the seek fails */
} FPOperation;

struct FPPlayer {
    FPPlayerOptions opts;
    unsigned size_refusals; /* fp_size_watch_count() when opening began */
    char *path;
    FPDemux *demux;
    FPDecoder *decoder;
    FPPacketQueue *video_pq;
    FPFrameQueue *video_fq;
    FPRender *render;     /* NULL when headless */
    FPFrameMD5 *framemd5; /* NULL unless --framemd5 */
    FPScript *script;     /* NULL unless --script */
    FPTrace *trace;       /* NULL unless --trace-ownership */
    /* Sound; all NULL without it. */
    AVStream *audio_st;
    FPDecoder *audio_decoder;
    FPPacketQueue *audio_pq;
    FPFrameQueue *audio_fq;
    FPAudioOut *audio;
    AVStream *video_st;   /* owned by the demuxer */
    FPOrientation orientation; /* the stream's display matrix, unless --no-autorotate */
    int threads_started;
    atomic_int quit;      /* set by fp_player_request_quit() from any thread */

    /* Everything below belongs to the render thread. */
    FPHistory *history;   /* the frame on screen is the entry at its cursor */
    AVFrame *pending;     /* taken from the frame queue, not yet in the history */
    int have_pending;
    int serial;           /* frames of other serials are stale; -1 while a seek is unanswered */
    int eof;              /* the stream of this serial has ended */
    int skipping;         /* drop frames the history already holds (after refilling it) */
    int paused;
    int paced;
    int ts_discont;       /* the format's timestamps may jump (AVFMT_TS_DISCONT) */
    int script_ended;
    int info;             /* show the information line in the title */
    int overlay;          /* show queues, references and clocks over the picture */
    int64_t first_pts;    /* of the first frame; times count from it */
    int64_t last_ts;      /* to give untimed frames a timestamp */
    FPClock clock;
    FPOperation op;
    FPCommand keys[FP_KEY_QUEUE_SIZE];
    int nb_keys;
    int64_t displayed, dropped, stale, seeks;
    double sound_wait_until; /* clock time until which the picture waits for the sound to start */
    int64_t drift_samples;
    double drift_max, drift_sum;
};

/** The render thread's loop; see fp_player_run(). */
int fp_playback_run(FPPlayer *p);

/** The loop for sound alone: a plain window (or none), pause, volume and quit, until the end. */
int fp_playback_run_sound(FPPlayer *p);

#endif /* FRAMEPIPE_SRC_PLAYER_INTERNAL_H */
