#include <math.h>
#include <string.h>

#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "compat.h"
#include "picture.h"

FPOrientation fp_orientation_from_matrix(const int32_t matrix[9])
{
    FPOrientation o = {0, 0};
    int32_t m[9];
    double ccw;
    long cw;

    for (int i = 0; i < 9; i++)
        m[i] = matrix[i];
    /* A negative determinant is a mirror; take it out first, then read the rotation. */
    if ((double)m[0] * m[4] - (double)m[1] * m[3] < 0) {
        o.hflip = 1;
        m[0] = -m[0];
        m[3] = -m[3];
    }
    ccw = av_display_rotation_get(m);
    if (isnan(ccw))
        return o;
    cw = lrint(-ccw / 90.0) * 90 % 360;
    o.rotation = (int)(cw < 0 ? cw + 360 : cw);
    return o;
}

FPOrientation fp_stream_orientation(const AVStream *st)
{
    FPOrientation none = {0, 0};
    size_t size = 0;
    const uint8_t *matrix = fp_stream_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);

    if (!matrix || size < 9 * sizeof(int32_t))
        return none;
    return fp_orientation_from_matrix((const int32_t *)matrix);
}

FPOrientation fp_frame_orientation(const AVFrame *frame, FPOrientation fallback)
{
    const AVFrameSideData *sd = av_frame_get_side_data(frame, AV_FRAME_DATA_DISPLAYMATRIX);

    if (!sd || sd->size < 9 * sizeof(int32_t))
        return fallback;
    return fp_orientation_from_matrix((const int32_t *)sd->data);
}

void fp_display_size(int width, int height, AVRational sar, FPOrientation o, int *display_width,
                     int *display_height)
{
    int w = width, h = height;

    if (sar.num > 0 && sar.den > 0)
        w = (int)av_rescale(width, sar.num, sar.den);
    if (w < 1)
        w = 1;
    *display_width = o.rotation % 180 ? h : w;
    *display_height = o.rotation % 180 ? w : h;
}

static int is_yuv(enum AVPixelFormat format)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(format);

    return desc && !(desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) &&
           desc->nb_components >= 3;
}

enum AVColorSpace fp_frame_colorspace(const AVFrame *frame)
{
    if (!is_yuv(frame->format))
        return AVCOL_SPC_RGB;
    switch (frame->colorspace) {
    case AVCOL_SPC_UNSPECIFIED:
    case AVCOL_SPC_RESERVED:
    case AVCOL_SPC_RGB: /* an RGB tag on a YUV picture is a lie; guess as if untagged */
        return frame->height > 576 ? AVCOL_SPC_BT709 : AVCOL_SPC_BT470BG;
    default:
        return frame->colorspace;
    }
}

int fp_frame_full_range(const AVFrame *frame)
{
    switch (frame->format) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
    case AV_PIX_FMT_YUVJ411P:
        return 1;
    default:
        return frame->color_range == AVCOL_RANGE_JPEG;
    }
}

static int sws_matrix(enum AVColorSpace colorspace)
{
    switch (colorspace) {
    case AVCOL_SPC_BT709:
        return SWS_CS_ITU709;
    case AVCOL_SPC_FCC:
        return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M:
        return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: /* constant luminance has no swscale matrix; NCL is the nearest */
        return SWS_CS_BT2020;
    default:
        return SWS_CS_ITU601;
    }
}

struct SwsContext *fp_sws_for_screenshot(const AVFrame *frame, int width, int height,
                                         int dst_width, int dst_height,
                                         enum AVPixelFormat dst_format)
{
    struct SwsContext *sws =
        sws_getContext(width, height, frame->format, dst_width, dst_height, dst_format,
                       SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, NULL, NULL, NULL);

    if (sws)
        fp_sws_set_colorspace(sws, frame);
    return sws;
}

void fp_sws_set_colorspace(struct SwsContext *sws, const AVFrame *frame)
{
    enum AVColorSpace colorspace = fp_frame_colorspace(frame);
    const int *coefficients = sws_getCoefficients(sws_matrix(colorspace));
    int full_range = fp_frame_full_range(frame);
    int *inv_table, *table, src_range, dst_range, brightness, contrast, saturation;

    if (colorspace == AVCOL_SPC_RGB)
        return;
    /*
     * Setting the details rebuilds libswscale's conversion tables: only when
     * the matrix or the range differs from the context's, not for every frame.
     */
    if (sws_getColorspaceDetails(sws, &inv_table, &src_range, &table, &dst_range, &brightness,
                                 &contrast, &saturation) >= 0 &&
        !memcmp(inv_table, coefficients, 4 * sizeof(*coefficients)) &&
        !memcmp(table, coefficients, 4 * sizeof(*coefficients)) && src_range == full_range &&
        dst_range == 1 && brightness == 0 && contrast == 1 << 16 && saturation == 1 << 16)
        return;
    /* brightness 0, contrast and saturation 1.0 in 16.16 fixed point */
    sws_setColorspaceDetails(sws, coefficients, full_range, coefficients, 1, 0, 1 << 16, 1 << 16);
}
