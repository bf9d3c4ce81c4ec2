/*
 * FPIndex: a table of every packet of one video stream of an input, built in
 * the background.
 *
 * The index opens the input a second time, with its own demuxer, and reads it
 * from start to end with av_read_frame() on a thread of its own, every other
 * stream discarded (AVDISCARD_ALL). Playback never waits for it: the player's
 * reader and the scanner share nothing but the path.
 *
 * Each packet is recorded as av_read_frame() gave it, after the parser, as
 * ffprobe -show_packets shows it: pts, dts, duration, size, byte position and
 * flags. That is the decode (file) order, packet n being the n-th packet of
 * the stream, from 0.
 *
 * When the scan ends, the display order is worked out: each packet that will
 * show a picture gets a display number, from 0, as ffmpeg's framemd5 numbers
 * the frames it writes (its n-th data line is frame n):
 *
 *   - Packets flagged AV_PKT_FLAG_DISCARD (the part of a GOP before an MP4 edit
 *     list starts) decode but are never shown: they get no display number.
 *   - Frames are ordered by pts; two frames with the same pts keep their
 *     decode order.
 *   - Timestamps that go back (dts smaller than the previous packet's, as at
 *     the joins of concatenated MPEG-TS pieces) start a new segment. Segments
 *     are shown one after the other, in decode order, each sorted by pts on
 *     its own: the later piece is shown after the earlier one even though its
 *     clock is behind.
 *   - A packet without pts but with dts (MPEG-PS leaves some I- and P-frames
 *     without one): in a stream without reordering its display timestamp is
 *     its dts. In a stream with reordering (some pts differs from its dts, or
 *     the codec reports a reorder delay) it is a reference frame, shown after
 *     the B-frames that follow it: its display timestamp is estimated as the
 *     dts of the next packet of its segment that is a delayed reference frame
 *     too (pts > dts, or no pts). That is right for MPEG-1/2, where B-frames
 *     are never references (the MPEG-PS asset agrees with ffmpeg), not for
 *     B-pyramids. Without such a packet it is shown last in its segment, its
 *     display timestamp unknown.
 *   - A packet with neither pts nor dts (raw .h264 and .hevc: the demuxer
 *     knows no time at all) is placed right after the packet decoded before
 *     it. In a stream where no packet has a time this is the decode order:
 *     it equals ffmpeg's numbering only if the codec does not reorder.
 *     FPIndexInfo says which rule numbered the stream, and the codec's
 *     reorder delay, so that a caller can tell.
 *
 * A packet carrying several coded frames (a VP9 superframe with a hidden
 * alt-ref frame, an AV1 temporal unit) shows one picture and is one frame.
 * A packet that decodes to no picture at all is still numbered (a hidden VP9
 * frame in a container that did not pack it into a superframe): the index
 * reads packets and never decodes, so it cannot know.
 *
 * Picture types: each packet also passes whole through the libavcodec
 * parser of its codec (av_parser_init(), PARSER_FLAG_COMPLETE_FRAMES), which
 * reads its headers, never its picture, on the scanning thread, and
 * FPIndexEntry.pict_type keeps what the parser says. tests/test_index.c
 * compares it with the decoder's AVFrame.pict_type on every asset
 * (tests/ref/pict_types/): every frame of every asset of a typed codec
 * agrees. What each codec gets, and where the two may part:
 *
 *   - H.264, HEVC: the type of the packet's first slice, which the decoders
 *     take too; of a frame coded as two H.264 fields of different types,
 *     the decoder may give the second's. A packet with no slice at all
 *     (parameter sets alone) is I, the H.264 parser's default.
 *   - MPEG-1/2 video: the type of the packet's last picture header. For a
 *     frame coded as two field pictures, that is the second field's (P for an
 *     I field followed by a P field), where the decoder types the frame by
 *     its first field.
 *   - MPEG-4 part 2: the type of the packet's first VOP (S for a sprite or
 *     global-motion VOP). A "packed" AVI packet (a P- and a B-VOP together,
 *     as DivX wrote them) is typed by its P.
 *   - VP9: I for a keyframe, P for any other frame. An intra-only frame is
 *     P here and I to the decoder. A superframe (a hidden alt-ref frame and
 *     the shown frame in one packet) is typed by its first frame.
 *   - AV1: the type of the temporal unit's shown frame: I for a key or
 *     intra-only frame, P for an inter frame, SP for a switch frame, as
 *     libdav1d types them. AV1 has no B: frames that predict from both sides
 *     are P.
 *   - Theora: I or P, as the decoder says.
 *   - VP8 and VC-1 have parsers that give types too; no asset checks them.
 *   - Every other codec gets AV_PICTURE_TYPE_NONE: those without a parser
 *     (FFV1, raw video, APNG) and those whose parser reads no type (PNG,
 *     MJPEG, GIF). Their decoders say I for every frame (FFV1, raw video,
 *     PNG and MJPEG are intra-only: AV_CODEC_PROP_INTRA_ONLY), but GIF's,
 *     which says P after the first frame.
 *
 * Memory: 34 bytes a packet while the scan runs (the table grows by half
 * when full; the slack is given back at the end), 8 more for the display
 * order and 8 a keyframe; ordering borrows 32 bytes a packet for a moment.
 * A two-hour film at 60 fps (432,000 frames) takes about 18 MB.
 *
 * Threads: fp_index_open(), fp_index_start() and fp_index_free() belong to the
 * index's owner: one thread at a time, as for any object. Every other
 * function may be called from any thread at any moment between open and
 * free, also while the scanner appends. They take a mutex for a copy or a
 * binary search (never across a call into FFmpeg); none waits for the scan
 * to make progress except fp_index_wait().
 */
