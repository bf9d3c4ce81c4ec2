#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libavutil/common.h>
#include <libavutil/imgutils.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "picture.h"
#include "pixel.h"

/*
 * Luma pixels kept on each side of the probed one: more than the bicubic chroma filter reaches
 * (6 suffices for 4:1:0). And the shortest side of a region: swscale shortens its filter for a
 * source of fewer than 6 chroma samples, which would change the result.
 */
#define MARGIN 16
#define MIN_SPAN 64
/*
 * Where a region starts: a multiple of 64 columns keeps every plane's pointer as aligned as
 * the whole frame's was (swscale may pick other code for unaligned data), and a multiple of 8
 * rows is a whole number of chroma rows and keeps the row of any 8x8 dither pattern.
 */
#define ALIGN_X 64
#define ALIGN_Y 8

static void name_components(const AVPixFmtDescriptor *desc, FPPixel *out)
{
    static const char *const yuv[4] = {"Y", "U", "V", "A"};
    static const char *const rgb[4] = {"R", "G", "B", "A"};
    static const char *const grey[4] = {"Y", "A"};
    static const char *const xyz[4] = {"X", "Y", "Z"};
    const char *const *names = yuv;

    if (desc->flags & AV_PIX_FMT_FLAG_RGB)
        names = rgb;
    else if (desc->nb_components <= 2)
        names = grey;
    else if (!strncmp(desc->name, "xyz", 3))
        names = xyz;
    for (int c = 0; c < 4; c++)
        out->names[c] = c < out->nb_components ? names[c] : NULL;
}

/* The code values as stored, through libavutil's own reader of every layout it describes. */
static void read_components(const AVFrame *frame, const AVPixFmtDescriptor *desc, FPPixel *out)
{
    const uint8_t *planes[4];
    int linesizes[4];

    for (int i = 0; i < 4; i++) {
        planes[i] = frame->data[i];
        linesizes[i] = frame->linesize[i];
    }
    for (int c = 0; c < out->nb_components; c++) {
        /* Components 1 and 2 are the chroma ones; other formats have no subsampling. */
        int chroma = c == 1 || c == 2;
        int cx = chroma ? out->x >> desc->log2_chroma_w : out->x;
        int cy = chroma ? out->y >> desc->log2_chroma_h : out->y;
        uint32_t value = 0;

        av_read_image_line2(&value, planes, linesizes, desc, cx, cy, c, 1, 0, 4);
        out->values[c] = value;
        out->depths[c] = desc->comp[c].depth;
        out->depth = FFMAX(out->depth, desc->comp[c].depth);
    }
    if (out->paletted) {
        uint32_t argb; /* the palette is uint32_t 0xAARRGGBB in native byte order */

        memcpy(&argb, frame->data[1] + 4 * (size_t)out->values[0], sizeof(argb));
        out->palette_rgba[0] = (uint8_t)(argb >> 16);
        out->palette_rgba[1] = (uint8_t)(argb >> 8);
        out->palette_rgba[2] = (uint8_t)argb;
        out->palette_rgba[3] = (uint8_t)(argb >> 24);
    }
}

/*
 * [start, end) along one axis of size pixels: around at, start aligned, at least MIN_SPAN (or
 * size) long, and a multiple of step long unless it ends at the picture's edge.
 */
static void region_span(int at, int size, int align, int step, int *start, int *end)
{
    int s = FFMAX(at - MARGIN, 0) / align * align;
    int e = FFMAX(at + MARGIN + 1, s + MIN_SPAN);

    e = s + (e - s + step - 1) / step * step;
    if (e >= size) {
        e = size;
        s = FFMIN(s, FFMAX(size - MIN_SPAN, 0) / align * align);
    }
    *start = s;
    *end = e;
}

/*
 * The region to convert, in luma pixels. swscale's chroma step is chroma size over luma size,
 * rounded: it is exactly 1/2 (or 1/4) only when both sizes are whole multiples of the
 * subsampling. Where the frame's size is not, along that axis a region's step would differ,
 * so the region spans the whole axis (the two axes are scaled apart).
 */
static void choose_region(const AVFrame *frame, const AVPixFmtDescriptor *desc, int x, int y,
                          int rect[4])
{
    int sub_w = 1 << desc->log2_chroma_w, sub_h = 1 << desc->log2_chroma_h;

    /* 16 wide: some of swscale's SIMD scalers are chosen only for such widths. */
    region_span(x, frame->width, ALIGN_X, FFMAX(16, sub_w), &rect[0], &rect[2]);
    region_span(y, frame->height, ALIGN_Y, sub_h, &rect[1], &rect[3]);
    if (frame->width % sub_w) {
        rect[0] = 0;
        rect[2] = frame->width;
    }
    if (frame->height % sub_h) {
        rect[1] = 0;
        rect[3] = frame->height;
    }
}

