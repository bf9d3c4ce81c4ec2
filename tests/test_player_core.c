/*
 * The player core driven only through its door: commands posted with
 * fp_player_post(), a fake video sink that records every frame it is shown,
 * and the events. Headless, without sound: no SDL is used.
 *
 * Which frame reached the sink is told by its MD5 against the ffmpeg CLI's
 * framemd5 of the asset, so a landing is checked by content, not by the
 * player's own idea of time. After each command, the frame on screen is the
 * last one the sink was shown before the command's FP_EVENT_COMMAND_DONE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framepipe/player.h"
#include "check.h"
#include "framemd5.h"

#define CLIP "h264_framenum_320x240_25fps.mp4" /* 60 frames at 25 fps; keyframes 0, 25, 50 */
#define NB_FRAMES 60
#define MAX_SHOWN 4096
#define MAX_COMMANDS 32

static char clip[4096];
static char ref_md5[NB_FRAMES][33];

/* What the fake sink and the event callback saw. */
typedef struct Record {
    int opened;
    FPVideoFormat format;
    int shown[MAX_SHOWN]; /* frame numbers, in the order shown; -1: not a frame of the clip */
    int nb_shown;
    int shown_events;     /* FP_EVENT_FRAME_SHOWN */
    uint64_t done_id[MAX_COMMANDS];
    int done_at[MAX_COMMANDS]; /* sink entries when each command was done */
    int nb_done;
    int messages;
} Record;

static int frame_number(const char *md5)
{
    for (int i = 0; i < NB_FRAMES; i++)
        if (!strcmp(ref_md5[i], md5))
            return i;
    return -1;
}

static int fake_open(FPVideoSink *s, const FPVideoFormat *fmt)
{
    Record *r = s->priv;

    r->opened++;
    r->format = *fmt;
    r->format.name = NULL; /* borrowed for the call only */
    return 0;
}

static int fake_show(FPVideoSink *s, const AVFrame *frame, FPOrientation o)
{
    Record *r = s->priv;
    char md5[33];

    (void)o;
    if (fp_frame_md5(frame, md5, NULL) < 0 || r->nb_shown == MAX_SHOWN)
        return AVERROR(EINVAL);
    r->shown[r->nb_shown++] = frame_number(md5);
    return 0;
}

static void on_event(void *opaque, const FPEvent *ev)
{
    Record *r = opaque;

    if (ev->type == FP_EVENT_FRAME_SHOWN)
        r->shown_events++;
    if (ev->type == FP_EVENT_MESSAGE)
        r->messages++;
    if (ev->type == FP_EVENT_COMMAND_DONE && r->nb_done < MAX_COMMANDS) {
        r->done_id[r->nb_done] = ev->id;
        r->done_at[r->nb_done++] = r->nb_shown;
    }
}

/* The frame on screen when command i (in the order posted) was done. */
static int landed(const Record *r, int i)
{
    return i < r->nb_done && r->done_at[i] > 0 ? r->shown[r->done_at[i] - 1] : -2;
}

/* Play CLIP paused from the start, running the script lines in order; fill r. */
static void run(const char *const *lines, int nb_lines, Record *r)
{
    FPVideoSink sink = {.name = "fake", .priv = r, .open = fake_open, .show = fake_show};
    FPPlayerOptions o;
    FPPlayer *p = NULL;
    uint64_t ids[MAX_COMMANDS];
    char err[128];

    memset(r, 0, sizeof(*r));
    fp_player_options_default(&o);
    o.headless = 1;
    o.no_audio = 1;
    o.start_paused = 1;
    o.commands = 1;
    o.step_history_bytes = 1 << 20; /* about nine of these frames: back-steps refill */
    o.sink = &sink;
    o.on_event = on_event;
    o.event_opaque = r;
    CHECK_EQ_INT(fp_player_open(&p, clip, &o), 0);
    if (!p)
        return;
    for (int i = 0; i < nb_lines; i++) {
        FPCommand cmd;
        CHECK_EQ_INT(fp_command_parse(lines[i], &cmd, err, sizeof(err)), 0);
        CHECK_EQ_INT(fp_player_post(p, &cmd, &ids[i]), 0);
        CHECK_EQ_INT(ids[i], i + 1);
    }
    fp_player_end_commands(p);
    CHECK_EQ_INT(fp_player_run(p), 0);
    fp_player_close(&p);
    CHECK_EQ_INT(r->opened, 1);
    CHECK_EQ_INT(r->nb_done, nb_lines);
    for (int i = 0; i < r->nb_done; i++)
        CHECK_EQ_INT(r->done_id[i], i + 1); /* one at a time, in the order posted */
    CHECK_EQ_INT(r->shown_events, r->nb_shown);
    for (int i = 0; i < r->nb_shown; i++)
        CHECK(r->shown[i] >= 0); /* every frame shown is one of ffmpeg's, bit for bit */
}

/* entries [from, to) of the sink's record are the frames first, first + step, ... */
static int shown_run(const Record *r, int from, int to, int first, int step)
{
    for (int i = from; i < to; i++)
        if (r->shown[i] != first + (i - from) * step)
            return 0;
    return to > from;
}

static void test_open_tells_the_sink(void)
{
    Record r;

    run(NULL, 0, &r);
    CHECK_EQ_INT(r.format.has_video, 1);
    CHECK_EQ_INT(r.format.width, 320);
    CHECK_EQ_INT(r.format.height, 240);
    CHECK_EQ_INT(r.format.frame_rate.num * 1, 25 * r.format.frame_rate.den);
    CHECK_EQ_INT(r.nb_shown, 1); /* paused on the first frame, and nothing can resume it */
    CHECK_EQ_INT(r.shown[0], 0);
}

