#include <errno.h>
#include <getopt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>
#include <libavutil/log.h>

#include "framepipe/player.h"
#include "frame_info.h"
#include "framemd5.h"
#include "keys.h"
#include "script.h"
#include "signals.h"
#include "usage.h"
#include "version.h"
#include "trace_html.h"

enum {
    OPT_HEADLESS = 256,
    OPT_FRAMEMD5,
    OPT_STATS,
    OPT_NO_AUDIO,
    OPT_LOGLEVEL,
    OPT_REALTIME,
    OPT_PAUSED,
    OPT_KEEP_OPEN,
    OPT_LOOP,
    OPT_SCREENSHOT_OSD,
    OPT_AB_LOOP_A,
    OPT_AB_LOOP_B,
    OPT_AB_LOOP_COUNT,
    OPT_STEP_HISTORY_MB,
    OPT_SCRIPT,
    OPT_NO_AUTOROTATE,
    OPT_TRACE_OWNERSHIP,
    OPT_TRACE_HTML,
    OPT_VOLUME,
    OPT_SYNC,
    OPT_AUDIO_MD5,
    OPT_MAX_PIXELS,
    OPT_MAX_PACKETS,
    OPT_DECODER_THREADS,
    OPT_VID,
    OPT_AID,
    OPT_START,
    OPT_START_FRAME,
    OPT_FRAME_INFO,
};

static const struct option long_options[] = {
    {"headless", no_argument, NULL, OPT_HEADLESS},
    {"framemd5", no_argument, NULL, OPT_FRAMEMD5},
    {"stats", no_argument, NULL, OPT_STATS},
    {"no-audio", no_argument, NULL, OPT_NO_AUDIO},
    {"loglevel", required_argument, NULL, OPT_LOGLEVEL},
    {"realtime", no_argument, NULL, OPT_REALTIME},
    {"paused", no_argument, NULL, OPT_PAUSED},
    {"keep-open", no_argument, NULL, OPT_KEEP_OPEN},
    {"loop", no_argument, NULL, OPT_LOOP},
    {"screenshot-osd", no_argument, NULL, OPT_SCREENSHOT_OSD},
    {"ab-loop-a", required_argument, NULL, OPT_AB_LOOP_A},
    {"ab-loop-b", required_argument, NULL, OPT_AB_LOOP_B},
    {"ab-loop-count", required_argument, NULL, OPT_AB_LOOP_COUNT},
    {"step-history-mb", required_argument, NULL, OPT_STEP_HISTORY_MB},
    {"script", required_argument, NULL, OPT_SCRIPT},
    {"no-autorotate", no_argument, NULL, OPT_NO_AUTOROTATE},
    {"trace-ownership", required_argument, NULL, OPT_TRACE_OWNERSHIP},
    {"trace-html", required_argument, NULL, OPT_TRACE_HTML},
    {"volume", required_argument, NULL, OPT_VOLUME},
    {"sync", required_argument, NULL, OPT_SYNC},
    {"audio-md5", no_argument, NULL, OPT_AUDIO_MD5},
    {"max-pixels", required_argument, NULL, OPT_MAX_PIXELS},
    {"max-packets", required_argument, NULL, OPT_MAX_PACKETS},
    {"decoder-threads", required_argument, NULL, OPT_DECODER_THREADS},
    {"vid", required_argument, NULL, OPT_VID},
    {"start", required_argument, NULL, OPT_START},
    {"start-frame", required_argument, NULL, OPT_START_FRAME},
    {"frame-info", required_argument, NULL, OPT_FRAME_INFO},
    {"aid", required_argument, NULL, OPT_AID},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static int parse_loglevel(const char *arg, int *level)
{
    static const struct {
        const char *name;
        int level;
    } levels[] = {
        {"quiet", AV_LOG_QUIET},     {"panic", AV_LOG_PANIC}, {"fatal", AV_LOG_FATAL},
        {"error", AV_LOG_ERROR},     {"warning", AV_LOG_WARNING}, {"info", AV_LOG_INFO},
        {"verbose", AV_LOG_VERBOSE}, {"debug", AV_LOG_DEBUG}, {"trace", AV_LOG_TRACE},
    };
    char *end;
    long value;

    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (!strcmp(arg, levels[i].name)) {
            *level = levels[i].level;
            return 0;
        }
    }
    value = strtol(arg, &end, 10);
    if (!*arg || *end)
        return -1;
    *level = (int)value;
    return 0;
}

