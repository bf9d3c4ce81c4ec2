#include <stdio.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include <libavutil/common.h>
#include <libavutil/error.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>

#include "osd_strip.h"

#define BOX_ALPHA 176

struct FPOsdStrip {
    FPOsdGopFrame *gop;   /* our copy of the frames */
    int nb_gop;
    int gop_current;      /* the frame on screen among them: framed at each draw, not baked in */
    SDL_Texture *strip;   /* the boxes as drawn */
    int strip_w, strip_h, strip_px, strip_out_w, strip_stale, strip_opaque;
    int strip_first, strip_count, strip_box_w, strip_pad, strip_line_h; /* where they lie */
};

void fp_osd_strip_free(FPOsdStrip **ps)
{
    FPOsdStrip *s = *ps;

    if (!s)
        return;
    if (s->strip)
        SDL_DestroyTexture(s->strip);
    av_freep(&s->gop);
    av_freep(ps);
}

int fp_osd_strip_shown(const FPOsdStrip *s)
{
    return s && s->nb_gop;
}

int fp_osd_strip_set(FPOsdStrip **ps, const FPOsdGopFrame *gop, int nb)
{
    FPOsdStrip *l = *ps;
    int same;

    if (!gop || nb <= 0) {
        fp_osd_strip_free(ps);
        return 0;
    }
    if (!l && !(l = *ps = av_mallocz(sizeof(*l))))
        return AVERROR(ENOMEM);
    /* The same frames with another one on screen: only the frame around it moves. */
    same = nb == l->nb_gop && l->gop;
    for (int i = 0; same && i < nb; i++)
        same = gop[i].display == l->gop[i].display && gop[i].decode == l->gop[i].decode &&
               gop[i].type == l->gop[i].type;
    if (!same) {
        av_freep(&l->gop);
        l->nb_gop = 0;
        l->gop = av_memdup(gop, sizeof(*gop) * nb);
        if (!l->gop)
            return AVERROR(ENOMEM);
        l->nb_gop = nb;
        l->strip_stale = 1;
    }
    l->gop_current = -1;
    for (int i = 0; i < nb; i++)
        if (gop[i].current)
            l->gop_current = i;
    return 0;
}

SDL_Color fp_osd_type_colour(char type)
{
    switch (type) {
    case 'I':
    case 'K': return (SDL_Color){232, 84, 72, 255};
    case 'P': return (SDL_Color){86, 196, 96, 255};
    case 'B': return (SDL_Color){92, 148, 240, 255};
    default: return (SDL_Color){176, 176, 176, 255};
    }
}

/*
 * The GOP strip: a caption, then a box per frame in display order, in the
 * colour of its type, with its type and display number over its decode
 * number; the frame on screen framed in white. As many frames as fit in
 * out_w at full size, those around the frame on screen.
 */
