/*
 * The render thread: takes frames from the frame queue into the step history,
 * shows them at their time, and carries out commands (pause, steps, seeks) one
 * at a time, from keys or from the script.
 *
 * The frame on screen is always the history's cursor entry. Every decoded
 * frame that reaches this thread goes into the history in presentation order
 * (late ones too, unshown), so the history is one unbroken run of frames and a
 * back-step inside it needs no decoding.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libavutil/avstring.h>
#include <libavutil/time.h>

#include "compat.h"
#include "player_internal.h"
#include "screenshot.h"

/* A frame this far from the clock is a timestamp discontinuity, not lateness. */
#define DISCONTINUITY_SECONDS 10.0
/*
 * In formats whose timestamps may jump (MPEG-TS and -PS, where streams are
 * spliced), a gap this long between two frames is a splice, not a pause.
 */
#define STREAM_GAP_SECONDS 1.0
/* Longest a wait lasts before events, commands and the quit flag are looked at again. */
#define SLICE_SECONDS 0.010
/* How often a seek that landed after its target goes back further (1 s, 2 s, 4 s ...). */
#define MAX_SEEK_ATTEMPTS 12

enum { CONTINUE = 0, FINISHED = 1 };

static double ts_seconds(const FPPlayer *p, int64_t ts)
{
    return (ts - p->first_pts) * av_q2d(p->video_st->time_base);
}

static int64_t seconds_ts(const FPPlayer *p, double seconds)
{
    return p->first_pts + llrint(seconds / av_q2d(p->video_st->time_base));
}

static const AVFrame *on_screen(const FPPlayer *p)
{
    return fp_history_get(p->history, fp_history_cursor(p->history));
}

static double frame_duration(const FPPlayer *p, const AVFrame *f)
{
    AVRational rate = p->video_st->avg_frame_rate;

    if (fp_frame_duration(f) > 0)
        return fp_frame_duration(f) * av_q2d(p->video_st->time_base);
    return rate.num > 0 && rate.den > 0 ? av_q2d(av_inv_q(rate)) : 0.04;
}

/* Frames of raw streams may carry no timestamp at all: continue from the previous one. */
static void ensure_timestamp(FPPlayer *p, AVFrame *f)
{
    if (f->best_effort_timestamp == AV_NOPTS_VALUE) {
        int64_t step = llrint(frame_duration(p, f) / av_q2d(p->video_st->time_base));
        f->best_effort_timestamp = p->last_ts == AV_NOPTS_VALUE ? 0 : p->last_ts + FFMAX(step, 1);
    }
    p->last_ts = f->best_effort_timestamp;
}

/* A jump of the timestamps larger than this is a discontinuity, not a gap or lateness. */
static double discontinuity_seconds(const FPPlayer *p)
{
    return p->ts_discont ? STREAM_GAP_SECONDS : DISCONTINUITY_SECONDS;
}

/*
 * The time that should be on screen now. With sound playing, the audio clock
 * leads (the picture follows what is heard), and the video clock is kept on
 * it so that it can take over without a jump when the sound stops or ends.
 */
/* The sound's clock in the picture's terms (seconds from the first frame), when it leads. */
static int audio_time(FPPlayer *p, double now, double *t)
{
    double audio;

    if (!p->audio || p->opts.sync_video || p->paused ||
        fp_audio_out_clock(p->audio, now, &audio) < 0)
        return AVERROR(EAGAIN);
    *t = audio - p->first_pts * av_q2d(p->video_st->time_base);
    return 0;
}

static double master_time(FPPlayer *p, double now)
{
    double t;

    if (audio_time(p, now, &t) == 0) {
        /*
         * Across a timestamp discontinuity the sound and the picture are on
         * different timelines until both have passed it: keep the picture on
         * its own clock meanwhile, rather than race it or stall it.
         */
        if (fabs(t - fp_clock_get(&p->clock, now)) > discontinuity_seconds(p))
            return fp_clock_get(&p->clock, now);
        fp_clock_set(&p->clock, t, now);
        return t;
    }
    return fp_clock_get(&p->clock, now);
}

static void update_title(FPPlayer *p)
{
    const AVFrame *f = on_screen(p);
    FPPacketQueueStats pq;
    FPFrameQueueStats fq;
    AVRational rate = p->video_st->avg_frame_rate;
    char title[512];
    double t;

    if (!p->render || !f)
        return;
    if (!p->info) {
        fp_render_set_title(p->render, av_basename(p->path));
        return;
    }
    fp_packet_queue_stats(p->video_pq, &pq);
    fp_frame_queue_stats(p->video_fq, &fq);
    t = ts_seconds(p, f->best_effort_timestamp);
    snprintf(title, sizeof(title), "%s  %.3f s  frame %lld  %c  pq %d  fq %d  history %d%s",
             av_basename(p->path), t,
             rate.num > 0 ? (long long)llrint(t * av_q2d(rate)) : -1LL,
             av_get_picture_type_char(f->pict_type), pq.count, fq.count,
             fp_history_count(p->history), p->paused ? "  paused" : "");
    fp_render_set_title(p->render, title);
}

