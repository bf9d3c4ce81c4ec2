/*
 * The seek state machine. A seek asks the reader to jump (fp_demux_request_seek),
 * waits for the serial the jump started, then takes frames of that serial
 * until the mode is satisfied:
 *
 *   FP_SEEK_EXACT   the first frame at or after the target is shown; the ones
 *                   before it enter the history unshown, for back-steps
 *   FP_SEEK_KEY     the first frame after the jump (a keyframe) is shown
 *   FP_SEEK_BACK    the frames before the history's first one are inserted in
 *                   front of it, then the one just before it is shown
 *   FP_SEEK_RESYNC  the sound restarts at the picture; the picture goes on from
 *                   its history
 *
 * An exact seek within reach makes no jump (within_reach): to a frame the
 * history holds, it shows that frame; ahead of the frames decoded, when no
 * keyframe lies between them and the target, the decoder goes on to it.
 *
 * A jump that lands after what the mode needs (containers without an index
 * do that) is retried further back: 1 s, 2 s, 4 s ... before the target.
 * Where the frame index can tell, a keyframe seek becomes an exact seek to
 * the keyframe's time, and a raw stream is entered at an IDR picture's byte
 * position (frames.c).
 */
#include <math.h>

#include "compat.h"
#include "player_internal.h"

/* How often a seek that landed after its target goes back further. */
#define MAX_SEEK_ATTEMPTS 12

/*
 * An exact seek keeps this many frames before its target, decoded whole, for
 * the first back-steps; before them the decoder skips what nothing references,
 * as mpv's hr-seek-framedrop does. A back-step past them refills the history
 * (FP_SEEK_BACK), which keeps as many as the history holds. Keeping the whole
 * history's worth at every seek (82 frames at 1080p and 256 MiB) made an exact
 * seek decode about a third more frames than it shows.
 */
#define EXACT_SEEK_KEEP 8

/*
 * How far before a seek's target frames are kept, for back-steps: as many as
 * the step history can hold, and at most max_frames. Before that, the decoder
 * skips the frames nothing references, and those it decodes are not kept: the
 * history must be one unbroken run. Unknown sizes keep everything.
 */
static int64_t keep_before(FPPlayer *p, int64_t max_frames)
{
    const AVFrame *f = fp_on_screen(p);
    size_t bytes = f ? fp_frame_bytes(f) : 0;
    int64_t step, frames;

    if (!bytes || !p->decoder)
        return INT64_MAX / 4;
    step = llrint(fp_frame_seconds(p, f) / av_q2d(p->video_st->time_base));
    frames = FFMIN((int64_t)(p->opts.step_history_bytes / bytes), max_frames);
    /* Two at least: a refill for a back-step must keep the frame before the history. */
    return FFMAX(frames, 2) * FFMAX(step, 1);
}

static void set_skip(FPPlayer *p, int64_t skip_ts)
{
    p->op.skip_ts = skip_ts;
    if (p->decoder)
        fp_decoder_skip_before(p->decoder, skip_ts);
}

void fp_seek_request(FPPlayer *p, int64_t seek_ts)
{
    FPOperation *op = &p->op;

    if (p->serial >= 0)
        op->prev_serial = p->serial;
    int64_t pos;

    op->seek_ts = op->by_pos ? seek_ts : FFMAX(seek_ts, p->first_pts);
    atomic_fetch_add(&p->seeks, 1);
    p->jump_ts = AV_NOPTS_VALUE;
    if (op->by_pos) {
        op->request = fp_demux_request_seek(p->demux, op->key_pos, FP_DEMUX_SEEK_BYTE);
        op->by_pos = 0; /* should it land late after all, earlier tries go by time */
    } else if (fp_frames_raw_entry(p, op->seek_ts, &pos, &p->jump_ts) >= 0)
        op->request = fp_demux_request_seek(p->demux, pos, FP_DEMUX_SEEK_BYTE);
    else
        op->request = fp_demux_request_seek(p->demux, op->seek_ts,
                                            op->seek_ts <= p->first_pts ? FP_DEMUX_SEEK_START : 0);
    op->landed = 0;
    op->seeking = 1;
    fp_intake_drop(p);
    p->serial = -1; /* take nothing until the reader says which serial the seek started */
}

