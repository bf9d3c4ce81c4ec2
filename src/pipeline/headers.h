/*
 * Internal: the bitstream headers of one packet, as libavcodec's
 * trace_headers bitstream filter reads them: the parameter sets and the slice
 * or frame header fields, one "position  name  bits = value" line each, for
 * the codecs libavcodec's coded bitstream layer knows (H.264, HEVC, AV1, VP9,
 * MPEG-2, VP8, JPEG...). Nothing here parses a bitstream itself.
 *
 * The input is opened a second time, with a demuxer of its own, so that the
 * player's reader is not disturbed: reading starts at a keyframe before the
 * packet (so that the filter has seen the parameter sets the packet refers
 * to) and stops at the packet. The filter's log is captured on the calling
 * thread (size_watch.h) and not printed.
 */
#ifndef FRAMEPIPE_SRC_HEADERS_H
#define FRAMEPIPE_SRC_HEADERS_H

#include <stdint.h>

/** Where the packet is, and where to start reading for it. */
typedef struct FPHeadersQuery {
    int stream_index;  /**< as the input numbers its streams */
    int64_t key_pos;   /**< byte position of a keyframe at or before the packet; -1 unknown */
    int64_t key_ts;    /**< its timestamp (pts, else dts), in the stream's time base */
    int64_t pos;       /**< the packet's byte position; -1 unknown: then by pts */
    int64_t pts;       /**< the packet's pts; AV_NOPTS_VALUE unknown */
    int max_packets;   /**< read at most this many packets before giving up; 0: 10000 */
} FPHeadersQuery;

/**
 * Read the headers of the packet q names.
 *
 * @param text  Receives the lines ('\n' after each) in a buffer the caller
 *              must av_free(): first those of the stream's extradata, if any
 *              (under a line "extradata"), then the packet's (under "packet").
 * @return 0; AVERROR(ENOSYS) when libavcodec has no coded bitstream reader
 *         for the codec (trace_headers refuses it); AVERROR(ENOENT) when the
 *         packet was not found; AVERROR(ENOMEM); an error of opening or
 *         reading the input.
 * Blocks while it reads (milliseconds for a GOP of a small file).
 */
int fp_headers_read(const char *path, const FPHeadersQuery *q, char **text);

#endif /* FRAMEPIPE_SRC_HEADERS_H */
