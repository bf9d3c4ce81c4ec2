#include <libavutil/error.h>
#include <libavutil/frame.h>

#include "framepipe/frame_queue.h"
#include "queue.h"

/* The queue's shells are AVFrames; the only operation that fills or empties them is a move. */
static void *frame_alloc(void)
{
    return av_frame_alloc();
}

static void frame_free(void **item)
{
    AVFrame *frame = *item;

    av_frame_free(&frame);
    *item = NULL;
}

static void frame_move(void *dst, void *src)
{
    av_frame_move_ref(dst, src);
}

static void frame_unref(void *item)
{
    av_frame_unref(item);
}

/* Frames are bounded by count only: a byte limit large enough for 4K would be meaningless at SD. */
static size_t frame_size(const void *item)
{
    (void)item;
    return 0;
}

static const FPQueueItemOps frame_ops = {
    .alloc = frame_alloc,
    .free = frame_free,
    .move = frame_move,
    .unref = frame_unref,
    .size = frame_size,
};

#define Q(q) ((FPQueue *)(q))

int fp_frame_queue_alloc(FPFrameQueue **q, int max_count)
{
    return fp_queue_alloc((FPQueue **)q, &frame_ops, max_count, 1);
}

void fp_frame_queue_free(FPFrameQueue **q)
{
    fp_queue_free((FPQueue **)q);
}

int fp_frame_queue_put(FPFrameQueue *q, AVFrame *frame, int serial)
{
    if (!frame || !frame->buf[0])
        return AVERROR(EINVAL);
    return fp_queue_put(Q(q), frame, serial < 0 ? 0 : serial, -1);
}

int fp_frame_queue_put_eof(FPFrameQueue *q, int serial)
{
    return fp_queue_put(Q(q), NULL, serial < 0 ? 0 : serial, -1);
}

int fp_frame_queue_get(FPFrameQueue *q, AVFrame *frame, int *serial, int64_t timeout_us)
{
    return fp_queue_get(Q(q), frame, serial, timeout_us);
}

void fp_frame_queue_flush(FPFrameQueue *q)
{
    fp_queue_flush(Q(q));
}

void fp_frame_queue_abort(FPFrameQueue *q)
{
    fp_queue_abort(Q(q));
}

void fp_frame_queue_stats(FPFrameQueue *q, FPFrameQueueStats *stats)
{
    FPQueueStats s;

    fp_queue_stats(Q(q), &s);
    stats->count = s.count;
    stats->max_count_seen = s.max_count_seen;
}

void fp_frame_queue_set_trace(FPFrameQueue *q, FPTrace *t, const char *name)
{
    fp_queue_set_trace(Q(q), t, name, FP_TRACE_FRAME);
}
