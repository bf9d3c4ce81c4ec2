/*
 * Steps. Forward: the next history entry, or the next frame from the queue.
 * Back: the previous history entry, or, at the history's first frame, a
 * refill (seek.c, FP_SEEK_BACK) that decodes the run before it.
 */
#include "player_internal.h"

int fp_step_forward(FPPlayer *p)
{
    int cursor = fp_history_cursor(p->history);
    int ret;

    if (cursor < fp_history_count(p->history) - 1) {
        p->op.count--;
        ret = fp_show(p, cursor + 1);
        if (ret < 0)
            return ret;
        return p->op.count ? FP_CONTINUE : FP_FINISHED;
    }
    ret = fp_intake_fetch(p, (int64_t)(FP_SLICE_SECONDS * 1e6));
    if (ret == AVERROR_EOF)
        return FP_FINISHED; /* stepping past the end stays on the last frame */
    if (ret == AVERROR(EAGAIN))
        return FP_CONTINUE;
    if (ret >= 0)
        ret = fp_intake_append(p);
    if (ret < 0)
        return ret;
    p->op.count--;
    ret = fp_show(p, fp_history_cursor(p->history));
    if (ret < 0)
        return ret;
    return p->op.count ? FP_CONTINUE : FP_FINISHED;
}

int fp_step_back(FPPlayer *p)
{
    int cursor = fp_history_cursor(p->history), ret;
    const AVFrame *first = fp_history_get(p->history, 0);

    if (cursor > 0) {
        p->op.count--;
        ret = fp_show(p, cursor - 1);
        if (ret < 0)
            return ret;
        return p->op.count ? FP_CONTINUE : FP_FINISHED;
    }
    if (!first || first->best_effort_timestamp <= p->first_pts)
        return FP_FINISHED; /* at the first frame already */
    if (!p->seekable) {
        fp_message(p, AV_LOG_ERROR, "cannot step back further: the input is not seekable, and "
                   "the step history starts here");
        return FP_FINISHED;
    }
    fp_seek_start(p, FP_SEEK_BACK, first->best_effort_timestamp);
    return FP_CONTINUE;
}
