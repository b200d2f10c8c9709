// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID leaves that tell a guest its clocks, so it need not calibrate them
 * against a timer device (Linux's native_calibrate_tsc() reads them):
 *
 *   0x15  TSC / core crystal clock (SDM Vol. 2A, CPUID, leaf 15H): EAX = 1,
 *         EBX = 1, ECX = the crystal in Hz. The crystal is the TSC's own
 *         rate: the local APIC timer, which counts the crystal clock (Linux
 *         derives its period from ECX), runs at the TSC's rate.
 *   0x16  processor frequency (leaf 16H): base and maximum MHz, bus MHz.
 *
 * The host's own leaves describe its TSC, which the guest's TSC is (hv
 * writes no TSC offset) only in rate: hv measured that rate at boot
 * (tsc_khz), and that is what the guest is told. Leaf 0's highest basic
 * leaf is raised to 0x16 where the CPU's is lower (hv/vmx/cpuid.c does it
 * for the highest leaf any feature answers).
 */
#include <hv/core/feature.h>
#include <hv/core/platform.h>
#include <hv/loader/loader.h>
#include <x86/hw.h>

#define LEAF_TSC_CRYSTAL 0x15U
#define LEAF_FREQUENCY 0x16U

u32 cpuid_timing_crystal_hz(void)
{
	return (u32)MIN(tsc_khz * 1000, 0xffffffffULL);
}

void cpuid_timing_leaf(u32 leaf, struct cpuid_regs *r)
{
	u32 mhz = (u32)(tsc_khz / 1000);

	switch (leaf) {
	case LEAF_TSC_CRYSTAL:
		*r = (struct cpuid_regs){ 1, 1, cpuid_timing_crystal_hz(), 0 };
		break;
	case LEAF_FREQUENCY:
		*r = (struct cpuid_regs){ mhz, mhz, mhz, 0 };
		break;
	}
}

static void timing_cpuid(struct vcpu *v, u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	cpuid_timing_leaf(leaf, r);
}

DEFINE_FEATURE(cpuid_timing_feature) = {
	.name = "cpuid-timing",
	.cpuid = timing_cpuid,
	.cpuid_leaves = BIT(LEAF_TSC_CRYSTAL) | BIT(LEAF_FREQUENCY),
};
