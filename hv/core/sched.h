/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU round-robin scheduling of the vCPUs homed on each CPU. The exit
 * path calls sched_resume() when the same vCPU continues (the common case),
 * sched_switch() when something changed.
 */
#ifndef HV_CORE_SCHED_H
#define HV_CORE_SCHED_H

#include <hv/core/epoch.h>
#include <hv/core/partition.h>
#include <hv/core/percpu.h>

struct vcpu *sched_switch(struct vcpu *prev);

/*
 * The fast path of the exit handler back to the same vCPU. The entry is a
 * quiescent point; the entry stub then looks at the pending work and goes
 * to sched_switch() if there is any. The epoch is read before the pending
 * work (hv/core/epoch.h says why).
 */
static inline struct vcpu *sched_resume(struct vcpu *v)
{
	epoch_report(this_cpu(), epoch_read());
	return v;
}

/* Puts a new vCPU on its home CPU's run queue. */
void sched_add(struct vcpu *v);
/* Makes another CPU look at its run queue (or pending work) soon. */
void sched_kick(struct percpu *cpu, u32 work);
/*
 * Makes @v runnable if it is blocked in state @blocked and has its CPU look
 * at it: another CPU gets a kick. On this CPU, with @now the scheduler runs
 * before the next VM entry (the current vCPU yields to @v); otherwise the
 * vCPU whose VMCS is loaded runs at most a time slice longer.
 */
void vcpu_notify(struct vcpu *v, enum vcpu_state blocked, bool now);
/* Runs this CPU's vCPUs from now on; idles while it has none. */
void sched_start(void) __noreturn;

#endif /* HV_CORE_SCHED_H */
