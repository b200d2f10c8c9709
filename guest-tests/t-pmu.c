// SPDX-License-Identifier: GPL-2.0
/*
 * The PMU and the LBRs of a partition with hv.pmu=on (hv/pmu): what the
 * native kernels (t-native-pmu, t-native-lbr, which the suite also runs
 * under hv) cannot check, because it needs VM exits, other vCPUs or other
 * partitions. Bochs retires one instruction per cycle and counts exactly:
 * every window below is one asm block, and its count is exact. The command
 * line says which part this run is:
 *   (nothing)  one vCPU: no instruction of hv's or of the service
 *              partition's reaches the guest's counters or LBRs; the freeze
 *              bits across a VM exit; IA32_PERF_GLOBAL_CTRL across exits
 *   leave      distinctive values in every counter, control and LBR MSR,
 *              left for the next partition
 *   check      a new partition starts from the reset state
 *   share      two vCPUs (hv.vcpus=2) count and record at once; with one
 *              CPU the time slices switch them: each keeps its own
 *   off        without hv.pmu=on: no PMU and no LBRs at all
 */
#include <stdio.h>
#include <string.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"
#include "perfmon.h"

#define CPUID_1_ECX_PDCM_BIT (1U << 15)
#define COUNTING (GLOBAL_PMC(0) | GLOBAL_PMC(1) | GLOBAL_FIXED(0) | GLOBAL_FIXED(1))
#define ALL_OS_USR (EVTSEL_OS | EVTSEL_USR | EVTSEL_EN)
#define PMU_STATUS_RESTORABLE                                                                   \
	(0xffUL | GLOBAL_FIXED(0) | GLOBAL_FIXED(1) | GLOBAL_FIXED(2) | GLOBAL_STATUS_LBR_FRZ | \
	 GLOBAL_STATUS_CTR_FRZ)

struct counts {
	uint64_t instructions, branches, fixed_instructions, cycles;
};

/* Clears every counter, control and status bit, and the LBR controls. */
static void pmu_clear(void)
{
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, 0);
	wrmsr(MSR_IA32_DEBUGCTL, 0);
	for (int n = 0; n < PMU_GP_COUNTERS; n++) {
		wrmsr(MSR_IA32_PERFEVTSEL0 + n, 0);
		wrmsr(MSR_IA32_A_PMC0 + n, 0);
	}
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, 0);
	for (int n = 0; n < PMU_FIXED_COUNTERS; n++)
		wrmsr(MSR_IA32_FIXED_CTR0 + n, 0);
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_RESET, rdmsr(MSR_IA32_PERF_GLOBAL_STATUS));
	wrmsr(MSR_LBR_SELECT, 0);
}

/* IA32_PMC0 instructions, IA32_PMC1 branches, fixed counters 0 and 1; none enabled yet. */
static void program_counting(void)
{
	pmu_clear();
	wrmsr(MSR_IA32_PERFEVTSEL0, EVENT_INSTRUCTIONS | ALL_OS_USR);
	wrmsr(MSR_IA32_PERFEVTSEL0 + 1, EVENT_BRANCHES | ALL_OS_USR);
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, FIXED_CTRL(0, FIXED_CTRL_OS | FIXED_CTRL_USR) |
					       FIXED_CTRL(1, FIXED_CTRL_OS | FIXED_CTRL_USR));
}

static struct counts read_counts(void)
{
	return (struct counts){ rdmsr(MSR_IA32_PMC0), rdmsr(MSR_IA32_PMC0 + 1),
				rdmsr(MSR_IA32_FIXED_CTR0), rdmsr(MSR_IA32_FIXED_CTR0 + 1) };
}

static bool counts_are(struct counts c, uint64_t instructions, uint64_t branches)
{
	return c.instructions == instructions && c.fixed_instructions == instructions &&
	       c.cycles == instructions && c.branches == branches;
}

static void print_counts(const char *what, struct counts c)
{
	printf("%s: instructions %lu (fixed %lu), branches %lu, cycles %lu\n", what, c.instructions,
	       c.fixed_instructions, c.branches, c.cycles);
}

