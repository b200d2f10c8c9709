// SPDX-License-Identifier: GPL-2.0
/*
 * String port I/O (INS/OUTS) in hv/ioreq/ioreq.c: a guest's exits on the
 * model VMCS (tests/model/hv_env.h), the service partition played by the
 * test through the channel. Each exit must move at least one item or end
 * with the guest's exception or a truthful stop; memory is accessed with the
 * guest's rights and by page type (issue 8, items 2, 5 and 17).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include <hv/core/hypercall.h>
#include <hv/ioreq/guest_walk.h>
#include <hv/core/vcpu.h>
#include <hv/ioreq/ioreq.h>
#include <hv/vmx/exit_reasons.h>
#include <hv/vmx/vmcs_fields.h>
#include <public/hv.h>
#include <public/hypercall.h>
#include <x86/cpu.h>
#include <x86/msr.h>

#include "../model/hv_env.h"

/* The I/O exit qualification (SDM Vol. 3C Table 28-5) and instruction information (Table 28-8) */
#define QUAL_IN BIT(3)
#define QUAL_STRING BIT(4)
#define QUAL_REP BIT(5)
#define QUAL_PORT_SHIFT 16
#define INFO_ADDR_16 (0U << 7)
#define INFO_ADDR_32 (1U << 7)
#define INFO_ADDR_64 (2U << 7)
#define INFO_SEG_SHIFT 15

#define PTE_P BIT(0)
#define PTE_RW BIT(1)
#define PTE_US BIT(2)
#define PTE_A BIT(5)
#define PTE_D BIT(6)

#define PORT 0x4000U /* claimed by the "service" */
#define UNCLAIMED_PORT 0x5000U
#define RIP 0x200000ULL
#define INSN_LEN 2U
#define PAGE_A 0x100000ULL
#define PAGE_B 0x180000ULL
#define VECTOR 0x40

static struct partition *service, *guest;
static struct vcpu *v;

static int group_setup(void **state)
{
	hv_env_reset();
	service = hv_env_partition("service", PARTITION_SERVICE, 1);
	assert_int_equal(ioreq_hc_register(service->vcpus[0], VECTOR, 0, 0, 0), HV_IOREQ_AREA_GPA);
	assert_int_equal(ioreq_hc_claim_range(service->vcpus[0], HV_IOREQ_PIO, PORT, 16, 0), 0);
	return 0;
}

