// SPDX-License-Identifier: GPL-2.0
/* See pmu_model.h. Each rule cites where the SDM states it. */
#include <stdlib.h>
#include <string.h>

#include <hv/vmx/vmcs_fields.h>
#include <x86/hw.h>
#include <x86/msr.h>

#include "pmu_model.h"

#define MAX_GP 8U
#define MAX_FIXED 4U
#define MAX_LBR 32U
#define FIXED_BIT 32U /* IA32_FIXED_CTRn's bit in the global MSRs (Vol. 3B Figure 20-3) */

/* IA32_PERFEVTSELx (Vol. 3B Figure 20-1) */
#define SEL_EVENT_UMASK 0xffffULL
#define SEL_USR (1ULL << 16)
#define SEL_OS (1ULL << 17)
#define SEL_INT (1ULL << 20)
#define SEL_ANY (1ULL << 21)
#define SEL_EN (1ULL << 22)
#define SEL_RESERVED (~0ULL << 32)
/* Architectural events (Vol. 3B Table 20-1) */
#define EV_CORE_CYCLES 0x003c
#define EV_INSTRUCTIONS 0x00c0
#define EV_REF_CYCLES 0x013c
#define EV_BRANCHES 0x00c4
/* IA32_FIXED_CTR_CTRL: 4 bits per counter (Vol. 3B Figure 20-2) */
#define FIX_OS 1ULL
#define FIX_USR 2ULL
#define FIX_ANY 4ULL
#define FIX_PMI 8ULL
/* IA32_PERF_GLOBAL_STATUS (Vol. 3B 20.2.4.1, Vol. 4 Table 2-2 MSRs 38EH, 390H, 391H) */
#define ST_LBR_FRZ (1ULL << 58)
#define ST_CTR_FRZ (1ULL << 59)
#define ST_OVF_UNCORE (1ULL << 61)
#define ST_OVF_BUF (1ULL << 62)
#define ST_COND_CHGD (1ULL << 63)
#define INUSE_PMI (1ULL << 63)
/* IA32_DEBUGCTL (Vol. 3B 18.4.1) */
#define DBG_LBR (1ULL << 0)
#define DBG_FREEZE_LBRS (1ULL << 11)
#define DBG_FREEZE_PERFMON (1ULL << 12)
/* MSR_LBR_SELECT (Vol. 3B "Filtering of Last Branch Records"): bits 8:0 */
#define SELECT_CPL_EQ_0 1ULL
#define SELECT_CPL_NEQ_0 2ULL
#define SELECT_BITS 0x1ffULL
/* IA32_PERF_CAPABILITIES (Vol. 4 Table 2-2, MSR 345H) */
#define CAP_FULL_WIDTH (1ULL << 13)
/* VMX controls (Vol. 3C Tables 25-13, 25-15) */
#define EXIT_SAVE_DEBUG (1ULL << 2)
#define EXIT_LOAD_PGC (1ULL << 12)
#define EXIT_SAVE_PGC (1ULL << 30)
#define ENTRY_LOAD_DEBUG (1ULL << 2)
#define ENTRY_LOAD_PGC (1ULL << 13)

const struct model_pmu_config model_pmu_bochs3 = {
	.version = 4,
	.gp_counters = 8,
	.fixed_counters = 3,
	.width = 48,
	.full_width_writes = true,
	.lbr_depth = 32,
	.lbr_info = true,
	.lbr_format = 5,
	.debugctl_bits = DBG_LBR | DBG_FREEZE_LBRS | DBG_FREEZE_PERFMON,
	.any_thread = true,
};

unsigned int model_pmu_pmis;
unsigned int model_pmu_msr_accesses;

static struct {
	struct model_pmu_config c;
	u64 pmc[MAX_GP], evtsel[MAX_GP], fixed[MAX_FIXED];
	u64 fixed_ctrl, global_ctrl, status, debugctl;
	u64 lbr_select, lbr_tos, lbr_from[MAX_LBR], lbr_to[MAX_LBR], lbr_info[MAX_LBR];
} cpu;

static u64 width_mask(void)
{
	return cpu.c.width >= 64 ? ~0ULL : (1ULL << cpu.c.width) - 1;
}

