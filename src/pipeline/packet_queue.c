#include <libavcodec/packet.h>
#include <libavutil/error.h>

#include "framepipe/packet_queue.h"
#include "queue.h"

/* The queue's shells are AVPackets; the only operation that fills or empties them is a move. */
static void *packet_alloc(void)
{
    return av_packet_alloc();
}

static void packet_free(void **item)
{
    AVPacket *pkt = *item;

    av_packet_free(&pkt);
    *item = NULL;
}

static void packet_move(void *dst, void *src)
{
    av_packet_move_ref(dst, src);
}

static void packet_unref(void *item)
{
    av_packet_unref(item);
}

static size_t packet_size(const void *item)
{
    const AVPacket *pkt = item;

    return pkt->size > 0 ? (size_t)pkt->size : 0;
}

static const FPQueueItemOps packet_ops = {
    .alloc = packet_alloc,
    .free = packet_free,
    .move = packet_move,
    .unref = packet_unref,
    .size = packet_size,
};

/* FPPacketQueue is an FPQueue of AVPackets; the cast keeps the public type distinct. */
#define Q(q) ((FPQueue *)(q))

int fp_packet_queue_alloc(FPPacketQueue **q, int max_count, size_t max_bytes)
{
    return fp_queue_alloc((FPQueue **)q, &packet_ops, max_count, max_bytes);
}

void fp_packet_queue_free(FPPacketQueue **q)
{
    fp_queue_free((FPQueue **)q);
}

int fp_packet_queue_put_timed(FPPacketQueue *q, AVPacket *pkt, int64_t timeout_us)
{
    if (pkt && !pkt->buf)
        return AVERROR(EINVAL);
    return fp_queue_put(Q(q), pkt, -1, timeout_us);
}

int fp_packet_queue_put(FPPacketQueue *q, AVPacket *pkt)
{
    if (!pkt)
        return AVERROR(EINVAL);
    return fp_packet_queue_put_timed(q, pkt, -1);
}

int fp_packet_queue_put_eof(FPPacketQueue *q)
{
    return fp_queue_put(Q(q), NULL, -1, -1);
}

int fp_packet_queue_get(FPPacketQueue *q, AVPacket *pkt, int *serial, int64_t timeout_us)
{
    return fp_queue_get(Q(q), pkt, serial, timeout_us);
}

int fp_packet_queue_flush(FPPacketQueue *q)
{
    return fp_queue_flush(Q(q));
}

void fp_packet_queue_wake_producer(FPPacketQueue *q)
{
    fp_queue_wake_producers(Q(q));
}

void fp_packet_queue_abort(FPPacketQueue *q)
{
    fp_queue_abort(Q(q));
}

int fp_packet_queue_serial(FPPacketQueue *q)
{
    return fp_queue_serial(Q(q));
}

void fp_packet_queue_stats(FPPacketQueue *q, FPPacketQueueStats *stats)
{
    FPQueueStats s;

    fp_queue_stats(Q(q), &s);
    stats->count = s.count;
    stats->bytes = s.bytes;
    stats->max_count_seen = s.max_count_seen;
    stats->max_bytes_seen = s.max_bytes_seen;
    stats->serial = s.serial;
}

void fp_packet_queue_set_trace(FPPacketQueue *q, FPTrace *t, const char *name)
{
    fp_queue_set_trace(Q(q), t, name, FP_TRACE_PACKET);
}
