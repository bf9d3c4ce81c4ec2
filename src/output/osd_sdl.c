#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include <libavutil/avstring.h>
#include <libavutil/common.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>

#include "glyphs.h"
#include "osd_sdl.h"
#include "osd_strip.h"

#define HOVER_MS 1500
#define BOX_ALPHA 176 /* the boxes' darkness over the picture, where blending is cheap */

/* Text rendered once into a texture, again only when the text or the font size changes. */
typedef struct TextBox {
    char *text;
    SDL_Texture *tex;     /* streaming: the text is drawn straight into it */
    int tex_w, tex_h;     /* its size, rounded up so that small changes of text fit it */
    int w, h;             /* the part of it the text fills */
    int stale;  /* the texture does not show text at the current size */
    int wrap_w; /* the width its lines were broken to fit */
} TextBox;

struct FPOsdLayer {
    TTF_Font *font;
    FPGlyphs *glyphs;     /* the font's glyphs, rendered once */
    int font_px, font_failed, ttf_started;
    TextBox panel, message, label, note;
    double message_alpha;

    int has_timeline;
    FPOsdTimeline tl;     /* a copy; its bars and label point nowhere: see below */
    FPOsdBar *bars;       /* our copy of the bar graph */
    int nb_bars;
    SDL_Texture *graph;   /* the bars as drawn at graph_w x graph_h */
    int graph_w, graph_h, graph_stale;

    FPOsdStrip *strip;    /* the GOP strip */
    /*
     * SDL's software renderer blends pixel by pixel, which cost more than drawing
     * the picture: there the boxes are opaque and copied without blending.
     */
    int opaque;
    SDL_Renderer *probed; /* the renderer opaque was decided for */

    SDL_Rect band;        /* where the timeline was drawn last; w 0 while hidden */
    SDL_Rect track;       /* the graph's part of it: positions 0 to 1 map onto it */
    Uint64 hover_until;   /* SDL_GetTicks64() until which the pointer keeps it shown */
    int shown;            /* drawn at the last draw */
    int drag_button;      /* the button pressed on it and not yet let go; 0: none */
};

int fp_osd_layer_alloc(FPOsdLayer **out)
{
    *out = av_mallocz(sizeof(**out));
    if (*out && fp_glyphs_alloc(&(*out)->glyphs) < 0)
        av_freep(out);
    return *out ? 0 : AVERROR(ENOMEM);
}

static void text_clear(TextBox *t)
{
    if (t->tex)
        SDL_DestroyTexture(t->tex);
    av_freep(&t->text);
    memset(t, 0, sizeof(*t));
}

void fp_osd_layer_free(FPOsdLayer **pl)
{
    FPOsdLayer *l = *pl;

    if (!l)
        return;
    text_clear(&l->panel);
    text_clear(&l->message);
    text_clear(&l->label);
    text_clear(&l->note);
    if (l->graph)
        SDL_DestroyTexture(l->graph);
    fp_osd_strip_free(&l->strip);
    av_freep(&l->bars);
    fp_glyphs_free(&l->glyphs); /* before the font closes: SDL_ttf made them */
    if (l->font)
        TTF_CloseFont(l->font);
    if (l->ttf_started)
        TTF_Quit();
    av_freep(pl);
}

/* Keeps a copy of text (NULL: none); the texture is made again only if the text changed. */
static int text_set(TextBox *t, const char *text)
{
    if (!text || !*text) {
        text_clear(t);
        return 0;
    }
    if (t->text && !strcmp(t->text, text))
        return 0;
    av_freep(&t->text);
    t->text = av_strdup(text);
    t->stale = 1;
    return t->text ? 0 : AVERROR(ENOMEM);
}

int fp_osd_layer_set(FPOsdLayer *l, const FPOsd *osd)
{
    const FPOsdTimeline *tl = osd ? osd->timeline : NULL;
    int ret = 0;

    ret |= text_set(&l->panel, osd ? osd->panel : NULL);
    ret |= text_set(&l->message, osd ? osd->message : NULL);
    ret |= text_set(&l->label, tl ? tl->label : NULL);
    l->message_alpha = osd ? av_clipd(osd->message_alpha, 0, 1) : 0;
    if (fp_osd_strip_set(&l->strip, osd ? osd->gop : NULL, osd ? osd->nb_gop : 0) < 0)
        return AVERROR(ENOMEM);
    l->has_timeline = !!tl;
    if (!tl)
        return ret ? AVERROR(ENOMEM) : 0;
    if (!l->bars || tl->generation != l->tl.generation || tl->nb_bars != l->nb_bars) {
        av_freep(&l->bars);
        l->nb_bars = 0;
        if (tl->bars && tl->nb_bars > 0) {
            l->bars = av_memdup(tl->bars, sizeof(*tl->bars) * tl->nb_bars);
            if (!l->bars)
                return AVERROR(ENOMEM);
            l->nb_bars = tl->nb_bars;
        }
        l->graph_stale = 1;
    }
    l->tl = *tl;
    l->tl.bars = NULL;
    l->tl.label = NULL;
    return ret ? AVERROR(ENOMEM) : 0;
}

