/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run loop: what a CPU does from a VM exit to the next VM entry. The
 * exit handler's verdict decides the path:
 *
 *   EXIT_RESUME      run_resume(): the same vCPU again, after its requests
 *                    (vcpu->requests) if it has any. The common case: a few
 *                    instructions.
 *   EXIT_RESCHEDULE  run_next(): the CPU's pending work, then the next
 *                    runnable vCPU in round-robin order (idle while none),
 *                    the switch to it, its time slice and its requests.
 *
 * The entry stub (hv/vmx/entry.S) looks at the CPU's pending work a last
 * time and goes to run_pending() instead of entering if another CPU left
 * some.
 * Every step a feature takes part in is a hook of struct feature
 * (hv/core/feature.h).
 */
#ifndef HV_CORE_RUN_H
#define HV_CORE_RUN_H

#include <hv/core/epoch.h>
#include <hv/core/partition.h>
#include <hv/core/percpu.h>
#include <x86/hw.h>

struct vcpu *run_next(void);
/* The entry stub found pending work before entering @v (hv/vmx/entry.S). */
struct vcpu *run_pending(struct vcpu *v);
/* The vCPU's turn ran out of exits (SLICE_EXITS). */
struct vcpu *run_slice_over(struct vcpu *v);

/*
 * A turn on the CPU ends after this many exits at the latest, whatever
 * guest time it took: exits that make the guest no progress must not keep
 * a CPU from its other vCPUs, nor from its deadlines.
 */
#define SLICE_EXITS 4096U

/*
 * The exit path back to the same vCPU. The entry is a quiescent point for
 * epochs; the epoch is read before the pending work (hv/core/epoch.h says
 * why), which the entry stub looks at: requests and kicks get there.
 */
static inline struct vcpu *run_resume(struct vcpu *v)
{
	if (unlikely(!--v->slice_exits_left))
		return run_slice_over(v);
	epoch_report(this_cpu(), epoch_read());
	return v;
}

/*
 * Makes @v runnable if it is in state @blocked, and has its CPU run it: on
 * another CPU at once (a kick); on this one, with @yield before the next VM
 * entry (the current vCPU yields), otherwise within a time slice. Returns
 * whether @v was in @blocked.
 */
bool vcpu_wake(struct vcpu *v, enum vcpu_state blocked, bool yield);
/* Has @v's CPU run it next, runnable already: its caller waits for it. */
void run_yield_to(struct vcpu *v);

enum run_wait {
	RUN_WAIT_WOKEN, /* @v was woken and its requests are done: EXIT_RESUME */
	RUN_WAIT_ANSWERED, /* @answered(@v): the caller finishes the wait itself */
	RUN_WAIT_GAVE_UP, /* another vCPU, work or time came first: EXIT_RESCHEDULE */
};

/*
 * @v, loaded here, just blocked for an answer another CPU gives soon (a
 * device request to a service partition on its own CPU). While no other
 * vCPU here is runnable, the CPU polls for the answer right here, as an
 * idle CPU polls for work but without the run loop on either side: for
 * @v's wake, or for @answered(@v), which the caller can see before the
 * other CPU wakes @v.
 */
enum run_wait run_wait_here(struct vcpu *v, bool (*answered)(const struct vcpu *v));

/*
 * A feature has a deadline for @v at TSC @tsc (its deadline hook says so
 * from now on); on @v's home CPU. One it drops may stay in v->deadline
 * until it passes: the run loop then only asks the hooks again.
 */
void vcpu_set_deadline(struct vcpu *v, u64 tsc);

/* Gathers the features' hooks the run loop calls on every switch; once, at boot. */
void run_init(void);
/* Runs this CPU's vCPUs from now on; idles while it has none. */
void run_start(void) __noreturn;

#endif /* HV_CORE_RUN_H */
