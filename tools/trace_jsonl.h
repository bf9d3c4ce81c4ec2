/*
 * Internal to --trace-html: the reader of an ownership trace (trace.h), one
 * JSON object per line. It accepts exactly the flat objects fp_trace_write()
 * produces, and says where any other line stops making sense.
 */
#ifndef FRAMEPIPE_TOOLS_TRACE_JSONL_H
#define FRAMEPIPE_TOOLS_TRACE_JSONL_H

#include "trace_model.h"

/**
 * Read the trace at path and append each of its events to m, in file order.
 *
 * Every failure is reported with av_log(NULL, AV_LOG_ERROR, ...) naming path;
 * a bad line as "PATH:LINE: not a trace event: column COL: what" (no column
 * when the fault is in the line as a whole, such as a missing key). A failure
 * of fp_trace_model_add() (memory, too many objects) is returned without one.
 *
 * @param m  Zeroed by the caller (see trace_model.h). On success and on
 *           failure alike it holds the events read so far, and the caller
 *           frees it with fp_trace_model_uninit(). The reader keeps no pointer
 *           to it.
 * @return 0 once at least one event was read; AVERROR_INVALIDDATA for a
 *         malformed line or a trace without events; AVERROR(errno) when path
 *         cannot be opened; AVERROR(EIO) on a read error; AVERROR(ERANGE) for
 *         more lines or objects than an int counts; AVERROR(ENOMEM).
 * Blocks on file I/O; not thread-safe with respect to m.
 */
int fp_trace_jsonl_read(FPTraceModel *m, const char *path);

#endif /* FRAMEPIPE_TOOLS_TRACE_JSONL_H */
