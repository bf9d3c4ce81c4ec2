/* mmap()'s MAP_ANONYMOUS and MAP_POPULATE are not in C11 or POSIX.1-2008's base. */
#define _DEFAULT_SOURCE

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <libavutil/buffer.h>
#include <libavutil/imgutils.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>

#include "picture_pool.h"

#define PLANE_ALIGN 64   /* every plane starts on it: the widest SIMD loads */
#define PLANE_PADDING 80 /* after every plane: decoders read a little past a line's end */

struct FPPicturePool {
    pthread_mutex_t lock;
    AVBufferPool *buffers; /* for the layout below; replaced when it changes */
    enum AVPixelFormat format;
    int width, height;     /* as asked */
    int linesize[4];
    size_t offset[4];
    size_t size;           /* one buffer: every plane and its padding */
    atomic_llong mapped;
};

static void unmap_buffer(void *opaque, uint8_t *data)
{
    munmap(data, (size_t)(uintptr_t)opaque);
}

#ifndef MAP_POPULATE
#define MAP_POPULATE 0 /* Linux's; elsewhere the pages fault in as the decoder writes */
#endif

/*
 * A fresh mapping of zero pages, all of them mapped in the one call
 * (MAP_POPULATE): one entry into the kernel per buffer, instead of one page
 * fault per 4 KiB page as the decoder first writes there.
 */
static AVBufferRef *map_buffer(void *opaque, size_t size)
{
    FPPicturePool *pool = opaque;
    size_t length = (size + 4095) & ~(size_t)4095;
    AVBufferRef *buf;
    uint8_t *data = mmap(NULL, length, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

    if (data == MAP_FAILED)
        return NULL;
    buf = av_buffer_create(data, size, unmap_buffer, (void *)(uintptr_t)length, 0);
    if (!buf) {
        munmap(data, length);
        return NULL;
    }
    atomic_fetch_add(&pool->mapped, (long long)length);
    return buf;
}

/*
 * libavcodec's rules for a picture it decodes into: the dimensions rounded up
 * as avcodec_align_dimensions2() says, every line size a multiple of the
 * alignment it gives for that plane (widen the picture until they all are),
 * and room to read past the end of each plane.
 */
static int plan_layout(FPPicturePool *pool, AVCodecContext *avctx, const AVFrame *frame)
{
    int w = frame->width, h = frame->height, align[AV_NUM_DATA_POINTERS], i, ret;
    ptrdiff_t linesize[4];
    size_t plane[4], offset = 0;

    avcodec_align_dimensions2(avctx, &w, &h, align);
    for (;;) {
        int unaligned = 0;

        ret = av_image_fill_linesizes(pool->linesize, frame->format, w);
        if (ret < 0)
            return ret;
        for (i = 0; i < 4; i++)
            unaligned |= align[i] && pool->linesize[i] % align[i];
        if (!unaligned)
            break;
        w += w & -w; /* the next multiple of a larger power of two */
    }
    for (i = 0; i < 4; i++)
        linesize[i] = pool->linesize[i];
    ret = av_image_fill_plane_sizes(plane, frame->format, h, linesize);
    if (ret < 0)
        return ret;
    for (i = 0; i < 4; i++) {
        pool->offset[i] = offset;
        if (plane[i])
            offset = FFALIGN(offset + plane[i] + PLANE_PADDING, PLANE_ALIGN);
    }
    pool->size = offset;
    return 0;
}

int fp_picture_pool_alloc(FPPicturePool **out)
{
    FPPicturePool *pool = av_mallocz(sizeof(*pool));

    *out = pool;
    if (!pool)
        return AVERROR(ENOMEM);
    pthread_mutex_init(&pool->lock, NULL);
    pool->format = AV_PIX_FMT_NONE;
    atomic_init(&pool->mapped, 0);
    return 0;
}

static int serves(const AVCodecContext *avctx, const AVFrame *frame)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(frame->format);

    return avctx->codec_type == AVMEDIA_TYPE_VIDEO && avctx->codec &&
           (avctx->codec->capabilities & AV_CODEC_CAP_DR1) && desc &&
           !(desc->flags & (AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM)) &&
           frame->width > 0 && frame->height > 0;
}

int fp_picture_pool_get(FPPicturePool *pool, AVCodecContext *avctx, AVFrame *frame)
{
    AVBufferRef *buf = NULL;
    int i, ret = 0;

    if (!serves(avctx, frame))
        return AVERROR(ENOSYS);
    pthread_mutex_lock(&pool->lock);
    if (frame->format != pool->format || frame->width != pool->width ||
        frame->height != pool->height) {
        av_buffer_pool_uninit(&pool->buffers); /* its buffers go as their frames let go */
        pool->format = AV_PIX_FMT_NONE;
        ret = plan_layout(pool, avctx, frame);
        if (ret >= 0) {
            pool->buffers = av_buffer_pool_init2(pool->size, pool, map_buffer, NULL);
            if (!pool->buffers)
                ret = AVERROR(ENOMEM);
        }
        if (ret >= 0) {
            pool->format = frame->format;
            pool->width = frame->width;
            pool->height = frame->height;
        }
    }
    if (ret >= 0) {
        buf = av_buffer_pool_get(pool->buffers);
        if (!buf)
            ret = AVERROR(ENOMEM);
    }
    if (ret >= 0) {
        frame->buf[0] = buf;
        for (i = 0; i < 4; i++) {
            frame->linesize[i] = pool->linesize[i];
            frame->data[i] = pool->linesize[i] ? buf->data + pool->offset[i] : NULL;
        }
        frame->extended_data = frame->data;
    }
    pthread_mutex_unlock(&pool->lock);
    return ret;
}

int64_t fp_picture_pool_mapped(FPPicturePool *pool)
{
    return pool ? atomic_load(&pool->mapped) : 0;
}

void fp_picture_pool_free(FPPicturePool **ppool)
{
    FPPicturePool *pool = *ppool;

    if (!pool)
        return;
    av_buffer_pool_uninit(&pool->buffers);
    pthread_mutex_destroy(&pool->lock);
    av_freep(ppool);
}
