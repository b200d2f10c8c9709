// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile arguments to the service partition's hypercalls, through hv's
 * dispatch (hv/core/hypercall.c) in the model of hv's surroundings
 * (tests/model/hv_env.h): the calls a guest test cannot make. Each must
 * fail with its code from include/public/hypercall.h and change nothing.
 * fuzz_hypercall covers every call at random; these pin down the edges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include <hv/core/cmdline.h>
#include <hv/core/hypercall.h>
#include <hv/ioreq/ioreq.h>
#include <hv/vmx/exit_reasons.h>
#include <hv/vmx/vmcs_fields.h>
#include <public/hv.h>
#include <public/hypercall.h>
#include <x86/cpu.h>

#include "../model/hv_env.h"

#define RIP 0x1000ULL
#define VMCALL_LEN 3U
#define VECTOR 0x40
#define PAGE 0x1000ULL

static struct partition *service, *guest;

static int group_setup(void **state)
{
	hv_env_reset();
	hv_options.testing = true;
	service = hv_env_partition("service", PARTITION_SERVICE, 1);
	guest = hv_env_partition("guest", PARTITION_GUEST, 1);
	assert_int_equal(ioreq_hc_register(service->vcpus[0], VECTOR, 0, 0, 0), HV_IOREQ_AREA_GPA);
	assert_int_equal(
		ioreq_hc_claim_page_type(service->vcpus[0], HV_IOREQ_FORWARD_WRITES, 0, 0, 0), 0);
	return 0;
}

static s64 call(struct vcpu *v, bool cpl3, u64 nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	hv_env_exit(v, EXIT_REASON_VMCALL, 0, RIP, VMCALL_LEN);
	if (cpl3)
		vmwrite(GUEST_SS_AR_BYTES, vmread(GUEST_SS_AR_BYTES) | (3U << SEG_AR_DPL_SHIFT));
	v->gpr[GPR_RAX] = nr;
	v->gpr[GPR_RBX] = a0;
	v->gpr[GPR_RCX] = a1;
	v->gpr[GPR_RDX] = a2;
	v->gpr[GPR_RSI] = a3;
	hypercall_handle(v);
	assert_int_equal(vmread(GUEST_RIP), RIP + VMCALL_LEN);
	return (s64)v->gpr[GPR_RAX];
}

static s64 service_call(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	return call(service->vcpus[0], false, nr, a0, a1, a2, a3);
}

static void expect_no_type_changed(void)
{
	for (u64 gpa = 0; gpa < HV_ENV_GUEST_RAM; gpa += PAGE)
		if (ept_page_type(&guest->ept, gpa) != EPT_TYPE_RAM_RW)
			fail_msg("the page at 0x%llx changed its type", (unsigned long long)gpa);
}

/* The sum wrapped past 2^64: the loop checked no page and the call said 0. */
static void set_page_type_refuses_ranges_that_wrap_or_leave_ram(void **state)
{
	u32 ch = guest->ioreq_channel;

	assert_int_equal(
		service_call(HV_HC_IOREQ_SET_PAGE_TYPE, ch, -PAGE, 1, HV_IOREQ_PAGE_SERVER),
		-HV_EINVAL);
	assert_int_equal(
		service_call(HV_HC_IOREQ_SET_PAGE_TYPE, ch, -16 * PAGE, 32, HV_IOREQ_PAGE_SERVER),
		-HV_EINVAL);
	assert_int_equal(service_call(HV_HC_IOREQ_SET_PAGE_TYPE, ch, HV_ENV_GUEST_RAM - PAGE, 2,
				      HV_IOREQ_PAGE_SERVER),
			 -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_IOREQ_SET_PAGE_TYPE, ch, HV_MMIO_WINDOW_START, 1,
				      HV_IOREQ_PAGE_SERVER),
			 -HV_EINVAL);
	assert_int_equal(
		service_call(HV_HC_IOREQ_SET_PAGE_TYPE, ch, 1ULL << 48, 1, HV_IOREQ_PAGE_SERVER),
		-HV_EINVAL);
	assert_int_equal(
		service_call(HV_HC_IOREQ_SET_PAGE_TYPE, ch, PAGE + 8, 1, HV_IOREQ_PAGE_SERVER),
		-HV_EINVAL);
	assert_int_equal(service_call(HV_HC_IOREQ_SET_PAGE_TYPE, ch, PAGE, 0, HV_IOREQ_PAGE_SERVER),
			 -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_IOREQ_SET_PAGE_TYPE, ch, PAGE, 1, 7), -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_IOREQ_SET_PAGE_TYPE, HV_IOREQ_MAX_CHANNELS, PAGE, 1,
				      HV_IOREQ_PAGE_SERVER),
			 -HV_ENOENT);
	expect_no_type_changed();
}

static void console_write_reads_only_the_services_ram(void **state)
{
	hv_env_clear_log();
	assert_int_equal(service_call(HV_HC_CONSOLE_WRITE, HV_ENV_GUEST_RAM - 4, 8, 0, 0),
			 -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_CONSOLE_WRITE, -4ULL, 8, 0, 0), -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_CONSOLE_WRITE, 0, HV_CONSOLE_WRITE_MAX + 1, 0, 0),
			 -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_CONSOLE_WRITE, 1ULL << 48, 1, 0, 0), -HV_EINVAL);
	assert_string_equal(hv_env_log, "");
}

