/*
 * The on-screen display: what the player asks its sinks to draw over the
 * picture (FPOsd, include/framepipe/video_sink.h).
 *
 *   - the panel: with 'i', the frame on screen as the frame index knows it
 *     (number, time, type, key, packet, pts and dts); with 'o', the ownership
 *     overlay (info.c); both, one under the other;
 *   - a message that stays a second and fades for a quarter more, as mpv's
 *     OSD messages do: pause and play, seek targets, volume, and every
 *     message the player gives a person (fp_message()) while a window is open;
 *   - the GOP strip ('g'): the frames of the GOP on screen in display order,
 *     with their types and decode numbers (inspect.c);
 *   - the pixel loupe ('z'), which the window draws from the frame it shows;
 *   - the timeline: the playhead, a bar graph of every frame's packet size
 *     coloured by picture type, keyframe marks and the span the step history
 *     holds. It exists once the frame index has counted the frames; the
 *     window shows it while the pointer is near it, or always once pinned
 *     ('t').
 *
 * Everything here runs on the render thread. A sink is told the new OSD when
 * a frame is shown (fp_osd_update() before show()) or, between frames, with a
 * redraw (fp_osd_refresh()).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libavutil/log.h>
#include <libavutil/mem.h>

#include "compat.h"
#include "player_internal.h"

#define MESSAGE_SECONDS 1.0
#define FADE_SECONDS 0.25
#define MAX_BARS 4096

/* "1:02.480", or "1:02:03.480" from an hour on. */
static void clock_text(double seconds, char *buf, size_t size)
{
    int64_t ms = (int64_t)(FFMAX(seconds, 0) * 1000 + 0.5);
    int h = (int)(ms / 3600000), m = (int)(ms / 60000 % 60), s = (int)(ms / 1000 % 60);

    if (h)
        snprintf(buf, size, "%d:%02d:%02d.%03d", h, m, s, (int)(ms % 1000));
    else
        snprintf(buf, size, "%d:%02d.%03d", m, s, (int)(ms % 1000));
}

static void append(char **at, char *end, const char *fmt, ...)
{
    va_list args;
    int n;

    if (*at >= end - 1)
        return;
    va_start(args, fmt);
    n = vsnprintf(*at, end - *at, fmt, args);
    va_end(args);
    *at += n < 0 ? 0 : FFMIN(n, end - *at - 1);
}

/* The panel of 'i': the frame on screen and its packet, as the index knows them. */
static void frame_panel(FPPlayer *p, const AVFrame *f, char **at, char *end)
{
    FPFrameInfo fi;
    char now[32], all[32];
    double total_s = fp_frames_seconds(p);

    fp_frames_describe(p, f, &fi, 0);
    if (fi.number >= 0)
        append(at, end, "frame %lld / ", (long long)fi.number);
    else
        append(at, end, "frame ? / ");
    if (fi.total >= 0)
        append(at, end, "%lld", (long long)fi.total);
    else
        append(at, end, p->index ? "(counting)" : "?");
    append(at, end, "   %c%s\n", fi.type, fi.key ? "  key" : "");
    clock_text(fi.time, now, sizeof(now));
    clock_text(total_s, all, sizeof(all));
    append(at, end, "time %s / %s\n", now, total_s >= 0 ? all : "?");
    append(at, end, "pts %lld  dts ", (long long)fi.pts);
    if (fi.dts == AV_NOPTS_VALUE)
        append(at, end, "none");
    else
        append(at, end, "%lld", (long long)fi.dts);
    append(at, end, "  (time base %d/%d)\n", fi.time_base.num, fi.time_base.den);
    if (fi.size >= 0)
        append(at, end, "packet %lld bytes", (long long)fi.size);
    else
        append(at, end, "packet size unknown");
    if (fi.pos >= 0)
        append(at, end, " at byte %lld", (long long)fi.pos);
}

/*
 * The bar graph from the index, once it has counted the frames: one bar per
 * frame, or per run of frames when there are more than MAX_BARS.
 */
