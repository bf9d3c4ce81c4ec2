#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "framepipe/player.h" /* its error codes */
#include "demux.h"
#include "pipe_io.h"
#include "tracks.h"

#define PUT_SLICE_US 20000

struct FPDemux {
    AVFormatContext *fmt;
    int video_index;
    int audio_index;        /* -1 without sound */
    FPPacketQueue *video_q; /* borrowed from the player */
    FPPacketQueue *audio_q; /* borrowed; NULL without sound */
    pthread_t thread;
    int started;
    atomic_int abort;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* the reader idles on it after end of stream */
    FPTrace *trace;
    atomic_int error;    /* what ended the reading early, or 0 */
    /* The first error a read returned other than the end of the file, and where it happened. */
    atomic_int read_error;
    atomic_llong read_error_pos;
    int64_t max_packets; /* 0: no limit */
    int64_t packets_read;

    /* Seek requests, under lock. A newer request replaces one not yet started. */
    int64_t seek_ts;      /* in the video stream's time base */
    int seek_flags;
    int64_t seek_requested; /* id of the newest request */
    int64_t seek_done;      /* id of the newest request carried out */
    int seek_serial;        /* the packet queue's serial after it, or a negative error */

    /* Audio track switches (fp_demux_switch_audio()), under lock; the reader applies them. */
    int64_t switch_requested, switch_done;
    int switch_index;
    FPPacketQueue *switch_q;

    AVIOContext *pipe_io; /* ours, for "pipe:N": a read a quit can end (pipe_io.h) */
};

static int interrupt_cb(void *opaque)
{
    FPDemux *d = opaque;

    return atomic_load(&d->abort);
}

/* Probing decodes a few frames: hold its decoders to the same picture size bound as ours. */
int fp_demux_find_stream_info(AVFormatContext *fmt, int64_t max_pixels)
{
    AVDictionary **opts = NULL;
    unsigned nb_streams = fmt->nb_streams;
    int ret = 0;

    if (max_pixels > 0 && nb_streams) {
        opts = av_calloc(nb_streams, sizeof(*opts));
        if (!opts)
            return AVERROR(ENOMEM);
        for (unsigned i = 0; i < nb_streams && ret >= 0; i++)
            ret = av_dict_set_int(&opts[i], "max_pixels", max_pixels, 0);
    }
    if (ret >= 0)
        ret = avformat_find_stream_info(fmt, opts);
    for (unsigned i = 0; opts && i < nb_streams; i++)
        av_dict_free(&opts[i]);
    av_free(opts);
    return ret;
}

static void no_such_track(const FPDemux *d, const FPDemuxOptions *o, enum AVMediaType type,
                          int track)
{
    int count = fp_tracks_count(d->fmt, type);

    if (o->error && o->error_size)
        snprintf(o->error, o->error_size, "no %s track %d: the input has %d",
                 av_get_media_type_string(type), track, count);
}

