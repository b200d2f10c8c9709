// SPDX-License-Identifier: GPL-2.0
/*
 * XSETBV always exits in VMX non-root operation: hv must apply the checks
 * the CPU would (SDM Vol. 2C XSETBV; Vol. 1 13.3) and load XCR0 only when
 * they pass.
 */
#include "libguest.h"

#define XCR0 0
#define XCR_XINUSE 1 /* readable only, where CPUID.(0xD,1):EAX[2] says so */
#define XFEATURE_X87 (1UL << 0)
#define XFEATURE_SSE (1UL << 1)
#define XFEATURE_AVX (1UL << 2)
#define CPUID_XSAVE_LEAF 0xd
#define CPUID_D_1_EAX_XGETBV_ECX1 (1U << 2)

int main(void)
{
	uint64_t v;
	int vector;

	report_start();
	if (!(cpuid(1).c & CPUID_1_ECX_XSAVE)) {
		report_skip("XSETBV: no XSAVE in CPUID.1:ECX[26]");
		return report_summary();
	}
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);

	vector = xsetbv_safe(XCR0, XFEATURE_X87 | XFEATURE_SSE);
	report(vector == NO_EXCEPTION, "XSETBV XCR0 = x87|SSE runs (vector %d)", vector);
	v = xgetbv(XCR0);
	report(v == (XFEATURE_X87 | XFEATURE_SSE), "XGETBV XCR0 reads 0x3 (%#lx)", v);

	report(xsetbv_safe(XCR0, 0) == GP_VECTOR, "XSETBV XCR0 = 0 (x87 clear) raises #GP");
	report(xsetbv_safe(XCR0, XFEATURE_AVX | XFEATURE_X87) == GP_VECTOR,
	       "XSETBV XCR0 = x87|AVX (AVX without SSE) raises #GP");
	v = xgetbv(XCR0);
	report(v == (XFEATURE_X87 | XFEATURE_SSE), "the refused XSETBVs leave XCR0 at 0x3 (%#lx)",
	       v);

	/* Only XCR0 is writable; XCR1 reads XINUSE where the CPU has it. */
	report(xsetbv_safe(XCR_XINUSE, 0) == GP_VECTOR, "XSETBV of XCR1 raises #GP");
	vector = xgetbv_safe(XCR_XINUSE, &v);
	if (cpuid_count(CPUID_XSAVE_LEAF, 1).a & CPUID_D_1_EAX_XGETBV_ECX1)
		report(vector == NO_EXCEPTION, "XGETBV of XCR1 runs (CPUID.(0xD,1):EAX[2] set)");
	else
		report(vector == GP_VECTOR,
		       "XGETBV of XCR1 raises #GP (CPUID.(0xD,1):EAX[2] clear)");

	return report_summary();
}
