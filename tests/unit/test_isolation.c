// SPDX-License-Identifier: GPL-2.0
/*
 * hv/core/isolation: what hv does between partitions on which CPU. The
 * CPUs here have no such MSRs (Bochs has PRED_CMD but flushes nothing one
 * could measure): the decisions and the switch are verified against the
 * model only, written from SDM Vol. 4 Table 2-2 and Intel's guidance.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <hv/core/feature.h>
#include <hv/core/isolation.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

extern const struct feature isolation_feature;

static char printed[256];

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(printed, sizeof(printed), fmt, ap);
	va_end(ap);
}

static struct percpu cpu;
static struct partition guest_a = { .id = 1 }, guest_b = { .id = 2 };
static struct vcpu a0 = { .partition = &guest_a }, a1 = { .partition = &guest_a };
static struct vcpu b0 = { .partition = &guest_b };

static int setup(void **state)
{
	model_msr_reset();
	model_cpuid_reset();
	model_verw_count = 0;
	memset(&cpu, 0, sizeof(cpu));
	memset(&isolation_caps, 0, sizeof(isolation_caps));
	return 0;
}

static void set_leaf7_edx(u32 edx)
{
	model_cpuid_set(7, 0, (struct cpuid_regs){ 0, 0, 0, edx });
}

/* Bochs's tigerlake: every mitigation enumerated, ARCH_CAPABILITIES bits 4:0 set. */
static void cpu_like_bochs_tigerlake(void)
{
	set_leaf7_edx(CPUID_7_EDX_IBRS_IBPB | CPUID_7_EDX_STIBP | CPUID_7_EDX_L1D_FLUSH |
		      CPUID_7_EDX_ARCH_CAPABILITIES | CPUID_7_EDX_SSBD | CPUID_7_EDX_MD_CLEAR);
	model_msr_set(MSR_IA32_ARCH_CAPABILITIES, 0x1f);
	model_msr_set(MSR_IA32_SPEC_CTRL, 0);
	model_msr_set(MSR_IA32_PRED_CMD, 0);
	model_msr_set(MSR_IA32_FLUSH_CMD, 0);
}

static void ibpb_needs_both_cpuid_and_a_pred_cmd_that_takes_it(void **state)
{
	set_leaf7_edx(CPUID_7_EDX_IBRS_IBPB);
	isolation_probe();
	assert_false(isolation_caps.ibpb); /* CPUID alone */

	set_leaf7_edx(0);
	model_msr_set(MSR_IA32_PRED_CMD, 0);
	isolation_probe();
	assert_false(isolation_caps.ibpb); /* the MSR alone */

	set_leaf7_edx(CPUID_7_EDX_IBRS_IBPB);
	isolation_probe();
	assert_true(isolation_caps.ibpb);
}

static void l1d_flush_where_l1tf_applies_else_verw_where_mds_applies(void **state)
{
	/* An old CPU: no ARCH_CAPABILITIES, affected by both; the flush clears the buffers too. */
	set_leaf7_edx(CPUID_7_EDX_L1D_FLUSH | CPUID_7_EDX_MD_CLEAR);
	model_msr_set(MSR_IA32_FLUSH_CMD, 0);
	isolation_probe();
	assert_true(isolation_caps.l1d_flush);
	assert_false(isolation_caps.verw);

	/* The CPU says a VMM need not flush the L1D on entry: VERW for MDS instead. */
	cpu_like_bochs_tigerlake();
	isolation_probe();
	assert_false(isolation_caps.l1d_flush);
	assert_true(isolation_caps.verw);

	/* Not affected by MDS either: nothing. */
	model_msr_set(MSR_IA32_ARCH_CAPABILITIES, 0x1f | ARCH_CAP_MDS_NO);
	isolation_probe();
	assert_false(isolation_caps.l1d_flush);
	assert_false(isolation_caps.verw);

	/* L1TF-affected, but FLUSH_CMD faults: no flush, VERW at least. */
	set_leaf7_edx(CPUID_7_EDX_L1D_FLUSH | CPUID_7_EDX_MD_CLEAR);
	model_msr_remove(MSR_IA32_FLUSH_CMD);
	isolation_probe();
	assert_false(isolation_caps.l1d_flush);
	assert_true(isolation_caps.verw);
}

static void enhanced_ibrs_is_turned_on_for_every_cpu(void **state)
{
	cpu_like_bochs_tigerlake();
	isolation_probe();
	assert_true(isolation_caps.eibrs);
	isolation_cpu_init();
	assert_int_equal(rdmsr(MSR_IA32_SPEC_CTRL) & SPEC_CTRL_IBRS, SPEC_CTRL_IBRS);
	assert_string_equal(printed,
			    "hv: between partitions: IBPB -L1D-flush VERW; enhanced-IBRS\n");

	/* Without IBRS_ALL, IBRS would have to be set on every exit: hv does not use it. */
	model_msr_set(MSR_IA32_ARCH_CAPABILITIES, 0x1f & ~ARCH_CAP_IBRS_ALL);
	model_msr_set(MSR_IA32_SPEC_CTRL, 0);
	isolation_probe();
	isolation_cpu_init();
	assert_false(isolation_caps.eibrs);
	assert_int_equal(model_msr_writes(MSR_IA32_SPEC_CTRL), 0);
}

static void switching_partitions_flushes_switching_within_one_does_not(void **state)
{
	unsigned int ibpb, verw;

	cpu_like_bochs_tigerlake();
	isolation_probe();
	ibpb = model_msr_writes(MSR_IA32_PRED_CMD);
	verw = model_verw_count;

	isolation_feature.switch_in(&cpu, &a0); /* nothing known of the CPU: as if another ran */
	assert_int_equal(model_msr_writes(MSR_IA32_PRED_CMD), ibpb + 1);
	assert_int_equal(rdmsr(MSR_IA32_PRED_CMD), PRED_CMD_IBPB);
	assert_int_equal(model_verw_count, verw + 1);

	isolation_feature.switch_in(&cpu, &a1);
	isolation_feature.switch_in(&cpu, &a0);
	assert_int_equal(model_msr_writes(MSR_IA32_PRED_CMD), ibpb + 1);
	assert_int_equal(model_verw_count, verw + 1);

	isolation_feature.switch_in(&cpu, &b0);
	isolation_feature.switch_in(&cpu, &a1);
	assert_int_equal(model_msr_writes(MSR_IA32_PRED_CMD), ibpb + 3);
	assert_int_equal(model_verw_count, verw + 3);
	assert_int_equal(model_msr_writes(MSR_IA32_FLUSH_CMD), 0); /* not needed: not even probed */
}

static void a_cpu_with_nothing_gets_nothing(void **state)
{
	isolation_probe();
	isolation_cpu_init();
	isolation_feature.switch_in(&cpu, &a0);
	isolation_feature.switch_in(&cpu, &b0);
	assert_int_equal(model_verw_count, 0);
	assert_string_equal(printed,
			    "hv: between partitions: -IBPB -L1D-flush -VERW; -enhanced-IBRS\n");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ibpb_needs_both_cpuid_and_a_pred_cmd_that_takes_it),
		T(l1d_flush_where_l1tf_applies_else_verw_where_mds_applies),
		T(enhanced_ibrs_is_turned_on_for_every_cpu),
		T(switching_partitions_flushes_switching_within_one_does_not),
		T(a_cpu_with_nothing_gets_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
