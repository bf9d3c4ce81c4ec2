/*
 * Keys in a window (SDL_VIDEODRIVER=offscreen): arrow keys that arrive
 * together or while a seek runs become one seek by their sum, never a queue of
 * seeks; a seek past the end shows the last frame; 'c' saves the frame on
 * screen, after the seeks before it, as framepipe-<seconds>.png.
 *
 * With sound alone, arrow keys seek the sound: SDL's disk audio driver
 * records what the device plays, in real time, and its length tells where
 * playback went.
 *
 * On a pipe nothing can seek: arrow keys are refused, and steps forward and
 * back inside the step history still land.
 *
 * Key events are pushed with SDL_PushEvent (thread-safe), as the window
 * system would deliver them. Where they land is read from --framemd5 output:
 * its last line is the frame on screen, compared with the reference for the
 * expected frame. Each run ends when the screenshot file appears.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include "framepipe/player.h"
#include "check.h"
#include "framemd5.h"
#include "keys.h"

#define CLIP "h264_long_160x120_2fps_90s.mp4" /* 2 fps, 90 s: frame n is at n / 2 s */
#define LAST_FRAME 179

#define SOUND_CLIP "sound_only_aac_2s.m4a"
#define PIPE_CLIP "mpeg2_mp2_framenum_320x240_25fps.ts" /* 25 fps, with sound */

static char clip[PATH_MAX + 64], ref[PATH_MAX + 64], sound_clip[PATH_MAX + 64], workdir[PATH_MAX];
static char pipe_clip[PATH_MAX + 64], pipe_ref[PATH_MAX + 64];

typedef struct Keys {
    FPPlayer *player;
    const SDL_Keycode *keys;
    int nb_keys;
    int interval_us; /* 0: all pushed before the player runs */
    char shot[256];  /* the screenshot's name, once it exists */
} Keys;

static void push_key(SDL_Keycode sym, int repeat)
{
    SDL_Event ev = {.type = SDL_KEYDOWN};

    ev.key.state = SDL_PRESSED;
    ev.key.repeat = repeat;
    ev.key.keysym.sym = sym;
    SDL_PushEvent(&ev);
}

/* The name of the first framepipe-*.png in the working directory, if any. */
static int find_shot(char *name, size_t size)
{
    DIR *dir = opendir(".");
    struct dirent *e;
    int found = 0;

    while (dir && !found && (e = readdir(dir)))
        if (!strncmp(e->d_name, "framepipe-", 10) && strstr(e->d_name, ".png")) {
            snprintf(name, size, "%s", e->d_name);
            found = 1;
        }
    if (dir)
        closedir(dir);
    return found;
}

/* Pushes the keys held down (SDL's repeats), then 'c', then waits for the screenshot and quits. */
static void *press_keys(void *arg)
{
    Keys *k = arg;

    if (k->interval_us) {
        for (int i = 0; i < k->nb_keys; i++) {
            push_key(k->keys[i], i > 0 && k->keys[i] == k->keys[i - 1]);
            sleep_us(k->interval_us);
        }
        push_key(SDLK_c, 0);
    }
    for (int i = 0; i < 2000 && !find_shot(k->shot, sizeof(k->shot)); i++)
        sleep_us(10000);
    sleep_us(50000); /* the file appears on open: let the encoder finish writing it */
    fp_player_request_quit(k->player);
    return NULL;
}

/* Keys mean what the program's key table says. */
static void on_event(void *opaque, const FPEvent *ev)
{
    FPPlayer *_Atomic *player = opaque;
    FPCommand cmd;

    if (ev->type == FP_EVENT_INPUT && atomic_load(player) && fp_keys_command(&ev->input, &cmd))
        fp_player_post(atomic_load(player), &cmd, NULL);
}

static FPPlayer *_Atomic keyed_player;

/* Line n of a framemd5 file (0-based, comments skipped), its MD5 column, or "". */
static void framemd5_md5(const char *path, int n, char md5[33])
{
    FILE *f = fopen(path, "r");
    char line[512];
    int i = 0;

    md5[0] = 0;
    while (f && fgets(line, sizeof(line), f)) {
        char *last = strrchr(line, ',');
        if (line[0] == '#' || !last)
            continue;
        if (n < 0 || i++ == n)
            sscanf(last + 1, " %32s", md5);
    }
    if (f)
        fclose(f);
}

