/*
 * The frame index room alone (src/index/index.h), linked against framepipe_index and the
 * pipeline only. Every asset's index equals ffprobe's packets (ref/packets/NAME.csv) field by
 * field and reads the same track; its display numbers are ffmpeg's framemd5 numbers; the lookups
 * agree with the table. Each frame's picture type is the decoder's (ref/pict_types/NAME.txt) where
 * index.h says the codec's parser gives one, and none elsewhere; the GOP lookup lists GOPs in
 * display order with decode numbers. MPEG-TS pieces joined are shown piece after piece. Bad input
 * fails at open, abort is prompt on a large file, the index may be read while it grows, damaged
 * files end without harm. --read-error (under tests/io/fail_read_shim): EIO ends the scan with that
 * error.
 */
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libavcodec/packet.h>
#include <libavutil/avstring.h>
#include <libavutil/avutil.h> /* av_get_picture_type_char() */
#include <libavutil/common.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>

#include "check.h"
#include "index.h"

#define TS_ASSET "mpeg2_mp2_framenum_320x240_25fps.ts"
#define TS_FRAMES 100
#define JOINED_COPIES 40
#define ABORT_COPIES 150
#define MAX_ROWS 4096 /* the longest asset has 240 frames */

typedef struct Row {
    int stream;
    int64_t pts, dts, duration, pos;
    int size, flags;
} Row;

static const char *assets_dir, *refs_dir;

static int64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ffprobe prints N/A for a missing value: what AVPacket holds then is na. */
static int64_t field(const char *s, int64_t na)
{
    return strncmp(s, "N/A", 3) ? strtoll(s, NULL, 10) : na;
}

/* Reads NAME.csv of make-packet-refs.sh into rows[MAX_ROWS]; returns the row count. */
static int read_packets(const char *path, Row *rows)
{
    char line[512];
    FILE *f = fopen(path, "r");
    int n = 0;

    while (f && n < MAX_ROWS && fgets(line, sizeof(line), f)) {
        char *col[7], *save = NULL, *tok = strtok_r(line, ",\n", &save);
        int nb = 0;

        while (tok && nb < 7) {
            col[nb++] = tok;
            tok = strtok_r(NULL, ",\n", &save);
        }
        if (line[0] == '#' || nb != 7)
            continue;
        rows[n].stream = (int)field(col[0], -1);
        rows[n].pts = field(col[1], AV_NOPTS_VALUE);
        rows[n].dts = field(col[2], AV_NOPTS_VALUE);
        rows[n].duration = field(col[3], 0);
        rows[n].size = (int)field(col[4], -1);
        rows[n].pos = field(col[5], -1);
        rows[n].flags = (strchr(col[6], 'K') ? AV_PKT_FLAG_KEY : 0) |
                        (strchr(col[6], 'D') ? AV_PKT_FLAG_DISCARD : 0);
        n++;
    }
    if (f)
        fclose(f);
    CHECK(n < MAX_ROWS);
    return n;
}

/* The pts column of a framemd5 file into pts[MAX_ROWS], and its time base; returns the count. */
static int read_framemd5(const char *path, int64_t *pts, AVRational *tb)
{
    char line[512];
    FILE *f = fopen(path, "r");
    int n = 0, num, den;

    while (f && n < MAX_ROWS && fgets(line, sizeof(line), f)) {
        long long stream, dts, p;

        if (sscanf(line, "#tb 0: %d/%d", &num, &den) == 2)
            *tb = (AVRational){num, den};
        if (line[0] != '#' && sscanf(line, "%lld, %lld, %lld", &stream, &dts, &p) == 3)
            pts[n++] = p;
    }
    if (f)
        fclose(f);
    CHECK(n < MAX_ROWS);
    return n;
}

static FPIndex *index_whole(const char *path, int stream_index)
{
    FPIndex *ix = NULL;

    CHECK_EQ_INT(fp_index_open(&ix, path, stream_index, 0), 0);
    if (!ix)
        return NULL;
    CHECK_EQ_INT(fp_index_start(ix), 0);
    CHECK_EQ_INT(fp_index_wait(ix, -1), 0);
    CHECK_EQ_INT(fp_index_done(ix), 1);
    return ix;
}