static FPOrientation orientation_of(const FPPlayer *p, const AVFrame *f)
{
    return p->opts.no_autorotate ? p->orientation : fp_frame_orientation(f, p->orientation);
}

/*
 * The ownership overlay: how full each queue is, who references the frame on
 * screen and the frames around it in the history, and the clock.
 */
static void update_overlay(FPPlayer *p)
{
    const AVFrame *f = on_screen(p);
    FPPacketQueueStats pq;
    FPFrameQueueStats fq;
    char text[1024], *end = text + sizeof(text), *at = text;
    int cursor = fp_history_cursor(p->history), count = fp_history_count(p->history);

    if (!p->render)
        return;
    if (!p->overlay || !f) {
        fp_render_set_overlay(p->render, NULL);
        return;
    }
    fp_packet_queue_stats(p->video_pq, &pq);
    fp_frame_queue_stats(p->video_fq, &fq);
    at += snprintf(at, end - at, "packets %d (%.0f KiB)  frames %d/%d\n", pq.count,
                   pq.bytes / 1024.0, fq.count, p->opts.frame_queue_size);
    at += snprintf(at, end - at, "shown %.3f s  refcount %d\n",
                   ts_seconds(p, f->best_effort_timestamp), av_buffer_get_ref_count(f->buf[0]));
    at += snprintf(at, end - at, "history %d (%.1f MiB):", count,
                   fp_history_bytes(p->history) / 1048576.0);
    for (int i = FFMAX(cursor - 4, 0); i < FFMIN(cursor + 5, count) && end - at > 8; i++) {
        const AVFrame *h = fp_history_get(p->history, i);
        at += snprintf(at, end - at, i == cursor ? " [%d]" : " %d",
                       av_buffer_get_ref_count(h->buf[0]));
    }
    snprintf(at, end - at, "\nclock %.3f s %s%s", master_time(p, fp_clock_now()),
             p->audio && !p->opts.sync_video ? "audio" : "video", p->paused ? ", paused" : "");
    fp_render_set_overlay(p->render, text);
}

/* Puts history entry index on screen (the window, or the null sink) and makes it the cursor. */
static int show(FPPlayer *p, int index)
{
    const AVFrame *f;
    int ret = 0;

    fp_history_set_cursor(p->history, index);
    f = on_screen(p);
    fp_trace_event(p->trace, FP_TRACE_FRAME, f, "show", NULL, -1);
    if (p->audio) /* sound from before the picture on screen is not worth playing */
        fp_audio_out_set_position(p->audio,
                                  f->best_effort_timestamp * av_q2d(p->video_st->time_base));
    update_overlay(p);
    if (p->render)
        ret = fp_render_show(p->render, f, orientation_of(p, f));
    if (ret >= 0 && p->framemd5)
        ret = fp_framemd5_write(p->framemd5, f);
    p->displayed++;
    update_title(p);
    return ret;
}

/*
 * Takes the next frame of the current serial into p->pending, dropping stale
 * ones. Returns 0, AVERROR_EOF, AVERROR(EAGAIN) (nothing within timeout_us, or
 * a seek is not answered yet), or AVERROR_EXIT.
 */
static int fetch(FPPlayer *p, int64_t timeout_us)
{
    if (p->have_pending)
        return 0;
    if (p->serial < 0)
        return AVERROR(EAGAIN);
    if (p->eof)
        return AVERROR_EOF;
    for (;;) {
        int serial, ret = fp_frame_queue_get(p->video_fq, p->pending, &serial, timeout_us);

        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EXIT)
            return ret;
        if (serial != p->serial) {
            if (ret == 0) {
                p->stale++; /* decoded before the last seek: never shown */
                fp_trace_event(p->trace, FP_TRACE_FRAME, p->pending, "drop", NULL, -1);
                fp_trace_unref(p->trace, FP_TRACE_FRAME, p->pending, NULL);
            }
            continue;
        }
        if (ret == AVERROR_EOF) {
            p->eof = 1;
            return ret;
        }
        ensure_timestamp(p, p->pending);
        /* The container may know the aspect better than the bitstream (as ffmpeg decides it). */
        p->pending->sample_aspect_ratio =
            av_guess_sample_aspect_ratio(NULL, p->video_st, p->pending);
        if (p->skipping) {
            const AVFrame *last = fp_history_get(p->history, fp_history_count(p->history) - 1);

            if (last && p->pending->best_effort_timestamp <= last->best_effort_timestamp) {
                /* the history holds it already */
                fp_trace_event(p->trace, FP_TRACE_FRAME, p->pending, "drop", NULL, -1);
                fp_trace_unref(p->trace, FP_TRACE_FRAME, p->pending, NULL);
                continue;
            }
            p->skipping = 0;
        }
        p->have_pending = 1;
        return 0;
    }
}

