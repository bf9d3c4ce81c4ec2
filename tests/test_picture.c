/*
 * Picture correctness: each pic_* asset's first frame goes through the real
 * SDL render path (SDL_VIDEODRIVER=offscreen), is read back, and is compared
 * with tests/ref/picture/<asset>.png, which FFmpeg itself made from the same
 * frame (its own colour conversion with in_color_matrix/in_range=auto, the
 * sample aspect ratio applied, autorotate on, alpha over black).
 *
 * Pass: the picture's aspect ratio is within 1 % of the reference's, and the
 * median of the worst channel's error over the saturated pixels (see
 * median_error) is at most 3 levels. The references are colour bars and test
 * patterns with large saturated areas, where a wrong matrix or range moves
 * most pixels by far more than 3: test_detects_wrong_matrix and
 * test_detects_wrong_range force one on a frame and require the comparison to
 * fail (the medians they measure are printed).
 *
 * With --compare SHOT REF it compares a screenshot of a real window instead
 * (tests/check_window_picture.sh), by the same rule.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <libavutil/frame.h>
#include <libavutil/mem.h>
#include <libswscale/swscale.h>

#include "check.h"
#include "picture.h"
#include "render_sdl.h"
#include "testutil.h"

static const char *assets, *refs;

/* ref (an RGB24 frame) scaled to width x height as packed RGB24. */
static uint8_t *scaled_rgb(const AVFrame *ref, int width, int height)
{
    struct SwsContext *sws = sws_getContext(ref->width, ref->height, ref->format, width, height,
                                            AV_PIX_FMT_RGB24, SWS_BICUBIC | SWS_ACCURATE_RND,
                                            NULL, NULL, NULL);
    uint8_t *rgb = av_malloc((size_t)width * height * 3);
    uint8_t *dst[4] = {rgb};
    int stride[4] = {width * 3};

    sws_scale(sws, (const uint8_t *const *)ref->data, ref->linesize, 0, ref->height, dst, stride);
    sws_freeContext(sws);
    return rgb;
}

static int compare_u8(const void *a, const void *b)
{
    return *(const uint8_t *)a - *(const uint8_t *)b;
}

/*
 * Median worst-channel error between a width x height rectangle of shot
 * (stride) and ref, over the reference's saturated pixels (max - min of its
 * channels at least SATURATED): grey areas look the same whatever the matrix,
 * so they would hide a wrong one. Pictures with few saturated pixels are
 * judged on all of them.
 */
#define SATURATED 48

static int median_error(const uint8_t *shot, int stride, const uint8_t *ref, int width, int height)
{
    size_t total = (size_t)width * height, n_all = 0, n_sat = 0;
    uint8_t *all = malloc(total), *sat = malloc(total);
    int median;

    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
            const uint8_t *a = shot + (size_t)y * stride + 3 * x;
            const uint8_t *b = ref + ((size_t)y * width + x) * 3;
            int worst = 0, lo = 255, hi = 0;

            for (int c = 0; c < 3; c++) {
                worst = FFMAX(worst, abs(a[c] - b[c]));
                lo = FFMIN(lo, b[c]);
                hi = FFMAX(hi, b[c]);
            }
            all[n_all++] = (uint8_t)worst;
            if (hi - lo >= SATURATED)
                sat[n_sat++] = (uint8_t)worst;
        }
    }
    if (n_sat < total / 20) {
        qsort(all, n_all, 1, compare_u8);
        median = all[n_all / 2];
    } else {
        qsort(sat, n_sat, 1, compare_u8);
        median = sat[n_sat / 2];
    }
    free(all);
    free(sat);
    return median;
}

/* Compares the rectangle (x, y, w, h) of shot with the reference PNG; returns the median error. */
static int compare_with_ref(const uint8_t *shot, int stride, int x, int y, int w, int h,
                            const char *ref_path, double *aspect_error)
{
    AVFrame *ref = av_frame_alloc();
    uint8_t *scaled;
    int median = 255;

    CHECK_EQ_INT(test_decode_first_frame(ref_path, ref), 0);
    if (ref->width > 0 && w > 0 && h > 0) {
        double want = (double)ref->width / ref->height, got = (double)w / h;

        *aspect_error = fabs(got / want - 1);
        scaled = scaled_rgb(ref, w, h);
        median = median_error(shot + (size_t)y * stride + 3 * x, stride, scaled, w, h);
        av_free(scaled);
    }
    av_frame_free(&ref);
    return median;
}

