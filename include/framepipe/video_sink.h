/*
 * FPVideoSink: where the player puts the frames it shows. The SDL window is
 * one; the framepipe program's --framemd5 writer is another; a test's fake
 * that records what it was shown is a third. The player core knows sinks only
 * through this table of functions.
 *
 * Every function is called on the thread that runs fp_player_run() (the
 * render thread), except open(), which fp_player_open() calls on its own
 * thread. A sink is never called from two threads at once.
 */
#ifndef FRAMEPIPE_VIDEO_SINK_H
#define FRAMEPIPE_VIDEO_SINK_H

#include <stdint.h>

#include <libavutil/frame.h>
#include <libavutil/rational.h>

/** How a picture is turned on display: what a display matrix asks for. */
typedef struct FPOrientation {
    int rotation; /**< clockwise on display: 0, 90, 180 or 270 */
    int hflip;    /**< mirrored left to right, before the rotation */
} FPOrientation;

/** What the player tells a sink when it opens, before any frame. */
typedef struct FPVideoFormat {
    const char *name;          /**< the input's name, for a window title; borrowed for the call */
    int has_video;             /**< 0 for sound alone: nothing will be shown */
    int width, height;         /**< the coded size of the first picture; 0 when unknown */
    AVRational sar;            /**< its sample aspect ratio; 0/1 when unknown */
    FPOrientation orientation; /**< the stream's rotation and flip on display */
    AVRational time_base;      /**< of the frames' best_effort_timestamp */
    AVRational frame_rate;     /**< the stream's guessed rate; 0/1 when unknown */
    int64_t start_time;        /**< the input's start, in AV_TIME_BASE; AV_NOPTS_VALUE unknown */
    char *error;               /**< if set, open() may say here, in one line of at most
                                    error_size bytes, why it failed ("cannot open a window:
                                    ..."); fp_player_open() passes its caller's buffer */
    size_t error_size;
} FPVideoFormat;

typedef enum FPInputType {
    FP_INPUT_NONE,
    FP_INPUT_KEY,          /**< a key went down: key, repeat */
    FP_INPUT_DOUBLE_CLICK, /**< the left button, twice */
    FP_INPUT_CLOSE,        /**< the window's close button */
    FP_INPUT_TIMELINE,     /**< a button pressed on the timeline, dragged or let go: button,
                                state, position */
} FPInputType;

/** FPInput.state of FP_INPUT_TIMELINE. */
typedef enum FPPointerState {
    FP_POINTER_PRESS,   /**< the button went down over the timeline */
    FP_POINTER_DRAG,    /**< it moved, still down, since the press (also beyond the timeline's
                             ends: the position is then 0 or 1) */
    FP_POINTER_RELEASE, /**< it went up, after a press on the timeline */
} FPPointerState;

/** What a person did in a sink's window, before anything decides what it means. */
typedef struct FPInput {
    FPInputType type;
    int key;    /**< FP_INPUT_KEY: the SDL keycode (SDL_Keycode); a '#' or '*' typed as
                     text (Shift+3, Shift+8 on many keyboards) arrives as SDLK_HASH or
                     SDLK_ASTERISK */
    int repeat; /**< FP_INPUT_KEY: 1 when the key is held down and repeats */
    int button; /**< FP_INPUT_TIMELINE: 1 the left button, 3 the right one */
    FPPointerState state; /**< FP_INPUT_TIMELINE */
    double position; /**< FP_INPUT_TIMELINE: where along the timeline, from 0 (its left end)
                          to 1 (its right end) */
} FPInput;

/**
 * One column of the timeline's bar graph: a run of frames in display order,
 * the stream cut into FPOsdTimeline.nb_bars equal runs.
 */
typedef struct FPOsdBar {
    uint32_t bytes; /**< the largest packet among them */
    char type;      /**< the picture type of that packet ('I', 'P', 'B', ...); 0 unknown */
    uint8_t key;    /**< 1 when one of them is a keyframe */
} FPOsdBar;

/**
 * The timeline along the window's bottom edge. Every place on it is a
 * fraction of the stream from 0 to 1: frame n of N is at n / N.
 */
