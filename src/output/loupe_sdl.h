/*
 * Internal: the pixel loupe of the SDL window. Under the pointer it draws the
 * picture around the pixel there magnified, nearest neighbour, with that
 * pixel framed, and next to it the pixel's values: as decoded (the code
 * values of its planes, from src/output/pixel.h) and as they reach the
 * screen (read back from what the renderer drew, before anything is drawn
 * over it).
 */
#ifndef FRAMEPIPE_SRC_LOUPE_SDL_H
#define FRAMEPIPE_SRC_LOUPE_SDL_H

#include <SDL.h>
#include <libavutil/frame.h>

#include "framepipe/video_sink.h"
#include "osd_sdl.h"

/** What the loupe looks at: the picture as the window draws it. */
typedef struct FPLoupeView {
    SDL_Renderer *renderer;
    SDL_Texture *texture;      /**< the picture, at the frame's coded size */
    const AVFrame *frame;      /**< the frame in it, read only */
    FPOrientation orientation; /**< as drawn */
    SDL_Rect box;              /**< where the picture lies in the output, turned */
} FPLoupeView;

/**
 * The pixel of the frame under output point x, y, undoing the letterbox, the
 * rotation and the flip.
 * @return 1 with *px, *py set; 0 when the point is not on the picture.
 */
int fp_loupe_pixel_at(const FPLoupeView *v, int x, int y, int *px, int *py);

/**
 * Read back the colour the renderer holds at output point x, y, as 8-bit
 * R, G, B. Call it after the picture is drawn and before anything over it.
 * @return 0; a negative AVERROR when SDL cannot read it.
 */
int fp_loupe_read_screen(SDL_Renderer *renderer, int x, int y, uint8_t rgb[3]);

/**
 * Draw the loupe for the pointer at output point x, y; screen is the colour
 * fp_loupe_read_screen() read there. Nothing is drawn when the point is not
 * on the picture.
 */
void fp_loupe_draw(const FPLoupeView *v, FPOsdLayer *osd, int x, int y, const uint8_t screen[3]);

#endif /* FRAMEPIPE_SRC_LOUPE_SDL_H */
