/*
 * The render thread's loop. It carries out commands one at a time, in the
 * order they were posted (inbox.c), and plays between them: the operation
 * under way (a seek, steps, a wait) advances a little on every turn, so that
 * the window and the inbox are answered while it runs.
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include <libavutil/time.h>

#include "player_internal.h"

/* Hands what a person did in a window to the owner, who may post a command for it. */
static void poll_input(FPPlayer *p, int timeout_ms)
{
    FPEvent ev = {.type = FP_EVENT_INPUT};

    while (p->window->poll(p->window, timeout_ms, &ev.input)) {
        fp_emit(p, &ev);
        timeout_ms = 0;
    }
}

void fp_idle(FPPlayer *p, double seconds)
{
    seconds = FFMIN(FFMAX(seconds, 0.001), FP_SLICE_SECONDS);
    if (p->window)
        poll_input(p, (int)ceil(seconds * 1000));
    else if (p->op.type == FP_CMD_NONE && fp_inbox_commands_live(p))
        fp_inbox_wait(p, seconds); /* wakes when a command comes */
    else
        av_usleep((unsigned)(seconds * 1e6));
}

void fp_redraw(FPPlayer *p)
{
    for (int i = 0; i < p->nb_sinks; i++)
        if (p->sinks[i]->redraw)
            p->sinks[i]->redraw(p->sinks[i]);
}

static int start_fraction_seek(FPPlayer *p, const FPCommand *cmd);

/* Says where a seek goes, over the picture. */
static void seek_message(FPPlayer *p)
{
    fp_osd_message(p, "seek to %.3f s%s", fp_ts_seconds(p, p->op.target),
                   p->op.mode == FP_SEEK_KEY ? " (keyframe)" : "");
}

