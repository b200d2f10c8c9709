/* SPDX-License-Identifier: GPL-2.0 */
/* A kernel without a Multiboot header: hv must refuse it and go on. */
	.text
	.code32
	.globl _start
_start:
	hlt
	jmp	_start
