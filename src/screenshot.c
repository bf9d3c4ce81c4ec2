#include <errno.h>
#include <stdio.h>

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

static int convert(const AVFrame *src, AVFrame *dst)
{
    struct SwsContext *sws;
    int ret;

    dst->format = png_format_for(src->format);
    dst->width = src->width;
    dst->height = src->height;
    ret = av_frame_get_buffer(dst, 0);
    if (ret < 0)
        return ret;
    sws = sws_getContext(src->width, src->height, src->format, dst->width, dst->height,
                         dst->format, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, NULL,
                         NULL, NULL);
    if (!sws)
        return AVERROR(ENOSYS);
    sws_scale(sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height, dst->data,
              dst->linesize);
    sws_freeContext(sws);
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

int fp_screenshot_png(const AVFrame *frame, const char *path)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    AVCodecContext *enc = NULL;
    AVFrame *rgb = av_frame_alloc();
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
    av_frame_free(&rgb);
    avcodec_free_context(&enc);
    return ret;
}
