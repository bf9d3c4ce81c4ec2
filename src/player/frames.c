/*
 * Frame numbers: between the frames the player shows and the frame index.
 *
 * Two ways of numbering, as FPIndexInfo.order says:
 *
 *   - The stream has timestamps (every container): a frame's number is the
 *     place of its timestamp in the index's display order.
 *   - A raw H.264 or HEVC stream has none. The player times its frames one
 *     packet duration apart, counting from the first (intake.c), in the
 *     order the decoder gives them, which is the display order: frame n is at
 *     first_pts + n * duration. That holds when every packet shows one frame
 *     and all have the same duration, which the index checks
 *     (FPIndexInfo.duration); otherwise frames are not numbered.
 *
 * Seeks use the index too: a keyframe seek goes to the last keyframe at or
 * before the target that the index knows (MPEG-TS and -PS cannot find it by
 * their own search); a seek in a raw stream starts reading at the byte
 * position of an IDR picture instead of at byte 0; in MPEG-TS and -PS an
 * exact seek reads from the position of the keyframe before its target, where
 * their own search by clock references may land late and have to try again;
 * and where timestamps go back, going to a frame by its number reads from its
 * keyframe's position, since its time may be another piece's too.
 */
#include <string.h>

#include <libavutil/avutil.h>

#include "compat.h"
#include "framemd5.h"
#include "player_internal.h"

/* 1 with *info filled when the index is complete and numbers frames. */
static int index_ready(FPPlayer *p, FPIndexInfo *info)
{
    if (!p->index || fp_index_done(p->index) != 1)
        return 0;
    fp_index_info(p->index, info);
    return info->frames > 0;
}

/* 1 when frames are numbered by their place in time, one packet duration apart. */
static int numbered_by_count(FPPlayer *p, const FPIndexInfo *info)
{
    return info->order == FP_INDEX_ORDER_DECODE && info->duration > 0 &&
           p->first_pts != AV_NOPTS_VALUE;
}

int64_t fp_frames_number(FPPlayer *p, const AVFrame *f)
{
    FPIndexInfo info;
    int64_t n, since;

    if (!f || !index_ready(p, &info))
        return -1;
    if (info.order != FP_INDEX_ORDER_DECODE) {
        n = fp_index_frame_of_pts(p->index, f->best_effort_timestamp);
        return n >= 0 ? n : -1;
    }
    if (!numbered_by_count(p, &info))
        return -1;
    since = f->best_effort_timestamp - p->first_pts;
    if (since < 0 || since % info.duration)
        return -1;
    n = since / info.duration;
    return n < info.frames ? n : -1;
}

int64_t fp_frames_total(FPPlayer *p)
{
    FPIndexInfo info;

    if (!index_ready(p, &info))
        return -1;
    return info.order != FP_INDEX_ORDER_DECODE || numbered_by_count(p, &info) ? info.frames : -1;
}

int fp_frames_ts(FPPlayer *p, int64_t n, int64_t *ts)
{
    FPIndexInfo info;
    FPIndexEntry e;
    int ret;

    if (!index_ready(p, &info))
        return AVERROR(EAGAIN);
    n = FFMIN(FFMAX(n, 0), info.frames - 1); /* past the end: the last frame */
    if (info.order == FP_INDEX_ORDER_DECODE) {
        if (!numbered_by_count(p, &info))
            return AVERROR(ENOSYS);
        *ts = p->first_pts + n * info.duration;
        return 0;
    }
    ret = fp_index_get(p->index, n, &e);
    if (ret < 0)
        return ret;
    if (e.display_ts == AV_NOPTS_VALUE)
        return AVERROR(ENOSYS);
    *ts = e.display_ts;
    return 0;
}

int fp_frames_raw_entry(FPPlayer *p, int64_t ts, int64_t *pos, int64_t *first_ts)
{
    FPIndexInfo info;
    FPIndexEntry e;
    int64_t n;
    int ret;

    if (!index_ready(p, &info) || !numbered_by_count(p, &info) ||
        !fp_demux_byte_seekable(p->demux))
        return AVERROR(ENOSYS);
    /* The frame at or before ts; the IDR picture at or before it is shown as frame e.packet. */
    n = ts <= p->first_pts ? 0 : (ts - p->first_pts) / info.duration;
    ret = fp_index_idr_at_or_before(p->index, n, &e);
    if (ret < 0 || e.pos < 0)
        return ret < 0 ? ret : AVERROR(ENOSYS);
    *pos = e.pos;
    *first_ts = p->first_pts + e.packet * info.duration;
    return 0;
}

