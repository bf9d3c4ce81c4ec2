/*
 * Internal to src/output/: the seam between the audio output and what plays
 * its sound.
 *
 * audio_out.c owns everything that does not depend on where the sound goes:
 * taking sample frames from the frame queue, dropping stale ones, converting
 * them with libswresample, the stream's timeline, the clock, the volume. A
 * sink consumes the converted sound:
 *  - fp_audio_sink_device (audio_device.c): an SDL audio device, whose
 *    callback runs on SDL's audio thread;
 *  - fp_audio_sink_null (audio_null.c): headless, a thread of its own that
 *    consumes frames as fast as they come and hashes them for --audio-md5.
 *
 * The seam has two sides:
 *  - FPAudioSinkOps: what audio_out.c calls on the sink, from the owner's
 *    thread (the one that opens and closes the output) unless said otherwise;
 *  - the fp_audio_out_*() functions declared below: what the sink calls back.
 *
 * Threads. Each output has exactly one consuming thread: the device's
 * callback, or the null sink's thread. The functions marked "Consumer only"
 * touch state nobody else touches (the frame being converted, the resampler,
 * the timeline) and may be called only from it, and only between the sink's
 * start() and the return of its close(). The others are safe from any thread.
 * The consumer never holds a lock of its own across these calls.
 */
#ifndef FRAMEPIPE_SRC_AUDIO_SINK_H
#define FRAMEPIPE_SRC_AUDIO_SINK_H

#include <stdint.h>

#include <libavcodec/codec_par.h>

#include "audio_out.h"

/* What the sink wants the sound converted to: always interleaved signed 16-bit. */
typedef struct FPAudioSinkFormat {
    int sample_rate; /* 0: each frame's own rate */
    int channels;    /* 0: each frame's own layout; else the default layout of so many */
} FPAudioSinkFormat;

typedef struct FPAudioSinkOps {
    /*
     * 1 when the sink plays the sound as it is heard (a device): it has a
     * clock (fp_audio_out_clock()), and sound the picture has already passed is
     * dropped. 0 when it consumes the sound as fast as it comes (the null
     * sink): every frame of the current serial is converted.
     */
    int realtime;

    /**
     * Make the sink, not consuming yet.
     *
     * @param priv  On success set to the sink's state, which the caller owns
     *              and hands back to every other op; on failure set to NULL.
     * @param out   The output the sink consumes for (borrowed: it outlives the
     *              sink, whose close() it calls before it frees itself).
     * @param par   The audio stream's parameters, read during the call only.
     * @param fmt   Set on success to what the sink wants the sound converted to.
     * @return 0; AVERROR_EXTERNAL when SDL cannot open a device; AVERROR(ENOMEM).
     */
    int (*open)(void **priv, FPAudioOut *out, const AVCodecParameters *par, FPAudioSinkFormat *fmt);

    /**
     * Start consuming: the consuming thread calls back from now on. Called
     * once, after a successful open().
     * @return 0, or a negative AVERROR (the sink then consumes nothing).
     */
    int (*start)(void *priv);

    /**
     * May be NULL (the sink ignores pausing). Any thread; does not block.
     */
    void (*set_paused)(void *priv, int paused);

    /**
     * May be NULL (the sink does not hash: fp_audio_out_md5() then returns
     * AVERROR(EINVAL)). The MD5 of everything consumed since open() or the
     * last call, which starts the hash again. The owner's thread, once the
     * consumer has stopped or is waiting on the frame queue.
     * @return 0.
     */
    int (*md5)(void *priv, char hex[33]);

    /**
     * Stop consuming and free. On return no consuming thread runs, and never
     * will again. Blocks: with the device until a running callback returns;
     * with the null sink until its thread ends, so the frame queue must be
     * aborted first once start() succeeded. *priv may be NULL; it is set to NULL.
     */
    void (*close)(void **priv);
} FPAudioSinkOps;

extern const FPAudioSinkOps fp_audio_sink_device;
extern const FPAudioSinkOps fp_audio_sink_null;

