/*
 * The SDL window (render_sdl.c) behind the FPVideoSink interface: what the
 * player core sees of it.
 */
#include <libavutil/avstring.h>
#include <libavutil/mem.h>

#include "render_sdl.h"

/* A window for sound alone: black, with room for its title. */
#define SOUND_WIDTH 480
#define SOUND_HEIGHT 270

typedef struct WindowSink {
    FPVideoSink sink;
    FPRender *render;
} WindowSink;

static FPRender *render_of(FPVideoSink *s)
{
    return ((WindowSink *)s->priv)->render;
}

static int window_open(FPVideoSink *s, const FPVideoFormat *fmt)
{
    WindowSink *w = s->priv;
    FPRenderOptions ro = {
        .title = av_basename(fmt->name),
        .width = fmt->has_video && fmt->width > 0 ? fmt->width : SOUND_WIDTH,
        .height = fmt->has_video && fmt->height > 0 ? fmt->height : SOUND_HEIGHT,
        .sar = fmt->has_video ? fmt->sar : (AVRational){1, 1},
        .orientation = fmt->orientation,
        .error = fmt->error,
        .error_size = fmt->error_size,
    };

    fp_render_close(&w->render);
    return fp_render_open(&w->render, &ro);
}

static int window_show(FPVideoSink *s, const AVFrame *frame, FPOrientation o)
{
    return fp_render_show(render_of(s), frame, o);
}

static int window_redraw(FPVideoSink *s)
{
    return fp_render_redraw(render_of(s));
}

static int window_poll(FPVideoSink *s, int timeout_ms, FPInput *input)
{
    return fp_render_poll(render_of(s), timeout_ms, input);
}

static void window_set_title(FPVideoSink *s, const char *title)
{
    fp_render_set_title(render_of(s), title);
}

static int window_set_osd(FPVideoSink *s, const FPOsd *osd)
{
    return fp_render_set_osd(render_of(s), osd);
}

static void window_toggle_fullscreen(FPVideoSink *s)
{
    fp_render_toggle_fullscreen(render_of(s));
}

static int window_read(FPVideoSink *s, uint8_t **rgb, int *width, int *height)
{
    return fp_render_read_pixels(render_of(s), rgb, width, height);
}

static const char *window_driver(FPVideoSink *s)
{
    return fp_render_driver(render_of(s));
}

int fp_window_sink_alloc(FPVideoSink **out)
{
    WindowSink *w = av_mallocz(sizeof(*w));

    *out = NULL;
    if (!w)
        return AVERROR(ENOMEM);
    w->sink = (FPVideoSink){
        .name = "window",
        .priv = w,
        .open = window_open,
        .show = window_show,
        .redraw = window_redraw,
        .poll = window_poll,
        .set_title = window_set_title,
        .set_osd = window_set_osd,
        .toggle_fullscreen = window_toggle_fullscreen,
        .read_window = window_read,
        .driver = window_driver,
    };
    *out = &w->sink;
    return 0;
}

void fp_window_sink_free(FPVideoSink **s)
{
    WindowSink *w;

    if (!*s)
        return;
    w = (*s)->priv;
    fp_render_close(&w->render);
    av_freep(&w);
    *s = NULL;
}
