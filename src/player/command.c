#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/error.h>

#include "framepipe/command.h"

#define MAX_WORDS 4

/* Splits line into at most MAX_WORDS blank-separated words, in place. */
static int split(char *line, char **words)
{
    int n = 0;

    for (char *p = line; *p;) {
        while (isspace((unsigned char)*p))
            *p++ = '\0';
        if (!*p || *p == '#') /* a comment runs to the end of the line */
            break;
        if (n == MAX_WORDS)
            return -1;
        words[n++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
    }
    return n;
}

static int parse_seconds(const char *word, double *seconds)
{
    char *end;

    errno = 0;
    *seconds = strtod(word, &end);
    return *word && !*end && !errno && isfinite(*seconds) ? 0 : -1;
}

static int parse_count(const char *word, int *count)
{
    char *end;
    long value;

    errno = 0;
    value = strtol(word, &end, 10);
    if (!*word || *end || errno || value < 1 || value > 1000000)
        return -1;
    *count = (int)value;
    return 0;
}

static int fail(char *err, size_t size, const char *fmt, const char *word)
{
    snprintf(err, size, fmt, word);
    return AVERROR(EINVAL);
}

static const struct {
    const char *name;
    FPCommandType type;
} simple_commands[] = {
    {"pause", FP_CMD_PAUSE}, {"play", FP_CMD_PLAY}, {"toggle", FP_CMD_TOGGLE},
    {"md5", FP_CMD_MD5},     {"quit", FP_CMD_QUIT},   {"info", FP_CMD_FRAME_INFO},
    {"timeline", FP_CMD_TIMELINE}, {"gop", FP_CMD_GOP}, {"headers", FP_CMD_HEADERS},
    {"show-info", FP_CMD_INFO}, {"show-gop", FP_CMD_GOP_STRIP},
    {"show-inspector", FP_CMD_INSPECTOR},
};

/* "25%", "12.5%": a place in the stream from 0 to 1. */
static int parse_fraction(const char *word, double *fraction)
{
    char *end;

    errno = 0;
    *fraction = strtod(word, &end) / 100;
    return *word && end[0] == '%' && !end[1] && !errno && *fraction >= 0 && *fraction <= 1 ? 0
                                                                                           : -1;
}

int fp_command_parse(const char *line, FPCommand *cmd, char *err, size_t err_size)
{
    char buf[FP_COMMAND_PATH_MAX + 64];
    char *words[MAX_WORDS];
    int n;

    memset(cmd, 0, sizeof(*cmd));
    cmd->count = 1;
    if (strlen(line) >= sizeof(buf))
        return fail(err, err_size, "%s", "line too long");
    /* 'show-text TEXT': the rest of the line, as it is, over the picture for a second. */
    while (isspace((unsigned char)*line))
        line++;
    if (!strncmp(line, "show-text", 9) && (!line[9] || isspace((unsigned char)line[9]))) {
        const char *text = line + 9;
        size_t len;

        while (isspace((unsigned char)*text))
            text++;
        len = strcspn(text, "\r\n");
        cmd->type = FP_CMD_SHOW_TEXT;
        cmd->count = 1000;
        snprintf(cmd->path, sizeof(cmd->path), "%.*s", (int)len, text);
        return 0;
    }
    strcpy(buf, line);
    n = split(buf, words);
    if (n < 0)
        return fail(err, err_size, "%s", "too many words");
    if (n == 0)
        return 0;

    for (size_t i = 0; i < sizeof(simple_commands) / sizeof(simple_commands[0]); i++) {
        if (strcmp(words[0], simple_commands[i].name))
            continue;
        if (n != 1)
            return fail(err, err_size, "'%s' takes no argument", words[0]);
        cmd->type = simple_commands[i].type;
        return 0;
    }
    if (!strcmp(words[0], "step") || !strcmp(words[0], "back")) {
        cmd->type = words[0][0] == 's' ? FP_CMD_STEP : FP_CMD_BACK;
        if (n > 2 || (n == 2 && parse_count(words[1], &cmd->count) < 0))
            return fail(err, err_size, "usage: %s [N], N from 1", words[0]);
        return 0;
    }
    if (!strcmp(words[0], "seek")) {
        cmd->type = FP_CMD_SEEK;
        if (n < 2 || n > 3 || (n == 3 && strcmp(words[2], "key")))
            return fail(err, err_size, "%s",
                        "usage: seek T | seek +T | seek -T | seek T key | seek P%");
        cmd->keyframe = n == 3;
        if (strchr(words[1], '%')) {
            cmd->fraction = 1;
            if (parse_fraction(words[1], &cmd->seconds) < 0)
                return fail(err, err_size, "seek: '%s' is not a percentage from 0 to 100",
                            words[1]);
            return 0;
        }
        cmd->relative = words[1][0] == '+' || words[1][0] == '-';
        if (parse_seconds(words[1], &cmd->seconds) < 0 || (!cmd->relative && cmd->seconds < 0))
            return fail(err, err_size, "seek: '%s' is not a time in seconds", words[1]);
        return 0;
    }
    if (!strcmp(words[0], "frame")) {
        char *end;
        long long number;

        cmd->type = FP_CMD_FRAME;
        if (n != 2)
            return fail(err, err_size, "%s", "usage: frame N | frame P%, N from 0");
        if (strchr(words[1], '%')) {
            cmd->fraction = 1;
            if (parse_fraction(words[1], &cmd->seconds) < 0)
                return fail(err, err_size, "frame: '%s' is not a percentage from 0 to 100",
                            words[1]);
            return 0;
        }
        errno = 0;
        number = strtoll(words[1], &end, 10);
        if (!*words[1] || *end || errno || number < 0 || number > INT_MAX)
            return fail(err, err_size, "frame: '%s' is not a frame number from 0", words[1]);
        cmd->count = (int)number;
        return 0;
    }
    if (!strcmp(words[0], "wait")) {
        cmd->type = FP_CMD_WAIT;
        if (n != 2 || parse_seconds(words[1], &cmd->seconds) < 0 || cmd->seconds < 0)
            return fail(err, err_size, "%s", "usage: wait SECONDS");
        return 0;
    }
    if (!strcmp(words[0], "screenshot")) {
        cmd->type = FP_CMD_SCREENSHOT;
        if (n != 2)
            return fail(err, err_size, "%s", "usage: screenshot PATH");
        snprintf(cmd->path, sizeof(cmd->path), "%s", words[1]);
        return 0;
    }
    if (!strcmp(words[0], "pixel")) {
        long long xy[2];

        cmd->type = FP_CMD_PIXEL;
        for (int i = 0; i < 2 && n == 3; i++) {
            char *end;
            errno = 0;
            xy[i] = strtoll(words[1 + i], &end, 10);
            if (!*words[1 + i] || *end || errno || xy[i] < 0 || xy[i] > INT_MAX)
                n = 0;
        }
        if (n != 3)
            return fail(err, err_size, "%s", "usage: pixel X Y, from 0 in the decoded picture");
        cmd->x = (int)xy[0];
        cmd->y = (int)xy[1];
        return 0;
    }
    if (!strcmp(words[0], "loop")) {
        cmd->type = FP_CMD_LOOP;
        cmd->seconds = cmd->seconds_b = -1;
        if (n == 2 && !strcmp(words[1], "off"))
            return 0;
        if (n != 3 || parse_seconds(words[1], &cmd->seconds) < 0 ||
            parse_seconds(words[2], &cmd->seconds_b) < 0 || cmd->seconds < 0 ||
            cmd->seconds_b <= cmd->seconds)
            return fail(err, err_size, "%s", "usage: loop A B (seconds, A < B) | loop off");
        return 0;
    }
    if (!strcmp(words[0], "aid")) {
        cmd->type = FP_CMD_AUDIO_TRACK;
        if (n != 2)
            return fail(err, err_size, "%s", "usage: aid N | aid next | aid no, N from 1");
        if (!strcmp(words[1], "next"))
            cmd->count = FP_AUDIO_TRACK_NEXT;
        else if (!strcmp(words[1], "no"))
            cmd->count = FP_AUDIO_TRACK_OFF;
        else if (parse_count(words[1], &cmd->count) < 0)
            return fail(err, err_size, "aid: '%s' is not a track number from 1, 'next' or 'no'",
                        words[1]);
        return 0;
    }
    return fail(err, err_size, "unknown command '%s'", words[0]);
}

const char *fp_command_name(FPCommandType type)
{
    static const char *const names[] = {
        [FP_CMD_QUIT] = "quit",     [FP_CMD_PAUSE] = "pause",
        [FP_CMD_PLAY] = "play",     [FP_CMD_TOGGLE] = "toggle",
        [FP_CMD_STEP] = "step",     [FP_CMD_BACK] = "back",
        [FP_CMD_SEEK] = "seek",     [FP_CMD_WAIT] = "wait",
        [FP_CMD_MD5] = "md5",       [FP_CMD_SCREENSHOT] = "screenshot",
        [FP_CMD_FULLSCREEN] = "fullscreen", [FP_CMD_INFO] = "info-line",
        [FP_CMD_OVERLAY] = "overlay", [FP_CMD_VOLUME] = "volume",
        [FP_CMD_MUTE] = "mute", [FP_CMD_FRAME] = "frame",
        [FP_CMD_FRAME_INFO] = "info", [FP_CMD_AUDIO_TRACK] = "aid",
        [FP_CMD_TIMELINE] = "timeline", [FP_CMD_GOP] = "gop",
        [FP_CMD_PIXEL] = "pixel", [FP_CMD_GOP_STRIP] = "gop-strip",
        [FP_CMD_LOUPE] = "loupe", [FP_CMD_LOOP] = "loop", [FP_CMD_LOOP_MARK] = "loop-mark",
        [FP_CMD_HEADERS] = "headers", [FP_CMD_INSPECTOR] = "inspector",
        [FP_CMD_SHOW_TEXT] = "show-text",
    };

    if ((unsigned)type >= sizeof(names) / sizeof(names[0]) || !names[type])
        return "?";
    return names[type];
}
