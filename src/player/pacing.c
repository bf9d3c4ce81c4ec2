/*
 * Pacing: when the next frame is due, and what leads. With sound playing the
 * audio clock leads (the picture follows what is heard), and the video clock
 * is kept on it so that it can take over without a jump when the sound stops
 * or ends. A frame late by more than it lasts is dropped when a newer one is
 * ready; it still enters the history, unshown.
 */
#include <math.h>

#include "player_internal.h"

/* A frame this far from the clock is a timestamp discontinuity, not lateness. */
#define DISCONTINUITY_SECONDS 10.0
/*
 * In formats whose timestamps may jump (MPEG-TS and -PS, where streams are
 * spliced), a gap this long between two frames is a splice, not a pause.
 */
#define STREAM_GAP_SECONDS 1.0
/*
 * A device plays its first sound up to a buffer after it is unpaused (128 ms
 * at 8 kHz). Run ahead meanwhile, the picture would make the device drop the
 * sound it passed: after a start, a resume or a seek, the picture holds its
 * frame until the sound's clock runs, for at most SOUND_START_WAIT seconds,
 * in case no sound comes.
 */
#define SOUND_START_WAIT 0.5
/*
 * Playing on from the frame on screen needs the sound brought back to it
 * first when the sound waiting to be played is from later on (after
 * back-steps): it could only catch up by dropping frames. A plain pause
 * leaves the sound ahead by the device's latency, less than the margin.
 */
#define SOUND_AHEAD_MARGIN 0.1

double fp_pacing_discontinuity(const FPPlayer *p)
{
    return p->ts_discont ? STREAM_GAP_SECONDS : DISCONTINUITY_SECONDS;
}

int fp_pacing_audio_time(FPPlayer *p, double now, double *t)
{
    double audio;

    if (!p->audio || p->opts.sync_video || p->paused ||
        fp_audio_out_clock(p->audio, now, &audio) < 0)
        return AVERROR(EAGAIN);
    *t = audio - p->first_pts * av_q2d(p->video_st->time_base);
    return 0;
}

double fp_pacing_master_time(FPPlayer *p, double now)
{
    double t;

    if (fp_pacing_audio_time(p, now, &t) == 0) {
        /*
         * Across a timestamp discontinuity the sound and the picture are on
         * different timelines until both have passed it: keep the picture on
         * its own clock meanwhile, rather than race it or stall it.
         */
        if (fabs(t - fp_clock_get(&p->clock, now)) > fp_pacing_discontinuity(p))
            return fp_clock_get(&p->clock, now);
        fp_clock_set(&p->clock, t, now);
        return t;
    }
    return fp_clock_get(&p->clock, now);
}

void fp_pacing_expect_sound(FPPlayer *p, double now)
{
    if (p->audio && !p->opts.sync_video && fp_audio_out_has_device(p->audio))
        p->sound_wait_until = now + SOUND_START_WAIT;
}

/* Whether the picture still waits for the sound; its clock stays on the frame on screen. */
static int waiting_for_sound(FPPlayer *p, double now)
{
    const AVFrame *f = fp_on_screen(p);
    double t;

    if (!p->sound_wait_until)
        return 0;
    if (now >= p->sound_wait_until || !f || fp_pacing_audio_time(p, now, &t) == 0 ||
        fp_audio_out_ended(p->audio)) {
        p->sound_wait_until = 0;
        return 0;
    }
    fp_clock_set(&p->clock, fp_ts_seconds(p, f->best_effort_timestamp), now);
    return 1;
}

void fp_pacing_set_paused(FPPlayer *p, int paused)
{
    const AVFrame *f = fp_on_screen(p);
    double now = fp_clock_now();

    if (!paused && f) /* resume from the frame on screen, wherever steps or seeks left it */
        fp_clock_set(&p->clock, fp_ts_seconds(p, f->best_effort_timestamp), now);
    if (!paused)
        fp_pacing_expect_sound(p, now);
    fp_clock_pause(&p->clock, paused, now);
    p->paused = paused;
    if (p->audio)
        fp_audio_out_set_paused(p->audio, paused);
    fp_info_update_title(p);
}

int fp_pacing_sound_ahead(FPPlayer *p)
{
    const AVFrame *f = fp_on_screen(p);
    double next;

    if (!p->audio || p->opts.sync_video || !f || !p->seekable)
        return 0;
    next = fp_audio_out_next_sound(p->audio);
    return !isnan(next) &&
           next - f->best_effort_timestamp * av_q2d(p->video_st->time_base) > SOUND_AHEAD_MARGIN;
}

