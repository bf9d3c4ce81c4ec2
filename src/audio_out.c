#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <SDL.h>
#include <libavutil/channel_layout.h>
#include <libavutil/md5.h>
#include <libavutil/mem.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>

#include "audio_out.h"
#include "clock.h"

/* Sound that stops mid-wave clicks: pausing and resuming ramp over this many samples. */
#define FADE_SAMPLES 256
/* The audio clock counts as running only if the device reported within this long. */
#define CLOCK_STALE_SECONDS 0.25
/* Sound kept after it was played, to start again exactly on the picture after a pause. */
#define KEEP_SECONDS 0.2
/*
 * Consecutive sound frames of one serial further apart than this are on two
 * timelines (spliced MPEG-TS): until the picture has crossed too, where it is
 * says nothing about which sound is behind it.
 */
#define TIMELINE_JUMP_SECONDS 1.0

struct FPAudioOut {
    FPAudioOutOptions opts;
    AVRational tb;
    FPFrameQueue *frames;   /* borrowed */
    FPPacketQueue *packets; /* borrowed */
    AVFrame *frame;         /* the consumer's: a frame lives here only while it is converted */
    SwrContext *swr;
    AVChannelLayout out_layout; /* the device's; the null sink keeps each frame's own */
    int out_rate; /* 0: each frame's own */
    AVChannelLayout in_layout; /* what swr was made for, or failed for */
    int in_format, in_rate;
    int out_channels; /* what swr makes: the device's, or (null sink) the frame's own */
    int swr_error; /* why swr could not be made for in_*: the next such frame fails at once */

    /* The device (SDL's audio thread runs the callback). */
    SDL_AudioDeviceID dev;
    SDL_AudioSpec spec;
    int bytes_per_second;
    uint8_t *buf; /* converted samples (with a device: not yet handed to SDL) */
    unsigned buf_size;
    int buf_len, buf_pos;
    double buf_end; /* stream seconds at the end of buf */
    int frame_serial, buf_serial; /* the packet queue serial of a->frame, and of buf's samples */
    int fade;       /* samples into a fade-in after a resume */
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

    /* The null sink. */
    pthread_t thread;
    int started;
    struct AVMD5 *md5;

    /* Shared with other threads. */
    pthread_mutex_t lock;
    double clock_pts, clock_at; /* under lock: heard at clock_at */
    int clock_valid, clock_serial; /* under lock; the clock of sound from before a seek is not */
    atomic_int paused;
    atomic_int ended;  /* the end-of-stream marker of the current serial was consumed */
    atomic_int volume; /* 0 to 100 */
    atomic_int muted;
    atomic_int convert_errors; /* frames that could not be converted: not played, not hashed */
    _Atomic double position;
    _Atomic double next_sound; /* stream time of the next sample not handed to the device yet */

    /* The consuming thread's: the last frame taken, and whether its timeline broke. */
    double last_end;
    int last_serial;
    int timeline_break;
};

static double frame_start(const FPAudioOut *a, const AVFrame *f)
{
    return f->best_effort_timestamp == AV_NOPTS_VALUE ? NAN
                                                      : f->best_effort_timestamp * av_q2d(a->tb);
}

/*
 * A resampler from f's format to interleaved S16: in the device's layout and
 * rate, or for the null sink in f's own. Made from the frames themselves, not
 * the stream parameters: a decoder may output another sample format, or
 * another channel count, than probing reported, and may change it.
 */
