/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest test library: reporting in the kvm-unit-tests style, exception
 * catching, interrupt handlers, TSC measurement. A test kernel provides
 * main(); the library boots it (Multiboot 1, long mode, SSE, IDT, the
 * console as stdout) and passes main's return value to guest_exit().
 */
#ifndef GUEST_LIBGUEST_H
#define GUEST_LIBGUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <hypercall.h>
#include "processor.h"

/*
 * The console backend: stdout and stderr end in console_write(), after
 * console_init() ran once at boot. The library's backend is COM1
 * (lib/com1.c); a kernel with another console links the library without
 * com1.o and defines these two itself.
 */
void console_init(void);
void console_write(const char *s, size_t len);

/* Reporting: one "PASS: ", "FAIL: " or "SKIP: " line per check. */

/* Prints "TEST <name>", name = the test's file name without directory and ".c". */
#define report_start() report_begin(__FILE__)
void report_begin(const char *file);
void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "SUMMARY: ..." and returns the exit code: HV_EXIT_PASS, _FAIL or _SKIP. */
int report_summary(void);
/* Writes code to the debug-exit port; halts if nobody ends the run there. */
void guest_exit(int code) __attribute__((noreturn));

/* The Multiboot 1 information the loader passed (Multiboot 0.6.96, 3.3). */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower; /* KiB below 1 MiB */
	uint32_t mem_upper; /* KiB from 1 MiB to the first hole */
	uint32_t boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name, apm_table;
} __attribute__((packed));

struct multiboot_module {
	uint32_t mod_start, mod_end, string, reserved;
} __attribute__((packed));

struct multiboot_mmap_entry {
	uint32_t size; /* of the rest of the entry */
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

#define MULTIBOOT_INFO_MEMORY (1U << 0)
#define MULTIBOOT_INFO_CMDLINE (1U << 2)
#define MULTIBOOT_INFO_MODS (1U << 3)
#define MULTIBOOT_INFO_MMAP (1U << 6)
#define MULTIBOOT_INFO_LOADER_NAME (1U << 9)
#define MULTIBOOT_MEMORY_AVAILABLE 1

extern const struct multiboot_info *multiboot_info;

/* Exceptions. */

#define DE_VECTOR 0
#define DB_VECTOR 1
#define NMI_VECTOR 2
#define BP_VECTOR 3
#define OF_VECTOR 4
#define UD_VECTOR 6
#define GP_VECTOR 13
#define PF_VECTOR 14
#define NO_EXCEPTION (-1)

/* The last exception caught inside an ASM_TRY block. */
struct caught_exception {
	int vector; /* NO_EXCEPTION if the block ran through */
	uint32_t error_code; /* 0 for vectors without one */
	uint64_t rip; /* the faulting instruction; the next one for traps (#BP) */
	uint64_t cr2; /* #PF only: the faulting address */
};
extern struct caught_exception caught_exception;

/*
 * For extended asm: runs insns; an exception raised by them is recorded in
 * caught_exception and execution resumes after them. Registers the block
 * writes keep whatever they held when the exception hit, so outputs must be
 * initialized ("+" constraints). The asm must clobber "memory".
 */
#define ASM_TRY(insns)                          \
	"movl $-1, caught_exception(%%rip)\n\t" \
	"1980:\n\t" insns "\n1981:\n\t"         \
	".pushsection .ex_table, \"a\"\n\t"     \
	".balign 8\n\t"                         \
	".quad 1980b, 1981b\n\t"                \
	".popsection\n\t"

/*
 * External interrupts. handler() runs for each interrupt at @vector
 * (32..255), with interrupts disabled; install it before enabling them
 * (every vCPU shares the table). An interrupt at a vector without a handler
 * aborts the test. The library does not touch the local APIC: a handler of
 * an APIC-delivered interrupt sends the EOI itself. Returns false for a
 * vector that is not an external-interrupt vector.
 */
bool interrupt_set_handler(unsigned int vector, void (*handler)(void));

/* The *_safe helpers return the vector of the exception raised, or NO_EXCEPTION. */

static inline int rdmsr_safe(uint32_t msr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;

	asm volatile(ASM_TRY("rdmsr") : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*v = lo | (uint64_t)hi << 32;
	return caught_exception.vector;
}

static inline int wrmsr_safe(uint32_t msr, uint64_t v)
{
	asm volatile(ASM_TRY("wrmsr")
		     :
		     : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "memory");
	return caught_exception.vector;
}

static inline int write_cr4_safe(uint64_t v)
{
	asm volatile(ASM_TRY("mov %0, %%cr4") : : "r"(v) : "memory");
	return caught_exception.vector;
}

static inline int xgetbv_safe(uint32_t xcr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;

	asm volatile(ASM_TRY("xgetbv") : "+a"(lo), "+d"(hi) : "c"(xcr) : "memory");
	*v = lo | (uint64_t)hi << 32;
	return caught_exception.vector;
}

static inline int xsetbv_safe(uint32_t xcr, uint64_t v)
{
	asm volatile(ASM_TRY("xsetbv")
		     :
		     : "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "memory");
	return caught_exception.vector;
}

/* hv's hypercalls (include/public/hypercall.h): the result, or -HV_E*. */
static inline long hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	long ret;

	asm volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3) : "memory");
	return ret;
}

