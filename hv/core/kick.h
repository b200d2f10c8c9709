/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kicks: how one CPU makes another look at its pending_work soon.
 *
 * A kick is an NMI, unless the CPU polls pending_work (PERCPU_POLLING,
 * hv/core/percpu.h) and sees the work without one. A guest exits on an
 * NMI whatever its RFLAGS.IF (NMI exiting; Bochs 2.7 does not exit on
 * external interrupts while the guest runs with IF clear), and a halted
 * CPU wakes on it. In root mode the NMI
 * handler does nothing but this: if the NMI hit a kick window, code between
 * a CPU's last look at pending_work and the HLT or VM entry that follows,
 * it moves the return address back to the look, so no kick is lost there.
 */
#ifndef HV_CORE_KICK_H
#define HV_CORE_KICK_H

/* The offset of pending_work in struct percpu, for assembly (checked in hv/core/kick.c). */
#define PERCPU_PENDING_WORK 64

#ifdef __ASSEMBLY__

/* [start, end): an NMI there resumes at start. */
/* clang-format off */
.macro KICK_WINDOW start, end
	.pushsection .kick_windows, "a"
	.balign 8
	.quad \start, \end
	.popsection
.endm
/* clang-format on */

#else

#include <hv/core/trap.h>
#include <types.h>

/* Halts until pending_work is not 0 (hv/core/kick.S); the timer interrupt may wake it. */
void cpu_wait_for_work(void);

/*
 * After a VM exit caused by an NMI, NMIs stay blocked until the next IRET
 * or VM entry: an IRET to the next instruction unblocks them (hv/core/kick.S).
 */
void nmi_unblock(void);

/* The root-mode NMI handler (see above). */
void kick_nmi(struct trap_frame *f);

#endif /* __ASSEMBLY__ */
#endif /* HV_CORE_KICK_H */