int fp_demux_open(FPDemux **out, const char *path, const FPDemuxOptions *o)
{
    FPDemux *d;
    int ret, fd;

    *out = NULL;
    d = av_mallocz(sizeof(*d));
    if (!d)
        return AVERROR(ENOMEM);
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->wake, NULL);
    d->video_index = -1;
    d->audio_index = -1;
    d->fmt = avformat_alloc_context();
    if (!d->fmt) {
        ret = AVERROR(ENOMEM);
        goto fail;
    }
    d->fmt->interrupt_callback.callback = interrupt_cb;
    d->fmt->interrupt_callback.opaque = d;
    d->max_packets = o->max_packets;
    /*
     * With a pb of the caller's, libavformat marks it custom I/O and never
     * closes it. On failure avformat_open_input() frees the context and sets
     * it to NULL.
     */
    if (!o->io && fp_pipe_io_fd(path, &fd)) {
        ret = fp_pipe_io_open(&d->pipe_io, fd, &d->abort);
        if (ret < 0)
            goto fail;
    }
    d->fmt->pb = o->io ? o->io : d->pipe_io;
    ret = avformat_open_input(&d->fmt, o->io ? "" : path, NULL, NULL);
    if (ret < 0)
        goto fail;
    ret = fp_demux_find_stream_info(d->fmt, o->max_pixels);
    if (ret < 0)
        goto fail;
    d->video_index = fp_tracks_video(d->fmt, o->video_track);
    if (d->video_index == AVERROR_STREAM_NOT_FOUND) {
        no_such_track(d, o, AVMEDIA_TYPE_VIDEO, o->video_track);
        ret = FP_ERROR_NO_SUCH_TRACK;
        goto fail;
    }
    d->audio_index = fp_tracks_audio(d->fmt, o->want_audio ? o->audio_track : FP_TRACK_OFF,
                                     d->video_index);
    if (d->audio_index == AVERROR_STREAM_NOT_FOUND) {
        no_such_track(d, o, AVMEDIA_TYPE_AUDIO, o->audio_track);
        ret = FP_ERROR_NO_SUCH_TRACK;
        goto fail;
    }
    if (d->video_index < 0 && d->audio_index < 0) {
        ret = AVERROR_STREAM_NOT_FOUND;
        goto fail;
    }
    /* Let the demuxer skip what nobody consumes instead of reading it into packets. */
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        if ((int)i != d->video_index && (int)i != d->audio_index)
            d->fmt->streams[i]->discard = AVDISCARD_ALL;
    *out = d;
    return 0;

fail:
    fp_demux_free(&d);
    return ret;
}

AVStream *fp_demux_video_stream(FPDemux *d)
{
    return d->video_index >= 0 ? d->fmt->streams[d->video_index] : NULL;
}

AVStream *fp_demux_audio_stream(FPDemux *d)
{
    return d->audio_index >= 0 ? d->fmt->streams[d->audio_index] : NULL;
}

void fp_demux_drop_audio(FPDemux *d)
{
    if (d->audio_index >= 0)
        d->fmt->streams[d->audio_index]->discard = AVDISCARD_ALL;
    d->audio_index = -1;
}

static int seek_pending(FPDemux *d)
{
    int pending;

    pthread_mutex_lock(&d->lock);
    pending = d->seek_requested != d->seek_done;
    pthread_mutex_unlock(&d->lock);
    return pending;
}

/*
 * Applies the newest audio track switch, on the reader thread, which routes packets: none of the
 * old track enters the new queue. At the end of the input the new queue gets its end marker.
 * Returns 1 when it switched, 0 when none was asked, AVERROR_EXIT when the new queue was aborted.
 */
static int handle_switch(FPDemux *d, int eof)
{
    FPPacketQueue *q;
    int64_t id;
    int index;

    pthread_mutex_lock(&d->lock);
    id = d->switch_requested;
    index = d->switch_index;
    q = d->switch_q;
    pthread_mutex_unlock(&d->lock);
    if (id == d->switch_done) /* the reader is the one that writes it */
        return 0;
    if (d->audio_index >= 0)
        d->fmt->streams[d->audio_index]->discard = AVDISCARD_ALL;
    if (index >= 0)
        d->fmt->streams[index]->discard = AVDISCARD_DEFAULT;
    pthread_mutex_lock(&d->lock); /* audio_q is read under it by other threads */
    d->audio_index = index;
    d->audio_q = index >= 0 ? q : NULL;
    d->switch_done = id;
    pthread_mutex_unlock(&d->lock);
    if (eof && d->audio_q && fp_packet_queue_put_eof(d->audio_q) == AVERROR_EXIT)
        return AVERROR_EXIT;
    return 1;
}

/* The reader may be waiting for room in the audio queue; the queue changes with the track. */
static void wake_audio_producer(FPDemux *d)
{
    pthread_mutex_lock(&d->lock);
    if (d->audio_q)
        fp_packet_queue_wake_producer(d->audio_q);
    pthread_mutex_unlock(&d->lock);
}

