/*
 * The audio tracks: the sound's chain (decoder thread, packet queue, frame
 * queue, output) for the track chosen, and FP_CMD_AUDIO_TRACK, which swaps one
 * chain for another while playing.
 *
 * Each chain is owned whole by the player, and the pieces never move between
 * chains: a switch makes a new decoder, new queues and a new output for the
 * new track, and frees the old ones. Packets reach a queue only through the
 * reader (av_packet_move_ref in put), frames a queue only through the decoder
 * (av_frame_move_ref), and freeing a queue releases what it still holds.
 *
 * A switch, on the render thread:
 *   1. the old output is stopped: its frame queue aborted (the null sink's
 *      thread or the device's callback returns), then closed;
 *   2. the new chain is made and published in FPPlayer, and its decoder
 *      starts; the old decoder and queues wait in FPAudioTracks.old_*, where
 *      abort_all() still reaches them;
 *   3. the reader is asked to pass the new stream's packets to the new queue
 *      (fp_demux_switch_audio()) and, when it has (fp_demux_switch_done()),
 *      never touches the old queue again: the old queues are aborted, the old
 *      decoder joined, and all three freed;
 *   4. the reader seeks back to the picture (FP_SEEK_RESYNC): the picture
 *      goes on from its history, and the new sound starts with it. Only then
 *      does the new output start, so that nothing of the new track read
 *      before that seek is played or hashed.
 * A quit at any point is a quit as always: abort_all() aborts the current and
 * the old queues, and stop_threads() joins both decoders.
 */
#include <math.h>

#include <libavutil/channel_layout.h>

#include "player_internal.h"

/* One chain, while it is being made. */
typedef struct Chain {
    AVStream *st;
    FPDecoder *decoder;
    FPPacketQueue *pq;
    FPFrameQueue *fq;
    FPAudioOut *out;
} Chain;

static void free_chain(Chain *c)
{
    fp_audio_out_close(&c->out);
    fp_decoder_free(&c->decoder);
    fp_frame_queue_free(&c->fq);
    fp_packet_queue_free(&c->pq);
}

/*
 * A chain for st, nothing started. Sound is optional: on failure a warning
 * says why, with prefix before it, and nothing is left open.
 */
static int open_chain(FPPlayer *p, AVStream *st, Chain *c, const char *prefix)
{
    FPAudioOutOptions ao = {
        .headless = p->opts.headless,
        .volume = p->tracks.volume,
        .ts_discont = p->ts_discont,
        .trace = p->trace,
    };
    const char *what = "decoder";
    int ret;

    *c = (Chain){.st = st};
    ret = fp_decoder_open(&c->decoder, st, 0, 0);
    if (ret >= 0) {
        what = "queues";
        ret = fp_packet_queue_alloc(&c->pq, 1024, (size_t)4 << 20);
    }
    if (ret >= 0)
        ret = fp_frame_queue_alloc(&c->fq, 16);
    if (ret >= 0) {
        what = "output";
        ret = fp_audio_out_open(&c->out, st, c->fq, c->pq, &ao);
    }
    if (ret == AVERROR_DECODER_NOT_FOUND) {
        enum AVCodecID id = st->codecpar->codec_id;
        fp_message(p, AV_LOG_WARNING, "%sno sound: no decoder for the audio codec %s", prefix,
                   id == AV_CODEC_ID_NONE ? "(unknown to FFmpeg)" : avcodec_get_name(id));
    } else if (ret < 0) {
        fp_message(p, AV_LOG_WARNING, "%sno sound (%s %s: %s)", prefix,
                   avcodec_get_name(st->codecpar->codec_id), what, av_err2str(ret));
    }
    if (ret < 0) {
        free_chain(c);
        return ret;
    }
    if (p->trace) {
        fp_decoder_set_trace(c->decoder, p->trace);
        fp_packet_queue_set_trace(c->pq, p->trace, "audio_packets");
        fp_frame_queue_set_trace(c->fq, p->trace, "audio_frames");
    }
    if (p->tracks.muted)
        fp_audio_out_toggle_mute(c->out);
    return 0;
}

