#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "queue.h"

typedef struct Slot {
    void *item; /* shell owned by the queue for its whole life */
    int serial;
    int eof;
} Slot;

struct FPQueue {
    const FPQueueItemOps *ops;
    pthread_mutex_t lock;
    pthread_cond_t can_put; /* signalled when space frees up, and on abort */
    pthread_cond_t can_get; /* signalled when an item arrives, and on abort */
    Slot *ring;
    int capacity;
    int head;  /* index of the oldest slot */
    int count; /* slots in use */
    size_t bytes;
    size_t max_bytes;
    int serial;
    int aborted;
    unsigned wakes; /* bumped by fp_queue_wake_producers(): a waiting put gives up */
    FPTrace *trace;
    const char *trace_name;
    FPTraceKind trace_kind;
    int max_count_seen;
    size_t max_bytes_seen;
};

int fp_queue_alloc(FPQueue **out, const FPQueueItemOps *ops, int max_count, size_t max_bytes)
{
    FPQueue *q;
    pthread_condattr_t attr;
    int ret = AVERROR(ENOMEM);

    *out = NULL;
    if (max_count < 1 || max_bytes < 1)
        return AVERROR(EINVAL);
    q = av_mallocz(sizeof(*q));
    if (!q)
        return AVERROR(ENOMEM);
    q->ops = ops;
    q->capacity = max_count;
    q->max_bytes = max_bytes;
    q->ring = av_calloc(max_count, sizeof(*q->ring));
    if (!q->ring)
        goto fail_ring;
    for (int i = 0; i < max_count; i++) {
        q->ring[i].item = ops->alloc();
        if (!q->ring[i].item)
            goto fail_items;
    }
    if (pthread_mutex_init(&q->lock, NULL))
        goto fail_items;
    /* Timed waits measure a monotonic clock, so a wall-clock jump cannot stall them. */
    if (pthread_condattr_init(&attr))
        goto fail_attr;
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (pthread_cond_init(&q->can_put, &attr))
        goto fail_put;
    if (pthread_cond_init(&q->can_get, &attr))
        goto fail_get;
    pthread_condattr_destroy(&attr);
    *out = q;
    return 0;

fail_get:
    pthread_cond_destroy(&q->can_put);
fail_put:
    pthread_condattr_destroy(&attr);
fail_attr:
    pthread_mutex_destroy(&q->lock);
fail_items:
    for (int i = 0; i < max_count; i++)
        if (q->ring[i].item)
            ops->free(&q->ring[i].item);
    av_free(q->ring);
fail_ring:
    av_free(q);
    return ret;
}

void fp_queue_free(FPQueue **pq)
{
    FPQueue *q = *pq;

    if (!q)
        return;
    if (q->trace && q->count)
        fp_queue_flush(q); /* so the trace sees what was still queued released */
    for (int i = 0; i < q->capacity; i++)
        q->ops->free(&q->ring[i].item);
    av_free(q->ring);
    pthread_cond_destroy(&q->can_get);
    pthread_cond_destroy(&q->can_put);
    pthread_mutex_destroy(&q->lock);
    av_freep(pq);
}

/* Waits on cond until woken or until the absolute monotonic deadline; ETIMEDOUT when it passes. */
static int wait_until(pthread_cond_t *cond, pthread_mutex_t *lock, const struct timespec *deadline)
{
    if (!deadline)
        return pthread_cond_wait(cond, lock);
    return pthread_cond_timedwait(cond, lock, deadline);
}

static const struct timespec *make_deadline(struct timespec *ts, int64_t timeout_us)
{
    if (timeout_us < 0)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += timeout_us / 1000000;
    ts->tv_nsec += (long)(timeout_us % 1000000) * 1000;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
    return ts;
}

static int is_full(const FPQueue *q, size_t incoming)
{
    if (q->count == q->capacity)
        return 1;
    /* An empty queue takes any one item, however large, so a huge packet cannot wedge it. */
    return q->count > 0 && q->bytes + incoming > q->max_bytes;
}

