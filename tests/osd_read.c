/*
 * osd_read: reads back the text of the on-screen display from a grab of the
 * window, so that a window test can compare what a person sees with what it
 * must say, rather than trust the text the player meant to draw.
 *
 *   usage: osd_read FONT_PX IMAGE.ppm
 *
 * IMAGE is a binary PPM (P6, 8 bits) of the window, as `import -window ID`
 * and `convert x.png ppm:` give. FONT_PX is the size the display chose for
 * that window (clip(height / 32, 12, 40) pixels).
 *
 * What it relies on is how SDL's software renderer shows the display: each
 * box of text is opaque black, copied without blending, with its lines
 * starting a margin (FONT_PX / 3 + 2) in from its top left corner, one font
 * line skip apart, and each line made of the font's glyphs, white, blended
 * over the black side by side. The glyphs are rendered here the same way, with
 * SDL_ttf from the same font file, and each cell of a line must equal one of
 * them pixel for pixel (within 2 levels). So a wrong digit, a shifted line or
 * text scaled down to fit fails to read, rather than reading as something
 * close.
 *
 * Prints every box found as lines "X,Y: TEXT" (X, Y: the box's top left
 * corner in the window), one per line of text, trailing spaces removed. A box
 * is a margin of black above and left of a line of three or more characters
 * that reads, whatever the picture next to it. Exits 1 on a bad image or a missing font, 0 otherwise,
 * also when nothing reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#define FIRST ' '
#define LAST '~'
#define TOLERANCE 2

typedef struct Glyph {
    int w, h;
    unsigned char *grey; /* w * h levels, the glyph blended over black */
} Glyph;

typedef struct Image {
    int w, h;
    unsigned char *rgb;
} Image;

static Glyph glyphs[LAST - FIRST + 1];

static int read_ppm(const char *path, Image *im)
{
    FILE *f = fopen(path, "rb");
    int maxval, ok;

    if (!f)
        return -1;
    ok = fscanf(f, "P6 %d %d %d", &im->w, &im->h, &maxval) == 3 && maxval == 255 &&
         fgetc(f) != EOF && im->w > 0 && im->h > 0 && im->w <= 16384 && im->h <= 16384;
    if (ok) {
        size_t size = (size_t)im->w * im->h * 3;
        im->rgb = malloc(size);
        ok = im->rgb && fread(im->rgb, 1, size, f) == size;
    }
    fclose(f);
    return ok ? 0 : -1;
}

/* Level of a pixel if it is grey (R = G = B within the tolerance), else -1. */
static int grey_at(const Image *im, int x, int y)
{
    const unsigned char *p = im->rgb + ((size_t)y * im->w + x) * 3;

    if (abs(p[0] - p[1]) > TOLERANCE || abs(p[0] - p[2]) > TOLERANCE)
        return -1;
    return p[0];
}

static int black_at(const Image *im, int x, int y)
{
    const unsigned char *p = im->rgb + ((size_t)y * im->w + x) * 3;

    return p[0] == 0 && p[1] == 0 && p[2] == 0;
}

static int render_glyphs(TTF_Font *font)
{
    static const SDL_Color white = {255, 255, 255, 255};

    for (int c = FIRST; c <= LAST; c++) {
        SDL_Surface *g = TTF_RenderGlyph_Blended(font, (Uint16)c, white), *box;
        Glyph *out = &glyphs[c - FIRST];

        if (!g)
            return -1;
        box = SDL_CreateRGBSurfaceWithFormat(0, g->w, g->h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!box) {
            SDL_FreeSurface(g);
            return -1;
        }
        /* As the player does: an opaque black box, the glyph blended over it. */
        SDL_FillRect(box, NULL, SDL_MapRGBA(box->format, 0, 0, 0, 255));
        SDL_SetSurfaceBlendMode(g, SDL_BLENDMODE_BLEND);
        if (c != ' ')
            SDL_BlitSurface(g, NULL, box, NULL);
        out->w = box->w;
        out->h = box->h;
        out->grey = malloc((size_t)out->w * out->h);
        if (!out->grey) {
            SDL_FreeSurface(g);
            SDL_FreeSurface(box);
            return -1;
        }
        for (int y = 0; y < out->h; y++)
            for (int x = 0; x < out->w; x++) {
                Uint32 px = ((const Uint32 *)((const Uint8 *)box->pixels + y * box->pitch))[x];
                Uint8 r, gg, b;
                SDL_GetRGB(px, box->format, &r, &gg, &b);
                out->grey[y * out->w + x] = r;
            }
        SDL_FreeSurface(g);
        SDL_FreeSurface(box);
    }
    return 0;
}

/* black_sum[(y + 1) * (w + 1) + x + 1]: how many black pixels lie above and left of x, y. */
static unsigned *black_sum;
static int sum_w;

static int count_black(const Image *im)
{
    sum_w = im->w + 1;
    black_sum = calloc((size_t)sum_w * (im->h + 1), sizeof(*black_sum));
    if (!black_sum)
        return -1;
    for (int y = 0; y < im->h; y++)
        for (int x = 0; x < im->w; x++)
            black_sum[(y + 1) * sum_w + x + 1] = black_at(im, x, y) + black_sum[y * sum_w + x + 1] +
                                                 black_sum[(y + 1) * sum_w + x] -
                                                 black_sum[y * sum_w + x];
    return 0;
}

