#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/intreadwrite.h>
#include <libavutil/mem.h>

#include "demux.h" /* fp_demux_find_stream_info() */
#include "index_internal.h"
#include "tracks.h"

/* Room for this many packets first; then the table grows by half each time. */
#define FIRST_CAPACITY 4096

/*
 * Checked by libavformat inside every blocking read and in the loops of
 * demuxers that search (MPEG-TS resync, for one), so abort is prompt even
 * when one av_read_frame() would read far.
 */
static int interrupt_cb(void *opaque)
{
    FPIndex *ix = opaque;

    return atomic_load(&ix->abort);
}

/*
 * The codec's own libavcodec parser, which reads each packet's headers for its picture type.
 * A codec without a parser is not an error: its packets get AV_PICTURE_TYPE_NONE.
 */
static int open_parser(FPIndex *ix, const AVCodecParameters *par)
{
    int ret;

    ix->parser = av_parser_init(par->codec_id);
    if (!ix->parser)
        return 0;
    /* Packets come whole from the demuxer: each passes through in one call, never split. */
    ix->parser->flags |= PARSER_FLAG_COMPLETE_FRAMES;
    ix->parser_ctx = avcodec_alloc_context3(NULL);
    if (!ix->parser_ctx)
        return AVERROR(ENOMEM);
    /* The extradata: avcC and hvcC say how NAL units are framed, and carry the parameter sets
     * that H.264 and HEVC slice headers need; MPEG-4 and AV1 keep their headers there too. */
    ret = avcodec_parameters_to_context(ix->parser_ctx, par);
    /* Damage the parser meets, the player's decoder meets and reports too: once is enough. */
    ix->parser_ctx->log_level_offset = AV_LOG_VERBOSE - AV_LOG_ERROR;
    return ret < 0 ? ret : 0;
}

/* Scanning thread, outside the lock: the picture type the parser reads in pkt. */
static int8_t parse_pict_type(FPIndex *ix, const AVPacket *pkt)
{
    const uint8_t *data = pkt->data;
    uint8_t *out;
    int left = pkt->size, out_size;

    if (!ix->parser || !data || left <= 0)
        return AV_PICTURE_TYPE_NONE;
    /* A parser that never sets the type (PNG, GIF, MJPEG) would leave the I that
     * av_parser_init() starts with: NONE says it does not know. */
    ix->parser->pict_type = AV_PICTURE_TYPE_NONE;
    while (left > 0) {
        int used = av_parser_parse2(ix->parser, ix->parser_ctx, &out, &out_size, data, left,
                                    AV_NOPTS_VALUE, AV_NOPTS_VALUE, pkt->pos);

        if (used <= 0)
            break;
        data += used;
        left -= used;
    }
    return (int8_t)ix->parser->pict_type;
}

static int pick_stream(const AVFormatContext *fmt, int stream_index)
{
    if (stream_index == -1)
        stream_index = fp_tracks_video(fmt, FP_TRACK_DEFAULT);
    if (stream_index < 0 || (unsigned)stream_index >= fmt->nb_streams ||
        fmt->streams[stream_index]->codecpar->codec_type != AVMEDIA_TYPE_VIDEO)
        return AVERROR_STREAM_NOT_FOUND;
    return stream_index;
}

