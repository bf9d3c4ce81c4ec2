/*
 * The display order, made once when the scan has read everything. The rules
 * are those of index.h; this file says how.
 */
#include <stdatomic.h>
#include <string.h>

#include <libavutil/common.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "index_internal.h"

/* Frames are sorted by (segment, key); equal ones keep decode order: the sort is stable. */
typedef struct SortItem {
    int64_t key;
    int32_t segment;
    int32_t packet;
} SortItem;

/* Runs sorted by insertion before merging: reordering in a video stream is local. */
#define RUN 32
/* How many items the insertion pass sorts between two looks at the abort flag. */
#define ABORT_STRIDE (1 << 16)

static int before(const SortItem *a, const SortItem *b)
{
    return a->segment != b->segment ? a->segment < b->segment : a->key < b->key;
}

static void insertion_sort(SortItem *a, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        SortItem x = a[i];
        int64_t j = i;

        while (j > 0 && before(&x, &a[j - 1])) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

static void merge(const SortItem *src, int64_t lo, int64_t mid, int64_t hi, SortItem *dst)
{
    int64_t i = lo, j = mid, k = lo;

    /* Runs already in order, the usual case between two GOPs, are copied whole. */
    if (mid >= hi || !before(&src[mid], &src[mid - 1])) {
        memcpy(dst + lo, src + lo, (size_t)(hi - lo) * sizeof(*dst));
        return;
    }
    while (i < mid && j < hi)
        dst[k++] = before(&src[j], &src[i]) ? src[j++] : src[i++];
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

/*
 * A stable merge sort, O(n log n) whatever the input, that looks at the abort
 * flag between passes: qsort() is neither stable nor interruptible.
 */
static int sort_items(SortItem *a, int64_t n, atomic_int *abort)
{
    SortItem *tmp, *src = a, *dst;

    for (int64_t lo = 0; lo < n; lo += RUN) {
        if (lo % ABORT_STRIDE == 0 && atomic_load(abort))
            return AVERROR_EXIT;
        insertion_sort(a + lo, FFMIN(RUN, n - lo));
    }
    if (n <= RUN)
        return 0;
    tmp = av_malloc_array(n, sizeof(*tmp));
    if (!tmp)
        return AVERROR(ENOMEM);
    dst = tmp;
    for (int64_t width = RUN; width < n; width *= 2) {
        SortItem *swap;

        if (atomic_load(abort)) {
            av_free(tmp);
            return AVERROR_EXIT;
        }
        for (int64_t lo = 0; lo < n; lo += 2 * width)
            merge(src, lo, FFMIN(lo + width, n), FFMIN(lo + 2 * width, n), dst);
        swap = src;
        src = dst;
        dst = swap;
    }
    if (src != a)
        memcpy(a, src, (size_t)n * sizeof(*a));
    av_free(tmp);
    return 0;
}

/* A dts below the one before starts a segment: the clock went back (a join, a wrap). */
static void assign_segments(const IndexRecord *r, int64_t n, SortItem *items)
{
    int64_t last_dts = AV_NOPTS_VALUE;
    int32_t segment = 0;

    for (int64_t i = 0; i < n; i++) {
        if (r[i].dts != AV_NOPTS_VALUE) {
            if (last_dts != AV_NOPTS_VALUE && r[i].dts < last_dts)
                segment++;
            last_dts = r[i].dts;
        }
        items[i].segment = segment;
        items[i].packet = (int32_t)i;
    }
}

static int stream_reorders(const FPIndex *ix, int64_t n)
{
    const IndexRecord *r = ix->records;

    if (ix->reorder_delay > 0)
        return 1;
    for (int64_t i = 0; i < n; i++)
        if (r[i].ts != AV_NOPTS_VALUE && r[i].dts != AV_NOPTS_VALUE && r[i].ts != r[i].dts)
            return 1;
    return 0;
}

static int any_without_pts(const IndexRecord *r, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (r[i].ts == AV_NOPTS_VALUE)
            return 1;
    return 0;
}

/*
 * Gives every packet its sort key: its pts; for one without pts, the estimate
 * of index.h (written into the record as REC_ESTIMATED) or a key that keeps
 * it where index.h says (REC_NO_TIME). The records change under the lock, so
 * that fp_index_get_decode() on another thread sees each one whole; the lock
 * is only taken when some packet lacks a pts, and is held for two plain
 * passes over memory.
 */
static void assign_keys(FPIndex *ix, int64_t n, SortItem *items)
{
    IndexRecord *r = ix->records;
    int64_t next_delayed = AV_NOPTS_VALUE, previous = AV_NOPTS_VALUE;
    int reorders, missing = any_without_pts(r, n);

    if (!missing) {
        for (int64_t i = 0; i < n; i++)
            items[i].key = r[i].ts;
        return;
    }
    reorders = stream_reorders(ix, n);
    pthread_mutex_lock(&ix->lock);
    /* Backwards: the dts of the next delayed reference frame is known when a packet is met. */
    for (int64_t i = n - 1; i >= 0; i--) {
        if (i + 1 < n && items[i + 1].segment != items[i].segment)
            next_delayed = AV_NOPTS_VALUE;
        if (r[i].ts != AV_NOPTS_VALUE) {
            items[i].key = r[i].ts;
            if (r[i].dts != AV_NOPTS_VALUE && r[i].ts > r[i].dts)
                next_delayed = r[i].dts;
        } else if (r[i].dts != AV_NOPTS_VALUE) {
            int64_t estimate = reorders ? next_delayed : r[i].dts;

            /* Without a later reference frame to go by, it is shown last in its segment. */
            items[i].key = estimate != AV_NOPTS_VALUE ? estimate : INT64_MAX;
            r[i].ts = items[i].key;
            ix->flags[i] |= estimate != AV_NOPTS_VALUE ? REC_ESTIMATED : REC_NO_TIME;
            if (reorders)
                next_delayed = r[i].dts;
        }
    }
    /* Forwards: a packet with no time at all follows the packet decoded before it. */
    for (int64_t i = 0; i < n; i++) {
        if (r[i].ts == AV_NOPTS_VALUE) {
            items[i].key = previous;
            r[i].ts = previous;
            ix->flags[i] |= REC_NO_TIME;
        } else {
            previous = items[i].key;
        }
    }
    pthread_mutex_unlock(&ix->lock);
}

/*
 * From all packets, sorted: the tables, the keyframes, the segments and the
 * counts. Packets flagged discard take part in the sort only to place the
 * keyframes among them: a GOP cut by an MP4 edit list starts with one.
 */
static int build_tables(const FPIndex *ix, const SortItem *items, int64_t n, IndexOrder *o)
{
    const IndexRecord *r = ix->records;
    const uint8_t *flags = ix->flags;
    int64_t frames = 0, nb_keys = 0, timed = 0, k = 0, key = 0;
    int segments = 0, s = -1;

    for (int64_t i = 0; i < n; i++) {
        int32_t p = items[i].packet;
        int shown = !(flags[p] & AV_PKT_FLAG_DISCARD);

        frames += shown;
        nb_keys += !!(flags[p] & AV_PKT_FLAG_KEY);
        o->keyframes += shown && (flags[p] & AV_PKT_FLAG_KEY);
        timed += shown && !(flags[p] & REC_NO_TIME);
        o->estimated += shown && (flags[p] & (REC_ESTIMATED | REC_NO_TIME));
        segments += i == 0 || items[i].segment != items[i - 1].segment;
    }
    o->display = av_malloc_array(FFMAX(frames, 1), sizeof(*o->display));
    o->frame_of = av_malloc_array(FFMAX(n, 1), sizeof(*o->frame_of));
    o->key_packet = av_malloc_array(FFMAX(nb_keys, 1), sizeof(*o->key_packet));
    o->key_at = av_malloc_array(FFMAX(nb_keys, 1), sizeof(*o->key_at));
    o->segments = av_malloc_array(FFMAX(segments, 1), sizeof(*o->segments));
    if (!o->display || !o->frame_of || !o->key_packet || !o->key_at || !o->segments)
        return AVERROR(ENOMEM);
    for (int64_t i = 0; i < n; i++) {
        int32_t p = items[i].packet;
        int shown = !(flags[p] & AV_PKT_FLAG_DISCARD);
        IndexSegment *seg;

        if (i == 0 || items[i].segment != items[i - 1].segment) {
            seg = &o->segments[++s];
            seg->first = seg->end = (int32_t)k;
            seg->first_key = (int32_t)key;
            seg->min_ts = seg->max_ts = AV_NOPTS_VALUE;
        }
        seg = &o->segments[s];
        if (flags[p] & AV_PKT_FLAG_KEY) {
            o->key_packet[key] = p;
            o->key_at[key++] = (int32_t)k;
        }
        seg->end_key = (int32_t)key;
        o->frame_of[p] = shown ? (int32_t)k : -1;
        if (!shown)
            continue;
        o->display[k] = p;
        seg->end = (int32_t)++k;
        if (!(flags[p] & REC_NO_TIME)) {
            /* Sorted: the first timed frame of a segment has its least time, the last its most. */
            if (seg->min_ts == AV_NOPTS_VALUE)
                seg->min_ts = r[p].ts;
            seg->max_ts = r[p].ts;
        }
    }
    o->frames = frames;
    o->nb_keys = nb_keys;
    o->nb_segments = segments;
    o->order = frames && !timed ? FP_INDEX_ORDER_DECODE
               : o->estimated   ? FP_INDEX_ORDER_ESTIMATED
                                : FP_INDEX_ORDER_PTS;
    return 0;
}

int fp_index_order_make(FPIndex *ix, IndexOrder *o)
{
    /* Only this thread appends, and it has stopped: count and the tables are stable. */
    int64_t n = ix->count;
    SortItem *items;
    int ret;

    memset(o, 0, sizeof(*o));
    items = av_malloc_array(FFMAX(n, 1), sizeof(*items));
    if (!items)
        return AVERROR(ENOMEM);
    assign_segments(ix->records, n, items);
    assign_keys(ix, n, items);
    ret = sort_items(items, n, &ix->abort);
    if (ret >= 0)
        ret = build_tables(ix, items, n, o);
    av_free(items);
    if (ret < 0)
        fp_index_order_free(o);
    return ret;
}

void fp_index_order_free(IndexOrder *o)
{
    av_freep(&o->display);
    av_freep(&o->frame_of);
    av_freep(&o->key_packet);
    av_freep(&o->key_at);
    av_freep(&o->segments);
    memset(o, 0, sizeof(*o));
}
