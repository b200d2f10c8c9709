// SPDX-License-Identifier: GPL-2.0
/* The hardware model behind tests/model/include/x86/hw.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86/hw.h>

uintptr_t model_phys_base;
void (*model_phys_access_hook)(u64 pa);
__thread void *model_gs_self;

#define MODEL_MAX_MSRS 512
#define MODEL_MAX_CPUID 64
#define MODEL_VMCS_FIELDS 0x8000 /* encodings are below 0x7000 */

static struct {
	u32 msr;
	u64 val;
	unsigned int writes; /* by hv's WRMSRs, not by model_msr_set() */
} msrs[MODEL_MAX_MSRS];
static unsigned int nr_msrs;

static struct {
	u32 leaf, subleaf;
	struct cpuid_regs r;
} cpuids[MODEL_MAX_CPUID];
static unsigned int nr_cpuids;

static u64 vmcs_slots[MODEL_VMCS_SLOTS][MODEL_VMCS_FIELDS];
static bool vmcs_valid_slots[MODEL_VMCS_SLOTS][MODEL_VMCS_FIELDS];
static u64 *vmcs = vmcs_slots[0];
static bool *vmcs_valid = vmcs_valid_slots[0];

const struct model_msr_device *model_msr_device;

unsigned int model_invept_count;
unsigned int model_verw_count;
u64 model_cr4;
u64 model_invept_last_type;

void model_msr_reset(void)
{
	nr_msrs = 0;
}

static int msr_index(u32 msr)
{
	unsigned int i;

	for (i = 0; i < nr_msrs; i++)
		if (msrs[i].msr == msr)
			return (int)i;
	return -1;
}

void model_msr_set(u32 msr, u64 val)
{
	int i = msr_index(msr);

	if (i < 0) {
		if (nr_msrs == MODEL_MAX_MSRS)
			abort();
		i = (int)nr_msrs++;
		msrs[i].msr = msr;
	}
	msrs[i].val = val;
	msrs[i].writes = 0;
}

unsigned int model_msr_writes(u32 msr)
{
	int i = msr_index(msr);

	return i < 0 ? 0 : msrs[i].writes;
}

void model_msr_remove(u32 msr)
{
	int i = msr_index(msr);

	if (i >= 0)
		msrs[i] = msrs[--nr_msrs];
}

bool model_msr_exists(u32 msr)
{
	return msr_index(msr) >= 0;
}

int rdmsr_safe(u32 msr, u64 *val)
{
	int i;

	if (model_msr_device && model_msr_device->owns(msr))
		return model_msr_device->read(msr, val);
	i = msr_index(msr);

	if (i < 0)
		return -1;
	*val = msrs[i].val;
	return 0;
}

int wrmsr_safe(u32 msr, u64 val)
{
	int i;

	if (model_msr_device && model_msr_device->owns(msr))
		return model_msr_device->write(msr, val);
	i = msr_index(msr);

	if (i < 0)
		return -1;
	msrs[i].val = val;
	msrs[i].writes++;
	return 0;
}

u64 rdmsr(u32 msr)
{
	u64 v;

	if (rdmsr_safe(msr, &v)) {
		fprintf(stderr, "model: rdmsr of absent MSR 0x%x (#GP)\n", msr);
		abort();
	}
	return v;
}

void wrmsr(u32 msr, u64 val)
{
	if (wrmsr_safe(msr, val)) {
		fprintf(stderr, "model: wrmsr of absent MSR 0x%x (#GP)\n", msr);
		abort();
	}
}

void model_cpuid_reset(void)
{
	nr_cpuids = 0;
}

void model_cpuid_set(u32 leaf, u32 subleaf, struct cpuid_regs r)
{
	unsigned int i;

	for (i = 0; i < nr_cpuids; i++)
		if (cpuids[i].leaf == leaf && cpuids[i].subleaf == subleaf)
			break;
	if (i == nr_cpuids) {
		if (nr_cpuids == MODEL_MAX_CPUID)
			abort();
		nr_cpuids++;
	}
	cpuids[i].leaf = leaf;
	cpuids[i].subleaf = subleaf;
	cpuids[i].r = r;
}

struct cpuid_regs cpuid(u32 leaf, u32 subleaf)
{
	unsigned int i;

	for (i = 0; i < nr_cpuids; i++)
		if (cpuids[i].leaf == leaf && cpuids[i].subleaf == subleaf)
			return cpuids[i].r;
	return (struct cpuid_regs){ 0, 0, 0, 0 };
}

void model_vmcs_load(unsigned int slot)
{
	if (slot >= MODEL_VMCS_SLOTS)
		abort();
	vmcs = vmcs_slots[slot];
	vmcs_valid = vmcs_valid_slots[slot];
}

void model_vmcs_reset(void)
{
	memset(vmcs, 0, sizeof(vmcs_slots[0]));
	memset(vmcs_valid, 0, sizeof(vmcs_valid_slots[0]));
}

/* SDM Vol. 3D B: bits 14:13 of an encoding give the width; bit 0 "high" access. */
static u64 width_mask(u32 field)
{
	switch ((field >> 13) & 3) {
	case 0:
		return 0xffff;
	case 2:
		return 0xffffffff;
	default:
		return ~0ULL;
	}
}

u64 vmread(u32 field)
{
	if (field >= MODEL_VMCS_FIELDS) {
		fprintf(stderr, "model: vmread of invalid field 0x%x\n", field);
		abort();
	}
	return vmcs[field];
}

void vmwrite(u32 field, u64 val)
{
	if (field >= MODEL_VMCS_FIELDS) {
		fprintf(stderr, "model: vmwrite of invalid field 0x%x\n", field);
		abort();
	}
	vmcs[field] = val & width_mask(field);
	vmcs_valid[field] = true;
}

enum vmx_insn_result vmread_checked(u32 field, u64 *val)
{
	if (field >= MODEL_VMCS_FIELDS)
		return VMX_FAIL_VALID;
	*val = vmcs[field];
	return VMX_OK;
}

enum vmx_insn_result vmwrite_checked(u32 field, u64 val)
{
	if (field >= MODEL_VMCS_FIELDS)
		return VMX_FAIL_VALID;
	vmwrite(field, val);
	return VMX_OK;
}

void (*model_invept_hook)(u64 type, u64 eptp);

enum vmx_insn_result invept(u64 type, u64 eptp)
{
	__atomic_fetch_add(&model_invept_count, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&model_invept_last_type, type, __ATOMIC_RELAXED);
	if (model_invept_hook)
		model_invept_hook(type, eptp);
	return VMX_OK;
}

enum vmx_insn_result vmptrld(u64 pa)
{
	(void)pa;
	return VMX_OK;
}

enum vmx_insn_result invvpid(u64 type, u16 vpid, u64 gla)
{
	(void)type;
	(void)vpid;
	(void)gla;
	return VMX_OK;
}
