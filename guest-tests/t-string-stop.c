// SPDX-License-Identifier: GPL-2.0
/*
 * String port I/O whose memory hv may not access for the guest (issue 8,
 * items 5 and 17). The command line says which: "ro" INS into read-only
 * RAM, "wp" INS into a write-forwarded page, "oob" OUTS from past the end
 * of RAM. hv must stop this guest with the reason the CPU's own access
 * would have had ("EPT violation"), or say that it does not emulate string
 * I/O to device memory, and write nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

#define PAGE 4096UL
#define MB1_UPPER_MEMORY_BASE 0x100000UL
#define TARGET (88UL << 20)
#define SCRATCH_PORT (HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH)

static int32_t command(uint32_t cmd, uint32_t arg)
{
	outl(HV_TESTDEV_PORT + HV_TESTDEV_ARG, arg);
	outl(HV_TESTDEV_PORT + HV_TESTDEV_CMD, cmd);
	return (int32_t)inl(HV_TESTDEV_PORT + HV_TESTDEV_ARG);
}

static void rep_insb(uintptr_t dst)
{
	uint64_t rcx = 8;

	outb(SCRATCH_PORT, 0xee);
	asm volatile("cld; rep insb" : "+D"(dst), "+c"(rcx) : "d"(SCRATCH_PORT) : "memory");
}

int main(void)
{
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	const char *mode = strchr(cmdline, ' ');
	uint64_t ram_end = MB1_UPPER_MEMORY_BASE + (uint64_t)multiboot_info->mem_upper * 1024;
	long ret;

	report_start();
	if (!hv_testing()) {
		report_skip("hv's test hypercalls are off (boot hv with \"testing\")");
		return report_summary();
	}
	mode = mode ? mode + 1 : "";
	if (!strcmp(mode, "ro")) {
		ret = hypercall(HV_HC_TEST_EPT_SET_TYPE, TARGET, PAGE, HV_PAGE_RAM_RO, 0);
		report(ret == 0, "the target page is read-only RAM (%ld)", ret);
		printf("REP INSB into read-only RAM: hv must stop this guest\n");
		rep_insb(TARGET);
		report(false, "the INS into read-only RAM went on (the page holds %#x)",
		       *(volatile uint8_t *)TARGET);
	} else if (!strcmp(mode, "wp")) {
		report(command(HV_TESTDEV_CMD_WP_CLAIM, 0) == 0 &&
			       command(HV_TESTDEV_CMD_WP_MARK, TARGET / PAGE) == 0,
		       "the target page forwards writes to the service");
		printf("REP INSB into a write-forwarded page: hv must stop this guest\n");
		rep_insb(TARGET);
		report(false, "the INS into a write-forwarded page went on (the page holds %#x)",
		       *(volatile uint8_t *)TARGET);
	} else if (!strcmp(mode, "oob")) {
		uintptr_t src = ram_end + 16;

		printf("OUTSB from past the end of RAM (%#lx): hv must stop this guest\n",
		       (unsigned long)src);
		asm volatile("outsb" : "+S"(src) : "d"(SCRATCH_PORT) : "memory");
		report(false, "the OUTS from past the end of RAM went on");
	} else {
		printf("ABORT: the command line must say ro, wp or oob\n");
		return HV_EXIT_ABORT;
	}
	return report_summary();
}
