// SPDX-License-Identifier: GPL-2.0
/* See ept_env.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <boot/boot_info.h>
#include <hv/core/frame.h>
#include <hv/core/epoch.h>
#include <hv/core/sched.h>
#include <x86/hw.h>

#include "ept_env.h"

#define NR_FRAMES (EPT_ENV_PHYS_SIZE / PAGE_SIZE)

/* What hv/core/mm.c, hv/core/cpu.c and hv/core/sched.c provide in hv. */
struct frame_pool frames;
struct percpu percpu_area[MAX_CPUS];
u32 nr_cpus;

void (*ept_env_kick_hook)(struct percpu *cpu, u32 work);

static void *phys_mem;
static u64 *bitmap;
static u32 frame_gen[NR_FRAMES];

u64 __real_frame_pool_alloc(struct frame_pool *pool, u64 count, u64 align);
void __real_frame_pool_free(struct frame_pool *pool, u64 pa, u64 count);

static void frames_changed(u64 pa, u64 count, bool now_allocated)
{
	u64 f;

	for (f = pa / PAGE_SIZE; f < pa / PAGE_SIZE + count; f++) {
		u32 gen;

		if (f >= NR_FRAMES) {
			fprintf(stderr, "ept_env: frame 0x%llx outside the memory\n",
				(unsigned long long)(f * PAGE_SIZE));
			abort();
		}
		gen = __atomic_add_fetch(&frame_gen[f], 1, __ATOMIC_SEQ_CST);
		if (ept_env_gen_allocated(gen) != now_allocated) {
			fprintf(stderr, "ept_env: frame 0x%llx %s twice\n",
				(unsigned long long)(f * PAGE_SIZE),
				now_allocated ? "allocated" : "freed");
			abort();
		}
	}
}

u64 __wrap_frame_pool_alloc(struct frame_pool *pool, u64 count, u64 align)
{
	u64 pa = __real_frame_pool_alloc(pool, count, align);

	if (pa && pool == &frames)
		frames_changed(pa, count, true);
	return pa;
}

/* The generation changes before the pool can hand the frame out again. */
void __wrap_frame_pool_free(struct frame_pool *pool, u64 pa, u64 count)
{
	if (pool == &frames)
		frames_changed(pa, count, false);
	__real_frame_pool_free(pool, pa, count);
}

void sched_kick(struct percpu *cpu, u32 work)
{
	__atomic_fetch_or(&cpu->pending_work, work, __ATOMIC_SEQ_CST);
	if (ept_env_kick_hook)
		ept_env_kick_hook(cpu, work);
}

void ept_env_reset(u32 nr)
{
	static struct boot_info bi;
	u32 i;

	if (!phys_mem) {
		phys_mem = aligned_alloc(PAGE_SIZE, EPT_ENV_PHYS_SIZE);
		bitmap = malloc(frame_bitmap_bytes(EPT_ENV_PHYS_SIZE));
		if (!phys_mem || !bitmap)
			abort();
		model_phys_base = (uintptr_t)phys_mem;
	}
	bi.nr_mem_ranges = 1;
	bi.mem[0] = (struct boot_mem_range){ 0, EPT_ENV_PHYS_SIZE, BOOT_MEM_USABLE, 0 };
	memset(&frames, 0, sizeof(frames));
	frame_pool_init(&frames, bitmap, EPT_ENV_PHYS_SIZE, &bi, NULL, 0);
	memset(frame_gen, 0, sizeof(frame_gen));

	memset(percpu_area, 0, sizeof(percpu_area));
	nr_cpus = nr;
	for (i = 0; i < nr; i++) {
		percpu_area[i].self = &percpu_area[i];
		percpu_area[i].cpu_id = i;
		percpu_area[i].online = true;
		percpu_area[i].quiescent_epoch = epoch_read();
	}
	ept_env_kick_hook = NULL;
	ept_env_run_on(0);
}

void ept_env_run_on(u32 id)
{
	model_gs_self = &percpu_area[id];
}

u64 ept_env_nr_free(void)
{
	return __atomic_load_n(&frames.nr_free, __ATOMIC_ACQUIRE);
}

u32 ept_env_frame_gen(u64 pa)
{
	if (pa >= EPT_ENV_PHYS_SIZE)
		return 0;
	return __atomic_load_n(&frame_gen[pa / PAGE_SIZE], __ATOMIC_SEQ_CST);
}
