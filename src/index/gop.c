/*
 * The GOP around a frame, in display order with each frame's decode number:
 * what a GOP strip draws and the script command gop prints (index.h).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include <libavutil/common.h>
#include <libavutil/error.h>

#include "index_internal.h"

int fp_index_gop(FPIndex *ix, int64_t frame, FPIndexGopFrame *frames, int max, FPIndexGop *gop)
{
    int64_t at, first, end, start, count = 0;
    int ret;

    if (max < 1)
        return AVERROR(EINVAL);
    pthread_mutex_lock(&ix->lock);
    ret = fp_index_frame_ready(ix, frame);
    if (ret >= 0) {
        /* key_at never decreases: the keyframe after the one found is the next in display
         * order, and is placed after frame. */
        at = fp_index_last_key_at_or_before(ix, 0, ix->order.nb_keys, frame);
        first = at >= 0 ? ix->order.key_at[at] : 0;
        end = at + 1 < ix->order.nb_keys ? ix->order.key_at[at + 1] : ix->order.frames;
        count = FFMIN(end - first, max);
        start = av_clip64(frame - max / 2, first, end - count);
        for (int64_t i = 0; i < count; i++) {
            FPIndexEntry e;

            fp_index_fill(ix, ix->order.display[start + i], &e);
            frames[i] = (FPIndexGopFrame){.frame = e.frame,
                                          .packet = e.packet,
                                          .pts = e.pts,
                                          .size = e.size,
                                          .pict_type = e.pict_type,
                                          .key = (int8_t)e.key};
        }
        if (gop)
            *gop = (FPIndexGop){.frame = frame,
                                .first = first,
                                .end = end,
                                .frames = ix->order.frames,
                                .count = (int)count};
    }
    pthread_mutex_unlock(&ix->lock);
    return ret < 0 ? ret : (int)count;
}

/* Appends as snprintf() would at buf + *len, counting what did not fit. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(*len < size ? buf + *len : NULL, *len < size ? size - *len : 0, fmt, args);
    va_end(args);
    if (n > 0)
        *len += (size_t)n;
}

static char type_letter(const FPIndexGopFrame *f)
{
    if (f->pict_type == AV_PICTURE_TYPE_NONE)
        return f->key ? 'K' : '?';
    return av_get_picture_type_char((enum AVPictureType)f->pict_type);
}

int fp_index_gop_format(const FPIndexGop *gop, const FPIndexGopFrame *frames, char *buf,
                        size_t size)
{
    size_t len = 0;

    if (gop->count < 1 || gop->frame < frames[0].frame ||
        gop->frame >= frames[0].frame + gop->count)
        return AVERROR(EINVAL);
    if (size)
        buf[0] = '\0';
    append(buf, size, &len, "gop %lld-%lld of %lld:", (long long)gop->first,
           (long long)gop->end - 1, (long long)gop->frames);
    if (frames[0].frame > gop->first)
        append(buf, size, &len, " ...");
    for (int i = 0; i < gop->count; i++) {
        const FPIndexGopFrame *f = &frames[i];
        int current = f->frame == gop->frame;

        append(buf, size, &len, " %s%c%lld(d%lld)%s", current ? "[" : "", type_letter(f),
               (long long)f->frame, (long long)f->packet, current ? "]" : "");
    }
    if (frames[gop->count - 1].frame < gop->end - 1)
        append(buf, size, &len, " ...");
    return len > INT32_MAX ? AVERROR(ERANGE) : (int)len;
}
