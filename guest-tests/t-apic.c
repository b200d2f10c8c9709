// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC's registers and modes as hv gives them to a vCPU (SDM
 * Vol. 3A chapter 11): CPUID, IA32_APIC_BASE and its transitions with
 * their #GPs (11.12.5), the xAPIC registers through the page at
 * 0xfee00000 (their reset values, what is writable, reserved offsets),
 * the x2APIC MSRs (what exists, read-only and write-only ones, reserved
 * bits, 11.12.1), and TPR/PPR. One vCPU.
 */
#include <stdio.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define CPUID_1_EDX_APIC (1U << 9)
#define CPUID_1_ECX_X2APIC (1U << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1U << 24)
#define CPUID_TOPOLOGY_LEAF 0xb
#define VERSION_VALUE 0x00050014U /* version 14H, LVT entries 0..5 */
#define LVT_RESET APIC_LVT_MASKED
#define APIC_RESERVED_OFFSET 0x040U
#define XAPIC_MODE (APIC_BASE_GPA | APIC_BASE_EN | APIC_BASE_BSP)
#define X2APIC_MODE (XAPIC_MODE | APIC_BASE_EXTD)
#define DISABLED_MODE (APIC_BASE_GPA | APIC_BASE_BSP)

static const uint32_t lvts[] = { APIC_LVT_TIMER, APIC_LVT_THERMAL, APIC_LVT_PMC,
				 APIC_LVT_LINT0, APIC_LVT_LINT1,   APIC_LVT_ERROR };

static volatile uint32_t *xapic(uint32_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(APIC_BASE_GPA + offset);
}

static int set_base(uint64_t value)
{
	return wrmsr_safe(MSR_IA32_APIC_BASE, value);
}

static void check_cpuid(void)
{
	struct cpuid r = cpuid(1), t0 = cpuid_count(CPUID_TOPOLOGY_LEAF, 0),
		     t1 = cpuid_count(CPUID_TOPOLOGY_LEAF, 1);

	report((r.d & CPUID_1_EDX_APIC) && (r.c & CPUID_1_ECX_X2APIC) &&
		       (r.c & CPUID_1_ECX_TSC_DEADLINE),
	       "CPUID.1: APIC, x2APIC and TSC-deadline timer (EDX %#x ECX %#x)", r.d, r.c);
	report(r.b >> 24 == 0, "CPUID.1:EBX[31:24], the initial APIC ID, is 0 (%u)", r.b >> 24);
	report(t0.d == 0 && t1.d == 0 && (t1.b & 0xffff) == 1 && ((t1.c >> 8) & 0xff) == 2,
	       "leaf 0BH: x2APIC ID 0 (%u), one vCPU at the core level (%u, type %u)", t0.d,
	       t1.b & 0xffff, (t1.c >> 8) & 0xff);
}