int fp_index_open(FPIndex **out, const char *path, int stream_index, int64_t max_pixels)
{
    pthread_condattr_t attr;
    FPIndex *ix;
    AVStream *st;
    int ret;

    *out = NULL;
    if (stream_index < -1)
        return AVERROR(EINVAL);
    ix = av_mallocz(sizeof(*ix));
    if (!ix)
        return AVERROR(ENOMEM);
    if (pthread_mutex_init(&ix->lock, NULL)) {
        av_free(ix);
        return AVERROR(ENOMEM);
    }
    /* Timed waits measure a monotonic clock, so a wall-clock jump cannot stall them. */
    ret = pthread_condattr_init(&attr);
    if (!ret) {
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        ret = pthread_cond_init(&ix->ended, &attr);
        pthread_condattr_destroy(&attr);
    }
    if (ret) {
        pthread_mutex_destroy(&ix->lock);
        av_free(ix);
        return AVERROR(ENOMEM);
    }
    ix->fmt = avformat_alloc_context();
    if (!ix->fmt) {
        ret = AVERROR(ENOMEM);
        goto fail;
    }
    ix->fmt->interrupt_callback.callback = interrupt_cb;
    ix->fmt->interrupt_callback.opaque = ix;
    /* The player's demuxer opens with the same (default) options: the same streams, numbered
     * alike. On failure avformat_open_input() frees the context and sets it to NULL. */
    ret = avformat_open_input(&ix->fmt, path, NULL, NULL);
    if (ret < 0)
        goto fail;
    /* Bounded as the player's probing is: a header may claim any picture size. */
    ret = fp_demux_find_stream_info(ix->fmt, max_pixels);
    if (ret < 0)
        goto fail;
    ret = pick_stream(ix->fmt, stream_index);
    if (ret < 0)
        goto fail;
    ix->stream_index = ret;
    st = ix->fmt->streams[ix->stream_index];
    ix->time_base = st->time_base;
    ix->reorder_delay = st->codecpar->video_delay;
    ix->codec_id = st->codecpar->codec_id;
    /* A raw elementary stream (the demuxers named after their codec): no time, only bytes. */
    ix->raw_nals = (ix->codec_id == AV_CODEC_ID_H264 && !strcmp(ix->fmt->iformat->name, "h264")) ||
                   (ix->codec_id == AV_CODEC_ID_HEVC && !strcmp(ix->fmt->iformat->name, "hevc"));
    ix->last_idr = -1;
    ret = open_parser(ix, st->codecpar);
    if (ret < 0)
        goto fail;
    /* Let the demuxer skip what is not indexed instead of reading it into packets. */
    for (unsigned i = 0; i < ix->fmt->nb_streams; i++)
        if ((int)i != ix->stream_index)
            ix->fmt->streams[i]->discard = AVDISCARD_ALL;
    *out = ix;
    return 0;

fail:
    fp_index_free(&ix);
    return ret;
}

/* Under lock. */
static int grow(FPIndex *ix)
{
    int64_t capacity = ix->capacity ? ix->capacity + ix->capacity / 2 : FIRST_CAPACITY;
    IndexRecord *records;
    uint8_t *flags;
    int8_t *pict_types;

    if (ix->count >= INDEX_MAX_PACKETS)
        return AVERROR(ERANGE);
    capacity = FFMIN(capacity, INDEX_MAX_PACKETS);
    /* Each table keeps its old block if its realloc fails, so a failure loses nothing. */
    records = av_realloc_array(ix->records, capacity, sizeof(*records));
    if (!records)
        return AVERROR(ENOMEM);
    ix->records = records;
    flags = av_realloc(ix->flags, capacity);
    if (!flags)
        return AVERROR(ENOMEM);
    ix->flags = flags;
    pict_types = av_realloc(ix->pict_types, capacity);
    if (!pict_types)
        return AVERROR(ENOMEM);
    ix->pict_types = pict_types;
    ix->capacity = capacity;
    return 0;
}

/* Under lock. */
static int add_big_duration(FPIndex *ix, int64_t duration)
{
    if (ix->nb_big_durations == ix->big_capacity) {
        int64_t capacity = ix->big_capacity ? 2 * ix->big_capacity : 16;
        BigDuration *big = av_realloc_array(ix->big_durations, capacity, sizeof(*big));
        if (!big)
            return AVERROR(ENOMEM);
        ix->big_durations = big;
        ix->big_capacity = capacity;
    }
    ix->big_durations[ix->nb_big_durations].packet = ix->count;
    ix->big_durations[ix->nb_big_durations].duration = duration;
    ix->nb_big_durations++;
    return 0;
}

/*
 * The type of each NAL unit in an Annex B packet (start codes 00 00 01),
 * H.264's 5 bits or HEVC's 6. Only the NAL header is read, nothing after it.
 * Returns what one packet is: NAL_IDR, NAL_LEADING (an HEVC RADL or RASL
 * picture, shown before the IRAP picture decoded ahead of it), or 0.
 */
enum { NAL_OTHER, NAL_IDR, NAL_LEADING };

static int nal_kind(enum AVCodecID codec, const uint8_t *data, int size)
{
    for (int i = 0; i + 3 < size; i++) {
        int type;

        if (data[i] || data[i + 1] || data[i + 2] != 1)
            continue;
        i += 3;
        if (codec == AV_CODEC_ID_H264) {
            type = data[i] & 0x1f;
            if (type == 5)
                return NAL_IDR;
            if (type == 1)
                return NAL_OTHER; /* a slice of another picture */
        } else {
            type = (data[i] >> 1) & 0x3f;
            if (type == 19 || type == 20) /* IDR_W_RADL, IDR_N_LP */
                return NAL_IDR;
            if (type >= 6 && type <= 9) /* RADL_N, RADL_R, RASL_N, RASL_R */
                return NAL_LEADING;
            if (type < 32)
                return NAL_OTHER; /* the first slice decides */
        }
    }
    return NAL_OTHER;
}