/*
 * Runs input (ref: its framemd5 reference, fps its frame rate) paused on its
 * first frame with the keys, and checks the frame on screen at the end against
 * the reference's frame expected, the screenshot's name against its time, and
 * the number of seeks against min_seeks and max_seeks.
 */
static void run_keys_on(const char *input, const char *input_ref, double fps,
                        const SDL_Keycode *keys, int nb_keys, int interval_us, int expected,
                        int min_seeks, int max_seeks)
{
    FPPlayerOptions o;
    FPPlayer *p = NULL;
    FPPlayerStats s;
    Keys k = {.keys = keys, .nb_keys = nb_keys, .interval_us = interval_us};
    char shown[33], want[33], name[64];
    pthread_t thread;
    FILE *md5 = fopen("shown.framemd5", "w");
    FPVideoSink *sink = NULL;

    fp_player_options_default(&o);
    o.start_paused = 1;
    CHECK_EQ_INT(fp_framemd5_sink_alloc(&sink, md5), 0);
    o.sink = sink;
    o.on_event = on_event;
    o.event_opaque = &keyed_player;
    CHECK_EQ_INT(fp_player_open(&p, input, &o), 0);
    if (!p) {
        fp_framemd5_sink_free(&sink);
        fclose(md5);
        return;
    }
    atomic_store(&keyed_player, p);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT); /* the window's own events, if any */
    if (!interval_us) {
        for (int i = 0; i < nb_keys; i++)
            push_key(keys[i], 0);
        push_key(SDLK_c, 0);
    }
    k.player = p;
    pthread_create(&thread, NULL, press_keys, &k);
    CHECK_EQ_INT(fp_player_run(p), 0);
    pthread_join(thread, NULL);
    fp_player_stats(p, &s);
    atomic_store(&keyed_player, NULL);
    fp_player_close(&p);
    fp_framemd5_sink_free(&sink);
    fclose(md5);

    framemd5_md5("shown.framemd5", -1, shown);
    framemd5_md5(input_ref, expected, want);
    snprintf(name, sizeof(name), "framepipe-%.3f.png", expected / fps);
    printf("  %d keys: frame %s (want %s, frame %d), %lld seeks (%lld within reach), "
           "screenshot %s\n", nb_keys, shown, want, expected,
           (long long)(s.seeks + s.seeks_in_reach), (long long)s.seeks_in_reach, k.shot);
    CHECK(want[0] && !strcmp(shown, want));
    CHECK(!strcmp(k.shot, name));
    /* A seek to a frame the history holds, or ahead of the decoder in its GOP, asks nothing
       of the reader: it counts in seeks_in_reach. */
    CHECK(s.seeks + s.seeks_in_reach >= min_seeks && s.seeks + s.seeks_in_reach <= max_seeks);
    if (k.shot[0])
        unlink(k.shot);
    unlink("shown.framemd5");
}

static void run_keys(const SDL_Keycode *keys, int nb_keys, int interval_us, int expected,
                     int max_seeks)
{
    run_keys_on(clip, ref, 2, keys, nb_keys, interval_us, expected, 1, max_seeks);
}

/* Seven times right and twice left, all waiting in the event queue: one seek to 25 s. */
static void test_keys_together_seek_once(void)
{
    static const SDL_Keycode keys[] = {SDLK_RIGHT, SDLK_RIGHT, SDLK_RIGHT, SDLK_RIGHT, SDLK_RIGHT,
                                       SDLK_RIGHT, SDLK_RIGHT, SDLK_LEFT,  SDLK_LEFT};

    run_keys(keys, 9, 0, 50, 1);
}

/* Right held down, twelve fast repeats while the seeks run: wherever they coalesce, 60 s. */
static void test_held_key_lands_on_the_sum(void)
{
    SDL_Keycode keys[12];

    for (int i = 0; i < 12; i++)
        keys[i] = SDLK_RIGHT;
    run_keys(keys, 12, 2000, 120, 12);
}

/* Up twice (120 s) on a 90 s clip: the last frame, not an end of playback. */
static void test_seek_past_end_shows_last_frame(void)
{
    static const SDL_Keycode keys[] = {SDLK_UP, SDLK_UP};

    run_keys(keys, 2, 0, LAST_FRAME, 1);
}

/* Up, then down three times: clamped at the first frame. */
static void test_seek_before_start_shows_first_frame(void)
{
    static const SDL_Keycode keys[] = {SDLK_UP, SDLK_DOWN, SDLK_DOWN, SDLK_DOWN};

    run_keys(keys, 4, 0, 0, 1);
}