static int font_at(FPOsdLayer *l, int px)
{
    static const char *const candidates[] = {
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
        "/usr/share/fonts/TTF/DejaVuSansMono.ttf",
        "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
    };
    const char *forced = getenv("FRAMEPIPE_FONT");

    if (l->font_failed)
        return AVERROR(ENOENT);
    if (l->font && l->font_px == px)
        return 0;
    if (!l->ttf_started) {
        if (TTF_Init() < 0) {
            av_log(NULL, AV_LOG_WARNING, "on-screen display: TTF_Init: %s\n", SDL_GetError());
            l->font_failed = 1;
            return AVERROR(ENOENT);
        }
        l->ttf_started = 1;
    }
    if (l->font)
        TTF_CloseFont(l->font);
    l->font = NULL;
    fp_glyphs_reset(l->glyphs);
    if (forced)
        l->font = TTF_OpenFont(forced, px);
    for (size_t i = 0; !l->font && i < FF_ARRAY_ELEMS(candidates); i++)
        l->font = TTF_OpenFont(candidates[i], px);
    if (!l->font) {
        av_log(NULL, AV_LOG_WARNING, "on-screen display: no font (install fonts-dejavu-core)\n");
        l->font_failed = 1;
        return AVERROR(ENOENT);
    }
    l->font_px = px;
    l->panel.stale = l->message.stale = l->label.stale = l->note.stale = 1;
    return 0;
}

/* Room between a text box's edge and its text. */
static int text_margin(const FPOsdLayer *l)
{
    return l->font_px / 3 + 2;
}

/*
 * One line of glyphs after another on a dark translucent box, into t's
 * texture; the texture is kept while the box keeps its size.
 */
static void text_render(FPOsdLayer *l, SDL_Renderer *renderer, TextBox *t, int max_w)
{
    int margin = text_margin(l), line_h = TTF_FontLineSkip(l->font), lines = 0, width = 0, w, h;
    char *copy, *wrapped, *line, *save = NULL;
    SDL_Surface *box;

    t->stale = 0;
    t->wrap_w = max_w;
    /* Lines too long for the box's room are broken, not the text shrunk past reading. */
    wrapped = fp_glyphs_wrap(l->glyphs, l->font, t->text, max_w - 2 * margin);
    copy = wrapped ? av_strdup(wrapped) : NULL;
    if (!copy) {
        av_free(wrapped);
        return;
    }
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        width = FFMAX(width, fp_glyphs_width(l->glyphs, l->font, line));
        lines++;
    }
    strcpy(copy, wrapped);
    av_free(wrapped);
    w = width + 2 * margin;
    h = lines * line_h + 2 * margin;
    /* A texture much larger than the text is given back; one too small is replaced. */
    if (t->tex && (t->tex_w < w || t->tex_h < h || (int64_t)t->tex_w * t->tex_h > 4LL * w * h)) {
        SDL_DestroyTexture(t->tex);
        t->tex = NULL;
    }
    if (!t->tex && lines) {
        t->tex_w = FFALIGN(w, 64);
        t->tex_h = FFALIGN(h, 64);
        t->tex = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888,
                                   SDL_TEXTUREACCESS_STREAMING, t->tex_w, t->tex_h);
    }
    if (t->tex && SDL_LockTextureToSurface(t->tex, &(SDL_Rect){0, 0, w, h}, &box) < 0) {
        SDL_DestroyTexture(t->tex);
        t->tex = NULL;
    }
    if (t->tex) { /* box is the texture's memory, until unlocked */
        SDL_FillRect(box, NULL, SDL_MapRGBA(box->format, 0, 0, 0, l->opaque ? 255 : BOX_ALPHA));
        save = NULL;
        line = strtok_r(copy, "\n", &save);
        for (int y = margin; line; line = strtok_r(NULL, "\n", &save), y += line_h)
            fp_glyphs_blit(l->glyphs, l->font, line, box, margin, y);
        SDL_UnlockTexture(t->tex);
        t->w = w;
        t->h = h;
    }
    av_free(copy);
}

