/*
 * Internal: the SDL window. Everything here must run on the thread that
 * called fp_render_open(), which framepipe makes the process's main thread:
 * SDL2 wants its video and render calls on the thread that initialised video.
 *
 * The renderer only reads frames; the caller keeps its own reference to every
 * frame it shows. A GPU renderer uploads the pixels into a texture and keeps
 * no reference. The software renderer keeps one more reference (av_frame_ref,
 * a shared buffer) to the frame on screen, converted straight into the window
 * surface on each draw; it drops it when the next frame is shown and at
 * fp_render_close().
 */
#ifndef FRAMEPIPE_SRC_RENDER_SDL_H
#define FRAMEPIPE_SRC_RENDER_SDL_H

#include <stdint.h>

#include <libavutil/frame.h>
#include <libavutil/rational.h>

#include "framepipe/video_sink.h"
#include "picture.h"

typedef struct FPRender FPRender;


typedef struct FPRenderOptions {
    const char *title;
    int width, height;        /* the coded picture size of the first frame */
    AVRational sar;           /* its sample aspect ratio; 0/1 when unknown */
    FPOrientation orientation; /* its rotation and flip on display */
    char *error;               /* if set, why opening failed, in one line of error_size bytes */
    size_t error_size;
} FPRenderOptions;

/**
 * Initialise SDL video, open the window at the picture's display size (shrunk
 * to fit the screen) and choose a renderer: an accelerated one when SDL has a
 * real GPU behind it, otherwise SDL's software renderer writing to an X
 * shared-memory image, which costs a third of Mesa's software OpenGL.
 * SDL_RENDER_DRIVER overrides the choice.
 *
 * A screenless driver (SDL_VIDEODRIVER=offscreen or dummy) is used only when
 * asked for by name: SDL falls back to one when no display accepts it, and a
 * window nobody sees is refused instead.
 *
 * @return 0; AVERROR_EXTERNAL when no window can be opened (the reason is
 *         logged and written to opts->error), AVERROR(ENOMEM).
 */
int fp_render_open(FPRender **r, const FPRenderOptions *opts);

/**
 * Upload frame (read only, not referenced after the call) and present it as
 * it is meant to look: its colour matrix and range, its sample aspect ratio,
 * rotated and flipped by o, letterboxed in black. YUV420P and NV12 go to SDL
 * directly when SDL has the frame's conversion (BT.601 limited or full range,
 * BT.709 limited); everything else is converted by libswscale with the
 * frame's matrix and range. Pixels with alpha are shown over black.
 *
 * @return 0; AVERROR(ENOMEM); AVERROR(ENOSYS) for a format libswscale cannot
 *         read; AVERROR_EXTERNAL when SDL fails.
 */
int fp_render_show(FPRender *r, const AVFrame *frame, FPOrientation o);

/** Present the last uploaded picture again (after an expose or a resize). */
int fp_render_redraw(FPRender *r);

/**
 * Handle window events for at most timeout_ms (0: only what is pending) until
 * a person does something the player should hear of: a key, a double-click,
 * a press on the timeline and its drags, the window's close button. What it means is not decided here (the program's
 * key table does that). Expose and resize events are handled here (a redraw).
 *
 * @return 1 with *input filled; 0 when nothing happened.
 */
int fp_render_poll(FPRender *r, int timeout_ms, FPInput *input);

/**
 * Draw osd over the picture from the next redraw on (NULL: nothing); see
 * osd_sdl.h. osd is copied.
 * @return 0; AVERROR(ENOMEM).
 */
int fp_render_set_osd(FPRender *r, const FPOsd *osd);

/** Switch between a window and the whole screen. */
void fp_render_toggle_fullscreen(FPRender *r);

/** Set the window title (UTF-8). */
void fp_render_set_title(FPRender *r, const char *title);

/**
 * Draw the last uploaded picture and read the output back as packed RGB24.
 *
 * @param rgb     Receives an av_malloc()ed buffer the caller must av_free().
 * @param width   Receives the output width; height likewise; stride is width * 3.
 * @return 0; AVERROR(ENOMEM); AVERROR_EXTERNAL.
 */
int fp_render_read_pixels(FPRender *r, uint8_t **rgb, int *width, int *height);

/**
 * The rectangle of the output the picture occupies (before rotation it is
 * what the rotation turns into place), for tests and screenshots.
 */
void fp_render_picture_rect(FPRender *r, int *x, int *y, int *width, int *height);

/** Name of the SDL renderer in use, e.g. "software" or "opengl". */
const char *fp_render_driver(const FPRender *r);

/** Close the window and shut SDL video down. r is set to NULL; NULL is accepted. */
void fp_render_close(FPRender **r);

/**
 * The window as an FPVideoSink: its open() opens the window at the format's
 * display size (480x270 for sound alone, which shows black). All its
 * functions run on the thread that called open().
 *
 * @return 0; AVERROR(ENOMEM).
 */
int fp_window_sink_alloc(FPVideoSink **sink);

/** Close the window, if open, and free the sink. *sink is set to NULL; NULL is accepted. */
void fp_window_sink_free(FPVideoSink **sink);

#endif /* FRAMEPIPE_SRC_RENDER_SDL_H */
