#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/frame.h>
#include <libavutil/time.h>

#include "picture.h"
#include "player_internal.h"
#include "render_sdl.h"
#include "size_watch.h"

void fp_player_options_default(FPPlayerOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->packet_queue_max_count = 64;
    o->packet_queue_max_bytes = 8 << 20;
    o->frame_queue_size = 4;
    o->step_history_bytes = (size_t)256 << 20;
    o->volume = 100;
    o->max_pixels = FP_MAX_PIXELS;
    o->loop_a = o->loop_b = -1;
}

const char *fp_strerror(int err, char *buf, size_t size)
{
    if (err == FP_ERROR_NO_FRAMES)
        av_strlcpy(buf, "no decodable video frames", size);
    else if (err == FP_ERROR_TOO_LARGE)
        av_strlcpy(buf, "picture too large", size);
    else if (err == FP_ERROR_NO_SUCH_TRACK)
        av_strlcpy(buf, "no such track", size);
    else if (err == AVERROR_STREAM_NOT_FOUND)
        av_strlcpy(buf, "no video or audio stream", size);
    else
        av_strerror(err, buf, size);
    return buf;
}

/* The one line for FPPlayerOptions.error, when the caller gave a buffer. */
static void set_error(const FPPlayerOptions *o, const char *fmt, ...) av_printf_format(2, 3);
static void set_error(const FPPlayerOptions *o, const char *fmt, ...)
{
    va_list args;

    if (!o->error || !o->error_size)
        return;
    va_start(args, fmt);
    vsnprintf(o->error, o->error_size, fmt, args);
    va_end(args);
}

void fp_player_set_error(FPPlayer *p, const char *fmt, ...)
{
    va_list args;

    if (!p->opts.error || !p->opts.error_size)
        return;
    va_start(args, fmt);
    vsnprintf(p->opts.error, p->opts.error_size, fmt, args);
    va_end(args);
}

static void say_too_large(const FPPlayerOptions *o, unsigned width, unsigned height)
{
    /* Sizes libavutil refused may be anything up to UINT_MAX each: their product fits in
     * 64 bits unsigned only. */
    if (o->max_pixels > 0 && (uint64_t)width * height > (uint64_t)o->max_pixels)
        set_error(o, "picture size %ux%u is over the limit of %lld pixels", width, height,
                  (long long)o->max_pixels);
    else
        set_error(o, "picture size %ux%u is too large for libavutil", width, height);
}

/*
 * A header may claim any size; probing already refused to decode a picture
 * over the limit, and this says so before any thread starts.
 */
static int check_picture_size(const FPPlayerOptions *o, const AVCodecParameters *par)
{
    if (o->max_pixels <= 0 || (int64_t)par->width * par->height <= o->max_pixels)
        return 0;
    say_too_large(o, par->width, par->height);
    return FP_ERROR_TOO_LARGE;
}

/*
 * libavutil refused a picture size since the count `since` (see size_watch.h):
 * that is why ret failed, and the error names the size. Running out of memory
 * stays what it is.
 */
static int name_refused_size(const FPPlayerOptions *o, unsigned since, int ret)
{
    unsigned width, height;

    if (ret >= 0 || ret == AVERROR(ENOMEM) || ret == FP_ERROR_TOO_LARGE ||
        fp_size_watch_count() == since || !fp_size_watch_last(&width, &height))
        return ret;
    say_too_large(o, width, height);
    return FP_ERROR_TOO_LARGE;
}

/*
 * The window (unless headless), then the caller's sink. The window first:
 * SDL's hints are not thread-safe, and opening it sets some, while an open
 * audio device already runs SDL's audio thread.
 */
static int open_sinks(FPPlayer *p, const char *path)
{
    AVStream *st = p->video_st;
    FPVideoFormat fmt = {
        .name = path,
        .has_video = !!st,
        .width = st ? st->codecpar->width : 0,
        .height = st ? st->codecpar->height : 0,
        .sar = st ? av_guess_sample_aspect_ratio(NULL, st, NULL) : (AVRational){0, 1},
        .orientation = p->orientation,
        .time_base = st ? st->time_base : (AVRational){1, AV_TIME_BASE},
        .frame_rate = fp_demux_frame_rate(p->demux),
        .start_time = fp_demux_start_time(p->demux),
        .error = p->opts.error,
        .error_size = p->opts.error_size,
    };
    int ret;

    if (!p->opts.headless) {
        ret = fp_window_sink_alloc(&p->window);
        if (ret < 0)
            return ret;
        p->sinks[p->nb_sinks++] = p->window;
    }
    if (p->opts.sink)
        p->sinks[p->nb_sinks++] = p->opts.sink;
    for (int i = 0; i < p->nb_sinks; i++) {
        ret = p->sinks[i]->open(p->sinks[i], &fmt);
        if (ret < 0)
            return ret;
    }
    return 0;
}