static void build_bars(FPPlayer *p)
{
    FPOsdState *o = &p->osd;
    int64_t total = fp_frames_total(p);
    FPIndexEntry e;

    o->bars_tried = 1;
    if (total <= 0)
        return;
    o->nb_bars = (int)FFMIN(total, MAX_BARS);
    o->bars = av_calloc(o->nb_bars, sizeof(*o->bars));
    if (!o->bars) {
        o->nb_bars = 0;
        return;
    }
    for (int64_t n = 0; n < total; n++) {
        FPOsdBar *b = &o->bars[n * o->nb_bars / total];

        if (fp_index_get(p->index, n, &e) < 0)
            continue;
        if ((uint32_t)e.size > b->bytes) {
            b->bytes = (uint32_t)e.size;
            b->type = e.pict_type != AV_PICTURE_TYPE_NONE ? av_get_picture_type_char(e.pict_type)
                      : e.key                             ? 'K'
                                                          : 0;
        }
        b->key |= e.key;
        o->max_bytes = FFMAX(o->max_bytes, b->bytes);
    }
    o->generation++;
}

/* Where frame f lies along the stream, from 0 to 1; < 0 when unknown. */
static double place_of(FPPlayer *p, const AVFrame *f, int64_t total, double seconds)
{
    int64_t n = fp_frames_number(p, f);

    if (n >= 0 && total > 0)
        return (double)n / total;
    if (seconds > 0)
        return fp_ts_seconds(p, f->best_effort_timestamp) / seconds;
    return -1;
}

static void timeline(FPPlayer *p, const AVFrame *f, FPOsdTimeline *tl, char *label, size_t size)
{
    FPOsdState *o = &p->osd;
    int64_t total = fp_frames_total(p), n = fp_frames_number(p, f);
    int count = fp_history_count(p->history);
    double seconds = fp_frames_seconds(p);
    char now[32], all[32];

    if (!o->bars_tried && fp_index_done(p->index))
        build_bars(p);
    *tl = (FPOsdTimeline){.bars = o->bars, .nb_bars = o->nb_bars, .max_bytes = o->max_bytes,
                          .generation = o->generation, .kept_begin = 1, .kept_end = 0,
                          .loop_a = -1, .loop_b = -1, .pinned = o->pinned, .label = label};
    tl->position = FFMAX(place_of(p, f, total, seconds), 0);
    if (p->repeat.a != AV_NOPTS_VALUE && seconds > 0)
        tl->loop_a = fp_ts_seconds(p, p->repeat.a) / seconds;
    if (p->repeat.b != AV_NOPTS_VALUE && seconds > 0)
        tl->loop_b = fp_ts_seconds(p, p->repeat.b) / seconds;
    if (count > 1) {
        tl->kept_begin = place_of(p, fp_history_get(p->history, 0), total, seconds);
        tl->kept_end = place_of(p, fp_history_get(p->history, count - 1), total, seconds);
        if (total > 0 && tl->kept_end >= 0)
            tl->kept_end += 1.0 / total; /* to the end of the last frame kept */
        if (tl->kept_begin < 0 || tl->kept_end < 0)
            tl->kept_begin = 1, tl->kept_end = 0;
    }
    clock_text(fp_ts_seconds(p, f->best_effort_timestamp), now, sizeof(now));
    clock_text(seconds, all, sizeof(all));
    if (n >= 0 && total >= 0)
        snprintf(label, size, "frame %lld / %lld   %s / %s", (long long)n, (long long)total, now,
                 seconds >= 0 ? all : "?");
    else
        snprintf(label, size, "frame ? / ?   %s / %s", now, seconds >= 0 ? all : "?");
}

/* While playing, the inspector reads a frame's headers this often at most. */
#define INSPECT_SECONDS 0.25

/* Tells frames apart for the headers: by timestamp, or without one by the packet's place. */
static int64_t frame_tag(const AVFrame *f)
{
    return f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp
                                                       : fp_frame_pkt_pos(f);
}

