/*
 * Internal: the few AVFrame fields whose spelling changed across the FFmpeg
 * releases framepipe builds with (Debian 12's 5.1 up to 7.x), so that no
 * build sees a deprecation warning.
 */
#ifndef FRAMEPIPE_SRC_COMPAT_H
#define FRAMEPIPE_SRC_COMPAT_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/version.h>

/* AVFrame.duration replaced pkt_duration in libavutil 57.30 (FFmpeg 6.0). */
static inline int64_t fp_frame_duration(const AVFrame *f)
{
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
    return f->duration;
#else
    return f->pkt_duration;
#endif
}

/* AV_FRAME_FLAG_KEY replaced key_frame in libavutil 58.7 (FFmpeg 6.1). */
static inline int fp_frame_is_key(const AVFrame *f)
{
#ifdef AV_FRAME_FLAG_KEY
    return !!(f->flags & AV_FRAME_FLAG_KEY);
#else
    return f->key_frame;
#endif
}

/* AV_FRAME_FLAG_INTERLACED and _TOP_FIELD_FIRST replaced two fields in libavutil 58.7. */
static inline int fp_frame_interlaced(const AVFrame *f)
{
#ifdef AV_FRAME_FLAG_INTERLACED
    return !!(f->flags & AV_FRAME_FLAG_INTERLACED);
#else
    return f->interlaced_frame;
#endif
}

static inline int fp_frame_top_field_first(const AVFrame *f)
{
#ifdef AV_FRAME_FLAG_TOP_FIELD_FIRST
    return !!(f->flags & AV_FRAME_FLAG_TOP_FIELD_FIRST);
#else
    return f->top_field_first;
#endif
}

/*
 * The byte position and size of the packet a frame came from: deprecated in
 * libavutil 58.29 (FFmpeg 6.1), and gone where FF_API_FRAME_PKT is 0; -1 then.
 */
#if defined(FF_API_FRAME_PKT) && !FF_API_FRAME_PKT
static inline int64_t fp_frame_pkt_pos(const AVFrame *f) { (void)f; return -1; }
static inline int64_t fp_frame_pkt_size(const AVFrame *f) { (void)f; return -1; }
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline int64_t fp_frame_pkt_pos(const AVFrame *f) { return f->pkt_pos; }
static inline int64_t fp_frame_pkt_size(const AVFrame *f) { return f->pkt_size > 0 ? f->pkt_size : -1; }
#pragma GCC diagnostic pop
#endif

/* Stream side data moved into AVCodecParameters in libavformat 60.15 (FFmpeg 6.1). */
static inline const uint8_t *fp_stream_side_data(const AVStream *st, enum AVPacketSideDataType type,
                                                 size_t *size)
{
#if LIBAVFORMAT_VERSION_INT >= AV_VERSION_INT(60, 15, 100)
    const AVPacketSideData *sd = av_packet_side_data_get(st->codecpar->coded_side_data,
                                                         st->codecpar->nb_coded_side_data, type);
    *size = sd ? sd->size : 0;
    return sd ? sd->data : NULL;
#else
    return av_stream_get_side_data(st, type, size);
#endif
}

/*
 * A get_buffer2 of one's own must be thread-safe since FFmpeg 5.0. Until
 * libavcodec 60 (FFmpeg 6.0) frame threading still asks, through a deprecated
 * field, and warns on every open when it is not set.
 */
static inline void fp_codec_callbacks_thread_safe(AVCodecContext *avctx)
{
#if LIBAVCODEC_VERSION_MAJOR < 60
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    avctx->thread_safe_callbacks = 1;
#pragma GCC diagnostic pop
#else
    (void)avctx;
#endif
}

#endif /* FRAMEPIPE_SRC_COMPAT_H */
