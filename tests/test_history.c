/* The promises of src/history.h: references, the cursor, and the byte budget. */
#include <libavutil/buffer.h>
#include <libavutil/frame.h>

#include "check.h"
#include "history.h"

static AVFrame *make_frame(int64_t pts)
{
    AVFrame *f = av_frame_alloc();

    f->format = AV_PIX_FMT_GRAY8;
    f->width = 64;
    f->height = 64;
    av_frame_get_buffer(f, 0);
    f->best_effort_timestamp = pts;
    return f;
}

static void test_entries_are_references_not_copies(void)
{
    FPHistory *h;
    AVFrame *f = make_frame(0), *watch = av_frame_alloc();

    CHECK_EQ_INT(fp_history_alloc(&h, 1 << 20), 0);
    av_frame_ref(watch, f);
    CHECK_EQ_INT(fp_history_insert(h, 0, f, 1), 0);
    CHECK(f->buf[0] == NULL); /* moved in */
    CHECK(fp_history_get(h, 0)->data[0] == watch->data[0]);
    CHECK_EQ_INT(av_buffer_get_ref_count(watch->buf[0]), 2);
    fp_history_clear(h);
    CHECK_EQ_INT(av_buffer_get_ref_count(watch->buf[0]), 1); /* the history's reference is gone */
    CHECK_EQ_INT(fp_history_cursor(h), -1);
    fp_history_free(&h);
    CHECK(h == NULL);
    av_frame_free(&f);
    av_frame_free(&watch);
}

static void test_insert_before_cursor_keeps_the_cursor_frame(void)
{
    FPHistory *h;

    fp_history_alloc(&h, 1 << 20);
    for (int i = 10; i < 13; i++) {
        AVFrame *f = make_frame(i);
        fp_history_insert(h, fp_history_count(h), f, 1);
        av_frame_free(&f);
    }
    fp_history_set_cursor(h, 0); /* on pts 10 */
    for (int i = 7; i < 10; i++) { /* a refill: earlier frames go in before the cursor */
        AVFrame *f = make_frame(i);
        fp_history_insert(h, fp_history_cursor(h), f, 0);
        av_frame_free(&f);
    }
    CHECK_EQ_INT(fp_history_count(h), 6);
    CHECK_EQ_INT(fp_history_cursor(h), 3);
    CHECK_EQ_INT(fp_history_get(h, fp_history_cursor(h))->best_effort_timestamp, 10);
    for (int i = 0; i < 6; i++)
        CHECK_EQ_INT(fp_history_get(h, i)->best_effort_timestamp, 7 + i);
    fp_history_free(&h);
}

static void test_budget_drops_farthest_from_cursor(void)
{
    FPHistory *h;
    AVFrame *f = make_frame(0);
    size_t one = fp_frame_bytes(f);

    av_frame_free(&f);
    fp_history_alloc(&h, 4 * one);
    for (int i = 0; i < 10; i++) {
        f = make_frame(i);
        fp_history_insert(h, fp_history_count(h), f, 1);
        av_frame_free(&f);
    }
    CHECK_EQ_INT(fp_history_count(h), 4); /* the newest four */
    CHECK(fp_history_bytes(h) <= 4 * one);
    CHECK_EQ_INT(fp_history_get(h, 0)->best_effort_timestamp, 6);
    CHECK_EQ_INT(fp_history_get(h, fp_history_cursor(h))->best_effort_timestamp, 9);
    /* With the cursor at the front, frames go from the back. */
    fp_history_set_cursor(h, 0);
    f = make_frame(5);
    fp_history_insert(h, 0, f, 1);
    av_frame_free(&f);
    CHECK_EQ_INT(fp_history_count(h), 4);
    CHECK_EQ_INT(fp_history_get(h, 0)->best_effort_timestamp, 5);
    CHECK_EQ_INT(fp_history_get(h, 3)->best_effort_timestamp, 8);
    fp_history_free(&h);
}

static void test_cursor_and_neighbour_survive_a_tiny_budget(void)
{
    FPHistory *h;

    fp_history_alloc(&h, 1); /* smaller than any frame */
    for (int i = 0; i < 3; i++) {
        AVFrame *f = make_frame(i);
        CHECK_EQ_INT(fp_history_insert(h, fp_history_count(h), f, 1), 0);
        av_frame_free(&f);
    }
    CHECK_EQ_INT(fp_history_count(h), 2);
    CHECK_EQ_INT(fp_history_get(h, fp_history_cursor(h))->best_effort_timestamp, 2);
    /* A refill before the cursor keeps the frame right before it. */
    fp_history_set_cursor(h, 0);
    for (int i = -5; i < 1; i++) {
        AVFrame *f = make_frame(i);
        fp_history_insert(h, fp_history_cursor(h), f, 0);
        av_frame_free(&f);
    }
    CHECK_EQ_INT(fp_history_count(h), 2);
    CHECK_EQ_INT(fp_history_get(h, fp_history_cursor(h) - 1)->best_effort_timestamp, 0);
    fp_history_free(&h);
}

int main(void)
{
    RUN_TEST(test_entries_are_references_not_copies);
    RUN_TEST(test_insert_before_cursor_keeps_the_cursor_frame);
    RUN_TEST(test_budget_drops_farthest_from_cursor);
    RUN_TEST(test_cursor_and_neighbour_survive_a_tiny_budget);
    return CHECK_EXIT();
}
