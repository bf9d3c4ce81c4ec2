/* The promises of include/framepipe/packet_queue.h, one test each. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavcodec/packet.h>
#include <libavutil/buffer.h>
#include <libavutil/mem.h>

#include "framepipe/packet_queue.h"
#include "check.h"

/* A packet whose buffer reports when it is freed, so a test can see who released the last reference. */
static atomic_int buffers_freed;

static void count_free(void *opaque, uint8_t *data)
{
    (void)opaque;
    av_free(data);
    atomic_fetch_add(&buffers_freed, 1);
}

static AVPacket *make_packet(int size, uint8_t fill)
{
    AVPacket *pkt = av_packet_alloc();
    uint8_t *data = av_malloc(size + AV_INPUT_BUFFER_PADDING_SIZE);

    memset(data, fill, size);
    pkt->buf = av_buffer_create(data, size + AV_INPUT_BUFFER_PADDING_SIZE, count_free, NULL, 0);
    pkt->data = data;
    pkt->size = size;
    pkt->pts = fill;
    return pkt;
}

static void test_put_leaves_source_blank_and_get_returns_same_data(void)
{
    FPPacketQueue *q;
    AVPacket *in = make_packet(100, 7), *out = av_packet_alloc();
    uint8_t *data = in->data;
    AVBufferRef *buf = in->buf;
    int serial = -1;

    CHECK_EQ_INT(fp_packet_queue_alloc(&q, 4, 1 << 20), 0);
    CHECK_EQ_INT(fp_packet_queue_put(q, in), 0);
    /* av_packet_move_ref left the caller's packet blank and reusable. */
    CHECK(in->buf == NULL);
    CHECK(in->data == NULL);
    CHECK_EQ_INT(in->size, 0);
    CHECK_EQ_INT(fp_packet_queue_get(q, out, &serial, 0), 0);
    CHECK(out->data == data); /* no copy: the same bytes */
    CHECK(out->buf == buf);   /* the same reference, moved twice */
    CHECK_EQ_INT(out->pts, 7);
    CHECK_EQ_INT(serial, 0);
    /* One reference from read to get: the queue kept none of its own. */
    CHECK_EQ_INT(av_buffer_get_ref_count(out->buf), 1);
    fp_packet_queue_free(&q);
    CHECK(q == NULL);
    av_packet_free(&in);
    av_packet_free(&out);
}

static void test_queue_adds_no_reference(void)
{
    FPPacketQueue *q;
    AVPacket *in = make_packet(10, 1), *extra = av_packet_alloc(), *out = av_packet_alloc();
    int freed;

    fp_packet_queue_alloc(&q, 4, 1 << 20);
    CHECK_EQ_INT(av_packet_ref(extra, in), 0); /* a second owner, sharing the buffer */
    CHECK_EQ_INT(av_buffer_get_ref_count(extra->buf), 2);
    fp_packet_queue_put(q, in);
    CHECK_EQ_INT(av_buffer_get_ref_count(extra->buf), 2); /* moved, not added */
    fp_packet_queue_get(q, out, NULL, 0);
    CHECK_EQ_INT(av_buffer_get_ref_count(extra->buf), 2);
    freed = atomic_load(&buffers_freed);
    av_packet_unref(out);
    CHECK_EQ_INT(av_buffer_get_ref_count(extra->buf), 1);
    CHECK_EQ_INT(atomic_load(&buffers_freed), freed); /* extra still holds it */
    av_packet_unref(extra);
    CHECK_EQ_INT(atomic_load(&buffers_freed), freed + 1);
    fp_packet_queue_free(&q);
    av_packet_free(&in);
    av_packet_free(&extra);
    av_packet_free(&out);
}

static void test_rejects_borrowed_data_untouched(void)
{
    FPPacketQueue *q;
    AVPacket *pkt = av_packet_alloc();
    uint8_t bytes[16] = {0};

    fp_packet_queue_alloc(&q, 4, 1 << 20);
    pkt->data = bytes;
    pkt->size = sizeof(bytes);
    CHECK_EQ_INT(fp_packet_queue_put(q, pkt), AVERROR(EINVAL));
    CHECK(pkt->data == bytes);
    CHECK_EQ_INT(pkt->size, (int)sizeof(bytes));
    fp_packet_queue_free(&q);
    av_packet_free(&pkt);
}

static void test_fifo_order(void)
{
    FPPacketQueue *q;
    AVPacket *pkt, *out = av_packet_alloc();

    fp_packet_queue_alloc(&q, 16, 1 << 20);
    for (int i = 0; i < 10; i++) {
        pkt = make_packet(8, (uint8_t)i);
        CHECK_EQ_INT(fp_packet_queue_put(q, pkt), 0);
        av_packet_free(&pkt);
    }
    for (int i = 0; i < 10; i++) {
        CHECK_EQ_INT(fp_packet_queue_get(q, out, NULL, 0), 0);
        CHECK_EQ_INT(out->pts, i);
        CHECK_EQ_INT(out->data[0], i);
        av_packet_unref(out);
    }
    CHECK_EQ_INT(fp_packet_queue_get(q, out, NULL, 0), AVERROR(EAGAIN));
    fp_packet_queue_free(&q);
    av_packet_free(&out);
}

