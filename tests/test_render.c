/*
 * Drives the real SDL render path (fp_render_show) under whatever
 * SDL_VIDEODRIVER the test sets (offscreen in CTest), reads the pixels back
 * and compares them with the decoded frame converted to RGB by libswscale.
 *
 * SDL converts YUV with BT.601 limited range at these sizes, and so does
 * libswscale by default; what differs is rounding and chroma upsampling, which
 * moves edge pixels a lot and flat areas by a level or two. So the test
 * bounds the median and the 90th percentile of the per-pixel worst-channel
 * error. Swapping the chroma planes or dropping a row makes both explode
 * (test_detects_wrong_picture proves the comparison can fail).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <libavutil/frame.h>
#include <libavutil/mem.h>
#include <libswscale/swscale.h>

#include "check.h"
#include "loupe_sdl.h"
#include "render_sdl.h"
#include "testutil.h"

static const char *assets;

static uint8_t *reference_rgb(const AVFrame *f)
{
    struct SwsContext *sws =
        sws_getContext(f->width, f->height, f->format, f->width, f->height, AV_PIX_FMT_RGB24,
                       SWS_BICUBIC | SWS_FULL_CHR_H_INT | SWS_ACCURATE_RND, NULL, NULL, NULL);
    uint8_t *rgb = av_malloc((size_t)f->width * f->height * 3);
    uint8_t *dst[4] = {rgb};
    int stride[4] = {f->width * 3};

    sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst, stride);
    sws_freeContext(sws);
    return rgb;
}

static int compare_u8(const void *a, const void *b)
{
    return *(const uint8_t *)a - *(const uint8_t *)b;
}

/* Median and 90th percentile of the worst-channel difference over all pixels. */
static void rgb_error(const uint8_t *a, const uint8_t *b, int pixels, int *median, int *p90)
{
    uint8_t *worst = malloc(pixels);

    for (int i = 0; i < pixels; i++) {
        int m = 0;
        for (int c = 0; c < 3; c++) {
            int d = abs(a[3 * i + c] - b[3 * i + c]);
            m = d > m ? d : m;
        }
        worst[i] = (uint8_t)m;
    }
    qsort(worst, pixels, 1, compare_u8);
    *median = worst[pixels / 2];
    *p90 = worst[pixels * 9 / 10];
    free(worst);
}

/* Shows the first frame of name and returns the read-back error against the reference. */
static int show_and_measure(const char *name, void (*damage)(AVFrame *), int *median, int *p90)
{
    char path[4096];
    AVFrame *frame = av_frame_alloc();
    FPRender *r = NULL;
    uint8_t *shown = NULL, *ref = NULL;
    int w = 0, h = 0, ret;

    snprintf(path, sizeof(path), "%s/%s", assets, name);
    ret = test_decode_first_frame(path, frame);
    CHECK_EQ_INT(ret, 0);
    if (ret < 0)
        goto end;
    FPRenderOptions ro = {.title = name, .width = frame->width, .height = frame->height,
                          .sar = frame->sample_aspect_ratio};
    ret = fp_render_open(&r, &ro);
    CHECK_EQ_INT(ret, 0);
    if (ret < 0)
        goto end;
    ref = reference_rgb(frame);
    if (damage)
        damage(frame);
    CHECK_EQ_INT(fp_render_show(r, frame, (FPOrientation){0, 0}), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &shown, &w, &h), 0);
    /* The window opened at the picture's size, so the picture fills it without scaling. */
    CHECK_EQ_INT(w, frame->width);
    CHECK_EQ_INT(h, frame->height);
    if (!shown || w != frame->width || h != frame->height) {
        ret = -1;
        goto end;
    }
    rgb_error(shown, ref, w * h, median, p90);
    printf("  %s %s via %s: median %d, p90 %d\n", name, damage ? "(damaged)" : "",
           fp_render_driver(r), *median, *p90);
end:
    av_free(shown);
    av_free(ref);
    fp_render_close(&r);
    av_frame_free(&frame);
    return ret;
}

static void check_asset(const char *name)
{
    int median = 255, p90 = 255;

    if (show_and_measure(name, NULL, &median, &p90) < 0)
        return;
    CHECK(median <= 3);
    CHECK(p90 <= 12);
}

static void test_yuv420p_direct(void)
{
    check_asset("h264_framenum_320x240_25fps.mp4");
}

static void test_odd_size(void)
{
    check_asset("vp9_odd_321x241_25fps.webm");
}

