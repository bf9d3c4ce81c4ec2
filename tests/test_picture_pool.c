/*
 * The picture pool (src/pipeline/picture_pool.c), the decoder's get_buffer2.
 *
 * - Layout: every plane of the one buffer is aligned, its line sizes are the
 *   multiples libavcodec asks for, and planes do not overlap with their padding.
 * - Ownership: the frame holds the only reference; a second frame made with
 *   av_frame_ref() shares the buffer, which goes back to the pool only when both
 *   let go, and is handed out again then, without a new mapping.
 * - A buffer outlives the pool: after fp_picture_pool_free() a frame's buffer is
 *   still mapped and writable, and is unmapped when the frame lets go.
 * - Requests the pool does not serve (paletted formats, decoders without
 *   AV_CODEC_CAP_DR1, audio) get AVERROR(ENOSYS).
 * - Frame threads: four threads taking and releasing buffers of two sizes at once.
 * Decoding into it, bit for bit as the ffmpeg CLI, is what every framemd5 test checks.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>

#include "check.h"
#include "picture_pool.h"

static AVCodecContext *video_context(enum AVCodecID id)
{
    const AVCodec *codec = avcodec_find_decoder(id);

    return codec ? avcodec_alloc_context3(codec) : NULL;
}

static int ask(FPPicturePool *pool, AVCodecContext *avctx, AVFrame *frame, int format, int w, int h)
{
    av_frame_unref(frame);
    frame->format = format;
    frame->width = w;
    frame->height = h;
    return fp_picture_pool_get(pool, avctx, frame);
}

/* Is this address still mapped? /proc/self/maps lists every mapping of the process. */
static int mapped(const uint8_t *data)
{
    uintptr_t at = (uintptr_t)data, from, to;
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    int found = 0;

    if (!maps)
        return -1;
    while (!found && fgets(line, sizeof(line), maps))
        found = sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &from, &to) == 2 && from <= at && at < to;
    fclose(maps);
    return found;
}

static void check_layout(AVCodecContext *avctx, const AVFrame *f)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(f->format);
    int w = f->width, h = f->height, align[AV_NUM_DATA_POINTERS];
    const uint8_t *end_before = f->buf[0]->data;

    avcodec_align_dimensions2(avctx, &w, &h, align);
    CHECK(f->buf[0] && !f->buf[1]);
    CHECK_EQ_INT(av_buffer_get_ref_count(f->buf[0]), 1);
    CHECK(av_buffer_is_writable(f->buf[0]));
    CHECK(f->extended_data == f->data);
    for (int i = 0; i < 4 && f->data[i]; i++) {
        int plane_h = i == 1 || i == 2 ? AV_CEIL_RSHIFT(h, desc->log2_chroma_h) : h;
        const uint8_t *end = f->data[i] + (size_t)f->linesize[i] * plane_h;

        CHECK_EQ_INT((uintptr_t)f->data[i] % 64, 0);
        CHECK(f->linesize[i] > 0 && f->linesize[i] % align[i] == 0);
        CHECK(f->data[i] >= end_before);
        CHECK(end + 64 <= f->buf[0]->data + f->buf[0]->size);
        memset(f->data[i], 0x5a, end - f->data[i]); /* all of it is the frame's to write */
        end_before = end + 64;
    }
}

static void test_layout(void)
{
    static const struct { enum AVCodecID codec; int format, w, h; } cases[] = {
        {AV_CODEC_ID_H264, AV_PIX_FMT_YUV420P, 1920, 1080},
        {AV_CODEC_ID_H264, AV_PIX_FMT_YUV420P, 321, 241},
        {AV_CODEC_ID_HEVC, AV_PIX_FMT_YUV420P10, 640, 360},
        {AV_CODEC_ID_VP9, AV_PIX_FMT_YUV444P, 320, 240},
        {AV_CODEC_ID_MPEG2VIDEO, AV_PIX_FMT_YUV422P, 720, 576},
        {AV_CODEC_ID_PNG, AV_PIX_FMT_RGBA, 33, 17},
        {AV_CODEC_ID_FFV1, AV_PIX_FMT_YUVA420P, 320, 240},
        {AV_CODEC_ID_MJPEG, AV_PIX_FMT_YUVJ422P, 640, 480},
    };
    FPPicturePool *pool;
    AVFrame *frame = av_frame_alloc();

    CHECK_EQ_INT(fp_picture_pool_alloc(&pool), 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        AVCodecContext *avctx = video_context(cases[i].codec);

        if (!avctx || !(avctx->codec->capabilities & AV_CODEC_CAP_DR1)) {
            printf("     %s: not in this libavcodec, or not DR1\n", avcodec_get_name(cases[i].codec));
            avcodec_free_context(&avctx);
            continue;
        }
        CHECK_EQ_INT(ask(pool, avctx, frame, cases[i].format, cases[i].w, cases[i].h), 0);
        check_layout(avctx, frame);
        avcodec_free_context(&avctx);
    }
    av_frame_free(&frame);
    fp_picture_pool_free(&pool);
}

