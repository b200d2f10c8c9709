// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's legacy last branch records, run natively (no hv): a known
 * branch sequence lands in the 32-entry stack with its addresses and cycle
 * counts, MSR_LBR_SELECT filters by type and CPL, exceptions and IRET are
 * recorded as far branches, Freeze_LBRs_On_PMI freezes the stack, a debug
 * exception clears IA32_DEBUGCTL.LBR, and reserved bits raise #GP (SDM
 * Vol. 3B 18.4 and the Skylake LBR format 000101B).
 */
#include <stdio.h>
#include "libguest.h"
#include "perfmon.h"

#define CPUID_7_EDX_ARCH_LBR (1U << 19)
#define LBR_NEAR_KINDS                                                          \
	(LBR_SELECT_JCC | LBR_SELECT_NEAR_REL_CALL | LBR_SELECT_NEAR_IND_CALL | \
	 LBR_SELECT_NEAR_RET | LBR_SELECT_NEAR_IND_JMP | LBR_SELECT_NEAR_REL_JMP)

struct lbr_record {
	uint64_t from, to, info;
};

/*
 * One of each near branch, between the WRMSR that sets IA32_DEBUGCTL (ECX) to
 * the value in EAX and the one that clears it; the not-taken JNZ records
 * nothing. The labels are the FROM and TO addresses the records must hold.
 */
asm(".pushsection .text\n"
    ".globl lbr_sequence\n"
    "lbr_sequence:\n\t"
    "xor %edx, %edx\n\t"
    "wrmsr\n"
    "lbr_jmp: jmp lbr_jmp_target\n\t"
    "ud2\n"
    "lbr_jmp_target:\n"
    "lbr_call: call lbr_callee\n"
    "lbr_call_return:\n\t"
    "xor %eax, %eax\n\t"
    "jnz lbr_never\n"
    "lbr_jcc: jz lbr_jcc_target\n\t"
    "ud2\n"
    "lbr_jcc_target:\n\t"
    "lea lbr_ind_target(%rip), %rax\n"
    "lbr_ind: jmp *%rax\n\t"
    "ud2\n"
    "lbr_ind_target:\n\t"
    "xor %eax, %eax\n\t"
    "wrmsr\n\t"
    "ret\n"
    "lbr_callee:\n"
    "lbr_ret: ret\n"
    "lbr_never: ud2\n"
    ".popsection");

extern const char lbr_jmp[], lbr_jmp_target[], lbr_call[], lbr_callee[], lbr_ret[],
	lbr_call_return[], lbr_jcc[], lbr_jcc_target[], lbr_ind[], lbr_ind_target[];

static void run_sequence(uint32_t debugctl)
{
	asm volatile("call lbr_sequence"
		     : "+a"(debugctl)
		     : "c"(MSR_IA32_DEBUGCTL)
		     : "rdx", "memory");
}

static unsigned int tos(void)
{
	return rdmsr(MSR_LASTBRANCH_TOS);
}

/* The @age-th newest record (0: the one at TOS). */
static struct lbr_record record(unsigned int age)
{
	unsigned int n = (tos() + LBR_ENTRIES - age) % LBR_ENTRIES;

	return (struct lbr_record){ rdmsr(MSR_LASTBRANCH_0_FROM_IP + n),
				    rdmsr(MSR_LASTBRANCH_0_TO_IP + n), rdmsr(MSR_LBR_INFO_0 + n) };
}

static unsigned int records_since(unsigned int before)
{
	return (tos() + LBR_ENTRIES - before) % LBR_ENTRIES;
}