/* Shows asset's first frame (changed by tamper if given) and returns the median error. */
static int show_and_compare(const char *asset, void (*tamper)(AVFrame *), double *aspect_error)
{
    char path[4096], ref_path[4096];
    AVFrame *frame = av_frame_alloc();
    FPOrientation o = {0, 0};
    FPRender *r = NULL;
    uint8_t *shot = NULL;
    int w, h, x, y, pw, ph, median = 255;

    snprintf(path, sizeof(path), "%s/%s", assets, asset);
    snprintf(ref_path, sizeof(ref_path), "%s/%s.png", refs, asset);
    CHECK_EQ_INT(test_decode_first_picture(path, frame, &o), 0);
    FPRenderOptions ro = {.title = asset, .width = frame->width, .height = frame->height,
                          .sar = frame->sample_aspect_ratio, .orientation = o};
    if (frame->width <= 0 || fp_render_open(&r, &ro) < 0) {
        CHECK(!"could not decode or open the window");
        goto end;
    }
    if (tamper)
        tamper(frame);
    CHECK_EQ_INT(fp_render_show(r, frame, fp_frame_orientation(frame, o)), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &shot, &w, &h), 0);
    fp_render_picture_rect(r, &x, &y, &pw, &ph);
    if (shot)
        median = compare_with_ref(shot, w * 3, x, y, pw, ph, ref_path, aspect_error);
    printf("  %-36s %s %dx%d in %dx%d: median error %d, aspect off by %.2f %%\n", asset,
           tamper ? "(tampered)" : "", pw, ph, w, h, median, *aspect_error * 100);
end:
    av_free(shot);
    fp_render_close(&r);
    av_frame_free(&frame);
    return median;
}

static void check_asset(const char *asset)
{
    double aspect_error = 1;
    int median = show_and_compare(asset, NULL, &aspect_error);

    CHECK(median <= 3);
    CHECK(aspect_error <= 0.01);
}

static void test_bt709_hd(void) { check_asset("pic_bt709_1280x720.mp4"); }
static void test_bt601_sd(void) { check_asset("pic_bt601_640x480.mp4"); }
static void test_untagged_hd_is_bt709(void) { check_asset("pic_untagged_hd_1280x720.mp4"); }
static void test_full_range_bt709(void) { check_asset("pic_fullrange_bt709_1280x720.mkv"); }
static void test_jpeg_full_range(void) { check_asset("pic_jpeg_640x480.jpg"); }
static void test_yuv444p10(void) { check_asset("pic_yuv444p10_640x480.mkv"); }
static void test_anamorphic(void) { check_asset("pic_anamorphic_720x576.mkv"); }
static void test_rotated(void) { check_asset("pic_rotated90_320x240.mp4"); }
static void test_rgb_odd_size(void) { check_asset("pic_rgb_odd_321x241.mkv"); }
static void test_paletted(void) { check_asset("pic_pal8_320x240.png"); }
static void test_gif(void) { check_asset("pic_pal8_320x240.gif"); }
static void test_alpha_over_black(void) { check_asset("pic_alpha_320x240.apng"); }
static void test_yuv422p(void) { check_asset("pic_yuv422p_320x240.mkv"); }
static void test_yuv411p(void) { check_asset("pic_yuv411p_320x240.mkv"); }
static void test_yuv410p(void) { check_asset("pic_yuv410p_320x240.mkv"); }
static void test_nv12_direct(void) { check_asset("pic_nv12_320x240.nut"); }
static void test_avif_sequence(void) { check_asset("pic_avif_320x240.avif"); }

static void as_bt601(AVFrame *f)
{
    f->colorspace = AVCOL_SPC_BT470BG;
}

static void as_limited(AVFrame *f)
{
    f->color_range = AVCOL_RANGE_MPEG;
    if (f->format == AV_PIX_FMT_YUVJ420P) /* the same layout; the j only says "full range" */
        f->format = AV_PIX_FMT_YUV420P;
}

