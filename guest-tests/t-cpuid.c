// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID as hv presents it: VMX hidden, the hypervisor leaves, and nothing
 * announced that is not there: every feature CPUID announces has its MSRs
 * (Bochs announces a PMU, CET, TSC_ADJUST and more whose MSRs fault under hv).
 */
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define CPUID_PMU_LEAF 0xa
#define CPUID_PMU_VERSION_MASK 0xff /* EAX[7:0] */
#define CPUID_XSAVE_LEAF 0xd
#define CPUID_1_EDX_APIC (1U << 9)
#define CPUID_D_1_EAX_XSAVES (1U << 3)

#define MSR_IA32_XSS 0xda0
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000UL
#define APIC_VERSION_REG 0x30
#define XCR0_X87_SSE 3U

enum reg { EAX, EBX, ECX, EDX };

/* A feature CPUID leaf 7 (or 0xd) announces, and an MSR that exists with it. */
struct backed_feature {
	const char *name;
	uint32_t leaf, subleaf;
	enum reg reg;
	unsigned int bit;
	uint32_t msr;
};

static const struct backed_feature features[] = {
	{ "TSC_ADJUST", 7, 0, EBX, 1, 0x3b }, /* IA32_TSC_ADJUST */
	{ "Intel PT", 7, 0, EBX, 25, 0x570 }, /* IA32_RTIT_CTL */
	{ "CET_SS", 7, 0, ECX, 7, 0x6a0 }, /* IA32_U_CET */
	{ "PKS", 7, 0, ECX, 31, 0x6e1 }, /* IA32_PKRS */
	{ "CET_IBT", 7, 0, EDX, 20, 0x6a0 }, /* IA32_U_CET */
	{ "IBRS/IBPB", 7, 0, EDX, 26, 0x48 }, /* IA32_SPEC_CTRL */
	{ "STIBP", 7, 0, EDX, 27, 0x48 },
	{ "SSBD", 7, 0, EDX, 31, 0x48 },
	{ "ARCH_CAPABILITIES", 7, 0, EDX, 29, 0x10a },
	{ "CORE_CAPABILITIES", 7, 0, EDX, 30, 0xcf },
	{ "architectural LBR", 7, 0, EDX, 19, 0x14ce }, /* IA32_LBR_CTL */
	{ "XSAVES", CPUID_XSAVE_LEAF, 1, EAX, 3, MSR_IA32_XSS },
	{ "XFD", CPUID_XSAVE_LEAF, 1, EAX, 4, 0x1c4 }, /* IA32_XFD */
};

/* PMC0, PERFEVTSEL0, FIXED_CTR0, PERF_CAPABILITIES, FIXED_CTR_CTRL, GLOBAL_STATUS/CTRL. */
static const uint32_t pmu_msrs[] = { 0xc1, 0x186, 0x309, 0x345, 0x38d, 0x38e, 0x38f };

static uint32_t reg_of(struct cpuid r, enum reg reg)
{
	const uint32_t regs[] = { r.a, r.b, r.c, r.d };

	return regs[reg];
}

static void check_features_backed(void)
{
	uint64_t v;

	for (unsigned int i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		const struct backed_feature *f = &features[i];
		bool announced = reg_of(cpuid_count(f->leaf, f->subleaf), f->reg) & (1U << f->bit);

		if (announced)
			report(rdmsr_safe(f->msr, &v) == NO_EXCEPTION,
			       "CPUID announces %s: MSR %#x reads without #GP", f->name, f->msr);
		else
			report(true, "CPUID does not announce %s", f->name);
	}
}

/* An APIC CPUID announces is there: IA32_APIC_BASE reads, its page answers (t-apic tests it). */
static void check_apic(void)
{
	uint64_t base = 0;
	int vector = rdmsr_safe(MSR_IA32_APIC_BASE, &base);

	if (!(cpuid(1).d & CPUID_1_EDX_APIC)) {
		report(vector == GP_VECTOR,
		       "no APIC in CPUID.1:EDX[9]: IA32_APIC_BASE raises #GP (%d)", vector);
		return;
	}
	report(vector == NO_EXCEPTION,
	       "CPUID.1:EDX[9] announces an APIC: IA32_APIC_BASE reads (%d)", vector);
	if (vector == NO_EXCEPTION) {
		uint32_t version =
			*(volatile uint32_t *)((base & APIC_BASE_ADDR_MASK) + APIC_VERSION_REG);

		report(version != 0xffffffff, "the APIC at %#lx answers: version register %#x",
		       base & APIC_BASE_ADDR_MASK, version);
	}
}