/* Scanning thread, under lock: REC_IDR for packet n, or taken back from an earlier one. */
static void mark_idr(FPIndex *ix, const AVPacket *pkt, int64_t n)
{
    int kind;

    if (!ix->raw_nals || pkt->size < 4 ||
        (AV_RB24(pkt->data) != 1 && AV_RB32(pkt->data) != 1))
        return; /* in a container seeks go by time; and only Annex B has start codes */
    kind = nal_kind(ix->codec_id, pkt->data, pkt->size);
    if (kind == NAL_IDR) {
        ix->flags[n] |= REC_IDR;
        ix->last_idr = n;
    } else if (kind == NAL_LEADING && ix->last_idr >= 0) {
        /* Shown before the IDR picture: the IDR's display number is not its decode number. */
        ix->flags[ix->last_idr] &= ~REC_IDR;
        ix->last_idr = -1;
    }
}

/* Scanning thread. The lock is held for a store (and now and then a realloc), never a read. */
static int append(FPIndex *ix, const AVPacket *pkt, int8_t pict_type)
{
    int big = pkt->duration <= DURATION_BIG || pkt->duration > INT32_MAX;
    IndexRecord *r;
    int ret = 0;

    pthread_mutex_lock(&ix->lock);
    if (ix->count == ix->capacity)
        ret = grow(ix);
    if (ret >= 0 && big)
        ret = add_big_duration(ix, pkt->duration);
    if (ret >= 0) {
        r = &ix->records[ix->count];
        r->ts = pkt->pts;
        r->dts = pkt->dts;
        r->pos = pkt->pos;
        r->duration = big ? DURATION_BIG : (int32_t)pkt->duration;
        r->size = pkt->size;
        ix->flags[ix->count] = (uint8_t)(pkt->flags & REC_PACKET_FLAGS);
        ix->pict_types[ix->count] = pict_type;
        mark_idr(ix, pkt, ix->count);
        if (!ix->count)
            ix->duration = pkt->duration;
        else if (pkt->duration != ix->duration)
            ix->duration = 0;
        ix->count++;
    }
    pthread_mutex_unlock(&ix->lock);
    return ret;
}

/*
 * Reads to the end. Returns 0 at the end of the input, or the error that
 * ended the reading: a failed read, AVERROR(ENOMEM), AVERROR(ERANGE), or
 * AVERROR_EXIT on abort.
 */
