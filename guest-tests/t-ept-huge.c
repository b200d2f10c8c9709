// SPDX-License-Identifier: GPL-2.0
/*
 * Lazy EPT with huge pages (the default): a first touch maps the largest
 * page the backing allows, a type change inside a huge page splits it and
 * only the changed page faults again, zapping part of a huge page keeps the
 * rest mapped, and the EPT dirty flags report writes.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

#define PAGE 4096UL
#define HUGE (2UL << 20)
#define SEQ_START (32UL << 20) /* 64 MiB touched in order from here */
#define SEQ_SIZE (64UL << 20)
#define SPLIT_AT (100UL << 20) /* 2 MiB-aligned regions above that, untouched so far */
#define ZAP_AT (104UL << 20)
#define DIRTY_AT (108UL << 20)

static inline uint64_t delta(uint64_t after, uint64_t before)
{
	return after - before;
}

static void read_range(uintptr_t base, unsigned long size, unsigned long stride)
{
	for (unsigned long off = 0; off < size; off += stride)
		(void)*(volatile uint8_t *)(base + off);
}

static void write_range(uintptr_t base, unsigned long size, unsigned long stride, uintptr_t skip)
{
	for (unsigned long off = 0; off < size; off += stride)
		if (base + off != skip)
			*(volatile uint64_t *)(base + off) = base + off;
}

static void sequential_touch(void)
{
	struct hv_ept_stats s0 = ept_stats(), s1;
	uint64_t faults;

	read_range(SEQ_START, SEQ_SIZE, PAGE);
	s1 = ept_stats();
	faults = delta(s1.faults_4k + s1.faults_2m + s1.faults_1g,
		       s0.faults_4k + s0.faults_2m + s0.faults_1g);
	report(faults == SEQ_SIZE / HUGE && delta(s1.faults_2m, s0.faults_2m) == faults,
	       "touching 64 MiB page by page: %lu faults, all 2 MiB (target <= 40)",
	       (unsigned long)faults);
	printf("BENCH ept_faults_64m %lu faults\n", (unsigned long)faults);
}

static void split_on_type_change(void)
{
	uintptr_t ro = SPLIT_AT + 5 * PAGE;
	struct hv_ept_stats s0, s1, s2, s3, s4;
	long ret, ret2;

	write_range(SPLIT_AT, HUGE, PAGE, 0);
	s0 = ept_stats();
	ret = hypercall(HV_HC_TEST_EPT_SET_TYPE, ro, PAGE, HV_PAGE_RAM_RO, 0);
	s1 = ept_stats();
	read_range(SPLIT_AT, HUGE, PAGE);
	s2 = ept_stats();
	write_range(SPLIT_AT, HUGE, PAGE, ro);
	s3 = ept_stats();
	ret2 = hypercall(HV_HC_TEST_EPT_SET_TYPE, ro, PAGE, HV_PAGE_RAM, 0);
	*(volatile uint64_t *)ro = 0x5a5a;
	s4 = ept_stats();
	report(ret == 0 && delta(s1.splits, s0.splits) == 1,
	       "write-protecting one page inside a 2 MiB page splits it (%ld, splits %lu)", ret,
	       (unsigned long)delta(s1.splits, s0.splits));
	report(delta(s2.faults_4k, s1.faults_4k) == 1 && delta(s2.faults_2m, s1.faults_2m) == 0,
	       "reading all 512 pages afterwards faults only the changed one (%lu)",
	       (unsigned long)delta(s2.faults_4k, s1.faults_4k));
	report(delta(s3.faults_4k, s2.faults_4k) == 0,
	       "writing the 511 others needs no fault: they stayed mapped (%lu)",
	       (unsigned long)delta(s3.faults_4k, s2.faults_4k));
	report(*(volatile uint64_t *)(ro + PAGE) == ro + PAGE,
	       "the pages around it hold what was written");
	report(ret2 == 0 && delta(s4.faults_4k, s3.faults_4k) == 1 &&
		       *(volatile uint64_t *)ro == 0x5a5a,
	       "made writable again, the page takes one fault on its next write (%lu)",
	       (unsigned long)delta(s4.faults_4k, s3.faults_4k));
}

