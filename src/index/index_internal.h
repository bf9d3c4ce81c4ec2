/*
 * Internal: the FPIndex object, shared by index.c (opening, the scanning
 * thread, waiting), order.c (the display order, made once at the end of the
 * scan), lookup.c (reading entries) and gop.c (the GOP around a frame).
 *
 * Storage is compact: a record of 32 bytes, one flag byte and one picture
 * type byte per packet while the scan runs, then two int32 tables for the
 * display order (42 bytes a packet in all, and 8 more per keyframe). Ordering
 * needs 32 bytes a packet more for a moment, freed before the scan ends.
 */
#ifndef FRAMEPIPE_SRC_INDEX_INTERNAL_H
#define FRAMEPIPE_SRC_INDEX_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavcodec/packet.h>
#include <libavformat/avformat.h>

#include "index.h"

/* The packet flags kept, as av_read_frame() set them. */
#define REC_PACKET_FLAGS (AV_PKT_FLAG_KEY | AV_PKT_FLAG_CORRUPT | AV_PKT_FLAG_DISCARD)
/* An IDR picture of an Annex B H.264 or HEVC stream, with no leading pictures (index.c). */
#define REC_IDR 0x20
/* Set by ordering: ts holds the estimate that placed a packet without pts. */
#define REC_ESTIMATED 0x40
/* Set by ordering: ts holds only a sort key; the frame has no display time. */
#define REC_NO_TIME 0x80

/* A duration too large for the record lives in IndexRecord-parallel big_durations. */
#define DURATION_BIG INT32_MIN

/* The most packets an index holds: display numbers are stored as int32. */
#define INDEX_MAX_PACKETS INT32_MAX

typedef struct IndexRecord {
    /*
     * The packet's pts while the scan runs. Ordering leaves it alone for a
     * packet that has one and writes the display_ts estimate (REC_ESTIMATED)
     * or a sort key (REC_NO_TIME) into it for a shown packet that has none,
     * so that ts never decreases along the display order within a segment:
     * lookups by time are binary searches.
     */
    int64_t ts;
    int64_t dts;
    int64_t pos;
    int32_t duration; /* DURATION_BIG: see big_durations */
    int32_t size;
} IndexRecord;

typedef struct BigDuration {
    int64_t packet;
    int64_t duration;
} BigDuration;

/* A run of the display order whose timestamps never go back. */
typedef struct IndexSegment {
    int32_t first, end;         /* its display numbers: [first, end) */
    int32_t first_key, end_key; /* its keyframes' places in IndexOrder.key_packet */
    int64_t min_ts, max_ts;     /* span of its frames' display_ts; AV_NOPTS_VALUE: none has one */
} IndexSegment;

/* The display order: made by the scanning thread at the end, never changed after. */
typedef struct IndexOrder {
    int32_t *display;  /* [frames]: the decode number of display frame k */
    int32_t *frame_of; /* [packets]: the display number of packet n, -1 if never shown */
    /*
     * [nb_keys]: every keyframe, shown or not, in display order: its decode
     * number, and its place: its display number, or for a keyframe that is
     * never shown (flagged discard) the display number of the frame shown
     * next after it in time. key_at never decreases.
     */
    int32_t *key_packet;
    int32_t *key_at;
    IndexSegment *segments;
    int64_t frames;
    int64_t keyframes; /* shown ones */
    int64_t nb_keys;
    int64_t estimated;
    int nb_segments;
    FPIndexOrder order;
} IndexOrder;

enum ScanState {
    SCAN_IDLE,     /* opened, not started */
    SCAN_RUNNING,  /* the thread reads or orders */
    SCAN_COMPLETE, /* every packet read and ordered */
    SCAN_FAILED,   /* ended early by error; ordered unless order_error says otherwise */
    SCAN_ABORTED,  /* ended by fp_index_abort() before it completed */
};

struct FPIndex {
    /* Set by fp_index_open(), constant after. */
    int stream_index;
    AVRational time_base;
    int reorder_delay;
    enum AVCodecID codec_id;
    int raw_nals; /* Annex B H.264 or HEVC without a container: IDR pictures are marked */

    /* The owner's until the start, then the scanning thread's alone until the join. */
    AVFormatContext *fmt;
    /* The codec's parser, for picture types; NULL when the codec has none, and once the
     * scan ended. parser_ctx holds the codec parameters (extradata) it reads. */
    AVCodecParserContext *parser;
    AVCodecContext *parser_ctx;
    pthread_t thread;
    int started; /* owner's thread only */

    atomic_int abort;

    pthread_mutex_t lock;
    pthread_cond_t ended; /* broadcast when the scan ends and on abort */

    /* Under lock. Only the scanning thread writes them. */
    IndexRecord *records;
    uint8_t *flags;
    int8_t *pict_types; /* [capacity]: enum AVPictureType of each packet, as the parser said */
    int64_t count;
    int64_t capacity;
    int64_t duration;           /* every packet's duration so far; 0 when they differ */
    int64_t last_idr;           /* the latest REC_IDR packet, -1 none (HEVC leading pictures) */
    BigDuration *big_durations; /* increasing packet numbers */
    int64_t nb_big_durations;
    int64_t big_capacity;
    enum ScanState state;
    int error;       /* what ended the scan early (SCAN_FAILED) */
    int ordered;     /* order is valid */
    int order_error; /* why not, when the scan ended without it */
    IndexOrder order;
};

/**
 * Make the display order of the recorded packets (see index.h). Scanning
 * thread only, after the last record was appended: it reads the records
 * without the lock, which only it writes, and writes the estimates and sort
 * keys into them under the lock.
 *
 * @return 0; AVERROR(ENOMEM) (o is then empty); AVERROR_EXIT when the index
 *         was aborted meanwhile.
 */
int fp_index_order_make(FPIndex *ix, IndexOrder *o);

/** Free what fp_index_order_make() allocated; o is left empty. NULL members are fine. */
void fp_index_order_free(IndexOrder *o);

/*
 * lookup.c, for gop.c. All of them run under the lock.
 */

/** 0 when the display order is known, else why not: as fp_index_get() returns it. */
int fp_index_order_ready(FPIndex *ix);

/** 0 when display number frame can be looked up; else as fp_index_get() returns it. */
int fp_index_frame_ready(FPIndex *ix, int64_t frame);

/** Fill e with packet n, which exists (n < count). */
void fp_index_fill(const FPIndex *ix, int64_t n, FPIndexEntry *e);

/**
 * The place in order.key_at[lo, hi) of the last keyframe placed at or before
 * display frame k, or lo - 1 when there is none. Ordered indexes only.
 */
int64_t fp_index_last_key_at_or_before(const FPIndex *ix, int64_t lo, int64_t hi, int64_t k);

#endif /* FRAMEPIPE_SRC_INDEX_INTERNAL_H */