static int setup(void **state)
{
	guest = hv_env_partition("guest", PARTITION_GUEST, 1);
	v = guest->vcpus[0];
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

static u8 *ram(u64 gpa)
{
	return hv_env_guest_ram(guest, gpa);
}

static u64 pte(u64 linear)
{
	u64 value;

	memcpy(&value, ram(HV_ENV_PT + (linear >> 12) * 8), sizeof(value));
	return value;
}

/* Linear 0x5000 is PAGE_A, 0x6000 is PAGE_B: adjacent linear pages, apart in memory. */
static void map_two_pages(u64 flags)
{
	hv_env_map(guest, 0x5000, PAGE_A, flags);
	hv_env_map(guest, 0x6000, PAGE_B, flags);
}

/*
 * The VMCS and registers of a string I/O exit at RIP in 64-bit mode (the
 * linear address is the register's value); @info: address size and (OUTS)
 * segment. Returns the exit qualification, for ioreq_handle_pio().
 */
static u64 prepare(bool in, bool rep, unsigned int size, u16 port, u64 addr, u64 rcx, u32 info)
{
	u64 q = (size - 1) | (in ? QUAL_IN : 0) | QUAL_STRING | (rep ? QUAL_REP : 0) |
		((u64)port << QUAL_PORT_SHIFT);

	hv_env_exit(v, EXIT_REASON_IO_INSTRUCTION, q, RIP, INSN_LEN);
	v->gpr[in ? GPR_RDI : GPR_RSI] = addr;
	v->gpr[GPR_RCX] = rcx;
	vmwrite(GUEST_LINEAR_ADDRESS, addr);
	vmwrite(VMX_INSTRUCTION_INFO, info);
	return q;
}

static enum exit_action string_exit(bool in, bool rep, unsigned int size, u16 port, u64 addr,
				    u64 rcx, u32 info)
{
	return ioreq_handle_pio(v, prepare(in, rep, size, port, addr, rcx, info));
}

/* The same instruction runs again (REP): the CPU exits with the registers hv left. */
static enum exit_action again(bool in, unsigned int size, u16 port)
{
	u64 q = (size - 1) | (in ? QUAL_IN : 0) | QUAL_STRING | QUAL_REP |
		((u64)port << QUAL_PORT_SHIFT);

	assert_int_equal(vmread(GUEST_RIP), RIP);
	vmwrite(GUEST_LINEAR_ADDRESS, v->gpr[in ? GPR_RDI : GPR_RSI]);
	return ioreq_handle_pio(v, q);
}

/* The service answers the posted request with @data; hv completes it before the guest's next entry. */
static void answer(u64 data)
{
	struct hv_ioreq *s = slot();

	assert_int_equal(s->state, HV_IOREQ_STATE_READY);
	s->data = data;
	s->state = HV_IOREQ_STATE_RESPONSE_READY;
	assert_int_equal(ioreq_hc_complete(service->vcpus[0], guest->ioreq_channel, v->id, 0, 0),
			 0);
	assert_true(v->requests & feature_request(&ioreq_feature));
	hv_env_enter(v);
}

static void expect_request(u8 dir, u8 size, u32 count, u64 data)
{
	struct hv_ioreq *s = slot();

	assert_int_equal(s->state, HV_IOREQ_STATE_READY);
	assert_int_equal(s->addr, PORT);
	assert_int_equal(s->dir, dir);
	assert_int_equal(s->size, size);
	assert_int_equal(s->count, count);
	assert_int_equal(s->data, data);
}

static void expect_running(void)
{
	if (guest->state != PARTITION_RUNNING)
		fail_msg("the guest was stopped: %s\n%s", guest->stop_reason, hv_env_log);
}

static void expect_stop(const char *reason, const char *logged)
{
	assert_int_equal(guest->state, PARTITION_STOPPING);
	assert_string_equal(guest->stop_reason, reason);
	if (!strstr(hv_env_log, logged))
		fail_msg("the log lacks \"%s\":\n%s", logged, hv_env_log);
}

static void expect_exception(u8 vector, u32 error_code)
{
	u64 info = vmread(VM_ENTRY_INTR_INFO);

	assert_true(info & INTR_INFO_VALID);
	assert_int_equal(info & INTR_INFO_VECTOR_MASK, vector);
	assert_int_equal(info & INTR_INFO_TYPE_MASK, INTR_TYPE_HW_EXCEPTION);
	assert_int_equal(vmread(VM_ENTRY_EXCEPTION_ERROR_CODE), error_code);
	/* Nothing moved, nothing sent: the instruction faults as a whole. */
	assert_int_equal(vmread(GUEST_RIP), RIP);
	assert_int_equal(slot()->state, HV_IOREQ_STATE_NONE);
	expect_running();
}

/* Issue 8 item 2: the OUTSL at a page's last 2 bytes moved nothing and blamed the service. */
static void outsl_of_an_item_across_two_pages_sends_it_whole_and_advances(void **state)
{
	map_two_pages(PTE_P | PTE_RW);
	memcpy(ram(PAGE_A + 0xffe), "\x11\x22", 2);
	memcpy(ram(PAGE_B), "\x33\x44", 2);
	assert_int_equal(string_exit(false, false, 4, PORT, 0x5ffe, 0, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	expect_running();
	expect_request(HV_IOREQ_DIR_WRITE, 4, 1, 0x44332211);
	answer(0x44332211);
	assert_int_equal(v->gpr[GPR_RSI], 0x6002);
	assert_int_equal(vmread(GUEST_RIP), RIP + INSN_LEN);
}

/* ... and REP INSL there livelocked the CPU: every exit must move an item. */
static void rep_insl_across_two_pages_moves_an_item_every_exit(void **state)
{
	map_two_pages(PTE_P | PTE_RW);
	assert_int_equal(string_exit(true, true, 4, PORT, 0x5ffe, 3, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	expect_request(HV_IOREQ_DIR_READ, 4, 1, 0);
	answer(0xddccbbaa);
	assert_memory_equal(ram(PAGE_A + 0xffe), "\xaa\xbb", 2);
	assert_memory_equal(ram(PAGE_B), "\xcc\xdd", 2);
	assert_int_equal(v->gpr[GPR_RDI], 0x6002);
	assert_int_equal(v->gpr[GPR_RCX], 2);
	/* Not done: the instruction runs again, for the next two items at once. */
	assert_int_equal(vmread(GUEST_RIP), RIP);
	assert_int_equal(again(true, 4, PORT), EXIT_RESCHEDULE);
	expect_request(HV_IOREQ_DIR_READ, 4, 2, 0);
	answer(0x4444444433333333ULL);
	assert_memory_equal(ram(PAGE_B + 2), "\x33\x33\x33\x33\x44\x44\x44\x44", 8);
	assert_int_equal(v->gpr[GPR_RCX], 0);
	assert_int_equal(vmread(GUEST_RIP), RIP + INSN_LEN);
}

static void rep_insw_from_an_unclaimed_port_across_two_pages_progresses(void **state)
{
	map_two_pages(PTE_P | PTE_RW);
	assert_int_equal(string_exit(true, true, 2, UNCLAIMED_PORT, 0x5fff, 2, INFO_ADDR_64),
			 EXIT_RESUME);
	assert_int_equal(ram(PAGE_A + 0xfff)[0], 0xff);
	assert_int_equal(ram(PAGE_B)[0], 0xff);
	assert_int_equal(v->gpr[GPR_RDI], 0x6001);
	assert_int_equal(v->gpr[GPR_RCX], 1);
	assert_int_equal(again(true, 2, UNCLAIMED_PORT), EXIT_RESUME);
	assert_int_equal(v->gpr[GPR_RCX], 0);
	assert_int_equal(vmread(GUEST_RIP), RIP + INSN_LEN);
}

static void rep_outsb_with_df_set_goes_down_to_the_page_start(void **state)
{
	u64 q;

	map_two_pages(PTE_P | PTE_RW);
	memcpy(ram(PAGE_A), "\x01\x02\x03", 3);
	q = prepare(false, true, 1, PORT, 0x5002, 8, INFO_ADDR_64);
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_DF);
	assert_int_equal(ioreq_handle_pio(v, q), EXIT_RESCHEDULE);
	/* Items in the order the guest reads them: 0x5002, 0x5001, 0x5000. */
	expect_request(HV_IOREQ_DIR_WRITE, 1, 3, 0x010203);
	answer(0x010203);
	assert_int_equal(v->gpr[GPR_RSI], 0x4fff);
	assert_int_equal(v->gpr[GPR_RCX], 5);
	assert_int_equal(vmread(GUEST_RIP), RIP);
}

/* Issue 8 item 5: INS wrote into read-only RAM. */
static void ins_into_read_only_ram_stops_the_guest_as_an_ept_violation(void **state)
{
	map_two_pages(PTE_P | PTE_RW);
	assert_int_equal(ept_set_type(&guest->ept, PAGE_A, 0x1000, EPT_TYPE_RAM_RO), 0);
	assert_int_equal(string_exit(true, true, 1, PORT, 0x5010, 4, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	expect_stop("EPT violation",
		    "EPT violation: write of guest-physical 0x100010 (read-only RAM: not "
		    "permitted) by INS at rip 0x200000");
	assert_int_equal(slot()->state, HV_IOREQ_STATE_NONE);
	assert_int_equal(ram(PAGE_A + 0x10)[0], 0);
}

/* ... and into write-forwarded pages without forwarding. */
static void ins_into_a_write_forwarded_page_is_refused_truthfully(void **state)
{
	map_two_pages(PTE_P | PTE_RW);
	assert_int_equal(ept_set_type(&guest->ept, PAGE_B, 0x1000, EPT_TYPE_IOREQ), 0);
	/* The item's second half is on the forwarded page. */
	assert_int_equal(string_exit(true, false, 2, PORT, 0x5fff, 0, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	expect_stop("string I/O to device memory",
		    "INS at rip 0x200000 writes guest-physical 0x180000 (ioreq-server RAM)");
	assert_int_equal(slot()->state, HV_IOREQ_STATE_NONE);
}

static void ins_whose_page_became_read_only_meanwhile_writes_nothing(void **state)
{
	map_two_pages(PTE_P | PTE_RW);
	assert_int_equal(string_exit(true, false, 4, PORT, 0x5ffe, 0, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	assert_int_equal(ept_set_type(&guest->ept, PAGE_B, 0x1000, EPT_TYPE_RAM_RO), 0);
	answer(0xddccbbaa);
	expect_stop("EPT violation", "write of guest-physical 0x180000 (read-only RAM");
	assert_int_equal(ram(PAGE_A + 0xffe)[0], 0);
	assert_int_equal(vmread(GUEST_RIP), RIP);
}

/* Issue 8 item 17: OUTS past the end of RAM was "an ioreq protocol error". */
static void outs_past_the_end_of_ram_is_an_ept_violation(void **state)
{
	hv_env_map(guest, 0x5000, HV_ENV_GUEST_RAM, PTE_P | PTE_RW);
	assert_int_equal(string_exit(false, false, 1, PORT, 0x5008, 0, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	expect_stop("EPT violation", "read of guest-physical 0x400008 (no memory there) by OUTS");
}

/* ... and INS there was dropped silently. */
static void ins_past_the_end_of_ram_is_an_ept_violation(void **state)
{
	hv_env_map(guest, 0x5000, HV_ENV_GUEST_RAM, PTE_P | PTE_RW);
	assert_int_equal(string_exit(true, false, 1, UNCLAIMED_PORT, 0x5008, 0, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	expect_stop("EPT violation", "write of guest-physical 0x400008 (no memory there) by INS");
}

static void outs_from_mmio_is_refused_truthfully(void **state)
{
	hv_env_map(guest, 0x5000, HV_MMIO_WINDOW_START, PTE_P | PTE_RW);
	assert_int_equal(string_exit(false, false, 1, PORT, 0x5008, 0, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	expect_stop("string I/O to device memory",
		    "OUTS at rip 0x200000 reads guest-physical 0xc0000008 (MMIO)");
}

/* Issue 8 item 5: a walk failure is the guest's #PF, not a stop. */
static void ins_to_a_page_not_present_injects_a_page_fault(void **state)
{
	hv_env_map(guest, 0x5000, PAGE_A, PTE_P | PTE_RW);
	assert_int_equal(string_exit(true, true, 2, PORT, 0x5ffe, 2, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	/* The first item is whole on the present page: it goes. */
	assert_int_equal(slot()->state, HV_IOREQ_STATE_READY);
	answer(0xffff);
	assert_int_equal(again(true, 2, PORT), EXIT_RESUME);
	expect_exception(X86_EXC_PF, PF_ERROR_WRITE);
	assert_int_equal(hv_env_cr2, 0x6000);
	assert_int_equal(v->gpr[GPR_RDI], 0x6000);
	assert_int_equal(v->gpr[GPR_RCX], 1);
}

static void ins_at_cpl3_to_a_supervisor_page_is_a_user_page_fault(void **state)
{
	u64 q;

	map_two_pages(PTE_P | PTE_RW);
	assert_int_equal(string_exit(true, false, 1, PORT, 0x5010, 0, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	answer(1);
	/* The same at CPL 3 (SS.DPL 3): */
	q = prepare(true, false, 1, PORT, 0x5010, 0, INFO_ADDR_64);
	vmwrite(GUEST_SS_AR_BYTES, vmread(GUEST_SS_AR_BYTES) | (3U << SEG_AR_DPL_SHIFT));
	assert_int_equal(ioreq_handle_pio(v, q), EXIT_RESUME);
	expect_exception(X86_EXC_PF, PF_ERROR_PRESENT | PF_ERROR_WRITE | PF_ERROR_USER);
	assert_int_equal(hv_env_cr2, 0x5010);
}

static void smap_keeps_outs_off_user_pages_unless_ac(void **state)
{
	u64 q;

	map_two_pages(PTE_P | PTE_RW | PTE_US);
	q = prepare(false, false, 1, PORT, 0x5010, 0, INFO_ADDR_64 | (SEG_DS << INFO_SEG_SHIFT));
	vmwrite(GUEST_CR4, X86_CR4_PAE | X86_CR4_SMAP);
	assert_int_equal(ioreq_handle_pio(v, q), EXIT_RESUME);
	expect_exception(X86_EXC_PF, PF_ERROR_PRESENT);
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_AC);
	assert_int_equal(ioreq_handle_pio(v, q), EXIT_RESCHEDULE);
	expect_request(HV_IOREQ_DIR_WRITE, 1, 1, 0);
}

static void ins_sets_the_guests_accessed_and_dirty_flags(void **state)
{
	map_two_pages(PTE_P | PTE_RW);
	assert_int_equal(string_exit(true, false, 4, PORT, 0x5ffe, 0, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	assert_int_equal(pte(0x5000), PAGE_A | PTE_P | PTE_RW | PTE_A | PTE_D);
	assert_int_equal(pte(0x6000), PAGE_B | PTE_P | PTE_RW | PTE_A | PTE_D);
	answer(0);
	hv_env_map(guest, 0x7000, PAGE_A, PTE_P | PTE_RW);
	assert_int_equal(string_exit(false, false, 4, PORT, 0x7000, 0, INFO_ADDR_64),
			 EXIT_RESCHEDULE);
	assert_int_equal(pte(0x7000), PAGE_A | PTE_P | PTE_RW | PTE_A);
}

static void set_entry(u64 table, u64 index, u64 value)
{
	memcpy(ram(table + index * 8), &value, sizeof(value));
}

static void outs_across_the_canonical_boundary_is_a_general_protection_fault(void **state)
{
	u64 q = prepare(false, false, 4, PORT, 0x00007ffffffffffeULL, 0, INFO_ADDR_64);

	/* The last canonical page of the lower half is PAGE_A; the next page is not canonical. */
	set_entry(HV_ENV_PML4, 255, HV_ENV_PDPT | PTE_P | PTE_RW);
	set_entry(HV_ENV_PDPT, 511, HV_ENV_PD | PTE_P | PTE_RW);
	set_entry(HV_ENV_PD, 511, HV_ENV_PT | PTE_P | PTE_RW);
	set_entry(HV_ENV_PT, 511, PAGE_A | PTE_P | PTE_RW);
	assert_int_equal(ioreq_handle_pio(v, q), EXIT_RESUME);
	expect_exception(X86_EXC_GP, 0);
	/* Through SS it is #SS(0). */
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	vmwrite(VMX_INSTRUCTION_INFO, INFO_ADDR_64 | (SEG_SS << INFO_SEG_SHIFT));
	assert_int_equal(ioreq_handle_pio(v, q), EXIT_RESUME);
	expect_exception(X86_EXC_SS, 0);
}

static void page_tables_in_mmio_stop_the_guest_truthfully(void **state)
{
	u64 q = prepare(true, false, 1, UNCLAIMED_PORT, 0x5000, 0, INFO_ADDR_64);

	set_entry(HV_ENV_PD, 0, HV_MMIO_WINDOW_START | PTE_P | PTE_RW);
	assert_int_equal(ioreq_handle_pio(v, q), EXIT_RESCHEDULE);
	expect_stop("guest page tables outside writable RAM",
		    "paging-structure entry at guest-physical 0xc0000028 (MMIO)");
}

/* Outside 64-bit mode: paging off (linear is physical), flat 32-bit segments unless changed. */
static void enter_32bit_mode(void)
{
	vmwrite(GUEST_CR0, X86_CR0_PE | X86_CR0_NE);
	vmwrite(GUEST_CR4, 0);
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(GUEST_CS_AR_BYTES, 0xbU | SEG_AR_S | SEG_AR_P | SEG_AR_DB | SEG_AR_G);
}

static enum exit_action exit_32(bool in, unsigned int size, u64 offset, u32 info)
{
	u64 q = (size - 1) | (in ? QUAL_IN : 0) | QUAL_STRING | QUAL_REP |
		((u64)PORT << QUAL_PORT_SHIFT);

	u64 mask = (info & INFO_ADDR_32) ? 0xffffffffULL : 0xffffULL;

	v->gpr[in ? GPR_RDI : GPR_RSI] = offset;
	v->gpr[GPR_RCX] = 8;
	vmwrite(GUEST_LINEAR_ADDRESS,
		vmread(GUEST_SEG_BASE(in ? SEG_ES : info >> INFO_SEG_SHIFT)) + (offset & mask));
	vmwrite(VMX_INSTRUCTION_INFO, info);
	return ioreq_handle_pio(v, q);
}

static void an_address_register_of_16_bits_wraps_between_requests(void **state)
{
	hv_env_exit(v, EXIT_REASON_IO_INSTRUCTION, 0, RIP, INSN_LEN);
	enter_32bit_mode();
	vmwrite(GUEST_DS_BASE, PAGE_A);
	/* A 16-bit data segment: the items at 0xfffe and 0xffff, then SI wraps to 0. */
	vmwrite(GUEST_DS_AR_BYTES, 0x3U | SEG_AR_S | SEG_AR_P | SEG_AR_G);
	v->gpr[GPR_RSI] = 0xabcd0000;
	assert_int_equal(exit_32(false, 1, 0xabcdfffe, INFO_ADDR_16 | (SEG_DS << INFO_SEG_SHIFT)),
			 EXIT_RESCHEDULE);
	expect_request(HV_IOREQ_DIR_WRITE, 1, 2, 0);
	answer(0);
	assert_int_equal(v->gpr[GPR_RSI], 0xabcd0000);
	assert_int_equal(v->gpr[GPR_RCX], 6);
}

static void items_beyond_the_segment_limit_are_a_general_protection_fault(void **state)
{
	hv_env_exit(v, EXIT_REASON_IO_INSTRUCTION, 0, RIP, INSN_LEN);
	enter_32bit_mode();
	vmwrite(GUEST_DS_BASE, PAGE_A);
	vmwrite(GUEST_DS_LIMIT, 0xfff);
	/* Two items fit below the limit: they go; the third faults on its own run. */
	assert_int_equal(exit_32(false, 2, 0xffa, INFO_ADDR_32 | (SEG_DS << INFO_SEG_SHIFT)),
			 EXIT_RESCHEDULE);
	expect_request(HV_IOREQ_DIR_WRITE, 2, 3, 0);
	answer(0);
	assert_int_equal(exit_32(false, 2, 0xfff, INFO_ADDR_32 | (SEG_DS << INFO_SEG_SHIFT)),
			 EXIT_RESUME);
	expect_exception(X86_EXC_GP, 0);
	/* Through SS it is #SS(0). */
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	vmwrite(GUEST_SS_LIMIT, 0xfff);
	assert_int_equal(exit_32(false, 4, 0xffe, INFO_ADDR_32 | (SEG_SS << INFO_SEG_SHIFT)),
			 EXIT_RESUME);
	expect_exception(X86_EXC_SS, 0);
	/* INS writes through ES: a read-only data segment faults. */
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	vmwrite(GUEST_ES_AR_BYTES, 0x1U | SEG_AR_S | SEG_AR_P | SEG_AR_DB | SEG_AR_G);
	assert_int_equal(exit_32(true, 1, 0x10, INFO_ADDR_32), EXIT_RESUME);
	expect_exception(X86_EXC_GP, 0);
	/* An unusable segment too. */
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	vmwrite(GUEST_FS_AR_BYTES, SEG_AR_UNUSABLE);
	assert_int_equal(exit_32(false, 1, 0x10, INFO_ADDR_32 | (SEG_FS << INFO_SEG_SHIFT)),
			 EXIT_RESUME);
	expect_exception(X86_EXC_GP, 0);
}

static void expand_down_segments_allow_only_offsets_above_the_limit(void **state)
{
	hv_env_exit(v, EXIT_REASON_IO_INSTRUCTION, 0, RIP, INSN_LEN);
	enter_32bit_mode();
	vmwrite(GUEST_DS_BASE, 0);
	vmwrite(GUEST_DS_AR_BYTES, 0x7U | SEG_AR_S | SEG_AR_P | SEG_AR_DB | SEG_AR_G);
	vmwrite(GUEST_DS_LIMIT, PAGE_A + 0xfff);
	assert_int_equal(
		exit_32(false, 1, PAGE_A + 0xfff, INFO_ADDR_32 | (SEG_DS << INFO_SEG_SHIFT)),
		EXIT_RESUME);
	expect_exception(X86_EXC_GP, 0);
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	assert_int_equal(
		exit_32(false, 1, PAGE_A + 0x1000, INFO_ADDR_32 | (SEG_DS << INFO_SEG_SHIFT)),
		EXIT_RESCHEDULE);
	expect_request(HV_IOREQ_DIR_WRITE, 1, 8, 0);
	answer(0);
}

static void misaligned_items_at_cpl3_with_alignment_checks_are_an_ac(void **state)
{
	u64 q = 1 | QUAL_STRING | ((u64)PORT << QUAL_PORT_SHIFT);

	map_two_pages(PTE_P | PTE_RW | PTE_US);
	hv_env_exit(v, EXIT_REASON_IO_INSTRUCTION, q, RIP, INSN_LEN);
	vmwrite(GUEST_SS_AR_BYTES, vmread(GUEST_SS_AR_BYTES) | (3U << SEG_AR_DPL_SHIFT));
	vmwrite(GUEST_CR0, vmread(GUEST_CR0) | X86_CR0_AM);
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_AC);
	vmwrite(GUEST_LINEAR_ADDRESS, 0x5001);
	v->gpr[GPR_RSI] = 0x5001;
	assert_int_equal(ioreq_handle_pio(v, q), EXIT_RESUME);
	expect_exception(X86_EXC_AC, 0);
	/* Aligned, it goes. */
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	vmwrite(GUEST_LINEAR_ADDRESS, 0x5002);
	v->gpr[GPR_RSI] = 0x5002;
	assert_int_equal(ioreq_handle_pio(v, q), EXIT_RESCHEDULE);
	expect_request(HV_IOREQ_DIR_WRITE, 2, 1, 0);
}

#define STRING_TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		STRING_TEST(outsl_of_an_item_across_two_pages_sends_it_whole_and_advances),
		STRING_TEST(rep_insl_across_two_pages_moves_an_item_every_exit),
		STRING_TEST(rep_insw_from_an_unclaimed_port_across_two_pages_progresses),
		STRING_TEST(rep_outsb_with_df_set_goes_down_to_the_page_start),
		STRING_TEST(ins_into_read_only_ram_stops_the_guest_as_an_ept_violation),
		STRING_TEST(ins_into_a_write_forwarded_page_is_refused_truthfully),
		STRING_TEST(ins_whose_page_became_read_only_meanwhile_writes_nothing),
		STRING_TEST(outs_past_the_end_of_ram_is_an_ept_violation),
		STRING_TEST(ins_past_the_end_of_ram_is_an_ept_violation),
		STRING_TEST(outs_from_mmio_is_refused_truthfully),
		STRING_TEST(ins_to_a_page_not_present_injects_a_page_fault),
		STRING_TEST(ins_at_cpl3_to_a_supervisor_page_is_a_user_page_fault),
		STRING_TEST(smap_keeps_outs_off_user_pages_unless_ac),
		STRING_TEST(ins_sets_the_guests_accessed_and_dirty_flags),
		STRING_TEST(outs_across_the_canonical_boundary_is_a_general_protection_fault),
		STRING_TEST(page_tables_in_mmio_stop_the_guest_truthfully),
		STRING_TEST(an_address_register_of_16_bits_wraps_between_requests),
		STRING_TEST(items_beyond_the_segment_limit_are_a_general_protection_fault),
		STRING_TEST(expand_down_segments_allow_only_offsets_above_the_limit),
		STRING_TEST(misaligned_items_at_cpl3_with_alignment_checks_are_an_ac),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
