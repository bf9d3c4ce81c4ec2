/*
 * Internal: which tracks of an input are played. By default the picture a
 * person expects, as the ffmpeg CLI and mpv show it: never a cover picture, a
 * dependent stream or an alpha plane while a real picture track exists. Or
 * the track asked for, counted from 1 per kind as mpv's --vid and --aid count.
 */
#ifndef FRAMEPIPE_SRC_TRACKS_H
#define FRAMEPIPE_SRC_TRACKS_H

#include <libavformat/avformat.h>

#include "framepipe/player.h" /* FP_TRACK_DEFAULT, FP_TRACK_OFF */

/**
 * The index in fmt->streams of the video track to show.
 *
 * @param want  FP_TRACK_DEFAULT, FP_TRACK_OFF, or N >= 1: the N-th video track.
 * @return the stream index; -1 for FP_TRACK_OFF or a file without video;
 *         AVERROR_STREAM_NOT_FOUND when track N does not exist.
 */
int fp_tracks_video(const AVFormatContext *fmt, int want);

/**
 * The index of the audio track to play with video stream video_index (-1:
 * none), as fp_tracks_video() counts. The default is libavformat's best
 * choice, preferring the one that goes with the video.
 */
int fp_tracks_audio(AVFormatContext *fmt, int want, int video_index);

/** How many tracks of type fmt has (cover pictures included, for video). */
int fp_tracks_count(const AVFormatContext *fmt, enum AVMediaType type);

/** The index in fmt->streams of the n-th track of type (from 1), or -1. */
int fp_tracks_nth(const AVFormatContext *fmt, enum AVMediaType type, int n);

#endif /* FRAMEPIPE_SRC_TRACKS_H */
