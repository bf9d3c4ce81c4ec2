/*
 * --version. A distribution can update FFmpeg or SDL under a built program,
 * so each library is named twice, as ffplay does: the version whose headers
 * framepipe was compiled with, and the version loaded now.
 */
#include <stdio.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#include "version.h"

static void print_av(FILE *out, const char *name, unsigned built, unsigned running)
{
    fprintf(out, "%-13s %2u.%3u.%3u / %2u.%3u.%3u\n", name, AV_VERSION_MAJOR(built),
            AV_VERSION_MINOR(built), AV_VERSION_MICRO(built), AV_VERSION_MAJOR(running),
            AV_VERSION_MINOR(running), AV_VERSION_MICRO(running));
}

static void print_sdl(FILE *out, const char *name, const SDL_version *built,
                      const SDL_version *running)
{
    fprintf(out, "%-13s %2u.%3u.%3u / %2u.%3u.%3u\n", name, built->major, built->minor,
            built->patch, running->major, running->minor, running->patch);
}

void fp_version_print(FILE *out)
{
    SDL_version sdl_built, sdl_running, ttf_built;

    SDL_VERSION(&sdl_built);
    SDL_GetVersion(&sdl_running);
    SDL_TTF_VERSION(&ttf_built);
    fprintf(out, "framepipe " FP_VERSION "\n"
                 "library       built against / running with\n");
    print_av(out, "libavformat", LIBAVFORMAT_VERSION_INT, avformat_version());
    print_av(out, "libavcodec", LIBAVCODEC_VERSION_INT, avcodec_version());
    print_av(out, "libavutil", LIBAVUTIL_VERSION_INT, avutil_version());
    print_av(out, "libswscale", LIBSWSCALE_VERSION_INT, swscale_version());
    print_av(out, "libswresample", LIBSWRESAMPLE_VERSION_INT, swresample_version());
    print_sdl(out, "SDL", &sdl_built, &sdl_running);
    print_sdl(out, "SDL_ttf", &ttf_built, TTF_Linked_Version());
}
