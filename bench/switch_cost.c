/*
 * switch_cost.c -- what one hand-over between two execution contexts costs.
 *
 * The simulated clock (vm/threads/platform_sim.c) runs one guest thread at
 * a time and hands a "baton" from one to the next.  Today every guest
 * thread is an OS thread and every hand-over wakes another OS thread
 * through a condition variable.  This program measures that, and the ways
 * of doing without the kernel (docs/sim-fibers.md uses the figures):
 *
 *   call      a plain indirect function call: the floor ("what a call costs")
 *   condvar   two OS threads, one mutex, a condition variable each, a baton
 *             word: exactly the simulator's pass_baton today
 *   futex     two OS threads, the baton word itself is the futex
 *   sem       two OS threads, a POSIX semaphore each (sem_post / sem_wait)
 *   ucontext  swapcontext() between two stacks on one thread (glibc saves
 *             and restores the signal mask: one rt_sigprocmask per switch)
 *   asm       the hand-written x86-64 switch below (x86-64 only)
 *   asm-ret   the same, returning with `ret` (see the comment on sc_switch)
 *   pcl       libpcl1 (Portable Coroutine Library), if it was found
 *   pth       libpth20's pth_uctx_switch (GNU Pth), if it was found
 *   fcontext  Boost.Context's jump_fcontext (libboost-context), called
 *             from C through its extern "C" symbol, if it was found
 *
 * Each method ping-pongs between two contexts; one switch is one transfer
 * (a round trip is two).  Every method is run RUNS times after one warm-up
 * run; the table gives the median, the minimum and the maximum ns per
 * switch.  Built with ASan, every stack switch is announced with
 * __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber; built
 * with TSan, with __tsan_switch_to_fiber -- so the ASan and TSan builds
 * (build-asan/, build-tsan/) measure the annotated switches.
 *
 *   switch_cost [-r RUNS] [-n FIBER_ROUNDS] [-t THREAD_ROUNDS] [METHOD...]
 *
 * Defaults: 7 runs, 1,000,000 round trips per run for the one-thread
 * methods, 20,000 for the OS-thread ones.  Run it with `taskset -c 0` to
 * put both OS threads on one core.  It is a benchmark, not a test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

/* ---- sanitizers ----------------------------------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define SC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define SC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SC_TSAN 1
#endif
#endif
#ifdef SC_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef SC_TSAN
#include <sanitizer/tsan_interface.h>
#endif

#ifdef SC_HAVE_PCL
#include <pcl.h>
#endif
#ifdef SC_HAVE_PTH
#include <pth.h>
#endif

/* ---- timing --------------------------------------------------------------------------------- */

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- one execution context on a stack of its own -------------------------------------------- */

/* What every one-thread method needs to know of a context besides its
 * saved registers: its stack (for ASan) and its TSan fiber. */
typedef struct {
    void *stack_lo;     /* lowest address of its stack; NULL: the thread's own stack */
    size_t stack_size;
    void *asan_fake;    /* ASan's fake stack of this context while it is switched out */
    void *tsan_fiber;
} Ctx;

#define FIBER_STACK ((size_t)256 << 10)

/* A stack of `size` bytes below a guard page, from mmap: what a real
 * fiber stack would be (pages are touched only when used). */
static void *stack_alloc(size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, size + (size_t)page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) {
        perror("switch_cost: mmap");
        exit(1);
    }
    mprotect(p, (size_t)page, PROT_NONE);   /* the guard page: an overflow faults */
    return p + page;
}

static void stack_free(void *lo, size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    munmap((char *)lo - page, size + (size_t)page);
}

static void ctx_init_thread(Ctx *c)
{
    memset(c, 0, sizeof *c);
#ifdef SC_TSAN
    c->tsan_fiber = __tsan_get_current_fiber();
#endif
}

static void ctx_init_fiber(Ctx *c)
{
    memset(c, 0, sizeof *c);
    c->stack_size = FIBER_STACK;
    c->stack_lo = stack_alloc(c->stack_size);
#ifdef SC_TSAN
    c->tsan_fiber = __tsan_create_fiber(0);
#endif
}

