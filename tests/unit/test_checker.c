// SPDX-License-Identifier: GPL-2.0
/*
 * The software VM-entry checks (SDM Vol. 3C 27.2, 27.3.1, 27.4): a known-good
 * VMCS passes every check, and breaking one thing fails exactly the check
 * that names it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/vmx/caps.h>
#include <hv/vmx/checker.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define MAX_FAILURES 16
#define MODEL_MEM_SIZE (64 * 1024)

/* Model physical memory: "physical" addresses are offsets into this buffer. */
#define PA_IO_BITMAP_A 0x1000ULL
#define PA_IO_BITMAP_B 0x2000ULL
#define PA_MSR_BITMAP 0x3000ULL
#define PA_EPT_PML4 0x4000ULL
#define PA_MSR_LOAD 0x5000ULL
#define PA_VAPIC 0x6000ULL
#define PA_PI_DESC 0x7000ULL
#define PA_PID_TABLE 0x8000ULL
#define POSTED_INTR_VECTOR 0xf2

#define EPTP_WB_4LEVEL (6ULL | (3ULL << 3))
#define PAT_DEFAULT 0x0007040600070406ULL

/* Access rights in VMCS format */
#define AR_CODE32 0xc09bU /* G, D, P, S, type 11 (execute/read, accessed) */
#define AR_CODE64 0xa09bU /* G, L, P, S, type 11 */
#define AR_DATA 0xc093U /* G, D/B, P, S, type 3 (read/write, accessed) */
#define AR_TSS_BUSY 0x008bU /* P, type 11 (busy 32/64-bit TSS) */
#define AR_UNUSABLE 0x10000U

static struct vmx_caps caps;
static u8 *model_mem;
static struct vmx_check_failure failures[MAX_FAILURES];

/* 39-bit physical and 48-bit linear addresses, as Bochs reports them. */
static void set_address_widths(void)
{
	model_cpuid_reset();
	model_cpuid_set(0x80000000, 0, (struct cpuid_regs){ 0x80000008, 0, 0, 0 });
	model_cpuid_set(0x80000008, 0, (struct cpuid_regs){ 0x3027, 0, 0, 0 });
}

/* hv's controls for this CPU, and a 64-bit host. */
static void write_controls_and_host_state(void)
{
	vmwrite(PIN_BASED_VM_EXEC_CONTROL, caps.pin_ctls);
	vmwrite(CPU_BASED_VM_EXEC_CONTROL, caps.proc_ctls);
	vmwrite(SECONDARY_VM_EXEC_CONTROL, caps.proc2_ctls);
	vmwrite(VM_EXIT_CONTROLS, caps.exit_ctls);
	vmwrite(VM_ENTRY_CONTROLS, caps.entry_ctls);
	vmwrite(IO_BITMAP_A, PA_IO_BITMAP_A);
	vmwrite(IO_BITMAP_B, PA_IO_BITMAP_B);
	vmwrite(MSR_BITMAP, PA_MSR_BITMAP);
	vmwrite(EPT_POINTER, PA_EPT_PML4 | EPTP_WB_4LEVEL);
	vmwrite(VIRTUAL_PROCESSOR_ID, 1);
	vmwrite(CR3_TARGET_COUNT, 0);
	vmwrite(VM_ENTRY_MSR_LOAD_ADDR, PA_MSR_LOAD);
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VM_ENTRY_INTR_INFO, 0);

	vmwrite(HOST_CR0, X86_CR0_PG | X86_CR0_WP | X86_CR0_NE | X86_CR0_ET | X86_CR0_PE);
	vmwrite(HOST_CR3, 0x10000);
	vmwrite(HOST_CR4, X86_CR4_VMXE | X86_CR4_PAE | X86_CR4_OSFXSR);
	vmwrite(HOST_CS_SELECTOR, 0x08);
	vmwrite(HOST_SS_SELECTOR, 0x10);
	vmwrite(HOST_DS_SELECTOR, 0);
	vmwrite(HOST_ES_SELECTOR, 0);
	vmwrite(HOST_FS_SELECTOR, 0);
	vmwrite(HOST_GS_SELECTOR, 0);
	vmwrite(HOST_TR_SELECTOR, 0x18);
	vmwrite(HOST_FS_BASE, 0);
	vmwrite(HOST_GS_BASE, 0xffff888000000000ULL);
	vmwrite(HOST_TR_BASE, 0x200000);
	vmwrite(HOST_GDTR_BASE, 0x201000);
	vmwrite(HOST_IDTR_BASE, 0x202000);
	vmwrite(HOST_RSP, 0x300000);
	vmwrite(HOST_RIP, 0x100000);
	vmwrite(HOST_IA32_PAT, PAT_DEFAULT);
	vmwrite(HOST_IA32_EFER, EFER_LMA | EFER_LME | EFER_NXE | EFER_SCE);
}

static void write_seg(enum vmx_segment s, u16 sel, u64 base, u32 limit, u32 ar)
{
	vmwrite(GUEST_SEG_SELECTOR(s), sel);
	vmwrite(GUEST_SEG_BASE(s), base);
	vmwrite(GUEST_SEG_LIMIT(s), limit);
	vmwrite(GUEST_SEG_AR_BYTES(s), ar);
}

/* What both guest states share: descriptor tables, MSRs, non-register state. */
static void write_common_guest_state(void)
{
	write_seg(SEG_LDTR, 0, 0, 0, AR_UNUSABLE);
	write_seg(SEG_TR, 0x18, 0x3000, 0x67, AR_TSS_BUSY);
	vmwrite(GUEST_GDTR_BASE, 0x1000);
	vmwrite(GUEST_GDTR_LIMIT, 0x1f);
	vmwrite(GUEST_IDTR_BASE, 0x2000);
	vmwrite(GUEST_IDTR_LIMIT, 0x7ff);
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_RSP, 0x8000);
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED);
	vmwrite(GUEST_IA32_PAT, PAT_DEFAULT);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
}

