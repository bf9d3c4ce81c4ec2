/* The promises of include/framepipe/frame_queue.h. */
#include <pthread.h>
#include <stdatomic.h>

#include <libavutil/buffer.h>
#include <libavutil/frame.h>

#include "framepipe/frame_queue.h"
#include "check.h"

static AVFrame *make_frame(int64_t pts)
{
    AVFrame *f = av_frame_alloc();

    f->format = AV_PIX_FMT_YUV420P;
    f->width = 64;
    f->height = 48;
    f->pts = pts;
    av_frame_get_buffer(f, 0); /* each plane's buffer starts with a count of 1 */
    f->data[0][0] = (uint8_t)pts;
    return f;
}

static void test_move_in_move_out(void)
{
    FPFrameQueue *q;
    AVFrame *in = make_frame(3), *out = av_frame_alloc();
    uint8_t *y = in->data[0];
    AVBufferRef *buf = in->buf[0];
    int serial = -1;

    CHECK_EQ_INT(fp_frame_queue_alloc(&q, 3), 0);
    CHECK_EQ_INT(fp_frame_queue_put(q, in, 5), 0);
    CHECK(in->buf[0] == NULL);
    CHECK(in->data[0] == NULL);
    CHECK_EQ_INT(in->width, 0);
    CHECK_EQ_INT(fp_frame_queue_get(q, out, &serial, 0), 0);
    CHECK(out->data[0] == y);
    CHECK(out->buf[0] == buf);
    CHECK_EQ_INT(av_buffer_get_ref_count(out->buf[0]), 1);
    CHECK_EQ_INT(serial, 5); /* the serial given at put travels with the frame */
    CHECK_EQ_INT(out->pts, 3);
    CHECK_EQ_INT(out->width, 64);
    fp_frame_queue_free(&q);
    av_frame_free(&in);
    av_frame_free(&out);
}

static void test_shared_buffer_survives_the_queue(void)
{
    FPFrameQueue *q;
    AVFrame *in = make_frame(1), *history = av_frame_alloc(), *out = av_frame_alloc();

    fp_frame_queue_alloc(&q, 2);
    av_frame_ref(history, in); /* two frames, one buffer */
    CHECK_EQ_INT(av_buffer_get_ref_count(history->buf[0]), 2);
    fp_frame_queue_put(q, in, 0);
    CHECK_EQ_INT(av_buffer_get_ref_count(history->buf[0]), 2);
    fp_frame_queue_get(q, out, NULL, 0);
    CHECK(out->data[0] == history->data[0]);
    av_frame_unref(out);
    CHECK_EQ_INT(av_buffer_get_ref_count(history->buf[0]), 1);
    CHECK_EQ_INT(history->data[0][0], 1); /* still valid: history owns the last reference */
    fp_frame_queue_free(&q);
    av_frame_free(&in);
    av_frame_free(&history);
    av_frame_free(&out);
}

static void test_rejects_frame_without_buffer(void)
{
    FPFrameQueue *q;
    AVFrame *f = av_frame_alloc();

    fp_frame_queue_alloc(&q, 2);
    CHECK_EQ_INT(fp_frame_queue_put(q, f, 0), AVERROR(EINVAL));
    fp_frame_queue_free(&q);
    av_frame_free(&f);
}

typedef struct Worker {
    FPFrameQueue *q;
    AVFrame *frame;
    atomic_int done;
    int ret;
} Worker;

static void *put_worker(void *arg)
{
    Worker *w = arg;

    w->ret = fp_frame_queue_put(w->q, w->frame, 0);
    atomic_store(&w->done, 1);
    return NULL;
}

static void *get_worker(void *arg)
{
    Worker *w = arg;

    w->ret = fp_frame_queue_get(w->q, w->frame, NULL, -1);
    atomic_store(&w->done, 1);
    return NULL;
}

static void test_full_blocks_and_abort_wakes(void)
{
    FPFrameQueue *q;
    AVFrame *a = make_frame(0), *b = make_frame(1), *out = av_frame_alloc();
    Worker putter = {.frame = make_frame(2)};
    Worker getter = {.frame = av_frame_alloc()};
    pthread_t t;

    fp_frame_queue_alloc(&q, 2);
    putter.q = q;
    fp_frame_queue_put(q, a, 0);
    fp_frame_queue_put(q, b, 0);
    pthread_create(&t, NULL, put_worker, &putter);
    sleep_us(50000);
    CHECK(!atomic_load(&putter.done));
    fp_frame_queue_get(q, out, NULL, 0);
    pthread_join(t, NULL);
    CHECK_EQ_INT(putter.ret, 0);
    av_frame_unref(out);
    /* FIFO: 1 then 2 remain. */
    fp_frame_queue_get(q, out, NULL, 0);
    CHECK_EQ_INT(out->pts, 1);
    av_frame_unref(out);
    fp_frame_queue_get(q, out, NULL, 0);
    CHECK_EQ_INT(out->pts, 2);
    av_frame_unref(out);

    getter.q = q;
    pthread_create(&t, NULL, get_worker, &getter);
    sleep_us(20000);
    CHECK(!atomic_load(&getter.done));
    fp_frame_queue_abort(q);
    pthread_join(t, NULL);
    CHECK_EQ_INT(getter.ret, AVERROR_EXIT);
    fp_frame_queue_free(&q);
    av_frame_free(&a);
    av_frame_free(&b);
    av_frame_free(&out);
    av_frame_free(&putter.frame);
    av_frame_free(&getter.frame);
}

static void test_flush_and_eof(void)
{
    FPFrameQueue *q;
    AVFrame *f = make_frame(0), *out = av_frame_alloc(), *watch = av_frame_alloc();
    FPFrameQueueStats stats;
    int serial = -1;

    fp_frame_queue_alloc(&q, 4);
    av_frame_ref(watch, f);
    fp_frame_queue_put(q, f, 0);
    fp_frame_queue_put_eof(q, 0);
    CHECK_EQ_INT(av_buffer_get_ref_count(watch->buf[0]), 2);
    fp_frame_queue_flush(q);
    CHECK_EQ_INT(av_buffer_get_ref_count(watch->buf[0]), 1); /* the queue's reference is gone */
    fp_frame_queue_stats(q, &stats);
    CHECK_EQ_INT(stats.count, 0);
    CHECK_EQ_INT(stats.max_count_seen, 2);
    CHECK_EQ_INT(fp_frame_queue_get(q, out, NULL, 0), AVERROR(EAGAIN));
    fp_frame_queue_put_eof(q, 7);
    CHECK_EQ_INT(fp_frame_queue_get(q, out, &serial, -1), AVERROR_EOF);
    CHECK_EQ_INT(serial, 7);
    CHECK(out->buf[0] == NULL);
    fp_frame_queue_free(&q);
    fp_frame_queue_free(&q);
    av_frame_free(&f);
    av_frame_free(&out);
    av_frame_free(&watch);
}

int main(void)
{
    RUN_TEST(test_move_in_move_out);
    RUN_TEST(test_shared_buffer_survives_the_queue);
    RUN_TEST(test_rejects_frame_without_buffer);
    RUN_TEST(test_full_blocks_and_abort_wakes);
    RUN_TEST(test_flush_and_eof);
    return CHECK_EXIT();
}
