/*
 * Internal: the FPPlayer struct and the doors between the player's rooms.
 *
 *   player.c      open, threads, run, stats, close (the start and stop order)
 *   inbox.c       fp_player_post(): commands from any thread; events out
 *   loop.c        the render thread's loop: commands one at a time, playing between them
 *   intake.c      frames from the frame queue into the step history, and onto the sinks
 *   pacing.c      the clocks: when the next frame is due, pause, late drops, sync to sound
 *   seek.c        the seek state machine (exact, keyframe, history refill, sound resync)
 *   step.c        steps forward and back through the history
 *   info.c        what the title and the overlay say; md5 and screenshot commands
 *   osd.c         the on-screen display: the 'i' panel, messages, the timeline
 *   inspect.c     the GOP and the pixels of the frame on screen ('gop', 'pixel')
 *   repeat.c      the A-B loop and --loop
 *   sound.c       what differs for sound alone: seeks by the audio clock, refusals
 *   audio_track.c the audio tracks: the sound's decoder, queues and output; switching tracks
 *
 * Everything below "render thread" in FPPlayer belongs to the thread in
 * fp_player_run() and is touched by no other.
 */
#ifndef FRAMEPIPE_SRC_PLAYER_INTERNAL_H
#define FRAMEPIPE_SRC_PLAYER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <libavformat/avformat.h>
#include <libavutil/frame.h>

#include "framepipe/command.h"
#include "framepipe/frame_queue.h"
#include "framepipe/packet_queue.h"
#include "framepipe/player.h"
#include "framepipe/video_sink.h"
#include "audio_out.h"
#include "clock.h"
#include "decode.h"
#include "demux.h"
#include "headers.h"
#include "history.h"
#include "index.h"
#include "trace.h"

/* Return values of the render thread's steps, besides negative errors. */
enum { FP_CONTINUE = 0, FP_FINISHED = 1 };

/* Longest a wait lasts before events, commands and the quit flag are looked at again. */
#define FP_SLICE_SECONDS 0.010

#define FP_MAX_SINKS 2

typedef enum FPSeekMode {
    FP_SEEK_EXACT,  /* show the first frame at or after the target */
    FP_SEEK_KEY,    /* show the keyframe the seek lands on, at or before the target */
    FP_SEEK_BACK,   /* fill the history with the frames before its first one */
    FP_SEEK_RESYNC, /* bring the sound back to the picture on screen; the history stays */
} FPSeekMode;

/* The audio tracks, and a switch between them (audio_track.c). */
typedef struct FPAudioTracks {
    pthread_mutex_t lock;  /* see FPPlayer.audio_st */
    AVStream **streams;    /* every audio track, in --aid's order; owned by the demuxer */
    int count;
    int chosen;            /* from 1; 0: none. Chosen even when it could not be played */
    /*
     * The old track's decoder and queues, from a switch until the reader lets go of its queue;
     * the render thread then aborts, joins and frees them. abort_all() aborts them too.
     */
    FPDecoder *old_decoder;
    FPPacketQueue *old_pq;
    FPFrameQueue *old_fq;
    int64_t request;       /* the reader's switch request under way; 0: none */
    int volume, muted;     /* carried from one output to the next */
    atomic_llong sound_errors; /* of the outputs closed before */
} FPAudioTracks;

/* A command in the inbox. */
typedef struct FPPosted {
    FPCommand cmd;
    uint64_t id;
} FPPosted;

/* What the render thread is busy with; one at a time. */
typedef struct FPOperation {
    FPCommandType type; /* FP_CMD_NONE when idle */
    uint64_t id;        /* the command's, for its FP_EVENT_COMMAND_DONE */
    int interactive;    /* from a key: later arrow keys move a seek's target */
    int count;          /* steps still to take */
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
    int by_pos;         /* the next request reads from byte key_pos instead of searching by time */
    int64_t key_pos;
    double fraction;    /* FP_CMD_FRAME, FP_CMD_SEEK: the place in the stream asked for, from 0
                           to 1; < 0 when the command named a frame or a time */
    int keyframe;       /* FP_CMD_FRAME: go to the keyframe at or before the frame */
    int timeline;       /* FP_CMD_FRAME from the timeline: the next one replaces it */
    int repeat;         /* the seek back of a loop (repeat.c): FPRepeat.saved resumes after it */
    int64_t skip_ts;    /* FP_SEEK_EXACT, FP_SEEK_BACK: frames before it are neither all
                           decoded nor kept; AV_NOPTS_VALUE: every frame is */
    int skip_dropped;   /* frames not kept for it */
    int in_history;     /* FP_SEEK_EXACT: the target is history entry history_index, no jump */
    int history_index;
} FPOperation;