/* Flat 32-bit protected mode without paging, as unrestricted guest allows. */
static void write_guest_32bit_protected(void)
{
	unsigned int s;

	write_common_guest_state();
	vmwrite(GUEST_CR0, X86_CR0_NE | X86_CR0_ET | X86_CR0_PE);
	vmwrite(GUEST_CR3, 0);
	vmwrite(GUEST_CR4, X86_CR4_VMXE);
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(VM_ENTRY_CONTROLS, caps.entry_ctls & ~ENTRY_IA32E_MODE_GUEST);
	write_seg(SEG_CS, 0x08, 0, 0xffffffff, AR_CODE32);
	for (s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS)
			write_seg(s, 0x10, 0, 0xffffffff, AR_DATA);
	vmwrite(GUEST_RIP, 0x100000);
}

/* 64-bit mode with 4-level paging. */
static void write_guest_64bit(void)
{
	unsigned int s;

	write_common_guest_state();
	vmwrite(GUEST_CR0, X86_CR0_PG | X86_CR0_WP | X86_CR0_NE | X86_CR0_ET | X86_CR0_PE);
	vmwrite(GUEST_CR3, 0x7000);
	vmwrite(GUEST_CR4, X86_CR4_VMXE | X86_CR4_PAE);
	vmwrite(GUEST_IA32_EFER, EFER_LMA | EFER_LME | EFER_NXE | EFER_SCE);
	vmwrite(VM_ENTRY_CONTROLS, caps.entry_ctls | ENTRY_IA32E_MODE_GUEST);
	write_seg(SEG_CS, 0x08, 0, 0xffffffff, AR_CODE64);
	for (s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS)
			write_seg(s, 0x10, 0, 0xffffffff, AR_DATA);
	vmwrite(GUEST_FS_BASE, 0x00007f0000001000ULL);
	vmwrite(GUEST_GS_BASE, 0xffff888000100000ULL);
	vmwrite(GUEST_TR_BASE, 0xfffffe0000003000ULL);
	vmwrite(GUEST_RIP, 0xffffffff81000000ULL);
}

static void clear_bits(u32 field, u64 bits)
{
	vmwrite(field, vmread(field) & ~bits);
}

static void set_bits(u32 field, u64 bits)
{
	vmwrite(field, vmread(field) | bits);
}

static unsigned int check_guest(void)
{
	memset(failures, 0, sizeof(failures));
	return vmx_check_guest_state(&caps, failures, MAX_FAILURES);
}

static unsigned int check_controls(void)
{
	memset(failures, 0, sizeof(failures));
	return vmx_check_controls_and_host_state(&caps, failures, MAX_FAILURES);
}

/* Exactly one check failed: the one in @sdm whose rule mentions @words, on @field. */
#define assert_single_failure(n, sdm_, field_, words)               \
	do {                                                        \
		assert_int_equal((n), 1);                           \
		assert_string_equal(failures[0].sdm, (sdm_));       \
		assert_int_equal(failures[0].field, (field_));      \
		assert_non_null(strstr(failures[0].rule, (words))); \
	} while (0)

static int setup(void **state)
{
	struct vmx_caps_error err;

	model_set_bochs_tigerlake_vmx_msrs();
	set_address_widths();
	memset(&caps, 0, sizeof(caps));
	if (vmx_read_caps(&caps) || vmx_compute_controls(&caps, &err))
		return -1;
	model_mem = aligned_alloc(4096, MODEL_MEM_SIZE);
	if (!model_mem)
		return -1;
	memset(model_mem, 0, MODEL_MEM_SIZE);
	model_phys_base = (uintptr_t)model_mem;
	model_vmcs_reset();
	write_controls_and_host_state();
	return 0;
}

/*
 * The reference engine's capabilities (posted interrupts, tertiary
 * controls, IPIv) and address widths: 40-bit physical, 57-bit linear.
 */
static int setup_sapphire_rapids(void **state)
{
	struct vmx_caps_error err;

	if (setup(state))
		return -1;
	model_set_bochs_sapphire_rapids_vmx_msrs();
	model_cpuid_set(0x80000008, 0, (struct cpuid_regs){ 0x3928, 0, 0, 0 });
	memset(&caps, 0, sizeof(caps));
	if (vmx_read_caps(&caps) || vmx_compute_controls(&caps, &err) || !caps.ipi_virtualization)
		return -1;
	write_controls_and_host_state();
	return 0;
}

static int teardown(void **state)
{
	model_phys_base = 0;
	free(model_mem);
	model_mem = NULL;
	return 0;
}

/* ---- Known-good states ---- */

static void valid_32bit_unrestricted_guest_passes_every_check(void **state)
{
	write_guest_32bit_protected();
	assert_true(caps.proc2_ctls & SECONDARY_UNRESTRICTED_GUEST);
	assert_int_equal(check_guest(), 0);
	assert_int_equal(check_controls(), 0);
}

static void valid_64bit_guest_passes_every_check(void **state)
{
	write_guest_64bit();
	assert_int_equal(check_guest(), 0);
	assert_int_equal(check_controls(), 0);
}

static void valid_real_mode_guest_passes_with_unrestricted_guest(void **state)
{
	unsigned int s;

	write_guest_32bit_protected();
	vmwrite(GUEST_CR0, X86_CR0_NE | X86_CR0_ET);
	for (s = SEG_ES; s <= SEG_GS; s++)
		write_seg(s, 0xf000, 0xf0000, 0xffff, s == SEG_CS ? 0x9bU : 0x93U);
	vmwrite(GUEST_RIP, 0xfff0);
	assert_int_equal(check_guest(), 0);
}

static void valid_virtual_8086_guest_passes(void **state)
{
	unsigned int s;

	write_guest_32bit_protected();
	for (s = SEG_ES; s <= SEG_GS; s++)
		write_seg(s, 0x1234, 0x12340, 0xffff, 0xf3);
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_VM);
	assert_int_equal(check_guest(), 0);
}

static void valid_msr_load_area_passes(void **state)
{
	u64 *area = (u64 *)(model_mem + PA_MSR_LOAD);

	write_guest_64bit();
	area[0] = MSR_KERNEL_GS_BASE;
	area[1] = 0xffff888000200000ULL;
	area[2] = MSR_TSC_AUX;
	area[3] = 1;
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 2);
	assert_int_equal(check_guest(), 0);
	assert_int_equal(check_controls(), 0);
}

