/* Internal: saving a frame as a PNG file through libavcodec's PNG encoder. */
#ifndef FRAMEPIPE_SRC_SCREENSHOT_H
#define FRAMEPIPE_SRC_SCREENSHOT_H

#include <libavutil/frame.h>

#include "picture.h"

/**
 * Write frame (read only; the caller keeps its references) to path as a PNG
 * of the picture as it is shown: converted to RGB with its own colour matrix
 * and range (RGBA when it has alpha, 16 bits per channel when it has more
 * than 8) at its display size (sample aspect ratio applied), then flipped
 * and rotated as o says.
 *
 * @return 0; AVERROR_ENCODER_NOT_FOUND; AVERROR(ENOMEM); an I/O error.
 */
int fp_screenshot_png(const AVFrame *frame, FPOrientation o, const char *path);

#endif /* FRAMEPIPE_SRC_SCREENSHOT_H */