#ifndef FRAMEPIPE_INDEX_H
#define FRAMEPIPE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include <libavcodec/packet.h> /* AV_PKT_FLAG_* */
#include <libavutil/avutil.h>  /* AV_NOPTS_VALUE */
#include <libavutil/rational.h>

typedef struct FPIndex FPIndex;

/** How display numbers were given; see the top of this file. */
typedef enum FPIndexOrder {
    FP_INDEX_ORDER_PTS = 0,       /**< every shown frame had a pts: sorted by pts */
    FP_INDEX_ORDER_ESTIMATED = 1, /**< some had none: their places were estimated */
    FP_INDEX_ORDER_DECODE = 2,    /**< no frame had a time: decode order */
} FPIndexOrder;

/** One packet, as av_read_frame() returned it, with its place in both orders. */
typedef struct FPIndexEntry {
    int64_t pts;      /**< AV_NOPTS_VALUE when the packet had none */
    int64_t dts;      /**< AV_NOPTS_VALUE when the packet had none */
    int64_t duration; /**< 0 when unknown */
    int64_t pos;      /**< byte position in the input, -1 when unknown */
    int size;         /**< bytes of payload */
    int flags;        /**< AV_PKT_FLAG_KEY, AV_PKT_FLAG_CORRUPT, AV_PKT_FLAG_DISCARD */
    int key;          /**< 1 for a keyframe (flags & AV_PKT_FLAG_KEY), else 0 */
    /**
     * 1 for an IDR picture of a raw H.264 or HEVC stream (Annex B) that has
     * no leading pictures: decoding can start at its byte position, and every
     * picture decoded after it is shown after it, so that it is shown as
     * many frames after the first as packets come before it.
     */
    int idr;
    /**
     * enum AVPictureType of the picture, as the codec's parser read it (see
     * the top of this file): AV_PICTURE_TYPE_I, _P, _B, _S, _SI, _SP or _BI;
     * AV_PICTURE_TYPE_NONE when the codec has no parser or the parser did not
     * say. av_get_picture_type_char() names it. Known as soon as the packet is.
     */
    int8_t pict_type;
    int64_t display_ts; /**< pts; for a packet without one, the estimate that placed it, or
                             AV_NOPTS_VALUE when there is none. AV_NOPTS_VALUE for a packet
                             never shown, and for every packet until the order is known. */
    int64_t packet;     /**< number in decode order, from 0 */
    int64_t frame;      /**< display number, from 0; -1 for a packet that is never shown,
                             and for every packet until the display order is known */
} FPIndexEntry;

/** What the index knows of its stream, as a consistent snapshot. */
typedef struct FPIndexInfo {
    int stream_index;     /**< the indexed stream in the input's list */
    AVRational time_base; /**< of every timestamp and duration in an FPIndexEntry */
    int reorder_delay;    /**< the codec's reorder delay in frames (codecpar video_delay) */
    int64_t packets;      /**< packets recorded so far; final once the scan ended */
    int64_t frames;       /**< frames with a display number; -1 until the order is known */
    int64_t keyframes;    /**< keyframes among them; -1 until the order is known */
    int64_t estimated;    /**< frames placed by an estimate or by decode order; -1 likewise */
    int segments;         /**< runs of timestamps that do not go back; 0 likewise */
    int64_t duration;     /**< the duration every packet recorded has; 0 when they differ */
    FPIndexOrder order;   /**< which rule numbered the frames; valid once frames >= 0 */
} FPIndexInfo;