static void failures_beyond_max_are_counted_not_stored(void **state)
{
	struct vmx_check_failure one[1];

	write_guest_32bit_protected();
	vmwrite(GUEST_RFLAGS, 0); /* bit 1 clear */
	vmwrite(GUEST_GDTR_LIMIT, 0x10000);
	assert_int_equal(vmx_check_guest_state(&caps, one, 1), 2);
	assert_int_equal(vmx_check_guest_state(&caps, NULL, 0), 2);
}

/* ---- 27.3.1.1: control registers and MSRs ---- */

static void cr0_pg_requires_pe(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_CR0, X86_CR0_PG | X86_CR0_NE | X86_CR0_ET);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_CR0, "CR0.PG=1 requires CR0.PE=1");
	assert_int_equal(failures[0].value, X86_CR0_PG | X86_CR0_NE | X86_CR0_ET);
}

static void cr0_ne_is_fixed_to_one(void **state)
{
	write_guest_32bit_protected();
	clear_bits(GUEST_CR0, X86_CR0_NE);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_CR0, "IA32_VMX_CR0_FIXED0");
}

static void cr0_pg_may_be_clear_only_with_unrestricted_guest(void **state)
{
	write_guest_64bit();
	clear_bits(GUEST_CR0, X86_CR0_PG);
	vmwrite(VM_ENTRY_CONTROLS, caps.entry_ctls);
	vmwrite(GUEST_IA32_EFER, 0);
	write_seg(SEG_CS, 0x08, 0, 0xffffffff, AR_CODE32);
	vmwrite(GUEST_RIP, 0x1000);
	assert_int_equal(check_guest(), 0);

	clear_bits(SECONDARY_VM_EXEC_CONTROL, SECONDARY_UNRESTRICTED_GUEST);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_CR0, "IA32_VMX_CR0_FIXED0");
}

static void cr4_vmxe_is_fixed_to_one(void **state)
{
	write_guest_32bit_protected();
	clear_bits(GUEST_CR4, X86_CR4_VMXE);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_CR4, "IA32_VMX_CR4_FIXED0");
}

static void ia32e_mode_guest_requires_cr0_pg(void **state)
{
	write_guest_64bit();
	clear_bits(GUEST_CR0, X86_CR0_PG);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_CR0,
			      "IA-32e mode guest requires CR0.PG=1");
}

static void ia32e_mode_guest_requires_cr4_pae(void **state)
{
	write_guest_64bit();
	clear_bits(GUEST_CR4, X86_CR4_PAE);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_CR4,
			      "IA-32e mode guest requires CR4.PAE=1");
}

static void efer_lma_must_match_ia32e_mode_guest_control(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_IA32_EFER, EFER_LMA);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_IA32_EFER,
			      "LMA must equal the IA-32e mode guest control");
}

static void efer_lma_must_equal_lme_with_paging(void **state)
{
	write_guest_64bit();
	clear_bits(GUEST_IA32_EFER, EFER_LME);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_IA32_EFER,
			      "LMA must equal IA32_EFER.LME when CR0.PG=1");
}

static void cr3_beyond_physical_address_width_is_refused(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_CR3, 1ULL << 39);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_CR3, "physical-address width");
}

static void pat_with_reserved_memory_type_is_refused_when_loaded(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_IA32_PAT, PAT_DEFAULT | (2ULL << 56));
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_IA32_PAT, "IA32_PAT");
}

static void debugctl_reserved_bits_checked_only_with_load_debug_controls(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_IA32_DEBUGCTL, BIT(3));
	clear_bits(VM_ENTRY_CONTROLS, ENTRY_LOAD_DEBUG_CONTROLS);
	assert_int_equal(check_guest(), 0);
	set_bits(VM_ENTRY_CONTROLS, ENTRY_LOAD_DEBUG_CONTROLS);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_IA32_DEBUGCTL, "reserved bits");
}

static void sysenter_eip_must_be_canonical(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_SYSENTER_EIP, 0x0000800000000000ULL);
	assert_single_failure(check_guest(), "27.3.1.1", GUEST_SYSENTER_EIP, "canonical");
}

/* ---- 27.3.1.2: segment registers ---- */

static void cs_type_0_is_refused(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_CS_AR_BYTES, AR_CODE32 & ~SEG_AR_TYPE_MASK);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_CS_AR_BYTES,
			      "type must be 9, 11, 13 or 15");
}

static void cs_type_3_is_refused_without_unrestricted_guest(void **state)
{
	write_guest_64bit();
	vmwrite(VM_ENTRY_CONTROLS, caps.entry_ctls);
	vmwrite(GUEST_IA32_EFER, 0);
	clear_bits(GUEST_CR4, X86_CR4_PAE);
	vmwrite(GUEST_RIP, 0x1000);
	write_seg(SEG_CS, 0x08, 0, 0xffffffff, 0xc093);
	assert_int_equal(check_guest(), 0);

	clear_bits(SECONDARY_VM_EXEC_CONTROL, SECONDARY_UNRESTRICTED_GUEST);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_CS_AR_BYTES,
			      "(3 with unrestricted guest)");
}

static void ss_rpl_must_equal_cs_rpl_without_unrestricted_guest(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_CS_SELECTOR, 0x0b);
	assert_int_equal(check_guest(), 0);

	clear_bits(SECONDARY_VM_EXEC_CONTROL, SECONDARY_UNRESTRICTED_GUEST);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_SS_SELECTOR,
			      "RPL must equal CS.RPL");
}

static void non_conforming_cs_dpl_must_equal_ss_dpl(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_CS_AR_BYTES, AR_CODE64 | (3U << SEG_AR_DPL_SHIFT));
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_CS_AR_BYTES, "must equal SS.DPL");
}

static void cs_with_l_and_db_is_refused_in_ia32e_mode(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_CS_AR_BYTES, AR_CODE64 | SEG_AR_DB);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_CS_AR_BYTES, "D/B must be 0");
}

static void g_bit_must_agree_with_limit(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_CS_LIMIT, 0xfff00); /* G=1 can only express limits ending in FFFH */
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_CS_AR_BYTES, "G must be 0");
}

