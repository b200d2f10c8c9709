/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Multiboot kernel that asks to be loaded at 0x8000, where hv puts the
 * Multiboot information in guest memory: hv must refuse it.
 */
#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00010003 /* page align, memory info, address fields */
#define LOAD_ADDR 0x8000

	.text
	.code32
	.globl _start
_start:
header:
	.long	MB1_MAGIC, MB1_FLAGS, -(MB1_MAGIC + MB1_FLAGS)
	.long	LOAD_ADDR			/* header_addr */
	.long	LOAD_ADDR			/* load_addr */
	.long	0				/* load_end_addr: the whole file */
	.long	0				/* bss_end_addr: no .bss */
	.long	LOAD_ADDR + (entry - header)	/* entry_addr */
entry:
	hlt
	jmp	entry
