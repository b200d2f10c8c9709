/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What one partition can learn of another through the CPU's shared
 * microarchitectural state, and what hv does about it (docs/ISOLATION.md):
 * on a switch between partitions, an IBPB (branch predictions) and an L1D
 * flush or a VERW (L1 data cache, CPU buffers), each only where the CPU
 * needs and has it; enhanced IBRS on for hv itself where the CPU has it.
 * Decided by probing the MSRs, never by CPUID alone.
 */
#ifndef HV_CORE_ISOLATION_H
#define HV_CORE_ISOLATION_H

#include <hv/core/partition.h>
#include <hv/core/percpu.h>
#include <types.h>

struct isolation_caps {
	bool ibpb; /* IA32_PRED_CMD.IBPB works */
	bool l1d_flush; /* the CPU is affected by L1TF and IA32_FLUSH_CMD.L1D_FLUSH works */
	bool verw; /* the CPU is affected by MDS, VERW clears its buffers (MD_CLEAR) */
	bool eibrs; /* enhanced IBRS: IA32_SPEC_CTRL.IBRS set once protects hv from guests */
};

extern struct isolation_caps isolation_caps;

/* Decides on the boot CPU what hv does; every CPU is of the same kind. */
void isolation_probe(void);
/* Sets up this CPU (enhanced IBRS). */
void isolation_cpu_init(void);

#endif /* HV_CORE_ISOLATION_H */