enum { REACH_NONE, REACH_HISTORY, REACH_AHEAD };

/*
 * Whether an exact seek to target needs no jump. REACH_HISTORY: the history
 * holds it, entry *index is the first frame at or after it (the history is one
 * unbroken run). REACH_AHEAD: it lies after the newest frame taken, and the
 * keyframe it needs is at or before that frame, so the decoder reaches it by
 * going on, where a jump would decode again from that keyframe. Only with no
 * other seek under way and where times never go back (the frame index knows
 * one run of them), so that comparing times is comparing places.
 */
static int within_reach(FPPlayer *p, int64_t target, int *index)
{
    int n = fp_history_count(p->history);
    const AVFrame *first = fp_history_get(p->history, 0);
    const AVFrame *last = fp_history_get(p->history, n - 1);
    int64_t last_ts, key_ts;

    if (!n || p->op.seeking || p->serial < 0 || fp_frames_last_ts(p, &last_ts) < 0)
        return REACH_NONE;
    if (target >= first->best_effort_timestamp && target <= last->best_effort_timestamp) {
        *index = 0;
        while (fp_history_get(p->history, *index)->best_effort_timestamp < target)
            (*index)++;
        return REACH_HISTORY;
    }
    if (target > last->best_effort_timestamp && fp_frames_key_ts(p, target, &key_ts) >= 0 &&
        key_ts <= last->best_effort_timestamp)
        return REACH_AHEAD;
    return REACH_NONE;
}

void fp_seek_start(FPPlayer *p, FPSeekMode mode, int64_t target)
{
    FPOperation *op = &p->op;
    int64_t key_ts, last_ts;
    int reach = REACH_NONE;

    /*
     * A keyframe seek lands on the last keyframe at or before the target.
     * Where the index knows it, seek exactly to it: MPEG-TS and -PS find
     * keyframes by their clock references, which may land a GOP off.
     */
    if (mode == FP_SEEK_KEY && fp_frames_key_ts(p, FFMAX(target, p->first_pts), &key_ts) >= 0) {
        mode = FP_SEEK_EXACT;
        target = key_ts;
    }
    op->mode = mode;
    /* A frame found by its position may be in a piece whose clock is behind the first frame's. */
    op->target = op->by_pos ? target : FFMAX(target, p->first_pts);
    op->in_history = 0;
    if (mode == FP_SEEK_EXACT)
        reach = within_reach(p, op->target, &op->history_index);
    if (reach != REACH_NONE)
        op->by_pos = 0;
    /* MPEG-TS and -PS: the keyframe before the target from the index, found the first time. */
    if (!reach && !op->by_pos && (mode == FP_SEEK_EXACT || mode == FP_SEEK_BACK) &&
        fp_frames_key_pos_at(p, mode == FP_SEEK_BACK ? op->target - 1 : op->target,
                             &op->key_pos) >= 0)
        op->by_pos = 1;
    /*
     * Skip what is neither shown nor kept: only where the index knows the last
     * frame (a seek past it shows it, so it must be decoded) and times never go
     * back (a frame before the target in time might come after it in the file).
     */
    op->skip_dropped = 0;
    set_skip(p, mode == FP_SEEK_EXACT && fp_frames_last_ts(p, &last_ts) >= 0
                    ? FFMIN(op->target, last_ts) - keep_before(p, EXACT_SEEK_KEEP)
                : mode == FP_SEEK_BACK && fp_frames_last_ts(p, &last_ts) >= 0
                    ? op->target - keep_before(p, INT64_MAX)
                    : AV_NOPTS_VALUE);
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
    if (reach != REACH_NONE) {
        av_log(NULL, AV_LOG_DEBUG, "render: seek for ts %lld within reach (%s)\n",
               (long long)op->target, reach == REACH_HISTORY ? "history" : "decoding on");
        atomic_fetch_add(&p->seeks_in_reach, 1);
        op->seek_ts = op->target; /* where a jump goes, should one be needed after all */
        op->seeking = 1;
        op->landed = 1; /* the frames coming are adjacent to the history's */
        op->in_history = reach == REACH_HISTORY;
        if (op->in_history)
            set_skip(p, AV_NOPTS_VALUE);
        return;
    }
    /* A refill must land strictly before the history's first frame, even on a keyframe. */
    fp_seek_request(p, mode == FP_SEEK_BACK ? op->target - 1 : op->target);
}