/* Decode order: the fields ffprobe shows, and each packet's display number leading back to it. */
static void compare_packets(FPIndex *ix, const Row *rows, int nb_rows, const char *name)
{
    FPIndexEntry e, d;
    int bad = 0, idr = 0, keys = 0;
    size_t len = strlen(name);
    int raw = len > 5 && (!strcmp(name + len - 5, ".h264") || !strcmp(name + len - 5, ".hevc"));

    CHECK_EQ_INT(fp_index_count(ix), nb_rows);
    for (int n = 0; n < nb_rows; n++) {
        const Row *r = &rows[n];
        int same;

        CHECK_EQ_INT(fp_index_get_decode(ix, n, &e), 0);
        same = e.pts == r->pts && e.dts == r->dts && e.duration == r->duration &&
               e.size == r->size && e.pos == r->pos &&
               (e.flags & (AV_PKT_FLAG_KEY | AV_PKT_FLAG_DISCARD)) == r->flags &&
               e.key == !!(r->flags & AV_PKT_FLAG_KEY) && e.packet == n;
        if (!same && bad++ < 3)
            fprintf(stderr,
                    "  %s packet %d: pts %lld dts %lld pos %lld, ffprobe's line %d differs\n", name,
                    n, (long long)e.pts, (long long)e.dts, (long long)e.pos, n + 2);
        CHECK(same);
        CHECK(!e.idr || e.key);
        idr += e.idr;
        keys += e.key;
        if (r->flags & AV_PKT_FLAG_DISCARD) {
            CHECK_EQ_INT(e.frame, -1);
        } else {
            CHECK(e.frame >= 0);
            CHECK_EQ_INT(fp_index_get(ix, e.frame, &d), 0);
            CHECK_EQ_INT(d.packet, n);
        }
    }
    /*
     * IDR pictures are marked in raw streams alone, every one a keyframe. Every keyframe of the
     * raw assets is one, but for the open-GOP CRA picture x265 made in hevc_raw_framenum.
     */
    CHECK_EQ_INT(idr, raw ? keys - !!strstr(name, "hevc_raw_framenum") : 0);
    if (raw && idr) {
        CHECK_EQ_INT(fp_index_idr_at_or_before(ix, nb_rows - 1, &e), 0);
        CHECK(e.idr && e.key && e.pos >= 0);
        CHECK_EQ_INT(fp_index_idr_at_or_before(ix, 0, &d), 0);
        CHECK_EQ_INT(d.packet, 0);
    }
    CHECK_EQ_INT(fp_index_get_decode(ix, nb_rows, &e), AVERROR(ERANGE));
    CHECK_EQ_INT(fp_index_get_decode(ix, -1, &e), AVERROR(ERANGE));
}

/*
 * Display order against framemd5: frame k's time, counted from the first frame of its segment,
 * is framemd5's line k counted likewise (framemd5 counts from the file's start, in 1/fps, and
 * re-times after a jump). Within half a tick: a frame numbered one off is a whole tick off.
 * The lookups are checked on the way.
 */
static double compare_display(FPIndex *ix, const FPIndexInfo *info, const char *name)
{
    static int64_t fm[MAX_ROWS];
    int64_t first_ts = AV_NOPTS_VALUE, prev_ts = AV_NOPTS_VALUE, last_key = -1, seg_key = -1;
    int64_t found;
    double worst = 0;
    char path[4200];
    AVRational fm_tb = {0, 1};
    int nb_fm, segments = 1, seg_start = 0, bad = 0;
    FPIndexEntry e, k;

    snprintf(path, sizeof(path), "%s/%s.framemd5", refs_dir, name);
    nb_fm = read_framemd5(path, fm, &fm_tb);
    CHECK(nb_fm > 0 && fm_tb.num > 0);
    CHECK_EQ_INT(info->frames, nb_fm);
    for (int64_t f = 0; f < info->frames && f < nb_fm && fm_tb.num > 0; f++) {
        CHECK_EQ_INT(fp_index_get(ix, f, &e), 0);
        CHECK_EQ_INT(e.frame, f);
        if (info->order == FP_INDEX_ORDER_DECODE)
            CHECK_EQ_INT(e.packet, f); /* no times: decode order, as index.h says */
        if (e.display_ts != AV_NOPTS_VALUE) {
            if (prev_ts != AV_NOPTS_VALUE && e.display_ts < prev_ts) {
                segments++; /* the clock went back: a new segment, shown after the last */
                seg_start = (int)f;
                first_ts = AV_NOPTS_VALUE;
                seg_key = -1;
            }
            if (first_ts == AV_NOPTS_VALUE) {
                first_ts = e.display_ts;
                seg_start = (int)f;
            }
            double ours =
                (double)(e.display_ts - first_ts) * av_q2d(info->time_base) / av_q2d(fm_tb);
            double want = (double)(fm[f] - fm[seg_start]);
            worst = FFMAX(worst, fabs(ours - want));
            if (fabs(ours - want) > 0.5 && bad++ < 3)
                fprintf(stderr, "  %s frame %lld: at %.2f, framemd5 %.0f\n", name, (long long)f,
                        ours, want);
            prev_ts = e.display_ts;
            found = fp_index_frame_of_pts(ix, e.display_ts);
            CHECK(found >= 0 && found <= f);
            CHECK(found >= 0 && fp_index_get(ix, found, &k) == 0 && k.display_ts == e.display_ts);
        }
        if (e.key) {
            last_key = f;
            if (e.display_ts != AV_NOPTS_VALUE)
                seg_key = f;
        }
        /* Decoding from the last keyframe at or before f in display order reaches f. */
        if (last_key < 0) {
            CHECK_EQ_INT(fp_index_key_for_frame(ix, f, &k), AVERROR(ENOENT));
        } else {
            CHECK_EQ_INT(fp_index_key_for_frame(ix, f, &k), 0);
            CHECK_EQ_INT(k.frame, last_key);
            CHECK(k.key && k.packet <= e.packet);
        }
        if (e.display_ts != AV_NOPTS_VALUE && seg_key < 0) {
            CHECK_EQ_INT(fp_index_key_at_or_before(ix, e.display_ts, &k), AVERROR(ENOENT));
        } else if (e.display_ts != AV_NOPTS_VALUE) {
            CHECK_EQ_INT(fp_index_key_at_or_before(ix, e.display_ts, &k), 0);
            CHECK_EQ_INT(k.frame, seg_key);
        }
    }
    CHECK_EQ_INT(bad, 0);
    if (info->order != FP_INDEX_ORDER_DECODE)
        CHECK_EQ_INT(segments, info->segments);
    CHECK_EQ_INT(fp_index_get(ix, info->frames, &e), AVERROR(ERANGE));
    CHECK_EQ_INT(fp_index_frame_of_pts(ix, AV_NOPTS_VALUE), AVERROR(EINVAL));
    return worst;
}

