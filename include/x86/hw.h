/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware-access interface: every privileged instruction hv executes is
 * wrapped here. Host tests put tests/model/include first on the include path
 * and get a model of the same functions instead (see docs/TESTING.md).
 */
#ifndef X86_HW_H
#define X86_HW_H

#include <types.h>

/*
 * Exception-table entry: a fault at @insn resumes at @fixup. The #GP/#UD
 * handler consults the table (hv/core/trap.c).
 */
#define EXTABLE_ENTRY(insn, fixup)                                               \
	".pushsection .ex_table, \"a\"\n\t.balign 8\n\t.quad " #insn ", " #fixup \
	"\n\t.popsection\n\t"

/* Host physical memory is identity-mapped by hv's page tables. */
static inline void *phys_to_virt(u64 pa)
{
	return (void *)(uintptr_t)pa;
}

static inline u64 virt_to_phys(const void *va)
{
	return (u64)(uintptr_t)va;
}

/*
 * GS_BASE points at the running CPU's per-CPU area, whose first word points
 * to itself (hv/core/percpu.h): one load finds it.
 */
static inline void *gs_self(void)
{
	void *p;

	__asm__ __volatile__("mov %%gs:0, %0" : "=r"(p));
	return p;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	__asm__ __volatile__("wrmsr" ::"c"(msr), "a"((u32)val), "d"((u32)(val >> 32)) : "memory");
}

/* Returns 0, or -1 when the MSR does not exist (the read raised #GP). */
static inline int rdmsr_safe(u32 msr, u64 *val)
{
	u32 lo = 0, hi = 0;
	int err = 0;

	__asm__ __volatile__("1: rdmsr\n\t"
			     "2:\n\t"
			     ".pushsection .fixup, \"ax\"\n\t"
			     "3: movl $-1, %[err]\n\t"
			     "jmp 2b\n\t"
			     ".popsection\n\t" EXTABLE_ENTRY(1b, 3b)
			     : [err] "+r"(err), "+a"(lo), "+d"(hi)
			     : "c"(msr));
	*val = ((u64)hi << 32) | lo;
	return err;
}

