// SPDX-License-Identifier: GPL-2.0
#include <hv/core/frame.h>
#include <hv/lib/string.h>

#define LOW_MEMORY_END (1 * MiB)
#define BITS_PER_WORD 64U

static bool frame_used(const struct frame_pool *p, u64 f)
{
	return p->bitmap[f / BITS_PER_WORD] & BIT(f % BITS_PER_WORD);
}

static void mark(struct frame_pool *p, u64 f, u64 count, bool used)
{
	for (; count; f++, count--) {
		u64 *w = &p->bitmap[f / BITS_PER_WORD];

		if (used)
			*w |= BIT(f % BITS_PER_WORD);
		else
			*w &= ~BIT(f % BITS_PER_WORD);
	}
}

/* The end of a map range, saturated: a bogus length may run past 2^64. */
static u64 range_end(const struct boot_mem_range *r)
{
	return r->length > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->length;
}

/* The first frame starting at or above @pa, without wrapping at the top. */
static u64 frame_up(u64 pa)
{
	return (pa >> PAGE_SHIFT) + !IS_ALIGNED(pa, PAGE_SIZE);
}

static u64 usable_end(const struct boot_info *bi)
{
	u64 end = 0;
	u32 i;

	for (i = 0; i < bi->nr_mem_ranges; i++) {
		const struct boot_mem_range *r = &bi->mem[i];

		if (r->type == BOOT_MEM_USABLE && range_end(r) > end)
			end = range_end(r);
	}
	return ALIGN_DOWN(end, PAGE_SIZE);
}

static void reserve(struct frame_pool *p, u64 start, u64 end)
{
	u64 first = start >> PAGE_SHIFT;
	u64 last = MIN(frame_up(end), p->nr_frames);

	if (first < last)
		mark(p, first, last - first, true);
}

void frame_pool_init(struct frame_pool *p, u64 *bitmap, u64 limit, const struct boot_info *bi,
		     const struct phys_range *exclude, unsigned int nr_exclude)
{
	u64 f;
	u32 i;

	p->bitmap = bitmap;
	p->nr_frames = MIN(usable_end(bi), ALIGN_DOWN(limit, PAGE_SIZE)) >> PAGE_SHIFT;
	p->hint = 0;
	p->lock = (struct spinlock)SPINLOCK_INIT;
	memset(bitmap, 0xff, ALIGN_UP(p->nr_frames, BITS_PER_WORD) / 8);

	/* Free what is usable, then take back whatever any other range claims. */
	for (i = 0; i < bi->nr_mem_ranges; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		u64 first = frame_up(r->base);
		u64 last = MIN(range_end(r) >> PAGE_SHIFT, p->nr_frames);

		if (r->type == BOOT_MEM_USABLE && first < last)
			mark(p, first, last - first, false);
	}
	for (i = 0; i < bi->nr_mem_ranges; i++)
		if (bi->mem[i].type != BOOT_MEM_USABLE)
			reserve(p, bi->mem[i].base, range_end(&bi->mem[i]));
	reserve(p, 0, LOW_MEMORY_END);
	for (i = 0; i < nr_exclude; i++)
		reserve(p, exclude[i].start, exclude[i].end);

	p->nr_free = 0;
	for (f = 0; f < p->nr_frames; f++)
		p->nr_free += !frame_used(p, f);
	p->nr_usable = p->nr_free;
}

u64 frame_pool_alloc(struct frame_pool *p, u64 count, u64 align)
{
	u64 step = MAX(align, PAGE_SIZE) >> PAGE_SHIFT, f, run;
	u64 pa = 0;

	if (!count)
		return 0;
	spin_lock(&p->lock);
	if (count > p->nr_free)
		goto out;
	/* First fit from the hint: below it no frame is free. */
	for (f = ALIGN_UP(p->hint, step); f + count <= p->nr_frames; f += step) {
		/* Single frames: skip whole words of used ones at a time. */
		if (step == 1 && f % BITS_PER_WORD == 0 && p->bitmap[f / BITS_PER_WORD] == ~0ULL) {
			f += BITS_PER_WORD - 1;
			continue;
		}
		for (run = 0; run < count && !frame_used(p, f + run); run++)
			;
		if (run == count) {
			mark(p, f, count, true);
			p->nr_free -= count;
			/*
			 * A single frame was looked for frame by frame from the
			 * hint: every frame between the two is used.
			 */
			if (count == 1 && step == 1)
				p->hint = f + 1;
			pa = f << PAGE_SHIFT;
			break;
		}
		/* Skip past the used frame that ended the run. */
		if (run)
			f = ALIGN_UP(f + run, step) - step;
	}
out:
	spin_unlock(&p->lock);
	return pa;
}

void frame_pool_free(struct frame_pool *p, u64 pa, u64 count)
{
	u64 f = pa >> PAGE_SHIFT;

	spin_lock(&p->lock);
	mark(p, f, count, false);
	p->nr_free += count;
	if (f < p->hint)
		p->hint = f;
	spin_unlock(&p->lock);
}
