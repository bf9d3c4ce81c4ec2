/*
 * osd_read: reads back the text of the on-screen display from a grab of the
 * window, so that a window test can compare what a person sees with what it
 * must say, rather than trust the text the player meant to draw.
 *
 *   usage: osd_read FONT_PX IMAGE.ppm
 *
 * IMAGE is a binary PPM (P6, 8 bits) of the window, as `import -window ID
 * -depth 8 x.ppm` gives. FONT_PX is the size the display chose for that window
 * (clip(height / 32, 12, 40) pixels).
 *
 * What it relies on is how SDL's software renderer shows the display: text is
 * the font's glyphs, white, blended side by side over an opaque box of one
 * colour (black for the panels, the picture type's colour in the GOP strip),
 * and copied to the window without blending. The glyphs are rendered here the
 * same way, with SDL_ttf from the same font file, blended over the colour found
 * around the text; each cell of a line must equal one of them pixel for pixel
 * (within 2 levels a channel). So a wrong digit, a shifted line or text
 * scaled down to fit does not read, rather than reading as something close.
 *
 * A line starts where a glyph has a column of its background's colour just
 * left of it and a row just above it; the lines that follow it one font line
 * skip apart belong to the same box. Prints each box as lines "X,Y: TEXT",
 * X, Y being where its first line starts, trailing spaces removed; a box whose
 * first line has fewer than two characters is not printed. Exits 1 on a bad
 * image or a missing font, 0 otherwise, also when nothing reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#define FIRST ' '
#define LAST '~'
#define NB_GLYPHS (LAST - FIRST + 1)
#define TOLERANCE 2

typedef struct Image {
    int w, h;
    unsigned char *rgb;
} Image;

/* The glyphs as they look over one background colour. */
typedef struct Background {
    unsigned char colour[3];
    unsigned char *glyph[NB_GLYPHS]; /* w * h * 3 bytes each */
} Background;

static TTF_Font *font;
static SDL_Surface *rendered[NB_GLYPHS]; /* white, with alpha */
static int glyph_w[NB_GLYPHS], glyph_h;
static Background *backgrounds;
static int nb_backgrounds;
/* Integral images of where a pixel differs from the one left of it (edge_h) or above it
 * (edge_v), and where a glyph was read already (seen). */
static unsigned *edge_h, *edge_v;
static unsigned char *seen;

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

static const unsigned char *pixel(const Image *im, int x, int y)
{
    return im->rgb + ((size_t)y * im->w + x) * 3;
}

static int same(const Image *im, int x0, int y0, int x1, int y1)
{
    return !memcmp(pixel(im, x0, y0), pixel(im, x1, y1), 3);
}

static int integrate(const Image *im)
{
    size_t n = (size_t)(im->w + 1) * (im->h + 1);
    int w = im->w + 1;

    edge_h = calloc(n, sizeof(*edge_h));
    edge_v = calloc(n, sizeof(*edge_v));
    seen = calloc((size_t)im->w * im->h, 1);
    if (!edge_h || !edge_v || !seen)
        return -1;
    for (int y = 0; y < im->h; y++)
        for (int x = 0; x < im->w; x++) {
            size_t at = (size_t)(y + 1) * w + x + 1;
            unsigned h = x && !same(im, x, y, x - 1, y), v = y && !same(im, x, y, x, y - 1);
            edge_h[at] = h + edge_h[at - 1] + edge_h[at - w] - edge_h[at - w - 1];
            edge_v[at] = v + edge_v[at - 1] + edge_v[at - w] - edge_v[at - w - 1];
        }
    return 0;
}

/* How many pixels of the rectangle differ from their neighbour, by one of the images. */
static unsigned edges(const unsigned *sum, int image_w, int x, int y, int w, int h)
{
    int s = image_w + 1;

    return sum[(size_t)(y + h) * s + x + w] - sum[(size_t)y * s + x + w] -
           sum[(size_t)(y + h) * s + x] + sum[(size_t)y * s + x];
}

static int render_glyphs(void)
{
    static const SDL_Color white = {255, 255, 255, 255};

    glyph_h = TTF_FontHeight(font);
    for (int i = 0; i < NB_GLYPHS; i++) {
        rendered[i] = TTF_RenderGlyph_Blended(font, (Uint16)(FIRST + i), white);
        if (!rendered[i] || rendered[i]->h != glyph_h)
            return -1;
        SDL_SetSurfaceBlendMode(rendered[i], SDL_BLENDMODE_BLEND);
        glyph_w[i] = rendered[i]->w;
    }
    return 0;
}

/* The glyphs blended over colour, as the player blends them over its boxes. */
static Background *background(const unsigned char colour[3])
{
    Background *b;

    for (int i = 0; i < nb_backgrounds; i++)
        if (!memcmp(backgrounds[i].colour, colour, 3))
            return &backgrounds[i];
    b = realloc(backgrounds, (nb_backgrounds + 1) * sizeof(*backgrounds));
    if (!b)
        return NULL;
    backgrounds = b;
    b = &backgrounds[nb_backgrounds++];
    memset(b, 0, sizeof(*b));
    memcpy(b->colour, colour, 3);
    for (int i = 0; i < NB_GLYPHS; i++) {
        SDL_Surface *box = SDL_CreateRGBSurfaceWithFormat(0, glyph_w[i], glyph_h, 32,
                                                          SDL_PIXELFORMAT_ARGB8888);
        if (!box || !(b->glyph[i] = malloc((size_t)glyph_w[i] * glyph_h * 3))) {
            SDL_FreeSurface(box);
            return NULL;
        }
        SDL_FillRect(box, NULL, SDL_MapRGBA(box->format, colour[0], colour[1], colour[2], 255));
        if (FIRST + i != ' ')
            SDL_BlitSurface(rendered[i], NULL, box, NULL);
        for (int y = 0; y < glyph_h; y++)
            for (int x = 0; x < glyph_w[i]; x++) {
                Uint32 px = ((const Uint32 *)((const Uint8 *)box->pixels + y * box->pitch))[x];
                unsigned char *out = b->glyph[i] + ((size_t)y * glyph_w[i] + x) * 3;
                SDL_GetRGB(px, box->format, &out[0], &out[1], &out[2]);
            }
        SDL_FreeSurface(box);
    }
    return b;
}

