/*
 * What a person can ask about the frame on screen, beyond 'info' (frames.c):
 * the GOP around it in display and decode order ('gop', and the window's GOP
 * strip), the values of one of its pixels ('pixel X Y'), its packet's
 * bitstream headers ('headers') and its fields (the 'e' panel). Answers are
 * FP_EVENT_REPLY lines; refusals are messages.
 */
#include <stdio.h>
#include <string.h>

#include <libavutil/bprint.h>
#include <libavutil/pixdesc.h>

#include "compat.h"
#include "headers.h"
#include "pixel.h"
#include "player_internal.h"

#define GOP_MAX 32

/*
 * The GOP around the frame on screen, from the index: 0 with gop and frames
 * filled, AVERROR(EAGAIN) while the index is not complete, or another error
 * with why in why.
 */
static int gop_of_screen(FPPlayer *p, FPIndexGop *gop, FPIndexGopFrame *frames,
                         const char **why)
{
    const AVFrame *f = fp_on_screen(p);
    FPIndexInfo info;
    int64_t n;
    int ret;

    *why = "there is no picture";
    if (!f)
        return AVERROR(EINVAL);
    *why = "there is no frame index (the input is not a file that can be read twice)";
    if (!p->index)
        return AVERROR(ENOSYS);
    ret = fp_index_done(p->index);
    if (ret == 0)
        return AVERROR(EAGAIN);
    fp_index_info(p->index, &info);
    *why = "the stream has no timestamps: the index knows its decode order only";
    if (info.order == FP_INDEX_ORDER_DECODE)
        return AVERROR(ENOSYS);
    n = fp_frames_number(p, f);
    *why = "the frame index does not know the frame on screen";
    if (n < 0)
        return AVERROR(ENOENT);
    ret = fp_index_gop(p->index, n, frames, GOP_MAX, gop);
    *why = "the frame index cannot list it";
    return ret < 0 ? ret : 0;
}

int fp_inspect_gop(FPPlayer *p)
{
    FPIndexGopFrame frames[GOP_MAX];
    FPIndexGop gop;
    const char *why;
    char line[1024];
    FPEvent ev = {.type = FP_EVENT_REPLY, .id = p->op.id, .text = line};
    int ret = gop_of_screen(p, &gop, frames, &why);

    if (ret == AVERROR(EAGAIN)) { /* as 'frame N': the command waits for the index */
        fp_idle(p, FP_SLICE_SECONDS);
        return FP_CONTINUE;
    }
    if (ret < 0) {
        fp_message(p, AV_LOG_ERROR, "cannot show the GOP: %s", why);
        return FP_FINISHED;
    }
    fp_index_gop_format(&gop, frames, line, sizeof(line));
    fp_emit(p, &ev);
    return FP_FINISHED;
}

int fp_inspect_gop_strip(FPPlayer *p, FPOsdGopFrame *strip, int max)
{
    FPIndexGopFrame frames[GOP_MAX];
    FPIndexGop gop;
    const char *why;
    int n = 0;

    if (gop_of_screen(p, &gop, frames, &why) < 0)
        return 0;
    /*
     * A long GOP is listed as a window around the frame, which would move with
     * every frame played, and the strip be drawn anew each time: hold it still,
     * moving it a half window at a time.
     */
    if (gop.end - gop.first > GOP_MAX) {
        int64_t half = GOP_MAX / 2, anchor = gop.first + (gop.frame - gop.first) / half * half + half;
        FPIndexGop still;

        if (fp_index_gop(p->index, FFMIN(anchor, gop.end - 1), frames, GOP_MAX, &still) >= 0) {
            still.frame = gop.frame;
            gop = still;
        }
    }
    for (int i = 0; i < gop.count && n < max; i++, n++) {
        char type = frames[i].pict_type != AV_PICTURE_TYPE_NONE
                        ? av_get_picture_type_char(frames[i].pict_type)
                        : frames[i].key ? 'K' : '?';
        strip[n] = (FPOsdGopFrame){.type = type, .key = frames[i].key,
                                   .current = frames[i].frame == gop.frame,
                                   .display = frames[i].frame, .decode = frames[i].packet};
    }
    return n;
}

void fp_inspect_pixel(FPPlayer *p, int x, int y)
{
    const AVFrame *f = fp_on_screen(p);
    FPPixel px;
    char line[512];
    FPEvent ev = {.type = FP_EVENT_REPLY, .id = p->op.id, .text = line};
    int ret;

    if (!f) {
        fp_message(p, AV_LOG_ERROR, "cannot read a pixel: there is no picture");
        return;
    }
    ret = fp_pixel_probe(f, x, y, &px);
    if (ret == AVERROR(EINVAL)) {
        fp_message(p, AV_LOG_ERROR, "pixel %d %d: outside the %dx%d picture", x, y, f->width,
                   f->height);
        return;
    }
    if (ret < 0) {
        fp_message(p, AV_LOG_ERROR, "pixel %d %d: %s", x, y,
                   ret == AVERROR(ENOSYS) ? "this pixel format cannot be read" : av_err2str(ret));
        return;
    }
    fp_pixel_format(&px, line, sizeof(line));
    fp_emit(p, &ev);
}

