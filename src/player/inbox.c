/*
 * The player's one door in and one door out: commands posted from any thread
 * wait in the inbox until the render thread takes them; events go out to the
 * callback the owner gave. The inbox lock is never held while an event is
 * delivered, so a callback may post.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "player_internal.h"

int fp_inbox_init(FPPlayer *p)
{
    int ret = pthread_mutex_init(&p->inbox_lock, NULL);

    if (ret)
        return AVERROR(ret);
    ret = pthread_cond_init(&p->inbox_cond, NULL);
    if (ret) {
        pthread_mutex_destroy(&p->inbox_lock);
        return AVERROR(ret);
    }
    return 0;
}

void fp_inbox_uninit(FPPlayer *p)
{
    pthread_cond_destroy(&p->inbox_cond);
    pthread_mutex_destroy(&p->inbox_lock);
}

/* Whether cmd is a key's relative seek, which merges with another. */
static int merges(const FPCommand *cmd)
{
    return cmd->type == FP_CMD_SEEK && cmd->relative && cmd->interactive;
}

int fp_player_post(FPPlayer *p, const FPCommand *cmd, uint64_t *id)
{
    FPPosted *last;
    int ret = 0;

    if (cmd->type == FP_CMD_QUIT) {
        fp_player_request_quit(p);
        if (id)
            *id = 0;
        return 0;
    }
    pthread_mutex_lock(&p->inbox_lock);
    last = p->inbox_count ? &p->inbox[p->inbox_count - 1] : NULL;
    if (atomic_load(&p->quit)) {
        ret = AVERROR_EXIT;
    } else if (last && merges(cmd) && merges(&last->cmd)) {
        /* Keys held down: one seek by their sum, reported done with the one it joined. */
        last->cmd.seconds += cmd->seconds;
        if (id)
            *id = last->id;
    } else if (p->inbox_count == FP_PLAYER_MAX_POSTED) {
        ret = AVERROR(EAGAIN);
    } else {
        FPPosted *in = &p->inbox[p->inbox_count++];
        in->cmd = *cmd;
        in->id = ++p->last_id;
        if (id)
            *id = in->id;
        pthread_cond_signal(&p->inbox_cond);
    }
    pthread_mutex_unlock(&p->inbox_lock);
    return ret;
}

void fp_player_end_commands(FPPlayer *p)
{
    pthread_mutex_lock(&p->inbox_lock);
    p->commands_ended = 1;
    pthread_cond_signal(&p->inbox_cond);
    pthread_mutex_unlock(&p->inbox_lock);
}

int fp_inbox_take(FPPlayer *p, FPPosted *out)
{
    int ret = 0;

    pthread_mutex_lock(&p->inbox_lock);
    if (p->inbox_count) {
        *out = p->inbox[0];
        memmove(p->inbox, p->inbox + 1, --p->inbox_count * sizeof(*p->inbox));
        ret = 1;
    }
    pthread_mutex_unlock(&p->inbox_lock);
    return ret;
}

int fp_inbox_peek(FPPlayer *p, FPPosted *out)
{
    int ret = 0;

    pthread_mutex_lock(&p->inbox_lock);
    if (p->inbox_count) {
        *out = p->inbox[0];
        ret = 1;
    }
    pthread_mutex_unlock(&p->inbox_lock);
    return ret;
}

int fp_inbox_commands_live(FPPlayer *p)
{
    int live;

    pthread_mutex_lock(&p->inbox_lock);
    live = p->inbox_count || (p->opts.commands && !p->commands_ended);
    pthread_mutex_unlock(&p->inbox_lock);
    return live;
}

void fp_inbox_wait(FPPlayer *p, double seconds)
{
    struct timespec deadline;
    long long ns;

    clock_gettime(CLOCK_REALTIME, &deadline);
    ns = deadline.tv_nsec + (long long)(seconds * 1e9);
    deadline.tv_sec += ns / 1000000000;
    deadline.tv_nsec = ns % 1000000000;
    pthread_mutex_lock(&p->inbox_lock);
    while (!p->inbox_count && !p->commands_ended && !atomic_load(&p->quit)) {
        if (pthread_cond_timedwait(&p->inbox_cond, &p->inbox_lock, &deadline))
            break;
    }
    pthread_mutex_unlock(&p->inbox_lock);
}

void fp_emit(FPPlayer *p, const FPEvent *ev)
{
    if (p->opts.on_event)
        p->opts.on_event(p->opts.event_opaque, ev);
}

void fp_message(FPPlayer *p, int level, const char *fmt, ...)
{
    char text[512];
    va_list args;
    FPEvent ev = {.type = FP_EVENT_MESSAGE, .level = level, .text = text};

    va_start(args, fmt);
    vsnprintf(text, sizeof(text), fmt, args);
    va_end(args);
    fp_emit(p, &ev);
    /* Said over the picture too, once playback runs (this is the render thread then). */
    if (level <= AV_LOG_INFO && atomic_load(&p->run_began))
        fp_osd_message(p, "%s", text);
}

void fp_command_done(FPPlayer *p, uint64_t id)
{
    FPEvent ev = {.type = FP_EVENT_COMMAND_DONE, .id = id};

    if (id)
        fp_emit(p, &ev);
}
