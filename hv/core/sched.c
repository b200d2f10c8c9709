// SPDX-License-Identifier: GPL-2.0
#include <hv/core/lapic.h>
#include <hv/core/sched.h>
#include <hv/core/spinlock.h>
#include <x86/hw.h>

/* Protects the run queues' links; taken off the fast path only. */
static struct spinlock runqueue_lock = SPINLOCK_INIT;

void sched_kick(struct percpu *cpu, u32 work)
{
	if (cpu == this_cpu()) {
		__atomic_fetch_or(&cpu->pending_work, work, __ATOMIC_RELEASE);
		return;
	}
	if (!(__atomic_fetch_or(&cpu->pending_work, work, __ATOMIC_RELEASE) & PERCPU_POLLING))
		lapic_send_nmi(cpu->apic_id);
}

void sched_add(struct vcpu *v)
{
	struct percpu *cpu = v->home;

	spin_lock(&runqueue_lock);
	if (cpu->runqueue) {
		v->next_on_cpu = cpu->runqueue->next_on_cpu;
		cpu->runqueue->next_on_cpu = v;
	} else {
		v->next_on_cpu = v;
		cpu->runqueue = v;
	}
	spin_unlock(&runqueue_lock);
	sched_kick(cpu, PERCPU_WORK_RESCHEDULE);
}

void sched_remove(struct vcpu *v)
{
	struct percpu *cpu = v->home;
	struct vcpu *prev = cpu->runqueue;

	spin_lock(&runqueue_lock);
	while (prev->next_on_cpu != v)
		prev = prev->next_on_cpu;
	prev->next_on_cpu = v->next_on_cpu;
	if (cpu->runqueue == v)
		cpu->runqueue = v->next_on_cpu == v ? NULL : v->next_on_cpu;
	spin_unlock(&runqueue_lock);
}

struct vcpu *sched_pick(struct percpu *cpu, struct vcpu *prev)
{
	struct vcpu *start, *v;

	if (!cpu->runqueue)
		return NULL;
	start = prev && prev->home == cpu && READ_ONCE(prev->state) != VCPU_DEAD ?
			prev->next_on_cpu :
			cpu->runqueue;
	v = start;
	do {
		if (READ_ONCE(v->state) == VCPU_RUNNABLE)
			return v;
		v = v->next_on_cpu;
	} while (v != start);
	return NULL;
}
