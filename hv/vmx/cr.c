// SPDX-License-Identifier: GPL-2.0
/*
 * Control-register exits. hv owns the CR0 and CR4 bits in the guest/host
 * masks: VMX's fixed bits (the guest sees what it wrote, through the read
 * shadows), CR0.CD/NW (the hardware's are hv's: entry does not load them),
 * the CR4 bits of features CPUID hides (setting them faults) and CR0.PG, whose
 * changes switch the guest in and out of IA-32e mode (SDM Vol. 3C 27.3.1.1:
 * the "IA-32e mode guest" entry control must equal EFER.LMA).
 */
#include <hv/ept/ept.h>
#include <hv/lib/string.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

/* Exit qualification for control-register accesses (SDM Vol. 3C Table 28-3) */
#define CR_QUAL_NUMBER(q) ((q)&0xf)
#define CR_QUAL_ACCESS_TYPE(q) (((q) >> 4) & 3)
#define CR_QUAL_REGISTER(q) (((q) >> 8) & 0xf)
#define CR_QUAL_LMSW_SOURCE(q) (((q) >> 16) & 0xffff)
#define CR_ACCESS_MOV_TO 0
#define CR_ACCESS_MOV_FROM 1
#define CR_ACCESS_CLTS 2
#define CR_ACCESS_LMSW 3
#define CR0_RESERVED GENMASK(63, 32)
#define CR0_LMSW_BITS (X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS)
#define CR0_PDPTE_RELOAD (X86_CR0_PG | X86_CR0_CD | X86_CR0_NW)

/* Recomputes EFER.LMA and the IA-32e mode entry control after CR0.PG or EFER.LME changed. */
void vmx_update_long_mode(u64 cr0, u64 efer)
{
	u64 entry = vmread(VM_ENTRY_CONTROLS);

	if ((cr0 & X86_CR0_PG) && (efer & EFER_LME)) {
		efer |= EFER_LMA;
		entry |= ENTRY_IA32E_MODE_GUEST;
	} else {
		efer &= ~EFER_LMA;
		entry &= ~ENTRY_IA32E_MODE_GUEST;
	}
	vmwrite(GUEST_IA32_EFER, efer);
	vmwrite(VM_ENTRY_CONTROLS, entry);
}

/*
 * PAE paging: loads the four PDPTEs from the table CR3 points to into the
 * VMCS, where VM entry takes them under EPT (SDM Vol. 3C 27.3.2.4). Returns
 * -1, loading nothing, if a present one has a reserved bit set (SDM Vol. 3A
 * 4.4.1): the MOV that asked raises #GP. A table outside RAM reads all-ones.
 */
static int load_pdptes(struct vcpu *v)
{
	u64 pdpte[X86_PAE_NR_PDPTES],
		reserved = X86_PDPTE_RESERVED_LOW | GENMASK(63, vmx_caps.pa_bits);
	unsigned int i;

	if (ept_read_guest(&v->partition->ept, vmread(GUEST_CR3) & X86_PAE_CR3_PDPT_MASK, pdpte,
			   sizeof(pdpte)))
		memset(pdpte, 0xff, sizeof(pdpte));
	for (i = 0; i < X86_PAE_NR_PDPTES; i++)
		if ((pdpte[i] & X86_PDPTE_P) && (pdpte[i] & reserved))
			return -1;
	for (i = 0; i < X86_PAE_NR_PDPTES; i++)
		vmwrite(GUEST_PDPTE0 + 2 * i, pdpte[i]);
	return 0;
}

