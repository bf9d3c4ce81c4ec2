/*
 * The program's signal watcher. Ctrl-C and SIGTERM quit the way 'q' does.
 * The signals are blocked in every thread (the mask is inherited) and taken
 * by one thread with sigwait(), which may then call into the player as any
 * thread may: a handler could not, since fp_player_request_quit() takes
 * locks. A second signal ends the process at once, for a player stuck where
 * no quit reaches, such as opening a pipe that never delivers.
 */
#ifndef FRAMEPIPE_APP_SIGNALS_H
#define FRAMEPIPE_APP_SIGNALS_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "framepipe/player.h"

typedef struct SignalWatch {
    pthread_t thread;
    int started;
    sigset_t set;
    atomic_int stop;
    atomic_int received;
    FPPlayer *_Atomic player; /* set while it may be asked to quit */
} SignalWatch;

/** Block SIGINT and SIGTERM in this thread (and those it starts) and start the watcher. */
int start_signal_watch(SignalWatch *w);

/**
 * Hand the player to the watcher (NULL: none). A signal that came before it
 * was open quits it at once.
 */
void watch_player(SignalWatch *w, FPPlayer *player);

/** Stop and join the watcher; w may never have started. */
void stop_signal_watch(SignalWatch *w);

#endif /* FRAMEPIPE_APP_SIGNALS_H */
