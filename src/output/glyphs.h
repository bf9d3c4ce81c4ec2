/*
 * Internal: lines of text from glyphs rendered once.
 *
 * The on-screen display changes some of its text with every frame (the frame
 * number, the time), and SDL_ttf renders a whole line each time it is asked,
 * anti-aliasing every glyph again. FPGlyphs keeps each printable ASCII glyph
 * of one font, rendered the first time it is needed, and lays a line out by
 * copying them side by side. A line with any other character (a file name in
 * UTF-8) is rendered by SDL_ttf whole, as before. Kerning is not applied: the
 * display's font is monospaced, where it changes nothing.
 *
 * The cache belongs to one font at one size: fp_glyphs_reset() when the font
 * changes. All of it runs on the window's thread.
 */
#ifndef FRAMEPIPE_SRC_GLYPHS_H
#define FRAMEPIPE_SRC_GLYPHS_H

#include <SDL.h>
#include <SDL_ttf.h>

typedef struct FPGlyphs FPGlyphs;

int fp_glyphs_alloc(FPGlyphs **glyphs);

/* Forgets every glyph rendered so far. */
void fp_glyphs_reset(FPGlyphs *glyphs);

/* The width in pixels that fp_glyphs_blit() gives line (no newlines in it). */
int fp_glyphs_width(FPGlyphs *glyphs, TTF_Font *font, const char *line);

/*
 * text (lines split at '\n') with its lines broken to be at most max_w pixels wide.
 * A line too wide has its runs of spaces closed up to two first; then it is broken after a
 * space or a comma where there is one, and the rest indented by two spaces; a word wider
 * than max_w is broken where it must be. Lines in UTF-8 are left whole. Returns a new
 * string (av_free() it), or NULL when out of memory.
 */
char *fp_glyphs_wrap(FPGlyphs *glyphs, TTF_Font *font, const char *text, int max_w);

/* Draws line, white, blended over dst with its top left corner at x, y. */
void fp_glyphs_blit(FPGlyphs *glyphs, TTF_Font *font, const char *line, SDL_Surface *dst, int x,
                    int y);

void fp_glyphs_free(FPGlyphs **glyphs);

#endif /* FRAMEPIPE_SRC_GLYPHS_H */