/**
 * Open path with a demuxer of the index's own and read its stream parameters
 * (avformat_find_stream_info(), as the player's demuxer and ffprobe do), on
 * the caller's thread, so that a bad input fails here. Nothing is read beyond
 * probing until fp_index_start().
 *
 * @param ix            Set to the new index on success, to NULL on failure.
 * @param path          The input, as for avformat_open_input(); the index
 *                      keeps no pointer to it.
 * @param stream_index  The stream to index, as the input numbers its streams
 *                      (AVStream.index); it must be a video stream. -1: the
 *                      video stream the player shows by default (never a
 *                      cover picture or an alpha plane while a real picture
 *                      exists; see src/pipeline/tracks.h).
 * @param max_pixels    The largest picture probing may decode, as the player's
 *                      own probing is bounded (FPPlayerOptions.max_pixels); 0:
 *                      libavcodec's bound.
 * @return 0; AVERROR(EINVAL) for stream_index < -1; AVERROR_STREAM_NOT_FOUND
 *         when the input has no such stream, it is not video, or (for -1) the
 *         input has no video; AVERROR(ENOMEM); any error of
 *         avformat_open_input() (AVERROR(ENOENT) for a missing file,
 *         AVERROR_INVALIDDATA for one that is not media) or
 *         avformat_find_stream_info().
 * Blocks for the opening and probing. Owner's thread.
 */
int fp_index_open(FPIndex **ix, const char *path, int stream_index, int64_t max_pixels);

/**
 * Start the scanning thread. It reads every packet, records those of the
 * stream, then works out the display order and ends. Its outcome is read
 * with fp_index_done() or fp_index_wait().
 *
 * @return 0; AVERROR(EINVAL) if it was started before; AVERROR_EXIT if
 *         fp_index_abort() was called before (no thread is started);
 *         AVERROR(EAGAIN) or AVERROR(ENOMEM) when no thread can be created.
 * Does not block. Owner's thread.
 */
int fp_index_start(FPIndex *ix);

/**
 * Wait for the scan to end.
 *
 * @param timeout_us  < 0: without limit; 0: do not wait; > 0: at most that long.
 * @return 0 once the scan read the whole stream and the display order is
 *         known; AVERROR(EAGAIN) while it still runs after timeout_us;
 *         AVERROR_EXIT once fp_index_abort() was called, at once, also while
 *         waiting (unless the scan had completed before: then 0); AVERROR(EINVAL)
 *         when the scan was never started (without waiting: it would never
 *         end); otherwise the error that ended the scan early: the first read
 *         error other than the end of the input (AVERROR(EIO) for a failing
 *         disk, say), AVERROR(ENOMEM), or AVERROR(ERANGE) for a stream of
 *         more than 2^31 - 1 packets. After such an error the packets read
 *         before it stay indexed and numbered, and every lookup works on them.
 * Blocks for at most timeout_us. Any thread.
 */
int fp_index_wait(FPIndex *ix, int64_t timeout_us);

/**
 * @return 1 once the scan read the whole stream and the display order is
 *         known; 0 while it runs, and before fp_index_start(); a negative
 *         AVERROR when it ended early, as fp_index_wait() would return it.
 * Does not block. Any thread.
 */
int fp_index_done(FPIndex *ix);

/**
 * @return how many packets of the stream are recorded: it grows while the
 *         scan runs and is final once it ended. Packets numbered below it can
 *         be read with fp_index_get_decode() at once.
 * Does not block. Any thread.
 */
int64_t fp_index_count(FPIndex *ix);

/**
 * Fill info with a consistent snapshot of what the index knows.
 * Does not block. Any thread.
 */
void fp_index_info(FPIndex *ix, FPIndexInfo *info);

/**
 * The frame with display number frame.
 *
 * @param e  Filled on success; untouched on failure.
 * @return 0; AVERROR(EAGAIN) while the display order is not known yet (the
 *         scan runs or was not started); AVERROR_EXIT once the scan was
 *         aborted before it completed; AVERROR(ENOMEM) when the scan ran out
 *         of memory before it could order the frames; AVERROR(ERANGE) for a
 *         frame outside [0, FPIndexInfo.frames).
 * Does not block. Any thread.
 */