/*
 * Copies t's texture with its top left corner at x, y (right = 1: its top
 * right corner), its lines broken to fit max_w; shrunk to fit only when a
 * single word is wider.
 */
static void text_draw(FPOsdLayer *l, SDL_Renderer *renderer, TextBox *t, int x, int y, int right,
                      int max_w, double alpha)
{
    SDL_Rect at, src;
    int out_w, out_h;

    if (!t->text || font_at(l, l->font_px) < 0)
        return;
    if (t->stale || !t->tex || t->wrap_w != max_w)
        text_render(l, renderer, t, max_w);
    if (!t->tex || max_w <= 0)
        return;
    at = (SDL_Rect){x, y, t->w, t->h};
    if (at.w > max_w) {
        at.h = (int)av_rescale(at.h, max_w, at.w);
        at.w = max_w;
    }
    if (right)
        at.x = x - at.w;
    /* Taller than the window: the lines that fit, not smaller text. */
    src = (SDL_Rect){0, 0, t->w, t->h};
    SDL_GetRendererOutputSize(renderer, &out_w, &out_h);
    if (at.y + at.h > out_h - at.y && out_h > 2 * at.y) {
        int line_h = TTF_FontLineSkip(l->font), margin = text_margin(l);

        src.h = (int)av_rescale(t->h, out_h - 2 * at.y, at.h);
        at.h = out_h - 2 * at.y;
        if (at.w == t->w && src.h > margin + line_h) { /* whole lines, none cut across */
            src.h = margin + (src.h - margin) / line_h * line_h;
            at.h = src.h;
        }
    }
    SDL_SetTextureBlendMode(t->tex, l->opaque && alpha >= 1 ? SDL_BLENDMODE_NONE
                                                            : SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(t->tex, (Uint8)lrint(alpha * 255));
    SDL_RenderCopy(renderer, t->tex, &src, &at);
}

/*
 * The bar graph at w x h: each column shows the largest packet of the frames
 * it covers, in the colour of its picture type; a keyframe among them puts a
 * yellow mark on the top row.
 */
static void graph_render(FPOsdLayer *l, SDL_Renderer *renderer, int w, int h)
{
    SDL_Surface *s;

    if (l->graph)
        SDL_DestroyTexture(l->graph);
    l->graph = NULL;
    l->graph_w = w;
    l->graph_h = h;
    l->graph_stale = 0;
    if (!l->nb_bars || w <= 0 || h <= 2)
        return;
    s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return;
    /* Opaque: the band's black is drawn in, and the bars are copied without blending. */
    SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 0, 0, 0, l->opaque ? 255 : 0));
    for (int x = 0; x < w; x++) {
        int first = (int)((int64_t)x * l->nb_bars / w);
        int end = FFMAX((int)((int64_t)(x + 1) * l->nb_bars / w), first + 1);
        FPOsdBar top = {0};
        int key = 0;

        for (int i = first; i < end && i < l->nb_bars; i++) {
            if (l->bars[i].bytes > top.bytes)
                top = l->bars[i];
            key |= l->bars[i].key;
        }
        if (top.bytes && l->tl.max_bytes) {
            int bar_h = FFMAX(1, (int)((int64_t)top.bytes * (h - 3) / l->tl.max_bytes));
            SDL_Color c = fp_osd_type_colour(top.type);
            SDL_Rect r = {x, h - bar_h, 1, bar_h};
            SDL_FillRect(s, &r, SDL_MapRGBA(s->format, c.r, c.g, c.b, 224));
        }
        if (key) {
            SDL_Rect r = {x, 0, 1, 2};
            SDL_FillRect(s, &r, SDL_MapRGBA(s->format, 255, 220, 64, 255));
        }
    }
    l->graph = SDL_CreateTextureFromSurface(renderer, s);
    SDL_FreeSurface(s);
    if (l->graph)
        SDL_SetTextureBlendMode(l->graph, l->opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
}


static int track_x(const FPOsdLayer *l, double position)
{
    return l->track.x + (int)lrint(av_clipd(position, 0, 1) * l->track.w);
}

static void fill(SDL_Renderer *renderer, SDL_Rect r, Uint8 red, Uint8 green, Uint8 blue, Uint8 a)
{
    SDL_SetRenderDrawColor(renderer, red, green, blue, a);
    SDL_RenderFillRect(renderer, &r);
}