static void check_msrs(void)
{
	uint64_t v;

	report(!(cpuid_count(7, 0).d & CPUID_7_EDX_ARCH_LBR),
	       "CPUID.07H:EDX[19] reports no architectural LBRs");
	report((rdmsr(MSR_IA32_PERF_CAPABILITIES) & PERF_CAP_LBR_FMT_MASK) ==
		       PERF_CAP_LBR_FMT_EIP_INFO,
	       "IA32_PERF_CAPABILITIES.LBR_FMT is 000101B (64-bit EIP, LBR_INFO)");
	v = DEBUGCTL_LBR | DEBUGCTL_FREEZE_LBRS_ON_PMI | DEBUGCTL_FREEZE_PERFMON_ON_PMI;
	report(wrmsr_safe(MSR_IA32_DEBUGCTL, v) == NO_EXCEPTION && rdmsr(MSR_IA32_DEBUGCTL) == v,
	       "IA32_DEBUGCTL keeps LBR, FREEZE_LBRS_ON_PMI, FREEZE_PERFMON_ON_PMI (%#lx)", v);
	wrmsr(MSR_IA32_DEBUGCTL, 0);

	static const struct {
		uint32_t msr;
		uint64_t val;
		const char *what;
	} gp[] = {
		{ MSR_IA32_DEBUGCTL, DEBUGCTL_BTF, "IA32_DEBUGCTL.BTF, not implemented" },
		{ MSR_IA32_DEBUGCTL, 1UL << 2, "IA32_DEBUGCTL bit 2" },
		{ MSR_IA32_DEBUGCTL, 1UL << 7, "IA32_DEBUGCTL.BTS, not implemented" },
		{ MSR_IA32_DEBUGCTL, 1UL << 14, "IA32_DEBUGCTL.FREEZE_WHILE_SMM, not implemented" },
		{ MSR_IA32_DEBUGCTL, 1UL << 32, "IA32_DEBUGCTL bit 32" },
		{ MSR_LBR_SELECT, LBR_SELECT_EN_CALLSTACK,
		  "MSR_LBR_SELECT.EN_CALLSTACK, not implemented" },
		{ MSR_LBR_SELECT, 1UL << 10, "MSR_LBR_SELECT bit 10" },
		{ MSR_LASTBRANCH_TOS, LBR_ENTRIES, "MSR_LASTBRANCH_TOS 32" },
		{ MSR_LBR_INFO_0, 1UL << 16, "MSR_LBR_INFO_0 bit 16" },
	};
	for (unsigned int i = 0; i < sizeof(gp) / sizeof(gp[0]); i++)
		report(wrmsr_safe(gp[i].msr, gp[i].val) == GP_VECTOR, "WRMSR of %s raises #GP",
		       gp[i].what);

	wrmsr(MSR_LASTBRANCH_0_FROM_IP + 31, 0xffffffff81000000UL);
	wrmsr(MSR_LASTBRANCH_0_TO_IP + 31, 0x401000UL);
	wrmsr(MSR_LASTBRANCH_TOS, 7);
	report(rdmsr(MSR_LASTBRANCH_0_FROM_IP + 31) == 0xffffffff81000000UL &&
		       rdmsr(MSR_LASTBRANCH_0_TO_IP + 31) == 0x401000UL && tos() == 7,
	       "MSR_LASTBRANCH_31_FROM_IP/TO_IP and MSR_LASTBRANCH_TOS keep what is written");
	report(rdmsr_safe(MSR_LASTBRANCH_0_FROM_IP + LBR_ENTRIES, &v) == GP_VECTOR &&
		       rdmsr_safe(MSR_LBR_INFO_0 + LBR_ENTRIES, &v) == GP_VECTOR,
	       "there is no 33rd record: MSR_LASTBRANCH_32_FROM_IP and MSR_LBR_INFO_32 raise #GP");
}

