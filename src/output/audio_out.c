#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

#include <libavutil/channel_layout.h>
#include <libavutil/mem.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>

#include "audio_out.h"
#include "audio_sink.h"

/* The audio clock counts as running only if the device reported within this long. */
#define CLOCK_STALE_SECONDS 0.25
/*
 * Consecutive sound frames of one serial further apart than this are on two
 * timelines (spliced MPEG-TS): until the picture has crossed too, where it is
 * says nothing about which sound is behind it.
 */
#define TIMELINE_JUMP_SECONDS 1.0
/* Shorter gaps are rounding, not missing sound. */
#define GAP_MIN_SECONDS 0.005
/* Outside MPEG-TS and PS, a longer gap is taken for a broken timestamp. */
#define MAX_GAP_SECONDS 30.0

struct FPAudioOut {
    FPAudioOutOptions opts;
    AVRational tb;
    FPFrameQueue *frames;   /* borrowed */
    FPPacketQueue *packets; /* borrowed */
    const FPAudioSinkOps *sink;
    void *sink_priv; /* the sink's, owned by this output: freed by sink->close() */

    /* The consuming thread's (see audio_sink.h): nobody else touches these once started. */
    AVFrame *frame; /* a frame lives here only from next_frame() to its conversion */
    SwrContext *swr;
    AVChannelLayout out_layout; /* the sink's; nb_channels 0 (the null sink): each frame's own */
    int out_rate;               /* 0: each frame's own */
    AVChannelLayout in_layout;  /* what swr was made for, or failed for */
    int in_format, in_rate;
    int out_channels; /* what swr makes: the sink's, or each frame's own */
    int swr_error;    /* why swr could not be made for in_*: the next such frame fails at once */
    /* The last frame taken, and whether its timeline broke. */
    double last_end;
    int last_serial;
    int timeline_break;

    /* Shared with other threads. */
    pthread_mutex_t lock;
    double clock_pts, clock_at;    /* under lock: heard at clock_at */
    int clock_valid, clock_serial; /* under lock; the clock of sound from before a seek is not */
    atomic_int ended;              /* the end-of-stream marker of the current serial was consumed */
    atomic_int volume;             /* 0 to 100 */
    atomic_int muted;
    atomic_int convert_errors; /* frames that could not be converted: not played, not hashed */
    _Atomic double position;
    _Atomic double next_sound; /* stream time of the next sample not handed to the device yet */
};

static double frame_start(const FPAudioOut *a, const AVFrame *f)
{
    return f->best_effort_timestamp == AV_NOPTS_VALUE ? NAN
                                                      : f->best_effort_timestamp * av_q2d(a->tb);
}

/*
 * A resampler from f's format to interleaved S16: in the sink's layout and
 * rate, or where the sink leaves them open (the null sink) in f's own. Made
 * from the frames themselves, not the stream parameters: a decoder may output
 * another sample format, or another channel count, than probing reported, and
 * may change it. Converting each frame to its own layout is what keeps the
 * null sink's buffer the size of what swr writes into it.
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
        ret = av_channel_layout_copy(&out,
                                     a->out_layout.nb_channels ? &a->out_layout : &f->ch_layout);
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
 * a gap in the sound is silence (fp_audio_out_gap_is_silence()).
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

int fp_audio_out_behind_picture(FPAudioOut *a, double t)
{
    double position = atomic_load(&a->position);

    if (a->timeline_break && fabs(position - t) < TIMELINE_JUMP_SECONDS)
        a->timeline_break = 0; /* the picture has crossed too */
    return !a->timeline_break && t < position;
}

int fp_audio_out_timeline_broken(const FPAudioOut *a)
{
    return a->timeline_break;
}

/*
 * Sound that starts later than where the device is waits in silence, so that
 * each sample is heard at its own time. In MPEG-TS and PS a gap of
 * TIMELINE_JUMP_SECONDS or more is a discontinuity, not silence; elsewhere a
 * gap of up to MAX_GAP_SECONDS is filled, and a longer one taken for a broken
 * timestamp.
 */
int fp_audio_out_gap_is_silence(const FPAudioOut *a, double gap)
{
    double most = a->opts.ts_discont ? TIMELINE_JUMP_SECONDS : MAX_GAP_SECONDS;

    return !a->timeline_break && gap > GAP_MIN_SECONDS && gap < most;
}

int fp_audio_out_next_frame(FPAudioOut *a, int64_t timeout_us, FPAudioFrameInfo *info)
{
    for (;;) {
        int serial, ret = fp_frame_queue_get(a->frames, a->frame, &serial, timeout_us);
        double start, duration, end;

        if (ret == AVERROR_EOF && serial == fp_packet_queue_serial(a->packets))
            atomic_store(&a->ended, 1);
        if (ret < 0)
            return ret;
        atomic_store(&a->ended, 0);
        start = frame_start(a, a->frame);
        duration = (double)a->frame->nb_samples / a->frame->sample_rate;
        end = start + duration;
        note_timeline(a, serial, start, end);
        if (serial != fp_packet_queue_serial(a->packets) ||
            (a->sink->realtime && !isnan(start) && fp_audio_out_behind_picture(a, end))) {
            fp_trace_event(a->opts.trace, FP_TRACE_FRAME, a->frame, "drop", NULL, -1);
            fp_trace_unref(a->opts.trace, FP_TRACE_FRAME, a->frame, NULL);
            continue;
        }
        info->start = start;
        info->duration = duration;
        info->serial = serial;
        return 0;
    }
}