/* Loops (repeat.c); the render thread's. */
typedef struct FPRepeat {
    int64_t a, b;        /* the A-B loop, stream time base; AV_NOPTS_VALUE: none */
    FPOperation saved;   /* the command put aside while a loop goes back */
    int64_t count;       /* times gone back */
    int64_t left;        /* times still to go back; < 0: without end */
} FPRepeat;

/* The on-screen display's state (osd.c); the render thread's. */
typedef struct FPOsdState {
    char message[256];
    double message_until; /* clock time at which it starts to fade */
    double drawn_alpha;   /* its opacity when last drawn */
    double drawn_at;
    int pinned;           /* the timeline stays on screen */
    int gop_strip, loupe, inspector; /* shown */
    /*
     * The inspector: a frame's fields and its packet's headers, read on the headers worker's
     * thread while the picture goes on. A frame is tagged by its timestamp, else its packet's
     * position. The fields of the frame asked about wait with its question; fields and headers
     * are shown together once its answer comes.
     */
    FPHeadersWorker *headers_worker; /* started when the inspector first shows */
    int asking;           /* a question is out for the frame tagged asked_tag */
    int64_t asked_tag;
    double asked_at;      /* clock time */
    char *asked_fields;   /* that frame's fields */
    int64_t shown_tag;    /* what the panel shows: the frame, */
    char *shown_fields;   /* its fields (NULL: nothing yet), */
    char *headers;        /* its headers' lines, */
    int headers_err;      /* or the error why none; NULL and 0: being read */
    FPOsdGopFrame strip[32];
    FPOsdBar *bars;       /* the timeline's graph, from the finished index */
    int nb_bars, bars_tried;
    uint32_t max_bytes;
    unsigned generation;
} FPOsdState;

struct FPPlayer {
    FPPlayerOptions opts;
    unsigned size_refusals; /* fp_size_watch_count() when opening began */
    atomic_uint logged_errors_base; /* fp_size_watch_decoder_errors() when the run began */
    atomic_int run_began;
    char *path;
    FPDemux *demux;
    FPDecoder *decoder;
    FPPacketQueue *video_pq;
    FPFrameQueue *video_fq;
    FPVideoSink *window;  /* the player's own SDL window; NULL when headless */
    FPVideoSink *sinks[FP_MAX_SINKS]; /* the window, then opts.sink */
    int nb_sinks;
    FPTrace *trace;       /* NULL unless --trace-ownership */
    FPIndex *index;       /* frame numbers; NULL for a pipe, input through an AVIOContext, or
                             when it could not open; built in the background meanwhile */
    /*
     * Sound; all NULL without it. Only the render thread changes these, while it plays (an
     * audio track switch, audio_track.c), and then under tracks.lock, which other threads take
     * to read them (abort_all(), fp_player_stats()).
     */
    AVStream *audio_st;
    FPDecoder *audio_decoder;
    FPPacketQueue *audio_pq;
    FPFrameQueue *audio_fq;
    FPAudioOut *audio;
    FPAudioTracks tracks;
    AVStream *video_st;   /* owned by the demuxer */
    FPOrientation orientation; /* the stream's display matrix, unless --no-autorotate */
    int seekable;         /* the demuxer can seek the input */
    int ts_discont;       /* the format's timestamps may jump (AVFMT_TS_DISCONT) */
    int threads_started;
    atomic_int quit;      /* set by fp_player_request_quit() from any thread */

    /* The inbox (inbox.c): commands posted from any thread, under inbox_lock. */
    pthread_mutex_t inbox_lock;
    pthread_cond_t inbox_cond; /* signalled on a post, on the end of commands and on quit */
    FPPosted inbox[FP_PLAYER_MAX_POSTED];
    int inbox_count;
    uint64_t last_id;
    int commands_ended;   /* fp_player_end_commands() was called */

    /* Counters that fp_player_stats() reads from any thread. */
    atomic_llong displayed, dropped, stale, seeks, seeks_in_reach;
    pthread_mutex_t drift_lock;
    int64_t drift_samples; /* under drift_lock, with the two below */
    double drift_max, drift_sum;

