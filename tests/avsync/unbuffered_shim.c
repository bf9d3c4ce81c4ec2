/*
 * Preloaded into the player by check_avsync.py: the file that SDL's disk audio
 * driver writes (SDL_DISKAUDIOFILE) is opened unbuffered, so that each buffer
 * the driver takes from the player reaches the file with one write(2), at
 * once. SDL opens it with fopen() (fopen64() where large files need it), and
 * stdio's own buffer of st_blksize bytes (4096) would otherwise hold every
 * other 4096-byte device buffer back until the next one, 21 ms at 48 kHz.
 * Nothing else is changed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef FILE *(*OpenFn)(const char *, const char *);

static FILE *open_with(const char *name, const char *path, const char *mode)
{
    OpenFn next = (OpenFn)dlsym(RTLD_NEXT, name);
    const char *audio = getenv("SDL_DISKAUDIOFILE");
    FILE *f;

    if (!next)
        return NULL;
    f = next(path, mode);
    if (f && audio && path && !strcmp(path, audio))
        setvbuf(f, NULL, _IONBF, 0);
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    return open_with("fopen", path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    return open_with("fopen64", path, mode);
}
