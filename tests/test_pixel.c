/*
 * The pixel probe (src/output/pixel.c).
 *
 * Code values: for each asset of tests/ref/pixel/, the first frame's 20 pixels
 * there (corners, odd coordinates, the last row and column) must read as the
 * ffmpeg CLI's raw bytes of that frame say (tests/ref/make-pixel-refs.sh): 8- and
 * 10-bit, 4:2:0 (also at an odd size), 4:2:2, 4:4:4, 4:1:0, NV12, bgr0, pal8 and
 * rgba. P010 is made from the 10-bit 4:2:0 frame and must read the same values.
 *
 * Displayed RGB: the probe converts only a region around the pixel. Its rgb
 * must equal the whole frame converted to RGB24, at every pixel of the edges
 * and of a grid; and that conversion must be the program's own screenshot
 * (fp_screenshot_png, read back), exactly for 8-bit pictures, within one level
 * of its 16-bit values for deeper ones.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/frame.h>
#include <libavutil/intreadwrite.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "check.h"
#include "picture.h"
#include "pixel.h"
#include "screenshot.h"
#include "testutil.h"

static const char *assets, *refs;

static const char *const ref_assets[] = {
    "h264_framenum_320x240_25fps.mp4", "vp9_odd_321x241_25fps.webm", "pic_jpeg_640x480.jpg",
    "hevc_main10_320x240_25fps.mp4",   "pic_yuv422p_320x240.mkv",    "pic_yuv422p10_320x240.mkv",
    "pic_yuv444p10_640x480.mkv",       "pic_yuv410p_320x240.mkv",    "pic_nv12_320x240.nut",
    "pic_rgb_odd_321x241.mkv",         "pic_pal8_320x240.png",       "pic_alpha_320x240.apng",
};

static int decode(const char *asset, AVFrame *frame)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", assets, asset);
    return test_decode_first_frame(path, frame);
}

/* One reference pixel: x, y and up to 5 values (pal8: the index and R, G, B, A). */
typedef struct RefPixel {
    int x, y, n;
    unsigned v[5];
} RefPixel;

/* Reads tests/ref/pixel/<asset>.txt; returns the number of pixels, or -1. */
static int read_refs(const char *asset, char *fmt, size_t fmt_size, int *w, int *h, RefPixel *px,
                     int max)
{
    char path[4200], line[256];
    int n = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/pixel/%s.txt", refs, asset);
    f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(line, sizeof(line), f) || sscanf(line, "fmt %31s %d %d", fmt, w, h) != 3) {
        fclose(f);
        return -1;
    }
    fmt[fmt_size - 1] = '\0';
    while (n < max && fgets(line, sizeof(line), f)) {
        char *at = line, *end;
        RefPixel *p = &px[n];

        p->x = (int)strtol(at, &end, 10);
        p->y = (int)strtol(end, &at, 10);
        for (p->n = 0; p->n < 5; p->n++) {
            p->v[p->n] = (unsigned)strtoul(at, &end, 10);
            if (end == at)
                break;
            at = end;
        }
        n++;
    }
    fclose(f);
    return n;
}

static void check_values(const char *asset, const AVFrame *frame)
{
    char fmt[32];
    RefPixel px[32];
    int w = 0, h = 0, n = read_refs(asset, fmt, sizeof(fmt), &w, &h, px, 32), wrong = 0;

    CHECK_EQ_INT(n, 20);
    CHECK(!strcmp(fmt, av_get_pix_fmt_name(frame->format)));
    CHECK_EQ_INT(w, frame->width);
    CHECK_EQ_INT(h, frame->height);
    for (int i = 0; i < n; i++) {
        FPPixel p;
        int ret = fp_pixel_probe(frame, px[i].x, px[i].y, &p);

        CHECK_EQ_INT(ret, 0);
        if (ret < 0)
            continue;
        CHECK(!strcmp(p.format_name, fmt));
        if (p.paletted) {
            CHECK_EQ_INT(px[i].n, 5);
            wrong += p.values[0] != px[i].v[0];
            for (int c = 0; c < 4; c++)
                wrong += p.palette_rgba[c] != px[i].v[c + 1];
            continue;
        }
        CHECK_EQ_INT(p.nb_components, px[i].n);
        for (int c = 0; c < p.nb_components && c < px[i].n; c++) {
            if (p.values[c] != px[i].v[c]) {
                fprintf(stderr, "%s (%d, %d) %s: %u, ffmpeg %u\n", asset, px[i].x, px[i].y,
                        p.names[c], (unsigned)p.values[c], px[i].v[c]);
                wrong++;
            }
        }
    }
    CHECK_EQ_INT(wrong, 0);
}

