#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libavutil/error.h>
#include <libavutil/log.h>

#include "trace_html.h"
#include "trace_jsonl.h"
#include "trace_model.h"

/* Generated at build time from tools/trace_viewer.html (see CMakeLists.txt). */
extern const unsigned char fp_trace_viewer_html[];
extern const size_t fp_trace_viewer_html_size;

#define PLACEHOLDER "__FP_TRACE_DATA__"

/* fprintf() for each of a million numbers is the slow part of a long trace; this is not. */
static void put_int(FILE *out, int64_t v)
{
    char buf[24], *p = buf + sizeof(buf);
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

    do {
        *--p = '0' + u % 10;
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    fwrite(p, 1, buf + sizeof(buf) - p, out);
}

/* A JSON string that is also safe inside <script>: no "</script>" can appear in it. */
static void put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = *s;

        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x7f)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void put_strings(FILE *out, const char *name, const FPTraceNames *st)
{
    fprintf(out, ",\n\"%s\":[", name);
    for (int i = 0; i < st->count; i++) {
        if (i)
            fputc(',', out);
        put_string(out, st->names[i]);
    }
    fputc(']', out);
}

/*
 * The data the page reads (see the decoder in trace_viewer.html). Events are
 * flat arrays of small numbers, five per event, so that a 10-minute trace
 * stays a few MB:
 *   objects: kind, id - previous object's id, buf index
 *   events:  t_us - previous t_us, combo, depth (-1: none), refcount,
 *            objects seen so far - 1 - object (-1: a new object)
 */
static void write_data(FILE *out, const FPTraceModel *tr, const char *trace_path)
{
    int64_t prev_t = 0, prev_id = 0;
    int seen = 0;

    fputs("{\"format\":1,\"trace\":", out);
    put_string(out, trace_path);
    fputs(",\"kinds\":[", out);
    for (int i = 0; i < FP_TRACE_NB_KINDS; i++)
        fprintf(out, "%s\"%s\"", i ? "," : "", fp_trace_kind_names[i]);
    fputs("],\"ops\":[", out);
    for (int i = 0; i < FP_TRACE_NB_OPS; i++)
        fprintf(out, "%s\"%s\"", i ? "," : "", fp_trace_op_names[i]);
    fputc(']', out);
    put_strings(out, "threads", &tr->threads);
    put_strings(out, "queues", &tr->queues);
    put_strings(out, "bufs", &tr->bufs);
    fputs(",\n\"combos\":[", out);
    for (int i = 0; i < 3 * tr->nb_combos; i++) {
        if (i)
            fputc(',', out);
        put_int(out, tr->combos[i]);
    }
    fputs("],\n\"objects\":[", out);
    for (int i = 0; i < tr->nb_objects; i++) {
        const FPTraceItem *o = &tr->objects[i];

        if (i)
            fputc(',', out);
        put_int(out, o->kind);
        fputc(',', out);
        put_int(out, o->id - prev_id);
        fputc(',', out);
        put_int(out, o->buf);
        prev_id = o->id;
    }
    fputs("],\n\"events\":[", out);
    for (size_t i = 0; i < tr->nb_events; i++) {
        const FPTraceRecord *e = &tr->events[i];
        int back = seen - 1 - e->object;

        if (back < 0)
            seen++;
        if (i)
            fputc(',', out);
        put_int(out, e->t_us - prev_t);
        fputc(',', out);
        put_int(out, e->combo);
        fputc(',', out);
        put_int(out, e->depth);
        fputc(',', out);
        put_int(out, e->refcount);
        fputc(',', out);
        put_int(out, back);
        if (i % 16 == 15)
            fputc('\n', out);
        prev_t = e->t_us;
    }
    fputs("]}", out);
}

/* The template's placeholder line, which the data replaces: [*begin, *end) including its '\n'. */
static int find_placeholder(size_t *begin, size_t *end)
{
    const char *html = (const char *)fp_trace_viewer_html;
    size_t len = strlen(PLACEHOLDER), found = 0;

    for (size_t line = 0; line < fp_trace_viewer_html_size;) {
        const char *nl = memchr(html + line, '\n', fp_trace_viewer_html_size - line);
        size_t next = nl ? (size_t)(nl - html) + 1 : fp_trace_viewer_html_size;
        size_t at = line;

        while (at < next && (html[at] == ' ' || html[at] == '\t'))
            at++;
        if (next - at >= len && !memcmp(html + at, PLACEHOLDER, len)) {
            *begin = line;
            *end = next;
            found++;
        }
        line = next;
    }
    if (found != 1) {
        av_log(NULL, AV_LOG_ERROR, "trace viewer template: %zu " PLACEHOLDER " lines\n", found);
        return AVERROR_BUG;
    }
    return 0;
}

static int write_page(const FPTraceModel *tr, const char *trace_path, const char *out_path)
{
    size_t begin = 0, end = 0;
    FILE *out;
    int ret = find_placeholder(&begin, &end);

    if (ret < 0)
        return ret;
    out = fopen(out_path, "w");
    if (!out) {
        ret = AVERROR(errno);
        av_log(NULL, AV_LOG_ERROR, "%s: cannot create: %s\n", out_path, av_err2str(ret));
        return ret;
    }
    fwrite(fp_trace_viewer_html, 1, begin, out);
    write_data(out, tr, trace_path);
    fputc('\n', out);
    fwrite(fp_trace_viewer_html + end, 1, fp_trace_viewer_html_size - end, out);
    if (ferror(out))
        ret = AVERROR(EIO);
    if (fclose(out) && !ret)
        ret = AVERROR(errno);
    if (ret < 0) {
        av_log(NULL, AV_LOG_ERROR, "%s: write error: %s\n", out_path, av_err2str(ret));
        remove(out_path); /* a cut-off page would look like an empty trace */
    }
    return ret;
}

int fp_trace_html(const char *trace_path, const char *out_path)
{
    FPTraceModel model = {0};
    int ret = fp_trace_jsonl_read(&model, trace_path);

    if (ret >= 0)
        ret = fp_trace_model_order(&model);
    if (ret >= 0)
        ret = write_page(&model, trace_path, out_path);
    fp_trace_model_uninit(&model);
    return ret;
}
