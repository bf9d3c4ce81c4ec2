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

#include "framepipe/video_sink.h"

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

/**
 * A video sink that writes one framemd5 line per frame shown to out, and the
 * header before the first: the output of
 *   ffmpeg -noautorotate -i F -map 0:v:0 -fps_mode passthrough -autoscale 0 -f framemd5 -
 * in its SIZE and MD5 columns. A write that fails (a full disk, a closed
 * pipe) fails show() with its errno (AVERROR(ENOSPC), AVERROR(EPIPE) ...); each line is flushed as written.
 *
 * @param out  Borrowed; it must outlive the sink.
 * @return 0; AVERROR(ENOMEM).
 */
int fp_framemd5_sink_alloc(FPVideoSink **sink, FILE *out);

/** Free the sink (out stays open). *sink is set to NULL; NULL is accepted. */
void fp_framemd5_sink_free(FPVideoSink **sink);

#endif /* FRAMEPIPE_SRC_FRAMEMD5_H */
