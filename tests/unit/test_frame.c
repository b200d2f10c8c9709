// SPDX-License-Identifier: GPL-2.0
/*
 * The frame allocator over a fake memory map. The bitmap is an exact-size
 * heap allocation, so a bit set or tested past the pool is an ASan error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <boot/boot_info.h>
#include <hv/core/frame.h>

#define MAX_FRAMES (64 * MiB / PAGE_SIZE)

static struct boot_info bi;
static struct frame_pool pool;
static u64 *bitmap;
static u64 got[MAX_FRAMES + 1];

static void map_reset(void)
{
	memset(&bi, 0, sizeof(bi));
}

static void map_add(u64 base, u64 length, u32 type)
{
	assert_true(bi.nr_mem_ranges < BOOT_MAX_MEM_RANGES);
	bi.mem[bi.nr_mem_ranges++] = (struct boot_mem_range){ base, length, type, 0 };
}

static void pool_init_excluding(u64 limit, const struct phys_range *exclude, unsigned int n)
{
	u64 bytes = frame_bitmap_bytes(limit);

	free(bitmap);
	bitmap = malloc(bytes ? bytes : 1);
	assert_non_null(bitmap);
	memset(&pool, 0, sizeof(pool));
	frame_pool_init(&pool, bitmap, limit, &bi, exclude, n);
}

static void pool_init(u64 limit)
{
	pool_init_excluding(limit, NULL, 0);
}

static int teardown(void **state)
{
	free(bitmap);
	bitmap = NULL;
	return 0;
}

/* Allocates single frames until none is left; returns how many, in got[]. */
static u64 drain(void)
{
	u64 n = 0, pa;

	while ((pa = frame_pool_alloc(&pool, 1, PAGE_SIZE))) {
		assert_true(n < MAX_FRAMES);
		got[n++] = pa;
	}
	return n;
}

static bool drained(u64 n, u64 pa)
{
	u64 i;

	for (i = 0; i < n; i++)
		if (got[i] == pa)
			return true;
	return false;
}

static void usable_ranges_are_page_aligned_inward(void **state)
{
	u64 n, i;

	map_reset();
	map_add(0x100800, 0x2000, BOOT_MEM_USABLE); /* only 0x101000 is whole */
	map_add(0x200010, 0x3ff0, BOOT_MEM_USABLE); /* 0x201000..0x203fff */
	map_add(0x300000, 0x1800, BOOT_MEM_USABLE); /* 0x300000 only */
	pool_init(64 * MiB);

	assert_int_equal(pool.nr_free, 1 + 3 + 1);
	assert_int_equal(pool.nr_usable, pool.nr_free);
	n = drain();
	assert_int_equal(n, 5);
	assert_int_equal(got[0], 0x101000);
	assert_int_equal(got[1], 0x201000);
	assert_int_equal(got[3], 0x203000);
	assert_int_equal(got[4], 0x300000);
	for (i = 0; i < n; i++)
		assert_true(IS_ALIGNED(got[i], PAGE_SIZE));
}

static void pool_ends_at_the_last_usable_page(void **state)
{
	map_reset();
	map_add(0x100000, 0x100800, BOOT_MEM_USABLE);
	map_add(0x300000, 0x100000, BOOT_MEM_RESERVED);
	pool_init(64 * MiB);

	assert_int_equal(pool.nr_frames, 0x200);
	assert_int_equal(pool.nr_free, 0x100);
}

static void limit_caps_the_pool(void **state)
{
	map_reset();
	map_add(0x100000, 63 * MiB, BOOT_MEM_USABLE);
	pool_init(16 * MiB + 0x800);

	assert_int_equal(pool.nr_frames, 16 * MiB / PAGE_SIZE);
	assert_int_equal(pool.nr_free, 15 * MiB / PAGE_SIZE);
	assert_int_equal(drain(), 15 * MiB / PAGE_SIZE);
	assert_int_equal(got[15 * MiB / PAGE_SIZE - 1], 16 * MiB - PAGE_SIZE);
}

static void low_mebibyte_is_never_handed_out(void **state)
{
	u64 n, i;

	map_reset();
	map_add(0, 0x9fc00, BOOT_MEM_USABLE);
	map_add(0x9fc00, 0x400, BOOT_MEM_RESERVED);
	map_add(0xf0000, 0x10000, BOOT_MEM_RESERVED);
	map_add(0x100000, 0x100000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	assert_int_equal(pool.nr_free, 0x100);
	n = drain();
	for (i = 0; i < n; i++)
		assert_true(got[i] >= 1 * MiB);

	/* Not even when the map says all of it is usable. */
	map_reset();
	map_add(0, 2 * MiB, BOOT_MEM_USABLE);
	pool_init(64 * MiB);
	assert_int_equal(pool.nr_free, 0x100);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 1 * MiB);
}

