#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/avstring.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "pipe_io.h"

#define IO_BUFFER_SIZE 32768
#define POLL_SLICE_MS 100

typedef struct PipeIO {
    int fd;
    atomic_int *abort;
} PipeIO;

int fp_pipe_io_fd(const char *path, int *fd)
{
    const char *rest;
    char *end;
    long n;

    if (!av_strstart(path, "pipe:", &rest))
        return 0;
    if (!*rest) {
        *fd = 0;
        return 1;
    }
    errno = 0;
    n = strtol(rest, &end, 10);
    if (*end || errno || n < 0 || n > 1 << 20)
        return 0; /* not a number: libavformat's to make sense of */
    *fd = (int)n;
    return 1;
}

static int read_packet(void *opaque, uint8_t *buf, int size)
{
    PipeIO *pio = opaque;

    for (;;) {
        struct pollfd pfd = {.fd = pio->fd, .events = POLLIN};
        ssize_t got;
        int ready;

        if (atomic_load(pio->abort))
            return AVERROR_EXIT;
        ready = poll(&pfd, 1, POLL_SLICE_MS);
        if (ready < 0 && errno != EINTR)
            return AVERROR(errno);
        if (ready <= 0)
            continue; /* nothing yet: look at the abort flag again */
        got = read(pio->fd, buf, (size_t)size);
        if (got > 0)
            return (int)got;
        if (got == 0)
            return AVERROR_EOF;
        if (errno != EINTR && errno != EAGAIN)
            return AVERROR(errno);
    }
}

int fp_pipe_io_open(AVIOContext **io, int fd, atomic_int *abort)
{
    PipeIO *pio = av_mallocz(sizeof(*pio));
    uint8_t *buffer = av_malloc(IO_BUFFER_SIZE);

    *io = NULL;
    if (pio && buffer) {
        pio->fd = fd;
        pio->abort = abort;
        *io = avio_alloc_context(buffer, IO_BUFFER_SIZE, 0, pio, read_packet, NULL, NULL);
    }
    if (!*io) {
        av_free(buffer);
        av_free(pio);
        return AVERROR(ENOMEM);
    }
    (*io)->seekable = 0;
    return 0;
}

void fp_pipe_io_free(AVIOContext **io)
{
    if (!*io)
        return;
    av_freep(&(*io)->opaque);
    av_freep(&(*io)->buffer); /* it may have been replaced by a larger one: this is the one now */
    avio_context_free(io);
}
