#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "screenshot.h"

/* The PNG pixel format that keeps what the frame has: alpha, and depth above 8 bits. */
static enum AVPixelFormat png_format_for(enum AVPixelFormat format)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(format);
    int alpha = desc && (desc->flags & AV_PIX_FMT_FLAG_ALPHA);
    int deep = desc && desc->comp[0].depth > 8;

    if (alpha)
        return deep ? AV_PIX_FMT_RGBA64BE : AV_PIX_FMT_RGBA;
    return deep ? AV_PIX_FMT_RGB48BE : AV_PIX_FMT_RGB24;
}

/* Converts src to RGB at its display size (sample aspect ratio applied, rotation not yet). */
static int convert(const AVFrame *src, AVFrame *dst)
{
    struct SwsContext *sws;
    FPOrientation upright = {0, 0};
    int ret;

    dst->format = png_format_for(src->format);
    fp_display_size(src->width, src->height, src->sample_aspect_ratio, upright, &dst->width,
                    &dst->height);
    ret = av_frame_get_buffer(dst, 0);
    if (ret < 0)
        return ret;
    sws = fp_sws_for_screenshot(src, src->width, src->height, dst->width, dst->height,
                                dst->format);
    if (!sws)
        return AVERROR(ENOSYS);
    sws_scale(sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height, dst->data,
              dst->linesize);
    sws_freeContext(sws);
    return 0;
}

/* dst = src mirrored (if o.hflip) and then turned o.rotation degrees clockwise; packed pixels. */
static int orient(const AVFrame *src, AVFrame *dst, FPOrientation o)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(src->format);
    int bpp = av_get_bits_per_pixel(desc) / 8;
    int ret;

    dst->format = src->format;
    dst->width = o.rotation % 180 ? src->height : src->width;
    dst->height = o.rotation % 180 ? src->width : src->height;
    ret = av_frame_get_buffer(dst, 0);
    if (ret < 0)
        return ret;
    for (int y = 0; y < src->height; y++) {
        for (int x = 0; x < src->width; x++) {
            int sx = o.hflip ? src->width - 1 - x : x; /* the mirrored picture's (x, y) */
            int dx, dy;

            switch (o.rotation) {
            case 90:
                dx = src->height - 1 - y;
                dy = x;
                break;
            case 180:
                dx = src->width - 1 - x;
                dy = src->height - 1 - y;
                break;
            case 270:
                dx = y;
                dy = src->width - 1 - x;
                break;
            default:
                dx = x;
                dy = y;
            }
            memcpy(dst->data[0] + (size_t)dy * dst->linesize[0] + (size_t)dx * bpp,
                   src->data[0] + (size_t)y * src->linesize[0] + (size_t)sx * bpp, bpp);
        }
    }
    return 0;
}

static int write_file(const char *path, const AVPacket *pkt)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (!f)
        return AVERROR(errno);
    ok = fwrite(pkt->data, 1, pkt->size, f) == (size_t)pkt->size;
    ok = !fclose(f) && ok;
    return ok ? 0 : AVERROR(EIO);
}

int fp_screenshot_png(const AVFrame *frame, FPOrientation o, const char *path)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    AVCodecContext *enc = NULL;
    AVFrame *rgb = av_frame_alloc();
    AVFrame *turned = NULL;
    AVPacket *pkt = av_packet_alloc();
    int ret;

    if (!codec) {
        ret = AVERROR_ENCODER_NOT_FOUND;
        goto end;
    }
    enc = avcodec_alloc_context3(codec);
    if (!enc || !rgb || !pkt) {
        ret = AVERROR(ENOMEM);
        goto end;
    }
    ret = convert(frame, rgb);
    if (ret < 0)
        goto end;
    if (o.rotation || o.hflip) {
        turned = av_frame_alloc();
        ret = turned ? orient(rgb, turned, o) : AVERROR(ENOMEM);
        if (ret < 0)
            goto end;
        av_frame_unref(rgb);
        av_frame_move_ref(rgb, turned);
    }
    enc->width = rgb->width;
    enc->height = rgb->height;
    enc->pix_fmt = rgb->format;
    enc->time_base = (AVRational){1, 25};
    ret = avcodec_open2(enc, codec, NULL);
    if (ret < 0)
        goto end;
    ret = avcodec_send_frame(enc, rgb);
    if (ret >= 0)
        ret = avcodec_receive_packet(enc, pkt);
    if (ret >= 0)
        ret = write_file(path, pkt);
end:
    av_packet_free(&pkt);
    av_frame_free(&turned);
    av_frame_free(&rgb);
    avcodec_free_context(&enc);
    return ret;
}