/* Playback reached the end of the stream. */
static int reached_end(FPPlayer *p)
{
    FPEvent ev = {.type = FP_EVENT_END};
    FPDecoderStats ds;
    int still;

    fp_emit(p, &ev);
    if (p->video_st && fp_repeat_at_end(p))
        return fp_repeat_restart(p);
    /* A still picture stays on screen until the viewer quits, as in ffplay. */
    still = 0;
    if (p->video_st) {
        fp_decoder_stats(p->decoder, &ds);
        still = p->window && ds.frames == 1;
    }
    if (p->opts.keep_open || still || fp_inbox_commands_live(p)) {
        fp_pacing_set_paused(p, 1);
        return FP_CONTINUE;
    }
    return FP_FINISHED;
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
    if (drift > fp_pacing_discontinuity(p))
        return; /* the two are on either side of a discontinuity */
    pthread_mutex_lock(&p->drift_lock);
    p->drift_samples++;
    p->drift_sum += drift;
    p->drift_max = FFMAX(p->drift_max, drift);
    pthread_mutex_unlock(&p->drift_lock);
}

/*
 * How long until next is due (negative: late). Time going backwards, or
 * jumping far, is a discontinuity: the clock follows the new timeline.
 */
static double due_in(FPPlayer *p, const AVFrame *next, double now)
{
    const AVFrame *cur = fp_on_screen(p);
    double t = fp_ts_seconds(p, next->best_effort_timestamp);
    double delay = t - fp_pacing_master_time(p, now), audio;

    if (fabs(delay) <= DISCONTINUITY_SECONDS &&
        !(cur && next->best_effort_timestamp < cur->best_effort_timestamp) &&
        !(cur && t - fp_ts_seconds(p, cur->best_effort_timestamp) > fp_pacing_discontinuity(p)))
        return delay;
    /* The sound, when it crossed first, says when the new timeline's frame is due. */
    if (fp_pacing_audio_time(p, now, &audio) == 0 &&
        fabs(audio - t) < fp_pacing_discontinuity(p)) {
        fp_clock_set(&p->clock, audio, now);
        return t - audio;
    }
    fp_clock_set(&p->clock, t, now);
    return 0;
}

int fp_pacing_advance(FPPlayer *p)
{
    int from_history = fp_history_cursor(p->history) < fp_history_count(p->history) - 1;
    const AVFrame *next;
    FPFrameQueueStats fq;
    int ret;

    if (!p->video_st) /* sound alone: it plays by itself; the loop waits for its end */
        return fp_sound_advance(p) ? reached_end(p) : FP_CONTINUE;
    if (!from_history) {
        ret = fp_intake_fetch(p, p->paced ? (int64_t)(FP_SLICE_SECONDS * 1e6) : -1);
        if (ret == AVERROR_EOF)
            return reached_end(p);
        if (ret == AVERROR(EAGAIN))
            return FP_CONTINUE;
        if (ret < 0)
            return ret;
    }
    next = from_history ? fp_history_get(p->history, fp_history_cursor(p->history) + 1)
                        : p->pending;
    if (fp_repeat_due(p, next))
        return fp_repeat_restart(p);
    if (p->paced) {
        double now = fp_clock_now(), delay;

        if (waiting_for_sound(p, now)) {
            fp_idle(p, 0.005);
            return FP_CONTINUE;
        }
        delay = due_in(p, next, now);
        if (delay > 0) {
            fp_idle(p, delay);
            return FP_CONTINUE;
        }
        /* Late by more than the frame lasts, with a newer frame ready: skip this one. */
        fp_frame_queue_stats(p->video_fq, &fq);
        if (-delay > fp_frame_seconds(p, next) &&
            (fq.count > 0 || fp_history_cursor(p->history) < fp_history_count(p->history) - 2)) {
            atomic_fetch_add(&p->dropped, 1);
            av_log(NULL, AV_LOG_DEBUG, "pacing: dropped the frame at %.3f s, %.0f ms late\n",
                   fp_ts_seconds(p, next->best_effort_timestamp), -delay * 1000);
            if (from_history) {
                fp_history_set_cursor(p->history, fp_history_cursor(p->history) + 1);
                return FP_CONTINUE;
            }
            return fp_intake_append(p); /* kept unshown, so the history stays unbroken */
        }
    }
    if (!from_history) {
        ret = fp_intake_append(p);
        if (ret < 0)
            return ret;
    }
    ret = fp_show(p, fp_history_cursor(p->history) + (from_history ? 1 : 0));
    measure_drift(p, fp_on_screen(p));
    return ret;
}
