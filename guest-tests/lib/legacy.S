/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uint32_t legacy_call(uint32_t (*fn)(uint32_t arg), uint32_t arg)
 *
 * Runs fn, 32-bit code called as cdecl (arg on the stack, the result in
 * EAX, EBX/ESI/EDI/EBP kept), in 32-bit protected mode with paging off,
 * then comes back to long mode. The way out of IA-32e mode and back in is
 * the SDM's (Vol. 3A 10.8.5): compatibility mode, CR0.PG = 0 (which ends
 * IA-32e mode), EFER.LME = 0; then EFER.LME = 1, CR3, CR0.PG = 1 and a far
 * jump to 64-bit code.
 *
 * Interrupts stay disabled. fn runs with an empty IDT, so any exception it
 * does not expect triple faults; it may load its own (the 64-bit one is
 * restored afterwards). fn must return with paging off and CS, DS, SS as it
 * found them (GDT_CODE32, GDT_DATA). vCPU 0 only: the page tables are the
 * boot code's.
 */

#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define GDT_CODE64 0x08
#define GDT_CODE32 0x18

	.text
	.code64
	.globl	legacy_call
legacy_call:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$16, %rsp
	sidt	(%rsp)			/* the 64-bit IDT, for the way back */
	mov	%rdi, %rbx		/* fn */
	mov	%esi, %ebp		/* arg */
	lidt	empty_idt(%rip)
	pushq	$GDT_CODE32		/* to compatibility mode */
	lea	1f(%rip), %rax
	push	%rax
	lretq

	.code32
1:	mov	%cr0, %eax		/* paging off: IA-32e mode ends */
	and	$~CR0_PG, %eax
	mov	%eax, %cr0
	mov	$MSR_EFER, %ecx
	rdmsr
	and	$~EFER_LME, %eax
	wrmsr
	push	%ebp
	call	*%ebx
	add	$4, %esp
	mov	%eax, %esi		/* fn's result */
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$guest_pml4, %eax
	mov	%eax, %cr3
	mov	%cr0, %eax		/* paging on: IA-32e mode, compatibility mode */
	or	$CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$GDT_CODE64, $2f

	.code64
	/* The upper halves of the registers are undefined after legacy mode. */
2:	mov	%esp, %esp
	lidt	(%rsp)
	mov	%esi, %eax
	add	$16, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

	.section .rodata
	.balign	8
empty_idt:
	.short	0
	.quad	0
