/*
 * LD_PRELOAD shim: reads of one file start failing part-way, as they do on a
 * disk with a bad area. In the first file opened whose path contains
 * $FP_FAIL_READ_PATH, the bytes before offset $FP_FAIL_READ_AFTER read
 * normally, and any read() at or past it fails with EIO, however often it is
 * retried or sought back to. Other files are left alone.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static atomic_int watched_fd = -1;

static void *next_symbol(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

static void watch(int fd, const char *path)
{
    const char *want = getenv("FP_FAIL_READ_PATH");
    int none = -1;

    if (fd >= 0 && want && path && strstr(path, want))
        atomic_compare_exchange_strong(&watched_fd, &none, fd);
}

static mode_t mode_arg(int flags, va_list args)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(args, int) : 0;
}

typedef int (*OpenFn)(const char *, int, ...);

/* Opens through the next definition of symbol (looked up once into *real), and watches the fd. */
static int open_next(const char *symbol, OpenFn *real, const char *path, int flags, mode_t mode)
{
    int fd;

    if (!*real)
        *real = (OpenFn)next_symbol(symbol);
    fd = (*real)(path, flags, mode);
    watch(fd, path);
    return fd;
}

/* open and open64: each takes its own variadic mode, then both go the same way. */
int open(const char *path, int flags, ...)
{
    static OpenFn real_open;
    va_list args;
    mode_t mode;

    va_start(args, flags);
    mode = mode_arg(flags, args);
    va_end(args);
    return open_next("open", &real_open, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    static OpenFn real_open64;
    va_list args;
    mode_t mode;

    va_start(args, flags);
    mode = mode_arg(flags, args);
    va_end(args);
    return open_next("open64", &real_open64, path, flags, mode);
}

int close(int fd)
{
    static int (*real_close)(int);
    int expected = fd;

    if (!real_close)
        real_close = (int (*)(int))next_symbol("close");
    /* Forget the descriptor; a later open of the file reads normally. */
    atomic_compare_exchange_strong(&watched_fd, &expected, -2);
    return real_close(fd);
}

ssize_t read(int fd, void *buf, size_t size)
{
    static ssize_t (*real_read)(int, void *, size_t);
    const char *after = getenv("FP_FAIL_READ_AFTER");
    long long limit = after ? atoll(after) : 0;
    off_t at;

    if (!real_read)
        real_read = (ssize_t (*)(int, void *, size_t))next_symbol("read");
    if (fd < 0 || fd != atomic_load(&watched_fd))
        return real_read(fd, buf, size);
    at = lseek(fd, 0, SEEK_CUR);
    if (at < 0 || at >= limit) {
        errno = EIO;
        return -1;
    }
    if ((long long)size > limit - at)
        size = (size_t)(limit - at);
    return real_read(fd, buf, size);
}
