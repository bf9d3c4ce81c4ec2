#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <libavutil/error.h>
#include <libavutil/log.h>

#include "trace_jsonl.h"

enum { KEY_T_US, KEY_THREAD, KEY_KIND, KEY_ID, KEY_OP, KEY_QUEUE, KEY_DEPTH, KEY_BUF,
       KEY_REFCOUNT, NB_KEYS };

static const struct {
    const char *name;
    int is_string;
    int required;
} keys[NB_KEYS] = {
    [KEY_T_US] = {"t_us", 0, 1},    [KEY_THREAD] = {"thread", 1, 1},
    [KEY_KIND] = {"kind", 1, 1},    [KEY_ID] = {"id", 0, 1},
    [KEY_OP] = {"op", 1, 1},        [KEY_QUEUE] = {"queue", 1, 0},
    [KEY_DEPTH] = {"depth", 0, 0},  [KEY_BUF] = {"buf", 1, 1},
    [KEY_REFCOUNT] = {"refcount", 0, 1},
};

/* The values of one line as written; the spans point into the line. */
typedef struct Fields {
    unsigned seen;
    FPTraceSpan str[NB_KEYS];
    int64_t num[NB_KEYS];
} Fields;

/* Where a line stopped making sense, for the message that names it. */
typedef struct Cursor {
    const char *line, *p;
    char *err;
    size_t err_size;
} Cursor;

static int fail(Cursor *c, const char *fmt, ...)
{
    int n = snprintf(c->err, c->err_size, "column %d: ", (int)(c->p - c->line) + 1);
    va_list ap;

    va_start(ap, fmt);
    if (n > 0 && (size_t)n < c->err_size)
        vsnprintf(c->err + n, c->err_size - n, fmt, ap);
    va_end(ap);
    return -1;
}

static void skip_space(Cursor *c)
{
    while (*c->p == ' ' || *c->p == '\t')
        c->p++;
}

static int expect(Cursor *c, char ch)
{
    skip_space(c);
    if (*c->p != ch)
        return fail(c, "expected '%c'", ch);
    c->p++;
    return 0;
}

/* The trace's strings are names and addresses: printable ASCII, never an escape. */
static int parse_string(Cursor *c, FPTraceSpan *out)
{
    const char *s;

    skip_space(c);
    if (*c->p != '"')
        return fail(c, "expected a string");
    s = ++c->p;
    for (; *c->p != '"'; c->p++) {
        unsigned char ch = *c->p;

        if (!ch)
            return fail(c, "unterminated string");
        if (ch == '\\')
            return fail(c, "escape sequences are not part of the trace format");
        if (ch < 0x20 || ch > 0x7e)
            return fail(c, "byte 0x%02x inside a string", ch);
    }
    out->s = s;
    out->len = c->p - s;
    c->p++;
    return 0;
}

static int parse_integer(Cursor *c, int64_t *out)
{
    const char *start;
    int negative = 0;
    int64_t v = 0;

    skip_space(c);
    start = c->p;
    if (*c->p == '-') {
        negative = 1;
        c->p++;
    }
    if (*c->p < '0' || *c->p > '9') {
        c->p = start;
        return fail(c, "expected an integer");
    }
    if (*c->p == '0' && c->p[1] >= '0' && c->p[1] <= '9')
        return fail(c, "leading zero in an integer");
    for (; *c->p >= '0' && *c->p <= '9'; c->p++) {
        int digit = *c->p - '0';

        if (v > (INT64_MAX - digit) / 10) {
            c->p = start;
            return fail(c, "integer out of range");
        }
        v = v * 10 + digit;
    }
    if (*c->p == '.' || *c->p == 'e' || *c->p == 'E')
        return fail(c, "expected an integer, not a fraction");
    *out = negative ? -v : v;
    return 0;
}

static int span_is(FPTraceSpan s, const char *word)
{
    return s.len == strlen(word) && !memcmp(s.s, word, s.len);
}

static int is_buf_address(FPTraceSpan s)
{
    if (span_is(s, "(nil)"))
        return 1;
    if (s.len < 3 || s.len > 18 || s.s[0] != '0' || s.s[1] != 'x')
        return 0;
    for (size_t i = 2; i < s.len; i++)
        if (!strchr("0123456789abcdefABCDEF", s.s[i]))
            return 0;
    return 1;
}

/* One line of the trace: a flat object whose keys and value types are those of trace.h. */
static int parse_fields(Cursor *c, Fields *f)
{
    memset(f, 0, sizeof(*f));
    if (expect(c, '{') < 0)
        return -1;
    for (;;) {
        const char *key_at;
        FPTraceSpan name;
        int key;

        skip_space(c);
        key_at = c->p;
        if (parse_string(c, &name) < 0)
            return -1;
        for (key = 0; key < NB_KEYS && !span_is(name, keys[key].name); key++)
            ;
        if (key == NB_KEYS) {
            c->p = key_at;
            return fail(c, "unknown key \"%.*s\"", (int)name.len, name.s);
        }
        if (f->seen & (1u << key)) {
            c->p = key_at;
            return fail(c, "\"%s\" given twice", keys[key].name);
        }
        f->seen |= 1u << key;
        if (expect(c, ':') < 0)
            return -1;
        if (keys[key].is_string ? parse_string(c, &f->str[key]) : parse_integer(c, &f->num[key]))
            return -1;
        skip_space(c);
        if (*c->p == ',') {
            c->p++;
            continue;
        }
        if (*c->p == '}')
            break;
        return fail(c, "expected ',' or '}'");
    }
    c->p++;
    while (*c->p == ' ' || *c->p == '\t' || *c->p == '\r')
        c->p++;
    if (*c->p)
        return fail(c, "text after the closing '}'");
    return 0;
}

