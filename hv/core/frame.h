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

/* One zeroed page for hv's own use; panics when memory is exhausted. */
void *page_alloc_zeroed(void);
void page_free(void *va);

#endif /* HV_CORE_FRAME_H */
