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
#include <hv/ioreq/guest_walk.h>
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
#define UNCLAIMED 0xd0000000ULL /* in the MMIO window, claimed by nobody: all-ones */
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

/* mov %eax,(%rbx) and mov (%rbx),%eax: 4 bytes */
#define STORE4 "\x89\x03"
#define LOAD4 "\x8b\x03"

static void expect_running(void)
{
	if (guest->state != PARTITION_RUNNING)
		fail_msg("the guest was stopped: %s\n%s", guest->stop_reason, hv_env_log);
}

/* Issue 8 item 5: the fetch behind the exit faults: the guest's #PF, not a stop. */
static void a_fetch_that_faults_is_the_guests_page_fault(void **state)
{
	hv_env_exit(v, EXIT_REASON_EPT_VIOLATION, Q_READ | Q_BY_INSTRUCTION, RIP, 0);
	vmwrite(GUEST_PHYSICAL_ADDRESS, MMIO_GPA);
	vmwrite(GUEST_LINEAR_ADDRESS, 0x5000);
	/* Another vCPU unmapped the code meanwhile. */
	hv_env_map(guest, RIP, 0, 0);
	assert_int_equal(ept_handle_violation(v), EXIT_RESUME);
	expect_running();
	assert_int_equal(vmread(VM_ENTRY_INTR_INFO), INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION |
							     INTR_INFO_DELIVER_ERROR_CODE |
							     X86_EXC_PF);
	assert_int_equal(vmread(VM_ENTRY_EXCEPTION_ERROR_CODE), PF_ERROR_FETCH);
	assert_int_equal(hv_env_cr2, RIP);
	assert_int_equal(vmread(GUEST_RIP), RIP);
}

static void an_instruction_that_does_not_make_the_exits_access_is_not_emulated(void **state)
{
	/* A store at RIP, but the exit says read. */
	assert_int_equal(violation(Q_READ | Q_BY_INSTRUCTION, MMIO_GPA, 0x5000, STORE, 3),
			 EXIT_RESCHEDULE);
	expect_stop("undecodable device access",
		    "the instruction at rip 0x100000 (a 8-byte write) does not make the access "
		    "that exited, a read of guest-physical 0xfe000000, linear 0x5000");
	/* Its operand is elsewhere than the address that exited. */
	hv_env_partition_free(guest);
	setup(state);
	assert_int_equal(violation(Q_READ | Q_BY_INSTRUCTION, MMIO_GPA + 0x40, 0x5040, LOAD, 3),
			 EXIT_RESCHEDULE);
	expect_stop("undecodable device access", "linear 0x5040");
}

/* The PTE flags of the page after the boundary. */
static u64 second_flags = PTE_P | PTE_RW;

/* The pages around a boundary: linear 0x5000 and 0x6000, each mapped by the test. */
static enum exit_action across(u64 q, u64 first, u64 second, u64 start, u64 exit_linear,
			       u64 exit_gpa, const char *insn)
{
	hv_env_map(guest, 0x5000, first, PTE_P | PTE_RW);
	hv_env_map(guest, 0x6000, second, second_flags);
	hv_env_map(guest, RIP, CODE_PAGE, PTE_P | PTE_RW);
	memcpy(hv_env_guest_ram(guest, CODE_PAGE), insn, 2);
	hv_env_exit(v, EXIT_REASON_EPT_VIOLATION, q | Q_BY_INSTRUCTION, RIP, 0);
	vmwrite(GUEST_PHYSICAL_ADDRESS, exit_gpa);
	vmwrite(GUEST_LINEAR_ADDRESS, exit_linear);
	v->gpr[GPR_RAX] = RAX_BEFORE;
	v->gpr[GPR_RBX] = start;
	return ept_handle_violation(v);
}

static void a_read_across_two_pages_of_one_mmio_range_is_one_access(void **state)
{
	/* Contiguous MMIO: 0xfe000ffe..0xfe001001, beyond the 4 KiB claimed: all-ones. */
	assert_int_equal(across(Q_READ, MMIO_GPA + 0x1000 - 0x1000, MMIO_GPA + 0x1000, 0x5ffe,
				0x5ffe, MMIO_GPA + 0xffe, LOAD4),
			 EXIT_RESUME);
	expect_running();
	assert_int_equal(v->gpr[GPR_RAX], 0xffffffff);
	assert_int_equal(vmread(GUEST_RIP), RIP + 2);
}

static void an_access_from_mmio_into_ram_is_refused_truthfully(void **state)
{
	assert_int_equal(across(Q_READ, MMIO_GPA, 0x8000, 0x5ffe, 0x5ffe, MMIO_GPA + 0xffe, LOAD4),
			 EXIT_RESCHEDULE);
	expect_stop("device access across a page boundary",
		    "the 4-byte read at rip 0x100000 spans guest-physical 0xfe000ffe (MMIO) and "
		    "0x8000 (RAM) across a page boundary");
}

