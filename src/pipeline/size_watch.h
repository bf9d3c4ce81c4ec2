/*
 * Internal: the picture sizes libavutil refuses, and the errors decoders only log.
 *
 * av_image_check_size() refuses a size whose rows and planes it could not
 * address (60000x60000, say) before any demuxer or decoder sees a picture,
 * and only its log says which size that was. What reaches the caller is a
 * plain EINVAL, or worse: libavformat 5.1's Y4M reader adds a header length
 * to it and returns EBUSY. fp_size_watch_install() sets a log callback, once
 * per process, that hands every message on to av_log_default_callback()
 * unchanged and also notes the refused size, so that the error can name it.
 *
 * The note is per process, not per player: two players opening at once could
 * read each other's. It only ever changes an error message.
 */
#ifndef FRAMEPIPE_SRC_SIZE_WATCH_H
#define FRAMEPIPE_SRC_SIZE_WATCH_H

/** Set the log callback; any later call does nothing. Thread-safe. */
void fp_size_watch_install(void);

/**
 * How many sizes have been refused so far in this process. Two counts taken
 * before and after some work tell whether that work hit a refusal.
 */
unsigned fp_size_watch_count(void);

/** The last size refused; 0 and no change to width and height when none was. */
int fp_size_watch_last(unsigned *width, unsigned *height);

/**
 * How many errors decoders have logged so far in this process. A decoder may
 * drop a frame for an error it only logs (the H.264 decoder's "decode_slice_header
 * error" when an allocation fails returns no error to the caller): two counts
 * taken before and after a run tell whether its output may lack frames.
 */
unsigned fp_size_watch_decoder_errors(void);

/**
 * Until fp_log_capture_end(), what ctx logs on the calling thread is written
 * to `to` instead of the log, whatever its level: how the bitstream headers
 * that libavcodec's trace_headers filter logs are read (headers.c). Other
 * threads, and other contexts, log as before. Needs fp_size_watch_install().
 */
void fp_log_capture_begin(const void *ctx, struct AVBPrint *to);
void fp_log_capture_end(void);

#endif /* FRAMEPIPE_SRC_SIZE_WATCH_H */