/* A whole number >= 0; -1 for anything else. */
static long long parse_count(const char *arg)
{
    char *end;
    long long value;

    errno = 0;
    value = strtoll(arg, &end, 10);
    return *arg && !*end && !errno && value >= 0 ? value : -1;
}

/* --vid, --aid: N from 1, "no" or "auto"; 0 with *track set, or -1. */
static int parse_track(const char *arg, int *track)
{
    long long n = parse_count(arg);

    if (!strcmp(arg, "no"))
        *track = FP_TRACK_OFF;
    else if (!strcmp(arg, "auto"))
        *track = FP_TRACK_DEFAULT;
    else if (n >= 1 && n <= 1 << 16)
        *track = (int)n;
    else
        return -1;
    return 0;
}

/* av_open_input on a directory succeeds on some systems and fails late on others: say it plainly. */
static int check_path(const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return AVERROR(EISDIR);
    return 0;
}

/* What the program does with the player's events: the only place they are printed. */
typedef struct App {
    const char *path;
    FPPlayer *_Atomic player; /* set once open; events while opening see NULL */
    FPScript *script;         /* NULL unless --script */
    FILE *frame_info;         /* --frame-info; NULL unless asked */
    FPFrameInfoFormat frame_info_format;
    FPKeyPrompt prompt;       /* the go-to-frame prompt, on the render thread */
} App;

static void on_event(void *opaque, const FPEvent *ev)
{
    App *app = opaque;
    FPPlayer *player = atomic_load(&app->player);
    FPCommand cmd;

    switch (ev->type) {
    case FP_EVENT_MESSAGE:
        if (ev->level == AV_LOG_WARNING)
            fprintf(stderr, "framepipe: %s: warning: %s\n", app->path, ev->text);
        else
            av_log(NULL, ev->level, "%s\n", ev->text);
        break;
    case FP_EVENT_INPUT: {
        int what = player ? fp_keys_prompt(&app->prompt, &ev->input, &cmd) : 0;

        if (what < 0)
            what = fp_keys_command(&ev->input, &cmd);
        if (what > 0)
            fp_player_post(player, &cmd, NULL);
        break;
    }
    case FP_EVENT_FRAME_MD5:
        if (ev->frame_number >= 0)
            printf("frame time=%.6f pts=%lld n=%lld md5=%s\n", ev->time, (long long)ev->pts,
                   (long long)ev->frame_number, ev->md5);
        else /* the frame index has not counted this far yet, or there is none */
            printf("frame time=%.6f pts=%lld n=? md5=%s\n", ev->time, (long long)ev->pts,
                   ev->md5);
        fflush(stdout);
        break;
    case FP_EVENT_REPLY:
        printf("%s\n", ev->text);
        fflush(stdout);
        break;
    case FP_EVENT_FRAME_INFO:
        if (ev->id) { /* the script's 'info' */
            fp_frame_info_write(stdout, FP_FRAME_INFO_LINE, ev->info);
            fflush(stdout);
        } else if (app->frame_info) {
            fp_frame_info_write(app->frame_info, app->frame_info_format, ev->info);
        }
        break;
    case FP_EVENT_COMMAND_DONE:
        if (app->script)
            fp_script_command_done(app->script, ev->id);
        break;
    default:
        break;
    }
}

