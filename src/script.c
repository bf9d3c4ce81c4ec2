#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "script.h"

#define LINE_MAX_BYTES 4096
#define POLL_MS 50

struct FPScript {
    int fd;
    int owns_fd;
    pthread_t thread;
    int started;
    atomic_int abort;

    pthread_mutex_t lock;
    pthread_cond_t cond;
    FPCommand cmd;  /* under lock: the command handed over */
    int has_cmd;    /* a command waits to be taken */
    int taken;      /* it was taken and is running */
    int ended;      /* no more commands will come */

    char buf[LINE_MAX_BYTES];
    size_t used;
    int line_no;
};

int fp_script_open(FPScript **out, const char *path)
{
    FPScript *s;

    *out = NULL;
    s = av_mallocz(sizeof(*s));
    if (!s)
        return AVERROR(ENOMEM);
    if (!strcmp(path, "-")) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            int err = AVERROR(errno);
            av_free(s);
            return err;
        }
        s->owns_fd = 1;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    *out = s;
    return 0;
}

/*
 * Reads one line into line (without its newline). Waits in short polls so that
 * an abort is noticed even while standard input stays silent.
 * @return 1 for a line, 0 at the end of input, < 0 on abort or error.
 */
static int read_line(FPScript *s, char *line, size_t size)
{
    for (;;) {
        char *nl = memchr(s->buf, '\n', s->used);

        if (nl || s->used == sizeof(s->buf) - 1) {
            size_t len = nl ? (size_t)(nl - s->buf) : s->used;
            size_t keep = len < size ? len : size - 1;

            memcpy(line, s->buf, keep);
            line[keep] = '\0';
            len += nl ? 1 : 0;
            memmove(s->buf, s->buf + len, s->used - len);
            s->used -= len;
            return 1;
        }
        if (atomic_load(&s->abort))
            return AVERROR_EXIT;
        struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
        int ready = poll(&pfd, 1, POLL_MS);
        if (ready < 0 && errno != EINTR)
            return AVERROR(errno);
        if (ready <= 0)
            continue;
        ssize_t got = read(s->fd, s->buf + s->used, sizeof(s->buf) - 1 - s->used);
        if (got < 0 && errno != EINTR && errno != EAGAIN)
            return AVERROR(errno);
        if (got == 0) {
            if (!s->used)
                return 0;
            memcpy(line, s->buf, s->used < size ? s->used : size - 1);
            line[s->used < size ? s->used : size - 1] = '\0';
            s->used = 0;
            return 1; /* a last line without a newline */
        }
        if (got > 0)
            s->used += (size_t)got;
    }
}

/* Hands cmd to the render thread and waits until it is complete. */
static int hand_over(FPScript *s, const FPCommand *cmd)
{
    pthread_mutex_lock(&s->lock);
    s->cmd = *cmd;
    s->has_cmd = 1;
    s->taken = 0;
    pthread_cond_broadcast(&s->cond); /* wake a render thread waiting in fp_script_wait() */
    while (!atomic_load(&s->abort) && s->has_cmd)
        pthread_cond_wait(&s->cond, &s->lock);
    pthread_mutex_unlock(&s->lock);
    return atomic_load(&s->abort) ? AVERROR_EXIT : 0;
}

static void *script_thread(void *arg)
{
    FPScript *s = arg;
    char line[LINE_MAX_BYTES];
    char err[256];
    FPCommand cmd;

    while (read_line(s, line, sizeof(line)) > 0) {
        s->line_no++;
        if (fp_command_parse(line, &cmd, err, sizeof(err)) < 0) {
            fprintf(stderr, "framepipe: script line %d: %s\n", s->line_no, err);
            continue;
        }
        if (cmd.type == FP_CMD_NONE)
            continue;
        if (hand_over(s, &cmd) < 0 || cmd.type == FP_CMD_QUIT)
            break;
    }
    pthread_mutex_lock(&s->lock);
    s->ended = 1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

int fp_script_start(FPScript *s)
{
    int ret = pthread_create(&s->thread, NULL, script_thread, s);

    if (ret)
        return AVERROR(ret);
    s->started = 1;
    return 0;
}

int fp_script_take(FPScript *s, FPCommand *cmd)
{
    int ret = 0;

    pthread_mutex_lock(&s->lock);
    if (s->has_cmd && !s->taken) {
        *cmd = s->cmd;
        s->taken = 1;
        ret = 1;
    } else if (s->ended && !s->has_cmd) {
        ret = AVERROR_EOF;
    }
    pthread_mutex_unlock(&s->lock);
    return ret;
}

void fp_script_wait(FPScript *s, int64_t timeout_us)
{
    struct timespec deadline;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_us / 1000000;
    deadline.tv_nsec += (long)(timeout_us % 1000000) * 1000;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->lock);
    while (!atomic_load(&s->abort) && !s->ended && !(s->has_cmd && !s->taken)) {
        if (pthread_cond_timedwait(&s->cond, &s->lock, &deadline))
            break;
    }
    pthread_mutex_unlock(&s->lock);
}

void fp_script_done(FPScript *s)
{
    pthread_mutex_lock(&s->lock);
    s->has_cmd = 0;
    s->taken = 0;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void fp_script_abort(FPScript *s)
{
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->abort, 1);
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void fp_script_free(FPScript **ps)
{
    FPScript *s = *ps;

    if (!s)
        return;
    if (s->started) {
        fp_script_abort(s);
        pthread_join(s->thread, NULL);
    }
    if (s->owns_fd)
        close(s->fd);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    av_freep(ps);
}
