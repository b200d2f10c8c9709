/* SPDX-License-Identifier: GPL-2.0 */
/* The assembly side of kicks (hv/core/kick.h). */
#include <hv/core/kick.h>

	.text
	.globl cpu_wait_for_work
cpu_wait_for_work:
1:	cli
	cmpl	$0, %gs:PERCPU_PENDING_WORK
	jne	2f
	sti			/* its shadow covers the HLT: the timer interrupt cannot slip in before */
	hlt
3:	jmp	1b
2:	ret
	KICK_WINDOW 1b, 3b

/* An IRET frame for the next instruction, then IRET (SDM Vol. 3A 6.14.3). */
	.globl nmi_unblock
nmi_unblock:
	mov	%rsp, %rax
	mov	%ss, %ecx
	pushq	%rcx
	pushq	%rax
	pushfq
	mov	%cs, %ecx
	pushq	%rcx
	lea	1f(%rip), %rcx
	pushq	%rcx
	iretq
1:	ret

	.section .note.GNU-stack, "", @progbits