/* Keystrokes go into the service's RAM; nobody else may take them. */
static void console_read_gives_the_service_what_was_typed(void **state)
{
	char *buf = ept_gpa_to_hva(&service->ept, 0x1000, 16);

	hv_env_console_input = "ls -l\r";
	assert_int_equal(call(guest->vcpus[0], false, HV_HC_CONSOLE_READ, 0x1000, 16, 0, 0),
			 -HV_EPERM);
	assert_int_equal(service_call(HV_HC_CONSOLE_READ, 0x1000, HV_CONSOLE_READ_MAX + 1, 0, 0),
			 -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_CONSOLE_READ, HV_ENV_GUEST_RAM - 4, 8, 0, 0),
			 -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_CONSOLE_READ, 0x1000, 3, 0, 0), 3);
	assert_memory_equal(buf, "ls ", 3);
	assert_int_equal(service_call(HV_HC_CONSOLE_READ, 0x1000, 16, 0, 0), 3);
	assert_memory_equal(buf, "-l\r", 3);
	assert_int_equal(service_call(HV_HC_CONSOLE_READ, 0x1000, 16, 0, 0), 0);
}

static void channel_and_slot_numbers_are_checked(void **state)
{
	assert_int_equal(service_call(HV_HC_IOREQ_COMPLETE, HV_IOREQ_MAX_CHANNELS, 0, 0, 0),
			 -HV_ENOENT);
	assert_int_equal(service_call(HV_HC_IOREQ_COMPLETE, ~0ULL, 0, 0, 0), -HV_ENOENT);
	assert_int_equal(service_call(HV_HC_IOREQ_COMPLETE, guest->ioreq_channel, 1, 0, 0),
			 -HV_ENOENT);
	assert_int_equal(service_call(HV_HC_IOREQ_COMPLETE, guest->ioreq_channel, ~0ULL, 0, 0),
			 -HV_ENOENT);
	assert_int_equal(service_call(HV_HC_PARTITION_EXIT, guest->ioreq_channel, 256, 0, 0),
			 -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_PARTITION_EXIT, HV_IOREQ_MAX_CHANNELS, 0, 0, 0),
			 -HV_ENOENT);
	assert_int_equal(service_call(HV_HC_PARTITION_EXIT, guest->ioreq_channel, 0,
				      HV_EXIT_BY_RESET + 1, 0),
			 -HV_EINVAL);
	assert_int_equal(guest->state, PARTITION_RUNNING);
}

/* The report names how the guest asked to end (HV_EXIT_BY_*). */
static void partition_exit_says_how_the_guest_ended(void **state)
{
	assert_int_equal(service_call(HV_HC_PARTITION_EXIT, guest->ioreq_channel, 0,
				      HV_EXIT_BY_ACPI_POWEROFF, 0),
			 0);
	assert_int_equal(guest->state, PARTITION_STOPPING);
	assert_string_equal(guest->stop_reason, "ACPI power-off");
	assert_int_equal(guest->exit_code, 0);
}

static void registration_and_claims_refuse_what_the_abi_does_not_allow(void **state)
{
	assert_int_equal(service_call(HV_HC_IOREQ_REGISTER, VECTOR, 0, 0, 0), -HV_EBUSY);
	assert_int_equal(service_call(HV_HC_IOREQ_CLAIM_PAGE_TYPE, 2, 0, 0, 0), -HV_EINVAL);
	assert_int_equal(
		service_call(HV_HC_IOREQ_CLAIM_PAGE_TYPE, HV_IOREQ_FORWARD_WRITES, 0, 0, 0),
		-HV_EBUSY);
	assert_int_equal(service_call(HV_HC_IOREQ_CLAIM_RANGE, HV_IOREQ_MMIO, -PAGE, 2 * PAGE, 0),
			 -HV_EINVAL);
	assert_int_equal(service_call(HV_HC_IOREQ_CLAIM_RANGE, HV_IOREQ_PIO, 0xffff, 2, 0),
			 -HV_EINVAL);
}

static void every_call_at_cpl3_is_refused(void **state)
{
	for (u64 nr = 0; nr <= HV_HC_PARTITION_EXIT + 1; nr++) {
		assert_int_equal(call(service->vcpus[0], true, nr, 0, 0, 0, 0), -HV_EPERM);
		assert_int_equal(call(guest->vcpus[0], true, nr, 0, 0, 0, 0), -HV_EPERM);
	}
	for (u64 nr = HV_HC_TEST_BASE; nr <= HV_HC_TEST_EPT_CHECK + 1; nr++)
		assert_int_equal(call(guest->vcpus[0], true, nr, 0, 0, 0, 0), -HV_EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_page_type_refuses_ranges_that_wrap_or_leave_ram),
		cmocka_unit_test(console_write_reads_only_the_services_ram),
		cmocka_unit_test(console_read_gives_the_service_what_was_typed),
		cmocka_unit_test(channel_and_slot_numbers_are_checked),
		cmocka_unit_test(registration_and_claims_refuse_what_the_abi_does_not_allow),
		cmocka_unit_test(every_call_at_cpl3_is_refused),
		/* Last: it stops the group's guest. */
		cmocka_unit_test(partition_exit_says_how_the_guest_ended),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