static void test_10bit_through_swscale(void)
{
    check_asset("hevc_main10_320x240_25fps.mp4");
}

static void test_rgb_still_through_swscale(void)
{
    check_asset("still_testsrc2_200x150.png");
}

static void swap_chroma(AVFrame *f)
{
    uint8_t *u = f->data[1];

    f->data[1] = f->data[2];
    f->data[2] = u;
}

static void test_detects_wrong_picture(void)
{
    int median = 0, p90 = 0;

    if (show_and_measure("h264_framenum_320x240_25fps.mp4", swap_chroma, &median, &p90) < 0)
        return;
    CHECK(median > 3 || p90 > 12);
}

/* The overlay draws text in the top-left corner and leaves the rest of the picture alone. */
static void test_overlay(void)
{
    char path[4096];
    AVFrame *frame = av_frame_alloc();
    FPRender *r = NULL;
    uint8_t *plain = NULL, *with_text = NULL;
    int w = 0, h = 0, changed_corner = 0, changed_elsewhere = 0;

    snprintf(path, sizeof(path), "%s/h264_framenum_320x240_25fps.mp4", assets);
    CHECK_EQ_INT(test_decode_first_frame(path, frame), 0);
    FPRenderOptions ro = {.title = "overlay", .width = frame->width, .height = frame->height};
    CHECK_EQ_INT(fp_render_open(&r, &ro), 0);
    if (!r)
        goto end;
    CHECK_EQ_INT(fp_render_show(r, frame, (FPOrientation){0, 0}), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &plain, &w, &h), 0);
    CHECK_EQ_INT(fp_render_set_osd(r, &(FPOsd){.panel = "packets 3\nrefcount 2"}), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &with_text, &w, &h), 0);
    if (!plain || !with_text)
        goto end;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = ((size_t)y * w + x) * 3;
            int differs = memcmp(plain + i, with_text + i, 3) != 0;
            if (x < w / 3 && y < h / 4)
                changed_corner += differs;
            else if (x > w / 2 || y > h / 2)
                changed_elsewhere += differs;
        }
    printf("  overlay changed %d pixels in the corner, %d elsewhere\n", changed_corner,
           changed_elsewhere);
    CHECK(changed_corner > (w / 3) * (h / 4) / 4);
    CHECK_EQ_INT(changed_elsewhere, 0);
    /* Off again: the picture is back as it was. */
    av_freep(&with_text);
    CHECK_EQ_INT(fp_render_set_osd(r, NULL), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &with_text, &w, &h), 0);
    CHECK(with_text && !memcmp(plain, with_text, (size_t)w * h * 3));
end:
    av_free(plain);
    av_free(with_text);
    fp_render_close(&r);
    av_frame_free(&frame);
}

static void push_button(Uint32 type, int x, int y, Uint8 button)
{
    SDL_Event ev = {.button = {.type = type, .button = button, .x = x, .y = y, .clicks = 1,
                               .state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED}};
    SDL_PushEvent(&ev);
}

/*
 * The timeline: pinned, it darkens a band along the bottom and leaves the rest
 * alone; its playhead is white where the position says; a press and release
 * on it come back as FP_INPUT_TIMELINE at the place pressed; unpinned and
 * without the pointer near, it is not drawn.
 */
