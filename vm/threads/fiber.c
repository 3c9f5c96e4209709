/*
 * fiber.c -- the hand-written context switch of fiber.h, its swapcontext
 * fallback, fiber stacks, and what the sanitizers must be told.
 *
 * WHAT A SWITCHED-OUT FIBER IS.  Nothing but its stack.  A C function may
 * clobber most registers, and the compiler assumes any call does; only a
 * few ("callee-saved": rbx, rbp, r12-r15 on x86-64 Linux) must look
 * untouched when a call returns.  So gs_fiber_switch, being a call, only
 * has to push those six onto the old stack, remember the stack pointer,
 * load the other fiber's stack pointer and pop its six -- and "return" to
 * where that fiber itself once called gs_fiber_switch.  A new fiber's
 * stack is laid out by hand (new_stack_frame) so that its first switch-in
 * "returns" into fiber_start.
 *
 * STACKS are mapped anonymously, as glibc maps thread stacks: the 64 MiB a
 * guest thread is given costs only the pages it touches (MAP_NORESERVE
 * also keeps them out of the kernel's overcommit accounting).  Below
 * each stack is an unmapped guard (64 KiB, since one large frame can jump
 * over a single page), so an overflow faults instead of overwriting a
 * neighbour.  The interpreter's own recursion limit (gs_stack_ok) stops
 * well before the guard.
 *
 * THE SANITIZERS keep per-thread pictures of "the" stack.  ASan is told
 * before each switch which stack comes next and after it that the switch
 * has happened; TSan is told which of its fiber objects runs, and the
 * switch orders everything before it before everything after it, as a
 * lock hand-over would.  LSan does not look into mapped memory on its
 * own, so each live fiber's stack is registered as a root: objects only a
 * suspended fiber points to are not leaks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fiber.h"

#if defined(__SANITIZE_ADDRESS__)
#define GS_FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GS_FIBER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define GS_FIBER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GS_FIBER_TSAN 1
#endif
#endif
#ifdef GS_FIBER_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#endif
#ifdef GS_FIBER_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* Not with Intel CET (gcc -fcf-protection, the default on some
 * distributions, not Debian's): the switch never executes a `ret`, which a
 * shadow stack would refuse, and the trampoline is reached by a jump. */
#if defined(__x86_64__) && defined(__ELF__) && !defined(GS_FIBER_UCONTEXT) && !defined(__CET__)
#define GS_FIBER_ASM 1
#else
#include <ucontext.h>
#endif

#define GUARD_SIZE ((size_t)64 << 10)

/* The context being left by the switch in progress on this OS thread: the
 * arriving side uses it to learn the bounds of an OS thread's own stack
 * (ASan reports them) and, on the swapcontext build, which fiber starts. */
static _Thread_local GsFiber *leaving, *arriving;

/* ---- telling the sanitizers ----------------------------------------------------------------- */

/* Just before `from` switches to `to`; from == NULL: from is finished. */
static void before_switch(GsFiber *from, GsFiber *to)
{
    leaving = from;
    arriving = to;
#ifdef GS_FIBER_ASAN
    __sanitizer_start_switch_fiber(from ? &from->asan_fake : NULL, to->lo, to->size);
#endif
#ifdef GS_FIBER_TSAN
    __tsan_switch_to_fiber(to->tsan, 0);
#endif
}

/* First thing when `me` runs again (or for the first time). */
static void after_switch(GsFiber *me)
{
#ifdef GS_FIBER_ASAN
    const void *lo;
    size_t size;
    __sanitizer_finish_switch_fiber(me->asan_fake, &lo, &size);
    /* An OS thread's own stack: ASan knows its bounds, we learn them here. */
    if (leaving && !leaving->map && !leaving->lo) {
        leaving->lo = (void *)lo;
        leaving->size = size;
    }
#endif
    (void)me;
}

/* ---- the switch ----------------------------------------------------------------------------- */

#ifdef GS_FIBER_ASM
/*
 * void gs_fiber_swap(void **save_sp, void *new_sp);
 *
 * Push the callee-saved registers, store rsp in *save_sp, load new_sp,
 * pop the other context's six registers and its return address, and jump
 * there.  Jump, not `ret`: the processor predicts a `ret` from the calls
 * it has seen, and this one never goes back to its own caller, so a `ret`
 * is mispredicted every time (9 ns a switch against 3 ns measured,
 * docs/sim-fibers.md).  Not saved: the MXCSR and x87 control words, which
 * nothing in gilscope changes.  endbr64 is a no-op without Intel CET.
 *
 * A new fiber's first switch-in pops the registers new_stack_frame put
 * there and jumps to fiber_trampoline, which calls fiber_start(r12).
 */
__asm__(".text\n"
        ".globl gs_fiber_swap\n"
        ".hidden gs_fiber_swap\n"
        ".type gs_fiber_swap, @function\n"
        ".p2align 4\n"
        "gs_fiber_swap:\n"
        "    endbr64\n"
        "    pushq %rbp\n    pushq %rbx\n    pushq %r12\n"
        "    pushq %r13\n    pushq %r14\n    pushq %r15\n"
        "    movq %rsp, (%rdi)\n"
        "    movq %rsi, %rsp\n"
        "    popq %r15\n    popq %r14\n    popq %r13\n"
        "    popq %r12\n    popq %rbx\n    popq %rbp\n"
        "    popq %rcx\n"
        "    jmpq *%rcx\n"
        ".size gs_fiber_swap, .-gs_fiber_swap\n"
        ".globl gs_fiber_trampoline\n"
        ".hidden gs_fiber_trampoline\n"
        ".type gs_fiber_trampoline, @function\n"
        "gs_fiber_trampoline:\n"
        "    movq %r12, %rdi\n"
        "    callq gs_fiber_start\n"
        "    ud2\n"
        ".size gs_fiber_trampoline, .-gs_fiber_trampoline\n"
        ".section .note.GNU-stack,\"\",@progbits\n"
        ".text\n");

