#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

#include <libavutil/error.h>

#include "signals.h"

/* Takes every SIGINT and SIGTERM of the process; the second one ends it. */
static void *watch_signals(void *arg)
{
    SignalWatch *w = arg;
    FPPlayer *player;
    int sig;

    for (;;) {
        if (sigwait(&w->set, &sig))
            continue;
        if (atomic_load(&w->stop))
            return NULL;
        if (atomic_fetch_add(&w->received, 1) > 0) {
            static const char msg[] = "framepipe: interrupted\n";
            if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
                /* nothing more can be done */
            }
            _exit(130);
        }
        player = atomic_load(&w->player);
        if (player)
            fp_player_request_quit(player);
    }
}

int start_signal_watch(SignalWatch *w)
{
    int ret;

    sigemptyset(&w->set);
    sigaddset(&w->set, SIGINT);
    sigaddset(&w->set, SIGTERM);
    ret = pthread_sigmask(SIG_BLOCK, &w->set, NULL);
    if (!ret)
        ret = pthread_create(&w->thread, NULL, watch_signals, w);
    w->started = !ret;
    return ret ? AVERROR(ret) : 0;
}

void watch_player(SignalWatch *w, FPPlayer *player)
{
    atomic_store(&w->player, player);
    if (player && atomic_load(&w->received))
        fp_player_request_quit(player);
}

void stop_signal_watch(SignalWatch *w)
{
    atomic_store(&w->player, NULL);
    if (!w->started)
        return;
    atomic_store(&w->stop, 1);
    pthread_kill(w->thread, SIGTERM); /* blocked, so it goes to the watcher's sigwait() */
    pthread_join(w->thread, NULL);
}