/* The partition's EPT figures (HV_HC_TEST_EPT_STATS); aborts the test if hv refuses. */
struct hv_ept_stats ept_stats(void);

/* Whether the guest runs under hv (its CPUID signature). */
bool under_hv(void);
/* Whether hv was booted with "testing": its test hypercalls exist. */
bool hv_testing(void);

/*
 * Starts vCPU @id (1, 2, ...) running fn(arg) on its own stack, in long
 * mode with the same page tables and IDT: INIT and one SIPI through the
 * local APIC (lib/smp.c). Returns once it runs: 0, or -HV_E*. When fn
 * returns, the vCPU halts for good. The pieces, for tests of INIT/SIPI
 * themselves: the trampoline for vCPU @id's start (its stack of 64 KiB),
 * INIT followed by @sipis SIPIs, and whether it runs yet.
 */
long vcpu_start(unsigned int id, void (*fn)(void *arg), void *arg);
void vcpu_prepare_start(unsigned int id, void (*fn)(void *arg), void *arg, void *stack);
void vcpu_send_init_sipi(unsigned int id, unsigned int sipis);
bool vcpu_running(unsigned int id);

/*
 * NMIs: handler() runs for each NMI (vector 2), NMIs blocked until its
 * IRET; NULL: an NMI aborts the test.
 */
void nmi_set_handler(void (*handler)(void));

/*
 * Runs fn, 32-bit code (cdecl), in 32-bit protected mode with paging off
 * and returns its result; lib/legacy.S says what fn may and must do. The
 * segment selectors 32-bit code uses:
 */
#define GDT_CODE64 0x08
#define GDT_DATA 0x10
#define GDT_CODE32 0x18
uint32_t legacy_call(uint32_t (*fn)(uint32_t arg), uint32_t arg);

/* Paging: the boot code identity-maps 0..4 GiB with 2 MiB pages. */

/* The boot code's page directories: guest_pd[i] maps 2 MiB at i * 2 MiB. */
extern uint64_t guest_pd[];

/* Marks the 2 MiB page holding addr present or not present and flushes its TLB entry. */
void set_2m_page_present(uintptr_t addr, bool present);

/*
 * TSC measurement. Under Bochs the TSC counts retired instructions, so the
 * figures are instruction counts and repeatable.
 */

#define TSC_WARMUP 2
#define TSC_RUNS 8

/* LFENCE on both sides keeps RDTSC from passing the code being measured (SDM RDTSC). */
static inline uint64_t tsc_read(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return lo | (uint64_t)hi << 32;
}

/* The fewest TSC ticks between two tsc_read() around stmt, over TSC_RUNS runs after TSC_WARMUP. */
#define tsc_min_ticks(stmt)                                                \
	({                                                                 \
		uint64_t best_ = UINT64_MAX;                               \
		for (int run_ = 0; run_ < TSC_WARMUP + TSC_RUNS; run_++) { \
			uint64_t t0_ = tsc_read();                         \
			stmt;                                              \
			uint64_t ticks_ = tsc_read() - t0_;                \
			if (run_ >= TSC_WARMUP && ticks_ < best_)          \
				best_ = ticks_;                            \
		}                                                          \
		best_;                                                     \
	})

/* tsc_min_ticks() of an empty statement: the cost of measuring itself. */
uint64_t tsc_overhead(void);

/* What stmt costs in TSC ticks: tsc_min_ticks(stmt) less the measurement overhead. */
#define tsc_measure(stmt)                                                          \
	({                                                                         \
		uint64_t ticks_ = tsc_min_ticks(stmt), overhead_ = tsc_overhead(); \
		ticks_ > overhead_ ? ticks_ - overhead_ : 0;                       \
	})

#endif /* GUEST_LIBGUEST_H */