static void check_sequence(void)
{
	static const struct {
		const char *from, *to;
		uint64_t cycles; /* since the record before; 0: not checked */
		const char *what;
	} expect[] = {
		{ lbr_jmp, lbr_jmp_target, 0, "JMP rel" },
		{ lbr_call, lbr_callee, 1, "CALL rel" },
		{ lbr_ret, lbr_call_return, 1, "RET" },
		{ lbr_jcc, lbr_jcc_target, 3, "JZ taken" },
		{ lbr_ind, lbr_ind_target, 2, "JMP indirect" },
	};
	const unsigned int n = sizeof(expect) / sizeof(expect[0]);
	unsigned int before;

	wrmsr(MSR_LBR_SELECT, 0);
	before = tos();
	run_sequence(DEBUGCTL_LBR);
	report(records_since(before) == n, "%u taken branches make %u records (TOS %u -> %u)", n, n,
	       before, tos());
	for (unsigned int i = 0; i < n; i++) {
		struct lbr_record r = record(n - 1 - i);

		report(r.from == (uintptr_t)expect[i].from && r.to == (uintptr_t)expect[i].to,
		       "record %u: %s from %p to %p (%#lx -> %#lx)", i, expect[i].what,
		       (const void *)expect[i].from, (const void *)expect[i].to, r.from, r.to);
		if (expect[i].cycles)
			report((r.info & LBR_INFO_CYC_CNT) == expect[i].cycles && !(r.info >> 16),
			       "record %u: LBR_INFO %#lx: %lu cycles since the one before, no flags",
			       i, r.info, expect[i].cycles);
	}
	report(!(rdmsr(MSR_IA32_DEBUGCTL) & DEBUGCTL_LBR) && records_since(before) == n,
	       "with IA32_DEBUGCTL.LBR clear nothing more is recorded");

	wrmsr(MSR_LBR_SELECT, LBR_SELECT_JCC);
	before = tos();
	run_sequence(DEBUGCTL_LBR);
	report(records_since(before) == n - 1 && record(1).from == (uintptr_t)lbr_ret &&
		       record(0).from == (uintptr_t)lbr_ind,
	       "MSR_LBR_SELECT.JCC: the JZ is not recorded, the other 4 are");

	wrmsr(MSR_LBR_SELECT, LBR_SELECT_NEAR_REL_JMP | LBR_SELECT_NEAR_IND_JMP);
	before = tos();
	run_sequence(DEBUGCTL_LBR);
	report(records_since(before) == 3 && record(2).from == (uintptr_t)lbr_call &&
		       record(1).from == (uintptr_t)lbr_ret && record(0).from == (uintptr_t)lbr_jcc,
	       "MSR_LBR_SELECT.NEAR_REL_JMP|NEAR_IND_JMP: CALL, RET and JZ are recorded");

	wrmsr(MSR_LBR_SELECT, LBR_SELECT_CPL_EQ_0);
	before = tos();
	run_sequence(DEBUGCTL_LBR);
	report(records_since(before) == 0, "MSR_LBR_SELECT.CPL_EQ_0: nothing at CPL 0 is recorded");

	wrmsr(MSR_LBR_SELECT, LBR_SELECT_CPL_NEQ_0);
	before = tos();
	run_sequence(DEBUGCTL_LBR);
	report(records_since(before) == n, "MSR_LBR_SELECT.CPL_NEQ_0: CPL 0 branches are recorded");
	wrmsr(MSR_LBR_SELECT, 0);
}

/* The handler address of IDT gate @vector (SDM Vol. 3A 6.14.1, 64-bit gates). */
static uint64_t idt_handler(unsigned int vector)
{
	struct idt_gate {
		uint16_t offset_low, selector;
		uint8_t ist, type_attr;
		uint16_t offset_mid;
		uint32_t offset_high, reserved;
	};
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr;
	const struct idt_gate *gate;

	asm volatile("sidt %0" : "=m"(idtr));
	gate = (const struct idt_gate *)idtr.base + vector;
	return gate->offset_low | (uint64_t)gate->offset_mid << 16 |
	       (uint64_t)gate->offset_high << 32;
}

extern const char lbr_ud2[], lbr_ud2_resume[];

/* Once only: the labels in its asm must be defined once. */
static __attribute__((noinline, noclone)) void fault_with_far_records_only(void)
{
	wrmsr(MSR_LBR_SELECT, LBR_NEAR_KINDS);
	wrmsr(MSR_IA32_DEBUGCTL, DEBUGCTL_LBR);
	asm volatile(ASM_TRY("lbr_ud2: ud2") "lbr_ud2_resume:" : : : "memory");
	wrmsr(MSR_IA32_DEBUGCTL, 0);
	wrmsr(MSR_LBR_SELECT, 0);
}