/* The range the step history holds: back-steps there are instant. */
static void kept_draw(FPOsdLayer *l, SDL_Renderer *renderer)
{
    int x0 = track_x(l, l->tl.kept_begin), x1 = track_x(l, l->tl.kept_end);

    if (l->tl.kept_begin <= l->tl.kept_end)
        fill(renderer, (SDL_Rect){x0, l->track.y, FFMAX(x1 - x0, 2), l->track.h}, 255, 255, 255,
             48);
}

static int timeline_visible(const FPOsdLayer *l)
{
    return l->has_timeline &&
           (l->tl.pinned || l->drag_button || SDL_GetTicks64() < l->hover_until);
}

/* Where the band lies in an output of out_w x out_h, shown or not. */
static void layout(FPOsdLayer *l, int out_w, int out_h)
{
    int band_h = av_clip(out_h / 12, 28, 96), margin = FFMAX(4, band_h / 8);

    l->band = (SDL_Rect){0, out_h - band_h, out_w, band_h};
    l->track = (SDL_Rect){margin, l->band.y + margin, FFMAX(1, out_w - 2 * margin),
                          band_h - 2 * margin};
}

static void timeline_draw(FPOsdLayer *l, SDL_Renderer *renderer)
{
    const FPOsdTimeline *tl = &l->tl;
    SDL_Rect t = l->track;
    int x;

    fill(renderer, l->band, 0, 0, 0, l->opaque ? 255 : BOX_ALPHA);
    if (!l->opaque) /* under the bars */
        kept_draw(l, renderer);
    if (l->graph_stale || l->graph_w != t.w || l->graph_h != t.h)
        graph_render(l, renderer, t.w, t.h);
    if (l->graph)
        SDL_RenderCopy(renderer, l->graph, NULL, &t);
    if (l->opaque) /* the bars hide what is under them */
        kept_draw(l, renderer);
    for (int i = 0; i < 2; i++) {
        double at = i ? tl->loop_b : tl->loop_a;
        if (at >= 0)
            fill(renderer, (SDL_Rect){track_x(l, at) - 1, l->band.y, 2, l->band.h}, 64, 224, 224,
                 255);
    }
    x = track_x(l, tl->position);
    fill(renderer, (SDL_Rect){x - 2, l->band.y, 5, l->band.h}, 0, 0, 0, 255);
    fill(renderer, (SDL_Rect){x - 1, l->band.y, 3, l->band.h}, 255, 255, 255, 255);
    text_draw(l, renderer, &l->label, t.x, l->band.y - l->font_px * 3 / 2 - 4, 0, t.w, 1);
}

void fp_osd_layer_draw(FPOsdLayer *l, SDL_Renderer *renderer)
{
    int out_w, out_h, margin;

    if (SDL_GetRendererOutputSize(renderer, &out_w, &out_h) || out_w <= 0 || out_h <= 0)
        return;
    if (l->probed != renderer) {
        SDL_RendererInfo info;

        l->probed = renderer;
        l->opaque = !SDL_GetRendererInfo(renderer, &info) && (info.flags & SDL_RENDERER_SOFTWARE);
        l->panel.stale = l->message.stale = l->label.stale = l->note.stale = 1;
        l->graph_stale = 1;
    }
    if (l->panel.text || l->message.text || l->label.text || fp_osd_strip_shown(l->strip))
        font_at(l, av_clip(out_h / 32, 12, 40));
    margin = FFMAX(l->font_px, 12) / 2;
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
    layout(l, out_w, out_h);
    l->shown = timeline_visible(l);
    if (l->shown)
        timeline_draw(l, renderer);
    /* Above the timeline and its label, or at the bottom. */
    if (font_at(l, l->font_px) >= 0)
        fp_osd_strip_draw(l->strip, renderer, l->font, l->glyphs, l->font_px, l->opaque, out_w,
                          l->shown ? l->band.y - (l->label.text ? l->font_px * 3 / 2 + 4 : 0)
                                   : out_h,
                          margin);
    text_draw(l, renderer, &l->panel, margin, margin, 0, out_w - 2 * margin, 1);
    if (l->message_alpha > 0)
        text_draw(l, renderer, &l->message, out_w - margin, margin, 1, out_w / 2, l->message_alpha);
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
}

