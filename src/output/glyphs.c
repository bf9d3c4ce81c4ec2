#include <string.h>

#include <libavutil/bprint.h>
#include <libavutil/common.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "glyphs.h"

#define FIRST ' '
#define LAST '~'

struct FPGlyphs {
    SDL_Surface *glyph[LAST - FIRST + 1]; /* NULL until first needed */
    int failed[LAST - FIRST + 1];         /* SDL_ttf could not render it: drawn as nothing */
};

static const SDL_Color white = {255, 255, 255, 255};

int fp_glyphs_alloc(FPGlyphs **glyphs)
{
    *glyphs = av_mallocz(sizeof(**glyphs));
    return *glyphs ? 0 : AVERROR(ENOMEM);
}

void fp_glyphs_reset(FPGlyphs *g)
{
    for (int i = 0; i <= LAST - FIRST; i++) {
        SDL_FreeSurface(g->glyph[i]);
        g->glyph[i] = NULL;
        g->failed[i] = 0;
    }
}

static int all_cached_kind(const char *line)
{
    for (const unsigned char *c = (const unsigned char *)line; *c; c++)
        if (*c < FIRST || *c > LAST)
            return 0;
    return 1;
}

static SDL_Surface *glyph(FPGlyphs *g, TTF_Font *font, char c)
{
    int i = c - FIRST;

    if (!g->glyph[i] && !g->failed[i]) {
        g->glyph[i] = TTF_RenderGlyph_Blended(font, (Uint16)c, white);
        g->failed[i] = !g->glyph[i];
        if (g->glyph[i])
            SDL_SetSurfaceBlendMode(g->glyph[i], SDL_BLENDMODE_BLEND);
    }
    return g->glyph[i];
}

int fp_glyphs_width(FPGlyphs *g, TTF_Font *font, const char *line)
{
    int w = 0;

    if (!all_cached_kind(line)) {
        TTF_SizeUTF8(font, line, &w, NULL);
        return w;
    }
    for (const char *c = line; *c; c++) {
        SDL_Surface *s = glyph(g, font, *c);
        w += s ? s->w : 0;
    }
    return w;
}

char *fp_glyphs_wrap(FPGlyphs *g, TTF_Font *font, const char *text, int max_w)
{
    AVBPrint out;
    char *copy = av_strdup(text), *line, *save = NULL, *ret;

    if (!copy)
        return NULL;
    av_bprint_init(&out, 0, AV_BPRINT_SIZE_UNLIMITED);
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int indent = 0;

        /* Lines that fit as they are, and lines in UTF-8 (not cut inside a character). */
        if (fp_glyphs_width(g, font, line) <= max_w || !all_cached_kind(line)) {
            av_bprintf(&out, "%s\n", line);
            continue;
        }
        /* Columns padded with spaces (trace_headers' lines) closed up to two spaces first. */
        for (char *from = line, *to = line; ; from++) {
            if (*from == ' ' && to - line >= 2 && to[-1] == ' ' && to[-2] == ' ')
                continue;
            if (!(*to++ = *from))
                break;
        }
        for (;;) {
            size_t len = strlen(line), fit = 0, cut = 0;
            int w = indent;

            /* The longest start of the line that fits, and its last break. */
            for (SDL_Surface *s; fit < len; fit++) {
                w += (s = glyph(g, font, line[fit])) ? s->w : 0;
                if (w > max_w)
                    break;
                if (line[fit] == ' ' || line[fit] == ',')
                    cut = fit + 1;
            }
            if (fit == len || max_w <= 0) {
                av_bprintf(&out, "%*s%s\n", indent ? 2 : 0, "", line);
                break;
            }
            if (!cut)
                cut = FFMAX(fit, 1);
            av_bprintf(&out, "%*s%.*s\n", indent ? 2 : 0, "", (int)cut, line);
            line += cut;
            while (*line == ' ')
                line++;
            if (!*line)
                break;
            indent = fp_glyphs_width(g, font, "  ");
        }
    }
    av_free(copy);
    if (out.len)
        out.str[--out.len] = '\0'; /* the last newline */
    if (av_bprint_finalize(&out, &ret) < 0)
        return NULL;
    return ret;
}

void fp_glyphs_blit(FPGlyphs *g, TTF_Font *font, const char *line, SDL_Surface *dst, int x, int y)
{
    if (!all_cached_kind(line)) {
        SDL_Surface *s = TTF_RenderUTF8_Blended(font, line, white);

        if (s) {
            SDL_Rect at = {x, y, s->w, s->h};
            SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_BLEND);
            SDL_BlitSurface(s, NULL, dst, &at);
            SDL_FreeSurface(s);
        }
        return;
    }
    for (const char *c = line; *c; c++) {
        SDL_Surface *s = glyph(g, font, *c);

        if (s) {
            SDL_Rect at = {x, y, s->w, s->h};
            if (*c != ' ')
                SDL_BlitSurface(s, NULL, dst, &at);
            x += s->w;
        }
    }
}

void fp_glyphs_free(FPGlyphs **pg)
{
    if (!*pg)
        return;
    fp_glyphs_reset(*pg);
    av_freep(pg);
}
