/*
 * Shutdown from every state must be prompt and leak nothing: before the
 * threads start, with both queues full (paced playback holds the render
 * thread back), with the queues empty or the decoder draining (random quits
 * during an unpaced run), and with the window closed. A hang here shows up as
 * the CTest timeout; leaks show up under ASan/LSan and valgrind.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include "framepipe/player.h"
#include "check.h"

static char clip[4096];
static char short_clip[4096];

typedef struct Quitter {
    FPPlayer *player;
    int delay_us;
    int close_window; /* push SDL_QUIT as a window manager would, instead of calling the API */
    int storm;        /* post seeks and back-steps, as fast as the inbox takes them, meanwhile */
    _Atomic double quit_at; /* when the quit was sent, stamped before the call; 0 until then */
    _Atomic double call_took; /* how long fp_player_request_quit() itself took */
} Quitter;

/* The window's close button means quit, as the program's key table says. */
static void on_event(void *opaque, const FPEvent *ev)
{
    Quitter *q = opaque;

    if (ev->type == FP_EVENT_INPUT && ev->input.type == FP_INPUT_CLOSE)
        fp_player_request_quit(q->player);
}

/* Seeks that need refills and reseeks, and back-steps beyond a tiny history, until the quit. */
static void *post_storm(void *arg)
{
    Quitter *q = arg;

    for (int i = 0;; i++) {
        FPCommand cmd = {.type = i % 3 == 1 ? FP_CMD_BACK : FP_CMD_SEEK, .count = 17,
                         .seconds = i % 3 == 0 ? 3.3 : 0.7};
        int ret = fp_player_post(q->player, &cmd, NULL);

        if (ret == AVERROR_EXIT)
            break;
        if (ret == AVERROR(EAGAIN))
            sleep_us(1000); /* the inbox is full: the render thread is behind */
    }
    return NULL;
}

static double now_s(void);

static void *quit_later(void *arg)
{
    Quitter *q = arg;

    sleep_us(q->delay_us);
    /* Stamped before the call: a quit that blocks must count against the bound, not hide in it. */
    atomic_store(&q->quit_at, now_s());
    if (q->close_window) {
        SDL_Event ev = {.type = SDL_QUIT};
        SDL_PushEvent(&ev); /* thread-safe */
    } else {
        fp_player_request_quit(q->player);
    }
    atomic_store(&q->call_took, now_s() - atomic_load(&q->quit_at));
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs path until the quitter fires; returns fp_player_run()'s result. */
static int run_and_quit(const char *path, FPPlayerOptions *o, Quitter *q, FPPlayerStats *stats)
{
    FPPlayer *p = NULL;
    pthread_t thread;
    double returned_at, quit_at;
    int ret;

    pthread_t poster;

    o->on_event = on_event;
    o->event_opaque = q;
    o->commands = q->storm;
    ret = fp_player_open(&p, path, o);
    CHECK_EQ_INT(ret, 0);
    if (ret < 0)
        return ret;
    q->player = p;
    if (q->storm)
        pthread_create(&poster, NULL, post_storm, q);
    pthread_create(&thread, NULL, quit_later, q);
    ret = fp_player_run(p);
    returned_at = now_s();
    pthread_join(thread, NULL);
    if (q->storm)
        pthread_join(poster, NULL);
    /* run returned at the end of the clip, before the quit, or within a second of it */
    quit_at = atomic_load(&q->quit_at);
    CHECK(returned_at < quit_at || returned_at - quit_at < 1.0);
    /* The quit itself never blocks: it only sets a flag and wakes the waiters. */
    CHECK(atomic_load(&q->call_took) < 0.1);
    if (stats)
        fp_player_stats(p, stats);
    fp_player_close(&p);
    CHECK(p == NULL);
    return ret;
}

static void test_quit_before_run(void)
{
    FPPlayerOptions o;
    FPPlayer *p = NULL;

    fp_player_options_default(&o);
    o.headless = 1;
    CHECK_EQ_INT(fp_player_open(&p, clip, &o), 0);
    fp_player_request_quit(p);
    CHECK_EQ_INT(fp_player_run(p), 0);
    fp_player_close(&p);
}

static void test_open_and_close_without_run(void)
{
    FPPlayerOptions o;
    FPPlayer *p = NULL;

    fp_player_options_default(&o);
    o.headless = 1;
    CHECK_EQ_INT(fp_player_open(&p, clip, &o), 0);
    fp_player_close(&p);
    fp_player_close(&p);
}

static void test_quit_with_both_queues_full(void)
{
    FPPlayerOptions o;
    FPPlayerStats s;
    Quitter q = {.delay_us = 400000};

    fp_player_options_default(&o);
    o.headless = 1;
    o.realtime = 1; /* the render thread waits for each frame's time, so the queues fill up */
    o.packet_queue_max_count = 8;
    o.frame_queue_size = 3;
    CHECK_EQ_INT(run_and_quit(clip, &o, &q, &s), 0);
    CHECK_EQ_INT(s.frame_queue_max, 3);
    CHECK_EQ_INT(s.pkt_queue_max_count, 8);
    CHECK(s.displayed < s.decoded + 1);
}

static void test_random_quits(void)
{
    FPPlayerOptions o;
    unsigned seed = 1234;

    fp_player_options_default(&o);
    o.headless = 1;
    for (int i = 0; i < 40; i++) {
        /* 0 to 40 ms covers start-up, steady decoding, the drain and the end. */
        Quitter q = {.delay_us = (int)(rand_r(&seed) % 40000)};
        CHECK_EQ_INT(run_and_quit(i % 2 ? clip : short_clip, &o, &q, NULL), 0);
    }
}

static void test_quit_during_seeks_and_steps(void)
{
    FPPlayerOptions o;
    unsigned seed = 99;

    fp_player_options_default(&o);
    o.headless = 1;
    o.step_history_bytes = 1 << 20;
    for (int i = 0; i < 30; i++) {
        Quitter q = {.delay_us = (int)(rand_r(&seed) % 300000), .storm = 1};
        CHECK_EQ_INT(run_and_quit(clip, &o, &q, NULL), 0);
    }
}

static void test_window_closed(void)
{
    FPPlayerOptions o;
    FPPlayerStats s;
    Quitter q = {.delay_us = 200000, .close_window = 1};

    fp_player_options_default(&o);
    CHECK_EQ_INT(run_and_quit(clip, &o, &q, &s), 0);
    CHECK(s.displayed > 0);
    CHECK(strcmp(s.render_driver, "null") != 0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_player_shutdown ASSETS_DIR\n");
        return 2;
    }
    snprintf(clip, sizeof(clip), "%s/mpeg2_mp2_framenum_320x240_25fps.ts", argv[1]);
    snprintf(short_clip, sizeof(short_clip), "%s/vp9_odd_321x241_25fps.webm", argv[1]);
    RUN_TEST(test_quit_before_run);
    RUN_TEST(test_open_and_close_without_run);
    RUN_TEST(test_quit_with_both_queues_full);
    RUN_TEST(test_random_quits);
    RUN_TEST(test_quit_during_seeks_and_steps);
    RUN_TEST(test_window_closed);
    SDL_Quit();
    return CHECK_EXIT();
}
