/*
 * The SDL audio device sink (audio_sink.h). SDL calls audio_callback() on its
 * own audio thread: that is the output's consuming thread, and the only one
 * that touches this file's state, apart from `paused`, which the render
 * thread sets. Open and close run on the owner's thread while no callback
 * can: SDL opens a device paused, and SDL_CloseAudioDevice() waits for a
 * running callback to return.
 */
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include <SDL.h>
#include <libavutil/common.h>
#include <libavutil/mem.h>

#include "audio_sink.h"
#include "clock.h"

/* Sound that stops mid-wave clicks: pausing and resuming ramp over this many samples. */
#define FADE_SAMPLES 256
/* Sound kept after it was played, to start again exactly on the picture after a pause. */
#define KEEP_SECONDS 0.2

typedef struct FPAudioDevice {
    FPAudioOut *out; /* borrowed: the output this device plays for, which closes it */
    SDL_AudioDeviceID id;
    SDL_AudioSpec spec;
    int bytes_per_second;
    atomic_int paused; /* set from any thread; the callback follows it */

    /* The callback's (SDL's audio thread). */
    uint8_t *buf; /* converted: before buf_pos up to KEEP_SECONDS handed to SDL, then what is not */
    unsigned buf_size;
    int buf_len, buf_pos;
    double buf_end; /* stream seconds at the end of buf */
    int buf_serial; /* the packet queue serial of buf's samples */
    int was_paused;
    /*
     * The stream time of the next byte handed to the device: buf_time() while
     * the sound plays on, earlier while silence fills a gap before sound that
     * starts later than it should (see fill_gap()). The picture's position
     * when playing starts or resumes, the seek's target after a seek.
     */
    double cursor;
    int cursor_serial;
    int fade_in_pending; /* sound after filled silence starts with a fade-in */
} FPAudioDevice;

/* Stream time of the first sample in d->buf not handed to the device yet. */
static double buf_time(const FPAudioDevice *d)
{
    return d->buf_end - (double)(d->buf_len - d->buf_pos) / d->bytes_per_second;
}

/*
 * Converts the frame just taken (info) into d->buf, and notes the stream time
 * at its end. The last KEEP_SECONDS played before it stay in front of it,
 * when the two are continuous, for a resume to go back to
 * (rewind_to_position()).
 */
static int convert(FPAudioDevice *d, const FPAudioFrameInfo *info)
{
    int sample = 2 * d->spec.channels, keep = 0, bytes;

    if (d->buf_serial == info->serial && !isnan(info->start) &&
        fabs(info->start - d->buf_end) < 0.001)
        keep = FFMIN(d->buf_pos, (int)(KEEP_SECONDS * d->bytes_per_second) / sample * sample);
    if (keep)
        memmove(d->buf, d->buf + d->buf_pos - keep, keep);
    bytes = fp_audio_out_convert(d->out, &d->buf, &d->buf_size, keep);
    d->buf_end = isnan(info->start) ? d->buf_end + info->duration : info->start + info->duration;
    d->buf_serial = info->serial;
    if (bytes < 0)
        return bytes;
    d->buf_len = keep + bytes;
    d->buf_pos = keep;
    return 0;
}

/*
 * Takes the next frame and converts it. Returns 1 when it converted; 0 when
 * it could not be (it is counted, and skipped); a negative AVERROR from
 * fp_audio_out_next_frame() when no frame came.
 */
static int take(FPAudioDevice *d, int64_t timeout_us)
{
    FPAudioFrameInfo info;
    int ret = fp_audio_out_next_frame(d->out, timeout_us, &info);

    if (ret < 0)
        return ret;
    return convert(d, &info) >= 0;
}

/* On a resume: back to the picture's sample, if buf still holds it, since the pause fell later. */
static void rewind_to_position(FPAudioDevice *d)
{
    double ahead = buf_time(d) - fp_audio_out_position(d->out);
    int sample = 2 * d->spec.channels;

    if (ahead > 0 && d->buf_serial == fp_audio_out_serial(d->out) &&
        !fp_audio_out_timeline_broken(d->out)) {
        int back = (int)FFMIN(ahead * d->bytes_per_second, INT_MAX) / sample * sample;
        d->buf_pos = FFMAX(d->buf_pos - back, 0);
    }
}

