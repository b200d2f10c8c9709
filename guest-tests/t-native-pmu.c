// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's architectural PMU, run natively (no hv): CPUID.0AH and the
 * counters it announces, exact counts over known instruction sequences,
 * overflow, the PMI through the local APIC, Freeze_PerfMon_On_PMI, RDPMC,
 * full-width writes and the bits that raise #GP (SDM Vol. 3B chapter
 * "Performance Monitoring"). Bochs retires one instruction per cycle and
 * counts deterministically, so every count here is exact: the enabling
 * WRMSR counts, the disabling one does not, and every window is one asm
 * block so that the compiler adds nothing to it.
 */
#include <stdio.h>
#include <string.h>
#include "libguest.h"
#include "perfmon.h"

#define CPUID_1_EDX_APIC (1U << 9)
#define MSR_IA32_APIC_BASE 0x1b
#define APIC_BASE_ADDR_MASK 0xfffff000UL
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_SVR_ENABLE (1U << 8)
#define APIC_LVT_PERFMON 0x340
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_MASKED (1U << 16)
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1
#define PMI_VECTOR 0xe0
#define SPURIOUS_VECTOR 0xff

#define ALL_COUNTERS (0xffUL | GLOBAL_FIXED(0) | GLOBAL_FIXED(1) | GLOBAL_FIXED(2))
#define RDPMC_FIXED (1U << 30)

/* Instructions a count_loop() window retires: WRMSR, MOV, loops * (DEC, JNZ), XOR, XOR. */
#define LOOP_WINDOW_INSTRUCTIONS(loops) (2 * (loops) + 4)

static volatile uint32_t *apic;
static volatile unsigned int pmi_count;
static volatile uint64_t pmi_status;
static volatile uint32_t pmi_lvt;

static uint32_t apic_read(unsigned int reg)
{
	return apic[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
	apic[reg / 4] = v;
}

static void pmi_handler(void)
{
	pmi_count++;
	pmi_status = rdmsr(MSR_IA32_PERF_GLOBAL_STATUS);
	pmi_lvt = apic_read(APIC_LVT_PERFMON);
	apic_write(APIC_EOI, 0);
}

static void spurious_handler(void)
{
}

/* Clears every counter, control and status bit. */
static void pmu_clear(void)
{
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, 0);
	for (int n = 0; n < PMU_GP_COUNTERS; n++) {
		wrmsr(MSR_IA32_PERFEVTSEL0 + n, 0);
		wrmsr(MSR_IA32_A_PMC0 + n, 0);
	}
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, 0);
	for (int n = 0; n < PMU_FIXED_COUNTERS; n++)
		wrmsr(MSR_IA32_FIXED_CTR0 + n, 0);
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_RESET, rdmsr(MSR_IA32_PERF_GLOBAL_STATUS));
	wrmsr(MSR_IA32_DEBUGCTL, 0);
}

/* Enables the counters in @enable around @loops iterations of DEC/JNZ. */
static void count_loop(uint64_t enable, uint64_t loops)
{
	uint32_t lo = enable, hi = enable >> 32;

	asm volatile("wrmsr\n\t"
		     "mov %[loops], %%rbx\n\t"
		     "1: dec %%rbx\n\t"
		     "jnz 1b\n\t"
		     "xor %%eax, %%eax\n\t"
		     "xor %%edx, %%edx\n\t"
		     "wrmsr"
		     : "+a"(lo), "+d"(hi)
		     : "c"(MSR_IA32_PERF_GLOBAL_CTRL), [loops] "r"(loops)
		     : "rbx", "memory");
}

/* The same loop with interrupts enabled, the counters left as they are. */
static void loop_with_interrupts(uint64_t loops)
{
	asm volatile("sti\n\t"
		     "1: dec %0\n\t"
		     "jnz 1b\n\t"
		     "cli"
		     : "+r"(loops)
		     :
		     : "memory");
}