/* Moves p->pending into the history at index; on failure it is dropped. */
static int keep_pending(FPPlayer *p, int index, int make_cursor)
{
    int ret = fp_history_insert(p->history, index, p->pending, make_cursor);

    if (ret < 0) /* after a failure it is still ours to drop; after success it is blank */
        fp_trace_unref(p->trace, FP_TRACE_FRAME, p->pending, NULL);
    p->have_pending = 0;
    return ret;
}

static void drop_pending(FPPlayer *p)
{
    if (p->pending->buf[0]) {
        fp_trace_event(p->trace, FP_TRACE_FRAME, p->pending, "drop", NULL, -1);
        fp_trace_unref(p->trace, FP_TRACE_FRAME, p->pending, NULL);
    }
    p->have_pending = 0;
}

static int append_pending(FPPlayer *p)
{
    return keep_pending(p, fp_history_count(p->history), 1);
}

/* Waits up to seconds while still answering the window: events arriving meanwhile are queued. */
static void dispatch_key(FPPlayer *p, const FPCommand *cmd);

static void idle(FPPlayer *p, double seconds)
{
    FPCommand cmd;

    seconds = FFMIN(FFMAX(seconds, 0.001), SLICE_SECONDS);
    if (p->render) {
        if (fp_render_poll(p->render, (int)ceil(seconds * 1000), &cmd))
            dispatch_key(p, &cmd);
    } else if (p->script && !p->script_ended && p->op.type == FP_CMD_NONE) {
        fp_script_wait(p->script, (int64_t)(seconds * 1e6)); /* wakes when a command comes */
    } else {
        av_usleep((unsigned)(seconds * 1e6));
    }
}

static int64_t fetch_timeout(const FPPlayer *p)
{
    return p->paced ? (int64_t)(SLICE_SECONDS * 1e6) : -1;
}

/*
 * A device plays its first sound up to a buffer after it is unpaused (128 ms
 * at 8 kHz). Run ahead meanwhile, the picture would make the device drop the
 * sound it passed: after a start, a resume or a seek, the picture holds its
 * frame until the sound's clock runs, for at most SOUND_START_WAIT seconds,
 * in case no sound comes.
 */
#define SOUND_START_WAIT 0.5

/* Sound is about to start: the picture holds until it does (waiting_for_sound()). */
static void expect_sound(FPPlayer *p, double now)
{
    if (p->audio && !p->opts.sync_video && fp_audio_out_has_device(p->audio))
        p->sound_wait_until = now + SOUND_START_WAIT;
}

/* Whether the picture still waits for the sound; its clock stays on the frame on screen. */
static int waiting_for_sound(FPPlayer *p, double now)
{
    const AVFrame *f = on_screen(p);
    double t;

    if (!p->sound_wait_until)
        return 0;
    if (now >= p->sound_wait_until || !f || audio_time(p, now, &t) == 0 ||
        fp_audio_out_ended(p->audio)) {
        p->sound_wait_until = 0;
        return 0;
    }
    fp_clock_set(&p->clock, ts_seconds(p, f->best_effort_timestamp), now);
    return 1;
}

static void set_paused(FPPlayer *p, int paused)
{
    const AVFrame *f = on_screen(p);
    double now = fp_clock_now();

    if (!paused && f) /* resume from the frame on screen, wherever steps or seeks left it */
        fp_clock_set(&p->clock, ts_seconds(p, f->best_effort_timestamp), now);
    if (!paused)
        expect_sound(p, now);
    fp_clock_pause(&p->clock, paused, now);
    p->paused = paused;
    if (p->audio)
        fp_audio_out_set_paused(p->audio, paused);
    update_title(p);
}

/* Playback reached the end of the stream. */
static int reached_end(FPPlayer *p)
{
    FPDecoderStats ds;

    fp_decoder_stats(p->decoder, &ds);
    /* A still picture stays on screen until the viewer quits, as in ffplay. */
    int still = p->render && ds.frames == 1;
    if (p->opts.keep_open || still || (p->script && !p->script_ended)) {
        set_paused(p, 1);
        return CONTINUE;
    }
    return FINISHED;
}

/* How far the sound is from the picture just shown: --stats' av_drift_*_ms. */
static void measure_drift(FPPlayer *p, const AVFrame *f)
{
    double audio, drift;

    if (!p->audio || !f || fp_audio_out_clock(p->audio, fp_clock_now(), &audio) < 0)
        return;
    drift = fabs(audio - f->best_effort_timestamp * av_q2d(p->video_st->time_base));
    av_log(NULL, AV_LOG_TRACE, "drift: frame %.3f audio %.3f\n",
           f->best_effort_timestamp * av_q2d(p->video_st->time_base), audio);
    if (drift > discontinuity_seconds(p))
        return; /* the two are on either side of a discontinuity */
    p->drift_samples++;
    p->drift_sum += drift;
    p->drift_max = FFMAX(p->drift_max, drift);
}