static void print_stats(FPPlayer *p)
{
    FPPlayerStats s;
    char drift[96] = "";

    fp_player_stats(p, &s);
    /* Drift is measured only while a device plays the sound. */
    if (s.drift_samples)
        snprintf(drift, sizeof(drift), " av_drift_max_ms=%.1f av_drift_avg_ms=%.1f",
                 s.drift_max_ms, s.drift_avg_ms);
    fprintf(stderr,
            "stats: decoded=%lld displayed=%lld dropped=%lld stale=%lld decode_errors=%lld "
            "sound_errors=%lld seeks=%lld seeks_in_reach=%lld seek_skipped=%lld "
            "pkt_queue_max_bytes=%zu pkt_queue_max=%d frame_queue_max=%d render=%s "
            "decoder_threads=%d decoder_thread_type=%s audio=%s%s\n",
            (long long)s.decoded, (long long)s.displayed, (long long)s.dropped,
            (long long)s.stale, (long long)s.decode_errors, (long long)s.sound_errors,
            (long long)s.seeks, (long long)s.seeks_in_reach, (long long)s.seek_skipped,
            s.pkt_queue_max_bytes,
            s.pkt_queue_max_count, s.frame_queue_max, s.render_driver,
            s.decoder_threads, s.decoder_thread_type, s.has_audio ? "yes" : "no", drift);
}

