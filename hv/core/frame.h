/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical frame allocator: one bit per 4 KiB frame of [0, limit), set when
 * the frame is not free. The pool logic is independent of how the bitmap is
 * stored so host tests run it over a fake memory map.
 */
#ifndef HV_CORE_FRAME_H
#define HV_CORE_FRAME_H

#include <boot/boot_info.h>
#include <hv/core/spinlock.h>
#include <types.h>

#define PAGE_SIZE 4096ULL
#define PAGE_SHIFT 12
#define PAGE_MASK (~(PAGE_SIZE - 1))

struct phys_range {
	u64 start;
	u64 end; /* exclusive */
};

struct frame_pool {
	u64 *bitmap;
	u64 nr_frames; /* frames the bitmap covers, from physical address 0 */
	u64 nr_free;
	u64 nr_usable; /* free at init: the pool's size */
	u64 hint; /* a frame index below which no single frame is free */
	struct spinlock lock;
};

/* Bytes of bitmap needed to cover [0, @limit). */
static inline u64 frame_bitmap_bytes(u64 limit)
{
	return ALIGN_UP(limit >> PAGE_SHIFT, 64) / 8;
}

/*
 * Marks the usable ranges of @bi below @limit free, except the low 1 MiB and
 * @exclude (hv's image, modules, ...). @bitmap holds frame_bitmap_bytes(limit).
 */
void frame_pool_init(struct frame_pool *pool, u64 *bitmap, u64 limit, const struct boot_info *bi,
		     const struct phys_range *exclude, unsigned int nr_exclude);

/* @count contiguous frames, the first aligned to @align bytes. 0 when none. */
u64 frame_pool_alloc(struct frame_pool *pool, u64 count, u64 align);
void frame_pool_free(struct frame_pool *pool, u64 pa, u64 count);

/* hv's pool (hv/core/mm.c). */
extern struct frame_pool frames;

static inline u64 frame_alloc(u64 count, u64 align)
{
	return frame_pool_alloc(&frames, count, align);
}

static inline void frame_free(u64 pa, u64 count)
{
	frame_pool_free(&frames, pa, count);
}

/*
 * A bound on the frames a partition holds in hv's own structures (EPT
 * tables, page-type arrays, VMCSs, bitmaps, FPU areas): whatever a guest
 * makes hv allocate for it ends there, and only that partition fails.
 * Charged and released with atomics: EPT faults allocate without a lock.
 */
struct frame_quota {
	u64 used; /* frames charged now */
	u64 limit; /* the bound */
	bool refused; /* an allocation was refused for the bound (for messages) */
};

/* Frames charged to @q leave its account without being freed here (the epoch code frees them). */
static inline void frame_quota_release(struct frame_quota *q, u64 count)
{
	if (q)
		__atomic_sub_fetch(&q->used, count, __ATOMIC_RELAXED);
}

/* As frame_alloc(), charged to @q (NULL: no bound); 0 over the bound or without memory. */
static inline u64 frame_alloc_charged(struct frame_quota *q, u64 count, u64 align)
{
	u64 pa;

	if (q && __atomic_add_fetch(&q->used, count, __ATOMIC_RELAXED) > q->limit) {
		frame_quota_release(q, count);
		WRITE_ONCE(q->refused, true);
		return 0;
	}
	pa = frame_alloc(count, align);
	if (!pa)
		frame_quota_release(q, count);
	return pa;
}

/* Frees frames frame_alloc_charged() gave for @q. */
static inline void frame_free_charged(struct frame_quota *q, u64 pa, u64 count)
{
	frame_free(pa, count);
	frame_quota_release(q, count);
}

/* One zeroed page for hv's own use; panics when memory is exhausted. */
void *page_alloc_zeroed(void);
void page_free(void *va);

#endif /* HV_CORE_FRAME_H */
