/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Architectural performance monitoring and legacy LBR MSRs (SDM Vol. 4 Table
 * 2-2; Vol. 3B chapters "Performance Monitoring" and "Debug, Branch Profile,
 * TSC, ..."), for the test kernels that check the engine's PMU and LBRs.
 */
#ifndef GUEST_PERFMON_H
#define GUEST_PERFMON_H

#include <stdint.h>

#define CPUID_PMU_LEAF 0xa
#define CPUID_1_ECX_DTES64 (1U << 2)
#define CPUID_1_ECX_DS_CPL (1U << 4)
#define CPUID_1_ECX_PDCM (1U << 15)
#define CPUID_1_EDX_DS (1U << 21)

#define MSR_IA32_PMC0 0xc1
#define MSR_IA32_PERFEVTSEL0 0x186
#define MSR_IA32_FIXED_CTR0 0x309
#define MSR_IA32_PERF_CAPABILITIES 0x345
#define MSR_IA32_FIXED_CTR_CTRL 0x38d
#define MSR_IA32_PERF_GLOBAL_STATUS 0x38e
#define MSR_IA32_PERF_GLOBAL_CTRL 0x38f
#define MSR_IA32_PERF_GLOBAL_STATUS_RESET 0x390
#define MSR_IA32_PERF_GLOBAL_STATUS_SET 0x391
#define MSR_IA32_PERF_GLOBAL_INUSE 0x392
#define MSR_IA32_A_PMC0 0x4c1
#define MSR_IA32_DEBUGCTL 0x1d9
#define MSR_LBR_SELECT 0x1c8
#define MSR_LASTBRANCH_TOS 0x1c9
#define MSR_LASTBRANCH_0_FROM_IP 0x680
#define MSR_LASTBRANCH_0_TO_IP 0x6c0
#define MSR_LBR_INFO_0 0xdc0

/* IA32_PERFEVTSELn (SDM Vol. 3B Figure 20-1) */
#define EVTSEL_USR (1UL << 16)
#define EVTSEL_OS (1UL << 17)
#define EVTSEL_INT (1UL << 20)
#define EVTSEL_ANY_THREAD (1UL << 21)
#define EVTSEL_EN (1UL << 22)
#define EVTSEL_CMASK_SHIFT 24
/* Event select and umask of the architectural events (SDM Vol. 3B Table 20-1) */
#define EVENT_CORE_CYCLES 0x003cUL
#define EVENT_INSTRUCTIONS 0x00c0UL
#define EVENT_REF_CYCLES 0x013cUL
#define EVENT_LLC_REFERENCES 0x4f2eUL
#define EVENT_BRANCHES 0x00c4UL

/* IA32_FIXED_CTR_CTRL: 4 bits per fixed counter (SDM Vol. 3B Figure 20-2) */
#define FIXED_CTRL_OS 0x1UL
#define FIXED_CTRL_USR 0x2UL
#define FIXED_CTRL_ANY_THREAD 0x4UL
#define FIXED_CTRL_PMI 0x8UL
#define FIXED_CTRL(n, bits) ((uint64_t)(bits) << (4 * (n)))

/* IA32_PERF_GLOBAL_CTRL / STATUS: IA32_PMCn is bit n, IA32_FIXED_CTRn bit 32 + n */
#define GLOBAL_PMC(n) (1UL << (n))
#define GLOBAL_FIXED(n) (1UL << (32 + (n)))
#define GLOBAL_STATUS_LBR_FRZ (1UL << 58)
#define GLOBAL_STATUS_CTR_FRZ (1UL << 59)
#define GLOBAL_STATUS_COND_CHGD (1UL << 63)
#define GLOBAL_INUSE_PMI (1UL << 63)

/* IA32_PERF_CAPABILITIES */
#define PERF_CAP_LBR_FMT_MASK 0x3fUL
#define PERF_CAP_LBR_FMT_EIP_INFO 0x5UL /* 000101B: 64-bit EIP, LBR_INFO */
#define PERF_CAP_FW_WRITE (1UL << 13)

/* IA32_DEBUGCTL (SDM Vol. 3B 18.4.1) */
#define DEBUGCTL_LBR (1UL << 0)
#define DEBUGCTL_BTF (1UL << 1)
#define DEBUGCTL_FREEZE_LBRS_ON_PMI (1UL << 11)
#define DEBUGCTL_FREEZE_PERFMON_ON_PMI (1UL << 12)

/* MSR_LBR_SELECT: a set bit suppresses those records */
#define LBR_SELECT_CPL_EQ_0 (1UL << 0)
#define LBR_SELECT_CPL_NEQ_0 (1UL << 1)
#define LBR_SELECT_JCC (1UL << 2)
#define LBR_SELECT_NEAR_REL_CALL (1UL << 3)
#define LBR_SELECT_NEAR_IND_CALL (1UL << 4)
#define LBR_SELECT_NEAR_RET (1UL << 5)
#define LBR_SELECT_NEAR_IND_JMP (1UL << 6)
#define LBR_SELECT_NEAR_REL_JMP (1UL << 7)
#define LBR_SELECT_FAR_BRANCH (1UL << 8)
#define LBR_SELECT_EN_CALLSTACK (1UL << 9)
#define LBR_INFO_CYC_CNT 0xffffUL

#define PMU_GP_COUNTERS 8
#define PMU_FIXED_COUNTERS 3
#define PMU_COUNTER_WIDTH 48
#define PMU_COUNTER_MASK ((1UL << PMU_COUNTER_WIDTH) - 1)
#define LBR_ENTRIES 32

/*
 * @n CPUIDs, each a VM exit under a hypervisor, in a window counted with
 * IA32_PERF_GLOBAL_CTRL = @global_ctrl (the counters already programmed):
 * WRMSR (the enabling one counts), MOV, n * (XOR, CPUID, DEC, JNZ), MOV,
 * XOR, XOR. A CPUID that exits does not retire (SDM Vol. 3B 20.2.1.2:
 * Instructions Retired "does not increment under VM-exit conditions"):
 * 3n + 5 instructions and n branches are the window's own.
 */
static inline void counted_cpuids(uint64_t global_ctrl, uint64_t n)
{
	uint32_t lo = (uint32_t)global_ctrl, hi = global_ctrl >> 32,
		 msr = MSR_IA32_PERF_GLOBAL_CTRL;

	asm volatile("wrmsr\n\t"
		     "mov %[n], %%r8\n"
		     "1: xor %%eax, %%eax\n\t"
		     "cpuid\n\t"
		     "dec %%r8\n\t"
		     "jnz 1b\n\t"
		     "mov %[ctl], %%ecx\n\t"
		     "xor %%eax, %%eax\n\t"
		     "xor %%edx, %%edx\n\t"
		     "wrmsr"
		     : "+a"(lo), "+d"(hi), "+c"(msr)
		     : [n] "r"(n), [ctl] "i"(MSR_IA32_PERF_GLOBAL_CTRL)
		     : "rbx", "r8", "memory");
}

#endif /* GUEST_PERFMON_H */