typedef struct Worker {
    FPPacketQueue *q;
    AVPacket *pkt;
    atomic_int done;
    int ret;
} Worker;

static void *put_worker(void *arg)
{
    Worker *w = arg;

    w->ret = fp_packet_queue_put(w->q, w->pkt);
    atomic_store(&w->done, 1);
    return NULL;
}

static void *get_worker(void *arg)
{
    Worker *w = arg;

    w->ret = fp_packet_queue_get(w->q, w->pkt, NULL, -1);
    atomic_store(&w->done, 1);
    return NULL;
}

static void test_full_queue_blocks_producer(void)
{
    FPPacketQueue *q;
    AVPacket *a = make_packet(8, 1), *b = make_packet(8, 2), *out = av_packet_alloc();
    Worker w = {.pkt = make_packet(8, 3)};
    pthread_t thread;

    fp_packet_queue_alloc(&q, 2, 1 << 20);
    w.q = q;
    fp_packet_queue_put(q, a);
    fp_packet_queue_put(q, b);
    pthread_create(&thread, NULL, put_worker, &w);
    sleep_us(50000);
    CHECK(!atomic_load(&w.done)); /* count limit reached: the third put waits */
    CHECK(w.pkt->buf != NULL);    /* and has not taken the packet */
    fp_packet_queue_get(q, out, NULL, 0);
    pthread_join(thread, NULL);
    CHECK_EQ_INT(w.ret, 0);
    CHECK(w.pkt->buf == NULL);
    av_packet_unref(out);
    fp_packet_queue_free(&q);
    av_packet_free(&a);
    av_packet_free(&b);
    av_packet_free(&w.pkt);
    av_packet_free(&out);
}

static void test_byte_limit(void)
{
    FPPacketQueue *q;
    AVPacket *big = make_packet(1000, 1), *small = make_packet(60, 2), *out = av_packet_alloc();
    Worker w = {.pkt = make_packet(60, 3)};
    FPPacketQueueStats stats;
    pthread_t thread;

    fp_packet_queue_alloc(&q, 16, 100);
    w.q = q;
    /* An empty queue takes one packet larger than its whole byte limit. */
    CHECK_EQ_INT(fp_packet_queue_put(q, big), 0);
    fp_packet_queue_get(q, out, NULL, 0);
    av_packet_unref(out);
    CHECK_EQ_INT(fp_packet_queue_put(q, small), 0);
    pthread_create(&thread, NULL, put_worker, &w);
    sleep_us(50000);
    CHECK(!atomic_load(&w.done)); /* 60 + 60 > 100 */
    fp_packet_queue_get(q, out, NULL, 0);
    pthread_join(thread, NULL);
    CHECK_EQ_INT(w.ret, 0);
    fp_packet_queue_stats(q, &stats);
    CHECK_EQ_INT(stats.bytes, 60);
    CHECK_EQ_INT(stats.max_bytes_seen, 1000);
    av_packet_unref(out);
    fp_packet_queue_free(&q);
    av_packet_free(&big);
    av_packet_free(&small);
    av_packet_free(&w.pkt);
    av_packet_free(&out);
}

static void test_abort_wakes_blocked_get_and_put(void)
{
    FPPacketQueue *q;
    Worker getter = {.pkt = av_packet_alloc()};
    Worker putter = {.pkt = make_packet(8, 9)};
    AVPacket *filler = make_packet(8, 1);
    AVBufferRef *buf = putter.pkt->buf;
    pthread_t t1, t2;

    /* Blocked get on an empty queue. */
    fp_packet_queue_alloc(&q, 1, 1 << 20);
    getter.q = q;
    pthread_create(&t1, NULL, get_worker, &getter);
    sleep_us(20000);
    CHECK(!atomic_load(&getter.done));
    fp_packet_queue_abort(q);
    pthread_join(t1, NULL);
    CHECK_EQ_INT(getter.ret, AVERROR_EXIT);
    CHECK(getter.pkt->buf == NULL);
    fp_packet_queue_free(&q);

    /* Blocked put on a full queue: on failure the packet stays the caller's. */
    fp_packet_queue_alloc(&q, 1, 1 << 20);
    putter.q = q;
    fp_packet_queue_put(q, filler);
    pthread_create(&t2, NULL, put_worker, &putter);
    sleep_us(20000);
    CHECK(!atomic_load(&putter.done));
    fp_packet_queue_abort(q);
    pthread_join(t2, NULL);
    CHECK_EQ_INT(putter.ret, AVERROR_EXIT);
    CHECK(putter.pkt->buf == buf);
    /* After abort, nothing more goes in or comes out. */
    CHECK_EQ_INT(fp_packet_queue_put(q, putter.pkt), AVERROR_EXIT);
    CHECK_EQ_INT(fp_packet_queue_get(q, getter.pkt, NULL, 0), AVERROR_EXIT);
    CHECK_EQ_INT(fp_packet_queue_put_eof(q), AVERROR_EXIT);
    fp_packet_queue_free(&q); /* frees the queued filler's buffer */
    av_packet_free(&getter.pkt);
    av_packet_free(&putter.pkt);
    av_packet_free(&filler);
}

