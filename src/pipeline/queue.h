/*
 * Internal: the bounded, blocking hand-off FIFO shared by FPPacketQueue and
 * FPFrameQueue.
 *
 * The FIFO never looks inside an item. It stores a fixed ring of item shells
 * (AVPacket or AVFrame structs allocated once, when the queue is made) and
 * moves references in and out of them through FPQueueItemOps. A put therefore
 * never allocates and never copies data: it is one move_ref into a shell, and
 * a get is one move_ref out of it.
 */
#ifndef FRAMEPIPE_SRC_QUEUE_H
#define FRAMEPIPE_SRC_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

typedef struct FPQueueItemOps {
    void *(*alloc)(void);                /* a blank shell, or NULL */
    void (*free)(void **item);           /* free a shell and what it holds */
    void (*move)(void *dst, void *src);  /* dst must be blank; src is left blank */
    void (*unref)(void *item);           /* drop what the shell holds */
    size_t (*size)(const void *item);    /* bytes counted against the byte limit */
} FPQueueItemOps;

typedef struct FPQueue FPQueue;

typedef struct FPQueueStats {
    int count;           /* items now queued, end-of-stream markers included */
    size_t bytes;        /* bytes now queued (ops->size of each item) */
    int max_count_seen;  /* high-water marks since the queue was made */
    size_t max_bytes_seen;
    int serial;          /* the serial the next put is stamped with */
} FPQueueStats;

int fp_queue_alloc(FPQueue **q, const FPQueueItemOps *ops, int max_count, size_t max_bytes);
void fp_queue_free(FPQueue **q);

/*
 * item == NULL puts an end-of-stream marker. serial < 0 stamps the queue's own serial.
 * timeout_us < 0 waits for room; otherwise AVERROR(EAGAIN) after that long, item untouched.
 */
int fp_queue_put(FPQueue *q, void *item, int serial, int64_t timeout_us);
int fp_queue_get(FPQueue *q, void *item, int *serial, int64_t timeout_us);
int fp_queue_flush(FPQueue *q);
void fp_queue_abort(FPQueue *q);
/* A put waiting for room now returns AVERROR(EAGAIN) at once, its item untouched. */
void fp_queue_wake_producers(FPQueue *q);
/* Report put, get and flush to t (NULL: stop). Before the queue is shared. */
void fp_queue_set_trace(FPQueue *q, FPTrace *t, const char *name, FPTraceKind kind);
int fp_queue_serial(FPQueue *q);
void fp_queue_stats(FPQueue *q, FPQueueStats *stats);

#endif /* FRAMEPIPE_SRC_QUEUE_H */