static u64 counter_bits(void)
{
	return ((1ULL << cpu.c.gp_counters) - 1) |
	       (((1ULL << cpu.c.fixed_counters) - 1) << FIXED_BIT);
}

static bool in(u32 msr, u32 first, u32 n)
{
	return msr - first < n;
}

static bool owns(u32 msr)
{
	const struct model_pmu_config *c = &cpu.c;
	bool v4 = c->version >= 4;

	return in(msr, MSR_IA32_PMC0, c->gp_counters) ||
	       (c->full_width_writes && in(msr, MSR_IA32_A_PMC0, c->gp_counters)) ||
	       in(msr, MSR_IA32_PERFEVTSEL0, c->gp_counters) ||
	       in(msr, MSR_IA32_FIXED_CTR0, c->fixed_counters) || msr == MSR_IA32_FIXED_CTR_CTRL ||
	       msr == MSR_IA32_PERF_GLOBAL_STATUS || msr == MSR_IA32_PERF_GLOBAL_CTRL ||
	       msr == MSR_IA32_PERF_GLOBAL_STATUS_RESET ||
	       (v4 &&
		(msr == MSR_IA32_PERF_GLOBAL_STATUS_SET || msr == MSR_IA32_PERF_GLOBAL_INUSE)) ||
	       msr == MSR_IA32_PERF_CAPABILITIES || msr == MSR_IA32_DEBUGCTL ||
	       (c->lbr_depth && (msr == MSR_IA32_LBR_SELECT || msr == MSR_IA32_LASTBRANCH_TOS ||
				 in(msr, MSR_IA32_LASTBRANCH_0_FROM_IP, c->lbr_depth) ||
				 in(msr, MSR_IA32_LASTBRANCH_0_TO_IP, c->lbr_depth) ||
				 (c->lbr_info && in(msr, MSR_IA32_LBR_INFO_0, c->lbr_depth))));
}

static u64 *counter(unsigned int bit)
{
	return bit >= FIXED_BIT ? &cpu.fixed[bit - FIXED_BIT] : &cpu.pmc[bit];
}

static u64 pmi_enabled(void)
{
	u64 bits = 0;
	unsigned int n;

	for (n = 0; n < cpu.c.gp_counters; n++)
		if (cpu.evtsel[n] & SEL_INT)
			bits |= 1ULL << n;
	for (n = 0; n < cpu.c.fixed_counters; n++)
		if ((cpu.fixed_ctrl >> (4 * n)) & FIX_PMI)
			bits |= 1ULL << (FIXED_BIT + n);
	return bits;
}

enum event { INSTRUCTIONS, CYCLES, BRANCHES };

/*
 * A counter counts when its global enable, its own enable and its OS or USR
 * bit for the CPL are set (Vol. 3B 20.2.2) and CTR_FRZ is clear (20.2.4.1).
 */
static bool counts(unsigned int bit, enum event e, unsigned int cpl)
{
	u64 field;

	if (!(cpu.global_ctrl & (1ULL << bit)) || (cpu.status & ST_CTR_FRZ))
		return false;
	if (bit < FIXED_BIT) {
		u64 sel = cpu.evtsel[bit];

		if (!(sel & SEL_EN) || !(sel & (cpl ? SEL_USR : SEL_OS)))
			return false;
		switch (sel & SEL_EVENT_UMASK) {
		case EV_INSTRUCTIONS:
			return e == INSTRUCTIONS;
		case EV_CORE_CYCLES:
		case EV_REF_CYCLES:
			return e == CYCLES;
		case EV_BRANCHES:
			return e == BRANCHES;
		default:
			return false;
		}
	}
	field = cpu.fixed_ctrl >> (4 * (bit - FIXED_BIT));
	if (!(field & (cpl ? FIX_USR : FIX_OS)))
		return false;
	/* IA32_FIXED_CTR0 counts instructions, 1 core cycles, 2 reference cycles (Table 20-2) */
	return bit == FIXED_BIT ? e == INSTRUCTIONS : e == CYCLES;
}

/*
 * A PMI with Freeze_PerfMon_On_PMI / Freeze_LBRs_On_PMI sets CTR_FRZ /
 * LBR_FRZ (version 4, Vol. 3B 20.2.4.1 and 18.4.7).
 */