static void excluded_ranges_are_never_handed_out(void **state)
{
	static const struct phys_range exclude[] = {
		{ 0x200000, 0x280000 }, /* hv's image */
		{ 0x300800, 0x301001 }, /* a module, partial pages at both ends */
		{ 0x800000, 0x900000 }, /* outside the map */
	};
	u64 n, i;

	map_reset();
	map_add(0x100000, 0x300000, BOOT_MEM_USABLE);
	pool_init_excluding(64 * MiB, exclude, ARRAY_SIZE(exclude));

	assert_int_equal(pool.nr_free, 0x300 - 0x80 - 2);
	n = drain();
	assert_int_equal(n, pool.nr_usable);
	for (i = 0; i < n; i++) {
		assert_false(got[i] >= 0x200000 && got[i] < 0x280000);
		assert_false(got[i] >= 0x300000 && got[i] < 0x302000);
	}
	assert_true(drained(n, 0x1ff000));
	assert_true(drained(n, 0x280000));
	assert_true(drained(n, 0x302000));
}

static void reserved_ranges_overlapping_usable_ones_win(void **state)
{
	u64 n;

	map_reset();
	map_add(0x100000, 0x400000, BOOT_MEM_USABLE);
	/* Reserved pieces inside, reaching partially into pages on both sides. */
	map_add(0x200800, 0x1000, BOOT_MEM_RESERVED);
	map_add(0x300000, 0x1000, BOOT_MEM_ACPI_RECLAIMABLE);
	map_add(0x301000, 0x1000, BOOT_MEM_ACPI_NVS);
	map_add(0x302000, 0x1000, BOOT_MEM_BAD);
	/* A usable range listed after the reserved one does not undo it. */
	map_add(0x200000, 0x3000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	assert_int_equal(pool.nr_free, 0x400 - 2 - 3);
	n = drain();
	assert_false(drained(n, 0x200000));
	assert_false(drained(n, 0x201000));
	assert_true(drained(n, 0x202000));
	assert_false(drained(n, 0x300000));
	assert_false(drained(n, 0x301000));
	assert_false(drained(n, 0x302000));
	assert_true(drained(n, 0x303000));
}

static void ranges_reaching_the_top_of_the_address_space_are_handled(void **state)
{
	u64 n;

	/* A reserved range from 3 MiB to the end of the 64-bit address space. */
	map_reset();
	map_add(0x100000, 0x400000, BOOT_MEM_USABLE);
	map_add(0x300000, 0 - 0x300000ULL, BOOT_MEM_RESERVED);
	pool_init(64 * MiB);
	assert_int_equal(pool.nr_free, 0x200);
	n = drain();
	assert_false(drained(n, 0x300000));

	/* The same, with a length running one byte short of 2^64. */
	map_reset();
	map_add(0x100000, 0x400000, BOOT_MEM_USABLE);
	map_add(0x300000, 0 - 0x300001ULL, BOOT_MEM_RESERVED);
	pool_init(64 * MiB);
	assert_int_equal(pool.nr_free, 0x200);

	/* Nor does excluding up to the top of the address space free anything. */
	map_reset();
	map_add(0x100000, 0x400000, BOOT_MEM_USABLE);
	pool_init_excluding(64 * MiB, (const struct phys_range[]){ { 0x300000, ~0ULL } }, 1);
	assert_int_equal(pool.nr_free, 0x200);

	/* A usable range in the last page of the address space frees nothing low. */
	map_reset();
	map_add(0x100000, 0x100000, BOOT_MEM_USABLE);
	map_add(0x300000, 0x100000, BOOT_MEM_RESERVED);
	map_add(0x400000, 0x100000, BOOT_MEM_USABLE);
	map_add(0xfffffffffffff800ULL, 0x400, BOOT_MEM_USABLE);
	pool_init(64 * MiB);
	assert_int_equal(pool.nr_free, 0x200);
	n = drain();
	assert_false(drained(n, 0x300000));
}

static void usable_range_wrapping_past_the_top_is_clamped(void **state)
{
	map_reset();
	map_add(0x100000, ~0ULL, BOOT_MEM_USABLE);
	pool_init(16 * MiB);

	assert_int_equal(pool.nr_frames, 16 * MiB / PAGE_SIZE);
	assert_int_equal(pool.nr_free, 15 * MiB / PAGE_SIZE);
}

static void empty_map_gives_an_empty_pool(void **state)
{
	map_reset();
	pool_init(64 * MiB);
	assert_int_equal(pool.nr_frames, 0);
	assert_int_equal(pool.nr_free, 0);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0);

	map_reset();
	map_add(0, 0x9f000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);
	assert_int_equal(pool.nr_free, 0);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0);
}