static void ctx_free_fiber(Ctx *c)
{
#ifdef SC_TSAN
    __tsan_destroy_fiber(c->tsan_fiber);
#endif
    stack_free(c->stack_lo, c->stack_size);
}

/* Tell the sanitizers that `from` is about to switch to `to` (call just
 * before the switch), ... */
static inline void switch_begin(Ctx *from, Ctx *to)
{
#ifdef SC_ASAN
    __sanitizer_start_switch_fiber(&from->asan_fake, to->stack_lo, to->stack_size);
#endif
#ifdef SC_TSAN
    __tsan_switch_to_fiber(to->tsan_fiber, 0);
#endif
    (void)from, (void)to;
}

/* ... and that `me` runs again, having been switched to from `prev`
 * (call first thing after the switch returns, or at a fiber's entry).
 * ASan tells us the bounds of the stack we came from: that is how the
 * thread's own stack (stack_lo NULL) becomes known. */
static inline void switch_end(Ctx *me, Ctx *prev)
{
#ifdef SC_ASAN
    const void *lo;
    size_t size;
    __sanitizer_finish_switch_fiber(me->asan_fake, &lo, &size);
    if (prev && !prev->stack_lo) {
        prev->stack_lo = (void *)lo;
        prev->stack_size = size;
    }
#endif
    (void)me, (void)prev;
}

/* The two contexts of the current one-thread method: the thread's own
 * (main) and the fiber's. */
static Ctx main_ctx, fib_ctx;

/* ---- (d) the hand-written x86-64 switch ----------------------------------------------------- */

/* SC_NO_ASM: build as a machine without it would (to check that path). */
#if defined(__x86_64__) && defined(__ELF__) && !defined(SC_NO_ASM)
#define SC_HAVE_ASM 1
/*
 * void sc_switch(void **save_sp, void *new_sp);
 *
 * A context that is switched out is nothing but its stack: the registers
 * the System V x86-64 ABI says a called function must preserve (rbx, rbp,
 * r12-r15: "callee-saved") are pushed onto it, and the stack pointer is
 * stored in *save_sp.  Switching in is the reverse: load rsp from new_sp,
 * pop the six registers, and pop the return address that the other
 * context's own call to sc_switch pushed and jump there -- so it returns
 * from its sc_switch as from any function call.
 *
 * Why pop and jump rather than `ret`: the processor predicts where a `ret`
 * goes from a small stack of the return addresses of the calls it has
 * seen (the return stack buffer).  This `ret` goes somewhere else -- to
 * the *other* context's call site -- so it is mispredicted every time;
 * an indirect jump is predicted from its own history instead, which in a
 * ping-pong is always the same.  Measured here: about 3 ns per switch
 * against 9 ns with `ret` (method asm-ret).  Boost's jump_fcontext does
 * the same.
 *
 * Everything else the ABI lets a callee clobber (rax, rcx, rdx, rsi, rdi,
 * r8-r11, all xmm/ymm registers, the flags) the compiler has already
 * assumed lost across the call, so it need not be saved: that is why this
 * is cheaper than swapcontext, which saves the whole ucontext_t and makes
 * a system call for the signal mask.  Not saved either: the MXCSR control
 * bits and the x87 control word, which the ABI also calls callee-saved;
 * they hold the rounding mode and exception masks, which nothing in
 * gilscope changes, so every context has the same values.  (Boost's
 * jump_fcontext saves them too: `fcontext` in the table shows the price.)
 *
 * endbr64 is a no-op unless Intel CET's indirect-branch tracking is on.
 * With CET shadow stacks on (not the case with Debian 12's glibc), `ret`
 * would fault here: a shadow stack per context would have to be switched
 * too.
 */
/* The registers a function must preserve (System V x86-64 ABI), pushed
 * on the old stack and popped from the new one, in reverse order. */
#define SC_PUSH_CALLEE_SAVED \
    "    pushq %rbp\n    pushq %rbx\n    pushq %r12\n" \
    "    pushq %r13\n    pushq %r14\n    pushq %r15\n"