    /* Everything below belongs to the render thread. */
    FPHistory *history;   /* the frame on screen is the entry at its cursor */
    AVFrame *pending;     /* taken from the frame queue, not yet in the history */
    int have_pending;
    int serial;           /* frames of other serials are stale; -1 while a seek is unanswered */
    int eof;              /* the stream of this serial has ended */
    int skipping;         /* drop frames the history already holds (after refilling it) */
    int paused;
    int paced;
    int info;             /* show the information line in the title */
    int overlay;          /* show queues, references and clocks over the picture */
    int64_t first_pts;    /* of the first frame; times count from it */
    int64_t last_ts;      /* to give untimed frames a timestamp */
    int64_t jump_ts;      /* the first untimed frame after the newest jump starts here;
                             AV_NOPTS_VALUE: at 0 (the jump went to byte 0) */
    FPClock clock;
    FPOperation op;
    FPOsdState osd;
    FPRepeat repeat;
    double sound_wait_until; /* clock time until which the picture waits for the sound to start */
};

/* ---- player.c ---- */

/* The one line FPPlayerOptions.error carries when fp_player_run() fails. */
void fp_player_set_error(FPPlayer *p, const char *fmt, ...) av_printf_format(2, 3);

/* The loop of the render thread, for a picture or for sound alone; see fp_player_run(). */
int fp_playback_run(FPPlayer *p);

/* ---- inbox.c ---- */

int fp_inbox_init(FPPlayer *p);
void fp_inbox_uninit(FPPlayer *p);

/* Render thread: take the oldest posted command. Returns 1 with *out filled, else 0. */
int fp_inbox_take(FPPlayer *p, FPPosted *out);

/* Render thread: the oldest posted command, left in place; 1 when there is one. */
int fp_inbox_peek(FPPlayer *p, FPPosted *out);

/* Render thread: wait at most seconds for a post, the end of commands, or a quit. */
void fp_inbox_wait(FPPlayer *p, double seconds);

/* Whether commands may still come: opts.commands, and the client has not ended, or some wait. */
int fp_inbox_commands_live(FPPlayer *p);

/* Hand an event to opts.on_event, if any. */
void fp_emit(FPPlayer *p, const FPEvent *ev);

/* An FP_EVENT_MESSAGE, formatted. */
void fp_message(FPPlayer *p, int level, const char *fmt, ...) av_printf_format(3, 4);

/* An FP_EVENT_COMMAND_DONE for id (0: nothing is said). */
void fp_command_done(FPPlayer *p, uint64_t id);

/* ---- loop.c ---- */

/* Wait up to seconds while still answering the window and the inbox. */
void fp_idle(FPPlayer *p, double seconds);

/* Every sink shows its last picture again (what is drawn over it may have changed). */
void fp_redraw(FPPlayer *p);

/* ---- intake.c ---- */

double fp_ts_seconds(const FPPlayer *p, int64_t ts);
/* A span of seconds in the stream's time base, rounded up to a whole tick (or down). */
int64_t fp_seconds_ts(const FPPlayer *p, double seconds, int round_down);
const AVFrame *fp_on_screen(const FPPlayer *p);
double fp_frame_seconds(const FPPlayer *p, const AVFrame *f); /* how long f lasts */
FPOrientation fp_orientation_of(const FPPlayer *p, const AVFrame *f);

/*
 * Take the next frame of the current serial into p->pending, dropping stale
 * ones. Returns 0, AVERROR_EOF, AVERROR(EAGAIN) (nothing within timeout_us, or
 * a seek is not answered yet), or AVERROR_EXIT.
 */
int fp_intake_fetch(FPPlayer *p, int64_t timeout_us);

/* Move p->pending into the history at index; on failure it is dropped. */
int fp_intake_keep(FPPlayer *p, int index, int make_cursor);

/* p->pending at the end of the history, as its cursor. */
int fp_intake_append(FPPlayer *p);

/* Drop p->pending, if there is one. */
void fp_intake_drop(FPPlayer *p);

/*
 * Put history entry index on every sink and make it the cursor.
 * Returns 0, or the first sink's error: the run ends with it.
 */
int fp_show(FPPlayer *p, int index);

/* ---- pacing.c ---- */

