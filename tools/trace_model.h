/*
 * Internal to --trace-html: the trace in memory, between the reader that
 * fills it (trace_jsonl.c) and the page writer that reads it (trace_html.c).
 *
 * Each thread, queue and buffer address is stored once and named by its
 * index; so is each (thread, op, queue) triple, a "combo", which is what the
 * page draws as one kind of mark. Each packet or frame is one FPTraceItem, and
 * each line of the trace one FPTraceRecord that points at its combo and item.
 *
 * Ownership: FPTraceModel owns every array and every string it points to. The
 * caller owns the FPTraceModel struct itself (usually on its stack), zeroes it
 * before the first call, and calls fp_trace_model_uninit() once when done, on
 * success and on failure alike. Nothing here keeps a pointer to what the
 * caller passes in. Not thread-safe; one model belongs to one thread.
 */
#ifndef FRAMEPIPE_TOOLS_TRACE_MODEL_H
#define FRAMEPIPE_TOOLS_TRACE_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* The trace format's vocabulary (trace.h). The indices are what records store. */
enum { FP_TRACE_NB_KINDS = 2, FP_TRACE_NB_OPS = 11 };
extern const char *const fp_trace_kind_names[FP_TRACE_NB_KINDS]; /* "packet", "frame" */
extern const char *const fp_trace_op_names[FP_TRACE_NB_OPS];     /* "read" ... "free" */

/* A string that is not NUL-terminated, such as a value inside a line being parsed. */
typedef struct FPTraceSpan {
    const char *s;
    size_t len;
} FPTraceSpan;

/**
 * One line of the trace, parsed and checked, as the reader hands it to
 * fp_trace_model_add(). The spans point into the reader's line buffer and need
 * only live for that call: the model copies what it keeps.
 */
typedef struct FPTraceLine {
    int64_t t_us;       /* >= 0 */
    FPTraceSpan thread; /* not empty */
    int kind;           /* index into fp_trace_kind_names */
    int64_t id;         /* 0 .. INT64_MAX / FP_TRACE_NB_KINDS, so id * kinds + kind fits */
    int op;             /* index into fp_trace_op_names */
    FPTraceSpan queue;  /* queue.s == NULL: the line names no queue; otherwise not empty */
    int depth;          /* -1: not given */
    FPTraceSpan buf;    /* "(nil)" or "0x..." */
    int refcount;       /* >= 0 */
    int line;           /* 1-based line number, to keep file order among equal t_us */
} FPTraceLine;

/* Interned strings: threads, queues and buffer addresses each get a small index. */
typedef struct FPTraceNames {
    char **names; /* count NUL-terminated copies, in order of first appearance */
    int count, capacity;
    int *slots; /* open addressing, index + 1; 0 is empty */
    int nb_slots;
} FPTraceNames;

/* A packet or a frame: one per (kind, id). */
typedef struct FPTraceItem {
    int kind;
    int64_t id;
    int buf; /* index into bufs: the buffer at the item's first event */
} FPTraceItem;

/* One event: one line of the trace. */
typedef struct FPTraceRecord {
    int64_t t_us;
    int combo; /* index of its (thread, op, queue) triple */
    int depth; /* -1: not given */
    int refcount;
    int object; /* index into objects */
    int line;   /* keeps equal timestamps in file order if the trace needs sorting */
} FPTraceRecord;

/* Read-only outside trace_model.c; the capacities and hash slots are its business. */
typedef struct FPTraceModel {
    FPTraceNames threads, queues, bufs;
    int *combos; /* nb_combos triples: thread, op, queue (-1: none) */
    int nb_combos, combos_capacity;
    FPTraceRecord *events;
    size_t nb_events, events_capacity;
    FPTraceItem *objects;
    int nb_objects, objects_capacity;
    int *object_slots; /* (kind, id) -> object index + 1 */
    int nb_object_slots;
} FPTraceModel;

/**
 * Append one event, interning its names and creating its item on first sight.
 *
 * @param line  Borrowed for the call only; nothing is checked again, so it
 *              must hold what FPTraceLine promises.
 * @return 0; AVERROR(ENOMEM); AVERROR(ERANGE) when a trace has more items than
 *         an int can count. On failure the model is left valid but may hold
 *         some of the line's names; it is still freed by fp_trace_model_uninit().
 */
int fp_trace_model_add(FPTraceModel *m, const FPTraceLine *line);

/**
 * Put the events in time order (file order among equal times) and number the
 * items by first appearance, which is what the page expects. A trace already
 * in time order, as fp_trace_write() makes it, is left exactly as it is.
 * Call it once, after the last fp_trace_model_add(): it renumbers the items.
 *
 * @return 0; AVERROR(ENOMEM), and then the model is unchanged except perhaps
 *         for the order of its events.
 */
int fp_trace_model_order(FPTraceModel *m);

/** Free everything the model owns and zero it. Accepts a zeroed model. */
void fp_trace_model_uninit(FPTraceModel *m);

#endif /* FRAMEPIPE_TOOLS_TRACE_MODEL_H */
