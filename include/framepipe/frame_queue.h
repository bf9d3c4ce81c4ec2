/*
 * FPFrameQueue: a small, bounded, thread-safe FIFO of AVFrame references.
 *
 * The decoder thread puts what avcodec_receive_frame() returned; the render
 * thread gets it. As with FPPacketQueue, references move and data does not:
 * put() is one av_frame_move_ref() into a frame shell the queue allocated when
 * it was made, and get() is one av_frame_move_ref() out of it.
 *
 * Each entry carries the serial of the packet the frame was decoded from
 * (given by the decoder at put time), so the render thread can drop every
 * frame decoded before a seek: its serial no longer matches the packet
 * queue's.
 *
 * The queue holds decoded pictures, which are large, so keep it to a few
 * entries. The frame on screen is not in the queue: the render thread moved
 * it out and owns it until the next frame replaces it, which keeps it
 * available for redraws (expose, resize) at no cost.
 *
 * Every function may be called from any thread unless it says otherwise.
 */
#ifndef FRAMEPIPE_FRAME_QUEUE_H
#define FRAMEPIPE_FRAME_QUEUE_H

#include <stdint.h>

#include <libavutil/frame.h>

typedef struct FPFrameQueue FPFrameQueue;

typedef struct FPFrameQueueStats {
    int count;          /**< entries now queued, the end-of-stream marker included */
    int max_count_seen; /**< high-water mark of count since the queue was made */
} FPFrameQueueStats;

/**
 * Make an empty queue.
 *
 * @param q          Set to the new queue on success, to NULL on failure.
 * @param max_count  Most entries held at once (>= 1). The frame shells are
 *                   allocated here, so put() never allocates.
 * @return 0; AVERROR(EINVAL); AVERROR(ENOMEM).
 */
int fp_frame_queue_alloc(FPFrameQueue **q, int max_count);

/**
 * Unreference every queued frame and free the queue. No thread may be using
 * it: abort, then join its users first.
 *
 * @param q  The queue, or a pointer to NULL (nothing happens). Set to NULL.
 */
void fp_frame_queue_free(FPFrameQueue **q);

/**
 * Append a frame, blocking while the queue is full.
 *
 * @param frame   A frame holding references (frame->buf[0] != NULL). On
 *                success the queue takes them with av_frame_move_ref() and
 *                frame is left blank, ready for the next
 *                avcodec_receive_frame(). On failure frame is untouched and
 *                still the caller's.
 * @param serial  The serial of the packet the frame came from.
 * @return 0; AVERROR(EINVAL) if frame holds no reference-counted buffer;
 *         AVERROR_EXIT once aborted, also while blocked.
 * Blocks.
 */
int fp_frame_queue_put(FPFrameQueue *q, AVFrame *frame, int serial);

/**
 * Append the end-of-stream marker for the stream of the given serial,
 * blocking while the queue is full.
 *
 * @return 0; AVERROR_EXIT once aborted.
 * Blocks.
 */
int fp_frame_queue_put_eof(FPFrameQueue *q, int serial);

/**
 * Take the oldest entry.
 *
 * @param frame       Must be blank (as after av_frame_unref()). When 0 is
 *                    returned it receives the queued references by
 *                    av_frame_move_ref() and the caller owns them. On any
 *                    other return it is untouched.
 * @param serial      If not NULL, set to the entry's serial when 0 or
 *                    AVERROR_EOF is returned.
 * @param timeout_us  < 0 waits for an entry; 0 does not wait; > 0 waits at
 *                    most that long.
 * @return 0 for a frame; AVERROR_EOF for the end-of-stream marker;
 *         AVERROR(EAGAIN) if the queue stayed empty for timeout_us;
 *         AVERROR_EXIT once aborted, also while blocked.
 * Blocks unless timeout_us is 0.
 */
int fp_frame_queue_get(FPFrameQueue *q, AVFrame *frame, int *serial, int64_t timeout_us);

/**
 * Unreference every queued frame, drop a queued end-of-stream marker and wake
 * a blocked producer.
 */
void fp_frame_queue_flush(FPFrameQueue *q);

/**
 * Make every blocked and every later put() and get() return AVERROR_EXIT.
 * Cannot be undone.
 */
void fp_frame_queue_abort(FPFrameQueue *q);

/** Fill stats with a consistent snapshot. */
void fp_frame_queue_stats(FPFrameQueue *q, FPFrameQueueStats *stats);

#endif /* FRAMEPIPE_FRAME_QUEUE_H */