static void first_fit_returns_the_lowest_free_frame(void **state)
{
	map_reset();
	map_add(0x100000, 0x100000, BOOT_MEM_USABLE);
	map_add(0x400000, 0x100000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0x100000);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0x101000);
	assert_int_equal(frame_pool_alloc(&pool, 1, 0), 0x102000);
	assert_int_equal(frame_pool_alloc(&pool, 0xfd, PAGE_SIZE), 0x103000);
	/* The first range is full: the next frame comes from the second. */
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0x400000);
}

/*
 * The search for a single frame starts past the last one found, not at the
 * pool's first frame: the frames below the pool's start (the low mebibyte)
 * and a run taken at the hint are not scanned again by every allocation.
 */
static void single_frames_move_the_hint_past_used_frames(void **state)
{
	u64 pa;

	map_reset();
	map_add(0x100000, 0x100000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	pa = frame_pool_alloc(&pool, 1, PAGE_SIZE);
	assert_int_equal(pa, 0x100000);
	assert_int_equal(pool.hint, (pa >> PAGE_SHIFT) + 1);
	assert_int_equal(frame_pool_alloc(&pool, 4, PAGE_SIZE), 0x101000);
	pa = frame_pool_alloc(&pool, 1, PAGE_SIZE);
	assert_int_equal(pa, 0x105000);
	assert_int_equal(pool.hint, (pa >> PAGE_SHIFT) + 1);
	/* A freed frame below the hint brings it back down: first fit holds. */
	frame_pool_free(&pool, 0x102000, 1);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0x102000);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0x106000);
}

static void freed_frame_is_reallocated_before_higher_ones(void **state)
{
	u64 a, b, c;

	map_reset();
	map_add(0x100000, 0x100000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	a = frame_pool_alloc(&pool, 1, PAGE_SIZE);
	b = frame_pool_alloc(&pool, 1, PAGE_SIZE);
	c = frame_pool_alloc(&pool, 1, PAGE_SIZE);
	frame_pool_free(&pool, b, 1);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), b);
	frame_pool_free(&pool, c, 1);
	frame_pool_free(&pool, a, 1);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), a);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), c);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), c + PAGE_SIZE);
}

static void freed_run_is_reallocated_in_pieces(void **state)
{
	u64 run;

	map_reset();
	map_add(0x100000, 0x100000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	run = frame_pool_alloc(&pool, 16, PAGE_SIZE);
	assert_int_equal(run, 0x100000);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0x110000);
	frame_pool_free(&pool, run, 16);
	assert_int_equal(frame_pool_alloc(&pool, 4, PAGE_SIZE), 0x100000);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0x104000);
	assert_int_equal(frame_pool_alloc(&pool, 12, PAGE_SIZE), 0x111000);
}

static void aligned_runs_start_on_their_alignment(void **state)
{
	u64 a, b, small;

	map_reset();
	map_add(0x100000, 8 * MiB - 0x100000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	small = frame_pool_alloc(&pool, 1, PAGE_SIZE);
	assert_int_equal(small, 0x100000);
	a = frame_pool_alloc(&pool, 512, 2 * MiB);
	assert_int_equal(a, 2 * MiB);
	b = frame_pool_alloc(&pool, 512, 2 * MiB);
	assert_int_equal(b, 4 * MiB);
	/* The space below 2 MiB is left for smaller allocations. */
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0x101000);
	assert_int_equal(frame_pool_alloc(&pool, 2, 64 * KiB), 0x110000);
	assert_int_equal(pool.nr_free, pool.nr_usable - 1 - 1024 - 1 - 2);
}

static void aligned_run_skips_a_used_frame_inside_a_candidate(void **state)
{
	static const struct phys_range exclude[] = { { 0x300000, 0x301000 } };

	map_reset();
	map_add(0x100000, 8 * MiB, BOOT_MEM_USABLE);
	/* Frames 2 MiB .. 3 MiB are free, then one excluded frame breaks the run. */
	pool_init_excluding(64 * MiB, exclude, ARRAY_SIZE(exclude));

	assert_int_equal(frame_pool_alloc(&pool, 512, 2 * MiB), 4 * MiB);
	assert_int_equal(frame_pool_alloc(&pool, 256, 1 * MiB), 1 * MiB);
	assert_int_equal(frame_pool_alloc(&pool, 256, 1 * MiB), 2 * MiB);
	assert_int_equal(frame_pool_alloc(&pool, 256, 1 * MiB), 6 * MiB);
	assert_int_equal(frame_pool_alloc(&pool, 255, PAGE_SIZE), 0x301000);
}