static void check_cpuid(void)
{
	struct cpuid r = cpuid(CPUID_PMU_LEAF), l1 = cpuid(1);

	/*
	 * Version 4, 8 counters of 48 bits, 7 events of which LLC references,
	 * LLC misses and branch mispredicts are unavailable; 3 fixed counters
	 * of 48 bits.
	 */
	report(r.a == 0x07300804 && r.b == 0x58 && r.c == 0 && r.d == 0x603,
	       "CPUID.0AH is EAX 0x07300804 EBX 0x58 ECX 0 EDX 0x603 (%#x %#x %#x %#x)", r.a, r.b,
	       r.c, r.d);
	report(l1.c & CPUID_1_ECX_PDCM, "CPUID.01H:ECX.PDCM[15] is 1");
	report(!(l1.c & (CPUID_1_ECX_DTES64 | CPUID_1_ECX_DS_CPL)) && !(l1.d & CPUID_1_EDX_DS),
	       "CPUID.01H reports no debug store (DTES64, DS-CPL, DS are 0)");
	report(rdmsr(MSR_IA32_PERF_CAPABILITIES) == (PERF_CAP_FW_WRITE | PERF_CAP_LBR_FMT_EIP_INFO),
	       "IA32_PERF_CAPABILITIES is 0x2005: full-width writes, LBR format 000101B (%#lx)",
	       rdmsr(MSR_IA32_PERF_CAPABILITIES));
}

static void check_exact_counts(uint64_t loops)
{
	uint64_t expect = LOOP_WINDOW_INSTRUCTIONS(loops);
	static const uint64_t events[] = {
		EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_USR,
		EVENT_BRANCHES | EVTSEL_OS | EVTSEL_USR,
		EVENT_CORE_CYCLES | EVTSEL_OS | EVTSEL_USR,
		EVENT_REF_CYCLES | EVTSEL_OS | EVTSEL_USR,
		EVENT_INSTRUCTIONS | EVTSEL_USR,
		EVENT_INSTRUCTIONS | EVTSEL_OS,
		EVENT_LLC_REFERENCES | EVTSEL_OS | EVTSEL_USR,
		EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_USR,
	};
	uint64_t pmc[PMU_GP_COUNTERS], fixed[PMU_FIXED_COUNTERS];

	pmu_clear();
	for (int n = 0; n < PMU_GP_COUNTERS; n++)
		wrmsr(MSR_IA32_PERFEVTSEL0 + n, events[n] | EVTSEL_EN);
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, FIXED_CTRL(0, FIXED_CTRL_OS | FIXED_CTRL_USR) |
					       FIXED_CTRL(1, FIXED_CTRL_OS | FIXED_CTRL_USR) |
					       FIXED_CTRL(2, FIXED_CTRL_OS | FIXED_CTRL_USR));
	/* IA32_PMC7 is set up like IA32_PMC0 but its global enable stays clear. */
	count_loop(ALL_COUNTERS & ~GLOBAL_PMC(7), loops);
	for (int n = 0; n < PMU_GP_COUNTERS; n++)
		pmc[n] = rdmsr(MSR_IA32_PMC0 + n);
	for (int n = 0; n < PMU_FIXED_COUNTERS; n++)
		fixed[n] = rdmsr(MSR_IA32_FIXED_CTR0 + n);

	report(fixed[0] == expect, "%lu loops: IA32_FIXED_CTR0 counts %lu instructions (%lu)",
	       loops, expect, fixed[0]);
	report(pmc[0] == expect, "%lu loops: instructions retired (C0H) on IA32_PMC0: %lu (%lu)",
	       loops, expect, pmc[0]);
	report(pmc[1] == loops, "%lu loops: branch instructions retired (C4H): %lu (%lu)", loops,
	       loops, pmc[1]);
	report(fixed[1] == expect && fixed[2] == expect && pmc[2] == expect && pmc[3] == expect,
	       "%lu loops: core and reference cycles, fixed and general: one per instruction, %lu (%lu %lu %lu %lu)",
	       loops, expect, fixed[1], fixed[2], pmc[2], pmc[3]);
	report(pmc[4] == 0, "USR only: nothing counts at CPL 0 (%lu)", pmc[4]);
	report(pmc[5] == expect, "OS only: %lu at CPL 0 (%lu)", expect, pmc[5]);
	report(pmc[6] == 0, "LLC references, which CPUID says are unavailable, count nothing (%lu)",
	       pmc[6]);
	report(pmc[7] == 0,
	       "a counter whose IA32_PERF_GLOBAL_CTRL bit is clear counts nothing (%lu)", pmc[7]);

	/* Counting stopped with the window: the reads above did not count. */
	report(rdmsr(MSR_IA32_PMC0) == pmc[0] && rdmsr(MSR_IA32_FIXED_CTR0) == fixed[0],
	       "%lu loops: counters stand still after the disabling WRMSR", loops);
}

