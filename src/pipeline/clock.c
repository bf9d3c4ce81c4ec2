#include <libavutil/time.h>

#include "clock.h"

double fp_clock_now(void)
{
    return av_gettime_relative() / 1e6;
}

void fp_clock_set(FPClock *c, double pts, double now)
{
    c->pts = pts;
    c->set_at = now;
}

double fp_clock_get(const FPClock *c, double now)
{
    return c->paused ? c->pts : c->pts + (now - c->set_at);
}

void fp_clock_pause(FPClock *c, int paused, double now)
{
    fp_clock_set(c, fp_clock_get(c, now), now);
    c->paused = paused;
}