static void strip_render(FPOsdStrip *l, SDL_Renderer *renderer, TTF_Font *font,
                         FPGlyphs *glyphs, int font_px, int out_w)
{
    static const char caption[] = "GOP in display order; d: decode order";
    int line_h = TTF_FontLineSkip(font), pad = FFMAX(2, font_px / 4), box_w = 0, w, h;
    int first = 0, count = l->nb_gop, fit, current = 0;
    char top[32], bottom[32];
    SDL_Surface *s;

    if (l->strip)
        SDL_DestroyTexture(l->strip);
    l->strip = NULL;
    l->strip_stale = 0;
    l->strip_px = font_px;
    l->strip_out_w = out_w;
    current = FFMAX(l->gop_current, 0);
    for (int i = 0; i < l->nb_gop; i++) {
        snprintf(top, sizeof(top), "%c%lld", l->gop[i].type, (long long)l->gop[i].display);
        snprintf(bottom, sizeof(bottom), "d%lld", (long long)l->gop[i].decode);
        box_w = FFMAX(box_w, FFMAX(fp_glyphs_width(glyphs, font, top),
                                   fp_glyphs_width(glyphs, font, bottom)) + 2 * pad);
    }
    fit = FFMAX((out_w - 2 * pad) / (box_w + pad), 1);
    if (count > fit) {
        first = av_clip(current - fit / 2, 0, count - fit);
        count = fit;
    }
    w = fp_glyphs_width(glyphs, font, caption);
    w = FFMAX(w, count * (box_w + pad) - pad) + 2 * pad;
    h = line_h + 2 * line_h + 2 * pad + 2 * pad;
    s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return;
    SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 0, 0, 0, l->strip_opaque ? 255 : BOX_ALPHA));
    fp_glyphs_blit(glyphs, font, caption, s, pad, pad);
    for (int i = 0; i < count; i++) {
        const FPOsdGopFrame *g = &l->gop[first + i];
        SDL_Color c = fp_osd_type_colour(g->type);
        SDL_Rect box = {pad + i * (box_w + pad), pad + line_h, box_w, 2 * line_h + 2 * pad};
        SDL_Rect inner = {box.x + 2, box.y + 2, box.w - 4, box.h - 4};

        SDL_FillRect(s, &box, SDL_MapRGBA(s->format, c.r, c.g, c.b, 255));
        SDL_FillRect(s, &inner, SDL_MapRGBA(s->format, c.r / 2, c.g / 2, c.b / 2, 255));
        snprintf(top, sizeof(top), "%c%lld", g->type, (long long)g->display);
        snprintf(bottom, sizeof(bottom), "d%lld", (long long)g->decode);
        fp_glyphs_blit(glyphs, font, top, s, box.x + pad, box.y + pad);
        fp_glyphs_blit(glyphs, font, bottom, s, box.x + pad, box.y + pad + line_h);
    }
    l->strip_first = first;
    l->strip_count = count;
    l->strip_box_w = box_w;
    l->strip_pad = pad;
    l->strip_line_h = line_h;
    l->strip = SDL_CreateTextureFromSurface(renderer, s);
    l->strip_w = s->w;
    l->strip_h = s->h;
    SDL_FreeSurface(s);
    if (l->strip)
        SDL_SetTextureBlendMode(l->strip,
                                l->strip_opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
}

void fp_osd_strip_draw(FPOsdStrip *l, SDL_Renderer *renderer, TTF_Font *font, FPGlyphs *glyphs,
                       int font_px, int opaque, int out_w, int bottom, int margin)
{
    SDL_Rect at;

    if (!l || !l->nb_gop)
        return;
    if (l->strip_stale || !l->strip || l->strip_px != font_px ||
        l->gop_current < l->strip_first || l->gop_current >= l->strip_first + l->strip_count ||
        l->strip_out_w != out_w - 2 * margin || l->strip_opaque != opaque) {
        l->strip_opaque = opaque;
        strip_render(l, renderer, font, glyphs, font_px, out_w - 2 * margin);
    }
    if (!l->strip)
        return;
    at = (SDL_Rect){margin, 0, l->strip_w, l->strip_h};
    if (at.w > out_w - 2 * margin) {
        at.h = (int)av_rescale(at.h, out_w - 2 * margin, at.w);
        at.w = out_w - 2 * margin;
    }
    at.y = bottom - at.h - margin;
    SDL_RenderCopy(renderer, l->strip, NULL, &at);
    if (l->gop_current >= 0) { /* the frame on screen, framed in white */
        double k = (double)at.w / l->strip_w;
        int i = l->gop_current - l->strip_first;
        SDL_Rect box = {at.x + (int)((l->strip_pad + i * (l->strip_box_w + l->strip_pad)) * k),
                        at.y + (int)((l->strip_pad + l->strip_line_h) * k),
                        (int)(l->strip_box_w * k),
                        (int)((2 * l->strip_line_h + 2 * l->strip_pad) * k)};
        SDL_SetRenderDrawColor(renderer, 255, 255, 255, 255);
        for (int t = 0; t < 2; t++)
            SDL_RenderDrawRect(renderer, &(SDL_Rect){box.x + t, box.y + t, box.w - 2 * t,
                                                    box.h - 2 * t});
    }
}

