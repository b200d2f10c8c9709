// SPDX-License-Identifier: GPL-2.0
/*
 * Two vCPUs (hv.vcpus=2; on their own CPUs when hv has two) on one EPT:
 * vCPU 1 keeps writing and checking its half of a region while vCPU 0 zaps
 * ranges across the whole region, write-protects pages of its own half
 * (which vCPU 1 reads), and writes there too. Nothing written may be lost,
 * no access may fail, and the EPT tables must be consistent at the end.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

#define PAGE 4096UL
#define REGION (64UL << 20)
#define HALF (16UL << 20)
#define WORKER_HALF (REGION + HALF)
#define STRIDE_PAGES 7UL /* pages apart: touches every 2 MiB and many tables */
#define UPDATES 150U
#define OWN_TAG (0xa0UL << 56)

static volatile bool stop, worker_done;
static volatile uint64_t worker_rounds, worker_errors;

static uint64_t worker_value(uint64_t round, unsigned long page)
{
	return round << 32 | page;
}

/* vCPU 1: one round writes, re-reads and cross-reads every STRIDE_PAGES-th page. */
static void worker(void *unused __attribute__((unused)))
{
	uint64_t round = 0;

	while (!stop) {
		round++;
		for (unsigned long i = 0; i < HALF / PAGE; i += STRIDE_PAGES) {
			volatile uint64_t *mine = (volatile uint64_t *)(WORKER_HALF + i * PAGE);
			uint64_t other = *(volatile uint64_t *)(REGION + i * PAGE);

			*mine = worker_value(round, i);
			if (*mine != worker_value(round, i) ||
			    (other && (other & OWN_TAG) != OWN_TAG))
				worker_errors++;
		}
		worker_rounds = round;
	}
	worker_done = true;
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(void)
{
	struct hv_ept_stats s0, s1;
	unsigned int failed_calls = 0, lost = 0, i;
	long ret;

	report_start();
	if (!hv_testing()) {
		report_skip("hv's test hypercalls are off (boot hv with \"testing\")");
		return report_summary();
	}
	s0 = ept_stats();
	ret = vcpu_start(1, worker, NULL);
	report(ret == 0, "vCPU 1 starts (%ld)", ret);
	if (ret)
		return report_summary();
	for (i = 0; i < UPDATES; i++) {
		uint64_t r = next_random();
		uintptr_t page = REGION + (r >> 8) % (HALF / PAGE) * PAGE;

		switch (r % 4) {
		case 0: /* 64 KiB anywhere in the region: splits 2 MiB pages */
			ret = hypercall(HV_HC_TEST_EPT_ZAP, REGION + (r >> 8) % 512 * 0x10000,
					0x10000, 0, 0);
			break;
		case 1: /* a whole 2 MiB, tables and all */
			ret = hypercall(HV_HC_TEST_EPT_ZAP, REGION + (r >> 8) % 16 * (2UL << 20),
					2UL << 20, 0, 0);
			break;
		case 2: /* write-protect one of our pages for a while: vCPU 1 only reads it */
			ret = hypercall(HV_HC_TEST_EPT_SET_TYPE, page, PAGE, HV_PAGE_RAM_RO, 0);
			ret |= hypercall(HV_HC_TEST_EPT_SET_TYPE, page, PAGE, HV_PAGE_RAM, 0);
			break;
		default:
			*(volatile uint64_t *)page = OWN_TAG | i;
			ret = 0;
		}
		failed_calls += ret != 0;
	}
	stop = true;
	while (!worker_done)
		asm volatile("pause");
	s1 = ept_stats();
	for (unsigned long p = 0; p < HALF / PAGE; p += STRIDE_PAGES)
		lost += *(volatile uint64_t *)(WORKER_HALF + p * PAGE) !=
			worker_value(worker_rounds, p);
	report(failed_calls == 0, "%u zaps and type changes, none failed (%u)", UPDATES,
	       failed_calls);
	report(worker_rounds > 0 && worker_errors == 0,
	       "vCPU 1 ran %lu rounds meanwhile, every access right (%lu errors)",
	       (unsigned long)worker_rounds, (unsigned long)worker_errors);
	report(lost == 0, "vCPU 1's last round is all there (%u pages differ)", lost);
	ret = hypercall(HV_HC_TEST_EPT_CHECK, 0, 0, 0, 0);
	report(ret == 0, "every EPT entry is consistent with the memory slots (%ld bad)", ret);
	report(s1.pending_free == 0 && s1.freed > s0.freed,
	       "retired table pages went back to hv (freed +%lu, pending %lu)",
	       (unsigned long)(s1.freed - s0.freed), (unsigned long)s1.pending_free);
	printf("EPT: faults 4K %lu 2M %lu, spurious %lu, retries %lu, splits %lu, zaps %lu\n",
	       (unsigned long)(s1.faults_4k - s0.faults_4k),
	       (unsigned long)(s1.faults_2m - s0.faults_2m),
	       (unsigned long)(s1.spurious - s0.spurious), (unsigned long)(s1.retries - s0.retries),
	       (unsigned long)(s1.splits - s0.splits), (unsigned long)(s1.zaps - s0.zaps));
	return report_summary();
}
