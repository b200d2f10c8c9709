// SPDX-License-Identifier: GPL-2.0
/*
 * A partition stopped while one of its vCPUs is on its way to block: vCPU
 * 0 reads the test device's port in a loop (each read a request that
 * blocks it until the service answers) while vCPU 1 ends the partition
 * through the debug-exit port. With 2 CPUs, vCPU 1 and the service share
 * the last CPU, so the stop lands while vCPU 0 runs on the other one. hv
 * must stop the partition with vCPU 1's exit code whatever state vCPU 0
 * was in, and start the next guest. Before hv changed vCPU states only by
 * checked transitions, the blocking path could overwrite "stopped" and the
 * partition never ended.
 */
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

/* Enough reads that vCPU 0 is busy reading whenever vCPU 1 stops the partition. */
#define READS_BEFORE_STOP 50U

static volatile uint32_t reads;

static void stopper(void *unused)
{
	(void)unused;
	while (reads < READS_BEFORE_STOP)
		asm volatile("pause");
	report(true, "vCPU 0 made %u device reads; vCPU 1 now ends the partition", reads);
	guest_exit(report_summary());
}

int main(void)
{
	long ret;

	report_start();
	ret = vcpu_start(1, stopper, NULL);
	report(ret == 0, "vCPU 1 starts (%ld)", ret);
	if (ret)
		return report_summary();
	for (;;) {
		(void)inb(HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH);
		reads++;
	}
}
