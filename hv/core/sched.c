// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/lazy_state.h>
#include <hv/core/lapic.h>
#include <hv/core/sched.h>
#include <hv/core/spinlock.h>
#include <hv/core/trap.h>
#include <hv/vmx/vmx.h>
#include <x86/hw.h>

/* Protects the run queues' links; taken off the fast path only. */
static struct spinlock runqueue_lock = SPINLOCK_INIT;

void sched_kick(struct percpu *cpu, u32 work)
{
	__atomic_fetch_or(&cpu->pending_work, work, __ATOMIC_RELEASE);
	if (cpu != this_cpu())
		lapic_send_ipi(cpu->apic_id, VECTOR_KICK);
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

void vcpu_wake(struct vcpu *v)
{
	enum vcpu_state blocked = VCPU_BLOCKED_HLT;

	if (__atomic_compare_exchange_n(&v->state, &blocked, VCPU_RUNNABLE, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		sched_kick(v->home, PERCPU_WORK_RESCHEDULE);
}

static void unlink(struct percpu *cpu, struct vcpu *v)
{
	struct vcpu *prev = cpu->runqueue;

	spin_lock(&runqueue_lock);
	while (prev->next_on_cpu != v)
		prev = prev->next_on_cpu;
	prev->next_on_cpu = v->next_on_cpu;
	if (cpu->runqueue == v)
		cpu->runqueue = v->next_on_cpu == v ? NULL : v->next_on_cpu;
	spin_unlock(&runqueue_lock);
}

/* Takes the vCPUs of stopped partitions off this CPU for good. */
static void retire_stopped(struct percpu *cpu)
{
	struct vcpu *v = cpu->runqueue, *first = v;

	while (v) {
		struct vcpu *next = v->next_on_cpu;

		if (READ_ONCE(v->state) == VCPU_STOPPED) {
			unlink(cpu, v);
			lazy_state_forget(cpu, v);
			vcpu_retire(v);
			/* The queue changed under us: start over. */
			v = first = cpu->runqueue;
			continue;
		}
		v = next == first ? NULL : next;
	}
}

/* The next runnable vCPU after @prev in round-robin order, @prev itself last. */
static struct vcpu *pick_next(struct percpu *cpu, struct vcpu *prev)
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

static void idle(struct percpu *cpu)
{
	WRITE_ONCE(cpu->idle, true);
	if (!READ_ONCE(cpu->pending_work))
		irq_enable_and_halt();
	irq_disable();
	WRITE_ONCE(cpu->idle, false);
}

struct vcpu *sched_switch(struct vcpu *prev)
{
	struct percpu *cpu = this_cpu();
	struct vcpu *next;

	for (;;) {
		__atomic_exchange_n(&cpu->pending_work, 0, __ATOMIC_ACQ_REL);
		retire_stopped(cpu);
		next = pick_next(cpu, prev);
		if (next)
			break;
		idle(cpu);
	}
	if (!next->vmcs_pa) {
		if (vmx_vcpu_init(next, next->start_eip))
			panic("cannot create the VMCS of a vCPU of %s", next->partition->name);
	} else {
		vmx_vcpu_load(next);
	}
	lazy_state_switch(cpu, next);
	return next;
}

void sched_start(void)
{
	vmx_enter(sched_switch(NULL));
}