static int open_input(FPPlayer **out, const char *path, AVIOContext *io,
                      const FPPlayerOptions *o)
{
    FPDemuxOptions demux_opts = {.io = io, .want_audio = !o->no_audio,
                                 .video_track = o->video_track, .audio_track = o->audio_track,
                                 .error = o->error, .error_size = o->error_size,
                                 .max_pixels = o->max_pixels, .max_packets = o->max_packets};
    FPPlayer *p;
    unsigned size_refusals;
    int ret;

    *out = NULL;
    set_error(o, "%s", "");
    fp_size_watch_install();
    size_refusals = fp_size_watch_count();
    p = av_mallocz(sizeof(*p));
    if (!p)
        return AVERROR(ENOMEM);
    p->opts = *o;
    p->size_refusals = size_refusals;
    p->opts.trace_ownership = NULL;
    p->first_pts = AV_NOPTS_VALUE;
    p->jump_ts = AV_NOPTS_VALUE;
    ret = fp_inbox_init(p);
    if (ret < 0) {
        av_free(p);
        return ret;
    }
    pthread_mutex_init(&p->drift_lock, NULL);
    pthread_mutex_init(&p->tracks.lock, NULL);
    p->path = av_strdup(path);
    p->pending = av_frame_alloc();
    if (!p->path || !p->pending) {
        ret = AVERROR(ENOMEM);
        goto fail;
    }
    /* Headless with nobody to command it, nobody can step back: keep only the frame on screen. */
    ret = fp_history_alloc(&p->history, o->headless && !o->commands ? 0 : o->step_history_bytes);
    if (ret < 0)
        goto fail;
    ret = fp_demux_open(&p->demux, path, &demux_opts);
    if (ret < 0)
        goto fail;
    p->seekable = fp_demux_seekable(p->demux);
    p->ts_discont = fp_demux_ts_discont(p->demux);
    p->video_st = fp_demux_video_stream(p->demux);

    if (p->video_st) {
        if (!o->no_autorotate)
            p->orientation = fp_stream_orientation(p->video_st);
        ret = check_picture_size(o, p->video_st->codecpar);
        if (ret < 0)
            goto fail;
        ret = fp_decoder_open(&p->decoder, p->video_st, o->max_pixels, o->decoder_threads);
        if (ret == AVERROR_DECODER_NOT_FOUND)
            set_error(o, "no decoder for the video codec '%s'",
                      avcodec_get_name(p->video_st->codecpar->codec_id));
        if (ret >= 0)
            ret = fp_packet_queue_alloc(&p->video_pq, o->packet_queue_max_count,
                                        o->packet_queue_max_bytes);
        if (ret >= 0)
            ret = fp_frame_queue_alloc(&p->video_fq, o->frame_queue_size);
        if (ret < 0)
            goto fail;
    }
    if (o->trace_ownership) {
        ret = fp_trace_open(&p->trace, o->trace_ownership);
        if (ret < 0) {
            set_error(o, "cannot write the trace %s: %s", o->trace_ownership, av_err2str(ret));
            goto fail;
        }
        fp_demux_set_trace(p->demux, p->trace);
        fp_history_set_trace(p->history, p->trace);
        if (p->video_st) {
            fp_decoder_set_trace(p->decoder, p->trace);
            fp_packet_queue_set_trace(p->video_pq, p->trace, "video_packets");
            fp_frame_queue_set_trace(p->video_fq, p->trace, "video_frames");
        }
    }
    ret = open_sinks(p, path);
    if (ret < 0)
        goto fail;
    ret = fp_audio_tracks_open(p); /* warns when the sound cannot be played */
    if (ret < 0)
        goto fail;
    if (!p->video_st && !p->audio) {
        ret = AVERROR_STREAM_NOT_FOUND; /* sound alone, and it cannot be played */
        goto fail;
    }
    /*
     * Last, once the file is known to play: the frame index reads it again,
     * with its own demuxer. Only a file it can open by name, not a pipe (it
     * would take the player's input) nor input through an AVIOContext. Frame
     * numbers wait for it; nothing else does.
     */
    if (p->video_st && !io && p->seekable &&
        fp_index_open(&p->index, path, p->video_st->index, o->max_pixels) < 0)
        av_log(NULL, AV_LOG_VERBOSE, "%s: no frame index\n", path);
    *out = p;
    return 0;

fail:
    fp_player_close(&p);
    return name_refused_size(o, size_refusals, ret);
}