/* Picture types, per codec of the assets: how many frames the index types as the decoder does. */
typedef struct Tally {
    char codec[32];
    int assets, frames, agree, untyped;
} Tally;

static Tally tallies[16];
static int nb_tallies;

/* The codecs whose libavcodec parser gives picture types (index.h). Others get none. */
static const char *const typed_codecs[] = {"h264",  "hevc", "mpeg1video", "mpeg2video",
                                           "mpeg4", "vp9",  "av1",        "theora"};

/* Reads ref/pict_types/NAME.txt of make-pict-type-refs.sh: the codec, and a letter a frame. */
static int read_pict_types(const char *path, char *codec, size_t codec_size, char *types)
{
    char line[128];
    FILE *f = fopen(path, "r");
    int n = 0;

    codec[0] = '\0';
    while (f && n < MAX_ROWS && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "# codec ", 8))
            av_strlcpy(codec, line + 8, codec_size);
        else if (line[0] != '#' && line[0])
            types[n++] = line[0];
    }
    if (f)
        fclose(f);
    CHECK(n < MAX_ROWS);
    return n;
}

/*
 * Frame k's picture type is the decoder's k-th frame's (AVFrame.pict_type, made by ffprobe into
 * ref/pict_types/NAME.txt), for every frame of a codec index.h says is typed; a codec it does not
 * name has none. Where the index numbers frames in decode order and the codec reorders (raw H.264
 * and HEVC: no times), frame k is not the decoder's k-th: the counts of each type are compared.
 */
static void compare_pict_types(FPIndex *ix, const FPIndexInfo *info, const char *name)
{
    static char want[MAX_ROWS];
    char path[4200], codec[32], ours;
    int have_count[128] = {0}, want_count[128] = {0};
    int n, agree = 0, untyped = 0, typed = 0, by_count, bad = 0;
    FPIndexEntry e;
    Tally *t = NULL;

    snprintf(path, sizeof(path), "%s/pict_types/%s.txt", refs_dir, name);
    n = read_pict_types(path, codec, sizeof(codec), want);
    CHECK(n > 0 && codec[0]);
    CHECK_EQ_INT(n, info->frames);
    if (n <= 0 || n != info->frames)
        return;
    for (size_t i = 0; i < sizeof(typed_codecs) / sizeof(typed_codecs[0]); i++)
        typed |= !strcmp(codec, typed_codecs[i]);
    by_count = info->order == FP_INDEX_ORDER_DECODE && info->reorder_delay > 0;
    for (int k = 0; k < n; k++) {
        CHECK_EQ_INT(fp_index_get(ix, k, &e), 0);
        ours = e.pict_type == AV_PICTURE_TYPE_NONE ? '?' : av_get_picture_type_char(e.pict_type);
        untyped += e.pict_type == AV_PICTURE_TYPE_NONE;
        have_count[(unsigned char)ours & 127]++;
        want_count[(unsigned char)want[k] & 127]++;
        if (!by_count && ours == want[k])
            agree++;
        else if (!by_count && typed && bad++ < 3)
            fprintf(stderr, "  %s frame %d: index %c, decoder %c\n", name, k, ours, want[k]);
    }
    if (by_count)
        for (int c = 0; c < 128; c++)
            agree += FFMIN(have_count[c], want_count[c]);
    if (typed) {
        CHECK_EQ_INT(agree, n);
    } else {
        /* The decoder says I, or P for GIF: the index does not guess. */
        CHECK_EQ_INT(untyped, n);
        printf("  %s: %s, no parser type: %d frame(s) untyped, the decoder says %.*s%s\n", name,
               codec, untyped, FFMIN(n, 12), want, n > 12 ? "..." : "");
    }
    for (int i = 0; i < nb_tallies && !t; i++)
        if (!strcmp(tallies[i].codec, codec))
            t = &tallies[i];
    if (!t && nb_tallies < (int)(sizeof(tallies) / sizeof(tallies[0]))) {
        t = &tallies[nb_tallies++];
        av_strlcpy(t->codec, codec, sizeof(t->codec));
    }
    if (t) {
        t->assets++;
        t->frames += n;
        t->agree += agree;
        t->untyped += untyped;
    }
    if (by_count)
        printf("  %s: picture types compared as counts (decode order): %d of %d agree\n", name,
               agree, n);
}

