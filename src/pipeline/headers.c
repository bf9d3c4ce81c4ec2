#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libavformat/avformat.h>
#include <libavutil/bprint.h>
#include <libavutil/mem.h>

#include "demux.h"
#include "headers.h"
#include "size_watch.h"

/*
 * Where reading starts: at the keyframe's time where the container can find
 * it (MP4, Matroska: their byte seeks land inside elements), at its byte in
 * formats whose clocks may jump (MPEG-TS, -PS) or that have none (raw
 * streams), else where the input begins.
 */
static void seek_to_key(AVFormatContext *fmt, const FPHeadersQuery *q)
{
    int by_time = q->key_ts != AV_NOPTS_VALUE && !(fmt->iformat->flags & AVFMT_TS_DISCONT);

    if (by_time && av_seek_frame(fmt, q->stream_index, q->key_ts, AVSEEK_FLAG_BACKWARD) >= 0)
        return;
    if (q->key_pos >= 0 && !(fmt->iformat->flags & AVFMT_NO_BYTE_SEEK))
        av_seek_frame(fmt, -1, q->key_pos, AVSEEK_FLAG_BYTE);
}

/* Through the filter, its log captured into out. */
static void trace(AVBSFContext *bsf, AVPacket *pkt, AVBPrint *out)
{
    int ret;

    fp_log_capture_begin(bsf, out);
    ret = av_bsf_send_packet(bsf, pkt); /* takes pkt's reference; pkt is blank after */
    while (ret >= 0 && (ret = av_bsf_receive_packet(bsf, pkt)) >= 0)
        av_packet_unref(pkt);
    fp_log_capture_end();
    av_packet_unref(pkt); /* what a refused send left */
}

int fp_headers_read(const char *path, const FPHeadersQuery *q, char **text)
{
    const AVBitStreamFilter *filter = av_bsf_get_by_name("trace_headers");
    int max = q->max_packets > 0 ? q->max_packets : 10000, found = 0, ret;
    AVFormatContext *fmt = NULL;
    AVBSFContext *bsf = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVBPrint out, one;
    AVStream *st;

    *text = NULL;
    av_bprint_init(&out, 0, AV_BPRINT_SIZE_UNLIMITED);
    av_bprint_init(&one, 0, AV_BPRINT_SIZE_UNLIMITED);
    fp_size_watch_install();
    ret = !pkt ? AVERROR(ENOMEM) : !filter ? AVERROR(ENOSYS) : 0;
    if (ret >= 0)
        ret = avformat_open_input(&fmt, path, NULL, NULL);
    if (ret >= 0)
        ret = fp_demux_find_stream_info(fmt, 0);
    if (ret >= 0 && (q->stream_index < 0 || q->stream_index >= (int)fmt->nb_streams))
        ret = AVERROR(EINVAL);
    if (ret < 0)
        goto end;
    st = fmt->streams[q->stream_index];
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        if ((int)i != q->stream_index)
            fmt->streams[i]->discard = AVDISCARD_ALL;
    ret = av_bsf_alloc(filter, &bsf);
    if (ret >= 0)
        ret = avcodec_parameters_copy(bsf->par_in, st->codecpar);
    if (ret < 0)
        goto end;
    bsf->time_base_in = st->time_base;
    fp_log_capture_begin(bsf, &one);
    ret = av_bsf_init(bsf); /* reads and logs the extradata's parameter sets */
    fp_log_capture_end();
    if (ret < 0) {
        ret = AVERROR(ENOSYS); /* no coded bitstream reader for the codec */
        goto end;
    }
    if (one.len)
        av_bprintf(&out, "extradata\n%s", one.str);
    seek_to_key(fmt, q);
    while (max-- > 0 && (ret = av_read_frame(fmt, pkt)) >= 0) {
        int target = q->pos >= 0 ? pkt->pos == q->pos : pkt->pts == q->pts;

        if (pkt->stream_index != q->stream_index) {
            av_packet_unref(pkt);
            continue;
        }
        av_bprint_clear(&one);
        trace(bsf, pkt, &one);
        if (target) {
            av_bprintf(&out, "packet\n%s", one.str);
            found = 1;
            break;
        }
    }
    ret = found ? 0 : ret == AVERROR_EOF || ret >= 0 ? AVERROR(ENOENT) : ret;
    if (ret >= 0 && !av_bprint_is_complete(&out))
        ret = AVERROR(ENOMEM);
    if (ret >= 0)
        ret = av_bprint_finalize(&out, text);
end:
    if (!*text)
        av_bprint_finalize(&out, NULL);
    av_bprint_finalize(&one, NULL);
    av_bsf_free(&bsf);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    return ret;
}
