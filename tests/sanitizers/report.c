/*
 * A program with one deliberate fault per mode, for check_exitcodes.sh: each must end with the
 * sanitizer's own exit status from the test environment, never with framepipe's 1 ("cannot
 * play") or 2 (bad usage), which a test could take for an expected refusal.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static int shared;

static void *racer(void *arg)
{
    (void)arg;
    shared++;
    return NULL;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (!strcmp(mode, "leak")) {
        void *volatile lost = malloc(64);
        lost = NULL;
        return lost != NULL;
    }
    if (!strcmp(mode, "overflow")) {
        volatile char *p = malloc(8);
        p[8] = 1;
        free((void *)p);
        return 0;
    }
    if (!strcmp(mode, "undefined")) {
        volatile int x = INT_MAX;
        x = x + argc;
        return x == 0;
    }
    if (!strcmp(mode, "race")) {
        pthread_t t;
        pthread_create(&t, NULL, racer, NULL);
        shared++;
        pthread_join(t, NULL);
        return 0;
    }
    return 0;
}