static void pmi(void)
{
	model_pmu_pmis++;
	if (cpu.debugctl & DBG_FREEZE_PERFMON)
		cpu.status |= ST_CTR_FRZ;
	if (cpu.debugctl & DBG_FREEZE_LBRS)
		cpu.status |= ST_LBR_FRZ;
}

static void add(enum event e, u64 n, unsigned int cpl)
{
	u64 counting = 0, overflowed = 0, bits = counter_bits();
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		if ((bits & (1ULL << bit)) && counts(bit, e, cpl))
			counting |= 1ULL << bit;
	for (bit = 0; bit < 64; bit++) {
		u64 *ctr;

		if (!(counting & (1ULL << bit)))
			continue;
		ctr = counter(bit);
		if (n > width_mask() - *ctr)
			overflowed |= 1ULL << bit;
		*ctr = (*ctr + n) & width_mask();
	}
	cpu.status |= overflowed;
	if (overflowed & pmi_enabled())
		pmi();
}

/* Vol. 3B 18.4.8 and "Filtering of Last Branch Records"; LBR_FRZ stops it (18.4.7). */
static void record(u64 from, u64 to, unsigned int cpl)
{
	if (!(cpu.debugctl & DBG_LBR) || (cpu.status & ST_LBR_FRZ) || !cpu.c.lbr_depth ||
	    (cpu.lbr_select & (cpl ? SELECT_CPL_NEQ_0 : SELECT_CPL_EQ_0)))
		return;
	cpu.lbr_tos = (cpu.lbr_tos + 1) % cpu.c.lbr_depth;
	cpu.lbr_from[cpu.lbr_tos] = from;
	cpu.lbr_to[cpu.lbr_tos] = to;
	cpu.lbr_info[cpu.lbr_tos] = 1; /* a cycle count: the model's instructions are one cycle */
}

void model_pmu_run(u64 instructions, u64 branches, u64 from, u64 to, unsigned int cpl)
{
	u64 i;

	add(INSTRUCTIONS, instructions, cpl);
	add(CYCLES, instructions, cpl);
	for (i = 0; i < branches; i++) {
		add(BRANCHES, 1, cpl);
		record(from, to, cpl);
	}
}

/* IA32_PERF_GLOBAL_INUSE (Vol. 3B 20.2.4.3) */
static u64 inuse(void)
{
	u64 bits = 0;
	unsigned int n;

	for (n = 0; n < cpu.c.gp_counters; n++)
		if (cpu.evtsel[n] & 0xff)
			bits |= 1ULL << n;
	for (n = 0; n < cpu.c.fixed_counters; n++)
		if ((cpu.fixed_ctrl >> (4 * n)) & (FIX_OS | FIX_USR))
			bits |= 1ULL << (FIXED_BIT + n);
	return bits | (pmi_enabled() ? INUSE_PMI : 0);
}

static int read(u32 msr, u64 *val)
{
	model_pmu_msr_accesses++;
	if (in(msr, MSR_IA32_PMC0, MAX_GP))
		*val = cpu.pmc[msr - MSR_IA32_PMC0];
	else if (in(msr, MSR_IA32_A_PMC0, MAX_GP))
		*val = cpu.pmc[msr - MSR_IA32_A_PMC0];
	else if (in(msr, MSR_IA32_PERFEVTSEL0, MAX_GP))
		*val = cpu.evtsel[msr - MSR_IA32_PERFEVTSEL0];
	else if (in(msr, MSR_IA32_FIXED_CTR0, MAX_FIXED))
		*val = cpu.fixed[msr - MSR_IA32_FIXED_CTR0];
	else if (in(msr, MSR_IA32_LASTBRANCH_0_FROM_IP, MAX_LBR))
		*val = cpu.lbr_from[msr - MSR_IA32_LASTBRANCH_0_FROM_IP];
	else if (in(msr, MSR_IA32_LASTBRANCH_0_TO_IP, MAX_LBR))
		*val = cpu.lbr_to[msr - MSR_IA32_LASTBRANCH_0_TO_IP];
	else if (in(msr, MSR_IA32_LBR_INFO_0, MAX_LBR))
		*val = cpu.lbr_info[msr - MSR_IA32_LBR_INFO_0];
	else if (msr == MSR_IA32_FIXED_CTR_CTRL)
		*val = cpu.fixed_ctrl;
	else if (msr == MSR_IA32_PERF_GLOBAL_STATUS)
		*val = cpu.status;
	else if (msr == MSR_IA32_PERF_GLOBAL_CTRL)
		*val = cpu.global_ctrl;
	else if (msr == MSR_IA32_PERF_GLOBAL_INUSE)
		*val = inuse();
	else if (msr == MSR_IA32_PERF_CAPABILITIES)
		*val = cpu.c.lbr_format | (cpu.c.full_width_writes ? CAP_FULL_WIDTH : 0);
	else if (msr == MSR_IA32_DEBUGCTL)
		*val = cpu.debugctl;
	else if (msr == MSR_IA32_LBR_SELECT)
		*val = cpu.lbr_select;
	else if (msr == MSR_IA32_LASTBRANCH_TOS)
		*val = cpu.lbr_tos;
	else /* STATUS_RESET and STATUS_SET act on writes and read 0 */
		*val = 0;
	return 0;
}

static u64 fixed_ctrl_bits(void)
{
	u64 field = FIX_OS | FIX_USR | FIX_PMI | (cpu.c.any_thread ? FIX_ANY : 0), bits = 0;
	unsigned int n;

	for (n = 0; n < cpu.c.fixed_counters; n++)
		bits |= field << (4 * n);
	return bits;
}

static int write(u32 msr, u64 val)
{
	/* Version 4 status bits beyond the counters (Vol. 4 Table 2-2, MSRs 390H, 391H) */
	u64 other = ST_LBR_FRZ | ST_CTR_FRZ | ST_OVF_UNCORE | ST_OVF_BUF;

	model_pmu_msr_accesses++;
	if (in(msr, MSR_IA32_PMC0, MAX_GP)) {
		/* Bits 31:0, sign-extended (Vol. 3B "Full-Width Writes to Performance Counters") */
		cpu.pmc[msr - MSR_IA32_PMC0] = (u64)(s64)(s32)(u32)val & width_mask();
	} else if (in(msr, MSR_IA32_A_PMC0, MAX_GP) || in(msr, MSR_IA32_FIXED_CTR0, MAX_FIXED)) {
		if (val & ~width_mask())
			return -1;
		*(in(msr, MSR_IA32_A_PMC0, MAX_GP) ? &cpu.pmc[msr - MSR_IA32_A_PMC0] :
						     &cpu.fixed[msr - MSR_IA32_FIXED_CTR0]) = val;
	} else if (in(msr, MSR_IA32_PERFEVTSEL0, MAX_GP)) {
		if ((val & SEL_RESERVED) || (!cpu.c.any_thread && (val & SEL_ANY)))
			return -1;
		cpu.evtsel[msr - MSR_IA32_PERFEVTSEL0] = val;
	} else if (in(msr, MSR_IA32_LASTBRANCH_0_FROM_IP, MAX_LBR)) {
		cpu.lbr_from[msr - MSR_IA32_LASTBRANCH_0_FROM_IP] = val;
	} else if (in(msr, MSR_IA32_LASTBRANCH_0_TO_IP, MAX_LBR)) {
		cpu.lbr_to[msr - MSR_IA32_LASTBRANCH_0_TO_IP] = val;
	} else if (in(msr, MSR_IA32_LBR_INFO_0, MAX_LBR)) {
		cpu.lbr_info[msr - MSR_IA32_LBR_INFO_0] = val;
	} else if (msr == MSR_IA32_FIXED_CTR_CTRL) {
		if (val & ~fixed_ctrl_bits())
			return -1;
		cpu.fixed_ctrl = val;
	} else if (msr == MSR_IA32_PERF_GLOBAL_CTRL) {
		if (val & ~counter_bits())
			return -1;
		cpu.global_ctrl = val;
	} else if (msr == MSR_IA32_PERF_GLOBAL_STATUS_RESET) {
		if (val & ~(counter_bits() | other | ST_COND_CHGD))
			return -1;
		cpu.status &= ~val;
	} else if (msr == MSR_IA32_PERF_GLOBAL_STATUS_SET) {
		if (val & ~(counter_bits() | other))
			return -1;
		cpu.status |= val;
	} else if (msr == MSR_IA32_DEBUGCTL) {
		if (val & ~cpu.c.debugctl_bits)
			return -1;
		cpu.debugctl = val;
	} else if (msr == MSR_IA32_LBR_SELECT) {
		if (val & ~SELECT_BITS)
			return -1;
		cpu.lbr_select = val;
	} else if (msr == MSR_IA32_LASTBRANCH_TOS) {
		if (val >= cpu.c.lbr_depth)
			return -1;
		cpu.lbr_tos = val;
	} else { /* GLOBAL_STATUS, GLOBAL_INUSE, PERF_CAPABILITIES are read-only */
		return -1;
	}
	return 0;
}