static void check_pmu(void)
{
	struct cpuid r = cpuid(CPUID_PMU_LEAF);
	uint32_t pmu_version = r.a & CPUID_PMU_VERSION_MASK, lo = 0, hi = 0;
	uint64_t v;

	if (pmu_version) {
		report(rdmsr_safe(pmu_msrs[0], &v) == NO_EXCEPTION,
		       "CPUID.0xA announces PMU version %u: IA32_PMC0 reads without #GP",
		       pmu_version);
		return;
	}
	report(r.a == 0 && r.b == 0 && r.c == 0 && r.d == 0,
	       "CPUID.0xA announces no PMU: EAX..EDX %#x %#x %#x %#x are 0", r.a, r.b, r.c, r.d);
	for (unsigned int i = 0; i < sizeof(pmu_msrs) / sizeof(pmu_msrs[0]); i++)
		report(rdmsr_safe(pmu_msrs[i], &v) == GP_VECTOR, "no PMU: MSR %#x raises #GP",
		       pmu_msrs[i]);
	asm volatile(ASM_TRY("rdpmc") : "+a"(lo), "+d"(hi) : "c"(0) : "memory");
	report(caught_exception.vector == GP_VECTOR, "no PMU: RDPMC of counter 0 raises #GP (%d)",
	       caught_exception.vector);
}

/* XSAVES with IA32_XSS: the supported supervisor states (leaf 0xD.1 ECX:EDX) and no others. */
static void check_xsaves(void)
{
	static uint8_t area[4096] __attribute__((aligned(64)));
	struct cpuid r = cpuid_count(CPUID_XSAVE_LEAF, 1);
	uint64_t xss = ~0UL, supported = r.c | (uint64_t)r.d << 32;
	uint64_t xcr0 = read_cr4() & X86_CR4_OSXSAVE ? xgetbv(0) : 0;
	int vector;

	if (!(r.a & CPUID_D_1_EAX_XSAVES)) {
		report_skip("no XSAVES in CPUID.(0xD,1):EAX[3]");
		return;
	}
	vector = rdmsr_safe(MSR_IA32_XSS, &xss);
	report(vector == NO_EXCEPTION && !(xss & ~supported),
	       "IA32_XSS reads (%d) and holds only supported states: %#lx (%#lx)", vector, xss,
	       supported);
	report(wrmsr_safe(MSR_IA32_XSS, 0) == NO_EXCEPTION, "IA32_XSS accepts 0");
	for (unsigned int bit = 0; bit < 64; bit++) {
		if (supported & (1UL << bit))
			continue;
		if (wrmsr_safe(MSR_IA32_XSS, 1UL << bit) != GP_VECTOR) {
			report(false, "IA32_XSS bit %u (not supported) raises #GP", bit);
			wrmsr_safe(MSR_IA32_XSS, 0);
			return;
		}
	}
	report(true, "IA32_XSS: every unsupported bit raises #GP");
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	xsetbv(0, XCR0_X87_SSE);
	asm volatile(ASM_TRY("xsaves64 %0") : "+m"(area) : "a"(XCR0_X87_SSE), "d"(0) : "memory");
	report(caught_exception.vector == NO_EXCEPTION, "XSAVES of x87 and SSE state runs (%d)",
	       caught_exception.vector);
	if (xcr0)
		xsetbv(0, xcr0);
	else
		write_cr4(read_cr4() & ~X86_CR4_OSXSAVE);
}

int main(void)
{
	struct cpuid r = cpuid(1);

	report_start();
	report(!(r.c & CPUID_1_ECX_VMX), "CPUID.1:ECX.VMX[5] is 0 (VMX hidden)");
	report(r.c & CPUID_1_ECX_HYPERVISOR, "CPUID.1:ECX[31] is 1 (hypervisor present)");
	/* hv answers leaves 15H and 16H (the TSC's rate) on every CPU, also where its own stop lower. */
	r = cpuid(0);
	report(r.a >= 0x16 && cpuid(0x15).c != 0,
	       "CPUID.0:EAX %#x reaches leaf 16H, and leaf 15H tells the crystal (%u Hz)", r.a,
	       cpuid(0x15).c);

	r = cpuid(HV_CPUID_SIGNATURE);
	report(r.a >= HV_CPUID_FEATURES, "CPUID.0x40000000:EAX %#x >= %#x", r.a, HV_CPUID_FEATURES);
	report(r.b == HV_SIGNATURE_EBX && r.c == HV_SIGNATURE_ECX && r.d == HV_SIGNATURE_EDX,
	       "CPUID.0x40000000 signature is \"hvhvhvhvhvhv\" (EBX %#x ECX %#x EDX %#x)", r.b, r.c,
	       r.d);

	r = cpuid(HV_CPUID_FEATURES);
	report(r.a == HV_ABI_VERSION, "CPUID.0x40000001:EAX ABI version %u == %u", r.a,
	       HV_ABI_VERSION);

	check_features_backed();
	check_apic();
	check_pmu();
	check_xsaves();
	return report_summary();
}