static void check_rep_and_faults(void)
{
	static uint8_t buf[4096];
	const uint64_t enable = GLOBAL_FIXED(0) | GLOBAL_FIXED(1);
	uint32_t lo = (uint32_t)enable, hi = enable >> 32, ecx = MSR_IA32_PERF_GLOBAL_CTRL;
	uint64_t ins, cyc;
	void *dst = buf;

	pmu_clear();
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, FIXED_CTRL(0, FIXED_CTRL_OS | FIXED_CTRL_USR) |
					       FIXED_CTRL(1, FIXED_CTRL_OS | FIXED_CTRL_USR));
	asm volatile("wrmsr\n\t"
		     "mov $4000, %%ecx\n\t"
		     "rep stosb\n\t"
		     "mov %[ctl], %%ecx\n\t"
		     "xor %%eax, %%eax\n\t"
		     "xor %%edx, %%edx\n\t"
		     "wrmsr"
		     : "+a"(lo), "+d"(hi), "+D"(dst), "+c"(ecx)
		     : [ctl] "i"(MSR_IA32_PERF_GLOBAL_CTRL)
		     : "memory");
	ins = rdmsr(MSR_IA32_FIXED_CTR0);
	cyc = rdmsr(MSR_IA32_FIXED_CTR0 + 1);
	/* WRMSR, MOV, REP STOSB, MOV, XOR, XOR (SDM Vol. 3B 20.2.1.2: a REP instruction counts once) */
	report(ins == 6, "REP STOSB of 4000 bytes retires as one instruction: 6 (%lu)", ins);
	report(cyc >= ins, "it takes at least as many cycles: %lu", cyc);

	/*
	 * A faulting instruction does not retire (SDM Vol. 3B 20.2.1.2); it
	 * takes the cycle of the exception's delivery. Everything else in the
	 * window, the handler and its IRET included, retires one instruction
	 * per cycle, so cycles exceed instructions by exactly one.
	 */
	pmu_clear();
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, FIXED_CTRL(0, FIXED_CTRL_OS | FIXED_CTRL_USR) |
					       FIXED_CTRL(1, FIXED_CTRL_OS | FIXED_CTRL_USR));
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, enable);
	asm volatile(ASM_TRY("ud2") : : : "memory");
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, 0);
	ins = rdmsr(MSR_IA32_FIXED_CTR0);
	cyc = rdmsr(MSR_IA32_FIXED_CTR0 + 1);
	report(caught_exception.vector == UD_VECTOR && cyc == ins + 1,
	       "UD2 raises #UD and does not retire: cycles %lu = instructions %lu + 1", cyc, ins);
}

/*
 * IA32_PMC0 starts @left instructions short of overflowing; the window reads
 * IA32_PERF_GLOBAL_STATUS after WRMSR and MOV retired. Returns that status.
 */
static uint64_t status_after_two(uint64_t left)
{
	uint32_t lo = GLOBAL_PMC(0), hi = 0, status;

	pmu_clear();
	wrmsr(MSR_IA32_PERFEVTSEL0, EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_USR | EVTSEL_EN);
	wrmsr(MSR_IA32_A_PMC0, (1UL << PMU_COUNTER_WIDTH) - left);
	asm volatile("wrmsr\n\t"
		     "mov %[status], %%ecx\n\t"
		     "rdmsr\n\t"
		     "mov %%eax, %[out]\n\t"
		     "mov %[ctl], %%ecx\n\t"
		     "xor %%eax, %%eax\n\t"
		     "xor %%edx, %%edx\n\t"
		     "wrmsr"
		     : "+a"(lo), "+d"(hi), [out] "=&r"(status)
		     : "c"(MSR_IA32_PERF_GLOBAL_CTRL), [status] "i"(MSR_IA32_PERF_GLOBAL_STATUS),
		       [ctl] "i"(MSR_IA32_PERF_GLOBAL_CTRL)
		     : "memory");
	return status;
}