/* Make c the sound (an empty c: none), under the lock other threads read it with. */
static void publish(FPPlayer *p, const Chain *c)
{
    pthread_mutex_lock(&p->tracks.lock);
    p->audio_st = c->st;
    p->audio_decoder = c->decoder;
    p->audio_pq = c->pq;
    p->audio_fq = c->fq;
    p->audio = c->out;
    pthread_mutex_unlock(&p->tracks.lock);
}

int fp_audio_tracks_open(FPPlayer *p)
{
    AVStream *chosen = fp_demux_audio_stream(p->demux);
    FPAudioTracks *t = &p->tracks;
    Chain c;

    t->volume = p->opts.volume;
    while (fp_demux_audio_track(p->demux, t->count + 1))
        t->count++;
    t->streams = av_calloc(FFMAX(t->count, 1), sizeof(*t->streams));
    if (!t->streams)
        return AVERROR(ENOMEM);
    for (int i = 0; i < t->count; i++) {
        t->streams[i] = fp_demux_audio_track(p->demux, i + 1);
        if (t->streams[i] == chosen)
            t->chosen = i + 1;
    }
    if (!chosen)
        return 0;
    if (open_chain(p, chosen, &c, "") < 0) {
        fp_demux_drop_audio(p->demux);
        return 0;
    }
    publish(p, &c);
    return 0;
}

void fp_audio_tracks_abort(FPPlayer *p)
{
    FPAudioTracks *t = &p->tracks;

    pthread_mutex_lock(&t->lock);
    if (p->audio_pq)
        fp_packet_queue_abort(p->audio_pq);
    if (p->audio_fq)
        fp_frame_queue_abort(p->audio_fq);
    if (t->old_pq)
        fp_packet_queue_abort(t->old_pq);
    if (t->old_fq)
        fp_frame_queue_abort(t->old_fq);
    pthread_mutex_unlock(&t->lock);
}

/* The old track's decoder and queues: the reader has let go of them, or was joined. */
static void free_old(FPPlayer *p)
{
    FPAudioTracks *t = &p->tracks;
    Chain old;

    pthread_mutex_lock(&t->lock);
    old = (Chain){.decoder = t->old_decoder, .pq = t->old_pq, .fq = t->old_fq};
    t->old_decoder = NULL;
    t->old_pq = NULL;
    t->old_fq = NULL;
    pthread_mutex_unlock(&t->lock);
    if (old.pq)
        fp_packet_queue_abort(old.pq); /* the decoder may wait on either queue */
    if (old.fq)
        fp_frame_queue_abort(old.fq);
    free_chain(&old); /* joins the decoder first */
}

void fp_audio_tracks_join(FPPlayer *p)
{
    if (p->audio_decoder)
        fp_decoder_join(p->audio_decoder);
    free_old(p);
}

void fp_audio_tracks_close(FPPlayer *p)
{
    Chain c = {.decoder = p->audio_decoder, .pq = p->audio_pq, .fq = p->audio_fq,
               .out = p->audio};

    publish(p, &(Chain){0});
    free_chain(&c); /* the output first: the device's callback and the null sink read the queues */
    free_old(p);
    av_freep(&p->tracks.streams);
}

int64_t fp_audio_tracks_sound_errors(FPPlayer *p)
{
    int64_t errors;

    pthread_mutex_lock(&p->tracks.lock);
    errors = atomic_load(&p->tracks.sound_errors) +
             (p->audio ? fp_audio_out_convert_errors(p->audio) : 0);
    pthread_mutex_unlock(&p->tracks.lock);
    return errors;
}

int fp_audio_tracks_playing(FPPlayer *p)
{
    int playing;

    pthread_mutex_lock(&p->tracks.lock);
    playing = p->audio != NULL;
    pthread_mutex_unlock(&p->tracks.lock);
    return playing;
}

