/*
 * Reading the index: every function takes the lock for the time of a copy or
 * a binary search, so it may run on any thread while the scanner appends.
 */
#include <pthread.h>
#include <stdatomic.h>

#include <libavutil/error.h>

#include "index_internal.h"

/* Under lock: 0 when the display order is known, else why it is not. */
int fp_index_order_ready(FPIndex *ix)
{
    if (ix->ordered)
        return 0;
    if (ix->state == SCAN_FAILED)
        return ix->order_error; /* the scan ran out of memory while ordering */
    if (ix->state == SCAN_ABORTED || atomic_load(&ix->abort))
        return AVERROR_EXIT;
    return AVERROR(EAGAIN);
}

int fp_index_frame_ready(FPIndex *ix, int64_t frame)
{
    int ret = fp_index_order_ready(ix);

    return ret < 0 ? ret : frame < 0 || frame >= ix->order.frames ? AVERROR(ERANGE) : 0;
}

/* Under lock. */
static int64_t big_duration(const FPIndex *ix, int64_t packet)
{
    int64_t lo = 0, hi = ix->nb_big_durations;

    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;

        if (ix->big_durations[mid].packet < packet)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->nb_big_durations && ix->big_durations[lo].packet == packet
               ? ix->big_durations[lo].duration
               : 0;
}

/* Under lock: packet n, which exists. */
void fp_index_fill(const FPIndex *ix, int64_t n, FPIndexEntry *e)
{
    const IndexRecord *r = &ix->records[n];
    int flags = ix->flags[n];
    int64_t frame = ix->ordered ? ix->order.frame_of[n] : -1;

    e->pts = flags & (REC_ESTIMATED | REC_NO_TIME) ? AV_NOPTS_VALUE : r->ts;
    e->dts = r->dts;
    e->duration = r->duration == DURATION_BIG ? big_duration(ix, n) : r->duration;
    e->pos = r->pos;
    e->size = r->size;
    e->flags = flags & REC_PACKET_FLAGS;
    e->key = !!(flags & AV_PKT_FLAG_KEY);
    e->idr = !!(flags & REC_IDR);
    e->pict_type = ix->pict_types[n];
    e->display_ts = frame >= 0 && !(flags & REC_NO_TIME) ? r->ts : AV_NOPTS_VALUE;
    e->packet = n;
    e->frame = frame;
}

/* Under lock, ordered: the sort key of display frame k (see IndexRecord.ts). */
static int64_t ts_of(const FPIndex *ix, int64_t k)
{
    return ix->records[ix->order.display[k]].ts;
}

static int has_time(const FPIndex *ix, int64_t k)
{
    return !(ix->flags[ix->order.display[k]] & REC_NO_TIME);
}

/* The first display number in [lo, hi) whose key is >= ts (strict: > ts), or hi. */
static int64_t search_ts(const FPIndex *ix, int64_t lo, int64_t hi, int64_t ts, int strict)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int64_t at = ts_of(ix, mid);

        if (at < ts || (strict && at == ts))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The place in key_at[lo, hi) of the last keyframe placed at or before display frame k, or lo - 1. */
