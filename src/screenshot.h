/* Internal: saving a frame as a PNG file through libavcodec's PNG encoder. */
#ifndef FRAMEPIPE_SRC_SCREENSHOT_H
#define FRAMEPIPE_SRC_SCREENSHOT_H

#include <libavutil/frame.h>

/**
 * Write frame (read only; the caller keeps its references) to path as a PNG
 * at the frame's own size, converted to RGB (RGBA when the frame has alpha,
 * 16 bits per channel when it has more than 8) by libswscale.
 *
 * @return 0; AVERROR_ENCODER_NOT_FOUND; AVERROR(ENOMEM); an I/O error.
 */
int fp_screenshot_png(const AVFrame *frame, const char *path);

#endif /* FRAMEPIPE_SRC_SCREENSHOT_H */
