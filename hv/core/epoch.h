/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Epochs: RCU-like deferred freeing of EPT table pages, and the wait that
 * makes an EPT change take effect on every CPU.
 *
 * A table page unlinked from an EPT may still be read: by a fault handler on
 * another CPU that walked into it before the unlink, and by a CPU's cached
 * EPT paging structures until that CPU executes INVEPT. So unlinked pages are
 * tagged with a new global epoch and freed only once every CPU has since
 * passed a quiescent state: a point where it holds no pointer into an EPT.
 * Those points are every VM entry (run_resume(), run_next()), idle,
 * and the waits below.
 *
 * Ordering (x86-TSO, SDM Vol. 3A 9.2.2): a CPU reads the global epoch
 * before it reads its pending work; whoever wants a CPU to INVEPT sets the
 * pending bit before advancing the epoch. A CPU that reports an epoch >= E
 * has therefore seen every INVEPT request made before E and executed it
 * before entering its guest.
 */
#ifndef HV_CORE_EPOCH_H
#define HV_CORE_EPOCH_H

#include <hv/core/percpu.h>
#include <types.h>

extern u64 global_epoch;

static inline u64 epoch_read(void)
{
	return READ_ONCE(global_epoch);
}

/*
 * A quiescent point: @cpu holds no EPT table pointer it obtained before it
 * read @seen with epoch_read(). A plain store: x86 does not reorder it
 * with the loads before it.
 */
static inline void epoch_report(struct percpu *cpu, u64 seen)
{
	WRITE_ONCE(cpu->quiescent_epoch, seen);
}

/*
 * For a CPU that waits for others while it holds no EPT table pointer: runs
 * its own pending INVEPT and reports a quiescent state, so that CPUs waiting
 * for it in turn make progress. Call in every spin loop of such a CPU.
 */
void epoch_relax(void);

/*
 * Waits until every CPU in @cpus (a mask of cpu_ids) has passed a quiescent
 * state after this call began, kicking those that run a guest. The caller
 * holds no EPT table pointer. Idle CPUs count as quiescent.
 */
void epoch_synchronize(u64 cpus);

/*
 * Makes every CPU in @cpus drop its translations derived from EPT @eptp
 * before it next enters a guest (this CPU at once), and waits until that
 * holds: when this returns, no CPU in @cpus uses one from before the call.
 */
void epoch_flush_ept(u64 cpus, u64 eptp);

/*
 * The first half of epoch_flush_ept(), without the wait: a CPU in @cpus
 * that reports an epoch advanced after this call has dropped its EPT-derived
 * translations (and its cached pointers to EPT tables) from before it.
 */
void epoch_request_flush(u64 cpus, u64 eptp);

/*
 * Runs the INVEPT other CPUs asked this one for: single-context for the one
 * EPT they named when the CPU offers it, else all-context.
 */
void epoch_run_invept(struct percpu *cpu);

/*
 * Frees @n pages the caller has just unlinked, once every CPU in @cpus (the
 * ones that may still reach them; the caller's CPU is added) has passed a
 * quiescent state. Before the frame allocator gets them back they are filled
 * with EPOCH_PAGE_POISON. EPT tables stay reachable through the
 * paging-structure caches of the CPUs that used them: call
 * epoch_request_flush() for those CPUs first.
 */
void epoch_defer_free(const u64 *pages, unsigned int n, u64 cpus);

/* Frees the deferred pages no CPU can reach any more; one load when there are none. */
extern u32 deferred_count;
void epoch_reclaim_deferred(void);

static inline void epoch_reclaim(void)
{
	if (unlikely(READ_ONCE(deferred_count)))
		epoch_reclaim_deferred();
}

/*
 * Freed pages are filled with this: as an EPT entry it is present with a
 * reserved memory type, so a CPU walking a freed table takes an EPT
 * misconfiguration exit instead of translating through garbage, and
 * software walkers can recognize it.
 */
#define EPOCH_PAGE_POISON 0xdead00000000ba17ULL

struct epoch_stats {
	u64 epoch; /* the global epoch */
	u64 pending; /* pages waiting for their grace period */
	u64 freed; /* pages returned to the allocator since boot */
};

void epoch_get_stats(struct epoch_stats *stats);

#endif /* HV_CORE_EPOCH_H */
