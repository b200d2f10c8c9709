// SPDX-License-Identifier: GPL-2.0
/*
 * Epochs (see epoch.h). The deferred pages wait in one ring, in the order
 * they were retired, so their epochs only grow from head to tail: reclaiming
 * pops from the head while the head's epoch is one every CPU has passed.
 */
#include <hv/core/epoch.h>
#include <hv/core/frame.h>
#include <hv/core/sched.h>
#include <hv/core/spinlock.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/hw.h>

#define DEFERRED_MAX 4096U

struct deferred_page {
	u64 pa;
	u64 epoch; /* freeable once every CPU in @cpus reported this epoch or a later one */
	u64 cpus;
};

u64 global_epoch = 1;

static struct deferred_page deferred[DEFERRED_MAX];
static u32 deferred_head;
u32 deferred_count;
static u64 deferred_freed;
static struct spinlock deferred_lock = SPINLOCK_INIT;

static u64 epoch_advance(void)
{
	return __atomic_add_fetch(&global_epoch, 1, __ATOMIC_SEQ_CST);
}

/* Whether @cpu has been quiescent since @target began (or holds nothing now). */
static bool cpu_passed(const struct percpu *cpu, u64 target)
{
	return !READ_ONCE(cpu->online) || READ_ONCE(cpu->idle) ||
	       READ_ONCE(cpu->quiescent_epoch) >= target;
}

void epoch_relax(void)
{
	struct percpu *self = this_cpu();
	u64 seen = epoch_read();

	if (READ_ONCE(self->pending_work) & PERCPU_WORK_INVEPT) {
		__atomic_fetch_and(&self->pending_work, ~(u32)PERCPU_WORK_INVEPT, __ATOMIC_ACQ_REL);
		epoch_run_invept(self);
	}
	epoch_report(self, seen);
	cpu_relax();
}

static void wait_for(u64 cpus, u64 target)
{
	u64 kicked = 0;
	u32 i;

	/* Only CPUs that exist pass quiescent states: ~0ULL means all of them. */
	cpus &= GENMASK(nr_cpus - 1, 0);
	while (cpus) {
		for (i = 0; i < nr_cpus; i++) {
			struct percpu *cpu = &percpu_area[i];

			if (!(cpus & BIT(i)))
				continue;
			if (cpu_passed(cpu, target)) {
				cpus &= ~BIT(i);
			} else if (!(kicked & BIT(i))) {
				sched_kick(cpu, PERCPU_WORK_RESCHEDULE);
				kicked |= BIT(i);
			}
		}
		epoch_relax();
	}
}

void epoch_synchronize(u64 cpus)
{
	struct percpu *self = this_cpu();
	u64 target = epoch_advance();

	epoch_report(self, target);
	wait_for(cpus & ~BIT(self->cpu_id), target);
}

static void invept_one(u64 eptp)
{
	if (vmx_caps.invept_single && eptp != INVEPT_EPTP_ALL)
		invept(INVEPT_SINGLE_CONTEXT, eptp);
	else
		invept(INVEPT_ALL_CONTEXT, 0);
}

/* Asks @cpu to flush @eptp too: a second, different EPT makes it all of them. */
static void add_invept(struct percpu *cpu, u64 eptp)
{
	u64 old = 0;

	if (!__atomic_compare_exchange_n(&cpu->invept_eptp, &old, eptp, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST) &&
	    old != eptp)
		__atomic_store_n(&cpu->invept_eptp, INVEPT_EPTP_ALL, __ATOMIC_SEQ_CST);
	__atomic_fetch_or(&cpu->pending_work, PERCPU_WORK_INVEPT, __ATOMIC_SEQ_CST);
}

void epoch_run_invept(struct percpu *cpu)
{
	u64 eptp = __atomic_exchange_n(&cpu->invept_eptp, 0, __ATOMIC_ACQ_REL);

	/* 0: a flush made for an earlier request covered this one. */
	if (eptp)
		invept_one(eptp);
}

void epoch_request_flush(u64 cpus, u64 eptp)
{
	struct percpu *self = this_cpu();
	u32 i;

	/* The request comes before the epoch advance (see epoch.h). */
	for (i = 0; i < nr_cpus; i++)
		if ((cpus & BIT(i)) && &percpu_area[i] != self)
			add_invept(&percpu_area[i], eptp);
	invept_one(eptp);
}

void epoch_flush_ept(u64 cpus, u64 eptp)
{
	epoch_request_flush(cpus, eptp);
	epoch_synchronize(cpus);
}

static bool all_passed(u64 cpus, u64 target)
{
	u32 i;

	for (i = 0; i < nr_cpus; i++)
		if ((cpus & BIT(i)) && !cpu_passed(&percpu_area[i], target))
			return false;
	return true;
}

static void free_page_poisoned(u64 pa)
{
	u64 *p = phys_to_virt(pa);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(u64); i++)
		WRITE_ONCE(p[i], EPOCH_PAGE_POISON);
	frame_free(pa, 1);
}

void epoch_reclaim_deferred(void)
{
	spin_lock(&deferred_lock);
	/* In retirement order: a page that must wait holds back the ones after it. */
	while (deferred_count &&
	       all_passed(deferred[deferred_head].cpus, deferred[deferred_head].epoch)) {
		free_page_poisoned(deferred[deferred_head].pa);
		deferred_head = (deferred_head + 1) % DEFERRED_MAX;
		deferred_count--;
		deferred_freed++;
	}
	spin_unlock(&deferred_lock);
}

void epoch_defer_free(const u64 *pages, unsigned int n, u64 cpus)
{
	u64 tag = epoch_advance(); /* after the caller's unlinks */
	unsigned int i;

	cpus |= BIT(this_cpu()->cpu_id);
	spin_lock(&deferred_lock);
	while (deferred_count + n > DEFERRED_MAX) {
		/* Full: wait out a grace period for everything queued, then free it. */
		spin_unlock(&deferred_lock);
		epoch_synchronize(~0ULL);
		epoch_reclaim();
		spin_lock(&deferred_lock);
	}
	for (i = 0; i < n; i++) {
		u32 slot = (deferred_head + deferred_count) % DEFERRED_MAX;

		deferred[slot] = (struct deferred_page){ pages[i], tag, cpus };
		deferred_count++;
	}
	spin_unlock(&deferred_lock);
}

void epoch_get_stats(struct epoch_stats *stats)
{
	spin_lock(&deferred_lock);
	stats->epoch = epoch_read();
	stats->pending = deferred_count;
	stats->freed = deferred_freed;
	spin_unlock(&deferred_lock);
}
