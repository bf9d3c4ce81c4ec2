#ifndef FRAMEPIPE_APP_USAGE_H
#define FRAMEPIPE_APP_USAGE_H

#include <stdio.h>

/** Print --help: options, keys and script commands. */
void fp_usage(FILE *out);

#endif /* FRAMEPIPE_APP_USAGE_H */
