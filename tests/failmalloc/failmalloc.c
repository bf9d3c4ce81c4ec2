/*
 * Allocation failure injection: the N-th allocation the process makes after
 * main() is entered fails, as it would when memory runs out. Every other
 * allocation succeeds.
 *
 * Counted: malloc, calloc, realloc (not realloc(p, 0), which frees),
 * reallocarray, posix_memalign, aligned_alloc, memalign, valloc, pvalloc, and
 * under AddressSanitizer also strdup and strndup (glibc's own call malloc).
 * free is not replaced.
 *
 * Environment:
 *   FP_FAILMALLOC_N=N        fail the N-th allocation (1 is the first); unset
 *                            or 0: count only
 *   FP_FAILMALLOC_REPORT=F   at exit, write "allocations=COUNT failed=N" (or
 *                            "failed=none") to file F
 *   FP_FAILMALLOC_BACKTRACE=1  print the failing call's stack on stderr
 *   FP_FAILMALLOC_SWEEP=FIRST:LAST:STEP:DIR
 *                            many runs from one process, which spares
 *                            loading the libraries each time: for N = FIRST,
 *                            FIRST + STEP ... up to LAST, fork a child that
 *                            runs main() with the N-th allocation failing,
 *                            its stdout to DIR/N.out, its stderr to DIR/N.err,
 *                            its report to DIR/N.report (with the backtrace
 *                            on). The parent waits for each child, at most
 *                            FP_FAILMALLOC_TIMEOUT seconds (default 60) before
 *                            it kills it, and writes "exit S", "signal S" or
 *                            "timeout" to DIR/N.status.
 *
 * Without ASan, a crash prints "failmalloc: crash" and its stack on stderr
 * (ASan reports crashes itself), so that the driver can tell where it was.
 *
 * It works two ways:
 *   - As an LD_PRELOAD module over an ordinary build: these definitions come
 *     before libc's, and forward to glibc's __libc_* allocator.
 *   - Linked into the executable of an AddressSanitizer build (LD_PRELOAD
 *     cannot come before ASan's allocator, which lives in the executable):
 *     ASan's malloc and friends are weak aliases of its __interceptor_*
 *     functions, so these strong definitions win and forward to them, and
 *     LeakSanitizer still sees every allocation.
 *
 * The count starts in main(): __libc_start_main is wrapped to arm it, so the
 * dynamic loader's and libraries' constructors' allocations never fail.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * FAILMALLOC_ASAN is defined by the build when linking into an ASan
 * executable; this file itself is compiled without instrumentation, so the
 * compiler's own sanitizer macros do not say it.
 */
#ifdef FAILMALLOC_ASAN
#define REAL(name) __interceptor_##name
#else
#define REAL(name) __libc_##name
#endif

void *REAL(malloc)(size_t size);
void *REAL(calloc)(size_t count, size_t size);
void *REAL(realloc)(void *ptr, size_t size);
void *REAL(memalign)(size_t alignment, size_t size);
void *REAL(valloc)(size_t size);
void *REAL(pvalloc)(size_t size);
#ifdef FAILMALLOC_ASAN
char *__interceptor_strdup(const char *s);
char *__interceptor_strndup(const char *s, size_t n);
#endif

typedef int (*MainFunction)(int, char **, char **);
typedef int (*StartMain)(MainFunction main, int argc, char **argv, void (*init)(void),
                         void (*fini)(void), void (*rtld_fini)(void), void *stack_end);

int __libc_start_main(MainFunction main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end);

static atomic_int armed;
static atomic_ulong count;
static atomic_int failed;
static unsigned long fail_at;
static int print_backtrace;
static const char *report_path;
static MainFunction real_main;

/* One more allocation: 1 when it is the one to fail. */
__attribute__((noinline)) static int should_fail(void)
{
    unsigned long n;

    if (!atomic_load_explicit(&armed, memory_order_relaxed))
        return 0;
    n = atomic_fetch_add(&count, 1) + 1;
    if (n != fail_at)
        return 0;
    atomic_store(&failed, 1);
    if (print_backtrace) {
        static const char line[] = "failmalloc: allocation failed here\n";
        void *frames[48];
        int depth = backtrace(frames, 48);

        if (write(STDERR_FILENO, line, sizeof(line) - 1) < 0)
            (void)0;
        /* From the caller of the allocation function on: frames 0 and 1 are this file's. */
        if (depth > 2)
            backtrace_symbols_fd(frames + 2, depth - 2, STDERR_FILENO);
    }
    return 1;
}

__attribute__((noinline)) void *malloc(size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return REAL(malloc)(size);
}

__attribute__((noinline)) void *calloc(size_t count_, size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return REAL(calloc)(count_, size);
}

__attribute__((noinline)) void *realloc(void *ptr, size_t size)
{
    /* realloc(p, 0) frees p: failing it would leave p allocated behind the caller's back. */
    if ((size || !ptr) && should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return REAL(realloc)(ptr, size);
}

void *reallocarray(void *ptr, size_t count_, size_t size)
{
    if (size && count_ > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(ptr, count_ * size);
}

__attribute__((noinline)) void *memalign(size_t alignment, size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return REAL(memalign)(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size)
{
    return memalign(alignment, size);
}

__attribute__((noinline)) int posix_memalign(void **out, size_t alignment, size_t size)
{
    void *ptr;

    if (!alignment || (alignment & (alignment - 1)) || alignment % sizeof(void *))
        return EINVAL;
    if (should_fail())
        return ENOMEM;
    ptr = REAL(memalign)(alignment, size);
    if (!ptr)
        return ENOMEM;
    *out = ptr;
    return 0;
}

__attribute__((noinline)) void *valloc(size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return REAL(valloc)(size);
}

__attribute__((noinline)) void *pvalloc(size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return REAL(pvalloc)(size);
}

#ifdef FAILMALLOC_ASAN
/* ASan's strdup allocates on its own, not through malloc. */
__attribute__((noinline)) char *strdup(const char *s)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __interceptor_strdup(s);
}

__attribute__((noinline)) char *strndup(const char *s, size_t n)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __interceptor_strndup(s, n);
}
#endif

static void write_report(void)
{
    char line[96];
    int fd, length;

    atomic_store(&armed, 0);
    if (!report_path)
        return;
    if (atomic_load(&failed))
        length = snprintf(line, sizeof(line), "allocations=%lu failed=%lu\n",
                          atomic_load(&count), fail_at);
    else
        length = snprintf(line, sizeof(line), "allocations=%lu failed=none\n",
                          atomic_load(&count));
    fd = open(report_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    if (write(fd, line, (size_t)length) != length)
        (void)0; /* nothing to do about it at exit; the driver sees a missing report */
    close(fd);
}

#ifndef FAILMALLOC_ASAN
static void on_crash(int signal_number, siginfo_t *info, void *context)
{
    static const char line[] = "failmalloc: crash\n";
    void *frames[64];

    (void)info;
    if (write(STDERR_FILENO, line, sizeof(line) - 1) < 0)
        (void)0;
#if defined(__x86_64__)
    {
        /* A call through a NULL pointer leaves nothing to unwind: name its caller at least. */
        const ucontext_t *uc = context;
        void **sp = (void **)uc->uc_mcontext.gregs[REG_RSP];

        if (!uc->uc_mcontext.gregs[REG_RIP])
            backtrace_symbols_fd(sp, 1, STDERR_FILENO);
    }
#else
    (void)context;
#endif
    backtrace_symbols_fd(frames, backtrace(frames, 64), STDERR_FILENO);
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}
#endif

static void install_crash_handler(void)
{
#ifndef FAILMALLOC_ASAN
    static const int signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    struct sigaction action = {.sa_sigaction = on_crash, .sa_flags = SA_SIGINFO};
    void *warm_up[1];

    backtrace(warm_up, 1); /* loads libgcc now, not in the handler */
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
        sigaction(signals[i], &action, NULL);
#endif
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    if (fd < 0)
        return;
    if (write(fd, text, strlen(text)) < 0)
        (void)0;
    close(fd);
}

/* The child of a sweep: main() with allocation n failing, its output in dir. */
static int run_child(int argc, char **argv, char **envp, unsigned long n, const char *dir)
{
    static char report[4096];
    char err[4096], out[4096];
    int fd;

    snprintf(err, sizeof(err), "%s/%lu.err", dir, n);
    snprintf(out, sizeof(out), "%s/%lu.out", dir, n);
    snprintf(report, sizeof(report), "%s/%lu.report", dir, n);
    fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    /* Kept, so that a run that ends with 0 can be checked for having printed all of it. */
    fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        close(fd);
    }
    fail_at = n;
    report_path = report;
    print_backtrace = 1;
    install_crash_handler();
    atomic_store(&armed, 1);
    exit(real_main(argc, argv, envp));
}

/* Waits for pid up to timeout seconds, then kills it; describes how it ended. */
static void wait_child(pid_t pid, double timeout, char *status, size_t size)
{
    struct timespec slice = {0, 2000000};
    double waited = 0;
    int wstatus;

    while (waitpid(pid, &wstatus, WNOHANG) == 0) {
        if (waited >= timeout) {
            kill(pid, SIGKILL);
            waitpid(pid, &wstatus, 0);
            snprintf(status, size, "timeout\n");
            return;
        }
        nanosleep(&slice, NULL);
        waited += 0.002;
    }
    if (WIFEXITED(wstatus))
        snprintf(status, size, "exit %d\n", WEXITSTATUS(wstatus));
    else
        snprintf(status, size, "signal %d\n", WTERMSIG(wstatus));
}

static int sweep(int argc, char **argv, char **envp, const char *spec)
{
    const char *timeout_text = getenv("FP_FAILMALLOC_TIMEOUT");
    double timeout = timeout_text ? atof(timeout_text) : 60;
    unsigned long first, last, step;
    int dir_at = 0;

    if (sscanf(spec, "%lu:%lu:%lu:%n", &first, &last, &step, &dir_at) != 3 || !dir_at || !step) {
        fprintf(stderr, "failmalloc: FP_FAILMALLOC_SWEEP is FIRST:LAST:STEP:DIR\n");
        return 2;
    }
    for (unsigned long n = first; n <= last; n += step) {
        char path[4096], status[32];
        pid_t pid = fork();

        if (pid < 0) {
            perror("failmalloc: fork");
            return 2;
        }
        if (pid == 0)
            run_child(argc, argv, envp, n, spec + dir_at);
        wait_child(pid, timeout, status, sizeof(status));
        snprintf(path, sizeof(path), "%s/%lu.status", spec + dir_at, n);
        write_file(path, status);
    }
    return 0;
}

static int armed_main(int argc, char **argv, char **envp)
{
    const char *n = getenv("FP_FAILMALLOC_N");
    const char *spec = getenv("FP_FAILMALLOC_SWEEP");

    atexit(write_report);
    if (spec)
        return sweep(argc, argv, envp, spec);
    fail_at = n ? strtoul(n, NULL, 10) : 0;
    report_path = getenv("FP_FAILMALLOC_REPORT");
    print_backtrace = getenv("FP_FAILMALLOC_BACKTRACE") != NULL;
    install_crash_handler();
    atomic_store(&armed, 1);
    return real_main(argc, argv, envp);
}

int __libc_start_main(MainFunction main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
    StartMain next = (StartMain)dlsym(RTLD_NEXT, "__libc_start_main");

    real_main = main;
    return next(armed_main, argc, argv, init, fini, rtld_fini, stack_end);
}