#define SC_POP_CALLEE_SAVED \
    "    popq %r15\n    popq %r14\n    popq %r13\n" \
    "    popq %r12\n    popq %rbx\n    popq %rbp\n"

__asm__(".text\n"
        ".globl sc_switch\n"
        ".type sc_switch, @function\n"
        ".p2align 4\n"
        "sc_switch:\n"
        "    endbr64\n"
        SC_PUSH_CALLEE_SAVED
        "    movq %rsp, (%rdi)\n"   /* *save_sp = rsp */
        "    movq %rsi, %rsp\n"     /* rsp = new_sp: now on the other stack */
        SC_POP_CALLEE_SAVED
        "    popq %rcx\n"          /* the other context's return address ... */
        "    jmpq *%rcx\n"         /* ... jumped to, not `ret`: see above */
        ".size sc_switch, .-sc_switch\n"
        /* The same, ending with a plain `ret` (method asm-ret). */
        ".globl sc_switch_ret\n"
        ".type sc_switch_ret, @function\n"
        ".p2align 4\n"
        "sc_switch_ret:\n"
        "    endbr64\n"
        SC_PUSH_CALLEE_SAVED
        "    movq %rsp, (%rdi)\n"
        "    movq %rsi, %rsp\n"
        SC_POP_CALLEE_SAVED
        "    ret\n"
        ".size sc_switch_ret, .-sc_switch_ret\n"
        /*
         * A new context's first sc_switch "returns" here, with the r12
         * and r13 that sc_prepare left on its stack: call fn(arg).  fn
         * must never return (it switches away for good instead); ud2
         * traps if it does.
         */
        ".globl sc_trampoline\n"
        ".type sc_trampoline, @function\n"
        "sc_trampoline:\n"
        "    movq %r13, %rdi\n"
        "    callq *%r12\n"
        "    ud2\n"
        ".size sc_trampoline, .-sc_trampoline\n"
        ".section .note.GNU-stack,\"\",@progbits\n"
        ".text\n");

void sc_switch(void **save_sp, void *new_sp);
void sc_switch_ret(void **save_sp, void *new_sp);
void sc_trampoline(void);

/* The stack pointer a new context starts from: seven words laid out as
 * sc_switch's pops expect them (r15 r14 r13 r12 rbx rbp, return address),
 * with r12 = fn, r13 = arg, the return address sc_trampoline.  After the
 * seven pops rsp is 16-byte aligned, as the ABI wants it before a call. */
static void *sc_prepare(void *stack_lo, size_t size, void (*fn)(void *), void *arg)
{
    uintptr_t top = ((uintptr_t)stack_lo + size) & ~(uintptr_t)15;
    void **sp = (void **)(top - 9 * sizeof(void *));   /* 8 mod 16: +7 words is 0 mod 16 */
    sp[0] = NULL;                  /* r15 */
    sp[1] = NULL;                  /* r14 */
    sp[2] = arg;                   /* r13 */
    sp[3] = (void *)fn;            /* r12 */
    sp[4] = NULL;                  /* rbx */
    sp[5] = NULL;                  /* rbp: 0 ends a frame-pointer walk here */
    sp[6] = (void *)sc_trampoline; /* popped by ret */
    sp[7] = NULL;                  /* a fake return address for fn's caller */
    sp[8] = NULL;
    return sp;
}

static void *asm_main_sp, *asm_fib_sp;

/* The fiber, its setup and the timed loop for one switch routine: the
 * same for sc_switch (ends in jmp) and sc_switch_ret (ends in ret). */
