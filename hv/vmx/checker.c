// SPDX-License-Identifier: GPL-2.0
/*
 * The VM-entry checks of SDM Vol. 3C chapter 27, in software, run after an
 * entry failed so hv can say which check broke and on which field:
 *
 *   vmx_check_controls_and_host_state()  27.2  (VMfailValid, errors 7 and 8)
 *   vmx_check_guest_state()              27.3.1 and 27.4  (exit reasons 33, 34)
 *
 * One function per SDM subsection, each check written the way the SDM words
 * it, so a reader can hold the code against the manual. Every failed check
 * is recorded; a clean VMCS yields none.
 *
 * What the checks need besides the VMCS comes from the capability MSRs
 * (struct vmx_caps) and CPUID: the physical-address width (leaf 80000008H,
 * 36 bits without it) and the linear-address width (same leaf, 48 without
 * it). "Canonical" is relative to the latter, as for the processor.
 */
#include <hv/vmx/checker.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define SDM_GUEST_CR "27.3.1.1"
#define SDM_GUEST_SEG "27.3.1.2"
#define SDM_GUEST_DTR "27.3.1.3"
#define SDM_GUEST_RIP "27.3.1.4"
#define SDM_GUEST_NONREG "27.3.1.5"
#define SDM_GUEST_PDPTE "27.3.1.6"
#define SDM_MSR_LOAD "27.4"
#define SDM_MSR_LIST_MAX "A.6"
#define SDM_EXEC_CTLS "27.2.1.1"
#define SDM_EXIT_CTLS "27.2.1.2"
#define SDM_ENTRY_CTLS "27.2.1.3"
#define SDM_HOST_CR "27.2.2"
#define SDM_HOST_SEG "27.2.3"
#define SDM_HOST_ASZ "27.2.4"

/* Bits and MSRs only the checks use. */
#define VMX_BASIC_ANY_ERROR_CODE BIT(56) /* any hardware exception may carry an error code */
#define VMX_MISC_ACTIVITY_SHIFT 5 /* activity state n is supported if MISC bit 5+n is 1 */
#define VMX_MISC_ZERO_INSN_LEN BIT(30) /* software events may have instruction length 0 */
#define SECONDARY_SUB_PAGE_WRITE BIT(23)
#define VMFUNC_EPTP_SWITCHING BIT(0)
#define EPTP_MEMTYPE_MASK GENMASK(2, 0)
#define EPTP_MEMTYPE_UC 0ULL
#define EPTP_MEMTYPE_WB 6ULL
#define EPTP_WALK_LENGTH_SHIFT 3
#define EPTP_WALK_LENGTH_MASK GENMASK(5, 3)
#define EPTP_AD_ENABLE BIT(6)
#define EPTP_RESERVED_LOW GENMASK(11, 8)
#define VAPIC_VTPR_OFFSET 0x80
#define DEBUGCTL_BTF BIT(1)
/* IA32_DEBUGCTL bits defined by the architecture (LBR, BTF, BLD, 15:6); the rest are reserved. */
#define DEBUGCTL_DEFINED (BIT(0) | BIT(1) | BIT(2) | GENMASK(15, 6))
#define EFER_DEFINED (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define BNDCFGS_RESERVED GENMASK(11, 2)
#define LBR_CTL_RESERVED (GENMASK(15, 4) | GENMASK(63, 23))
#define S_CET_RESERVED GENMASK(9, 6)
#define PERF_GLOBAL_CTRL_METRICS BIT(48)
#define PERF_CAP_PERF_METRICS BIT(15)
#define CR3_LAM_BITS GENMASK(62, 61)
#define PENDING_DBG_BS BIT(14)
#define PENDING_DBG_RTM BIT(16)
#define PENDING_DBG_ENABLED_BP BIT(12)
#define PENDING_DBG_RESERVED (GENMASK(11, 4) | BIT(13) | BIT(15) | GENMASK(63, 17))
#define INTR_INFO_RESERVED GENMASK(30, 12)
#define MSR_ENTRY_RESERVED GENMASK(63, 32)
#define MSR_BIOS_UPDT_TRIG 0x00000079U
#define MSR_SMM_MONITOR_CTL 0x0000009bU
#define MSR_SMBASE 0x0000009eU

struct check_ctx {
	const struct vmx_caps *caps;
	struct vmx_check_failure *out;
	unsigned int max;
	unsigned int count;
	/* The controls in force: secondary/tertiary read as 0 when not activated. */
	u32 pin, proc, proc2, exit, entry;
	u64 proc3;
	unsigned int pa_bits; /* the processor's physical-address width */
	unsigned int la_bits; /* its linear-address width */
	/* The width of addresses in control fields: 32 bits if IA32_VMX_BASIC[48] says so. */
	unsigned int ctl_addr_bits;
};

static void fail(struct check_ctx *c, const char *sdm, u32 field, u64 value, const char *rule)
{
	if (c->count < c->max) {
		struct vmx_check_failure *f = &c->out[c->count];

		f->rule = rule;
		f->sdm = sdm;
		f->field = field;
		f->value = value;
	}
	c->count++;
}

static void init_ctx(struct check_ctx *c, const struct vmx_caps *caps,
		     struct vmx_check_failure *out, unsigned int max)
{
	struct cpuid_regs r = cpuid(0x80000000, 0);

	c->caps = caps;
	c->out = out;
	c->max = out ? max : 0;
	c->count = 0;
	c->pa_bits = 36;
	c->la_bits = 48;
	if (r.eax >= 0x80000008 && r.eax <= 0x8000ffff) {
		r = cpuid(0x80000008, 0);
		if ((r.eax & 0xff) >= 32 && (r.eax & 0xff) <= 52)
			c->pa_bits = r.eax & 0xff;
		if (((r.eax >> 8) & 0xff) == 57)
			c->la_bits = 57;
	}
	c->ctl_addr_bits = (caps->basic & VMX_BASIC_32BIT_ADDRESSES) ? 32 : c->pa_bits;

	c->pin = (u32)vmread(PIN_BASED_VM_EXEC_CONTROL);
	c->proc = (u32)vmread(CPU_BASED_VM_EXEC_CONTROL);
	c->proc2 = (c->proc & CPU_ACTIVATE_SECONDARY_CONTROLS) ?
			   (u32)vmread(SECONDARY_VM_EXEC_CONTROL) :
			   0;
	c->proc3 =
		(c->proc & CPU_ACTIVATE_TERTIARY_CONTROLS) ? vmread(TERTIARY_VM_EXEC_CONTROL) : 0;
	c->exit = (u32)vmread(VM_EXIT_CONTROLS);
	c->entry = (u32)vmread(VM_ENTRY_CONTROLS);
}

static bool canonical(const struct check_ctx *c, u64 addr)
{
	unsigned int shift = 64 - c->la_bits;

	return (u64)((s64)(addr << shift) >> shift) == addr;
}

static bool beyond_width(u64 addr, unsigned int bits)
{
	return bits < 64 && (addr >> bits) != 0;
}

/* A physical address in a control field: aligned to @align and within the address width. */
static bool ctl_addr_ok(const struct check_ctx *c, u64 addr, u64 align)
{
	return IS_ALIGNED(addr, align) && !beyond_width(addr, c->ctl_addr_bits);
}

