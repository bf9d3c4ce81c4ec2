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
#include "picture_sdl.h"
#include "render_sdl.h"
#include "x11_errors.h"

struct FPRender {
    SDL_Window *window;
    SDL_Renderer *renderer;
    FPPictureTexture tex;
    char driver[32];
    /* How the picture is shown. */
    AVRational sar;
    FPOrientation orientation;
    int has_picture;
    /*
     * The software renderer draws into the window's surface, and libswscale
     * can too: an upright picture goes straight there, converted and scaled
     * to its box, and the OSD is drawn over it (draw_direct()). The texture
     * is filled only for what SDL must draw: a rotated or mirrored picture,
     * and the loupe's magnified square.
     */
    struct SwsContext *sws_direct;
    int pic_width, pic_height; /* the picture shown, for the letterbox */
    int texture_stale;         /* kept is newer than the texture */
    int last_key; /* the last key down (SDL_Keycode): its text may be the same key again */
    FPOsdLayer *osd; /* what is drawn over the picture */
    /*
     * A reference to the frame shown: while the loupe is on, for its values,
     * and on the software renderer always, to draw it again on a redraw. It
     * is let go when the next frame comes, the loupe goes off, or at close.
     */
    int loupe;
    AVFrame *kept;
    int pointer_x, pointer_y; /* in the output; -1 when the pointer is not in the window */
};

#define GL_RENDERER_STRING 0x1F01

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
    /* SDL's software renderer converts YUV as it draws, more slowly than libswscale, which
     * also writes straight into the window surface it draws on (README, Benchmarks). */
    r->tex.convert_all = !strcmp(r->driver, "software");
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
        fp_render_close(&r); /* video is initialised: close quits it */
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
           height,
           r->tex.convert_all ? "pictures converted and scaled by libswscale straight into the "
                                "window (through a texture when turned or under the loupe)"
                              : "YUV pictures converted by SDL");
    *out = r;
    return 0;
}

const char *fp_render_driver(const FPRender *r)
{
    return r->driver;
}

/* The largest rectangle of the picture's display aspect ratio centred in the output. */
static void letterbox(FPRender *r, SDL_Rect *rect)
{
    int out_w, out_h, pic_w, pic_h;

    SDL_GetRendererOutputSize(r->renderer, &out_w, &out_h);
    fp_display_size(r->pic_width, r->pic_height, r->sar, r->orientation, &pic_w, &pic_h);
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
    if (!r->loupe && !r->tex.convert_all)
        av_frame_unref(r->kept);
    return fp_osd_layer_set(r->osd, osd);
}

/* Over the picture just drawn in box: the OSD, and the loupe over all. */
static void draw_over(FPRender *r, const SDL_Rect *box)
{
    FPLoupeView view = {r->renderer, r->tex.texture, r->kept, r->orientation, *box};
    uint8_t screen[3];
    int px, py, loupe = r->loupe && r->kept->buf[0] && r->pointer_x >= 0 &&
                        fp_loupe_pixel_at(&view, r->pointer_x, r->pointer_y, &px, &py) &&
                        fp_loupe_read_screen(r->renderer, r->pointer_x, r->pointer_y, screen) >= 0;

    fp_osd_layer_draw(r->osd, r->renderer);
    if (loupe)
        fp_loupe_draw(&view, r->osd, r->pointer_x, r->pointer_y, screen);
}

/*
 * The picture straight into the window's surface, converted and scaled into
 * its letterbox by libswscale, the bars around it black; then the OSD, which
 * the renderer draws over it when it presents. Returns 1 when drawn, 0 when
 * the surface does not suit (draw() then takes the texture path).
 */
static int draw_direct(FPRender *r)
{
    SDL_Rect box;

    letterbox(r, &box);
    if (!fp_picture_to_surface(SDL_GetWindowSurface(r->window), &r->sws_direct, r->kept, &box))
        return 0;
    draw_over(r, &box);
    return 1;
}

static int draw(FPRender *r)
{
    SDL_Rect box, dst;
    SDL_RendererFlip flip = r->orientation.hflip ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE;
    int ret;

    if (r->has_picture && r->tex.convert_all) {
        if (!r->loupe && !r->orientation.rotation && !r->orientation.hflip && draw_direct(r))
            return 0;
        if (r->texture_stale) {
            ret = fp_picture_texture_upload(&r->tex, r->renderer, r->kept);
            if (ret < 0)
                return ret;
            r->texture_stale = 0;
        }
    }
    SDL_SetRenderDrawColor(r->renderer, 0, 0, 0, 255);
    if (SDL_RenderClear(r->renderer))
        return fp_sdl_error("SDL_RenderClear");
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
    SDL_SetYUVConversionMode(r->tex.yuv_mode);
    if (!r->orientation.rotation && !r->orientation.hflip) {
        if (SDL_RenderCopy(r->renderer, r->tex.texture, NULL, &dst))
            return fp_sdl_error("SDL_RenderCopy");
    } else if (SDL_RenderCopyEx(r->renderer, r->tex.texture, NULL, &dst, r->orientation.rotation,
                                NULL, flip)) {
        return fp_sdl_error("SDL_RenderCopyEx");
    }
    draw_over(r, &box);
    return 0;
}

int fp_render_show(FPRender *r, const AVFrame *frame, FPOrientation o)
{
    int ret;

    r->sar = frame->sample_aspect_ratio;
    r->orientation = o;
    if (r->loupe || r->tex.convert_all) {
        av_frame_unref(r->kept);
        ret = av_frame_ref(r->kept, frame);
        if (ret < 0)
            return ret;
    }
    if (r->tex.convert_all) {
        /* Converted when drawn: straight into the window, or into the texture if need be. */
        r->texture_stale = 1;
    } else {
        ret = fp_picture_texture_upload(&r->tex, r->renderer, frame);
        if (ret < 0)
            return ret;
    }
    r->pic_width = frame->width;
    r->pic_height = frame->height;
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
        return fp_sdl_error("SDL_GetRendererOutputSize");
    ret = draw(r);
    if (ret < 0)
        return ret;
    *rgb = av_malloc((size_t)*width * *height * 3);
    if (!*rgb)
        return AVERROR(ENOMEM);
    if (SDL_RenderReadPixels(r->renderer, NULL, SDL_PIXELFORMAT_RGB24, *rgb, *width * 3)) {
        av_freep(rgb);
        return fp_sdl_error("SDL_RenderReadPixels");
    }
    return 0;
}

void fp_render_close(FPRender **pr)
{
    FPRender *r = *pr;

    if (!r)
        return;
    fp_picture_texture_uninit(&r->tex);
    sws_freeContext(r->sws_direct);
    fp_osd_layer_free(&r->osd);
    av_frame_free(&r->kept);
    if (r->renderer)
        SDL_DestroyRenderer(r->renderer);
    if (r->window)
        SDL_DestroyWindow(r->window);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    av_freep(pr);
}
