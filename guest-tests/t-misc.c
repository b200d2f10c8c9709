// SPDX-License-Identifier: GPL-2.0
/*
 * Instructions hv handles or refuses on the guest's behalf: cache
 * write-backs complete; VMCALL is a hypercall; the other VMX instructions and
 * MONITOR/MWAIT, which CPUID does not announce, raise #UD.
 */
#include <hypercall.h>
#include "libguest.h"

static int run(const char *what, int vector_wanted, int vector)
{
	report(vector == vector_wanted, "%s: %s (vector %d)", what,
	       vector_wanted == NO_EXCEPTION ? "completes" : "raises #UD", vector);
	return vector;
}

int main(void)
{
	uint64_t zero = 0;

	report_start();
	asm volatile(ASM_TRY("wbinvd") : : : "memory");
	run("WBINVD", NO_EXCEPTION, caught_exception.vector);
	asm volatile(ASM_TRY("invd") : : : "memory");
	run("INVD", NO_EXCEPTION, caught_exception.vector);
	report(hypercall(0x7fffffff, 0, 0, 0, 0) == -HV_ENOSYS,
	       "VMCALL with an unknown number returns -HV_ENOSYS");
	report(hypercall(1, 1, 0x100000, 0, 0) == -HV_ENOSYS,
	       "number 1, once the vCPU-start call, is gone: -HV_ENOSYS");
	asm volatile(ASM_TRY("vmxon %0") : : "m"(zero) : "memory");
	run("VMXON", UD_VECTOR, caught_exception.vector);
	asm volatile(ASM_TRY("monitor") : : "a"(&zero), "c"(0), "d"(0) : "memory");
	run("MONITOR", UD_VECTOR, caught_exception.vector);
	asm volatile(ASM_TRY("mwait") : : "a"(0), "c"(0) : "memory");
	run("MWAIT", UD_VECTOR, caught_exception.vector);
	return report_summary();
}