/* Starts cmd. Returns FP_FINISHED when it completed at once, FP_CONTINUE when it runs on. */
static int start_command(FPPlayer *p, const FPCommand *cmd)
{
    const AVFrame *f = fp_on_screen(p);

    p->op.type = cmd->type;
    p->op.count = cmd->count;
    p->op.interactive = cmd->interactive;
    if (!p->video_st && fp_sound_refuses(p, cmd))
        return FP_FINISHED;
    switch (cmd->type) {
    case FP_CMD_PAUSE:
    case FP_CMD_PLAY:
    case FP_CMD_TOGGLE:
        fp_pacing_set_paused(p, cmd->type == FP_CMD_TOGGLE ? !p->paused
                                                           : cmd->type == FP_CMD_PAUSE);
        fp_osd_message(p, "%s", p->paused ? "paused" : "playing");
        if (p->paused || !fp_pacing_sound_ahead(p))
            return FP_FINISHED;
        /* Seek the reader back to the picture; both streams restart from there. */
        p->op.mode = FP_SEEK_RESYNC;
        p->op.target = f->best_effort_timestamp;
        fp_seek_request(p, f->best_effort_timestamp);
        return FP_CONTINUE;
    case FP_CMD_STEP:
    case FP_CMD_BACK:
        fp_pacing_set_paused(p, 1);
        return FP_CONTINUE;
    case FP_CMD_SEEK:
        if (!p->seekable) {
            fp_message(p, AV_LOG_ERROR, "cannot seek: the input is not seekable");
            return FP_FINISHED;
        }
        if (cmd->fraction) /* a place in the input: that much of its duration */
            return start_fraction_seek(p, cmd);
        if (!p->video_st) {
            fp_sound_seek(p, cmd);
            return FP_FINISHED;
        }
        /* The first frame at or after the target: relative to the frame on screen, exactly. */
        fp_seek_start(p, cmd->keyframe ? FP_SEEK_KEY : FP_SEEK_EXACT,
                      (cmd->relative && f ? f->best_effort_timestamp : p->first_pts) +
                          fp_seconds_ts(p, cmd->relative ? cmd->seconds : FFMAX(cmd->seconds, 0),
                                        cmd->keyframe));
        seek_message(p);
        return FP_CONTINUE;
    case FP_CMD_WAIT:
        p->op.until = fp_clock_now() + cmd->seconds;
        return FP_CONTINUE;
    case FP_CMD_FRAME:
        if (!p->index) {
            fp_message(p, AV_LOG_ERROR, "cannot go to frame %d: there is no frame index (the "
                       "input is not a file that can be read twice)", cmd->count);
            return FP_FINISHED;
        }
        p->op.fraction = cmd->fraction ? cmd->seconds : -1;
        p->op.keyframe = cmd->keyframe;
        p->op.timeline = cmd->timeline;
        if (!cmd->timeline) /* as a step does: the frame asked for stays on screen */
            fp_pacing_set_paused(p, 1);
        return FP_CONTINUE;
    case FP_CMD_MD5:
        fp_info_md5(p);
        return FP_FINISHED;
    case FP_CMD_FRAME_INFO:
        if (f)
            fp_frames_emit_info(p, f, p->op.id, 0);
        return FP_FINISHED;
    case FP_CMD_SCREENSHOT:
        fp_info_screenshot(p, cmd->path);
        return FP_FINISHED;
    case FP_CMD_FULLSCREEN:
        if (p->window && p->window->toggle_fullscreen)
            p->window->toggle_fullscreen(p->window);
        return FP_FINISHED;
    case FP_CMD_INFO:
        p->info = !p->info;
        fp_info_update_title(p);
        fp_osd_refresh(p);
        return FP_FINISHED;
    case FP_CMD_VOLUME:
        if (p->audio) {
            fp_audio_out_set_volume(p->audio, fp_audio_out_volume(p->audio) + cmd->count);
            fp_osd_message(p, "volume %d%%%s", fp_audio_out_volume(p->audio),
                           fp_audio_out_muted(p->audio) ? " (muted)" : "");
        }
        return FP_FINISHED;
    case FP_CMD_MUTE:
        if (p->audio) {
            fp_audio_out_toggle_mute(p->audio);
            fp_osd_message(p, "%s", fp_audio_out_muted(p->audio) ? "mute" : "sound on");
        }
        return FP_FINISHED;
    case FP_CMD_TIMELINE:
        p->osd.pinned = !p->osd.pinned;
        fp_osd_refresh(p);
        return FP_FINISHED;
    case FP_CMD_GOP_STRIP:
        p->osd.gop_strip = !p->osd.gop_strip;
        fp_osd_refresh(p);
        return FP_FINISHED;
    case FP_CMD_LOUPE:
        p->osd.loupe = !p->osd.loupe;
        fp_osd_update(p);
        /* Shown again: the window keeps a reference to the frame while the loupe reads it. */
        if (p->window && f)
            p->window->show(p->window, f, fp_orientation_of(p, f));
        return FP_FINISHED;
    case FP_CMD_LOOP:
        fp_repeat_set(p, cmd->seconds, cmd->seconds_b);
        fp_osd_refresh(p);
        return FP_FINISHED;
    case FP_CMD_LOOP_MARK:
        fp_repeat_mark(p);
        return FP_FINISHED;
    case FP_CMD_GOP:
        return fp_inspect_gop(p);
    case FP_CMD_SHOW_TEXT:
        fp_osd_show_text(p, cmd->path, cmd->count < 0 ? -1 : cmd->count / 1000.0);
        return FP_FINISHED;
    case FP_CMD_HEADERS:
        return fp_inspect_headers(p);
    case FP_CMD_INSPECTOR:
        p->osd.inspector = !p->osd.inspector;
        fp_osd_refresh(p);
        return FP_FINISHED;
    case FP_CMD_PIXEL:
        fp_inspect_pixel(p, cmd->x, cmd->y);
        return FP_FINISHED;
    case FP_CMD_AUDIO_TRACK:
        return fp_audio_track_start(p, cmd);
    case FP_CMD_OVERLAY:
        p->overlay = !p->overlay;
        fp_osd_refresh(p);
        return FP_FINISHED;
    default:
        return FP_FINISHED;
    }
}

/*
 * Go to frame p->op.count: its time comes from the frame index, which the
 * command waits for (playback does not), then an exact seek shows it.
 */
static int start_frame_seek(FPPlayer *p)
{
    int64_t n = p->op.count, ts;
    int ret = fp_index_done(p->index);

    if (ret == 0) {
        fp_idle(p, FP_SLICE_SECONDS);
        return FP_CONTINUE;
    }
    if (p->op.fraction >= 0) { /* the frame under that place of the timeline */
        int64_t total = fp_frames_total(p);

        n = FFMIN((int64_t)(p->op.fraction * FFMAX(total, 0)), total - 1);
        if (total <= 0) {
            fp_message(p, AV_LOG_ERROR, "cannot go to %.1f%% of the frames: %s",
                       p->op.fraction * 100, "the frame index has not counted them");
            return FP_FINISHED;
        }
    }
    ret = fp_frames_ts(p, n, &ts);
    if (ret < 0) {
        fp_message(p, AV_LOG_ERROR, "cannot go to frame %lld: %s", (long long)n,
                   ret == AVERROR(ENOSYS) ? "the frames of this stream cannot be numbered"
                   : ret == AVERROR(EAGAIN) ? "the frame index has no frames"
                                            : av_err2str(ret));
        return FP_FINISHED;
    }
    p->op.by_pos = fp_frames_key_pos(p, n, &p->op.key_pos) >= 0;
    fp_seek_start(p, p->op.keyframe ? FP_SEEK_KEY : FP_SEEK_EXACT, ts);
    if (!p->op.timeline) /* the timeline's own playhead says where it goes */
        fp_osd_message(p, "frame %lld%s", (long long)n, p->op.keyframe ? " (keyframe)" : "");
    return FP_CONTINUE;
}

