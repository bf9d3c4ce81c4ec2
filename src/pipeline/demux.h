/*
 * Internal: the reader thread. It owns the AVFormatContext, calls
 * av_read_frame() into one reusable AVPacket and moves each packet of the
 * chosen video stream into the video packet queue.
 */
#ifndef FRAMEPIPE_SRC_DEMUX_H
#define FRAMEPIPE_SRC_DEMUX_H

#include <libavformat/avformat.h>

#include "framepipe/packet_queue.h"
#include "trace.h"

typedef struct FPDemux FPDemux;

#define FP_DEMUX_SEEK_START 1
#define FP_DEMUX_SEEK_BYTE 2

typedef struct FPDemuxOptions {
    AVIOContext *io;     /* borrowed: read through it instead of opening the path; NULL: none */
    int want_audio;      /* also pick the audio stream that goes with the video */
    int video_track;     /* tracks.h: FP_TRACK_DEFAULT (0), FP_TRACK_OFF, or the N-th from 1 */
    int audio_track;     /* likewise, for sound (with want_audio) */
    char *error;         /* if set, a line saying why opening failed, when it can say more */
    size_t error_size;
    int64_t max_pixels;  /* bound for the decoders that probing opens; 0: libavcodec's */
    int64_t max_packets; /* the stream ends after this many packets are read; 0: no limit */
} FPDemuxOptions;

/**
 * Open path (or read o->io, when set; then path only names the input), read
 * the stream parameters and pick the best video stream and, with
 * o->want_audio, the audio stream that goes with it. Runs on the caller's
 * thread, so that a bad file fails before any thread starts.
 *
 * o->io stays the caller's on success and on failure: the demuxer reads and
 * seeks through it, from the reader thread once started, but never closes it.
 * It must outlive fp_demux_free().
 *
 * @return 0; AVERROR_STREAM_NOT_FOUND when there is neither a video nor an
 *         audio stream to play; FP_ERROR_NO_SUCH_TRACK (player.h) when o asks for a track
 *         the input does not have; any error of avformat_open_input() or
 *         avformat_find_stream_info().
 */
int fp_demux_open(FPDemux **d, const char *path, const FPDemuxOptions *o);

/**
 * avformat_find_stream_info() on fmt with every decoder it opens bounded to
 * pictures of max_pixels (0: libavcodec's bound), so that a header that claims
 * a huge picture is not decoded at that size while probing. Also used by the
 * frame index's own demuxer.
 */
int fp_demux_find_stream_info(AVFormatContext *fmt, int64_t max_pixels);

/** The chosen audio stream, or NULL; owned by the demuxer. */
AVStream *fp_demux_audio_stream(FPDemux *d);

/** Read no audio after all (its decoder is missing). Before fp_demux_start(). */
void fp_demux_drop_audio(FPDemux *d);

/**
 * The n-th audio track (from 1, as --aid counts, in file order), or NULL when there is none;
 * owned by the demuxer. Before fp_demux_start(): the reader may add streams as it reads.
 */
AVStream *fp_demux_audio_track(FPDemux *d, int n);

/**
 * Ask the reader thread to pass the packets of st to q instead of those of the audio stream it
 * passes now, or no audio at all when st is NULL. The reader makes the switch between two
 * packets, within one read or PUT_SLICE_US (20 ms) of waiting for room in a queue: a packet of
 * the old stream it holds then is dropped, and no packet of the old stream reaches q. At the end
 * of the input q gets its end-of-stream marker. The streams not passed are discarded.
 *
 * @param st  An audio stream of this demuxer (read only: its index), or NULL.
 * @param q   Borrowed from the moment of the call: it must outlive the reader thread, or another
 *            switch away from it that fp_demux_switch_done() reports. Until then the reader may
 *            put into it. Unused when st is NULL.
 * @return the request's id, for fp_demux_switch_done(). Any thread; does not block.
 *         A newer request replaces one not yet carried out.
 */
int64_t fp_demux_switch_audio(FPDemux *d, const AVStream *st, FPPacketQueue *q);

