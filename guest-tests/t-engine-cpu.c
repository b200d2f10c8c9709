// SPDX-License-Identifier: GPL-2.0
/*
 * The reference engine's CPU as a kernel sees it without hv (the native
 * layer, guest-tests/native.txt): an Intel CPU with VMX whose capability
 * MSRs offer what tools/bochs/patches add, IPI virtualization first.
 * Also prints the VMX capability MSRs ("MSR <index> <value>"), from which
 * tests/model/bochs_sapphire_rapids.c records them.
 */
#include <stdio.h>
#include <string.h>
#include "libguest.h"

#define MSR_IA32_VMX_BASIC 0x480
#define MSR_IA32_VMX_VMCS_ENUM 0x48a
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48b
#define MSR_IA32_VMX_PROCBASED_CTLS3 0x492
#define VMX_BASIC_TRUE_CTLS (1ULL << 55)
/* Allowed 1-settings are the MSR's upper half (SDM Vol. 3D A.3). */
#define ALLOWED_1(msr_value, bit) (((msr_value) >> 32) & (1ULL << (bit)))
#define PIN_POSTED_INTERRUPTS 7
#define CPU_ACTIVATE_TERTIARY_CONTROLS 17
#define CPU_ACTIVATE_SECONDARY_CONTROLS 31
#define SECONDARY_VIRTUAL_INTERRUPT_DELIVERY 9
/* IA32_VMX_PROCBASED_CTLS3 is 64 bits of allowed 1-settings (A.3.4). */
#define TERTIARY_IPI_VIRTUALIZATION (1ULL << 4)
/* IA32_VMX_VMCS_ENUM[9:1]: the highest index of any VMCS field encoding (A.9). */
#define VMCS_ENUM_INDEX(v) (((v) >> 1) & 0x1ff)
#define PID_POINTER_TABLE_INDEX ((0x2042 >> 1) & 0x1ff)

static const uint32_t vmx_msrs[] = {
	0x480, 0x481, 0x482, 0x483, 0x484, 0x485, 0x486, 0x487, 0x488, 0x489,
	0x48a, 0x48b, 0x48c, 0x48d, 0x48e, 0x48f, 0x490, 0x491, 0x492,
};

int main(void)
{
	struct cpuid r = cpuid(0);
	char vendor[13];
	uint64_t basic, pin, proc, proc2, proc3, vmcs_enum, v;
	unsigned int i;
	bool readable;

	report_start();
	memcpy(vendor, &r.b, 4);
	memcpy(vendor + 4, &r.d, 4);
	memcpy(vendor + 8, &r.c, 4);
	vendor[12] = 0;
	report(!strcmp(vendor, "GenuineIntel"), "CPUID.0 vendor is GenuineIntel (%s)", vendor);
	report(cpuid(1).c & CPUID_1_ECX_VMX, "CPUID.1:ECX.VMX[bit 5] is 1");

	for (i = 0; i < sizeof(vmx_msrs) / sizeof(vmx_msrs[0]); i++)
		if (rdmsr_safe(vmx_msrs[i], &v) == NO_EXCEPTION)
			printf("MSR %#x %#llx\n", vmx_msrs[i], (unsigned long long)v);

	readable = rdmsr_safe(MSR_IA32_VMX_BASIC, &basic) == NO_EXCEPTION &&
		   rdmsr_safe(MSR_IA32_VMX_TRUE_PINBASED_CTLS, &pin) == NO_EXCEPTION &&
		   rdmsr_safe(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, &proc) == NO_EXCEPTION &&
		   rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &proc2) == NO_EXCEPTION &&
		   rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS3, &proc3) == NO_EXCEPTION &&
		   rdmsr_safe(MSR_IA32_VMX_VMCS_ENUM, &vmcs_enum) == NO_EXCEPTION;
	report(readable,
	       "the VMX capability MSRs 480H, 48AH, 48BH, 48DH, 48EH, 492H read without #GP");
	if (!readable)
		return report_summary();

	report(basic & VMX_BASIC_TRUE_CTLS, "IA32_VMX_BASIC[55]: the TRUE control MSRs exist");
	report(ALLOWED_1(pin, PIN_POSTED_INTERRUPTS), "process posted interrupts may be 1");
	report(ALLOWED_1(proc, CPU_ACTIVATE_SECONDARY_CONTROLS) &&
		       ALLOWED_1(proc2, SECONDARY_VIRTUAL_INTERRUPT_DELIVERY),
	       "virtual-interrupt delivery may be 1");
	report(ALLOWED_1(proc, CPU_ACTIVATE_TERTIARY_CONTROLS),
	       "activate tertiary controls may be 1");
	report(proc3 & TERTIARY_IPI_VIRTUALIZATION,
	       "IA32_VMX_PROCBASED_CTLS3[4]: IPI virtualization may be 1 (%#llx)",
	       (unsigned long long)proc3);
	report(VMCS_ENUM_INDEX(vmcs_enum) >= PID_POINTER_TABLE_INDEX,
	       "IA32_VMX_VMCS_ENUM[9:1] %#llx covers the PID-pointer table's index %#x",
	       (unsigned long long)VMCS_ENUM_INDEX(vmcs_enum), PID_POINTER_TABLE_INDEX);
	return report_summary();
}