static int all_black(int x, int y, int w, int h)
{
    unsigned n = black_sum[(y + h) * sum_w + x + w] - black_sum[y * sum_w + x + w] -
                 black_sum[(y + h) * sum_w + x] + black_sum[y * sum_w + x];
    return n == (unsigned)(w * h);
}

/* Where a glyph was read already: a box is not read again from inside its text. */
static unsigned char *seen;

static int seen_at(int x, int y)
{
    return seen[(size_t)y * sum_w + x];
}

static void mark_seen(int x, int y)
{
    seen[(size_t)y * sum_w + x] = 1;
}

/* The character whose glyph is at x, y, or 0 if none is. */
static char glyph_at(const Image *im, int x, int y)
{
    char best = 0;
    long best_sum = -1;

    for (int c = FIRST; c <= LAST; c++) {
        const Glyph *g = &glyphs[c - FIRST];
        long sum = 0;
        int ok = x + g->w <= im->w && y + g->h <= im->h;

        for (int j = 0; ok && j < g->h; j++)
            for (int i = 0; ok && i < g->w; i++) {
                int level = grey_at(im, x + i, y + j), d;
                d = level < 0 ? 256 : abs(level - g->grey[j * g->w + i]);
                ok = d <= TOLERANCE;
                sum += d;
            }
        if (ok && (best_sum < 0 || sum < best_sum)) {
            best = (char)c;
            best_sum = sum;
        }
    }
    return best;
}

/* Reads one line of text from x, y into line; returns its length, spaces trimmed. */
static int read_line(const Image *im, int x, int y, char *line, int size, int mark)
{
    int n = 0;
    char c;

    while (n < size - 1 && (c = glyph_at(im, x, y))) {
        line[n++] = c;
        if (mark)
            mark_seen(x, y);
        x += glyphs[c - FIRST].w;
    }
    while (n && line[n - 1] == ' ')
        n--;
    line[n] = '\0';
    return n;
}

int main(int argc, char **argv)
{
    static const char *const fonts[] = {
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
        "/usr/share/fonts/TTF/DejaVuSansMono.ttf",
        "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
    };
    const char *forced = getenv("FRAMEPIPE_FONT");
    TTF_Font *font = NULL;
    Image im = {0};
    int px, margin, skip, adv;
    char line[1024];

    if (argc != 3 || (px = atoi(argv[1])) < 6) {
        fprintf(stderr, "usage: osd_read FONT_PX IMAGE.ppm\n");
        return 2;
    }
    if (read_ppm(argv[2], &im) < 0) {
        fprintf(stderr, "osd_read: %s is not a binary 8-bit PPM\n", argv[2]);
        return 1;
    }
    if (TTF_Init() < 0) {
        fprintf(stderr, "osd_read: TTF_Init: %s\n", SDL_GetError());
        return 1;
    }
    if (forced)
        font = TTF_OpenFont(forced, px);
    for (size_t i = 0; !font && i < sizeof(fonts) / sizeof(*fonts); i++)
        font = TTF_OpenFont(fonts[i], px);
    if (!font || render_glyphs(font) < 0) {
        fprintf(stderr, "osd_read: no font, or its glyphs did not render\n");
        return 1;
    }
    margin = px / 3 + 2;
    skip = TTF_FontLineSkip(font);
    adv = glyphs['0' - FIRST].w;
    seen = calloc((size_t)(im.w + 1) * im.h, 1);
    if (!seen || count_black(&im) < 0) {
        fprintf(stderr, "osd_read: out of memory\n");
        return 1;
    }
    /*
     * A box's corner: a margin of black above its first line and left of it, and a
     * glyph where the first line starts (lines start with text). Black picture next to the
     * box does not hide its corner; an offset by a pixel does not read.
     */
    for (int y = 0; y + margin + skip <= im.h; y++)
        for (int x = 0; x + margin + adv <= im.w; x++) {
            int lines = 0;

            if (!all_black(x, y, margin + adv, margin) || !all_black(x, y, margin, margin + skip) ||
                all_black(x + margin, y + margin, adv, skip) || seen_at(x + margin, y + margin))
                continue;
            for (int ly = y + margin; ly < im.h; ly += skip) {
                int n = read_line(&im, x + margin, ly, line, sizeof(line), 1);
                if (!n && !lines)
                    break;
                if (!n) { /* an empty line, or the box's end: go on only if more text follows */
                    char next[8];
                    if (ly + skip >= im.h || !read_line(&im, x + margin, ly + skip, next, 4, 0))
                        break;
                }
                if (!lines && n < 3)
                    break;
                printf("%d,%d: %s\n", x, y, line);
                lines++;
            }
        }
    TTF_CloseFont(font);
    TTF_Quit();
    for (int c = FIRST; c <= LAST; c++)
        free(glyphs[c - FIRST].grey);
    free(im.rgb);
    free(black_sum);
    free(seen);
    return 0;
}
