/*
 * Internal: reading a pipe that a quit can interrupt.
 *
 * libavformat's pipe protocol reads with a blocking read(): a pipe whose
 * writer stalls without closing (a network tool, a camera) holds the reader
 * thread in the kernel, and neither an interrupt callback nor a quit can reach
 * it. This AVIOContext waits for data in poll() slices of 100 ms instead, and
 * ends the read with AVERROR_EXIT once *abort is set.
 */
#ifndef FRAMEPIPE_SRC_PIPE_IO_H
#define FRAMEPIPE_SRC_PIPE_IO_H

#include <stdatomic.h>

#include <libavformat/avio.h>

/**
 * If path names a pipe as libavformat spells it ("pipe:" or "pipe:N", N a
 * file descriptor, standard input without one), set *fd and return 1; else 0.
 */
int fp_pipe_io_fd(const char *path, int *fd);

/**
 * An AVIOContext that reads fd (not seekable) until *abort is set. fd and
 * abort are borrowed: the caller keeps fd open and abort alive until
 * fp_pipe_io_free(), which does not close fd.
 * @return 0, or AVERROR(ENOMEM).
 */
int fp_pipe_io_open(AVIOContext **io, int fd, atomic_int *abort);

/** Free what fp_pipe_io_open() made; *io is set to NULL. NULL is fine. */
void fp_pipe_io_free(AVIOContext **io);

#endif /* FRAMEPIPE_SRC_PIPE_IO_H */
