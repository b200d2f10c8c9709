// SPDX-License-Identifier: GPL-2.0
/*
 * EPT violations on device pages (hv/ept/ept_exit.c, hv/ioreq/ioreq.c) in
 * the model of hv's surroundings (tests/model/hv_env.h). Only an access the
 * instruction at RIP made is decoded and emulated; one the CPU made for it
 * (its page-table walk, the delivery of an event) is not the instruction's
 * and stops the guest with the reason (issue 8, items 8 and 17).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include <hv/core/hypercall.h>
#include <hv/ept/ept_exit.h>
#include <hv/ioreq/ioreq.h>
#include <hv/vmx/exit_reasons.h>
#include <hv/vmx/vmcs_fields.h>
#include <public/hv.h>
#include <public/hypercall.h>
#include <x86/cpu.h>

#include "../model/hv_env.h"

/* EPT-violation exit qualification (SDM Vol. 3C Table 28-7) */
#define Q_READ BIT(0)
#define Q_WRITE BIT(1)
#define Q_LINEAR_VALID BIT(7)
#define Q_TRANSLATION BIT(8)
#define Q_BY_INSTRUCTION (Q_LINEAR_VALID | Q_TRANSLATION)

#define PTE_P BIT(0)
#define PTE_RW BIT(1)

#define MMIO_GPA 0xfe000000ULL /* claimed by the "service" */
#define WP_PAGE 0x180000ULL
#define RIP 0x100000ULL
#define CODE_PAGE 0x200000ULL
#define VECTOR 0x40
#define RAX_BEFORE 0x1111111111111111ULL

static struct partition *service, *guest;
static struct vcpu *v;

static int group_setup(void **state)
{
	hv_env_reset();
	service = hv_env_partition("service", PARTITION_SERVICE, 1);
	assert_int_equal(ioreq_hc_register(service->vcpus[0], VECTOR, 0, 0, 0), HV_IOREQ_AREA_GPA);
	assert_int_equal(
		ioreq_hc_claim_range(service->vcpus[0], HV_IOREQ_MMIO, MMIO_GPA, 0x1000, 0), 0);
	assert_int_equal(
		ioreq_hc_claim_page_type(service->vcpus[0], HV_IOREQ_FORWARD_WRITES, 0, 0, 0), 0);
	return 0;
}

static int setup(void **state)
{
	guest = hv_env_partition("guest", PARTITION_GUEST, 1);
	v = guest->vcpus[0];
	assert_int_equal(ioreq_hc_set_page_type(service->vcpus[0], guest->ioreq_channel, WP_PAGE, 1,
						HV_IOREQ_PAGE_SERVER),
			 0);
	hv_env_clear_log();
	return 0;
}

static int teardown(void **state)
{
	hv_env_partition_free(guest);
	return 0;
}

static struct hv_ioreq *slot(void)
{
	struct hv_ioreq_page *page = ept_gpa_to_hva(
		&service->ept, HV_IOREQ_AREA_GPA + guest->ioreq_channel * HV_IOREQ_CHANNEL_SIZE,
		HV_IOREQ_PAGE_SIZE);

	return &page->slots[v->id];
}

/*
 * An EPT violation at @gpa with qualification @q, the linear address
 * @linear; the instruction at RIP is @insn (@len bytes): a MOV of RAX.
 */
static enum exit_action violation(u64 q, u64 gpa, u64 linear, const char *insn, u32 len)
{
	hv_env_map(guest, RIP, CODE_PAGE, PTE_P | PTE_RW);
	memcpy(hv_env_guest_ram(guest, CODE_PAGE), insn, len);
	hv_env_exit(v, EXIT_REASON_EPT_VIOLATION, q, RIP, 0);
	vmwrite(GUEST_PHYSICAL_ADDRESS, gpa);
	vmwrite(GUEST_LINEAR_ADDRESS, linear);
	v->gpr[GPR_RAX] = RAX_BEFORE;
	v->gpr[GPR_RBX] = 0x5000;
	return ept_handle_violation(v);
}

/* mov (%rbx), %rax and mov %rax, (%rbx) */
#define LOAD "\x48\x8b\x03"
#define STORE "\x48\x89\x03"

static void expect_stop(const char *reason, const char *logged)
{
	assert_int_equal(guest->state, PARTITION_STOPPING);
	assert_string_equal(guest->stop_reason, reason);
	if (!strstr(hv_env_log, logged))
		fail_msg("the log lacks \"%s\":\n%s", logged, hv_env_log);
	/* Nothing was emulated: no request, the register and RIP as they were. */
	assert_int_equal(slot()->state, HV_IOREQ_STATE_NONE);
	assert_int_equal(v->gpr[GPR_RAX], RAX_BEFORE);
	assert_int_equal(vmread(GUEST_RIP), RIP);
}

static void the_instructions_own_mmio_read_is_forwarded(void **state)
{
	assert_int_equal(violation(Q_READ | Q_BY_INSTRUCTION, MMIO_GPA + 8, 0x5000, LOAD, 3),
			 EXIT_RESCHEDULE);
	assert_int_equal(slot()->state, HV_IOREQ_STATE_READY);
	assert_int_equal(slot()->kind, HV_IOREQ_MMIO);
	assert_int_equal(slot()->addr, MMIO_GPA + 8);
	assert_int_equal(slot()->size, 8);
	assert_int_equal(guest->state, PARTITION_RUNNING);
}

