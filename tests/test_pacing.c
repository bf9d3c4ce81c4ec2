/*
 * Real-time pacing: a 2 s clip (50 frames at 25 fps) played headless with
 * --realtime, and through the SDL window, takes 2 s within 5 %, shows every
 * frame and drops none. The first frame is shown at 0 s and the last at
 * 1.96 s; the run ends when the last frame has been shown.
 */
#include <time.h>

#include <SDL.h>

#include "framepipe/player.h"
#include "check.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void play_and_time(const char *path, int headless)
{
    FPPlayerOptions o;
    FPPlayerStats s;
    FPPlayer *p = NULL;
    double start, elapsed;

    fp_player_options_default(&o);
    o.headless = headless;
    o.realtime = 1;
    CHECK_EQ_INT(fp_player_open(&p, path, &o), 0);
    if (!p)
        return;
    start = now_s();
    CHECK_EQ_INT(fp_player_run(p), 0);
    elapsed = now_s() - start;
    fp_player_stats(p, &s);
    printf("  %s: %.3f s, %lld shown, %lld dropped\n", headless ? "headless" : "window", elapsed,
           (long long)s.displayed, (long long)s.dropped);
    CHECK(elapsed > 2.0 * 0.95 && elapsed < 2.0 * 1.05);
    CHECK_EQ_INT(s.displayed, 50);
    CHECK_EQ_INT(s.dropped, 0);
    fp_player_close(&p);
}

static char clip[4096];

static void test_headless_realtime(void)
{
    play_and_time(clip, 1);
}

static void test_window(void)
{
    play_and_time(clip, 0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_pacing ASSETS_DIR\n");
        return 2;
    }
    snprintf(clip, sizeof(clip), "%s/vp9_odd_321x241_25fps.webm", argv[1]);
    RUN_TEST(test_headless_realtime);
    RUN_TEST(test_window);
    SDL_Quit();
    return CHECK_EXIT();
}