static void usable_ss_must_be_read_write_data(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_SS_AR_BYTES, 0xc091); /* read-only */
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_SS_AR_BYTES, "must be 3 or 7");
}

static void unusable_data_segment_is_not_checked(void **state)
{
	write_guest_64bit();
	write_seg(SEG_FS, 0, 0, 0, AR_UNUSABLE | 0xff00);
	vmwrite(GUEST_DS_BASE, 0xdead00000000ULL);
	vmwrite(GUEST_DS_AR_BYTES, AR_UNUSABLE);
	assert_int_equal(check_guest(), 0);
}

static void usable_data_segment_must_be_accessed(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_DS_AR_BYTES, AR_DATA & ~SEG_AR_TYPE_ACCESSED);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_DS_AR_BYTES, "accessed");
}

static void tr_must_be_busy(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_TR_AR_BYTES, 0x0089); /* type 9: available 32-bit TSS */
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_TR_AR_BYTES, "type must be 3 or 11");
}

static void tr_must_be_a_64bit_tss_in_ia32e_mode(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_TR_AR_BYTES, 0x0083); /* type 3: busy 16-bit TSS */
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_TR_AR_BYTES, "must be 11");
}

static void tr_selector_must_not_point_into_the_ldt(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_TR_SELECTOR, 0x1c);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_TR_SELECTOR, "TI must be 0");
}

static void usable_ldtr_must_have_type_2(void **state)
{
	write_guest_32bit_protected();
	write_seg(SEG_LDTR, 0x20, 0x5000, 0xff, 0x82);
	assert_int_equal(check_guest(), 0);

	vmwrite(GUEST_LDTR_AR_BYTES, 0x83);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_LDTR_AR_BYTES, "must be 2 (LDT)");
}

static void fs_base_must_be_canonical(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_FS_BASE, 0x0000800000000000ULL);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_FS_BASE, "canonical");
}

static void cs_base_upper_half_must_be_zero(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_CS_BASE, 1ULL << 32);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_CS_BASE, "bits 63:32");
}

static void virtual_8086_segments_must_be_real_mode_like(void **state)
{
	unsigned int s;

	write_guest_32bit_protected();
	for (s = SEG_ES; s <= SEG_GS; s++)
		write_seg(s, 0x1234, 0x12340, 0xffff, 0xf3);
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_VM);
	vmwrite(GUEST_GS_LIMIT, 0xfffff);
	assert_single_failure(check_guest(), "27.3.1.2", GUEST_GS_LIMIT, "FFFFH");
}

/* ---- 27.3.1.3: descriptor-table registers ---- */

static void gdtr_limit_above_ffffh_is_refused(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_GDTR_LIMIT, 0x10000);
	assert_single_failure(check_guest(), "27.3.1.3", GUEST_GDTR_LIMIT, "bits 31:16 must be 0");
}

static void idtr_base_must_be_canonical(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_IDTR_BASE, 0x8000000000000000ULL);
	assert_single_failure(check_guest(), "27.3.1.3", GUEST_IDTR_BASE, "canonical");
}

/* ---- 27.3.1.4: RIP and RFLAGS ---- */

static void rip_must_be_canonical_in_64bit_mode(void **state)
{
	write_guest_64bit();
	vmwrite(GUEST_RIP, 0x0000800000000000ULL);
	assert_single_failure(check_guest(), "27.3.1.4", GUEST_RIP, "canonical");
}

static void rip_upper_half_must_be_zero_outside_64bit_mode(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_RIP, 0xffffffff81000000ULL);
	assert_single_failure(check_guest(), "27.3.1.4", GUEST_RIP, "bits 63:32 must be 0");
}

static void rflags_bit_1_must_be_set(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_RFLAGS, 0);
	assert_single_failure(check_guest(), "27.3.1.4", GUEST_RFLAGS, "bit 1 must be 1");
}

static void rflags_reserved_bit_3_must_be_clear(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | BIT(3));
	assert_single_failure(check_guest(), "27.3.1.4", GUEST_RFLAGS, "reserved bits");
}

static void rflags_vm_is_refused_with_cr0_pe_clear(void **state)
{
	unsigned int s;

	write_guest_32bit_protected();
	for (s = SEG_ES; s <= SEG_GS; s++)
		write_seg(s, 0x1234, 0x12340, 0xffff, 0xf3);
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_VM);
	clear_bits(GUEST_CR0, X86_CR0_PE);
	assert_single_failure(check_guest(), "27.3.1.4", GUEST_RFLAGS, "RFLAGS.VM must be 0");
}

static void injecting_an_external_interrupt_requires_if(void **state)
{
	write_guest_32bit_protected();
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_EXTERNAL | 0x20);
	assert_single_failure(check_guest(), "27.3.1.4", GUEST_RFLAGS, "RFLAGS.IF must be 1");
	assert_int_equal(check_controls(), 0);
}

/* ---- 27.3.1.5: non-register state ---- */

static void hlt_requires_ss_dpl_0(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT);
	assert_int_equal(check_guest(), 0);

	/* CPL 3 with consistent CS and SS. */
	vmwrite(GUEST_CS_AR_BYTES, AR_CODE32 | (3U << SEG_AR_DPL_SHIFT));
	vmwrite(GUEST_SS_AR_BYTES, AR_DATA | (3U << SEG_AR_DPL_SHIFT));
	assert_single_failure(check_guest(), "27.3.1.5", GUEST_ACTIVITY_STATE,
			      "HLT requires SS.DPL=0");
}

static void activity_state_must_be_supported(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_ACTIVITY_STATE, 4);
	assert_single_failure(check_guest(), "27.3.1.5", GUEST_ACTIVITY_STATE, "must be 0");

	model_msr_set(MSR_IA32_VMX_MISC, 0x00000000000400e7ULL); /* no wait-for-SIPI */
	assert_int_equal(vmx_read_caps(&caps), 0);
	vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_WAIT_SIPI);
	assert_single_failure(check_guest(), "27.3.1.5", GUEST_ACTIVITY_STATE, "IA32_VMX_MISC");
}