/* frame converted whole to RGB24 as the screenshot converts it (screenshot.c's convert()). */
static AVFrame *whole_rgb24(const AVFrame *frame)
{
    AVFrame *rgb = av_frame_alloc();
    struct SwsContext *sws = sws_getContext(
        frame->width, frame->height, frame->format, frame->width, frame->height, AV_PIX_FMT_RGB24,
        SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, NULL, NULL, NULL);

    rgb->format = AV_PIX_FMT_RGB24;
    rgb->width = frame->width;
    rgb->height = frame->height;
    if (!sws || av_frame_get_buffer(rgb, 0) < 0) {
        av_frame_free(&rgb);
    } else {
        fp_sws_set_colorspace(sws, frame);
        sws_scale(sws, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height,
                  rgb->data, rgb->linesize);
    }
    sws_freeContext(sws);
    return rgb;
}

/* The program's screenshot of frame (upright), read back from its PNG. */
static AVFrame *screenshot(const AVFrame *frame)
{
    char path[] = "/tmp/test_pixel_XXXXXX";
    FPOrientation upright = {0, 0};
    AVFrame *shot = av_frame_alloc();
    int fd = mkstemp(path);

    CHECK(fd >= 0);
    if (fd < 0)
        return shot;
    close(fd);
    CHECK_EQ_INT(fp_screenshot_png(frame, upright, path), 0);
    CHECK_EQ_INT(test_decode_first_frame(path, shot), 0);
    unlink(path);
    return shot;
}

/* The largest difference between the 8-bit conversion and the screenshot, channel by channel. */
static int screenshot_difference(const AVFrame *rgb, const AVFrame *shot)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(shot->format);
    int worst = 0, deep = desc->comp[0].depth > 8;
    int step = desc->comp[0].step; /* RGB24 3, RGBA 4, RGB48BE 6, RGBA64BE 8 */

    for (int y = 0; y < rgb->height; y++) {
        for (int x = 0; x < rgb->width; x++) {
            for (int c = 0; c < 3; c++) {
                const uint8_t *s = shot->data[0] + (size_t)y * shot->linesize[0] + x * step;
                int want = rgb->data[0][(size_t)y * rgb->linesize[0] + 3 * x + c];
                /* 16 bits, big-endian, to 8: the nearest of 0..255 */
                int got = deep ? ((s[2 * c] << 8 | s[2 * c + 1]) + 128) / 257 : s[c];

                worst = FFMAX(worst, abs(want - got));
            }
        }
    }
    return worst;
}

static int check_rgb_at(const AVFrame *frame, const AVFrame *rgb, int x, int y)
{
    const uint8_t *want = rgb->data[0] + (size_t)y * rgb->linesize[0] + 3 * x;
    FPPixel p = {0};

    if (fp_pixel_probe(frame, x, y, &p) < 0 || memcmp(p.rgb, want, 3)) {
        fprintf(stderr, "%s (%d, %d): rgb %d,%d,%d, whole frame %d,%d,%d\n",
                av_get_pix_fmt_name(frame->format), x, y, p.rgb[0], p.rgb[1], p.rgb[2], want[0],
                want[1], want[2]);
        return 1;
    }
    return 0;
}

/* frame converted to format at width x height (P010 from 10-bit 4:2:0 only moves bits). */
static AVFrame *converted(const AVFrame *frame, enum AVPixelFormat format, int width, int height)
{
    AVFrame *out = av_frame_alloc();
    struct SwsContext *sws = sws_getContext(frame->width, frame->height, frame->format, width,
                                            height, format, SWS_POINT, NULL, NULL, NULL);

    out->format = format;
    out->width = width;
    out->height = height;
    if (!sws || av_frame_get_buffer(out, 0) < 0 || av_frame_copy_props(out, frame) < 0 ||
        sws_scale_frame(sws, out, frame) < 0)
        av_frame_free(&out);
    sws_freeContext(sws);
    return out;
}