int fp_player_open(FPPlayer **out, const char *path, const FPPlayerOptions *o)
{
    return open_input(out, path, NULL, o);
}

int fp_player_open_io(FPPlayer **out, AVIOContext *io, const char *name, const FPPlayerOptions *o)
{
    return open_input(out, name ? name : "stream", io, o);
}

static int start_threads(FPPlayer *p)
{
    int ret = fp_demux_start(p->demux, p->video_pq, p->audio_pq);

    if (ret >= 0 && p->video_st)
        ret = fp_decoder_start(p->decoder, p->video_pq, p->video_fq);
    if (ret >= 0 && p->audio)
        ret = fp_decoder_start(p->audio_decoder, p->audio_pq, p->audio_fq);
    if (ret >= 0 && p->audio)
        ret = fp_audio_out_start(p->audio);
    /* An index that cannot start leaves frame numbers unknown; playback goes on. */
    if (ret >= 0 && p->index && fp_index_start(p->index) < 0)
        av_log(NULL, AV_LOG_VERBOSE, "%s: the frame index did not start\n", p->path);
    p->threads_started = 1;
    return ret;
}

/* Wakes every thread that waits, wherever it waits; safe from any thread and more than once. */
static void abort_all(FPPlayer *p)
{
    pthread_mutex_lock(&p->inbox_lock); /* wake a render thread waiting for commands */
    pthread_cond_broadcast(&p->inbox_cond);
    pthread_mutex_unlock(&p->inbox_lock);
    fp_demux_abort(p->demux);
    if (p->index)
        fp_index_abort(p->index);
    if (p->video_st) {
        fp_packet_queue_abort(p->video_pq);
        fp_frame_queue_abort(p->video_fq);
    }
    fp_audio_tracks_abort(p);
}

void fp_player_request_quit(FPPlayer *p)
{
    atomic_store(&p->quit, 1);
    abort_all(p);
}

/* The one place that stops the pipeline: wake every waiter, then join in start order. */
static void stop_threads(FPPlayer *p)
{
    if (!p->threads_started)
        return;
    abort_all(p);
    fp_demux_join(p->demux);
    if (p->video_st)
        fp_decoder_join(p->decoder);
    fp_audio_tracks_join(p);
    p->threads_started = 0;
}

/*
 * At the end of the picture, let the sound finish too: headless so that every
 * sample is consumed (and hashed), with a device so that the tail is heard.
 * A device gets a bound, in case the sound runs on long after the picture.
 */
static void wait_for_sound(FPPlayer *p)
{
    double give_up = fp_clock_now() + (p->opts.headless ? 3600 : 5);

    while (!fp_audio_out_ended(p->audio) && !atomic_load(&p->quit) && fp_clock_now() < give_up)
        av_usleep(10000);
    if (!p->opts.headless)
        av_usleep(100000); /* what the device still holds */
}

int fp_player_run(FPPlayer *p)
{
    FPDecoderStats ds;
    int64_t read_error_pos;
    int read_error, ret;

    /* Errors decoders only log (size_watch.h) count from here, for fp_player_stats(). */
    atomic_store(&p->logged_errors_base, fp_size_watch_decoder_errors());
    atomic_store(&p->run_began, 1);
    ret = start_threads(p);

    set_error(&p->opts, "%s", "");
    if (ret >= 0)
        ret = fp_playback_run(p);
    /* Only when the picture ran to its end: a pause leaves the reader held up on a full queue. */
    if (ret >= 0 && p->audio && p->video_st && p->eof && !atomic_load(&p->quit))
        wait_for_sound(p);
    stop_threads(p);
    /*
     * A reader or decoder that died (out of memory) ended the stream early:
     * report that, not a clean end, nor the missing frames it caused.
     */
    if (fp_demux_error(p->demux) < 0 && (ret >= 0 || ret == FP_ERROR_NO_FRAMES))
        ret = fp_demux_error(p->demux);
    if (p->audio) {
        fp_decoder_stats(p->audio_decoder, &ds);
        if (ds.fatal_error < 0 && (ret >= 0 || ret == FP_ERROR_NO_FRAMES))
            ret = ds.fatal_error;
    }
    if (p->video_st) {
        fp_decoder_stats(p->decoder, &ds);
        if (ds.fatal_error < 0 && (ret >= 0 || ret == FP_ERROR_NO_FRAMES))
            ret = ds.fatal_error;
        if (ret == FP_ERROR_TOO_LARGE)
            say_too_large(&p->opts, ds.too_large_width, ds.too_large_height);
        /* Not one frame, because libavutil refused every picture's size. */
        if (ret == FP_ERROR_NO_FRAMES)
            ret = name_refused_size(&p->opts, p->size_refusals, ret);
    }
    /* What was read before a failing read has played; the failure is still a failure. */
    read_error = fp_demux_read_error(p->demux, &read_error_pos);
    if (read_error < 0 && (ret >= 0 || ret == FP_ERROR_NO_FRAMES) && !atomic_load(&p->quit)) {
        set_error(&p->opts, "read error at byte %lld: %s", (long long)read_error_pos,
                  av_err2str(read_error));
        ret = read_error;
    }
    return ret;
}

