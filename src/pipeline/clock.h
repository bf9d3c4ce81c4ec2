/*
 * Internal: a presentation clock. It reads the stream time (seconds from the
 * first frame) that should be on screen now: the time it was last set to plus
 * the wall time since, or the set time while paused. The render thread sets it
 * and reads it; it is not thread-safe.
 */
#ifndef FRAMEPIPE_SRC_CLOCK_H
#define FRAMEPIPE_SRC_CLOCK_H

typedef struct FPClock {
    double pts;    /* stream time at set_at */
    double set_at; /* wall time (seconds, monotonic) of the last set */
    int paused;
} FPClock;

/** Monotonic wall time in seconds. */
double fp_clock_now(void);

/** Make the clock read pts at wall time now, running unless paused. */
void fp_clock_set(FPClock *c, double pts, double now);

/** The stream time at wall time now. */
double fp_clock_get(const FPClock *c, double now);

/** Stop or restart the clock at wall time now, keeping the time it reads. */
void fp_clock_pause(FPClock *c, int paused, double now);

#endif /* FRAMEPIPE_SRC_CLOCK_H */
