/*
 * Internal: the step history, a run of consecutive decoded frames in
 * presentation order around the frame on screen (the cursor).
 *
 * Every entry is a reference of the history's own: frames enter with
 * av_frame_ref() (the caller keeps its reference) or av_frame_move_ref() (the
 * caller hands its reference over), never with a pixel copy. The decoder's
 * picture buffers stay alive exactly as long as some entry points to them.
 *
 * The history is bounded by the bytes of the buffers it references. When an
 * insertion goes over the budget, the entry farthest from the cursor is
 * unreferenced. Two entries always stay, the cursor's and its nearest
 * neighbour's, even when they alone are larger than the budget: the frame on
 * screen, and the one a step back needs after a refill.
 *
 * Used by the render thread only; not thread-safe.
 */
#ifndef FRAMEPIPE_SRC_HISTORY_H
#define FRAMEPIPE_SRC_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include <libavutil/frame.h>

#include "trace.h"

typedef struct FPHistory FPHistory;

/** @return 0; AVERROR(ENOMEM). */
int fp_history_alloc(FPHistory **h, size_t budget_bytes);

/** Unreference every entry and free. h is set to NULL; NULL is accepted. */
void fp_history_free(FPHistory **h);

/** Unreference every entry; the cursor becomes -1. */
void fp_history_clear(FPHistory *h);

/**
 * Insert a frame at index (0..count) by moving its references in
 * (av_frame_move_ref: frame is left blank). Entries at and after index move
 * up by one, and so does the cursor if it was at or after index. With
 * make_cursor the new entry becomes the cursor. Then trims to the budget.
 *
 * @return 0; AVERROR(EINVAL) for a bad index or AVERROR(ENOMEM), and then
 *         frame is untouched and still the caller's.
 */
int fp_history_insert(FPHistory *h, int index, AVFrame *frame, int make_cursor);

/** The entry at index (borrowed; valid until the history changes), or NULL. */
const AVFrame *fp_history_get(const FPHistory *h, int index);

int fp_history_count(const FPHistory *h);

/** Index of the frame on screen, -1 when empty. */
int fp_history_cursor(const FPHistory *h);

/** Move the cursor (0..count-1). */
void fp_history_set_cursor(FPHistory *h, int index);

/** Bytes referenced now. */
size_t fp_history_bytes(const FPHistory *h);

/** Report puts and releases to t (borrowed; NULL: none). */
void fp_history_set_trace(FPHistory *h, FPTrace *t);

/** The bytes of the buffers a frame references. */
size_t fp_frame_bytes(const AVFrame *frame);

#endif /* FRAMEPIPE_SRC_HISTORY_H */
