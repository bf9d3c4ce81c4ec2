/*
 * Internal: how a decoded picture is meant to look. Its colour matrix and
 * range (with the guesses players make for untagged pictures), and its
 * geometry on screen: sample aspect ratio, and the rotation and flip of the
 * display matrix that phones write.
 */
#ifndef FRAMEPIPE_SRC_PICTURE_H
#define FRAMEPIPE_SRC_PICTURE_H

#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>

#include "framepipe/video_sink.h" /* FPOrientation */

struct SwsContext;


/** The orientation a display matrix (as in AV_PKT_DATA_DISPLAYMATRIX) asks for. */
FPOrientation fp_orientation_from_matrix(const int32_t matrix[9]);

/** The orientation of st's display matrix, or none. */
FPOrientation fp_stream_orientation(const AVStream *st);

/** The frame's own display matrix if it carries one, else fallback. */
FPOrientation fp_frame_orientation(const AVFrame *frame, FPOrientation fallback);

/**
 * The size a width x height picture with sample aspect ratio sar takes on a
 * square-pixel screen, after the orientation: the width is scaled by sar,
 * then 90 and 270 degrees swap the two.
 */
void fp_display_size(int width, int height, AVRational sar, FPOrientation o, int *display_width,
                     int *display_height);

/**
 * The colour matrix to convert frame with: its own tag, or for an untagged
 * YUV picture BT.709 when it is taller than 576 lines and BT.601 otherwise.
 * AVCOL_SPC_RGB for RGB, paletted and grey pictures.
 */
enum AVColorSpace fp_frame_colorspace(const AVFrame *frame);

/** 1 when frame's YUV uses the full 0-255 range (JPEG range, or a yuvj format). */
int fp_frame_full_range(const AVFrame *frame);

/**
 * Tell sws (made to convert frame's format to an RGB format) the frame's
 * colour matrix and range; RGB output is full range.
 */
void fp_sws_set_colorspace(struct SwsContext *sws, const AVFrame *frame);

/**
 * A libswscale context that converts width x height pixels of frame's format
 * (the whole picture, or a region of it) to dst_width x dst_height of
 * dst_format as framepipe's screenshots are made: bicubic, accurate rounding,
 * full chroma interpolation, with the frame's own matrix and range (the whole
 * frame's tags choose them, also for a region). Free it with sws_freeContext().
 *
 * @return the context; NULL when libswscale cannot convert the format.
 */
struct SwsContext *fp_sws_for_screenshot(const AVFrame *frame, int width, int height,
                                         int dst_width, int dst_height,
                                         enum AVPixelFormat dst_format);

#endif /* FRAMEPIPE_SRC_PICTURE_H */
