/*
 * Internal: the audio side of the render end. It takes decoded sample frames
 * from the audio frame queue and either plays them through an SDL audio
 * device (SDL calls back on its own audio thread), or, headless, consumes them
 * on a null-sink thread of its own as fast as they come, hashing them for
 * --audio-md5.
 *
 * Frames are moved out of the queue (av_frame_move_ref) into the consumer's
 * own frame, converted by libswresample into a buffer the consumer owns, and
 * unreferenced at once: no sample frame outlives its conversion.
 *
 * The consumer drops frames from before the last seek (their serial no longer
 * matches the audio packet queue's) and, with a device, frames that end
 * before the video position, so that after a seek or a step the sound starts
 * where the picture is.
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
    FPTrace *trace;
} FPAudioOutOptions;

/**
 * @param st       The audio stream (borrowed), for its time base and format.
 * @param frames   The audio frame queue (borrowed; must outlive the output).
 * @param packets  The audio packet queue (borrowed), whose serial tells stale frames.
 * @return 0; AVERROR_EXTERNAL when SDL cannot open a device; AVERROR(ENOMEM).
 */
int fp_audio_out_open(FPAudioOut **a, const AVStream *st, FPFrameQueue *frames,
                      FPPacketQueue *packets, const FPAudioOutOptions *o);

/** Start consuming: unpause the device, or start the null-sink thread. */
int fp_audio_out_start(FPAudioOut *a);

/** Paused, the device plays silence and the stream position holds still. Any thread. */
void fp_audio_out_set_paused(FPAudioOut *a, int paused);

/** The video's position (stream seconds): with a device, sound before it is dropped. */
void fp_audio_out_set_position(FPAudioOut *a, double seconds);

/**
 * The stream time (seconds, in the audio stream's own timeline) of the sample
 * being heard at wall time now (fp_clock_now()).
 *
 * @return 0; AVERROR(EAGAIN) while no sound is playing (not started, starved,
 *         paused, ended): then the video clock leads.
 */
int fp_audio_out_clock(FPAudioOut *a, double now, double *seconds);

/**
 * With a device: the stream time of the first sample not yet handed to it,
 * where the sound resumes after a pause. NAN before any sound was played.
 */
double fp_audio_out_next_sound(FPAudioOut *a);

/** 1 when the sound goes to a device (it has a clock), 0 for the null sink. */
int fp_audio_out_has_device(FPAudioOut *a);

/** 1 once everything up to the end of the stream was consumed (and, with a device, handed over). */
int fp_audio_out_ended(FPAudioOut *a);

/** 0 to 100. */
void fp_audio_out_set_volume(FPAudioOut *a, int volume);
int fp_audio_out_volume(FPAudioOut *a);
void fp_audio_out_toggle_mute(FPAudioOut *a);

/**
 * Sound frames that could not be converted for the device or the null sink
 * (say, more channels than libswresample mixes): neither played nor hashed.
 */
int64_t fp_audio_out_convert_errors(FPAudioOut *a);

/** Headless only: the MD5 of everything consumed, as interleaved signed 16-bit. */
int fp_audio_out_md5(FPAudioOut *a, char hex[33]);

/** Stop and free; the frame queue must be aborted first when a sink thread runs. NULL accepted. */
void fp_audio_out_close(FPAudioOut **a);

#endif /* FRAMEPIPE_SRC_AUDIO_OUT_H */