static void check_overflow_point(void)
{
	uint64_t status = status_after_two(3);

	report(!(status & GLOBAL_PMC(0)),
	       "2 instructions with 3 left: no overflow yet (status %#lx)", status);
	status = status_after_two(2);
	report(status & GLOBAL_PMC(0),
	       "2 instructions with 2 left: IA32_PERF_GLOBAL_STATUS shows the overflow at once (%#lx)",
	       status);
	report(rdmsr(MSR_IA32_PMC0) == 5, "the counter wrapped and went on counting: 5 (%lu)",
	       rdmsr(MSR_IA32_PMC0));
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_RESET, GLOBAL_PMC(0));
	report(!(rdmsr(MSR_IA32_PERF_GLOBAL_STATUS) & GLOBAL_PMC(0)),
	       "IA32_PERF_GLOBAL_STATUS_RESET clears the overflow bit");
}

/*
 * IA32_PMC0 counts instructions from 100 short of overflowing, its event
 * select with @evtsel_extra, the LVT entry set to @lvt, interrupts enabled.
 */
static void overflow_pmc0(uint64_t evtsel_extra, uint32_t lvt)
{
	pmu_clear();
	pmi_count = 0;
	pmi_status = 0;
	apic_write(APIC_LVT_PERFMON, lvt);
	wrmsr(MSR_IA32_PERFEVTSEL0,
	      EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_USR | EVTSEL_EN | evtsel_extra);
	wrmsr(MSR_IA32_A_PMC0, (1UL << PMU_COUNTER_WIDTH) - 100);
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, GLOBAL_PMC(0));
	loop_with_interrupts(1000);
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, 0);
}

static void check_pmi(void)
{
	uint64_t pmc0;

	overflow_pmc0(EVTSEL_INT, PMI_VECTOR);
	pmc0 = rdmsr(MSR_IA32_PMC0);
	report(pmi_count == 1 && (pmi_status & GLOBAL_PMC(0)),
	       "overflow with INT: one PMI at vector %#x, status %#lx in the handler (%u PMIs)",
	       PMI_VECTOR, pmi_status, pmi_count);
	report(pmi_lvt & APIC_LVT_MASKED,
	       "the PMI masked the LVT performance counter entry (SDM Vol. 3A 11.5.1): %#x",
	       pmi_lvt);
	report(pmc0 > 0 && pmc0 < 4000, "the counter wrapped and counts on: %lu", pmc0);

	overflow_pmc0(0, PMI_VECTOR);
	report(pmi_count == 0 && (rdmsr(MSR_IA32_PERF_GLOBAL_STATUS) & GLOBAL_PMC(0)),
	       "overflow without INT: status bit set, no PMI (%u)", pmi_count);
	report(!(apic_read(APIC_LVT_PERFMON) & APIC_LVT_MASKED),
	       "without a PMI the LVT entry stays unmasked");

	overflow_pmc0(EVTSEL_INT, PMI_VECTOR | APIC_LVT_MASKED);
	report(pmi_count == 0 && (rdmsr(MSR_IA32_PERF_GLOBAL_STATUS) & GLOBAL_PMC(0)),
	       "overflow with INT but the LVT entry masked: status bit set, no interrupt (%u)",
	       pmi_count);
}