static bool pat_valid(u64 pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		u8 type = (u8)(pat >> (8 * i));

		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

/*
 * IA32_PERF_GLOBAL_CTRL bits that exist on this processor (SDM Vol. 3B
 * Figure 20-3): one enable per general-purpose and fixed-function counter as
 * CPUID leaf 0AH enumerates them, and PERF_METRICS_EN when
 * IA32_PERF_CAPABILITIES says so.
 */
static u64 perf_global_ctrl_defined(void)
{
	struct cpuid_regs r;
	unsigned int version, gp, fixed;
	u64 bits, cap;

	if (cpuid(0, 0).eax < 0xa)
		return 0;
	r = cpuid(0xa, 0);
	version = r.eax & 0xff;
	if (!version)
		return 0;
	gp = MIN((r.eax >> 8) & 0xff, 32U);
	bits = gp ? GENMASK(gp - 1, 0) : 0;
	fixed = version > 1 ? MIN(r.edx & 0x1f, 16U) : 0;
	if (fixed)
		bits |= GENMASK(fixed - 1, 0) << 32;
	if (version >= 5)
		bits |= (u64)(r.ecx & 0xffff) << 32;
	if (!rdmsr_safe(MSR_IA32_PERF_CAPABILITIES, &cap) && (cap & PERF_CAP_PERF_METRICS))
		bits |= PERF_GLOBAL_CTRL_METRICS;
	return bits;
}

static bool intr_info_valid(u32 info)
{
	return info & INTR_INFO_VALID;
}

static u32 intr_info_type(u32 info)
{
	return info & INTR_INFO_TYPE_MASK;
}

static u32 intr_info_vector(u32 info)
{
	return info & INTR_INFO_VECTOR_MASK;
}

static u32 seg_ar_type(u32 ar)
{
	return ar & SEG_AR_TYPE_MASK;
}

static u32 seg_ar_dpl(u32 ar)
{
	return (ar & SEG_AR_DPL_MASK) >> SEG_AR_DPL_SHIFT;
}

/*
 * The G bit against the limit: byte granularity cannot express a limit with
 * bits 31:20 set, 4-KByte granularity one whose bits 11:0 are not all 1.
 */
static bool seg_granularity_ok(u32 ar, u32 limit)
{
	if ((limit & 0xfff) != 0xfff && (ar & SEG_AR_G))
		return false;
	if ((limit & 0xfff00000) && !(ar & SEG_AR_G))
		return false;
	return true;
}

/* ---- 27.3.1: the guest-state area ---- */

/* Guest state every subsection consults, read once. */
struct guest {
	u64 cr0, cr4, efer, rflags, debugctl;
	bool ia32e; /* the "IA-32e mode guest" VM-entry control */
	bool unrestricted;
	bool v86; /* RFLAGS.VM: the guest will be virtual-8086 */
	u32 intr_info; /* VM-entry interruption information */
	u32 cs_ar, ss_ar;
};

static void read_guest(const struct check_ctx *c, struct guest *g)
{
	g->cr0 = vmread(GUEST_CR0);
	g->cr4 = vmread(GUEST_CR4);
	g->efer = vmread(GUEST_IA32_EFER);
	g->rflags = vmread(GUEST_RFLAGS);
	g->debugctl = vmread(GUEST_IA32_DEBUGCTL);
	g->ia32e = c->entry & ENTRY_IA32E_MODE_GUEST;
	g->unrestricted = c->proc2 & SECONDARY_UNRESTRICTED_GUEST;
	g->v86 = g->rflags & X86_RFLAGS_VM;
	g->intr_info = (u32)vmread(VM_ENTRY_INTR_INFO);
	g->cs_ar = (u32)vmread(GUEST_CS_AR_BYTES);
	g->ss_ar = (u32)vmread(GUEST_SS_AR_BYTES);
}

/* 27.3.1.1: control registers, debug registers and MSRs */
static void check_guest_control_registers(struct check_ctx *c, const struct guest *g)
{
	const struct vmx_caps *caps = c->caps;
	/* CR0.NW and CR0.CD are never checked: VM entry does not change them. */
	u64 cr0_fixed0 = caps->cr0_fixed0 & ~(X86_CR0_NW | X86_CR0_CD);
	u64 cr0_fixed1 = caps->cr0_fixed1 | X86_CR0_NW | X86_CR0_CD;
	u64 cr3 = vmread(GUEST_CR3);
	u64 cr3_reserved = GENMASK(63, c->pa_bits);
	u64 v;

	if (g->unrestricted)
		cr0_fixed0 &= ~(X86_CR0_PE | X86_CR0_PG);
	if ((g->cr0 & cr0_fixed0) != cr0_fixed0)
		fail(c, SDM_GUEST_CR, GUEST_CR0, g->cr0,
		     "CR0: bits IA32_VMX_CR0_FIXED0 fixes to 1 must be 1 (PE and PG exempt with unrestricted guest)");
	if (g->cr0 & ~cr0_fixed1)
		fail(c, SDM_GUEST_CR, GUEST_CR0, g->cr0,
		     "CR0: bits IA32_VMX_CR0_FIXED1 fixes to 0 must be 0");
	if ((g->cr0 & X86_CR0_PG) && !(g->cr0 & X86_CR0_PE))
		fail(c, SDM_GUEST_CR, GUEST_CR0, g->cr0, "CR0.PG=1 requires CR0.PE=1");
	if ((g->cr4 & caps->cr4_fixed0) != caps->cr4_fixed0)
		fail(c, SDM_GUEST_CR, GUEST_CR4, g->cr4,
		     "CR4: bits IA32_VMX_CR4_FIXED0 fixes to 1 must be 1");
	if (g->cr4 & ~caps->cr4_fixed1)
		fail(c, SDM_GUEST_CR, GUEST_CR4, g->cr4,
		     "CR4: bits IA32_VMX_CR4_FIXED1 fixes to 0 must be 0");
	if ((g->cr4 & X86_CR4_CET) && !(g->cr0 & X86_CR0_WP))
		fail(c, SDM_GUEST_CR, GUEST_CR4, g->cr4, "CR4.CET=1 requires CR0.WP=1");

	if (c->entry & ENTRY_LOAD_DEBUG_CONTROLS) {
		if (g->debugctl & ~DEBUGCTL_DEFINED)
			fail(c, SDM_GUEST_CR, GUEST_IA32_DEBUGCTL, g->debugctl,
			     "IA32_DEBUGCTL (load debug controls): reserved bits must be 0");
		v = vmread(GUEST_DR7);
		if (v >> 32)
			fail(c, SDM_GUEST_CR, GUEST_DR7, v,
			     "DR7 (load debug controls): bits 63:32 must be 0");
	}

	if (g->ia32e) {
		if (!(g->cr0 & X86_CR0_PG))
			fail(c, SDM_GUEST_CR, GUEST_CR0, g->cr0,
			     "IA-32e mode guest requires CR0.PG=1");
		if (!(g->cr4 & X86_CR4_PAE))
			fail(c, SDM_GUEST_CR, GUEST_CR4, g->cr4,
			     "IA-32e mode guest requires CR4.PAE=1");
	} else if (g->cr4 & X86_CR4_PCIDE) {
		fail(c, SDM_GUEST_CR, GUEST_CR4, g->cr4,
		     "CR4.PCIDE=1 requires an IA-32e mode guest");
	}

	/* CR3[62:61] are the LAM enables where CPUID.(7,1):EAX[26] announces LAM. */
	if (cpuid(0, 0).eax >= 7 && (cpuid(7, 1).eax & BIT(26)))
		cr3_reserved &= ~CR3_LAM_BITS;
	if (cr3 & cr3_reserved)
		fail(c, SDM_GUEST_CR, GUEST_CR3, cr3,
		     "CR3: bits beyond the physical-address width must be 0");

	v = vmread(GUEST_SYSENTER_ESP);
	if (!canonical(c, v))
		fail(c, SDM_GUEST_CR, GUEST_SYSENTER_ESP, v, "IA32_SYSENTER_ESP must be canonical");
	v = vmread(GUEST_SYSENTER_EIP);
	if (!canonical(c, v))
		fail(c, SDM_GUEST_CR, GUEST_SYSENTER_EIP, v, "IA32_SYSENTER_EIP must be canonical");

	if (c->entry & ENTRY_LOAD_PERF_GLOBAL_CTRL) {
		v = vmread(GUEST_IA32_PERF_GLOBAL_CTRL);
		if (v & ~perf_global_ctrl_defined())
			fail(c, SDM_GUEST_CR, GUEST_IA32_PERF_GLOBAL_CTRL, v,
			     "IA32_PERF_GLOBAL_CTRL (load control): reserved bits must be 0");
	}
	if (c->entry & ENTRY_LOAD_PAT) {
		v = vmread(GUEST_IA32_PAT);
		if (!pat_valid(v))
			fail(c, SDM_GUEST_CR, GUEST_IA32_PAT, v,
			     "IA32_PAT (load control): each entry must be 0, 1, 4, 5, 6 or 7");
	}
	if (c->entry & ENTRY_LOAD_EFER) {
		bool lma = g->efer & EFER_LMA, lme = g->efer & EFER_LME;

		if (g->efer & ~EFER_DEFINED)
			fail(c, SDM_GUEST_CR, GUEST_IA32_EFER, g->efer,
			     "IA32_EFER (load control): reserved bits must be 0");
		if (lma != g->ia32e)
			fail(c, SDM_GUEST_CR, GUEST_IA32_EFER, g->efer,
			     "IA32_EFER.LMA must equal the IA-32e mode guest control");
		if ((g->cr0 & X86_CR0_PG) && lma != lme)
			fail(c, SDM_GUEST_CR, GUEST_IA32_EFER, g->efer,
			     "IA32_EFER.LMA must equal IA32_EFER.LME when CR0.PG=1");
	}
	if (c->entry & ENTRY_LOAD_BNDCFGS) {
		v = vmread(GUEST_IA32_BNDCFGS);
		if (v & BNDCFGS_RESERVED)
			fail(c, SDM_GUEST_CR, GUEST_IA32_BNDCFGS, v,
			     "IA32_BNDCFGS (load control): reserved bits 11:2 must be 0");
		if (!canonical(c, v & ~GENMASK(11, 0)))
			fail(c, SDM_GUEST_CR, GUEST_IA32_BNDCFGS, v,
			     "IA32_BNDCFGS (load control): the base in bits 63:12 must be canonical");
	}
	if (c->entry & ENTRY_LOAD_CET_STATE) {
		v = vmread(GUEST_S_CET);
		if (v & S_CET_RESERVED)
			fail(c, SDM_GUEST_CR, GUEST_S_CET, v,
			     "IA32_S_CET (load CET state): reserved bits 9:6 must be 0");
		if (!canonical(c, v))
			fail(c, SDM_GUEST_CR, GUEST_S_CET, v,
			     "IA32_S_CET (load CET state): must be canonical");
		v = vmread(GUEST_INTR_SSP_TABLE_ADDR);
		if (!canonical(c, v))
			fail(c, SDM_GUEST_CR, GUEST_INTR_SSP_TABLE_ADDR, v,
			     "IA32_INTERRUPT_SSP_TABLE_ADDR (load CET state): must be canonical");
	}
	if (c->entry & ENTRY_LOAD_LBR_CTL) {
		v = vmread(GUEST_IA32_LBR_CTL);
		if (v & LBR_CTL_RESERVED)
			fail(c, SDM_GUEST_CR, GUEST_IA32_LBR_CTL, v,
			     "IA32_LBR_CTL (load control): reserved bits must be 0");
	}
	if (c->entry & ENTRY_LOAD_PKRS) {
		v = vmread(GUEST_IA32_PKRS);
		if (v >> 32)
			fail(c, SDM_GUEST_CR, GUEST_IA32_PKRS, v,
			     "IA32_PKRS (load control): bits 63:32 must be 0");
	}
}

/* One segment register's guest-state fields. */
struct seg {
	u32 sel_field, ar_field, limit_field, base_field;
	u16 sel;
	u32 ar, limit;
	u64 base;
	bool usable;
};

static void read_seg(enum vmx_segment s, struct seg *r)
{
	r->sel_field = GUEST_SEG_SELECTOR(s);
	r->ar_field = GUEST_SEG_AR_BYTES(s);
	r->limit_field = GUEST_SEG_LIMIT(s);
	r->base_field = GUEST_SEG_BASE(s);
	r->sel = (u16)vmread(r->sel_field);
	r->ar = (u32)vmread(r->ar_field);
	r->limit = (u32)vmread(r->limit_field);
	r->base = vmread(r->base_field);
	r->usable = !(r->ar & SEG_AR_UNUSABLE);
}

/* Virtual-8086 guest: CS, SS, DS, ES, FS and GS look like real-mode segments at DPL 3. */
static void check_v86_segment(struct check_ctx *c, const struct seg *s)
{
	if (s->base != (u64)s->sel << 4)
		fail(c, SDM_GUEST_SEG, s->base_field, s->base,
		     "virtual-8086 guest: segment base must be the selector times 16");
	if (s->limit != 0xffff)
		fail(c, SDM_GUEST_SEG, s->limit_field, s->limit,
		     "virtual-8086 guest: segment limit must be FFFFH");
	if (s->ar != 0xf3)
		fail(c, SDM_GUEST_SEG, s->ar_field, s->ar,
		     "virtual-8086 guest: segment access rights must be F3H");
}

/* What CS and every usable SS, DS, ES, FS, GS must satisfy alike. */
static void check_code_data_common(struct check_ctx *c, const struct seg *s)
{
	if (!(s->ar & SEG_AR_S))
		fail(c, SDM_GUEST_SEG, s->ar_field, s->ar,
		     "CS/SS/DS/ES/FS/GS access rights: S must be 1 (code or data segment)");
	if (!(s->ar & SEG_AR_P))
		fail(c, SDM_GUEST_SEG, s->ar_field, s->ar,
		     "CS/SS/DS/ES/FS/GS access rights: P must be 1");
	if (s->ar & SEG_AR_RESERVED)
		fail(c, SDM_GUEST_SEG, s->ar_field, s->ar,
		     "CS/SS/DS/ES/FS/GS access rights: reserved bits 11:8 and 31:17 must be 0");
	if (!seg_granularity_ok(s->ar, s->limit))
		fail(c, SDM_GUEST_SEG, s->ar_field, s->ar,
		     "segment access rights: G must be 0 unless limit[11:0]=FFFH, and 1 if limit[31:20]!=0");
}

static void check_cs_ar(struct check_ctx *c, const struct guest *g, const struct seg *cs)
{
	u32 type = seg_ar_type(cs->ar), dpl = seg_ar_dpl(cs->ar), ss_dpl = seg_ar_dpl(g->ss_ar);

	switch (type) {
	case 9:
	case 11:
		if (dpl != ss_dpl)
			fail(c, SDM_GUEST_SEG, cs->ar_field, cs->ar,
			     "CS access rights: DPL of a non-conforming code segment must equal SS.DPL");
		break;
	case 13:
	case 15:
		if (dpl > ss_dpl)
			fail(c, SDM_GUEST_SEG, cs->ar_field, cs->ar,
			     "CS access rights: DPL of a conforming code segment must not exceed SS.DPL");
		break;
	case 3:
		if (g->unrestricted) {
			if (dpl != 0)
				fail(c, SDM_GUEST_SEG, cs->ar_field, cs->ar,
				     "CS access rights: DPL must be 0 with type 3 (data segment)");
			break;
		}
		/* fall through */
	default:
		fail(c, SDM_GUEST_SEG, cs->ar_field, cs->ar,
		     "CS access rights: type must be 9, 11, 13 or 15 (3 with unrestricted guest)");
	}
	if (g->ia32e && (cs->ar & SEG_AR_L) && (cs->ar & SEG_AR_DB))
		fail(c, SDM_GUEST_SEG, cs->ar_field, cs->ar,
		     "CS access rights: D/B must be 0 when L=1 in an IA-32e mode guest");
	check_code_data_common(c, cs);
}

static void check_ss_ar(struct check_ctx *c, const struct guest *g, const struct seg *ss)
{
	u32 type = seg_ar_type(ss->ar), dpl = seg_ar_dpl(ss->ar);

	if (ss->usable && type != 3 && type != 7)
		fail(c, SDM_GUEST_SEG, ss->ar_field, ss->ar,
		     "SS access rights: type of a usable SS must be 3 or 7 (read/write, accessed)");
	if (!g->unrestricted && dpl != (ss->sel & 3U))
		fail(c, SDM_GUEST_SEG, ss->ar_field, ss->ar,
		     "SS access rights: DPL must equal the selector's RPL (without unrestricted guest)");
	if ((seg_ar_type(g->cs_ar) == 3 || !(g->cr0 & X86_CR0_PE)) && dpl != 0)
		fail(c, SDM_GUEST_SEG, ss->ar_field, ss->ar,
		     "SS access rights: DPL must be 0 when CS type is 3 or CR0.PE=0");
	if (ss->usable)
		check_code_data_common(c, ss);
}

static void check_data_ar(struct check_ctx *c, const struct guest *g, const struct seg *s)
{
	u32 type = seg_ar_type(s->ar);

	if (!s->usable)
		return;
	if (!(type & SEG_AR_TYPE_ACCESSED))
		fail(c, SDM_GUEST_SEG, s->ar_field, s->ar,
		     "DS/ES/FS/GS access rights: type of a usable register must have bit 0 (accessed) set");
	if ((type & SEG_AR_TYPE_CODE) && !(type & SEG_AR_TYPE_READABLE))
		fail(c, SDM_GUEST_SEG, s->ar_field, s->ar,
		     "DS/ES/FS/GS access rights: a code segment must be readable");
	/* Data and non-conforming code segments (types 0-11) cannot be below the RPL. */
	if (!g->unrestricted && type <= 11 && seg_ar_dpl(s->ar) < (s->sel & 3U))
		fail(c, SDM_GUEST_SEG, s->ar_field, s->ar,
		     "DS/ES/FS/GS access rights: DPL must not be below the selector's RPL (without unrestricted guest)");
	check_code_data_common(c, s);
}

static void check_tr(struct check_ctx *c, const struct guest *g, const struct seg *tr)
{
	u32 type = seg_ar_type(tr->ar);

	if (tr->sel & BIT(2))
		fail(c, SDM_GUEST_SEG, tr->sel_field, tr->sel, "TR selector: TI must be 0");
	if (!canonical(c, tr->base))
		fail(c, SDM_GUEST_SEG, tr->base_field, tr->base, "TR base must be canonical");
	if (g->ia32e && type != SEG_TYPE_TSS32_BUSY)
		fail(c, SDM_GUEST_SEG, tr->ar_field, tr->ar,
		     "TR access rights: type must be 11 (busy 64-bit TSS) in an IA-32e mode guest");
	if (!g->ia32e && type != SEG_TYPE_TSS16_BUSY && type != SEG_TYPE_TSS32_BUSY)
		fail(c, SDM_GUEST_SEG, tr->ar_field, tr->ar,
		     "TR access rights: type must be 3 or 11 (busy 16-bit or 32-bit TSS)");
	if (tr->ar & SEG_AR_S)
		fail(c, SDM_GUEST_SEG, tr->ar_field, tr->ar, "TR access rights: S must be 0");
	if (!(tr->ar & SEG_AR_P))
		fail(c, SDM_GUEST_SEG, tr->ar_field, tr->ar, "TR access rights: P must be 1");
	if (tr->ar & SEG_AR_RESERVED)
		fail(c, SDM_GUEST_SEG, tr->ar_field, tr->ar,
		     "TR access rights: reserved bits 11:8 and 31:17 must be 0");
	if (!seg_granularity_ok(tr->ar, tr->limit))
		fail(c, SDM_GUEST_SEG, tr->ar_field, tr->ar,
		     "segment access rights: G must be 0 unless limit[11:0]=FFFH, and 1 if limit[31:20]!=0");
	if (!tr->usable)
		fail(c, SDM_GUEST_SEG, tr->ar_field, tr->ar, "TR access rights: TR must be usable");
}

static void check_ldtr(struct check_ctx *c, const struct seg *ldtr)
{
	if (!ldtr->usable)
		return;
	if (ldtr->sel & BIT(2))
		fail(c, SDM_GUEST_SEG, ldtr->sel_field, ldtr->sel, "LDTR selector: TI must be 0");
	if (!canonical(c, ldtr->base))
		fail(c, SDM_GUEST_SEG, ldtr->base_field, ldtr->base,
		     "LDTR base must be canonical when LDTR is usable");
	if (seg_ar_type(ldtr->ar) != SEG_TYPE_LDT)
		fail(c, SDM_GUEST_SEG, ldtr->ar_field, ldtr->ar,
		     "LDTR access rights: type of a usable LDTR must be 2 (LDT)");
	if (ldtr->ar & SEG_AR_S)
		fail(c, SDM_GUEST_SEG, ldtr->ar_field, ldtr->ar, "LDTR access rights: S must be 0");
	if (!(ldtr->ar & SEG_AR_P))
		fail(c, SDM_GUEST_SEG, ldtr->ar_field, ldtr->ar, "LDTR access rights: P must be 1");
	if (ldtr->ar & SEG_AR_RESERVED)
		fail(c, SDM_GUEST_SEG, ldtr->ar_field, ldtr->ar,
		     "LDTR access rights: reserved bits 11:8 and 31:17 must be 0");
	if (!seg_granularity_ok(ldtr->ar, ldtr->limit))
		fail(c, SDM_GUEST_SEG, ldtr->ar_field, ldtr->ar,
		     "segment access rights: G must be 0 unless limit[11:0]=FFFH, and 1 if limit[31:20]!=0");
}

/* 27.3.1.2: segment registers */
static void check_guest_segment_registers(struct check_ctx *c, const struct guest *g)
{
	struct seg s[SEG_COUNT];
	unsigned int i;

	for (i = 0; i < SEG_COUNT; i++)
		read_seg(i, &s[i]);

	/* Selectors (TR's and LDTR's TI flags are checked with the rest of TR and LDTR). */
	if (!g->v86 && !g->unrestricted && (s[SEG_SS].sel & 3U) != (s[SEG_CS].sel & 3U))
		fail(c, SDM_GUEST_SEG, GUEST_SS_SELECTOR, s[SEG_SS].sel,
		     "SS selector: RPL must equal CS.RPL (without unrestricted guest)");

	/* Bases outside virtual-8086 mode (there they are the selector times 16). */
	if (!g->v86) {
		if (s[SEG_CS].base >> 32)
			fail(c, SDM_GUEST_SEG, GUEST_CS_BASE, s[SEG_CS].base,
			     "CS base: bits 63:32 must be 0");
		for (i = SEG_ES; i <= SEG_DS; i++)
			if (i != SEG_CS && s[i].usable && (s[i].base >> 32))
				fail(c, SDM_GUEST_SEG, s[i].base_field, s[i].base,
				     "ES/SS/DS base: bits 63:32 of a usable register must be 0");
	}
	for (i = SEG_FS; i <= SEG_GS; i++)
		if (!canonical(c, s[i].base))
			fail(c, SDM_GUEST_SEG, s[i].base_field, s[i].base,
			     "FS/GS base must be canonical");

	if (g->v86) {
		for (i = SEG_ES; i <= SEG_GS; i++)
			check_v86_segment(c, &s[i]);
	} else {
		check_cs_ar(c, g, &s[SEG_CS]);
		check_ss_ar(c, g, &s[SEG_SS]);
		check_data_ar(c, g, &s[SEG_DS]);
		check_data_ar(c, g, &s[SEG_ES]);
		check_data_ar(c, g, &s[SEG_FS]);
		check_data_ar(c, g, &s[SEG_GS]);
	}
	check_tr(c, g, &s[SEG_TR]);
	check_ldtr(c, &s[SEG_LDTR]);
}

/* 27.3.1.3: GDTR and IDTR */
static void check_guest_descriptor_tables(struct check_ctx *c)
{
	u64 v;

	v = vmread(GUEST_GDTR_BASE);
	if (!canonical(c, v))
		fail(c, SDM_GUEST_DTR, GUEST_GDTR_BASE, v, "GDTR base must be canonical");
	v = vmread(GUEST_IDTR_BASE);
	if (!canonical(c, v))
		fail(c, SDM_GUEST_DTR, GUEST_IDTR_BASE, v, "IDTR base must be canonical");
	v = vmread(GUEST_GDTR_LIMIT);
	if (v & GENMASK(31, 16))
		fail(c, SDM_GUEST_DTR, GUEST_GDTR_LIMIT, v, "GDTR limit: bits 31:16 must be 0");
	v = vmread(GUEST_IDTR_LIMIT);
	if (v & GENMASK(31, 16))
		fail(c, SDM_GUEST_DTR, GUEST_IDTR_LIMIT, v, "IDTR limit: bits 31:16 must be 0");
}

/* 27.3.1.4: RIP, RFLAGS and SSP */
static void check_guest_rip_rflags(struct check_ctx *c, const struct guest *g)
{
	bool long_mode = g->ia32e && (g->cs_ar & SEG_AR_L);
	u64 rip = vmread(GUEST_RIP);

	if (!long_mode && (rip >> 32))
		fail(c, SDM_GUEST_RIP, GUEST_RIP, rip,
		     "RIP: bits 63:32 must be 0 unless IA-32e mode guest and CS.L=1");
	if (long_mode && !canonical(c, rip))
		fail(c, SDM_GUEST_RIP, GUEST_RIP, rip,
		     "RIP must be canonical in 64-bit mode (IA-32e mode guest, CS.L=1)");

	if (g->rflags & X86_RFLAGS_RESERVED)
		fail(c, SDM_GUEST_RIP, GUEST_RFLAGS, g->rflags,
		     "RFLAGS: reserved bits 63:22, 15, 5 and 3 must be 0");
	if (!(g->rflags & X86_RFLAGS_FIXED))
		fail(c, SDM_GUEST_RIP, GUEST_RFLAGS, g->rflags, "RFLAGS: bit 1 must be 1");
	if (g->v86 && (g->ia32e || !(g->cr0 & X86_CR0_PE)))
		fail(c, SDM_GUEST_RIP, GUEST_RFLAGS, g->rflags,
		     "RFLAGS.VM must be 0 in an IA-32e mode guest or with CR0.PE=0");
	if (intr_info_valid(g->intr_info) && intr_info_type(g->intr_info) == INTR_TYPE_EXTERNAL &&
	    !(g->rflags & X86_RFLAGS_IF))
		fail(c, SDM_GUEST_RIP, GUEST_RFLAGS, g->rflags,
		     "RFLAGS.IF must be 1 when injecting an external interrupt");

	if (c->entry & ENTRY_LOAD_CET_STATE) {
		u64 ssp = vmread(GUEST_SSP);

		if (ssp & GENMASK(1, 0))
			fail(c, SDM_GUEST_RIP, GUEST_SSP, ssp,
			     "SSP (load CET state): bits 1:0 must be 0");
		if (!g->ia32e && (ssp >> 32))
			fail(c, SDM_GUEST_RIP, GUEST_SSP, ssp,
			     "SSP (load CET state): bits 63:32 must be 0 outside IA-32e mode");
		if (long_mode && !canonical(c, ssp))
			fail(c, SDM_GUEST_RIP, GUEST_SSP, ssp,
			     "SSP (load CET state): must be canonical in 64-bit mode");
	}
}

/* May an event of this type and vector be injected into a guest entering @activity? */
static bool injectable_in_activity_state(u64 activity, u32 info)
{
	u32 type = intr_info_type(info), vector = intr_info_vector(info);

	switch (activity) {
	case GUEST_ACTIVITY_ACTIVE:
		return true;
	case GUEST_ACTIVITY_HLT:
		return type == INTR_TYPE_EXTERNAL || type == INTR_TYPE_NMI ||
		       (type == INTR_TYPE_HW_EXCEPTION &&
			(vector == X86_EXC_DB || vector == X86_EXC_MC)) ||
		       (type == INTR_TYPE_OTHER_EVENT && vector == 0);
	case GUEST_ACTIVITY_SHUTDOWN:
		return type == INTR_TYPE_NMI ||
		       (type == INTR_TYPE_HW_EXCEPTION && vector == X86_EXC_MC);
	default:
		return false;
	}
}

/* 27.3.1.5: activity state, interruptibility state, pending debug exceptions, VMCS link pointer */
static void check_guest_non_register_state(struct check_ctx *c, const struct guest *g)
{
	u64 activity = vmread(GUEST_ACTIVITY_STATE);
	u64 intr = vmread(GUEST_INTERRUPTIBILITY_INFO);
	u64 pending = vmread(GUEST_PENDING_DBG_EXCEPTIONS);
	u64 link = vmread(VMCS_LINK_POINTER);
	bool inject = intr_info_valid(g->intr_info);
	u32 type = intr_info_type(g->intr_info);
	bool sti = intr & GUEST_INTR_STATE_STI, mov_ss = intr & GUEST_INTR_STATE_MOV_SS;

	/* Activity state */
	if (activity > GUEST_ACTIVITY_WAIT_SIPI)
		fail(c, SDM_GUEST_NONREG, GUEST_ACTIVITY_STATE, activity,
		     "activity state must be 0 (active), 1 (HLT), 2 (shutdown) or 3 (wait-for-SIPI)");
	else if (activity != GUEST_ACTIVITY_ACTIVE &&
		 !(c->caps->misc & BIT(VMX_MISC_ACTIVITY_SHIFT + activity)))
		fail(c, SDM_GUEST_NONREG, GUEST_ACTIVITY_STATE, activity,
		     "activity state must be one IA32_VMX_MISC[8:6] reports as supported");
	if (activity == GUEST_ACTIVITY_HLT && seg_ar_dpl(g->ss_ar) != 0)
		fail(c, SDM_GUEST_NONREG, GUEST_ACTIVITY_STATE, activity,
		     "activity state HLT requires SS.DPL=0");
	if ((sti || mov_ss) && activity != GUEST_ACTIVITY_ACTIVE)
		fail(c, SDM_GUEST_NONREG, GUEST_ACTIVITY_STATE, activity,
		     "activity state must be active with blocking by STI or by MOV SS");
	if (inject && activity <= GUEST_ACTIVITY_WAIT_SIPI &&
	    !injectable_in_activity_state(activity, g->intr_info))
		fail(c, SDM_GUEST_NONREG, GUEST_ACTIVITY_STATE, activity,
		     "activity state must not block the event being injected");
	if (activity == GUEST_ACTIVITY_WAIT_SIPI && (c->entry & ENTRY_TO_SMM))
		fail(c, SDM_GUEST_NONREG, GUEST_ACTIVITY_STATE, activity,
		     "activity state must not be wait-for-SIPI with the entry to SMM control");

	/* Interruptibility state */
	if (intr & GUEST_INTR_STATE_RESERVED)
		fail(c, SDM_GUEST_NONREG, GUEST_INTERRUPTIBILITY_INFO, intr,
		     "interruptibility state: reserved bits 31:5 must be 0");
	if (sti && mov_ss)
		fail(c, SDM_GUEST_NONREG, GUEST_INTERRUPTIBILITY_INFO, intr,
		     "interruptibility state: blocking by STI and by MOV SS cannot both be 1");
	if (sti && !(g->rflags & X86_RFLAGS_IF))
		fail(c, SDM_GUEST_NONREG, GUEST_INTERRUPTIBILITY_INFO, intr,
		     "interruptibility state: blocking by STI requires RFLAGS.IF=1");
	if ((sti || mov_ss) && inject && type == INTR_TYPE_EXTERNAL)
		fail(c, SDM_GUEST_NONREG, GUEST_INTERRUPTIBILITY_INFO, intr,
		     "interruptibility state: no blocking by STI or MOV SS when injecting an external interrupt");
	if (mov_ss && inject && type == INTR_TYPE_NMI)
		fail(c, SDM_GUEST_NONREG, GUEST_INTERRUPTIBILITY_INFO, intr,
		     "interruptibility state: no blocking by MOV SS when injecting an NMI");
	/* hv never enters from SMM. */
	if (intr & GUEST_INTR_STATE_SMI)
		fail(c, SDM_GUEST_NONREG, GUEST_INTERRUPTIBILITY_INFO, intr,
		     "interruptibility state: blocking by SMI must be 0 outside SMM");
	if ((c->entry & ENTRY_TO_SMM) && !(intr & GUEST_INTR_STATE_SMI))
		fail(c, SDM_GUEST_NONREG, GUEST_INTERRUPTIBILITY_INFO, intr,
		     "interruptibility state: blocking by SMI must be 1 with the entry to SMM control");
	if ((intr & GUEST_INTR_STATE_NMI) && (c->pin & PIN_VIRTUAL_NMIS) && inject &&
	    type == INTR_TYPE_NMI)
		fail(c, SDM_GUEST_NONREG, GUEST_INTERRUPTIBILITY_INFO, intr,
		     "interruptibility state: no blocking by NMI when injecting an NMI with virtual NMIs");
	if ((intr & GUEST_INTR_STATE_ENCLAVE) && mov_ss)
		fail(c, SDM_GUEST_NONREG, GUEST_INTERRUPTIBILITY_INFO, intr,
		     "interruptibility state: enclave interruption cannot come with blocking by MOV SS");

	/* Pending debug exceptions */
	if (pending & PENDING_DBG_RESERVED)
		fail(c, SDM_GUEST_NONREG, GUEST_PENDING_DBG_EXCEPTIONS, pending,
		     "pending debug exceptions: reserved bits 63:17, 15, 13 and 11:4 must be 0");
	if (sti || mov_ss || activity == GUEST_ACTIVITY_HLT) {
		bool tf = g->rflags & X86_RFLAGS_TF, btf = g->debugctl & DEBUGCTL_BTF;
		bool bs = pending & PENDING_DBG_BS;

		if (tf && !btf && !bs)
			fail(c, SDM_GUEST_NONREG, GUEST_PENDING_DBG_EXCEPTIONS, pending,
			     "pending debug exceptions: BS must be 1 when RFLAGS.TF=1 and DEBUGCTL.BTF=0 with STI/MOV SS blocking or HLT");
		if ((!tf || btf) && bs)
			fail(c, SDM_GUEST_NONREG, GUEST_PENDING_DBG_EXCEPTIONS, pending,
			     "pending debug exceptions: BS must be 0 when RFLAGS.TF=0 or DEBUGCTL.BTF=1 with STI/MOV SS blocking or HLT");
	}
	if (pending & PENDING_DBG_RTM) {
		if ((pending & GENMASK(15, 0)) != PENDING_DBG_ENABLED_BP)
			fail(c, SDM_GUEST_NONREG, GUEST_PENDING_DBG_EXCEPTIONS, pending,
			     "pending debug exceptions: RTM=1 requires bit 12 set and bits 15:13, 11:0 clear");
		if (mov_ss)
			fail(c, SDM_GUEST_NONREG, GUEST_PENDING_DBG_EXCEPTIONS, pending,
			     "pending debug exceptions: RTM=1 cannot come with blocking by MOV SS");
	}

	/* hv uses no VMCS shadowing: any other link pointer names a VMCS hv never set up. */
	if (link != ~0ULL)
		fail(c, SDM_GUEST_NONREG, VMCS_LINK_POINTER, link,
		     "VMCS link pointer must be FFFFFFFF_FFFFFFFFH (hv uses no VMCS shadowing)");
}

/* 27.3.1.6: the PDPTE fields, loaded instead of memory when PAE paging runs under EPT */
static void check_guest_pdptes(struct check_ctx *c, const struct guest *g)
{
	u64 reserved = X86_PDPTE_RESERVED_LOW | GENMASK(63, c->pa_bits);
	unsigned int i;

	if (!(g->cr0 & X86_CR0_PG) || !(g->cr4 & X86_CR4_PAE) || g->ia32e ||
	    !(c->proc2 & SECONDARY_ENABLE_EPT))
		return;
	for (i = 0; i < 4; i++) {
		u32 field = GUEST_PDPTE0 + 2 * i;
		u64 pdpte = vmread(field);

		if ((pdpte & X86_PDPTE_P) && (pdpte & reserved))
			fail(c, SDM_GUEST_PDPTE, field, pdpte,
			     "PDPTE: a present entry must have bits 2:1, 8:5 and those beyond the physical-address width clear");
	}
}

/*
 * The address and size of an MSR-load/store area (27.2.1.2, 27.2.1.3):
 * 16-byte aligned and, last byte included, within the address width.
 */
static bool msr_area_ok(const struct check_ctx *c, u64 addr, u64 count)
{
	return !count || (IS_ALIGNED(addr, 16) && !beyond_width(addr, c->ctl_addr_bits) &&
			  !beyond_width(addr + 16 * count - 1, c->ctl_addr_bits));
}

/* An MSR no VM entry loads (27.4), or NULL if it may be loaded. */
static const char *msr_not_loadable(u32 msr)
{
	if (msr == MSR_FS_BASE || msr == MSR_GS_BASE)
		return "MSR-load entry: IA32_FS_BASE and IA32_GS_BASE cannot be loaded (use the guest-state fields)";
	if ((msr >> 8) == 0x8)
		return "MSR-load entry: x2APIC MSRs 800H-8FFH cannot be loaded";
	if (msr == MSR_SMM_MONITOR_CTL || msr == MSR_SMBASE)
		return "MSR-load entry: IA32_SMM_MONITOR_CTL and IA32_SMBASE can be written only in SMM";
	if (msr == MSR_BIOS_UPDT_TRIG || msr == MSR_IA32_BIOS_SIGN_ID)
		return "MSR-load entry: microcode-update MSRs 79H and 8BH cannot be loaded (model-specific)";
	return NULL;
}

/* 27.4: the VM-entry MSR-load area */
static void check_msr_load_area(struct check_ctx *c)
{
	u64 count = vmread(VM_ENTRY_MSR_LOAD_COUNT);
	u64 addr = vmread(VM_ENTRY_MSR_LOAD_ADDR);
	u64 max = 512 * (((c->caps->misc & VMX_MISC_MSR_LIST_MASK) >> VMX_MISC_MSR_LIST_SHIFT) + 1);
	const u64 *area;
	u64 i;

	if (!count)
		return;
	if (count > max)
		fail(c, SDM_MSR_LIST_MAX, VM_ENTRY_MSR_LOAD_COUNT, count,
		     "VM-entry MSR-load count must not exceed 512 * (IA32_VMX_MISC[27:25] + 1)");
	if (!msr_area_ok(c, addr, count)) {
		/* Not read: the entries are nowhere hv can trust. */
		fail(c, SDM_ENTRY_CTLS, VM_ENTRY_MSR_LOAD_ADDR, addr,
		     "VM-entry MSR-load address must be 16-byte aligned and the area within the physical-address width");
		return;
	}

	area = phys_to_virt(addr);
	for (i = 0; i < MIN(count, max); i++) {
		u64 head = area[2 * i];
		const char *why = msr_not_loadable((u32)head);

		if (head & MSR_ENTRY_RESERVED)
			fail(c, SDM_MSR_LOAD, VM_ENTRY_MSR_LOAD_ADDR, head,
			     "MSR-load entry: bits 63:32 of the first quadword are reserved and must be 0");
		if (why)
			fail(c, SDM_MSR_LOAD, VM_ENTRY_MSR_LOAD_ADDR, head, why);
	}
}

unsigned int vmx_check_guest_state(const struct vmx_caps *caps, struct vmx_check_failure *out,
				   unsigned int max)
{
	struct check_ctx c;
	struct guest g;

	init_ctx(&c, caps, out, max);
	read_guest(&c, &g);
	check_guest_control_registers(&c, &g);
	check_guest_segment_registers(&c, &g);
	check_guest_descriptor_tables(&c);
	check_guest_rip_rflags(&c, &g);
	check_guest_non_register_state(&c, &g);
	check_guest_pdptes(&c, &g);
	check_msr_load_area(&c);
	return c.count;
}

/* ---- 27.2: VMX controls and the host-state area ---- */

/* A control field against its capability MSR: allowed 0-settings and allowed 1-settings. */
static void check_ctl_field(struct check_ctx *c, u32 field, u32 value,
			    const struct vmx_ctl_cap *cap, const char *sdm)
{
	if ((value & cap->must_be_one) != cap->must_be_one)
		fail(c, sdm, field, value,
		     "control bits the capability MSR requires to be 1 (allowed 0-settings) must be 1");
	if (value & ~cap->may_be_one)
		fail(c, sdm, field, value,
		     "control bits the capability MSR does not allow to be 1 (allowed 1-settings) must be 0");
}

static void check_eptp(struct check_ctx *c)
{
	u64 eptp = vmread(EPT_POINTER), ev = c->caps->ept_vpid;
	u64 type = eptp & EPTP_MEMTYPE_MASK;
	u64 walk = (eptp & EPTP_WALK_LENGTH_MASK) >> EPTP_WALK_LENGTH_SHIFT;

	if (!((type == EPTP_MEMTYPE_UC && (ev & VMX_EPT_MEMTYPE_UC)) ||
	      (type == EPTP_MEMTYPE_WB && (ev & VMX_EPT_MEMTYPE_WB))))
		fail(c, SDM_EXEC_CTLS, EPT_POINTER, eptp,
		     "EPTP: memory type must be UC (0) or WB (6), as IA32_VMX_EPT_VPID_CAP allows");
	if (!((walk == 3 && (ev & VMX_EPT_PAGE_WALK_4)) ||
	      (walk == 4 && (ev & VMX_EPT_PAGE_WALK_5))))
		fail(c, SDM_EXEC_CTLS, EPT_POINTER, eptp,
		     "EPTP: page-walk length minus 1 (bits 5:3) must be 3, or 4 where 5-level EPT is supported");
	if ((eptp & EPTP_AD_ENABLE) && !(ev & VMX_EPT_AD_BITS))
		fail(c, SDM_EXEC_CTLS, EPT_POINTER, eptp,
		     "EPTP: accessed/dirty flag enable (bit 6) requires IA32_VMX_EPT_VPID_CAP[21]");
	if ((eptp & EPTP_RESERVED_LOW) || beyond_width(eptp, c->pa_bits))
		fail(c, SDM_EXEC_CTLS, EPT_POINTER, eptp,
		     "EPTP: bits 11:8 and bits beyond the physical-address width must be 0");
}

/* The virtual-APIC page and the TPR threshold (use TPR shadow). */
static void check_tpr_shadow(struct check_ctx *c)
{
	u64 vapic = vmread(VIRTUAL_APIC_PAGE_ADDR);
	u64 threshold = vmread(TPR_THRESHOLD);
	bool vid = c->proc2 & SECONDARY_VIRTUAL_INTERRUPT_DELIVERY;

	if (!ctl_addr_ok(c, vapic, 4096)) {
		fail(c, SDM_EXEC_CTLS, VIRTUAL_APIC_PAGE_ADDR, vapic,
		     "virtual-APIC address must be 4-KByte aligned and within the physical-address width");
		return;
	}
	if (vid)
		return;
	if (threshold & GENMASK(31, 4))
		fail(c, SDM_EXEC_CTLS, TPR_THRESHOLD, threshold,
		     "TPR threshold: bits 31:4 must be 0 without virtual-interrupt delivery");
	if (!(c->proc2 & SECONDARY_VIRTUALIZE_APIC_ACCESSES)) {
		u8 vtpr = *((const u8 *)phys_to_virt(vapic) + VAPIC_VTPR_OFFSET);

		if ((threshold & 0xf) > (u64)(vtpr >> 4))
			fail(c, SDM_EXEC_CTLS, TPR_THRESHOLD, threshold,
			     "TPR threshold: bits 3:0 must not exceed VTPR[7:4] of the virtual-APIC page");
	}
}

/* 27.2.1.1: VM-execution control fields */
static void check_execution_controls(struct check_ctx *c)
{
	const struct vmx_caps *caps = c->caps;
	u32 cr3_targets = (caps->misc & VMX_MISC_CR3_TARGETS_MASK) >> VMX_MISC_CR3_TARGETS_SHIFT;
	u64 v;

	check_ctl_field(c, PIN_BASED_VM_EXEC_CONTROL, c->pin, &caps->pin, SDM_EXEC_CTLS);
	check_ctl_field(c, CPU_BASED_VM_EXEC_CONTROL, c->proc, &caps->proc, SDM_EXEC_CTLS);
	if (c->proc & CPU_ACTIVATE_SECONDARY_CONTROLS)
		check_ctl_field(c, SECONDARY_VM_EXEC_CONTROL, c->proc2, &caps->proc2,
				SDM_EXEC_CTLS);
	if (c->proc3 & ~caps->proc3_may_be_one)
		fail(c, SDM_EXEC_CTLS, TERTIARY_VM_EXEC_CONTROL, c->proc3,
		     "control bits the capability MSR does not allow to be 1 (allowed 1-settings) must be 0");

	v = vmread(CR3_TARGET_COUNT);
	if (v > cr3_targets)
		fail(c, SDM_EXEC_CTLS, CR3_TARGET_COUNT, v,
		     "CR3-target count must not exceed IA32_VMX_MISC[24:16]");

	if (c->proc & CPU_USE_IO_BITMAPS) {
		v = vmread(IO_BITMAP_A);
		if (!ctl_addr_ok(c, v, 4096))
			fail(c, SDM_EXEC_CTLS, IO_BITMAP_A, v,
			     "I/O bitmap A address must be 4-KByte aligned and within the physical-address width");
		v = vmread(IO_BITMAP_B);
		if (!ctl_addr_ok(c, v, 4096))
			fail(c, SDM_EXEC_CTLS, IO_BITMAP_B, v,
			     "I/O bitmap B address must be 4-KByte aligned and within the physical-address width");
	}
	if (c->proc & CPU_USE_MSR_BITMAPS) {
		v = vmread(MSR_BITMAP);
		if (!ctl_addr_ok(c, v, 4096))
			fail(c, SDM_EXEC_CTLS, MSR_BITMAP, v,
			     "MSR bitmap address must be 4-KByte aligned and within the physical-address width");
	}

	if (c->proc & CPU_USE_TPR_SHADOW) {
		check_tpr_shadow(c);
	} else {
		if (c->proc2 &
		    (SECONDARY_VIRTUALIZE_X2APIC_MODE | SECONDARY_APIC_REGISTER_VIRTUALIZATION |
		     SECONDARY_VIRTUAL_INTERRUPT_DELIVERY))
			fail(c, SDM_EXEC_CTLS, SECONDARY_VM_EXEC_CONTROL, c->proc2,
			     "virtualize x2APIC mode, APIC-register virtualization and virtual-interrupt delivery require use TPR shadow");
		if (c->proc3 & TERTIARY_IPI_VIRTUALIZATION)
			fail(c, SDM_EXEC_CTLS, TERTIARY_VM_EXEC_CONTROL, c->proc3,
			     "IPI virtualization requires use TPR shadow");
	}

	if (!(c->pin & PIN_NMI_EXITING) && (c->pin & PIN_VIRTUAL_NMIS))
		fail(c, SDM_EXEC_CTLS, PIN_BASED_VM_EXEC_CONTROL, c->pin,
		     "virtual NMIs require NMI exiting");
	if (!(c->pin & PIN_VIRTUAL_NMIS) && (c->proc & CPU_NMI_WINDOW_EXITING))
		fail(c, SDM_EXEC_CTLS, CPU_BASED_VM_EXEC_CONTROL, c->proc,
		     "NMI-window exiting requires virtual NMIs");

	if (c->proc2 & SECONDARY_VIRTUALIZE_APIC_ACCESSES) {
		v = vmread(APIC_ACCESS_ADDR);
		if (!ctl_addr_ok(c, v, 4096))
			fail(c, SDM_EXEC_CTLS, APIC_ACCESS_ADDR, v,
			     "APIC-access address must be 4-KByte aligned and within the physical-address width");
	}
	if ((c->proc2 & SECONDARY_VIRTUALIZE_X2APIC_MODE) &&
	    (c->proc2 & SECONDARY_VIRTUALIZE_APIC_ACCESSES))
		fail(c, SDM_EXEC_CTLS, SECONDARY_VM_EXEC_CONTROL, c->proc2,
		     "virtualize x2APIC mode and virtualize APIC accesses cannot both be 1");
	if ((c->proc2 & SECONDARY_VIRTUAL_INTERRUPT_DELIVERY) &&
	    !(c->pin & PIN_EXTERNAL_INTERRUPT_EXITING))
		fail(c, SDM_EXEC_CTLS, PIN_BASED_VM_EXEC_CONTROL, c->pin,
		     "virtual-interrupt delivery requires external-interrupt exiting");

	if (c->pin & PIN_POSTED_INTERRUPTS) {
		if (!(c->proc2 & SECONDARY_VIRTUAL_INTERRUPT_DELIVERY))
			fail(c, SDM_EXEC_CTLS, PIN_BASED_VM_EXEC_CONTROL, c->pin,
			     "process posted interrupts requires virtual-interrupt delivery");
		if (!(c->exit & EXIT_ACK_INTERRUPT_ON_EXIT))
			fail(c, SDM_EXEC_CTLS, VM_EXIT_CONTROLS, c->exit,
			     "process posted interrupts requires acknowledge interrupt on exit");
		v = vmread(POSTED_INTR_NOTIFICATION_VECTOR);
		if (v & GENMASK(15, 8))
			fail(c, SDM_EXEC_CTLS, POSTED_INTR_NOTIFICATION_VECTOR, v,
			     "posted-interrupt notification vector: bits 15:8 must be 0");
		v = vmread(POSTED_INTR_DESC_ADDR);
		if (!ctl_addr_ok(c, v, 64))
			fail(c, SDM_EXEC_CTLS, POSTED_INTR_DESC_ADDR, v,
			     "posted-interrupt descriptor address must be 64-byte aligned and within the physical-address width");
	}

	/* The table holds 8-byte entries; its last index is not checked (SDM Vol. 3C 30.1.6). */
	if (c->proc3 & TERTIARY_IPI_VIRTUALIZATION) {
		v = vmread(PID_POINTER_TABLE);
		if (!ctl_addr_ok(c, v, 8))
			fail(c, SDM_EXEC_CTLS, PID_POINTER_TABLE, v,
			     "PID-pointer table address (IPI virtualization) must be 8-byte aligned and within the physical-address width");
	}

	if (c->proc2 & SECONDARY_ENABLE_VPID) {
		v = vmread(VIRTUAL_PROCESSOR_ID);
		if (v == 0)
			fail(c, SDM_EXEC_CTLS, VIRTUAL_PROCESSOR_ID, v,
			     "VPID must not be 0 when enable VPID is 1");
	}

	if (c->proc2 & SECONDARY_ENABLE_EPT)
		check_eptp(c);
	else if (c->proc2 & (SECONDARY_UNRESTRICTED_GUEST | SECONDARY_ENABLE_PML |
			     SECONDARY_MODE_BASED_EPT_EXEC | SECONDARY_SUB_PAGE_WRITE))
		fail(c, SDM_EXEC_CTLS, SECONDARY_VM_EXEC_CONTROL, c->proc2,
		     "unrestricted guest, PML, mode-based execute control and sub-page write permissions require enable EPT");

	if (c->proc2 & SECONDARY_ENABLE_PML) {
		v = vmread(PML_ADDRESS);
		if (!ctl_addr_ok(c, v, 4096))
			fail(c, SDM_EXEC_CTLS, PML_ADDRESS, v,
			     "PML address must be 4-KByte aligned and within the physical-address width");
	}
	if (c->proc2 & SECONDARY_ENABLE_VMFUNC) {
		v = vmread(VM_FUNCTION_CONTROL);
		if ((v & VMFUNC_EPTP_SWITCHING) && !(c->proc2 & SECONDARY_ENABLE_EPT))
			fail(c, SDM_EXEC_CTLS, VM_FUNCTION_CONTROL, v,
			     "EPTP switching requires enable EPT");
		if (v & VMFUNC_EPTP_SWITCHING) {
			v = vmread(EPTP_LIST_ADDR);
			if (!ctl_addr_ok(c, v, 4096))
				fail(c, SDM_EXEC_CTLS, EPTP_LIST_ADDR, v,
				     "EPTP-list address must be 4-KByte aligned and within the physical-address width");
		}
	}
	if (c->proc2 & SECONDARY_VMCS_SHADOWING) {
		v = vmread(VMREAD_BITMAP);
		if (!ctl_addr_ok(c, v, 4096))
			fail(c, SDM_EXEC_CTLS, VMREAD_BITMAP, v,
			     "VMREAD-bitmap address must be 4-KByte aligned and within the physical-address width");
		v = vmread(VMWRITE_BITMAP);
		if (!ctl_addr_ok(c, v, 4096))
			fail(c, SDM_EXEC_CTLS, VMWRITE_BITMAP, v,
			     "VMWRITE-bitmap address must be 4-KByte aligned and within the physical-address width");
	}
	if (c->proc2 & SECONDARY_EPT_VIOLATION_VE) {
		v = vmread(VE_INFO_ADDR);
		if (!ctl_addr_ok(c, v, 4096))
			fail(c, SDM_EXEC_CTLS, VE_INFO_ADDR, v,
			     "virtualization-exception information address must be 4-KByte aligned and within the physical-address width");
	}
}

/* 27.2.1.2: VM-exit control fields */
static void check_exit_controls(struct check_ctx *c)
{
	u64 addr, count;

	check_ctl_field(c, VM_EXIT_CONTROLS, c->exit, &c->caps->exit, SDM_EXIT_CTLS);
	if (!(c->pin & PIN_PREEMPTION_TIMER) && (c->exit & EXIT_SAVE_PREEMPTION_TIMER))
		fail(c, SDM_EXIT_CTLS, VM_EXIT_CONTROLS, c->exit,
		     "save VMX-preemption timer value requires activate VMX-preemption timer");

	count = vmread(VM_EXIT_MSR_STORE_COUNT);
	addr = vmread(VM_EXIT_MSR_STORE_ADDR);
	if (!msr_area_ok(c, addr, count))
		fail(c, SDM_EXIT_CTLS, VM_EXIT_MSR_STORE_ADDR, addr,
		     "VM-exit MSR-store address must be 16-byte aligned and the area within the physical-address width");
	count = vmread(VM_EXIT_MSR_LOAD_COUNT);
	addr = vmread(VM_EXIT_MSR_LOAD_ADDR);
	if (!msr_area_ok(c, addr, count))
		fail(c, SDM_EXIT_CTLS, VM_EXIT_MSR_LOAD_ADDR, addr,
		     "VM-exit MSR-load address must be 16-byte aligned and the area within the physical-address width");
}

/* Hardware exceptions that push an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
static bool exception_has_error_code(u32 vector)
{
	switch (vector) {
	case X86_EXC_DF:
	case X86_EXC_TS:
	case X86_EXC_NP:
	case X86_EXC_SS:
	case X86_EXC_GP:
	case X86_EXC_PF:
	case 17:
	case 21:
		return true;
	default:
		return false;
	}
}

/* The VM-entry interruption-information field and its companions (event injection). */
static void check_event_injection(struct check_ctx *c)
{
	u32 info = (u32)vmread(VM_ENTRY_INTR_INFO);
	u32 type = intr_info_type(info), vector = intr_info_vector(info);
	bool deliver = info & INTR_INFO_DELIVER_ERROR_CODE;
	bool protected_mode =
		!(c->proc2 & SECONDARY_UNRESTRICTED_GUEST) || (vmread(GUEST_CR0) & X86_CR0_PE);
	u64 v;

	if (!intr_info_valid(info))
		return;
	if (type == (1U << INTR_INFO_TYPE_SHIFT) ||
	    (type == INTR_TYPE_OTHER_EVENT && !(c->caps->proc.may_be_one & CPU_MONITOR_TRAP_FLAG)))
		fail(c, SDM_ENTRY_CTLS, VM_ENTRY_INTR_INFO, info,
		     "VM-entry interruption information: type must not be 1, nor 7 without monitor trap flag support");
	if ((type == INTR_TYPE_NMI && vector != X86_EXC_NMI) ||
	    (type == INTR_TYPE_HW_EXCEPTION && vector > 31) ||
	    (type == INTR_TYPE_OTHER_EVENT && vector != 0))
		fail(c, SDM_ENTRY_CTLS, VM_ENTRY_INTR_INFO, info,
		     "VM-entry interruption information: vector must be 2 for an NMI, at most 31 for a hardware exception, 0 for other event");
	if (c->caps->basic & VMX_BASIC_ANY_ERROR_CODE) {
		if (deliver && !(protected_mode && type == INTR_TYPE_HW_EXCEPTION))
			fail(c, SDM_ENTRY_CTLS, VM_ENTRY_INTR_INFO, info,
			     "VM-entry interruption information: only a hardware exception in protected mode may deliver an error code");
	} else if (deliver != (protected_mode && type == INTR_TYPE_HW_EXCEPTION &&
			       exception_has_error_code(vector))) {
		fail(c, SDM_ENTRY_CTLS, VM_ENTRY_INTR_INFO, info,
		     "VM-entry interruption information: deliver-error-code must be 1 exactly for #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP in protected mode");
	}
	if (info & INTR_INFO_RESERVED)
		fail(c, SDM_ENTRY_CTLS, VM_ENTRY_INTR_INFO, info,
		     "VM-entry interruption information: reserved bits 30:12 must be 0");
	if (deliver) {
		v = vmread(VM_ENTRY_EXCEPTION_ERROR_CODE);
		if (v & GENMASK(31, 16))
			fail(c, SDM_ENTRY_CTLS, VM_ENTRY_EXCEPTION_ERROR_CODE, v,
			     "VM-entry exception error code: bits 31:16 must be 0");
	}
	if (type == INTR_TYPE_SW_INTERRUPT || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	    type == INTR_TYPE_SW_EXCEPTION) {
		v = vmread(VM_ENTRY_INSTRUCTION_LEN);
		if (v > 15 || (v == 0 && !(c->caps->misc & VMX_MISC_ZERO_INSN_LEN)))
			fail(c, SDM_ENTRY_CTLS, VM_ENTRY_INSTRUCTION_LEN, v,
			     "VM-entry instruction length must be 1-15 for a software interrupt or exception (0 if IA32_VMX_MISC[30])");
	}
}

/* 27.2.1.3: VM-entry control fields */
static void check_entry_controls(struct check_ctx *c)
{
	u64 addr = vmread(VM_ENTRY_MSR_LOAD_ADDR), count = vmread(VM_ENTRY_MSR_LOAD_COUNT);

	check_ctl_field(c, VM_ENTRY_CONTROLS, c->entry, &c->caps->entry, SDM_ENTRY_CTLS);
	check_event_injection(c);
	if (!msr_area_ok(c, addr, count))
		fail(c, SDM_ENTRY_CTLS, VM_ENTRY_MSR_LOAD_ADDR, addr,
		     "VM-entry MSR-load address must be 16-byte aligned and the area within the physical-address width");
	/* hv never runs in SMM. */
	if (c->entry & (ENTRY_TO_SMM | ENTRY_DEACTIVATE_DUAL_MONITOR))
		fail(c, SDM_ENTRY_CTLS, VM_ENTRY_CONTROLS, c->entry,
		     "entry to SMM and deactivate dual-monitor treatment must be 0 outside SMM");
}

/* 27.2.2: host control registers and MSRs */
static void check_host_control_registers(struct check_ctx *c)
{
	const struct vmx_caps *caps = c->caps;
	u64 cr0 = vmread(HOST_CR0), cr4 = vmread(HOST_CR4), cr3 = vmread(HOST_CR3);
	bool host64 = c->exit & EXIT_HOST_ADDRESS_SPACE_SIZE;
	u64 v;

	if ((cr0 & caps->cr0_fixed0) != caps->cr0_fixed0)
		fail(c, SDM_HOST_CR, HOST_CR0, cr0,
		     "host CR0: bits IA32_VMX_CR0_FIXED0 fixes to 1 must be 1");
	if (cr0 & ~caps->cr0_fixed1)
		fail(c, SDM_HOST_CR, HOST_CR0, cr0,
		     "host CR0: bits IA32_VMX_CR0_FIXED1 fixes to 0 must be 0");
	if ((cr4 & caps->cr4_fixed0) != caps->cr4_fixed0)
		fail(c, SDM_HOST_CR, HOST_CR4, cr4,
		     "host CR4: bits IA32_VMX_CR4_FIXED0 fixes to 1 must be 1");
	if (cr4 & ~caps->cr4_fixed1)
		fail(c, SDM_HOST_CR, HOST_CR4, cr4,
		     "host CR4: bits IA32_VMX_CR4_FIXED1 fixes to 0 must be 0");
	if (beyond_width(cr3, c->pa_bits))
		fail(c, SDM_HOST_CR, HOST_CR3, cr3,
		     "host CR3: bits beyond the physical-address width must be 0");
	if ((cr4 & X86_CR4_CET) && !(cr0 & X86_CR0_WP))
		fail(c, SDM_HOST_CR, HOST_CR4, cr4, "host CR4.CET=1 requires CR0.WP=1");

	v = vmread(HOST_IA32_SYSENTER_ESP);
	if (!canonical(c, v))
		fail(c, SDM_HOST_CR, HOST_IA32_SYSENTER_ESP, v,
		     "host IA32_SYSENTER_ESP must be canonical");
	v = vmread(HOST_IA32_SYSENTER_EIP);
	if (!canonical(c, v))
		fail(c, SDM_HOST_CR, HOST_IA32_SYSENTER_EIP, v,
		     "host IA32_SYSENTER_EIP must be canonical");

	if (c->exit & EXIT_LOAD_PERF_GLOBAL_CTRL) {
		v = vmread(HOST_IA32_PERF_GLOBAL_CTRL);
		if (v & ~perf_global_ctrl_defined())
			fail(c, SDM_HOST_CR, HOST_IA32_PERF_GLOBAL_CTRL, v,
			     "host IA32_PERF_GLOBAL_CTRL (load control): reserved bits must be 0");
	}
	if (c->exit & EXIT_LOAD_PAT) {
		v = vmread(HOST_IA32_PAT);
		if (!pat_valid(v))
			fail(c, SDM_HOST_CR, HOST_IA32_PAT, v,
			     "host IA32_PAT (load control): each entry must be 0, 1, 4, 5, 6 or 7");
	}
	if (c->exit & EXIT_LOAD_EFER) {
		v = vmread(HOST_IA32_EFER);
		if (v & ~EFER_DEFINED)
			fail(c, SDM_HOST_CR, HOST_IA32_EFER, v,
			     "host IA32_EFER (load control): reserved bits must be 0");
		if ((bool)(v & EFER_LMA) != host64 || (bool)(v & EFER_LME) != host64)
			fail(c, SDM_HOST_CR, HOST_IA32_EFER, v,
			     "host IA32_EFER.LMA and LME must equal the host address-space size control");
	}
	if (c->exit & EXIT_LOAD_PKRS) {
		v = vmread(HOST_IA32_PKRS);
		if (v >> 32)
			fail(c, SDM_HOST_CR, HOST_IA32_PKRS, v,
			     "host IA32_PKRS (load control): bits 63:32 must be 0");
	}
}

/* 27.2.3: host segment and descriptor-table registers */
static void check_host_segments(struct check_ctx *c)
{
	static const u32 selectors[] = { HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR,
					 HOST_DS_SELECTOR, HOST_FS_SELECTOR, HOST_GS_SELECTOR,
					 HOST_TR_SELECTOR };
	static const u32 bases[] = { HOST_FS_BASE, HOST_GS_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE,
				     HOST_TR_BASE };
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(selectors); i++) {
		v = vmread(selectors[i]);
		if (v & 7)
			fail(c, SDM_HOST_SEG, selectors[i], v,
			     "host selectors: RPL (bits 1:0) and TI (bit 2) must be 0");
	}
	v = vmread(HOST_CS_SELECTOR);
	if (v == 0)
		fail(c, SDM_HOST_SEG, HOST_CS_SELECTOR, v, "host CS selector must not be 0000H");
	v = vmread(HOST_TR_SELECTOR);
	if (v == 0)
		fail(c, SDM_HOST_SEG, HOST_TR_SELECTOR, v, "host TR selector must not be 0000H");
	v = vmread(HOST_SS_SELECTOR);
	if (v == 0 && !(c->exit & EXIT_HOST_ADDRESS_SPACE_SIZE))
		fail(c, SDM_HOST_SEG, HOST_SS_SELECTOR, v,
		     "host SS selector must not be 0000H unless the host address-space size is 64-bit");
	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		v = vmread(bases[i]);
		if (!canonical(c, v))
			fail(c, SDM_HOST_SEG, bases[i], v,
			     "host FS, GS, GDTR, IDTR and TR bases must be canonical");
	}
}

