#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libavformat/avformat.h>
#include <libavutil/bprint.h>
#include <libavutil/mem.h>

#include "demux.h"
#include "headers.h"
#include "size_watch.h"

/* The last packets' headers a reader keeps: more than the B-frames between two references. */
#define KEPT 32

typedef struct Kept {
    int64_t pos, pts;
    char *text; /* the packet's lines; NULL: the slot is empty */
} Kept;

/* An input opened for its headers, and where its reading stands. */
typedef struct Reader {
    AVFormatContext *fmt;
    AVBSFContext *bsf;
    AVPacket *pkt;
    int stream_index;
    char *extradata;  /* the lines the filter logged for the extradata; NULL: none */
    int64_t last_pos; /* byte position of the stream's last packet read; -1: none since a seek */
    Kept kept[KEPT];  /* a ring: next is the oldest */
    int next;
} Reader;

static void reader_close(Reader *r)
{
    for (int i = 0; i < KEPT; i++)
        av_freep(&r->kept[i].text);
    av_freep(&r->extradata);
    av_bsf_free(&r->bsf);
    avformat_close_input(&r->fmt);
    av_packet_free(&r->pkt);
}

/*
 * MP4 and Matroska name every stream and its codec parameters in their
 * header, numbered as after probing: the filter needs no more, and probing
 * would decode a frame or more for nothing (while the player decodes in real
 * time beside it). Other formats find their streams by reading (MPEG-TS, -PS)
 * or learn their timestamps that way (raw streams): they are probed as the
 * player's demuxer is.
 */
static int header_names_streams(const AVFormatContext *fmt, int stream_index)
{
    const char *name = fmt->iformat->name;

    return (!strcmp(name, "mov,mp4,m4a,3gp,3g2,mj2") || !strcmp(name, "matroska,webm")) &&
           !(fmt->ctx_flags & AVFMTCTX_NOHEADER) && stream_index >= 0 &&
           stream_index < (int)fmt->nb_streams &&
           fmt->streams[stream_index]->codecpar->codec_id != AV_CODEC_ID_NONE;
}

/* cb, when set, interrupts the reading (the worker's stop). On failure r is closed. */
static int reader_open(Reader *r, const char *path, int stream_index, const AVIOInterruptCB *cb)
{
    const AVBitStreamFilter *filter = av_bsf_get_by_name("trace_headers");
    AVBPrint log;
    int ret;

    *r = (Reader){.stream_index = stream_index, .last_pos = -1};
    fp_size_watch_install();
    r->pkt = av_packet_alloc();
    r->fmt = avformat_alloc_context();
    ret = !r->pkt || !r->fmt ? AVERROR(ENOMEM) : !filter ? AVERROR(ENOSYS) : 0;
    if (ret < 0)
        goto fail;
    if (cb)
        r->fmt->interrupt_callback = *cb;
    ret = avformat_open_input(&r->fmt, path, NULL, NULL); /* frees r->fmt on failure */
    if (ret >= 0 && !header_names_streams(r->fmt, stream_index))
        ret = fp_demux_find_stream_info(r->fmt, 0);
    if (ret >= 0 && (stream_index < 0 || stream_index >= (int)r->fmt->nb_streams))
        ret = AVERROR(EINVAL);
    if (ret < 0)
        goto fail;
    for (unsigned i = 0; i < r->fmt->nb_streams; i++)
        if ((int)i != stream_index)
            r->fmt->streams[i]->discard = AVDISCARD_ALL;
    ret = av_bsf_alloc(filter, &r->bsf);
    if (ret >= 0)
        ret = avcodec_parameters_copy(r->bsf->par_in, r->fmt->streams[stream_index]->codecpar);
    if (ret < 0)
        goto fail;
    r->bsf->time_base_in = r->fmt->streams[stream_index]->time_base;
    av_bprint_init(&log, 0, AV_BPRINT_SIZE_UNLIMITED);
    fp_log_capture_begin(r->bsf, &log);
    ret = av_bsf_init(r->bsf); /* reads and logs the extradata's parameter sets */
    fp_log_capture_end();
    if (ret < 0) {
        av_bprint_finalize(&log, NULL);
        ret = AVERROR(ENOSYS); /* no coded bitstream reader for the codec */
        goto fail;
    }
    if (!av_bprint_is_complete(&log))
        ret = AVERROR(ENOMEM);
    if (ret >= 0 && log.len)
        ret = av_bprint_finalize(&log, &r->extradata);
    else
        av_bprint_finalize(&log, NULL);
    if (ret < 0)
        goto fail;
    return 0;
fail:
    reader_close(r);
    return ret;
}

