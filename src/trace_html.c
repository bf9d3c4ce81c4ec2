#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>

#include "trace_html.h"

/* Generated at build time from src/trace_viewer.html (see CMakeLists.txt). */
extern const unsigned char fp_trace_viewer_html[];
extern const size_t fp_trace_viewer_html_size;

#define PLACEHOLDER "__FP_TRACE_DATA__"

static const char *const kinds[] = {"packet", "frame"};
static const char *const ops[] = {
    "read", "put", "get", "send", "receive", "show", "ref", "unref", "flush", "drop", "free",
};
#define NB_KINDS ((int)(sizeof(kinds) / sizeof(kinds[0])))
#define NB_OPS ((int)(sizeof(ops) / sizeof(ops[0])))

typedef struct Event {
    int64_t t_us;
    int combo;    /* index of its (thread, op, queue) triple */
    int depth;    /* -1: not given */
    int refcount;
    int object;
    int line;     /* keeps equal timestamps in file order if the trace needs sorting */
} Event;

typedef struct Object {
    int kind;
    int64_t id;
    int buf;
} Object;

/* Interned strings: threads, queues and buffer addresses each get a small index. */
typedef struct StrTable {
    char **names;
    int count, capacity;
    int *slots; /* open addressing, index + 1; 0 is empty */
    int nb_slots;
} StrTable;

typedef struct Trace {
    StrTable threads, queues, bufs;
    int *combos; /* thread, op, queue (-1: none) */
    int nb_combos, combos_capacity;
    Event *events;
    size_t nb_events, events_capacity;
    Object *objects;
    int nb_objects, objects_capacity;
    int *object_slots; /* (kind, id) -> object index + 1 */
    int nb_object_slots;
} Trace;

typedef struct Span {
    const char *s;
    size_t len;
} Span;

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