static void sti_blocking_requires_if(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI);
	assert_single_failure(check_guest(), "27.3.1.5", GUEST_INTERRUPTIBILITY_INFO,
			      "requires RFLAGS.IF=1");

	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_IF);
	assert_int_equal(check_guest(), 0);
}

static void sti_and_mov_ss_blocking_are_exclusive(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_IF);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	assert_single_failure(check_guest(), "27.3.1.5", GUEST_INTERRUPTIBILITY_INFO,
			      "cannot both be 1");
}

static void smi_blocking_is_refused_outside_smm(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_SMI);
	assert_single_failure(check_guest(), "27.3.1.5", GUEST_INTERRUPTIBILITY_INFO,
			      "outside SMM");
}

static void nmi_injection_with_virtual_nmis_requires_no_nmi_blocking(void **state)
{
	write_guest_32bit_protected();
	assert_true(vmread(PIN_BASED_VM_EXEC_CONTROL) & PIN_VIRTUAL_NMIS);
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_NMI | X86_EXC_NMI);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_NMI);
	assert_single_failure(check_guest(), "27.3.1.5", GUEST_INTERRUPTIBILITY_INFO,
			      "blocking by NMI");
}

static void single_step_under_sti_blocking_needs_pending_bs(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_IF | X86_RFLAGS_TF);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI);
	assert_single_failure(check_guest(), "27.3.1.5", GUEST_PENDING_DBG_EXCEPTIONS,
			      "BS must be 1");

	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, BIT(14));
	assert_int_equal(check_guest(), 0);
}

static void pending_debug_exceptions_reserved_bits_must_be_clear(void **state)
{
	write_guest_32bit_protected();
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, BIT(4));
	assert_single_failure(check_guest(), "27.3.1.5", GUEST_PENDING_DBG_EXCEPTIONS,
			      "reserved bits");
}

static void vmcs_link_pointer_must_be_all_ones(void **state)
{
	write_guest_32bit_protected();
	vmwrite(VMCS_LINK_POINTER, 0);
	assert_single_failure(check_guest(), "27.3.1.5", VMCS_LINK_POINTER, "FFFFFFFF_FFFFFFFFH");
}

/* ---- 27.3.1.6: PDPTEs ---- */

static void pdpte_reserved_bits_are_refused_with_pae_paging_under_ept(void **state)
{
	write_guest_32bit_protected();
	set_bits(GUEST_CR0, X86_CR0_PG);
	set_bits(GUEST_CR4, X86_CR4_PAE);
	vmwrite(GUEST_PDPTE0, 0x8001);
	vmwrite(GUEST_PDPTE1, 0x9000); /* not present: not checked */
	vmwrite(GUEST_PDPTE2, 0xa001 | BIT(1));
	vmwrite(GUEST_PDPTE3, 0xb006);
	assert_single_failure(check_guest(), "27.3.1.6", GUEST_PDPTE2, "bits 2:1, 8:5");
	assert_int_equal(failures[0].value, 0xa003);

	/* Without PAE paging the fields are not used. */
	clear_bits(GUEST_CR4, X86_CR4_PAE);
	assert_int_equal(check_guest(), 0);
}

/* ---- 27.4: the VM-entry MSR-load area ---- */

static void msr_load_area_must_be_16_byte_aligned(void **state)
{
	write_guest_64bit();
	vmwrite(VM_ENTRY_MSR_LOAD_ADDR, PA_MSR_LOAD + 8);
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 1);
	assert_single_failure(check_guest(), "27.2.1.3", VM_ENTRY_MSR_LOAD_ADDR, "16-byte aligned");
	assert_single_failure(check_controls(), "27.2.1.3", VM_ENTRY_MSR_LOAD_ADDR,
			      "16-byte aligned");
}

static void msr_load_area_cannot_load_fs_base(void **state)
{
	u64 *area = (u64 *)(model_mem + PA_MSR_LOAD);

	write_guest_64bit();
	area[0] = MSR_STAR;
	area[2] = MSR_FS_BASE;
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 2);
	assert_single_failure(check_guest(), "27.4", VM_ENTRY_MSR_LOAD_ADDR, "IA32_FS_BASE");
	assert_int_equal(failures[0].value, MSR_FS_BASE);
}

static void msr_load_area_cannot_load_x2apic_msrs(void **state)
{
	u64 *area = (u64 *)(model_mem + PA_MSR_LOAD);

	write_guest_64bit();
	area[0] = MSR_IA32_X2APIC_ICR;
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 1);
	assert_single_failure(check_guest(), "27.4", VM_ENTRY_MSR_LOAD_ADDR, "x2APIC");
}

static void msr_load_entry_reserved_bits_must_be_clear(void **state)
{
	u64 *area = (u64 *)(model_mem + PA_MSR_LOAD);

	write_guest_64bit();
	area[0] = MSR_STAR | (1ULL << 32);
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 1);
	assert_single_failure(check_guest(), "27.4", VM_ENTRY_MSR_LOAD_ADDR, "bits 63:32");
}

static void msr_load_count_above_recommended_maximum_is_reported(void **state)
{
	write_guest_64bit();
	vmwrite(VM_ENTRY_MSR_LOAD_ADDR, 0);
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 513);
	model_mem[0] = 0; /* entries are all MSR 0 with data 0: loadable */
	assert_single_failure(check_guest(), "A.6", VM_ENTRY_MSR_LOAD_COUNT, "512");
}

/* ---- 27.2.1: VMX controls ---- */

static void must_be_one_control_cleared_is_refused(void **state)
{
	write_guest_64bit();
	clear_bits(PIN_BASED_VM_EXEC_CONTROL, BIT(1));
	assert_single_failure(check_controls(), "27.2.1.1", PIN_BASED_VM_EXEC_CONTROL,
			      "allowed 0-settings");
}

static void control_not_allowed_to_be_one_is_refused(void **state)
{
	write_guest_64bit();
	set_bits(SECONDARY_VM_EXEC_CONTROL,
		 BIT(21)); /* reserved: Bochs's may-be-one has it clear */
	assert_single_failure(check_controls(), "27.2.1.1", SECONDARY_VM_EXEC_CONTROL,
			      "allowed 1-settings");
}