static void check_xapic_registers(void)
{
	uint32_t lvt_ok = 0;
	unsigned int i;

	report(rdmsr(MSR_IA32_APIC_BASE) == XAPIC_MODE,
	       "IA32_APIC_BASE after reset: xAPIC mode at 0xfee00000, BSP (%#lx)",
	       rdmsr(MSR_IA32_APIC_BASE));
	report(*xapic(APIC_ID) == 0, "ID register: APIC ID 0 in bits 31:24 (%#x)", *xapic(APIC_ID));
	report(*xapic(APIC_VERSION) == VERSION_VALUE, "version register %#x (%#x)", VERSION_VALUE,
	       *xapic(APIC_VERSION));
	report(*xapic(APIC_SVR) == 0xff && *xapic(APIC_DFR) == 0xffffffff && *xapic(APIC_TPR) == 0,
	       "reset values: SVR 0xff (%#x), DFR all ones (%#x), TPR 0 (%#x)", *xapic(APIC_SVR),
	       *xapic(APIC_DFR), *xapic(APIC_TPR));
	for (i = 0; i < sizeof(lvts) / sizeof(lvts[0]); i++)
		lvt_ok += *xapic(lvts[i]) == LVT_RESET;
	report(lvt_ok == 6, "all six LVT entries are masked after reset (%u)", lvt_ok);

	/* Software-disabled: an LVT write cannot unmask (11.4.7.2). */
	*xapic(APIC_LVT_LINT0) = 0x31;
	report(*xapic(APIC_LVT_LINT0) == (APIC_LVT_MASKED | 0x31),
	       "with the APIC software-disabled an LVT stays masked (%#x)", *xapic(APIC_LVT_LINT0));
	apic_enable();
	report(*xapic(APIC_SVR) == (APIC_SVR_ENABLE | 0xff), "SVR takes the enable bit (%#x)",
	       *xapic(APIC_SVR));
	/* LINT0: vector, delivery mode, polarity, trigger, mask; status and remote IRR are read-only. */
	*xapic(APIC_LVT_LINT0) = 0xffffffff;
	report(*xapic(APIC_LVT_LINT0) == 0x0001a7ff, "LVT LINT0 keeps only its writable bits (%#x)",
	       *xapic(APIC_LVT_LINT0));
	*xapic(APIC_LVT_TIMER) = 0xffffffff & ~(3U << 17);
	report(*xapic(APIC_LVT_TIMER) == 0x000100ff, "LVT timer keeps only its writable bits (%#x)",
	       *xapic(APIC_LVT_TIMER));
	*xapic(APIC_LVT_LINT0) = LVT_RESET;
	*xapic(APIC_LVT_TIMER) = LVT_RESET;
	*xapic(APIC_SVR) = 0xff;
	report(*xapic(APIC_LVT_LINT0) == LVT_RESET, "clearing SVR's enable masks the LVTs");
	apic_enable();

	*xapic(APIC_ID) = 0x05000000;
	report(*xapic(APIC_ID) == 0, "the ID register is read-only here (%#x)", *xapic(APIC_ID));
	*xapic(APIC_LDR) = 0xffffffff;
	report(*xapic(APIC_LDR) == 0xff000000, "LDR: bits 31:24 are writable (%#x)",
	       *xapic(APIC_LDR));
	*xapic(APIC_DFR) = 0x0fffffff;
	report(*xapic(APIC_DFR) == 0x0fffffff, "DFR: the model (cluster) is writable (%#x)",
	       *xapic(APIC_DFR));
	*xapic(APIC_DFR) = 0xffffffff;
	*xapic(APIC_LDR) = 0;

	*xapic(APIC_ESR) = 0;
	report(*xapic(APIC_RESERVED_OFFSET) == 0, "a reserved offset (40H) reads 0");
	*xapic(APIC_ESR) = 0;
	report(*xapic(APIC_ESR) == APIC_ESR_ILLEGAL_REGISTER,
	       "... and the ESR says illegal register address after the next write (%#x)",
	       *xapic(APIC_ESR));
	*xapic(APIC_ESR) = 0;
	report(*xapic(APIC_ESR) == 0, "the next ESR write clears it (%#x)", *xapic(APIC_ESR));

	*xapic(APIC_TPR) = 0x5f;
	report(*xapic(APIC_TPR) == 0x5f && *xapic(APIC_PPR) == 0x5f, "TPR 0x5f: PPR %#x",
	       *xapic(APIC_PPR));
	*xapic(APIC_TPR) = 0;

	uint64_t v;
	report(rdmsr_safe(X2APIC_MSR(APIC_VERSION), &v) == GP_VECTOR &&
		       wrmsr_safe(X2APIC_MSR(APIC_TPR), 0) == GP_VECTOR,
	       "in xAPIC mode the x2APIC MSRs raise #GP");
}

static void check_transitions(void)
{
	uint64_t v;

	report(set_base(XAPIC_MODE | (1ULL << 0)) == GP_VECTOR, "IA32_APIC_BASE bit 0 is reserved");
	report(set_base(XAPIC_MODE | (1ULL << 9)) == GP_VECTOR, "IA32_APIC_BASE bit 9 is reserved");
	report(set_base(XAPIC_MODE | (1ULL << 63)) == GP_VECTOR,
	       "IA32_APIC_BASE bit 63 (beyond MAXPHYADDR) is reserved");
	report(set_base((XAPIC_MODE & ~APIC_BASE_EN) | APIC_BASE_EXTD) == GP_VECTOR,
	       "x2APIC enable without the global enable is invalid: #GP");
	report(set_base(X2APIC_MODE) == NO_EXCEPTION && rdmsr(MSR_IA32_APIC_BASE) == X2APIC_MODE,
	       "xAPIC -> x2APIC");
	report(set_base(XAPIC_MODE) == GP_VECTOR && rdmsr(MSR_IA32_APIC_BASE) == X2APIC_MODE,
	       "x2APIC -> xAPIC: #GP, still x2APIC");
	report(set_base(DISABLED_MODE) == NO_EXCEPTION && !(cpuid(1).d & CPUID_1_EDX_APIC),
	       "x2APIC -> disabled; CPUID.1:EDX.APIC reads 0 then");
	report(rdmsr_safe(X2APIC_MSR(APIC_ID), &v) == GP_VECTOR,
	       "a disabled APIC's x2APIC MSRs raise #GP");
	report(set_base(X2APIC_MODE) == GP_VECTOR, "disabled -> x2APIC: #GP");
	report(set_base(XAPIC_MODE) == NO_EXCEPTION && (cpuid(1).d & CPUID_1_EDX_APIC),
	       "disabled -> xAPIC; CPUID.1:EDX.APIC reads 1 again");
	report(*xapic(APIC_SVR) == 0xff && *xapic(APIC_LVT_LINT0) == LVT_RESET,
	       "disabling reset the registers (SVR %#x, LINT0 %#x)", *xapic(APIC_SVR),
	       *xapic(APIC_LVT_LINT0));
	report(set_base(XAPIC_MODE & ~APIC_BASE_BSP) == NO_EXCEPTION &&
		       (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_BSP),
	       "the BSP flag stays whatever is written");
}