/*
 * @n CPUIDs, each a VM exit, in a counted window: WRMSR (the enabling one
 * counts), MOV, n * (XOR, CPUID, DEC, JNZ), MOV, XOR, XOR. A CPUID that
 * exits does not retire (SDM Vol. 3B 20.2.1.2: Instructions Retired "does
 * not increment under VM-exit conditions"): 3n + 5 instructions, n
 * branches, and not one of the instructions hv runs meanwhile.
 */
static struct counts cpuid_window(uint64_t n)
{
	program_counting();
	counted_cpuids(COUNTING, n);
	return read_counts();
}

/*
 * A read of the test device's port in a counted window: hv passes it to the
 * service partition, which runs (on this CPU when there is one) and
 * answers. WRMSR, MOV, IN (exits: not retired), MOV, XOR, XOR: 5.
 */
static struct counts ioreq_window(void)
{
	uint32_t lo = (uint32_t)COUNTING, hi = COUNTING >> 32;

	program_counting();
	asm volatile("wrmsr\n\t"
		     "mov %[port], %%edx\n\t"
		     "inb %%dx, %%al\n\t"
		     "mov %[ctl], %%ecx\n\t"
		     "xor %%eax, %%eax\n\t"
		     "xor %%edx, %%edx\n\t"
		     "wrmsr"
		     : "+a"(lo), "+d"(hi)
		     : "c"(MSR_IA32_PERF_GLOBAL_CTRL), [port] "i"(HV_TESTDEV_PORT),
		       [ctl] "i"(MSR_IA32_PERF_GLOBAL_CTRL)
		     : "memory");
	return read_counts();
}

/* WRMSR, MOV, n * (DEC, JNZ), XOR, XOR: 2n + 4 instructions, n branches. */
static struct counts loop_window(uint64_t n)
{
	uint32_t lo = (uint32_t)COUNTING, hi = COUNTING >> 32;

	program_counting();
	asm volatile("wrmsr\n\t"
		     "mov %[n], %%r8\n"
		     "1: dec %%r8\n\t"
		     "jnz 1b\n\t"
		     "xor %%eax, %%eax\n\t"
		     "xor %%edx, %%edx\n\t"
		     "wrmsr"
		     : "+a"(lo), "+d"(hi)
		     : "c"(MSR_IA32_PERF_GLOBAL_CTRL), [n] "r"(n)
		     : "r8", "memory");
	return read_counts();
}

static void check_exits_are_not_counted(void)
{
	struct counts c;

	for (uint64_t n = 1; n <= 3; n++) {
		c = cpuid_window(n);
		report(counts_are(c, 3 * n + 5, n),
		       "%lu CPUID exits in the window: %lu instructions, %lu branches, as many cycles, none of hv's",
		       n, 3 * n + 5, n);
		if (!counts_are(c, 3 * n + 5, n))
			print_counts("the counters say", c);
	}
	c = ioreq_window();
	report(counts_are(c, 5, 0),
	       "a port read the service partition answers: 5 instructions, no branch: none of hv's or the service's");
	if (!counts_are(c, 5, 0))
		print_counts("the counters say", c);
}

/*
 * Exits the guest does not cause (a time slice ending, a kick) come between
 * any two instructions: a long loop counts exactly as natively, however
 * many instructions others ran meanwhile (the TSC counts them all).
 */
static void check_asynchronous_exits(void)
{
	const uint64_t n = 1000000, window = 2 * n + 4;

	for (int attempt = 0; attempt < 8; attempt++) {
		uint64_t t0 = tsc_read();
		struct counts c = loop_window(n);
		uint64_t elapsed = tsc_read() - t0;

		/* A window without exits takes its own instructions and a few hundred around it. */
		if (elapsed < window + 10000)
			continue;
		report(counts_are(c, window, n),
		       "%lu loops while %lu instructions ran outside the guest: %lu instructions, %lu branches",
		       n, elapsed - window, window, n);
		if (!counts_are(c, window, n))
			print_counts("the counters say", c);
		return;
	}
	report_skip("no VM exit came during 8 loops of %lu (nothing else runs on this CPU)", n);
}

