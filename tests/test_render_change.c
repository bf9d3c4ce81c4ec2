/*
 * A stream whose picture changes size and pixel format mid-way, through the
 * real SDL render path (offscreen in CTest). One renderer shows every frame
 * of the stream in turn, as the player does; after each change it must show
 * exactly what a fresh renderer, one that never saw another picture, shows
 * for the same frame: the same pixels, bit for bit. A texture kept from the
 * previous size or format, or a picture only partly replaced, cannot pass.
 *
 * h264_sizechange_fmtchange.h264: 12 frames 320x240 yuv420p (SDL converts
 * them), 12 frames 176x144 yuv420p (letterboxed in the 320x240 window), 12
 * frames 320x240 yuv444p (libswscale converts them).
 */
#include <string.h>

#include <SDL.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>

#include "check.h"
#include "render_sdl.h"

#define MAX_FRAMES 64

static const char *assets;

/* Decodes every frame of path into frames[], in presentation order; returns how many. */
static int decode_all(const char *path, AVFrame **frames, int max)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    const AVCodec *codec;
    int count = 0, index, ret;

    ret = avformat_open_input(&fmt, path, NULL, NULL);
    if (ret >= 0)
        ret = avformat_find_stream_info(fmt, NULL);
    if (ret >= 0)
        ret = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (ret < 0)
        goto end;
    index = ret;
    dec = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(dec, fmt->streams[index]->codecpar);
    ret = avcodec_open2(dec, codec, NULL);
    while (ret >= 0 && count < max) {
        AVFrame *f = av_frame_alloc();

        ret = avcodec_receive_frame(dec, f);
        if (ret >= 0) {
            frames[count++] = f;
            continue;
        }
        av_frame_free(&f);
        if (ret != AVERROR(EAGAIN))
            break;
        ret = av_read_frame(fmt, pkt);
        if (ret < 0) {
            ret = avcodec_send_packet(dec, NULL);
            continue;
        }
        if (pkt->stream_index == index)
            ret = avcodec_send_packet(dec, pkt);
        av_packet_unref(pkt);
    }
end:
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return count;
}

static FPRender *open_render(int width, int height)
{
    FPRenderOptions ro = {.title = "change", .width = width, .height = height,
                          .sar = (AVRational){1, 1}};
    FPRender *r = NULL;

    CHECK_EQ_INT(fp_render_open(&r, &ro), 0);
    return r;
}

/* What a renderer that shows only f puts in a width x height window. */
static uint8_t *fresh_pixels(const AVFrame *f, int width, int height)
{
    FPRender *r = open_render(width, height);
    uint8_t *rgb = NULL;
    int w, h;

    if (!r)
        return NULL;
    CHECK_EQ_INT(fp_render_show(r, f, (FPOrientation){0, 0}), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &rgb, &w, &h), 0);
    CHECK(w == width && h == height);
    fp_render_close(&r);
    return rgb;
}

static void test_changes_show_as_fresh(void)
{
    char path[4096];
    AVFrame *frames[MAX_FRAMES] = {NULL};
    FPRender *r = NULL;
    int count, width, height, changes = 0, compared = 0;

    snprintf(path, sizeof(path), "%s/h264_sizechange_fmtchange.h264", assets);
    count = decode_all(path, frames, MAX_FRAMES);
    CHECK_EQ_INT(count, 36);
    if (count < 36)
        goto end;
    width = frames[0]->width;
    height = frames[0]->height;
    r = open_render(width, height);
    if (!r)
        goto end;
    /*
     * Forward through both changes, then back across them, as back-steps do:
     * each frame at a change, and the one after it, is compared.
     */
    static const int order[] = {0, 10, 11, 12, 13, 23, 24, 25, 35, 24, 23, 12, 11, 0};
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const AVFrame *f = frames[order[i]];
        const AVFrame *before = i ? frames[order[i - 1]] : NULL;
        uint8_t *shown = NULL, *fresh;
        int w, h;

        if (before && (before->width != f->width || before->format != f->format))
            changes++;
        CHECK_EQ_INT(fp_render_show(r, f, (FPOrientation){0, 0}), 0);
        CHECK_EQ_INT(fp_render_read_pixels(r, &shown, &w, &h), 0);
        fresh = fresh_pixels(f, width, height);
        if (shown && fresh && w == width && h == height) {
            int same = !memcmp(shown, fresh, (size_t)w * h * 3);
            if (!same)
                fprintf(stderr, "  frame %d (%dx%d %s) differs from a fresh renderer's\n",
                        order[i], f->width, f->height, av_get_pix_fmt_name(f->format));
            CHECK(same);
            compared++;
        }
        av_free(shown);
        av_free(fresh);
    }
    printf("  %d frames compared across %d changes of size or format\n", compared, changes);
    CHECK_EQ_INT(changes, 4);
end:
    fp_render_close(&r);
    for (int i = 0; i < MAX_FRAMES; i++)
        av_frame_free(&frames[i]);
}

/* The comparison can fail: two different frames of the same size do not read back alike. */
static void test_detects_a_stale_picture(void)
{
    char path[4096];
    AVFrame *frames[MAX_FRAMES] = {NULL};
    FPRender *r = NULL;
    uint8_t *shown = NULL, *fresh = NULL;
    int count, w = 0, h = 0;

    snprintf(path, sizeof(path), "%s/h264_sizechange_fmtchange.h264", assets);
    count = decode_all(path, frames, MAX_FRAMES);
    CHECK(count > 12);
    if (count <= 12)
        goto end;
    r = open_render(frames[0]->width, frames[0]->height);
    if (!r)
        goto end;
    CHECK_EQ_INT(fp_render_show(r, frames[0], (FPOrientation){0, 0}), 0);
    CHECK_EQ_INT(fp_render_read_pixels(r, &shown, &w, &h), 0);
    fresh = fresh_pixels(frames[5], frames[0]->width, frames[0]->height);
    CHECK(shown && fresh && memcmp(shown, fresh, (size_t)w * h * 3) != 0);
end:
    av_free(shown);
    av_free(fresh);
    fp_render_close(&r);
    for (int i = 0; i < MAX_FRAMES; i++)
        av_frame_free(&frames[i]);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_render_change ASSETS_DIR\n");
        return 2;
    }
    assets = argv[1];
    RUN_TEST(test_changes_show_as_fresh);
    RUN_TEST(test_detects_a_stale_picture);
    SDL_Quit();
    return CHECK_EXIT();
}