/* One step of real-time playback: show, drop or wait for the next frame. */
static int advance_play(FPPlayer *p)
{
    int from_history = fp_history_cursor(p->history) < fp_history_count(p->history) - 1;
    const AVFrame *next;
    FPFrameQueueStats fq;
    double now, delay;
    int ret;

    if (!from_history) {
        ret = fetch(p, fetch_timeout(p));
        if (ret == AVERROR_EOF)
            return reached_end(p);
        if (ret == AVERROR(EAGAIN))
            return CONTINUE;
        if (ret < 0)
            return ret;
    }
    next = from_history ? fp_history_get(p->history, fp_history_cursor(p->history) + 1)
                        : p->pending;
    if (p->paced) {
        double t = ts_seconds(p, next->best_effort_timestamp);

        const AVFrame *cur = on_screen(p);

        now = fp_clock_now();
        if (waiting_for_sound(p, now)) {
            idle(p, 0.005);
            return CONTINUE;
        }
        delay = t - master_time(p, now);
        /* Time going backwards, or jumping far, is a discontinuity: follow the new timeline. */
        if (fabs(delay) > DISCONTINUITY_SECONDS ||
            (cur && next->best_effort_timestamp < cur->best_effort_timestamp) ||
            (cur && ts_seconds(p, next->best_effort_timestamp) -
                            ts_seconds(p, cur->best_effort_timestamp) >
                        discontinuity_seconds(p))) {
            double audio;

            /* The sound, when it crossed first, says when the new timeline's frame is due. */
            if (audio_time(p, now, &audio) == 0 && fabs(audio - t) < discontinuity_seconds(p)) {
                fp_clock_set(&p->clock, audio, now);
                delay = t - audio;
            } else {
                fp_clock_set(&p->clock, t, now);
                delay = 0;
            }
        }
        if (delay > 0) {
            idle(p, delay);
            return CONTINUE;
        }
        /* Late by more than the frame lasts, with a newer frame ready: skip this one. */
        fp_frame_queue_stats(p->video_fq, &fq);
        if (-delay > frame_duration(p, next) &&
            (fq.count > 0 || fp_history_cursor(p->history) < fp_history_count(p->history) - 2)) {
            p->dropped++;
            if (from_history) {
                fp_history_set_cursor(p->history, fp_history_cursor(p->history) + 1);
                return CONTINUE;
            }
            return append_pending(p); /* kept unshown, so the history stays unbroken */
        }
    }
    if (!from_history) {
        ret = append_pending(p);
        if (ret < 0)
            return ret;
    }
    ret = show(p, fp_history_cursor(p->history) + (from_history ? 1 : 0));
    measure_drift(p, on_screen(p));
    return ret;
}

/* ---- seeking ---- */

static int seekable(FPPlayer *p)
{
    const AVFormatContext *fmt = fp_demux_format(p->demux);

    return !fmt->pb || (fmt->pb->seekable & AVIO_SEEKABLE_NORMAL);
}

static void request_seek(FPPlayer *p, int64_t seek_ts)
{
    FPOperation *op = &p->op;

    if (p->serial >= 0)
        op->prev_serial = p->serial;
    op->seek_ts = FFMAX(seek_ts, p->first_pts);
    p->seeks++;
    op->request = fp_demux_request_seek(p->demux, op->seek_ts,
                                        op->seek_ts <= p->first_pts ? FP_DEMUX_SEEK_START : 0);
    op->landed = 0;
    op->seeking = 1;
    drop_pending(p);
    p->serial = -1; /* take nothing until the reader says which serial the seek started */
}

static void start_seek(FPPlayer *p, FPSeekMode mode, int64_t target)
{
    FPOperation *op = &p->op;

    op->mode = mode;
    op->target = FFMAX(target, p->first_pts);
    op->attempts = 0;
    /*
     * The sound to play next starts where the exact seek lands; a keyframe
     * seek lands at a keyframe not known yet, so until it shows, no sound is
     * behind the picture. A refill for back-steps keeps the picture where it is.
     */
    if (p->audio && mode != FP_SEEK_BACK)
        fp_audio_out_set_position(p->audio, mode == FP_SEEK_EXACT
                                                ? op->target * av_q2d(p->video_st->time_base)
                                                : -INFINITY);
    /* A refill must land strictly before the history's first frame, even on a keyframe. */
    request_seek(p, mode == FP_SEEK_BACK ? op->target - 1 : op->target);
}

/* The seek landed after what it needs (containers without an index do that): go back further. */
static int seek_earlier(FPPlayer *p)
{
    FPOperation *op = &p->op;
    AVRational tb = p->video_st->time_base;

    if (op->seek_ts <= p->first_pts || op->attempts >= MAX_SEEK_ATTEMPTS)
        return 0;
    op->attempts++;
    request_seek(p, op->target - av_rescale_q(1LL << (op->attempts - 1), (AVRational){1, 1}, tb));
    return 1;
}

/* The refill reached the history's old first frame (or the end): show the frame before it. */
static int finish_back_refill(FPPlayer *p)
{
    int cursor = fp_history_cursor(p->history);

    p->op.seeking = 0;
    p->skipping = 1; /* the stream continues with frames the history already holds */
    if (cursor == 0) /* nothing before it after all: this is the first frame */
        return FINISHED;
    p->op.count--;
    return show(p, cursor - 1) < 0 ? AVERROR_EXTERNAL : (p->op.count ? CONTINUE : FINISHED);
}