void fp_player_info(const FPPlayer *p, FPPlayerInfo *info)
{
    info->has_video = p->video_st != NULL;
    info->has_audio = fp_audio_tracks_playing((FPPlayer *)p);
    info->seekable = p->seekable;
}

void fp_player_stats(FPPlayer *p, FPPlayerStats *s)
{
    FPPacketQueueStats pq = {0};
    FPFrameQueueStats fq = {0};
    FPDecoderStats ds = {0};
    const char *driver = NULL;

    if (p->video_st) {
        fp_packet_queue_stats(p->video_pq, &pq);
        fp_frame_queue_stats(p->video_fq, &fq);
        fp_decoder_stats(p->decoder, &ds);
    }
    s->decoded = ds.frames;
    s->decoder_threads = ds.threads;
    av_strlcpy(s->decoder_thread_type, ds.thread_type ? ds.thread_type : "none",
               sizeof(s->decoder_thread_type));
    s->seek_skipped = ds.skipping_sent;
    s->seeks_in_reach = atomic_load(&p->seeks_in_reach);
    s->decode_errors = ds.errors;
    /*
     * A decoder may drop a frame for an error it only logs: those count too, so
     * that a run whose output lacks frames says so. The count is per process: a
     * second player decoding at the same time adds its own.
     */
    if (atomic_load(&p->run_began))
        s->decode_errors = FFMAX(s->decode_errors, (int64_t)(fp_size_watch_decoder_errors() -
                                                             atomic_load(&p->logged_errors_base)));
    s->sound_errors = fp_audio_tracks_sound_errors(p);
    s->displayed = atomic_load(&p->displayed);
    s->dropped = atomic_load(&p->dropped);
    s->stale = atomic_load(&p->stale);
    s->seeks = atomic_load(&p->seeks);
    s->pkt_queue_max_bytes = pq.max_bytes_seen;
    s->pkt_queue_max_count = pq.max_count_seen;
    s->frame_queue_max = fq.max_count_seen;
    s->has_audio = fp_audio_tracks_playing(p);
    pthread_mutex_lock(&p->drift_lock);
    s->drift_samples = p->drift_samples;
    s->drift_max_ms = p->drift_max * 1000;
    s->drift_avg_ms = p->drift_samples ? p->drift_sum / p->drift_samples * 1000 : 0;
    pthread_mutex_unlock(&p->drift_lock);
    /* The renderer is chosen once, when the window opens: reading its name is safe. */
    if (p->window && p->window->driver)
        driver = p->window->driver(p->window);
    av_strlcpy(s->render_driver, driver ? driver : "null", sizeof(s->render_driver));
}

int fp_player_audio_md5(FPPlayer *p, char hex[33])
{
    /* Only once the null sink consumed it all: its thread has stopped hashing then. */
    if (!p->audio || !fp_audio_out_ended(p->audio))
        return AVERROR(EINVAL);
    return fp_audio_out_md5(p->audio, hex);
}

void fp_player_close(FPPlayer **pp)
{
    FPPlayer *p = *pp;

    if (!p)
        return;
    stop_threads(p);
    fp_audio_tracks_close(p); /* the device's callback and the sink read the audio queues: first */
    fp_history_free(&p->history);
    fp_osd_free(p);
    fp_index_free(&p->index); /* aborted and joined */
    fp_window_sink_free(&p->window);
    fp_decoder_free(&p->decoder);
    fp_demux_free(&p->demux);
    fp_frame_queue_free(&p->video_fq);
    fp_packet_queue_free(&p->video_pq);
    av_frame_free(&p->pending);
    av_freep(&p->path);
    fp_trace_close(&p->trace); /* last: every release above is still traced */
    pthread_mutex_destroy(&p->drift_lock);
    pthread_mutex_destroy(&p->tracks.lock);
    fp_inbox_uninit(p);
    av_freep(pp);
}