int fp_frames_key_pos(FPPlayer *p, int64_t n, int64_t *pos)
{
    FPIndexInfo info;
    FPIndexEntry e;
    int ret;

    if (!index_ready(p, &info) || info.segments < 2 || !fp_demux_byte_seekable(p->demux))
        return AVERROR(ENOSYS);
    ret = fp_index_key_for_frame(p->index, FFMIN(FFMAX(n, 0), info.frames - 1), &e);
    if (ret < 0)
        return ret;
    if (e.pos < 0)
        return AVERROR(ENOSYS);
    *pos = e.pos;
    return 0;
}

int fp_frames_key_pos_at(FPPlayer *p, int64_t ts, int64_t *pos)
{
    FPIndexInfo info;
    FPIndexEntry e;
    int ret;

    if (!p->ts_discont || !index_ready(p, &info) || info.segments != 1 ||
        !fp_demux_byte_seekable(p->demux))
        return AVERROR(ENOSYS);
    ret = fp_index_key_at_or_before(p->index, ts, &e);
    if (ret < 0)
        return ret;
    if (e.pos < 0)
        return AVERROR(ENOSYS);
    *pos = e.pos;
    return 0;
}

int fp_frames_last_ts(FPPlayer *p, int64_t *ts)
{
    FPIndexInfo info;

    if (!index_ready(p, &info) || info.segments != 1)
        return AVERROR(ENOSYS);
    return fp_frames_ts(p, INT64_MAX, ts);
}

double fp_frames_seconds(FPPlayer *p)
{
    int64_t last, duration = fp_demux_duration(p->demux);
    FPIndexEntry e;

    if (fp_frames_last_ts(p, &last) >= 0 && fp_index_get(p->index, fp_frames_total(p) - 1, &e) >= 0)
        return fp_ts_seconds(p, last + FFMAX(e.duration, 0));
    return duration > 0 ? duration / (double)AV_TIME_BASE : -1;
}

int fp_frames_key_ts(FPPlayer *p, int64_t ts, int64_t *key_ts)
{
    FPIndexInfo info;
    FPIndexEntry e;
    int ret;

    if (!index_ready(p, &info) || info.order == FP_INDEX_ORDER_DECODE)
        return AVERROR(ENOSYS);
    ret = fp_index_key_at_or_before(p->index, ts, &e);
    if (ret < 0)
        return ret;
    if (e.display_ts == AV_NOPTS_VALUE) /* a keyframe that is never shown */
        return AVERROR(ENOSYS);
    *key_ts = e.display_ts;
    return 0;
}

void fp_frames_describe(FPPlayer *p, const AVFrame *f, FPFrameInfo *fi, int with_md5)
{
    FPIndexInfo info;
    FPIndexEntry e;

    memset(fi, 0, sizeof(*fi));
    fi->number = fp_frames_number(p, f);
    fi->total = fp_frames_total(p);
    fi->pts = f->best_effort_timestamp;
    fi->time_base = p->video_st->time_base;
    fi->time = fp_ts_seconds(p, fi->pts);
    fi->type = av_get_picture_type_char(f->pict_type);
    fi->key = fp_frame_is_key(f);
    /*
     * The index has the packet as ffprobe shows it; the decoder passes only some
     * of it on, and may call a frame key that its packet does not (APNG).
     */
    if (fi->number >= 0 && index_ready(p, &info) && info.order != FP_INDEX_ORDER_DECODE &&
        fp_index_get(p->index, fi->number, &e) >= 0) {
        fi->dts = e.dts;
        fi->key = e.key;
        fi->size = e.size;
        fi->pos = e.pos;
    } else {
        fi->dts = f->pkt_dts;
        fi->size = fp_frame_pkt_size(f);
        fi->pos = fp_frame_pkt_pos(f);
    }
    if (with_md5 && fp_frame_md5(f, fi->md5, NULL) < 0)
        fi->md5[0] = '\0';
}

void fp_frames_emit_info(FPPlayer *p, const AVFrame *f, uint64_t id, int with_md5)
{
    FPFrameInfo fi;
    FPEvent ev = {.type = FP_EVENT_FRAME_INFO, .id = id, .info = &fi};

    fp_frames_describe(p, f, &fi, with_md5);
    ev.frame = f;
    ev.pts = fi.pts;
    ev.time = fi.time;
    ev.frame_number = fi.number;
    fp_emit(p, &ev);
}
