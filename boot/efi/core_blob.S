/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hv core as a flat binary (objcopy -O binary build/hv.elf). The stock
 * GNU-EFI linker script merges .rodata* into .data, which the PE keeps.
 */
	.section .rodata.hv_core, "a"
	.balign 4096
	.globl hv_core_blob
hv_core_blob:
	.incbin HV_CORE_BIN
	.globl hv_core_blob_end
hv_core_blob_end:

	.section .note.GNU-stack, "", @progbits
