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
 * to) and stops at the packet. The filter's log is captured on the reading
 * thread (size_watch.h) and not printed.
 *
 * Two ways in:
 *   - fp_headers_read() opens the input, reads one packet's headers and closes
 *     it again, on the calling thread (the script's 'headers');
 *   - an FPHeadersWorker keeps the input open on a thread of its own and
 *     answers the newest question whenever it can (the inspector panel, which
 *     asks again for every frame shown while playing). It reads on from where
 *     it stopped when the packet asked for lies ahead in the same GOP, and
 *     keeps the last packets' headers, so that a frame shown after the
 *     B-frames that referred to it costs no second reading.
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

typedef struct FPHeadersWorker FPHeadersWorker;

/**
 * Start a thread that will open path and answer questions about the packets
 * of one stream. Returns at once: the opening happens on that thread, and an
 * input that cannot be opened is the error of every answer.
 * @return 0 or AVERROR(ENOMEM) / a thread creation error; *w is NULL then.
 */
int fp_headers_worker_open(FPHeadersWorker **w, const char *path, int stream_index);

/**
 * Ask for the headers of the packet q names (q->stream_index is ignored: the
 * worker's stream). The question replaces one not yet begun; one being read
 * is finished first. tag is handed back with the answer, to tell which
 * question it answers (the player passes the frame's timestamp). Never blocks
 * for a reading.
 */
void fp_headers_worker_ask(FPHeadersWorker *w, const FPHeadersQuery *q, int64_t tag);

/**
 * Take the newest answer, if one came since the last take.
 * @return 1 when there was one: *tag is its question's, *err its result (as
 *         fp_headers_read() returns it) and *text, on success, the lines in a
 *         buffer that is now the caller's (av_free()); NULL on failure. The
 *         worker keeps no pointer to it. 0 when there was none: nothing is
 *         written.
 */
int fp_headers_worker_take(FPHeadersWorker *w, int64_t *tag, int *err, char **text);

/** Stop the thread (a reading under way is interrupted), free everything, set *w to NULL. */
void fp_headers_worker_close(FPHeadersWorker **w);

#endif /* FRAMEPIPE_SRC_HEADERS_H */