static void check_asset(const char *name)
{
    static const char *const orders[] = {"pts", "pts, some estimated", "decode order"};
    char media[4200], csv[4200], times[128];
    FPIndexInfo info;
    static Row rows[MAX_ROWS];
    FPIndex *ix;
    double worst;
    int nb_rows;

    snprintf(media, sizeof(media), "%s/%s", assets_dir, name);
    snprintf(csv, sizeof(csv), "%s/packets/%s.csv", refs_dir, name);
    nb_rows = read_packets(csv, rows);
    CHECK(nb_rows > 0);
    ix = index_whole(media, -1);
    if (ix && nb_rows > 0) {
        fp_index_info(ix, &info);
        /* The track the player shows is the one ffprobe listed. */
        CHECK_EQ_INT(info.stream_index, rows[0].stream);
        CHECK_EQ_INT(info.packets, nb_rows);
        compare_packets(ix, rows, nb_rows, name);
        worst = compare_display(ix, &info, name);
        compare_pict_types(ix, &info, name);
        /* Without times nothing is compared but the count; a reordering codec then numbers
         * differently from ffmpeg within each GOP (index.h). */
        snprintf(times, sizeof(times), "times within %.2f tick of framemd5's", worst);
        printf("  %s: %lld packets, %lld frames, %lld keyframes, %d segment(s), %s; %s\n", name,
               (long long)info.packets, (long long)info.frames, (long long)info.keyframes,
               info.segments, orders[info.order],
               info.order != FP_INDEX_ORDER_DECODE ? times
               : info.reorder_delay > 0            ? "no times, and the codec reorders"
                                                   : "no times");
    }
    fp_index_free(&ix);
    CHECK(ix == NULL);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_every_asset(void)
{
    char path[4200], *names[256];
    struct dirent *entry;
    DIR *dir;
    int n = 0;

    snprintf(path, sizeof(path), "%s/packets", refs_dir);
    dir = opendir(path);
    while (dir && n < 256 && (entry = readdir(dir))) {
        size_t len = strlen(entry->d_name);

        if (len > 4 && !strcmp(entry->d_name + len - 4, ".csv")) {
            names[n] = av_strndup(entry->d_name, len - 4);
            n += names[n] != NULL;
        }
    }
    if (dir)
        closedir(dir);
    CHECK(n > 0);
    qsort(names, n, sizeof(*names), name_cmp);
    for (int i = 0; i < n; i++) {
        check_asset(names[i]);
        av_free(names[i]);
    }
    for (int i = 0; i < nb_tallies; i++)
        printf("  picture types, %s: %d of %d frames as the decoder says, %d untyped (%d assets)\n",
               tallies[i].codec, tallies[i].agree, tallies[i].frames, tallies[i].untyped,
               tallies[i].assets);
}

/* Writes copies of an asset one after another into a temporary file; the caller unlinks it. */
static int write_copies(const char *name, int copies, long cut, int garble, char *out, size_t size)
{
    char src[4200];
    FILE *in, *f;
    uint8_t *data;
    long len;
    int fd;

    snprintf(src, sizeof(src), "%s/%s", assets_dir, name);
    snprintf(out, size, "/tmp/test_index_XXXXXX");
    in = fopen(src, "rb");
    if (!in)
        return -1;
    len = fseek(in, 0, SEEK_END) ? -1 : ftell(in);
    rewind(in);
    data = len > 0 ? av_malloc(len) : NULL;
    if (data && fread(data, 1, len, in) != (size_t)len)
        av_freep(&data);
    fclose(in);
    if (!data)
        return -1;
    for (long i = 1000; garble && i < len; i += 97)
        data[i] ^= 0x5a;
    fd = mkstemp(out);
    f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    for (int c = 0; f && c < copies; c++)
        fwrite(data, 1, cut > 0 && cut < len ? cut : len, f);
    av_free(data);
    return f && !fclose(f) ? 0 : -1;
}

typedef struct Poller {
    FPIndex *ix;
    atomic_int reads;
} Poller;

/* Reads the index on another thread while the scan appends: counts only grow, entries are whole. */
static void *poll_index(void *arg)
{
    Poller *p = arg;
    int64_t last = 0;
    FPIndexEntry e;
    FPIndexInfo info;
    FPIndexGopFrame gop[4];

    while (fp_index_done(p->ix) == 0) {
        int64_t count = fp_index_count(p->ix);
        int ret;

        CHECK(count >= last);
        last = count;
        if (count > 0) {
            CHECK_EQ_INT(fp_index_get_decode(p->ix, count - 1, &e), 0);
            CHECK_EQ_INT(e.packet, count - 1);
        }
        fp_index_info(p->ix, &info);
        CHECK(info.packets >= count);
        ret = fp_index_get(p->ix, 0, &e);
        CHECK(ret == 0 || ret == AVERROR(EAGAIN));
        ret = fp_index_gop(p->ix, 0, gop, 4, NULL);
        CHECK(ret > 0 || ret == AVERROR(EAGAIN));
        atomic_fetch_add(&p->reads, 1);
    }
    return NULL;
}

/*
 * MPEG-TS pieces joined: every join sets the clock back, and the pieces are shown one after
 * the other, each in the order of the piece alone. Read meanwhile from another thread.
 */
static void test_joined_pieces_read_while_scanning(void)
{
    char joined[64], single_path[4200];
    FPIndex *ix = NULL, *single;
    FPIndexInfo info;
    FPIndexEntry e, s;
    Poller poller = {0};
    pthread_t thread;
    int bad = 0;

    snprintf(single_path, sizeof(single_path), "%s/%s", assets_dir, TS_ASSET);
    single = index_whole(single_path, -1);
    CHECK_EQ_INT(write_copies(TS_ASSET, JOINED_COPIES, 0, 0, joined, sizeof(joined)), 0);
    CHECK_EQ_INT(fp_index_open(&ix, joined, -1, 0), 0);
    if (!ix || !single)
        goto end;
    CHECK_EQ_INT(fp_index_wait(ix, 0), AVERROR(EINVAL)); /* not started: would never end */
    CHECK_EQ_INT(fp_index_done(ix), 0);
    CHECK_EQ_INT(fp_index_get(ix, 0, &e), AVERROR(EAGAIN));
    poller.ix = ix;
    CHECK_EQ_INT(fp_index_start(ix), 0);
    CHECK_EQ_INT(fp_index_start(ix), AVERROR(EINVAL));
    CHECK_EQ_INT(pthread_create(&thread, NULL, poll_index, &poller), 0);
    CHECK_EQ_INT(fp_index_wait(ix, -1), 0);
    pthread_join(thread, NULL);
    fp_index_info(ix, &info);
    CHECK_EQ_INT(info.frames, JOINED_COPIES * TS_FRAMES);
    CHECK_EQ_INT(info.segments, JOINED_COPIES);
    for (int64_t f = 0; f < info.frames && f < JOINED_COPIES * TS_FRAMES; f++) {
        int64_t piece = f / TS_FRAMES;
        CHECK_EQ_INT(fp_index_get(ix, f, &e), 0);
        CHECK_EQ_INT(fp_index_get(single, f % TS_FRAMES, &s), 0);
        bad += e.packet != piece * TS_FRAMES + s.packet || e.display_ts != s.display_ts;
    }
    CHECK_EQ_INT(bad, 0);
    /* A time every piece has: the first piece in display order answers. */
    CHECK_EQ_INT(fp_index_get(single, 50, &s), 0);
    CHECK_EQ_INT(fp_index_frame_of_pts(ix, s.display_ts), 50);
    CHECK_EQ_INT(fp_index_key_at_or_before(ix, s.display_ts, &e), 0);
    CHECK_EQ_INT(fp_index_key_at_or_before(single, s.display_ts, &s), 0);
    CHECK_EQ_INT(e.frame, s.frame);
    printf("  %d pieces joined: %lld frames in %d segments; %d reads while scanning\n",
           JOINED_COPIES, (long long)info.frames, info.segments, atomic_load(&poller.reads));
end:
    fp_index_free(&ix);
    fp_index_free(&single);
    unlink(joined);
}

/*
 * Abort stops the scan of a large input (150 pieces, 52 MB) at once: right after the start, and
 * part-way, once a few hundred packets are in.
 */
static void test_abort_is_prompt(void)
{
    char joined[64];
    int64_t count, total = (int64_t)ABORT_COPIES * TS_FRAMES;

    CHECK_EQ_INT(write_copies(TS_ASSET, ABORT_COPIES, 0, 0, joined, sizeof(joined)), 0);
    for (int part_way = 0; part_way <= 1; part_way++) {
        FPIndex *ix = NULL;
        FPIndexEntry e;
        int64_t t0, t1;

        CHECK_EQ_INT(fp_index_open(&ix, joined, -1, 0), 0);
        if (!ix)
            continue;
        CHECK_EQ_INT(fp_index_start(ix), 0);
        while (part_way && fp_index_count(ix) < 300 && !fp_index_done(ix))
            sleep_us(100);
        t0 = now_us();
        fp_index_abort(ix);
        CHECK_EQ_INT(fp_index_wait(ix, -1), AVERROR_EXIT);
        CHECK_EQ_INT(fp_index_done(ix), AVERROR_EXIT);
        CHECK_EQ_INT(fp_index_get(ix, 0, &e), AVERROR_EXIT);
        count = fp_index_count(ix);
        fp_index_free(&ix);
        t1 = now_us();
        CHECK(ix == NULL);
        CHECK(count < total);
        CHECK(t1 - t0 < 1000000);
        printf("  abort %s: %lld of %lld packets read; abort to free in %lld us\n",
               part_way ? "part-way" : "at once", (long long)count, (long long)total,
               (long long)(t1 - t0));
    }
    unlink(joined);
}

static void test_lifecycle_and_bad_input(void)
{
    char path[4200];
    FPIndex *ix = (FPIndex *)&ix; /* not NULL: open must set it */
    FPIndexInfo info;

    snprintf(path, sizeof(path), "%s/no_such_file.mp4", assets_dir);
    CHECK_EQ_INT(fp_index_open(&ix, path, -1, 0), AVERROR(ENOENT));
    CHECK(ix == NULL);
    snprintf(path, sizeof(path), "%s/README.md", assets_dir);
    CHECK_EQ_INT(fp_index_open(&ix, path, -1, 0), AVERROR_INVALIDDATA);
    CHECK(ix == NULL);
    snprintf(path, sizeof(path), "%s/sound_only_aac_2s.m4a", assets_dir);
    CHECK_EQ_INT(fp_index_open(&ix, path, -1, 0), AVERROR_STREAM_NOT_FOUND);
    CHECK_EQ_INT(fp_index_open(&ix, path, 0, 0), AVERROR_STREAM_NOT_FOUND); /* audio */
    snprintf(path, sizeof(path), "%s/%s", assets_dir, TS_ASSET);
    CHECK_EQ_INT(fp_index_open(&ix, path, -2, 0), AVERROR(EINVAL));
    CHECK_EQ_INT(fp_index_open(&ix, path, 99, 0), AVERROR_STREAM_NOT_FOUND);
    CHECK(ix == NULL);

    /* Opened, never started: freed at once, nothing to wait for. */
    CHECK_EQ_INT(fp_index_open(&ix, path, -1, 0), 0);
    CHECK_EQ_INT(fp_index_count(ix), 0);
    fp_index_free(&ix);
    CHECK(ix == NULL);
    fp_index_free(&ix); /* NULL is fine */

    /* Aborted before the start: nothing starts. */
    CHECK_EQ_INT(fp_index_open(&ix, path, -1, 0), 0);
    fp_index_abort(ix);
    CHECK_EQ_INT(fp_index_start(ix), AVERROR_EXIT);
    CHECK_EQ_INT(fp_index_wait(ix, -1), AVERROR_EXIT);
    fp_index_free(&ix);

    /* Aborting a complete index changes nothing. */
    ix = index_whole(path, -1);
    if (ix) {
        fp_index_abort(ix);
        CHECK_EQ_INT(fp_index_wait(ix, 0), 0);
        CHECK_EQ_INT(fp_index_frame_of_pts(ix, INT64_MAX - 1), AVERROR(ENOENT));
        fp_index_free(&ix);
    }

    /* A track asked for by number: the alpha plane that the default passes over. */
    snprintf(path, sizeof(path), "%s/av1_alpha_first_160x120.mp4", assets_dir);
    ix = index_whole(path, 0);
    if (ix) {
        fp_index_info(ix, &info);
        CHECK_EQ_INT(info.stream_index, 0);
        CHECK_EQ_INT(info.frames, 5);
        fp_index_free(&ix);
    }
    printf("  missing, not media, no video, bad track; free unstarted, abort before start\n");
}

/* Cut and garbled copies of several formats: open fails or the scan ends; never a crash. */
static void test_damaged_files(void)
{
    static const char *const media[] = {
        TS_ASSET, "h264_bframes_aac_320x240_30fps.mp4", "vp9_opus_320x240_30fps.webm",
        "mpeg2_mp2_framenum_320x240_25fps.mpg", "hevc_raw_framenum_320x240_25fps.hevc"};
    static const long cuts[] = {2000, 40000, 100000};
    int opened = 0, failed_open = 0;

    for (size_t m = 0; m < sizeof(media) / sizeof(media[0]); m++) {
        for (int variant = 0; variant < 4; variant++) {
            char path[64];
            FPIndex *ix = NULL;
            FPIndexInfo info;
            FPIndexEntry e;
            int ret;

            if (write_copies(media[m], 1, variant < 3 ? cuts[variant] : 0, variant == 3, path,
                             sizeof(path)) < 0) {
                CHECK(0);
                continue;
            }
            ret = fp_index_open(&ix, path, -1, 0);
            failed_open += ret < 0;
            if (ret >= 0) {
                opened++;
                CHECK_EQ_INT(fp_index_start(ix), 0);
                ret = fp_index_wait(ix, -1);
                CHECK(ret != AVERROR(EAGAIN) && ret != AVERROR_EXIT);
                fp_index_info(ix, &info);
                for (int64_t f = 0; ret == 0 && f < info.frames; f++)
                    CHECK_EQ_INT(fp_index_get(ix, f, &e), 0);
            }
            fp_index_free(&ix);
            unlink(path);
        }
    }
    printf("  damaged files: %d indexed, %d refused at open\n", opened, failed_open);
}

/* Under tests/io/fail_read_shim: reads past a byte fail with EIO. */
static void test_read_error(void)
{
    char path[64];
    FPIndex *ix = NULL;
    FPIndexEntry e;
    FPIndexInfo info;
    int64_t count;

    CHECK_EQ_INT(write_copies(TS_ASSET, 1, 0, 0, path, sizeof(path)), 0);
    /* The shim reads these at open and at each read; no other thread runs yet. */
    setenv("FP_FAIL_READ_PATH", strrchr(path, '/') + 1, 1);
    setenv("FP_FAIL_READ_AFTER", "150000", 1);
    CHECK_EQ_INT(fp_index_open(&ix, path, -1, 0), 0);
    if (ix) {
        CHECK_EQ_INT(fp_index_start(ix), 0);
        CHECK_EQ_INT(fp_index_wait(ix, -1), AVERROR(EIO));
        CHECK_EQ_INT(fp_index_done(ix), AVERROR(EIO));
        count = fp_index_count(ix);
        CHECK(count > 0 && count < TS_FRAMES);
        /* What was read before the failure is indexed and numbered. */
        fp_index_info(ix, &info);
        CHECK_EQ_INT(info.frames, count);
        CHECK_EQ_INT(fp_index_get(ix, 0, &e), 0);
        printf("  EIO after 150000 bytes: %lld packets indexed, the scan says %s\n",
               (long long)count, av_err2str(fp_index_wait(ix, 0)));
    }
    fp_index_free(&ix);
    unlink(path);
}

/* fp_index_gop() and fp_index_gop_format() of one frame, with a window of max frames. */
static int gop_line(FPIndex *ix, int64_t frame, int max, char *line, size_t size)
{
    FPIndexGopFrame items[64];
    FPIndexGop gop;
    int count = fp_index_gop(ix, frame, items, FFMIN(max, 64), &gop);

    line[0] = '\0';
    if (count > 0)
        CHECK(fp_index_gop_format(&gop, items, line, size) < (int)size);
    return count;
}

/*
 * Every GOP of an asset listed whole: consecutive display numbers from a keyframe (the GOP's
 * first frame) to the frame before the next, each as fp_index_get() has it; each B-frame decoded
 * after the frame shown next that is not a B-frame, its forward reference. Returns the GOPs.
 */
static int check_gops(FPIndex *ix, int64_t frames, int open_gop)
{
    FPIndexGopFrame items[64];
    FPIndexGop gop;
    FPIndexEntry e, next;
    int gops = 0;

    for (int64_t f = 0; f < frames; f++) {
        int count = fp_index_gop(ix, f, items, 64, &gop);

        CHECK(count > 0 && count == gop.count && count == gop.end - gop.first);
        CHECK(gop.frame == f && gop.first <= f && f < gop.end && gop.frames == frames);
        gops += count > 0 && f == gop.first;
        for (int i = 0; i < count; i++) {
            CHECK_EQ_INT(items[i].frame, gop.first + i);
            CHECK_EQ_INT(items[i].key, i == 0);
            CHECK_EQ_INT(fp_index_get(ix, items[i].frame, &e), 0);
            CHECK(e.packet == items[i].packet && e.pict_type == items[i].pict_type &&
                  e.pts == items[i].pts && e.size == items[i].size);
            for (int j = i + 1; items[i].pict_type == AV_PICTURE_TYPE_B && j < count; j++) {
                if (items[j].pict_type != AV_PICTURE_TYPE_B) {
                    CHECK(items[i].packet > items[j].packet);
                    break;
                }
            }
        }
        /* Open GOP: the B-frames that end it are decoded after the next GOP's keyframe. */
        if (count > 0 && gop.end < frames && fp_index_get(ix, gop.end, &next) == 0) {
            CHECK(next.key && next.pict_type == AV_PICTURE_TYPE_I);
            CHECK_EQ_INT(items[count - 1].packet > next.packet, open_gop);
        }
    }
    return gops;
}

/*
 * The GOP strip: an H.264 stream with a B-pyramid in three closed GOPs of 30 frames, an MPEG-2
 * stream in open GOPs of 12, and a GIF, whose frames have no type. The lines are those
 * index.h shows, the values those of ref/packets and ref/pict_types.
 */
static void test_gop(void)
{
    char path[4200], line[512];
    FPIndexGopFrame items[4];
    FPIndexGop gop;
    FPIndexInfo info;
    FPIndex *ix = NULL;

    snprintf(path, sizeof(path), "%s/h264_bframes_aac_320x240_30fps.mp4", assets_dir);
    CHECK_EQ_INT(fp_index_open(&ix, path, -1, 0), 0);
    CHECK_EQ_INT(fp_index_gop(ix, 0, items, 4, &gop), AVERROR(EAGAIN)); /* not started */
    fp_index_free(&ix);
    ix = index_whole(path, -1);
    if (ix) {
        fp_index_info(ix, &info);
        CHECK_EQ_INT(check_gops(ix, info.frames, 0), 3);
        CHECK_EQ_INT(gop_line(ix, 3, 8, line, sizeof(line)), 8);
        CHECK(!strcmp(line, "gop 0-29 of 90: I0(d0) B1(d2) B2(d3) [P3(d1)] B4(d6) B5(d5) "
                            "B6(d7) P7(d4) ..."));
        CHECK_EQ_INT(gop_line(ix, 45, 5, line, sizeof(line)), 5);
        CHECK(!strcmp(line,
                      "gop 30-59 of 90: ... B43(d45) B44(d44) [B45(d46)] P46(d43) P47(d47) ..."));
        CHECK_EQ_INT(gop_line(ix, 89, 4, line, sizeof(line)), 4);
        CHECK(!strcmp(line, "gop 60-89 of 90: ... B86(d87) P87(d84) B88(d89) [P89(d88)]"));
        printf("  h264 B-pyramid: %s\n", line);
        CHECK_EQ_INT(gop_line(ix, 60, 1, line, sizeof(line)), 1);
        CHECK(!strcmp(line, "gop 60-89 of 90: [I60(d60)] ..."));
        /* Cut as snprintf() cuts, the whole length returned. */
        CHECK_EQ_INT(fp_index_gop(ix, 60, items, 1, &gop), 1);
        CHECK_EQ_INT(fp_index_gop_format(&gop, items, line, 10), 31);
        CHECK(!strcmp(line, "gop 60-89"));
        CHECK_EQ_INT(fp_index_gop_format(&gop, items, NULL, 0), 31);
        gop.frame = 61; /* not among the frames listed */
        CHECK_EQ_INT(fp_index_gop_format(&gop, items, line, sizeof(line)), AVERROR(EINVAL));
        CHECK_EQ_INT(fp_index_gop(ix, 0, items, 0, &gop), AVERROR(EINVAL));
        CHECK_EQ_INT(fp_index_gop(ix, 90, items, 4, &gop), AVERROR(ERANGE));
        CHECK_EQ_INT(fp_index_gop(ix, -1, items, 4, NULL), AVERROR(ERANGE));
    }
    fp_index_free(&ix);

    snprintf(path, sizeof(path), "%s/%s", assets_dir, TS_ASSET);
    ix = index_whole(path, -1);
    if (ix) {
        fp_index_info(ix, &info);
        CHECK_EQ_INT(check_gops(ix, info.frames, 1), 9);
        CHECK_EQ_INT(gop_line(ix, 23, 5, line, sizeof(line)), 5);
        CHECK(
            !strcmp(line, "gop 12-23 of 100: ... B19(d20) B20(d21) P21(d19) B22(d23) [B23(d24)]"));
        printf("  mpeg2 open GOP: %s\n", line);
    }
    fp_index_free(&ix);

    snprintf(path, sizeof(path), "%s/pic_pal8_320x240.gif", assets_dir);
    ix = index_whole(path, -1);
    if (ix) {
        CHECK_EQ_INT(gop_line(ix, 2, 64, line, sizeof(line)), 5);
        CHECK(!strcmp(line, "gop 0-4 of 5: K0(d0) ?1(d1) [?2(d2)] ?3(d3) ?4(d4)"));
    }
    fp_index_free(&ix);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--read-error")) {
        assets_dir = argv[2];
        RUN_TEST(test_read_error);
        return CHECK_EXIT();
    }
    if (argc < 3) {
        fprintf(stderr, "usage: test_index ASSETS_DIR REFS_DIR | --read-error ASSETS_DIR\n");
        return 2;
    }
    assets_dir = argv[1];
    refs_dir = argv[2];
    av_log_set_level(AV_LOG_ERROR); /* the assets are sound: any complaint is worth seeing */
    RUN_TEST(test_every_asset);
    RUN_TEST(test_lifecycle_and_bad_input);
    RUN_TEST(test_gop);
    /* Joined pieces break MPEG-TS continuity at every join, and the demuxer says so each time. */
    av_log_set_level(AV_LOG_FATAL);
    RUN_TEST(test_joined_pieces_read_while_scanning);
    RUN_TEST(test_abort_is_prompt);
    RUN_TEST(test_damaged_files);
    return CHECK_EXIT();
}
