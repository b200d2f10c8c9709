// SPDX-License-Identifier: GPL-2.0
/*
 * MSR exits. The bitmap lets the guest reach the MSRs whose state is its own
 * (in the VMCS, or switched with the vCPU); every other MSR exits and is
 * looked up in one table in which each feature claims its MSRs. An MSR no
 * entry claims raises #GP in the guest, as on a CPU without it.
 */
#include <hv/core/feature.h>
#include <hv/core/frame.h>
#include <hv/core/lazy_state.h>
#include <hv/lib/string.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define MISC_ENABLE_FAST_STRINGS BIT(0)
#define EFER_GUEST_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)
#define MTRR_VALID_TYPES (BIT(0) | BIT(1) | BIT(4) | BIT(5) | BIT(6))

void vmx_msr_bitmap_init(u8 *bitmap, bool syscall_msrs_own)
{
	/* State in the VMCS guest area: the guest's own. */
	static const u32 passthrough[] = {
		MSR_FS_BASE,	       MSR_GS_BASE,	      MSR_IA32_SYSENTER_CS,
		MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP, MSR_IA32_PAT,
	};
	unsigned int i;

	memset(bitmap, 0xff, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(passthrough); i++)
		vmx_msr_bitmap_allow(bitmap, passthrough[i], true, true);
	/* Switched with the vCPU (hv/core/lazy_state.c); otherwise emulated below. */
	for (i = 0; syscall_msrs_own && i < NR_LAZY_MSRS; i++)
		vmx_msr_bitmap_allow(bitmap, lazy_msr_numbers[i], true, true);
	/* Reads see the guest's value (loaded on entry); writes are checked. */
	vmx_msr_bitmap_allow(bitmap, MSR_EFER, true, false);
	vmx_msr_bitmap_allow(bitmap, MSR_IA32_TSC, true, false);
}

static int efer_write(struct vcpu *v, u32 msr, u64 val)
{
	u64 old = vmread(GUEST_IA32_EFER), cr0 = vmread(CR0_READ_SHADOW);

	/* LMA is read-only: the CPU keeps it, writes of either value are allowed. */
	val &= ~EFER_LMA;
	if (val & ~EFER_GUEST_WRITABLE)
		return -1;
	if (((val ^ old) & EFER_LME) && (cr0 & X86_CR0_PG))
		return -1;
	vmx_update_long_mode(cr0, val);
	return 0;
}

static int tsc_write(struct vcpu *v, u32 msr, u64 val)
{
	/* The TSC is the host's; hv does not offset it yet: refuse instead of pretending. */
	return -1;
}

static bool host_has_tsc_adjust(void)
{
	return cpuid(7, 0).ebx & CPUID_7_EBX_TSC_ADJUST;
}

/*
 * IA32_TSC_ADJUST (SDM Vol. 3B 18.17.3) of a TSC nobody adjusted: 0. A
 * write that would move the TSC is refused, as a write of the TSC is.
 */
static int tsc_adjust_read(struct vcpu *v, u32 msr, u64 *val)
{
	if (!host_has_tsc_adjust())
		return -1;
	*val = 0;
	return 0;
}

static int tsc_adjust_write(struct vcpu *v, u32 msr, u64 val)
{
	return host_has_tsc_adjust() && !val ? 0 : -1;
}

static int read_zero(struct vcpu *v, u32 msr, u64 *val)
{
	*val = 0;
	return 0;
}

static int write_ignore(struct vcpu *v, u32 msr, u64 val)
{
	return 0;
}

static int write_zero_only(struct vcpu *v, u32 msr, u64 val)
{
	return val ? -1 : 0;
}

static int feature_control_read(struct vcpu *v, u32 msr, u64 *val)
{
	/* Locked, VMX off: the architectural way to say "no VMX here". */
	*val = FEATURE_CONTROL_LOCKED;
	return 0;
}

static int misc_enable_read(struct vcpu *v, u32 msr, u64 *val)
{
	*val = MISC_ENABLE_FAST_STRINGS;
	return 0;
}

static int mtrr_def_type_read(struct vcpu *v, u32 msr, u64 *val)
{
	*val = v->mtrr_def_type;
	return 0;
}

/* Memory types an MTRR may hold: UC, WC, WT, WP, WB; 2, 3 and 7..255 are reserved. */
static bool mtrr_type_valid(u64 type)
{
	return type < 64 && (BIT(type) & MTRR_VALID_TYPES);
}

/* No variable or fixed ranges (MTRRCAP reads 0): only E and the default type. */
static int mtrr_def_type_write(struct vcpu *v, u32 msr, u64 val)
{
	/* SDM Vol. 3A 12.11.2.1: reserved bits and undefined memory types raise #GP. */
	if ((val & ~(MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_TYPE_MASK)) ||
	    !mtrr_type_valid(val & MTRR_DEF_TYPE_TYPE_MASK))
		return -1;
	v->mtrr_def_type = val;
	return 0;
}

