// SPDX-License-Identifier: GPL-2.0
/*
 * The service partition's claims (hv/ioreq/claims.c): port and MMIO ranges
 * and the ioreq-server page type, against include/public/hypercall.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include <hv/ioreq/claims.h>
#include <public/hypercall.h>
#include <public/ioreq.h>

/* The guests' MMIO window the tests pass to ioreq_claim_range(). */
#define WIN_START 0xc0000000ULL
#define WIN_END 0xfec00000ULL
#define PAGE 0x1000ULL

static struct ioreq_claims claims, claims_before;

static int claim(u32 kind, u64 start, u64 size, u32 flags)
{
	return ioreq_claim_range(&claims, kind, start, size, flags, WIN_START, WIN_END);
}

/* A claim that must fail with @err and change nothing. */
static void assert_claim_refused(u32 kind, u64 start, u64 size, u32 flags, int err)
{
	claims_before = claims;
	assert_int_equal(claim(kind, start, size, flags), err);
	assert_memory_equal(&claims, &claims_before, sizeof(claims));
}

static int setup(void **state)
{
	memset(&claims, 0, sizeof(claims));
	return 0;
}

static void pio_claims_may_touch_but_not_overlap(void **state)
{
	assert_int_equal(claim(HV_IOREQ_PIO, 0x100, 0x10, 0), 0);
	/* Touching on either side. */
	assert_int_equal(claim(HV_IOREQ_PIO, 0x110, 0x10, 0), 0);
	assert_int_equal(claim(HV_IOREQ_PIO, 0xf0, 0x10, 0), 0);
	assert_int_equal(claims.nr_pio, 3);

	/* One port in common at either end, inside, around, the same. */
	assert_claim_refused(HV_IOREQ_PIO, 0x11f, 2, 0, -HV_EBUSY);
	assert_claim_refused(HV_IOREQ_PIO, 0xe0, 0x11, 0, -HV_EBUSY);
	assert_claim_refused(HV_IOREQ_PIO, 0x104, 1, 0, -HV_EBUSY);
	assert_claim_refused(HV_IOREQ_PIO, 0, 0x1000, 0, -HV_EBUSY);
	assert_claim_refused(HV_IOREQ_PIO, 0x100, 0x10, 0, -HV_EBUSY);
}

static void pio_claim_lies_within_ports_0_to_ffff(void **state)
{
	assert_int_equal(claim(HV_IOREQ_PIO, 0xffff, 1, 0), 0);
	assert_int_equal(claim(HV_IOREQ_PIO, 0, 1, 0), 0);
	assert_claim_refused(HV_IOREQ_PIO, 0xfff0, 0x11, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_PIO, 0x10000, 1, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_PIO, 0x1000, 0, 0, -HV_EINVAL);
	/* start + size wraps to 1. */
	assert_claim_refused(HV_IOREQ_PIO, ~0ULL, 2, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_PIO, 0x10, ~0ULL, 0, -HV_EINVAL);

	memset(&claims, 0, sizeof(claims));
	assert_int_equal(claim(HV_IOREQ_PIO, 0, 0x10000, 0), 0);
}

static void mmio_claim_is_4k_aligned(void **state)
{
	assert_int_equal(claim(HV_IOREQ_MMIO, 0xfe000000, PAGE, 0), 0);
	assert_claim_refused(HV_IOREQ_MMIO, 0xfe001800, PAGE, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_MMIO, 0xfe002000, 0x800, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_MMIO, 0xfe002000, PAGE + 1, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_MMIO, 0xfe002000, 0, 0, -HV_EINVAL);
}

static void mmio_claim_lies_inside_the_window(void **state)
{
	/* The window's first and last page, and all of it after a fresh start. */
	assert_int_equal(claim(HV_IOREQ_MMIO, WIN_START, PAGE, 0), 0);
	assert_int_equal(claim(HV_IOREQ_MMIO, WIN_END - PAGE, PAGE, 0), 0);
	assert_claim_refused(HV_IOREQ_MMIO, WIN_START - PAGE, PAGE, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_MMIO, WIN_START - PAGE, 2 * PAGE, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_MMIO, WIN_END - PAGE, 2 * PAGE, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_MMIO, WIN_END, PAGE, 0, -HV_EINVAL);
	/* start + size wraps below the window's end. */
	assert_claim_refused(HV_IOREQ_MMIO, 0xfffffffffffff000ULL, 2 * PAGE, 0, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_MMIO, WIN_START + PAGE, ~0ULL & ~(PAGE - 1), 0, -HV_EINVAL);

	memset(&claims, 0, sizeof(claims));
	assert_int_equal(claim(HV_IOREQ_MMIO, WIN_START, WIN_END - WIN_START, 0), 0);
}