/* The sound's clock in the picture's terms (seconds from the first frame), when it leads. */
int fp_pacing_audio_time(FPPlayer *p, double now, double *t);

/* The time that should be on screen now. */
double fp_pacing_master_time(FPPlayer *p, double now);

/* Sound is about to start: the picture holds until it does. */
void fp_pacing_expect_sound(FPPlayer *p, double now);

void fp_pacing_set_paused(FPPlayer *p, int paused);

/* One step of real-time playback: show, drop or wait for the next frame. */
int fp_pacing_advance(FPPlayer *p);

/* Whether playing on needs the sound brought back to the picture first (after back-steps). */
int fp_pacing_sound_ahead(FPPlayer *p);

/* A jump of the timestamps larger than this is a discontinuity, not a gap or lateness. */
double fp_pacing_discontinuity(const FPPlayer *p);

/* ---- seek.c ---- */

void fp_seek_start(FPPlayer *p, FPSeekMode mode, int64_t target);

/* Seek the reader to seek_ts for the operation under way (its mode already set). */
void fp_seek_request(FPPlayer *p, int64_t seek_ts);

int fp_seek_advance(FPPlayer *p);

/* ---- step.c ---- */

int fp_step_forward(FPPlayer *p);
int fp_step_back(FPPlayer *p);

/* ---- sound.c: sound alone (p->video_st == NULL) ---- */

/* A seek by the audio clock; the device drops what comes before the target. */
void fp_sound_seek(FPPlayer *p, const FPCommand *cmd);

/* Refuse, with a message, what needs a picture: 1 when cmd was refused. */
int fp_sound_refuses(FPPlayer *p, const FPCommand *cmd);

/* Playing: 1 once the sound has ended, else waits a slice and returns 0. */
int fp_sound_advance(FPPlayer *p);

/* ---- audio_track.c: audio tracks, and switches between them ---- */

/* At open, before any thread: the tracks, and the sound's chain for the one chosen, if any. */
int fp_audio_tracks_open(FPPlayer *p);

/* Any thread: abort every audio queue, the old track's too. */
void fp_audio_tracks_abort(FPPlayer *p);

/* Once fp_audio_tracks_abort() was called: join the audio decoders, and free the old track's. */
void fp_audio_tracks_join(FPPlayer *p);

/* Free everything, the chain included. The threads are joined. */
void fp_audio_tracks_close(FPPlayer *p);

/* Any thread: sound frames not converted, by every output so far; whether sound is decoded. */
int64_t fp_audio_tracks_sound_errors(FPPlayer *p);
int fp_audio_tracks_playing(FPPlayer *p);

/* FP_CMD_AUDIO_TRACK: start it (FP_FINISHED when it is done at once), then advance it. */
int fp_audio_track_start(FPPlayer *p, const FPCommand *cmd);
int fp_audio_track_advance(FPPlayer *p);

/* ---- frames.c: frame numbers, from the frame index ---- */

/* The display number of f; -1 while it is not known (no index yet, or none). */
int64_t fp_frames_number(FPPlayer *p, const AVFrame *f);

/* Frames in the stream; -1 while it is not known. */
int64_t fp_frames_total(FPPlayer *p);

/*
 * The time of frame n (past the end: of the last frame).
 * @return 0; AVERROR(EAGAIN) while the index is not complete; AVERROR(ENOSYS)
 *         when the frames cannot be numbered; or an error of the index.
 */
int fp_frames_ts(FPPlayer *p, int64_t n, int64_t *ts);

/*
 * For a raw stream: the byte position of the IDR picture at or before ts,
 * and the time of that picture. AVERROR(ENOSYS) for another stream, or when
 * the index has none: the reader then searches by time as usual.
 */
int fp_frames_raw_entry(FPPlayer *p, int64_t ts, int64_t *pos, int64_t *first_ts);

/*
 * Where timestamps go back (joined MPEG-TS pieces), a time can name frames
 * of several pieces: the byte position of the keyframe that frame n decodes
 * from, to read from instead of searching by time. An error elsewhere, or
 * when the index cannot say.
 */
int fp_frames_key_pos(FPPlayer *p, int64_t n, int64_t *pos);

/*
 * In MPEG-TS and -PS, whose own search by time may land late: the byte
 * position of the last keyframe at or before ts, to read from. An error
 * elsewhere, where timestamps go back, or when the index cannot say.
 */