static int advance_seek(FPPlayer *p)
{
    FPOperation *op = &p->op;
    int64_t pts;
    int ret, serial;

    if (p->serial < 0) {
        if (!fp_demux_seek_result(p->demux, op->request, &serial)) {
            idle(p, 0.001); /* the reader answers within one packet read */
            return CONTINUE;
        }
        if (serial < 0) { /* the demuxer could not seek; nothing was flushed */
            p->serial = op->prev_serial;
            op->seeking = 0;
            return FINISHED;
        }
        p->serial = serial;
        p->eof = 0;
        p->skipping = 0;
        p->last_ts = AV_NOPTS_VALUE;
    }
    ret = fetch(p, (int64_t)(SLICE_SECONDS * 1e6));
    if (ret == AVERROR(EAGAIN))
        return CONTINUE;
    if (ret == AVERROR_EOF) {
        if (!op->landed && seek_earlier(p))
            return CONTINUE;
        if (op->mode == FP_SEEK_BACK)
            return finish_back_refill(p);
        op->seeking = 0;
        if (op->mode == FP_SEEK_RESYNC)
            return FINISHED; /* the history holds the rest */
        /* Past the last frame: the last frame it is. */
        if (fp_history_count(p->history))
            show(p, fp_history_count(p->history) - 1);
        return FINISHED;
    }
    if (ret < 0)
        return ret;

    pts = p->pending->best_effort_timestamp;
    if (!op->landed) {
        av_log(NULL, AV_LOG_DEBUG, "render: seek %lld for ts %lld landed on ts %lld (key %d)\n",
               (long long)op->request, (long long)op->target, (long long)pts,
               fp_frame_is_key(p->pending));
        /* Exact needs a frame before the target to prove the next one is the first at or after it. */
        int too_late = op->mode == FP_SEEK_BACK ? pts >= op->target : pts > op->target;
        if (too_late && seek_earlier(p))
            return CONTINUE;
        op->landed = 1;
        if (op->mode == FP_SEEK_EXACT || op->mode == FP_SEEK_KEY)
            fp_history_clear(p->history); /* a new place: the old run is not adjacent to it */
    }
    switch (op->mode) {
    case FP_SEEK_KEY:
        ret = append_pending(p);
        op->seeking = 0;
        if (ret < 0)
            return ret;
        show(p, fp_history_cursor(p->history));
        if (!p->paused)
            expect_sound(p, fp_clock_now());
        return FINISHED;
    case FP_SEEK_EXACT:
        ret = append_pending(p);
        if (ret < 0 || pts < op->target)
            return ret < 0 ? ret : CONTINUE;
        op->seeking = 0;
        show(p, fp_history_cursor(p->history));
        if (!p->paused)
            expect_sound(p, fp_clock_now());
        return FINISHED;
    case FP_SEEK_RESYNC: {
        /* The sound restarts at or before the picture; the picture goes on from its history. */
        const AVFrame *last = fp_history_get(p->history, fp_history_count(p->history) - 1);

        if (last && pts <= last->best_effort_timestamp)
            drop_pending(p);
        p->skipping = 1;
        op->seeking = 0;
        expect_sound(p, fp_clock_now());
        return FINISHED;
    }
    case FP_SEEK_BACK:
        if (pts >= op->target) {
            drop_pending(p);
            return finish_back_refill(p);
        }
        /* Before the old first frame, which stays the cursor until the run is complete. */
        return keep_pending(p, fp_history_cursor(p->history), 0);
    }
    return CONTINUE;
}

/* ---- steps ---- */

static int step_forward(FPPlayer *p)
{
    int cursor = fp_history_cursor(p->history);
    int ret;

    if (cursor < fp_history_count(p->history) - 1) {
        p->op.count--;
        return show(p, cursor + 1) < 0 ? AVERROR_EXTERNAL : (p->op.count ? CONTINUE : FINISHED);
    }
    ret = fetch(p, (int64_t)(SLICE_SECONDS * 1e6));
    if (ret == AVERROR_EOF)
        return FINISHED; /* stepping past the end stays on the last frame */
    if (ret == AVERROR(EAGAIN))
        return CONTINUE;
    if (ret >= 0)
        ret = append_pending(p);
    if (ret < 0)
        return ret;
    p->op.count--;
    show(p, fp_history_cursor(p->history));
    return p->op.count ? CONTINUE : FINISHED;
}

static int step_back(FPPlayer *p)
{
    int cursor = fp_history_cursor(p->history);
    const AVFrame *first = fp_history_get(p->history, 0);

    if (cursor > 0) {
        p->op.count--;
        show(p, cursor - 1);
        return p->op.count ? CONTINUE : FINISHED;
    }
    if (!first || first->best_effort_timestamp <= p->first_pts)
        return FINISHED; /* at the first frame already */
    if (!seekable(p)) {
        av_log(NULL, AV_LOG_ERROR,
               "cannot step back further: the input is not seekable, and the step history "
               "starts here\n");
        return FINISHED;
    }
    start_seek(p, FP_SEEK_BACK, first->best_effort_timestamp);
    return CONTINUE;
}

