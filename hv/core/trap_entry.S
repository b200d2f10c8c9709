/* SPDX-License-Identifier: GPL-2.0 */
/* Exception and interrupt entry stubs: build a struct trap_frame, call trap_handler. */

/* Vectors for which the CPU pushes an error code (SDM Vol. 3A 6.13). */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

	.macro	trap_stub vector
	.balign 16
trap_stub_\vector:
	.if	(HAS_ERROR_CODE(\vector)) == 0
	pushq	$0
	.endif
	pushq	$\vector
	jmp	trap_common
	.endm

	.text
	.globl trap_stubs
trap_stubs:
	.altmacro
	.set	v, 0
	.rept	256
	trap_stub %v
	.set	v, v + 1
	.endr

trap_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	mov	%rsp, %rdi
	call	trap_handler
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	add	$16, %rsp
	iretq
