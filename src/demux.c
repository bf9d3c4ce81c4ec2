#include <pthread.h>
#include <stdatomic.h>

#include <libavformat/avformat.h>
#include <libavutil/error.h>

#include "demux.h"

struct FPDemux {
    AVFormatContext *fmt;
    int video_index;
    FPPacketQueue *video_q; /* borrowed from the player */
    pthread_t thread;
    int started;
    atomic_int abort;
    atomic_llong packets_read;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* the reader idles on it after end of stream */
};

static int interrupt_cb(void *opaque)
{
    FPDemux *d = opaque;

    return atomic_load(&d->abort);
}

int fp_demux_open(FPDemux **out, const char *path)
{
    FPDemux *d;
    int ret;

    *out = NULL;
    d = av_mallocz(sizeof(*d));
    if (!d)
        return AVERROR(ENOMEM);
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->wake, NULL);
    d->video_index = -1;
    d->fmt = avformat_alloc_context();
    if (!d->fmt) {
        ret = AVERROR(ENOMEM);
        goto fail;
    }
    d->fmt->interrupt_callback.callback = interrupt_cb;
    d->fmt->interrupt_callback.opaque = d;
    /* On failure avformat_open_input() frees the context and sets it to NULL. */
    ret = avformat_open_input(&d->fmt, path, NULL, NULL);
    if (ret < 0)
        goto fail;
    ret = avformat_find_stream_info(d->fmt, NULL);
    if (ret < 0)
        goto fail;
    ret = av_find_best_stream(d->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (ret < 0)
        goto fail;
    d->video_index = ret;
    /* Let the demuxer skip what nobody consumes yet instead of reading it into packets. */
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        if ((int)i != d->video_index)
            d->fmt->streams[i]->discard = AVDISCARD_ALL;
    *out = d;
    return 0;

fail:
    fp_demux_free(&d);
    return ret;
}

AVStream *fp_demux_video_stream(FPDemux *d)
{
    return d->fmt->streams[d->video_index];
}

int64_t fp_demux_packets_read(FPDemux *d)
{
    return atomic_load(&d->packets_read);
}

/* Hands pkt's reference to the queue, or drops it; pkt is blank afterwards either way. */
static int route_packet(FPDemux *d, AVPacket *pkt)
{
    int ret;

    if (pkt->stream_index != d->video_index) {
        av_packet_unref(pkt);
        return 0;
    }
    /*
     * av_read_frame() returns reference-counted packets, but a packet whose
     * data is borrowed would otherwise be invalid after the next read: give it
     * a buffer of its own. This is the one place the reader may copy data.
     */
    if (!pkt->buf) {
        ret = av_packet_make_refcounted(pkt);
        if (ret < 0) {
            av_packet_unref(pkt);
            return ret;
        }
    }
    atomic_fetch_add(&d->packets_read, 1);
    ret = fp_packet_queue_put(d->video_q, pkt); /* on success pkt is blank */
    if (ret < 0)
        av_packet_unref(pkt); /* on failure it is still ours */
    return ret;
}

static void *reader_thread(void *arg)
{
    FPDemux *d = arg;
    AVPacket *pkt = av_packet_alloc();
    int ret = pkt ? 0 : AVERROR(ENOMEM);

    while (ret >= 0 && !atomic_load(&d->abort)) {
        ret = av_read_frame(d->fmt, pkt);
        if (ret < 0)
            break;
        ret = route_packet(d, pkt);
    }
    if (ret < 0 && ret != AVERROR_EOF && ret != AVERROR_EXIT && !atomic_load(&d->abort))
        av_log(NULL, AV_LOG_WARNING, "read error: %s; ending the stream here\n", av_err2str(ret));
    av_packet_free(&pkt);
    if (atomic_load(&d->abort))
        return NULL;
    /* Whatever stopped the reading, the decoder must still drain what it has. */
    if (fp_packet_queue_put_eof(d->video_q) < 0)
        return NULL;
    pthread_mutex_lock(&d->lock);
    while (!atomic_load(&d->abort))
        pthread_cond_wait(&d->wake, &d->lock);
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

int fp_demux_start(FPDemux *d, FPPacketQueue *video_q)
{
    int ret;

    d->video_q = video_q;
    ret = pthread_create(&d->thread, NULL, reader_thread, d);
    if (ret)
        return AVERROR(ret);
    d->started = 1;
    return 0;
}

void fp_demux_abort(FPDemux *d)
{
    pthread_mutex_lock(&d->lock);
    atomic_store(&d->abort, 1);
    pthread_cond_broadcast(&d->wake);
    pthread_mutex_unlock(&d->lock);
}

const AVFormatContext *fp_demux_format(FPDemux *d)
{
    return d->fmt;
}

void fp_demux_join(FPDemux *d)
{
    if (!d->started)
        return;
    pthread_join(d->thread, NULL);
    d->started = 0;
}

void fp_demux_free(FPDemux **pd)
{
    FPDemux *d = *pd;

    if (!d)
        return;
    if (d->started) {
        fp_demux_abort(d);
        if (d->video_q)
            fp_packet_queue_abort(d->video_q);
        fp_demux_join(d);
    }
    avformat_close_input(&d->fmt);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    av_freep(pd);
}
