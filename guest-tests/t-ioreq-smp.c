// SPDX-License-Identifier: GPL-2.0
/*
 * Two vCPUs (hv.vcpus=2) drive the test device at once, each through its
 * own ioreq slot: vCPU 0 owns the port scratch bytes 0-3 and one MMIO
 * scratch area, vCPU 1 bytes 4-7 and another. Each writes (buffered and
 * synchronous writes mixed) and reads back; neither may see the other's
 * values or lose its own.
 */
#include <stdio.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

#define ROUNDS 300U
#define MMIO(off) ((volatile uint32_t *)(HV_TESTDEV_MMIO + (off)))

struct worker {
	uint16_t port; /* its 4 scratch bytes */
	uint32_t mmio; /* its MMIO scratch offset */
	uint32_t seed;
	volatile uint32_t errors, done;
};

static void drive(struct worker *w)
{
	for (unsigned int i = 0; i < ROUNDS; i++) {
		uint32_t value = w->seed * 0x9e3779b9U + i;

		outl(w->port, value); /* buffered */
		*MMIO(w->mmio) = ~value; /* synchronous */
		if (inl(w->port) != value || *MMIO(w->mmio) != ~value)
			w->errors++;
	}
	w->done = 1;
}

static void vcpu1_main(void *arg)
{
	drive(arg);
}

int main(void)
{
	static struct worker w0 = { HV_TESTDEV_PORT, 0x600, 1, 0, 0 };
	static struct worker w1 = { HV_TESTDEV_PORT + 4, 0x700, 2, 0, 0 };
	long ret;

	report_start();
	ret = vcpu_start(1, vcpu1_main, &w1);
	report(ret == 0, "vCPU 1 starts (%ld)", ret);
	if (ret)
		return report_summary();
	drive(&w0);
	while (!w1.done)
		asm volatile("pause");
	report(w0.errors == 0 && w1.errors == 0,
	       "%u rounds each on both vCPUs, every value read back (errors %u and %u)", ROUNDS,
	       w0.errors, w1.errors);
	report(inl(w0.port) == 1 * 0x9e3779b9U + ROUNDS - 1 &&
		       inl(w1.port) == 2 * 0x9e3779b9U + ROUNDS - 1,
	       "each vCPU's last port value is in its own bytes");
	return report_summary();
}