int main(int argc, char **argv)
{
    FPPlayerOptions opts;
    FPPlayer *player = NULL;
    FPPlayerStats stats;
    FPPlayerInfo info;
    FPVideoSink *framemd5 = NULL;
    SignalWatch signals = {0};
    App app = {0};
    int want_stats = 0, want_audio_md5 = 0, want_framemd5 = 0, loglevel = AV_LOG_WARNING, loglevel_given = 0;
    const char *path, *trace_html = NULL, *script = NULL, *frame_info = NULL;
    char err[128], detail[256] = "";
    int opt, ret;

    fp_player_options_default(&opts);
    opts.error = detail;
    opts.error_size = sizeof(detail);
    opts.on_event = on_event;
    opts.event_opaque = &app;
    /* ffplay's spelling of --no-audio; getopt would read it as -a -n. */
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-an"))
            argv[i] = "--no-audio";
    while ((opt = getopt_long(argc, argv, "hV", long_options, NULL)) != -1) {
        switch (opt) {
        case OPT_HEADLESS:
            opts.headless = 1;
            break;
        case OPT_REALTIME:
            opts.realtime = 1;
            break;
        case OPT_PAUSED:
            opts.start_paused = 1;
            break;
        case OPT_KEEP_OPEN:
            opts.keep_open = 1;
            break;
        case OPT_LOOP:
            opts.loop = 1;
            break;
        case OPT_SCREENSHOT_OSD:
            opts.screenshot_osd = 1;
            break;
        case OPT_STEP_HISTORY_MB: {
            long long mb = parse_count(optarg);
            if (mb < 0 || mb > 1 << 20) {
                fprintf(stderr, "framepipe: --step-history-mb takes a size in MiB\n");
                return 2;
            }
            opts.step_history_bytes = (size_t)mb << 20;
            break;
        }
        case OPT_DECODER_THREADS: {
            long long threads = parse_count(optarg);
            if (threads < 0 || threads > FP_DECODER_THREADS_MAX) {
                fprintf(stderr, "framepipe: --decoder-threads takes 0 (automatic) to %d\n",
                        FP_DECODER_THREADS_MAX);
                return 2;
            }
            opts.decoder_threads = (int)threads;
            break;
        }
        case OPT_SCRIPT:
            script = optarg;
            break;
        case OPT_NO_AUTOROTATE:
            opts.no_autorotate = 1;
            break;
        case OPT_TRACE_OWNERSHIP:
            opts.trace_ownership = optarg;
            break;
        case OPT_TRACE_HTML:
            trace_html = optarg;
            break;
        case OPT_FRAMEMD5:
            want_framemd5 = 1;
            break;
        case OPT_STATS:
            want_stats = 1;
            break;
        case OPT_NO_AUDIO:
            opts.no_audio = 1;
            break;
        case OPT_VOLUME: {
            long long volume = parse_count(optarg);
            if (volume < 0 || volume > 100) {
                fprintf(stderr, "framepipe: --volume takes 0 to 100\n");
                return 2;
            }
            opts.volume = (int)volume;
            break;
        }
        case OPT_SYNC:
            if (strcmp(optarg, "audio") && strcmp(optarg, "video")) {
                fprintf(stderr, "framepipe: --sync takes 'audio' or 'video'\n");
                return 2;
            }
            opts.sync_video = !strcmp(optarg, "video");
            break;
        case OPT_AUDIO_MD5:
            want_audio_md5 = 1;
            break;
        case OPT_MAX_PIXELS:
        case OPT_MAX_PACKETS: {
            long long count = parse_count(optarg);
            /* --max-pixels 0 leaves the bound to libavcodec; no packets at all means nothing. */
            if (count < 0 || (!count && opt == OPT_MAX_PACKETS)) {
                fprintf(stderr, "framepipe: --%s takes a count%s\n",
                        opt == OPT_MAX_PIXELS ? "max-pixels" : "max-packets",
                        opt == OPT_MAX_PIXELS ? "" : " above 0");
                return 2;
            }
            if (opt == OPT_MAX_PIXELS)
                opts.max_pixels = count;
            else
                opts.max_packets = count;
            break;
        }
        case OPT_START:
        case OPT_AB_LOOP_A:
        case OPT_AB_LOOP_B: {
            char *end;
            double t = strtod(optarg, &end);
            if (!*optarg || *end || !(t >= 0) || t > 1e9) {
                fprintf(stderr, "framepipe: --%s takes a time in seconds, 0 or more\n",
                        opt == OPT_START ? "start" : opt == OPT_AB_LOOP_A ? "ab-loop-a" : "ab-loop-b");
                return 2;
            }
            *(opt == OPT_START ? &opts.start_seconds : opt == OPT_AB_LOOP_A ? &opts.loop_a : &opts.loop_b) = t;
            break;
        }
        case OPT_AB_LOOP_COUNT:
            opts.loop_count = parse_count(optarg);
            if (opts.loop_count < 1 || opts.loop_count > INT32_MAX) {
                fprintf(stderr, "framepipe: --ab-loop-count takes a number from 1\n");
                return 2;
            }
            break;
        case OPT_START_FRAME: {
            long long n = parse_count(optarg);
            if (n < 0 || n > INT32_MAX) {
                fprintf(stderr, "framepipe: --start-frame takes a frame number from 0\n");
                return 2;
            }
            opts.start_frame = n;
            break;
        }
        case OPT_FRAME_INFO:
            frame_info = optarg;
            break;
        case OPT_VID:
        case OPT_AID:
            if (parse_track(optarg, opt == OPT_VID ? &opts.video_track : &opts.audio_track) < 0) {
                fprintf(stderr, "framepipe: --%s takes a track number from 1, 'no' or 'auto'\n",
                        opt == OPT_VID ? "vid" : "aid");
                return 2;
            }
            break;
        case OPT_LOGLEVEL:
            if (parse_loglevel(optarg, &loglevel) < 0) {
                fprintf(stderr, "framepipe: unknown log level '%s'\n", optarg);
                return 2;
            }
            loglevel_given = 1;
            break;
        case 'h':
            fp_usage(stdout);
            return 0;
        case 'V':
            fp_version_print(stdout);
            return 0;
        default:
            fprintf(stderr, "framepipe: try 'framepipe --help'\n");
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "framepipe: %s\n", optind < argc ? "one input file only" : "no input file");
        fprintf(stderr, "framepipe: try 'framepipe --help'\n");
        return 2;
    }
    path = argv[optind];
    app.path = path;
    if (!strcmp(path, "-") && script && !strcmp(script, "-")) {
        fprintf(stderr, "framepipe: the input and the script cannot both be standard input\n");
        return 2;
    }
    if (trace_html) {
        av_log_set_level(loglevel);
        ret = fp_trace_html(path, trace_html);
        if (ret < 0)
            fprintf(stderr, "framepipe: %s: %s\n", path, fp_strerror(ret, err, sizeof(err)));
        return ret < 0 ? 1 : 0;
    }

    /*
     * While the file is opened, libavformat's own complaints would come before
     * ours and say the same thing less clearly; unless asked for, keep them quiet.
     */
    av_log_set_level(loglevel_given ? loglevel : AV_LOG_FATAL);
    /* SDL would install handlers of its own for these; the watcher has them. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    ret = start_signal_watch(&signals);
    if (ret >= 0)
        ret = check_path(path);
    if (ret >= 0 && want_framemd5) {
        ret = fp_framemd5_sink_alloc(&framemd5, stdout);
        opts.sink = framemd5;
    }
    if (ret >= 0 && frame_info) {
        app.frame_info = strcmp(frame_info, "-") ? fopen(frame_info, "w") : stdout;
        if (!app.frame_info) {
            ret = AVERROR(errno);
            snprintf(detail, sizeof(detail), "--frame-info %s: %s", frame_info, av_err2str(ret));
        } else {
            app.frame_info_format = fp_frame_info_format_of(frame_info);
            fp_frame_info_header(app.frame_info, app.frame_info_format);
            opts.frame_info = 1;
        }
    }
    if (ret >= 0 && script) {
        ret = fp_script_open(&app.script, script);
        if (ret < 0)
            snprintf(detail, sizeof(detail), "script %s: %s", script, av_err2str(ret));
        opts.commands = 1;
    }
    if (ret >= 0) /* "-" is standard input, as for the ffmpeg CLI */
        ret = fp_player_open(&player, strcmp(path, "-") ? path : "pipe:0", &opts);
    av_log_set_level(loglevel);
    if (ret >= 0) {
        atomic_store(&app.player, player);
        fp_player_info(player, &info);
        /* Headless, sound alone goes to the null sink as fast as it comes: nothing to script. */
        if (app.script && !info.has_video && opts.headless) {
            fprintf(stderr, "framepipe: %s: warning: the script is not run: there is no picture, "
                    "and headless nothing paces the sound\n", path);
            fp_script_free(&app.script);
            fp_player_end_commands(player);
        }
        if (app.script)
            ret = fp_script_start(app.script, player);
    }
    if (ret >= 0) {
        watch_player(&signals, player);
        ret = fp_player_run(player);
        watch_player(&signals, NULL);
    }
    if (ret < 0)
        fprintf(stderr, "framepipe: %s: %s\n", path,
                detail[0] ? detail : fp_strerror(ret, err, sizeof(err)));
    if (player) {
        fp_player_stats(player, &stats);
        if (stats.decode_errors && ret >= 0)
            fprintf(stderr, "framepipe: %s: warning: %lld packets could not be decoded\n", path,
                    (long long)stats.decode_errors);
        /* An MD5 of part of the sound would pass for the sound's: none is printed then. */
        if (want_audio_md5 && ret >= 0) {
            char hex[33];
            if (stats.sound_errors) {
                fprintf(stderr, "framepipe: %s: %lld sound frames could not be converted: no MD5\n",
                        path, (long long)stats.sound_errors);
                ret = AVERROR(EINVAL);
            } else if (fp_player_audio_md5(player, hex) >= 0) {
                printf("%s\n", hex);
            } else {
                fprintf(stderr, "framepipe: %s: no sound was decoded headless\n", path);
                ret = AVERROR_STREAM_NOT_FOUND;
            }
        } else if (stats.sound_errors && ret >= 0) {
            fprintf(stderr, "framepipe: %s: warning: %lld sound frames could not be converted, "
                    "and were not played\n", path, (long long)stats.sound_errors);
        }
        if (want_stats)
            print_stats(player);
    }
    stop_signal_watch(&signals);
    fp_script_free(&app.script); /* before the player it posts to */
    fp_player_close(&player);
    fp_framemd5_sink_free(&framemd5);
    if (app.frame_info && app.frame_info != stdout) {
        /* A full disk shows at the latest here: the export must not end short unnoticed. */
        if ((ferror(app.frame_info) | fclose(app.frame_info)) && ret >= 0) {
            fprintf(stderr, "framepipe: --frame-info %s: cannot write the file\n", frame_info);
            ret = AVERROR(EIO);
        }
    }
    SDL_Quit();
    if (fflush(stdout) && ret >= 0) {
        fprintf(stderr, "framepipe: cannot write the output\n");
        return 1;
    }
    return ret < 0 ? 1 : 0;
}
