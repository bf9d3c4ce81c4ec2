/*
 * Several producers and consumers hammer one small packet queue and one small
 * frame queue: every item must come out exactly once, and each producer's
 * items must come out in the order it put them.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/packet.h>
#include <libavutil/frame.h>

#include "framepipe/frame_queue.h"
#include "framepipe/packet_queue.h"
#include "check.h"

#define PRODUCERS 4
#define CONSUMERS 4
#define ITEMS_PER_PRODUCER 20000

static FPPacketQueue *pq;
static FPFrameQueue *fq;
static atomic_uchar seen_packets[PRODUCERS][ITEMS_PER_PRODUCER];
static atomic_uchar seen_frames[PRODUCERS][ITEMS_PER_PRODUCER];
static atomic_int order_errors;

static void *packet_producer(void *arg)
{
    int id = (int)(intptr_t)arg;
    AVPacket *pkt = av_packet_alloc();

    for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
        av_new_packet(pkt, 8);
        pkt->stream_index = id;
        pkt->pts = i;
        memcpy(pkt->data, &i, sizeof(i));
        if (fp_packet_queue_put(pq, pkt) < 0)
            av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    return NULL;
}

static void *packet_consumer(void *arg)
{
    AVPacket *pkt = av_packet_alloc();
    int64_t last[PRODUCERS];

    (void)arg;
    for (int i = 0; i < PRODUCERS; i++)
        last[i] = -1;
    while (fp_packet_queue_get(pq, pkt, NULL, -1) == 0) {
        int id = pkt->stream_index, seq;

        memcpy(&seq, pkt->data, sizeof(seq));
        if (seq != pkt->pts || pkt->pts <= last[id])
            atomic_fetch_add(&order_errors, 1);
        last[id] = pkt->pts;
        atomic_fetch_add(&seen_packets[id][pkt->pts], 1);
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    return NULL;
}

static void *frame_producer(void *arg)
{
    int id = (int)(intptr_t)arg;
    AVFrame *frame = av_frame_alloc();

    for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
        frame->format = AV_PIX_FMT_GRAY8;
        frame->width = 4;
        frame->height = 4;
        av_frame_get_buffer(frame, 0);
        frame->pts = i;
        frame->data[0][0] = (uint8_t)id;
        if (fp_frame_queue_put(fq, frame, id) < 0)
            av_frame_unref(frame);
    }
    av_frame_free(&frame);
    return NULL;
}

static void *frame_consumer(void *arg)
{
    AVFrame *frame = av_frame_alloc();
    int serial;

    (void)arg;
    while (fp_frame_queue_get(fq, frame, &serial, -1) == 0) {
        if (frame->data[0][0] != serial)
            atomic_fetch_add(&order_errors, 1);
        atomic_fetch_add(&seen_frames[serial][frame->pts], 1);
        av_frame_unref(frame);
    }
    av_frame_free(&frame);
    return NULL;
}

static void run(void *(*producer)(void *), void *(*consumer)(void *), void (*abort_fn)(void))
{
    pthread_t producers[PRODUCERS], consumers[CONSUMERS];

    for (int i = 0; i < CONSUMERS; i++)
        pthread_create(&consumers[i], NULL, consumer, NULL);
    for (int i = 0; i < PRODUCERS; i++)
        pthread_create(&producers[i], NULL, producer, (void *)(intptr_t)i);
    for (int i = 0; i < PRODUCERS; i++)
        pthread_join(producers[i], NULL);
    abort_fn(); /* consumers that find the queue empty now return */
    for (int i = 0; i < CONSUMERS; i++)
        pthread_join(consumers[i], NULL);
}

static int drained_before_abort;

/* Waits until consumers emptied the queue, so that the abort loses nothing. */
static void abort_packets(void)
{
    FPPacketQueueStats s;

    do {
        fp_packet_queue_stats(pq, &s);
        if (s.count)
            sleep_us(1000);
    } while (s.count);
    drained_before_abort = 1;
    fp_packet_queue_abort(pq);
}

static void abort_frames(void)
{
    FPFrameQueueStats s;

    do {
        fp_frame_queue_stats(fq, &s);
        if (s.count)
            sleep_us(1000);
    } while (s.count);
    fp_frame_queue_abort(fq);
}

static void test_packets_no_loss_no_duplicate(void)
{
    int64_t missing = 0, duplicated = 0;

    fp_packet_queue_alloc(&pq, 8, 1 << 20);
    run(packet_producer, packet_consumer, abort_packets);
    for (int p = 0; p < PRODUCERS; p++)
        for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
            missing += seen_packets[p][i] == 0;
            duplicated += seen_packets[p][i] > 1;
        }
    CHECK(drained_before_abort);
    CHECK_EQ_INT(missing, 0);
    CHECK_EQ_INT(duplicated, 0);
    CHECK_EQ_INT(atomic_load(&order_errors), 0);
    fp_packet_queue_free(&pq);
}

static void test_frames_no_loss_no_duplicate(void)
{
    int64_t missing = 0, duplicated = 0;

    fp_frame_queue_alloc(&fq, 3);
    run(frame_producer, frame_consumer, abort_frames);
    for (int p = 0; p < PRODUCERS; p++)
        for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
            missing += seen_frames[p][i] == 0;
            duplicated += seen_frames[p][i] > 1;
        }
    CHECK_EQ_INT(missing, 0);
    CHECK_EQ_INT(duplicated, 0);
    CHECK_EQ_INT(atomic_load(&order_errors), 0);
    fp_frame_queue_free(&fq);
}

int main(void)
{
    RUN_TEST(test_packets_no_loss_no_duplicate);
    RUN_TEST(test_frames_no_loss_no_duplicate);
    return CHECK_EXIT();
}