/* Shows the answer to the question out (text is ours), with the fields that waited for it. */
static void show_answer(FPOsdState *o, int err, char *text)
{
    o->asking = 0;
    av_free(o->headers);
    o->headers = text;
    o->headers_err = err;
    o->shown_tag = o->asked_tag;
    av_free(o->shown_fields);
    o->shown_fields = o->asked_fields;
    o->asked_fields = NULL;
}

/*
 * Takes the headers worker's newest answer, if one came: the answer to the
 * question out is shown; an answer to an older question is dropped. Returns 1
 * when what the panel shows changed.
 */
static int take_headers(FPOsdState *o)
{
    int64_t tag;
    char *text;
    int err;

    if (!o->headers_worker || !fp_headers_worker_take(o->headers_worker, &tag, &err, &text))
        return 0;
    if (!o->asking || tag != o->asked_tag) {
        av_free(text);
        return 0;
    }
    show_answer(o, err, text); /* handed over by the worker */
    return 1;
}

/*
 * Puts the question for f, the frame on screen, with its fields: at once when
 * paused (a step shows its frame's fields straight away, its headers when
 * they come); while playing, when no question is out and INSPECT_SECONDS have
 * passed, the panel keeping the last frame answered meanwhile.
 */
static void ask_headers(FPPlayer *p, const AVFrame *f)
{
    FPOsdState *o = &p->osd;
    char fields[4096];
    double now = fp_clock_now();
    FPHeadersQuery q;
    int ret;

    if (p->paused ? o->shown_fields && o->shown_tag == frame_tag(f) && !o->asking
                  : o->asking || (o->shown_fields && now - o->asked_at < INSPECT_SECONDS))
        return;
    if (o->asking && o->asked_tag == frame_tag(f))
        return;
    fp_inspect_panel(p, fields, sizeof(fields));
    av_free(o->asked_fields);
    o->asked_fields = av_strdup(fields);
    o->asked_tag = frame_tag(f);
    o->asked_at = now;
    o->asking = 1;
    if (p->paused) { /* the fields now, the headers when they come */
        av_free(o->shown_fields);
        o->shown_fields = av_strdup(fields);
        o->shown_tag = o->asked_tag;
        av_freep(&o->headers);
        o->headers_err = 0;
    }
    ret = fp_inspect_headers_query(p, f, &q);
    if (ret >= 0 && !o->headers_worker)
        ret = fp_headers_worker_open(&o->headers_worker, p->path, q.stream_index);
    if (ret >= 0) {
        fp_headers_worker_ask(o->headers_worker, &q, o->asked_tag);
        return;
    }
    show_answer(o, ret, NULL); /* answered at once */
}

/*
 * The 'e' panel: a frame's fields, then the first lines of its packet's
 * headers. The panel shows the frame on screen when paused; while playing it
 * shows a frame a few times a second, the fields and headers of that same
 * frame, whose packet line says which it is.
 */
static void inspector_panel(FPPlayer *p, const AVFrame *f, char **at, char *end)
{
    FPOsdState *o = &p->osd;
    const char *h, *stop;
    char why[AV_ERROR_MAX_STRING_SIZE];
    int lines = 0;

    take_headers(o);
    ask_headers(p, f);
    if (!o->shown_fields) {
        append(at, end, "inspector: reading");
        return;
    }
    append(at, end, "%s", o->shown_fields);
    h = o->headers ? strstr(o->headers, "packet\n") : NULL;
    if (o->headers_err == AVERROR(ENOSYS)) {
        append(at, end, "\nheaders: none (libavcodec reads no headers of this codec)");
        return;
    }
    if (o->headers_err == AVERROR(ESPIPE)) {
        append(at, end, "\nheaders: none (the input cannot be read a second time)");
        return;
    }
    if (o->headers_err < 0) {
        av_strerror(o->headers_err, why, sizeof(why));
        append(at, end, "\nheaders: cannot be read (%s)", why);
        return;
    }
    if (!h) {
        append(at, end, "\nheaders: being read");
        return;
    }
    append(at, end, "\nheaders ('headers' prints them all):");
    for (h += 7; *h && lines < 24; h = stop + 1, lines++) {
        stop = strchr(h, '\n');
        if (!stop)
            break;
        append(at, end, "\n%.*s", (int)(stop - h), h);
    }
}

