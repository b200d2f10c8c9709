/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM entry and exit. HOST_RSP of every vCPU points at vcpu->host_stack_top,
 * so on a VM exit the CPU arrives here with %rsp just above vcpu->gpr[]:
 * pushing the guest registers in reverse register-number order fills gpr[]
 * (RAX = 0 ... R15 = 15, with a hole for RSP, which lives in the VMCS), and
 * then %rsp is the struct vcpu pointer itself. Exit handling runs on the
 * home CPU's hv stack (vcpu->host_stack_top), which starts empty every exit.
 */
#include <hv/core/kick.h>
#include <hv/vmx/entry_offsets.h>

	.text
	.globl vmx_exit_stub
vmx_exit_stub:
	pushq	%r15
	pushq	%r14
	pushq	%r13
	pushq	%r12
	pushq	%r11
	pushq	%r10
	pushq	%r9
	pushq	%r8
	pushq	%rdi
	pushq	%rsi
	pushq	%rbp
	subq	$8, %rsp		/* gpr[GPR_RSP]: not used */
	pushq	%rbx
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	mov	%rsp, %rdi
	mov	VCPU_HOST_STACK_TOP(%rsp), %rsp
	call	vmx_handle_exit		/* returns the vCPU to enter, its VMCS current */
	mov	%rax, %rdi

/* void vmx_enter(struct vcpu *v): load the guest registers, VMRESUME or VMLAUNCH. */
	.globl vmx_enter
vmx_enter:
	mov	%rdi, %rsp
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rbx
	addq	$8, %rsp
	popq	%rbp
	popq	%rsi
	popq	%rdi
	popq	%r8
	popq	%r9
	popq	%r10
	popq	%r11
	popq	%r12
	popq	%r13
	popq	%r14
	popq	%r15
	/*
	 * %rsp == &vcpu->host_stack_top == this vCPU's HOST_RSP. Work a kick
	 * brought since the exit handler looked is seen here at the latest:
	 * an NMI between the look and the entry rewinds to it (hv/core/kick.h).
	 */
	cmpb	$0, VCPU_LAUNCHED - VCPU_HOST_STACK_TOP(%rsp)
	je	3f
1:	cmpl	$0, %gs:PERCPU_PENDING_WORK
	jne	5f
	vmresume
2:	jmp	6f
3:	movb	$1, VCPU_LAUNCHED - VCPU_HOST_STACK_TOP(%rsp)
4:	cmpl	$0, %gs:PERCPU_PENDING_WORK
	jne	7f
	vmlaunch
	/* Only a failed VMLAUNCH/VMRESUME gets here; lea and mov keep the flags. */
6:	lea	-VCPU_GPRS_SIZE(%rsp), %rdi
	mov	(%rsp), %rsp
	pushfq
	popq	%rsi
	call	vmx_entry_failed	/* returns the vCPU to enter next */
	mov	%rax, %rdi
	jmp	vmx_enter
	KICK_WINDOW 1b, 2b
	KICK_WINDOW 4b, 6b

	/* Work arrived: back to the scheduler, which may enter the same vCPU again. */
7:	movb	$0, VCPU_LAUNCHED - VCPU_HOST_STACK_TOP(%rsp)
5:	lea	-VCPU_GPRS_SIZE(%rsp), %rdi
	mov	(%rsp), %rsp
	call	run_pending		/* returns the vCPU to enter, its VMCS current */
	mov	%rax, %rdi
	jmp	vmx_enter

	.section .note.GNU-stack, "", @progbits