int fp_frames_key_pos_at(FPPlayer *p, int64_t ts, int64_t *pos);

/*
 * The time of the last frame, where the index knows it and timestamps never
 * go back (then everything before a time in the stream is also before it in
 * the file); an error otherwise.
 */
int fp_frames_last_ts(FPPlayer *p, int64_t *ts);

/* The time of the last keyframe shown at or before ts; an error when the index cannot say. */
int fp_frames_key_ts(FPPlayer *p, int64_t ts, int64_t *key_ts);

/*
 * Seconds from the first frame to the end of the last: from the index when it
 * is whole, else the input's duration; < 0 when neither is known.
 */
double fp_frames_seconds(FPPlayer *p);

/* What is known of f; with_md5 adds its MD5. */
void fp_frames_describe(FPPlayer *p, const AVFrame *f, FPFrameInfo *fi, int with_md5);

/* fp_frames_describe() as an FP_EVENT_FRAME_INFO answering command id (0: none). */
void fp_frames_emit_info(FPPlayer *p, const AVFrame *f, uint64_t id, int with_md5);

/* ---- info.c ---- */

void fp_info_update_title(FPPlayer *p);
/* The ownership overlay's text ('o'), into buf. */
void fp_info_overlay_text(FPPlayer *p, char *buf, size_t size);
void fp_info_md5(FPPlayer *p);
void fp_info_screenshot(FPPlayer *p, const char *path);

/* ---- repeat.c ---- */

/* 1 when next, about to be shown, is at or past the A-B loop's B: go back instead. */
int fp_repeat_due(FPPlayer *p, const AVFrame *next);
/* 1 when the end of the input goes back (--loop, or an A-B loop). */
int fp_repeat_at_end(FPPlayer *p);
/* Go back to A, or the first frame: an exact seek, the operation under way put aside. */
int fp_repeat_restart(FPPlayer *p);
/* The seek back landed: carry on with what was put aside. */
void fp_repeat_landed(FPPlayer *p);
/* No loop; then, once the first frame's time is known, the options' (--ab-loop-a, -b). */
void fp_repeat_init(FPPlayer *p);
/* 'loop A B' in seconds from the first frame; a < 0: no loop. */
void fp_repeat_set(FPPlayer *p, double a, double b);
/* 'l': A, then B, then none. */
void fp_repeat_mark(FPPlayer *p);

/* ---- inspect.c ---- */

/* 'gop': FP_FINISHED with the reply (or a refusal), FP_CONTINUE while the index counts. */
int fp_inspect_gop(FPPlayer *p);
/* The GOP strip of the frame on screen into strip (at most max); 0 when the index cannot say. */
int fp_inspect_gop_strip(FPPlayer *p, FPOsdGopFrame *strip, int max);
/* 'pixel X Y': the reply, or a refusal. */
void fp_inspect_pixel(FPPlayer *p, int x, int y);
/* Where the packet of frame f is, for its bitstream headers (headers.h): from the index when it
 * knows the frame, else from the frame. AVERROR(ESPIPE) when the input cannot be read again. */
int fp_inspect_headers_query(FPPlayer *p, const AVFrame *f, FPHeadersQuery *q);
/* 'headers': the reply lines (or a refusal); FP_CONTINUE while the index counts. */
int fp_inspect_headers(FPPlayer *p);
/* The 'e' panel: the frame's packet, picture, colour, side data and buffers, into buf. */
void fp_inspect_panel(FPPlayer *p, char *buf, size_t size);

/* ---- osd.c: with a window only; without, they do nothing ---- */

/* Tell the sinks what to draw over the picture: before a frame is shown. */
void fp_osd_update(FPPlayer *p);
/* The same, then redraw: between frames. */
void fp_osd_refresh(FPPlayer *p);
/* A message over the picture for a second, then fading. */
void fp_osd_message(FPPlayer *p, const char *fmt, ...) av_printf_format(2, 3);
/* Text over the picture for seconds (< 0: until replaced), then fading; "" hides it. */
void fp_osd_show_text(FPPlayer *p, const char *text, double seconds);
/* Once a turn: fades the message, and draws the timeline's graph once the index is whole. */
void fp_osd_tick(FPPlayer *p);
void fp_osd_free(FPPlayer *p);

#endif /* FRAMEPIPE_SRC_PLAYER_INTERNAL_H */
