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
 *     the player to quit, as a user would. A run that the quit does not end
 *     within QUIT_BOUND_MS is a hang: the harness aborts, and libFuzzer keeps
 *     the input as a crash.
 * Built with FP_FUZZ_REPLAY (fuzz_control_replay, the CTest twin without
 * libFuzzer) there is no budget at all: the reads never fail and nobody asks
 * the player to quit, so every run must end by itself, its script's "quit";
 * one that has not ended after HANG_MS aborts as a hang, instead of passing
 * for a quit.
 *
 * Built with FP_FUZZ_CONTROL (the fuzz_control target), the last CONTROL_BYTES
 * bytes of the input are not media but commands: each byte picks a step, a
 * back-step, an exact, relative or keyframe seek, a short play, a pause, a
 * toggle, a pixel read or an A-B loop, and the player runs them as a script
 * (through a pipe) from a paused start, then quits. FP_FUZZ_SHOW_SCRIPT=1 in the environment prints the script. That drives the seek, flush and step-history paths over
 * broken streams, which a plain run never reaches.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>

#include "framepipe/player.h"
#include "framemd5.h"
#ifdef FP_FUZZ_CONTROL
#include "script.h"
#endif

#define MAX_PIXELS (1 << 20)
#define MAX_PACKETS 2048
#define TIME_BUDGET_MS 2000
#define QUIT_BOUND_MS 5000
#define HANG_MS 60000
#define IO_BUFFER_SIZE 4096
#define CONTROL_BYTES 8

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

static void hang(const char *what)
{
    fprintf(stderr, "fuzz harness: hang: %s\n", what);
    abort();
}

static void *watch(void *arg)
{
    Watchdog *w = arg;
    int quit_sent = 0;

    pthread_mutex_lock(&w->lock);
    while (!w->done) {
#ifdef FP_FUZZ_REPLAY
        if (passed(&w->deadline))
            hang("the run did not end by itself within HANG_MS");
#else
        if (passed(&w->deadline) && quit_sent)
            hang("the player did not quit within QUIT_BOUND_MS of being asked");
        if (passed(&w->deadline) && w->player && !quit_sent) {
            fp_player_request_quit(w->player);
            quit_sent = 1;
            w->deadline = deadline_after(QUIT_BOUND_MS);
            continue;
        }
        if (passed(&w->deadline)) { /* still opening: the failing reads end it */
            pthread_cond_wait(&w->cond, &w->lock);
            continue;
        }
#endif
        pthread_cond_timedwait(&w->cond, &w->lock, &w->deadline);
    }
    pthread_mutex_unlock(&w->lock);
    (void)quit_sent;
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

#ifdef FP_FUZZ_CONTROL
/* One script line for a command byte: the low 3 bits pick the command, the rest its argument. */
static int control_line(char *line, size_t size, uint8_t byte)
{
    int arg = byte >> 3; /* 0 to 31 */

    switch (byte & 7) {
    case 0: return snprintf(line, size, "step %d\n", 1 + (arg & 3));
    case 1: return snprintf(line, size, "back %d\n", 1 + (arg & 7));
    case 2: return snprintf(line, size, "seek %.2f\n", arg * 0.25);
    case 3: return snprintf(line, size, "seek %+.2f\n", (arg - 16) * 0.25);
    case 4: return snprintf(line, size, "seek %.2f key\n", arg * 0.25);
    case 5: return snprintf(line, size, "play\nwait %.2f\n", (arg & 3) * 0.05);
    case 6: return snprintf(line, size, "pause\n");
    default: /* half toggles; the rest reads a pixel (some outside the picture) or loops */
        if (arg < 16)
            return snprintf(line, size, "toggle\n");
        if (arg & 1)
            return snprintf(line, size, "pixel %d %d\n", (arg * 37) & 511, (arg * 91) & 255);
        return snprintf(line, size, "loop %.2f %.2f\n", (arg & 6) * 0.25, (arg & 6) * 0.25 + 0.5);
    }
}

/*
 * The commands go into a pipe, whole, before the player opens it as its
 * script: at most CONTROL_BYTES short lines, far less than a pipe holds.
 * Returns the pipe's read end, or -1.
 */
static int control_script(const uint8_t *bytes, size_t count)
{
    char text[CONTROL_BYTES * 32 + 8];
    size_t len = 0;
    int fds[2];

    for (size_t i = 0; i < count; i++)
        len += (size_t)control_line(text + len, sizeof(text) - len, bytes[i]);
    len += (size_t)snprintf(text + len, sizeof(text) - len, "quit\n");
    if (getenv("FP_FUZZ_SHOW_SCRIPT")) /* to read what an input does */
        fprintf(stderr, "%s", text);
    if (pipe(fds))
        return -1;
    if (write(fds[1], text, len) != (ssize_t)len) {
        close(fds[0]);
        fds[0] = -1;
    }
    close(fds[1]);
    return fds[0];
}

/* The program's way to run a script: fp_script posts each line and waits for it to be done. */
static void on_event(void *opaque, const FPEvent *ev)
{
    FPScript *script = opaque;

    if (ev->type == FP_EVENT_COMMAND_DONE && script)
        fp_script_command_done(script, ev->id);
}
#endif

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
#ifdef FP_FUZZ_REPLAY
    MemoryInput in = {.data = data, .size = size, .deadline = deadline_after(HANG_MS * 10)};
    Watchdog w = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
                  .deadline = deadline_after(HANG_MS)};