/* Converts the region rect of frame to RGB24, as the screenshot converts a whole frame. */
static int convert_region(const AVFrame *frame, const AVPixFmtDescriptor *desc, const int rect[4],
                          uint8_t *rgb[4], int rgb_linesize[4])
{
    int width = rect[2] - rect[0], height = rect[3] - rect[1];
    const uint8_t *src[4] = {NULL};
    struct SwsContext *sws;
    int ret;

    /* Each plane from the region's first pixel; a plane no component lives in (the palette)
     * is passed as it is. */
    for (int p = 0; p < 4; p++)
        src[p] = frame->data[p];
    for (int c = 0; c < desc->nb_components; c++) {
        const AVComponentDescriptor *comp = &desc->comp[c];
        int chroma = c == 1 || c == 2;
        int px = chroma ? rect[0] >> desc->log2_chroma_w : rect[0];
        int py = chroma ? rect[1] >> desc->log2_chroma_h : rect[1];

        src[comp->plane] = frame->data[comp->plane] + (ptrdiff_t)py * frame->linesize[comp->plane] +
                           (ptrdiff_t)px * comp->step;
    }
    ret = av_image_alloc(rgb, rgb_linesize, width, height, AV_PIX_FMT_RGB24, 32);
    if (ret < 0)
        return ret;
    sws = fp_sws_for_screenshot(frame, width, height, width, height, AV_PIX_FMT_RGB24);
    if (!sws) {
        av_freep(&rgb[0]);
        return AVERROR(ENOSYS);
    }
    sws_scale(sws, src, frame->linesize, 0, height, rgb, rgb_linesize);
    sws_freeContext(sws);
    return 0;
}

int fp_pixel_probe(const AVFrame *frame, int x, int y, FPPixel *out)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(frame->format);
    const uint64_t unreadable = AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM |
                                AV_PIX_FMT_FLAG_BAYER | AV_PIX_FMT_FLAG_FLOAT;
    uint8_t *rgb[4] = {NULL};
    int rgb_linesize[4], rect[4];
    const uint8_t *shown;
    int ret;

    if (!frame->data[0] || frame->width <= 0 || frame->height <= 0)
        return AVERROR(EINVAL);
    if (!desc || (desc->flags & unreadable) || !sws_isSupportedInput(frame->format))
        return AVERROR(ENOSYS);
    if (x < 0 || y < 0 || x >= frame->width || y >= frame->height)
        return AVERROR(EINVAL);
    if ((desc->flags & AV_PIX_FMT_FLAG_PAL) && !frame->data[1])
        return AVERROR(EINVAL);

    memset(out, 0, sizeof(*out));
    out->x = x;
    out->y = y;
    out->format = frame->format;
    out->format_name = desc->name;
    out->log2_chroma_w = desc->log2_chroma_w;
    out->log2_chroma_h = desc->log2_chroma_h;
    out->paletted = !!(desc->flags & AV_PIX_FMT_FLAG_PAL);
    out->nb_components = out->paletted ? 1 : desc->nb_components;
    name_components(desc, out);
    if (out->paletted)
        out->names[0] = "index";
    read_components(frame, desc, out);

    choose_region(frame, desc, x, y, rect);
    ret = convert_region(frame, desc, rect, rgb, rgb_linesize);
    if (ret < 0)
        return ret;
    shown = rgb[0] + (size_t)(y - rect[1]) * rgb_linesize[0] + 3 * (size_t)(x - rect[0]);
    memcpy(out->rgb, shown, 3);
    av_freep(&rgb[0]);
    return 0;
}

int fp_pixel_format(const FPPixel *p, char *buf, size_t size)
{
    size_t used = 0;
    int n;

/* Appends one snprintf; keeps counting the full length past the end of buf. */
#define APPEND(...)                                                                                \
    do {                                                                                           \
        n = snprintf(used < size ? buf + used : NULL, used < size ? size - used : 0, __VA_ARGS__); \
        if (n < 0)                                                                                 \
            return AVERROR(EINVAL);                                                                \
        used += (size_t)n;                                                                         \
    } while (0)

    if (size > 0)
        buf[0] = '\0';
    APPEND("x=%d y=%d fmt=%s depth=%d chroma=%d,%d", p->x, p->y,
           p->format_name ? p->format_name : "none", p->depth, p->log2_chroma_w, p->log2_chroma_h);
    for (int c = 0; c < p->nb_components && c < 4; c++)
        APPEND(" %s=%u", p->names[c] ? p->names[c] : "?", (unsigned)p->values[c]);
    if (p->paletted)
        APPEND(" rgba=%u,%u,%u,%u", p->palette_rgba[0], p->palette_rgba[1], p->palette_rgba[2],
               p->palette_rgba[3]);
    APPEND(" rgb=%u,%u,%u", p->rgb[0], p->rgb[1], p->rgb[2]);
#undef APPEND
    return used < size ? (int)used : AVERROR(ENOSPC);
}