int fp_queue_put(FPQueue *q, void *item, int serial, int64_t timeout_us)
{
    struct timespec ts;
    const struct timespec *deadline = make_deadline(&ts, timeout_us);
    size_t size = item ? q->ops->size(item) : 0;
    unsigned wakes;
    Slot *slot;

    pthread_mutex_lock(&q->lock);
    wakes = q->wakes;
    while (!q->aborted && is_full(q, size) && wakes == q->wakes) {
        if (wait_until(&q->can_put, &q->lock, deadline) == ETIMEDOUT)
            break;
    }
    if (q->aborted || is_full(q, size)) {
        int ret = q->aborted ? AVERROR_EXIT : AVERROR(EAGAIN);

        pthread_mutex_unlock(&q->lock);
        return ret;
    }
    slot = &q->ring[(q->head + q->count) % q->capacity];
    if (item)
        q->ops->move(slot->item, item);
    slot->eof = !item;
    slot->serial = serial < 0 ? q->serial : serial;
    q->count++;
    q->bytes += size;
    if (q->count > q->max_count_seen)
        q->max_count_seen = q->count;
    if (q->bytes > q->max_bytes_seen)
        q->max_bytes_seen = q->bytes;
    /*
     * Traced under the lock: a consumer may take the item the moment the lock
     * is released, and its "get" must not be written before this "put".
     */
    if (q->trace && item)
        fp_trace_event(q->trace, q->trace_kind, slot->item, "put", q->trace_name, q->count);
    pthread_cond_signal(&q->can_get);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

int fp_queue_get(FPQueue *q, void *item, int *serial, int64_t timeout_us)
{
    struct timespec ts;
    const struct timespec *deadline = make_deadline(&ts, timeout_us);
    Slot *slot;
    int ret = 0;

    pthread_mutex_lock(&q->lock);
    while (!q->aborted && !q->count && timeout_us != 0) {
        if (wait_until(&q->can_get, &q->lock, deadline) == ETIMEDOUT)
            break;
    }
    if (q->aborted) {
        ret = AVERROR_EXIT;
    } else if (!q->count) {
        ret = AVERROR(EAGAIN);
    } else {
        slot = &q->ring[q->head];
        if (serial)
            *serial = slot->serial;
        if (slot->eof) {
            ret = AVERROR_EOF;
        } else {
            size_t size = q->ops->size(slot->item);
            q->ops->move(item, slot->item);
            q->bytes -= size;
        }
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        if (q->trace && ret == 0)
            fp_trace_event(q->trace, q->trace_kind, item, "get", q->trace_name, q->count);
        pthread_cond_signal(&q->can_put);
    }
    pthread_mutex_unlock(&q->lock);
    return ret;
}

int fp_queue_flush(FPQueue *q)
{
    int serial;

    pthread_mutex_lock(&q->lock);
    for (int i = 0; i < q->count; i++) {
        void *item = q->ring[(q->head + i) % q->capacity].item;

        if (!q->trace) {
            q->ops->unref(item);
            continue;
        }
        /* Tracing only: like put and get, traced under the lock, so events stay in order. */
        if (!q->ring[(q->head + i) % q->capacity].eof)
            fp_trace_event(q->trace, q->trace_kind, item, "flush", q->trace_name, 0);
        fp_trace_unref(q->trace, q->trace_kind, item, q->trace_name);
    }
    q->head = 0;
    q->count = 0;
    q->bytes = 0;
    serial = ++q->serial;
    /* Every blocked producer may proceed now, not just one. */
    pthread_cond_broadcast(&q->can_put);
    pthread_mutex_unlock(&q->lock);
    return serial;
}

void fp_queue_wake_producers(FPQueue *q)
{
    pthread_mutex_lock(&q->lock);
    q->wakes++;
    pthread_cond_broadcast(&q->can_put);
    pthread_mutex_unlock(&q->lock);
}

void fp_queue_set_trace(FPQueue *q, FPTrace *t, const char *name, FPTraceKind kind)
{
    q->trace = t;
    q->trace_name = name;
    q->trace_kind = kind;
}

void fp_queue_abort(FPQueue *q)
{
    pthread_mutex_lock(&q->lock);
    q->aborted = 1;
    pthread_cond_broadcast(&q->can_put);
    pthread_cond_broadcast(&q->can_get);
    pthread_mutex_unlock(&q->lock);
}

int fp_queue_serial(FPQueue *q)
{
    int serial;

    pthread_mutex_lock(&q->lock);
    serial = q->serial;
    pthread_mutex_unlock(&q->lock);
    return serial;
}

void fp_queue_stats(FPQueue *q, FPQueueStats *stats)
{
    pthread_mutex_lock(&q->lock);
    stats->count = q->count;
    stats->bytes = q->bytes;
    stats->max_count_seen = q->max_count_seen;
    stats->max_bytes_seen = q->max_bytes_seen;
    stats->serial = q->serial;
    pthread_mutex_unlock(&q->lock);
}
