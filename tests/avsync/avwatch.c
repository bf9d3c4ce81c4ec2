/*
 * avwatch: watches, from outside the player, when a picture reaches the screen
 * and when sound reaches SDL's disk audio file, for check_avsync.py.
 *
 * Usage: avwatch WINDOW X Y [AUDIO_FILE]
 *
 * WINDOW is an X window id, or "root" for the root window: a pixel of the root
 * window shows whatever window covers it, so the watch can start before the
 * player's window exists. Every millisecond (CLOCK_MONOTONIC, absolute
 * deadlines) avwatch reads the pixel (X, Y) of WINDOW from the X server, with
 * XGetImage of a 1x1 area, then the size of AUDIO_FILE, with stat(). It prints
 * on standard output:
 *   bright T GAP   the pixel turned from dark to bright
 *   dark T GAP     and back
 *   size T GAP N   AUDIO_FILE grew to N bytes
 *   stall T GAP    no poll for GAP, more than STALL_NS: a flash shorter than
 *                  that may have come and gone unseen
 * T is CLOCK_MONOTONIC in seconds: when the X server's reply came, or when
 * stat() returned. GAP, in seconds, is the time since the previous poll:
 * the change happened within GAP before T. Each line is written when it
 * happens, so that a reader can follow.
 * It stops on SIGTERM or SIGINT, then prints on standard error how many polls
 * it made and the longest gap between two.
 */
/* clock_nanosleep and sigaction: the build is C11 without extensions. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#define POLL_NS 1000000
#define STALL_NS 3000000
/* Levels (0-255, the mean of R, G and B) apart, so that noise cannot flip the state. */
#define BRIGHT_ABOVE 160
#define DARK_BELOW 96

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* An XGetImage of a window that is not viewable fails: that poll reads nothing. */
static int x_errors;
static int on_x_error(Display *display, XErrorEvent *ev)
{
    (void)display;
    (void)ev;
    x_errors++;
    return 0;
}

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct timespec to_timespec(int64_t ns)
{
    struct timespec ts = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
    return ts;
}

static void print_event(const char *what, int64_t t, int64_t gap)
{
    printf("%s %lld.%09lld %.6f", what, (long long)(t / 1000000000), (long long)(t % 1000000000),
           gap / 1e9);
}

/* One channel of a pixel, scaled to 0-255, from the visual's mask. */
static unsigned channel(unsigned long pixel, unsigned long mask)
{
    int shift = 0, bits = 0;

    if (!mask)
        return 0;
    while (!(mask & 1)) {
        mask >>= 1;
        shift++;
    }
    while (mask & 1) {
        mask >>= 1;
        bits++;
    }
    return (unsigned)(((pixel >> shift) & ((1UL << bits) - 1)) * 255 / ((1UL << bits) - 1));
}

/* The mean of R, G and B at (x, y) of window, or -1 when it cannot be read. */
static int read_level(Display *display, Window window, int x, int y)
{
    XImage *image = XGetImage(display, window, x, y, 1, 1, AllPlanes, ZPixmap);
    unsigned long pixel;
    unsigned sum;

    if (!image)
        return -1;
    pixel = XGetPixel(image, 0, 0);
    sum = channel(pixel, image->red_mask) + channel(pixel, image->green_mask) +
          channel(pixel, image->blue_mask);
    XDestroyImage(image);
    return (int)(sum / 3);
}

int main(int argc, char **argv)
{
    const char *audio_path = argc > 4 ? argv[4] : NULL;
    struct sigaction sa = {.sa_handler = on_signal};
    int64_t deadline, last_poll = 0, max_gap = 0, polls = 0;
    long long size = -1;
    int bright = 0, x, y;
    Display *display;
    Window window;
    char *end;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: avwatch WINDOW|root X Y [AUDIO_FILE]\n");
        return 2;
    }
    x = atoi(argv[2]);
    y = atoi(argv[3]);
    display = XOpenDisplay(NULL);
    if (!display) {
        fprintf(stderr, "avwatch: cannot open display %s\n", XDisplayName(NULL));
        return 1;
    }
    if (!strcmp(argv[1], "root")) {
        window = DefaultRootWindow(display);
    } else {
        window = (Window)strtoul(argv[1], &end, 0);
        if (*end || !window) {
            fprintf(stderr, "avwatch: %s: not a window id\n", argv[1]);
            return 2;
        }
    }
    XSetErrorHandler(on_x_error);
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    deadline = now_ns();
    while (!stop) {
        int level = read_level(display, window, x, y);
        int64_t t = now_ns(), gap = last_poll ? t - last_poll : 0;
        struct timespec wake;
        struct stat st;

        if (gap > STALL_NS) {
            print_event("stall", t, gap);
            printf("\n");
        }
        if (level > BRIGHT_ABOVE && !bright) {
            bright = 1;
            print_event("bright", t, gap);
            printf("\n");
        } else if (level >= 0 && level < DARK_BELOW && bright) {
            bright = 0;
            print_event("dark", t, gap);
            printf("\n");
        }
        if (audio_path && stat(audio_path, &st) == 0 && (long long)st.st_size != size) {
            int64_t at = now_ns();

            size = (long long)st.st_size;
            print_event("size", at, last_poll ? at - last_poll : 0);
            printf(" %lld\n", size);
        }
        if (gap > max_gap)
            max_gap = gap;
        last_poll = t;
        polls++;

        /* The next millisecond; after a stall, a millisecond from now rather than a burst. */
        deadline += POLL_NS;
        if (deadline < now_ns())
            deadline = now_ns() + POLL_NS;
        wake = to_timespec(deadline);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL) == EINTR && !stop)
            continue;
    }
    fflush(stdout);
    fprintf(stderr, "avwatch: %lld polls, longest gap %.2f ms, %d X errors\n", (long long)polls,
            max_gap / 1e6, x_errors);
    XCloseDisplay(display);
    return 0;
}
