/*
 * Internal: --trace-html. Turns an ownership trace (trace.h) into one
 * self-contained HTML page with an SVG timeline: a lane per thread, a band per
 * queue with its depth, and each packet's and frame's life from birth to
 * release, with its refcount changes. The page needs no network; the viewer
 * (tools/trace_viewer.html) is built into the binary.
 */
#ifndef FRAMEPIPE_SRC_TRACE_HTML_H
#define FRAMEPIPE_SRC_TRACE_HTML_H

/**
 * Read the JSON Lines trace at trace_path and write the page to out_path.
 *
 * The parser accepts exactly the flat objects fp_trace_write() produces. A bad
 * line is reported with av_log, naming the file, the line and the column.
 *
 * @return 0; AVERROR_INVALIDDATA for a malformed or empty trace; an error of
 *         reading the trace or writing the page (which is then removed).
 */
int fp_trace_html(const char *trace_path, const char *out_path);

#endif /* FRAMEPIPE_SRC_TRACE_HTML_H */
