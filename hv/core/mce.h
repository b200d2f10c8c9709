/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine checks (SDM Vol. 3B chapter 16) are hv's: a CPU's hardware error
 * is nobody's guest's. Every CPU runs with CR4.MCE and its error-reporting
 * banks on; guests run with CR4.MCE forced on in the hardware and #MC in
 * the exception bitmap (hv/vmx/vmx.c), so a machine check in a guest exits
 * to hv instead of reaching the guest's IDT. Guests see MCA with no banks.
 */
#ifndef HV_CORE_MCE_H
#define HV_CORE_MCE_H

#include <types.h>

#define MCE_MAX_REPORTED 8U

struct mce_bank_error {
	u32 bank;
	u64 status, addr, misc; /* addr, misc: 0 unless the status says they are valid */
};

/* What one machine check left in the banks. */
struct mce_report {
	u64 mcg_status;
	u32 nr_errors; /* valid banks; only the first MCE_MAX_REPORTED are kept */
	struct mce_bank_error errors[MCE_MAX_REPORTED];
};

/* What the interrupted code can do after the machine check. */
enum mce_verdict {
	MCE_CONTINUE, /* nothing it used is known to be corrupt: it goes on */
	MCE_STOP_CONTEXT, /* it consumed corrupt data (action required): it cannot go on */
	MCE_CONTEXT_CORRUPT, /* the processor context is corrupt or RIP invalid: nothing can go on */
};

/*
 * On every CPU: CR4.MCE, the banks enabled; errors left from before hv
 * started are printed and cleared.
 */
void mce_cpu_init(void);

/* After a #MC on this CPU: reads and clears the banks and MCG_STATUS.MCIP into @r. */
enum mce_verdict mce_collect(struct mce_report *r);

/* Prints @r, one line per bank, naming @where (a partition, or "hv"). */
void mce_print(const struct mce_report *r, const char *where);

#endif /* HV_CORE_MCE_H */
