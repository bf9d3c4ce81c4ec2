#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/frame.h>
#include <libavutil/time.h>

#include "framepipe/frame_queue.h"
#include "framepipe/packet_queue.h"
#include "framepipe/player.h"
#include "clock.h"
#include "decode.h"
#include "demux.h"
#include "framemd5.h"
#include "render_sdl.h"

/* A frame this far from the clock is a timestamp discontinuity, not lateness. */
#define DISCONTINUITY_SECONDS 10.0
/* Longest the windowed loop sleeps without looking at its events. */
#define EVENT_SLICE_SECONDS 0.010

struct FPPlayer {
    FPPlayerOptions opts;
    FPDemux *demux;
    FPDecoder *decoder;
    FPPacketQueue *video_pq;
    FPFrameQueue *video_fq;
    FPRender *render;      /* NULL when headless */
    FPFrameMD5 *framemd5;  /* NULL unless --framemd5 */
    AVStream *video_st;    /* owned by the demuxer */
    int threads_started;
    atomic_int quit;       /* set by fp_player_request_quit() from any thread */

    /* Render-thread state. */
    AVFrame *shown;        /* the frame on screen, owned here until the next one replaces it */
    AVFrame *pending;      /* the next frame, taken from the queue, waiting for its time */
    int pending_serial;
    FPClock clock;
    int clock_started;
    int64_t first_pts;     /* timestamps count from the first frame's */
    int64_t displayed, dropped, stale;
};

void fp_player_options_default(FPPlayerOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->packet_queue_max_count = 64;
    o->packet_queue_max_bytes = 8 << 20;
    o->frame_queue_size = 4;
}

const char *fp_strerror(int err, char *buf, size_t size)
{
    if (err == FP_ERROR_NO_FRAMES)
        av_strlcpy(buf, "no decodable video frames", size);
    else if (err == AVERROR_STREAM_NOT_FOUND)
        av_strlcpy(buf, "no video stream", size);
    else
        av_strerror(err, buf, size);
    return buf;
}

static int open_window(FPPlayer *p, const char *path)
{
    const AVCodecParameters *par = p->video_st->codecpar;
    FPRenderOptions ro = {
        .title = av_basename(path),
        .width = par->width > 0 ? par->width : 640,
        .height = par->height > 0 ? par->height : 480,
        .sar = par->sample_aspect_ratio,
    };

    return fp_render_open(&p->render, &ro);
}

int fp_player_open(FPPlayer **out, const char *path, const FPPlayerOptions *o)
{
    FPPlayer *p;
    int ret;

    *out = NULL;
    p = av_mallocz(sizeof(*p));
    if (!p)
        return AVERROR(ENOMEM);
    p->opts = *o;
    p->first_pts = AV_NOPTS_VALUE;
    p->shown = av_frame_alloc();
    p->pending = av_frame_alloc();
    if (!p->shown || !p->pending) {
        ret = AVERROR(ENOMEM);
        goto fail;
    }
    ret = fp_demux_open(&p->demux, path);
    if (ret < 0)
        goto fail;
    p->video_st = fp_demux_video_stream(p->demux);
    ret = fp_decoder_open(&p->decoder, p->video_st);
    if (ret < 0)
        goto fail;
    ret = fp_packet_queue_alloc(&p->video_pq, o->packet_queue_max_count, o->packet_queue_max_bytes);
    if (ret < 0)
        goto fail;
    ret = fp_frame_queue_alloc(&p->video_fq, o->frame_queue_size);
    if (ret < 0)
        goto fail;
    if (o->framemd5) {
        ret = fp_framemd5_alloc(&p->framemd5, o->framemd5, fp_demux_format(p->demux), p->video_st);
        if (ret < 0)
            goto fail;
    }
    if (!o->headless) {
        ret = open_window(p, path);
        if (ret < 0)
            goto fail;
    }
    *out = p;
    return 0;

fail:
    fp_player_close(&p);
    return ret;
}

static int start_threads(FPPlayer *p)
{
    int ret = fp_demux_start(p->demux, p->video_pq);

    if (ret >= 0)
        ret = fp_decoder_start(p->decoder, p->video_pq, p->video_fq);
    p->threads_started = 1;
    return ret;
}

/* Wakes every thread that waits, wherever it waits; safe from any thread and more than once. */
static void abort_all(FPPlayer *p)
{
    fp_demux_abort(p->demux);
    fp_packet_queue_abort(p->video_pq);
    fp_frame_queue_abort(p->video_fq);
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
    fp_decoder_join(p->decoder);
    p->threads_started = 0;
}

/* Seconds from the first frame; the first frame of the stream defines zero. */
static double frame_time(FPPlayer *p, const AVFrame *f)
{
    int64_t ts = f->best_effort_timestamp;

    if (ts == AV_NOPTS_VALUE)
        return NAN;
    if (p->first_pts == AV_NOPTS_VALUE)
        p->first_pts = ts;
    return (ts - p->first_pts) * av_q2d(p->video_st->time_base);
}

static double frame_duration(FPPlayer *p, const AVFrame *f)
{
    AVRational rate = p->video_st->avg_frame_rate;

    if (f->pkt_duration > 0)
        return f->pkt_duration * av_q2d(p->video_st->time_base);
    return rate.num > 0 && rate.den > 0 ? av_q2d(av_inv_q(rate)) : 0.04;
}