static int ensure_resampler(FPAudioOut *a, const AVFrame *f)
{
    AVChannelLayout in = {0}, out = {0};
    char layout[64] = "?";
    int ret;

    if ((a->swr || a->swr_error) && f->format == a->in_format && f->sample_rate == a->in_rate &&
        !av_channel_layout_compare(&f->ch_layout, &a->in_layout))
        return a->swr_error;
    swr_free(&a->swr);
    av_channel_layout_uninit(&a->in_layout);
    /* Copies: FFmpeg 5.1's swr_alloc_set_opts2() takes the layouts without const. */
    ret = av_channel_layout_copy(&in, &f->ch_layout);
    if (ret >= 0)
        ret = av_channel_layout_copy(&out, a->dev ? &a->out_layout : &f->ch_layout);
    a->out_channels = out.nb_channels;
    if (ret >= 0)
        ret = swr_alloc_set_opts2(&a->swr, &out, AV_SAMPLE_FMT_S16,
                                  a->out_rate ? a->out_rate : f->sample_rate, &in, f->format,
                                  f->sample_rate, 0, NULL);
    if (ret >= 0)
        ret = swr_init(a->swr);
    if (ret >= 0)
        ret = av_channel_layout_copy(&a->in_layout, &f->ch_layout);
    a->in_format = f->format;
    a->in_rate = f->sample_rate;
    a->swr_error = 0;
    av_channel_layout_uninit(&in);
    av_channel_layout_uninit(&out);
    if (ret < 0) {
        swr_free(&a->swr);
        /* Said once per format: its frames are counted (fp_audio_out_convert_errors()). */
        if (ret != AVERROR(ENOMEM) && av_channel_layout_copy(&a->in_layout, &f->ch_layout) >= 0)
            a->swr_error = ret;
        av_channel_layout_describe(&f->ch_layout, layout, sizeof(layout));
        av_log(NULL, AV_LOG_ERROR, "cannot convert the sound (%s, %s, %d Hz): %s\n", layout,
               av_get_sample_fmt_name(f->format) ? av_get_sample_fmt_name(f->format) : "?",
               f->sample_rate, av_err2str(ret));
    }
    return ret;
}

/*
 * Notes a jump of the sound's timestamps within one serial (see
 * TIMELINE_JUMP_SECONDS), in containers whose timestamps may jump; elsewhere
 * a gap in the sound is silence (fill_gap()).
 */
static void note_timeline(FPAudioOut *a, int serial, double start, double end)
{
    if (isnan(start))
        return;
    if (serial != a->last_serial)
        a->timeline_break = 0; /* a seek: the picture and the sound start again together */
    else if (a->opts.ts_discont && !isnan(a->last_end) &&
             fabs(start - a->last_end) > TIMELINE_JUMP_SECONDS)
        a->timeline_break = 1;
    a->last_serial = serial;
    a->last_end = end;
}

/* Whether sound at stream time t is behind the picture, and not worth playing. */
static int behind_picture(FPAudioOut *a, double t)
{
    double position = atomic_load(&a->position);

    if (a->timeline_break && fabs(position - t) < TIMELINE_JUMP_SECONDS)
        a->timeline_break = 0; /* the picture has crossed too */
    return !a->timeline_break && t < position;
}

/*
 * Takes the next frame worth playing into a->frame, dropping stale ones and
 * (with a device) ones that end before the video. 0, AVERROR(EAGAIN), AVERROR_EOF, AVERROR_EXIT.
 */
static int next_frame(FPAudioOut *a, int64_t timeout_us)
{
    for (;;) {
        int serial, ret = fp_frame_queue_get(a->frames, a->frame, &serial, timeout_us);
        double start, end;

        if (ret == AVERROR_EOF && serial == fp_packet_queue_serial(a->packets))
            atomic_store(&a->ended, 1);
        if (ret < 0)
            return ret;
        atomic_store(&a->ended, 0);
        start = frame_start(a, a->frame);
        end = start + (double)a->frame->nb_samples / a->frame->sample_rate;
        note_timeline(a, serial, start, end);
        if (serial != fp_packet_queue_serial(a->packets) ||
            (a->dev && !isnan(start) && behind_picture(a, end))) {
            fp_trace_event(a->opts.trace, FP_TRACE_FRAME, a->frame, "drop", NULL, -1);
            fp_trace_unref(a->opts.trace, FP_TRACE_FRAME, a->frame, NULL);
            continue;
        }
        a->frame_serial = serial;
        return 0;
    }
}

/*
 * Converts a->frame into a->buf, from byte offset on (what is before it is
 * kept), as interleaved S16 in a->out_channels, and releases the frame
 * whatever happens, so that a->frame is blank for the next get. The buffer
 * is sized for what the resampler writes, which may be more channels than
 * the frame has. Returns the bytes converted, or a negative error.
 */