/* An x2APIC register access: the exception it raises. */
static int x2_read(uint32_t offset)
{
	uint64_t v;

	return rdmsr_safe(X2APIC_MSR(offset), &v);
}

static void check_x2apic_registers(void)
{
	uint64_t v;

	report(set_base(X2APIC_MODE) == NO_EXCEPTION, "to x2APIC mode");
	apic_enable();
	report(rdmsr(X2APIC_MSR(APIC_ID)) == 0 && rdmsr(X2APIC_MSR(APIC_LDR)) == 1,
	       "x2APIC ID 0 (%#lx), logical ID: cluster 0, bit 0 (%#lx)",
	       rdmsr(X2APIC_MSR(APIC_ID)), rdmsr(X2APIC_MSR(APIC_LDR)));
	report(rdmsr(X2APIC_MSR(APIC_VERSION)) == VERSION_VALUE, "version %#lx",
	       rdmsr(X2APIC_MSR(APIC_VERSION)));
	report(x2_read(APIC_DFR) == GP_VECTOR && x2_read(APIC_ICR_HIGH) == GP_VECTOR,
	       "no DFR (80EH) and no ICR high half (831H) in x2APIC mode: #GP");
	report(x2_read(APIC_EOI) == GP_VECTOR && x2_read(APIC_SELF_IPI) == GP_VECTOR,
	       "EOI and SELF IPI are write-only: RDMSR raises #GP");
	report(rdmsr_safe(0x801, &v) == GP_VECTOR && rdmsr_safe(0x840, &v) == GP_VECTOR &&
		       rdmsr_safe(0x82f, &v) == GP_VECTOR,
	       "801H, 840H and 82FH (no CMCI entry here) do not exist: #GP");
	report(wrmsr_safe(X2APIC_MSR(APIC_ID), 1) == GP_VECTOR &&
		       wrmsr_safe(X2APIC_MSR(APIC_LDR), 1) == GP_VECTOR &&
		       wrmsr_safe(X2APIC_MSR(APIC_PPR), 0) == GP_VECTOR &&
		       wrmsr_safe(X2APIC_MSR(APIC_TIMER_CURRENT), 0) == GP_VECTOR,
	       "ID, LDR, PPR and the current count are read-only: WRMSR raises #GP");
	report(wrmsr_safe(X2APIC_MSR(APIC_TPR), 0x100) == GP_VECTOR &&
		       wrmsr_safe(X2APIC_MSR(APIC_TPR), 1ULL << 32) == GP_VECTOR,
	       "TPR bits 31:8 and 63:32 are reserved: #GP");
	report(wrmsr_safe(X2APIC_MSR(APIC_EOI), 1) == GP_VECTOR &&
		       wrmsr_safe(X2APIC_MSR(APIC_ESR), 1) == GP_VECTOR,
	       "a non-zero EOI or ESR write raises #GP");
	report(wrmsr_safe(X2APIC_MSR(APIC_LVT_LINT0), 1U << 17) == GP_VECTOR &&
		       wrmsr_safe(X2APIC_MSR(APIC_LVT_TIMER), 3U << 17) == GP_VECTOR &&
		       wrmsr_safe(X2APIC_MSR(APIC_SVR), 1U << 12) == GP_VECTOR,
	       "reserved bits of LVT entries, timer mode 11b and SVR bit 12: #GP");
	report(wrmsr_safe(X2APIC_MSR(APIC_SELF_IPI), 0x100) == GP_VECTOR &&
		       wrmsr_safe(X2APIC_MSR(APIC_ICR), 1U << 13) == GP_VECTOR,
	       "SELF IPI bits 31:8 and ICR bit 13 are reserved: #GP");
	report(wrmsr_safe(X2APIC_MSR(APIC_TPR), 0x40) == NO_EXCEPTION &&
		       rdmsr(X2APIC_MSR(APIC_TPR)) == 0x40 && rdmsr(X2APIC_MSR(APIC_PPR)) == 0x40,
	       "TPR 0x40 reads back; PPR %#lx", rdmsr(X2APIC_MSR(APIC_PPR)));
	wrmsr(X2APIC_MSR(APIC_TPR), 0);
	wrmsr(X2APIC_MSR(APIC_LVT_LINT1), APIC_LVT_NMI | APIC_LVT_MASKED);
	report(rdmsr(X2APIC_MSR(APIC_LVT_LINT1)) == (APIC_LVT_NMI | APIC_LVT_MASKED),
	       "LVT LINT1 reads back (%#lx)", rdmsr(X2APIC_MSR(APIC_LVT_LINT1)));
	report(set_base(DISABLED_MODE) == NO_EXCEPTION && set_base(XAPIC_MODE) == NO_EXCEPTION,
	       "back to xAPIC mode through disabled");
}

int main(void)
{
	report_start();
	check_cpuid();
	check_xapic_registers();
	check_transitions();
	check_x2apic_registers();
	return report_summary();
}
