/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot2 entry. GRUB (BIOS or UEFI without boot-services tags) enters in
 * 32-bit protected mode, paging off, EAX = bootloader magic, EBX = physical
 * address of the information structure. We identity-map the first 4 GiB with
 * 2 MiB pages, enter long mode and call boot_multiboot2(magic, mbi) in C.
 * Nothing above _end is written before the C code copied the information out.
 */
#include <boot/multiboot2.h>

#define CR0_PE 0x00000001
#define CR0_WP 0x00010000
#define CR0_NW 0x20000000
#define CR0_CD 0x40000000
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100
#define PTE_PRESENT 0x1
#define PTE_WRITABLE 0x2
#define PTE_HUGE 0x80
#define COM1 0x3f8

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* Page-aligned modules: guest images can be read in place. */
	.balign 8
	.short MB2_HEADER_TAG_MODULE_ALIGN, 0
	.long 8
	.balign 8
	.short MB2_HEADER_TAG_END, 0
	.long 8
mb2_header_end:

	.section .text.entry, "ax"
	.code32
	.globl mb2_entry32
mb2_entry32:
	cli
	cld
	mov	%eax, %edi
	mov	%ebx, %esi
	mov	$boot_stack_top, %esp

	/* Long mode is required; say so on COM1 if it is missing. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	1f
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jc	2f
1:	mov	$no_long_mode_msg, %ebx
3:	movb	(%ebx), %al
	test	%al, %al
	jz	4f
	mov	$COM1, %dx
	outb	%al, %dx
	inc	%ebx
	jmp	3b
4:	hlt
	jmp	4b

	/* boot_pd: 4 tables of 512 2 MiB entries = 0..4 GiB. */
2:	mov	$boot_pd, %ebx
	xor	%ecx, %ecx
5:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_PRESENT | PTE_WRITABLE | PTE_HUGE), %eax
	mov	%eax, (%ebx, %ecx, 8)
	movl	$0, 4(%ebx, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jne	5b
	/* The 2048 entries above only cover 4 GiB with bit 32 of the address clear. */
	mov	$boot_pdpt, %ebx
	xor	%ecx, %ecx
6:	mov	%ecx, %eax
	shl	$12, %eax
	add	$boot_pd, %eax
	or	$(PTE_PRESENT | PTE_WRITABLE), %eax
	mov	%eax, (%ebx, %ecx, 8)
	inc	%ecx
	cmp	$4, %ecx
	jne	6b
	mov	$boot_pdpt, %eax
	or	$(PTE_PRESENT | PTE_WRITABLE), %eax
	mov	%eax, boot_pml4

	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	/* Caches on: a CPU leaves reset with CD and NW set, and GRUB may not clear them. */
	mov	%cr0, %eax
	and	$~(CR0_CD | CR0_NW), %eax
	or	$(CR0_PG | CR0_WP | CR0_PE), %eax
	mov	%eax, %cr0
	lgdt	boot_gdt_desc
	ljmp	$0x08, $mb2_entry64

	.code64
mb2_entry64:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$boot_stack_top, %rsp
	/* %edi = magic, %esi = information address (upper halves are zero). */
	call	boot_multiboot2
	ud2

/*
 * UEFI entry: boot/efi/loader.c copied this image to its link address, left
 * boot services and calls here with the SysV ABI, %rdi = struct boot_info *.
 * The firmware's page tables identity-map all RAM, which is all we need until
 * hv installs its own.
 */
	.globl efi_entry64
efi_entry64:
	cli
	cld
	lgdt	boot_gdt_desc
	mov	$boot_stack_top, %rsp
	pushq	$0x08
	lea	1f(%rip), %rax
	pushq	%rax
	lretq
1:	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	call	boot_uefi
	ud2

	.section .rodata
no_long_mode_msg:
	.asciz	"hv: this CPU has no 64-bit mode; hv needs an x86-64 CPU with VMX. Halted.\r\n"

	.balign 8
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.short	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.section .bss.boot, "aw", @nobits
	.balign 4096
	.globl boot_pml4, boot_pdpt, boot_pd
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4 * 4096
	.globl boot_stack_top
boot_stack:
	.skip	16384
boot_stack_top:
