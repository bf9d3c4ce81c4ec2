/*
 * The fuzz harness without libFuzzer: runs LLVMFuzzerTestOneInput() once on
 * each file named, so that a normal build (and its sanitizers) replays kept
 * inputs through exactly the code the fuzzer ran.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    long size;
    int ok = 0;

    if (!f) {
        perror(path);
        return 0;
    }
    if (!fseek(f, 0, SEEK_END) && (size = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
        (data = malloc(size ? (size_t)size : 1)) && fread(data, 1, (size_t)size, f) == (size_t)size) {
        LLVMFuzzerTestOneInput(data, (size_t)size);
        ok = 1;
    } else {
        fprintf(stderr, "%s: cannot read\n", path);
    }
    free(data);
    fclose(f);
    return ok;
}

int main(int argc, char **argv)
{
    int failed = 0;

    if (LLVMFuzzerInitialize(&argc, &argv) < 0)
        return 1;
    for (int i = 1; i < argc; i++) {
        printf("%s\n", argv[i]);
        fflush(stdout);
        failed += !replay(argv[i]);
    }
    return failed ? 1 : 0;
}