/* Whether to probe (x, y) of a w x h picture: the edges, a grid, and the region's start. */
static int chosen(int x, int y, int w, int h, int costly)
{
    int edge = x < 2 || x >= w - 2 || y < 2 || y >= h - 2;

    /* A probe of a picture odd along both axes converts all of it: fewer on the edges. */
    if (costly && edge)
        return (x % 8 == 0 || x >= w - 2) && (y % 8 == 0 || y >= h - 2);
    return edge || (x % 17 == 0 && y % 13 == 0) || ((x % 64 == 16 || x % 64 == 17) && y % 8 == 0);
}

static void check_rgb(const char *what, const AVFrame *frame)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(frame->format);
    AVFrame *rgb = whole_rgb24(frame), *shot = screenshot(frame);
    int w = frame->width, h = frame->height, wrong = 0, probes = 0;
    int costly = w % (1 << desc->log2_chroma_w) && h % (1 << desc->log2_chroma_h);

    CHECK(rgb != NULL);
    CHECK(shot->width == w && shot->height == h);
    if (!rgb || shot->width != w || shot->height != h)
        goto end;
    /* Deeper pictures' screenshots keep 16 bits: their rounding to 8 may differ by one. */
    if (av_pix_fmt_desc_get(shot->format)->comp[0].depth > 8)
        CHECK(screenshot_difference(rgb, shot) <= 1);
    else
        CHECK_EQ_INT(screenshot_difference(rgb, shot), 0);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            if (chosen(x, y, w, h, costly)) {
                wrong += check_rgb_at(frame, rgb, x, y);
                probes++;
            }
        }
    }
    printf("  %-34s %s %dx%d: rgb of %d pixels checked\n", what, av_get_pix_fmt_name(frame->format),
           w, h, probes);
    CHECK_EQ_INT(wrong, 0);
end:
    av_frame_free(&shot);
    av_frame_free(&rgb);
}

static void test_assets(void)
{
    for (size_t i = 0; i < sizeof(ref_assets) / sizeof(ref_assets[0]); i++) {
        AVFrame *frame = av_frame_alloc();

        CHECK_EQ_INT(decode(ref_assets[i], frame), 0);
        if (frame->width > 0) {
            check_values(ref_assets[i], frame);
            check_rgb(ref_assets[i], frame);
        }
        av_frame_free(&frame);
    }
}

/*
 * Sizes that are not a multiple of the chroma subsampling along one axis, where the probe's
 * region must span that whole axis, made from an 8-bit 4:2:0 frame.
 */
static void test_odd_sizes(void)
{
    const struct {
        enum AVPixelFormat format;
        int width, height;
    } cases[] = {{AV_PIX_FMT_YUV420P, 321, 240}, {AV_PIX_FMT_YUV420P, 320, 241},
                 {AV_PIX_FMT_NV12, 323, 242},    {AV_PIX_FMT_YUV410P, 322, 240},
                 {AV_PIX_FMT_YUV410P, 320, 242}, {AV_PIX_FMT_YUV422P10LE, 321, 241}};
    AVFrame *frame = av_frame_alloc();

    CHECK_EQ_INT(decode("h264_framenum_320x240_25fps.mp4", frame), 0);
    for (size_t i = 0; frame->width > 0 && i < sizeof(cases) / sizeof(cases[0]); i++) {
        AVFrame *odd = converted(frame, cases[i].format, cases[i].width, cases[i].height);

        CHECK(odd != NULL);
        if (odd)
            check_rgb("(made from h264_framenum)", odd);
        av_frame_free(&odd);
    }
    av_frame_free(&frame);
}

