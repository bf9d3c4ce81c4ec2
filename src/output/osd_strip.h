/*
 * Internal: the GOP strip of the on-screen display (osd_sdl.c): a box per
 * frame of the GOP in display order, in its picture type's colour, with its
 * type and display number over its decode number; the frame on screen framed
 * in white. The boxes are rendered into a texture once per GOP (and per font
 * size and window width); stepping within the GOP only moves the frame.
 */
#ifndef FRAMEPIPE_SRC_OSD_STRIP_H
#define FRAMEPIPE_SRC_OSD_STRIP_H

#include <SDL.h>
#include <SDL_ttf.h>

#include "framepipe/video_sink.h"
#include "glyphs.h"

typedef struct FPOsdStrip FPOsdStrip;

/** The colour of a picture type: I (and K) red, P green, B blue, else grey. */
SDL_Color fp_osd_type_colour(char type);

/**
 * Keep a copy of the nb frames of gop (NULL or 0: no strip; *s is freed).
 * *s is allocated on first use. @return 0; AVERROR(ENOMEM).
 */
int fp_osd_strip_set(FPOsdStrip **s, const FPOsdGopFrame *gop, int nb);

/** 1 when there is a strip to draw. */
int fp_osd_strip_shown(const FPOsdStrip *s);

/**
 * Draw the strip with its bottom edge margin above bottom, at most out_w less
 * two margins wide (as many frames around the one on screen as fit; shrunk
 * below that), in font at font_px, its glyphs from glyphs (the cache of that
 * font); on an opaque box where opaque is set (copied without blending). NULL
 * draws nothing.
 */
void fp_osd_strip_draw(FPOsdStrip *s, SDL_Renderer *renderer, TTF_Font *font, FPGlyphs *glyphs,
                       int font_px, int opaque, int out_w, int bottom, int margin);

/** Free the strip and its texture (before the renderer goes). *s is set to NULL. */
void fp_osd_strip_free(FPOsdStrip **s);

#endif /* FRAMEPIPE_SRC_OSD_STRIP_H */