static void check_far(void)
{
	unsigned int before = tos();
	struct lbr_record exception, iret;

	fault_with_far_records_only();
	exception = record(1);
	iret = record(0);
	report(caught_exception.vector == UD_VECTOR && records_since(before) == 2,
	       "near branches filtered: #UD and its IRET make 2 records (%u)",
	       records_since(before));
	report(exception.from == (uintptr_t)lbr_ud2 && exception.to == idt_handler(UD_VECTOR),
	       "the exception: from the UD2 %p to the #UD handler %#lx (%#lx -> %#lx)",
	       (const void *)lbr_ud2, idt_handler(UD_VECTOR), exception.from, exception.to);
	report(iret.to == (uintptr_t)lbr_ud2_resume,
	       "the IRET, a far branch: to where the handler resumed %p (%#lx -> %#lx)",
	       (const void *)lbr_ud2_resume, iret.from, iret.to);
}

static void loop(uint64_t n)
{
	asm volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "memory");
}

static void check_freeze_and_debug_exception(void)
{
	unsigned int frozen_tos;
	uint64_t status;

	/*
	 * IA32_PMC0 overflows with a PMI, which the local APIC drops: the LVT
	 * performance counter entry is masked from reset (SDM Vol. 3A 11.5.1).
	 */
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, 0);
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_RESET, rdmsr(MSR_IA32_PERF_GLOBAL_STATUS));
	wrmsr(MSR_IA32_PERFEVTSEL0,
	      EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_USR | EVTSEL_EN | EVTSEL_INT);
	wrmsr(MSR_IA32_A_PMC0, (1UL << PMU_COUNTER_WIDTH) - 50);
	wrmsr(MSR_IA32_DEBUGCTL, DEBUGCTL_LBR | DEBUGCTL_FREEZE_LBRS_ON_PMI);
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, GLOBAL_PMC(0));
	loop(200);
	status = rdmsr(MSR_IA32_PERF_GLOBAL_STATUS);
	frozen_tos = tos();
	loop(200);
	report((status & GLOBAL_STATUS_LBR_FRZ) && tos() == frozen_tos,
	       "Freeze_LBRs_On_PMI: the PMI sets LBR_FRZ and the stack stops (status %#lx)",
	       status);
	report(rdmsr(MSR_IA32_DEBUGCTL) & DEBUGCTL_LBR,
	       "version 4 freezes through LBR_FRZ: IA32_DEBUGCTL.LBR stays set");
	wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, 0);
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_RESET, GLOBAL_STATUS_LBR_FRZ | GLOBAL_PMC(0));
	loop(10);
	report(tos() != frozen_tos, "clearing LBR_FRZ resumes recording");
	wrmsr(MSR_IA32_PERFEVTSEL0, 0);

	/* SDM Vol. 3B 18.4.1: the processor clears LBR when it generates a #DB. */
	wrmsr(MSR_IA32_DEBUGCTL, DEBUGCTL_LBR);
	asm volatile(ASM_TRY("int1") : : : "memory");
	report(caught_exception.vector == DB_VECTOR && !(rdmsr(MSR_IA32_DEBUGCTL) & DEBUGCTL_LBR),
	       "INT1 raises #DB, which clears IA32_DEBUGCTL.LBR (%#lx)", rdmsr(MSR_IA32_DEBUGCTL));
	wrmsr(MSR_IA32_DEBUGCTL, 0);
}

int main(void)
{
	uint64_t v;

	report_start();
	if (!(cpuid(CPUID_PMU_LEAF).a & 0xff)) {
		report_skip("CPUID.0AH reports no architectural PMU: not the project's Bochs 3.0, "
			    "or a hypervisor that gives none");
		return report_summary();
	}
	if (rdmsr_safe(MSR_IA32_DEBUGCTL, &v) != NO_EXCEPTION ||
	    rdmsr_safe(MSR_LASTBRANCH_TOS, &v) != NO_EXCEPTION) {
		report(false, "IA32_DEBUGCTL and MSR_LASTBRANCH_TOS read without #GP");
		return report_summary();
	}
	check_msrs();
	check_sequence();
	check_far();
	check_freeze_and_debug_exception();
	return report_summary();
}