#else
    MemoryInput in = {.data = data, .size = size, .deadline = deadline_after(TIME_BUDGET_MS)};
    Watchdog w = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
                  .deadline = in.deadline};
#endif
    FPPlayerOptions opts;
    FPPlayer *player = NULL;
    AVIOContext *io = NULL;
    unsigned char *buffer;
    pthread_t watchdog;
    char md5[33];
    int ret;
    FPVideoSink *sink = NULL;
#ifdef FP_FUZZ_CONTROL
    char script_path[32];
    FPScript *script = NULL;
    int script_fd;

    if (size <= CONTROL_BYTES)
        return 0;
    size -= CONTROL_BYTES;
    in.size = size;
    script_fd = control_script(data + size, CONTROL_BYTES);
    if (script_fd < 0)
        return 0;
    snprintf(script_path, sizeof(script_path), "/dev/fd/%d", script_fd);
    if (fp_script_open(&script, script_path) < 0) {
        close(script_fd);
        return 0;
    }
    close(script_fd); /* the script opened a descriptor of its own on the pipe */
#endif

    buffer = av_malloc(IO_BUFFER_SIZE);
    if (buffer)
        io = avio_alloc_context(buffer, IO_BUFFER_SIZE, 0, &in, read_input, NULL, seek_input);
    if (!io || pthread_create(&watchdog, NULL, watch, &w)) {
        if (io)
            av_freep(&io->buffer);
        else
            av_free(buffer);
        avio_context_free(&io);
#ifdef FP_FUZZ_CONTROL
        fp_script_free(&script);
#endif
        return 0;
    }
    fp_player_options_default(&opts);
    opts.headless = 1;
    opts.max_pixels = MAX_PIXELS;
    opts.max_packets = MAX_PACKETS;
    if (fp_framemd5_sink_alloc(&sink, null_out) >= 0)
        opts.sink = sink;
#ifdef FP_FUZZ_CONTROL
    opts.commands = 1;
    opts.on_event = on_event;
    opts.event_opaque = script;
    opts.start_paused = 1;
    opts.step_history_bytes = 16 << 20;
#endif
    ret = fp_player_open_io(&player, io, "fuzz", &opts);
#ifdef FP_FUZZ_CONTROL
    if (ret >= 0 && fp_script_start(script, player) < 0)
        fp_player_end_commands(player);
#endif
    if (ret >= 0) {
        watch_player(&w, player, 0);
        if (fp_player_run(player) >= 0)
            fp_player_audio_md5(player, md5);
    }
    watch_player(&w, NULL, 1);
    pthread_join(watchdog, NULL);
#ifdef FP_FUZZ_CONTROL
    fp_script_free(&script); /* before the player it posts to */
#endif
    fp_player_close(&player);
    fp_framemd5_sink_free(&sink);
    /* The buffer may have been replaced by libavformat: free the one the context holds now. */
    av_freep(&io->buffer);
    avio_context_free(&io);
    return 0;
}
