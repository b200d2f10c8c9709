// SPDX-License-Identifier: GPL-2.0
/*
 * Triple faults on purpose: with an empty IDT, int3 cannot be delivered
 * (#GP), nor can the #GP, nor the #DF. hv must report the triple fault and
 * stop this partition only; SUMMARY is never printed.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

#define COM1_LSR (HV_CONSOLE_PORT + 5)
#define LSR_TEMT 0x40 /* transmitter empty */

int main(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty_idt = { 0, 0 };

	report_start();
	printf("t-triple: loading an empty IDT and executing int3: expect a triple fault\n");
	/* A real UART is still sending; the triple fault stops the machine at once. */
	while (!(inb(COM1_LSR) & LSR_TEMT))
		;
	asm volatile("lidt %0; int3" : : "m"(empty_idt));
	report(false, "execution continued after the triple fault");
	return report_summary();
}
