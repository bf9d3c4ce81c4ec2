#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <libavutil/bprint.h>
#include <libavutil/log.h>

#include "size_watch.h"

static atomic_uint refusals;
static atomic_uint decoder_errors;
static atomic_uint_fast64_t last_size; /* width << 32 | height */
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

/*
 * libavutil's two refusals, both logged by av_image_check_size2() on behalf
 * of its "IMGUTILS" class, with the width and the height as the first two
 * arguments: the size it cannot address, and a size over a context's
 * max_pixels.
 */
static int is_refusal(void *avcl, const char *fmt)
{
    const AVClass *cls = avcl ? *(const AVClass **)avcl : NULL;

    return cls && cls->class_name && !strcmp(cls->class_name, "IMGUTILS") &&
           !strncmp(fmt, "Picture size %ux%u ", 19);
}

/* A decoder that logs an error has concealed or dropped something, even when it returned none. */
static int is_decoder_error(void *avcl, int level)
{
    const AVClass *cls = avcl ? *(const AVClass **)avcl : NULL;
    AVClassCategory category;

    if (!cls || level > AV_LOG_ERROR)
        return 0;
    category = cls->get_category ? cls->get_category(avcl) : cls->category;
    return category == AV_CLASS_CATEGORY_DECODER;
}

/* What this thread captures, and from whom (fp_log_capture_begin()). */
static _Thread_local AVBPrint *capture_to;
static _Thread_local const void *capture_from;

void fp_log_capture_begin(const void *ctx, AVBPrint *to)
{
    capture_from = ctx;
    capture_to = to;
}

void fp_log_capture_end(void)
{
    capture_to = NULL;
    capture_from = NULL;
}

static void watch(void *avcl, int level, const char *fmt, va_list args)
{
    if (capture_to && avcl == capture_from) {
        av_vbprintf(capture_to, fmt, args);
        return;
    }
    if (is_decoder_error(avcl, level))
        atomic_fetch_add(&decoder_errors, 1);
    if (is_refusal(avcl, fmt)) {
        va_list copy;
        unsigned width, height;

        va_copy(copy, args);
        width = va_arg(copy, unsigned);
        height = va_arg(copy, unsigned);
        va_end(copy);
        atomic_store(&last_size, (uint64_t)width << 32 | height);
        atomic_fetch_add(&refusals, 1);
    }
    av_log_default_callback(avcl, level, fmt, args);
}

static void install(void)
{
    av_log_set_callback(watch);
}

void fp_size_watch_install(void)
{
    pthread_once(&install_once, install);
}

unsigned fp_size_watch_count(void)
{
    return atomic_load(&refusals);
}

int fp_size_watch_last(unsigned *width, unsigned *height)
{
    uint64_t size = atomic_load(&last_size);

    if (!atomic_load(&refusals))
        return 0;
    *width = (unsigned)(size >> 32);
    *height = (unsigned)(size & 0xffffffff);
    return 1;
}

unsigned fp_size_watch_decoder_errors(void)
{
    return atomic_load(&decoder_errors);
}
