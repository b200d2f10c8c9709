/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Multiboot kernel that loads at 0x8000, as kernels made for QEMU's
 * -kernel may: the loader must put its information where the image is not
 * (QEMU: right after it). Checks EAX, that EBX lies after the image in low
 * memory, and that the command line there is this module's name; ends with
 * exit code 0, or 1 at the first check that fails.
 */
#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00010003 /* page align, memory info, address fields */
#define MB1_BOOTLOADER_MAGIC 0x2badb002
#define MBI_CMDLINE 16
#define LOAD_ADDR 0x8000
#define LOW_RAM_END 0x9fc00
#define DEBUG_EXIT_PORT 0xf4

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
	cmpl	$MB1_BOOTLOADER_MAGIC, %eax
	jne	fail
	cmpl	$LOAD_ADDR + (image_end - header), %ebx
	jb	fail
	cmpl	$LOW_RAM_END, %ebx
	jae	fail
	movl	MBI_CMDLINE(%ebx), %esi
	movl	$LOAD_ADDR + (name - header), %edi
	movl	$name_end - name, %ecx
	cld
	repe cmpsb
	jne	fail
	movb	$0, %al
	outb	%al, $DEBUG_EXIT_PORT
	jmp	stop
fail:
	movb	$1, %al
	outb	%al, $DEBUG_EXIT_PORT
stop:
	hlt
	jmp	stop
name:
	.asciz	"t-mb-low"
name_end:
image_end:
