#include "x11_errors.h"

/* Xlib is not linked: the handler goes into the libX11 that SDL's X11 driver already loaded,
 * found with RTLD_NOLOAD. Its header gives the types; without it this does nothing. */
#if defined(__has_include) && __has_include(<X11/Xlib.h>)

#include <dlfcn.h>
#include <X11/Xlib.h>
#include <X11/Xproto.h>
#include <libavutil/log.h>

static XErrorHandler previous_handler;

static int forgive_wakeup(Display *display, XErrorEvent *error)
{
    if (error->error_code == BadWindow && error->request_code == X_SendEvent) {
        av_log(NULL, AV_LOG_DEBUG, "x11: ignored BadWindow for a message to window 0x%lx, "
               "already destroyed\n", (unsigned long)error->resourceid);
        return 0;
    }
    return previous_handler ? previous_handler(display, error) : 0;
}

void fp_x11_forgive_wakeup_errors(void)
{
    static int installed; /* only the thread that owns SDL calls this */
    XErrorHandler (*set_handler)(XErrorHandler);
    void *xlib;

    if (installed)
        return;
    xlib = dlopen("libX11.so.6", RTLD_LAZY | RTLD_NOLOAD);
    if (!xlib)
        return;
    installed = 1;
    /* The library stays loaded while SDL's X11 driver uses it: this reference is never dropped. */
    *(void **)&set_handler = dlsym(xlib, "XSetErrorHandler");
    if (set_handler)
        previous_handler = set_handler(forgive_wakeup);
}

#else

void fp_x11_forgive_wakeup_errors(void)
{
}

#endif
