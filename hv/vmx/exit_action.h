/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_VMX_EXIT_ACTION_H
#define HV_VMX_EXIT_ACTION_H

/* What an exit handler wants done with the vCPU after its exit. */
enum exit_action {
	EXIT_RESUME, /* enter the same vCPU again */
	EXIT_RESCHEDULE, /* the vCPU's state changed (blocked, stopped): ask the scheduler */
};

#endif /* HV_VMX_EXIT_ACTION_H */
