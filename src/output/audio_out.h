/*
 * Internal: the audio side of the render end. It takes decoded sample frames
 * from the audio frame queue and either plays them through an SDL audio
 * device (SDL calls back on its own audio thread), or, headless, consumes them
 * on a null-sink thread of its own as fast as they come, hashing them for
 * --audio-md5. audio_out.c does what both share; the two sinks sit
 * behind the interface in audio_sink.h (audio_device.c, audio_null.c).
 *
 * Frames are moved out of the queue (av_frame_move_ref) into the consumer's
 * own frame, converted by libswresample into a buffer the consumer owns, and
 * unreferenced at once: no sample frame outlives its conversion.
 *
 * The consumer drops frames from before the last seek (their serial no longer
 * matches the audio packet queue's) and, with a device, frames that end
 * before the video position, so that after a seek or a step the sound starts
 * where the picture is.
 *
 * Threads. The owner's thread (the player's) opens, starts and closes the
 * output, and reads the MD5. One consuming thread per output, the device's
 * callback or the null sink's thread, takes the frames; it runs from
 * fp_audio_out_start() until fp_audio_out_close(). Every other function is
 * safe from any thread while the output is open, and does not block.
 */
#ifndef FRAMEPIPE_SRC_AUDIO_OUT_H
#define FRAMEPIPE_SRC_AUDIO_OUT_H

#include <libavformat/avformat.h>

#include "framepipe/frame_queue.h"
#include "framepipe/packet_queue.h"
#include "trace.h"

typedef struct FPAudioOut FPAudioOut;

typedef struct FPAudioOutOptions {
    int headless; /* no device: a null sink that hashes what it consumes */
    int volume;   /* 0 to 100 */
    int ts_discont; /* the container's timestamps may jump (MPEG-TS, PS): AVFMT_TS_DISCONT */
    FPTrace *trace; /* borrowed, may be NULL; must outlive the output */
} FPAudioOutOptions;

/**
 * Make the output, paused and not consuming yet: with a device, opens it
 * (silent until fp_audio_out_start() and then until unpaused).
 *
 * @param a        On success set to the output, which the caller owns and
 *                 frees with fp_audio_out_close(); on failure set to NULL,
 *                 with nothing left open.
 * @param st       The audio stream, read during the call only (its time base
 *                 and parameters are copied).
 * @param frames   The audio frame queue (borrowed; must outlive the output).
 * @param packets  The audio packet queue (borrowed; must outlive the output),
 *                 whose serial tells stale frames.
 * @param o        Copied.
 * @return 0; AVERROR_EXTERNAL when SDL cannot open a device; AVERROR(ENOMEM).
 * The owner's thread.
 */
int fp_audio_out_open(FPAudioOut **a, const AVStream *st, FPFrameQueue *frames,
                      FPPacketQueue *packets, const FPAudioOutOptions *o);

/**
 * Start consuming: unpause the device, or start the null-sink thread. Call
 * once, after fp_audio_out_open().
 * @return 0; a negative AVERROR when the null-sink thread cannot be created
 *         (then nothing consumes).
 * The owner's thread; does not block.
 */
int fp_audio_out_start(FPAudioOut *a);

/**
 * Paused, the device ramps its last buffer down, then plays silence while
 * letting go of the sound the picture steps past, and the stream position
 * holds still; unpaused, it ramps back up from the picture's position. The
 * output starts paused. The null sink ignores this. Any thread.
 */
void fp_audio_out_set_paused(FPAudioOut *a, int paused);

/** The video's position (stream seconds): with a device, sound before it is dropped. Any thread. */
void fp_audio_out_set_position(FPAudioOut *a, double seconds);

/**
 * The stream time (seconds, in the audio stream's own timeline) of the sample
 * being heard at wall time now (fp_clock_now()).
 *
 * @param seconds  Set when 0 is returned; untouched otherwise.
 * @return 0; AVERROR(EAGAIN) while no sound is playing (not started, starved,
 *         paused, ended, sound from before a seek, no device): then the video
 *         clock leads.
 * Any thread; takes a lock the consumer holds only briefly.
 */
int fp_audio_out_clock(FPAudioOut *a, double now, double *seconds);

/**
 * With a device: the stream time of the first sample not yet handed to it,
 * where the sound resumes after a pause. NAN before any sound was played, and
 * always with the null sink. Any thread.
 */
double fp_audio_out_next_sound(FPAudioOut *a);

/** 1 when the sound goes to a device (it has a clock), 0 for the null sink. Any thread. */
int fp_audio_out_has_device(FPAudioOut *a);

/**
 * 1 once everything up to the end of the stream was consumed (and, with a
 * device, handed over); 0 again once a seek brings more. Any thread.
 */
int fp_audio_out_ended(FPAudioOut *a);

/** 0 to 100 (clipped). Any thread; the device follows from its next buffer. */
void fp_audio_out_set_volume(FPAudioOut *a, int volume);
/** 0 to 100, whether or not muted. Any thread. */
int fp_audio_out_volume(FPAudioOut *a);
/** Mute, or unmute to the volume set. Any thread. */
void fp_audio_out_toggle_mute(FPAudioOut *a);
/** 1 while muted. Any thread. */
int fp_audio_out_muted(FPAudioOut *a);

/**
 * Sound frames that could not be converted for the device or the null sink
 * (say, more channels than libswresample mixes): neither played nor hashed.
 * Any thread.
 */
int64_t fp_audio_out_convert_errors(FPAudioOut *a);

/**
 * Headless only: the MD5 of everything consumed, as interleaved signed
 * 16-bit, at each frame's own rate and layout; the hash then starts again.
 *
 * @param hex  Set to 32 lowercase hex digits and a NUL when 0 is returned.
 * @return 0; AVERROR(EINVAL) with a device; AVERROR(ENODATA) when not one
 *         sample was hashed.
 * The owner's thread, once the null sink has consumed everything
 * (fp_audio_out_ended()): it reads what the null-sink thread wrote.
 */
int fp_audio_out_md5(FPAudioOut *a, char hex[33]);

/**
 * Stop and free; *a may be NULL, and is set to NULL. Blocks:
 * with a device until a running callback returns; with the null sink until
 * its thread ends, so the frame queue must be aborted first when it runs.
 * A frame held by the consumer is released. The owner's thread.
 */
void fp_audio_out_close(FPAudioOut **a);

#endif /* FRAMEPIPE_SRC_AUDIO_OUT_H */
