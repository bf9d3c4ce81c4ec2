#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "framepipe/player.h"
#include "script.h"

#define LINE_MAX_BYTES 4096
#define POLL_MS 50

struct FPScript {
    int fd;
    int owns_fd;
    pthread_t thread;
    int started;
    atomic_int abort;

    FPPlayer *player;

    pthread_mutex_t lock;
    pthread_cond_t cond;
    uint64_t waiting_for; /* under lock: the id of the command posted and not yet done; 0: none */

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

/* Posts cmd to the player and waits until it is complete. */
static int hand_over(FPScript *s, const FPCommand *cmd)
{
    uint64_t id;
    int ret;

    /*
     * The id is stored under the lock that fp_script_command_done() takes, so
     * an answer that comes before this thread waits is not lost: the render
     * thread cannot report the command before it is posted, and it is posted
     * under the lock.
     */
    pthread_mutex_lock(&s->lock);
    ret = fp_player_post(s->player, cmd, &id);
    if (ret >= 0)
        s->waiting_for = id;
    while (ret >= 0 && !atomic_load(&s->abort) && s->waiting_for)
        pthread_cond_wait(&s->cond, &s->lock);
    pthread_mutex_unlock(&s->lock);
    if (ret < 0)
        return ret;
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
    fp_player_end_commands(s->player);
    return NULL;
}

int fp_script_start(FPScript *s, FPPlayer *player)
{
    int ret;

    s->player = player;
    ret = pthread_create(&s->thread, NULL, script_thread, s);
    if (ret)
        return AVERROR(ret);
    s->started = 1;
    return 0;
}

void fp_script_command_done(FPScript *s, uint64_t id)
{
    pthread_mutex_lock(&s->lock);
    if (id == s->waiting_for) {
        s->waiting_for = 0;
        pthread_cond_broadcast(&s->cond);
    }
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