static void aligned_run_needs_an_aligned_start_inside_the_pool(void **state)
{
	map_reset();
	/* 3 MiB free but no 2 MiB-aligned 2 MiB run within it. */
	map_add(0x100000, 0x300000, BOOT_MEM_USABLE);
	map_add(0x200000, 0x1000, BOOT_MEM_RESERVED);
	pool_init(64 * MiB);

	assert_int_equal(frame_pool_alloc(&pool, 512, 2 * MiB), 0);
	assert_int_equal(pool.nr_free, pool.nr_usable);
	assert_int_equal(frame_pool_alloc(&pool, 511, PAGE_SIZE), 0x201000);
}

static void exhausted_pool_returns_zero(void **state)
{
	u64 n;

	map_reset();
	map_add(0x100000, 0x10000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	assert_int_equal(frame_pool_alloc(&pool, 17, PAGE_SIZE), 0);
	assert_int_equal(frame_pool_alloc(&pool, ~0ULL, PAGE_SIZE), 0);
	n = drain();
	assert_int_equal(n, 16);
	assert_int_equal(pool.nr_free, 0);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0);
	assert_int_equal(pool.nr_free, 0);
}

static void fragmented_pool_without_a_long_enough_run_returns_zero(void **state)
{
	u64 i;

	map_reset();
	map_add(0x100000, 0x10000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	drain();
	for (i = 0; i < 16; i += 2)
		frame_pool_free(&pool, 0x100000 + i * PAGE_SIZE, 1);
	assert_int_equal(pool.nr_free, 8);
	assert_int_equal(frame_pool_alloc(&pool, 2, PAGE_SIZE), 0);
	assert_int_equal(pool.nr_free, 8);
	assert_int_equal(frame_pool_alloc(&pool, 1, PAGE_SIZE), 0x100000);
}

static void zero_frames_is_not_an_allocation(void **state)
{
	map_reset();
	map_add(0x100000, 0x10000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	assert_int_equal(frame_pool_alloc(&pool, 0, PAGE_SIZE), 0);
	assert_int_equal(pool.nr_free, 16);
}

static void nr_free_follows_allocations_and_frees(void **state)
{
	u64 a, b;

	map_reset();
	map_add(0x100000, 0x100000, BOOT_MEM_USABLE);
	pool_init(64 * MiB);

	assert_int_equal(pool.nr_usable, 0x100);
	assert_int_equal(pool.nr_free, 0x100);
	a = frame_pool_alloc(&pool, 1, PAGE_SIZE);
	assert_int_equal(pool.nr_free, 0xff);
	b = frame_pool_alloc(&pool, 16, 64 * KiB);
	assert_int_equal(pool.nr_free, 0xef);
	frame_pool_free(&pool, a, 1);
	assert_int_equal(pool.nr_free, 0xf0);
	frame_pool_free(&pool, b, 16);
	assert_int_equal(pool.nr_free, 0x100);
	assert_int_equal(pool.nr_usable, 0x100);
	assert_int_equal(drain(), 0x100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(usable_ranges_are_page_aligned_inward, teardown),
		cmocka_unit_test_teardown(pool_ends_at_the_last_usable_page, teardown),
		cmocka_unit_test_teardown(limit_caps_the_pool, teardown),
		cmocka_unit_test_teardown(low_mebibyte_is_never_handed_out, teardown),
		cmocka_unit_test_teardown(excluded_ranges_are_never_handed_out, teardown),
		cmocka_unit_test_teardown(reserved_ranges_overlapping_usable_ones_win, teardown),
		cmocka_unit_test_teardown(ranges_reaching_the_top_of_the_address_space_are_handled,
					  teardown),
		cmocka_unit_test_teardown(usable_range_wrapping_past_the_top_is_clamped, teardown),
		cmocka_unit_test_teardown(empty_map_gives_an_empty_pool, teardown),
		cmocka_unit_test_teardown(first_fit_returns_the_lowest_free_frame, teardown),
		cmocka_unit_test_teardown(single_frames_move_the_hint_past_used_frames, teardown),
		cmocka_unit_test_teardown(freed_frame_is_reallocated_before_higher_ones, teardown),
		cmocka_unit_test_teardown(freed_run_is_reallocated_in_pieces, teardown),
		cmocka_unit_test_teardown(aligned_runs_start_on_their_alignment, teardown),
		cmocka_unit_test_teardown(aligned_run_skips_a_used_frame_inside_a_candidate,
					  teardown),
		cmocka_unit_test_teardown(aligned_run_needs_an_aligned_start_inside_the_pool,
					  teardown),
		cmocka_unit_test_teardown(exhausted_pool_returns_zero, teardown),
		cmocka_unit_test_teardown(fragmented_pool_without_a_long_enough_run_returns_zero,
					  teardown),
		cmocka_unit_test_teardown(zero_frames_is_not_an_allocation, teardown),
		cmocka_unit_test_teardown(nr_free_follows_allocations_and_frees, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