/* Shows p->pending: it becomes p->shown, and the previous shown frame's references are dropped. */
static int show_pending(FPPlayer *p)
{
    int ret = 0;

    if (p->render)
        ret = fp_render_show(p->render, p->pending);
    if (ret >= 0 && p->framemd5)
        ret = fp_framemd5_write(p->framemd5, p->pending);
    av_frame_unref(p->shown);
    av_frame_move_ref(p->shown, p->pending);
    p->displayed++;
    return ret;
}

/*
 * Decide what to do with p->pending now: 1 show it, 0 keep waiting (*wait is
 * how long), -1 drop it as late.
 */
static int schedule(FPPlayer *p, double *wait)
{
    double now = fp_clock_now();
    double t = frame_time(p, p->pending);
    double delay;
    FPFrameQueueStats fq;

    *wait = 0;
    if (isnan(t))
        return 1;
    if (!p->clock_started) {
        fp_clock_set(&p->clock, t, now);
        p->clock_started = 1;
        return 1;
    }
    delay = t - fp_clock_get(&p->clock, now);
    if (fabs(delay) > DISCONTINUITY_SECONDS) {
        fp_clock_set(&p->clock, t, now);
        return 1;
    }
    if (delay > 0) {
        *wait = delay;
        return 0;
    }
    /* Late by more than the frame lasts, with a newer frame ready: skip to that one. */
    fp_frame_queue_stats(p->video_fq, &fq);
    if (-delay > frame_duration(p, p->pending) && fq.count > 0)
        return -1;
    return 1;
}

/* Takes the next current-serial frame into p->pending: 0, AVERROR_EOF, AVERROR(EAGAIN), AVERROR_EXIT. */
static int fetch_pending(FPPlayer *p, int64_t timeout_us)
{
    for (;;) {
        int ret = fp_frame_queue_get(p->video_fq, p->pending, &p->pending_serial, timeout_us);

        if (ret < 0 && ret != AVERROR_EOF)
            return ret;
        if (p->pending_serial == fp_packet_queue_serial(p->video_pq))
            return ret;
        /* Decoded before the last flush: never shown. */
        if (ret == 0)
            p->stale++;
        av_frame_unref(p->pending);
    }
}

static int render_loop(FPPlayer *p)
{
    int paced = p->render || p->opts.realtime;
    int have_pending = 0;
    int ret;

    for (;;) {
        double wait = 0;

        if (atomic_load(&p->quit))
            return 0;
        if (p->render && fp_render_poll(p->render, 0) == FP_RENDER_EVENT_QUIT)
            return 0;
        if (!have_pending) {
            ret = fetch_pending(p, p->render ? (int64_t)(EVENT_SLICE_SECONDS * 1e6) : -1);
            if (ret == AVERROR(EAGAIN))
                continue;
            if (ret == AVERROR_EOF)
                return p->displayed ? 0 : FP_ERROR_NO_FRAMES;
            if (ret == AVERROR_EXIT && atomic_load(&p->quit))
                return 0;
            if (ret < 0)
                return ret;
            have_pending = 1;
        }
        int action = paced ? schedule(p, &wait) : 1;
        if (action == 0) {
            wait = FFMIN(wait, EVENT_SLICE_SECONDS);
            if (p->render) {
                if (fp_render_poll(p->render, (int)ceil(wait * 1000)) == FP_RENDER_EVENT_QUIT)
                    return 0;
            } else
                av_usleep((unsigned)(wait * 1e6));
            continue;
        }
        have_pending = 0;
        if (action < 0) {
            p->dropped++;
            av_frame_unref(p->pending);
            continue;
        }
        ret = show_pending(p);
        if (ret < 0)
            return ret;
    }
}

int fp_player_run(FPPlayer *p)
{
    FPDecoderStats ds;
    int ret = start_threads(p);

    if (ret >= 0)
        ret = render_loop(p);
    stop_threads(p);
    fp_decoder_stats(p->decoder, &ds);
    /* A decoder that died (out of memory) ended the stream early: report that, not a clean end. */
    if (ds.fatal_error < 0 && ret >= 0)
        ret = ds.fatal_error;
    return ret;
}

void fp_player_stats(FPPlayer *p, FPPlayerStats *s)
{
    FPPacketQueueStats pq;
    FPFrameQueueStats fq;
    FPDecoderStats ds;

    fp_packet_queue_stats(p->video_pq, &pq);
    fp_frame_queue_stats(p->video_fq, &fq);
    fp_decoder_stats(p->decoder, &ds);
    s->decoded = ds.frames;
    s->decode_errors = ds.errors;
    s->displayed = p->displayed;
    s->dropped = p->dropped;
    s->stale = p->stale;
    s->pkt_queue_max_bytes = pq.max_bytes_seen;
    s->pkt_queue_max_count = pq.max_count_seen;
    s->frame_queue_max = fq.max_count_seen;
    av_strlcpy(s->render_driver, p->render ? fp_render_driver(p->render) : "null",
               sizeof(s->render_driver));
}

void fp_player_close(FPPlayer **pp)
{
    FPPlayer *p = *pp;

    if (!p)
        return;
    stop_threads(p);
    fp_render_close(&p->render);
    fp_framemd5_free(&p->framemd5);
    fp_decoder_free(&p->decoder);
    fp_demux_free(&p->demux);
    fp_frame_queue_free(&p->video_fq);
    fp_packet_queue_free(&p->video_pq);
    av_frame_free(&p->pending);
    av_frame_free(&p->shown);
    av_freep(pp);
}
