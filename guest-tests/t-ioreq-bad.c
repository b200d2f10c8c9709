// SPDX-License-Identifier: GPL-2.0
/*
 * The service partition answers wrongly (the test device's MISBEHAVE, the
 * kind from the command line: data, state, silent, crash or twice). hv must
 * stop this guest, and only it: the suite's next guests run normally (after
 * a crash of the service, hv starts none). A second completion of a right
 * answer comes after the guest may have resumed (on two CPUs hv takes the
 * answer before the first completion): the guest waits to be stopped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

/*
 * How long the guest waits to be stopped: the second completion comes a
 * few thousand instructions after the first (TSC ticks: 0.1 s in Bochs, a
 * millisecond or less on hardware).
 */
#define STOP_WAIT_TICKS 1000000U

int main(void)
{
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	const char *kind = strchr(cmdline, ' ');
	uint32_t bad = kind ? (uint32_t)atoi(kind + 1) : 0;

	report_start();
	if (bad < HV_TESTDEV_BAD_DATA || bad > HV_TESTDEV_BAD_TWICE) {
		printf("ABORT: the command line must say which misbehaviour (1..5)\n");
		return HV_EXIT_ABORT;
	}
	outl(HV_TESTDEV_PORT + HV_TESTDEV_ARG, bad);
	outl(HV_TESTDEV_PORT + HV_TESTDEV_CMD, HV_TESTDEV_CMD_MISBEHAVE);
	printf("the service answers the next request wrongly (%u): hv must stop this guest\n", bad);
	(void)inb(HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH);
	if (bad == HV_TESTDEV_BAD_TWICE) {
		uint64_t end = tsc_read() + STOP_WAIT_TICKS;

		while (tsc_read() < end)
			;
	}
	report(false, "the guest went on after a wrong answer");
	return report_summary();
}