/* The seek landed after what it needs: go back further. */
static int seek_earlier(FPPlayer *p)
{
    FPOperation *op = &p->op;
    AVRational tb = p->video_st->time_base;

    if (op->seek_ts <= p->first_pts || op->attempts >= MAX_SEEK_ATTEMPTS)
        return 0;
    op->attempts++;
    fp_seek_request(p, op->target - av_rescale_q(1LL << (op->attempts - 1), (AVRational){1, 1}, tb));
    return 1;
}

/* The refill reached the history's old first frame (or the end): show the frame before it. */
static int finish_back_refill(FPPlayer *p)
{
    int cursor = fp_history_cursor(p->history), ret;

    if (cursor == 0 && p->op.skip_dropped) {
        /* Every frame before the history was among those not kept: once more, whole. */
        set_skip(p, AV_NOPTS_VALUE);
        fp_seek_request(p, p->op.target - 1);
        return FP_CONTINUE;
    }
    p->op.seeking = 0;
    set_skip(p, AV_NOPTS_VALUE);
    p->skipping = 1; /* the stream continues with frames the history already holds */
    if (cursor == 0) /* nothing before it after all: this is the first frame */
        return FP_FINISHED;
    p->op.count--;
    ret = fp_show(p, cursor - 1);
    if (ret < 0)
        return ret;
    return p->op.count ? FP_CONTINUE : FP_FINISHED;
}

/* The reader's answer to the newest request: 1 once the new serial is known, else 0. */
static int wait_for_jump(FPPlayer *p)
{
    int serial;

    if (!fp_demux_seek_result(p->demux, p->op.request, &serial)) {
        fp_idle(p, 0.001); /* the reader answers within one packet read */
        return 0;
    }
    if (serial < 0) { /* the demuxer could not seek; nothing was flushed */
        p->serial = p->op.prev_serial;
        p->op.seeking = 0;
        return -1;
    }
    p->serial = serial;
    p->eof = 0;
    p->skipping = 0;
    p->last_ts = AV_NOPTS_VALUE;
    return 1;
}

/* The new serial ended before the mode was satisfied. */
static int seek_reached_end(FPPlayer *p)
{
    FPOperation *op = &p->op;
    int ret;

    if (!op->landed && seek_earlier(p))
        return FP_CONTINUE;
    if (op->skip_ts != AV_NOPTS_VALUE && op->mode == FP_SEEK_EXACT &&
        (!fp_history_count(p->history) || op->skip_dropped)) {
        /* Everything was before what was kept (the index misjudged the end): once more, whole. */
        fp_history_clear(p->history);
        set_skip(p, AV_NOPTS_VALUE);
        fp_seek_request(p, op->seek_ts);
        return FP_CONTINUE;
    }
    if (op->mode == FP_SEEK_BACK)
        return finish_back_refill(p);
    op->seeking = 0;
    set_skip(p, AV_NOPTS_VALUE);
    if (op->mode == FP_SEEK_RESYNC || !fp_history_count(p->history))
        return FP_FINISHED; /* a resync: the history holds the rest */
    /* Past the last frame: the last frame it is. */
    ret = fp_show(p, fp_history_count(p->history) - 1);
    return ret < 0 ? ret : FP_FINISHED;
}