/* The guest's IA32_PERF_GLOBAL_CTRL survives exits: hv saves it, never the CPU's 0 in root mode. */
static void check_global_ctrl_across_exits(void)
{
	const uint64_t value = GLOBAL_PMC(3) | GLOBAL_PMC(5) | GLOBAL_FIXED(2);

	pmu_clear();
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, value);
	(void)cpuid(0);
	(void)inb(HV_TESTDEV_PORT);
	report(rdmsr(MSR_IA32_PERF_GLOBAL_CTRL) == value,
	       "IA32_PERF_GLOBAL_CTRL keeps %#lx across a CPUID exit and a device request (%#lx)",
	       value, rdmsr(MSR_IA32_PERF_GLOBAL_CTRL));
	pmu_clear();
}

/*
 * IA32_PMC0 overflows, with its PMI, right before a CPUID exit: WRMSR, NOP,
 * NOP from 3 short of overflowing, then XOR, CPUID. The PMI freezes
 * the counters (and, with Freeze_LBRs_On_PMI, the LBRs) in the guest's
 * context, its IA32_DEBUGCTL in force, even though the CPU sees the
 * overflow only as it leaves the guest; the local APIC has no virtual
 * LVT entry for it yet, so no interrupt arrives.
 */
static void overflow_before_exit(uint64_t debugctl)
{
	uint32_t lo = GLOBAL_PMC(0), hi = 0, msr = MSR_IA32_PERF_GLOBAL_CTRL;

	pmu_clear();
	wrmsr(MSR_IA32_PERFEVTSEL0, EVENT_INSTRUCTIONS | ALL_OS_USR | EVTSEL_INT);
	wrmsr(MSR_IA32_A_PMC0, (1UL << PMU_COUNTER_WIDTH) - 3);
	wrmsr(MSR_IA32_DEBUGCTL, debugctl);
	asm volatile("wrmsr\n\t"
		     "nop\n\t"
		     "nop\n\t"
		     "xor %%eax, %%eax\n\t"
		     "cpuid"
		     : "+a"(lo), "+d"(hi), "+c"(msr)
		     :
		     : "rbx", "memory");
}

static void check_freeze_across_exit(void)
{
	uint64_t status, pmc0, tos;

	overflow_before_exit(DEBUGCTL_FREEZE_PERFMON_ON_PMI);
	status = rdmsr(MSR_IA32_PERF_GLOBAL_STATUS);
	pmc0 = rdmsr(MSR_IA32_PMC0);
	for (volatile int i = 0; i < 100; i++)
		;
	report((status & GLOBAL_PMC(0)) && (status & GLOBAL_STATUS_CTR_FRZ),
	       "an overflow just before a VM exit: Freeze_PerfMon_On_PMI sets CTR_FRZ (status %#lx)",
	       status);
	/* Seen at the exit at the latest: the XOR after the overflowing NOP may count. */
	report(pmc0 <= 1 && rdmsr(MSR_IA32_PMC0) == pmc0,
	       "the counter froze at the overflow, before the exit, and stays (%lu, then %lu)",
	       pmc0, rdmsr(MSR_IA32_PMC0));

	overflow_before_exit(DEBUGCTL_LBR | DEBUGCTL_FREEZE_LBRS_ON_PMI);
	status = rdmsr(MSR_IA32_PERF_GLOBAL_STATUS);
	tos = rdmsr(MSR_LASTBRANCH_TOS);
	for (volatile int i = 0; i < 100; i++)
		;
	report((status & GLOBAL_STATUS_LBR_FRZ) && rdmsr(MSR_LASTBRANCH_TOS) == tos,
	       "an overflow just before a VM exit: Freeze_LBRs_On_PMI sets LBR_FRZ and the stack stands still (status %#lx)",
	       status);
	pmu_clear();
}

/*
 * Records of a jump, a CPUID exit and a jump back: the two jumps are
 * consecutive records, with nothing of hv's between them.
 */
