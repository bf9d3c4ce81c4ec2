/*
 * Sound alone: the render loop (loop.c) runs as it does for a picture, with
 * no frames. Keys and a script drive it, with seeks by time; a script's wait
 * lets the sound play; the end of the sound is the end of playback. What is
 * different lives here: a seek is by the audio clock, and what needs a
 * picture is refused. Headless, the null sink consumes the sound as fast as
 * it comes, with no pause and no clock.
 */
#include <math.h>

#include "player_internal.h"

/*
 * A seek: where the sound is now comes from the audio clock (or, paused,
 * where it resumes), and the device drops what comes before the target.
 * Seeking past the end ends playback, as the end does.
 */
void fp_sound_seek(FPPlayer *p, const FPCommand *cmd)
{
    AVStream *st = p->audio_st;
    double tb = av_q2d(st->time_base), now, target;
    double start = st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time * tb;

    if (fp_audio_out_clock(p->audio, fp_clock_now(), &now) < 0) {
        now = fp_audio_out_next_sound(p->audio);
        if (isnan(now))
            now = start;
    }
    target = FFMAX(cmd->relative ? now + cmd->seconds : start + cmd->seconds, start);
    atomic_fetch_add(&p->seeks, 1);
    fp_audio_out_set_position(p->audio, target);
    fp_demux_request_seek(p->demux, llrint(target / tb), target <= start ? FP_DEMUX_SEEK_START : 0);
}

int fp_sound_refuses(FPPlayer *p, const FPCommand *cmd)
{
    const char *what;

    switch (cmd->type) {
    case FP_CMD_STEP: what = "step"; break;
    case FP_CMD_BACK: what = "step back"; break;
    case FP_CMD_MD5: what = "hash the picture"; break;
    case FP_CMD_SCREENSHOT: what = "take a screenshot"; break;
    case FP_CMD_FRAME: what = "go to a frame"; break;
    case FP_CMD_FRAME_INFO: what = "describe the frame"; break;
    case FP_CMD_HEADERS: what = "show the headers"; break;
    case FP_CMD_GOP: what = "show the GOP"; break;
    case FP_CMD_PIXEL: what = "read a pixel"; break;
    /* An A-B loop is kept in video ticks and checked as frames are shown; "loop off" is harmless. */
    case FP_CMD_LOOP:
        if (cmd->seconds < 0 || cmd->seconds_b <= cmd->seconds)
            return 0;
        /* fall through */
    case FP_CMD_LOOP_MARK: what = "set an A-B loop"; break;
    default: return 0;
    }
    fp_message(p, AV_LOG_ERROR, "cannot %s: there is no picture", what);
    return 1;
}

int fp_sound_advance(FPPlayer *p)
{
    if (fp_audio_out_ended(p->audio))
        return 1;
    fp_idle(p, FP_SLICE_SECONDS);
    return 0;
}