static void secondary_controls_are_ignored_unless_activated(void **state)
{
	write_guest_64bit();
	set_bits(SECONDARY_VM_EXEC_CONTROL, BIT(31));
	assert_int_equal(check_controls(), 1);
	clear_bits(CPU_BASED_VM_EXEC_CONTROL, CPU_ACTIVATE_SECONDARY_CONTROLS);
	assert_int_equal(check_controls(), 0);
}

static void eptp_memory_type_3_is_refused(void **state)
{
	write_guest_64bit();
	vmwrite(EPT_POINTER, PA_EPT_PML4 | (3ULL << 3) | 3);
	assert_single_failure(check_controls(), "27.2.1.1", EPT_POINTER, "memory type");
}

static void eptp_5_level_walk_is_refused_when_not_supported(void **state)
{
	write_guest_64bit();
	vmwrite(EPT_POINTER, PA_EPT_PML4 | (4ULL << 3) | 6);
	assert_single_failure(check_controls(), "27.2.1.1", EPT_POINTER, "page-walk length");
}

static void unrestricted_guest_requires_ept(void **state)
{
	write_guest_64bit();
	clear_bits(SECONDARY_VM_EXEC_CONTROL, SECONDARY_ENABLE_EPT);
	assert_single_failure(check_controls(), "27.2.1.1", SECONDARY_VM_EXEC_CONTROL,
			      "require enable EPT");
}

static void vpid_0_is_refused_when_enabled(void **state)
{
	write_guest_64bit();
	assert_true(vmread(SECONDARY_VM_EXEC_CONTROL) & SECONDARY_ENABLE_VPID);
	vmwrite(VIRTUAL_PROCESSOR_ID, 0);
	assert_single_failure(check_controls(), "27.2.1.1", VIRTUAL_PROCESSOR_ID, "VPID");
}

static void io_bitmap_must_be_page_aligned(void **state)
{
	write_guest_64bit();
	vmwrite(IO_BITMAP_B, PA_IO_BITMAP_B + 0x800);
	assert_single_failure(check_controls(), "27.2.1.1", IO_BITMAP_B, "4-KByte aligned");
}

static void msr_bitmap_must_be_within_physical_address_width(void **state)
{
	write_guest_64bit();
	vmwrite(MSR_BITMAP, 1ULL << 39);
	assert_single_failure(check_controls(), "27.2.1.1", MSR_BITMAP, "physical-address width");
}

static void virtual_nmis_require_nmi_exiting(void **state)
{
	write_guest_64bit();
	clear_bits(PIN_BASED_VM_EXEC_CONTROL, PIN_NMI_EXITING);
	assert_single_failure(check_controls(), "27.2.1.1", PIN_BASED_VM_EXEC_CONTROL,
			      "virtual NMIs require NMI exiting");
}

static void tpr_threshold_must_not_exceed_vtpr(void **state)
{
	write_guest_64bit();
	set_bits(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_TPR_SHADOW);
	vmwrite(VIRTUAL_APIC_PAGE_ADDR, PA_VAPIC);
	model_mem[PA_VAPIC + 0x80] = 0x40;
	vmwrite(TPR_THRESHOLD, 4);
	assert_int_equal(check_controls(), 0);
	vmwrite(TPR_THRESHOLD, 5);
	assert_single_failure(check_controls(), "27.2.1.1", TPR_THRESHOLD, "VTPR");
}

/*
 * hv's controls plus everything IPI virtualization works with: TPR shadow,
 * x2APIC virtualization, virtual-interrupt delivery, posted interrupts and a
 * PID-pointer table of one entry (SDM Vol. 3C 30.1.6).
 */
static void write_ipi_virtualization(void)
{
	write_guest_64bit();
	set_bits(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_TPR_SHADOW | CPU_ACTIVATE_TERTIARY_CONTROLS);
	vmwrite(VIRTUAL_APIC_PAGE_ADDR, PA_VAPIC);
	set_bits(SECONDARY_VM_EXEC_CONTROL, SECONDARY_VIRTUALIZE_X2APIC_MODE |
						    SECONDARY_APIC_REGISTER_VIRTUALIZATION |
						    SECONDARY_VIRTUAL_INTERRUPT_DELIVERY);
	set_bits(PIN_BASED_VM_EXEC_CONTROL, PIN_POSTED_INTERRUPTS);
	vmwrite(POSTED_INTR_NOTIFICATION_VECTOR, POSTED_INTR_VECTOR);
	vmwrite(POSTED_INTR_DESC_ADDR, PA_PI_DESC);
	vmwrite(TERTIARY_VM_EXEC_CONTROL, TERTIARY_IPI_VIRTUALIZATION);
	vmwrite(PID_POINTER_TABLE, PA_PID_TABLE);
	vmwrite(LAST_PID_POINTER_INDEX, 0);
}

static void valid_ipi_virtualization_passes(void **state)
{
	write_ipi_virtualization();
	assert_int_equal(check_controls(), 0);
	assert_int_equal(check_guest(), 0);
}

static void ipi_virtualization_requires_use_tpr_shadow(void **state)
{
	write_ipi_virtualization();
	clear_bits(SECONDARY_VM_EXEC_CONTROL, SECONDARY_VIRTUALIZE_X2APIC_MODE |
						      SECONDARY_APIC_REGISTER_VIRTUALIZATION |
						      SECONDARY_VIRTUAL_INTERRUPT_DELIVERY);
	clear_bits(PIN_BASED_VM_EXEC_CONTROL, PIN_POSTED_INTERRUPTS);
	clear_bits(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_TPR_SHADOW);
	assert_single_failure(check_controls(), "27.2.1.1", TERTIARY_VM_EXEC_CONTROL,
			      "IPI virtualization requires use TPR shadow");
}

static void pid_pointer_table_must_be_8_byte_aligned(void **state)
{
	write_ipi_virtualization();
	vmwrite(PID_POINTER_TABLE, PA_PID_TABLE + 8);
	assert_int_equal(check_controls(), 0);
	vmwrite(PID_POINTER_TABLE, PA_PID_TABLE + 4);
	assert_single_failure(check_controls(), "27.2.1.1", PID_POINTER_TABLE, "8-byte aligned");
}