/* Issue 8 item 5: a write from RAM into a write-forwarded page was forwarded shifted. */
static void a_write_from_ram_into_a_write_forwarded_page_is_refused(void **state)
{
	/* The CPU reports the second page: its first byte, linear 0x6000. */
	assert_int_equal(across(Q_WRITE, 0x8000, WP_PAGE, 0x5ffe, 0x6000, WP_PAGE, STORE4),
			 EXIT_RESCHEDULE);
	expect_stop("device access across a page boundary",
		    "spans guest-physical 0x8ffe (RAM) and 0x180000 (ioreq-server RAM)");
	assert_int_equal(*(u8 *)hv_env_guest_ram(guest, WP_PAGE), 0);
}

/* ... and one out of a write-forwarded page into read-only RAM wrote into it on APPLY. */
static void a_write_from_a_forwarded_page_into_read_only_ram_is_an_ept_violation(void **state)
{
	assert_int_equal(ept_set_type(&guest->ept, WP_PAGE + 0x1000, 0x1000, EPT_TYPE_RAM_RO), 0);
	assert_int_equal(
		across(Q_WRITE, WP_PAGE, WP_PAGE + 0x1000, 0x5ffe, 0x5ffe, WP_PAGE + 0xffe, STORE4),
		EXIT_RESCHEDULE);
	expect_stop("EPT violation", "write of guest-physical 0x181000 (read-only RAM: not "
				     "permitted) by MOV at rip 0x100000, linear 0x6000");
	assert_int_equal(slot()->state, HV_IOREQ_STATE_NONE);
}

static void a_write_across_two_forwarded_pages_is_one_request_and_checks_both(void **state)
{
	struct hv_ioreq *s = slot();
	u8 *ram = hv_env_guest_ram(guest, WP_PAGE + 0xffe);

	assert_int_equal(ioreq_hc_set_page_type(service->vcpus[0], guest->ioreq_channel,
						WP_PAGE + 0x1000, 1, HV_IOREQ_PAGE_SERVER),
			 0);
	assert_int_equal(
		across(Q_WRITE, WP_PAGE, WP_PAGE + 0x1000, 0x5ffe, 0x5ffe, WP_PAGE + 0xffe, STORE4),
		EXIT_RESCHEDULE);
	assert_int_equal(s->state, HV_IOREQ_STATE_READY);
	assert_int_equal(s->kind, HV_IOREQ_WP);
	assert_int_equal(s->addr, WP_PAGE + 0xffe);
	assert_int_equal(s->size, 4);
	assert_int_equal(s->data, RAX_BEFORE & 0xffffffff);
	/* Meanwhile the second page becomes plain RAM: the write must run again, not be applied. */
	assert_int_equal(ioreq_hc_set_page_type(service->vcpus[0], guest->ioreq_channel,
						WP_PAGE + 0x1000, 1, HV_IOREQ_PAGE_RAM),
			 0);
	s->data = HV_IOREQ_WP_APPLY;
	s->state = HV_IOREQ_STATE_RESPONSE_READY;
	assert_int_equal(ioreq_hc_complete(service->vcpus[0], guest->ioreq_channel, v->id, 0, 0),
			 0);
	hv_env_enter(v);
	expect_running();
	assert_memory_equal(ram, "\0\0\0\0", 4);
	assert_int_equal(vmread(GUEST_RIP), RIP);
}

static void a_fault_on_the_second_page_is_the_guests(void **state)
{
	second_flags = PTE_P;
	assert_int_equal(across(Q_WRITE, MMIO_GPA, MMIO_GPA + 0x1000, 0x5ffe, 0x5ffe,
				MMIO_GPA + 0xffe, STORE4),
			 EXIT_RESUME);
	second_flags = PTE_P | PTE_RW;
	expect_running();
	assert_int_equal(vmread(VM_ENTRY_INTR_INFO), INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION |
							     INTR_INFO_DELIVER_ERROR_CODE |
							     X86_EXC_PF);
	assert_int_equal(vmread(VM_ENTRY_EXCEPTION_ERROR_CODE), PF_ERROR_PRESENT | PF_ERROR_WRITE);
	assert_int_equal(hv_env_cr2, 0x6000);
	assert_int_equal(slot()->state, HV_IOREQ_STATE_NONE);
	assert_int_equal(vmread(GUEST_RIP), RIP);
}

