/*
 * What the player says about the frame on screen: the window title (short,
 * or with 'i' the time, frame number, picture type and queues), the
 * ownership overlay ('o'), and the md5 and screenshot commands. It only
 * reads the history and the queues' statistics.
 */
#include <math.h>
#include <stdio.h>

#include <libavutil/avstring.h>

#include "framemd5.h"
#include "player_internal.h"
#include "screenshot.h"

static void set_title(FPPlayer *p, const char *title)
{
    for (int i = 0; i < p->nb_sinks; i++)
        if (p->sinks[i]->set_title)
            p->sinks[i]->set_title(p->sinks[i], title);
}

/* "12/60", or "12/?" and "?" while the index counts, or has none to count with. */
static void frame_of_total(FPPlayer *p, const AVFrame *f, char *buf, size_t size)
{
    int64_t n = fp_frames_number(p, f);

    if (n < 0)
        snprintf(buf, size, "?");
    else
        snprintf(buf, size, "%lld/%lld", (long long)n, (long long)fp_frames_total(p));
}

void fp_info_update_title(FPPlayer *p)
{
    const AVFrame *f = fp_on_screen(p);
    FPPacketQueueStats pq;
    FPFrameQueueStats fq;
    char title[512], frame[64];
    double t;

    if (!f) /* sound alone: the window keeps the name it opened with */
        return;
    if (!p->info) {
        set_title(p, av_basename(p->path));
        return;
    }
    fp_packet_queue_stats(p->video_pq, &pq);
    fp_frame_queue_stats(p->video_fq, &fq);
    t = fp_ts_seconds(p, f->best_effort_timestamp);
    frame_of_total(p, f, frame, sizeof(frame));
    snprintf(title, sizeof(title), "%s  %.3f s  frame %s  %c  pq %d  fq %d  history %d%s",
             av_basename(p->path), t, frame,
             av_get_picture_type_char(f->pict_type), pq.count, fq.count,
             fp_history_count(p->history), p->paused ? "  paused" : "");
    set_title(p, title);
}

/*
 * The ownership overlay: how full each queue is, who references the frame on
 * screen and the frames around it in the history, and the clock.
 */
void fp_info_overlay_text(FPPlayer *p, char *text, size_t size)
{
    const AVFrame *f = fp_on_screen(p);
    FPPacketQueueStats pq;
    FPFrameQueueStats fq;
    char frame[64], *end = text + size, *at = text;
    int cursor = fp_history_cursor(p->history), count = fp_history_count(p->history);

    text[0] = '\0';
    if (!f)
        return;
    fp_packet_queue_stats(p->video_pq, &pq);
    fp_frame_queue_stats(p->video_fq, &fq);
    at += snprintf(at, end - at, "packets %d (%.0f KiB)  frames %d/%d\n", pq.count,
                   pq.bytes / 1024.0, fq.count, p->opts.frame_queue_size);
    frame_of_total(p, f, frame, sizeof(frame));
    at += snprintf(at, end - at, "frame %s  shown %.3f s  refcount %d\n", frame,
                   fp_ts_seconds(p, f->best_effort_timestamp),
                   av_buffer_get_ref_count(f->buf[0]));
    at += snprintf(at, end - at, "history %d (%.1f MiB):", count,
                   fp_history_bytes(p->history) / 1048576.0);
    for (int i = FFMAX(cursor - 4, 0); i < FFMIN(cursor + 5, count) && end - at > 8; i++) {
        const AVFrame *h = fp_history_get(p->history, i);
        at += snprintf(at, end - at, i == cursor ? " [%d]" : " %d",
                       av_buffer_get_ref_count(h->buf[0]));
    }
    snprintf(at, end - at, "\nclock %.3f s %s%s", fp_pacing_master_time(p, fp_clock_now()),
             p->audio && !p->opts.sync_video ? "audio" : "video", p->paused ? ", paused" : "");
}

void fp_info_md5(FPPlayer *p)
{
    const AVFrame *f = fp_on_screen(p);
    FPEvent ev = {.type = FP_EVENT_FRAME_MD5, .id = p->op.id};

    if (!f || fp_frame_md5(f, ev.md5, NULL) < 0)
        return;
    ev.pts = f->best_effort_timestamp;
    ev.time = fp_ts_seconds(p, ev.pts);
    ev.frame_number = fp_frames_number(p, f);
    fp_emit(p, &ev);
}

/* --screenshot-osd: the window as it looks, at its size. */
static int screenshot_window(FPPlayer *p, const char *path)
{
    AVFrame *shot = av_frame_alloc();
    uint8_t *rgb = NULL;
    int ret = shot ? p->window->read_window(p->window, &rgb, &shot->width, &shot->height)
                   : AVERROR(ENOMEM);

    if (ret >= 0) {
        shot->format = AV_PIX_FMT_RGB24;
        shot->data[0] = rgb;
        shot->linesize[0] = shot->width * 3;
        shot->sample_aspect_ratio = (AVRational){1, 1};
        ret = fp_screenshot_png(shot, (FPOrientation){0, 0}, path);
    }
    av_free(rgb);
    av_frame_free(&shot);
    return ret;
}

void fp_info_screenshot(FPPlayer *p, const char *path)
{
    const AVFrame *f = fp_on_screen(p);
    char name[FP_COMMAND_PATH_MAX];
    int ret;

    if (!f)
        return;
    if (!path[0]) {
        snprintf(name, sizeof(name), "framepipe-%.3f.png",
                 fp_ts_seconds(p, f->best_effort_timestamp));
        path = name;
    }
    ret = p->opts.screenshot_osd && p->window && p->window->read_window
              ? screenshot_window(p, path)
              : fp_screenshot_png(f, fp_orientation_of(p, f), path);
    if (ret < 0)
        fp_message(p, AV_LOG_ERROR, "screenshot %s: %s", path, av_err2str(ret));
    else
        fp_message(p, AV_LOG_INFO, "screenshot: %s", path);
}