/*
 * Whether the w x h cell at x, y could be white text blended over colour: every pixel
 * lies between the colour and white, the same way along in each channel.
 */
static int could_be_text(const Image *im, const unsigned char colour[3], int x, int y, int w,
                         int h)
{
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            const unsigned char *p = pixel(im, x + i, y + j);
            int lo = 256, hi = -1;
            for (int c = 0; c < 3; c++) {
                if (p[c] + TOLERANCE < colour[c])
                    return 0;
                if (colour[c] < 240) {
                    int along = (p[c] - colour[c]) * 255 / (255 - colour[c]);
                    lo = along < lo ? along : lo;
                    hi = along > hi ? along : hi;
                }
            }
            if (hi - lo > 12)
                return 0;
        }
    return 1;
}

/* The character whose glyph, over b, is at x, y; 0 if none is. */
static char glyph_at(const Image *im, const Background *b, int x, int y)
{
    char best = 0;
    long best_sum = -1;

    for (int i = 0; i < NB_GLYPHS; i++) {
        const unsigned char *want = b->glyph[i];
        long sum = 0;
        int ok = x + glyph_w[i] <= im->w && y + glyph_h <= im->h;

        for (int j = 0; ok && j < glyph_h; j++) {
            const unsigned char *got = pixel(im, x, y + j);
            for (int k = 0; ok && k < glyph_w[i] * 3; k++) {
                int d = abs(got[k] - want[j * glyph_w[i] * 3 + k]);
                ok = d <= TOLERANCE;
                sum += d;
            }
        }
        if (ok && (best_sum < 0 || sum < best_sum)) {
            best = (char)(FIRST + i);
            best_sum = sum;
        }
    }
    return best;
}

/* Reads one line from x, y into line, marking where each glyph was read when mark is set;
 * returns its length, trailing spaces removed. */
static int read_line(const Image *im, const Background *b, int x, int y, char *line, int size,
                     int mark)
{
    int n = 0;
    char c;

    while (n < size - 1 && (c = glyph_at(im, b, x, y))) {
        line[n++] = c;
        if (mark)
            seen[(size_t)y * im->w + x] = 1;
        x += glyph_w[c - FIRST];
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
    Image im = {0};
    int px, skip, adv;
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
    if (!font || render_glyphs() < 0) {
        fprintf(stderr, "osd_read: no font, or its glyphs did not render\n");
        return 1;
    }
    if (integrate(&im) < 0) {
        fprintf(stderr, "osd_read: out of memory\n");
        return 1;
    }
    skip = TTF_FontLineSkip(font);
    adv = glyph_w['0' - FIRST];
    /*
     * Where a line starts: the column left of it and the row above it are one colour, its
     * first cell is not all that colour. Rows top to bottom, so a box is read from its first
     * line, and its other lines, and every glyph read, are not taken for new starts.
     */
    for (int y = 1; y + glyph_h <= im.h; y++)
        for (int x = 1; x + adv <= im.w; x++) {
            const Background *b;
            int lines = 0;

            if (seen[(size_t)y * im.w + x] || edges(edge_v, im.w, x - 1, y, 1, glyph_h) ||
                edges(edge_h, im.w, x, y - 1, adv, 1) ||
                !(edges(edge_h, im.w, x, y, adv, glyph_h) + edges(edge_v, im.w, x, y, adv, glyph_h)))
                continue;
            if (!could_be_text(&im, pixel(&im, x - 1, y - 1), x, y, adv, glyph_h) ||
                !(b = background(pixel(&im, x - 1, y - 1))))
                continue;
            for (int ly = y; ly + glyph_h <= im.h; ly += skip) {
                int n = read_line(&im, b, x, ly, line, sizeof(line), 1);
                if (!n && !lines)
                    break;
                if (!n) { /* an empty line, or the box's end: go on only if more text follows */
                    char next[8];
                    if (ly + skip + glyph_h > im.h ||
                        !read_line(&im, b, x, ly + skip, next, sizeof(next), 0))
                        break;
                }
                if (!lines && n < 2)
                    break;
                printf("%d,%d: %s\n", x, y, line);
                lines++;
            }
        }
    for (int i = 0; i < nb_backgrounds; i++)
        for (int j = 0; j < NB_GLYPHS; j++)
            free(backgrounds[i].glyph[j]);
    free(backgrounds);
    for (int i = 0; i < NB_GLYPHS; i++)
        SDL_FreeSurface(rendered[i]);
    TTF_CloseFont(font);
    TTF_Quit();
    free(edge_h);
    free(edge_v);
    free(seen);
    free(im.rgb);
    return 0;
}
