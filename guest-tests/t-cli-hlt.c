// SPDX-License-Identifier: GPL-2.0
/*
 * HLT with interrupts disabled: until hv/apic gives guests INIT and NMIs,
 * nothing can wake such a vCPU, so hv stops the partition and says which
 * vCPU halted where. vCPU 1 halts while vCPU 0 keeps running: the message
 * must name vCPU 1, not blame the partition vaguely.
 */
#include <hv.h>
#include "libguest.h"

static void halt_for_good(void *unused)
{
	(void)unused;
	asm volatile("cli; hlt" ::: "memory");
}

int main(void)
{
	long ret;

	report_start();
	ret = vcpu_start(1, halt_for_good, NULL);
	report(ret == 0, "vCPU 1 starts (%ld)", ret);
	if (ret)
		return report_summary();
	for (;;)
		asm volatile("pause");
}
