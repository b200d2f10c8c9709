// SPDX-License-Identifier: GPL-2.0
/*
 * The run loop (run.h). run_next() is the loop itself:
 *
 *   cpu_work()      what other CPUs and timers asked of this CPU: INVEPT,
 *                   deadlines, retiring the vCPUs of stopped partitions,
 *                   tearing down partitions whose last vCPU left
 *   sched_pick()    the next runnable vCPU, or idle() until there is one
 *   switch_to()     VMPTRLD (building the VMCS on the first run) and the
 *                   features' switch_in hooks, only when the vCPU changes
 *   set_slice()     the time slice and the earliest deadline on this CPU
 *   run_requests()  the features' pre_entry work, then the event path
 */
#include <hv/core/console.h>
#include <hv/core/feature.h>
#include <hv/core/kick.h>
#include <hv/core/lapic.h>
#include <hv/core/platform.h>
#include <hv/core/run.h>
#include <hv/core/sched.h>
#include <hv/core/vcpu.h>
#include <hv/vmx/vmx.h>
#include <x86/hw.h>

#define TIME_SLICE_MS 10
/* How long a vCPU kicked before it entered keeps the CPU: 50 us of guest time. */
#define GRACE_SLICE_DIVISOR 20U
/*
 * How long an idle CPU polls for work before it halts: about a device
 * request's round trip to a service partition on another CPU, many times
 * over (KVM's halt polling has 200 us too).
 */
#define IDLE_POLL_US 200U

/* The earliest TSC deadline a feature has for @v, 0 if none. */
static u64 vcpu_deadline(const struct vcpu *v)
{
	const struct feature *f;
	u64 earliest = 0;

	for_each_feature(f) {
		u64 d = f->deadline ? f->deadline(v) : 0;

		if (d && (!earliest || d < earliest))
			earliest = d;
	}
	return earliest;
}

static u64 earlier(u64 a, u64 b)
{
	return a && (!b || a < b) ? a : b;
}

void vcpu_set_deadline(struct vcpu *v, u64 tsc)
{
	struct percpu *cpu = v->home;

	/*
	 * @v has a deadline at or before @tsc (often its previous device
	 * request's, which it dropped): this CPU's timer is armed for it (or
	 * for an earlier one), and when it passes the run loop asks the hooks
	 * again, which then say @tsc. Nothing below would change anything.
	 */
	if (v->deadline && v->deadline <= tsc)
		return;
	v->deadline = earlier(v->deadline, tsc);
	cpu->next_deadline = earlier(cpu->next_deadline, tsc);
	/* The vCPU about to enter again: its timer is armed for the new deadline now. */
	if (cpu->loaded_vcpu == v && earlier(tsc, cpu->slice_end) == tsc) {
		u64 now = rdtsc();

		cpu->slice_end = tsc;
		vmx_set_preemption_timer(v, tsc > now ? tsc - now : 0);
	}
}

/* Whether a vCPU other than @v is runnable on @v's CPU. */
static bool cpu_shared(const struct vcpu *v)
{
	const struct vcpu *w;

	for (w = v->next_on_cpu; w != v; w = w->next_on_cpu)
		if (READ_ONCE(w->state) == VCPU_RUNNABLE)
			return true;
	return false;
}

/* Runs the hooks of the deadlines that passed; the others stay, exactly. */
static void run_deadlines(struct percpu *cpu)
{
	const struct feature *f;
	u64 now = rdtsc(), next = 0;
	struct vcpu *v;

	for_each_vcpu_on(cpu, v) {
		if (v->deadline && v->deadline <= now) {
			for_each_feature(f) {
				u64 d = f->deadline ? f->deadline(v) : 0;

				if (d && d <= now)
					f->deadline_passed(v);
			}
			v->deadline = vcpu_deadline(v);
		}
		next = earlier(v->deadline, next);
	}
	cpu->next_deadline = next;
}

/* Takes the vCPUs of stopped partitions off this CPU for good. */
static void retire_stopped(struct percpu *cpu)
{
	struct vcpu *v;

again:
	for_each_vcpu_on(cpu, v) {
		const struct feature *f;

		if (READ_ONCE(v->state) != VCPU_STOPPED)
			continue;
		sched_remove(v);
		if (cpu->turn == v)
			cpu->turn = NULL;
		for_each_feature(f)
			if (f->vcpu_retire)
				f->vcpu_retire(cpu, v);
		vmx_vcpu_retire(v);
		vcpu_set_dead(v);
		partition_vcpu_gone(v->partition);
		/* The queue changed under the iterator: start over. */
		goto again;
	}
}

static void cpu_work(struct percpu *cpu, u32 work)
{
	if (work & PERCPU_WORK_INVEPT)
		epoch_run_invept(cpu);
	if (work & PERCPU_WORK_TIMER)
		run_deadlines(cpu);
	if (work & PERCPU_WORK_RETIRE)
		retire_stopped(cpu);
	if (work & PERCPU_WORK_REAP)
		partition_reap();
}