static void test_timeline(void)
{
    char path[4096];
    AVFrame *frame = av_frame_alloc();
    FPRender *r = NULL;
    uint8_t *plain = NULL, *drawn = NULL;
    int w = 0, h = 0, top_changed = 0, band_changed = 0, band_top = -1;
    FPOsdBar bars[100];
    FPOsdTimeline tl = {.bars = bars, .nb_bars = 100, .max_bytes = 1000, .generation = 1,
                        .position = 0.5, .kept_begin = 1, .kept_end = 0, .loop_a = -1,
                        .loop_b = -1, .pinned = 1};
    FPInput in;

    for (int i = 0; i < 100; i++)
        bars[i] = (FPOsdBar){.bytes = i % 10 ? 200 : 1000, .type = i % 10 ? 'P' : 'I',
                             .key = !(i % 10)};
    snprintf(path, sizeof(path), "%s/h264_framenum_320x240_25fps.mp4", assets);
    CHECK_EQ_INT(test_decode_first_frame(path, frame), 0);
    FPRenderOptions ro = {.title = "timeline", .width = frame->width, .height = frame->height};
    CHECK_EQ_INT(fp_render_open(&r, &ro), 0);
    if (!r)
        goto end;
    CHECK_EQ_INT(fp_render_show(r, frame, (FPOrientation){0, 0}), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &plain, &w, &h), 0);
    CHECK_EQ_INT(fp_render_set_osd(r, &(FPOsd){.timeline = &tl}), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &drawn, &w, &h), 0);
    if (!plain || !drawn)
        goto end;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = ((size_t)y * w + x) * 3;
            int differs = memcmp(plain + i, drawn + i, 3) != 0;
            if (y < h * 3 / 4)
                top_changed += differs;
            else
                band_changed += differs;
            if (differs && band_top < 0)
                band_top = y;
        }
    printf("  timeline: band from row %d of %d, %d pixels changed below 3/4, %d above\n", band_top,
           h, band_changed, top_changed);
    CHECK_EQ_INT(top_changed, 0);
    CHECK(band_top >= h * 3 / 4 && band_top < h - 20);
    {
        /* The playhead: white, in the middle of the track (the track spans the width less a
           margin on each side, so its middle is the window's). */
        size_t i = ((size_t)(h - 4) * w + w / 2) * 3;
        CHECK(drawn[i] > 240 && drawn[i + 1] > 240 && drawn[i + 2] > 240);
    }
    /* A click at a quarter of the track: press, then release, at about 0.25. */
    push_button(SDL_MOUSEBUTTONDOWN, w / 4, h - 8, SDL_BUTTON_LEFT);
    push_button(SDL_MOUSEBUTTONUP, w / 4, h - 8, SDL_BUTTON_LEFT);
    CHECK_EQ_INT(fp_render_poll(r, 0, &in), 1);
    CHECK_EQ_INT(in.type, FP_INPUT_TIMELINE);
    CHECK_EQ_INT(in.state, FP_POINTER_PRESS);
    CHECK_EQ_INT(in.button, 1);
    CHECK(fabs(in.position - 0.25) < 0.03);
    CHECK_EQ_INT(fp_render_poll(r, 0, &in), 1);
    CHECK_EQ_INT(in.state, FP_POINTER_RELEASE);
    /* A click above the band is not the timeline's. */
    push_button(SDL_MOUSEBUTTONDOWN, w / 4, h / 2, SDL_BUTTON_LEFT);
    CHECK_EQ_INT(fp_render_poll(r, 0, &in), 0);
    /* Unpinned: still shown for a while after the click on it, then not drawn. */
    tl.pinned = 0;
    av_freep(&drawn);
    CHECK_EQ_INT(fp_render_set_osd(r, &(FPOsd){.timeline = &tl}), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &drawn, &w, &h), 0);
    CHECK(drawn && memcmp(plain, drawn, (size_t)w * h * 3));
    av_freep(&drawn);
    SDL_Delay(1600);
    CHECK_EQ_INT(fp_render_poll(r, 0, &in), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &drawn, &w, &h), 0);
    CHECK(drawn && !memcmp(plain, drawn, (size_t)w * h * 3));
end:
    av_free(plain);
    av_free(drawn);
    fp_render_close(&r);
    av_frame_free(&frame);
}

/*
 * The loupe's pixel under the pointer: where each corner of the decoded
 * picture lands on screen for every rotation and mirror a display matrix
 * asks for, worked out by hand, must map back to that corner.
 */
static void test_loupe_pixel_at(void)
{
    AVFrame frame = {.width = 32, .height = 24};
    /* Source corners: top left, top right, bottom left, bottom right. */
    static const int src[4][2] = {{0, 0}, {31, 0}, {0, 23}, {31, 23}};
    static const struct {
        FPOrientation o;
        int at[4]; /* the display corner each source corner lands on: 0 TL, 1 TR, 2 BL, 3 BR */
    } cases[] = {
        {{0, 0}, {0, 1, 2, 3}},   {{90, 0}, {1, 3, 0, 2}},  {{180, 0}, {3, 2, 1, 0}},
        {{270, 0}, {2, 0, 3, 1}}, {{0, 1}, {1, 0, 3, 2}},   {{90, 1}, {3, 1, 2, 0}},
        {{180, 1}, {2, 3, 0, 1}}, {{270, 1}, {0, 2, 1, 3}},
    };

    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        FPOrientation o = cases[c].o;
        int w = o.rotation % 180 ? 24 * 10 : 32 * 10, h = o.rotation % 180 ? 32 * 10 : 24 * 10;
        FPLoupeView v = {.frame = &frame, .orientation = o, .box = {100, 50, w, h}};
        int x, y;

        for (int k = 0; k < 4; k++) {
            int corner = cases[c].at[k];
            int px = 100 + (corner & 1 ? w - 1 : 0), py = 50 + (corner & 2 ? h - 1 : 0);
            CHECK_EQ_INT(fp_loupe_pixel_at(&v, px, py, &x, &y), 1);
            if (x != src[k][0] || y != src[k][1])
                printf("  rotation %d flip %d: display corner %d is pixel %d,%d, not %d,%d\n",
                       o.rotation, o.hflip, corner, x, y, src[k][0], src[k][1]);
            CHECK(x == src[k][0] && y == src[k][1]);
        }
        CHECK_EQ_INT(fp_loupe_pixel_at(&v, 99, 50, &x, &y), 0); /* the letterbox */
        CHECK_EQ_INT(fp_loupe_pixel_at(&v, 100, 50 + h, &x, &y), 0);
    }
}