static void zap_and_retouch(void)
{
	struct hv_ept_stats s0, s1, s2, s3, s4;
	long ret, ret2;

	write_range(ZAP_AT, 2 * HUGE, PAGE, 0);
	s0 = ept_stats();
	ret = hypercall(HV_HC_TEST_EPT_ZAP, ZAP_AT, HUGE, 0, 0);
	s1 = ept_stats();
	read_range(ZAP_AT, HUGE, PAGE);
	s2 = ept_stats();
	ret2 = hypercall(HV_HC_TEST_EPT_ZAP, ZAP_AT + HUGE, HUGE / 2, 0, 0);
	s3 = ept_stats();
	read_range(ZAP_AT + HUGE, HUGE, PAGE);
	s4 = ept_stats();
	report(ret == 0 && delta(s2.faults_2m, s1.faults_2m) == 1 &&
		       delta(s2.faults_4k, s1.faults_4k) == 0,
	       "a zapped 2 MiB page comes back as one 2 MiB fault (%lu)",
	       (unsigned long)delta(s2.faults_2m, s1.faults_2m));
	report(ret2 == 0 && delta(s3.splits, s1.splits) == 1,
	       "zapping half of a 2 MiB page splits it (%lu)",
	       (unsigned long)delta(s3.splits, s1.splits));
	report(delta(s4.faults_4k, s3.faults_4k) == 256 && delta(s4.faults_2m, s3.faults_2m) == 0,
	       "re-touching the 2 MiB faults only the 256 zapped pages (%lu)",
	       (unsigned long)delta(s4.faults_4k, s3.faults_4k));
	report(*(volatile uint64_t *)(ZAP_AT + HUGE + 7 * PAGE) == ZAP_AT + HUGE + 7 * PAGE,
	       "zapped pages keep their contents");
	report(delta(s3.zaps, s0.zaps) == 2, "two zaps counted (%lu)",
	       (unsigned long)delta(s3.zaps, s0.zaps));
}

static void dirty_log(void)
{
	uint64_t bitmap[1];
	uintptr_t page = DIRTY_AT + 3 * PAGE;
	long r1, r2, r3, r4;
	uint64_t b1, b2, b3, b4;

	*(volatile uint64_t *)page = 1;
	r1 = hypercall(HV_HC_TEST_EPT_DIRTY, DIRTY_AT, 64, 1, (uintptr_t)bitmap);
	b1 = bitmap[0];
	r2 = hypercall(HV_HC_TEST_EPT_DIRTY, DIRTY_AT, 64, 1, (uintptr_t)bitmap);
	b2 = bitmap[0];
	(void)*(volatile uint64_t *)(page + PAGE);
	r3 = hypercall(HV_HC_TEST_EPT_DIRTY, DIRTY_AT, 64, 1, (uintptr_t)bitmap);
	b3 = bitmap[0];
	*(volatile uint64_t *)(page + 8) = 2;
	*(volatile uint64_t *)(page + 10 * PAGE) = 3;
	r4 = hypercall(HV_HC_TEST_EPT_DIRTY, DIRTY_AT, 64, 0, (uintptr_t)bitmap);
	b4 = bitmap[0];
	if (r1 == -HV_EOPNOTSUPP) {
		report_skip("the CPU has no EPT accessed/dirty flags");
		return;
	}
	report(r1 == 0 && (b1 & (1UL << 3)), "a written page is dirty (%#lx)", (unsigned long)b1);
	report(r2 == 0 && b2 == 0, "after a clear, nothing is dirty (%#lx)", (unsigned long)b2);
	report(r3 == 0 && b3 == 0, "a read does not make a page dirty (%#lx)", (unsigned long)b3);
	report(r4 == 0 && b4 == ((1UL << 3) | (1UL << 13)),
	       "the next writes make exactly their pages dirty again (%#lx)", (unsigned long)b4);
}

int main(void)
{
	long ret;

	report_start();
	if (!hv_testing()) {
		report_skip("hv's test hypercalls are off (boot hv with \"testing\")");
		return report_summary();
	}
	sequential_touch();
	split_on_type_change();
	zap_and_retouch();
	dirty_log();
	report(hypercall(HV_HC_TEST_EPT_SET_TYPE, SPLIT_AT, PAGE, 7, 0) == -HV_EINVAL,
	       "an unknown page type is refused");
	ret = hypercall(HV_HC_TEST_EPT_CHECK, 0, 0, 0, 0);
	report(ret == 0, "every EPT entry is consistent with the memory slots (%ld bad)", ret);
	return report_summary();
}
