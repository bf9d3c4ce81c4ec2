#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <libavutil/avstring.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "loupe_sdl.h"
#include "osd_sdl.h"
#include "picture.h"
#include "render_sdl.h"
#include "x11_errors.h"

struct FPRender {
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *texture;
    char driver[32];
    int convert_all; /* the software renderer: libswscale converts every picture to RGB */
    /* What the texture was made for; a change of any of these makes a new one. */
    int tex_width, tex_height;
    Uint32 tex_format;
    SDL_YUV_CONVERSION_MODE tex_yuv_mode;
    /* How the picture in the texture is shown. */
    AVRational sar;
    FPOrientation orientation;
    struct SwsContext *sws;
    int has_picture;
    int last_key; /* the last key down (SDL_Keycode): its text may be the same key again */
    FPOsdLayer *osd; /* what is drawn over the picture */
    /* The loupe: while it is on, a reference to the frame shown, for its values. */
    int loupe;
    AVFrame *kept;
    int pointer_x, pointer_y; /* in the output; -1 when the pointer is not in the window */
};

#define GL_RENDERER_STRING 0x1F01

static int sdl_error(const char *what)
{
    av_log(NULL, AV_LOG_ERROR, "%s: %s\n", what, SDL_GetError());
    return AVERROR_EXTERNAL;
}

/* Opening failed: log why, and tell the caller in one line. */
static int open_error(const FPRenderOptions *o, const char *fmt, ...) av_printf_format(2, 3);
static int open_error(const FPRenderOptions *o, const char *fmt, ...)
{
    char why[256];
    va_list args;

    va_start(args, fmt);
    vsnprintf(why, sizeof(why), fmt, args);
    va_end(args);
    av_log(NULL, AV_LOG_ERROR, "cannot open a window: %s\n", why);
    if (o->error && o->error_size)
        snprintf(o->error, o->error_size, "cannot open a window: %s", why);
    return AVERROR_EXTERNAL;
}

/*
 * SDL happily picks its OpenGL renderer on a machine whose OpenGL is Mesa's
 * software rasteriser; there every frame costs several times what the plain
 * software renderer costs. Ask GL who is drawing.
 */
static int is_software_gl(SDL_Renderer *renderer)
{
    SDL_RendererInfo info;
    const unsigned char *(*get_string)(unsigned int);
    const char *name;

    if (SDL_GetRendererInfo(renderer, &info) || strncmp(info.name, "opengl", 6))
        return 0;
    get_string = (const unsigned char *(*)(unsigned int))SDL_GL_GetProcAddress("glGetString");
    if (!get_string)
        return 0;
    name = (const char *)get_string(GL_RENDERER_STRING);
    return name && (strstr(name, "llvmpipe") || strstr(name, "softpipe") ||
                    strstr(name, "Software") || strstr(name, "SWR"));
}

static void fit_to_screen(int *width, int *height)
{
    SDL_Rect bounds;

    if (SDL_GetDisplayUsableBounds(0, &bounds) || bounds.w <= 0 || bounds.h <= 0)
        return;
    if (*width > bounds.w) {
        *height = (int)av_rescale(*height, bounds.w, *width);
        *width = bounds.w;
    }
    if (*height > bounds.h) {
        *width = (int)av_rescale(*width, bounds.h, *height);
        *height = bounds.h;
    }
}

/*
 * SDL 2 ends its list of video drivers with "offscreen", which it takes when
 * every real one fails: no X server at DISPLAY, no Wayland compositor. The
 * player would then play to its end in a window nobody can see, and exit 0.
 * Only when asked for by name (SDL_VIDEODRIVER, as the tests do) is a
 * screenless driver what the user wants.
 */
static int check_screen(const FPRenderOptions *o)
{
    const char *video = SDL_GetCurrentVideoDriver();
    const char *asked = SDL_GetHint("SDL_VIDEODRIVER"); /* the hint, else the variable */
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");

    if (!video || (strcmp(video, "offscreen") && strcmp(video, "dummy")) ||
        (asked && strstr(asked, video)))
        return 0;
    if (display || wayland)
        return open_error(o, "the display %s%s%s did not accept a connection",
                          display ? display : "", display && wayland ? " / " : "",
                          wayland ? wayland : "");
    return open_error(o, "no display (DISPLAY is not set); --headless plays without one");
}

