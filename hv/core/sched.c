// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/kick.h>
#include <hv/core/lazy_state.h>
#include <hv/core/lapic.h>
#include <hv/core/sched.h>
#include <hv/core/spinlock.h>
#include <hv/core/trap.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/hw.h>

/* Protects the run queues' links; taken off the fast path only. */
static struct spinlock runqueue_lock = SPINLOCK_INIT;

void sched_kick(struct percpu *cpu, u32 work)
{
	__atomic_fetch_or(&cpu->pending_work, work, __ATOMIC_RELEASE);
	if (cpu != this_cpu())
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

void vcpu_notify(struct vcpu *v, enum vcpu_state blocked, bool now)
{
	struct percpu *cpu = this_cpu();

	__atomic_compare_exchange_n(&v->state, &blocked, VCPU_RUNNABLE, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	if (v->home != cpu || now)
		sched_kick(v->home, PERCPU_WORK_RESCHEDULE);
	else if (cpu->loaded_vcpu)
		vmx_set_time_slice(cpu->loaded_vcpu, true);
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

/* Whether another vCPU than @v is runnable on its CPU: then they share it by time slices. */
static bool cpu_shared(const struct vcpu *v)
{
	const struct vcpu *other;

	for (other = v->next_on_cpu; other != v; other = other->next_on_cpu)
		if (READ_ONCE(other->state) == VCPU_RUNNABLE)
			return true;
	return false;
}

/*
 * An idle CPU holds no EPT table pointer: it counts as quiescent
 * (hv/core/epoch.h). It wakes for work, or for the deadline of a device
 * request one of its vCPUs waits on; without a TSC-deadline timer it
 * does not halt then but looks at the deadlines again.
 */
static void idle(struct percpu *cpu)
{
	u64 deadline = ioreq_earliest_deadline(cpu);

	WRITE_ONCE(cpu->idle, true);
	epoch_reclaim();
	if (!deadline || lapic_timer_arm(deadline))
		cpu_wait_for_work();
	else
		__atomic_fetch_or(&cpu->pending_work, PERCPU_WORK_TIMER, __ATOMIC_RELAXED);
	WRITE_ONCE(cpu->idle, false);
}

struct vcpu *sched_switch(struct vcpu *prev)
{
	struct percpu *cpu = this_cpu();
	struct vcpu *next;

	for (;;) {
		u64 seen = epoch_read();
		u32 work = __atomic_exchange_n(&cpu->pending_work, 0, __ATOMIC_ACQ_REL);

		if (work & PERCPU_WORK_INVEPT)
			epoch_run_invept(cpu);
		/* Deadlines pass only while time slices or the idle timer tick. */
		if (work & PERCPU_WORK_TIMER)
			ioreq_check_timeouts(cpu);
		retire_stopped(cpu);
		next = pick_next(cpu, prev);
		if (next) {
			/* Work that comes after this is seen at the entry (hv/vmx/entry.S). */
			epoch_report(cpu, seen);
			break;
		}
		idle(cpu);
	}
	epoch_reclaim();
	if (!next->vmcs_pa) {
		if (vmx_vcpu_init(next, next->start_eip))
			panic("cannot create the VMCS of a vCPU of %s", next->partition->name);
	} else {
		vmx_vcpu_load(next);
	}
	/* Waiting vCPUs need the CPU back now and then to see their deadlines. */
	vmx_set_time_slice(next, cpu_shared(next) || ioreq_earliest_deadline(cpu));
	lazy_state_switch(cpu, next);
	if (unlikely(READ_ONCE(next->ioreq.answered)))
		ioreq_finish(next);
	if (unlikely(READ_ONCE(next->pending_vector)))
		vmx_deliver_pending_interrupt(next);
	return next;
}

void sched_start(void)
{
	vmx_enter(sched_switch(NULL));
}