typedef struct Fields {
    unsigned seen;
    Span str[NB_KEYS];
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
static int parse_string(Cursor *c, Span *out)
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

static int span_is(Span s, const char *word)
{
    return s.len == strlen(word) && !memcmp(s.s, word, s.len);
}

static int is_buf_address(Span s)
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
        Span name;
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

/* What each value may be; the line parsed, so any message is about the whole line. */
static int check_fields(const Fields *f, int *kind, int *op, char *err, size_t err_size)
{
    for (int key = 0; key < NB_KEYS; key++) {
        if (keys[key].required && !(f->seen & (1u << key))) {
            snprintf(err, err_size, "no \"%s\"", keys[key].name);
            return -1;
        }
    }
    if (f->num[KEY_T_US] < 0 || f->num[KEY_ID] < 0 || f->num[KEY_ID] > INT64_MAX / NB_KINDS ||
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
    for (*kind = 0; *kind < NB_KINDS && !span_is(f->str[KEY_KIND], kinds[*kind]); (*kind)++)
        ;
    for (*op = 0; *op < NB_OPS && !span_is(f->str[KEY_OP], ops[*op]); (*op)++)
        ;
    if (*kind == NB_KINDS || *op == NB_OPS) {
        int key = *kind == NB_KINDS ? KEY_KIND : KEY_OP;

        snprintf(err, err_size, "unknown %s \"%.*s\"", keys[key].name, (int)f->str[key].len,
                 f->str[key].s);
        return -1;
    }
    return 0;
}

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static uint32_t hash_key(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return (uint32_t)key;
}

static int strtab_grow(StrTable *st)
{
    int nb_slots = st->nb_slots ? 2 * st->nb_slots : 64;
    int *slots = av_calloc(nb_slots, sizeof(*slots));

    if (!slots)
        return AVERROR(ENOMEM);
    for (int i = 0; i < st->count; i++) {
        uint32_t h = hash_bytes(st->names[i], strlen(st->names[i])) & (nb_slots - 1);

        while (slots[h])
            h = (h + 1) & (nb_slots - 1);
        slots[h] = i + 1;
    }
    av_free(st->slots);
    st->slots = slots;
    st->nb_slots = nb_slots;
    return 0;
}

/* @return the string's index, or a negative AVERROR. */
static int strtab_intern(StrTable *st, Span s)
{
    uint32_t h;
    int ret;

    if (2 * (st->count + 1) > st->nb_slots && (ret = strtab_grow(st)) < 0)
        return ret;
    for (h = hash_bytes(s.s, s.len) & (st->nb_slots - 1); st->slots[h];
         h = (h + 1) & (st->nb_slots - 1)) {
        const char *name = st->names[st->slots[h] - 1];

        if (!strncmp(name, s.s, s.len) && !name[s.len])
            return st->slots[h] - 1;
    }
    if (st->count == st->capacity) {
        int capacity = st->capacity ? 2 * st->capacity : 16;
        char **names = av_realloc_array(st->names, capacity, sizeof(*names));

        if (!names)
            return AVERROR(ENOMEM);
        st->names = names;
        st->capacity = capacity;
    }
    st->names[st->count] = av_strndup(s.s, s.len);
    if (!st->names[st->count])
        return AVERROR(ENOMEM);
    st->slots[h] = ++st->count;
    return st->count - 1;
}

static void strtab_uninit(StrTable *st)
{
    for (int i = 0; i < st->count; i++)
        av_free(st->names[i]);
    av_freep(&st->names);
    av_freep(&st->slots);
}

static int find_combo(Trace *tr, int thread, int op, int queue)
{
    for (int i = 0; i < tr->nb_combos; i++) {
        const int *c = &tr->combos[3 * i];

        if (c[0] == thread && c[1] == op && c[2] == queue)
            return i;
    }
    if (tr->nb_combos == tr->combos_capacity) {
        int capacity = tr->combos_capacity ? 2 * tr->combos_capacity : 32;
        int *combos = av_realloc_array(tr->combos, capacity, 3 * sizeof(*combos));

        if (!combos)
            return AVERROR(ENOMEM);
        tr->combos = combos;
        tr->combos_capacity = capacity;
    }
    tr->combos[3 * tr->nb_combos] = thread;
    tr->combos[3 * tr->nb_combos + 1] = op;
    tr->combos[3 * tr->nb_combos + 2] = queue;
    return tr->nb_combos++;
}

static int grow_object_slots(Trace *tr)
{
    int nb_slots = tr->nb_object_slots ? 2 * tr->nb_object_slots : 1024;
    int *slots = av_calloc(nb_slots, sizeof(*slots));

    if (!slots)
        return AVERROR(ENOMEM);
    for (int i = 0; i < tr->nb_objects; i++) {
        const Object *o = &tr->objects[i];
        uint32_t h = hash_key((uint64_t)o->id * NB_KINDS + o->kind) & (nb_slots - 1);

        while (slots[h])
            h = (h + 1) & (nb_slots - 1);
        slots[h] = i + 1;
    }
    av_free(tr->object_slots);
    tr->object_slots = slots;
    tr->nb_object_slots = nb_slots;
    return 0;
}

/* @return the index of the object (kind, id), created on its first event. */
static int find_object(Trace *tr, int kind, int64_t id, int buf)
{
    uint32_t h;
    Object *o;
    int ret;

    if (2 * (tr->nb_objects + 1) > tr->nb_object_slots && (ret = grow_object_slots(tr)) < 0)
        return ret;
    for (h = hash_key((uint64_t)id * NB_KINDS + kind) & (tr->nb_object_slots - 1);
         tr->object_slots[h]; h = (h + 1) & (tr->nb_object_slots - 1)) {
        o = &tr->objects[tr->object_slots[h] - 1];
        if (o->kind == kind && o->id == id)
            return tr->object_slots[h] - 1;
    }
    if (tr->nb_objects == INT_MAX - 1)
        return AVERROR(ERANGE);
    if (tr->nb_objects == tr->objects_capacity) {
        int capacity = tr->objects_capacity ? 2 * tr->objects_capacity : 1024;
        Object *objects = av_realloc_array(tr->objects, capacity, sizeof(*objects));

        if (!objects)
            return AVERROR(ENOMEM);
        tr->objects = objects;
        tr->objects_capacity = capacity;
    }
    tr->objects[tr->nb_objects] = (Object){.kind = kind, .id = id, .buf = buf};
    tr->object_slots[h] = ++tr->nb_objects;
    return tr->nb_objects - 1;
}

static int add_event(Trace *tr, const Fields *f, int kind, int op, int line)
{
    int thread, queue = -1, buf, object, combo;
    Event *e;

    if ((thread = strtab_intern(&tr->threads, f->str[KEY_THREAD])) < 0)
        return thread;
    if (f->seen & (1u << KEY_QUEUE)) {
        if ((queue = strtab_intern(&tr->queues, f->str[KEY_QUEUE])) < 0)
            return queue;
    }
    if ((buf = strtab_intern(&tr->bufs, f->str[KEY_BUF])) < 0)
        return buf;
    if ((combo = find_combo(tr, thread, op, queue)) < 0)
        return combo;
    if ((object = find_object(tr, kind, f->num[KEY_ID], buf)) < 0)
        return object;
    if (tr->nb_events == tr->events_capacity) {
        size_t capacity = tr->events_capacity ? 2 * tr->events_capacity : 4096;
        Event *events = av_realloc_array(tr->events, capacity, sizeof(*events));

        if (!events)
            return AVERROR(ENOMEM);
        tr->events = events;
        tr->events_capacity = capacity;
    }
    e = &tr->events[tr->nb_events++];
    e->t_us = f->num[KEY_T_US];
    e->combo = combo;
    e->depth = (f->seen & (1u << KEY_DEPTH)) ? (int)f->num[KEY_DEPTH] : -1;
    e->refcount = (int)f->num[KEY_REFCOUNT];
    e->object = object;
    e->line = line;
    return 0;
}

static int read_trace(Trace *tr, const char *path)
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
    while ((len = getline(&line, &size, in)) >= 0) {
        Cursor c = {.line = line, .p = line, .err = err, .err_size = sizeof(err)};
        Fields f;
        int kind, op;

        if (lineno == INT_MAX) {
            ret = AVERROR(ERANGE);
            av_log(NULL, AV_LOG_ERROR, "%s: more lines than a trace can have\n", path);
            break;
        }
        lineno++;
        if (len && line[len - 1] == '\n')
            line[--len] = 0;
        if ((size_t)len != strlen(line)) {
            snprintf(err, sizeof(err), "a NUL byte");
        } else if (!len) {
            snprintf(err, sizeof(err), "an empty line");
        } else if (parse_fields(&c, &f) == 0 &&
                   check_fields(&f, &kind, &op, err, sizeof(err)) == 0) {
            if ((ret = add_event(tr, &f, kind, op, lineno)) < 0)
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
    if (!ret && !tr->nb_events) {
        ret = AVERROR_INVALIDDATA;
        av_log(NULL, AV_LOG_ERROR, "%s: the trace has no events\n", path);
    }
    free(line);
    fclose(in);
    return ret;
}

static int compare_events(const void *a, const void *b)
{
    const Event *x = a, *y = b;

    if (x->t_us != y->t_us)
        return x->t_us < y->t_us ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/*
 * The trace is written under one lock, so it is already in time order; a
 * merged or hand-edited one may not be. The page wants time order, and objects
 * numbered by first appearance, so that an event can name its object by how
 * many objects back it was seen.
 */
static int order_events(Trace *tr)
{
    int *renumber, next = 0;
    Object *objects;
    size_t i;

    for (i = 1; i < tr->nb_events && tr->events[i - 1].t_us <= tr->events[i].t_us; i++)
        ;
    if (i >= tr->nb_events)
        return 0;
    qsort(tr->events, tr->nb_events, sizeof(*tr->events), compare_events);
    renumber = av_malloc_array(tr->nb_objects, sizeof(*renumber));
    objects = av_malloc_array(tr->nb_objects, sizeof(*objects));
    if (!renumber || !objects) {
        av_free(renumber);
        av_free(objects);
        return AVERROR(ENOMEM);
    }
    for (int o = 0; o < tr->nb_objects; o++)
        renumber[o] = -1;
    for (i = 0; i < tr->nb_events; i++) {
        Event *e = &tr->events[i];

        if (renumber[e->object] < 0) {
            objects[next] = tr->objects[e->object];
            renumber[e->object] = next++;
        }
        e->object = renumber[e->object];
    }
    av_free(tr->objects);
    tr->objects = objects;
    av_free(renumber);
    return 0;
}

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

static void put_strings(FILE *out, const char *name, const StrTable *st)
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
static void write_data(FILE *out, const Trace *tr, const char *trace_path)
{
    int64_t prev_t = 0, prev_id = 0;
    int seen = 0;

    fputs("{\"format\":1,\"trace\":", out);
    put_string(out, trace_path);
    fputs(",\"kinds\":[\"packet\",\"frame\"],\"ops\":[", out);
    for (int i = 0; i < NB_OPS; i++)
        fprintf(out, "%s\"%s\"", i ? "," : "", ops[i]);
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
        const Object *o = &tr->objects[i];

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
        const Event *e = &tr->events[i];
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

static int write_page(const Trace *tr, const char *trace_path, const char *out_path)
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

static void trace_uninit(Trace *tr)
{
    strtab_uninit(&tr->threads);
    strtab_uninit(&tr->queues);
    strtab_uninit(&tr->bufs);
    av_freep(&tr->combos);
    av_freep(&tr->events);
    av_freep(&tr->objects);
    av_freep(&tr->object_slots);
}

int fp_trace_html(const char *trace_path, const char *out_path)
{
    Trace tr = {0};
    int ret = read_trace(&tr, trace_path);

    if (ret >= 0)
        ret = order_events(&tr);
    if (ret >= 0)
        ret = write_page(&tr, trace_path, out_path);
    trace_uninit(&tr);
    return ret;
}
