// SPDX-License-Identifier: GPL-2.0
/*
 * CR0 and CR4 as the guest sees them. VMX non-root operation forces CR0.NE
 * and CR4.VMXE to 1 (SDM Vol. 3D A.7, A.8); hv must show the guest what it
 * wrote instead (read shadows) and hide VMX.
 */
#include "libguest.h"

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
	 * Last: QEMU 7.2 TCG loops forever on a MOV to CR4 with a reserved bit
	 * (it takes an SVM exit instead of raising #GP).
	 */
	report(write_cr4_safe(cr4 | X86_CR4_VMXE) == GP_VECTOR, "setting CR4.VMXE raises #GP");
	write_cr4(cr4);

	return report_summary();
}