int fp_osd_layer_note_size(FPOsdLayer *l, SDL_Renderer *renderer, const char *text, int *w,
                           int *h)
{
    int out_w, out_h;

    if (SDL_GetRendererOutputSize(renderer, &out_w, &out_h) || out_w <= 0)
        return AVERROR_EXTERNAL;
    if (text_set(&l->note, text) < 0)
        return AVERROR(ENOMEM);
    if (font_at(l, av_clip(out_h / 32, 12, 40)) < 0)
        return AVERROR(ENOENT);
    if (l->note.stale || !l->note.tex || l->note.wrap_w != out_w)
        text_render(l, renderer, &l->note, out_w);
    if (!l->note.tex)
        return AVERROR_EXTERNAL;
    *w = FFMIN(l->note.w, out_w);
    *h = (int)av_rescale(l->note.h, *w, l->note.w);
    return 0;
}

void fp_osd_layer_draw_note(FPOsdLayer *l, SDL_Renderer *renderer, int x, int y)
{
    int out_w, out_h, w, h;

    if (!l->note.tex || l->note.stale || SDL_GetRendererOutputSize(renderer, &out_w, &out_h) ||
        out_w <= 0)
        return;
    w = FFMIN(l->note.w, out_w);
    h = (int)av_rescale(l->note.h, w, l->note.w);
    x = av_clip(x, 0, FFMAX(out_w - w, 0));
    y = av_clip(y, 0, FFMAX(out_h - h, 0));
    SDL_SetTextureBlendMode(l->note.tex, l->opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(l->note.tex, 255);
    SDL_RenderCopy(renderer, l->note.tex, &(SDL_Rect){0, 0, l->note.w, l->note.h},
                   &(SDL_Rect){x, y, w, h});
}

void fp_osd_output_point(SDL_Renderer *renderer, int wx, int wy, int *x, int *y)
{
    int win_w, win_h, out_w, out_h;

    SDL_GetWindowSize(SDL_RenderGetWindow(renderer), &win_w, &win_h);
    SDL_GetRendererOutputSize(renderer, &out_w, &out_h);
    *x = win_w > 0 ? (int)av_rescale(wx, out_w, win_w) : wx;
    *y = win_h > 0 ? (int)av_rescale(wy, out_h, win_h) : wy;
}

/* The place under pixel column x: its centre's. */
static double position_at(const FPOsdLayer *l, int x)
{
    return av_clipd((x + 0.5 - l->track.x) / l->track.w, 0, 1);
}

int fp_osd_layer_pointer(FPOsdLayer *l, SDL_Renderer *renderer, const SDL_Event *ev,
                         FPInput *in, int *redraw)
{
    int out_w, out_h, x, y;

    *redraw = 0;
    if (!l->has_timeline)
        return 0;
    SDL_GetRendererOutputSize(renderer, &out_w, &out_h);
    layout(l, out_w, out_h);
    switch (ev->type) {
    case SDL_MOUSEMOTION:
        fp_osd_output_point(renderer, ev->motion.x, ev->motion.y, &x, &y);
        if (y >= l->band.y - l->band.h) { /* near the bottom edge: show it a while */
            l->hover_until = SDL_GetTicks64() + HOVER_MS;
            *redraw = !l->shown;
        }
        if (!l->drag_button)
            return 0;
        *in = (FPInput){.type = FP_INPUT_TIMELINE, .button = l->drag_button,
                        .state = FP_POINTER_DRAG, .position = position_at(l, x)};
        return 1;
    case SDL_MOUSEBUTTONDOWN:
        fp_osd_output_point(renderer, ev->button.x, ev->button.y, &x, &y);
        if (!l->shown || y < l->band.y ||
            (ev->button.button != SDL_BUTTON_LEFT && ev->button.button != SDL_BUTTON_RIGHT))
            return 0;
        l->drag_button = ev->button.button == SDL_BUTTON_LEFT ? 1 : 3;
        *in = (FPInput){.type = FP_INPUT_TIMELINE, .button = l->drag_button,
                        .state = FP_POINTER_PRESS, .position = position_at(l, x)};
        return 1;
    case SDL_MOUSEBUTTONUP:
        fp_osd_output_point(renderer, ev->button.x, ev->button.y, &x, &y);
        if (!l->drag_button || (ev->button.button == SDL_BUTTON_LEFT) != (l->drag_button == 1))
            return 0;
        *in = (FPInput){.type = FP_INPUT_TIMELINE, .button = l->drag_button,
                        .state = FP_POINTER_RELEASE, .position = position_at(l, x)};
        l->drag_button = 0;
        l->hover_until = SDL_GetTicks64() + HOVER_MS;
        return 1;
    }
    return 0;
}

int fp_osd_layer_expired(FPOsdLayer *l)
{
    return l->shown && !timeline_visible(l);
}