/*
 * What each value may be, and the event it makes: everything FPTraceLine
 * promises the model is checked here. The line parsed, so any message is about
 * the whole line and names no column.
 */
static int check_fields(const Fields *f, FPTraceLine *ev, char *err, size_t err_size)
{
    int kind, op;

    for (int key = 0; key < NB_KEYS; key++) {
        if (keys[key].required && !(f->seen & (1u << key))) {
            snprintf(err, err_size, "no \"%s\"", keys[key].name);
            return -1;
        }
    }
    if (f->num[KEY_T_US] < 0 || f->num[KEY_ID] < 0 ||
        f->num[KEY_ID] > INT64_MAX / FP_TRACE_NB_KINDS ||
        f->num[KEY_REFCOUNT] < 0 || f->num[KEY_REFCOUNT] > INT_MAX ||
        f->num[KEY_DEPTH] < 0 || f->num[KEY_DEPTH] > INT_MAX) {
        snprintf(err, err_size, "t_us, id, refcount and depth must be non-negative integers");
        return -1;
    }
    if (!f->str[KEY_THREAD].len || ((f->seen & (1u << KEY_QUEUE)) && !f->str[KEY_QUEUE].len)) {
        snprintf(err, err_size, "empty thread or queue name");
        return -1;
    }
    if ((f->seen & (1u << KEY_DEPTH)) && !(f->seen & (1u << KEY_QUEUE))) {
        snprintf(err, err_size, "a depth without a queue");
        return -1;
    }
    if (!is_buf_address(f->str[KEY_BUF])) {
        snprintf(err, err_size, "buf \"%.*s\" is not an address", (int)f->str[KEY_BUF].len,
                 f->str[KEY_BUF].s);
        return -1;
    }
    for (kind = 0; kind < FP_TRACE_NB_KINDS; kind++)
        if (span_is(f->str[KEY_KIND], fp_trace_kind_names[kind]))
            break;
    for (op = 0; op < FP_TRACE_NB_OPS; op++)
        if (span_is(f->str[KEY_OP], fp_trace_op_names[op]))
            break;
    if (kind == FP_TRACE_NB_KINDS || op == FP_TRACE_NB_OPS) {
        int key = kind == FP_TRACE_NB_KINDS ? KEY_KIND : KEY_OP;

        snprintf(err, err_size, "unknown %s \"%.*s\"", keys[key].name, (int)f->str[key].len,
                 f->str[key].s);
        return -1;
    }
    *ev = (FPTraceLine){
        .t_us = f->num[KEY_T_US],
        .thread = f->str[KEY_THREAD],
        .kind = kind,
        .id = f->num[KEY_ID],
        .op = op,
        .queue = (f->seen & (1u << KEY_QUEUE)) ? f->str[KEY_QUEUE] : (FPTraceSpan){NULL, 0},
        .depth = (f->seen & (1u << KEY_DEPTH)) ? (int)f->num[KEY_DEPTH] : -1,
        .buf = f->str[KEY_BUF],
        .refcount = (int)f->num[KEY_REFCOUNT],
    };
    return 0;
}

int fp_trace_jsonl_read(FPTraceModel *m, const char *path)
{
    FILE *in = fopen(path, "r");
    char *line = NULL, err[160];
    size_t size = 0;
    ssize_t len;
    int lineno = 0, ret = 0;

    if (!in) {
        ret = AVERROR(errno);
        av_log(NULL, AV_LOG_ERROR, "%s: cannot open: %s\n", path, av_err2str(ret));
        return ret;
    }
    for (;;) {
        Cursor c;
        Fields f;
        FPTraceLine ev;

        len = getline(&line, &size, in);
        if (len < 0)
            break;
        if (lineno == INT_MAX) {
            ret = AVERROR(ERANGE);
            av_log(NULL, AV_LOG_ERROR, "%s: more lines than a trace can have\n", path);
            break;
        }
        lineno++;
        if (len && line[len - 1] == '\n')
            line[--len] = 0;
        c = (Cursor){.line = line, .p = line, .err = err, .err_size = sizeof(err)};
        if ((size_t)len != strlen(line)) {
            snprintf(err, sizeof(err), "a NUL byte");
        } else if (!len) {
            snprintf(err, sizeof(err), "an empty line");
        } else if (parse_fields(&c, &f) == 0 && check_fields(&f, &ev, err, sizeof(err)) == 0) {
            ev.line = lineno;
            ret = fp_trace_model_add(m, &ev);
            if (ret < 0)
                break;
            continue;
        }
        av_log(NULL, AV_LOG_ERROR, "%s:%d: not a trace event: %s\n", path, lineno, err);
        ret = AVERROR_INVALIDDATA;
        break;
    }
    if (!ret && ferror(in)) {
        ret = AVERROR(EIO);
        av_log(NULL, AV_LOG_ERROR, "%s: read error\n", path);
    }
    if (!ret && !m->nb_events) {
        ret = AVERROR_INVALIDDATA;
        av_log(NULL, AV_LOG_ERROR, "%s: the trace has no events\n", path);
    }
    free(line); /* getline()'s buffer comes from malloc, not av_malloc */
    fclose(in);
    return ret;
}
