/*
 * The key bindings: ffplay's and mpv's habits. Each row of the table is one
 * line of --help and the keys it names.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "keys.h"

#define MAX_BINDINGS 6

typedef struct Binding {
    SDL_Keycode key; /* 0 ends the list */
    FPCommandType type;
    double amount; /* a volume change in percent, or a relative seek in seconds */
} Binding;

#define B(key, type) {key, type, 0}
#define BY(key, type, amount) {key, type, amount}

typedef struct Row {
    const char *keys;  /* as --help names them */
    const char *what;  /* '\n' continues on the next line, under the first */
    Binding bindings[MAX_BINDINGS];
} Row;

static const Row rows[] = {
    {"q, Esc", "quit (closing the window quits too)",
     {B(SDLK_q, FP_CMD_QUIT), B(SDLK_ESCAPE, FP_CMD_QUIT)}},
    {"Space, p", "pause or play", {B(SDLK_SPACE, FP_CMD_TOGGLE), B(SDLK_p, FP_CMD_TOGGLE)}},
    {"s, .", "step one frame forward (pauses)",
     {B(SDLK_s, FP_CMD_STEP), B(SDLK_PERIOD, FP_CMD_STEP)}},
    {",", "step one frame back (pauses)", {B(SDLK_COMMA, FP_CMD_BACK)}},
    {"Left, Right", "seek 5 s back or forward, to the exact frame",
     {BY(SDLK_LEFT, FP_CMD_SEEK, -5), BY(SDLK_RIGHT, FP_CMD_SEEK, 5)}},
    {"Down, Up", "seek 60 s back or forward",
     {BY(SDLK_DOWN, FP_CMD_SEEK, -60), BY(SDLK_UP, FP_CMD_SEEK, 60)}},
    {"f, double-click", "fullscreen", {B(SDLK_f, FP_CMD_FULLSCREEN)}},
    {"Enter", "go to frame: type its number, then Enter (Esc: never mind)", {{0}}},
    {"timeline click", "go to the frame under the pointer (keyframes while dragging);\n"
                       "right click: seek to that fraction of the duration", {{0}}},
    {"i", "the frame over the picture: number, time, type, packet, pts and dts;\n"
          "time, frame number, picture type and queues in the title",
     {B(SDLK_i, FP_CMD_INFO)}},
    {"e", "frame inspector: its packet, picture, colour, side data, buffers\n"
          "and reference counts, and its bitstream headers",
     {B(SDLK_e, FP_CMD_INSPECTOR)}},
    {"g", "GOP strip: the frames of this GOP in display order, with their\n"
          "types and decode order", {B(SDLK_g, FP_CMD_GOP_STRIP)}},
    {"z", "pixel loupe: the picture under the pointer magnified, and the\n"
          "pixel's values as decoded (Y, U, V or R, G, B) and as shown",
     {B(SDLK_z, FP_CMD_LOUPE)}},
    {"l", "A-B loop: A at this frame, then B after this frame, then none",
     {B(SDLK_l, FP_CMD_LOOP_MARK)}},
    {"t", "keep the timeline on screen, or let it show only while the pointer\n"
          "is near the bottom edge",
     {B(SDLK_t, FP_CMD_TIMELINE)}},
    {"c", "save the frame on screen as framepipe-TIME.png", {B(SDLK_c, FP_CMD_SCREENSHOT)}},
    {"9, 0 (or /, *)", "volume down, up",
     {BY(SDLK_9, FP_CMD_VOLUME, -10),
      BY(SDLK_SLASH, FP_CMD_VOLUME, -10),
      BY(SDLK_KP_DIVIDE, FP_CMD_VOLUME, -10),
      BY(SDLK_0, FP_CMD_VOLUME, 10),
      BY(SDLK_ASTERISK, FP_CMD_VOLUME, 10),
      BY(SDLK_KP_MULTIPLY, FP_CMD_VOLUME, 10)}},
    {"m", "mute", {B(SDLK_m, FP_CMD_MUTE)}},
    {"#", "next audio track; after the last, none (as 'aid next')",
     {B(SDLK_HASH, FP_CMD_AUDIO_TRACK)}},
    {"o", "overlay: queue depths, reference counts of the frame shown\n"
          "and of the history around it, the clock",
     {B(SDLK_o, FP_CMD_OVERLAY)}},
};