int fp_index_get(FPIndex *ix, int64_t frame, FPIndexEntry *e);

/**
 * The n-th packet in decode (file) order. Works while the scan runs: for
 * n < fp_index_count(). Until the display order is known, e->frame is -1 and
 * e->display_ts is AV_NOPTS_VALUE.
 *
 * @param e  Filled on success; untouched on failure.
 * @return 0; AVERROR(ERANGE) for n outside [0, fp_index_count()): not read
 *         yet, or (once the scan ended, for whatever reason) not in the stream.
 * Does not block. Any thread.
 */
int fp_index_get_decode(FPIndex *ix, int64_t n, FPIndexEntry *e);

/**
 * The display number of the frame whose display_ts (its pts, or the estimate
 * for a frame without one) is pts. When several frames have that time, the
 * first in display order; when timestamps go back (several segments), the
 * first segment in display order that has one.
 *
 * @param pts  In FPIndexInfo.time_base.
 * @return the display number (>= 0); AVERROR(ENOENT) when no frame has that
 *         time; AVERROR(EINVAL) for AV_NOPTS_VALUE; otherwise as fp_index_get()
 *         (AVERROR(EAGAIN), AVERROR_EXIT, AVERROR(ENOMEM)).
 * Does not block. Any thread.
 */
int64_t fp_index_frame_of_pts(FPIndex *ix, int64_t pts);

/**
 * The keyframe to start decoding from to show display frame frame: the last
 * keyframe at or before it in display order. For a B-frame shown before the
 * keyframe it follows in the file (an open GOP), that is the keyframe before:
 * decoding from it reaches the B-frame with its references. A keyframe that
 * is decoded but never shown (flagged discard: the GOP an MP4 edit list cuts
 * into) counts as placed by its pts, just before the frames shown after it,
 * so it is the answer for the first frames; its entry has frame -1.
 *
 * @param e  Filled on success; untouched on failure.
 * @return 0; AVERROR(ENOENT) when no keyframe is at or before frame;
 *         otherwise as fp_index_get(), AVERROR(ERANGE) included.
 * Does not block. Any thread.
 */
int fp_index_key_for_frame(FPIndex *ix, int64_t frame, FPIndexEntry *e);

/**
 * The last keyframe, in display order, whose time is at or before pts:
 * where to start decoding to show the frame at pts, as fp_index_key_for_frame()
 * gives it for the last frame whose display_ts is at or before pts (a
 * keyframe that is never shown included). Keyframes without a time are never
 * chosen, and pts before the first shown frame's has none. When timestamps go back (several
 * segments), the first segment in display order whose times span pts answers; when none spans it,
 * the keyframe with the greatest display_ts at or before pts.
 *
 * @param pts  In FPIndexInfo.time_base.
 * @param e    Filled on success; untouched on failure.
 * @return 0; AVERROR(ENOENT) when there is no such keyframe (pts is before
 *         the first, or the stream has no times); AVERROR(EINVAL) for
 *         AV_NOPTS_VALUE; otherwise as fp_index_get() (AVERROR(EAGAIN),
 *         AVERROR_EXIT, AVERROR(ENOMEM)).
 * Does not block. Any thread.
 */
int fp_index_key_at_or_before(FPIndex *ix, int64_t pts, FPIndexEntry *e);

/**
 * The last packet flagged idr (FPIndexEntry.idr) whose decode number is
 * packet or less: where a raw stream can be entered by its byte position.
 * @return 0 with *e filled; AVERROR(ENOENT) when there is none.
 */
int fp_index_idr_at_or_before(FPIndex *ix, int64_t packet, FPIndexEntry *e);

/** One frame of a GOP, as fp_index_gop() lists it. */
typedef struct FPIndexGopFrame {
    int64_t frame;    /**< display number */
    int64_t packet;   /**< decode number (FPIndexEntry.packet) */
    int64_t pts;      /**< FPIndexEntry.pts: AV_NOPTS_VALUE when the packet had none */
    int size;         /**< bytes of payload */
    int8_t pict_type; /**< FPIndexEntry.pict_type: an enum AVPictureType */
    int8_t key;       /**< 1 for a keyframe */
} FPIndexGopFrame;