/* ---- commands ---- */

static void print_md5(FPPlayer *p)
{
    const AVFrame *f = on_screen(p);
    char hex[33];

    if (!f || fp_frame_md5(f, hex, NULL) < 0)
        return;
    printf("frame time=%.6f pts=%lld md5=%s\n", ts_seconds(p, f->best_effort_timestamp),
           (long long)f->best_effort_timestamp, hex);
    fflush(stdout);
}

static void save_screenshot(FPPlayer *p, const char *path)
{
    const AVFrame *f = on_screen(p);
    char name[FP_COMMAND_PATH_MAX];
    int ret;

    if (!f)
        return;
    if (!path[0]) {
        snprintf(name, sizeof(name), "framepipe-%.3f.png", ts_seconds(p, f->best_effort_timestamp));
        path = name;
    }
    ret = fp_screenshot_png(f, orientation_of(p, f), path);
    if (ret < 0)
        av_log(NULL, AV_LOG_ERROR, "screenshot %s: %s\n", path, av_err2str(ret));
    else
        av_log(NULL, AV_LOG_INFO, "screenshot: %s\n", path);
}

/*
 * Whether playing on from the frame on screen needs the sound brought back to
 * it first: after back-steps the sound waiting to be played is from later on,
 * and could only catch up by dropping frames. A plain pause leaves the sound
 * ahead by the device's latency, less than the margin.
 */
#define SOUND_AHEAD_MARGIN 0.1

static int sound_ahead(FPPlayer *p)
{
    const AVFrame *f = on_screen(p);
    double next;

    if (!p->audio || p->opts.sync_video || !f || !seekable(p))
        return 0;
    next = fp_audio_out_next_sound(p->audio);
    return !isnan(next) &&
           next - f->best_effort_timestamp * av_q2d(p->video_st->time_base) > SOUND_AHEAD_MARGIN;
}

/* Starts cmd. Returns FINISHED when it completed at once, CONTINUE when it runs on. */
static int start_command(FPPlayer *p, const FPCommand *cmd)
{
    const AVFrame *f = on_screen(p);
    double now_s = f ? ts_seconds(p, f->best_effort_timestamp) : 0;

    p->op.type = cmd->type;
    p->op.count = cmd->count;
    switch (cmd->type) {
    case FP_CMD_PAUSE:
    case FP_CMD_PLAY:
    case FP_CMD_TOGGLE:
        set_paused(p, cmd->type == FP_CMD_TOGGLE ? !p->paused : cmd->type == FP_CMD_PAUSE);
        if (p->paused || !sound_ahead(p))
            return FINISHED;
        /* Seek the reader back to the picture; both streams restart from there. */
        p->op.mode = FP_SEEK_RESYNC;
        p->op.target = f->best_effort_timestamp;
        request_seek(p, f->best_effort_timestamp);
        return CONTINUE;
    case FP_CMD_STEP:
    case FP_CMD_BACK:
        set_paused(p, 1);
        return CONTINUE;
    case FP_CMD_SEEK:
        if (!seekable(p)) {
            av_log(NULL, AV_LOG_ERROR, "cannot seek: the input is not seekable\n");
            return FINISHED;
        }
        start_seek(p, cmd->keyframe ? FP_SEEK_KEY : FP_SEEK_EXACT,
                   seconds_ts(p, FFMAX(cmd->relative ? now_s + cmd->seconds : cmd->seconds, 0)));
        return CONTINUE;
    case FP_CMD_WAIT:
        p->op.until = fp_clock_now() + cmd->seconds;
        return CONTINUE;
    case FP_CMD_MD5:
        print_md5(p);
        return FINISHED;
    case FP_CMD_SCREENSHOT:
        save_screenshot(p, cmd->path);
        return FINISHED;
    case FP_CMD_FULLSCREEN:
        if (p->render)
            fp_render_toggle_fullscreen(p->render);
        return FINISHED;
    case FP_CMD_INFO:
        p->info = !p->info;
        update_title(p);
        return FINISHED;
    case FP_CMD_VOLUME:
        if (p->audio)
            fp_audio_out_set_volume(p->audio, fp_audio_out_volume(p->audio) + cmd->count);
        return FINISHED;
    case FP_CMD_MUTE:
        if (p->audio)
            fp_audio_out_toggle_mute(p->audio);
        return FINISHED;
    case FP_CMD_OVERLAY:
        p->overlay = !p->overlay;
        update_overlay(p);
        if (p->render)
            fp_render_redraw(p->render);
        return FINISHED;
    default:
        return FINISHED;
    }
}