static double message_alpha(FPPlayer *p, double now)
{
    double left = p->osd.message_until - now;

    if (!p->osd.message[0] || left <= -FADE_SECONDS)
        return 0;
    return left >= 0 ? 1 : 1 + left / FADE_SECONDS;
}

void fp_osd_update(FPPlayer *p)
{
    const AVFrame *f = fp_on_screen(p);
    FPOsdState *o = &p->osd;
    FPOsd osd = {0};
    FPOsdTimeline tl;
    char panel[8192], label[128], *at = panel, *end = panel + sizeof(panel);

    if (!p->window)
        return;
    panel[0] = '\0';
    if (p->info && f)
        frame_panel(p, f, &at, end);
    if (p->overlay && f) {
        if (at > panel)
            append(&at, end, "\n\n");
        fp_info_overlay_text(p, at, end - at);
        at += strlen(at);
    }
    if (o->inspector && f) {
        if (at > panel)
            append(&at, end, "\n\n");
        inspector_panel(p, f, &at, end);
    }
    osd.panel = panel[0] ? panel : NULL;
    if (p->info && f && av_log_get_level() >= AV_LOG_DEBUG) /* for tests: what the panel says */
        av_log(NULL, AV_LOG_DEBUG, "osd: panel: %.*s\n", (int)strcspn(panel, "\n"), panel);
    osd.message_alpha = o->drawn_alpha = message_alpha(p, fp_clock_now());
    osd.message = osd.message_alpha > 0 ? o->message : NULL;
    if (f && p->index && p->video_st) {
        timeline(p, f, &tl, label, sizeof(label));
        osd.timeline = &tl;
    }
    if (o->gop_strip && f) {
        osd.nb_gop = fp_inspect_gop_strip(p, o->strip, FF_ARRAY_ELEMS(o->strip));
        osd.gop = osd.nb_gop ? o->strip : NULL;
    }
    osd.loupe = o->loupe && f;
    for (int i = 0; i < p->nb_sinks; i++)
        if (p->sinks[i]->set_osd)
            p->sinks[i]->set_osd(p->sinks[i], &osd);
}

void fp_osd_refresh(FPPlayer *p)
{
    if (!p->window)
        return;
    fp_osd_update(p);
    fp_redraw(p);
}

void fp_osd_show_text(FPPlayer *p, const char *text, double seconds)
{
    if (!p->window)
        return;
    snprintf(p->osd.message, sizeof(p->osd.message), "%s", text);
    p->osd.message_until = fp_clock_now() + (seconds < 0 ? 1e9 : seconds);
    fp_osd_refresh(p);
}

void fp_osd_message(FPPlayer *p, const char *fmt, ...)
{
    char text[sizeof(p->osd.message)];
    va_list args;

    if (!p->window)
        return;
    va_start(args, fmt);
    vsnprintf(text, sizeof(text), fmt, args);
    va_end(args);
    fp_osd_show_text(p, text, MESSAGE_SECONDS);
}

void fp_osd_tick(FPPlayer *p)
{
    FPOsdState *o = &p->osd;
    double now, alpha;

    if (!p->window)
        return;
    now = fp_clock_now();
    alpha = message_alpha(p, now);
    /* A fade at some 25 steps a second; the timeline's graph as soon as the index is whole. */
    if ((alpha != o->drawn_alpha && (alpha == 0 || now - o->drawn_at >= 0.04)) ||
        (!o->bars_tried && p->index && fp_index_done(p->index) && fp_on_screen(p)) ||
        (o->inspector && take_headers(o))) {
        o->drawn_at = now;
        fp_osd_refresh(p);
    }
}

void fp_osd_free(FPPlayer *p)
{
    av_freep(&p->osd.bars);
    fp_headers_worker_close(&p->osd.headers_worker);
    av_freep(&p->osd.headers);
    av_freep(&p->osd.asked_fields);
    av_freep(&p->osd.shown_fields);
}
