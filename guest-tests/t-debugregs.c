// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's debug registers are its own across VM exits. Every VM exit
 * sets DR7 to 0x400 (SDM Vol. 3C 28.5.1); hv must save the guest's DR7 on
 * exit and load it on entry ("save/load debug controls"), or a guest's
 * hardware breakpoints disarm at the first exit.
 */
#include "libguest.h"

#define DR6_RESET 0xffff0ff0UL
#define DR6_B0 (1UL << 0)
#define DR7_RESET 0x400UL
/* Breakpoint 0 enabled locally, on data writes (RW0 = 01) of 4 bytes (LEN0 = 11). */
#define DR7_L0_WRITE_4 (DR7_RESET | (1UL << 0) | (1UL << 16) | (3UL << 18))

static volatile uint32_t watched;

#define DEFINE_DR_ACCESS(n)                                            \
	static inline uint64_t read_dr##n(void)                        \
	{                                                              \
		uint64_t v;                                            \
		asm volatile("mov %%dr" #n ", %0" : "=r"(v));          \
		return v;                                              \
	}                                                              \
	static inline void write_dr##n(uint64_t v)                     \
	{                                                              \
		asm volatile("mov %0, %%dr" #n : : "r"(v) : "memory"); \
	}
DEFINE_DR_ACCESS(0)
DEFINE_DR_ACCESS(6)
DEFINE_DR_ACCESS(7)

/* Writes the watched word; returns the vector raised (#DB is a trap: after the write). */
static int write_watched(void)
{
	asm volatile(ASM_TRY("movl $1, %0") : "=m"(watched) : : "memory");
	return caught_exception.vector;
}

int main(void)
{
	bool engine_has_breakpoints;
	uint64_t dr7, dr6;
	int vector;

	report_start();
	write_dr6(DR6_RESET);
	write_dr0((uintptr_t)&watched);
	write_dr7(DR7_L0_WRITE_4);
	/* No exit in between: whether the engine implements data breakpoints at all. */
	engine_has_breakpoints = write_watched() == DB_VECTOR;

	write_dr6(DR6_RESET);
	write_dr7(DR7_L0_WRITE_4);
	(void)cpuid(0); /* a VM exit */
	dr7 = read_dr7();
	report(dr7 == DR7_L0_WRITE_4, "DR7 %#lx is the guest's after a VM exit (%#lx)", dr7,
	       DR7_L0_WRITE_4);
	if (engine_has_breakpoints) {
		vector = write_watched();
		dr6 = read_dr6();
		report(vector == DB_VECTOR && (dr6 & DR6_B0),
		       "the data breakpoint fires after a VM exit (vector %d, DR6 %#lx)", vector,
		       dr6);
	} else {
		report_skip(
			"data breakpoint after a VM exit: the engine does not implement data breakpoints");
	}
	write_dr7(DR7_RESET);
	return report_summary();
}