/* "audio: track 2/2 (opus, 48000 Hz mono)", or "audio: off". */
static void say_track(FPPlayer *p)
{
    const AVCodecParameters *par;
    char layout[64] = "?";

    if (!p->audio) {
        fp_message(p, AV_LOG_INFO, "audio: off");
        return;
    }
    par = p->audio_st->codecpar;
    av_channel_layout_describe(&par->ch_layout, layout, sizeof(layout));
    fp_message(p, AV_LOG_INFO, "audio: track %d/%d (%s, %d Hz %s)", p->tracks.chosen,
               p->tracks.count, avcodec_get_name(par->codec_id), par->sample_rate, layout);
}

/* The track cmd asks for, from 1, or 0 for none; -1 (with a message) when it cannot be. */
static int track_asked(FPPlayer *p, const FPCommand *cmd)
{
    FPAudioTracks *t = &p->tracks;
    int n = cmd->count;

    if (!t->count) {
        fp_message(p, AV_LOG_ERROR, "no audio track");
        return -1;
    }
    if (n == FP_AUDIO_TRACK_NEXT) {
        n = t->chosen < t->count ? t->chosen + 1 : 0;
        if (!n && !p->video_st) /* sound alone: the sound is all there is */
            n = 1;
    }
    if (n > t->count) {
        fp_message(p, AV_LOG_ERROR, "no audio track %d: the input has %d", n, t->count);
        return -1;
    }
    if (n < 0 || (!n && !p->video_st)) {
        fp_message(p, AV_LOG_ERROR, "cannot turn the sound off: there is no picture");
        return -1;
    }
    return n;
}

/* Where the sound is now, in stream seconds: sound alone starts the new track there. */
static double sound_position(FPPlayer *p)
{
    AVStream *st = p->audio_st;
    double now = NAN;

    if (p->audio && fp_audio_out_clock(p->audio, fp_clock_now(), &now) < 0)
        now = fp_audio_out_next_sound(p->audio);
    if (isnan(now) && st)
        now = st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time * av_q2d(st->time_base);
    return isnan(now) ? 0 : now;
}

int fp_audio_track_start(FPPlayer *p, const FPCommand *cmd)
{
    FPAudioTracks *t = &p->tracks;
    const AVFrame *f = fp_on_screen(p);
    int n = track_asked(p, cmd);
    double position;
    char prefix[64];
    Chain c = {0};

    if (n < 0)
        return FP_FINISHED;
    if (n == t->chosen && (p->audio || !n)) {
        say_track(p); /* nothing to switch */
        return FP_FINISHED;
    }
    /* Stream seconds: the new track starts at the picture on screen, or where the sound is. */
    position = !p->video_st ? sound_position(p)
               : f          ? f->best_effort_timestamp * av_q2d(p->video_st->time_base)
                            : -INFINITY;
    if (!p->video_st &&
        !avcodec_find_decoder(t->streams[n - 1]->codecpar->codec_id)) {
        fp_message(p, AV_LOG_ERROR, "cannot play audio track %d: no decoder for %s", n,
                   avcodec_get_name(t->streams[n - 1]->codecpar->codec_id));
        return FP_FINISHED;
    }

    /* 1. Stop the old output; its decoder and queues wait for the reader to let go. */
    if (p->audio) {
        t->volume = fp_audio_out_volume(p->audio);
        t->muted = fp_audio_out_muted(p->audio);
        fp_frame_queue_abort(p->audio_fq);
        atomic_fetch_add(&t->sound_errors, fp_audio_out_convert_errors(p->audio));
    }
    pthread_mutex_lock(&t->lock);
    t->old_decoder = p->audio_decoder;
    t->old_pq = p->audio_pq;
    t->old_fq = p->audio_fq;
    c.out = p->audio;
    p->audio_st = NULL;
    p->audio_decoder = NULL;
    p->audio_pq = NULL;
    p->audio_fq = NULL;
    p->audio = NULL;
    pthread_mutex_unlock(&t->lock);
    fp_audio_out_close(&c.out); /* the null sink's thread has returned, or the device's callback */
    p->sound_wait_until = 0; /* the picture waits for no sound until the new one starts */

    /* 2. The new chain, its decoder started; its output starts once the sound is in place. */
    t->chosen = n;
    snprintf(prefix, sizeof(prefix), "audio track %d/%d: ", n, t->count);
    if (n && open_chain(p, t->streams[n - 1], &c, prefix) >= 0) {
        publish(p, &c);
        fp_audio_out_set_position(p->audio, position);
        if (fp_decoder_start(p->audio_decoder, p->audio_pq, p->audio_fq) < 0) {
            fp_message(p, AV_LOG_WARNING, "%sno sound (the decoder thread did not start)", prefix);
            publish(p, &(Chain){0});
            free_chain(&c);
        }
    }
    if (p->audio)
        say_track(p);
    else if (!n)
        fp_message(p, AV_LOG_INFO, "audio: off");

    /* 3. The reader passes the new track's packets to the new queue, or none. */
    t->request = fp_demux_switch_audio(p->demux, p->audio_st, p->audio_pq);
    p->op.until = position; /* sound alone: where the reader seeks to (step 4) */
    return FP_CONTINUE;
}

