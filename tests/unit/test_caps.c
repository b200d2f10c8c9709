// SPDX-License-Identifier: GPL-2.0
/* Control computation from capability MSR values (SDM Vol. 3D A.3-A.5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include <hv/vmx/caps.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

static void true_controls_allow_clearing_cr3_exiting(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	model_set_bochs_tigerlake_vmx_msrs();
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

/*
 * Every VM exit sets DR7 to 0x400 (SDM Vol. 3C 28.5.1): without saving it
 * on exit and loading it on entry the guest's breakpoints disarm.
 */
static void debug_controls_are_saved_on_exit_and_loaded_on_entry(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	model_set_bochs_tigerlake_vmx_msrs();
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_true(c.exit_ctls & EXIT_SAVE_DEBUG_CONTROLS);
	assert_true(c.entry_ctls & ENTRY_LOAD_DEBUG_CONTROLS);
}

static void missing_required_control_is_named(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	model_set_bochs_tigerlake_vmx_msrs();
	/* Same CPU without unrestricted guest (secondary bit 7). */
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS2, 0x02977f7f00000000ULL);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), -1);
	assert_int_equal(err.group, CTL_PROC2);
	assert_int_equal(err.bit, 7);
	assert_string_equal(err.name, "unrestricted guest");
}

/* A guest must not run a real WBINVD (a package-wide stall): hv needs the exit. */
static void cpu_without_wbinvd_exiting_is_refused(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	model_set_bochs_tigerlake_vmx_msrs();
	/* Same CPU without WBINVD exiting (secondary bit 6). */
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS2, 0x02977fbf00000000ULL);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), -1);
	assert_int_equal(err.group, CTL_PROC2);
	assert_int_equal(err.bit, 6);
	assert_string_equal(err.name, "WBINVD exiting");
}

static void wanted_control_not_offered_is_left_clear(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	model_set_bochs_tigerlake_vmx_msrs();
	/* No VPID (secondary bit 5): wanted, not required. */
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS2, 0x02977fdf00000000ULL);
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
	model_set_bochs_tigerlake_vmx_msrs();
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_false(c.tertiary_controls);
	assert_false(c.ipi_virtualization);

	/* A CPU that announces tertiary controls but lacks the MSR is refused. */
	model_msr_set(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, 0xfffbfffe04006172ULL);
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
	model_msr_set(MSR_IA32_VMX_TRUE_EXIT_CTLS, 0x107fffff00036dfbULL);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_true(c.posted_interrupts);
	assert_true(c.ipi_virtualization);
}

/* The reference engine (tests/model/bochs_sapphire_rapids.c) offers every APIC feature hv probes. */
static void reference_engine_offers_ipi_virtualization(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	model_set_bochs_sapphire_rapids_vmx_msrs();
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_true(c.apic_virtualization);
	assert_true(c.x2apic_virtualization);
	assert_true(c.posted_interrupts);
	assert_true(c.tertiary_controls);
	assert_true(c.ipi_virtualization);
	assert_int_equal(c.proc3_ctls, 0);
}

static void non_true_msrs_used_without_basic_bit_55(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;

	model_set_bochs_tigerlake_vmx_msrs();
	model_msr_set(MSR_IA32_VMX_BASIC, 0x01d8100000000004ULL & ~VMX_BASIC_TRUE_CTLS);
	model_msr_remove(MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_false(c.true_ctls);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	/* The non-TRUE MSR forces CR3-load/store exiting to 1. */
	assert_int_equal(c.proc_ctls & (CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING),
			 CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING);
}

static void vmx_refused_without_cpuid_vmx_bit(void **state)
{
	const char *why = vmx_unusable_reason(
		0, true, FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX);

	assert_non_null(why);
	assert_non_null(strstr(why, "CPUID.1:ECX.VMX"));
}

static void vmx_refused_when_firmware_locked_it_off(void **state)
{
	const char *why = vmx_unusable_reason(CPUID_1_ECX_VMX, true, FEATURE_CONTROL_LOCKED);

	assert_non_null(why);
	assert_non_null(strstr(why, "firmware disabled VMX"));
	/* Locked with VMX enabled only inside SMX is just as off for hv. */
	assert_non_null(vmx_unusable_reason(
		CPUID_1_ECX_VMX, true, FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_INSIDE_SMX));
}

static void vmx_allowed_when_unlocked_or_enabled(void **state)
{
	assert_null(vmx_unusable_reason(CPUID_1_ECX_VMX, true, 0));
	assert_null(vmx_unusable_reason(CPUID_1_ECX_VMX, true,
					FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX));
	assert_non_null(vmx_unusable_reason(CPUID_1_ECX_VMX, false, 0));
}

/* The guests' MAXPHYADDR (PDPTE reserved bits): CPUID.80000008H:EAX[7:0], else 36. */
static void physical_address_width_comes_from_cpuid_or_is_36(void **state)
{
	struct vmx_caps c = { 0 };

	model_set_bochs_tigerlake_vmx_msrs();
	model_cpuid_reset();
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(c.pa_bits, 36);
	model_cpuid_set(CPUID_LEAF_EXT_MAX, 0,
			(struct cpuid_regs){ CPUID_LEAF_ADDR_SIZES, 0, 0, 0 });
	model_cpuid_set(CPUID_LEAF_ADDR_SIZES, 0, (struct cpuid_regs){ 0x3027, 0, 0, 0 });
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(c.pa_bits, 39);
	model_cpuid_reset();
}

/* hv flushes a guest's translations with INVVPID: a CPU without any INVVPID type gets no VPIDs. */
static void vpid_is_not_used_without_invvpid(void **state)
{
	struct vmx_caps c = { 0 };
	struct vmx_caps_error err;
	u64 ept_vpid;

	model_set_bochs_tigerlake_vmx_msrs();
	ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	model_msr_set(MSR_IA32_VMX_EPT_VPID_CAP,
		      ept_vpid & ~(VMX_VPID_INVVPID_SINGLE_CONTEXT | VMX_VPID_INVVPID_ALL_CONTEXT));
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_false(c.vpid);
	assert_int_equal(c.proc2_ctls & SECONDARY_ENABLE_VPID, 0);

	model_msr_set(MSR_IA32_VMX_EPT_VPID_CAP, ept_vpid & ~VMX_VPID_INVVPID_SINGLE_CONTEXT);
	assert_int_equal(vmx_read_caps(&c), 0);
	assert_int_equal(vmx_compute_controls(&c, &err), 0);
	assert_true(c.vpid);
	assert_true(c.invvpid_all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(true_controls_allow_clearing_cr3_exiting),
		cmocka_unit_test(physical_address_width_comes_from_cpuid_or_is_36),
		cmocka_unit_test(debug_controls_are_saved_on_exit_and_loaded_on_entry),
		cmocka_unit_test(vpid_is_not_used_without_invvpid),
		cmocka_unit_test(missing_required_control_is_named),
		cmocka_unit_test(cpu_without_wbinvd_exiting_is_refused),
		cmocka_unit_test(wanted_control_not_offered_is_left_clear),
		cmocka_unit_test(tertiary_msr_read_only_when_announced),
		cmocka_unit_test(reference_engine_offers_ipi_virtualization),
		cmocka_unit_test(non_true_msrs_used_without_basic_bit_55),
		cmocka_unit_test(vmx_refused_without_cpuid_vmx_bit),
		cmocka_unit_test(vmx_refused_when_firmware_locked_it_off),
		cmocka_unit_test(vmx_allowed_when_unlocked_or_enabled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