/*
 * P010 (10 bits in the high bits of 16, interleaved chroma) comes only from
 * hardware decoders, and no container here stores it raw. The 10-bit 4:4:4
 * clip's frame is converted to it, tags kept, and shown like any decoded frame.
 */
static void as_p010(AVFrame *f)
{
    AVFrame *p010 = av_frame_alloc();
    struct SwsContext *sws = sws_getContext(f->width, f->height, f->format, f->width, f->height,
                                            AV_PIX_FMT_P010LE, SWS_POINT, NULL, NULL, NULL);

    p010->format = AV_PIX_FMT_P010LE;
    p010->width = f->width;
    p010->height = f->height;
    if (!sws || av_frame_get_buffer(p010, 0) < 0 || av_frame_copy_props(p010, f) < 0 ||
        sws_scale_frame(sws, p010, f) < 0) {
        CHECK(!"could not convert to P010");
    } else {
        av_frame_unref(f);
        av_frame_move_ref(f, p010); /* f now holds the P010 picture's only reference */
    }
    av_frame_free(&p010);
    sws_freeContext(sws);
}

static void test_p010(void)
{
    double aspect_error = 1;
    int median = show_and_compare("pic_yuv444p10_640x480.mkv", as_p010, &aspect_error);

    CHECK(median <= 3);
    CHECK(aspect_error <= 0.01);
}

static void test_detects_wrong_matrix(void)
{
    double aspect_error;

    CHECK(show_and_compare("pic_bt709_1280x720.mp4", as_bt601, &aspect_error) > 3);
}

static void test_detects_wrong_range(void)
{
    double aspect_error;

    CHECK(show_and_compare("pic_fullrange_bt709_1280x720.mkv", as_limited, &aspect_error) > 3);
}

static int compare_files(const char *shot_path, const char *ref_path)
{
    AVFrame *shot = av_frame_alloc();
    double aspect_error = 1;
    int median = 255;

    CHECK_EQ_INT(test_decode_first_frame(shot_path, shot), 0);
    if (shot->format == AV_PIX_FMT_RGB24) {
        median = compare_with_ref(shot->data[0], shot->linesize[0], 0, 0, shot->width,
                                  shot->height, ref_path, &aspect_error);
    } else {
        /* Grabs come as RGBA or the like: bring them to packed RGB24 first. */
        uint8_t *rgb = scaled_rgb(shot, shot->width, shot->height);
        median = compare_with_ref(rgb, shot->width * 3, 0, 0, shot->width, shot->height,
                                  ref_path, &aspect_error);
        av_free(rgb);
    }
    printf("  %s: %dx%d, median error %d, aspect off by %.2f %%\n", shot_path, shot->width,
           shot->height, median, aspect_error * 100);
    CHECK(median <= 3);
    CHECK(aspect_error <= 0.01);
    av_frame_free(&shot);
    return CHECK_EXIT();
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--compare"))
        return compare_files(argv[2], argv[3]);
    if (argc != 3) {
        fprintf(stderr, "usage: test_picture ASSETS_DIR REF_DIR | --compare SHOT.png REF.png\n");
        return 2;
    }
    assets = argv[1];
    refs = argv[2];
    RUN_TEST(test_bt709_hd);
    RUN_TEST(test_bt601_sd);
    RUN_TEST(test_untagged_hd_is_bt709);
    RUN_TEST(test_full_range_bt709);
    RUN_TEST(test_jpeg_full_range);
    RUN_TEST(test_yuv444p10);
    RUN_TEST(test_anamorphic);
    RUN_TEST(test_rotated);
    RUN_TEST(test_rgb_odd_size);
    RUN_TEST(test_paletted);
    RUN_TEST(test_gif);
    RUN_TEST(test_alpha_over_black);
    RUN_TEST(test_yuv422p);
    RUN_TEST(test_yuv411p);
    RUN_TEST(test_yuv410p);
    RUN_TEST(test_nv12_direct);
    RUN_TEST(test_avif_sequence);
    RUN_TEST(test_p010);
    RUN_TEST(test_detects_wrong_matrix);
    RUN_TEST(test_detects_wrong_range);
    SDL_Quit();
    return CHECK_EXIT();
}