/*
 * The sound is in place: play it, paused or not as the picture is. A null sink whose thread
 * cannot start would never consume, and the end would wait for it: the run ends then, as it
 * does when that happens at the start.
 */
static int start_output(FPPlayer *p)
{
    int ret = fp_audio_out_start(p->audio);

    if (ret < 0) {
        fp_player_set_error(p, "the audio output did not start: %s", av_err2str(ret));
        return ret;
    }
    fp_audio_out_set_paused(p->audio, p->paused);
    if (!p->paused)
        fp_pacing_expect_sound(p, fp_clock_now());
    return 0;
}

int fp_audio_track_advance(FPPlayer *p)
{
    FPOperation *op = &p->op;
    const AVFrame *f = fp_on_screen(p);
    int ret, serial;

    if (op->seeking && p->video_st) { /* 4. the resync */
        ret = fp_seek_advance(p);
        if (ret == FP_FINISHED && start_output(p) < 0)
            return AVERROR_EXTERNAL;
        return ret;
    }
    if (op->seeking) { /* 4. sound alone: a seek by the sound's time */
        if (!fp_demux_seek_result(p->demux, op->request, &serial)) {
            fp_idle(p, 0.001);
            return FP_CONTINUE;
        }
        return start_output(p) < 0 ? AVERROR_EXTERNAL : FP_FINISHED;
    }
    if (!fp_demux_switch_done(p->demux, p->tracks.request)) { /* 3. the reader answers */
        fp_idle(p, 0.001); /* within one packet read, or one slice of waiting for room */
        return FP_CONTINUE;
    }
    p->tracks.request = 0;
    free_old(p);
    if (!p->audio && !p->video_st) { /* sound alone, and now none: nothing is left to play */
        fp_player_set_error(p, "audio track %d/%d cannot be played", p->tracks.chosen,
                            p->tracks.count);
        return AVERROR_EXTERNAL;
    }
    if (!p->audio)
        return FP_FINISHED;
    if (!p->seekable || (p->video_st && !f)) /* the new track starts where the reader is */
        return start_output(p) < 0 ? AVERROR_EXTERNAL : FP_FINISHED;
    if (!p->video_st) {
        AVStream *st = p->audio_st;
        double tb = av_q2d(st->time_base);
        double start = st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time * tb;

        atomic_fetch_add(&p->seeks, 1);
        op->request = fp_demux_request_seek(p->demux, llrint(op->until / tb),
                                            op->until <= start ? FP_DEMUX_SEEK_START : 0);
        op->seeking = 1;
        return FP_CONTINUE;
    }
    /* 4. Seek the reader back to the picture; the picture goes on from its history. */
    op->mode = FP_SEEK_RESYNC;
    op->target = f->best_effort_timestamp;
    fp_seek_request(p, f->best_effort_timestamp);
    return FP_CONTINUE;
}
