// SPDX-License-Identifier: GPL-2.0
/*
 * Exit costs, measured with the TSC: under Bochs it counts retired
 * instructions, so under hv a figure is the instructions spent on one exit
 * round trip (for device accesses: in hv and the service partition's
 * device model together), and without hv the native cost of the
 * instruction. Prints "BENCH <name> <value> <unit>" lines; a harness
 * compares runs.
 */
#include <stdio.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

#define UNCLAIMED_PORT 0x51c /* nobody emulates it: hv answers all-ones itself */
#define WP_PAGE (96UL << 20)
#define PAGE 4096UL
#define COMPUTE_ITERATIONS 1000000

/* Four instructions an iteration, none of which exits. */
static void compute_loop(void)
{
	uint64_t x = 1, n = COMPUTE_ITERATIONS;

	asm volatile("1: imul %1, %0\n\t"
		     "add %1, %0\n\t"
		     "dec %1\n\t"
		     "jnz 1b"
		     : "+r"(x), "+r"(n));
}

int main(void)
{
	report_start();
	printf("BENCH_ENV %s\n", under_hv() ? "hv" : "native");
	printf("BENCH cpuid_exit %lu instructions\n", tsc_measure(cpuid(0)));
	printf("BENCH pio_exit %lu instructions\n", tsc_measure(inb(UNCLAIMED_PORT)));
	printf("BENCH ioreq_pio %lu instructions\n",
	       tsc_measure(inb(HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH)));
	printf("BENCH ioreq_mmio %lu instructions\n",
	       tsc_measure((void)*(volatile uint32_t *)HV_TESTDEV_MMIO));
	/* The service claims the ioreq-server type and marks the page (test device commands). */
	outl(HV_TESTDEV_PORT + HV_TESTDEV_CMD, HV_TESTDEV_CMD_WP_CLAIM);
	outl(HV_TESTDEV_PORT + HV_TESTDEV_ARG, WP_PAGE / PAGE);
	outl(HV_TESTDEV_PORT + HV_TESTDEV_CMD, HV_TESTDEV_CMD_WP_MARK);
	/* The commands go through the ring: a read of the result waits until they ran. */
	(void)inl(HV_TESTDEV_PORT + HV_TESTDEV_ARG);
	printf("BENCH ioreq_wp %lu instructions\n", tsc_measure(*(volatile uint32_t *)WP_PAGE = 1));
	outl(HV_TESTDEV_PORT + HV_TESTDEV_CMD, HV_TESTDEV_CMD_WP_DISCLAIM);
	printf("BENCH compute_loop %lu instructions\n", tsc_measure(compute_loop()));
	return HV_EXIT_PASS;
}
