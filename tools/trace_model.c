#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "trace_model.h"

const char *const fp_trace_kind_names[FP_TRACE_NB_KINDS] = {"packet", "frame"};
const char *const fp_trace_op_names[FP_TRACE_NB_OPS] = {
    "read", "put", "get", "send", "receive", "show", "ref", "unref", "flush", "drop", "free",
};

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

/* The id range FPTraceLine promises is what keeps this from overflowing. */
static uint64_t item_key(int kind, int64_t id)
{
    return (uint64_t)id * FP_TRACE_NB_KINDS + kind;
}

static int names_grow(FPTraceNames *st)
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
static int names_intern(FPTraceNames *st, FPTraceSpan s)
{
    uint32_t h;
    int ret;

    /* At most half full, so that a probe ends soon and always finds an empty slot. */
    if (2 * (st->count + 1) > st->nb_slots) {
        ret = names_grow(st);
        if (ret < 0)
            return ret;
    }
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

static void names_uninit(FPTraceNames *st)
{
    for (int i = 0; i < st->count; i++)
        av_free(st->names[i]);
    av_freep(&st->names);
    av_freep(&st->slots);
}

/* A real trace uses a few dozen (thread, op, queue) triples, so a linear search is enough. */
static int find_combo(FPTraceModel *m, int thread, int op, int queue)
{
    for (int i = 0; i < m->nb_combos; i++) {
        const int *c = &m->combos[3 * i];

        if (c[0] == thread && c[1] == op && c[2] == queue)
            return i;
    }
    if (m->nb_combos == m->combos_capacity) {
        int capacity = m->combos_capacity ? 2 * m->combos_capacity : 32;
        int *combos = av_realloc_array(m->combos, capacity, 3 * sizeof(*combos));

        if (!combos)
            return AVERROR(ENOMEM);
        m->combos = combos;
        m->combos_capacity = capacity;
    }
    m->combos[3 * m->nb_combos] = thread;
    m->combos[3 * m->nb_combos + 1] = op;
    m->combos[3 * m->nb_combos + 2] = queue;
    return m->nb_combos++;
}

static int grow_object_slots(FPTraceModel *m)
{
    int nb_slots = m->nb_object_slots ? 2 * m->nb_object_slots : 1024;
    int *slots = av_calloc(nb_slots, sizeof(*slots));

    if (!slots)
        return AVERROR(ENOMEM);
    for (int i = 0; i < m->nb_objects; i++) {
        const FPTraceItem *o = &m->objects[i];
        uint32_t h = hash_key(item_key(o->kind, o->id)) & (nb_slots - 1);

        while (slots[h])
            h = (h + 1) & (nb_slots - 1);
        slots[h] = i + 1;
    }
    av_free(m->object_slots);
    m->object_slots = slots;
    m->nb_object_slots = nb_slots;
    return 0;
}

/* @return the index of the object (kind, id), created on its first event. */
static int find_object(FPTraceModel *m, int kind, int64_t id, int buf)
{
    uint32_t h;
    FPTraceItem *o;
    int ret;

    if (2 * (m->nb_objects + 1) > m->nb_object_slots) {
        ret = grow_object_slots(m);
        if (ret < 0)
            return ret;
    }
    for (h = hash_key(item_key(kind, id)) & (m->nb_object_slots - 1); m->object_slots[h];
         h = (h + 1) & (m->nb_object_slots - 1)) {
        o = &m->objects[m->object_slots[h] - 1];
        if (o->kind == kind && o->id == id)
            return m->object_slots[h] - 1;
    }
    if (m->nb_objects == INT_MAX - 1)
        return AVERROR(ERANGE);
    if (m->nb_objects == m->objects_capacity) {
        int capacity = m->objects_capacity ? 2 * m->objects_capacity : 1024;
        FPTraceItem *objects = av_realloc_array(m->objects, capacity, sizeof(*objects));

        if (!objects)
            return AVERROR(ENOMEM);
        m->objects = objects;
        m->objects_capacity = capacity;
    }
    m->objects[m->nb_objects] = (FPTraceItem){.kind = kind, .id = id, .buf = buf};
    m->object_slots[h] = ++m->nb_objects;
    return m->nb_objects - 1;
}

int fp_trace_model_add(FPTraceModel *m, const FPTraceLine *line)
{
    int thread, queue = -1, buf, object, combo;
    FPTraceRecord *e;

    /* The order of the look-ups is the order of the indices the page gets: keep it. */
    thread = names_intern(&m->threads, line->thread);
    if (thread < 0)
        return thread;
    if (line->queue.s) {
        queue = names_intern(&m->queues, line->queue);
        if (queue < 0)
            return queue;
    }
    buf = names_intern(&m->bufs, line->buf);
    if (buf < 0)
        return buf;
    combo = find_combo(m, thread, line->op, queue);
    if (combo < 0)
        return combo;
    object = find_object(m, line->kind, line->id, buf);
    if (object < 0)
        return object;
    if (m->nb_events == m->events_capacity) {
        size_t capacity = m->events_capacity ? 2 * m->events_capacity : 4096;
        FPTraceRecord *events = av_realloc_array(m->events, capacity, sizeof(*events));

        if (!events)
            return AVERROR(ENOMEM);
        m->events = events;
        m->events_capacity = capacity;
    }
    e = &m->events[m->nb_events++];
    e->t_us = line->t_us;
    e->combo = combo;
    e->depth = line->depth;
    e->refcount = line->refcount;
    e->object = object;
    e->line = line->line;
    return 0;
}

static int compare_events(const void *a, const void *b)
{
    const FPTraceRecord *x = a, *y = b;

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
int fp_trace_model_order(FPTraceModel *m)
{
    int *renumber, next = 0;
    FPTraceItem *objects;
    size_t i;

    for (i = 1; i < m->nb_events && m->events[i - 1].t_us <= m->events[i].t_us; i++)
        ;
    if (i >= m->nb_events)
        return 0;
    qsort(m->events, m->nb_events, sizeof(*m->events), compare_events);
    renumber = av_malloc_array(m->nb_objects, sizeof(*renumber));
    objects = av_malloc_array(m->nb_objects, sizeof(*objects));
    if (!renumber || !objects) {
        av_free(renumber);
        av_free(objects);
        return AVERROR(ENOMEM);
    }
    for (int o = 0; o < m->nb_objects; o++)
        renumber[o] = -1;
    for (i = 0; i < m->nb_events; i++) {
        FPTraceRecord *e = &m->events[i];

        if (renumber[e->object] < 0) {
            objects[next] = m->objects[e->object];
            renumber[e->object] = next++;
        }
        e->object = renumber[e->object];
    }
    /*
     * Every object has an event, so objects[] is exactly full. object_slots still
     * maps to the old numbers, which is why the header forbids adding after this.
     */
    av_free(m->objects);
    m->objects = objects;
    m->objects_capacity = m->nb_objects;
    av_free(renumber);
    return 0;
}

void fp_trace_model_uninit(FPTraceModel *m)
{
    names_uninit(&m->threads);
    names_uninit(&m->queues);
    names_uninit(&m->bufs);
    av_freep(&m->combos);
    av_freep(&m->events);
    av_freep(&m->objects);
    av_freep(&m->object_slots);
    memset(m, 0, sizeof(*m));
}
