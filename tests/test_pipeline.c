/*
 * The pipeline room alone: the reader and decoder threads and the two queues,
 * linked against framepipe_pipeline only (libav*, no SDL, nothing above it),
 * decode an asset bit for bit as the ffmpeg CLI does. That it links at all is
 * the wall between the pipeline and the rest; that the frames match is the
 * pipeline's own promise. The headers worker, which the inspector asks while
 * the picture plays, answers what a fresh reading of the input answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/md5.h>
#include <libavutil/mem.h>

#include "framepipe/frame_queue.h"
#include "framepipe/packet_queue.h"
#include "check.h"
#include "decode.h"
#include "demux.h"
#include "headers.h"

#define MAX_FRAMES 256
#define MAX_PACKETS 512

/* The MD5 of the picture packed at alignment 1, as ffmpeg's rawvideo encoder packs it. */
static int picture_md5(const AVFrame *f, char hex[33])
{
    int size = av_image_get_buffer_size(f->format, f->width, f->height, 1);
    uint8_t *packed = size > 0 ? av_malloc(size) : NULL, digest[16];

    if (!packed)
        return -1;
    av_image_copy_to_buffer(packed, size, (const uint8_t *const *)f->data, f->linesize,
                            f->format, f->width, f->height, 1);
    av_md5_sum(digest, packed, size);
    av_free(packed);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return 0;
}

static int read_ref(const char *path, char md5[][33], int max)
{
    char line[256];
    FILE *f = fopen(path, "r");
    int n = 0;

    while (f && fgets(line, sizeof(line), f) && n < max) {
        char *last = strrchr(line, ',');
        if (line[0] != '#' && last && sscanf(last + 1, " %32s", md5[n]) == 1)
            n++;
    }
    if (f)
        fclose(f);
    return n;
}

static void decode_all(const char *media, const char *ref)
{
    static char want[MAX_FRAMES][33];
    FPDemuxOptions o = {0};
    FPDemux *demux = NULL;
    FPDecoder *dec = NULL;
    FPPacketQueue *pq = NULL;
    FPFrameQueue *fq = NULL;
    AVFrame *frame = av_frame_alloc();
    int nb_want = read_ref(ref, want, MAX_FRAMES), n = 0, serial, ret;
    char got[33];

    CHECK(nb_want > 0);
    CHECK_EQ_INT(fp_demux_open(&demux, media, &o), 0);
    CHECK(demux && fp_demux_video_stream(demux));
    if (!demux || !frame || !fp_demux_video_stream(demux))
        goto end;
    CHECK_EQ_INT(fp_decoder_open(&dec, fp_demux_video_stream(demux), 0, 0), 0);
    CHECK_EQ_INT(fp_packet_queue_alloc(&pq, 16, 1 << 20), 0);
    CHECK_EQ_INT(fp_frame_queue_alloc(&fq, 3), 0);
    if (!dec || !pq || !fq)
        goto end;
    CHECK_EQ_INT(fp_demux_start(demux, pq, NULL), 0);
    CHECK_EQ_INT(fp_decoder_start(dec, pq, fq), 0);
    while ((ret = fp_frame_queue_get(fq, frame, &serial, -1)) == 0) {
        /* The queue handed its reference over: the frame is ours until we unref it. */
        CHECK(frame->buf[0] != NULL);
        CHECK_EQ_INT(picture_md5(frame, got), 0);
        if (n < nb_want && strcmp(got, want[n]))
            fprintf(stderr, "  frame %d: %s, ffmpeg %s\n", n, got, want[n]);
        CHECK(n < nb_want && !strcmp(got, want[n]));
        av_frame_unref(frame);
        n++;
    }
    CHECK_EQ_INT(ret, AVERROR_EOF);
    CHECK_EQ_INT(n, nb_want);
    printf("  %s: %d frames\n", media, n);
end:
    if (demux)
        fp_demux_abort(demux);
    if (pq)
        fp_packet_queue_abort(pq);
    if (fq)
        fp_frame_queue_abort(fq);
    fp_demux_free(&demux); /* joins the reader */
    fp_decoder_free(&dec); /* joins the decoder */
    fp_frame_queue_free(&fq);
    fp_packet_queue_free(&pq);
    av_frame_free(&frame);
}