static void fill(FPCommand *cmd, const Binding *b)
{
    cmd->type = b->type;
    if (b->type == FP_CMD_VOLUME)
        cmd->count = (int)b->amount;
    if (b->type == FP_CMD_AUDIO_TRACK)
        cmd->count = FP_AUDIO_TRACK_NEXT;
    if (b->type == FP_CMD_SEEK) {
        cmd->relative = 1;
        cmd->seconds = b->amount;
    }
}

int fp_keys_command(const FPInput *input, FPCommand *cmd)
{
    memset(cmd, 0, sizeof(*cmd));
    cmd->count = 1;
    cmd->interactive = 1;
    switch (input->type) {
    case FP_INPUT_CLOSE:
        cmd->type = FP_CMD_QUIT;
        return 1;
    case FP_INPUT_DOUBLE_CLICK:
        cmd->type = FP_CMD_FULLSCREEN;
        return 1;
    case FP_INPUT_TIMELINE:
        /* Left: the frame under the pointer (keyframes while dragging, exact once let go).
           Right: that fraction of the duration, as ffplay's right click. */
        if (input->button == 3 && input->state != FP_POINTER_PRESS)
            return 0;
        cmd->type = input->button == 3 ? FP_CMD_SEEK : FP_CMD_FRAME;
        cmd->fraction = 1;
        cmd->seconds = input->position;
        cmd->keyframe = input->button == 1 && input->state != FP_POINTER_RELEASE;
        cmd->timeline = input->button == 1;
        return 1;
    case FP_INPUT_KEY:
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
            for (const Binding *b = rows[i].bindings; b < rows[i].bindings + MAX_BINDINGS && b->key;
                 b++)
                if (b->key == input->key) {
                    fill(cmd, b);
                    return 1;
                }
        return 0;
    default:
        return 0;
    }
}

static int show_prompt(const FPKeyPrompt *pr, FPCommand *cmd)
{
    cmd->type = FP_CMD_SHOW_TEXT;
    cmd->count = pr->open ? -1 : 0;
    if (pr->open)
        snprintf(cmd->path, sizeof(cmd->path), "go to frame: %s_", pr->digits);
    return 1;
}

int fp_keys_prompt(FPKeyPrompt *pr, const FPInput *in, FPCommand *cmd)
{
    int enter = in->type == FP_INPUT_KEY && (in->key == SDLK_RETURN || in->key == SDLK_KP_ENTER);
    size_t len = strlen(pr->digits);
    int digit = -1;

    memset(cmd, 0, sizeof(*cmd));
    cmd->interactive = 1;
    if (!pr->open) {
        if (!enter)
            return -1;
        pr->open = 1;
        pr->digits[0] = '\0';
        return show_prompt(pr, cmd);
    }
    if (in->type != FP_INPUT_KEY) /* clicks and the close button mean what they always do */
        return -1;
    if (in->key >= SDLK_0 && in->key <= SDLK_9)
        digit = in->key - SDLK_0;
    else if (in->key >= SDLK_KP_1 && in->key <= SDLK_KP_9)
        digit = in->key - SDLK_KP_1 + 1;
    else if (in->key == SDLK_KP_0)
        digit = 0;
    if (digit >= 0 && len < sizeof(pr->digits) - 1) {
        pr->digits[len] = (char)('0' + digit);
        pr->digits[len + 1] = '\0';
        return show_prompt(pr, cmd);
    }
    if (in->key == SDLK_BACKSPACE && len) {
        pr->digits[len - 1] = '\0';
        return show_prompt(pr, cmd);
    }
    if (in->key == SDLK_ESCAPE || (enter && !len)) {
        pr->open = 0;
        return show_prompt(pr, cmd);
    }
    if (enter) {
        long long n = strtoll(pr->digits, NULL, 10);
        pr->open = 0;
        cmd->type = FP_CMD_FRAME;
        cmd->count = n > INT_MAX ? INT_MAX : (int)n;
        return 1;
    }
    return 0;
}

void fp_keys_print_help(FILE *out)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *line = rows[i].what;

        fprintf(out, "  %-17s ", rows[i].keys);
        for (const char *nl; (nl = strchr(line, '\n')); line = nl + 1)
            fprintf(out, "%.*s\n%20s", (int)(nl - line), line, "");
        fprintf(out, "%s\n", line);
    }
}
