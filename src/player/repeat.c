/*
 * Repeats: an A-B loop ('l', the script's 'loop A B') and --loop.
 *
 * An A-B loop plays the frames from A up to, not including, B: when the next
 * frame to show is at or after B, playback goes back to A with an exact seek
 * instead, as mpv's ab-loop does. 'l' puts A at the frame on screen, then B
 * just after the frame on screen (so that it is played too), then clears
 * both. --loop goes back to the first frame at the end of the input; an A-B
 * loop whose B lies past the end goes back to A there too.
 *
 * Going back is an exact seek that the player starts by itself: it may start
 * while a command runs (a script's 'wait' lets playback run), which is put
 * aside meanwhile and carried on once the seek has landed.
 */
#include <string.h>

#include "compat.h"
#include "player_internal.h"

static int loop_set(const FPPlayer *p)
{
    return p->repeat.a != AV_NOPTS_VALUE && p->repeat.b != AV_NOPTS_VALUE;
}

int fp_repeat_due(FPPlayer *p, const AVFrame *next)
{
    return loop_set(p) && p->repeat.left && !p->paused && p->seekable &&
           next->best_effort_timestamp >= p->repeat.b;
}

int fp_repeat_at_end(FPPlayer *p)
{
    return p->seekable && ((loop_set(p) && p->repeat.left) || p->opts.loop);
}

void fp_repeat_init(FPPlayer *p)
{
    p->repeat.a = p->repeat.b = AV_NOPTS_VALUE;
    p->repeat.left = -1;
    if (p->first_pts == AV_NOPTS_VALUE) /* A and B count from the first frame: not known yet */
        return;
    if (p->opts.loop_a >= 0 && p->opts.loop_b > p->opts.loop_a) {
        fp_repeat_set(p, p->opts.loop_a, p->opts.loop_b);
        p->repeat.left = p->opts.loop_count > 0 ? p->opts.loop_count : -1;
    }
}

int fp_repeat_restart(FPPlayer *p)
{
    int64_t target = loop_set(p) ? p->repeat.a : p->first_pts;

    av_log(NULL, AV_LOG_DEBUG, "repeat: back to %lld (A %lld, B %lld, %lld left)\n",
           (long long)target, (long long)p->repeat.a, (long long)p->repeat.b,
           (long long)p->repeat.left);

    if (loop_set(p) && p->repeat.left > 0)
        p->repeat.left--;
    p->repeat.saved = p->op;
    memset(&p->op, 0, sizeof(p->op));
    p->op.type = FP_CMD_SEEK;
    p->op.repeat = 1;
    p->repeat.count++;
    fp_seek_start(p, FP_SEEK_EXACT, target);
    return FP_CONTINUE;
}

void fp_repeat_landed(FPPlayer *p)
{
    p->op = p->repeat.saved;
    memset(&p->repeat.saved, 0, sizeof(p->repeat.saved));
}

void fp_repeat_set(FPPlayer *p, double a, double b)
{
    if (a < 0 || b <= a) {
        p->repeat.a = p->repeat.b = AV_NOPTS_VALUE;
        fp_osd_message(p, "A-B loop off");
        return;
    }
    p->repeat.a = p->first_pts + fp_seconds_ts(p, a, 0);
    p->repeat.b = p->first_pts + fp_seconds_ts(p, b, 0);
    p->repeat.left = -1;
    fp_osd_message(p, "A-B loop %.3f - %.3f s", a, b);
}

void fp_repeat_mark(FPPlayer *p)
{
    const AVFrame *f = fp_on_screen(p);
    int64_t ts, end;

    if (!f)
        return;
    ts = f->best_effort_timestamp;
    end = ts + FFMAX(fp_frame_duration(f), 1);
    if (p->repeat.a == AV_NOPTS_VALUE) {
        p->repeat.a = ts;
        fp_osd_message(p, "A-B loop: A at %.3f s", fp_ts_seconds(p, ts));
    } else if (p->repeat.b == AV_NOPTS_VALUE && end > p->repeat.a) {
        p->repeat.b = end;
        p->repeat.left = -1;
        fp_osd_message(p, "A-B loop %.3f - %.3f s", fp_ts_seconds(p, p->repeat.a),
                       fp_ts_seconds(p, end));
    } else {
        p->repeat.a = p->repeat.b = AV_NOPTS_VALUE;
        fp_osd_message(p, "A-B loop off");
    }
    fp_osd_refresh(p);
}
