// SPDX-License-Identifier: GPL-2.0
/*
 * CR0 and CR4 as the guest sees them (hv/vmx/vmx.h): the read shadow for
 * the bits hv owns, the register for the others (SDM Vol. 3C 26.3: a MOV
 * from CR reads the shadow's bits where the guest/host mask is 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <x86/cpu.h>
#include <x86/hw.h>

static int setup(void **state)
{
	model_vmcs_reset();
	return 0;
}

/* CR4 of a guest with PAE paging: PAE is its own, VMXE is hv's (set in the register, 0 in the shadow). */
static void guest_cr4_takes_owned_bits_from_the_shadow_and_others_from_the_register(void **state)
{
	vmwrite(CR4_GUEST_HOST_MASK, X86_CR4_VMXE | X86_CR4_CET);
	vmwrite(CR4_READ_SHADOW, 0);
	vmwrite(GUEST_CR4, X86_CR4_VMXE | X86_CR4_PAE | X86_CR4_OSFXSR);
	assert_int_equal(vmx_guest_cr4(), X86_CR4_PAE | X86_CR4_OSFXSR);
}

/* The guest cleared NE (hv's: the register keeps it) and set WP without an exit (its own). */
static void guest_cr0_takes_owned_bits_from_the_shadow_and_others_from_the_register(void **state)
{
	vmwrite(CR0_GUEST_HOST_MASK, X86_CR0_PG | X86_CR0_CD | X86_CR0_NW | X86_CR0_NE);
	vmwrite(CR0_READ_SHADOW, X86_CR0_PG | X86_CR0_PE | X86_CR0_CD);
	vmwrite(GUEST_CR0, X86_CR0_PG | X86_CR0_PE | X86_CR0_NE | X86_CR0_WP);
	assert_int_equal(vmx_guest_cr0(), X86_CR0_PG | X86_CR0_PE | X86_CR0_CD | X86_CR0_WP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			guest_cr4_takes_owned_bits_from_the_shadow_and_others_from_the_register,
			setup),
		cmocka_unit_test_setup(
			guest_cr0_takes_owned_bits_from_the_shadow_and_others_from_the_register,
			setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
