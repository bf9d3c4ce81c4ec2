#ifndef FRAMEPIPE_TESTS_TESTUTIL_H
#define FRAMEPIPE_TESTS_TESTUTIL_H

#include <libavutil/frame.h>

#include "picture.h"

/* Decode the first video frame of path into frame (blank on entry, the caller's on return). */
int test_decode_first_frame(const char *path, AVFrame *frame);

/*
 * The same, and how the player shows it: the frame's sample aspect ratio is
 * set as the player sets it, and *o receives the stream's orientation.
 */
int test_decode_first_picture(const char *path, AVFrame *frame, FPOrientation *o);

#endif
