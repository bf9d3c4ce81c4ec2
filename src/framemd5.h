/*
 * Internal: hashes decoded frames the way FFmpeg's framemd5 muxer hashes
 * rawvideo packets, so the output can be compared with
 *   ffmpeg -noautorotate -i F -map 0:v:0 -fps_mode passthrough -autoscale 0 -f framemd5 -
 * line for line in its SIZE and MD5 columns.
 */
#ifndef FRAMEPIPE_SRC_FRAMEMD5_H
#define FRAMEPIPE_SRC_FRAMEMD5_H

#include <stdio.h>

#include <libavformat/avformat.h>
#include <libavutil/frame.h>

/**
 * MD5 of the picture packed with av_image_copy_to_buffer() at alignment 1
 * (the bytes of FFmpeg's rawvideo encoder output).
 *
 * @param frame  Read only; the caller keeps its references.
 * @param hex    Receives 32 lowercase hex digits and a terminating NUL.
 * @param size   If not NULL, receives the packed size in bytes.
 * @return 0; AVERROR(ENOMEM); AVERROR(EINVAL) for a frame that is not a picture.
 */
int fp_frame_md5(const AVFrame *frame, char hex[33], int *size);

typedef struct FPFrameMD5 FPFrameMD5;

/**
 * @param out  Borrowed; lines are written to it as frames arrive.
 * @param fmt  Borrowed; the input, for its start time.
 * @param st   Borrowed; the video stream, for its time base and frame rate.
 */
int fp_framemd5_alloc(FPFrameMD5 **h, FILE *out, const AVFormatContext *fmt, const AVStream *st);

/** Write one line for frame (read only), and the header before the first. */
int fp_framemd5_write(FPFrameMD5 *h, const AVFrame *frame);

void fp_framemd5_free(FPFrameMD5 **h);

#endif /* FRAMEPIPE_SRC_FRAMEMD5_H */