/**
 * 1 once switch request id (or a newer one) was carried out: from then on the reader puts
 * nothing into the queue it passed audio to before. 0 while it is pending. Any thread.
 */
int fp_demux_switch_done(FPDemux *d, int64_t id);

/** The chosen video stream, or NULL for sound alone; owned by the demuxer. */
AVStream *fp_demux_video_stream(FPDemux *d);

/**
 * The first read that failed for another reason than the end of the input,
 * such as an I/O error of the file or device: the stream ended there. Any
 * thread; final once the reader thread was joined.
 *
 * @param pos  If not NULL, set to the byte position of the failure, or -1.
 * @return 0 when every read succeeded or ended at the end; else the error.
 */
int fp_demux_read_error(FPDemux *d, int64_t *pos);

/** Report reads and drops to t (borrowed; NULL: none). Before fp_demux_start(). */
void fp_demux_set_trace(FPDemux *d, FPTrace *t);

/**
 * Start the reader thread, which puts video packets into video_q and audio
 * packets into audio_q (NULL: none), and an end-of-stream marker into each
 * after the last one. Both are borrowed and must outlive the thread. A seek
 * flushes both.
 */
int fp_demux_start(FPDemux *d, FPPacketQueue *video_q, FPPacketQueue *audio_q);

/**
 * Ask the reader thread to stop: interrupts a blocking read. The caller must
 * also abort the packet queue, which wakes a blocked put. Any thread.
 */
void fp_demux_abort(FPDemux *d);

/** 1 when the input can seek (a file, not a pipe): seeks and back-steps beyond the history work. */
int fp_demux_seekable(const FPDemux *d);

/** 1 when the input can also be read from a byte position (FP_DEMUX_SEEK_BYTE). */
int fp_demux_byte_seekable(const FPDemux *d);

/** 1 when the format's timestamps may jump (AVFMT_TS_DISCONT: MPEG-TS and -PS). */
int fp_demux_ts_discont(const FPDemux *d);

/** The input's start time in AV_TIME_BASE units, or AV_NOPTS_VALUE. */
int64_t fp_demux_start_time(const FPDemux *d);

/** The input's duration as libavformat reads or guesses it, in AV_TIME_BASE units, or
 * AV_NOPTS_VALUE. */
int64_t fp_demux_duration(const FPDemux *d);

/** The video stream's frame rate as libavformat guesses it; 0/1 when unknown or no video. */
AVRational fp_demux_frame_rate(const FPDemux *d);

/**
 * 0, or the error that ended the reading early and should fail the run
 * (AVERROR(ENOMEM)); the stream still ended with its end-of-stream markers.
 * Final once the reader thread was joined. Any thread.
 */
int fp_demux_error(FPDemux *d);

/** Wait for the reader thread to end; call fp_demux_abort() and abort the queue first. */
void fp_demux_join(FPDemux *d);

/** Abort and join the reader thread if it runs, and close the input. d is set to NULL. */
void fp_demux_free(FPDemux **d);

/**
 * Ask the reader thread to seek: to the keyframe at or before ts (in the
 * video stream's time base, or the sound's in a file without video), flush
 * the packet queues and read on from there.
 * A request not yet started is replaced by a newer one, so repeated requests
 * coalesce. Any thread; does not block.
 *
 * @param flags  0, or FP_DEMUX_SEEK_START when ts is the first frame's: then
 *               formats whose timestamp search is unreliable seek to byte 0;
 *               or FP_DEMUX_SEEK_BYTE: ts is a byte position where a packet
 *               of the video stream starts (a raw stream's, from the frame
 *               index), and reading goes on from there.
 * @return the request's id, for fp_demux_seek_result().
 */
int64_t fp_demux_request_seek(FPDemux *d, int64_t ts, int flags);

/**
 * @return 0 while request id is pending; 1 once it, or a newer request, was
 *         carried out. Then *serial is the packet serial that the seek
 *         started, a negative AVERROR if it failed (nothing was flushed), or
 *         AVERROR(EAGAIN) if a newer request replaced it.
 */
int fp_demux_seek_result(FPDemux *d, int64_t id, int *serial);

#endif /* FRAMEPIPE_SRC_DEMUX_H */