asm(".pushsection .text\n"
    ".globl lbr_exit_sequence\n"
    "lbr_exit_sequence:\n\t"
    "xor %edx, %edx\n\t"
    "wrmsr\n"
    "lbr_exit_jmp1: jmp lbr_exit_target1\n\t"
    "ud2\n"
    "lbr_exit_target1:\n\t"
    "push %rbx\n\t"
    "xor %eax, %eax\n\t"
    "cpuid\n\t"
    "pop %rbx\n"
    "lbr_exit_jmp2: jmp lbr_exit_target2\n\t"
    "ud2\n"
    "lbr_exit_target2:\n\t"
    "mov $0x1d9, %ecx\n\t"
    "xor %eax, %eax\n\t"
    "xor %edx, %edx\n\t"
    "wrmsr\n\t"
    "ret\n"
    ".popsection");

extern const char lbr_exit_jmp1[], lbr_exit_target1[], lbr_exit_jmp2[], lbr_exit_target2[];

static void check_lbr_across_exit(void)
{
	uint32_t eax = DEBUGCTL_LBR, ecx = MSR_IA32_DEBUGCTL;
	unsigned int tos, prev;
	uint64_t from[2], to[2];

	pmu_clear();
	asm volatile("call lbr_exit_sequence" : "+a"(eax), "+c"(ecx) : : "rbx", "rdx", "memory");
	tos = rdmsr(MSR_LASTBRANCH_TOS);
	prev = (tos + LBR_ENTRIES - 1) % LBR_ENTRIES;
	from[0] = rdmsr(MSR_LASTBRANCH_0_FROM_IP + prev);
	to[0] = rdmsr(MSR_LASTBRANCH_0_TO_IP + prev);
	from[1] = rdmsr(MSR_LASTBRANCH_0_FROM_IP + tos);
	to[1] = rdmsr(MSR_LASTBRANCH_0_TO_IP + tos);
	report(from[0] == (uintptr_t)lbr_exit_jmp1 && to[0] == (uintptr_t)lbr_exit_target1 &&
		       from[1] == (uintptr_t)lbr_exit_jmp2 && to[1] == (uintptr_t)lbr_exit_target2,
	       "the two jumps around a CPUID exit are the last two records, nothing of hv's between (%#lx->%#lx, %#lx->%#lx)",
	       from[0], to[0], from[1], to[1]);
}

/*
 * AnyThread would count the other logical processor of the core, which may
 * run another partition: hv clears it, as the SDM recommends to VMMs
 * (Vol. 3B 20.2.3.1). The other bits stay.
 */
static void check_any_thread_cleared(void)
{
	const uint64_t evtsel = EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_ANY_THREAD;
	const uint64_t fixed = FIXED_CTRL(1, FIXED_CTRL_OS | FIXED_CTRL_ANY_THREAD);

	pmu_clear();
	wrmsr(MSR_IA32_PERFEVTSEL0 + 2, evtsel);
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, fixed);
	report(rdmsr(MSR_IA32_PERFEVTSEL0 + 2) == (evtsel & ~EVTSEL_ANY_THREAD) &&
		       rdmsr(MSR_IA32_FIXED_CTR_CTRL) == FIXED_CTRL(1, FIXED_CTRL_OS),
	       "AnyThread is cleared in IA32_PERFEVTSEL2 and IA32_FIXED_CTR_CTRL, the rest kept (%#lx, %#lx)",
	       rdmsr(MSR_IA32_PERFEVTSEL0 + 2), rdmsr(MSR_IA32_FIXED_CTR_CTRL));
	pmu_clear();
}

/* ---- leave, check: what one partition leaves, the next must not see ---- */

#define TAG 0x5a5a00000000UL