static void test_steps_and_back_steps(void)
{
    static const char *const lines[] = {"step", "step 10", "back", "back 9", "back", "back"};
    Record r;

    run(lines, 6, &r);
    CHECK_EQ_INT(landed(&r, 0), 1);
    CHECK_EQ_INT(landed(&r, 1), 11);
    CHECK(shown_run(&r, r.done_at[0], r.done_at[1], 2, 1)); /* every frame of the ten, in order */
    CHECK_EQ_INT(landed(&r, 2), 10);
    CHECK_EQ_INT(landed(&r, 3), 1); /* beyond the history: refilled from the keyframe at 0 */
    for (int i = r.done_at[2]; i < r.done_at[3] - 1; i++)
        CHECK(r.shown[i] > r.shown[i + 1]); /* back-steps only go back */
    CHECK_EQ_INT(landed(&r, 4), 0);
    CHECK_EQ_INT(r.done_at[5], r.done_at[4]); /* at the first frame already: nothing shown */
}

static void test_exact_and_key_seeks(void)
{
    static const char *const lines[] = {
        "seek 1.2",   /* frame 30 exactly */
        "seek 1.23",  /* between 30 and 31: the first at or after it */
        "seek 0.5 key", "seek 1.5 key", /* the keyframes at or before: 0 and 25 */
        "seek +0.4",  /* 25 + 10 */
        "seek -0.2",  /* 35 - 5 */
        "seek 100",   /* past the end: the last frame */
        "seek 0",
    };
    Record r;

    run(lines, 8, &r);
    CHECK_EQ_INT(landed(&r, 0), 30);
    CHECK_EQ_INT(landed(&r, 1), 31);
    CHECK_EQ_INT(landed(&r, 2), 0);
    CHECK_EQ_INT(landed(&r, 3), 25);
    CHECK_EQ_INT(landed(&r, 4), 35);
    CHECK_EQ_INT(landed(&r, 5), 30);
    CHECK_EQ_INT(landed(&r, 6), NB_FRAMES - 1);
    CHECK_EQ_INT(landed(&r, 7), 0);
    for (int i = 1; i < 8; i++) /* an exact seek shows only where it lands */
        CHECK_EQ_INT(r.done_at[i] - r.done_at[i - 1], 1);
}

static void test_play_and_pause(void)
{
    static const char *const lines[] = {"seek 0.4", "play", "wait 0.3", "pause", "wait 0.2",
                                        "md5"};
    Record r;

    run(lines, 6, &r);
    CHECK_EQ_INT(landed(&r, 0), 10);
    /* Playing shows every frame on from there, in order, at 25 fps: about 7 in 0.3 s. */
    CHECK(shown_run(&r, r.done_at[0] - 1, r.done_at[3], 10, 1));
    CHECK(r.done_at[3] - r.done_at[1] >= 3 && r.done_at[3] - r.done_at[1] <= 12);
    CHECK_EQ_INT(r.done_at[5], r.done_at[3]); /* paused: nothing more, not even in 0.2 s */
}

static void test_bad_commands(void)
{
    FPPlayerOptions o;
    FPPlayer *p = NULL;
    FPCommand cmd = {.type = FP_CMD_STEP, .count = 1};
    uint64_t id;
    int posted = 0, ret;

    fp_player_options_default(&o);
    o.headless = 1;
    o.no_audio = 1;
    o.commands = 1;
    CHECK_EQ_INT(fp_player_open(&p, clip, &o), 0);
    if (!p)
        return;
    /* The inbox is bounded: a full one says so and takes nothing. */
    while ((ret = fp_player_post(p, &cmd, &id)) == 0 && posted < 1000)
        posted++;
    CHECK_EQ_INT(ret, AVERROR(EAGAIN));
    CHECK_EQ_INT(posted, FP_PLAYER_MAX_POSTED);
    cmd.type = FP_CMD_QUIT;
    CHECK_EQ_INT(fp_player_post(p, &cmd, NULL), 0);
    cmd.type = FP_CMD_STEP;
    CHECK_EQ_INT(fp_player_post(p, &cmd, &id), AVERROR_EXIT); /* after a quit */
    CHECK_EQ_INT(fp_player_run(p), 0);
    fp_player_close(&p);
}

int main(int argc, char **argv)
{
    char path[4200], line[256];
    FILE *f;
    int n = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: test_player_core ASSETS_DIR REFS_DIR\n");
        return 2;
    }
    snprintf(clip, sizeof(clip), "%s/%s", argv[1], CLIP);
    snprintf(path, sizeof(path), "%s/%s.framemd5", argv[2], CLIP);
    f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    while (fgets(line, sizeof(line), f) && n < NB_FRAMES) {
        char *md5 = strrchr(line, ',');
        if (line[0] == '#' || !md5 || sscanf(md5 + 1, " %32s", ref_md5[n]) != 1)
            continue;
        n++;
    }
    fclose(f);
    CHECK_EQ_INT(n, NB_FRAMES);
    RUN_TEST(test_open_tells_the_sink);
    RUN_TEST(test_steps_and_back_steps);
    RUN_TEST(test_exact_and_key_seeks);
    RUN_TEST(test_play_and_pause);
    RUN_TEST(test_bad_commands);
    return CHECK_EXIT();
}
