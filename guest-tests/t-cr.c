// SPDX-License-Identifier: GPL-2.0
/*
 * CR0 and CR4 as the guest sees them. VMX non-root operation forces CR0.NE
 * and CR4.VMXE to 1 (SDM Vol. 3D A.7, A.8); hv must show the guest what it
 * wrote instead (read shadows) and hide VMX.
 */
#include "libguest.h"

#define X86_CR0_WP (1UL << 16)
#define X86_CR0_PG (1UL << 31)
#define X86_CR4_MCE (1UL << 6)
#define X86_CR4_SMXE (1UL << 14)
#define X86_CR4_CET (1UL << 23)
#define CPUID_1_ECX_SMX (1U << 6)
#define CPUID_7_ECX_CET_SS (1U << 7)
#define CPUID_7_EDX_CET_IBT (1U << 20)

/* Sets or clears bits in CR0, reads CR0 back, restores the old value. */
static void check_cr0_bits(uint64_t bits, bool set, const char *what)
{
	uint64_t old = read_cr0(), now;

	write_cr0(set ? old | bits : old & ~bits);
	now = read_cr0();
	write_cr0(old);
	report((now & bits) == (set ? bits : 0), "CR0 %s reads back (CR0 %#lx)", what, now);
}

static void check_cr4_bit(uint64_t bit, bool set, const char *what)
{
	uint64_t old = read_cr4(), now;

	write_cr4(set ? old | bit : old & ~bit);
	now = read_cr4();
	write_cr4(old);
	report((now & bit) == (set ? bit : 0), "CR4 %s reads back (CR4 %#lx)", what, now);
}

#define CR4_PCIDE (1UL << 17)
#define CR4_MCE (1UL << 6)
#define CPUID_1_ECX_PCID_BIT (1U << 17)
#define CR3_PCID_MASK 0xfffUL

/*
 * With CR4.PCIDE set, CR3[11:0] is the current PCID: only turning PCIDE on
 * needs them 0 (SDM Vol. 2B, MOV to CR: #GP "if an attempt is made to change
 * CR4.PCIDE from 0 to 1 while CR3[11:0] != 000H"). Linux runs with PCID 1
 * and then sets CR4.MCE, which hv owns (its MOV exits).
 */
static void check_cr4_with_pcid_in_cr3(uint64_t cr4)
{
	uint64_t cr3;

	if (!(cpuid(1).c & CPUID_1_ECX_PCID_BIT)) {
		report_skip("CR4 writes with a PCID in CR3: no PCID");
		return;
	}
	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	write_cr4((cr4 & ~CR4_MCE) | CR4_PCIDE);
	asm volatile("mov %0, %%cr3" : : "r"((cr3 & ~CR3_PCID_MASK) | 1) : "memory");
	report(write_cr4_safe(cr4 | CR4_PCIDE | CR4_MCE) != GP_VECTOR,
	       "CR4 write keeping PCIDE with PCID 1 in CR3 is allowed");
	asm volatile("mov %0, %%cr3" : : "r"(cr3 & ~CR3_PCID_MASK) : "memory");
	write_cr4(cr4 & ~CR4_PCIDE);
	asm volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
	write_cr4(cr4);
}

int main(void)
{
	uint64_t cr4;
	struct cpuid r;

	report_start();
	cr4 = read_cr4();
	report(!(cr4 & X86_CR4_VMXE), "CR4.VMXE reads 0 (CR4 %#lx)", cr4);

	/* The boot code set NE; clearing it must stick as far as the guest can see. */
	check_cr0_bits(X86_CR0_NE, false, "NE cleared");
	check_cr0_bits(X86_CR0_NE, true, "NE set");
	check_cr0_bits(X86_CR0_CD, true, "CD set");
	check_cr0_bits(X86_CR0_CD, false, "CD cleared");

	/* hv keeps the hardware's CR4.MCE set (machine checks are its own): the guest sees its own. */
	check_cr4_bit(X86_CR4_MCE, true, "MCE set");
	check_cr4_bit(X86_CR4_MCE, false, "MCE cleared");
	check_cr4_bit(X86_CR4_PGE, true, "PGE set");
	check_cr4_bit(X86_CR4_PGE, false, "PGE cleared");
	if (cpuid(1).c & CPUID_1_ECX_XSAVE) {
		check_cr4_bit(X86_CR4_OSXSAVE, true, "OSXSAVE set");
		check_cr4_bit(X86_CR4_OSXSAVE, false, "OSXSAVE cleared");
		/* CPUID.1:ECX.OSXSAVE mirrors CR4.OSXSAVE (SDM Vol. 2A CPUID). */
		write_cr4(read_cr4() | X86_CR4_OSXSAVE);
		r = cpuid(1);
		write_cr4(read_cr4() & ~X86_CR4_OSXSAVE);
		report(r.c & CPUID_1_ECX_OSXSAVE, "CPUID.1:ECX.OSXSAVE is 1 with CR4.OSXSAVE set");
		r = cpuid(1);
		report(!(r.c & CPUID_1_ECX_OSXSAVE),
		       "CPUID.1:ECX.OSXSAVE is 0 with CR4.OSXSAVE clear");
	} else {
		report_skip("CR4.OSXSAVE: no XSAVE in CPUID.1:ECX[26]");
	}

	/*
	 * IA-32e mode is left from compatibility mode only: in 64-bit mode a
	 * MOV to CR0 that clears PG raises #GP (SDM Vol. 2B MOV to CR).
	 */
	asm volatile(ASM_TRY("mov %0, %%cr0") : : "r"(read_cr0() & ~X86_CR0_PG) : "memory");
	report(caught_exception.vector == GP_VECTOR && (read_cr0() & X86_CR0_PG),
	       "clearing CR0.PG in 64-bit mode raises #GP (vector %d), paging stays on",
	       caught_exception.vector);

	/* A feature CPUID hides is absent: its CR4 bit is reserved (SDM Vol. 2B MOV to CR). */
	r = cpuid_count(7, 0);
	if (!(r.c & CPUID_7_ECX_CET_SS) && !(r.d & CPUID_7_EDX_CET_IBT)) {
		/* CR0.WP first: CR4.CET needs it even where CET exists. */
		write_cr0(read_cr0() | X86_CR0_WP);
		report(write_cr4_safe(cr4 | X86_CR4_CET) == GP_VECTOR,
		       "no CET in CPUID: setting CR4.CET raises #GP (CR4 %#lx)", read_cr4());
		write_cr4(cr4);
		write_cr0(read_cr0() & ~X86_CR0_WP);
	} else {
		report_skip("CR4.CET: CPUID announces CET");
	}
	if (!(cpuid(1).c & CPUID_1_ECX_SMX))
		report(write_cr4_safe(cr4 | X86_CR4_SMXE) == GP_VECTOR,
		       "no SMX in CPUID: setting CR4.SMXE raises #GP");
	else
		report_skip("CR4.SMXE: CPUID announces SMX");
	write_cr4(cr4);

	check_cr4_with_pcid_in_cr3(cr4);

	/*
	 * Last: QEMU 7.2 TCG loops forever on a MOV to CR4 with a reserved bit
	 * (it takes an SVM exit instead of raising #GP).
	 */
	report(write_cr4_safe(cr4 | X86_CR4_VMXE) == GP_VECTOR, "setting CR4.VMXE raises #GP");
	write_cr4(cr4);

	return report_summary();
}
