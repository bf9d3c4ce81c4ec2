#ifndef FRAMEPIPE_APP_VERSION_H
#define FRAMEPIPE_APP_VERSION_H

#include <stdio.h>

/**
 * Print --version: framepipe's version, then each library's version as it was
 * built against and as it runs now, as ffplay's banner does.
 */
void fp_version_print(FILE *out);

#endif /* FRAMEPIPE_APP_VERSION_H */
