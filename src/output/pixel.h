/*
 * Internal: a pixel probe, the data behind a pixel loupe and the `pixel X Y`
 * script command. It reads one pixel of a decoded frame as it is stored (the
 * code value of each component) and as the program shows it (8-bit RGB).
 */
#ifndef FRAMEPIPE_SRC_PIXEL_H
#define FRAMEPIPE_SRC_PIXEL_H

#include <stddef.h>
#include <stdint.h>

#include <libavutil/frame.h>

/** One pixel of a decoded picture. */
typedef struct FPPixel {
    /** Where, in the decoded (coded) picture, 0-based, before any rotation or flip. */
    int x, y;
    /** The frame's pixel format and its name (av_get_pix_fmt_name(); static storage). */
    enum AVPixelFormat format;
    const char *format_name;
    /** The largest component depth in bits: 8 for yuv420p and nv12, 10 for yuv420p10le. */
    int depth;
    /** Chroma subsampling as log2 of the factors: 1, 1 for 4:2:0; 1, 0 for 4:2:2. */
    int log2_chroma_w, log2_chroma_h;
    /**
     * The components, in the order libavutil's pixel format descriptor gives
     * them (whatever the order in memory):
     *   YUV:      "Y", "U", "V"[, "A"]
     *   RGB:      "R", "G", "B"[, "A"]
     *   grey:     "Y"[, "A"]
     *   XYZ:      "X", "Y", "Z"
     *   paletted: "index" alone; the palette entry it selects is in palette_rgba.
     * names[i] are static strings; depths[i] is the component's depth in bits.
     * values[i] is the code value as stored in the decoded planes, read with
     * av_read_image_line2(): not scaled, but shifted down where the format
     * keeps it high in a wider word (P010's 10 bits read as 0..1023). Chroma
     * ("U", "V") is the sample that covers the pixel: (x >> log2_chroma_w,
     * y >> log2_chroma_h) of the chroma planes.
     */
    int nb_components;
    const char *names[4];
    int depths[4];
    uint32_t values[4];
    /** 1 for a paletted format; palette_rgba is then R, G, B, A of values[0]'s entry. */
    int paletted;
    uint8_t palette_rgba[4];
    /**
     * The pixel as shown, 8-bit R, G, B: the frame converted to RGB24 with its
     * own colour matrix and range (fp_sws_for_screenshot(), as the screenshot
     * converts it: bicubic, accurate rounding, full chroma interpolation) at its
     * coded size. Alpha is not applied. For an 8-bit picture with square
     * pixels this is the R, G, B of the screenshot's pixel (which keeps alpha
     * beside them); a deeper picture's screenshot keeps 16 bits (this is
     * within one level of them), and an anamorphic one is scaled to its
     * display width.
     */
    uint8_t rgb[3];
} FPPixel;

/**
 * Probe the pixel (x, y) of frame.
 *
 * Only a region around the pixel (about 64 to 128 pixels a side) is converted
 * to RGB, chosen so that the result is the same as converting the whole frame.
 * Along an axis where the frame's size is not a multiple of its chroma
 * subsampling (a 4:2:0 picture 321 wide), the region spans the whole axis.
 *
 * @param frame  A decoded picture in system memory; read only, the caller keeps
 *               its references.
 * @param x, y   The pixel in the coded picture, 0-based, before any rotation.
 * @param out    Filled on success; on failure its contents are unspecified.
 * @return 0; AVERROR(EINVAL) for coordinates outside the picture or a frame
 *         without a picture; AVERROR(ENOSYS) for a format it cannot read
 *         (hardware frames, bitstream formats such as monow, Bayer, floating
 *         point) or libswscale cannot convert; AVERROR(ENOMEM).
 * Thread-safe (it touches nothing but its arguments); does not block.
 */
int fp_pixel_probe(const AVFrame *frame, int x, int y, FPPixel *out);

/**
 * Write p as one line of key=value fields separated by single spaces, with no
 * newline. The keys, in this order:
 *
 *   x=X y=Y fmt=NAME depth=BITS chroma=LOG2W,LOG2H NAME=VALUE... rgb=R,G,B
 *
 * where NAME=VALUE is one field per component, named as in FPPixel.names, in
 * decimal (keys are case-sensitive: y is the row, Y the luma). A paletted
 * pixel has index=I rgba=R,G,B,A instead. For example:
 *
 *   x=10 y=20 fmt=yuv420p10le depth=10 chroma=1,1 Y=512 U=498 V=530 rgb=120,118,121
 *   x=0 y=0 fmt=pal8 depth=8 chroma=0,0 index=37 rgba=255,0,0,255 rgb=255,0,0
 *   x=5 y=7 fmt=rgba depth=8 chroma=0,0 R=10 G=20 B=30 A=128 rgb=10,20,30
 *
 * New keys may be added before rgb=; existing keys keep their names and meaning.
 *
 * @param buf, size  The line is NUL-terminated; when it does not fit, buf holds
 *                   as much of it as fits (if size > 0).
 * @return the length of the line (without the NUL); AVERROR(ENOSPC) when size
 *         is too small for it.
 */
int fp_pixel_format(const FPPixel *p, char *buf, size_t size);

#endif /* FRAMEPIPE_SRC_PIXEL_H */