typedef struct FPOsdTimeline {
    const FPOsdBar *bars; /**< the bar graph (packet sizes); NULL while unknown */
    int nb_bars;
    uint32_t max_bytes;   /**< the largest bars[].bytes: the graph's full height */
    unsigned generation;  /**< changes whenever bars do: a sink redraws its graph only then */
    double position;      /**< the playhead */
    double kept_begin, kept_end; /**< the frames the step history holds; begin > end: none */
    double loop_a, loop_b; /**< A-B loop points; < 0 when not set */
    int pinned;           /**< shown until unpinned; otherwise while the pointer is near it */
    const char *label;    /**< a line of text on it ("frame 12/250 ..."); NULL: none */
} FPOsdTimeline;

/** One frame of the GOP strip. */
typedef struct FPOsdGopFrame {
    int64_t display; /**< its display number, from 0 */
    int64_t decode;  /**< its decode number: the packet's place in the file, from 0 */
    char type;       /**< 'I', 'P', 'B' ...; 'K' a keyframe of unknown type; '?' unknown */
    uint8_t key;     /**< 1 for a keyframe */
    uint8_t current; /**< 1 for the frame on screen */
} FPOsdGopFrame;

/** What is drawn over the picture: the on-screen display. Every member is optional. */
typedef struct FPOsd {
    const char *panel;             /**< a block of text, top left; lines split at '\n' */
    const char *message;           /**< a short message, top right */
    double message_alpha;          /**< its opacity, from 0 to 1, while it fades */
    const FPOsdTimeline *timeline; /**< NULL: there is no timeline to show */
    const FPOsdGopFrame *gop;      /**< the GOP strip, in display order; NULL: not shown */
    int nb_gop;
    /**
     * Draw the pixel loupe under the pointer: the picture around it magnified,
     * and the values of the pixel under it as the decoder gave them. The sink
     * reads them from the last frame shown, which it then keeps a reference to.
     */
    int loupe;
} FPOsd;

typedef struct FPVideoSink FPVideoSink;

struct FPVideoSink {
    const char *name; /**< "window", "framemd5" ... */
    void *priv;       /**< the implementation's own */

    /**
     * Required. Get ready for pictures of fmt (read only, for the call).
     * @return 0, or a negative AVERROR: fp_player_open() then fails with it.
     */
    int (*open)(FPVideoSink *s, const FPVideoFormat *fmt);

    /**
     * Required. Show frame, turned as o says. frame is read only and stays
     * the player's: the sink must not keep a reference after returning
     * (it may take one with av_frame_ref() and drop it later, if it must).
     * @return 0, or a negative AVERROR: playback ends with it.
     */
    int (*show)(FPVideoSink *s, const AVFrame *frame, FPOrientation o);

    /** Optional. Show the last picture again (after the overlay changed). */
    int (*redraw)(FPVideoSink *s);

    /**
     * Optional (a sink without a window has no input). Wait at most
     * timeout_ms (0: only what is pending) for what a person does.
     * @return 1 with *input filled; 0 when nothing happened.
     */
    int (*poll)(FPVideoSink *s, int timeout_ms, FPInput *input);

    /** Optional. The window title (UTF-8). */
    void (*set_title)(FPVideoSink *s, const char *title);

    /**
     * Optional. What to draw over the picture from the next redraw on; NULL:
     * nothing. osd and all it points to are read only and the player's, valid
     * for the call: the sink copies what it keeps.
     * @return 0, or a negative AVERROR when it cannot be shown (playback goes on).
     */
    int (*set_osd)(FPVideoSink *s, const FPOsd *osd);

    /** Optional. Between a window and the whole screen. */
    void (*toggle_fullscreen)(FPVideoSink *s);

    /**
     * Optional. The window as it looks, with what is drawn over the picture:
     * packed RGB24, width * 3 bytes a row, in *rgb, which the caller frees
     * with av_free().
     * @return 0, or a negative AVERROR.
     */
    int (*read_window)(FPVideoSink *s, uint8_t **rgb, int *width, int *height);

    /** Optional. What draws the pictures, for statistics ("software", "opengl"). */
    const char *(*driver)(FPVideoSink *s);
};

#endif /* FRAMEPIPE_VIDEO_SINK_H */