/** Where the frames that fp_index_gop() listed lie. */
typedef struct FPIndexGop {
    int64_t frame;  /**< the frame asked about: one of those listed */
    int64_t first;  /**< the display number of the GOP's first frame */
    int64_t end;    /**< one past its last; the GOP is [first, end) */
    int64_t frames; /**< frames in the stream (FPIndexInfo.frames) */
    int count;      /**< frames listed, the return value of fp_index_gop() */
} FPIndexGop;

/**
 * The frames of the GOP around display frame frame, in display order, for a
 * strip that shows how the decoder reorders them.
 *
 * The GOP runs from the last keyframe at or before frame in display order
 * (as fp_index_key_for_frame() finds it; the place of a keyframe that is
 * never shown, where an MP4 edit list cuts into a GOP; frame 0 when there is
 * no keyframe that early) up to the frame before the next keyframe in display
 * order, or the last frame. In an open GOP the B-frames shown just before a
 * keyframe are decoded after it: they end the GOP before it, with decode
 * numbers above the keyframe's. When the GOP has more than max frames, a
 * window of max consecutive frames of it is listed, frame in its middle
 * (frame - max / 2 first) unless that would pass an end of the GOP.
 *
 * @param frame   A display number, in [0, FPIndexInfo.frames).
 * @param frames  Room for max frames; frames[0, return value) is filled on
 *                success, in display order, consecutive display numbers.
 *                Untouched on failure.
 * @param max     At least 1.
 * @param gop     NULL, or filled on success with where the frames lie (what
 *                fp_index_gop_format() prints); untouched on failure.
 * @return how many frames were listed (1 to max); AVERROR(EINVAL) for
 *         max < 1; otherwise as fp_index_get(): AVERROR(EAGAIN) while the
 *         display order is not known, AVERROR_EXIT, AVERROR(ENOMEM),
 *         AVERROR(ERANGE) for a frame outside [0, FPIndexInfo.frames).
 * Holds the lock for a copy of max frames at most. Does not block. Any thread.
 */
int fp_index_gop(FPIndex *ix, int64_t frame, FPIndexGopFrame *frames, int max, FPIndexGop *gop);

/**
 * Write a GOP listed by fp_index_gop() as one line of text, without a
 * newline, for the script command gop and the log:
 *
 *   gop 0-29 of 90: I0(d0) B1(d2) B2(d3) [P3(d1)] B4(d6) B5(d5) B6(d7) P7(d4) ...
 *   gop 12-23 of 100: ... B19(d20) B20(d21) P21(d19) B22(d23) [B23(d24)]
 *
 * "gop FIRST-LAST of FRAMES:" gives the GOP's display numbers, its last
 * included, and the frames in the stream. Each frame follows, in display
 * order, as its type letter (av_get_picture_type_char(): I, P, B, S; i, p, b
 * for SI, SP, BI), its display number and, in parentheses, d and its decode
 * number. A frame of unknown type is K when it is a keyframe, else ?. The
 * frame asked about is in brackets. When a window of the GOP is listed, "..."
 * stands for the frames left out at either end.
 *
 * @param buf   Receives the line, cut to size - 1 characters and always
 *              terminated when size > 0; may be NULL when size is 0.
 * @return the length of the whole line, as snprintf() returns it (size or
 *         more: it was cut); AVERROR(EINVAL) when gop does not describe
 *         frames (count < 1, or frame not among them); AVERROR(ERANGE) for a
 *         line longer than INT32_MAX.
 * Does not block. Any thread: it reads only its arguments.
 */
int fp_index_gop_format(const FPIndexGop *gop, const FPIndexGopFrame *frames, char *buf,
                        size_t size);

/**
 * Stop the scan: an interrupt callback makes a read in progress return, and
 * the thread ends without ordering what it read. Waiters return AVERROR_EXIT
 * at once. A scan that had already completed stays complete and usable.
 * Cannot be undone.
 * Does not block. Any thread.
 */
void fp_index_abort(FPIndex *ix);

/**
 * Abort the scan, wait for its thread to end (promptly, whatever the size of
 * the input), close the input and free everything. No other thread may be
 * using the index.
 *
 * @param ix  The index, or a pointer to NULL (nothing happens). Set to NULL.
 * Blocks until the thread ended. Owner's thread.
 */
void fp_index_free(FPIndex **ix);

#endif /* FRAMEPIPE_INDEX_H */