/* 27.2.4: address-space size. hv runs in 64-bit mode, so it enters VMX with IA32_EFER.LMA=1. */
static void check_address_space_size(struct check_ctx *c)
{
	u64 rip = vmread(HOST_RIP), cr4 = vmread(HOST_CR4);

	if (!(c->exit & EXIT_HOST_ADDRESS_SPACE_SIZE)) {
		fail(c, SDM_HOST_ASZ, VM_EXIT_CONTROLS, c->exit,
		     "host address-space size must be 1 when VM entry starts in IA-32e mode (hv is 64-bit)");
		if (c->entry & ENTRY_IA32E_MODE_GUEST)
			fail(c, SDM_HOST_ASZ, VM_ENTRY_CONTROLS, c->entry,
			     "IA-32e mode guest requires host address-space size 1");
		if (cr4 & X86_CR4_PCIDE)
			fail(c, SDM_HOST_ASZ, HOST_CR4, cr4,
			     "host CR4.PCIDE must be 0 with host address-space size 0");
		if (rip >> 32)
			fail(c, SDM_HOST_ASZ, HOST_RIP, rip,
			     "host RIP: bits 63:32 must be 0 with host address-space size 0");
		return;
	}
	if (!(cr4 & X86_CR4_PAE))
		fail(c, SDM_HOST_ASZ, HOST_CR4, cr4,
		     "host CR4.PAE must be 1 with host address-space size 1");
	if (!canonical(c, rip))
		fail(c, SDM_HOST_ASZ, HOST_RIP, rip,
		     "host RIP must be canonical with host address-space size 1");
}

unsigned int vmx_check_controls_and_host_state(const struct vmx_caps *caps,
					       struct vmx_check_failure *out, unsigned int max)
{
	struct check_ctx c;

	init_ctx(&c, caps, out, max);
	check_execution_controls(&c);
	check_exit_controls(&c);
	check_entry_controls(&c);
	check_host_control_registers(&c);
	check_host_segments(&c);
	check_address_space_size(&c);
	return c.count;
}

/* ---- Names ---- */

#define FIELD(f)      \
	{             \
		f, #f \
	}

static const struct {
	u32 field;
	const char *name;
} field_names[] = {
	FIELD(VIRTUAL_PROCESSOR_ID),
	FIELD(POSTED_INTR_NOTIFICATION_VECTOR),
	FIELD(EPTP_INDEX),
	FIELD(LAST_PID_POINTER_INDEX),
	FIELD(GUEST_ES_SELECTOR),
	FIELD(GUEST_CS_SELECTOR),
	FIELD(GUEST_SS_SELECTOR),
	FIELD(GUEST_DS_SELECTOR),
	FIELD(GUEST_FS_SELECTOR),
	FIELD(GUEST_GS_SELECTOR),
	FIELD(GUEST_LDTR_SELECTOR),
	FIELD(GUEST_TR_SELECTOR),
	FIELD(GUEST_INTR_STATUS),
	FIELD(GUEST_PML_INDEX),
	FIELD(HOST_ES_SELECTOR),
	FIELD(HOST_CS_SELECTOR),
	FIELD(HOST_SS_SELECTOR),
	FIELD(HOST_DS_SELECTOR),
	FIELD(HOST_FS_SELECTOR),
	FIELD(HOST_GS_SELECTOR),
	FIELD(HOST_TR_SELECTOR),
	FIELD(IO_BITMAP_A),
	FIELD(IO_BITMAP_B),
	FIELD(MSR_BITMAP),
	FIELD(VM_EXIT_MSR_STORE_ADDR),
	FIELD(VM_EXIT_MSR_LOAD_ADDR),
	FIELD(VM_ENTRY_MSR_LOAD_ADDR),
	FIELD(EXECUTIVE_VMCS_POINTER),
	FIELD(PML_ADDRESS),
	FIELD(TSC_OFFSET),
	FIELD(VIRTUAL_APIC_PAGE_ADDR),
	FIELD(APIC_ACCESS_ADDR),
	FIELD(POSTED_INTR_DESC_ADDR),
	FIELD(VM_FUNCTION_CONTROL),
	FIELD(EPT_POINTER),
	FIELD(EOI_EXIT_BITMAP0),
	FIELD(EOI_EXIT_BITMAP1),
	FIELD(EOI_EXIT_BITMAP2),
	FIELD(EOI_EXIT_BITMAP3),
	FIELD(EPTP_LIST_ADDR),
	FIELD(VMREAD_BITMAP),
	FIELD(VMWRITE_BITMAP),
	FIELD(VE_INFO_ADDR),
	FIELD(XSS_EXIT_BITMAP),
	FIELD(TSC_MULTIPLIER),
	FIELD(TERTIARY_VM_EXEC_CONTROL),
	FIELD(PID_POINTER_TABLE),
	FIELD(GUEST_PHYSICAL_ADDRESS),
	FIELD(VMCS_LINK_POINTER),
	FIELD(GUEST_IA32_DEBUGCTL),
	FIELD(GUEST_IA32_PAT),
	FIELD(GUEST_IA32_EFER),
	FIELD(GUEST_IA32_PERF_GLOBAL_CTRL),
	FIELD(GUEST_PDPTE0),
	FIELD(GUEST_PDPTE1),
	FIELD(GUEST_PDPTE2),
	FIELD(GUEST_PDPTE3),
	FIELD(GUEST_IA32_BNDCFGS),
	FIELD(GUEST_IA32_RTIT_CTL),
	FIELD(GUEST_IA32_LBR_CTL),
	FIELD(GUEST_IA32_PKRS),
	FIELD(HOST_IA32_PAT),
	FIELD(HOST_IA32_EFER),
	FIELD(HOST_IA32_PERF_GLOBAL_CTRL),
	FIELD(HOST_IA32_PKRS),
	FIELD(PIN_BASED_VM_EXEC_CONTROL),
	FIELD(CPU_BASED_VM_EXEC_CONTROL),
	FIELD(EXCEPTION_BITMAP),
	FIELD(PAGE_FAULT_ERROR_CODE_MASK),
	FIELD(PAGE_FAULT_ERROR_CODE_MATCH),
	FIELD(CR3_TARGET_COUNT),
	FIELD(VM_EXIT_CONTROLS),
	FIELD(VM_EXIT_MSR_STORE_COUNT),
	FIELD(VM_EXIT_MSR_LOAD_COUNT),
	FIELD(VM_ENTRY_CONTROLS),
	FIELD(VM_ENTRY_MSR_LOAD_COUNT),
	FIELD(VM_ENTRY_INTR_INFO),
	FIELD(VM_ENTRY_EXCEPTION_ERROR_CODE),
	FIELD(VM_ENTRY_INSTRUCTION_LEN),
	FIELD(TPR_THRESHOLD),
	FIELD(SECONDARY_VM_EXEC_CONTROL),
	FIELD(PLE_GAP),
	FIELD(PLE_WINDOW),
	FIELD(VM_INSTRUCTION_ERROR),
	FIELD(VM_EXIT_REASON),
	FIELD(VM_EXIT_INTR_INFO),
	FIELD(VM_EXIT_INTR_ERROR_CODE),
	FIELD(IDT_VECTORING_INFO),
	FIELD(IDT_VECTORING_ERROR_CODE),
	FIELD(VM_EXIT_INSTRUCTION_LEN),
	FIELD(VMX_INSTRUCTION_INFO),
	FIELD(GUEST_ES_LIMIT),
	FIELD(GUEST_CS_LIMIT),
	FIELD(GUEST_SS_LIMIT),
	FIELD(GUEST_DS_LIMIT),
	FIELD(GUEST_FS_LIMIT),
	FIELD(GUEST_GS_LIMIT),
	FIELD(GUEST_LDTR_LIMIT),
	FIELD(GUEST_TR_LIMIT),
	FIELD(GUEST_GDTR_LIMIT),
	FIELD(GUEST_IDTR_LIMIT),
	FIELD(GUEST_ES_AR_BYTES),
	FIELD(GUEST_CS_AR_BYTES),
	FIELD(GUEST_SS_AR_BYTES),
	FIELD(GUEST_DS_AR_BYTES),
	FIELD(GUEST_FS_AR_BYTES),
	FIELD(GUEST_GS_AR_BYTES),
	FIELD(GUEST_LDTR_AR_BYTES),
	FIELD(GUEST_TR_AR_BYTES),
	FIELD(GUEST_INTERRUPTIBILITY_INFO),
	FIELD(GUEST_ACTIVITY_STATE),
	FIELD(GUEST_SMBASE),
	FIELD(GUEST_SYSENTER_CS),
	FIELD(VMX_PREEMPTION_TIMER_VALUE),
	FIELD(HOST_IA32_SYSENTER_CS),
	FIELD(CR0_GUEST_HOST_MASK),
	FIELD(CR4_GUEST_HOST_MASK),
	FIELD(CR0_READ_SHADOW),
	FIELD(CR4_READ_SHADOW),
	FIELD(CR3_TARGET_VALUE0),
	FIELD(EXIT_QUALIFICATION),
	FIELD(IO_RCX),
	FIELD(IO_RSI),
	FIELD(IO_RDI),
	FIELD(IO_RIP),
	FIELD(GUEST_LINEAR_ADDRESS),
	FIELD(GUEST_CR0),
	FIELD(GUEST_CR3),
	FIELD(GUEST_CR4),
	FIELD(GUEST_ES_BASE),
	FIELD(GUEST_CS_BASE),
	FIELD(GUEST_SS_BASE),
	FIELD(GUEST_DS_BASE),
	FIELD(GUEST_FS_BASE),
	FIELD(GUEST_GS_BASE),
	FIELD(GUEST_LDTR_BASE),
	FIELD(GUEST_TR_BASE),
	FIELD(GUEST_GDTR_BASE),
	FIELD(GUEST_IDTR_BASE),
	FIELD(GUEST_DR7),
	FIELD(GUEST_RSP),
	FIELD(GUEST_RIP),
	FIELD(GUEST_RFLAGS),
	FIELD(GUEST_PENDING_DBG_EXCEPTIONS),
	FIELD(GUEST_SYSENTER_ESP),
	FIELD(GUEST_SYSENTER_EIP),
	FIELD(GUEST_S_CET),
	FIELD(GUEST_SSP),
	FIELD(GUEST_INTR_SSP_TABLE_ADDR),
	FIELD(HOST_CR0),
	FIELD(HOST_CR3),
	FIELD(HOST_CR4),
	FIELD(HOST_FS_BASE),
	FIELD(HOST_GS_BASE),
	FIELD(HOST_TR_BASE),
	FIELD(HOST_GDTR_BASE),
	FIELD(HOST_IDTR_BASE),
	FIELD(HOST_IA32_SYSENTER_ESP),
	FIELD(HOST_IA32_SYSENTER_EIP),
	FIELD(HOST_RSP),
	FIELD(HOST_RIP),
};

const char *vmcs_field_name(u32 field)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(field_names); i++)
		if (field_names[i].field == field)
			return field_names[i].name;
	return NULL;
}

/* SDM Vol. 3C 31.4, Table 31-1; numbers 14, 21 and 27 are not assigned. */
static const char *const vm_instruction_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF (VMXOFF and VMXON between VMLAUNCH and VMRESUME)",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer (when attempting to deactivate the dual-monitor treatment of SMIs and SMM)",
	[19] = "VMCALL with non-clear VMCS (when attempting to activate the dual-monitor treatment of SMIs and SMM)",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier (when attempting to activate the dual-monitor treatment of SMIs and SMM)",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features (when attempting to activate the dual-monitor treatment of SMIs and SMM)",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS (when attempting to return from SMM)",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "Invalid operand to INVEPT/INVVPID",
};

const char *vm_instruction_error_name(u32 error)
{
	return error < ARRAY_SIZE(vm_instruction_errors) ? vm_instruction_errors[error] : NULL;
}
