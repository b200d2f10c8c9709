// SPDX-License-Identifier: GPL-2.0
/*
 * hv/core/mce: turning machine-check reporting on, and what a machine
 * check means for the code it interrupted (SDM Vol. 3B chapter 16). No
 * emulator here has machine-check banks (Bochs's MCG_CAP faults): this is
 * verified against the model only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <hv/core/mce.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define NR_BANKS 4U
#define SRAR (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_S | MCI_STATUS_AR)
#define SRAO (MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_S)

static char printed[4096];

void printk(const char *fmt, ...)
{
	size_t n = strlen(printed);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(printed + n, sizeof(printed) - n, fmt, ap);
	va_end(ap);
}

/* A CPU with MCE and MCA, @NR_BANKS banks, MCG_CTL, no error pending. */
static int setup(void **state)
{
	u32 i;

	model_msr_reset();
	model_cpuid_reset();
	model_cr4 = 0;
	printed[0] = '\0';
	model_cpuid_set(1, 0, (struct cpuid_regs){ 0, 0, 0, CPUID_1_EDX_MCE | CPUID_1_EDX_MCA });
	model_msr_set(MSR_IA32_MCG_CAP, MCG_CAP_CTL_P | NR_BANKS);
	model_msr_set(MSR_IA32_MCG_CTL, 0);
	model_msr_set(MSR_IA32_MCG_STATUS, 0);
	for (i = 0; i < NR_BANKS; i++) {
		model_msr_set(MSR_IA32_MC_CTL(i), 0);
		model_msr_set(MSR_IA32_MC_STATUS(i), 0);
		model_msr_set(MSR_IA32_MC_ADDR(i), 0);
		model_msr_set(MSR_IA32_MC_MISC(i), 0);
	}
	return 0;
}

static void init_enables_every_bank_and_cr4_mce_and_reports_old_errors(void **state)
{
	u32 i;

	model_msr_set(MSR_IA32_MC_STATUS(2), SRAO | MCI_STATUS_ADDRV);
	model_msr_set(MSR_IA32_MC_ADDR(2), 0x1234000);
	mce_cpu_init();
	assert_true(model_cr4 & X86_CR4_MCE);
	assert_int_equal(rdmsr(MSR_IA32_MCG_CTL), ~0ULL);
	for (i = 0; i < NR_BANKS; i++)
		assert_int_equal(rdmsr(MSR_IA32_MC_CTL(i)), ~0ULL);
	assert_int_equal(rdmsr(MSR_IA32_MC_STATUS(2)), 0);
	assert_non_null(strstr(printed, "machine check (before hv)"));
	assert_non_null(strstr(printed, "bank 2: status 0xb500000000000000 addr 0x1234000"));
}

static void init_without_mca_touches_nothing(void **state)
{
	model_cpuid_set(1, 0, (struct cpuid_regs){ 0, 0, 0, CPUID_1_EDX_MCE });
	mce_cpu_init();
	assert_int_equal(model_msr_writes(MSR_IA32_MCG_CTL), 0);
	assert_false(model_cr4 & X86_CR4_MCE);

	/* Bochs: CPUID says MCA, MCG_CAP faults. */
	model_cpuid_set(1, 0, (struct cpuid_regs){ 0, 0, 0, CPUID_1_EDX_MCE | CPUID_1_EDX_MCA });
	model_msr_remove(MSR_IA32_MCG_CAP);
	mce_cpu_init();
	assert_int_equal(model_msr_writes(MSR_IA32_MCG_CTL), 0);
}

static void recoverable_error_elsewhere_lets_the_code_continue(void **state)
{
	struct mce_report r;

	model_msr_set(MSR_IA32_MCG_STATUS, MCG_STATUS_RIPV | MCG_STATUS_MCIP);
	model_msr_set(MSR_IA32_MC_STATUS(1), SRAO);
	assert_int_equal(mce_collect(&r), MCE_CONTINUE);
	assert_int_equal(r.nr_errors, 1);
	assert_int_equal(r.errors[0].bank, 1);
	/* The bank and MCIP are cleared: the next machine check is an #MC again. */
	assert_int_equal(rdmsr(MSR_IA32_MC_STATUS(1)), 0);
	assert_int_equal(rdmsr(MSR_IA32_MCG_STATUS), 0);
}

static void consumed_corrupt_data_stops_the_interrupted_context(void **state)
{
	struct mce_report r;

	model_msr_set(MSR_IA32_MCG_STATUS, MCG_STATUS_RIPV | MCG_STATUS_EIPV | MCG_STATUS_MCIP);
	model_msr_set(MSR_IA32_MC_STATUS(0), SRAO);
	model_msr_set(MSR_IA32_MC_STATUS(3), SRAR | MCI_STATUS_ADDRV);
	model_msr_set(MSR_IA32_MC_ADDR(3), 0xabc000);
	assert_int_equal(mce_collect(&r), MCE_STOP_CONTEXT);
	assert_int_equal(r.nr_errors, 2);
	assert_int_equal(r.errors[1].addr, 0xabc000);
}

static void corrupt_context_or_invalid_rip_stops_everything(void **state)
{
	struct mce_report r;

	model_msr_set(MSR_IA32_MCG_STATUS, MCG_STATUS_RIPV | MCG_STATUS_MCIP);
	model_msr_set(MSR_IA32_MC_STATUS(1), SRAO | MCI_STATUS_PCC);
	assert_int_equal(mce_collect(&r), MCE_CONTEXT_CORRUPT);

	model_msr_set(MSR_IA32_MCG_STATUS, MCG_STATUS_MCIP);
	model_msr_set(MSR_IA32_MC_STATUS(1), SRAO);
	assert_int_equal(mce_collect(&r), MCE_CONTEXT_CORRUPT);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(init_enables_every_bank_and_cr4_mce_and_reports_old_errors),
		T(init_without_mca_touches_nothing),
		T(recoverable_error_elsewhere_lets_the_code_continue),
		T(consumed_corrupt_data_stops_the_interrupted_context),
		T(corrupt_context_or_invalid_rip_stops_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
