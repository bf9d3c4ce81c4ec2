/*
 * FPPacketQueue: a bounded, thread-safe FIFO of AVPacket references.
 *
 * The reader thread puts what av_read_frame() returned; the decoder thread
 * gets it. The queue moves references, never data: put() is one
 * av_packet_move_ref() into a packet shell the queue allocated when it was
 * made, and get() is one av_packet_move_ref() out of it. The data pointer
 * that leaves get() is the one that entered put(), and at no moment do two
 * references to a queued packet's buffer exist because of the queue.
 *
 * Serial numbers: every entry is stamped with the queue's serial at the time
 * of the put. fp_packet_queue_flush() drops every entry and advances the
 * serial, so a consumer that compares serials can tell packets read before a
 * seek from packets read after it. Flush from the producer thread (the thread
 * that seeks and reads) so that no packet read before the flush can be put
 * after it with the new serial.
 *
 * End of stream is an explicit marker put with fp_packet_queue_put_eof(); it
 * travels through the FIFO in order, after the last packet.
 *
 * Every function may be called from any thread unless it says otherwise.
 */
#ifndef FRAMEPIPE_PACKET_QUEUE_H
#define FRAMEPIPE_PACKET_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include <libavcodec/packet.h>

typedef struct FPPacketQueue FPPacketQueue;

typedef struct FPPacketQueueStats {
    int count;             /**< entries now queued, the end-of-stream marker included */
    size_t bytes;          /**< sum of pkt->size of the queued packets */
    int max_count_seen;    /**< high-water mark of count since the queue was made */
    size_t max_bytes_seen; /**< high-water mark of bytes since the queue was made */
    int serial;            /**< the serial that the next put is stamped with */
} FPPacketQueueStats;

/**
 * Make an empty queue.
 *
 * @param q          Set to the new queue on success, to NULL on failure.
 * @param max_count  Most entries held at once (>= 1). The packet shells are
 *                   allocated here, so put() never allocates.
 * @param max_bytes  Most payload bytes held at once (>= 1). A put that would
 *                   exceed it blocks, except into an empty queue, which takes
 *                   one packet of any size.
 * @return 0; AVERROR(EINVAL) for a zero limit; AVERROR(ENOMEM).
 */
int fp_packet_queue_alloc(FPPacketQueue **q, int max_count, size_t max_bytes);

/**
 * Unreference every queued packet and free the queue. No thread may be using
 * it: abort, then join its users first.
 *
 * @param q  The queue, or a pointer to NULL (nothing happens). Set to NULL.
 */
void fp_packet_queue_free(FPPacketQueue **q);

/**
 * Append a packet, blocking while the queue is full.
 *
 * @param pkt  A packet holding a reference (pkt->buf != NULL). On success the
 *             queue takes that reference with av_packet_move_ref() and pkt is
 *             left blank, ready for the next av_read_frame(). On failure pkt
 *             is untouched and still the caller's to unref.
 * @return 0; AVERROR(EINVAL) if pkt holds no reference-counted buffer (a
 *         packet whose data belongs to someone else cannot be queued without
 *         a copy, and this queue never copies); AVERROR_EXIT once
 *         fp_packet_queue_abort() was called, also while blocked.
 * Blocks.
 */
int fp_packet_queue_put(FPPacketQueue *q, AVPacket *pkt);

/**
 * fp_packet_queue_put() that waits at most timeout_us for room, so a producer
 * can look at other work (a seek request) while the queue stays full.
 *
 * @param pkt  As for fp_packet_queue_put(); NULL puts the end-of-stream marker.
 * @return as fp_packet_queue_put(), and AVERROR(EAGAIN) when the queue stayed
 *         full for timeout_us; pkt is then untouched and still the caller's.
 * Blocks for at most timeout_us (< 0: without limit).
 */
int fp_packet_queue_put_timed(FPPacketQueue *q, AVPacket *pkt, int64_t timeout_us);

/**
 * Append the end-of-stream marker, blocking while the queue is full.
 *
 * @return 0; AVERROR_EXIT once aborted.
 * Blocks.
 */
int fp_packet_queue_put_eof(FPPacketQueue *q);

/**
 * Take the oldest entry.
 *
 * @param pkt         Must be blank (as after av_packet_unref()). When 0 is
 *                    returned it receives the queued reference by
 *                    av_packet_move_ref() and the caller owns it: it must
 *                    av_packet_unref() it when done. On any other return it
 *                    is untouched.
 * @param serial      If not NULL, set to the entry's serial when 0 or
 *                    AVERROR_EOF is returned.
 * @param timeout_us  < 0 waits for an entry; 0 does not wait; > 0 waits at
 *                    most that long.
 * @return 0 for a packet; AVERROR_EOF for the end-of-stream marker (which is
 *         taken out of the queue); AVERROR(EAGAIN) if the queue stayed empty
 *         for timeout_us; AVERROR_EXIT once aborted, also while blocked.
 * Blocks unless timeout_us is 0.
 */
int fp_packet_queue_get(FPPacketQueue *q, AVPacket *pkt, int *serial, int64_t timeout_us);

/**
 * Unreference every queued packet (the last reference frees its buffer),
 * drop a queued end-of-stream marker, advance the serial, and wake blocked
 * producers.
 *
 * @return the new serial.
 */
int fp_packet_queue_flush(FPPacketQueue *q);

/**
 * Make a put that is waiting for room now return AVERROR(EAGAIN) at once,
 * its packet untouched and still the producer's; later puts are not
 * affected. The reader uses it to notice a seek request without delay.
 */
void fp_packet_queue_wake_producer(FPPacketQueue *q);

/**
 * Make every blocked and every later put() and get() return AVERROR_EXIT.
 * Queued packets stay owned by the queue until it is flushed or freed.
 * Cannot be undone.
 */
void fp_packet_queue_abort(FPPacketQueue *q);

/** @return the serial that the next put is stamped with. */
int fp_packet_queue_serial(FPPacketQueue *q);

/** Fill stats with a consistent snapshot. */
void fp_packet_queue_stats(FPPacketQueue *q, FPPacketQueueStats *stats);

#endif /* FRAMEPIPE_PACKET_QUEUE_H */