/* FP_CMD_SEEK by a fraction of the input's duration, as ffplay's right click. */
static int start_fraction_seek(FPPlayer *p, const FPCommand *cmd)
{
    double seconds = fp_frames_seconds(p);
    FPCommand seek = *cmd;

    if (seconds < 0) {
        fp_message(p, AV_LOG_ERROR, "cannot seek to %.1f%%: the duration is not known",
                   cmd->seconds * 100);
        return FP_FINISHED;
    }
    seek.fraction = 0;
    seek.relative = 0;
    seek.seconds = cmd->seconds * seconds;
    return start_command(p, &seek);
}

static int advance_operation(FPPlayer *p)
{
    switch (p->op.type) {
    case FP_CMD_SEEK:
    case FP_CMD_PLAY:
    case FP_CMD_TOGGLE: /* bringing the sound back (fp_pacing_sound_ahead) */
        return fp_seek_advance(p);
    case FP_CMD_STEP:
        return fp_step_forward(p);
    case FP_CMD_BACK:
        return p->op.seeking ? fp_seek_advance(p) : fp_step_back(p);
    case FP_CMD_FRAME:
        return p->op.seeking ? fp_seek_advance(p) : start_frame_seek(p);
    case FP_CMD_AUDIO_TRACK:
        return fp_audio_track_advance(p);
    case FP_CMD_GOP:
        return fp_inspect_gop(p);
    case FP_CMD_HEADERS:
        return fp_inspect_headers(p);
    case FP_CMD_WAIT:
        if (fp_clock_now() >= p->op.until)
            return FP_FINISHED;
        if (p->paused) {
            fp_idle(p, p->op.until - fp_clock_now());
            return FP_CONTINUE;
        }
        return fp_pacing_advance(p) == FP_FINISHED ? FP_FINISHED : FP_CONTINUE;
    default:
        return FP_FINISHED;
    }
}

static void complete_operation(FPPlayer *p)
{
    uint64_t id = p->op.id;

    memset(&p->op, 0, sizeof(p->op));
    fp_command_done(p, id);
}

/*
 * Arrow keys pressed while a seek by key runs move its target instead of
 * queueing more seeks; the reader drops the request they replace.
 */
static void merge_keys(FPPlayer *p)
{
    FPPosted next;

    while (p->op.type == FP_CMD_SEEK && p->op.mode == FP_SEEK_EXACT && p->op.interactive &&
           fp_inbox_peek(p, &next) && next.cmd.type == FP_CMD_SEEK && next.cmd.relative &&
           next.cmd.interactive && fp_inbox_take(p, &next)) {
        fp_seek_start(p, FP_SEEK_EXACT, p->op.target + fp_seconds_ts(p, next.cmd.seconds, 0));
        seek_message(p);
        fp_command_done(p, next.id);
    }
    /* A drag along the timeline: only where the pointer is now matters. */
    while (p->op.type == FP_CMD_FRAME && p->op.timeline && fp_inbox_peek(p, &next) &&
           next.cmd.type == FP_CMD_FRAME && next.cmd.timeline && fp_inbox_take(p, &next)) {
        fp_command_done(p, p->op.id);
        p->op.id = next.id;
        p->op.seeking = 0;
        if (start_command(p, &next.cmd) == FP_FINISHED) {
            complete_operation(p);
            break;
        }
    }
}