static void check_freeze(void)
{
	uint64_t pmc0, fixed0, status;

	pmu_clear();
	wrmsr(MSR_IA32_DEBUGCTL, DEBUGCTL_FREEZE_PERFMON_ON_PMI);
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, FIXED_CTRL(0, FIXED_CTRL_OS | FIXED_CTRL_USR));
	wrmsr(MSR_IA32_PERFEVTSEL0,
	      EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_USR | EVTSEL_EN | EVTSEL_INT);
	wrmsr(MSR_IA32_A_PMC0, (1UL << PMU_COUNTER_WIDTH) - 100);
	apic_write(APIC_LVT_PERFMON, PMI_VECTOR);
	pmi_count = 0;
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, GLOBAL_PMC(0) | GLOBAL_FIXED(0));
	loop_with_interrupts(1000);
	status = rdmsr(MSR_IA32_PERF_GLOBAL_STATUS);
	pmc0 = rdmsr(MSR_IA32_PMC0);
	fixed0 = rdmsr(MSR_IA32_FIXED_CTR0);
	loop_with_interrupts(1000);
	report(pmi_count == 1 && (status & GLOBAL_STATUS_CTR_FRZ) && (status & GLOBAL_PMC(0)),
	       "Freeze_PerfMon_On_PMI: the PMI sets CTR_FRZ (status %#lx)", status);
	report(rdmsr(MSR_IA32_PERF_GLOBAL_CTRL) == (GLOBAL_PMC(0) | GLOBAL_FIXED(0)),
	       "version 4 freezes through CTR_FRZ: IA32_PERF_GLOBAL_CTRL keeps its value");
	report(rdmsr(MSR_IA32_PMC0) == pmc0 && rdmsr(MSR_IA32_FIXED_CTR0) == fixed0,
	       "frozen: 2000 more instructions count on no counter (%lu, %lu)", pmc0, fixed0);
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_RESET, GLOBAL_STATUS_CTR_FRZ);
	loop_with_interrupts(1000);
	report(rdmsr(MSR_IA32_PMC0) >= pmc0 + 2000 && rdmsr(MSR_IA32_FIXED_CTR0) >= fixed0 + 2000,
	       "clearing CTR_FRZ through IA32_PERF_GLOBAL_STATUS_RESET resumes counting");
	pmu_clear();
}

static void check_rdpmc(void)
{
	uint32_t lo = 0, hi = GLOBAL_FIXED(0) >> 32, first, second;

	pmu_clear();
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, FIXED_CTRL(0, FIXED_CTRL_OS | FIXED_CTRL_USR));
	asm volatile("wrmsr\n\t"
		     "mov %[fixed0], %%ecx\n\t"
		     "rdpmc\n\t"
		     "mov %%eax, %[first]\n\t"
		     "rdpmc\n\t"
		     "mov %%eax, %[second]\n\t"
		     "mov %[ctl], %%ecx\n\t"
		     "xor %%eax, %%eax\n\t"
		     "xor %%edx, %%edx\n\t"
		     "wrmsr"
		     : "+a"(lo), "+d"(hi), [first] "=&r"(first), [second] "=&r"(second)
		     : "c"(MSR_IA32_PERF_GLOBAL_CTRL), [fixed0] "i"(RDPMC_FIXED | 0),
		       [ctl] "i"(MSR_IA32_PERF_GLOBAL_CTRL)
		     : "memory");
	report(first == 2 && second == 4,
	       "RDPMC of fixed counter 0 while it counts: 2 after WRMSR, MOV; 4 after RDPMC, MOV (%u, %u)",
	       first, second);

	wrmsr(MSR_IA32_A_PMC0 + 5, 0x123456789abcUL);
	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(5));
	report(((uint64_t)hi << 32 | lo) == 0x123456789abcUL, "RDPMC 5 reads IA32_PMC5 (%#lx)",
	       (uint64_t)hi << 32 | lo);
	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(RDPMC_FIXED | 0));
	report(((uint64_t)hi << 32 | lo) == rdmsr(MSR_IA32_FIXED_CTR0),
	       "RDPMC 0x40000000 reads IA32_FIXED_CTR0");

	static const uint32_t bad[] = { PMU_GP_COUNTERS, RDPMC_FIXED | PMU_FIXED_COUNTERS,
					0x80000000, 0x20000000 };
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lo = hi = 0;
		asm volatile(ASM_TRY("rdpmc") : "+a"(lo), "+d"(hi) : "c"(bad[i]) : "memory");
		report(caught_exception.vector == GP_VECTOR, "RDPMC %#x raises #GP", bad[i]);
	}
}

