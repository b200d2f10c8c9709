// SPDX-License-Identifier: GPL-2.0
/*
 * The VM-entry checks of IPI virtualization (SDM Vol. 3C 27.2.1.1), end to
 * end: hv turns it on in this guest's VMCS (HV_HC_TEST_VMX_IPIV) with the
 * PID-pointer table the command line names: "valid" (the entry succeeds
 * and this guest goes on), "misaligned", "beyond-width" or "no-tpr-shadow"
 * (the entry fails: hv stops this guest and its checker names the rule;
 * the suite line checks both). Skips where the CPU has no IPI
 * virtualization (Bochs 2.7); must run in the reference engine.
 */
#include <stdio.h>
#include <string.h>
#include <hv.h>
#include "libguest.h"

static const char *const variants[] = {
	[HV_IPIV_VALID] = "valid",
	[HV_IPIV_TABLE_MISALIGNED] = "misaligned",
	[HV_IPIV_TABLE_BEYOND_WIDTH] = "beyond-width",
	[HV_IPIV_NO_TPR_SHADOW] = "no-tpr-shadow",
};

int main(void)
{
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	const char *arg = strchr(cmdline, ' ');
	unsigned int variant;
	long ret;

	report_start();
	for (variant = 0; variant < sizeof(variants) / sizeof(variants[0]); variant++)
		if (arg && !strcmp(arg + 1, variants[variant]))
			break;
	if (variant == sizeof(variants) / sizeof(variants[0])) {
		printf("ABORT: the command line must name the PID-pointer table: valid, misaligned, beyond-width or no-tpr-shadow\n");
		return HV_EXIT_ABORT;
	}

	ret = hypercall(HV_HC_TEST_VMX_IPIV, variant, 0, 0, 0);
	if (ret == -HV_EOPNOTSUPP) {
		report_skip("IPI virtualization: the CPU does not offer it");
		return report_summary();
	}
	report(ret == 0, "hv turns on IPI virtualization with a %s PID-pointer table (%ld)",
	       variants[variant], ret);
	if (variant != HV_IPIV_VALID)
		report(false, "the VM entry with a %s PID-pointer table succeeded",
		       variants[variant]);
	else
		report(true, "the VM entry with a valid PID-pointer table succeeds");
	return report_summary();
}
