// SPDX-License-Identifier: GPL-2.0
/*
 * What the PMU and the LBRs cost under hv (hv.pmu=on, hv.vcpus=2, one CPU),
 * measured with the TSC (under Bochs: instructions):
 *   pmu_counting_error   instructions a guest's counter counts beyond its
 *                        own over a window with CPUID exits: hv's would show
 *   cpuid_exit_pmu       CPUID round trip of a vCPU that owns the PMU and
 *                        the LBRs (t-bench's cpuid_exit: one that does not)
 *   vcpu_switch*         from the last instruction of one vCPU to the first
 *                        of the other when a time slice ends: the
 *                        VMX-preemption timer exit, the run loop, the switch
 *                        and the entry; with neither vCPU using the PMU, both
 *                        counting, and both counting and recording branches
 * Prints "BENCH <name> <value> <unit>" lines; checks that the measurements
 * saw what they measure.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"
#include "perfmon.h"

#define SWITCHES 6 /* per vCPU and kind; the fewest instructions one took counts */
/* A vCPU that finds this many ticks between two of its loop's TSC reads was switched out. */
#define SWITCHED_OUT 20000

enum kind { NEITHER, COUNTERS, COUNTERS_AND_LBRS, KINDS };

static const char *const names[KINDS] = { "vcpu_switch", "vcpu_switch_pmu", "vcpu_switch_pmu_lbr" };

static volatile uint64_t last_tsc[2];
static volatile int phase = -1; /* the kind both vCPUs measure now */
static volatile unsigned int finished[KINDS];
static uint64_t best[2][KINDS];

/* The vCPU uses what @kind says: instructions counted on IA32_PMC0, branches recorded. */
static void use(enum kind kind)
{
	if (kind == NEITHER)
		return;
	wrmsr(MSR_IA32_PERFEVTSEL0, EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_USR | EVTSEL_EN);
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, GLOBAL_PMC(0));
	if (kind == COUNTERS_AND_LBRS)
		wrmsr(MSR_IA32_DEBUGCTL, DEBUGCTL_LBR);
}

/*
 * Spins reading the TSC until it was switched in SWITCHES times: each time,
 * the ticks since the other vCPU's last read are one switch.
 */
static void measure(unsigned int me, enum kind kind)
{
	uint64_t prev = tsc_read(), fewest = UINT64_MAX;
	unsigned int switches = 0;

	use(kind);
	last_tsc[me] = prev;
	while (switches < SWITCHES) {
		uint64_t now = tsc_read();

		if (now - prev > SWITCHED_OUT) {
			uint64_t ticks = now - last_tsc[!me];

			if (ticks < fewest)
				fewest = ticks;
			switches++;
		}
		prev = now;
		last_tsc[me] = now;
	}
	best[me][kind] = fewest;
	__atomic_fetch_add(&finished[kind], 1, __ATOMIC_SEQ_CST);
}

static void vcpu1_main(void *unused __attribute__((unused)))
{
	for (int kind = 0; kind < KINDS; kind++) {
		while (phase != kind)
			asm volatile("pause");
		measure(1, kind);
	}
}

/*
 * CPUID exits inside a window counting instructions: WRMSR, MOV, n * (XOR,
 * CPUID, DEC, JNZ), MOV, XOR, XOR retire 3n + 5 (an exiting CPUID does not
 * retire). Returns what the counter found beyond that.
 */
static int64_t counting_error(uint64_t n)
{
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, 0);
	wrmsr(MSR_IA32_PERFEVTSEL0, EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_USR | EVTSEL_EN);
	wrmsr(MSR_IA32_A_PMC0, 0);
	counted_cpuids(GLOBAL_PMC(0), n);
	return (int64_t)(rdmsr(MSR_IA32_PMC0) - (3 * n + 5));
}

int main(void)
{
	long ret;

	report_start();
	if (!(cpuid(CPUID_PMU_LEAF).a & 0xff)) {
		report_skip("CPUID.0AH reports no PMU: hv gives none on this CPU");
		return report_summary();
	}
	ret = vcpu_start(1, vcpu1_main, NULL);
	report(!ret, "vCPU 1 starts (%ld)", ret);
	if (ret)
		return report_summary();
	for (int kind = 0; kind < KINDS; kind++) {
		phase = kind;
		measure(0, kind);
		while (finished[kind] < 2)
			asm volatile("pause");
	}
	/* vCPU 1 halted for good: vCPU 0 has the CPU, and the counters and the LBRs. */
	wrmsr(MSR_IA32_DEBUGCTL, 0);
	for (int kind = 0; kind < KINDS; kind++)
		printf("BENCH %s %lu instructions\n", names[kind],
		       best[0][kind] < best[1][kind] ? best[0][kind] : best[1][kind]);
	printf("BENCH pmu_counting_error %ld instructions\n", counting_error(100));
	printf("BENCH cpuid_exit_pmu %lu instructions\n", tsc_measure(cpuid(0)));
	report(best[0][NEITHER] < best[0][COUNTERS] &&
		       best[0][COUNTERS] < best[0][COUNTERS_AND_LBRS],
	       "switches cost more as they move counters, then counters and LBRs");
	return report_summary();
}