static int resample(FPAudioOut *a, int offset)
{
    AVFrame *f = a->frame;
    int out_samples = 0, channels = 0, ret = ensure_resampler(a, f);

    if (ret >= 0) {
        channels = a->out_channels;
        out_samples = swr_get_out_samples(a->swr, f->nb_samples);
        ret = av_samples_get_buffer_size(NULL, channels, out_samples, AV_SAMPLE_FMT_S16, 1);
    }
    if (ret >= 0) {
        uint8_t *buf = av_fast_realloc(a->buf, &a->buf_size, (size_t)offset + FFMAX(ret, 1));
        if (buf)
            a->buf = buf;
        ret = buf ? 0 : AVERROR(ENOMEM);
    }
    if (ret >= 0) {
        uint8_t *out = a->buf + offset;
        ret = swr_convert(a->swr, &out, out_samples, (const uint8_t **)f->extended_data,
                          f->nb_samples);
    }
    if (ret >= 0) {
        ret *= 2 * channels;
        fp_trace_event(a->opts.trace, FP_TRACE_FRAME, f, "show", NULL, -1);
    } else {
        atomic_fetch_add(&a->convert_errors, 1);
    }
    fp_trace_unref(a->opts.trace, FP_TRACE_FRAME, f, NULL);
    return ret;
}

/* Stream time of the first sample in a->buf not handed to the device yet. */
static double buf_time(const FPAudioOut *a)
{
    return a->buf_end - (double)(a->buf_len - a->buf_pos) / a->bytes_per_second;
}

/*
 * Converts a->frame for the device into a->buf, and notes the stream time at
 * its end. The last KEEP_SECONDS played before it stay in front of it, when
 * the two are continuous, for a resume to go back to (rewind_to_position()).
 */
static int convert_for_device(FPAudioOut *a)
{
    double start = frame_start(a, a->frame);
    double length = (double)a->frame->nb_samples / a->frame->sample_rate;
    int sample = 2 * a->spec.channels, keep = 0, bytes;

    if (a->buf_serial == a->frame_serial && !isnan(start) && fabs(start - a->buf_end) < 0.001)
        keep = FFMIN(a->buf_pos, (int)(KEEP_SECONDS * a->bytes_per_second) / sample * sample);
    if (keep)
        memmove(a->buf, a->buf + a->buf_pos - keep, keep);
    bytes = resample(a, keep);
    a->buf_end = isnan(start) ? a->buf_end + length : start + length;
    a->buf_serial = a->frame_serial;
    if (bytes < 0)
        return bytes;
    a->buf_len = keep + bytes;
    a->buf_pos = keep;
    return 0;
}

/* On a resume: back to the picture's sample, if buf still holds it, since the pause fell later. */
static void rewind_to_position(FPAudioOut *a)
{
    double ahead = buf_time(a) - atomic_load(&a->position);
    int sample = 2 * a->spec.channels;

    if (ahead > 0 && a->buf_serial == fp_packet_queue_serial(a->packets) && !a->timeline_break) {
        int back = (int)FFMIN(ahead * a->bytes_per_second, INT_MAX) / sample * sample;
        a->buf_pos = FFMAX(a->buf_pos - back, 0);
    }
}

/*
 * Sound that starts later than where the device is (the first sound of a file
 * whose audio starts after its picture, or a hole in the sound) waits in
 * silence, so that each sample is heard at its own time: played at once, it
 * would pull the audio clock, and the picture with it, ahead by the gap. In
 * MPEG-TS and PS a gap of TIMELINE_JUMP_SECONDS or more is a discontinuity,
 * not silence; elsewhere a gap of up to MAX_GAP_SECONDS is filled, and a
 * longer one taken for a broken timestamp.
 * Returns the bytes of silence to hand over before buf, at most max.
 */
#define GAP_MIN_SECONDS 0.005
#define MAX_GAP_SECONDS 30.0

static int fill_gap(FPAudioOut *a, int max)
{
    double gap = buf_time(a) - a->cursor;
    double most = a->opts.ts_discont ? TIMELINE_JUMP_SECONDS : MAX_GAP_SECONDS;
    int sample = 2 * a->spec.channels;

    if (a->timeline_break || !(gap > GAP_MIN_SECONDS && gap < most))
        return 0;
    return FFMIN(max, (int)(gap * a->bytes_per_second) / sample * sample);
}