static int advance_operation(FPPlayer *p)
{
    switch (p->op.type) {
    case FP_CMD_SEEK:
    case FP_CMD_PLAY:
    case FP_CMD_TOGGLE: /* bringing the sound back (sound_ahead) */
        return advance_seek(p);
    case FP_CMD_STEP:
        return step_forward(p);
    case FP_CMD_BACK:
        return p->op.seeking ? advance_seek(p) : step_back(p);
    case FP_CMD_WAIT:
        if (fp_clock_now() >= p->op.until)
            return FINISHED;
        if (p->paused) {
            idle(p, p->op.until - fp_clock_now());
            return CONTINUE;
        }
        return advance_play(p) == FINISHED ? FINISHED : CONTINUE;
    default:
        return FINISHED;
    }
}

static void complete_operation(FPPlayer *p)
{
    if (p->op.from_script)
        fp_script_done(p->script);
    memset(&p->op, 0, sizeof(p->op));
}

/*
 * A key pressed while the render thread is busy. Arrow keys held down during a
 * seek move its target instead of queueing more seeks; other commands queue.
 */
static void dispatch_key(FPPlayer *p, const FPCommand *cmd)
{
    if (cmd->type == FP_CMD_QUIT) {
        atomic_store(&p->quit, 1);
        return;
    }
    if (cmd->type == FP_CMD_SEEK && cmd->relative) {
        FPCommand *last = p->nb_keys ? &p->keys[p->nb_keys - 1] : NULL;

        /* Keys not started yet: one seek by the sum. */
        if (last && last->type == FP_CMD_SEEK && last->relative) {
            last->seconds += cmd->seconds;
            return;
        }
        /* A seek by key under way: move its target; the reader drops the stale request. */
        if (!p->nb_keys && p->op.type == FP_CMD_SEEK && p->op.mode == FP_SEEK_EXACT &&
            !p->op.from_script && seekable(p)) {
            start_seek(p, FP_SEEK_EXACT,
                       p->op.target + llrint(cmd->seconds / av_q2d(p->video_st->time_base)));
            return;
        }
    }
    if (p->nb_keys < FP_KEY_QUEUE_SIZE)
        p->keys[p->nb_keys++] = *cmd;
}

/* The next command: keys first, then the script. Returns 1 with *cmd filled. */
static int next_command(FPPlayer *p, FPCommand *cmd, int *from_script)
{
    int ret;

    *from_script = 0;
    if (p->nb_keys) {
        *cmd = p->keys[0];
        memmove(p->keys, p->keys + 1, --p->nb_keys * sizeof(*p->keys));
        return 1;
    }
    if (!p->script || p->script_ended)
        return 0;
    ret = fp_script_take(p->script, cmd);
    if (ret == AVERROR_EOF)
        p->script_ended = 1;
    *from_script = ret > 0;
    return ret > 0;
}

static int show_first_frame(FPPlayer *p)
{
    int ret;

    do {
        if (atomic_load(&p->quit))
            return AVERROR_EXIT;
        ret = fetch(p, p->render ? (int64_t)(SLICE_SECONDS * 1e6) : -1);
        if (ret == AVERROR(EAGAIN))
            idle(p, 0);
    } while (ret == AVERROR(EAGAIN));
    if (ret == AVERROR_EOF)
        return FP_ERROR_NO_FRAMES;
    if (ret < 0)
        return ret;
    p->first_pts = p->pending->best_effort_timestamp;
    ret = append_pending(p);
    if (ret < 0)
        return ret;
    ret = show(p, 0);
    /* Only now: the first present can take tens of milliseconds (a new X shared-memory image). */
    fp_clock_set(&p->clock, 0, fp_clock_now());
    set_paused(p, p->opts.start_paused);
    return ret;
}

int fp_playback_run(FPPlayer *p)
{
    FPCommand cmd;
    int from_script, ret;

    fp_trace_set_thread("render");
    p->serial = 0;
    p->last_ts = AV_NOPTS_VALUE;
    p->paced = p->render || p->opts.realtime || p->script;
    p->ts_discont = !!(fp_demux_format(p->demux)->iformat->flags & AVFMT_TS_DISCONT);
    ret = show_first_frame(p);
    if (ret == AVERROR_EXIT && atomic_load(&p->quit))
        return 0;
    if (ret < 0)
        return ret;

    for (;;) {
        if (atomic_load(&p->quit))
            return 0;
        while (p->render && fp_render_poll(p->render, 0, &cmd))
            dispatch_key(p, &cmd);
        if (atomic_load(&p->quit))
            return 0;

        if (p->op.type == FP_CMD_NONE && next_command(p, &cmd, &from_script)) {
            if (cmd.type == FP_CMD_QUIT) {
                atomic_store(&p->quit, 1); /* a quit, not an end: see fp_player_run() */
                return 0;
            }
            ret = start_command(p, &cmd);
            p->op.from_script = from_script;
            if (ret == FINISHED)
                complete_operation(p);
            continue;
        }
        if (p->op.type != FP_CMD_NONE) {
            ret = advance_operation(p);
            if (ret == FINISHED)
                complete_operation(p);
        } else if (!p->paused) {
            ret = advance_play(p);
            if (ret == FINISHED)
                return 0;
        } else {
            /* Paused with nothing to do. Headless, nothing can ever resume it. */
            if (!p->render && (!p->script || p->script_ended))
                return 0;
            idle(p, SLICE_SECONDS);
            ret = 0;
        }
        if (ret == AVERROR_EXIT)
            return atomic_load(&p->quit) ? 0 : ret;
        if (ret < 0)
            return ret;
    }
}

