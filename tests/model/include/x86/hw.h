/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-test model of include/x86/hw.h: the same functions over plain data.
 * A VMCS is an array of fields, MSRs a table (an MSR not in the table raises
 * "#GP": the *_safe calls fail), CPUID a table, physical memory a host buffer
 * at model_phys_base. Written from the SDM's description of the instructions,
 * not from the code under test. See tests/model/model.c.
 */
#ifndef MODEL_X86_HW_H
#define MODEL_X86_HW_H

#include <types.h>

#define EXTABLE_ENTRY(insn, fixup) ""

extern uintptr_t model_phys_base;
/*
 * Called by every phys_to_virt() when set: a test makes the CPU that is
 * about to use the page at @pa wait there, or lets another CPU act first.
 */
extern void (*model_phys_access_hook)(u64 pa);

static inline void *phys_to_virt(u64 pa)
{
	if (model_phys_access_hook)
		model_phys_access_hook(pa);
	return (void *)(model_phys_base + (uintptr_t)pa);
}

static inline u64 virt_to_phys(const void *va)
{
	return (u64)((uintptr_t)va - model_phys_base);
}

/* The running "CPU": each test thread sets its own per-CPU area. */
extern __thread void *model_gs_self;
static inline void *gs_self(void)
{
	return model_gs_self;
}

/* MSRs */
/*
 * A device model that answers some MSRs itself, with their semantics
 * (tests/model/pmu_model.c): asked before the table. read/write return 0,
 * or -1 for "#GP".
 */
struct model_msr_device {
	bool (*owns)(u32 msr);
	int (*read)(u32 msr, u64 *val);
	int (*write)(u32 msr, u64 val);
};
extern const struct model_msr_device *model_msr_device;
void model_msr_reset(void);
void model_msr_set(u32 msr, u64 val); /* makes the MSR exist */
void model_msr_remove(u32 msr);
bool model_msr_exists(u32 msr);
unsigned int model_msr_writes(u32 msr); /* successful WRMSRs since its model_msr_set() */
int rdmsr_safe(u32 msr, u64 *val);
int wrmsr_safe(u32 msr, u64 val);
u64 rdmsr(u32 msr); /* aborts the test when the MSR does not exist */
void wrmsr(u32 msr, u64 val);

/* Recorded fixtures (tests/model/bochs_tigerlake.c, bochs_sapphire_rapids.c) */
void model_set_bochs_tigerlake_vmx_msrs(void);
void model_set_bochs_sapphire_rapids_vmx_msrs(void);

/* CPUID */
struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};
void model_cpuid_reset(void);
void model_cpuid_set(u32 leaf, u32 subleaf, struct cpuid_regs r);
struct cpuid_regs cpuid(u32 leaf, u32 subleaf);

/* The current VMCS, one of MODEL_VMCS_SLOTS (slot 0 unless a test loads another) */
enum vmx_insn_result { VMX_OK = 0, VMX_FAIL_VALID = 1, VMX_FAIL_INVALID = 2 };
#define MODEL_VMCS_SLOTS 4
void model_vmcs_load(unsigned int slot); /* VMPTRLD of that slot's VMCS */
void model_vmcs_reset(void);
u64 vmread(u32 field);
void vmwrite(u32 field, u64 val);
enum vmx_insn_result vmread_checked(u32 field, u64 *val);
enum vmx_insn_result vmwrite_checked(u32 field, u64 val);
/* One VMCS in the model: loading any region makes it current, as it already is. */
enum vmx_insn_result vmptrld(u64 pa);

/* INVEPT / INVVPID are recorded: tests assert how many and of which type. */
extern unsigned int model_invept_count;
extern u64 model_invept_last_type;
/* Called by every INVEPT when set: a test's model of the translation caches. */
extern void (*model_invept_hook)(u64 type, u64 eptp);
enum vmx_insn_result invept(u64 type, u64 eptp);
enum vmx_insn_result invvpid(u64 type, u16 vpid, u64 gla);

/* CR4 of the running "CPU" (one for all test threads). */
extern u64 model_cr4;
static inline u64 read_cr4(void)
{
	return model_cr4;
}

static inline void write_cr4(u64 val)
{
	model_cr4 = val;
}

/* VERW that clears the CPU buffers: counted. */
extern unsigned int model_verw_count;
static inline void verw_clear_cpu_buffers(u16 selector)
{
	model_verw_count++;
}

/*
 * PAUSE in a spin loop. Host tests may run more threads than the host has
 * cores: a thread that waits for another gives its core away.
 */
int sched_yield(void);
static inline void cpu_relax(void)
{
	sched_yield();
}

static inline u64 rdtsc(void)
{
	return __builtin_ia32_rdtsc();
}

#endif /* MODEL_X86_HW_H */
