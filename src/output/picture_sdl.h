/*
 * Internal: how a decoded picture reaches SDL, on the render thread.
 *
 * Both ways only read the frame and keep no reference to it: its pixels are
 * copied (converted by SDL or libswscale) into a streaming texture, or
 * converted and scaled by libswscale straight into a window surface.
 */
#ifndef FRAMEPIPE_SRC_PICTURE_SDL_H
#define FRAMEPIPE_SRC_PICTURE_SDL_H

#include <SDL.h>
#include <libavutil/frame.h>

struct SwsContext;

/* Log SDL's last error after what failed; returns AVERROR_EXTERNAL. */
int fp_sdl_error(const char *what);

/* A streaming texture that holds the last picture uploaded, at its coded size. */
typedef struct FPPictureTexture {
    SDL_Texture *texture;
    int convert_all; /* set by the owner: every picture through libswscale to ARGB8888 */
    /* What the texture was made for; a change of any of these makes a new one. */
    int width, height;
    Uint32 format;
    SDL_YUV_CONVERSION_MODE yuv_mode; /* the matrix SDL converts YUV with, when it does */
    struct SwsContext *sws;
} FPPictureTexture;

/*
 * Copy f (read only) into t's texture, made or remade for renderer as f needs.
 * YUV420P and NV12 with a matrix SDL knows are uploaded as they are; every
 * other picture, and every one when t->convert_all, is converted by libswscale
 * with the frame's own matrix and range.
 * @return 0, AVERROR(ENOSYS) for a format libswscale cannot read, or
 *         AVERROR_EXTERNAL when SDL fails (logged).
 */
int fp_picture_texture_upload(FPPictureTexture *t, SDL_Renderer *renderer, const AVFrame *f);

/* Destroy the texture and the converter; t may be uploaded to again. */
void fp_picture_texture_uninit(FPPictureTexture *t);

/*
 * Convert and scale f (read only) into box of surface, a 32-bit RGB window
 * surface, with the frame's own matrix and range, and paint the rest of the
 * surface black. *sws is the cached converter (NULL at first; the caller frees
 * it with sws_freeContext()).
 * @return 1 when drawn; 0 when the surface's format or box does not suit, or
 *         libswscale cannot convert f (nothing is drawn then).
 */
int fp_picture_to_surface(SDL_Surface *surface, struct SwsContext **sws, const AVFrame *f,
                          const SDL_Rect *box);

#endif
