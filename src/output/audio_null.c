/*
 * The null sink (audio_sink.h): headless, a thread of its own consumes the
 * sound as fast as it comes and hashes it for --audio-md5. That thread is the
 * output's consuming thread, and the only one that touches this file's state
 * between start and close, apart from null_md5(), which the owner calls once
 * the thread has consumed everything (fp_audio_out_ended()) and waits on the
 * frame queue.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <libavutil/md5.h>
#include <libavutil/mem.h>

#include "audio_sink.h"
#include "clock.h"

typedef struct FPAudioNull {
    FPAudioOut *out; /* borrowed: the output this sink consumes for, which closes it */
    pthread_t thread;
    int started;
    struct AVMD5 *md5;
    atomic_llong hashed; /* bytes that went into md5 */
    uint8_t *buf; /* the frame being hashed, converted */
    unsigned buf_size;
} FPAudioNull;

static void *null_thread(void *opaque)
{
    FPAudioNull *n = opaque;

    fp_trace_set_thread("audio-out");
    for (;;) {
        FPAudioFrameInfo info;
        int bytes, ret = fp_audio_out_next_frame(n->out, -1, &info);

        if (ret == AVERROR_EOF)
            continue; /* a seek may bring more */
        if (ret < 0)
            break; /* aborted */
        bytes = fp_audio_out_convert(n->out, &n->buf, &n->buf_size, 0);
        if (bytes > 0) {
            av_md5_update(n->md5, n->buf, bytes);
            atomic_fetch_add(&n->hashed, bytes);
        }
        fp_audio_out_set_clock(n->out, info.start + info.duration, fp_clock_now(), 0, info.serial);
    }
    return NULL;
}

static void null_close(void **priv)
{
    FPAudioNull *n = *priv;

    if (!n)
        return;
    if (n->started)
        pthread_join(n->thread, NULL);
    av_free(n->buf);
    av_free(n->md5);
    av_freep(priv);
}

/*
 * The null sink hashes the sound at its own rate and channels, as
 * 'ffmpeg -i F -map 0:a:0 -f s16le -' writes it: each frame's own, not the
 * stream's, which a frame may contradict. So it asks for no format.
 */
static int null_open(void **priv, FPAudioOut *out, const AVCodecParameters *par,
                     FPAudioSinkFormat *fmt)
{
    FPAudioNull *n = av_mallocz(sizeof(*n));

    (void)par;
    *priv = NULL;
    if (!n)
        return AVERROR(ENOMEM);
    n->out = out;
    n->md5 = av_md5_alloc();
    if (!n->md5) {
        av_free(n);
        return AVERROR(ENOMEM);
    }
    av_md5_init(n->md5);
    fmt->sample_rate = 0;
    fmt->channels = 0;
    *priv = n;
    return 0;
}

static int null_start(void *priv)
{
    FPAudioNull *n = priv;
    int ret = pthread_create(&n->thread, NULL, null_thread, n);

    if (ret)
        return AVERROR(ret);
    n->started = 1;
    return 0;
}

static int null_md5(void *priv, char hex[33])
{
    FPAudioNull *n = priv;
    uint8_t digest[16];

    /* The MD5 of nothing would pass for a hash of the sound: a stream with no samples has none. */
    if (!atomic_load(&n->hashed))
        return AVERROR(ENODATA);
    av_md5_final(n->md5, digest);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    av_md5_init(n->md5);
    return 0;
}

const FPAudioSinkOps fp_audio_sink_null = {
    .realtime = 0,
    .open = null_open,
    .start = null_start,
    .md5 = null_md5,
    .close = null_close,
};