static void set_clock(FPAudioOut *a, double pts, double at, int valid)
{
    pthread_mutex_lock(&a->lock);
    a->clock_pts = pts;
    a->clock_at = at;
    a->clock_valid = valid;
    a->clock_serial = a->buf_serial;
    pthread_mutex_unlock(&a->lock);
}

/* Ramps len bytes of interleaved S16 from silence up (fade in) or down (fade out). */
static void ramp(FPAudioOut *a, uint8_t *data, int len, int fade_in)
{
    int16_t *s = (int16_t *)data;
    int frames = len / (2 * a->spec.channels);

    for (int i = 0; i < frames && i < FADE_SAMPLES; i++) {
        int gain = fade_in ? i : FADE_SAMPLES - i;
        for (int c = 0; c < a->spec.channels; c++)
            s[i * a->spec.channels + c] = (int16_t)(s[i * a->spec.channels + c] * gain / FADE_SAMPLES);
    }
    for (int i = FADE_SAMPLES; !fade_in && i < frames; i++)
        for (int c = 0; c < a->spec.channels; c++)
            s[i * a->spec.channels + c] = 0;
}

/*
 * Skips what the picture has left behind: whole frames in next_frame(), and
 * here the converted samples before the position, so the sound starts on the
 * picture's sample. Returns 1 when a->buf has sound left to play.
 */
static int skip_to_position(FPAudioOut *a)
{
    double behind;
    int sample = 2 * a->spec.channels;

    if (a->buf_pos < a->buf_len && a->buf_serial != fp_packet_queue_serial(a->packets)) {
        a->buf_pos = a->buf_len; /* converted before a seek */
        swr_free(&a->swr);       /* with whatever it holds back */
    }
    behind = atomic_load(&a->position) - buf_time(a);
    if (behind > 0 && a->buf_pos < a->buf_len && behind_picture(a, buf_time(a))) {
        int64_t skip = (int64_t)(behind * a->bytes_per_second) / sample * sample;
        a->buf_pos = (int)FFMIN(a->buf_len, a->buf_pos + skip);
    }
    return a->buf_pos < a->buf_len;
}

static void SDLCALL audio_callback(void *opaque, Uint8 *stream, int len)
{
    FPAudioOut *a = opaque;
    double now = fp_clock_now();
    int paused = atomic_load(&a->paused);
    int volume = atomic_load(&a->muted) ? 0 : atomic_load(&a->volume) * SDL_MIX_MAXVOLUME / 100;
    int written = 0, starved = 0, taken_from = a->buf_pos, fade_from = -1;

    memset(stream, a->spec.silence, len);
    if (paused && a->was_paused) {
        /*
         * Silent, but still letting go of the sound the picture steps past:
         * a paused player stepping forward would otherwise fill the audio
         * queues, and the reader would wait on them with the picture starved.
         */
        while (!skip_to_position(a) && next_frame(a, 0) >= 0)
            convert_for_device(a); /* a frame that cannot be converted is counted, and skipped */
        atomic_store(&a->next_sound, buf_time(a));
        set_clock(a, 0, now, 0);
        return;
    }
    if (!paused && a->was_paused) {
        rewind_to_position(a);
        a->cursor = atomic_load(&a->position);
        a->cursor_serial = a->buf_serial;
    }
    while (written < len) {
        int n;

        if (!skip_to_position(a)) {
            /*
             * The frame queue may hold less sound than one callback asks for
             * (small PCM frames): give the decoder up to half a buffer's time
             * to refill it before this buffer goes out short.
             */
            int64_t wait_us = llrint((now + 0.5 * len / a->bytes_per_second - fp_clock_now()) * 1e6);
            if (next_frame(a, FFMAX(wait_us, 0)) < 0) {
                /* No sound yet: the device goes on with the picture, for fill_gap(). */
                a->cursor = FFMAX(a->cursor, atomic_load(&a->position));
                starved = 1;
                break;
            }
            if (convert_for_device(a) >= 0)
                taken_from = 0;
            continue; /* a frame that cannot be converted is counted, and skipped */
        }
        /*
         * Sound from after a seek starts at the seek's target (the position),
         * or where it comes when the target is not known (a keyframe seek).
         * The picture may not have landed yet: it waits for this clock.
         */
        if (a->cursor_serial != a->buf_serial) {
            a->cursor = FFMIN(atomic_load(&a->position), buf_time(a));
            a->cursor_serial = a->buf_serial;
        }
        n = fill_gap(a, len - written);
        if (n > 0) { /* the stream is silence already */
            written += n;
            a->cursor += (double)n / a->bytes_per_second;
            a->fade_in_pending = 1;
            continue;
        }
        if (a->fade_in_pending) {
            fade_from = written;
            a->fade_in_pending = 0;
        }
        n = FFMIN(len - written, a->buf_len - a->buf_pos);
        SDL_MixAudioFormat(stream + written, a->buf + a->buf_pos, AUDIO_S16SYS, n, volume);
        a->buf_pos += n;
        written += n;
        a->cursor = buf_time(a);
    }
    if (fade_from >= 0)
        ramp(a, stream + fade_from, len - fade_from, 1);
    /*
     * A pause fades this last buffer out, and takes its samples back (those of
     * the frame still in buf) to play them after the pause; the first buffer
     * after it fades in.
     */
    if (paused) {
        ramp(a, stream, len, 0);
        a->buf_pos = taken_from;
    }
    else if (a->was_paused)
        ramp(a, stream, len, 1);
    a->was_paused = paused;
    atomic_store(&a->next_sound, buf_time(a));
    /*
     * The last byte handed over is heard once the device has played what it
     * holds: the cursor (buf_end minus what is still in buf, when no silence
     * filled a gap), minus the device's buffer.
     */
    set_clock(a, (starved ? buf_time(a) : a->cursor) - 2.0 * len / a->bytes_per_second, now,
              !paused && !starved);
}