static int read_all(FPIndex *ix)
{
    AVPacket *pkt = av_packet_alloc();
    int ret = 0;

    if (!pkt)
        return AVERROR(ENOMEM);
    while (ret >= 0 && !atomic_load(&ix->abort)) {
        ret = av_read_frame(ix->fmt, pkt);
        if (ret == AVERROR(EAGAIN)) {
            /* Only network and device demuxers say "not yet"; try again shortly. */
            struct timespec pause = {0, 1000000};
            nanosleep(&pause, NULL);
            ret = 0;
            continue;
        }
        if (ret < 0)
            break;
        if (pkt->stream_index == ix->stream_index)
            ret = append(ix, pkt, parse_pict_type(ix, pkt));
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    /*
     * Most demuxers turn a failed read into AVERROR_EOF, since the I/O context
     * reports the end of its data either way; the real error stays in
     * pb->error. A truncated file is an end; a failing disk is not.
     */
    if (ret == AVERROR_EOF)
        ret = ix->fmt->pb && ix->fmt->pb->error < 0 ? ix->fmt->pb->error : 0;
    if (atomic_load(&ix->abort))
        ret = AVERROR_EXIT;
    if (ret < 0 && ret != AVERROR_EXIT)
        av_log(NULL, AV_LOG_VERBOSE, "index: read error after %lld packets: %s\n",
               (long long)ix->count, av_err2str(ret));
    return ret;
}

/* Scanning thread, once the last record is in: give back what growing by half left over. */
static void trim(FPIndex *ix)
{
    IndexRecord *records;
    uint8_t *flags;
    int8_t *pict_types;

    pthread_mutex_lock(&ix->lock);
    if (ix->count && ix->count < ix->capacity) {
        /* Shrinking in place cannot fail in practice; if it does, the larger block stays. */
        records = av_realloc_array(ix->records, ix->count, sizeof(*records));
        flags = records ? av_realloc(ix->flags, ix->count) : NULL;
        pict_types = flags ? av_realloc(ix->pict_types, ix->count) : NULL;
        if (records)
            ix->records = records;
        if (flags)
            ix->flags = flags;
        if (pict_types)
            ix->pict_types = pict_types;
        if (records && flags && pict_types)
            ix->capacity = ix->count;
    }
    pthread_mutex_unlock(&ix->lock);
}

static void *scan_thread(void *arg)
{
    FPIndex *ix = arg;
    IndexOrder order = {0};
    int read_ret = read_all(ix);
    int order_ret = AVERROR_EXIT;

    /* Every packet is parsed: the parser's memory (AV1's bitstream reader, say) goes now. */
    av_parser_close(ix->parser);
    ix->parser = NULL;
    avcodec_free_context(&ix->parser_ctx);

    if (!atomic_load(&ix->abort)) {
        trim(ix);
        order_ret = fp_index_order_make(ix, &order);
    }

    pthread_mutex_lock(&ix->lock);
    if (atomic_load(&ix->abort) && order_ret < 0) {
        ix->state = SCAN_ABORTED;
        ix->error = AVERROR_EXIT;
    } else {
        ix->state = read_ret < 0 || order_ret < 0 ? SCAN_FAILED : SCAN_COMPLETE;
        ix->error = read_ret < 0 ? read_ret : order_ret;
        ix->ordered = order_ret >= 0;
        ix->order_error = order_ret;
        ix->order = order; /* the index owns the tables from here */
    }
    pthread_cond_broadcast(&ix->ended);
    pthread_mutex_unlock(&ix->lock);
    return NULL;
}

int fp_index_start(FPIndex *ix)
{
    int ret;

    if (ix->started)
        return AVERROR(EINVAL);
    if (atomic_load(&ix->abort))
        return AVERROR_EXIT;
    pthread_mutex_lock(&ix->lock);
    ix->state = SCAN_RUNNING;
    pthread_mutex_unlock(&ix->lock);
    ret = pthread_create(&ix->thread, NULL, scan_thread, ix);
    if (ret) {
        pthread_mutex_lock(&ix->lock);
        ix->state = SCAN_IDLE;
        pthread_mutex_unlock(&ix->lock);
        return AVERROR(ret);
    }
    ix->started = 1;
    return 0;
}

/* Under lock: fp_index_done()'s answer. */
static int status(FPIndex *ix)
{
    switch (ix->state) {
    case SCAN_COMPLETE:
        return 1;
    case SCAN_FAILED:
    case SCAN_ABORTED:
        return ix->error;
    default:
        return atomic_load(&ix->abort) ? AVERROR_EXIT : 0;
    }
}

static void deadline_after(struct timespec *ts, int64_t timeout_us)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += (time_t)(timeout_us / 1000000);
    ts->tv_nsec += (long)(timeout_us % 1000000) * 1000;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

int fp_index_wait(FPIndex *ix, int64_t timeout_us)
{
    struct timespec deadline;
    int ret;

    if (timeout_us > 0)
        deadline_after(&deadline, timeout_us);
    pthread_mutex_lock(&ix->lock);
    if (ix->state == SCAN_IDLE && !atomic_load(&ix->abort)) {
        pthread_mutex_unlock(&ix->lock);
        return AVERROR(EINVAL);
    }
    while (ix->state == SCAN_RUNNING && !atomic_load(&ix->abort) && timeout_us) {
        if (timeout_us < 0)
            pthread_cond_wait(&ix->ended, &ix->lock);
        else if (pthread_cond_timedwait(&ix->ended, &ix->lock, &deadline) == ETIMEDOUT)
            break;
    }
    ret = status(ix);
    pthread_mutex_unlock(&ix->lock);
    return ret == 1 ? 0 : ret == 0 ? AVERROR(EAGAIN) : ret;
}

int fp_index_done(FPIndex *ix)
{
    int ret;

    pthread_mutex_lock(&ix->lock);
    ret = status(ix);
    pthread_mutex_unlock(&ix->lock);
    return ret;
}

int64_t fp_index_count(FPIndex *ix)
{
    int64_t count;

    pthread_mutex_lock(&ix->lock);
    count = ix->count;
    pthread_mutex_unlock(&ix->lock);
    return count;
}

void fp_index_abort(FPIndex *ix)
{
    atomic_store(&ix->abort, 1);
    /* Under the lock, so that a waiter between its check and its wait cannot miss it. */
    pthread_mutex_lock(&ix->lock);
    pthread_cond_broadcast(&ix->ended);
    pthread_mutex_unlock(&ix->lock);
}

void fp_index_free(FPIndex **pix)
{
    FPIndex *ix = *pix;

    if (!ix)
        return;
    fp_index_abort(ix);
    if (ix->started)
        pthread_join(ix->thread, NULL);
    avformat_close_input(&ix->fmt);
    av_parser_close(ix->parser);
    avcodec_free_context(&ix->parser_ctx);
    fp_index_order_free(&ix->order);
    av_free(ix->records);
    av_free(ix->flags);
    av_free(ix->pict_types);
    av_free(ix->big_durations);
    pthread_cond_destroy(&ix->ended);
    pthread_mutex_destroy(&ix->lock);
    av_freep(pix);
}