static void test_p010(void)
{
    AVFrame *frame = av_frame_alloc(), *p010 = NULL;
    const int points[][2] = {{0, 0}, {319, 239}, {1, 1}, {318, 1}, {161, 119}, {3, 238}};

    CHECK_EQ_INT(decode("hevc_main10_320x240_25fps.mp4", frame), 0);
    CHECK_EQ_INT(frame->format, AV_PIX_FMT_YUV420P10LE);
    p010 = converted(frame, AV_PIX_FMT_P010LE, frame->width, frame->height);
    CHECK(p010 != NULL);
    for (size_t i = 0; p010 && i < sizeof(points) / sizeof(points[0]); i++) {
        FPPixel planar, semi;

        CHECK_EQ_INT(fp_pixel_probe(frame, points[i][0], points[i][1], &planar), 0);
        CHECK_EQ_INT(fp_pixel_probe(p010, points[i][0], points[i][1], &semi), 0);
        CHECK(!strcmp(semi.format_name, "p010le"));
        CHECK_EQ_INT(semi.depth, 10);
        CHECK(semi.log2_chroma_w == 1 && semi.log2_chroma_h == 1);
        CHECK_EQ_INT(semi.nb_components, 3);
        for (int c = 0; c < 3; c++)
            CHECK_EQ_INT(semi.values[c], planar.values[c]);
        CHECK(semi.values[0] <= 1023);
    }
    av_frame_free(&p010);
    av_frame_free(&frame);
}

/* A picture of the given format whose every byte is seed plus its offset in the plane. */
static AVFrame *synthetic(enum AVPixelFormat format, int w, int h)
{
    AVFrame *frame = av_frame_alloc();

    frame->format = format;
    frame->width = w;
    frame->height = h;
    if (av_frame_get_buffer(frame, 0) < 0) {
        av_frame_free(&frame);
        return NULL;
    }
    for (int p = 0; p < 4 && frame->buf[p]; p++)
        for (size_t i = 0; i < frame->buf[p]->size; i++)
            frame->buf[p]->data[i] = (uint8_t)(i * 7 + p);
    return frame;
}

static void test_grey_and_alpha(void)
{
    AVFrame *grey = synthetic(AV_PIX_FMT_GRAY10LE, 33, 17);
    AVFrame *ya = synthetic(AV_PIX_FMT_YA8, 33, 17);
    AVFrame *yuva = synthetic(AV_PIX_FMT_YUVA420P, 34, 18);
    FPPixel p;

    CHECK(grey && ya && yuva);
    if (!grey || !ya || !yuva)
        goto end;
    /* gray10le: one 16-bit little-endian word a pixel, 10 bits of it */
    AV_WL16(grey->data[0] + 5 * grey->linesize[0] + 2 * 31, 0x03A5);
    CHECK_EQ_INT(fp_pixel_probe(grey, 31, 5, &p), 0);
    CHECK(p.nb_components == 1 && !strcmp(p.names[0], "Y") && p.depth == 10);
    CHECK_EQ_INT(p.values[0], 0x3A5);
    CHECK(p.rgb[0] == p.rgb[1] && p.rgb[1] == p.rgb[2]);

    ya->data[0][16 * ya->linesize[0] + 2 * 32] = 200;
    ya->data[0][16 * ya->linesize[0] + 2 * 32 + 1] = 77;
    CHECK_EQ_INT(fp_pixel_probe(ya, 32, 16, &p), 0);
    CHECK(p.nb_components == 2 && !strcmp(p.names[0], "Y") && !strcmp(p.names[1], "A"));
    CHECK(p.values[0] == 200 && p.values[1] == 77);

    yuva->data[0][3 * yuva->linesize[0] + 5] = 10;
    yuva->data[1][1 * yuva->linesize[1] + 2] = 20;
    yuva->data[2][1 * yuva->linesize[2] + 2] = 30;
    yuva->data[3][3 * yuva->linesize[3] + 5] = 40;
    CHECK_EQ_INT(fp_pixel_probe(yuva, 5, 3, &p), 0);
    CHECK(p.nb_components == 4 && !strcmp(p.names[3], "A"));
    CHECK(p.values[0] == 10 && p.values[1] == 20 && p.values[2] == 30 && p.values[3] == 40);
end:
    av_frame_free(&grey);
    av_frame_free(&ya);
    av_frame_free(&yuva);
}

