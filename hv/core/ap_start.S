/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Start-up code of the application processors, copied below 1 MiB by
 * smp_boot() (hv/core/smp.c): real mode -> protected mode -> long mode with
 * hv's page tables, then ap_main(percpu) on the CPU's own stack. The boot
 * CPU starts one AP at a time, so one parameter block is enough.
 */
#define CR0_PE 0x00000001
#define CR0_WP 0x00010000
#define CR0_NW 0x20000000
#define CR0_CD 0x40000000
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

#define REL(sym) (sym - ap_start)

	.section .rodata
	.balign 16
	.globl ap_start, ap_start_end, ap_start_params
	.code16
ap_start:
	cli
	cld
	/* CS = the start page's segment; address everything relative to it. */
	mov	%cs, %ax
	mov	%ax, %ds
	movzx	%ax, %ebx
	shl	$4, %ebx			/* %ebx = physical base of this code */
	lea	REL(ap_gdt)(%ebx), %eax
	mov	%eax, REL(ap_gdt_desc) + 2
	lgdtl	REL(ap_gdt_desc)
	lea	REL(ap_pm32)(%ebx), %eax
	mov	%eax, REL(ap_pm32_ptr)
	lea	REL(ap_lm64)(%ebx), %eax
	mov	%eax, REL(ap_lm64_ptr)
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	*REL(ap_pm32_ptr)

	.code32
ap_pm32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	REL(ap_start_params)(%ebx), %eax	/* params.cr3 */
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	/* INIT leaves CD and NW set: turn the caches on. */
	mov	%cr0, %eax
	and	$~(CR0_CD | CR0_NW), %eax
	or	$(CR0_PG | CR0_WP), %eax
	mov	%eax, %cr0
	ljmpl	*REL(ap_lm64_ptr)(%ebx)

	.code64
ap_lm64:
	mov	%ebx, %ebx			/* the upper half is undefined after the mode switch */
	mov	REL(ap_start_params) + 8(%rbx), %rsp	/* params.stack_top */
	mov	REL(ap_start_params) + 16(%rbx), %rdi	/* params.cpu */
	mov	REL(ap_start_params) + 24(%rbx), %rax	/* params.entry */
	jmp	*%rax

	.balign 8
ap_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
ap_gdt_end:
ap_gdt_desc:
	.short	ap_gdt_end - ap_gdt - 1
	.long	0
ap_pm32_ptr:
	.long	0
	.short	0x08
ap_lm64_ptr:
	.long	0
	.short	0x18
	.balign 8
ap_start_params:			/* struct ap_start_params in smp.c */
	.quad	0, 0, 0, 0
ap_start_end:

	.section .note.GNU-stack, "", @progbits