static void mmio_claims_may_touch_but_not_overlap(void **state)
{
	assert_int_equal(claim(HV_IOREQ_MMIO, 0xfe000000, 2 * PAGE, 0), 0);
	assert_int_equal(claim(HV_IOREQ_MMIO, 0xfe002000, PAGE, 0), 0);
	assert_int_equal(claim(HV_IOREQ_MMIO, 0xfdfff000, PAGE, 0), 0);
	assert_claim_refused(HV_IOREQ_MMIO, 0xfe001000, 2 * PAGE, 0, -HV_EBUSY);
	assert_claim_refused(HV_IOREQ_MMIO, 0xfd000000, 0x1800000, 0, -HV_EBUSY);

	/* Ports and MMIO are separate spaces: port 0x1000 is not address 0x1000. */
	assert_int_equal(claim(HV_IOREQ_PIO, 0, 0x10000, 0), 0);
	assert_int_equal(claims.nr_mmio, 3);
	assert_int_equal(claims.nr_pio, 1);
}

static void claim_flags_are_only_buffered(void **state)
{
	assert_int_equal(claim(HV_IOREQ_PIO, 0x4000, 16, HV_IOREQ_CLAIM_BUFFERED), 0);
	assert_int_equal(claims.pio[0].flags, HV_IOREQ_CLAIM_BUFFERED);
	assert_int_equal(claims.pio[0].start, 0x4000);
	assert_int_equal(claims.pio[0].end, 0x4010);
	assert_claim_refused(HV_IOREQ_PIO, 0x5000, 16, 1U << 1, -HV_EINVAL);
	assert_claim_refused(HV_IOREQ_MMIO, 0xfe000000, PAGE, HV_IOREQ_CLAIM_BUFFERED | 1U << 31,
			     -HV_EINVAL);
}

static void claim_of_an_unknown_kind_is_invalid(void **state)
{
	assert_claim_refused(HV_IOREQ_WP, 0xfe000000, PAGE, 0, -HV_EINVAL);
	assert_claim_refused(3, 0x100, 1, 0, -HV_EINVAL);
	assert_claim_refused(~0U, 0x100, 1, 0, -HV_EINVAL);
}

static void full_table_is_busy(void **state)
{
	u32 i;

	for (i = 0; i < IOREQ_MAX_RANGES; i++) {
		assert_int_equal(claim(HV_IOREQ_PIO, 0x100 * i, 8, 0), 0);
		assert_int_equal(claim(HV_IOREQ_MMIO, WIN_START + 2 * PAGE * i, PAGE, 0), 0);
	}
	assert_claim_refused(HV_IOREQ_PIO, 0xf000, 8, 0, -HV_EBUSY);
	assert_claim_refused(HV_IOREQ_MMIO, 0xfe000000, PAGE, 0, -HV_EBUSY);
	/* A bad claim is still named as such. */
	assert_claim_refused(HV_IOREQ_PIO, 0xf000, 0, 0, -HV_EINVAL);
}

static void find_range_needs_the_whole_access_in_one_range(void **state)
{
	const struct ioreq_range *r;

	assert_int_equal(claim(HV_IOREQ_PIO, 0x4000, 16, 0), 0);
	/* Two claims that touch: an access across the seam is in neither. */
	assert_int_equal(claim(HV_IOREQ_MMIO, 0xfe000000, PAGE, 0), 0);
	assert_int_equal(claim(HV_IOREQ_MMIO, 0xfe001000, PAGE, HV_IOREQ_CLAIM_BUFFERED), 0);

	r = ioreq_find_range(&claims, HV_IOREQ_PIO, 0x4000, 4);
	assert_ptr_equal(r, &claims.pio[0]);
	assert_ptr_equal(ioreq_find_range(&claims, HV_IOREQ_PIO, 0x400c, 4), r);
	assert_ptr_equal(ioreq_find_range(&claims, HV_IOREQ_PIO, 0x400f, 1), r);
	assert_null(ioreq_find_range(&claims, HV_IOREQ_PIO, 0x400e, 4)); /* past the end */
	assert_null(ioreq_find_range(&claims, HV_IOREQ_PIO, 0x3fff, 2)); /* before the start */
	assert_null(ioreq_find_range(&claims, HV_IOREQ_PIO, 0x4010, 1));
	assert_null(ioreq_find_range(&claims, HV_IOREQ_PIO, 0x3ffc, 4));

	assert_ptr_equal(ioreq_find_range(&claims, HV_IOREQ_MMIO, 0xfe000ff8, 8), &claims.mmio[0]);
	assert_ptr_equal(ioreq_find_range(&claims, HV_IOREQ_MMIO, 0xfe001000, 8), &claims.mmio[1]);
	assert_null(ioreq_find_range(&claims, HV_IOREQ_MMIO, 0xfe000ffc, 8));
	assert_null(ioreq_find_range(&claims, HV_IOREQ_MMIO, 0xfe001ffc, 8));

	/* The kind picks the table. */
	assert_null(ioreq_find_range(&claims, HV_IOREQ_MMIO, 0x4000, 1));
	assert_null(ioreq_find_range(&claims, HV_IOREQ_PIO, 0xfe000000, 1));
	assert_null(ioreq_find_range(&claims, HV_IOREQ_WP, 0xfe000000, 1));
}