static void leave(void)
{
	for (int n = 0; n < PMU_GP_COUNTERS; n++) {
		wrmsr(MSR_IA32_A_PMC0 + n, TAG | n);
		/* Events no counter counts in Bochs (an LLC event), so the values stay. */
		wrmsr(MSR_IA32_PERFEVTSEL0 + n, EVENT_LLC_REFERENCES | EVTSEL_OS | EVTSEL_EN);
	}
	for (int n = 0; n < PMU_FIXED_COUNTERS; n++)
		wrmsr(MSR_IA32_FIXED_CTR0 + n, TAG | (0x10 + n));
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, FIXED_CTRL(2, FIXED_CTRL_PMI));
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_SET, GLOBAL_PMC(1) | GLOBAL_FIXED(2));
	/* Records of branches that leave them full of this partition's addresses. */
	wrmsr(MSR_LBR_SELECT, LBR_SELECT_FAR_BRANCH);
	wrmsr(MSR_IA32_DEBUGCTL, DEBUGCTL_LBR | DEBUGCTL_FREEZE_PERFMON_ON_PMI);
	for (volatile int i = 0; i < 100; i++)
		;
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, GLOBAL_PMC(7) | GLOBAL_FIXED(1));
	report(rdmsr(MSR_LASTBRANCH_0_FROM_IP + rdmsr(MSR_LASTBRANCH_TOS)) != 0 &&
		       rdmsr(MSR_IA32_PMC0 + 3) == (TAG | 3),
	       "counters, controls, status and LBR records left for the next partition");
	/* It ends with IA32_DEBUGCTL.LBR set and counters enabled: hv must not carry them over. */
}

struct msr_expect {
	uint32_t msr;
	uint64_t value;
};

/*
 * hv gives a vCPU the PMU's and the LBRs' reset state (SDM Vol. 3A 10.1:
 * counters, event selects, controls, status and LBR records 0;
 * IA32_PERF_GLOBAL_CTRL enables the general-purpose counters, bits n-1:0).
 */
static void check(void)
{
	struct msr_expect reset[3 * PMU_GP_COUNTERS + PMU_FIXED_COUNTERS + 8 + 3 * LBR_ENTRIES];
	unsigned int n = 0, bad = 0;

	reset[n++] = (struct msr_expect){ MSR_IA32_PERF_GLOBAL_CTRL, 0xff };
	reset[n++] = (struct msr_expect){ MSR_IA32_PERF_GLOBAL_STATUS, 0 };
	reset[n++] = (struct msr_expect){ MSR_IA32_PERF_GLOBAL_INUSE, 0 };
	reset[n++] = (struct msr_expect){ MSR_IA32_FIXED_CTR_CTRL, 0 };
	reset[n++] = (struct msr_expect){ MSR_IA32_DEBUGCTL, 0 };
	reset[n++] = (struct msr_expect){ MSR_LBR_SELECT, 0 };
	reset[n++] = (struct msr_expect){ MSR_LASTBRANCH_TOS, 0 };
	for (int i = 0; i < PMU_GP_COUNTERS; i++) {
		reset[n++] = (struct msr_expect){ MSR_IA32_PMC0 + i, 0 };
		reset[n++] = (struct msr_expect){ MSR_IA32_A_PMC0 + i, 0 };
		reset[n++] = (struct msr_expect){ MSR_IA32_PERFEVTSEL0 + i, 0 };
	}
	for (int i = 0; i < PMU_FIXED_COUNTERS; i++)
		reset[n++] = (struct msr_expect){ MSR_IA32_FIXED_CTR0 + i, 0 };
	for (int i = 0; i < LBR_ENTRIES; i++) {
		reset[n++] = (struct msr_expect){ MSR_LASTBRANCH_0_FROM_IP + i, 0 };
		reset[n++] = (struct msr_expect){ MSR_LASTBRANCH_0_TO_IP + i, 0 };
		reset[n++] = (struct msr_expect){ MSR_LBR_INFO_0 + i, 0 };
	}
	/* Read all before judging: a read may not change what a later one sees. */
	for (unsigned int i = 0; i < n; i++) {
		uint64_t v = rdmsr(reset[i].msr);

		if (v != reset[i].value) {
			printf("MSR %#x is %#lx, not %#lx\n", reset[i].msr, v, reset[i].value);
			bad++;
		}
	}
	report(!bad, "a new partition reads the reset state in all %u PMU and LBR MSRs (%u differ)",
	       n, bad);
	report(rdmsr(MSR_IA32_PMC0 + 7) == 0 && rdmsr(MSR_IA32_FIXED_CTR0 + 1) == 0,
	       "the counters the last partition left enabled did not count here");
}