/* Feeds a file into a pipe until it ends or the reader goes away. */
static void *feed_pipe(void *arg)
{
    int *fds = arg;
    FILE *f = fopen(pipe_clip, "rb");
    char buf[65536];
    size_t n;

    while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
        if (write(fds[1], buf, n) != (ssize_t)n)
            break; /* EPIPE: the player quit before the end */
    if (f)
        fclose(f);
    close(fds[1]);
    return NULL;
}

/*
 * The TS clip through a pipe: three steps, the arrow keys (refused, no seek),
 * a back-step from the history. Frame 2, and the player neither seeks nor hangs.
 */
static void test_keys_on_a_pipe(void)
{
    static const SDL_Keycode keys[] = {SDLK_s,    SDLK_s,     SDLK_s,  SDLK_RIGHT, SDLK_UP,
                                       SDLK_LEFT, SDLK_COMMA, SDLK_DOWN};
    char input[32];
    pthread_t feeder;
    int fds[2];

    if (pipe(fds)) {
        CHECK(!"pipe");
        return;
    }
    signal(SIGPIPE, SIG_IGN);
    pthread_create(&feeder, NULL, feed_pipe, fds);
    snprintf(input, sizeof(input), "pipe:%d", fds[0]);
    run_keys_on(input, pipe_ref, 25, keys, 8, 0, 2, 0, 0);
    close(fds[0]);
    pthread_join(feeder, NULL);
}

/*
 * The sound-only clip (2 s, 48 kHz stereo) with one key pressed before it
 * plays; returns the seconds of sound the device played.
 */
static double play_sound_with_key(SDL_Keycode key)
{
    FPPlayerOptions o;
    FPPlayer *p = NULL;
    FPPlayerStats s;
    FILE *f;
    long bytes = -1;

    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", "sound.raw", 1);
    fp_player_options_default(&o);
    o.on_event = on_event;
    o.event_opaque = &keyed_player;
    CHECK_EQ_INT(fp_player_open(&p, sound_clip, &o), 0);
    if (p) {
        atomic_store(&keyed_player, p);
        push_key(key, 0);
        CHECK_EQ_INT(fp_player_run(p), 0);
        fp_player_stats(p, &s);
        CHECK_EQ_INT(s.seeks, 1);
        atomic_store(&keyed_player, NULL);
        fp_player_close(&p);
    }
    if ((f = fopen("sound.raw", "rb"))) {
        fseek(f, 0, SEEK_END);
        bytes = ftell(f);
        fclose(f);
    }
    unlink("sound.raw");
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    printf("  sound alone, one key: %.2f s played\n", bytes / (48000.0 * 4));
    return bytes / (48000.0 * 4);
}

/* Right: 5 s on, past the end of a 2 s file, which ends at once. */
static void test_sound_alone_seeks_past_end(void)
{
    CHECK(play_sound_with_key(SDLK_RIGHT) < 1.0);
}

/* Left: clamped at the start, all 2 s play. */
static void test_sound_alone_seek_before_start(void)
{
    CHECK(play_sound_with_key(SDLK_LEFT) > 1.8);
}

typedef struct PlayKeys {
    FPPlayer *player;
    int64_t playing, paused_before, paused_after; /* frames shown at each point */
    double quit_at;
} PlayKeys;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Space plays, 'p' pauses, Esc quits: pressed as a person would, a second or so apart. */
static void *press_play_keys(void *arg)
{
    PlayKeys *k = arg;
    FPPlayerStats s;

    sleep_us(300000);
    push_key(SDLK_SPACE, 0);
    sleep_us(1600000); /* 2 fps: three frames or so */
    fp_player_stats(k->player, &s);
    k->playing = s.displayed;
    push_key(SDLK_p, 0);
    sleep_us(300000);
    fp_player_stats(k->player, &s);
    k->paused_before = s.displayed;
    sleep_us(1200000);
    fp_player_stats(k->player, &s);
    k->paused_after = s.displayed;
    k->quit_at = now_s();
    push_key(SDLK_ESCAPE, 0);
    return NULL;
}

