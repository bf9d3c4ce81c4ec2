/* A minimal assertion harness: each test program counts its failed checks and exits non-zero. */
#ifndef FRAMEPIPE_TESTS_CHECK_H
#define FRAMEPIPE_TESTS_CHECK_H

#include <stdio.h>
#include <time.h>

#include <libavutil/error.h>

static int check_failures;

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                 \
    do {                                                                                   \
        long long a_ = (long long)(a), b_ = (long long)(b);                                \
        if (a_ != b_) {                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%lld != %lld)\n", __FILE__,    \
                    __LINE__, #a, #b, a_, b_);                                             \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

#define RUN_TEST(fn)                                                                       \
    do {                                                                                   \
        int before_ = check_failures;                                                      \
        fn();                                                                              \
        printf("%s %s\n", check_failures == before_ ? "ok  " : "FAIL", #fn);               \
    } while (0)

static inline void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};

    nanosleep(&ts, NULL);
}

#define CHECK_EXIT() (check_failures ? 1 : 0)

#endif /* FRAMEPIPE_TESTS_CHECK_H */