#define ASM_METHOD(NAME, SWITCH) \
    static void NAME##_fiber(void *arg) \
    { \
        (void)arg; \
        switch_end(&fib_ctx, &main_ctx); \
        for (;;) { \
            switch_begin(&fib_ctx, &main_ctx); \
            SWITCH(&asm_fib_sp, asm_main_sp); \
            switch_end(&fib_ctx, &main_ctx); \
        } \
    } \
    static void NAME##_setup(void) \
    { \
        asm_fib_sp = sc_prepare(fib_ctx.stack_lo, fib_ctx.stack_size, NAME##_fiber, NULL); \
    } \
    static void NAME##_rounds(long n) \
    { \
        for (long i = 0; i < n; i++) { \
            switch_begin(&main_ctx, &fib_ctx); \
            SWITCH(&asm_main_sp, asm_fib_sp); \
            switch_end(&main_ctx, &fib_ctx); \
        } \
    }
ASM_METHOD(asm, sc_switch)
ASM_METHOD(asm_ret, sc_switch_ret)
#undef ASM_METHOD
#endif

/* ---- (c) ucontext --------------------------------------------------------------------------- */

static ucontext_t uc_main, uc_fib;

static void uc_fiber(void)
{
    switch_end(&fib_ctx, &main_ctx);
    for (;;) {
        switch_begin(&fib_ctx, &main_ctx);
        swapcontext(&uc_fib, &uc_main);
        switch_end(&fib_ctx, &main_ctx);
    }
}

static void uc_setup(void)
{
    getcontext(&uc_fib);
    uc_fib.uc_stack.ss_sp = fib_ctx.stack_lo;
    uc_fib.uc_stack.ss_size = fib_ctx.stack_size;
    uc_fib.uc_link = NULL;
    makecontext(&uc_fib, uc_fiber, 0);
}

static void uc_rounds(long n)
{
    for (long i = 0; i < n; i++) {
        switch_begin(&main_ctx, &fib_ctx);
        swapcontext(&uc_main, &uc_fib);
        switch_end(&main_ctx, &fib_ctx);
    }
}

/* ---- (e) libraries -------------------------------------------------------------------------- */

#ifdef SC_HAVE_PCL
static coroutine_t pcl_co;

static void pcl_fiber(void *arg)
{
    (void)arg;
    switch_end(&fib_ctx, &main_ctx);
    for (;;) {
        switch_begin(&fib_ctx, &main_ctx);
        co_resume();   /* back to whoever co_call'ed us */
        switch_end(&fib_ctx, &main_ctx);
    }
}

static void pcl_setup(void)
{
    co_thread_init();
    pcl_co = co_create(pcl_fiber, NULL, fib_ctx.stack_lo, (int)fib_ctx.stack_size);
    if (!pcl_co) {
        fprintf(stderr, "switch_cost: co_create failed\n");
        exit(1);
    }
}

static void pcl_rounds(long n)
{
    for (long i = 0; i < n; i++) {
        switch_begin(&main_ctx, &fib_ctx);
        co_call(pcl_co);
        switch_end(&main_ctx, &fib_ctx);
    }
}
#endif

#ifdef SC_HAVE_PTH
static pth_uctx_t pth_main, pth_fib;

static void pth_fiber(void *arg)
{
    (void)arg;
    switch_end(&fib_ctx, &main_ctx);
    for (;;) {
        switch_begin(&fib_ctx, &main_ctx);
        pth_uctx_switch(pth_fib, pth_main);
        switch_end(&fib_ctx, &main_ctx);
    }
}

static void pth_setup(void)
{
    if (!pth_uctx_create(&pth_main) || !pth_uctx_create(&pth_fib) ||
        !pth_uctx_make(pth_fib, fib_ctx.stack_lo, fib_ctx.stack_size, NULL, pth_fiber, NULL,
                       NULL)) {
        fprintf(stderr, "switch_cost: pth_uctx_make failed\n");
        exit(1);
    }
}

static void pth_rounds(long n)
{
    for (long i = 0; i < n; i++) {
        switch_begin(&main_ctx, &fib_ctx);
        pth_uctx_switch(pth_main, pth_fib);
        switch_end(&main_ctx, &fib_ctx);
    }
}
#endif

#ifdef SC_HAVE_FCONTEXT
/* Boost.Context's assembly core, declared as boost/context/detail/fcontext.hpp
 * declares it (extern "C"; a two-pointer struct comes back in rax:rdx).
 * It is Boost's internal interface, not a public C API. */
typedef void *fcontext_t;
typedef struct {
    fcontext_t fctx;   /* the context that jumped to us */
    void *data;
} transfer_t;
transfer_t jump_fcontext(fcontext_t const to, void *vp);
fcontext_t make_fcontext(void *sp, size_t size, void (*fn)(transfer_t));

static fcontext_t fc_fib;

static void fc_fiber(transfer_t t)
{
    switch_end(&fib_ctx, &main_ctx);
    for (;;) {
        switch_begin(&fib_ctx, &main_ctx);
        t = jump_fcontext(t.fctx, NULL);
        switch_end(&fib_ctx, &main_ctx);
    }
}

static void fc_setup(void)
{
    fc_fib = make_fcontext((char *)fib_ctx.stack_lo + fib_ctx.stack_size, fib_ctx.stack_size,
                           fc_fiber);
}

static void fc_rounds(long n)
{
    for (long i = 0; i < n; i++) {
        switch_begin(&main_ctx, &fib_ctx);
        transfer_t t = jump_fcontext(fc_fib, NULL);
        fc_fib = t.fctx;
        switch_end(&main_ctx, &fib_ctx);
    }
}
#endif

/* ---- the floor: a function call ------------------------------------------------------------- */

static long call_counter;

__attribute__((noinline)) static void call_target(void)
{
    call_counter++;
    __asm__ volatile("" ::: "memory");
}

static void (*volatile call_ptr)(void) = call_target;

static void call_setup(void) {}

/* Two calls per round, so that a "switch" is one call. */
static void call_rounds(long n)
{
    for (long i = 0; i < n; i++) {
        call_ptr();
        call_ptr();
    }
}

/* ---- (a) (b) two OS threads ------------------------------------------------------------------- */

typedef struct {
    int kind;                 /* 0 condvar, 1 futex, 2 sem */
    /* condvar: as platform_sim.c -- one lock, a condition variable per thread */
    pthread_mutex_t lock;
    pthread_cond_t go[2];
    int baton;
    /* futex: the baton word is the futex */
    atomic_int fbaton;
    /* sem: one semaphore per thread */
    sem_t sem[2];
    atomic_bool stop;
} Pair;

static long futex(atomic_int *addr, int op, int val)
{
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

/* Wait until `me` holds the baton. */
static void pair_wait(Pair *p, int me)
{
    switch (p->kind) {
    case 0:
        pthread_mutex_lock(&p->lock);
        while (p->baton != me)
            pthread_cond_wait(&p->go[me], &p->lock);
        pthread_mutex_unlock(&p->lock);
        break;
    case 1:
        for (int b; (b = atomic_load(&p->fbaton)) != me;)
            futex(&p->fbaton, FUTEX_WAIT_PRIVATE, b);
        break;
    case 2:
        while (sem_wait(&p->sem[me]) != 0 && errno == EINTR) {
        }
        break;
    }
}

/* `me` holds the baton: hand it to the other thread and wait to get it
 * back. */
static void pair_pass(Pair *p, int me)
{
    int other = 1 - me;
    switch (p->kind) {
    case 0:
        pthread_mutex_lock(&p->lock);
        p->baton = other;
        pthread_cond_signal(&p->go[other]);
        while (p->baton != me)
            pthread_cond_wait(&p->go[me], &p->lock);
        pthread_mutex_unlock(&p->lock);
        break;
    case 1:
        atomic_store(&p->fbaton, other);
        futex(&p->fbaton, FUTEX_WAKE_PRIVATE, 1);
        pair_wait(p, me);
        break;
    case 2:
        sem_post(&p->sem[other]);
        pair_wait(p, me);
        break;
    }
}

static void *pair_partner(void *arg)
{
    Pair *p = arg;
    pair_wait(p, 1);
    while (!atomic_load(&p->stop))
        pair_pass(p, 1);
    /* Hand it back a last time, so that the main thread's last pass returns. */
    int other = 0;
    switch (p->kind) {
    case 0:
        pthread_mutex_lock(&p->lock);
        p->baton = other;
        pthread_cond_signal(&p->go[other]);
        pthread_mutex_unlock(&p->lock);
        break;
    case 1:
        atomic_store(&p->fbaton, other);
        futex(&p->fbaton, FUTEX_WAKE_PRIVATE, 1);
        break;
    case 2:
        sem_post(&p->sem[other]);
        break;
    }
    return NULL;
}

static Pair pair;
static pthread_t pair_thread;

static void pair_setup(int kind)
{
    memset(&pair, 0, sizeof pair);
    pair.kind = kind;
    pthread_mutex_init(&pair.lock, NULL);
    pthread_cond_init(&pair.go[0], NULL);
    pthread_cond_init(&pair.go[1], NULL);
    sem_init(&pair.sem[0], 0, 0);
    sem_init(&pair.sem[1], 0, 0);
    pair.baton = 0;
    atomic_store(&pair.fbaton, 0);
    if (pthread_create(&pair_thread, NULL, pair_partner, &pair) != 0) {
        fprintf(stderr, "switch_cost: pthread_create failed\n");
        exit(1);
    }
}

static void pair_rounds(long n)
{
    for (long i = 0; i < n; i++)
        pair_pass(&pair, 0);
}

static void pair_teardown(void)
{
    atomic_store(&pair.stop, true);
    pair_pass(&pair, 0);   /* the partner sees stop, hands the baton back and ends */
    pthread_join(pair_thread, NULL);
    pthread_mutex_destroy(&pair.lock);
    pthread_cond_destroy(&pair.go[0]);
    pthread_cond_destroy(&pair.go[1]);
    sem_destroy(&pair.sem[0]);
    sem_destroy(&pair.sem[1]);
}

static void condvar_setup(void) { pair_setup(0); }
static void futex_setup(void) { pair_setup(1); }
static void sem_setup(void) { pair_setup(2); }

/* ---- the table ------------------------------------------------------------------------------ */

typedef struct {
    const char *name;
    bool threads;              /* two OS threads (fewer rounds) */
    bool fiber;                /* needs a fiber stack */
    void (*setup)(void);
    void (*rounds)(long n);
    void (*teardown)(void);
    const char *note;
} Method;

static const Method methods[] = {
    { "call", false, false, call_setup, call_rounds, NULL, "indirect call, the floor" },
    { "condvar", true, false, condvar_setup, pair_rounds, pair_teardown,
      "mutex + condvar per thread (the simulator today)" },
    { "futex", true, false, futex_setup, pair_rounds, pair_teardown, "baton word is a futex" },
    { "sem", true, false, sem_setup, pair_rounds, pair_teardown, "sem_post / sem_wait" },
    { "ucontext", false, true, uc_setup, uc_rounds, NULL, "swapcontext (sigprocmask syscall)" },
#ifdef SC_HAVE_ASM
    { "asm", false, true, asm_setup, asm_rounds, NULL, "hand-written x86-64 switch" },
    { "asm-ret", false, true, asm_ret_setup, asm_ret_rounds, NULL, "the same, ending in ret" },
#endif
#ifdef SC_HAVE_PCL
    { "pcl", false, true, pcl_setup, pcl_rounds, NULL, "libpcl1 co_call/co_resume" },
#endif
#ifdef SC_HAVE_PTH
    { "pth", false, true, pth_setup, pth_rounds, NULL, "libpth20 pth_uctx_switch" },
#endif
#ifdef SC_HAVE_FCONTEXT
    { "fcontext", false, true, fc_setup, fc_rounds, NULL, "Boost.Context jump_fcontext" },
#endif
};

/* Methods this build lacks, said so in the table. */
static const struct {
    const char *name, *why;
} missing[] = {
#ifndef SC_HAVE_ASM
    { "asm", "skipped: not x86-64 ELF" },
    { "asm-ret", "skipped: not x86-64 ELF" },
#endif
#ifndef SC_HAVE_PCL
    { "pcl", "skipped: libpcl1-dev not found at build time" },
#endif
#ifndef SC_HAVE_PTH
    { "pth", "skipped: libpth-dev not found at build time" },
#endif
#ifndef SC_HAVE_FCONTEXT
    { "fcontext", "skipped: libboost-context-dev not found at build time" },
#endif
    { NULL, NULL },
};

static void run_method(const Method *m, int runs, long fiber_rounds, long thread_rounds)
{
    long n = m->threads ? thread_rounds : fiber_rounds;
    ctx_init_thread(&main_ctx);
    if (m->fiber)
        ctx_init_fiber(&fib_ctx);
    m->setup();
    double *ns = calloc((size_t)runs, sizeof *ns);
    m->rounds(n / 10 + 1);   /* warm-up: first touches, the partner thread started */
    for (int r = 0; r < runs; r++) {
        uint64_t t0 = now_ns();
        m->rounds(n);
        uint64_t t1 = now_ns();
        ns[r] = (double)(t1 - t0) / (2.0 * (double)n);
    }
    if (m->teardown)
        m->teardown();
    if (m->fiber)
        ctx_free_fiber(&fib_ctx);   /* the fiber is left switched out, never resumed */
    qsort(ns, (size_t)runs, sizeof *ns, cmp_double);
    printf("%-9s %10.1f %9.1f %9.1f  %s\n", m->name, ns[runs / 2], ns[0], ns[runs - 1], m->note);
    fflush(stdout);
    free(ns);
}

static void print_loadavg(const char *when)
{
    FILE *f = fopen("/proc/loadavg", "r");
    char buf[128] = "?";
    if (f) {
        if (!fgets(buf, sizeof buf, f))
            strcpy(buf, "?\n");
        fclose(f);
    }
    printf("load average %s: %s", when, buf);
}

static void usage(void)
{
    fprintf(stderr, "usage: switch_cost [-r RUNS] [-n FIBER_ROUNDS] [-t THREAD_ROUNDS] [METHOD...]\n"
                    "methods:");
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        fprintf(stderr, " %s", methods[i].name);
    fprintf(stderr, "\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int runs = 7;
    long fiber_rounds = 1000000, thread_rounds = 20000;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i += 2) {
        if (i + 1 >= argc)
            usage();
        long v = strtol(argv[i + 1], NULL, 10);
        if (v <= 0)
            usage();
        if (!strcmp(argv[i], "-r"))
            runs = (int)v;
        else if (!strcmp(argv[i], "-n"))
            fiber_rounds = v;
        else if (!strcmp(argv[i], "-t"))
            thread_rounds = v;
        else
            usage();
    }
    for (int j = i; j < argc; j++) {
        bool known = false;
        for (size_t k = 0; k < sizeof methods / sizeof methods[0]; k++)
            known = known || !strcmp(argv[j], methods[k].name);
        for (int k = 0; missing[k].name; k++)
            known = known || !strcmp(argv[j], missing[k].name);
        if (!known) {
            fprintf(stderr, "switch_cost: unknown method '%s'\n", argv[j]);
            usage();
        }
    }
    const char *build = "plain";
#ifdef SC_ASAN
    build = "ASan (fiber annotations on)";
#endif
#ifdef SC_TSAN
    build = "TSan (fiber annotations on)";
#endif
    cpu_set_t cpus;
    int ncpu = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : -1;
    printf("switch_cost: build %s; %d runs; %ld round trips per run on one thread, %ld across "
           "threads; %d CPUs allowed\n",
           build, runs, fiber_rounds, thread_rounds, ncpu);
    print_loadavg("before");
    printf("%-9s %10s %9s %9s  %s\n", "method", "median ns", "min", "max", "(per switch; a round trip is 2)");
    for (size_t k = 0; k < sizeof methods / sizeof methods[0]; k++) {
        bool chosen = i == argc;
        for (int j = i; j < argc; j++)
            chosen = chosen || !strcmp(argv[j], methods[k].name);
        if (chosen)
            run_method(&methods[k], runs, fiber_rounds, thread_rounds);
    }
    for (int k = 0; missing[k].name; k++) {
        bool chosen = i == argc;
        for (int j = i; j < argc; j++)
            chosen = chosen || !strcmp(argv[j], missing[k].name);
        if (chosen)
            printf("%-9s %10s %9s %9s  %s\n", missing[k].name, "-", "-", "-", missing[k].why);
    }
    print_loadavg("after");
    return 0;
}
