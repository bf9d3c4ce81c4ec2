/*
 * The pipeline room alone: the reader and decoder threads and the two queues,
 * linked against framepipe_pipeline only (libav*, no SDL, nothing above it),
 * decode an asset bit for bit as the ffmpeg CLI does. That it links at all is
 * the wall between the pipeline and the rest; that the frames match is the
 * pipeline's own promise.
 */
#include <stdio.h>
#include <string.h>

#include <libavutil/imgutils.h>
#include <libavutil/md5.h>
#include <libavutil/mem.h>

#include "framepipe/frame_queue.h"
#include "framepipe/packet_queue.h"
#include "check.h"
#include "decode.h"
#include "demux.h"

#define MAX_FRAMES 256

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
    CHECK_EQ_INT(fp_decoder_open(&dec, fp_demux_video_stream(demux), 0), 0);
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
    return CHECK_EXIT();
}