/*
 * Sound that starts later than where the device is (the first sound of a file
 * whose audio starts after its picture, or a hole in the sound) waits in
 * silence, so that each sample is heard at its own time: played at once, it
 * would pull the audio clock, and the picture with it, ahead by the gap.
 * Which gaps are silence is the timeline's call (fp_audio_out_gap_is_silence()).
 * Returns the bytes of silence to hand over before buf, at most max.
 */
static int fill_gap(FPAudioDevice *d, int max)
{
    double gap = buf_time(d) - d->cursor;
    int sample = 2 * d->spec.channels;

    if (!fp_audio_out_gap_is_silence(d->out, gap))
        return 0;
    return FFMIN(max, (int)(gap * d->bytes_per_second) / sample * sample);
}

/* Ramps len bytes of interleaved S16 from silence up (fade in) or down (fade out). */
static void ramp(const FPAudioDevice *d, uint8_t *data, int len, int fade_in)
{
    int16_t *s = (int16_t *)data;
    int channels = d->spec.channels, frames = len / (2 * channels);

    for (int i = 0; i < frames && i < FADE_SAMPLES; i++) {
        int gain = fade_in ? i : FADE_SAMPLES - i;
        for (int c = 0; c < channels; c++)
            s[i * channels + c] = (int16_t)(s[i * channels + c] * gain / FADE_SAMPLES);
    }
    for (int i = FADE_SAMPLES; !fade_in && i < frames; i++)
        for (int c = 0; c < channels; c++)
            s[i * channels + c] = 0;
}

/*
 * Skips what the picture has left behind: whole frames in
 * fp_audio_out_next_frame(), and here the converted samples before the
 * position, so the sound starts on the picture's sample. Returns 1 when
 * d->buf has sound left to play.
 */
static int skip_to_position(FPAudioDevice *d)
{
    double behind;
    int sample = 2 * d->spec.channels;

    if (d->buf_pos < d->buf_len && d->buf_serial != fp_audio_out_serial(d->out)) {
        d->buf_pos = d->buf_len;              /* converted before a seek */
        fp_audio_out_reset_resampler(d->out); /* with whatever it holds back */
    }
    behind = fp_audio_out_position(d->out) - buf_time(d);
    if (behind > 0 && d->buf_pos < d->buf_len && fp_audio_out_behind_picture(d->out, buf_time(d))) {
        int64_t skip = (int64_t)(behind * d->bytes_per_second) / sample * sample;
        d->buf_pos = (int)FFMIN(d->buf_len, d->buf_pos + skip);
    }
    return d->buf_pos < d->buf_len;
}

