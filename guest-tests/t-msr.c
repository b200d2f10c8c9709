// SPDX-License-Identifier: GPL-2.0
/* MSRs: passed-through or emulated ones keep what the guest writes; unknown ones #GP. */
#include "libguest.h"

#define MSR_IA32_FEATURE_CONTROL 0x3a
#define MSR_IA32_TSC_ADJUST 0x3b
#define CPUID_7_EBX_TSC_ADJUST (1U << 1)
#define TSC_MOVE 1000000UL
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1UL << 2)
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_PAT 0x277
#define MSR_IA32_STAR 0xc0000081
#define MSR_IA32_LSTAR 0xc0000082
#define MSR_IA32_KERNEL_GS_BASE 0xc0000102
#define MSR_IA32_TSC_AUX 0xc0000103
#define MSR_IA32_MTRR_DEF_TYPE 0x2ff
#define MTRR_DEF_TYPE_E (1UL << 11)
#define PAT_POWER_ON 0x0007040600070406UL /* WB WT UC- UC, twice */
#define PAT_WC_IN_ENTRY_1 0x0007040600070106UL /* entry 1 WT -> WC */

/* Writes v, reads it back, restores the old value. */
static void check_roundtrip(uint32_t msr, const char *name, uint64_t v)
{
	uint64_t old, now;
	int wr, rd;

	if (rdmsr_safe(msr, &old) != NO_EXCEPTION) {
		report(false, "%s (%#x) reads without #GP", name, msr);
		return;
	}
	wr = wrmsr_safe(msr, v);
	rd = rdmsr_safe(msr, &now);
	report(wr == NO_EXCEPTION && rd == NO_EXCEPTION && now == v,
	       "%s (%#x) keeps %#lx (read %#lx, vectors %d/%d)", name, msr, v, now, wr, rd);
	wrmsr(msr, old);
}

/*
 * IA32_MTRR_DEF_TYPE takes the memory types UC, WC, WT, WP and WB; the
 * encodings 2, 3 and 7..0xff are reserved and raise #GP (SDM Vol. 3A
 * 12.11.2.1, Table 12-8).
 */
static void check_mtrr_def_type(void)
{
	static const uint8_t valid[] = { 0, 1, 4, 5, 6 }, reserved[] = { 2, 3, 7, 8, 0x80, 0xff };
	uint64_t old = rdmsr(MSR_IA32_MTRR_DEF_TYPE), now;
	unsigned int i;

	for (i = 0; i < sizeof(valid); i++) {
		int wr = wrmsr_safe(MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | valid[i]);

		now = rdmsr(MSR_IA32_MTRR_DEF_TYPE);
		report(wr == NO_EXCEPTION && now == (MTRR_DEF_TYPE_E | valid[i]),
		       "IA32_MTRR_DEF_TYPE takes memory type %u (read %#lx)", valid[i], now);
	}
	for (i = 0; i < sizeof(reserved); i++)
		report(wrmsr_safe(MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | reserved[i]) ==
			       GP_VECTOR,
		       "IA32_MTRR_DEF_TYPE with reserved memory type %#x raises #GP", reserved[i]);
	wrmsr(MSR_IA32_MTRR_DEF_TYPE, old);
}

static void check_unknown(uint32_t msr)
{
	uint64_t v;

	report(rdmsr_safe(msr, &v) == GP_VECTOR, "rdmsr of unknown MSR %#x raises #GP", msr);
	report(wrmsr_safe(msr, 0) == GP_VECTOR, "wrmsr of unknown MSR %#x raises #GP", msr);
}

int main(void)
{
	uint64_t v;
	uint32_t aux;
	int vector;

	report_start();
	check_roundtrip(MSR_IA32_SYSENTER_ESP, "IA32_SYSENTER_ESP", 0x0000123456789ab0UL);
	check_roundtrip(MSR_IA32_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE", 0xffff800012345000UL);
	check_roundtrip(MSR_IA32_LSTAR, "IA32_LSTAR", 0xffffffff81234560UL);
	check_roundtrip(MSR_IA32_STAR, "IA32_STAR", 0x0023001000000000UL);
	check_roundtrip(MSR_IA32_PAT, "IA32_PAT", PAT_POWER_ON);
	check_roundtrip(MSR_IA32_PAT, "IA32_PAT", PAT_WC_IN_ENTRY_1);

	if (cpuid(0x80000001).d & CPUID_80000001_EDX_RDTSCP) {
		check_roundtrip(MSR_IA32_TSC_AUX, "IA32_TSC_AUX", 0x12345);
		/* RDTSCP returns IA32_TSC_AUX in ECX. */
		wrmsr(MSR_IA32_TSC_AUX, 0x2a);
		aux = 0;
		asm volatile(ASM_TRY("rdtscp") : "+c"(aux) : : "rax", "rdx", "memory");
		report(caught_exception.vector == NO_EXCEPTION && aux == 0x2a,
		       "RDTSCP runs and returns IA32_TSC_AUX 0x2a in ECX (%#x)", aux);
	} else {
		report_skip("IA32_TSC_AUX: no RDTSCP in CPUID.80000001:EDX[27]");
	}

	/* The TSC is the host's, never offset (hv/vmx/msr.c): nothing adjusted it. */
	if (cpuid_count(7, 0).b & CPUID_7_EBX_TSC_ADJUST) {
		uint64_t before = tsc_read(), after;

		v = ~0UL;
		vector = rdmsr_safe(MSR_IA32_TSC_ADJUST, &v);
		report(vector == NO_EXCEPTION && v == 0, "IA32_TSC_ADJUST reads 0 (%#lx)", v);
		report(wrmsr_safe(MSR_IA32_TSC_ADJUST, 0) == NO_EXCEPTION,
		       "IA32_TSC_ADJUST takes 0");
		vector = wrmsr_safe(MSR_IA32_TSC_ADJUST, TSC_MOVE);
		after = tsc_read();
		report(vector == GP_VECTOR && after - before < TSC_MOVE,
		       "a write that would move the TSC raises #GP (vector %d), the TSC unmoved",
		       vector);
	} else {
		report_skip("IA32_TSC_ADJUST: not in CPUID.(7,0):EBX[1]");
	}

	check_mtrr_def_type();
	check_unknown(0x12345678);
	check_unknown(0xbad);

	vector = rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &v);
	report(vector == GP_VECTOR ||
		       (vector == NO_EXCEPTION && !(v & FEATURE_CONTROL_VMX_OUTSIDE_SMX)),
	       "IA32_FEATURE_CONTROL raises #GP or has VMX-outside-SMX clear (vector %d, %#lx)",
	       vector, v);

	return report_summary();
}
