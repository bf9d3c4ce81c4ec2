#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/cpu.h>
#include <libavutil/error.h>
#include <libavutil/log.h>

#include "framepipe/player.h"
#include "compat.h"
#include "decode.h"
#include "picture_pool.h"

#define MAX_SKIPPED_AFTER_SEEK 300

struct FPDecoder {
    AVCodecContext *avctx;
    FPPacketQueue *in;  /* borrowed */
    FPFrameQueue *out;  /* borrowed */
    pthread_t thread;
    int started;
    atomic_llong frames;
    atomic_llong errors;
    atomic_llong skip_before;   /* pts: packets before it lose their unreferenced frames */
    atomic_llong skipping_sent; /* packets sent so */
    atomic_int fatal_error;
    int64_t max_pixels; /* 0: libavcodec's own bound */
    FPPicturePool *pictures; /* video: where pictures are decoded into */
    atomic_int too_large_width, too_large_height;
    FPTrace *trace;
    const char *thread_name; /* for the trace */
};

/*
 * Where a decoder asks for a picture. First the size limit, before the
 * allocation and with the size the bitstream claimed at hand, so that the
 * error can name it (AVCodecContext.max_pixels refuses at the same point but
 * keeps the size to itself). Then the buffer, from the picture pool where it
 * serves the format, else from libavcodec. Runs on libavcodec's frame threads
 * too, several at once: atomics, and the pool's lock.
 */
static int get_buffer(AVCodecContext *avctx, AVFrame *frame, int flags)
{
    FPDecoder *d = avctx->opaque;
    int ret;

    if (d->max_pixels > 0 && (int64_t)frame->width * frame->height > d->max_pixels) {
        atomic_store(&d->too_large_height, frame->height);
        atomic_store(&d->too_large_width, frame->width);
        return AVERROR(EINVAL);
    }
    ret = fp_picture_pool_get(d->pictures, avctx, frame);
    return ret == AVERROR(ENOSYS) ? avcodec_default_get_buffer2(avctx, frame, flags) : ret;
}

/*
 * libavcodec's automatic count for frame threads is one per core and one
 * more (the ffmpeg CLI's). framepipe asks for one more still. Before an exact
 * seek's target, frames that nothing references are skipped (set_skip()); a
 * skipped frame still takes a thread, which then has nothing to do, and the
 * chain of reference frames is decoded one frame after another. One thread
 * more keeps both cores of a 2-core machine busy: exact seeks on the 1080p60
 * H.264 benchmark clip took 15 % less time, headless decoding 4 % less, for
 * about 12 MiB more at 1080p (a thread's context and picture). 16 is the most
 * libavcodec chooses by itself.
 *
 * A count the user asks for (--decoder-threads) is taken as it is. One thread
 * costs the least CPU in all, frame threads keeping each other waiting and
 * each its own context: 16 to 30 % less for the ffmpeg CLI on the benchmark
 * clips (H.264 1080p60 and 2160p30, HEVC 1080p60), for a third longer to an
 * exact seek's target.
 */
static int video_threads(const AVCodecParameters *par, int asked)
{
    int cores = av_cpu_count();

    if (par->codec_type != AVMEDIA_TYPE_VIDEO)
        return 0; /* sound: libavcodec's choice */
    if (asked > 0)
        return FFMIN(asked, FP_DECODER_THREADS_MAX);
    if (cores < 2)
        return 0; /* libavcodec's choice: on one core, no threads */
    return FFMIN(cores + 2, 16);
}

/* The kind of threads an open decoder runs on: "frame", "slice", or "none" (one thread). */
static const char *thread_kind(const AVCodecContext *avctx)
{
    return avctx->active_thread_type & FF_THREAD_FRAME ? "frame" :
           avctx->active_thread_type & FF_THREAD_SLICE ? "slice" : "none";
}

int fp_decoder_open(FPDecoder **out, const AVStream *st, int64_t max_pixels, int threads)
{
    const AVCodec *codec;
    FPDecoder *d;
    int ret;

    *out = NULL;
    codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec)
        return AVERROR_DECODER_NOT_FOUND;
    d = av_mallocz(sizeof(*d));
    if (!d)
        return AVERROR(ENOMEM);
    d->avctx = avcodec_alloc_context3(codec);
    if (!d->avctx) {
        ret = AVERROR(ENOMEM);
        goto fail;
    }
    ret = avcodec_parameters_to_context(d->avctx, st->codecpar);
    if (ret < 0)
        goto fail;
    d->avctx->pkt_timebase = st->time_base;
    d->avctx->thread_count = video_threads(st->codecpar, threads);
    /*
     * The VP3 and Theora decoder of FFmpeg 5.1 races with itself under frame
     * threads: now and then a picture differs from a one-thread decode (the
     * ffmpeg CLI's own output of an Ogg Theora clip, 1 run in 100 under load;
     * framepipe's, 4 in 80, and after seeks far more often). It has no slice
     * threads, so this decodes it on one thread: exact, and Theora is small.
     */
    if (st->codecpar->codec_id == AV_CODEC_ID_THEORA || st->codecpar->codec_id == AV_CODEC_ID_VP3)
        d->avctx->thread_type = FF_THREAD_SLICE;
    d->max_pixels = max_pixels;
    atomic_init(&d->skip_before, AV_NOPTS_VALUE);
    if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
        ret = fp_picture_pool_alloc(&d->pictures);
        if (ret < 0)
            goto fail;
        d->avctx->opaque = d;
        d->avctx->get_buffer2 = get_buffer; /* thread-safe: atomics and libavcodec's own */
        fp_codec_callbacks_thread_safe(d->avctx);
    }
    d->thread_name = st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO ? "audio-dec" : "video-dec";
    ret = avcodec_open2(d->avctx, codec, NULL);
    if (ret < 0)
        goto fail;
    if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && strcmp(thread_kind(d->avctx), "none"))
        av_log(NULL, AV_LOG_VERBOSE, "decoder: %s on %d %s threads\n", codec->name,
               d->avctx->thread_count, thread_kind(d->avctx));
    else if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO)
        av_log(NULL, AV_LOG_VERBOSE, "decoder: %s on 1 thread\n", codec->name);
    *out = d;
    return 0;