static void test_space_p_and_esc(void)
{
    FPPlayerOptions o;
    FPPlayer *p = NULL;
    PlayKeys k = {0};
    pthread_t thread;
    double returned;

    fp_player_options_default(&o);
    o.start_paused = 1;
    o.no_audio = 1;
    o.on_event = on_event;
    o.event_opaque = &keyed_player;
    CHECK_EQ_INT(fp_player_open(&p, clip, &o), 0);
    if (!p)
        return;
    atomic_store(&keyed_player, p);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    k.player = p;
    pthread_create(&thread, NULL, press_play_keys, &k);
    CHECK_EQ_INT(fp_player_run(p), 0);
    returned = now_s();
    pthread_join(thread, NULL);
    atomic_store(&keyed_player, NULL);
    fp_player_close(&p);
    printf("  Space: %lld frames shown while playing; p: %lld then %lld; Esc: run returned "
           "%.0f ms after\n", (long long)k.playing, (long long)k.paused_before,
           (long long)k.paused_after, (returned - k.quit_at) * 1000);
    CHECK(k.playing >= 3);                       /* the first frame, then two or more at 2 fps */
    CHECK_EQ_INT(k.paused_after, k.paused_before); /* paused: nothing more in 1.2 s */
    CHECK(k.quit_at > 0 && returned - k.quit_at < 1.0);
}

/*
 * '#' cycles the audio tracks: as Shift+3 (SDLK_3, then the text "#"), and as a '#' key
 * (SDLK_HASH, then the same text, which is the same key press, not a second one). On a clip with
 * two tracks, playing the first: track 2, then none. Each switch says so in one message.
 */
static pthread_mutex_t said_lock = PTHREAD_MUTEX_INITIALIZER;
static char said[4][96];
static int nb_said;

static void on_audio_event(void *opaque, const FPEvent *ev)
{
    if (ev->type == FP_EVENT_MESSAGE && !strncmp(ev->text, "audio: ", 7)) {
        pthread_mutex_lock(&said_lock);
        if (nb_said < 4)
            snprintf(said[nb_said], sizeof(said[0]), "%s", ev->text);
        nb_said++;
        pthread_mutex_unlock(&said_lock);
    }
    on_event(opaque, ev);
}

static void push_text(const char *text)
{
    SDL_Event ev = {.type = SDL_TEXTINPUT};

    snprintf(ev.text.text, sizeof(ev.text.text), "%s", text);
    SDL_PushEvent(&ev);
}

/* Waits up to 5 s for n messages. */
static int wait_said(int n)
{
    int count = 0;

    for (int i = 0; i < 500 && count < n; i++) {
        pthread_mutex_lock(&said_lock);
        count = nb_said;
        pthread_mutex_unlock(&said_lock);
        if (count < n)
            sleep_us(10000);
    }
    return count;
}

static void *press_hash(void *arg)
{
    FPPlayer *p = arg;

    push_key(SDLK_3, 0); /* Shift+3 */
    push_text("#");
    wait_said(1);
    push_key(SDLK_HASH, 0); /* a '#' key */
    push_text("#");
    wait_said(2);
    sleep_us(300000); /* time for a third switch, which must not come */
    fp_player_request_quit(p);
    return NULL;
}

static int prompt_key(FPKeyPrompt *pr, int key, FPCommand *cmd)
{
    FPInput in = {.type = FP_INPUT_KEY, .key = key};
    return fp_keys_prompt(pr, &in, cmd);
}

/* Enter, digits, Backspace, Enter: the prompt's text as it is typed, then the frame. */
static void test_go_to_frame_prompt(void)
{
    FPKeyPrompt pr = {0};
    FPCommand cmd;

    CHECK_EQ_INT(prompt_key(&pr, SDLK_q, &cmd), -1); /* closed: not the prompt's */
    CHECK_EQ_INT(prompt_key(&pr, SDLK_RETURN, &cmd), 1);
    CHECK(cmd.type == FP_CMD_SHOW_TEXT && cmd.count < 0 && !strcmp(cmd.path, "go to frame: _"));
    CHECK_EQ_INT(prompt_key(&pr, SDLK_1, &cmd), 1);
    CHECK_EQ_INT(prompt_key(&pr, SDLK_KP_2, &cmd), 1);
    CHECK(!strcmp(cmd.path, "go to frame: 12_"));
    CHECK_EQ_INT(prompt_key(&pr, SDLK_BACKSPACE, &cmd), 1);
    CHECK(!strcmp(cmd.path, "go to frame: 1_"));
    CHECK_EQ_INT(prompt_key(&pr, SDLK_q, &cmd), 0); /* open: 'q' does not quit */
    CHECK_EQ_INT(prompt_key(&pr, SDLK_9, &cmd), 1); /* nor does '9' change the volume */
    CHECK_EQ_INT(prompt_key(&pr, SDLK_KP_ENTER, &cmd), 1);
    CHECK(cmd.type == FP_CMD_FRAME && cmd.count == 19 && !cmd.timeline);
    CHECK_EQ_INT(pr.open, 0);
    /* Esc closes it, hiding the text; the next Esc quits as usual. */
    CHECK_EQ_INT(prompt_key(&pr, SDLK_RETURN, &cmd), 1);
    CHECK_EQ_INT(prompt_key(&pr, SDLK_ESCAPE, &cmd), 1);
    CHECK(cmd.type == FP_CMD_SHOW_TEXT && cmd.count == 0 && !pr.open);
    CHECK_EQ_INT(prompt_key(&pr, SDLK_ESCAPE, &cmd), -1);
}

