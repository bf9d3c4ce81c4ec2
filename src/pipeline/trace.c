#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>

#include <libavutil/error.h>
#include <libavutil/mem.h>
#include <libavutil/time.h>

#include "trace.h"

struct FPTrace {
    FILE *out;
    pthread_mutex_t lock;
    int64_t start_us;
    int64_t next_id;
};

static _Thread_local const char *thread_name = "main";

int fp_trace_open(FPTrace **out, const char *path)
{
    FPTrace *t = av_mallocz(sizeof(*t));

    *out = NULL;
    if (!t)
        return AVERROR(ENOMEM);
    t->out = fopen(path, "w");
    if (!t->out) {
        int err = AVERROR(errno);
        av_free(t);
        return err;
    }
    pthread_mutex_init(&t->lock, NULL);
    t->start_us = av_gettime_relative();
    *out = t;
    return 0;
}

void fp_trace_close(FPTrace **pt)
{
    FPTrace *t = *pt;

    if (!t)
        return;
    fclose(t->out);
    pthread_mutex_destroy(&t->lock);
    av_freep(pt);
}

void fp_trace_set_thread(const char *name)
{
    thread_name = name;
}

void fp_trace_birth(FPTrace *t, FPTraceKind kind, void *item)
{
    int64_t id;

    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    id = ++t->next_id;
    pthread_mutex_unlock(&t->lock);
    if (kind == FP_TRACE_PACKET)
        ((AVPacket *)item)->opaque = (void *)(intptr_t)id;
    else
        ((AVFrame *)item)->opaque = (void *)(intptr_t)id;
}

FPTraceObject fp_trace_describe(FPTraceKind kind, const void *item)
{
    FPTraceObject obj = {.kind = kind};
    const AVBufferRef *buf;

    if (kind == FP_TRACE_PACKET) {
        const AVPacket *pkt = item;
        obj.id = (intptr_t)pkt->opaque;
        buf = pkt->buf;
    } else {
        const AVFrame *frame = item;
        obj.id = (intptr_t)frame->opaque;
        buf = frame->buf[0];
    }
    obj.data = buf ? buf->data : NULL;
    obj.refcount = buf ? av_buffer_get_ref_count(buf) : 0;
    return obj;
}

void fp_trace_write(FPTrace *t, const FPTraceObject *obj, const char *op, const char *queue,
                    int depth)
{
    char where[96] = "";

    if (!t)
        return;
    if (queue && depth >= 0)
        snprintf(where, sizeof(where), ",\"queue\":\"%s\",\"depth\":%d", queue, depth);
    else if (queue)
        snprintf(where, sizeof(where), ",\"queue\":\"%s\"", queue);
    pthread_mutex_lock(&t->lock);
    fprintf(t->out,
            "{\"t_us\":%" PRId64 ",\"thread\":\"%s\",\"kind\":\"%s\",\"id\":%" PRId64
            ",\"op\":\"%s\"%s,\"buf\":\"%p\",\"refcount\":%d}\n",
            av_gettime_relative() - t->start_us, thread_name,
            obj->kind == FP_TRACE_PACKET ? "packet" : "frame", obj->id, op, where, obj->data,
            obj->refcount);
    pthread_mutex_unlock(&t->lock);
}

void fp_trace_event(FPTrace *t, FPTraceKind kind, const void *item, const char *op,
                    const char *queue, int depth)
{
    FPTraceObject obj;

    if (!t)
        return;
    obj = fp_trace_describe(kind, item);
    fp_trace_write(t, &obj, op, queue, depth);
}

void fp_trace_unref(FPTrace *t, FPTraceKind kind, void *item, const char *queue)
{
    FPTraceObject obj;

    if (t)
        obj = fp_trace_describe(kind, item);
    if (kind == FP_TRACE_PACKET)
        av_packet_unref(item);
    else
        av_frame_unref(item);
    if (!t || !obj.data)
        return;
    /* Counted before the unref: one less now, and none left if it was the last. */
    obj.refcount--;
    fp_trace_write(t, &obj, obj.refcount ? "unref" : "free", queue, -1);
}