static void SDLCALL audio_callback(void *opaque, Uint8 *stream, int len)
{
    FPAudioDevice *d = opaque;
    FPAudioOut *a = d->out;
    double now = fp_clock_now();
    int paused = atomic_load(&d->paused);
    int volume = fp_audio_out_gain(a) * SDL_MIX_MAXVOLUME / 100;
    int written = 0, starved = 0, taken_from = d->buf_pos, fade_from = -1;

    memset(stream, d->spec.silence, len);
    if (paused && d->was_paused) {
        /*
         * Silent, but still letting go of the sound the picture steps past:
         * a paused player stepping forward would otherwise fill the audio
         * queues, and the reader would wait on them with the picture starved.
         */
        while (!skip_to_position(d) && take(d, 0) >= 0)
            continue;
        fp_audio_out_set_next_sound(a, buf_time(d));
        fp_audio_out_set_clock(a, 0, now, 0, d->buf_serial);
        return;
    }
    if (!paused && d->was_paused) {
        rewind_to_position(d);
        d->cursor = fp_audio_out_position(a);
        d->cursor_serial = d->buf_serial;
    }
    while (written < len) {
        int n;

        if (!skip_to_position(d)) {
            /*
             * The frame queue may hold less sound than one callback asks for
             * (small PCM frames): give the decoder up to half a buffer's time
             * to refill it before this buffer goes out short.
             */
            int64_t wait_us =
                llrint((now + 0.5 * len / d->bytes_per_second - fp_clock_now()) * 1e6);
            int taken = take(d, FFMAX(wait_us, 0));
            if (taken < 0) {
                /* No sound yet: the device goes on with the picture, for fill_gap(). */
                d->cursor = FFMAX(d->cursor, fp_audio_out_position(a));
                starved = 1;
                break;
            }
            if (taken > 0)
                taken_from = 0;
            continue;
        }
        /*
         * Sound from after a seek starts at the seek's target (the position),
         * or where it comes when the target is not known (a keyframe seek).
         * The picture may not have landed yet: it waits for this clock.
         */
        if (d->cursor_serial != d->buf_serial) {
            d->cursor = FFMIN(fp_audio_out_position(a), buf_time(d));
            d->cursor_serial = d->buf_serial;
        }
        n = fill_gap(d, len - written);
        if (n > 0) { /* the stream is silence already */
            written += n;
            d->cursor += (double)n / d->bytes_per_second;
            d->fade_in_pending = 1;
            continue;
        }
        if (d->fade_in_pending) {
            fade_from = written;
            d->fade_in_pending = 0;
        }
        n = FFMIN(len - written, d->buf_len - d->buf_pos);
        SDL_MixAudioFormat(stream + written, d->buf + d->buf_pos, AUDIO_S16SYS, n, volume);
        d->buf_pos += n;
        written += n;
        d->cursor = buf_time(d);
    }
    if (fade_from >= 0)
        ramp(d, stream + fade_from, len - fade_from, 1);
    /*
     * A pause fades this last buffer out, and takes its samples back (those of
     * the frame still in buf) to play them after the pause; the first buffer
     * after it fades in.
     */
    if (paused) {
        ramp(d, stream, len, 0);
        d->buf_pos = taken_from;
    } else if (d->was_paused)
        ramp(d, stream, len, 1);
    d->was_paused = paused;
    fp_audio_out_set_next_sound(a, buf_time(d));
    /*
     * The last byte handed over is heard once the device has played what it
     * holds: the cursor (buf_end minus what is still in buf, when no silence
     * filled a gap), minus the device's buffer.
     */
    fp_audio_out_set_clock(a, (starved ? buf_time(d) : d->cursor) - 2.0 * len / d->bytes_per_second,
                           now, !paused && !starved, d->buf_serial);
}

static void device_close(void **priv)
{
    FPAudioDevice *d = *priv;

    if (!d)
        return;
    if (d->id) {
        SDL_CloseAudioDevice(d->id); /* waits for a running callback to return */
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
    av_free(d->buf);
    av_freep(priv);
}

static int device_open(void **priv, FPAudioOut *out, const AVCodecParameters *par,
                       FPAudioSinkFormat *fmt)
{
    FPAudioDevice *d = av_mallocz(sizeof(*d));
    SDL_AudioSpec want = {0};

    *priv = NULL;
    if (!d)
        return AVERROR(ENOMEM);
    d->out = out;
    atomic_store(&d->paused, 1); /* silent until the first picture is up: the player unpauses */
    d->was_paused = 1;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO)) {
        av_log(NULL, AV_LOG_ERROR, "SDL audio: %s\n", SDL_GetError());
        av_free(d);
        return AVERROR_EXTERNAL;
    }
    want.freq = par->sample_rate;
    want.format = AUDIO_S16SYS;
    want.channels = (Uint8)FFMIN(FFMAX(par->ch_layout.nb_channels, 1), 2);
    want.samples = 1024;
    want.callback = audio_callback;
    want.userdata = d;
    /* SDL opens the device paused: the callback waits for device_start(). */
    d->id = SDL_OpenAudioDevice(NULL, 0, &want, &d->spec,
                                SDL_AUDIO_ALLOW_FREQUENCY_CHANGE | SDL_AUDIO_ALLOW_CHANNELS_CHANGE);
    if (!d->id) {
        av_log(NULL, AV_LOG_ERROR, "SDL audio: %s\n", SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        av_free(d);
        return AVERROR_EXTERNAL;
    }
    d->bytes_per_second = d->spec.freq * d->spec.channels * 2;
    fmt->sample_rate = d->spec.freq;
    fmt->channels = d->spec.channels;
    *priv = d;
    return 0;
}

static int device_start(void *priv)
{
    FPAudioDevice *d = priv;

    SDL_PauseAudioDevice(d->id, 0);
    return 0;
}

/* The device keeps running while paused: the callback ramps down, then plays silence. */
static void device_set_paused(void *priv, int paused)
{
    FPAudioDevice *d = priv;

    atomic_store(&d->paused, paused);
}

const FPAudioSinkOps fp_audio_sink_device = {
    .realtime = 1,
    .open = device_open,
    .start = device_start,
    .set_paused = device_set_paused,
    .close = device_close,
};