/* The frame is released on every path, so that a->frame is blank for the next get. */
int fp_audio_out_convert(FPAudioOut *a, uint8_t **buf, unsigned *buf_size, int offset)
{
    AVFrame *f = a->frame;
    int out_samples = 0, channels = 0, ret = ensure_resampler(a, f);

    if (ret >= 0) {
        channels = a->out_channels;
        out_samples = swr_get_out_samples(a->swr, f->nb_samples);
        ret = av_samples_get_buffer_size(NULL, channels, out_samples, AV_SAMPLE_FMT_S16, 1);
    }
    if (ret >= 0) {
        uint8_t *grown = av_fast_realloc(*buf, buf_size, (size_t)offset + FFMAX(ret, 1));
        if (grown)
            *buf = grown;
        ret = grown ? 0 : AVERROR(ENOMEM);
    }
    if (ret >= 0) {
        uint8_t *out = *buf + offset;
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

void fp_audio_out_reset_resampler(FPAudioOut *a)
{
    swr_free(&a->swr);
}

double fp_audio_out_position(FPAudioOut *a)
{
    return atomic_load(&a->position);
}

int fp_audio_out_serial(FPAudioOut *a)
{
    return fp_packet_queue_serial(a->packets);
}

int fp_audio_out_gain(FPAudioOut *a)
{
    return atomic_load(&a->muted) ? 0 : atomic_load(&a->volume);
}

void fp_audio_out_set_clock(FPAudioOut *a, double pts, double at, int valid, int serial)
{
    pthread_mutex_lock(&a->lock);
    a->clock_pts = pts;
    a->clock_at = at;
    a->clock_valid = valid;
    a->clock_serial = serial;
    pthread_mutex_unlock(&a->lock);
}

void fp_audio_out_set_next_sound(FPAudioOut *a, double seconds)
{
    atomic_store(&a->next_sound, seconds);
}

int fp_audio_out_open(FPAudioOut **out, const AVStream *st, FPFrameQueue *frames,
                      FPPacketQueue *packets, const FPAudioOutOptions *o)
{
    FPAudioOut *a = av_mallocz(sizeof(*a));
    FPAudioSinkFormat fmt = {0};
    int ret;

    *out = NULL;
    if (!a)
        return AVERROR(ENOMEM);
    a->opts = *o;
    a->tb = st->time_base;
    a->frames = frames;
    a->packets = packets;
    a->sink = o->headless ? &fp_audio_sink_null : &fp_audio_sink_device;
    a->frame = av_frame_alloc();
    atomic_store(&a->volume, av_clip(o->volume, 0, 100));
    atomic_store(&a->position, -INFINITY);
    a->last_end = NAN;
    a->last_serial = -1;
    atomic_store(&a->next_sound, NAN);
    pthread_mutex_init(&a->lock, NULL);
    ret = a->frame ? 0 : AVERROR(ENOMEM);
    /* The sink does not consume before start(): a is complete by then. */
    if (ret >= 0)
        ret = a->sink->open(&a->sink_priv, a, st->codecpar, &fmt);
    if (ret >= 0 && fmt.channels)
        av_channel_layout_default(&a->out_layout, fmt.channels);
    a->out_rate = fmt.sample_rate;
    if (ret < 0) {
        fp_audio_out_close(&a);
        return ret;
    }
    *out = a;
    return 0;
}

int fp_audio_out_start(FPAudioOut *a)
{
    return a->sink->start(a->sink_priv);
}

void fp_audio_out_set_paused(FPAudioOut *a, int paused)
{
    if (a->sink->set_paused)
        a->sink->set_paused(a->sink_priv, paused);
}

void fp_audio_out_set_position(FPAudioOut *a, double seconds)
{
    atomic_store(&a->position, seconds);
}

int fp_audio_out_clock(FPAudioOut *a, double now, double *seconds)
{
    int ret = AVERROR(EAGAIN), serial = fp_packet_queue_serial(a->packets);

    pthread_mutex_lock(&a->lock);
    if (a->sink->realtime && a->clock_valid && a->clock_serial == serial &&
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
    return a->sink->realtime;
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

int fp_audio_out_muted(FPAudioOut *a)
{
    return atomic_load(&a->muted);
}

int64_t fp_audio_out_convert_errors(FPAudioOut *a)
{
    return atomic_load(&a->convert_errors);
}

int fp_audio_out_md5(FPAudioOut *a, char hex[33])
{
    return a->sink->md5 ? a->sink->md5(a->sink_priv, hex) : AVERROR(EINVAL);
}

void fp_audio_out_close(FPAudioOut **pa)
{
    FPAudioOut *a = *pa;

    if (!a)
        return;
    /* First, so that no consumer runs while what it uses is freed. */
    a->sink->close(&a->sink_priv);
    swr_free(&a->swr);
    av_channel_layout_uninit(&a->in_layout);
    av_channel_layout_uninit(&a->out_layout);
    av_frame_free(&a->frame);
    pthread_mutex_destroy(&a->lock);
    av_freep(pa);
}