/* ---- share: two vCPUs count and record at once ---- */

#define SHARE_LOOPS 3000000UL

/*
 * Each vCPU's loop is its own code: its LBR records name its own addresses.
 * WRMSR, MOV, n * (DEC, JNZ), XOR, XOR, with IA32_DEBUGCTL.LBR set before
 * and cleared at the end, before a branch the compiler adds can be recorded.
 */
#define DEFINE_SHARE_LOOP(id)                                                          \
	extern const char share_jnz_##id[];                                            \
	static struct counts share_loop_##id(void)                                     \
	{                                                                              \
		uint32_t lo = (uint32_t)COUNTING, hi = COUNTING >> 32;                 \
		uint32_t msr = MSR_IA32_PERF_GLOBAL_CTRL;                              \
                                                                                       \
		asm volatile("wrmsr\n\t"                                               \
			     "mov %[n], %%r8\n"                                        \
			     "1: dec %%r8\n"                                           \
			     "share_jnz_" #id ": jnz 1b\n\t"                           \
			     "xor %%eax, %%eax\n\t"                                    \
			     "xor %%edx, %%edx\n\t"                                    \
			     "wrmsr\n\t"                                               \
			     "mov %[debugctl], %%ecx\n\t"                              \
			     "wrmsr"                                                   \
			     : "+a"(lo), "+d"(hi), "+c"(msr)                           \
			     : [n] "r"(SHARE_LOOPS), [debugctl] "i"(MSR_IA32_DEBUGCTL) \
			     : "r8", "memory");                                        \
		return read_counts();                                                  \
	}
DEFINE_SHARE_LOOP(0)
DEFINE_SHARE_LOOP(1)

struct share_result {
	struct counts counts;
	unsigned int own_records; /* of the 32, those from its own loop's JNZ */
	bool kept_values; /* its event selects, an idle counter, LBR_SELECT */
};

static volatile bool vcpu1_ready, vcpu1_done;
static struct share_result vcpu1_result;

static struct share_result share_run(unsigned int id)
{
	struct share_result r;
	const char *jnz = id ? share_jnz_1 : share_jnz_0;
	const uint64_t idle = TAG | 0x100 | id, select = LBR_SELECT_CPL_NEQ_0 | (id ? 0x80 : 0x40);

	program_counting();
	/* An idle counter and a filter of its own: LBR_SELECT lets its JNZ through. */
	wrmsr(MSR_IA32_A_PMC0 + 4, idle);
	wrmsr(MSR_LBR_SELECT, select);
	wrmsr(MSR_IA32_DEBUGCTL, DEBUGCTL_LBR);
	r.counts = id ? share_loop_1() : share_loop_0();
	r.own_records = 0;
	for (int i = 0; i < LBR_ENTRIES; i++)
		r.own_records += rdmsr(MSR_LASTBRANCH_0_FROM_IP + i) == (uintptr_t)jnz;
	r.kept_values = rdmsr(MSR_IA32_PMC0 + 4) == idle && rdmsr(MSR_LBR_SELECT) == select &&
			rdmsr(MSR_IA32_PERFEVTSEL0) == (EVENT_INSTRUCTIONS | ALL_OS_USR);
	return r;
}

static void vcpu1_main(void *unused __attribute__((unused)))
{
	vcpu1_ready = true;
	vcpu1_result = share_run(1);
	vcpu1_done = true;
}

static void report_share(unsigned int id, struct share_result r)
{
	report(counts_are(r.counts, 2 * SHARE_LOOPS + 4, SHARE_LOOPS),
	       "vCPU %u counts its own %lu loops exactly, not the other vCPU's", id, SHARE_LOOPS);
	if (!counts_are(r.counts, 2 * SHARE_LOOPS + 4, SHARE_LOOPS))
		print_counts("its counters say", r.counts);
	report(r.own_records == LBR_ENTRIES, "vCPU %u: all %u LBR records are of its own loop (%u)",
	       id, LBR_ENTRIES, r.own_records);
	report(r.kept_values, "vCPU %u keeps its idle counter, event select and LBR_SELECT", id);
}