static int create_window(FPRender *r, const FPRenderOptions *o, int width, int height)
{
    r->window = SDL_CreateWindow(o->title ? o->title : "framepipe", SDL_WINDOWPOS_UNDEFINED,
                                 SDL_WINDOWPOS_UNDEFINED, width, height,
                                 SDL_WINDOW_RESIZABLE | SDL_WINDOW_HIDDEN);
    return r->window ? 0 : open_error(o, "SDL_CreateWindow: %s", SDL_GetError());
}

/*
 * Hardware OpenGL on Linux goes through a DRM device (/dev/dri) or NVIDIA's own
 * (/dev/nvidiactl). Without either, an accelerated renderer could only be Mesa's
 * software one, which choose_renderer() would create, recognise and throw away:
 * 0.2 CPU-s and a quarter of a second at every start.
 */
static int may_have_gpu(void)
{
#ifdef __linux__
    return !access("/dev/dri", F_OK) || !access("/dev/nvidiactl", F_OK);
#else
    return 1;
#endif
}

static int choose_renderer(FPRender *r, const FPRenderOptions *o, int width, int height)
{
    SDL_RendererInfo info;
    int user_choice = SDL_GetHint(SDL_HINT_RENDER_DRIVER) != NULL;
    const char *video = SDL_GetCurrentVideoDriver();
    /* With no screen behind the window (tests, headless capture) a GPU renderer gains nothing. */
    int screenless = video && (!strcmp(video, "offscreen") || !strcmp(video, "dummy"));
    int ret;

    if (!user_choice && !screenless && may_have_gpu()) {
        r->renderer = SDL_CreateRenderer(r->window, -1, SDL_RENDERER_ACCELERATED);
        if (r->renderer && is_software_gl(r->renderer)) {
            /* The window now carries an OpenGL context; start again from a plain one. */
            SDL_DestroyRenderer(r->renderer);
            r->renderer = NULL;
            SDL_DestroyWindow(r->window);
            r->window = NULL;
            ret = create_window(r, o, width, height);
            if (ret < 0)
                return ret;
        }
    }
    if (!r->renderer) {
        /* Without this the software renderer presents through OpenGL too; with it, through XShm. */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        r->renderer = SDL_CreateRenderer(r->window, -1, user_choice ? 0 : SDL_RENDERER_SOFTWARE);
    }
    if (!r->renderer)
        return open_error(o, "SDL_CreateRenderer: %s", SDL_GetError());
    if (!SDL_GetRendererInfo(r->renderer, &info))
        snprintf(r->driver, sizeof(r->driver), "%s", info.name);
    /* SDL's software renderer converts YUV as it draws, more slowly than libswscale's
     * unscaled converters into an RGB texture (README, Benchmarks). */
    r->convert_all = !strcmp(r->driver, "software");
    return 0;
}

int fp_render_open(FPRender **out, const FPRenderOptions *o)
{
    FPRender *r;
    int width, height, ret;

    *out = NULL;
    r = av_mallocz(sizeof(*r));
    if (!r || fp_osd_layer_alloc(&r->osd) < 0 || !(r->kept = av_frame_alloc())) {
        if (r)
            fp_osd_layer_free(&r->osd);
        av_free(r);
        return AVERROR(ENOMEM);
    }
    r->pointer_x = r->pointer_y = -1;
    fp_x11_forgive_wakeup_errors();
    if (SDL_InitSubSystem(SDL_INIT_VIDEO)) {
        fp_osd_layer_free(&r->osd);
        av_frame_free(&r->kept);
        av_free(r);
        return open_error(o, "SDL_Init: %s", SDL_GetError());
    }
    ret = check_screen(o);
    if (ret < 0) {
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        fp_osd_layer_free(&r->osd);
        av_frame_free(&r->kept);
        av_free(r);
        return ret;
    }
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    r->sar = o->sar;
    r->orientation = o->orientation;
    fp_display_size(o->width, o->height, o->sar, o->orientation, &width, &height);
    fit_to_screen(&width, &height);
    ret = create_window(r, o, width, height);
    if (ret >= 0)
        ret = choose_renderer(r, o, width, height);
    if (ret < 0) {
        fp_render_close(&r);
        return ret;
    }
    /* Shown only now: the renderer probe may have replaced the first window. */
    SDL_ShowWindow(r->window);
    av_log(NULL, AV_LOG_VERBOSE, "render: SDL renderer %s, window %dx%d, %s\n", r->driver, width,
           height, r->convert_all ? "pictures converted to RGB by libswscale"
                                  : "YUV pictures converted by SDL");
    *out = r;
    return 0;
}

