#include <stdio.h>
#include <string.h>

#include <SDL.h>
#include <libavutil/common.h>
#include <libavutil/error.h>

#include "loupe_sdl.h"
#include "pixel.h"

#define LOUPE_PIXELS 11 /* source pixels across the loupe: odd, so one is in the middle */
#define LOUPE_OFFSET 20 /* from the pointer to the loupe's corner */

/* Turns a place in the picture as decoded (s, t from 0 to 1) into its place on display. */
static void to_display(FPOrientation o, double s, double t, double *u, double *v)
{
    if (o.hflip)
        s = 1 - s;
    switch (o.rotation) {
    case 90: *u = 1 - t; *v = s; break;
    case 180: *u = 1 - s; *v = 1 - t; break;
    case 270: *u = t; *v = 1 - s; break;
    default: *u = s; *v = t; break;
    }
}

/* The reverse of to_display(). */
static void to_source(FPOrientation o, double u, double v, double *s, double *t)
{
    switch (o.rotation) {
    case 90: *s = v; *t = 1 - u; break;
    case 180: *s = 1 - u; *t = 1 - v; break;
    case 270: *s = 1 - v; *t = u; break;
    default: *s = u; *t = v; break;
    }
    if (o.hflip)
        *s = 1 - *s;
}

int fp_loupe_pixel_at(const FPLoupeView *v, int x, int y, int *px, int *py)
{
    double u = (x + 0.5 - v->box.x) / v->box.w, w = (y + 0.5 - v->box.y) / v->box.h, s, t;

    if (!v->frame || v->box.w <= 0 || v->box.h <= 0 || u < 0 || u >= 1 || w < 0 || w >= 1)
        return 0;
    to_source(v->orientation, u, w, &s, &t);
    *px = av_clip((int)(s * v->frame->width), 0, v->frame->width - 1);
    *py = av_clip((int)(t * v->frame->height), 0, v->frame->height - 1);
    return 1;
}

int fp_loupe_read_screen(SDL_Renderer *renderer, int x, int y, uint8_t rgb[3])
{
    SDL_Rect at = {x, y, 1, 1};

    return SDL_RenderReadPixels(renderer, &at, SDL_PIXELFORMAT_RGB24, rgb, 3) ? AVERROR_EXTERNAL
                                                                              : 0;
}

/* The probe's line, broken after where and what, and what reaches the screen. */
static void note_text(const AVFrame *f, int px, int py, const uint8_t screen[3], char *buf,
                      size_t size)
{
    FPPixel pixel;
    char line[512], *values;

    if (fp_pixel_probe(f, px, py, &pixel) < 0 || fp_pixel_format(&pixel, line, sizeof(line)) < 0) {
        snprintf(buf, size, "x=%d y=%d (this pixel format cannot be read)\nscreen=%d,%d,%d", px,
                 py, screen[0], screen[1], screen[2]);
        return;
    }
    values = strstr(line, " chroma=");
    values = values ? strchr(values + 1, ' ') : NULL;
    if (values)
        *values++ = '\0';
    snprintf(buf, size, "%s\n%s\nscreen=%d,%d,%d", line, values ? values : "", screen[0],
             screen[1], screen[2]);
}

static void outline(SDL_Renderer *renderer, SDL_Rect r)
{
    SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255);
    SDL_RenderDrawRect(renderer, &(SDL_Rect){r.x - 2, r.y - 2, r.w + 4, r.h + 4});
    SDL_SetRenderDrawColor(renderer, 255, 255, 255, 255);
    SDL_RenderDrawRect(renderer, &(SDL_Rect){r.x - 1, r.y - 1, r.w + 2, r.h + 2});
}

void fp_loupe_draw(const FPLoupeView *v, FPOsdLayer *osd, int x, int y, const uint8_t screen[3])
{
    const AVFrame *f = v->frame;
    int out_w, out_h, px, py, nw, nh, cell, dw, dh, lx, ly, note_w, note_h, note_y;
    SDL_Rect src, dst, mark;
    double u, w;
    char note[768];

    if (!fp_loupe_pixel_at(v, x, y, &px, &py) ||
        SDL_GetRendererOutputSize(v->renderer, &out_w, &out_h))
        return;
    nw = FFMIN(LOUPE_PIXELS, f->width);
    nh = FFMIN(LOUPE_PIXELS, f->height);
    src = (SDL_Rect){av_clip(px - nw / 2, 0, f->width - nw), av_clip(py - nh / 2, 0, f->height - nh),
                     nw, nh};
    cell = FFMAX(av_clip(FFMIN(out_w, out_h) / 3, 88, 330) / LOUPE_PIXELS, 4);
    dw = (v->orientation.rotation % 180 ? nh : nw) * cell;
    dh = (v->orientation.rotation % 180 ? nw : nh) * cell;
    /* Below right of the pointer, or on the other side where there is no room. */
    lx = x + LOUPE_OFFSET + dw <= out_w ? x + LOUPE_OFFSET : FFMAX(x - LOUPE_OFFSET - dw, 0);
    ly = y + LOUPE_OFFSET + dh <= out_h ? y + LOUPE_OFFSET : FFMAX(y - LOUPE_OFFSET - dh, 0);
    dst = (SDL_Rect){lx + dw / 2 - nw * cell / 2, ly + dh / 2 - nh * cell / 2, nw * cell, nh * cell};
    SDL_SetTextureScaleMode(v->texture, SDL_ScaleModeNearest);
    SDL_RenderCopyEx(v->renderer, v->texture, &src, &dst, v->orientation.rotation, NULL,
                     v->orientation.hflip ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE);
    SDL_SetTextureScaleMode(v->texture, SDL_ScaleModeLinear);
    outline(v->renderer, (SDL_Rect){lx, ly, dw, dh});
    /* The pixel itself, framed where the turn put it. */
    to_display(v->orientation, (px - src.x + 0.5) / nw, (py - src.y + 0.5) / nh, &u, &w);
    mark = (SDL_Rect){lx + (int)(u * dw / cell) * cell, ly + (int)(w * dh / cell) * cell, cell, cell};
    outline(v->renderer, mark);
    note_text(f, px, py, screen, note, sizeof(note));
    if (fp_osd_layer_note_size(osd, v->renderer, note, &note_w, &note_h) < 0)
        return;
    /*
     * The values beyond the loupe, on its side away from the pointer; where they do not fit
     * there, on the pointer's other side. Never over the pixel they describe: moved back
     * inside the window, a note beside the pointer could cover it.
     */
    if (ly > y) {
        note_y = ly + dh + 4;
        if (note_y + note_h > out_h)
            note_y = y - LOUPE_OFFSET - note_h;
    } else {
        note_y = ly - 4 - note_h;
        if (note_y < 0)
            note_y = y + LOUPE_OFFSET;
    }
    fp_osd_layer_draw_note(osd, v->renderer, lx, note_y);
}