void gs_fiber_swap(void **save_sp, void *new_sp);
void gs_fiber_trampoline(void);
_Noreturn void gs_fiber_start(GsFiber *me);

/* Seven words as gs_fiber_swap pops them (r15 r14 r13 r12 rbx rbp, then
 * the address it jumps to), r12 = the fiber.  After the pops rsp is
 * 16-byte aligned, as the ABI wants it at the trampoline's `call`. */
static bool new_stack_frame(GsFiber *f)
{
    uintptr_t top = ((uintptr_t)f->lo + f->size) & ~(uintptr_t)15;
    void **sp = (void **)(top - 9 * sizeof(void *));
    memset(sp, 0, 9 * sizeof(void *));   /* rbp 0 ends a frame-pointer walk */
    sp[3] = f;
    sp[6] = (void *)gs_fiber_trampoline;
    f->sp = sp;
    return true;
}

static void raw_switch(GsFiber *from, GsFiber *to)
{
    gs_fiber_swap(&from->sp, to->sp);
}

/* The dying fiber's stack pointer is saved, and never used, in its own
 * GsFiber: not in a local, which under ASan's use-after-return mode would
 * live on a fake stack that before_switch(NULL, ...) has just freed. */
static void raw_jump(GsFiber *from, GsFiber *to)
{
    gs_fiber_swap(&from->sp, to->sp);
}

#else /* swapcontext */

_Noreturn void gs_fiber_start(GsFiber *me);

static void uc_start(void)
{
    gs_fiber_start(arriving);
}

static bool new_stack_frame(GsFiber *f)
{
    ucontext_t *uc = f->uc;
    if (getcontext(uc) != 0)
        return false;
    uc->uc_stack.ss_sp = f->lo;
    uc->uc_stack.ss_size = f->size;
    uc->uc_link = NULL;
    makecontext(uc, uc_start, 0);
    return true;
}

static void raw_switch(GsFiber *from, GsFiber *to)
{
    swapcontext(from->uc, to->uc);
}

static void raw_jump(GsFiber *from, GsFiber *to)
{
    (void)from;
    setcontext(to->uc);
}
#endif

/* Where every fiber begins. */
_Noreturn void gs_fiber_start(GsFiber *me)
{
    after_switch(me);
    me->fn(me->arg);
    abort();   /* fn must end with gs_fiber_exit */
}

void gs_fiber_switch(GsFiber *from, GsFiber *to)
{
    before_switch(from, to);
    raw_switch(from, to);
    after_switch(from);
}

_Noreturn void gs_fiber_exit(GsFiber *from, GsFiber *to)
{
    before_switch(NULL, to);
    raw_jump(from, to);
    abort();
}

/* ---- contexts ------------------------------------------------------------------------------- */

void gs_fiber_init_thread(GsFiber *f)
{
    memset(f, 0, sizeof *f);
#ifndef GS_FIBER_ASM
    f->uc = calloc(1, sizeof(ucontext_t));   /* NULL: the first switch away fails loudly */
#endif
#ifdef GS_FIBER_TSAN
    f->tsan = __tsan_get_current_fiber();
#endif
}

bool gs_fiber_new(GsFiber *f, size_t stack_size, void (*fn)(void *), void *arg)
{
    memset(f, 0, sizeof *f);
    size_t page = 4096;
    stack_size = (stack_size + page - 1) & ~(page - 1);
    char *map = mmap(NULL, GUARD_SIZE + stack_size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (map == MAP_FAILED)
        return false;
    if (mprotect(map, GUARD_SIZE, PROT_NONE) != 0)
        goto fail;
    f->map = map;
    f->map_size = GUARD_SIZE + stack_size;
    f->lo = map + GUARD_SIZE;
    f->size = stack_size;
    f->fn = fn;
    f->arg = arg;
#ifndef GS_FIBER_ASM
    if (!(f->uc = calloc(1, sizeof(ucontext_t))))
        goto fail;
#endif
    if (!new_stack_frame(f))
        goto fail;
#ifdef GS_FIBER_ASAN
    __lsan_register_root_region(f->lo, f->size);
#endif
#ifdef GS_FIBER_TSAN
    f->tsan = __tsan_create_fiber(0);
#endif
    return true;
fail: {
        int err = errno;
        free(f->uc);
        munmap(map, GUARD_SIZE + stack_size);
        memset(f, 0, sizeof *f);
        errno = err;
        return false;
    }
}

void gs_fiber_free(GsFiber *f)
{
    if (!f->map) {
        free(f->uc);   /* an OS thread's context: only the swapcontext build has anything */
        f->uc = NULL;
        return;
    }
#ifdef GS_FIBER_ASAN
    __lsan_unregister_root_region(f->lo, f->size);
    /* Frames that never returned (the last switch's, a fiber never
     * resumed) leave their redzones marked in ASan's shadow memory, which
     * outlives munmap: the next stack mapped at this address would start
     * out "poisoned". */
    __asan_unpoison_memory_region(f->lo, f->size);
#endif
#ifdef GS_FIBER_TSAN
    if (f->tsan)
        __tsan_destroy_fiber(f->tsan);
#endif
    munmap(f->map, f->map_size);
    free(f->uc);
    memset(f, 0, sizeof *f);
}