static const struct model_msr_device pmu_device = { owns, read, write };

void model_pmu_install(const struct model_pmu_config *c)
{
	struct cpuid_regs leaf1 = cpuid(1, 0);

	memset(&cpu, 0, sizeof(cpu));
	model_pmu_pmis = 0;
	model_pmu_msr_accesses = 0;
	if (!c) {
		model_msr_device = NULL;
		model_cpuid_set(0xa, 0, (struct cpuid_regs){ 0, 0, 0, 0 });
		return;
	}
	if (c->gp_counters > MAX_GP || c->fixed_counters > MAX_FIXED || c->lbr_depth > MAX_LBR)
		abort();
	cpu.c = *c;
	/* IA32_PERF_GLOBAL_CTRL at reset: bits n-1:0 for the n counters (Vol. 3A Table 10-1). */
	cpu.global_ctrl = c->version >= 2 ? (1ULL << c->gp_counters) - 1 : 0;
	model_msr_device = &pmu_device;
	/* CPUID.0AH (Vol. 2A CPUID): version, counters, widths; 7 events, all available. */
	model_cpuid_set(
		0xa, 0,
		(struct cpuid_regs){ c->version | c->gp_counters << 8 | c->width << 16 | 7U << 24,
				     0, 0, c->fixed_counters | c->width << 5 });
	leaf1.ecx |= 1U << 15; /* PDCM: IA32_PERF_CAPABILITIES exists */
	model_cpuid_set(1, 0, leaf1);
}

/* RDPMC (Vol. 2B): ECX[30] selects the fixed counters, ECX[29:0] the counter; else #GP. */
int model_pmu_rdpmc(u32 ecx, u64 *val)
{
	u32 index = ecx & ~(1U << 30);

	if (ecx & (1U << 30)) {
		if (index >= cpu.c.fixed_counters)
			return -1;
		*val = cpu.fixed[index];
		return 0;
	}
	if (index >= cpu.c.gp_counters)
		return -1;
	*val = cpu.pmc[index];
	return 0;
}

void model_pmu_vm_entry(void)
{
	u64 entry = vmread(VM_ENTRY_CONTROLS);

	/* Vol. 3C 27.3.2.1 */
	if (entry & ENTRY_LOAD_DEBUG)
		cpu.debugctl = vmread(GUEST_IA32_DEBUGCTL);
	if (entry & ENTRY_LOAD_PGC)
		cpu.global_ctrl = vmread(GUEST_IA32_PERF_GLOBAL_CTRL);
}

void model_pmu_vm_exit(void)
{
	u64 exit = vmread(VM_EXIT_CONTROLS);

	/* Vol. 3C 28.3.1: saved first; 28.5.1: IA32_DEBUGCTL cleared, the host's loaded. */
	if (exit & EXIT_SAVE_DEBUG)
		vmwrite(GUEST_IA32_DEBUGCTL, cpu.debugctl);
	if (exit & EXIT_SAVE_PGC)
		vmwrite(GUEST_IA32_PERF_GLOBAL_CTRL, cpu.global_ctrl);
	cpu.debugctl = 0;
	if (exit & EXIT_LOAD_PGC)
		cpu.global_ctrl = vmread(HOST_IA32_PERF_GLOBAL_CTRL);
}

u64 model_pmu_counter(unsigned int bit)
{
	return *counter(bit);
}

u64 model_pmu_global_ctrl(void)
{
	return cpu.global_ctrl;
}

u64 model_pmu_debugctl(void)
{
	return cpu.debugctl;
}

u64 model_pmu_lbr_from(unsigned int i)
{
	return cpu.lbr_from[i];
}
