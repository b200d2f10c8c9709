// SPDX-License-Identifier: GPL-2.0
/*
 * The service partition answers wrongly (the test device's MISBEHAVE, the
 * kind from the command line: data, state, silent or crash). hv must stop
 * this guest, and only it: the suite's next guests run normally (after a
 * crash of the service, hv starts none).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

int main(void)
{
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	const char *kind = strchr(cmdline, ' ');
	uint32_t bad = kind ? (uint32_t)atoi(kind + 1) : 0;

	report_start();
	if (bad < HV_TESTDEV_BAD_DATA || bad > HV_TESTDEV_BAD_CRASH) {
		printf("ABORT: the command line must say which misbehaviour (1..4)\n");
		return HV_EXIT_ABORT;
	}
	outl(HV_TESTDEV_PORT + HV_TESTDEV_ARG, bad);
	outl(HV_TESTDEV_PORT + HV_TESTDEV_CMD, HV_TESTDEV_CMD_MISBEHAVE);
	printf("the service answers the next request wrongly (%u): hv must stop this guest\n", bad);
	(void)inb(HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH);
	report(false, "the guest went on after a wrong answer");
	return report_summary();
}