/* Issue 8: a load whose PTE is in MMIO returned the PTE's device value. */
static void a_page_walk_read_of_mmio_stops_the_guest(void **state)
{
	assert_int_equal(violation(Q_READ | Q_LINEAR_VALID, MMIO_GPA + 0x28, 0x5000, LOAD, 3),
			 EXIT_RESCHEDULE);
	expect_stop("guest page tables outside writable RAM",
		    "read of guest-physical 0xfe000028 (MMIO) at rip 0x100000, by the page-table "
		    "walk for linear 0x5000: hv does not emulate guest paging structures in "
		    "device memory");
}

/* Issue 8 item 17: CR3 in MMIO was "an undecodable device access" with no bytes. */
static void a_walk_for_the_instruction_fetch_from_mmio_stops_the_guest(void **state)
{
	assert_int_equal(violation(Q_READ | Q_LINEAR_VALID, MMIO_GPA, RIP, "", 0), EXIT_RESCHEDULE);
	expect_stop("guest page tables outside writable RAM",
		    "by the page-table walk for linear 0x100000");
	assert_null(strstr(hv_env_log, "undecodable"));
}

static void a_pdpte_load_from_mmio_stops_the_guest(void **state)
{
	assert_int_equal(violation(Q_READ, MMIO_GPA, 0, LOAD, 3), EXIT_RESCHEDULE);
	expect_stop("guest page tables outside writable RAM", "by loading the PDPTEs");
}

/* Issue 8: with EPT A/D flags a walk is a write: a walk into a forwarded page livelocked. */
static void a_page_walk_into_a_write_forwarded_page_stops_the_guest(void **state)
{
	assert_int_equal(
		violation(Q_WRITE | Q_READ | Q_LINEAR_VALID, WP_PAGE + 0x10, 0x5000, LOAD, 3),
		EXIT_RESCHEDULE);
	expect_stop("guest page tables outside writable RAM",
		    "(ioreq-server RAM) at rip 0x100000, by the page-table walk for linear 0x5000: "
		    "hv does not emulate guest paging structures in write-forwarded pages");
}

/* Issue 8: an IDT in MMIO: the #GP being delivered went undelivered, the MOV "emulated". */
static void event_delivery_through_mmio_stops_the_guest(void **state)
{
	hv_env_exit(v, 0, 0, 0, 0);
	vmwrite(IDT_VECTORING_INFO, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION |
					    INTR_INFO_DELIVER_ERROR_CODE | X86_EXC_GP);
	hv_env_map(guest, RIP, CODE_PAGE, PTE_P | PTE_RW);
	memcpy(hv_env_guest_ram(guest, CODE_PAGE), LOAD, 3);
	vmwrite(EXIT_QUALIFICATION, Q_READ | Q_BY_INSTRUCTION);
	vmwrite(GUEST_PHYSICAL_ADDRESS, MMIO_GPA + 13 * 16);
	vmwrite(GUEST_LINEAR_ADDRESS, 0x7000 + 13 * 16);
	vmwrite(VM_EXIT_REASON, EXIT_REASON_EPT_VIOLATION);
	vmwrite(GUEST_RIP, RIP);
	v->gpr[GPR_RAX] = RAX_BEFORE;
	assert_int_equal(ept_handle_violation(v), EXIT_RESCHEDULE);
	expect_stop(
		"event delivery through device memory",
		"read of guest-physical 0xfe0000d0 (MMIO) at rip 0x100000, delivering vector 13 "
		"(event type 3): hv does not emulate event delivery through device memory");
}

static void event_delivery_onto_a_write_forwarded_stack_stops_the_guest(void **state)
{
	hv_env_exit(v, 0, 0, 0, 0);
	vmwrite(IDT_VECTORING_INFO, INTR_INFO_VALID | INTR_TYPE_EXTERNAL | 0x40);
	hv_env_map(guest, RIP, CODE_PAGE, PTE_P | PTE_RW);
	memcpy(hv_env_guest_ram(guest, CODE_PAGE), STORE, 3);
	vmwrite(EXIT_QUALIFICATION, Q_WRITE | Q_BY_INSTRUCTION);
	vmwrite(GUEST_PHYSICAL_ADDRESS, WP_PAGE + 0xff8);
	vmwrite(GUEST_LINEAR_ADDRESS, 0x6ff8);
	vmwrite(GUEST_RIP, RIP);
	v->gpr[GPR_RAX] = RAX_BEFORE;
	assert_int_equal(ept_handle_violation(v), EXIT_RESCHEDULE);
	expect_stop("event delivery through device memory", "delivering vector 64 (event type 0)");
}

static void a_walk_write_of_read_only_ram_says_who_wrote(void **state)
{
	assert_int_equal(ept_set_type(&guest->ept, 0x4000, 0x1000, EPT_TYPE_RAM_RO), 0);
	assert_int_equal(violation(Q_WRITE | Q_READ | Q_LINEAR_VALID, 0x4028, 0x5000, LOAD, 3),
			 EXIT_RESCHEDULE);
	expect_stop("EPT violation", "EPT violation: write of guest-physical 0x4028 (read-only "
				     "RAM: not permitted) at rip 0x100000, by the page-table walk "
				     "for linear 0x5000");
}

#define EXIT_TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		EXIT_TEST(the_instructions_own_mmio_read_is_forwarded),
		EXIT_TEST(a_page_walk_read_of_mmio_stops_the_guest),
		EXIT_TEST(a_walk_for_the_instruction_fetch_from_mmio_stops_the_guest),
		EXIT_TEST(a_pdpte_load_from_mmio_stops_the_guest),
		EXIT_TEST(a_page_walk_into_a_write_forwarded_page_stops_the_guest),
		EXIT_TEST(event_delivery_through_mmio_stops_the_guest),
		EXIT_TEST(event_delivery_onto_a_write_forwarded_stack_stops_the_guest),
		EXIT_TEST(a_walk_write_of_read_only_ram_says_who_wrote),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