/*
 * On the software renderer the window draws the picture straight from the
 * frame, so it keeps one reference to the frame on screen (av_frame_ref: the
 * buffer is shared, never copied), for redraws. It lets go of it when the next
 * frame comes, and at close; the caller's own reference is never touched.
 */
static void test_window_keeps_one_reference(void)
{
    char path[4096];
    AVFrame *a = av_frame_alloc(), *b = av_frame_alloc();
    FPRender *r = NULL;
    uint8_t *first = NULL, *again = NULL;
    int w = 0, h = 0;

    snprintf(path, sizeof(path), "%s/h264_framenum_320x240_25fps.mp4", assets);
    CHECK(a && b);
    if (!a || !b || test_decode_first_frame(path, a) < 0)
        goto end;
    /* b: a picture of its own, the same pixels in another buffer */
    b->format = a->format;
    b->width = a->width;
    b->height = a->height;
    CHECK_EQ_INT(av_frame_get_buffer(b, 0), 0);
    CHECK_EQ_INT(av_frame_copy(b, a), 0);
    CHECK_EQ_INT(av_frame_copy_props(b, a), 0);
    FPRenderOptions ro = {.title = "refs", .width = a->width, .height = a->height,
                          .sar = a->sample_aspect_ratio};
    CHECK_EQ_INT(fp_render_open(&r, &ro), 0);
    if (!r)
        goto end;
    if (strcmp(fp_render_driver(r), "software")) {
        printf("  renderer %s: it copies pictures into a texture and keeps none\n",
               fp_render_driver(r));
        goto end;
    }
    CHECK_EQ_INT(av_buffer_get_ref_count(a->buf[0]), 1);
    CHECK_EQ_INT(fp_render_show(r, a, (FPOrientation){0, 0}), 0);
    CHECK_EQ_INT(av_buffer_get_ref_count(a->buf[0]), 2); /* the caller's and the window's */
    CHECK_EQ_INT(fp_render_read_pixels(r, &first, &w, &h), 0);
    /* A redraw draws the kept reference again, the same picture. */
    CHECK_EQ_INT(fp_render_redraw(r), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &again, &w, &h), 0);
    CHECK(first && again && !memcmp(first, again, (size_t)w * h * 3));
    CHECK_EQ_INT(fp_render_show(r, b, (FPOrientation){0, 0}), 0);
    CHECK_EQ_INT(av_buffer_get_ref_count(a->buf[0]), 1); /* let go for the next frame */
    CHECK_EQ_INT(av_buffer_get_ref_count(b->buf[0]), 2);
    fp_render_close(&r);
    CHECK_EQ_INT(av_buffer_get_ref_count(b->buf[0]), 1); /* and at close */
end:
    av_free(first);
    av_free(again);
    fp_render_close(&r);
    av_frame_free(&a);
    av_frame_free(&b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_render ASSETS_DIR\n");
        return 2;
    }
    assets = argv[1];
    RUN_TEST(test_yuv420p_direct);
    RUN_TEST(test_odd_size);
    RUN_TEST(test_10bit_through_swscale);
    RUN_TEST(test_rgb_still_through_swscale);
    RUN_TEST(test_detects_wrong_picture);
    RUN_TEST(test_overlay);
    RUN_TEST(test_timeline);
    RUN_TEST(test_loupe_pixel_at);
    RUN_TEST(test_window_keeps_one_reference);
    SDL_Quit();
    return CHECK_EXIT();
}