/*
 * Polls pending_work until work comes, @answered(@v) (if @answered), or
 * IDLE_POLL_US passed or the CPU's earliest deadline; whether work came.
 * While it polls, kicks leave their work without an NMI (sched_kick()):
 * work that comes soon, such as the answer to a device request, costs this
 * CPU neither the NMI nor the wake from HLT, nor the kicker the NMI.
 */
static __always_inline bool poll_for_work(struct percpu *cpu, const struct vcpu *v,
					  bool (*answered)(const struct vcpu *v))
{
	u64 end = earlier(cpu->next_deadline, rdtsc() + tsc_from_us(IDLE_POLL_US));

	__atomic_fetch_or(&cpu->pending_work, PERCPU_POLLING, __ATOMIC_RELAXED);
	while (READ_ONCE(cpu->pending_work) == PERCPU_POLLING && !(answered && answered(v)) &&
	       rdtsc() < end)
		cpu_relax();
	/* A kick whose OR came after this sends its NMI. */
	return __atomic_fetch_and(&cpu->pending_work, ~PERCPU_POLLING, __ATOMIC_ACQ_REL) &
	       ~PERCPU_POLLING;
}

/*
 * An idle CPU holds no EPT table pointer: it counts as quiescent
 * (hv/core/epoch.h). It wakes for work, or for the earliest deadline of
 * its vCPUs; without a TSC-deadline timer it does not halt then but looks
 * at the deadlines again. It polls a while before it halts.
 */
static void idle(struct percpu *cpu)
{
	u64 deadline = cpu->next_deadline;

	WRITE_ONCE(cpu->idle, true);
	epoch_reclaim();
	if (poll_for_work(cpu, NULL, NULL))
		goto out;
	if (!deadline || lapic_timer_arm(deadline))
		cpu_wait_for_work();
	else
		__atomic_fetch_or(&cpu->pending_work, PERCPU_WORK_TIMER, __ATOMIC_RELAXED);
out:
	WRITE_ONCE(cpu->idle, false);
}

/* The features' switch_in hooks, gathered at boot: every vCPU switch runs them. */
static void (*switch_in_hooks[NR_FEATURES_MAX])(struct percpu *cpu, struct vcpu *next);
static u32 nr_switch_in_hooks;

void run_init(void)
{
	const struct feature *f;

	for_each_feature(f) {
		if (f - __start_hv_features >= NR_FEATURES_MAX)
			panic("more than %u features", NR_FEATURES_MAX);
		if (f->switch_in)
			switch_in_hooks[nr_switch_in_hooks++] = f->switch_in;
	}
}

static void switch_to(struct percpu *cpu, struct vcpu *next)
{
	const struct feature *f;
	u32 i;

	if (!next->vmcs_built) {
		vmx_vcpu_setup(next);
		for_each_feature(f)
			if (f->vmcs_init)
				f->vmcs_init(next);
	} else {
		vmx_vcpu_load(next);
	}
	for (i = 0; i < nr_switch_in_hooks; i++)
		switch_in_hooks[i](cpu, next);
}

/*
 * Arms @next's VMX-preemption timer for the end of the turn when another
 * vCPU is runnable here (@grace: at most a grace slice from now), and for
 * the earliest deadline of this CPU's vCPUs, which is checked then.
 */
static void set_slice(struct percpu *cpu, struct vcpu *next, u64 now, bool grace)
{
	u64 end = 0;

	if (cpu_shared(next))
		end = grace ? MIN(cpu->turn_end, now + tsc_khz / GRACE_SLICE_DIVISOR) :
			      cpu->turn_end;
	end = earlier(cpu->next_deadline, end);
	cpu->slice_end = end;
	vmx_set_preemption_timer(next, end ? (end > now ? end - now : 0) : VMX_NO_PREEMPTION);
}

static __always_inline void run_requests(struct vcpu *v)
{
	u32 requests = __atomic_exchange_n(&v->requests, 0, __ATOMIC_ACQ_REL);
	u32 features = requests & ~VCPU_REQUEST_EVENT;

	while (features) {
		u32 bit = __builtin_ctz(features);

		__start_hv_features[bit - 1].pre_entry(v);
		features &= features - 1;
	}
	/* Also when a pre_entry hook asked for it just now. */
	if ((requests & VCPU_REQUEST_EVENT) ||
	    (unlikely(READ_ONCE(v->requests) & VCPU_REQUEST_EVENT) &&
	     (__atomic_fetch_and(&v->requests, ~VCPU_REQUEST_EVENT, __ATOMIC_ACQ_REL) &
	      VCPU_REQUEST_EVENT)))
		vmx_deliver_events(v);
}

static bool runnable_here(const struct vcpu *v, const struct percpu *cpu)
{
	return v && READ_ONCE(v->state) == VCPU_RUNNABLE && v->home == cpu;
}

/*
 * The vCPU to enter. Turns go round robin: the vCPU whose turn it is runs
 * until the turn ends or it cannot run any more. A wake for a waiting
 * caller (vcpu_wake() with @yield) makes the woken vCPU run next, within
 * the same turn, so two vCPUs that hand work back and forth cannot keep a
 * third one from its turn. @keep (its entry found work to do) goes on, but
 * gives way to such a vCPU once it entered the guest in this pick; before
 * that it enters for a grace slice (*@grace), since kicks that come as
 * often as it is picked would otherwise starve it.
 */