/*
 * Puts pkt (NULL: the end-of-stream marker) into the queue, waiting for room in
 * slices so that a seek request is never stuck behind a full queue: the packet
 * was read before the seek and would be flushed anyway, so it is dropped then.
 * On return pkt is blank whatever happened.
 */
static int put_or_yield(FPDemux *d, FPPacketQueue *q, AVPacket *pkt)
{
    int ret;

    do {
        ret = fp_packet_queue_put_timed(q, pkt, PUT_SLICE_US); /* on success pkt is blank */
        /*
         * A switch of the audio track is applied even while this waits, so that its owner never
         * waits on a full video queue. A packet of the old track is not wanted any more; its end
         * marker goes to the new one.
         */
        if (ret == AVERROR(EAGAIN) && handle_switch(d, 0) && q != d->video_q) {
            if (pkt || !d->audio_q)
                ret = 0;
            else
                q = d->audio_q;
        }
        if (ret == AVERROR(EAGAIN) && seek_pending(d))
            ret = 0;
    } while (ret == AVERROR(EAGAIN));
    if (pkt && pkt->buf) {
        /* Not taken by the queue: still ours to release. */
        fp_trace_event(d->trace, FP_TRACE_PACKET, pkt, "drop", NULL, -1);
        fp_trace_unref(d->trace, FP_TRACE_PACKET, pkt, NULL);
    }
    return ret;
}