static bool set_cr0(struct vcpu *v, u64 val)
{
	u64 old = vmx_guest_cr0(), cr4 = vmx_guest_cr4(), efer = vmread(GUEST_IA32_EFER);
	bool long_mode = efer & EFER_LMA, code64 = vmread(GUEST_CS_AR_BYTES) & SEG_AR_L;

	/* The architectural #GP conditions of MOV to CR0 (SDM Vol. 2B, MOV to CR). */
	if ((val & CR0_RESERVED) || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
	    ((val & X86_CR0_NW) && !(val & X86_CR0_CD)))
		return false;
	if ((val & X86_CR0_PG) && !(old & X86_CR0_PG) && (efer & EFER_LME) && !(cr4 & X86_CR4_PAE))
		return false;
	/* IA-32e mode is left from compatibility mode only: 64-bit code keeps paging on. */
	if (!(val & X86_CR0_PG) && long_mode && code64)
		return false;
	if (!(val & X86_CR0_PG) && (cr4 & X86_CR4_PCIDE))
		return false;
	/* PAE paging after a change of PG, CD or NW reloads the PDPTEs (SDM Vol. 3A 4.4.1). */
	if ((val & X86_CR0_PG) && (cr4 & X86_CR4_PAE) && !(efer & EFER_LME) &&
	    ((val ^ old) & CR0_PDPTE_RELOAD) && load_pdptes(v))
		return false;
	vmwrite(CR0_READ_SHADOW, val);
	/*
	 * PE and PG may be clear in VMX non-root only thanks to unrestricted
	 * guest; CD and NW stay hv's (the entry would not load them anyway).
	 */
	vmwrite(GUEST_CR0, ((val & ~(X86_CR0_CD | X86_CR0_NW)) |
			    (vmx_caps.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG))) &
				   vmx_caps.cr0_fixed1);
	/* A MOV to CR0 that changes PG flushes the TLBs (SDM Vol. 3A 4.10.4.1). */
	if ((val ^ old) & X86_CR0_PG) {
		vmx_update_long_mode(val, efer);
		vmx_flush_guest_tlb(v);
	}
	return true;
}

static bool set_cr4(u64 val)
{
	u64 cr0 = vmx_guest_cr0();
	bool long_mode = vmread(GUEST_IA32_EFER) & EFER_LMA;

	/* The bits of hidden features are as reserved as the bits the CPU lacks. */
	if ((val & CR4_HIDDEN_FEATURES) || (val & ~vmx_caps.cr4_fixed1))
		return false;
	if (long_mode && !(val & X86_CR4_PAE))
		return false;
	/* Only turning PCIDE on needs CR3[11:0] = 0: once on, they are the PCID (SDM Vol. 2B, MOV to CR). */
	if ((val & X86_CR4_PCIDE) &&
	    (!long_mode || (!(vmx_guest_cr4() & X86_CR4_PCIDE) && (vmread(GUEST_CR3) & 0xfff))))
		return false;
	if ((val & X86_CR4_CET) && !(cr0 & X86_CR0_WP))
		return false;
	vmwrite(CR4_READ_SHADOW, val);
	vmwrite(GUEST_CR4, (val | vmx_caps.cr4_fixed0 | CR4_HOST_FORCED) & vmx_caps.cr4_fixed1);
	return true;
}

enum exit_action vmx_handle_cr_access(struct vcpu *v)
{
	u64 q = vmread(EXIT_QUALIFICATION);
	unsigned int cr = CR_QUAL_NUMBER(q), reg = CR_QUAL_REGISTER(q);
	bool ok = true;

	switch (CR_QUAL_ACCESS_TYPE(q)) {
	case CR_ACCESS_MOV_TO: {
		u64 val = vmx_read_gpr(v, reg);

		if (cr == 0)
			ok = set_cr0(v, val);
		else if (cr == 4)
			ok = set_cr4(val);
		else if (cr == 3)
			vmwrite(GUEST_CR3, val);
		else
			ok = false;
		break;
	}
	case CR_ACCESS_MOV_FROM:
		/* CR3: CR8 never exits, the TPR shadow serves it (hv/apic). */
		vmx_write_gpr(v, reg, vmread(GUEST_CR3));
		break;
	case CR_ACCESS_CLTS:
		ok = set_cr0(v, vmx_guest_cr0() & ~X86_CR0_TS);
		break;
	case CR_ACCESS_LMSW: {
		u64 cr0 = vmx_guest_cr0();
		/* LMSW can set PE but never clear it. */
		u64 src = CR_QUAL_LMSW_SOURCE(q) | (cr0 & X86_CR0_PE);

		ok = set_cr0(v, (cr0 & ~CR0_LMSW_BITS) | (src & CR0_LMSW_BITS));
		break;
	}
	}
	if (!ok) {
		vmx_inject_gp();
		return EXIT_RESUME;
	}
	vmx_skip_instruction();
	return EXIT_RESUME;
}