static void share(void)
{
	long ret = vcpu_start(1, vcpu1_main, NULL);
	struct share_result mine;

	if (ret) {
		report(false, "vCPU 1 starts (%ld)", ret);
		return;
	}
	while (!vcpu1_ready)
		asm volatile("pause");
	mine = share_run(0);
	while (!vcpu1_done)
		asm volatile("pause");
	report_share(0, mine);
	report_share(1, vcpu1_result);
}

/* ---- off: a partition without hv.pmu=on ---- */

static void off(void)
{
	static const uint32_t msrs[] = {
		MSR_IA32_PMC0,
		MSR_IA32_A_PMC0,
		MSR_IA32_PERFEVTSEL0,
		MSR_IA32_FIXED_CTR0,
		MSR_IA32_PERF_CAPABILITIES,
		MSR_IA32_FIXED_CTR_CTRL,
		MSR_IA32_PERF_GLOBAL_STATUS,
		MSR_IA32_PERF_GLOBAL_CTRL,
		MSR_IA32_PERF_GLOBAL_STATUS_RESET,
		MSR_IA32_PERF_GLOBAL_STATUS_SET,
		MSR_IA32_PERF_GLOBAL_INUSE,
		MSR_LBR_SELECT,
		MSR_LASTBRANCH_TOS,
		MSR_LASTBRANCH_0_FROM_IP,
		MSR_LASTBRANCH_0_TO_IP,
		MSR_LBR_INFO_0,
	};
	struct cpuid leaf = cpuid(CPUID_PMU_LEAF);
	uint32_t lo = 0, hi = 0;
	uint64_t v;

	report(!leaf.a && !leaf.b && !leaf.c && !leaf.d && !(cpuid(1).c & CPUID_1_ECX_PDCM_BIT),
	       "CPUID.0AH is 0 and CPUID.01H:ECX.PDCM clear");
	for (unsigned int i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++)
		report(rdmsr_safe(msrs[i], &v) == GP_VECTOR && wrmsr_safe(msrs[i], 0) == GP_VECTOR,
		       "MSR %#x raises #GP on RDMSR and WRMSR", msrs[i]);
	asm volatile(ASM_TRY("rdpmc") : "+a"(lo), "+d"(hi) : "c"(0) : "memory");
	report(caught_exception.vector == GP_VECTOR, "RDPMC raises #GP");
	report(rdmsr(MSR_IA32_DEBUGCTL) == 0 && wrmsr_safe(MSR_IA32_DEBUGCTL, 0) == NO_EXCEPTION,
	       "IA32_DEBUGCTL reads 0 and takes 0");
	report(wrmsr_safe(MSR_IA32_DEBUGCTL, DEBUGCTL_LBR) == GP_VECTOR &&
		       wrmsr_safe(MSR_IA32_DEBUGCTL, DEBUGCTL_FREEZE_PERFMON_ON_PMI) == GP_VECTOR,
	       "IA32_DEBUGCTL: LBR and Freeze_PerfMon_On_PMI raise #GP");
}

int main(void)
{
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	const char *mode = strchr(cmdline, ' ');

	report_start();
	mode = mode ? mode + 1 : "";
	if (!strcmp(mode, "off")) {
		off();
		return report_summary();
	}
	if (!(cpuid(CPUID_PMU_LEAF).a & 0xff)) {
		report_skip("CPUID.0AH reports no PMU: hv gives none on this CPU");
		return report_summary();
	}
	if (!strcmp(mode, "")) {
		check_exits_are_not_counted();
		check_asynchronous_exits();
		check_global_ctrl_across_exits();
		check_freeze_across_exit();
		check_lbr_across_exit();
		check_any_thread_cleared();
	} else if (!strcmp(mode, "leave")) {
		leave();
	} else if (!strcmp(mode, "check")) {
		check();
	} else if (!strcmp(mode, "share")) {
		share();
	} else {
		printf("ABORT: the command line must be empty or say leave, check, share or off\n");
		return HV_EXIT_ABORT;
	}
	return report_summary();
}
