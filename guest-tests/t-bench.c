// SPDX-License-Identifier: GPL-2.0
/*
 * Exit costs, measured with the TSC: under Bochs it counts retired
 * instructions, so under hv a figure is the instructions hv spends on one
 * exit round trip, and without hv the native cost of the instruction.
 * Prints "BENCH <name> <value> <unit>" lines; a harness compares runs.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

#define COM1_SCR (HV_CONSOLE_PORT + 7)
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
	printf("BENCH pio_exit %lu instructions\n", tsc_measure(inb(COM1_SCR)));
	printf("BENCH compute_loop %lu instructions\n", tsc_measure(compute_loop()));
	return HV_EXIT_PASS;
}