static inline int wrmsr_safe(u32 msr, u64 val)
{
	int err = 0;

	__asm__ __volatile__("1: wrmsr\n\t"
			     "2:\n\t"
			     ".pushsection .fixup, \"ax\"\n\t"
			     "3: movl $-1, %[err]\n\t"
			     "jmp 2b\n\t"
			     ".popsection\n\t" EXTABLE_ENTRY(1b, 3b)
			     : [err] "+r"(err)
			     : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
			     : "memory");
	return err;
}

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(u32 leaf, u32 subleaf)
{
	struct cpuid_regs r;

	__asm__ __volatile__("cpuid"
			     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline void outb(u16 port, u8 v)
{
	__asm__ __volatile__("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	__asm__ __volatile__("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	__asm__ __volatile__("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define DEFINE_CR_ACCESS(n)                                                  \
	static inline u64 read_cr##n(void)                                   \
	{                                                                    \
		u64 v;                                                       \
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));        \
		return v;                                                    \
	}                                                                    \
	static inline void write_cr##n(u64 v)                                \
	{                                                                    \
		__asm__ __volatile__("mov %0, %%cr" #n ::"r"(v) : "memory"); \
	}
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)
#undef DEFINE_CR_ACCESS

#define DEFINE_DR_ACCESS(n)                                                  \
	static inline u64 read_dr##n(void)                                   \
	{                                                                    \
		u64 v;                                                       \
		__asm__ __volatile__("mov %%dr" #n ", %0" : "=r"(v));        \
		return v;                                                    \
	}                                                                    \
	static inline void write_dr##n(u64 v)                                \
	{                                                                    \
		__asm__ __volatile__("mov %0, %%dr" #n ::"r"(v) : "memory"); \
	}
DEFINE_DR_ACCESS(0)
DEFINE_DR_ACCESS(1)
DEFINE_DR_ACCESS(2)
DEFINE_DR_ACCESS(3)
DEFINE_DR_ACCESS(6)
#undef DEFINE_DR_ACCESS

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline u64 xgetbv(u32 index)
{
	u32 lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return ((u64)hi << 32) | lo;
}

/* Returns 0, or -1 when the value is refused (#GP). */
static inline int xsetbv_safe(u32 index, u64 val)
{
	int err = 0;

	__asm__ __volatile__("1: xsetbv\n\t"
			     "2:\n\t"
			     ".pushsection .fixup, \"ax\"\n\t"
			     "3: movl $-1, %[err]\n\t"
			     "jmp 2b\n\t"
			     ".popsection\n\t" EXTABLE_ENTRY(1b, 3b)
			     : [err] "+r"(err)
			     : "c"(index), "a"((u32)val), "d"((u32)(val >> 32)));
	return err;
}

/*
 * VERW with a memory operand overwrites the CPU buffers on CPUs that
 * enumerate MD_CLEAR (Intel's MDS guidance). @selector: a writable data
 * segment's, so the instruction itself succeeds.
 */
static inline void verw_clear_cpu_buffers(u16 selector)
{
	__asm__ __volatile__("verw %0" ::"m"(selector) : "cc");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

/*
 * VMX instructions. The *_checked variants return the instruction's outcome
 * (SDM Vol. 3C 31.2): 0 = VMsucceed, 1 = VMfailValid (error number in the
 * VM-instruction error field), 2 = VMfailInvalid.
 */
enum vmx_insn_result { VMX_OK = 0, VMX_FAIL_VALID = 1, VMX_FAIL_INVALID = 2 };

#define VMX_RESULT_FROM_FLAGS "setbe %[fail]\n\tsetb %[invalid]\n\t"
static inline enum vmx_insn_result vmx_result(u8 fail, u8 invalid)
{
	return invalid ? VMX_FAIL_INVALID : fail ? VMX_FAIL_VALID : VMX_OK;
}

static inline enum vmx_insn_result vmxon(u64 pa)
{
	u8 fail, invalid;

	__asm__ __volatile__("vmxon %[pa]\n\t" VMX_RESULT_FROM_FLAGS
			     : [fail] "=qm"(fail), [invalid] "=qm"(invalid)
			     : [pa] "m"(pa)
			     : "cc", "memory");
	return vmx_result(fail, invalid);
}

static inline enum vmx_insn_result vmclear(u64 pa)
{
	u8 fail, invalid;

	__asm__ __volatile__("vmclear %[pa]\n\t" VMX_RESULT_FROM_FLAGS
			     : [fail] "=qm"(fail), [invalid] "=qm"(invalid)
			     : [pa] "m"(pa)
			     : "cc", "memory");
	return vmx_result(fail, invalid);
}

static inline enum vmx_insn_result vmptrld(u64 pa)
{
	u8 fail, invalid;

	__asm__ __volatile__("vmptrld %[pa]\n\t" VMX_RESULT_FROM_FLAGS
			     : [fail] "=qm"(fail), [invalid] "=qm"(invalid)
			     : [pa] "m"(pa)
			     : "cc", "memory");
	return vmx_result(fail, invalid);
}

/* Hot-path accessors: the field numbers are constants hv knows to be valid. */
static inline u64 vmread(u32 field)
{
	u64 v;

	__asm__ __volatile__("vmread %[field], %[v]"
			     : [v] "=r"(v)
			     : [field] "r"((u64)field)
			     : "cc");
	return v;
}

static inline void vmwrite(u32 field, u64 v)
{
	__asm__ __volatile__("vmwrite %[v], %[field]" ::[field] "r"((u64)field), [v] "rm"(v)
			     : "cc");
}

static inline enum vmx_insn_result vmwrite_checked(u32 field, u64 v)
{
	u8 fail, invalid;

	__asm__ __volatile__("vmwrite %[v], %[field]\n\t" VMX_RESULT_FROM_FLAGS
			     : [fail] "=qm"(fail), [invalid] "=qm"(invalid)
			     : [field] "r"((u64)field), [v] "rm"(v)
			     : "cc");
	return vmx_result(fail, invalid);
}

static inline enum vmx_insn_result vmread_checked(u32 field, u64 *v)
{
	u8 fail, invalid;

	__asm__ __volatile__("vmread %[field], %[v]\n\t" VMX_RESULT_FROM_FLAGS
			     : [fail] "=qm"(fail), [invalid] "=qm"(invalid), [v] "=rm"(*v)
			     : [field] "r"((u64)field)
			     : "cc");
	return vmx_result(fail, invalid);
}

struct invept_desc {
	u64 eptp;
	u64 reserved;
};

struct invvpid_desc {
	u64 vpid;
	u64 linear_address;
};

static inline enum vmx_insn_result invept(u64 type, u64 eptp)
{
	struct invept_desc d = { eptp, 0 };
	u8 fail, invalid;

	__asm__ __volatile__("invept %[d], %[type]\n\t" VMX_RESULT_FROM_FLAGS
			     : [fail] "=qm"(fail), [invalid] "=qm"(invalid)
			     : [d] "m"(d), [type] "r"(type)
			     : "cc", "memory");
	return vmx_result(fail, invalid);
}

static inline enum vmx_insn_result invvpid(u64 type, u16 vpid, u64 gla)
{
	struct invvpid_desc d = { vpid, gla };
	u8 fail, invalid;

	__asm__ __volatile__("invvpid %[d], %[type]\n\t" VMX_RESULT_FROM_FLAGS
			     : [fail] "=qm"(fail), [invalid] "=qm"(invalid)
			     : [d] "m"(d), [type] "r"(type)
			     : "cc", "memory");
	return vmx_result(fail, invalid);
}

#endif /* X86_HW_H */