/*
 * Where reading starts: at the keyframe's time where the container can find
 * it (MP4, Matroska: their byte seeks land inside elements), at its byte in
 * formats whose clocks may jump (MPEG-TS, -PS) or that have none (raw
 * streams), else where the input begins.
 */
static void seek_to_key(Reader *r, const FPHeadersQuery *q)
{
    AVFormatContext *fmt = r->fmt;
    int by_time = q->key_ts != AV_NOPTS_VALUE && !(fmt->iformat->flags & AVFMT_TS_DISCONT);

    r->last_pos = -1;
    av_bsf_flush(r->bsf);
    if (by_time && av_seek_frame(fmt, r->stream_index, q->key_ts, AVSEEK_FLAG_BACKWARD) >= 0)
        return;
    if (q->key_pos >= 0 && !(fmt->iformat->flags & AVFMT_NO_BYTE_SEEK))
        av_seek_frame(fmt, -1, q->key_pos, AVSEEK_FLAG_BYTE);
}

/* r->pkt through the filter, its log captured into out. r->pkt is blank after. */
static void trace(Reader *r, AVBPrint *out)
{
    int ret;

    fp_log_capture_begin(r->bsf, out);
    ret = av_bsf_send_packet(r->bsf, r->pkt); /* takes the packet's reference */
    while (ret >= 0 && (ret = av_bsf_receive_packet(r->bsf, r->pkt)) >= 0)
        av_packet_unref(r->pkt);
    fp_log_capture_end();
    av_packet_unref(r->pkt); /* what a refused send left */
}

static const Kept *kept_find(const Reader *r, const FPHeadersQuery *q)
{
    for (int i = 0; i < KEPT; i++) {
        const Kept *k = &r->kept[i];

        if (k->text && (q->pos >= 0 ? k->pos == q->pos
                                    : q->pts != AV_NOPTS_VALUE && k->pts == q->pts))
            return k;
    }
    return NULL;
}

/* Keeps the packet's lines (lines is finalized: blank after), over the oldest kept. */
static void keep(Reader *r, int64_t pos, int64_t pts, AVBPrint *lines)
{
    Kept *k = &r->kept[r->next];
    char *text = NULL;

    if (!av_bprint_is_complete(lines) || av_bprint_finalize(lines, &text) < 0)
        return; /* not kept; the question it answers fails with ENOMEM */
    av_free(k->text);
    *k = (Kept){.pos = pos, .pts = pts, .text = text};
    r->next = (r->next + 1) % KEPT;
}

/*
 * Reads until the packet q names has been through the filter (and is kept).
 * From where the last reading stopped when the packet lies ahead of it in the
 * same GOP; else, or when that reading passes the packet by, from its keyframe.
 */
static int reader_find(Reader *r, const FPHeadersQuery *q, const Kept **found)
{
    int max = q->max_packets > 0 ? q->max_packets : 10000, ret = 0;
    int onward = r->last_pos >= 0 && q->pos > r->last_pos && q->key_pos >= 0 &&
                 q->key_pos <= r->last_pos;

    if ((*found = kept_find(r, q)))
        return 0;
    if (!onward)
        seek_to_key(r, q);
    while (max-- > 0 && (ret = av_read_frame(r->fmt, r->pkt)) >= 0) {
        int64_t pos = r->pkt->pos, pts = r->pkt->pts;
        int target = q->pos >= 0 ? pos == q->pos : pts == q->pts;
        AVBPrint lines;

        if (r->pkt->stream_index != r->stream_index) {
            av_packet_unref(r->pkt);
            continue;
        }
        if (onward && q->pos >= 0 && pos > q->pos) { /* passed by: it was not where it seemed */
            av_packet_unref(r->pkt);
            onward = 0;
            seek_to_key(r, q);
            continue;
        }
        av_bprint_init(&lines, 0, AV_BPRINT_SIZE_UNLIMITED);
        trace(r, &lines);
        keep(r, pos, pts, &lines);
        r->last_pos = pos;
        if (target)
            return (*found = kept_find(r, q)) ? 0 : AVERROR(ENOMEM);
    }
    return ret == AVERROR_EOF || ret >= 0 ? AVERROR(ENOENT) : ret;
}