/* The frame taken by fp_audio_out_next_frame(), described. */
typedef struct FPAudioFrameInfo {
    double start;    /* stream seconds; NAN when the frame has no timestamp */
    double duration; /* seconds */
    int serial;      /* the audio packet queue serial it was decoded under */
} FPAudioFrameInfo;

/**
 * Take the next frame worth playing from the frame queue, into the output's
 * own frame. Frames of an older serial than the packet queue's are dropped,
 * and for a realtime sink frames that end before the picture's position.
 * An end-of-stream marker of the current serial marks the output ended
 * (fp_audio_out_ended()); any frame clears that.
 *
 * @param timeout_us  As for fp_frame_queue_get(): < 0 waits, 0 does not.
 * @param info        Set when 0 is returned.
 * @return 0: a frame is held, and the next call must be fp_audio_out_convert(),
 *         which releases it; AVERROR(EAGAIN) when none came in time;
 *         AVERROR_EOF at an end-of-stream marker (a seek may bring more);
 *         AVERROR_EXIT once the frame queue is aborted.
 * Consumer only; blocks unless timeout_us is 0.
 */
int fp_audio_out_next_frame(FPAudioOut *a, int64_t timeout_us, FPAudioFrameInfo *info);

/**
 * Convert the frame held since fp_audio_out_next_frame() to interleaved S16
 * in the sink's format (or, where that says 0, the frame's own), and release
 * the frame whatever happens. A frame that fails is counted
 * (fp_audio_out_convert_errors()) and neither played nor hashed.
 *
 * @param buf       The consumer's buffer, *buf possibly NULL. It is grown with
 *                  av_fast_realloc() (*buf and *buf_size updated) to hold what
 *                  the resampler writes, which may be more channels than the
 *                  frame has. It stays the consumer's, also on failure.
 * @param offset    Where in *buf the samples go; the bytes before it are kept.
 * @return the bytes written at offset (possibly 0: the resampler holds some
 *         back), or a negative AVERROR (the conversion's, or ENOMEM).
 * Consumer only.
 */
int fp_audio_out_convert(FPAudioOut *a, uint8_t **buf, unsigned *buf_size, int offset);

/** Forget the samples the resampler holds back: they are from before a seek. Consumer only. */
void fp_audio_out_reset_resampler(FPAudioOut *a);

/**
 * Whether sound at stream time t is behind the picture, and not worth
 * playing. Notes when the picture has crossed a timeline break. Consumer only.
 */
int fp_audio_out_behind_picture(FPAudioOut *a, double t);

/**
 * 1 while the sound has jumped to another timeline that the picture has not
 * reached yet (spliced MPEG-TS): then the picture's position says nothing
 * about which sound is behind it. Consumer only.
 */
int fp_audio_out_timeline_broken(const FPAudioOut *a);

/**
 * Whether a gap of this many seconds between where the device is and where
 * the next sound starts is silence to play (1), or a discontinuity or broken
 * timestamp to play over (0). Consumer only.
 */
int fp_audio_out_gap_is_silence(const FPAudioOut *a, double gap);

/** The picture's position (fp_audio_out_set_position()), stream seconds. Any thread. */
double fp_audio_out_position(FPAudioOut *a);

/** The audio packet queue's serial now: sound of another is from before a seek. Any thread. */
int fp_audio_out_serial(FPAudioOut *a);

/** The volume to play at, 0 to 100: 0 while muted. Any thread. */
int fp_audio_out_gain(FPAudioOut *a);

/**
 * The sample at stream time pts is heard at wall time at (fp_clock_now()).
 * valid 0 says no sound is being heard. serial is the packet queue serial of
 * that sound: fp_audio_out_clock() answers only for the current one. Any
 * thread; takes the clock's lock briefly.
 */
void fp_audio_out_set_clock(FPAudioOut *a, double pts, double at, int valid, int serial);

/** Sets what fp_audio_out_next_sound() returns. Any thread. */
void fp_audio_out_set_next_sound(FPAudioOut *a, double seconds);

#endif /* FRAMEPIPE_SRC_AUDIO_SINK_H */
