#include <string.h>

#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "history.h"

struct FPHistory {
    AVFrame **frames; /* count entries in presentation order, each holding its own references */
    int count;
    int capacity;
    int cursor;
    size_t bytes;
    size_t budget;
    FPTrace *trace;
};

size_t fp_frame_bytes(const AVFrame *frame)
{
    size_t bytes = 0;

    for (int i = 0; i < AV_NUM_DATA_POINTERS && frame->buf[i]; i++)
        bytes += frame->buf[i]->size;
    return bytes;
}

int fp_history_alloc(FPHistory **out, size_t budget_bytes)
{
    FPHistory *h = av_mallocz(sizeof(*h));

    *out = h;
    if (!h)
        return AVERROR(ENOMEM);
    h->budget = budget_bytes;
    h->cursor = -1;
    return 0;
}

static void remove_at(FPHistory *h, int index)
{
    h->bytes -= fp_frame_bytes(h->frames[index]);
    fp_trace_unref(h->trace, FP_TRACE_FRAME, h->frames[index], "history");
    av_frame_free(&h->frames[index]); /* blank now: frees the shell only */
    memmove(&h->frames[index], &h->frames[index + 1],
            (size_t)(h->count - index - 1) * sizeof(*h->frames));
    h->count--;
    if (h->cursor > index)
        h->cursor--;
}

void fp_history_clear(FPHistory *h)
{
    while (h->count)
        remove_at(h, h->count - 1);
    h->cursor = -1;
}

void fp_history_free(FPHistory **ph)
{
    FPHistory *h = *ph;

    if (!h)
        return;
    fp_history_clear(h);
    av_free(h->frames);
    av_freep(ph);
}

/* Drop the entries farthest from the cursor until the history fits its budget again. */
static void trim(FPHistory *h)
{
    /*
     * Two entries stay whatever the budget: the cursor and its nearest
     * neighbour, so a refill before the cursor always leaves the frame a
     * back-step needs.
     */
    while (h->bytes > h->budget && h->count > 2) {
        int before = h->cursor, after = h->count - 1 - h->cursor;

        remove_at(h, after >= before ? h->count - 1 : 0);
    }
}

int fp_history_insert(FPHistory *h, int index, AVFrame *frame, int make_cursor)
{
    AVFrame *entry;

    if (index < 0 || index > h->count)
        return AVERROR(EINVAL);
    if (h->count == h->capacity) {
        int capacity = h->capacity ? 2 * h->capacity : 32;
        AVFrame **frames = av_realloc_array(h->frames, capacity, sizeof(*frames));

        if (!frames)
            return AVERROR(ENOMEM);
        h->frames = frames;
        h->capacity = capacity;
    }
    entry = av_frame_alloc();
    if (!entry)
        return AVERROR(ENOMEM);
    av_frame_move_ref(entry, frame);
    memmove(&h->frames[index + 1], &h->frames[index],
            (size_t)(h->count - index) * sizeof(*h->frames));
    h->frames[index] = entry;
    h->count++;
    h->bytes += fp_frame_bytes(entry);
    if (h->cursor >= index)
        h->cursor++;
    if (h->cursor < 0 || make_cursor)
        h->cursor = index;
    fp_trace_event(h->trace, FP_TRACE_FRAME, entry, "put", "history", h->count);
    trim(h);
    return 0;
}

const AVFrame *fp_history_get(const FPHistory *h, int index)
{
    return index >= 0 && index < h->count ? h->frames[index] : NULL;
}

int fp_history_count(const FPHistory *h)
{
    return h->count;
}

int fp_history_cursor(const FPHistory *h)
{
    return h->cursor;
}

void fp_history_set_cursor(FPHistory *h, int index)
{
    if (index >= 0 && index < h->count)
        h->cursor = index;
}

size_t fp_history_bytes(const FPHistory *h)
{
    return h->bytes;
}

void fp_history_set_trace(FPHistory *h, FPTrace *t)
{
    h->trace = t;
}
