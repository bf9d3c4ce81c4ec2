#include <libavutil/pixdesc.h>

#include "tracks.h"

/* The st whose index in its kind is n (from 1), or -1. */
static int nth_of_type(const AVFormatContext *fmt, enum AVMediaType type, int n)
{
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        if (fmt->streams[i]->codecpar->codec_type == type && --n == 0)
            return (int)i;
    return -1;
}

int fp_tracks_nth(const AVFormatContext *fmt, enum AVMediaType type, int n)
{
    return n >= 1 ? nth_of_type(fmt, type, n) : -1;
}

int fp_tracks_count(const AVFormatContext *fmt, enum AVMediaType type)
{
    int count = 0;

    for (unsigned i = 0; i < fmt->nb_streams; i++)
        count += fmt->streams[i]->codecpar->codec_type == type;
    return count;
}

static int is_gray(const AVCodecParameters *par)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(par->format);

    return desc && desc->nb_components == 1;
}

/*
 * An alpha plane travels as a picture of one component (AVIF's auxiliary
 * track, for one), the size of a picture of colour beside it.
 */
static int is_alpha_plane(const AVFormatContext *fmt, const AVStream *st)
{
    if (!is_gray(st->codecpar))
        return 0;
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVCodecParameters *other = fmt->streams[i]->codecpar;
        if (fmt->streams[i] != st && other->codec_type == AVMEDIA_TYPE_VIDEO &&
            !is_gray(other) && other->width == st->codecpar->width &&
            other->height == st->codecpar->height)
            return 1;
    }
    return 0;
}

/* How much a video stream is the picture: higher is better; 0 only as a last resort. */
static int picture_score(const AVFormatContext *fmt, const AVStream *st)
{
    int score = 8;

    if (st->disposition & AV_DISPOSITION_ATTACHED_PIC)
        score -= 8; /* a cover: shown only when nothing else is there */
    else if ((st->disposition & AV_DISPOSITION_DEPENDENT) || is_alpha_plane(fmt, st))
        score -= 4;
    if (st->disposition & AV_DISPOSITION_DEFAULT)
        score += 2;
    if (st->codecpar->width <= 0 || st->codecpar->height <= 0)
        score -= 1; /* nothing known of it */
    return score;
}

int fp_tracks_video(const AVFormatContext *fmt, int want)
{
    int best = -1, best_score = -1;

    if (want == FP_TRACK_OFF)
        return -1;
    if (want > 0) {
        best = nth_of_type(fmt, AVMEDIA_TYPE_VIDEO, want);
        return best >= 0 ? best : AVERROR_STREAM_NOT_FOUND;
    }
    /* The first of the best, as the file orders them: the order its author chose. */
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        int score;

        if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO)
            continue;
        score = picture_score(fmt, st);
        if (score > best_score) {
            best = (int)i;
            best_score = score;
        }
    }
    return best;
}

int fp_tracks_audio(AVFormatContext *fmt, int want, int video_index)
{
    int index;

    if (want == FP_TRACK_OFF)
        return -1;
    if (want > 0) {
        index = nth_of_type(fmt, AVMEDIA_TYPE_AUDIO, want);
        return index >= 0 ? index : AVERROR_STREAM_NOT_FOUND;
    }
    index = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, FFMAX(video_index, -1), NULL, 0);
    return index >= 0 ? index : -1;
}
