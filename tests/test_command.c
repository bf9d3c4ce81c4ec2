/* Script lines parse to the commands they name, and bad lines say why. */
#include <string.h>

#include "check.h"
#include "framepipe/command.h"

static FPCommand parse_ok(const char *line)
{
    FPCommand cmd;
    char err[128] = "";

    CHECK_EQ_INT(fp_command_parse(line, &cmd, err, sizeof(err)), 0);
    if (err[0])
        fprintf(stderr, "  unexpected error for '%s': %s\n", line, err);
    return cmd;
}

static void parse_bad(const char *line, const char *message_part)
{
    FPCommand cmd;
    char err[128] = "";

    CHECK_EQ_INT(fp_command_parse(line, &cmd, err, sizeof(err)), AVERROR(EINVAL));
    CHECK(strstr(err, message_part) != NULL);
}

static void test_commands(void)
{
    FPCommand c;

    CHECK_EQ_INT(parse_ok("").type, FP_CMD_NONE);
    CHECK_EQ_INT(parse_ok("   # a comment").type, FP_CMD_NONE);
    CHECK_EQ_INT(parse_ok("pause").type, FP_CMD_PAUSE);
    CHECK_EQ_INT(parse_ok("  play  ").type, FP_CMD_PLAY);
    CHECK_EQ_INT(parse_ok("toggle # trailing comment").type, FP_CMD_TOGGLE);
    c = parse_ok("step");
    CHECK_EQ_INT(c.type, FP_CMD_STEP);
    CHECK_EQ_INT(c.count, 1);
    c = parse_ok("back 12");
    CHECK_EQ_INT(c.type, FP_CMD_BACK);
    CHECK_EQ_INT(c.count, 12);
    c = parse_ok("seek 1.5");
    CHECK(c.type == FP_CMD_SEEK && !c.relative && !c.keyframe && c.seconds == 1.5);
    c = parse_ok("seek -2.5");
    CHECK(c.relative && c.seconds == -2.5);
    c = parse_ok("seek +3");
    CHECK(c.relative && c.seconds == 3);
    c = parse_ok("seek 10 key");
    CHECK(c.keyframe && !c.relative && c.seconds == 10);
    c = parse_ok("wait 0.25");
    CHECK(c.type == FP_CMD_WAIT && c.seconds == 0.25);
    CHECK_EQ_INT(parse_ok("md5").type, FP_CMD_MD5);
    CHECK_EQ_INT(parse_ok("info").type, FP_CMD_FRAME_INFO);
    CHECK(!strcmp(fp_command_name(FP_CMD_FRAME_INFO), "info"));
    c = parse_ok("screenshot /tmp/a.png");
    CHECK(c.type == FP_CMD_SCREENSHOT && !strcmp(c.path, "/tmp/a.png"));
    CHECK_EQ_INT(parse_ok("quit").type, FP_CMD_QUIT);
    c = parse_ok("aid 2");
    CHECK(c.type == FP_CMD_AUDIO_TRACK && c.count == 2);
    CHECK_EQ_INT(parse_ok("aid next").count, FP_AUDIO_TRACK_NEXT);
    CHECK_EQ_INT(parse_ok("aid no").count, FP_AUDIO_TRACK_OFF);
    CHECK(!strcmp(fp_command_name(FP_CMD_AUDIO_TRACK), "aid"));
}

static void test_errors(void)
{
    parse_bad("jump 3", "unknown command 'jump'");
    parse_bad("step 0", "usage: step");
    parse_bad("back x", "usage: back");
    parse_bad("seek", "usage: seek");
    parse_bad("seek abc", "not a time");
    parse_bad("seek 3 fast", "usage: seek");
    parse_bad("wait", "usage: wait");
    parse_bad("wait -1", "usage: wait");
    parse_bad("pause now", "takes no argument");
    parse_bad("screenshot", "usage: screenshot");
    parse_bad("info 3", "takes no argument");
    parse_bad("aid", "usage: aid");
    parse_bad("aid 0", "not a track number");
    parse_bad("aid x", "not a track number");
    parse_bad("aid 1 2", "usage: aid");
}

int main(void)
{
    RUN_TEST(test_commands);
    RUN_TEST(test_errors);
    return CHECK_EXIT();
}
