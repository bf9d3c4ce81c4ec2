/*
 * Internal: the decoder thread. It takes packets from a packet queue, runs
 * avcodec_send_packet() / avcodec_receive_frame(), and moves each decoded
 * frame into a frame queue, stamped with the serial of the packets it came
 * from.
 */
#ifndef FRAMEPIPE_SRC_DECODE_H
#define FRAMEPIPE_SRC_DECODE_H

#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "framepipe/frame_queue.h"
#include "framepipe/packet_queue.h"
#include "trace.h"

typedef struct FPDecoder FPDecoder;

/**
 * Make a decoder for st (borrowed; read only here). A picture larger than
 * max_pixels (0: libavcodec's own bound) is refused as a decode error.
 *
 * threads: for video, 0 chooses automatically (frame threads, one per core
 * and two more, at most 16; none on one core), N >= 1 asks for N (at most
 * FP_DECODER_THREADS_MAX, framepipe/player.h); libavcodec may run fewer where the codec cannot
 * use them. Sound decoders ignore it and take libavcodec's choice.
 *
 * @return 0; AVERROR_DECODER_NOT_FOUND when libavcodec has no decoder for the
 *         codec; any error of avcodec_open2().
 */
int fp_decoder_open(FPDecoder **d, const AVStream *st, int64_t max_pixels, int threads);

/** Report sends, receives and releases to t (borrowed; NULL: none). Before the start. */
void fp_decoder_set_trace(FPDecoder *d, FPTrace *t);

/**
 * Start the decoder thread. Both queues are borrowed and must outlive it.
 * The thread ends when either queue is aborted.
 */
int fp_decoder_start(FPDecoder *d, FPPacketQueue *in, FPFrameQueue *out);

/** Wait for the thread to end; abort both queues first. */
void fp_decoder_join(FPDecoder *d);

/** Join the thread if it runs (abort both queues first) and free everything. d is set to NULL. */
void fp_decoder_free(FPDecoder **d);

typedef struct FPDecoderStats {
    int64_t frames;        /**< frames received from the decoder */
    int64_t errors;        /**< packets or frames the decoder rejected */
    int fatal_error;       /**< 0, or the error that stopped the thread early */
    int too_large_width;   /**< with FP_ERROR_TOO_LARGE: the size the bitstream claimed */
    int too_large_height;
    int64_t skipping_sent; /**< packets sent with their unreferenced frames skipped */
    int threads;           /**< threads libavcodec runs this decoder on (1: none) */
    const char *thread_type; /**< "frame", "slice", or "none" (one thread); static */
} FPDecoderStats;

/**
 * From the next packet on, skip the frames nothing references in packets
 * whose pts is before pts (an exact seek's target, less what the caller wants
 * kept), as mpv's hr-seek-framedrop does; AV_NOPTS_VALUE: decode every frame.
 * The frames shown at and after pts are unchanged, bit for bit. Any thread.
 */
void fp_decoder_skip_before(FPDecoder *d, int64_t pts);

/** Any thread. fatal_error is final only after the thread was joined. */
void fp_decoder_stats(FPDecoder *d, FPDecoderStats *stats);

#endif /* FRAMEPIPE_SRC_DECODE_H */