static void test_refusals(void)
{
    AVFrame *frame = av_frame_alloc(), *mono = synthetic(AV_PIX_FMT_MONOWHITE, 16, 16);
    AVFrame *hw = av_frame_alloc();
    uint8_t dummy[16] = {0};
    FPPixel p;

    CHECK_EQ_INT(decode("pic_rgb_odd_321x241.mkv", frame), 0);
    CHECK_EQ_INT(fp_pixel_probe(frame, 320, 240, &p), 0);
    CHECK_EQ_INT(fp_pixel_probe(frame, 321, 0, &p), AVERROR(EINVAL));
    CHECK_EQ_INT(fp_pixel_probe(frame, 0, 241, &p), AVERROR(EINVAL));
    CHECK_EQ_INT(fp_pixel_probe(frame, -1, 0, &p), AVERROR(EINVAL));
    CHECK_EQ_INT(fp_pixel_probe(frame, 0, -1, &p), AVERROR(EINVAL));
    CHECK(mono != NULL);
    if (mono)
        CHECK_EQ_INT(fp_pixel_probe(mono, 0, 0, &p), AVERROR(ENOSYS));
    /* A hardware frame: its data is a surface handle, not pixels. */
    hw->format = AV_PIX_FMT_VAAPI;
    hw->width = hw->height = 16;
    hw->data[0] = hw->data[3] = dummy;
    CHECK_EQ_INT(fp_pixel_probe(hw, 0, 0, &p), AVERROR(ENOSYS));
    hw->data[0] = hw->data[3] = NULL; /* not ours to free */
    av_frame_free(&hw);
    av_frame_free(&mono);
    av_frame_free(&frame);
}

static void test_format_line(void)
{
    FPPixel yuv = {.x = 10,
                   .y = 20,
                   .format_name = "yuv420p10le",
                   .depth = 10,
                   .log2_chroma_w = 1,
                   .log2_chroma_h = 1,
                   .nb_components = 3,
                   .names = {"Y", "U", "V"},
                   .values = {512, 498, 530},
                   .rgb = {120, 118, 121}};
    FPPixel pal = {.x = 0,
                   .y = 0,
                   .format_name = "pal8",
                   .depth = 8,
                   .nb_components = 1,
                   .names = {"index"},
                   .values = {37},
                   .paletted = 1,
                   .palette_rgba = {255, 0, 0, 255},
                   .rgb = {255, 0, 0}};
    const char *yuv_want = "x=10 y=20 fmt=yuv420p10le depth=10 chroma=1,1 Y=512 U=498 V=530 "
                           "rgb=120,118,121";
    const char *want = yuv_want;
    char line[256], small[16];

    CHECK_EQ_INT(fp_pixel_format(&yuv, line, sizeof(line)), strlen(want));
    CHECK(!strcmp(line, want));
    want = "x=0 y=0 fmt=pal8 depth=8 chroma=0,0 index=37 rgba=255,0,0,255 rgb=255,0,0";
    CHECK_EQ_INT(fp_pixel_format(&pal, line, sizeof(line)), strlen(want));
    CHECK(!strcmp(line, want));
    want = yuv_want;
    CHECK_EQ_INT(fp_pixel_format(&yuv, small, sizeof(small)), AVERROR(ENOSPC));
    CHECK(!strcmp(small, "x=10 y=20 fmt=y"));
    CHECK_EQ_INT(fp_pixel_format(&yuv, line, strlen(want)), AVERROR(ENOSPC));
    CHECK_EQ_INT(fp_pixel_format(&yuv, line, strlen(want) + 1), strlen(want));
}

/* A probed pixel, formatted: what a `pixel X Y` command would print. */
static void test_probe_line(void)
{
    AVFrame *frame = av_frame_alloc();
    char line[256];
    FPPixel p;

    CHECK_EQ_INT(decode("pic_alpha_320x240.apng", frame), 0);
    CHECK_EQ_INT(fp_pixel_probe(frame, 0, 239, &p), 0);
    CHECK(fp_pixel_format(&p, line, sizeof(line)) > 0);
    printf("  %s\n", line);
    CHECK(!strncmp(line, "x=0 y=239 fmt=rgba depth=8 chroma=0,0 R=", 40));
    CHECK(strstr(line, " A=0 rgb=") != NULL);
    av_frame_free(&frame);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s ASSETS_DIR REFS_DIR\n", argv[0]);
        return 2;
    }
    assets = argv[1];
    refs = argv[2];
    av_log_set_level(AV_LOG_ERROR); /* swscale warns of a yuvj format at every context */
    RUN_TEST(test_assets);
    RUN_TEST(test_odd_sizes);
    RUN_TEST(test_p010);
    RUN_TEST(test_grey_and_alpha);
    RUN_TEST(test_refusals);
    RUN_TEST(test_format_line);
    RUN_TEST(test_probe_line);
    return CHECK_EXIT();
}