/* Hands pkt's reference to the queue, or drops it; pkt is blank afterwards either way. */
static int route_packet(FPDemux *d, AVPacket *pkt)
{
    int ret;

    FPPacketQueue *q = pkt->stream_index == d->video_index   ? d->video_q
                       : pkt->stream_index == d->audio_index ? d->audio_q
                                                             : NULL;

    if (!q) {
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
    fp_trace_birth(d->trace, FP_TRACE_PACKET, pkt);
    fp_trace_event(d->trace, FP_TRACE_PACKET, pkt, "read", NULL, -1);
    return put_or_yield(d, q, pkt);
}

static int byte_seekable(const FPDemux *d)
{
    return d->fmt->pb && (d->fmt->pb->seekable & AVIO_SEEKABLE_NORMAL) &&
           !(d->fmt->iformat->flags & AVFMT_NO_BYTE_SEEK);
}

int fp_demux_byte_seekable(const FPDemux *d)
{
    return byte_seekable(d);
}

/*
 * Carries out the newest seek request, if there is one. The flush happens here,
 * on the thread that puts, so no packet read before the seek can enter the
 * queue after it with the new serial.
 */
static int handle_seek(FPDemux *d)
{
    int64_t id, ts;
    int flags, ret, serial;

    pthread_mutex_lock(&d->lock);
    id = d->seek_requested;
    ts = d->seek_ts;
    flags = d->seek_flags;
    pthread_mutex_unlock(&d->lock);
    if (id == d->seek_done)
        return 0;
    if (flags & FP_DEMUX_SEEK_BYTE) {
        ret = byte_seekable(d) ? avformat_seek_file(d->fmt, -1, ts, ts, ts, AVSEEK_FLAG_BYTE)
                               : AVERROR(ENOSYS);
    } else if ((flags & FP_DEMUX_SEEK_START) && (d->fmt->iformat->flags & AVFMT_TS_DISCONT) &&
        !(d->fmt->iformat->flags & AVFMT_NO_BYTE_SEEK)) {
        /*
         * MPEG-TS and -PS search timestamps through their clock references,
         * which run ahead of the pictures: a timestamp seek to the first frame
         * can land a GOP later. The start of the file is byte 0.
         */
        ret = avformat_seek_file(d->fmt, -1, INT64_MIN, 0, 0, AVSEEK_FLAG_BYTE);
    } else {
        /* At or before ts: the decoder then walks forward to the exact frame. */
        ret = avformat_seek_file(d->fmt, d->video_index >= 0 ? d->video_index : d->audio_index,
                                 INT64_MIN, ts, ts, 0);
    }
    if (ret < 0 && byte_seekable(d)) {
        /*
         * Raw elementary streams (.h264, .hevc) carry no timestamps and have no
         * index, and libavformat cannot search them by time. From the start of
         * the file the decoder walks forward to the frame asked for: slow on a
         * long stream, but exact.
         */
        av_log(NULL, AV_LOG_DEBUG, "reader: seek by time failed (%s); from byte 0\n",
               av_err2str(ret));
        ret = avformat_seek_file(d->fmt, -1, INT64_MIN, 0, 0, AVSEEK_FLAG_BYTE);
    }
    if (ret < 0)
        av_log(NULL, AV_LOG_WARNING, "seek failed: %s\n", av_err2str(ret));
    else
        av_log(NULL, AV_LOG_DEBUG, "reader: seek %lld to ts %lld\n", (long long)id, (long long)ts);
    serial = ret;
    if (ret >= 0 && d->audio_q)
        serial = fp_packet_queue_flush(d->audio_q);
    if (ret >= 0 && d->video_q)
        serial = fp_packet_queue_flush(d->video_q); /* the serial the render thread follows */
    pthread_mutex_lock(&d->lock);
    d->seek_done = id;
    d->seek_serial = serial;
    pthread_mutex_unlock(&d->lock);
    return ret < 0 ? 0 : 1;
}

/* The end-of-stream marker for each queue: whatever stopped the reading, decoders drain. */
static int put_eof_markers(FPDemux *d)
{
    int ret = 0;

    if (d->video_q)
        ret = put_or_yield(d, d->video_q, NULL);
    if (ret >= 0 && d->audio_q)
        ret = put_or_yield(d, d->audio_q, NULL);
    return ret;
}

/*
 * Most demuxers turn a failed read into AVERROR_EOF, since the I/O context
 * reports the end of its data either way; the real error stays in pb->error.
 * A truncated file is an end; a failing disk or device is not.
 */
static void note_read_error(FPDemux *d, int ret)
{
    AVIOContext *pb = d->fmt->pb;
    int expected = 0;

    if (ret == AVERROR_EOF && pb && pb->error < 0)
        ret = pb->error;
    if (ret == AVERROR_EOF || ret == AVERROR_EXIT)
        return;
    /* fp_player_run() reports it once the stream has played: here it is only logged. */
    av_log(NULL, AV_LOG_VERBOSE, "read error: %s; ending the stream here\n", av_err2str(ret));
    if (atomic_compare_exchange_strong(&d->read_error, &expected, ret))
        atomic_store(&d->read_error_pos, pb ? avio_tell(pb) : -1);
}

static void *reader_thread(void *arg)
{
    FPDemux *d = arg;
    AVPacket *pkt = av_packet_alloc();
    int eof = 0;
    int ret = 0;

    fp_trace_set_thread("reader");
    if (!pkt) {
        /* Nothing can be read; the decoders and the render loop must still learn that it ended. */
        atomic_store(&d->error, AVERROR(ENOMEM));
        put_eof_markers(d);
        return NULL;
    }
    while (!atomic_load(&d->abort)) {
        if (handle_switch(d, eof) < 0)
            break;
        if (handle_seek(d) > 0)
            eof = 0;
        if (eof) {
            /* Nothing left to read: idle until a seek or the end. */
            pthread_mutex_lock(&d->lock);
            while (!atomic_load(&d->abort) && d->seek_requested == d->seek_done &&
                   d->switch_requested == d->switch_done)
                pthread_cond_wait(&d->wake, &d->lock);
            pthread_mutex_unlock(&d->lock);
            continue;
        }
        if (d->max_packets > 0 && d->packets_read >= d->max_packets)
            ret = AVERROR_EOF; /* as if the input ended here */
        else
            ret = av_read_frame(d->fmt, pkt);
        if (ret >= 0) {
            d->packets_read++;
            ret = route_packet(d, pkt);
            if (ret == AVERROR_EXIT)
                break;
            continue;
        }
        if (atomic_load(&d->abort))
            break;
        if (ret == AVERROR(ENOMEM))
            atomic_store(&d->error, ret); /* not the input's fault: the run fails */
        else
            note_read_error(d, ret);
        if (put_eof_markers(d) < 0)
            break;
        eof = 1;
    }
    av_packet_free(&pkt);
    return NULL;
}

int fp_demux_read_error(FPDemux *d, int64_t *pos)
{
    if (pos)
        *pos = atomic_load(&d->read_error_pos);
    return atomic_load(&d->read_error);
}

int fp_demux_error(FPDemux *d)
{
    return atomic_load(&d->error);
}

int64_t fp_demux_switch_audio(FPDemux *d, const AVStream *st, FPPacketQueue *q)
{
    int64_t id;

    pthread_mutex_lock(&d->lock);
    d->switch_index = st ? st->index : -1;
    d->switch_q = st ? q : NULL;
    id = ++d->switch_requested;
    pthread_cond_broadcast(&d->wake); /* waiting for room, it looks every PUT_SLICE_US */
    pthread_mutex_unlock(&d->lock);
    return id;
}

int fp_demux_switch_done(FPDemux *d, int64_t id)
{
    int done;

    pthread_mutex_lock(&d->lock);
    done = d->switch_done >= id;
    pthread_mutex_unlock(&d->lock);
    return done;
}

AVStream *fp_demux_audio_track(FPDemux *d, int n)
{
    int index = fp_tracks_nth(d->fmt, AVMEDIA_TYPE_AUDIO, n);

    return index >= 0 ? d->fmt->streams[index] : NULL;
}

int64_t fp_demux_request_seek(FPDemux *d, int64_t ts, int flags)
{
    int64_t id;

    pthread_mutex_lock(&d->lock);
    d->seek_ts = ts;
    d->seek_flags = flags;
    id = ++d->seek_requested;
    pthread_cond_broadcast(&d->wake);
    pthread_mutex_unlock(&d->lock);
    /* The reader may be waiting for room in either queue. */
    if (d->video_q)
        fp_packet_queue_wake_producer(d->video_q);
    wake_audio_producer(d);
    return id;
}

int fp_demux_seek_result(FPDemux *d, int64_t id, int *serial)
{
    int done;

    pthread_mutex_lock(&d->lock);
    done = d->seek_done >= id;
    if (done)
        *serial = d->seek_done == id ? d->seek_serial : AVERROR(EAGAIN);
    pthread_mutex_unlock(&d->lock);
    return done;
}

void fp_demux_set_trace(FPDemux *d, FPTrace *t)
{
    d->trace = t;
}

int fp_demux_start(FPDemux *d, FPPacketQueue *video_q, FPPacketQueue *audio_q)
{
    int ret;

    d->video_q = d->video_index >= 0 ? video_q : NULL;
    d->audio_q = d->audio_index >= 0 ? audio_q : NULL;
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

int fp_demux_seekable(const FPDemux *d)
{
    return !d->fmt->pb || (d->fmt->pb->seekable & AVIO_SEEKABLE_NORMAL);
}

int fp_demux_ts_discont(const FPDemux *d)
{
    return !!(d->fmt->iformat->flags & AVFMT_TS_DISCONT);
}

int64_t fp_demux_start_time(const FPDemux *d)
{
    return d->fmt->start_time;
}

int64_t fp_demux_duration(const FPDemux *d)
{
    return d->fmt->duration;
}

AVRational fp_demux_frame_rate(const FPDemux *d)
{
    AVStream *st = fp_demux_video_stream((FPDemux *)d);

    return st ? av_guess_frame_rate(d->fmt, st, NULL) : (AVRational){0, 1};
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
        if (d->audio_q)
            fp_packet_queue_abort(d->audio_q);
        fp_demux_join(d);
    }
    avformat_close_input(&d->fmt);
    fp_pipe_io_free(&d->pipe_io);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    av_freep(pd);
}
