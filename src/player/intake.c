/*
 * Frame intake: frames leave the frame queue (av_frame_move_ref into
 * p->pending), go into the step history in presentation order (the history
 * takes p->pending's reference), and the history's cursor entry goes to the
 * sinks, which only read it.
 *
 * Every decoded frame that reaches the render thread goes into the history
 * (late ones too, unshown), so the history is one unbroken run of frames and
 * a back-step inside it needs no decoding.
 */
#include <math.h>

#include "compat.h"
#include "picture.h"
#include "player_internal.h"

double fp_ts_seconds(const FPPlayer *p, int64_t ts)
{
    return (ts - p->first_pts) * av_q2d(p->video_st->time_base);
}

int64_t fp_seconds_ts(const FPPlayer *p, double seconds, int round_down)
{
    /*
     * Never to the nearest tick: on a coarse time base (1/8, 1/25) a target
     * between two frames must not round down onto the earlier frame for "the
     * first frame at or after T", nor up onto the later one for "the last
     * keyframe at or before T". Times are taken to the microsecond first, the
     * precision a person types, so that 1.2 s at 1/25 is tick 30 exactly and
     * not 30.000000000000004, rounded up to 31.
     */
    return av_rescale_q_rnd(llrint(seconds * 1e6), (AVRational){1, 1000000},
                            p->video_st->time_base, round_down ? AV_ROUND_DOWN : AV_ROUND_UP);
}

const AVFrame *fp_on_screen(const FPPlayer *p)
{
    return fp_history_get(p->history, fp_history_cursor(p->history));
}

double fp_frame_seconds(const FPPlayer *p, const AVFrame *f)
{
    AVRational rate = p->video_st->avg_frame_rate;

    if (fp_frame_duration(f) > 0)
        return fp_frame_duration(f) * av_q2d(p->video_st->time_base);
    return rate.num > 0 && rate.den > 0 ? av_q2d(av_inv_q(rate)) : 0.04;
}

FPOrientation fp_orientation_of(const FPPlayer *p, const AVFrame *f)
{
    return p->opts.no_autorotate ? p->orientation : fp_frame_orientation(f, p->orientation);
}

/* Frames of raw streams may carry no timestamp at all: continue from the previous one. */
static void ensure_timestamp(FPPlayer *p, AVFrame *f)
{
    if (f->best_effort_timestamp == AV_NOPTS_VALUE) {
        int64_t step = llrint(fp_frame_seconds(p, f) / av_q2d(p->video_st->time_base));
        f->best_effort_timestamp = p->last_ts != AV_NOPTS_VALUE ? p->last_ts + FFMAX(step, 1)
                                   : p->jump_ts != AV_NOPTS_VALUE ? p->jump_ts
                                                                  : 0;
    }
    p->last_ts = f->best_effort_timestamp;
}

/* Release p->pending, which the render thread owns, and say why in the trace. */
static void release_pending(FPPlayer *p)
{
    fp_trace_event(p->trace, FP_TRACE_FRAME, p->pending, "drop", NULL, -1);
    fp_trace_unref(p->trace, FP_TRACE_FRAME, p->pending, NULL);
}

int fp_intake_fetch(FPPlayer *p, int64_t timeout_us)
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
                atomic_fetch_add(&p->stale, 1); /* decoded before the last seek: never shown */
                release_pending(p);
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
                release_pending(p); /* the history holds it already */
                continue;
            }
            p->skipping = 0;
        }
        p->have_pending = 1;
        return 0;
    }
}

int fp_intake_keep(FPPlayer *p, int index, int make_cursor)
{
    int ret = fp_history_insert(p->history, index, p->pending, make_cursor);

    if (ret < 0) /* after a failure it is still ours to drop; after success it is blank */
        fp_trace_unref(p->trace, FP_TRACE_FRAME, p->pending, NULL);
    p->have_pending = 0;
    return ret;
}

int fp_intake_append(FPPlayer *p)
{
    return fp_intake_keep(p, fp_history_count(p->history), 1);
}

void fp_intake_drop(FPPlayer *p)
{
    if (p->pending->buf[0])
        release_pending(p);
    p->have_pending = 0;
}

int fp_show(FPPlayer *p, int index)
{
    const AVFrame *f;
    FPEvent ev = {.type = FP_EVENT_FRAME_SHOWN};
    int ret = 0;

    fp_history_set_cursor(p->history, index);
    f = fp_on_screen(p);
    fp_trace_event(p->trace, FP_TRACE_FRAME, f, "show", NULL, -1);
    if (p->audio) /* sound from before the picture on screen is not worth playing */
        fp_audio_out_set_position(p->audio,
                                  f->best_effort_timestamp * av_q2d(p->video_st->time_base));
    fp_osd_update(p);
    for (int i = 0; i < p->nb_sinks && ret >= 0; i++) {
        ret = p->sinks[i]->show(p->sinks[i], f, fp_orientation_of(p, f));
        if (ret < 0) /* every failure to show ends the run, with this line */
            fp_player_set_error(p, "%s: cannot show the frame at %.3f s: %s", p->sinks[i]->name,
                                fp_ts_seconds(p, f->best_effort_timestamp), av_err2str(ret));
    }
    atomic_fetch_add(&p->displayed, 1);
    fp_info_update_title(p);
    if (ret < 0)
        return ret;
    ev.frame = f;
    ev.pts = f->best_effort_timestamp;
    ev.frame_number = fp_frames_number(p, f);
    ev.time = fp_ts_seconds(p, ev.pts);
    fp_emit(p, &ev);
    if (p->opts.frame_info)
        fp_frames_emit_info(p, f, 0, 1);
    return 0;
}
