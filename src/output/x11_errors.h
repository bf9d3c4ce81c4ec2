/*
 * One X11 error that SDL 2 provokes and framepipe forgives.
 *
 * While SDL_WaitEventTimeout() waits on X11, every event it receives makes SDL send a wake-up
 * message to the window it waits for, on a second connection to the X server (SDL 2.26 to
 * 2.32, X11_SendWakeupEvent). The two connections are independent, so the server may run the
 * window's destruction, asked for on the first, before that message, when a key such as 'q'
 * is pressed and the window closes at once. The server then answers the message with BadWindow
 * on the second connection, which Xlib reads when SDL closes it, and Xlib's default handler
 * ends the process with status 1, after all of framepipe's work is done.
 *
 * fp_x11_forgive_wakeup_errors() installs, once per process, an Xlib error handler that
 * ignores exactly that error (BadWindow from X_SendEvent) and hands every other error to the
 * handler that was there before. Call it before SDL's video subsystem starts, from the thread
 * that will own it: SDL's X11 driver keeps the handler it finds then and puts it back before it
 * closes its connections, which is when Xlib reads the error. It does nothing when framepipe is
 * built without Xlib's header, or when Xlib is not loaded (SDL links it on Debian and Ubuntu);
 * the handler is never called when SDL uses another video driver.
 */
#ifndef FRAMEPIPE_X11_ERRORS_H
#define FRAMEPIPE_X11_ERRORS_H

void fp_x11_forgive_wakeup_errors(void);

#endif
