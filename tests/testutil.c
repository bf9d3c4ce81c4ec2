#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "testutil.h"

static int decode_first(const char *path, AVFrame *frame, FPOrientation *o)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    const AVCodec *codec;
    AVPacket *pkt = av_packet_alloc();
    int index, ret;

    ret = avformat_open_input(&fmt, path, NULL, NULL);
    if (ret < 0)
        goto end;
    ret = avformat_find_stream_info(fmt, NULL);
    if (ret < 0)
        goto end;
    index = ret = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (ret < 0)
        goto end;
    codec = avcodec_find_decoder(fmt->streams[index]->codecpar->codec_id);
    dec = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(dec, fmt->streams[index]->codecpar);
    ret = avcodec_open2(dec, codec, NULL);
    if (ret < 0)
        goto end;
    for (;;) {
        ret = avcodec_receive_frame(dec, frame);
        if (ret >= 0) {
            frame->sample_aspect_ratio =
                av_guess_sample_aspect_ratio(fmt, fmt->streams[index], frame);
            if (o)
                *o = fp_stream_orientation(fmt->streams[index]);
        }
        if (ret != AVERROR(EAGAIN))
            break;
        ret = av_read_frame(fmt, pkt);
        if (ret < 0) {
            avcodec_send_packet(dec, NULL);
            continue;
        }
        if (pkt->stream_index == index)
            avcodec_send_packet(dec, pkt);
        av_packet_unref(pkt);
    }
end:
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return ret;
}

int test_decode_first_frame(const char *path, AVFrame *frame)
{
    return decode_first(path, frame, NULL);
}

int test_decode_first_picture(const char *path, AVFrame *frame, FPOrientation *o)
{
    return decode_first(path, frame, o);
}
