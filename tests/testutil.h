#ifndef FRAMEPIPE_TESTS_TESTUTIL_H
#define FRAMEPIPE_TESTS_TESTUTIL_H

#include <libavutil/frame.h>

/* Decode the first video frame of path into frame (blank on entry, the caller's on return). */
int test_decode_first_frame(const char *path, AVFrame *frame);

#endif