/* The null sink: consumes everything as it comes and hashes it as interleaved S16. */
static void *sink_thread(void *opaque)
{
    FPAudioOut *a = opaque;

    fp_trace_set_thread("audio-out");
    for (;;) {
        AVFrame *f = a->frame;
        int bytes, ret = next_frame(a, -1);
        double end;

        if (ret == AVERROR_EOF)
            continue; /* a seek may bring more */
        if (ret < 0)
            break; /* aborted */
        end = frame_start(a, f) + (double)f->nb_samples / f->sample_rate;
        bytes = resample(a, 0); /* f is blank after this */
        if (bytes > 0)
            av_md5_update(a->md5, a->buf, bytes);
        set_clock(a, end, fp_clock_now(), 0);
    }
    return NULL;
}

static int open_device(FPAudioOut *a, const AVCodecParameters *par)
{
    SDL_AudioSpec want = {0};

    if (SDL_InitSubSystem(SDL_INIT_AUDIO)) {
        av_log(NULL, AV_LOG_ERROR, "SDL audio: %s\n", SDL_GetError());
        return AVERROR_EXTERNAL;
    }
    want.freq = par->sample_rate;
    want.format = AUDIO_S16SYS;
    want.channels = (Uint8)FFMIN(FFMAX(par->ch_layout.nb_channels, 1), 2);
    want.samples = 1024;
    want.callback = audio_callback;
    want.userdata = a;
    a->dev = SDL_OpenAudioDevice(NULL, 0, &want, &a->spec,
                                 SDL_AUDIO_ALLOW_FREQUENCY_CHANGE | SDL_AUDIO_ALLOW_CHANNELS_CHANGE);
    if (!a->dev) {
        av_log(NULL, AV_LOG_ERROR, "SDL audio: %s\n", SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return AVERROR_EXTERNAL;
    }
    a->bytes_per_second = a->spec.freq * a->spec.channels * 2;
    av_channel_layout_default(&a->out_layout, a->spec.channels);
    a->out_rate = a->spec.freq;
    return 0;
}

/*
 * The null sink hashes the sound at its own rate and channels, as
 * 'ffmpeg -i F -map 0:a:0 -f s16le -' writes it: each frame's own
 * (ensure_resampler()), not the stream's, which a frame may contradict.
 */
static int open_sink(FPAudioOut *a)
{
    a->md5 = av_md5_alloc();
    if (!a->md5)
        return AVERROR(ENOMEM);
    av_md5_init(a->md5);
    a->out_rate = 0; /* each frame's own */
    return 0;
}

int fp_audio_out_open(FPAudioOut **out, const AVStream *st, FPFrameQueue *frames,
                      FPPacketQueue *packets, const FPAudioOutOptions *o)
{
    FPAudioOut *a = av_mallocz(sizeof(*a));
    int ret;

    *out = NULL;
    if (!a)
        return AVERROR(ENOMEM);
    a->opts = *o;
    a->tb = st->time_base;
    a->frames = frames;
    a->packets = packets;
    a->frame = av_frame_alloc();
    atomic_store(&a->volume, av_clip(o->volume, 0, 100));
    atomic_store(&a->paused, 1); /* silent until the first picture is up: the player unpauses */
    a->was_paused = 1;
    atomic_store(&a->position, -INFINITY);
    a->last_end = NAN;
    a->last_serial = -1;
    atomic_store(&a->next_sound, NAN);
    pthread_mutex_init(&a->lock, NULL);
    ret = a->frame ? 0 : AVERROR(ENOMEM);
    if (ret >= 0)
        ret = o->headless ? open_sink(a) : open_device(a, st->codecpar);
    if (ret < 0) {
        fp_audio_out_close(&a);
        return ret;
    }
    *out = a;
    return 0;
}

int fp_audio_out_start(FPAudioOut *a)
{
    int ret;

    if (a->dev) {
        SDL_PauseAudioDevice(a->dev, 0);
        return 0;
    }
    ret = pthread_create(&a->thread, NULL, sink_thread, a);
    if (ret)
        return AVERROR(ret);
    a->started = 1;
    return 0;
}

void fp_audio_out_set_paused(FPAudioOut *a, int paused)
{
    atomic_store(&a->paused, paused);
}

void fp_audio_out_set_position(FPAudioOut *a, double seconds)
{
    atomic_store(&a->position, seconds);
}

int fp_audio_out_clock(FPAudioOut *a, double now, double *seconds)
{
    int ret = AVERROR(EAGAIN), serial = fp_packet_queue_serial(a->packets);

    pthread_mutex_lock(&a->lock);
    if (a->dev && a->clock_valid && a->clock_serial == serial &&
        now - a->clock_at < CLOCK_STALE_SECONDS) {
        *seconds = a->clock_pts + (now - a->clock_at);
        ret = 0;
    }
    pthread_mutex_unlock(&a->lock);
    return ret;
}

double fp_audio_out_next_sound(FPAudioOut *a)
{
    return atomic_load(&a->next_sound);
}

int fp_audio_out_has_device(FPAudioOut *a)
{
    return a->dev != 0;
}

int fp_audio_out_ended(FPAudioOut *a)
{
    return atomic_load(&a->ended);
}

void fp_audio_out_set_volume(FPAudioOut *a, int volume)
{
    atomic_store(&a->volume, av_clip(volume, 0, 100));
}

int fp_audio_out_volume(FPAudioOut *a)
{
    return atomic_load(&a->volume);
}

void fp_audio_out_toggle_mute(FPAudioOut *a)
{
    atomic_store(&a->muted, !atomic_load(&a->muted));
}

int64_t fp_audio_out_convert_errors(FPAudioOut *a)
{
    return atomic_load(&a->convert_errors);
}

int fp_audio_out_md5(FPAudioOut *a, char hex[33])
{
    uint8_t digest[16];

    if (!a->md5)
        return AVERROR(EINVAL);
    av_md5_final(a->md5, digest);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    av_md5_init(a->md5);
    return 0;
}

void fp_audio_out_close(FPAudioOut **pa)
{
    FPAudioOut *a = *pa;

    if (!a)
        return;
    if (a->dev) {
        SDL_CloseAudioDevice(a->dev); /* waits for a running callback to return */
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
    if (a->started)
        pthread_join(a->thread, NULL);
    swr_free(&a->swr);
    av_channel_layout_uninit(&a->in_layout);
    av_channel_layout_uninit(&a->out_layout);
    av_free(a->buf);
    av_free(a->md5);
    av_frame_free(&a->frame);
    pthread_mutex_destroy(&a->lock);
    av_freep(pa);
}