static void pid_pointer_table_must_be_within_physical_address_width(void **state)
{
	write_ipi_virtualization();
	vmwrite(PID_POINTER_TABLE, 1ULL << 40);
	assert_single_failure(check_controls(), "27.2.1.1", PID_POINTER_TABLE,
			      "physical-address width");
}

/* The index bounds the table when an IPI is virtualized (30.1.6); VM entry does not check it. */
static void any_last_pid_pointer_index_passes(void **state)
{
	write_ipi_virtualization();
	vmwrite(LAST_PID_POINTER_INDEX, 0xffff);
	assert_int_equal(check_controls(), 0);
}

static void pid_pointer_table_is_not_checked_without_ipi_virtualization(void **state)
{
	write_ipi_virtualization();
	vmwrite(PID_POINTER_TABLE, PA_PID_TABLE + 4);
	vmwrite(TERTIARY_VM_EXEC_CONTROL, 0);
	assert_int_equal(check_controls(), 0);
	set_bits(TERTIARY_VM_EXEC_CONTROL, TERTIARY_IPI_VIRTUALIZATION);
	clear_bits(CPU_BASED_VM_EXEC_CONTROL, CPU_ACTIVATE_TERTIARY_CONTROLS);
	assert_int_equal(check_controls(), 0);
}

static void injected_nmi_must_have_vector_2(void **state)
{
	write_guest_64bit();
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_NMI | 3);
	assert_single_failure(check_controls(), "27.2.1.3", VM_ENTRY_INTR_INFO, "vector must be 2");
}

/* IA32_VMX_BASIC[56] relaxes the error-code rule; Bochs sets it, older CPUs don't. */
#define BASIC_RELAXED_INJECTION BIT(56)

static void injected_gp_must_deliver_an_error_code_in_protected_mode(void **state)
{
	caps.basic &= ~BASIC_RELAXED_INJECTION;
	write_guest_64bit();
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | X86_EXC_GP);
	assert_single_failure(check_controls(), "27.2.1.3", VM_ENTRY_INTR_INFO,
			      "deliver-error-code");

	set_bits(VM_ENTRY_INTR_INFO, INTR_INFO_DELIVER_ERROR_CODE);
	assert_int_equal(check_controls(), 0);

	/* A real-mode guest (unrestricted guest, CR0.PE=0) gets none. */
	clear_bits(GUEST_CR0, X86_CR0_PE | X86_CR0_PG);
	assert_single_failure(check_controls(), "27.2.1.3", VM_ENTRY_INTR_INFO,
			      "deliver-error-code");
}

/* IA32_VMX_MISC[30] allows length 0; Bochs sets it. */
#define MISC_ZERO_LENGTH_INJECTION BIT(30)

static void injected_software_interrupt_needs_an_instruction_length(void **state)
{
	caps.misc &= ~MISC_ZERO_LENGTH_INJECTION;
	write_guest_64bit();
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_SW_INTERRUPT | 0x80);
	vmwrite(VM_ENTRY_INSTRUCTION_LEN, 0);
	assert_single_failure(check_controls(), "27.2.1.3", VM_ENTRY_INSTRUCTION_LEN, "1-15");
	vmwrite(VM_ENTRY_INSTRUCTION_LEN, 2);
	assert_int_equal(check_controls(), 0);
}

static void save_preemption_timer_requires_the_timer(void **state)
{
	write_guest_64bit();
	set_bits(VM_EXIT_CONTROLS, EXIT_SAVE_PREEMPTION_TIMER);
	assert_single_failure(check_controls(), "27.2.1.2", VM_EXIT_CONTROLS,
			      "activate VMX-preemption timer");
}

/* ---- 27.2.2-27.2.4: host state ---- */

static void host_cs_selector_0_is_refused(void **state)
{
	write_guest_64bit();
	vmwrite(HOST_CS_SELECTOR, 0);
	assert_single_failure(check_controls(), "27.2.3", HOST_CS_SELECTOR, "must not be 0000H");
}

static void host_selectors_must_have_rpl_and_ti_0(void **state)
{
	write_guest_64bit();
	vmwrite(HOST_DS_SELECTOR, 0x13);
	assert_single_failure(check_controls(), "27.2.3", HOST_DS_SELECTOR, "RPL");
}

static void host_ss_selector_0_is_allowed_for_a_64bit_host(void **state)
{
	write_guest_64bit();
	vmwrite(HOST_SS_SELECTOR, 0);
	assert_int_equal(check_controls(), 0);
}

static void host_cr0_pg_is_fixed_to_one(void **state)
{
	write_guest_64bit();
	clear_bits(HOST_CR0, X86_CR0_PG);
	assert_single_failure(check_controls(), "27.2.2", HOST_CR0, "IA32_VMX_CR0_FIXED0");
}

static void host_efer_must_match_host_address_space_size(void **state)
{
	write_guest_64bit();
	vmwrite(HOST_IA32_EFER, EFER_LME);
	assert_single_failure(check_controls(), "27.2.2", HOST_IA32_EFER, "LMA and LME");
}

static void host_rip_must_be_canonical(void **state)
{
	write_guest_64bit();
	vmwrite(HOST_RIP, 0x0000800000000000ULL);
	assert_single_failure(check_controls(), "27.2.4", HOST_RIP, "canonical");
}

static void host_cr4_pae_is_required_for_a_64bit_host(void **state)
{
	write_guest_64bit();
	clear_bits(HOST_CR4, X86_CR4_PAE);
	assert_single_failure(check_controls(), "27.2.4", HOST_CR4, "PAE");
}

/* ---- Names ---- */

static void every_vmcs_field_has_its_name(void **state)
{
	assert_string_equal(vmcs_field_name(GUEST_CR0), "GUEST_CR0");
	assert_string_equal(vmcs_field_name(VIRTUAL_PROCESSOR_ID), "VIRTUAL_PROCESSOR_ID");
	assert_string_equal(vmcs_field_name(GUEST_LDTR_AR_BYTES), "GUEST_LDTR_AR_BYTES");
	assert_string_equal(vmcs_field_name(PID_POINTER_TABLE), "PID_POINTER_TABLE");
	assert_string_equal(vmcs_field_name(HOST_RIP), "HOST_RIP");
	assert_null(vmcs_field_name(0x6c7e));
}

