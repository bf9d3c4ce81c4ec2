/*
 * count_frames FILE: libframepipe's two queues between three threads. The reader puts what
 * av_read_frame() returns into an FPPacketQueue, the decoder takes packets out and puts the
 * frames it decodes into an FPFrameQueue, and main() takes the frames out and counts them. Each
 * put moves the reference in; each get moves it out, to the caller.
 */
#include <pthread.h>
#include <stdio.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <framepipe/frame_queue.h>
#include <framepipe/packet_queue.h>

typedef struct Pipe {
    AVFormatContext *fmt;
    AVCodecContext *dec;
    int stream;
    FPPacketQueue *packets;
    FPFrameQueue *frames;
} Pipe;

static void *read_packets(void *arg)
{
    Pipe *p = arg;
    AVPacket *pkt = av_packet_alloc();

    while (pkt && av_read_frame(p->fmt, pkt) >= 0)
        if (pkt->stream_index != p->stream || fp_packet_queue_put(p->packets, pkt) < 0)
            av_packet_unref(pkt); /* not queued: still ours */
    av_packet_free(&pkt);
    fp_packet_queue_put_eof(p->packets);
    return NULL;
}

static void *decode_frames(void *arg)
{
    Pipe *p = arg;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int end = !pkt || !frame;

    while (!end) {
        end = fp_packet_queue_get(p->packets, pkt, NULL, -1) < 0; /* the end, or an abort */
        avcodec_send_packet(p->dec, end ? NULL : pkt); /* NULL drains the decoder */
        av_packet_unref(pkt);
        while (avcodec_receive_frame(p->dec, frame) >= 0)
            if (fp_frame_queue_put(p->frames, frame, 0) < 0)
                av_frame_unref(frame);
    }
    av_packet_free(&pkt);
    av_frame_free(&frame);
    fp_frame_queue_put_eof(p->frames, 0);
    return NULL;
}

int main(int argc, char **argv)
{
    Pipe p = {0};
    const AVCodec *codec = NULL;
    AVFrame *frame = av_frame_alloc();
    pthread_t reader, decoder;
    long count = 0;

    if (argc != 2 || !frame || avformat_open_input(&p.fmt, argv[1], NULL, NULL) < 0 ||
        avformat_find_stream_info(p.fmt, NULL) < 0)
        return 1;
    p.stream = av_find_best_stream(p.fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    p.dec = codec ? avcodec_alloc_context3(codec) : NULL;
    if (p.stream < 0 || !p.dec ||
        avcodec_parameters_to_context(p.dec, p.fmt->streams[p.stream]->codecpar) < 0 ||
        avcodec_open2(p.dec, codec, NULL) < 0 ||
        fp_packet_queue_alloc(&p.packets, 64, 8 << 20) < 0 ||
        fp_frame_queue_alloc(&p.frames, 4) < 0)
        return 1;
    pthread_create(&reader, NULL, read_packets, &p);
    pthread_create(&decoder, NULL, decode_frames, &p);
    while (fp_frame_queue_get(p.frames, frame, NULL, -1) == 0) { /* until the end marker */
        count++;
        av_frame_unref(frame);
    }
    pthread_join(reader, NULL);
    pthread_join(decoder, NULL);
    printf("%s: %ld frames\n", argv[1], count);
    fp_frame_queue_free(&p.frames);
    fp_packet_queue_free(&p.packets);
    av_frame_free(&frame);
    avcodec_free_context(&p.dec);
    avformat_close_input(&p.fmt);
    return 0;
}
