// SPDX-License-Identifier: GPL-2.0
/*
 * A hardware task switch: in 32-bit protected mode (lib/legacy.S), a JMP to
 * a TSS descriptor. Task switches always cause a VM exit (SDM Vol. 3C
 * 26.1.2); hv does not emulate them and must stop this partition saying
 * so ("hardware task switch (not emulated)"), not as an unhandled exit.
 * SUMMARY is never printed.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

#define TSS_SELECTOR 0x20 /* after GDT_CODE32 */
#define TSS32_SIZE 104
#define TSS32_AVAILABLE 0x89ULL /* present, DPL 0, type 9: available 32-bit TSS */
#define COM1_LSR (HV_CONSOLE_PORT + 5)
#define LSR_TEMT 0x40 /* transmitter empty */

uint8_t ts_tss[TSS32_SIZE] __attribute__((aligned(128)));
uint64_t ts_gdt[5] __attribute__((aligned(8)));
struct {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed)) ts_gdt_desc;

uint32_t ts_jump32(uint32_t unused);

/* 32-bit protected mode: the library's segments plus a TSS, then a JMP to the TSS. */
asm(".pushsection .text\n"
    ".code32\n"
    "ts_jump32:\n"
    "	lgdt ts_gdt_desc\n"
    "	ljmp $0x20, $0\n"
    "	ret\n"
    ".code64\n"
    ".popsection");

int main(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) lib_gdt;
	uint64_t base = (uintptr_t)ts_tss, limit = TSS32_SIZE - 1;

	report_start();
	asm volatile("sgdt %0" : "=m"(lib_gdt));
	for (unsigned int i = 0; i * 8 < lib_gdt.limit + 1U && i < TSS_SELECTOR / 8; i++)
		ts_gdt[i] = ((const uint64_t *)lib_gdt.base)[i];
	ts_gdt[TSS_SELECTOR / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
				   TSS32_AVAILABLE << 40 | (limit >> 16 & 0xf) << 48 |
				   (base >> 24 & 0xff) << 56;
	ts_gdt_desc.limit = sizeof(ts_gdt) - 1;
	ts_gdt_desc.base = (uint32_t)(uintptr_t)ts_gdt;
	printf("t-task-switch: JMP to a 32-bit TSS: expect hv to stop this guest\n");
	while (!(inb(COM1_LSR) & LSR_TEMT))
		;
	legacy_call(ts_jump32, 0);
	report(false, "execution continued after the task switch");
	return report_summary();
}