/* A packet of the video stream as the demuxer gives it, with its GOP's keyframe. */
typedef struct Packet {
    int64_t pos, pts, key_pos, key_ts;
} Packet;

static int by_pts(const void *a, const void *b)
{
    const Packet *x = a, *y = b;

    return (x->pts > y->pts) - (x->pts < y->pts);
}

/* The video stream's packets in display order; returns how many, or -1. */
static int list_packets(const char *media, int *stream, Packet *out, int max)
{
    AVFormatContext *fmt = NULL;
    AVPacket *pkt = av_packet_alloc();
    int64_t key_pos = -1, key_ts = AV_NOPTS_VALUE;
    int n = 0;

    if (!pkt || avformat_open_input(&fmt, media, NULL, NULL) < 0 ||
        avformat_find_stream_info(fmt, NULL) < 0 ||
        (*stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0)) < 0) {
        avformat_close_input(&fmt);
        av_packet_free(&pkt);
        return -1;
    }
    while (n < max && av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == *stream && pkt->pts != AV_NOPTS_VALUE) {
            if (pkt->flags & AV_PKT_FLAG_KEY) {
                key_pos = pkt->pos;
                key_ts = pkt->pts;
            }
            out[n++] = (Packet){pkt->pos, pkt->pts, key_pos, key_ts};
        }
        av_packet_unref(pkt);
    }
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    qsort(out, n, sizeof(*out), by_pts);
    return n;
}

/* Waits up to 10 s for the worker's next answer; 0 when it came. */
static int wait_answer(FPHeadersWorker *w, int64_t *tag, int *err, char **text)
{
    for (int i = 0; i < 10000; i++) {
        if (fp_headers_worker_take(w, tag, err, text))
            return 0;
        sleep_us(1000);
    }
    return -1;
}

/*
 * The headers worker answers, frame after frame in display order (reading on
 * through the B-frames and back to their references) and then jumping back,
 * exactly what fp_headers_read() reads anew for each; its answers are handed
 * over (the caller frees them, a second take finds nothing); a question put
 * before the last one was begun is superseded; closing with a question out
 * neither hangs nor leaks.
 */
