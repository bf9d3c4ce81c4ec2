#include <SDL.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "picture.h"
#include "picture_sdl.h"

int fp_sdl_error(const char *what)
{
    av_log(NULL, AV_LOG_ERROR, "%s: %s\n", what, SDL_GetError());
    return AVERROR_EXTERNAL;
}

/*
 * SDL converts YUV itself with three matrices only: BT.601 limited or full
 * range, and BT.709 limited. Anything else goes through libswscale (-1).
 */
static int sdl_yuv_mode_for(const AVFrame *f)
{
    enum AVColorSpace colorspace = fp_frame_colorspace(f);
    int full = fp_frame_full_range(f);

    switch (colorspace) {
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
        return full ? SDL_YUV_CONVERSION_JPEG : SDL_YUV_CONVERSION_BT601;
    case AVCOL_SPC_BT709:
        return full ? -1 : SDL_YUV_CONVERSION_BT709;
    default:
        return -1;
    }
}

static Uint32 texture_format_for(const FPPictureTexture *t, const AVFrame *f, int yuv_mode)
{
    if (t->convert_all)
        return SDL_PIXELFORMAT_ARGB8888;
    /* Negative line sizes (bottom-up pictures) are left to libswscale. */
    for (int i = 0; i < 3 && f->data[i]; i++)
        if (f->linesize[i] < 0)
            return SDL_PIXELFORMAT_ARGB8888;
    if (yuv_mode < 0)
        return SDL_PIXELFORMAT_ARGB8888;
    switch (f->format) {
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P:
        return SDL_PIXELFORMAT_IYUV;
    case AV_PIX_FMT_NV12:
        return SDL_PIXELFORMAT_NV12;
    default:
        return SDL_PIXELFORMAT_ARGB8888;
    }
}

static int ensure_texture(FPPictureTexture *t, SDL_Renderer *renderer, Uint32 format,
                          SDL_YUV_CONVERSION_MODE yuv_mode, int width, int height)
{
    if (t->texture && t->format == format && t->width == width &&
        t->height == height && t->yuv_mode == yuv_mode)
        return 0;
    if (t->texture)
        SDL_DestroyTexture(t->texture);
    /* Renderers with shaders pick the YUV matrix when the texture is made. */
    SDL_SetYUVConversionMode(yuv_mode);
    t->texture =
        SDL_CreateTexture(renderer, format, SDL_TEXTUREACCESS_STREAMING, width, height);
    if (!t->texture)
        return fp_sdl_error("SDL_CreateTexture");
    t->format = format;
    t->width = width;
    t->height = height;
    t->yuv_mode = yuv_mode;
    return 0;
}

/*
 * Converts any format libswscale reads into the ARGB8888 texture, in place in
 * its memory, with the frame's own matrix and range.
 */
static int upload_converted(FPPictureTexture *t, const AVFrame *f)
{
    void *pixels;
    int pitch;
    uint8_t *dst[4] = {NULL};
    int dst_linesize[4] = {0};

    t->sws = sws_getCachedContext(t->sws, f->width, f->height, f->format, f->width, f->height,
                                  AV_PIX_FMT_BGRA, SWS_BICUBIC, NULL, NULL, NULL);
    if (!t->sws) {
        av_log(NULL, AV_LOG_ERROR, "cannot convert %s for display\n",
               av_get_pix_fmt_name(f->format));
        return AVERROR(ENOSYS);
    }
    fp_sws_set_colorspace(t->sws, f);
    if (SDL_LockTexture(t->texture, NULL, &pixels, &pitch))
        return fp_sdl_error("SDL_LockTexture");
    dst[0] = pixels;
    dst_linesize[0] = pitch;
    sws_scale(t->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst,
              dst_linesize);
    SDL_UnlockTexture(t->texture);
    return 0;
}

int fp_picture_texture_upload(FPPictureTexture *t, SDL_Renderer *renderer, const AVFrame *f)
{
    int yuv_mode = sdl_yuv_mode_for(f);
    Uint32 format = texture_format_for(t, f, yuv_mode);
    int ret;

    if (format == SDL_PIXELFORMAT_ARGB8888)
        yuv_mode = SDL_YUV_CONVERSION_BT601; /* unused for RGB; any fixed value */
    ret = ensure_texture(t, renderer, format, yuv_mode, f->width, f->height);
    if (ret < 0)
        return ret;
    /* The software renderer converts YUV when it draws, with the mode current then. */
    SDL_SetYUVConversionMode(yuv_mode);
    switch (format) {
    case SDL_PIXELFORMAT_IYUV:
        ret = SDL_UpdateYUVTexture(t->texture, NULL, f->data[0], f->linesize[0], f->data[1],
                                   f->linesize[1], f->data[2], f->linesize[2]);
        break;
    case SDL_PIXELFORMAT_NV12:
        ret = SDL_UpdateNVTexture(t->texture, NULL, f->data[0], f->linesize[0], f->data[1],
                                  f->linesize[1]);
        break;
    default:
        return upload_converted(t, f);
    }
    return ret ? fp_sdl_error("SDL_UpdateTexture") : 0;
}

/* libswscale writes into a 32-bit window surface of these formats: its pixel format for them. */
static enum AVPixelFormat surface_pix_fmt(const SDL_Surface *surface)
{
    switch (surface->format->format) {
    case SDL_PIXELFORMAT_ARGB8888:
        return AV_PIX_FMT_BGRA; /* the bytes in memory, little-endian */
    case SDL_PIXELFORMAT_RGB888:
        return AV_PIX_FMT_BGR0;
    default:
        return AV_PIX_FMT_NONE;
    }
}

int fp_picture_to_surface(SDL_Surface *surface, struct SwsContext **sws, const AVFrame *f,
                          const SDL_Rect *box)
{
    enum AVPixelFormat fmt = surface ? surface_pix_fmt(surface) : AV_PIX_FMT_NONE;
    uint8_t *dst[4] = {NULL};
    int dst_linesize[4] = {0};
    SDL_Rect bars[2];

    if (fmt == AV_PIX_FMT_NONE || SDL_MUSTLOCK(surface) || box->w <= 0 || box->h <= 0 ||
        box->x < 0 || box->y < 0 || box->x + box->w > surface->w || box->y + box->h > surface->h)
        return 0;
    *sws = sws_getCachedContext(*sws, f->width, f->height, f->format, box->w, box->h, fmt,
                                SWS_BILINEAR, NULL, NULL, NULL);
    if (!*sws)
        return 0;
    fp_sws_set_colorspace(*sws, f);
    /* Left and right, or above and below: the bars the box leaves. */
    bars[0] = box->x ? (SDL_Rect){0, 0, box->x, surface->h} : (SDL_Rect){0, 0, surface->w, box->y};
    bars[1] = box->x ? (SDL_Rect){box->x + box->w, 0, surface->w - box->x - box->w, surface->h}
                     : (SDL_Rect){0, box->y + box->h, surface->w, surface->h - box->y - box->h};
    SDL_FillRects(surface, bars, 2, SDL_MapRGB(surface->format, 0, 0, 0));
    dst[0] = (uint8_t *)surface->pixels + (size_t)box->y * surface->pitch + (size_t)box->x * 4;
    dst_linesize[0] = surface->pitch;
    sws_scale(*sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst, dst_linesize);
    return 1;
}

void fp_picture_texture_uninit(FPPictureTexture *t)
{
    sws_freeContext(t->sws);
    t->sws = NULL;
    if (t->texture)
        SDL_DestroyTexture(t->texture);
    t->texture = NULL;
}
