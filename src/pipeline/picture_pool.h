/*
 * Picture buffers for a video decoder, from memory that costs nothing to fill.
 *
 * libavcodec's own buffers come from a pool that zeroes each new buffer, and
 * the C library maps large ones in pages that fault in one at a time. Every
 * picture the step history keeps is a new buffer, so filling a 256 MiB
 * history costs about 65000 page faults, and zeroing all of it once more.
 * FPPicturePool maps each buffer itself, its pages mapped in one call: they
 * are zero already, and no page faults as the decoder writes. Buffers come
 * back to the pool when the last frame that references them is unreffed, and
 * are handed out again without touching the kernel.
 *
 * Ownership: fp_picture_pool_get() gives the frame one reference to a buffer
 * of the pool (frame->buf[0], all planes in it); whoever holds the frame owns
 * that reference, as with any decoded frame. fp_picture_pool_free() drops the
 * pool's own reference: buffers still held by frames stay valid, and the pool
 * and its mappings go when the last of them is unreffed.
 */
#ifndef FRAMEPIPE_SRC_PICTURE_POOL_H
#define FRAMEPIPE_SRC_PICTURE_POOL_H

#include <libavcodec/avcodec.h>

typedef struct FPPicturePool FPPicturePool;

int fp_picture_pool_alloc(FPPicturePool **pool);

/*
 * A get_buffer2 body: fills frame->buf[0], data and linesize for the picture
 * libavcodec asks for, laid out as libavcodec requires (its aligned
 * dimensions, line alignment and padding). AVERROR(ENOSYS) when this pool
 * does not serve the request (a decoder without AV_CODEC_CAP_DR1, a paletted
 * or hardware format, not video): call avcodec_default_get_buffer2() then.
 * Thread-safe: frame threads call it at once.
 */
int fp_picture_pool_get(FPPicturePool *pool, AVCodecContext *avctx, AVFrame *frame);

/* Buffers mapped so far; for --stats and tests. */
int64_t fp_picture_pool_mapped(FPPicturePool *pool);

void fp_picture_pool_free(FPPicturePool **pool);

#endif /* FRAMEPIPE_SRC_PICTURE_POOL_H */
