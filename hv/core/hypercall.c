// SPDX-License-Identifier: GPL-2.0
#include <hv/core/cmdline.h>
#include <hv/core/hypercall.h>
#include <hv/vmx/vmcs_fields.h>
#include <public/hypercall.h>
#include <x86/hw.h>

static s64 hc_test_exit_count(struct vcpu *v, u64 reason, u64 a1, u64 a2, u64 a3)
{
	if (reason >= EXIT_REASON_MAX)
		return -HV_EINVAL;
	return (s64)READ_ONCE(v->partition->exit_counts[reason]);
}

static const hypercall_fn calls[] = {
	[HV_HC_CONSOLE_WRITE] = ioreq_hc_console_write,
	[HV_HC_IOREQ_REGISTER] = ioreq_hc_register,
	[HV_HC_IOREQ_CLAIM_RANGE] = ioreq_hc_claim_range,
	[HV_HC_IOREQ_CLAIM_PAGE_TYPE] = ioreq_hc_claim_page_type,
	[HV_HC_IOREQ_SET_PAGE_TYPE] = ioreq_hc_set_page_type,
	[HV_HC_IOREQ_COMPLETE] = ioreq_hc_complete,
	[HV_HC_PARTITION_EXIT] = ioreq_hc_partition_exit,
	[HV_HC_IOREQ_WAIT] = ioreq_hc_wait,
	[HV_HC_CONSOLE_READ] = ioreq_hc_console_read,
	[HV_HC_IOREQ_RAISE_IRQ] = ioreq_hc_raise_irq,
};

static const hypercall_fn test_calls[] = {
	[HV_HC_TEST_EPT_STATS - HV_HC_TEST_BASE] = ept_hc_stats,
	[HV_HC_TEST_EPT_ZAP - HV_HC_TEST_BASE] = ept_hc_zap,
	[HV_HC_TEST_EPT_SET_TYPE - HV_HC_TEST_BASE] = ept_hc_set_type,
	[HV_HC_TEST_EPT_DIRTY - HV_HC_TEST_BASE] = ept_hc_dirty,
	[HV_HC_TEST_EPT_CHECK - HV_HC_TEST_BASE] = ept_hc_check,
	[HV_HC_TEST_VMX_IPIV - HV_HC_TEST_BASE] = vmx_hc_test_ipiv,
	[HV_HC_TEST_EXIT_COUNT - HV_HC_TEST_BASE] = hc_test_exit_count,
};

static hypercall_fn lookup(u64 nr)
{
	if (nr < ARRAY_SIZE(calls))
		return calls[nr];
	if (hv_options.testing && nr - HV_HC_TEST_BASE < ARRAY_SIZE(test_calls))
		return test_calls[nr - HV_HC_TEST_BASE];
	return NULL;
}

enum exit_action hypercall_handle(struct vcpu *v)
{
	hypercall_fn fn = lookup(v->gpr[GPR_RAX]);
	s64 ret;

	if (vmx_guest_cpl())
		ret = -HV_EPERM;
	else if (!fn)
		ret = -HV_ENOSYS;
	else
		ret = fn(v, v->gpr[GPR_RBX], v->gpr[GPR_RCX], v->gpr[GPR_RDX], v->gpr[GPR_RSI]);
	v->gpr[GPR_RAX] = (u64)ret;
	vmx_skip_instruction();
	/* Blocked, stopped, or woke a vCPU that runs next on this CPU (the service's answer). */
	return READ_ONCE(v->state) == VCPU_RUNNABLE && !this_cpu()->yield_to ? EXIT_RESUME :
									       EXIT_RESCHEDULE;
}