/* The answer: the extradata's lines and the packet's, in a buffer for the caller. */
static int reader_answer(Reader *r, const FPHeadersQuery *q, char **text)
{
    const Kept *k;
    AVBPrint out;
    int ret;

    *text = NULL;
    ret = reader_find(r, q, &k);
    if (ret < 0)
        return ret;
    av_bprint_init(&out, 0, AV_BPRINT_SIZE_UNLIMITED);
    if (r->extradata)
        av_bprintf(&out, "extradata\n%s", r->extradata);
    av_bprintf(&out, "packet\n%s", k->text);
    if (!av_bprint_is_complete(&out)) {
        av_bprint_finalize(&out, NULL);
        return AVERROR(ENOMEM);
    }
    return av_bprint_finalize(&out, text);
}

int fp_headers_read(const char *path, const FPHeadersQuery *q, char **text)
{
    Reader r;
    int ret;

    *text = NULL;
    ret = reader_open(&r, path, q->stream_index, NULL);
    if (ret < 0)
        return ret;
    ret = reader_answer(&r, q, text);
    reader_close(&r);
    return ret;
}

/* ---- the worker ----------------------------------------------------------------------- */

struct FPHeadersWorker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    char *path;
    int stream_index;
    atomic_int stop;      /* set once by close(); read by the thread and libavformat's callback */
    /* Under lock: the question waiting to be read, and the answer waiting to be taken. */
    int asked;
    FPHeadersQuery question;
    int64_t question_tag;
    int answered;
    int64_t answer_tag;
    int answer_err;
    char *answer;
};

static int worker_interrupted(void *opaque)
{
    FPHeadersWorker *w = opaque;

    return atomic_load(&w->stop);
}

static void *worker_thread(void *arg)
{
    FPHeadersWorker *w = arg;
    AVIOInterruptCB cb = {.callback = worker_interrupted, .opaque = w};
    int opened = 0, open_err = 0;
    Reader r = {0};

    for (;;) {
        FPHeadersQuery q;
        int64_t tag;
        char *text = NULL;
        int err;

        pthread_mutex_lock(&w->lock);
        while (!w->asked && !atomic_load(&w->stop))
            pthread_cond_wait(&w->wake, &w->lock);
        q = w->question;
        tag = w->question_tag;
        w->asked = 0;
        pthread_mutex_unlock(&w->lock);
        if (atomic_load(&w->stop))
            break;
        if (!opened) {
            open_err = reader_open(&r, w->path, w->stream_index, &cb);
            opened = 1;
        }
        err = open_err < 0 ? open_err : reader_answer(&r, &q, &text);
        pthread_mutex_lock(&w->lock);
        av_free(w->answer); /* an answer nobody took is superseded */
        w->answer = text;   /* the worker's until taken */
        w->answer_tag = tag;
        w->answer_err = err;
        w->answered = 1;
        pthread_mutex_unlock(&w->lock);
    }
    if (opened && open_err >= 0)
        reader_close(&r);
    return NULL;
}

int fp_headers_worker_open(FPHeadersWorker **out, const char *path, int stream_index)
{
    FPHeadersWorker *w = av_mallocz(sizeof(*w));
    int ret;

    *out = NULL;
    if (!w)
        return AVERROR(ENOMEM);
    w->stream_index = stream_index;
    w->path = av_strdup(path);
    if (!w->path) {
        av_free(w);
        return AVERROR(ENOMEM);
    }
    ret = pthread_mutex_init(&w->lock, NULL);
    if (!ret && (ret = pthread_cond_init(&w->wake, NULL)))
        pthread_mutex_destroy(&w->lock);
    if (!ret && (ret = pthread_create(&w->thread, NULL, worker_thread, w))) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
    }
    if (ret) {
        av_free(w->path);
        av_free(w);
        return AVERROR(ret);
    }
    *out = w;
    return 0;
}

void fp_headers_worker_ask(FPHeadersWorker *w, const FPHeadersQuery *q, int64_t tag)
{
    pthread_mutex_lock(&w->lock);
    w->question = *q;
    w->question_tag = tag;
    w->asked = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

int fp_headers_worker_take(FPHeadersWorker *w, int64_t *tag, int *err, char **text)
{
    int took;

    pthread_mutex_lock(&w->lock);
    took = w->answered;
    if (took) {
        *tag = w->answer_tag;
        *err = w->answer_err;
        *text = w->answer; /* handed over: the worker forgets it */
        w->answer = NULL;
        w->answered = 0;
    }
    pthread_mutex_unlock(&w->lock);
    return took;
}

void fp_headers_worker_close(FPHeadersWorker **pw)
{
    FPHeadersWorker *w = *pw;

    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    atomic_store(&w->stop, 1);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    av_free(w->answer);
    av_free(w->path);
    av_freep(pw);
}