int fp_inspect_headers_query(FPPlayer *p, const AVFrame *f, FPHeadersQuery *q)
{
    FPIndexEntry e, key;
    FPIndexInfo info;
    int64_t n;

    *q = (FPHeadersQuery){.key_pos = -1, .key_ts = AV_NOPTS_VALUE};
    if (!p->index) /* a pipe, or an input through an AVIOContext: it cannot be read again */
        return AVERROR(ESPIPE);
    q->stream_index = p->video_st->index;
    q->pos = fp_frame_pkt_pos(f);
    q->pts = f->pts;
    n = fp_frames_number(p, f);
    fp_index_info(p->index, &info);
    if (n >= 0 && info.order != FP_INDEX_ORDER_DECODE && fp_index_get(p->index, n, &e) >= 0) {
        q->pos = e.pos;
        q->pts = e.pts;
        if (fp_index_key_for_frame(p->index, n, &key) >= 0) {
            q->key_pos = key.pos;
            q->key_ts = key.pts != AV_NOPTS_VALUE ? key.pts : key.dts;
        }
    }
    return q->pos < 0 && q->pts == AV_NOPTS_VALUE ? AVERROR(ENOENT) : 0;
}

/* The headers of the packet of the frame on screen, read on this thread. */
static int headers_of_screen(FPPlayer *p, char **text)
{
    const AVFrame *f = fp_on_screen(p);
    FPHeadersQuery q;
    int ret;

    *text = NULL;
    if (!f)
        return AVERROR(EINVAL);
    ret = fp_inspect_headers_query(p, f, &q);
    return ret < 0 ? ret : fp_headers_read(p->path, &q, text);
}

static const char *headers_error(int err, char *buf, size_t size)
{
    if (err == AVERROR(ENOSYS))
        return "libavcodec cannot read this codec's headers";
    if (err == AVERROR(ESPIPE))
        return "the input cannot be read a second time";
    if (err == AVERROR(ENOENT))
        return "its packet was not found";
    av_strerror(err, buf, size);
    return buf;
}

int fp_inspect_headers(FPPlayer *p)
{
    char *text = NULL, *line, *save = NULL, head[128], why[128];
    FPEvent ev = {.type = FP_EVENT_REPLY, .id = p->op.id, .text = head};
    int ret, lines = 0;

    if (p->index && !fp_index_done(p->index)) { /* the packet's place comes from it */
        fp_idle(p, FP_SLICE_SECONDS);
        return FP_CONTINUE;
    }
    ret = headers_of_screen(p, &text);
    if (ret < 0) {
        fp_message(p, AV_LOG_ERROR, "cannot show the headers: %s", headers_error(ret, why, sizeof(why)));
        return FP_FINISHED;
    }
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    snprintf(head, sizeof(head), "headers n=%lld lines=%d",
             (long long)fp_frames_number(p, fp_on_screen(p)), lines);
    fp_emit(p, &ev);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        ev.text = line;
        fp_emit(p, &ev);
    }
    av_free(text);
    return FP_FINISHED;
}

/* What the 'e' panel says of a frame's colour: a name or "unknown". */
static const char *or_unknown(const char *name)
{
    return name ? name : "unknown";
}

void fp_inspect_panel(FPPlayer *p, char *buf, size_t size)
{
    const AVFrame *f = fp_on_screen(p);
    const AVPixFmtDescriptor *desc;
    FPFrameInfo fi;
    AVBPrint b;

    av_bprint_init_for_buffer(&b, buf, size);
    if (!f)
        return;
    fp_frames_describe(p, f, &fi, 0);
    desc = av_pix_fmt_desc_get(f->format);
    if (fi.number >= 0)
        av_bprintf(&b, "inspector: frame %lld / ", (long long)fi.number);
    else
        av_bprintf(&b, "inspector: frame ? / ");
    av_bprintf(&b, fi.total >= 0 ? "%lld\n" : "?\n", (long long)fi.total);
    av_bprintf(&b, "packet   pts %lld  dts ", (long long)fi.pts);
    av_bprintf(&b, fi.dts == AV_NOPTS_VALUE ? "none" : "%lld", (long long)fi.dts);
    av_bprintf(&b, "  size %lld  pos %lld  %s\n", (long long)fi.size, (long long)fi.pos,
               fi.key ? "key" : "");
    av_bprintf(&b, "picture  %c  %s %dx%d  SAR %d:%d  %s\n", fi.type,
               desc ? desc->name : "?", f->width, f->height, f->sample_aspect_ratio.num,
               f->sample_aspect_ratio.den,
               !fp_frame_interlaced(f)       ? "progressive"
               : fp_frame_top_field_first(f) ? "interlaced, top field first"
                                             : "interlaced, bottom field first");
    av_bprintf(&b, "colour   matrix %s, range %s, primaries %s, transfer %s, chroma %s\n",
               or_unknown(av_color_space_name(f->colorspace)),
               or_unknown(av_color_range_name(f->color_range)),
               or_unknown(av_color_primaries_name(f->color_primaries)),
               or_unknown(av_color_transfer_name(f->color_trc)),
               or_unknown(av_chroma_location_name(f->chroma_location)));
    av_bprintf(&b, "side data");
    for (int i = 0; i < f->nb_side_data; i++)
        av_bprintf(&b, "%s%s", i ? ", " : ": ", av_frame_side_data_name(f->side_data[i]->type));
    av_bprintf(&b, "%s\nbuffers ", f->nb_side_data ? "" : ": none");
    for (int i = 0; i < AV_NUM_DATA_POINTERS && f->buf[i]; i++)
        av_bprintf(&b, " [%d] %zu bytes, %d refs", i, f->buf[i]->size,
                   av_buffer_get_ref_count(f->buf[i]));
}
