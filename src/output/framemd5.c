#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <libavutil/imgutils.h>
#include <libavutil/mathematics.h>
#include <libavutil/md5.h>
#include <libavutil/mem.h>

#include "compat.h"
#include "framemd5.h"

typedef struct FPFrameMD5 {
    FPVideoSink sink;
    FILE *out;
    AVRational stream_tb;
    AVRational out_tb; /* what ffmpeg gives its rawvideo encoder: 1 / frame rate */
    int64_t start;     /* the input's start time in stream_tb, subtracted as ffmpeg does */
    int64_t frames;
} FPFrameMD5;

int fp_frame_md5(const AVFrame *frame, char hex[33], int *size)
{
    uint8_t digest[16];
    uint8_t *packed;
    int packed_size;
    int ret;

    packed_size = av_image_get_buffer_size(frame->format, frame->width, frame->height, 1);
    if (packed_size < 0)
        return packed_size;
    packed = av_malloc(packed_size);
    if (!packed)
        return AVERROR(ENOMEM);
    ret = av_image_copy_to_buffer(packed, packed_size, (const uint8_t *const *)frame->data,
                                  frame->linesize, frame->format, frame->width, frame->height, 1);
    if (ret >= 0) {
        av_md5_sum(digest, packed, packed_size);
        for (int i = 0; i < 16; i++)
            snprintf(hex + 2 * i, 3, "%02x", digest[i]);
        if (size)
            *size = packed_size;
        ret = 0;
    }
    av_free(packed);
    return ret;
}

static int framemd5_open(FPVideoSink *s, const FPVideoFormat *fmt)
{
    FPFrameMD5 *h = s->priv;
    AVRational rate = fmt->frame_rate;

    h->stream_tb = fmt->time_base;
    h->out_tb = rate.num > 0 && rate.den > 0 ? av_inv_q(rate) : fmt->time_base;
    h->start = fmt->start_time == AV_NOPTS_VALUE
                   ? 0
                   : av_rescale_q(fmt->start_time, AV_TIME_BASE_Q, fmt->time_base);
    h->frames = 0;
    return 0;
}

static void write_header(FPFrameMD5 *h, const AVFrame *frame)
{
    AVRational sar = frame->sample_aspect_ratio;

    if (!sar.num || !sar.den)
        sar = (AVRational){0, 1};
    fprintf(h->out,
            "#format: frame checksums\n"
            "#version: 2\n"
            "#hash: MD5\n"
            "#software: framepipe " FP_VERSION "\n"
            "#tb 0: %d/%d\n"
            "#media_type 0: video\n"
            "#codec_id 0: rawvideo\n"
            "#dimensions 0: %dx%d\n"
            "#sar 0: %d/%d\n"
            "#stream#, dts,        pts, duration,     size, hash\n",
            h->out_tb.num, h->out_tb.den, frame->width, frame->height, sar.num, sar.den);
}

static int framemd5_show(FPVideoSink *s, const AVFrame *frame, FPOrientation o)
{
    FPFrameMD5 *h = s->priv;
    char hex[33];
    int size;
    int64_t pts = frame->best_effort_timestamp;
    int64_t duration;
    int ret;

    ret = fp_frame_md5(frame, hex, &size);
    if (ret < 0)
        return ret;
    if (!h->frames++)
        write_header(h, frame);
    pts = pts == AV_NOPTS_VALUE ? h->frames - 1
                                : av_rescale_q(pts - h->start, h->stream_tb, h->out_tb);
    duration = av_rescale_q(fp_frame_duration(frame), h->stream_tb, h->out_tb);
    if (duration <= 0)
        duration = 1;
    fprintf(h->out, "0, %10" PRId64 ", %10" PRId64 ", %8" PRId64 ", %8d, %s\n", pts, pts, duration,
            size, hex);
    (void)o; /* hashed as decoded, as ffmpeg -noautorotate does */
    /* A full disk or a closed pipe ends the run at once, rather than losing lines unsaid. */
    errno = 0;
    if (fflush(h->out) || ferror(h->out))
        return AVERROR(errno ? errno : EIO); /* ENOSPC, EPIPE: say which */
    return 0;
}

int fp_framemd5_sink_alloc(FPVideoSink **out, FILE *file)
{
    FPFrameMD5 *h = av_mallocz(sizeof(*h));

    *out = NULL;
    if (!h)
        return AVERROR(ENOMEM);
    h->out = file;
    h->sink = (FPVideoSink){
        .name = "framemd5",
        .priv = h,
        .open = framemd5_open,
        .show = framemd5_show,
    };
    *out = &h->sink;
    return 0;
}

void fp_framemd5_sink_free(FPVideoSink **s)
{
    if (*s)
        av_free((*s)->priv);
    *s = NULL;
}
