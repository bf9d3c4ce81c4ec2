/*
 * Internal: the ownership trace (--trace-ownership FILE). One JSON object per
 * line for every hand-off of a packet or a frame:
 *
 *   {"t_us":1234,"thread":"reader","kind":"packet","id":7,"op":"put",
 *    "queue":"video_packets","depth":3,"buf":"0x55d0c2a1e040","refcount":1}
 *
 * t_us counts from the trace's start. id is given when the object is born
 * (read or receive) and travels in AVPacket.opaque / AVFrame.opaque, which
 * av_*_move_ref() and av_frame_ref() carry along. buf is the address of
 * buf[0]'s data and refcount av_buffer_get_ref_count(buf[0]) after the op.
 *
 * Every function accepts a NULL trace and then does nothing, so the code that
 * calls them costs one pointer test when tracing is off. Thread-safe.
 */
#ifndef FRAMEPIPE_SRC_TRACE_H
#define FRAMEPIPE_SRC_TRACE_H

#include <stdint.h>

#include <libavcodec/packet.h>
#include <libavutil/frame.h>

typedef struct FPTrace FPTrace;

typedef enum FPTraceKind { FP_TRACE_PACKET, FP_TRACE_FRAME } FPTraceKind;

/* What an event says about its object, captured where the object is safe to read. */
typedef struct FPTraceObject {
    FPTraceKind kind;
    int64_t id;
    const void *data;
    int refcount;
} FPTraceObject;

/** @return 0; an error of opening path for writing. */
int fp_trace_open(FPTrace **t, const char *path);

/** Flush and close. t is set to NULL; NULL is accepted. */
void fp_trace_close(FPTrace **t);

/** Name the calling thread in the events it writes ("reader", "video-dec", "render"). */
void fp_trace_set_thread(const char *name);

/** Give a newly read packet or received frame its id (kept in its opaque field). */
void fp_trace_birth(FPTrace *t, FPTraceKind kind, void *object);

/** Describe a packet or frame (item) as it is now. */
FPTraceObject fp_trace_describe(FPTraceKind kind, const void *item);

/** Write one event; queue may be NULL, and depth < 0 leaves the depth out. */
void fp_trace_write(FPTrace *t, const FPTraceObject *obj, const char *op, const char *queue,
                    int depth);

/** fp_trace_describe() and fp_trace_write() in one, for an item the caller owns. */
void fp_trace_event(FPTrace *t, FPTraceKind kind, const void *item, const char *op,
                    const char *queue, int depth);

/**
 * Unreference the caller's packet or frame and say so: "free" when that was
 * the last reference to its buffer, "unref" when someone else still holds one.
 */
void fp_trace_unref(FPTrace *t, FPTraceKind kind, void *item, const char *queue);

struct FPPacketQueue;
struct FPFrameQueue;

/** Make a queue report its put, get and flush events to t under the given name. */
void fp_packet_queue_set_trace(struct FPPacketQueue *q, FPTrace *t, const char *name);
void fp_frame_queue_set_trace(struct FPFrameQueue *q, FPTrace *t, const char *name);

#endif /* FRAMEPIPE_SRC_TRACE_H */