/*
 * The operand's linear address includes the segment's base outside 64-bit
 * mode, FS's and GS's in it, and RIP for RIP-relative addressing: a
 * correct access must not look like one the instruction did not make.
 */
static enum exit_action mode_exit(const char *insn, u32 len, u64 linear, u64 gpa)
{
	memcpy(hv_env_guest_ram(guest, CODE_PAGE), insn, len);
	vmwrite(GUEST_PHYSICAL_ADDRESS, gpa);
	vmwrite(GUEST_LINEAR_ADDRESS, linear);
	vmwrite(GUEST_RIP, RIP);
	return ept_handle_violation(v);
}

static void operands_are_found_through_segment_bases_and_rip(void **state)
{
	/* 64-bit: mov %fs:0x10(%rbx),%eax, FS base 0x7000; mov 0x20(%rip),%eax. */
	hv_env_map(guest, RIP, CODE_PAGE, PTE_P | PTE_RW);
	hv_env_exit(v, EXIT_REASON_EPT_VIOLATION, Q_READ | Q_BY_INSTRUCTION, RIP, 0);
	vmwrite(GUEST_FS_BASE, 0x7000);
	v->gpr[GPR_RBX] = 0x100;
	assert_int_equal(mode_exit("\x64\x8b\x43\x10", 4, 0x7110, UNCLAIMED + 0x110), EXIT_RESUME);
	expect_running();
	assert_int_equal(vmread(GUEST_RIP), RIP + 4);
	assert_int_equal(mode_exit("\x8b\x05\x20\x00\x00\x00", 6, RIP + 6 + 0x20, UNCLAIMED + 0x26),
			 EXIT_RESUME);
	expect_running();

	/* 32-bit protected mode, paging off, DS base 0x10000: mov 0x8(%ebx),%eax. */
	hv_env_exit(v, EXIT_REASON_EPT_VIOLATION, Q_READ | Q_BY_INSTRUCTION, CODE_PAGE, 0);
	vmwrite(GUEST_CR0, X86_CR0_PE | X86_CR0_NE);
	vmwrite(GUEST_CR4, 0);
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(GUEST_CS_AR_BYTES, 0xbU | SEG_AR_S | SEG_AR_P | SEG_AR_DB | SEG_AR_G);
	vmwrite(GUEST_DS_BASE, 0x10000);
	v->gpr[GPR_RBX] = 0xcfff0000;
	memcpy(hv_env_guest_ram(guest, CODE_PAGE), "\x8b\x43\x08", 3);
	vmwrite(GUEST_PHYSICAL_ADDRESS, UNCLAIMED + 8);
	vmwrite(GUEST_LINEAR_ADDRESS, UNCLAIMED + 8);
	vmwrite(GUEST_RIP, CODE_PAGE);
	assert_int_equal(ept_handle_violation(v), EXIT_RESUME);
	expect_running();
	assert_int_equal(v->gpr[GPR_RAX], 0xffffffff);

	/* 16-bit: mov 0x8(%bp),%ax goes through SS, not DS. */
	vmwrite(GUEST_CS_AR_BYTES, 0xbU | SEG_AR_S | SEG_AR_P);
	vmwrite(GUEST_SS_BASE, UNCLAIMED);
	vmwrite(GUEST_DS_BASE, 0x10000);
	v->gpr[GPR_RBP] = 0x0ff8;
	memcpy(hv_env_guest_ram(guest, CODE_PAGE), "\x8b\x46\x08", 3);
	vmwrite(GUEST_PHYSICAL_ADDRESS, UNCLAIMED + 0x1000);
	vmwrite(GUEST_LINEAR_ADDRESS, UNCLAIMED + 0x1000);
	vmwrite(GUEST_RIP, CODE_PAGE);
	assert_int_equal(ept_handle_violation(v), EXIT_RESUME);
	expect_running();
	assert_int_equal(v->gpr[GPR_RAX] & 0xffff, 0xffff);
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
		EXIT_TEST(a_fetch_that_faults_is_the_guests_page_fault),
		EXIT_TEST(an_instruction_that_does_not_make_the_exits_access_is_not_emulated),
		EXIT_TEST(a_read_across_two_pages_of_one_mmio_range_is_one_access),
		EXIT_TEST(an_access_from_mmio_into_ram_is_refused_truthfully),
		EXIT_TEST(a_write_from_ram_into_a_write_forwarded_page_is_refused),
		EXIT_TEST(a_write_from_a_forwarded_page_into_read_only_ram_is_an_ept_violation),
		EXIT_TEST(a_write_across_two_forwarded_pages_is_one_request_and_checks_both),
		EXIT_TEST(a_fault_on_the_second_page_is_the_guests),
		EXIT_TEST(operands_are_found_through_segment_bases_and_rip),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