static void check_writes(void)
{
	uint64_t v;

	pmu_clear();
	wrmsr(MSR_IA32_PMC0, 0x80000000UL);
	report(rdmsr(MSR_IA32_PMC0) == 0xffff80000000UL,
	       "IA32_PMC0 takes bits 31:0 sign-extended to the counter's 48 bits (%#lx)",
	       rdmsr(MSR_IA32_PMC0));
	wrmsr(MSR_IA32_PMC0, 0x123456787fffffffUL);
	report(rdmsr(MSR_IA32_PMC0) == 0x7fffffffUL, "IA32_PMC0 ignores EDX (%#lx)",
	       rdmsr(MSR_IA32_PMC0));
	wrmsr(MSR_IA32_A_PMC0 + 3, 0xfedcba987654UL);
	report(rdmsr(MSR_IA32_PMC0 + 3) == 0xfedcba987654UL &&
		       rdmsr(MSR_IA32_A_PMC0 + 3) == 0xfedcba987654UL,
	       "IA32_A_PMC3 writes all 48 bits, both addresses read them");
	report(wrmsr_safe(MSR_IA32_A_PMC0, 1UL << PMU_COUNTER_WIDTH) == GP_VECTOR,
	       "IA32_A_PMC0: bit 48 raises #GP");
	report(wrmsr_safe(MSR_IA32_FIXED_CTR0 + 2, PMU_COUNTER_MASK) == NO_EXCEPTION &&
		       rdmsr(MSR_IA32_FIXED_CTR0 + 2) == PMU_COUNTER_MASK,
	       "IA32_FIXED_CTR2 takes 48 bits");
	report(wrmsr_safe(MSR_IA32_FIXED_CTR0, 1UL << PMU_COUNTER_WIDTH) == GP_VECTOR,
	       "IA32_FIXED_CTR0: bit 48 raises #GP");

	static const struct {
		uint32_t msr;
		uint64_t val;
		const char *what;
	} gp[] = {
		{ MSR_IA32_PERFEVTSEL0, 1UL << 32, "IA32_PERFEVTSEL0 bit 32" },
		{ MSR_IA32_FIXED_CTR_CTRL, 1UL << 12, "IA32_FIXED_CTR_CTRL bit 12" },
		{ MSR_IA32_PERF_GLOBAL_CTRL, 1UL << 8, "IA32_PERF_GLOBAL_CTRL bit 8" },
		{ MSR_IA32_PERF_GLOBAL_CTRL, 1UL << 35, "IA32_PERF_GLOBAL_CTRL bit 35" },
		{ MSR_IA32_PERF_GLOBAL_STATUS_RESET, 1UL << 8,
		  "IA32_PERF_GLOBAL_STATUS_RESET bit 8" },
		{ MSR_IA32_PERF_GLOBAL_STATUS_SET, 1UL << 62,
		  "IA32_PERF_GLOBAL_STATUS_SET bit 62" },
		{ MSR_IA32_PERF_GLOBAL_STATUS_SET, GLOBAL_STATUS_COND_CHGD,
		  "IA32_PERF_GLOBAL_STATUS_SET bit 63 (reserved: CondChgd cannot be set)" },
		{ MSR_IA32_PERF_GLOBAL_STATUS, 0, "IA32_PERF_GLOBAL_STATUS (read-only)" },
		{ MSR_IA32_PERF_CAPABILITIES, 0x2005, "IA32_PERF_CAPABILITIES (read-only)" },
		{ MSR_IA32_PERF_GLOBAL_INUSE, 0, "IA32_PERF_GLOBAL_INUSE (read-only)" },
	};
	for (unsigned int i = 0; i < sizeof(gp) / sizeof(gp[0]); i++)
		report(wrmsr_safe(gp[i].msr, gp[i].val) == GP_VECTOR, "WRMSR of %s raises #GP",
		       gp[i].what);
	static const uint32_t absent[] = { MSR_IA32_PMC0 + PMU_GP_COUNTERS,
					   MSR_IA32_PERFEVTSEL0 + PMU_GP_COUNTERS,
					   MSR_IA32_FIXED_CTR0 + PMU_FIXED_COUNTERS,
					   MSR_IA32_A_PMC0 + PMU_GP_COUNTERS };
	for (unsigned int i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		report(rdmsr_safe(absent[i], &v) == GP_VECTOR,
		       "RDMSR %#x, past the counters CPUID reports, raises #GP", absent[i]);

	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_SET,
	      GLOBAL_PMC(2) | GLOBAL_FIXED(1) | GLOBAL_STATUS_LBR_FRZ);
	report(rdmsr(MSR_IA32_PERF_GLOBAL_STATUS) ==
		       (GLOBAL_PMC(2) | GLOBAL_FIXED(1) | GLOBAL_STATUS_LBR_FRZ),
	       "IA32_PERF_GLOBAL_STATUS_SET sets status bits (%#lx)",
	       rdmsr(MSR_IA32_PERF_GLOBAL_STATUS));
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_RESET, GLOBAL_FIXED(1));
	report(rdmsr(MSR_IA32_PERF_GLOBAL_STATUS) == (GLOBAL_PMC(2) | GLOBAL_STATUS_LBR_FRZ),
	       "IA32_PERF_GLOBAL_STATUS_RESET clears only the bits written");

	pmu_clear();
	wrmsr(MSR_IA32_PERFEVTSEL0 + 4, EVENT_INSTRUCTIONS);
	wrmsr(MSR_IA32_PERFEVTSEL0 + 6, EVTSEL_INT);
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, FIXED_CTRL(2, FIXED_CTRL_USR));
	report(rdmsr(MSR_IA32_PERF_GLOBAL_INUSE) ==
		       (GLOBAL_PMC(4) | GLOBAL_FIXED(2) | GLOBAL_INUSE_PMI),
	       "IA32_PERF_GLOBAL_INUSE: event select 4 and fixed counter 2 in use, a PMI enabled (%#lx)",
	       rdmsr(MSR_IA32_PERF_GLOBAL_INUSE));
	pmu_clear();
}

