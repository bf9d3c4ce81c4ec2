/*
 * libFuzzer target: one whole headless run of the player over the input bytes.
 *
 * The input is read through an AVIOContext on memory (fp_player_open_io), so
 * the real pipeline runs on it: the reader thread, both decoder threads, both
 * queue pairs, the null sink for pictures (hashing each one, as --framemd5
 * does) and the null sink for sound (hashing it, as --audio-md5 does).
 *
 * Each input is bounded so that no input can stall the fuzzer:
 *   - pictures of at most MAX_PIXELS pixels, in probing and in decoding;
 *   - at most MAX_PACKETS packets read;
 *   - TIME_BUDGET_MS of wall time: past it the reads fail and a watchdog asks
 *     the player to quit, as a user would.
 * An input that still outlives libFuzzer's -timeout is a hang worth fixing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>

#include "framepipe/player.h"

#define MAX_PIXELS (1 << 20)
#define MAX_PACKETS 2048
#define TIME_BUDGET_MS 2000
#define IO_BUFFER_SIZE 4096

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct MemoryInput {
    const uint8_t *data;
    size_t size;
    size_t pos;
    struct timespec deadline;
} MemoryInput;

typedef struct Watchdog {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct timespec deadline;
    FPPlayer *player; /* set once open succeeded, cleared before it is closed */
    int done;
} Watchdog;

static FILE *null_out;

static struct timespec deadline_after(int ms)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    return t;
}

static int passed(const struct timespec *deadline)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    return now.tv_sec > deadline->tv_sec ||
           (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static int read_input(void *opaque, uint8_t *buf, int size)
{
    MemoryInput *in = opaque;
    size_t n = in->size - in->pos;

    /* Past the budget the input ends, wherever libavformat is: probing, or the reader thread. */
    if (passed(&in->deadline))
        return AVERROR_EXIT;
    if (!n)
        return AVERROR_EOF;
    if (n > (size_t)size)
        n = (size_t)size;
    memcpy(buf, in->data + in->pos, n);
    in->pos += n;
    return (int)n;
}

static int64_t seek_input(void *opaque, int64_t offset, int whence)
{
    MemoryInput *in = opaque;
    int64_t target;

    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
        return (int64_t)in->size;
    case SEEK_SET:
        target = offset;
        break;
    case SEEK_CUR:
        target = (int64_t)in->pos + offset;
        break;
    case SEEK_END:
        target = (int64_t)in->size + offset;
        break;
    default:
        return AVERROR(EINVAL);
    }
    if (target < 0 || target > (int64_t)in->size)
        return AVERROR(EINVAL);
    in->pos = (size_t)target;
    return target;
}

static void *watch(void *arg)
{
    Watchdog *w = arg;

    pthread_mutex_lock(&w->lock);
    while (!w->done) {
        if (passed(&w->deadline) && w->player) {
            fp_player_request_quit(w->player);
            break;
        }
        if (passed(&w->deadline))
            pthread_cond_wait(&w->cond, &w->lock); /* still opening: the reads end it */
        else
            pthread_cond_timedwait(&w->cond, &w->lock, &w->deadline);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void watch_player(Watchdog *w, FPPlayer *player, int done)
{
    pthread_mutex_lock(&w->lock);
    w->player = player;
    w->done = done;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    av_log_set_level(AV_LOG_QUIET);
    null_out = fopen("/dev/null", "w");
    return null_out ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    MemoryInput in = {.data = data, .size = size, .deadline = deadline_after(TIME_BUDGET_MS)};
    Watchdog w = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
                  .deadline = in.deadline};
    FPPlayerOptions opts;
    FPPlayer *player = NULL;
    AVIOContext *io = NULL;
    unsigned char *buffer;
    pthread_t watchdog;
    char md5[33];

    buffer = av_malloc(IO_BUFFER_SIZE);
    if (buffer)
        io = avio_alloc_context(buffer, IO_BUFFER_SIZE, 0, &in, read_input, NULL, seek_input);
    if (!io) {
        av_free(buffer);
        return 0;
    }
    if (pthread_create(&watchdog, NULL, watch, &w)) {
        avio_context_free(&io);
        return 0;
    }
    fp_player_options_default(&opts);
    opts.headless = 1;
    opts.framemd5 = null_out;
    opts.max_pixels = MAX_PIXELS;
    opts.max_packets = MAX_PACKETS;
    if (fp_player_open_io(&player, io, "fuzz", &opts) >= 0) {
        watch_player(&w, player, 0);
        if (fp_player_run(player) >= 0)
            fp_player_audio_md5(player, md5);
    }
    watch_player(&w, NULL, 1);
    pthread_join(watchdog, NULL);
    fp_player_close(&player);
    /* The buffer may have been replaced by libavformat: free the one the context holds now. */
    av_freep(&io->buffer);
    avio_context_free(&io);
    return 0;
}
