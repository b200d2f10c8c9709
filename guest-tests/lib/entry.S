/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot 1 entry of a guest test kernel. The loader (hv, QEMU -kernel,
 * GRUB's "multiboot") follows the ELF32 program headers, zeroes .bss and
 * enters here in 32-bit protected mode, paging off, interrupts off, flat
 * segments, EAX = 0x2BADB002, EBX = physical address of the information.
 * We identity-map the first 4 GiB with 2 MiB pages, enable SSE (newlib uses
 * XMM registers), enter long mode and call guest_start(magic, info) in C.
 */

#define MB1_MAGIC 0x1BADB002
#define MB1_PAGE_ALIGN (1 << 0)
#define MB1_MEMORY_INFO (1 << 1)
#define MB1_FLAGS (MB1_PAGE_ALIGN | MB1_MEMORY_INFO)

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_NE (1 << 5)
#define CR0_NW (1 << 29)
#define CR0_CD (1 << 30)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define PTE_PRESENT (1 << 0)
#define PTE_WRITABLE (1 << 1)
#define PTE_LARGE (1 << 7)

#define GDT_CODE64 0x08
#define GDT_DATA 0x10
#define GDT_CODE32 0x18

/*
 * From 32-bit protected mode with paging off to 64-bit code at \target,
 * through the identity map in guest_pml4 (built by the first vCPU).
 */
.macro ENTER_LONG_MODE target
	mov	$guest_pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	/*
	 * MP and NE with EM clear: x87 and SSE instructions run natively.
	 * Caches on: GRUB under Bochs hands over CR0 with CD and NW still set
	 * from reset (Multiboot leaves every other CR0 bit undefined).
	 */
	mov	%cr0, %eax
	and	$~(CR0_EM | CR0_CD | CR0_NW), %eax
	or	$(CR0_PE | CR0_MP | CR0_NE | CR0_PG), %eax
	mov	%eax, %cr0
	lgdt	gdt_desc
	ljmp	$GDT_CODE64, $\target
.endm

.macro LOAD_DATA_SEGMENTS
	mov	$GDT_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
.endm

	.section .multiboot, "a"
	.balign 4
	.long	MB1_MAGIC
	.long	MB1_FLAGS
	.long	-(MB1_MAGIC + MB1_FLAGS)

	.section .text.entry, "ax"
	.code32
	.globl	multiboot_entry
multiboot_entry:
	cld
	mov	%eax, %edi		/* kept for guest_start() */
	mov	%ebx, %esi

	/* guest_pd: 4 page directories of 512 entries, 2 MiB each = 0..4 GiB. */
	mov	$guest_pd, %ebx
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_PRESENT | PTE_WRITABLE | PTE_LARGE), %eax
	mov	%eax, (%ebx, %ecx, 8)
	inc	%ecx
	cmp	$4 * 512, %ecx
	jne	1b
	mov	$guest_pdpt, %ebx
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$12, %eax
	add	$(guest_pd + (PTE_PRESENT | PTE_WRITABLE)), %eax
	mov	%eax, (%ebx, %ecx, 8)
	inc	%ecx
	cmp	$4, %ecx
	jne	2b
	movl	$(guest_pdpt + (PTE_PRESENT | PTE_WRITABLE)), guest_pml4
	ENTER_LONG_MODE entry64

	.code64
entry64:
	LOAD_DATA_SEGMENTS
	mov	$stack_top, %rsp
	call	guest_start		/* %edi = magic, %esi = information */
	ud2

/*
 * A secondary vCPU starts here (HV_HC_VCPU_START) in the same machine state,
 * with EBX = its struct vcpu_boot (lib/smp.c), whose first word is its stack.
 */
	.code32
	.globl	vcpu_entry32
vcpu_entry32:
	cld
	ENTER_LONG_MODE vcpu_entry64

	.code64
vcpu_entry64:
	LOAD_DATA_SEGMENTS
	mov	%ebx, %edi
	mov	(%rdi), %rsp
	call	vcpu_boot_start		/* %rdi = its struct vcpu_boot */
	ud2

	.section .rodata
	.balign 8
gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* GDT_CODE64: 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff	/* GDT_DATA: flat read/write data */
	.quad	0x00cf9a000000ffff	/* GDT_CODE32: flat 32-bit code (lib/legacy.S) */
gdt_end:
gdt_desc:
	.short	gdt_end - gdt - 1
	.quad	gdt

	.bss
	.balign 4096
	.globl	guest_pml4
guest_pml4:
	.skip	4096
guest_pdpt:
	.skip	4096
	.globl	guest_pd
guest_pd:
	.skip	4 * 4096
stack:
	.skip	65536
stack_top:
