/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run queues: each CPU round-robins the vCPUs homed on it. The run
 * loop (hv/core/run.h) asks them which vCPU to enter next.
 */
#ifndef HV_CORE_SCHED_H
#define HV_CORE_SCHED_H

#include <hv/core/partition.h>
#include <hv/core/percpu.h>

/* Puts a new vCPU on its home CPU's run queue and has that CPU look at it. */
void sched_add(struct vcpu *v);
/* Takes @v off its home CPU's run queue; on that CPU. */
void sched_remove(struct vcpu *v);
/*
 * The next runnable vCPU of @cpu after @prev in round-robin order, @prev
 * itself last; NULL if none is runnable.
 */
struct vcpu *sched_pick(struct percpu *cpu, struct vcpu *prev);
/* Makes another CPU look at its pending work soon (this CPU: before its next entry). */
void sched_kick(struct percpu *cpu, u32 work);

/* Each vCPU homed on @cpu, in run-queue order; do not remove any while iterating. */
#define for_each_vcpu_on(cpu, v)         \
	for ((v) = (cpu)->runqueue; (v); \
	     (v) = (v)->next_on_cpu == (cpu)->runqueue ? NULL : (v)->next_on_cpu)

#endif /* HV_CORE_SCHED_H */
