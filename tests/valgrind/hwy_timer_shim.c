/*
 * Valgrind 3.19 cannot execute RDTSCP on CPUs that do not advertise it in CPUID
 * (common in virtual machines), and libhwy 1.0 (pulled in by libavcodec through
 * libjxl) runs RDTSCP in a static initialiser, hwy::platform::TimerResolution(),
 * before main(). Under valgrind the process then dies of SIGILL before any of
 * framepipe runs. This library is LD_PRELOADed for the valgrind run only: it
 * interposes that one function (libhwy calls it through its PLT) and returns a
 * fixed resolution, which only libhwy's own benchmarking helpers use.
 */
#include <stdint.h>

uint64_t _ZN3hwy8platform15TimerResolutionEv(void);

uint64_t _ZN3hwy8platform15TimerResolutionEv(void)
{
    return 1;
}
