// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/mce.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

/* The banks that exist (MCG_CAP.Count); 0 without MCA or when MCG_CAP faults. */
static u32 nr_banks(u64 *mcg_cap)
{
	u32 edx = cpuid(1, 0).edx;

	if (!(edx & CPUID_1_EDX_MCE) || !(edx & CPUID_1_EDX_MCA) ||
	    rdmsr_safe(MSR_IA32_MCG_CAP, mcg_cap))
		return 0;
	return *mcg_cap & MCG_CAP_COUNT_MASK;
}

/* Reads bank @i into @e if it holds an error, and clears it. */
static bool take_bank(u32 i, struct mce_bank_error *e)
{
	u64 status = 0;

	if (rdmsr_safe(MSR_IA32_MC_STATUS(i), &status) || !(status & MCI_STATUS_VAL))
		return false;
	*e = (struct mce_bank_error){ .bank = i, .status = status };
	if (status & MCI_STATUS_ADDRV)
		rdmsr_safe(MSR_IA32_MC_ADDR(i), &e->addr);
	if (status & MCI_STATUS_MISCV)
		rdmsr_safe(MSR_IA32_MC_MISC(i), &e->misc);
	wrmsr_safe(MSR_IA32_MC_STATUS(i), 0);
	return true;
}

static void take_banks(struct mce_report *r)
{
	u64 mcg_cap;
	u32 n = nr_banks(&mcg_cap), i;
	struct mce_bank_error e;

	r->nr_errors = 0;
	for (i = 0; i < n; i++) {
		if (!take_bank(i, &e))
			continue;
		if (r->nr_errors < MCE_MAX_REPORTED)
			r->errors[r->nr_errors] = e;
		r->nr_errors++;
	}
}

/* SDM Vol. 3B 16.8: what an OS does to turn machine-check reporting on. */
void mce_cpu_init(void)
{
	struct mce_report left = { 0 };
	u64 mcg_cap;
	u32 n = nr_banks(&mcg_cap), i;

	if (!n)
		return;
	take_banks(&left);
	if (left.nr_errors)
		mce_print(&left, "before hv");
	if (mcg_cap & MCG_CAP_CTL_P)
		wrmsr_safe(MSR_IA32_MCG_CTL, ~0ULL);
	for (i = 0; i < n; i++)
		wrmsr_safe(MSR_IA32_MC_CTL(i), ~0ULL);
	write_cr4(read_cr4() | X86_CR4_MCE);
}

enum mce_verdict mce_collect(struct mce_report *r)
{
	enum mce_verdict verdict = MCE_CONTINUE;
	u32 i;

	r->mcg_status = 0;
	rdmsr_safe(MSR_IA32_MCG_STATUS, &r->mcg_status);
	take_banks(r);
	/* MCIP cleared: another machine check is an #MC again, not a shutdown (SDM Vol. 3B 16.3.1.2). */
	wrmsr_safe(MSR_IA32_MCG_STATUS, 0);
	if (!(r->mcg_status & MCG_STATUS_RIPV))
		return MCE_CONTEXT_CORRUPT;
	for (i = 0; i < MIN(r->nr_errors, MCE_MAX_REPORTED); i++) {
		u64 s = r->errors[i].status;

		if (s & MCI_STATUS_PCC)
			return MCE_CONTEXT_CORRUPT;
		/* SRAR (SDM Vol. 3B 16.6.3): the interrupted instruction consumed the error. */
		if ((s & MCI_STATUS_UC) && (s & MCI_STATUS_S) && (s & MCI_STATUS_AR))
			verdict = MCE_STOP_CONTEXT;
	}
	/* A lost report (more than were kept) may have been one that matters. */
	if (r->nr_errors > MCE_MAX_REPORTED && verdict == MCE_CONTINUE)
		verdict = MCE_STOP_CONTEXT;
	return verdict;
}

void mce_print(const struct mce_report *r, const char *where)
{
	u32 i;

	printk("hv: machine check (%s): MCG_STATUS 0x%llx, %u bank(s) with errors\n", where,
	       (unsigned long long)r->mcg_status, r->nr_errors);
	for (i = 0; i < MIN(r->nr_errors, MCE_MAX_REPORTED); i++)
		printk("hv:   bank %u: status 0x%llx addr 0x%llx misc 0x%llx\n", r->errors[i].bank,
		       (unsigned long long)r->errors[i].status,
		       (unsigned long long)r->errors[i].addr,
		       (unsigned long long)r->errors[i].misc);
}