/* An exact or keyframe seek shows history entry index: where it has landed. */
static int show_landed(FPPlayer *p, int index, int from_history)
{
    const AVFrame *f;
    int ret;

    p->op.seeking = 0;
    set_skip(p, AV_NOPTS_VALUE);
    ret = fp_show(p, index);
    if (ret < 0 || p->paused)
        return ret < 0 ? ret : FP_FINISHED;
    /* Playing on from the frame landed on: the clock starts there, not where it was. */
    f = fp_on_screen(p);
    fp_clock_set(&p->clock, fp_ts_seconds(p, f->best_effort_timestamp), fp_clock_now());
    fp_pacing_expect_sound(p, fp_clock_now());
    if (from_history && fp_pacing_sound_ahead(p)) {
        /* Back into the history while the sound plays on: the sound comes back to the picture. */
        p->op.mode = FP_SEEK_RESYNC;
        p->op.target = f->best_effort_timestamp;
        fp_seek_request(p, f->best_effort_timestamp);
        return FP_CONTINUE;
    }
    return FP_FINISHED;
}

/* The frame in p->pending belongs to the new serial: what the mode does with it. */
static int take_landed(FPPlayer *p, int64_t pts)
{
    FPOperation *op = &p->op;
    const AVFrame *last;
    int ret;

    switch (op->mode) {
    case FP_SEEK_KEY:
    case FP_SEEK_EXACT:
        if (op->skip_ts != AV_NOPTS_VALUE && pts < op->skip_ts) {
            fp_intake_drop(p); /* frames around it were skipped: it would break the run */
            op->skip_dropped++;
            return FP_CONTINUE;
        }
        if (op->skip_dropped) { /* decoding on past dropped frames: the old run ends there */
            fp_history_clear(p->history);
            op->skip_dropped = 0;
        }
        ret = fp_intake_append(p);
        if (ret < 0)
            return ret;
        if (op->mode == FP_SEEK_EXACT && pts < op->target)
            return FP_CONTINUE;
        return show_landed(p, fp_history_cursor(p->history), 0);
    case FP_SEEK_RESYNC:
        /* The sound restarts at or before the picture; the picture goes on from its history. */
        last = fp_history_get(p->history, fp_history_count(p->history) - 1);
        if (last && pts <= last->best_effort_timestamp)
            fp_intake_drop(p);
        p->skipping = 1;
        op->seeking = 0;
        fp_pacing_expect_sound(p, fp_clock_now());
        return FP_FINISHED;
    case FP_SEEK_BACK:
        if (pts >= op->target) {
            fp_intake_drop(p);
            return finish_back_refill(p);
        }
        if (op->skip_ts != AV_NOPTS_VALUE && pts < op->skip_ts) {
            fp_intake_drop(p); /* beyond what the history keeps, and frames around it skipped */
            op->skip_dropped++;
            return FP_CONTINUE;
        }
        /* Before the old first frame, which stays the cursor until the run is complete. */
        return fp_intake_keep(p, fp_history_cursor(p->history), 0);
    }
    return FP_CONTINUE;
}

int fp_seek_advance(FPPlayer *p)
{
    FPOperation *op = &p->op;
    int64_t pts;
    int ret;

    if (op->in_history) {
        op->in_history = 0;
        return show_landed(p, op->history_index, 1);
    }
    if (p->serial < 0) {
        ret = wait_for_jump(p);
        if (ret <= 0)
            return ret < 0 ? FP_FINISHED : FP_CONTINUE;
    }
    ret = fp_intake_fetch(p, (int64_t)(FP_SLICE_SECONDS * 1e6));
    if (ret == AVERROR(EAGAIN))
        return FP_CONTINUE;
    if (ret == AVERROR_EOF)
        return seek_reached_end(p);
    if (ret < 0)
        return ret;

    pts = p->pending->best_effort_timestamp;
    if (!op->landed) {
        /* Exact needs a frame before the target to prove the next one is the first at or after it. */
        int too_late = op->mode == FP_SEEK_BACK ? pts >= op->target : pts > op->target;

        av_log(NULL, AV_LOG_DEBUG, "render: seek %lld for ts %lld landed on ts %lld (key %d)\n",
               (long long)op->request, (long long)op->target, (long long)pts,
               fp_frame_is_key(p->pending));
        if (too_late && seek_earlier(p))
            return FP_CONTINUE;
        op->landed = 1;
        if (op->mode == FP_SEEK_EXACT || op->mode == FP_SEEK_KEY)
            fp_history_clear(p->history); /* a new place: the old run is not adjacent to it */
    }
    return take_landed(p, pts);
}
