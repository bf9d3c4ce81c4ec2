/*
 * Internal: the on-screen display of the SDL window, drawn over the picture
 * (src/output/render_sdl.c draws the picture, then this layer).
 *
 * It draws what an FPOsd describes (include/framepipe/video_sink.h): a text
 * panel at the top left, a message at the top right, and the timeline along
 * the bottom edge. Text is rendered with SDL_ttf into a texture once per
 * change of text or size; the timeline's bar graph likewise once per change
 * of its bars or of the window's width. Each redraw only copies those
 * textures and fills a few rectangles (the playhead, the history's span).
 *
 * The layer also reads the pointer: it shows the timeline while the pointer
 * is near the bottom edge (for 1.5 s after it last moved there), and turns a
 * press on the timeline, the drags that follow it and the release into
 * FP_INPUT_TIMELINE inputs.
 *
 * Sizes follow the window: the font is 1/32 of the output's height (from 12
 * to 40 pixels), the timeline 1/12 (from 28 to 96).
 *
 * All of it runs on the window's thread, with the renderer given at each call.
 */
#ifndef FRAMEPIPE_SRC_OSD_SDL_H
#define FRAMEPIPE_SRC_OSD_SDL_H

#include <SDL.h>

#include "framepipe/video_sink.h"

typedef struct FPOsdLayer FPOsdLayer;

/** @return 0; AVERROR(ENOMEM). */
int fp_osd_layer_alloc(FPOsdLayer **layer);

/** Free the layer and its textures: call it before the renderer is destroyed. NULL is accepted. */
void fp_osd_layer_free(FPOsdLayer **layer);

/**
 * Keep a copy of osd (NULL: draw nothing) for the next draws.
 * @return 0; AVERROR(ENOMEM).
 */
int fp_osd_layer_set(FPOsdLayer *layer, const FPOsd *osd);

/**
 * Draw over what the renderer holds. Text is not drawn when no font can be
 * loaded (DejaVu Sans Mono from fonts-dejavu-core, or $FRAMEPIPE_FONT): that
 * is said once, at warning level; the rest is drawn.
 */
void fp_osd_layer_draw(FPOsdLayer *layer, SDL_Renderer *renderer);

/**
 * Set the note's text (lines split at '\n'), the loupe's values, and give the
 * size of its box as fp_osd_layer_draw_note() will draw it, in the OSD's font
 * and size, its lines broken to fit the output's width (shrunk only where a
 * word is wider). The texture is made again only when the text or the width
 * changes. Returns 0, or a negative AVERROR when there is no font.
 */
int fp_osd_layer_note_size(FPOsdLayer *layer, SDL_Renderer *renderer, const char *text, int *w,
                           int *h);

/**
 * Draw the note set by fp_osd_layer_note_size() with its top left corner at
 * x, y, moved inside the output when it would stick out.
 */
void fp_osd_layer_draw_note(FPOsdLayer *layer, SDL_Renderer *renderer, int x, int y);

/**
 * Look at a pointer event (motion, button down or up) of the window the
 * renderer draws into.
 *
 * @param redraw  Set to 1 when what the layer shows changed: the caller redraws.
 * @return 1 with *input filled (FP_INPUT_TIMELINE); 0 otherwise.
 */
int fp_osd_layer_pointer(FPOsdLayer *layer, SDL_Renderer *renderer, const SDL_Event *ev,
                         FPInput *input, int *redraw);

/** Window point wx, wy in the renderer's output, which may have more pixels than the window. */
void fp_osd_output_point(SDL_Renderer *renderer, int wx, int wy, int *x, int *y);

/**
 * @return 1 when the layer must be redrawn because time passed (the timeline
 *         hides after the pointer left it); 0 otherwise. Call it at every poll.
 */
int fp_osd_layer_expired(FPOsdLayer *layer);

#endif /* FRAMEPIPE_SRC_OSD_SDL_H */