/*
 * A seek in a file with sound alone: where the sound is now comes from the
 * audio clock (or, paused, where it resumes), and the device drops what comes
 * before the target. Seeking past the end ends playback, as the end does.
 */
static void seek_sound(FPPlayer *p, const FPCommand *cmd)
{
    AVStream *st = p->audio_st;
    double tb = av_q2d(st->time_base), now, target;
    double start = st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time * tb;

    if (!seekable(p)) {
        av_log(NULL, AV_LOG_ERROR, "cannot seek: the input is not seekable\n");
        return;
    }
    if (fp_audio_out_clock(p->audio, fp_clock_now(), &now) < 0) {
        now = fp_audio_out_next_sound(p->audio);
        if (isnan(now))
            now = start;
    }
    target = FFMAX(cmd->relative ? now + cmd->seconds : start + cmd->seconds, start);
    p->seeks++;
    fp_audio_out_set_position(p->audio, target);
    fp_demux_request_seek(p->demux, llrint(target / tb), target <= start ? FP_DEMUX_SEEK_START : 0);
}

/*
 * One command for sound alone. Returns 1 for a quit. Steps, back-steps and
 * whatever needs a picture are refused with a line, as on a pipe.
 */
static int run_sound_command(FPPlayer *p, const FPCommand *cmd)
{
    switch (cmd->type) {
    case FP_CMD_QUIT:
        return 1;
    case FP_CMD_PAUSE:
    case FP_CMD_PLAY:
    case FP_CMD_TOGGLE:
        p->paused = cmd->type == FP_CMD_TOGGLE ? !p->paused : cmd->type == FP_CMD_PAUSE;
        fp_audio_out_set_paused(p->audio, p->paused);
        break;
    case FP_CMD_SEEK:
        seek_sound(p, cmd);
        break;
    case FP_CMD_VOLUME:
    case FP_CMD_MUTE:
    case FP_CMD_FULLSCREEN:
        start_command(p, cmd); /* these mean the same without a picture */
        memset(&p->op, 0, sizeof(p->op));
        break;
    case FP_CMD_STEP:
    case FP_CMD_BACK:
    case FP_CMD_MD5:
    case FP_CMD_SCREENSHOT:
        av_log(NULL, AV_LOG_ERROR, "cannot %s: there is no picture\n",
               cmd->type == FP_CMD_STEP ? "step" : cmd->type == FP_CMD_BACK ? "step back"
               : cmd->type == FP_CMD_MD5 ? "hash the picture" : "take a screenshot");
        break;
    default:
        break;
    }
    return 0;
}

/*
 * Sound alone, in a plain window (or none, headless): keys and a script drive
 * it as they drive a picture, with seeks by time; a script's wait lets the
 * sound play. The end of the sound ends playback, unless a script still runs.
 * Headless, the null sink consumes the sound as fast as it comes, with no
 * pause and no clock: player.c runs no script there.
 */
int fp_playback_run_sound(FPPlayer *p)
{
    double wait_until = 0; /* a script's wait under way, until this clock time */
    FPCommand cmd;

    fp_trace_set_thread("render");
    p->paused = p->opts.start_paused;
    fp_audio_out_set_paused(p->audio, p->paused);
    if (p->render)
        fp_render_redraw(p->render);
    for (;;) {
        double now = fp_clock_now();
        int script_runs = p->script && !p->script_ended;

        if (atomic_load(&p->quit))
            return 0;
        if (wait_until && now >= wait_until) {
            wait_until = 0;
            fp_script_done(p->script);
        }
        if (script_runs && !wait_until) {
            int ret = fp_script_take(p->script, &cmd);

            if (ret == AVERROR_EOF) {
                p->script_ended = 1;
            } else if (ret > 0 && cmd.type == FP_CMD_WAIT) {
                wait_until = now + cmd.seconds;
            } else if (ret > 0) {
                int quit = run_sound_command(p, &cmd);
                fp_script_done(p->script);
                if (quit)
                    return 0;
            }
            if (ret != 0)
                continue;
        }
        if (fp_audio_out_ended(p->audio) && !wait_until && (!p->script || p->script_ended))
            return 0;
        if (p->render && fp_render_poll(p->render, (int)(SLICE_SECONDS * 1000), &cmd)) {
            if (run_sound_command(p, &cmd))
                return 0;
        } else if (!p->render) {
            if (p->paused && !script_runs)
                return 0; /* headless and paused: nothing can resume it */
            if (script_runs && !wait_until)
                fp_script_wait(p->script, (int64_t)(SLICE_SECONDS * 1e6));
            else
                av_usleep((unsigned)(SLICE_SECONDS * 1e6));
        }
    }
}
