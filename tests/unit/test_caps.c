// SPDX-License-Identifier: GPL-2.0
/* Control computation from capability MSR values (SDM Vol. 3D A.3-A.5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <hv/vmx/caps.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/hw.h>
#include <x86/msr.h>

/* Capability values of Bochs 2.7's tigerlake model, as read there by hv. */
static void set_tigerlake_like(void)
{
	model_msr_reset();
	model_msr_set(MSR_IA32_VMX_BASIC, VMX_BASIC_TRUE_CTLS | (1ULL << 32 * 0) |
						  (0x1000ULL << VMX_BASIC_VMCS_SIZE_SHIFT) |
						  (VMX_BASIC_MEMTYPE_WB << VMX_BASIC_MEMTYPE_SHIFT) | 4);
	model_msr_set(MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0x0000007f00000016ULL);
	model_msr_set(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, 0xfffdfffe04006172ULL);
	model_msr_set(MSR_IA32_VMX_TRUE_EXIT_CTLS, 0x007fffff00036dfbULL);
	model_msr_set(MSR_IA32_VMX_TRUE_ENTRY_CTLS, 0x0000f3ff000011fbULL);
	model_msr_set(MSR_IA32_VMX_PINBASED_CTLS, 0x0000007f00000016ULL);
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS, 0xfffdfffe0401e172ULL);
	model_msr_set(MSR_IA32_VMX_EXIT_CTLS, 0x007fffff00036dffULL);
	model_msr_set(MSR_IA32_VMX_ENTRY_CTLS, 0x0000f3ff000011ffULL);
	model_msr_set(MSR_IA32_VMX_MISC, 0x00000000000401e7ULL);
	model_msr_set(MSR_IA32_VMX_CR0_FIXED0, 0x80000021ULL);
	model_msr_set(MSR_IA32_VMX_CR0_FIXED1, 0xffffffffULL);
	model_msr_set(MSR_IA32_VMX_CR4_FIXED0, 0x2000ULL);
	model_msr_set(MSR_IA32_VMX_CR4_FIXED1, 0x3727ffULL);
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS2, 0x0377ffff00000000ULL);
	model_msr_set(MSR_IA32_VMX_EPT_VPID_CAP, 0x00000f0106734141ULL);
}

static void true_controls_allow_clearing_cr3_exiting(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	set_tigerlake_like();
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_true(c.true_ctls);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_int_equal(c.proc_ctls & (CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING), 0);
	assert_true(c.proc_ctls & CPU_HLT_EXITING);
	assert_true(c.proc2_ctls & SECONDARY_ENABLE_EPT);
	assert_true(c.proc2_ctls & SECONDARY_UNRESTRICTED_GUEST);
	assert_true(c.exit_ctls & EXIT_HOST_ADDRESS_SPACE_SIZE);
	/* Must-be-one bits survive even when hv does not ask for them. */
	assert_int_equal(c.pin_ctls & 0x16, 0x16);
}

static void missing_required_control_is_named(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	set_tigerlake_like();
	/* Same CPU without unrestricted guest (secondary bit 7). */
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS2, 0x0377ff7f00000000ULL);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), -1);
	assert_int_equal(err.group, CTL_PROC2);
	assert_int_equal(err.bit, 7);
	assert_string_equal(err.name, "unrestricted guest");
}

static void wanted_control_not_offered_is_left_clear(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	set_tigerlake_like();
	/* No VPID (secondary bit 5): wanted, not required. */
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS2, 0x0377ffdf00000000ULL);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_int_equal(c.proc2_ctls & SECONDARY_ENABLE_VPID, 0);
	assert_false(c.vpid);
}

static void tertiary_msr_read_only_when_announced(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	/* Bochs: primary bit 17 may not be 1 and MSR 0x492 raises #GP. */
	set_tigerlake_like();
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_false(c.tertiary_controls);
	assert_false(c.ipi_virtualization);

	/* A CPU that announces tertiary controls but lacks the MSR is refused. */
	model_msr_set(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, 0xffffffff04006172ULL);
	assert_int_equal(vmx_read_caps(&c), -1);

	/* With the MSR and IPI virtualization, but no posted interrupts: no IPIv. */
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS3, TERTIARY_IPI_VIRTUALIZATION);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_true(c.tertiary_controls);
	assert_false(c.posted_interrupts);
	assert_false(c.ipi_virtualization);

	/* Posted interrupts allowed too: IPI virtualization is usable. */
	model_msr_set(MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0x000000ff00000016ULL);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_true(c.posted_interrupts);
	assert_true(c.ipi_virtualization);
}

static void non_true_msrs_used_without_basic_bit_55(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	set_tigerlake_like();
	model_msr_set(MSR_IA32_VMX_BASIC, 0x00da040000000004ULL & ~VMX_BASIC_TRUE_CTLS);
	model_msr_remove(MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_false(c.true_ctls);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	/* The non-TRUE MSR forces CR3-load/store exiting to 1. */
	assert_int_equal(c.proc_ctls & (CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING),
			 CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(true_controls_allow_clearing_cr3_exiting),
		cmocka_unit_test(missing_required_control_is_named),
		cmocka_unit_test(wanted_control_not_offered_is_left_clear),
		cmocka_unit_test(tertiary_msr_read_only_when_announced),
		cmocka_unit_test(non_true_msrs_used_without_basic_bit_55),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
