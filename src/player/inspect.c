/*
 * What a person can ask about the frame on screen, beyond 'info' (frames.c):
 * the GOP around it in display and decode order ('gop', and the window's GOP
 * strip) and the values of one of its pixels ('pixel X Y'). Answers are
 * FP_EVENT_REPLY lines; refusals are messages.
 */
#include <stdio.h>

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
    *why = av_err2str(ret);
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
