/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry stubs for the 256 IDT vectors: the 32 exceptions and the external
 * interrupts. Each builds a struct exception_frame (exception.c) on the
 * current stack: GPRs, vector, error code (0 if the CPU pushes none), then
 * the CPU's RIP, CS, RFLAGS, RSP, SS. The handler may change the saved RIP
 * to resume elsewhere.
 */

/* Vectors for which the CPU pushes an error code (SDM Vol. 3A 6.13). */
#define HAS_ERROR_CODE(v) \
	((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign 16
	.globl	vector_stubs
vector_stubs:
	vector = 0
	.rept	256
	.balign	16			/* stub v is at vector_stubs + 16 * v */
	.if	!HAS_ERROR_CODE(vector)
	pushq	$0
	.endif
	pushq	$vector
	jmp	vector_common
	vector = vector + 1
	.endr

vector_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	/*
	 * The C handler may use XMM registers, which the interrupted code may
	 * hold live. 22 qwords are on the 16-byte aligned stack the CPU left:
	 * %rsp is 16-byte aligned here, as FXSAVE and the call need.
	 */
	sub	$512, %rsp
	fxsave64 (%rsp)
	call	vector_handler
	fxrstor64 (%rsp)
	add	$512, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector and error code */
	iretq