fail:
    fp_decoder_free(&d);
    return ret;
}

/*
 * Out of memory, an abort, and a picture over the size limit (get_buffer())
 * end the thread.
 */
static int fatal_error(FPDecoder *d, int err)
{
    if (err == AVERROR(ENOMEM) || err == AVERROR_EXIT)
        return err;
    if (atomic_load(&d->too_large_width))
        return FP_ERROR_TOO_LARGE;
    return 0;
}

/*
 * The canonical loop: take every frame the decoder has ready, and only when it
 * says EAGAIN give it one more packet. After an EAGAIN from receive, send
 * accepts a packet; should it still refuse one (EAGAIN), the packet is kept
 * and offered again after the next receive, never dropped.
 *
 * A packet with a new serial means the reader seeked: the decoder's internal
 * state (reference frames, frame threads, a finished drain) is discarded with
 * avcodec_flush_buffers() before that packet goes in.
 */
/*
 * Before an exact seek's target, frames that no other frame references need
 * not be decoded: skip_frame = AVDISCARD_NONREF for a packet whose pts is
 * before it (frame threads take the setting with each packet). Every frame
 * referenced by a later one is still decoded, so the frames at and after the
 * target are the same, bit for bit. A packet without a pts is decoded whole.
 */
static void set_skip(FPDecoder *d, const AVPacket *pkt)
{
    int64_t before = atomic_load(&d->skip_before);
    int skip = pkt && before != AV_NOPTS_VALUE && pkt->pts != AV_NOPTS_VALUE && pkt->pts < before;

    d->avctx->skip_frame = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
    if (skip)
        atomic_fetch_add(&d->skipping_sent, 1);
}

