/*
 * Writing what is known of a frame (FPFrameInfo) as text: the script's
 * 'info' line, and --frame-info's CSV or JSON Lines. Unknown values are '?'
 * in the info line, empty in CSV and null in JSON.
 */
#ifndef FRAMEPIPE_APP_FRAME_INFO_H
#define FRAMEPIPE_APP_FRAME_INFO_H

#include <stdio.h>

#include "framepipe/player.h"

typedef enum FPFrameInfoFormat {
    FP_FRAME_INFO_LINE,  /**< "info n=12 total=200 time=0.480000 ...", for the script */
    FP_FRAME_INFO_CSV,   /**< a header line first (fp_frame_info_header), then one row a frame */
    FP_FRAME_INFO_JSONL, /**< one JSON object a line */
} FPFrameInfoFormat;

/** The format --frame-info FILE writes: JSON Lines for *.jsonl and *.json, else CSV. */
FPFrameInfoFormat fp_frame_info_format_of(const char *path);

/** Write the header CSV needs; nothing for the other formats. */
void fp_frame_info_header(FILE *out, FPFrameInfoFormat format);

/** Write fi as one line. */
void fp_frame_info_write(FILE *out, FPFrameInfoFormat format, const FPFrameInfo *fi);

#endif /* FRAMEPIPE_APP_FRAME_INFO_H */