int64_t fp_index_last_key_at_or_before(const FPIndex *ix, int64_t lo, int64_t hi, int64_t k)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;

        if (ix->order.key_at[mid] <= k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

void fp_index_info(FPIndex *ix, FPIndexInfo *info)
{
    pthread_mutex_lock(&ix->lock);
    info->stream_index = ix->stream_index;
    info->time_base = ix->time_base;
    info->reorder_delay = ix->reorder_delay;
    info->packets = ix->count;
    info->frames = ix->ordered ? ix->order.frames : -1;
    info->keyframes = ix->ordered ? ix->order.keyframes : -1;
    info->estimated = ix->ordered ? ix->order.estimated : -1;
    info->segments = ix->ordered ? ix->order.nb_segments : 0;
    info->order = ix->ordered ? ix->order.order : FP_INDEX_ORDER_PTS;
    info->duration = ix->duration;
    pthread_mutex_unlock(&ix->lock);
}

int fp_index_idr_at_or_before(FPIndex *ix, int64_t packet, FPIndexEntry *e)
{
    int ret = AVERROR(ENOENT);

    pthread_mutex_lock(&ix->lock);
    for (int64_t n = FFMIN(packet, ix->count - 1); n >= 0; n--) {
        if (ix->flags[n] & REC_IDR) {
            fp_index_fill(ix, n, e);
            ret = 0;
            break;
        }
    }
    pthread_mutex_unlock(&ix->lock);
    return ret;
}

int fp_index_get_decode(FPIndex *ix, int64_t n, FPIndexEntry *e)
{
    int ret = AVERROR(ERANGE);

    pthread_mutex_lock(&ix->lock);
    if (n >= 0 && n < ix->count) {
        fp_index_fill(ix, n, e);
        ret = 0;
    }
    pthread_mutex_unlock(&ix->lock);
    return ret;
}

int fp_index_get(FPIndex *ix, int64_t frame, FPIndexEntry *e)
{
    int ret;

    pthread_mutex_lock(&ix->lock);
    ret = fp_index_frame_ready(ix, frame);
    if (ret >= 0)
        fp_index_fill(ix, ix->order.display[frame], e);
    pthread_mutex_unlock(&ix->lock);
    return ret;
}

int64_t fp_index_frame_of_pts(FPIndex *ix, int64_t pts)
{
    int64_t found = AVERROR(ENOENT);
    int ret;

    if (pts == AV_NOPTS_VALUE)
        return AVERROR(EINVAL);
    pthread_mutex_lock(&ix->lock);
    ret = fp_index_order_ready(ix);
    for (int i = 0; ret >= 0 && found < 0 && i < ix->order.nb_segments; i++) {
        const IndexSegment *s = &ix->order.segments[i];

        if (s->min_ts == AV_NOPTS_VALUE || pts < s->min_ts || pts > s->max_ts)
            continue;
        /* Frames without a time may share the key; the first that has one is the answer. */
        for (int64_t k = search_ts(ix, s->first, s->end, pts, 0);
             k < s->end && ts_of(ix, k) == pts && found < 0; k++)
            if (has_time(ix, k))
                found = k;
    }
    pthread_mutex_unlock(&ix->lock);
    return ret < 0 ? ret : found;
}

int fp_index_key_for_frame(FPIndex *ix, int64_t frame, FPIndexEntry *e)
{
    int64_t at;
    int ret;

    pthread_mutex_lock(&ix->lock);
    ret = fp_index_frame_ready(ix, frame);
    if (ret >= 0) {
        at = fp_index_last_key_at_or_before(ix, 0, ix->order.nb_keys, frame);
        if (at >= 0)
            fp_index_fill(ix, ix->order.key_packet[at], e);
        else
            ret = AVERROR(ENOENT);
    }
    pthread_mutex_unlock(&ix->lock);
    return ret;
}

/* Under lock: the last timed keyframe of segment s at or before pts, as a decode number, or -1. */
static int64_t key_in_segment(const FPIndex *ix, const IndexSegment *s, int64_t pts)
{
    int64_t last = search_ts(ix, s->first, s->end, pts, 1) - 1; /* last frame at or before pts */
    int64_t at = fp_index_last_key_at_or_before(ix, s->first_key, s->end_key, last);

    while (at >= s->first_key && (ix->flags[ix->order.key_packet[at]] & REC_NO_TIME))
        at--;
    return at >= s->first_key ? ix->order.key_packet[at] : -1;
}

int fp_index_key_at_or_before(FPIndex *ix, int64_t pts, FPIndexEntry *e)
{
    int64_t best = -1, found = -1;
    int ret;

    if (pts == AV_NOPTS_VALUE)
        return AVERROR(EINVAL);
    pthread_mutex_lock(&ix->lock);
    ret = fp_index_order_ready(ix);
    for (int i = 0; ret >= 0 && i < ix->order.nb_segments; i++) {
        const IndexSegment *s = &ix->order.segments[i];
        int64_t candidate;

        if (s->min_ts == AV_NOPTS_VALUE || pts < s->min_ts)
            continue;
        candidate = key_in_segment(ix, s, pts);
        if (pts <= s->max_ts) {
            /* This segment's times span pts: it answers, even if with nothing. */
            found = candidate;
            best = -1;
            break;
        }
        if (candidate >= 0 && (best < 0 || ix->records[candidate].ts > ix->records[best].ts))
            best = candidate;
    }
    if (best >= 0)
        found = best;
    if (ret >= 0 && found >= 0)
        fp_index_fill(ix, found, e);
    else if (ret >= 0)
        ret = AVERROR(ENOENT);
    pthread_mutex_unlock(&ix->lock);
    return ret;
}