static int show_first_frame(FPPlayer *p)
{
    int ret;

    do {
        if (atomic_load(&p->quit))
            return AVERROR_EXIT;
        ret = fp_intake_fetch(p, p->window ? (int64_t)(FP_SLICE_SECONDS * 1e6) : -1);
        if (ret == AVERROR(EAGAIN))
            fp_idle(p, 0);
    } while (ret == AVERROR(EAGAIN));
    if (ret == AVERROR_EOF)
        return FP_ERROR_NO_FRAMES;
    if (ret < 0)
        return ret;
    p->first_pts = p->pending->best_effort_timestamp;
    fp_repeat_init(p);
    ret = fp_intake_append(p);
    if (ret < 0)
        return ret;
    if (p->opts.frame_info && p->index) {
        /* Every line of the export has its frame number: the index first. */
        while (!fp_index_done(p->index) && !atomic_load(&p->quit))
            fp_index_wait(p->index, (int64_t)(FP_SLICE_SECONDS * 1e6));
    }
    if (p->opts.start_frame > 0 && p->seekable && p->index) {
        /* Opened at a frame: as the script's 'frame N', but playing unless asked to pause. */
        FPCommand go = {.type = FP_CMD_FRAME, .count = (int)FFMIN(p->opts.start_frame, INT_MAX)};

        fp_clock_set(&p->clock, 0, fp_clock_now());
        ret = start_command(p, &go);
        fp_pacing_set_paused(p, p->opts.start_paused);
        return ret == FP_FINISHED ? fp_show(p, 0) : 0;
    }
    if (p->opts.start_frame > 0)
        fp_message(p, AV_LOG_ERROR, "cannot start at frame %lld: %s",
                   (long long)p->opts.start_frame,
                   p->seekable ? "there is no frame index (the input is not a file that can "
                                 "be read twice)"
                               : "the input is not seekable");
    if (p->opts.start_seconds > 0 && p->seekable && p->opts.start_frame <= 0) {
        /* Opened at a time: the first frame only sets where times count from; the seek shows. */
        FPCommand seek = {.type = FP_CMD_SEEK, .seconds = p->opts.start_seconds};

        fp_clock_set(&p->clock, 0, fp_clock_now());
        fp_pacing_set_paused(p, p->opts.start_paused);
        return start_command(p, &seek) == FP_FINISHED ? fp_show(p, 0) : 0;
    }
    if (p->opts.start_seconds > 0 && p->opts.start_frame <= 0)
        fp_message(p, AV_LOG_ERROR, "cannot start at %g s: the input is not seekable",
                   p->opts.start_seconds);
    ret = fp_show(p, 0);
    /* Only now: the first present can take tens of milliseconds (a new X shared-memory image). */
    fp_clock_set(&p->clock, 0, fp_clock_now());
    fp_pacing_set_paused(p, p->opts.start_paused);
    return ret;
}

/* One turn of the loop: FP_CONTINUE, FP_FINISHED (playback is over) or an error. */
static int turn(FPPlayer *p)
{
    FPPosted next;
    int ret;

    if (p->window) {
        poll_input(p, 0);
        fp_osd_tick(p);
    }
    if (atomic_load(&p->quit))
        return FP_FINISHED;
    merge_keys(p);
    if (p->op.type == FP_CMD_NONE && fp_inbox_take(p, &next)) {
        p->op.id = next.id;
        if (start_command(p, &next.cmd) == FP_FINISHED)
            complete_operation(p);
        return FP_CONTINUE;
    }
    if (p->op.type != FP_CMD_NONE) {
        ret = advance_operation(p);
        if (ret == FP_FINISHED && p->op.repeat)
            fp_repeat_landed(p);
        else if (ret == FP_FINISHED)
            complete_operation(p);
        return ret < 0 ? ret : FP_CONTINUE;
    }
    if (!p->paused)
        return fp_pacing_advance(p);
    /* Paused with nothing to do. Headless, only a command can resume it. */
    if (!p->window && !fp_inbox_commands_live(p))
        return FP_FINISHED;
    fp_idle(p, FP_SLICE_SECONDS);
    return FP_CONTINUE;
}

/* Sound alone starts at once, with the window (if any) black. */
static int start_sound(FPPlayer *p)
{
    FPCommand seek = {.type = FP_CMD_SEEK, .seconds = p->opts.start_seconds};

    if (seek.seconds > 0)
        start_command(p, &seek); /* a seek by the audio clock is done at once */
    memset(&p->op, 0, sizeof(p->op));
    fp_pacing_set_paused(p, p->opts.start_paused);
    fp_redraw(p);
    return 0;
}

int fp_playback_run(FPPlayer *p)
{
    int ret;

    fp_trace_set_thread("render");
    p->serial = 0;
    p->last_ts = AV_NOPTS_VALUE;
    fp_repeat_init(p);
    p->paced = p->window || p->opts.realtime || p->opts.commands;
    ret = p->video_st ? show_first_frame(p) : start_sound(p);
    while (ret >= 0 && !atomic_load(&p->quit)) {
        ret = turn(p);
        if (ret == FP_FINISHED)
            return 0;
    }
    /* A quit is not a failure: see fp_player_run(). */
    return ret == AVERROR_EXIT && atomic_load(&p->quit) ? 0 : FFMIN(ret, 0);
}