static void apic_setup(void)
{
	apic = (volatile uint32_t *)(rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDR_MASK);
	/* Nothing but the PMI may interrupt: the 8259s and LINT0/1 are masked. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	interrupt_set_handler(PMI_VECTOR, pmi_handler);
	interrupt_set_handler(SPURIOUS_VECTOR, spurious_handler);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
}

int main(void)
{
	/* Under a hypervisor that gives no local APIC the PMI has nowhere to go. */
	bool have_apic = cpuid(1).d & CPUID_1_EDX_APIC;
	/*
	 * "no-pmi" on the command line: the hypervisor gives a local APIC but
	 * does not deliver the PMU's interrupt to it (hv today: hv/pmu does
	 * not call hv/apic's apic_local_interrupt() yet).
	 */
	bool no_pmi = strstr((const char *)(uintptr_t)multiboot_info->cmdline, " no-pmi") != NULL;
	uint64_t v;

	report_start();
	if (!(cpuid(CPUID_PMU_LEAF).a & 0xff)) {
		report_skip("CPUID.0AH reports no architectural PMU: not the project's Bochs 3.0, "
			    "or a hypervisor that gives none");
		return report_summary();
	}
	if (rdmsr_safe(MSR_IA32_PERF_GLOBAL_CTRL, &v) != NO_EXCEPTION) {
		report(false, "CPUID.0AH announces a PMU, but IA32_PERF_GLOBAL_CTRL raises #GP");
		return report_summary();
	}
	/* Nothing before this kernel (BIOS, GRUB) touches the PMU. */
	report(v == 0xff,
	       "IA32_PERF_GLOBAL_CTRL from reset enables the 8 general-purpose counters (SDM Vol. 3A Table 10-1): %#lx",
	       v);
	if (have_apic)
		apic_setup();
	check_cpuid();
	check_exact_counts(1000);
	check_exact_counts(100000);
	check_rep_and_faults();
	check_overflow_point();
	if (have_apic && no_pmi) {
		report_skip(
			"the hypervisor does not deliver PMIs to the guest's local APIC (no-pmi): "
			"the PMI and its freeze");
	} else if (have_apic) {
		check_pmi();
		check_freeze();
	} else {
		report_skip("no local APIC (CPUID.01H:EDX.APIC): the PMI and its freeze");
	}
	check_rdpmc();
	check_writes();
	return report_summary();
}