static void find_range_does_not_wrap(void **state)
{
	assert_int_equal(claim(HV_IOREQ_MMIO, 0xfe000000, PAGE, 0), 0);
	/* addr + len wraps to inside the range. */
	assert_null(ioreq_find_range(&claims, HV_IOREQ_MMIO, 0xfe000800, ~0ULL));
}

static void page_type_claimed_once_and_disclaimed_once(void **state)
{
	assert_int_equal(ioreq_claim_page_type(&claims, HV_IOREQ_FORWARD_WRITES), 0);
	assert_int_equal(claims.page_type_flags, HV_IOREQ_FORWARD_WRITES);
	assert_int_equal(ioreq_claim_page_type(&claims, HV_IOREQ_FORWARD_WRITES), -HV_EBUSY);
	assert_int_equal(claims.page_type_flags, HV_IOREQ_FORWARD_WRITES);

	assert_int_equal(ioreq_claim_page_type(&claims, 0), 0);
	assert_int_equal(claims.page_type_flags, 0);
	assert_int_equal(ioreq_claim_page_type(&claims, 0), -HV_EINVAL);

	/* Claimed again after the disclaim. */
	assert_int_equal(ioreq_claim_page_type(&claims, HV_IOREQ_FORWARD_WRITES), 0);
}

static void page_type_claim_with_unknown_flags_is_invalid(void **state)
{
	assert_int_equal(ioreq_claim_page_type(&claims, 1U << 1), -HV_EINVAL);
	assert_int_equal(ioreq_claim_page_type(&claims, HV_IOREQ_FORWARD_WRITES | 1U << 31),
			 -HV_EINVAL);
	assert_int_equal(claims.page_type_flags, 0);

	/* Also while claimed: bad flags are named before the claim's state. */
	assert_int_equal(ioreq_claim_page_type(&claims, HV_IOREQ_FORWARD_WRITES), 0);
	assert_int_equal(ioreq_claim_page_type(&claims, ~0U), -HV_EINVAL);
	assert_int_equal(claims.page_type_flags, HV_IOREQ_FORWARD_WRITES);
}

static void page_type_changes_only_between_ram_and_server_pages(void **state)
{
	/* What is allowed while claimed; without a claim nothing is. */
	static const struct {
		enum ept_page_type from, to;
	} allowed[] = {
		{ EPT_TYPE_RAM_RW, EPT_TYPE_IOREQ },
		{ EPT_TYPE_IOREQ, EPT_TYPE_RAM_RW },
		{ EPT_TYPE_RAM_RW, EPT_TYPE_RAM_RW }, /* no change */
		{ EPT_TYPE_IOREQ, EPT_TYPE_IOREQ },
	};
	enum ept_page_type from, to;
	int claimed;
	unsigned int nr_allowed = 0;
	size_t i;

	for (claimed = 0; claimed <= 1; claimed++) {
		claims.page_type_flags = claimed ? HV_IOREQ_FORWARD_WRITES : 0;
		for (from = 0; from < NR_EPT_TYPES; from++) {
			for (to = 0; to < NR_EPT_TYPES; to++) {
				bool listed = false;
				int ret = ioreq_page_type_change(&claims, from, to);

				for (i = 0; i < ARRAY_SIZE(allowed); i++)
					listed |= allowed[i].from == from && allowed[i].to == to;
				if (!claimed)
					assert_int_equal(ret, -HV_EPERM);
				else if (listed)
					assert_int_equal(ret, 0);
				else
					assert_int_equal(ret, -HV_EINVAL);
				nr_allowed += ret == 0;
			}
		}
	}
	assert_int_equal(nr_allowed, ARRAY_SIZE(allowed));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(pio_claims_may_touch_but_not_overlap, setup),
		cmocka_unit_test_setup(pio_claim_lies_within_ports_0_to_ffff, setup),
		cmocka_unit_test_setup(mmio_claim_is_4k_aligned, setup),
		cmocka_unit_test_setup(mmio_claim_lies_inside_the_window, setup),
		cmocka_unit_test_setup(mmio_claims_may_touch_but_not_overlap, setup),
		cmocka_unit_test_setup(claim_flags_are_only_buffered, setup),
		cmocka_unit_test_setup(claim_of_an_unknown_kind_is_invalid, setup),
		cmocka_unit_test_setup(full_table_is_busy, setup),
		cmocka_unit_test_setup(find_range_needs_the_whole_access_in_one_range, setup),
		cmocka_unit_test_setup(find_range_does_not_wrap, setup),
		cmocka_unit_test_setup(page_type_claimed_once_and_disclaimed_once, setup),
		cmocka_unit_test_setup(page_type_claim_with_unknown_flags_is_invalid, setup),
		cmocka_unit_test_setup(page_type_changes_only_between_ram_and_server_pages, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