static void headers_worker(const char *media)
{
    static Packet pk[MAX_PACKETS];
    FPHeadersWorker *w = NULL;
    int stream = -1, n = list_packets(media, &stream, pk, MAX_PACKETS), same = 0, err;
    int order[MAX_PACKETS + 4], asked = 0;
    int64_t tag;
    char *want, *got;

    CHECK(n > 10);
    if (n <= 10)
        return;
    for (int i = 0; i < n; i++)
        order[asked++] = i;
    order[asked++] = 0;     /* back to the start */
    order[asked++] = n / 2; /* into the middle */
    order[asked++] = n - 1;
    order[asked++] = n / 3; /* back again */
    CHECK_EQ_INT(fp_headers_worker_open(&w, media, stream), 0);
    if (!w)
        return;
    for (int k = 0; k < asked; k++) {
        const Packet *p = &pk[order[k]];
        FPHeadersQuery q = {stream, p->key_pos, p->key_ts, p->pos, p->pts, 0};

        CHECK_EQ_INT(fp_headers_read(media, &q, &want), 0);
        fp_headers_worker_ask(w, &q, k);
        got = NULL;
        CHECK_EQ_INT(wait_answer(w, &tag, &err, &got), 0);
        CHECK_EQ_INT(tag, k);
        CHECK_EQ_INT(err, 0);
        CHECK(want && got && strstr(got, "packet\n"));
        same += want && got && !strcmp(want, got);
        if (want && got && strcmp(want, got))
            fprintf(stderr, "  %s: packet at %lld: the worker's headers differ\n", media,
                    (long long)p->pos);
        av_free(got); /* handed over: ours to free, and the worker keeps nothing to give again */
        got = NULL;
        CHECK_EQ_INT(fp_headers_worker_take(w, &tag, &err, &got), 0);
        CHECK(got == NULL);
        av_free(want);
    }
    CHECK_EQ_INT(same, asked);
    /* Two questions at once: the later one is answered (the first may be too, before it). */
    {
        FPHeadersQuery q1 = {stream, pk[1].key_pos, pk[1].key_ts, pk[1].pos, pk[1].pts, 0};
        FPHeadersQuery q2 = {stream, pk[n - 2].key_pos, pk[n - 2].key_ts, pk[n - 2].pos,
                             pk[n - 2].pts, 0};

        fp_headers_worker_ask(w, &q1, 1001);
        fp_headers_worker_ask(w, &q2, 1002);
        tag = -1;
        for (int i = 0; i < 2 && tag != 1002; i++) {
            got = NULL;
            CHECK_EQ_INT(wait_answer(w, &tag, &err, &got), 0);
            CHECK(tag == 1001 || tag == 1002);
            av_free(got);
        }
        CHECK_EQ_INT(tag, 1002);
        fp_headers_worker_ask(w, &q1, 1003); /* left unanswered, or answered and not taken */
    }
    fp_headers_worker_close(&w);
    CHECK(w == NULL);
    printf("  %s: the worker's headers of %d packets are fp_headers_read()'s\n", media, same);
}

/* A codec libavcodec has no header reader for, and an input that cannot be opened. */
static void headers_worker_refusals(const char *no_reader, const char *missing)
{
    FPHeadersQuery q = {0, -1, AV_NOPTS_VALUE, -1, 0, 0};
    FPHeadersWorker *w = NULL;
    const char *paths[2] = {no_reader, missing};
    int stream = -1, err;
    static Packet pk[MAX_PACKETS];
    int64_t tag;
    char *got;

    CHECK(list_packets(no_reader, &stream, pk, MAX_PACKETS) > 0);
    for (int i = 0; i < 2; i++) {
        CHECK_EQ_INT(fp_headers_worker_open(&w, paths[i], i ? 0 : stream), 0);
        if (!w)
            continue;
        q.pos = pk[0].pos;
        fp_headers_worker_ask(w, &q, 7);
        got = (char *)"unset";
        CHECK_EQ_INT(wait_answer(w, &tag, &err, &got), 0);
        CHECK_EQ_INT(tag, 7);
        CHECK(got == NULL);
        if (i == 0)
            CHECK_EQ_INT(err, AVERROR(ENOSYS));
        else
            CHECK_EQ_INT(err, AVERROR(ENOENT));
        fp_headers_worker_close(&w);
    }
}

int main(int argc, char **argv)
{
    static const char *const media[] = {"h264_bframes_aac_320x240_30fps.mp4",
                                        "mpeg2_mp2_framenum_320x240_25fps.ts",
                                        "vp9_opus_320x240_30fps.webm"};
    char path[4200], ref[4200];

    if (argc < 3) {
        fprintf(stderr, "usage: test_pipeline ASSETS_DIR REFS_DIR\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", argv[1], media[i]);
        snprintf(ref, sizeof(ref), "%s/%s.framemd5", argv[2], media[i]);
        decode_all(path, ref);
    }
    printf("%s decode_all\n", check_failures ? "FAIL" : "ok  ");
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s", argv[1], media[i]);
        headers_worker(path);
    }
    snprintf(path, sizeof(path), "%s/mpeg4_avi_160x120_25fps.avi", argv[1]);
    snprintf(ref, sizeof(ref), "%s/no-such-file.mp4", argv[1]);
    headers_worker_refusals(path, ref);
    printf("%s headers_worker\n", check_failures ? "FAIL" : "ok  ");
    return CHECK_EXIT();
}