static void vm_instruction_errors_have_their_sdm_text(void **state)
{
	assert_string_equal(vm_instruction_error_name(1), "VMCALL executed in VMX root operation");
	assert_string_equal(vm_instruction_error_name(7), "VM entry with invalid control field(s)");
	assert_string_equal(vm_instruction_error_name(8),
			    "VM entry with invalid host-state field(s)");
	assert_string_equal(vm_instruction_error_name(26),
			    "VM entry with events blocked by MOV SS");
	assert_string_equal(vm_instruction_error_name(28), "Invalid operand to INVEPT/INVVPID");
	assert_null(vm_instruction_error_name(0));
	assert_null(vm_instruction_error_name(14));
	assert_null(vm_instruction_error_name(29));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define T_SPR(name) cmocka_unit_test_setup_teardown(name, setup_sapphire_rapids, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(valid_32bit_unrestricted_guest_passes_every_check),
		T(valid_64bit_guest_passes_every_check),
		T(valid_real_mode_guest_passes_with_unrestricted_guest),
		T(valid_virtual_8086_guest_passes),
		T(valid_msr_load_area_passes),
		T(failures_beyond_max_are_counted_not_stored),
		T(cr0_pg_requires_pe),
		T(cr0_ne_is_fixed_to_one),
		T(cr0_pg_may_be_clear_only_with_unrestricted_guest),
		T(cr4_vmxe_is_fixed_to_one),
		T(ia32e_mode_guest_requires_cr0_pg),
		T(ia32e_mode_guest_requires_cr4_pae),
		T(efer_lma_must_match_ia32e_mode_guest_control),
		T(efer_lma_must_equal_lme_with_paging),
		T(cr3_beyond_physical_address_width_is_refused),
		T(pat_with_reserved_memory_type_is_refused_when_loaded),
		T(debugctl_reserved_bits_checked_only_with_load_debug_controls),
		T(sysenter_eip_must_be_canonical),
		T(cs_type_0_is_refused),
		T(cs_type_3_is_refused_without_unrestricted_guest),
		T(ss_rpl_must_equal_cs_rpl_without_unrestricted_guest),
		T(non_conforming_cs_dpl_must_equal_ss_dpl),
		T(cs_with_l_and_db_is_refused_in_ia32e_mode),
		T(g_bit_must_agree_with_limit),
		T(usable_ss_must_be_read_write_data),
		T(unusable_data_segment_is_not_checked),
		T(usable_data_segment_must_be_accessed),
		T(tr_must_be_busy),
		T(tr_must_be_a_64bit_tss_in_ia32e_mode),
		T(tr_selector_must_not_point_into_the_ldt),
		T(usable_ldtr_must_have_type_2),
		T(fs_base_must_be_canonical),
		T(cs_base_upper_half_must_be_zero),
		T(virtual_8086_segments_must_be_real_mode_like),
		T(gdtr_limit_above_ffffh_is_refused),
		T(idtr_base_must_be_canonical),
		T(rip_must_be_canonical_in_64bit_mode),
		T(rip_upper_half_must_be_zero_outside_64bit_mode),
		T(rflags_bit_1_must_be_set),
		T(rflags_reserved_bit_3_must_be_clear),
		T(rflags_vm_is_refused_with_cr0_pe_clear),
		T(injecting_an_external_interrupt_requires_if),
		T(hlt_requires_ss_dpl_0),
		T(activity_state_must_be_supported),
		T(sti_blocking_requires_if),
		T(sti_and_mov_ss_blocking_are_exclusive),
		T(smi_blocking_is_refused_outside_smm),
		T(nmi_injection_with_virtual_nmis_requires_no_nmi_blocking),
		T(single_step_under_sti_blocking_needs_pending_bs),
		T(pending_debug_exceptions_reserved_bits_must_be_clear),
		T(vmcs_link_pointer_must_be_all_ones),
		T(pdpte_reserved_bits_are_refused_with_pae_paging_under_ept),
		T(msr_load_area_must_be_16_byte_aligned),
		T(msr_load_area_cannot_load_fs_base),
		T(msr_load_area_cannot_load_x2apic_msrs),
		T(msr_load_entry_reserved_bits_must_be_clear),
		T(msr_load_count_above_recommended_maximum_is_reported),
		T(must_be_one_control_cleared_is_refused),
		T(control_not_allowed_to_be_one_is_refused),
		T(secondary_controls_are_ignored_unless_activated),
		T(eptp_memory_type_3_is_refused),
		T(eptp_5_level_walk_is_refused_when_not_supported),
		T(unrestricted_guest_requires_ept),
		T(vpid_0_is_refused_when_enabled),
		T(io_bitmap_must_be_page_aligned),
		T(msr_bitmap_must_be_within_physical_address_width),
		T(virtual_nmis_require_nmi_exiting),
		T(tpr_threshold_must_not_exceed_vtpr),
		T_SPR(valid_ipi_virtualization_passes),
		T_SPR(ipi_virtualization_requires_use_tpr_shadow),
		T_SPR(pid_pointer_table_must_be_8_byte_aligned),
		T_SPR(pid_pointer_table_must_be_within_physical_address_width),
		T_SPR(any_last_pid_pointer_index_passes),
		T_SPR(pid_pointer_table_is_not_checked_without_ipi_virtualization),
		T(injected_nmi_must_have_vector_2),
		T(injected_gp_must_deliver_an_error_code_in_protected_mode),
		T(injected_software_interrupt_needs_an_instruction_length),
		T(save_preemption_timer_requires_the_timer),
		T(host_cs_selector_0_is_refused),
		T(host_selectors_must_have_rpl_and_ti_0),
		T(host_ss_selector_0_is_allowed_for_a_64bit_host),
		T(host_cr0_pg_is_fixed_to_one),
		T(host_efer_must_match_host_address_space_size),
		T(host_rip_must_be_canonical),
		T(host_cr4_pae_is_required_for_a_64bit_host),
		T(every_vmcs_field_has_its_name),
		T(vm_instruction_errors_have_their_sdm_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