static void test_get_timeout(void)
{
    FPPacketQueue *q;
    AVPacket *out = av_packet_alloc();

    fp_packet_queue_alloc(&q, 2, 1 << 20);
    CHECK_EQ_INT(fp_packet_queue_get(q, out, NULL, 0), AVERROR(EAGAIN));
    CHECK_EQ_INT(fp_packet_queue_get(q, out, NULL, 20000), AVERROR(EAGAIN));
    fp_packet_queue_free(&q);
    av_packet_free(&out);
}

static void test_flush_drops_everything_and_advances_serial(void)
{
    FPPacketQueue *q;
    AVPacket *out = av_packet_alloc();
    FPPacketQueueStats stats;
    int serial, freed;

    fp_packet_queue_alloc(&q, 8, 1 << 20);
    freed = atomic_load(&buffers_freed);
    for (int i = 0; i < 3; i++) {
        AVPacket *pkt = make_packet(8, (uint8_t)i);
        fp_packet_queue_put(q, pkt);
        av_packet_free(&pkt);
    }
    fp_packet_queue_put_eof(q);
    CHECK_EQ_INT(fp_packet_queue_flush(q), 1);
    /* The queue held the only references: flushing freed the buffers. */
    CHECK_EQ_INT(atomic_load(&buffers_freed), freed + 3);
    fp_packet_queue_stats(q, &stats);
    CHECK_EQ_INT(stats.count, 0);
    CHECK_EQ_INT(stats.bytes, 0);
    CHECK_EQ_INT(stats.serial, 1);
    CHECK_EQ_INT(fp_packet_queue_get(q, out, NULL, 0), AVERROR(EAGAIN)); /* EOF marker gone too */
    AVPacket *pkt = make_packet(8, 42);
    fp_packet_queue_put(q, pkt);
    CHECK_EQ_INT(fp_packet_queue_get(q, out, &serial, 0), 0);
    CHECK_EQ_INT(serial, 1);
    CHECK_EQ_INT(out->pts, 42);
    av_packet_unref(out);
    fp_packet_queue_free(&q);
    av_packet_free(&pkt);
    av_packet_free(&out);
}

static void test_end_of_stream_marker(void)
{
    FPPacketQueue *q;
    AVPacket *pkt = make_packet(8, 5), *out = av_packet_alloc();
    int serial = -1;

    fp_packet_queue_alloc(&q, 4, 1 << 20);
    fp_packet_queue_put(q, pkt);
    CHECK_EQ_INT(fp_packet_queue_put_eof(q), 0);
    CHECK_EQ_INT(fp_packet_queue_get(q, out, NULL, 0), 0);
    av_packet_unref(out);
    CHECK_EQ_INT(fp_packet_queue_get(q, out, &serial, 0), AVERROR_EOF);
    CHECK_EQ_INT(serial, 0);
    CHECK(out->buf == NULL); /* the marker carries no packet */
    CHECK_EQ_INT(fp_packet_queue_get(q, out, NULL, 0), AVERROR(EAGAIN));
    fp_packet_queue_free(&q);
    av_packet_free(&pkt);
    av_packet_free(&out);
}

static void test_free_releases_queued_packets(void)
{
    FPPacketQueue *q;
    int freed = atomic_load(&buffers_freed);

    fp_packet_queue_alloc(&q, 4, 1 << 20);
    for (int i = 0; i < 3; i++) {
        AVPacket *pkt = make_packet(8, 0);
        fp_packet_queue_put(q, pkt);
        av_packet_free(&pkt);
    }
    fp_packet_queue_free(&q);
    CHECK_EQ_INT(atomic_load(&buffers_freed), freed + 3);
    fp_packet_queue_free(&q); /* NULL is accepted */
    CHECK_EQ_INT(fp_packet_queue_alloc(&q, 0, 1), AVERROR(EINVAL));
    CHECK(q == NULL);
}

int main(void)
{
    RUN_TEST(test_put_leaves_source_blank_and_get_returns_same_data);
    RUN_TEST(test_queue_adds_no_reference);
    RUN_TEST(test_rejects_borrowed_data_untouched);
    RUN_TEST(test_fifo_order);
    RUN_TEST(test_full_queue_blocks_producer);
    RUN_TEST(test_byte_limit);
    RUN_TEST(test_abort_wakes_blocked_get_and_put);
    RUN_TEST(test_get_timeout);
    RUN_TEST(test_flush_drops_everything_and_advances_serial);
    RUN_TEST(test_end_of_stream_marker);
    RUN_TEST(test_free_releases_queued_packets);
    return CHECK_EXIT();
}