static int decode_loop(FPDecoder *d, AVPacket *pkt, AVFrame *frame)
{
    int serial = -1;
    int drained = 0; /* the decoder returned AVERROR_EOF: it needs a flush to take more */
    int draining = 0; /* the end-of-stream marker went in: receive until AVERROR_EOF */
    int pending = 0; /* pkt (or the end-of-stream marker) is taken but not yet sent */
    int pending_eof = 0;
    int await_key = 0; /* after a seek: frames before the first keyframe are broken */
    int skipped = 0;
    int ret;

    for (;;) {
        if (!drained) {
            ret = avcodec_receive_frame(d->avctx, frame);
            if (ret >= 0) {
                /*
                 * An open GOP puts frames that reference the previous GOP before the
                 * keyframe a seek lands on; decoded without it they are garbage. The
                 * bound keeps a stream that never flags a keyframe from going blank.
                 */
                fp_trace_birth(d->trace, FP_TRACE_FRAME, frame);
                fp_trace_event(d->trace, FP_TRACE_FRAME, frame, "receive", NULL, -1);
                if (await_key && !fp_frame_is_key(frame) && skipped++ < MAX_SKIPPED_AFTER_SEEK) {
                    fp_trace_event(d->trace, FP_TRACE_FRAME, frame, "drop", NULL, -1);
                    fp_trace_unref(d->trace, FP_TRACE_FRAME, frame, NULL);
                    continue;
                }
                await_key = 0;
                atomic_fetch_add(&d->frames, 1);
                ret = fp_frame_queue_put(d->out, frame, serial); /* on success frame is blank */
                if (ret < 0) {
                    /* on failure it is still ours */
                    fp_trace_unref(d->trace, FP_TRACE_FRAME, frame, NULL);
                    return ret;
                }
                continue;
            }
            /* EAGAIN while draining: the end of stream did not go in (the decoder refused it). */
            if (ret == AVERROR_EOF || (draining && ret == AVERROR(EAGAIN))) {
                drained = 1;
                ret = fp_frame_queue_put_eof(d->out, serial);
                if (ret < 0)
                    return ret;
            } else if (ret != AVERROR(EAGAIN)) {
                if (fatal_error(d, ret))
                    return fatal_error(d, ret);
                atomic_fetch_add(&d->errors, 1);
                av_log(d->avctx, AV_LOG_WARNING, "decode error: %s\n", av_err2str(ret));
                /*
                 * While draining, frame threads report their errors one at a
                 * time, and AVERROR_EOF still comes after the last. Waiting
                 * for a packet instead would wait forever: the reader has
                 * nothing more to send.
                 */
                if (draining)
                    continue;
            }
        }

        if (!pending) {
            int pkt_serial;

            ret = fp_packet_queue_get(d->in, pkt, &pkt_serial, -1);
            if (ret == AVERROR_EXIT)
                return ret;
            pending_eof = ret == AVERROR_EOF;
            if (pkt_serial != serial) {
                if (serial >= 0) {
                    avcodec_flush_buffers(d->avctx);
                    /*
                     * best_effort_timestamp trusts pts or dts by how often each
                     * went wrong so far, and a flush does not forget it. Where
                     * pieces with their own clocks were joined (MPEG-TS), pts
                     * "went wrong" at every join before the seek, and the frames
                     * after it would be timed by dts. Count afresh, as a decoder
                     * opened here would.
                     */
                    d->avctx->pts_correction_num_faulty_pts = 0;
                    d->avctx->pts_correction_num_faulty_dts = 0;
                    await_key = 1;
                    skipped = 0;
                }
                serial = pkt_serial;
                drained = 0;
                draining = 0;
            } else if (drained) {
                /* Only a seek (a new serial) can follow the end of a stream. */
                if (pkt->buf)
                    fp_trace_event(d->trace, FP_TRACE_PACKET, pkt, "drop", NULL, -1);
                fp_trace_unref(d->trace, FP_TRACE_PACKET, pkt, NULL);
                continue;
            }
            pending = 1;
        }
        set_skip(d, pending_eof ? NULL : pkt);
        /* With a packet, send_packet takes a reference of its own; ours is dropped once it is in. */
        ret = avcodec_send_packet(d->avctx, pending_eof ? NULL : pkt);
        if (ret == AVERROR(EAGAIN))
            continue;
        pending = 0;
        draining = pending_eof;
        if (!pending_eof)
            fp_trace_event(d->trace, FP_TRACE_PACKET, pkt, "send", NULL, -1);
        fp_trace_unref(d->trace, FP_TRACE_PACKET, pkt, NULL);
        if (ret < 0 && ret != AVERROR_EOF) {
            if (fatal_error(d, ret))
                return fatal_error(d, ret);
            atomic_fetch_add(&d->errors, 1);
            av_log(d->avctx, AV_LOG_WARNING, "decode error: %s\n", av_err2str(ret));
        }
    }
}

static void *decoder_thread(void *arg)
{
    FPDecoder *d = arg;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int ret = AVERROR(ENOMEM);

    fp_trace_set_thread(d->thread_name);
    if (pkt && frame)
        ret = decode_loop(d, pkt, frame);
    if (ret != AVERROR_EXIT) {
        atomic_store(&d->fatal_error, ret);
        /* Tell the render thread that nothing more will come, so it does not wait forever. */
        fp_frame_queue_put_eof(d->out, fp_packet_queue_serial(d->in));
    }
    av_frame_free(&frame);
    av_packet_free(&pkt);
    return NULL;
}

void fp_decoder_set_trace(FPDecoder *d, FPTrace *t)
{
    d->trace = t;
}

int fp_decoder_start(FPDecoder *d, FPPacketQueue *in, FPFrameQueue *out)
{
    int ret;

    d->in = in;
    d->out = out;
    ret = pthread_create(&d->thread, NULL, decoder_thread, d);
    if (ret)
        return AVERROR(ret);
    d->started = 1;
    return 0;
}

void fp_decoder_join(FPDecoder *d)
{
    if (!d->started)
        return;
    pthread_join(d->thread, NULL);
    d->started = 0;
}

void fp_decoder_free(FPDecoder **pd)
{
    FPDecoder *d = *pd;

    if (!d)
        return;
    fp_decoder_join(d);
    avcodec_free_context(&d->avctx);
    fp_picture_pool_free(&d->pictures); /* frames still out keep their buffers */
    av_freep(pd);
}

void fp_decoder_stats(FPDecoder *d, FPDecoderStats *stats)
{
    stats->frames = atomic_load(&d->frames);
    stats->errors = atomic_load(&d->errors);
    stats->fatal_error = atomic_load(&d->fatal_error);
    stats->too_large_width = atomic_load(&d->too_large_width);
    stats->too_large_height = atomic_load(&d->too_large_height);
    stats->skipping_sent = atomic_load(&d->skipping_sent);
    /* Set by avcodec_open2(), read only since: libavcodec's count, 1 without threads. */
    stats->threads = d->avctx->thread_count;
    stats->thread_type = thread_kind(d->avctx);
}

void fp_decoder_skip_before(FPDecoder *d, int64_t pts)
{
    atomic_store(&d->skip_before, pts);
}