static void test_shared_and_reused(void)
{
    AVCodecContext *avctx = video_context(AV_CODEC_ID_H264);
    AVFrame *a = av_frame_alloc(), *b = av_frame_alloc(), *c = av_frame_alloc();
    FPPicturePool *pool;
    const uint8_t *first;
    int64_t one;

    CHECK_EQ_INT(fp_picture_pool_alloc(&pool), 0);
    CHECK_EQ_INT(ask(pool, avctx, a, AV_PIX_FMT_YUV420P, 640, 360), 0);
    first = a->buf[0]->data;
    one = fp_picture_pool_mapped(pool);
    CHECK(one >= (int64_t)a->buf[0]->size);

    /* A second reference shares the buffer: the pool cannot have it back. */
    CHECK_EQ_INT(av_frame_ref(b, a), 0);
    CHECK(b->buf[0]->data == first && b->data[0] == a->data[0]);
    CHECK_EQ_INT(av_buffer_get_ref_count(a->buf[0]), 2);
    av_frame_unref(a);
    CHECK_EQ_INT(av_buffer_get_ref_count(b->buf[0]), 1);
    CHECK_EQ_INT(ask(pool, avctx, c, AV_PIX_FMT_YUV420P, 640, 360), 0);
    CHECK(c->buf[0]->data != first);
    CHECK_EQ_INT(fp_picture_pool_mapped(pool), 2 * one);

    /* The last reference gone, the same buffer comes out again, with no new mapping. */
    av_frame_unref(b);
    CHECK_EQ_INT(ask(pool, avctx, a, AV_PIX_FMT_YUV420P, 640, 360), 0);
    CHECK(a->buf[0]->data == first);
    CHECK_EQ_INT(fp_picture_pool_mapped(pool), 2 * one);

    /* Another size: a new layout; the frames of the old one stay valid. */
    CHECK_EQ_INT(ask(pool, avctx, b, AV_PIX_FMT_YUV420P, 1280, 720), 0);
    CHECK(b->width == 1280 && b->linesize[0] >= 1280);
    CHECK_EQ_INT(mapped(c->data[0]), 1);
    memset(c->data[0], 1, c->linesize[0]);

    av_frame_free(&a);
    av_frame_free(&b);
    av_frame_free(&c);
    fp_picture_pool_free(&pool);
    avcodec_free_context(&avctx);
}

static void test_outlives_pool(void)
{
    AVCodecContext *avctx = video_context(AV_CODEC_ID_H264);
    AVFrame *frame = av_frame_alloc();
    FPPicturePool *pool;
    uint8_t *data;

    CHECK_EQ_INT(fp_picture_pool_alloc(&pool), 0);
    CHECK_EQ_INT(ask(pool, avctx, frame, AV_PIX_FMT_YUV420P, 1920, 1080), 0);
    data = frame->data[0];
    fp_picture_pool_free(&pool);
    CHECK(pool == NULL);
    CHECK_EQ_INT(mapped(data), 1);
    memset(data, 7, frame->linesize[0] * 1080); /* still the frame's */
    av_frame_free(&frame);
    CHECK_EQ_INT(mapped(data), 0);
    avcodec_free_context(&avctx);
}

static void test_not_served(void)
{
    AVCodecContext *h264 = video_context(AV_CODEC_ID_H264);
    AVCodecContext *audio = video_context(AV_CODEC_ID_AAC);
    AVFrame *frame = av_frame_alloc();
    const AVCodec *codec;
    void *it = NULL;
    FPPicturePool *pool;

    CHECK_EQ_INT(fp_picture_pool_alloc(&pool), 0);
    CHECK_EQ_INT(ask(pool, h264, frame, AV_PIX_FMT_PAL8, 320, 240), AVERROR(ENOSYS));
    CHECK(!frame->buf[0]);
    if (audio)
        CHECK_EQ_INT(ask(pool, audio, frame, AV_PIX_FMT_YUV420P, 320, 240), AVERROR(ENOSYS));
    while ((codec = av_codec_iterate(&it))) {
        if (av_codec_is_decoder(codec) && codec->type == AVMEDIA_TYPE_VIDEO &&
            !(codec->capabilities & AV_CODEC_CAP_DR1)) {
            AVCodecContext *avctx = avcodec_alloc_context3(codec);

            CHECK_EQ_INT(ask(pool, avctx, frame, AV_PIX_FMT_YUV420P, 320, 240), AVERROR(ENOSYS));
            avcodec_free_context(&avctx);
            break;
        }
    }
    CHECK_EQ_INT(fp_picture_pool_mapped(pool), 0);
    av_frame_free(&frame);
    fp_picture_pool_free(&pool);
    avcodec_free_context(&h264);
    avcodec_free_context(&audio);
}

struct worker {
    FPPicturePool *pool;
    AVCodecContext *avctx;
    int id, failures;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    AVFrame *frames[3];

    for (int i = 0; i < 3; i++)
        frames[i] = av_frame_alloc();
    for (int n = 0; n < 400; n++) {
        AVFrame *f = frames[n % 3];
        int big = (n / 50 + w->id) % 2;

        /* No writes to the pictures here: a buffer goes from one thread to another
         * through the pool's lock inside libavutil, which ThreadSanitizer does not see
         * (tests/sanitizers/tsan.supp). */
        if (ask(w->pool, w->avctx, f, AV_PIX_FMT_YUV420P, big ? 640 : 320, big ? 360 : 240) < 0 ||
            f->width != (big ? 640 : 320) || !f->data[0] || f->linesize[0] < f->width)
            w->failures++;
    }
    for (int i = 0; i < 3; i++)
        av_frame_free(&frames[i]);
    return NULL;
}

static void test_threads(void)
{
    AVCodecContext *avctx = video_context(AV_CODEC_ID_H264);
    struct worker w[4];
    pthread_t t[4];
    FPPicturePool *pool;

    CHECK_EQ_INT(fp_picture_pool_alloc(&pool), 0);
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){pool, avctx, i, 0};
        CHECK_EQ_INT(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(w[i].failures, 0);
    }
    fp_picture_pool_free(&pool);
    avcodec_free_context(&avctx);
}

int main(void)
{
    RUN_TEST(test_layout);
    RUN_TEST(test_shared_and_reused);
    RUN_TEST(test_outlives_pool);
    RUN_TEST(test_not_served);
    RUN_TEST(test_threads);
    return check_failures ? 1 : 0;
}
