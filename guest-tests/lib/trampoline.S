/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a secondary vCPU starts after INIT and a SIPI (SDM Vol. 3A 9.4.4):
 * in real mode at CS:IP = VV00:0000, VV the SIPI's vector. lib/smp.c
 * copies this code to the page TRAMPOLINE_PAGE and fills in its two data
 * words (the GDT pointer, the vCPU's struct vcpu_boot); the code enters
 * 32-bit protected mode with flat segments and jumps to vcpu_entry32
 * (entry.S) with EBX = the struct vcpu_boot, as that code expects.
 */

#define CR0_PE (1 << 0)
#define GDT_DATA 0x10
#define GDT_CODE32 0x18
#define TRAMPOLINE_PAGE 0x7000

	.section .rodata
	.code16
	.globl	trampoline_start, trampoline_end, trampoline_gdtr, trampoline_boot
trampoline_start:
	cli
	cld
	lgdtl	%cs:(trampoline_gdtr - trampoline_start)
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$GDT_CODE32, $(TRAMPOLINE_PAGE + trampoline32 - trampoline_start)

	.code32
trampoline32:
	mov	$GDT_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	(TRAMPOLINE_PAGE + trampoline_boot - trampoline_start), %ebx
	mov	$vcpu_entry32, %eax
	jmp	*%eax

	.balign 8
trampoline_gdtr:			/* limit, 32-bit base: the kernel's GDT */
	.short	0
	.long	0
	.balign 4
trampoline_boot:			/* the struct vcpu_boot, below 4 GiB */
	.long	0
trampoline_end:

	.section .note.GNU-stack, "", @progbits