static struct vcpu *pick(struct percpu *cpu, struct vcpu *keep, u64 now, bool *grace)
{
	struct vcpu *hint = READ_ONCE(cpu->yield_to), *next;
	bool keep_ran = keep && keep->slice_exits_left != SLICE_EXITS;

	*grace = false;
	if (runnable_here(keep, cpu) && (!runnable_here(hint, cpu) || !keep_ran)) {
		*grace = runnable_here(hint, cpu) && hint != keep;
		return keep;
	}
	hint = __atomic_exchange_n(&cpu->yield_to, NULL, __ATOMIC_ACQ_REL);
	if (runnable_here(hint, cpu))
		return hint;
	if (runnable_here(cpu->turn, cpu) && now < cpu->turn_end)
		return cpu->turn;
	next = sched_pick(cpu, cpu->turn);
	if (next) {
		cpu->turn = next;
		cpu->turn_end = now + tsc_khz * TIME_SLICE_MS;
	}
	return next;
}

static struct vcpu *run_loop(struct vcpu *keep)
{
	struct percpu *cpu = this_cpu();
	struct vcpu *next;
	bool grace;
	u64 now;

again:
	for (;;) {
		u64 seen = epoch_read();
		u32 work = __atomic_exchange_n(&cpu->pending_work, 0, __ATOMIC_ACQ_REL);

		if (work & ~PERCPU_WORK_RESCHEDULE)
			cpu_work(cpu, work);
		now = rdtsc();
		next = pick(cpu, keep, now, &grace);
		if (next) {
			/* Work that comes after this is seen at the entry (hv/vmx/entry.S). */
			epoch_report(cpu, seen);
			break;
		}
		idle(cpu);
	}
	epoch_reclaim();
	if (next != cpu->loaded_vcpu)
		switch_to(cpu, next);
	set_slice(cpu, next, now, grace);
	if (next != keep)
		next->slice_exits_left = SLICE_EXITS;
	if (READ_ONCE(next->requests)) {
		run_requests(next);
		/* A request may end its run (an INIT: it waits for a SIPI now). */
		if (unlikely(READ_ONCE(next->state) != VCPU_RUNNABLE)) {
			keep = NULL;
			goto again;
		}
	}
	return next;
}

struct vcpu *run_next(void)
{
	return run_loop(NULL);
}

/* Work for the CPU (a kick, the vCPU's own requests) does not end the vCPU's turn. */
struct vcpu *run_pending(struct vcpu *v)
{
	return run_loop(v);
}

enum run_wait run_wait_here(struct vcpu *v, bool (*answered)(const struct vcpu *v))
{
	struct percpu *cpu = this_cpu();
	struct vcpu *self = v;

	if (cpu_shared(v))
		return RUN_WAIT_GAVE_UP;
	if (!poll_for_work(cpu, v, answered))
		return answered(v) ? RUN_WAIT_ANSWERED : RUN_WAIT_GAVE_UP;
	if (READ_ONCE(v->state) != VCPU_RUNNABLE)
		return RUN_WAIT_GAVE_UP;
	/*
	 * The wake's kick asks for a pick, which can only give @v while no
	 * other vCPU here is runnable. Its kick is taken back first: a vCPU
	 * woken before is seen runnable below, one woken after kicks again.
	 */
	__atomic_fetch_and(&cpu->pending_work, ~PERCPU_WORK_RESCHEDULE, __ATOMIC_ACQ_REL);
	__atomic_compare_exchange_n(&cpu->yield_to, &self, NULL, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_RELAXED);
	if (cpu_shared(v))
		return RUN_WAIT_GAVE_UP;
	if (READ_ONCE(v->requests))
		run_requests(v);
	return READ_ONCE(v->state) == VCPU_RUNNABLE ? RUN_WAIT_WOKEN : RUN_WAIT_GAVE_UP;
}

struct vcpu *run_slice_over(struct vcpu *v)
{
	/* Deadlines may have passed meanwhile. */
	__atomic_fetch_or(&this_cpu()->pending_work, PERCPU_WORK_TIMER, __ATOMIC_RELAXED);
	return run_next();
}

bool vcpu_wake(struct vcpu *v, enum vcpu_state blocked, bool yield)
{
	struct percpu *cpu = this_cpu();

	if (!vcpu_unblock(v, blocked))
		return false;
	if (yield)
		run_yield_to(v);
	else if (v->home != cpu)
		sched_kick(v->home, PERCPU_WORK_RESCHEDULE);
	else if (cpu->loaded_vcpu && !cpu->loaded_vcpu->time_sliced)
		set_slice(cpu, cpu->loaded_vcpu, rdtsc(), false);
	return true;
}

void run_yield_to(struct vcpu *v)
{
	WRITE_ONCE(v->home->yield_to, v);
	sched_kick(v->home, PERCPU_WORK_RESCHEDULE);
}

void run_start(void)
{
	vmx_enter(run_next());
}
