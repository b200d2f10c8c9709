/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The surroundings hv/ept and hv/core/epoch need on the host, which hv gets
 * from hv/core/mm.c, hv/core/cpu.c and hv/core/sched.c: a physical memory
 * (a host buffer behind model_phys_base) with hv's frame pool over it, the
 * per-CPU areas, and sched_kick(). Shared by the EPT tests.
 *
 * Every allocation and free of the pool is watched (the tests link with
 * --wrap=frame_pool_alloc,--wrap=frame_pool_free): each frame has a
 * generation that counts its allocations and frees, odd while allocated.
 * A reader that notes the generation when it takes a pointer to a page can
 * tell later whether the page was freed (and perhaps reused) meanwhile.
 * Freeing a frame that is not allocated aborts the test.
 */
#ifndef TESTS_MODEL_EPT_ENV_H
#define TESTS_MODEL_EPT_ENV_H

#include <hv/core/percpu.h>
#include <types.h>

/* The model's physical memory: [0, EPT_ENV_PHYS_SIZE); the pool starts at 1 MiB. */
#define EPT_ENV_PHYS_SIZE (64 * MiB)

/*
 * A fresh pool over the whole physical memory (its contents are kept) and
 * @nr CPUs, all online, none idle, none with pending work; the calling
 * thread runs on CPU 0. Call with no deferred page pending in hv/core/epoch.
 */
void ept_env_reset(u32 nr);

/* Makes the calling thread run on CPU @id. */
void ept_env_run_on(u32 id);

/* The pool's free frames now. */
u64 ept_env_nr_free(void);

/* Generation of the frame holding @pa: odd while allocated. */
u32 ept_env_frame_gen(u64 pa);

static inline bool ept_env_gen_allocated(u32 gen)
{
	return gen & 1;
}

/*
 * Called by sched_kick() after it set @work in @cpu's pending_work, in the
 * kicking thread: a single-threaded test uses it to run the kicked CPU's
 * side. NULL: the kicked CPU polls its pending_work (threads as CPUs).
 */
extern void (*ept_env_kick_hook)(struct percpu *cpu, u32 work);

#endif /* TESTS_MODEL_EPT_ENV_H */