const char *fp_render_driver(const FPRender *r)
{
    return r->driver;
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

static Uint32 texture_format_for(const FPRender *r, const AVFrame *f, int yuv_mode)
{
    if (r->convert_all)
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

static int ensure_texture(FPRender *r, Uint32 format, SDL_YUV_CONVERSION_MODE yuv_mode, int width,
                          int height)
{
    if (r->texture && r->tex_format == format && r->tex_width == width &&
        r->tex_height == height && r->tex_yuv_mode == yuv_mode)
        return 0;
    if (r->texture)
        SDL_DestroyTexture(r->texture);
    /* Renderers with shaders pick the YUV matrix when the texture is made. */
    SDL_SetYUVConversionMode(yuv_mode);
    r->texture =
        SDL_CreateTexture(r->renderer, format, SDL_TEXTUREACCESS_STREAMING, width, height);
    if (!r->texture)
        return sdl_error("SDL_CreateTexture");
    r->tex_format = format;
    r->tex_width = width;
    r->tex_height = height;
    r->tex_yuv_mode = yuv_mode;
    return 0;
}

/*
 * Converts any format libswscale reads into the ARGB8888 texture, in place in
 * its memory, with the frame's own matrix and range.
 */
static int upload_converted(FPRender *r, const AVFrame *f)
{
    void *pixels;
    int pitch;
    uint8_t *dst[4] = {NULL};
    int dst_linesize[4] = {0};

    r->sws = sws_getCachedContext(r->sws, f->width, f->height, f->format, f->width, f->height,
                                  AV_PIX_FMT_BGRA, SWS_BICUBIC, NULL, NULL, NULL);
    if (!r->sws) {
        av_log(NULL, AV_LOG_ERROR, "cannot convert %s for display\n",
               av_get_pix_fmt_name(f->format));
        return AVERROR(ENOSYS);
    }
    fp_sws_set_colorspace(r->sws, f);
    if (SDL_LockTexture(r->texture, NULL, &pixels, &pitch))
        return sdl_error("SDL_LockTexture");
    dst[0] = pixels;
    dst_linesize[0] = pitch;
    sws_scale(r->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst,
              dst_linesize);
    SDL_UnlockTexture(r->texture);
    return 0;
}

static int upload(FPRender *r, const AVFrame *f)
{
    int yuv_mode = sdl_yuv_mode_for(f);
    Uint32 format = texture_format_for(r, f, yuv_mode);
    int ret;

    if (format == SDL_PIXELFORMAT_ARGB8888)
        yuv_mode = SDL_YUV_CONVERSION_BT601; /* unused for RGB; any fixed value */
    ret = ensure_texture(r, format, yuv_mode, f->width, f->height);
    if (ret < 0)
        return ret;
    /* The software renderer converts YUV when it draws, with the mode current then. */
    SDL_SetYUVConversionMode(yuv_mode);
    switch (format) {
    case SDL_PIXELFORMAT_IYUV:
        ret = SDL_UpdateYUVTexture(r->texture, NULL, f->data[0], f->linesize[0], f->data[1],
                                   f->linesize[1], f->data[2], f->linesize[2]);
        break;
    case SDL_PIXELFORMAT_NV12:
        ret = SDL_UpdateNVTexture(r->texture, NULL, f->data[0], f->linesize[0], f->data[1],
                                  f->linesize[1]);
        break;
    default:
        return upload_converted(r, f);
    }
    return ret ? sdl_error("SDL_UpdateTexture") : 0;
}

/* The largest rectangle of the picture's display aspect ratio centred in the output. */
static void letterbox(FPRender *r, SDL_Rect *rect)
{
    int out_w, out_h, pic_w, pic_h;

    SDL_GetRendererOutputSize(r->renderer, &out_w, &out_h);
    fp_display_size(r->tex_width, r->tex_height, r->sar, r->orientation, &pic_w, &pic_h);
    rect->w = out_w;
    rect->h = (int)av_rescale(out_w, pic_h, pic_w);
    if (rect->h > out_h) {
        rect->h = out_h;
        rect->w = (int)av_rescale(out_h, pic_w, pic_h);
    }
    rect->x = (out_w - rect->w) / 2;
    rect->y = (out_h - rect->h) / 2;
}

void fp_render_picture_rect(FPRender *r, int *x, int *y, int *width, int *height)
{
    SDL_Rect rect;

    letterbox(r, &rect);
    *x = rect.x;
    *y = rect.y;
    *width = rect.w;
    *height = rect.h;
}

int fp_render_set_osd(FPRender *r, const FPOsd *osd)
{
    r->loupe = osd && osd->loupe;
    if (!r->loupe)
        av_frame_unref(r->kept);
    return fp_osd_layer_set(r->osd, osd);
}

/* Over the picture just drawn in box: the OSD, and the loupe over all. */
static void draw_over(FPRender *r, const SDL_Rect *box)
{
    FPLoupeView view = {r->renderer, r->texture, r->kept, r->orientation, *box};
    uint8_t screen[3];
    int px, py, loupe = r->loupe && r->kept->buf[0] && r->pointer_x >= 0 &&
                        fp_loupe_pixel_at(&view, r->pointer_x, r->pointer_y, &px, &py) &&
                        fp_loupe_read_screen(r->renderer, r->pointer_x, r->pointer_y, screen) >= 0;

    fp_osd_layer_draw(r->osd, r->renderer);
    if (loupe)
        fp_loupe_draw(&view, r->osd, r->pointer_x, r->pointer_y, screen);
}

static int draw(FPRender *r)
{
    SDL_Rect box, dst;
    SDL_RendererFlip flip = r->orientation.hflip ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE;

    SDL_SetRenderDrawColor(r->renderer, 0, 0, 0, 255);
    if (SDL_RenderClear(r->renderer))
        return sdl_error("SDL_RenderClear");
    if (!r->has_picture) {
        fp_osd_layer_draw(r->osd, r->renderer);
        return 0;
    }
    letterbox(r, &box);
    dst = box;
    if (r->orientation.rotation % 180) {
        /* SDL rotates about the centre: give it the upright box, turned back. */
        dst.w = box.h;
        dst.h = box.w;
        dst.x = box.x + (box.w - box.h) / 2;
        dst.y = box.y + (box.h - box.w) / 2;
    }
    SDL_SetYUVConversionMode(r->tex_yuv_mode);
    if (!r->orientation.rotation && !r->orientation.hflip) {
        if (SDL_RenderCopy(r->renderer, r->texture, NULL, &dst))
            return sdl_error("SDL_RenderCopy");
    } else if (SDL_RenderCopyEx(r->renderer, r->texture, NULL, &dst, r->orientation.rotation,
                                NULL, flip)) {
        return sdl_error("SDL_RenderCopyEx");
    }
    draw_over(r, &box);
    return 0;
}

int fp_render_show(FPRender *r, const AVFrame *frame, FPOrientation o)
{
    int ret;

    r->sar = frame->sample_aspect_ratio;
    r->orientation = o;
    if (r->loupe) {
        av_frame_unref(r->kept);
        ret = av_frame_ref(r->kept, frame);
        if (ret < 0)
            return ret;
    }
    ret = upload(r, frame);
    if (ret < 0)
        return ret;
    r->has_picture = 1;
    return fp_render_redraw(r);
}

int fp_render_redraw(FPRender *r)
{
    int ret = draw(r);

    if (ret < 0)
        return ret;
    SDL_RenderPresent(r->renderer);
    return 0;
}

static int handle_event(FPRender *r, const SDL_Event *ev, FPInput *in)
{
    memset(in, 0, sizeof(*in));
    switch (ev->type) {
    case SDL_QUIT:
        in->type = FP_INPUT_CLOSE;
        return 1;
    case SDL_KEYDOWN:
        in->type = FP_INPUT_KEY;
        in->key = ev->key.keysym.sym;
        in->repeat = ev->key.repeat;
        r->last_key = in->key;
        return 1;
    case SDL_TEXTINPUT: {
        /*
         * '#' and '*' are Shift+3 and Shift+8 on many keyboards: SDL reports the key down as
         * SDLK_3 or SDLK_8, and the symbol only as text. A keyboard with a key of its own for
         * it (or the keypad's '*') reports both, the key first: that is one key.
         */
        int sym = !strcmp(ev->text.text, "#") ? SDLK_HASH
                  : !strcmp(ev->text.text, "*") ? SDLK_ASTERISK
                                                : 0;
        int same = r->last_key == sym || (sym == SDLK_ASTERISK && r->last_key == SDLK_KP_MULTIPLY);

        r->last_key = 0;
        if (!sym || same)
            break;
        in->type = FP_INPUT_KEY;
        in->key = sym;
        return 1;
    }
    case SDL_MOUSEMOTION:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEBUTTONDOWN: {
        int redraw, ret = fp_osd_layer_pointer(r->osd, r->renderer, ev, in, &redraw);

        if (ev->type == SDL_MOUSEMOTION) {
            fp_osd_output_point(r->renderer, ev->motion.x, ev->motion.y, &r->pointer_x,
                                &r->pointer_y);
            redraw |= r->loupe;
        }
        if (redraw)
            fp_render_redraw(r);
        if (ret || ev->type != SDL_MOUSEBUTTONDOWN)
            return ret;
        /* Every double-click counts: SDL counts quick clicks on as 3, 4, ... */
        if (ev->button.button != SDL_BUTTON_LEFT || ev->button.clicks % 2)
            break;
        in->type = FP_INPUT_DOUBLE_CLICK;
        return 1;
    }
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_LEAVE)
            r->pointer_x = r->pointer_y = -1;
        if (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
            ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            (ev->window.event == SDL_WINDOWEVENT_LEAVE && r->loupe))
            fp_render_redraw(r);
        break;
    }
    return 0;
}

int fp_render_poll(FPRender *r, int timeout_ms, FPInput *input)
{
    SDL_Event ev;

    if (fp_osd_layer_expired(r->osd))
        fp_render_redraw(r);
    if (timeout_ms > 0 && SDL_WaitEventTimeout(&ev, timeout_ms) && handle_event(r, &ev, input))
        return 1;
    while (SDL_PollEvent(&ev))
        if (handle_event(r, &ev, input))
            return 1;
    return 0;
}

void fp_render_toggle_fullscreen(FPRender *r)
{
    Uint32 flags = SDL_GetWindowFlags(r->window);

    SDL_SetWindowFullscreen(r->window,
                            flags & SDL_WINDOW_FULLSCREEN ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
    fp_render_redraw(r);
}

void fp_render_set_title(FPRender *r, const char *title)
{
    SDL_SetWindowTitle(r->window, title);
}

int fp_render_read_pixels(FPRender *r, uint8_t **rgb, int *width, int *height)
{
    int ret;

    *rgb = NULL;
    if (SDL_GetRendererOutputSize(r->renderer, width, height))
        return sdl_error("SDL_GetRendererOutputSize");
    ret = draw(r);
    if (ret < 0)
        return ret;
    *rgb = av_malloc((size_t)*width * *height * 3);
    if (!*rgb)
        return AVERROR(ENOMEM);
    if (SDL_RenderReadPixels(r->renderer, NULL, SDL_PIXELFORMAT_RGB24, *rgb, *width * 3)) {
        av_freep(rgb);
        return sdl_error("SDL_RenderReadPixels");
    }
    return 0;
}

void fp_render_close(FPRender **pr)
{
    FPRender *r = *pr;

    if (!r)
        return;
    sws_freeContext(r->sws);
    fp_osd_layer_free(&r->osd);
    av_frame_free(&r->kept);
    if (r->texture)
        SDL_DestroyTexture(r->texture);
    if (r->renderer)
        SDL_DestroyRenderer(r->renderer);
    if (r->window)
        SDL_DestroyWindow(r->window);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    av_freep(pr);
}