static void test_hash_cycles_audio_tracks(void)
{
    FPInput hash = {.type = FP_INPUT_KEY, .key = SDLK_HASH};
    char input[PATH_MAX + 64];
    FPPlayerOptions o;
    FPPlayer *p = NULL;
    pthread_t thread;
    FPCommand cmd;

    CHECK_EQ_INT(fp_keys_command(&hash, &cmd), 1);
    CHECK(cmd.type == FP_CMD_AUDIO_TRACK && cmd.count == FP_AUDIO_TRACK_NEXT);

    snprintf(input, sizeof(input), "%s", sound_clip); /* in the assets */
    snprintf(strrchr(input, '/'), sizeof(input) - (strrchr(input, '/') - input), "%s",
             "/h264_2audio_160x120_25fps.mkv");
    fp_player_options_default(&o);
    o.start_paused = 1;
    o.on_event = on_audio_event;
    o.event_opaque = &keyed_player;
    CHECK_EQ_INT(fp_player_open(&p, input, &o), 0);
    if (!p)
        return;
    atomic_store(&keyed_player, p);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    pthread_create(&thread, NULL, press_hash, p);
    CHECK_EQ_INT(fp_player_run(p), 0);
    pthread_join(thread, NULL);
    atomic_store(&keyed_player, NULL);
    fp_player_close(&p);
    printf("  %d messages: '%s', '%s'\n", nb_said, said[0], said[1]);
    CHECK_EQ_INT(nb_said, 2);
    CHECK(!strcmp(said[0], "audio: track 2/2 (opus, 48000 Hz mono)"));
    CHECK(!strcmp(said[1], "audio: off"));
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ASSETS_DIR REFS_DIR\n", argv[0]);
        return 2;
    }
    char assets[PATH_MAX], refs[PATH_MAX];

    if (!realpath(argv[1], assets) || !realpath(argv[2], refs)) {
        perror("realpath");
        return 2;
    }
    snprintf(clip, sizeof(clip), "%s/%s", assets, CLIP);
    snprintf(ref, sizeof(ref), "%s/%s.framemd5", refs, CLIP);
    snprintf(sound_clip, sizeof(sound_clip), "%s/%s", assets, SOUND_CLIP);
    snprintf(pipe_clip, sizeof(pipe_clip), "%s/%s", assets, PIPE_CLIP);
    snprintf(pipe_ref, sizeof(pipe_ref), "%s/%s.framemd5", refs, PIPE_CLIP);
    /* Screenshots go to the working directory: make it a private one. */
    snprintf(workdir, sizeof(workdir), "%s/framepipe-keys-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(workdir) || chdir(workdir) < 0) {
        perror("mkdtemp");
        return 2;
    }
    RUN_TEST(test_keys_together_seek_once);
    RUN_TEST(test_held_key_lands_on_the_sum);
    RUN_TEST(test_seek_past_end_shows_last_frame);
    RUN_TEST(test_seek_before_start_shows_first_frame);
    RUN_TEST(test_keys_on_a_pipe);
    RUN_TEST(test_space_p_and_esc);
    RUN_TEST(test_sound_alone_seeks_past_end);
    RUN_TEST(test_sound_alone_seek_before_start);
    RUN_TEST(test_hash_cycles_audio_tracks);
    RUN_TEST(test_go_to_frame_prompt);
    if (chdir("/") == 0)
        rmdir(workdir);
    return CHECK_EXIT();
}