/*
 * IA32_XSS: hv gives guests no supervisor state component (CPUID leaf 0xD
 * subleaf 1 ECX:EDX is 0), so it holds only 0, the hardware's value too.
 */
static int xss_read(struct vcpu *v, u32 msr, u64 *val)
{
	*val = 0;
	return vmx_caps.xsaves ? 0 : -1;
}

static int xss_write(struct vcpu *v, u32 msr, u64 val)
{
	return vmx_caps.xsaves && !val ? 0 : -1;
}

static int syscall_msr_index(u32 msr)
{
	unsigned int i;

	for (i = 0; i < NR_LAZY_MSRS; i++)
		if (lazy_msr_numbers[i] == msr)
			return (int)i;
	return -1;
}

/* A partition whose syscall MSRs are not passed through keeps them in the vCPU. */
static int syscall_msr_read(struct vcpu *v, u32 msr, u64 *val)
{
	*val = v->lazy_msrs[syscall_msr_index(msr)];
	return 0;
}

/* The #GP conditions of WRMSR for these MSRs (SDM Vol. 4, Table 2-2). */
static int syscall_msr_write(struct vcpu *v, u32 msr, u64 val)
{
	bool canonical = (u64)((s64)(val << 16) >> 16) == val;

	if ((msr == MSR_LSTAR || msr == MSR_CSTAR || msr == MSR_KERNEL_GS_BASE) && !canonical)
		return -1;
	if ((msr == MSR_SFMASK || msr == MSR_TSC_AUX) && (val >> 32))
		return -1;
	v->lazy_msrs[syscall_msr_index(msr)] = val;
	return 0;
}

static const struct msr_handler msr_handlers[] = {
	{ MSR_STAR, MSR_SFMASK, syscall_msr_read, syscall_msr_write },
	{ MSR_KERNEL_GS_BASE, MSR_TSC_AUX, syscall_msr_read, syscall_msr_write },
	{ MSR_IA32_TSC, MSR_IA32_TSC, NULL, tsc_write },
	{ MSR_IA32_PLATFORM_ID, MSR_IA32_PLATFORM_ID, read_zero, NULL },
	{ MSR_IA32_FEATURE_CONTROL, MSR_IA32_FEATURE_CONTROL, feature_control_read, NULL },
	{ MSR_IA32_TSC_ADJUST, MSR_IA32_TSC_ADJUST, tsc_adjust_read, tsc_adjust_write },
	{ MSR_IA32_BIOS_SIGN_ID, MSR_IA32_BIOS_SIGN_ID, read_zero, write_ignore },
	{ MSR_IA32_MTRRCAP, MSR_IA32_MTRRCAP, read_zero, NULL },
	{ MSR_IA32_MCG_CAP, MSR_IA32_MCG_STATUS, read_zero, write_zero_only },
	{ MSR_IA32_MISC_ENABLE, MSR_IA32_MISC_ENABLE, misc_enable_read, write_ignore },
	{ MSR_IA32_MTRR_DEF_TYPE, MSR_IA32_MTRR_DEF_TYPE, mtrr_def_type_read, mtrr_def_type_write },
	{ MSR_IA32_XSS, MSR_IA32_XSS, xss_read, xss_write },
	{ MSR_EFER, MSR_EFER, NULL, efer_write },
};

static const struct msr_handler *lookup(const struct msr_handler *table, u32 n, u32 msr)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (msr >= table[i].first && msr <= table[i].last)
			return &table[i];
	return NULL;
}

/* hv's own MSRs first, then the features' (hv/core/feature.h). */
static const struct msr_handler *find_handler(u32 msr)
{
	const struct msr_handler *h = lookup(msr_handlers, ARRAY_SIZE(msr_handlers), msr);
	const struct feature *f;

	for_each_feature(f) {
		if (h)
			break;
		h = lookup(f->msrs, f->nr_msrs, msr);
	}
	return h;
}

enum exit_action vmx_handle_msr_read(struct vcpu *v)
{
	u32 msr = (u32)v->gpr[GPR_RCX];
	const struct msr_handler *h = find_handler(msr);
	u64 val;

	if (!h || !h->read || h->read(v, msr, &val)) {
		vmx_inject_gp();
		return EXIT_RESUME;
	}
	v->gpr[GPR_RAX] = (u32)val;
	v->gpr[GPR_RDX] = val >> 32;
	vmx_skip_instruction();
	return EXIT_RESUME;
}

enum exit_action vmx_handle_msr_write(struct vcpu *v)
{
	u32 msr = (u32)v->gpr[GPR_RCX];
	u64 val = (v->gpr[GPR_RDX] << 32) | (u32)v->gpr[GPR_RAX];
	const struct msr_handler *h = find_handler(msr);

	if (!h || !h->write || h->write(v, msr, val)) {
		vmx_inject_gp();
		return EXIT_RESUME;
	}
	vmx_skip_instruction();
	return EXIT_RESUME;
}
