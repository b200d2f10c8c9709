// SPDX-License-Identifier: GPL-2.0
/*
 * Device accesses carried to the service partition: the test device's
 * ports and MMIO scratch with every size and offset, every MOV form hv
 * decodes, string port I/O, the buffered ring's order, and what nobody
 * claimed (all-ones, writes dropped). A guest may not use the service's
 * hypercalls.
 */
#include <stdio.h>
#include <string.h>
#include <hv.h>
#include <ioreq.h>
#include <testdev.h>
#include "libguest.h"

#define SCRATCH_PORT (HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH)
#define MMIO ((volatile uint8_t *)HV_TESTDEV_MMIO)
#define UNCLAIMED_MMIO 0xfd000000UL /* in the MMIO window, claimed by nobody */

static uint64_t mmio_requests(void)
{
	return *(volatile uint64_t *)(MMIO + HV_TESTDEV_MMIO_REQUESTS);
}

static void port_sizes(void)
{
	unsigned int off, bad = 0;

	outl(SCRATCH_PORT, 0x04030201);
	outl(SCRATCH_PORT + 4, 0x08070605);
	for (off = 0; off < 8; off++)
		bad += inb(SCRATCH_PORT + off) != off + 1;
	report(bad == 0, "port scratch: 8 bytes read back one by one (%u wrong)", bad);
	report(inw(SCRATCH_PORT + 3) == 0x0504, "inw at an odd offset reads bytes 3 and 4 (%#x)",
	       inw(SCRATCH_PORT + 3));
	outb(SCRATCH_PORT + 6, 0xab);
	outw(SCRATCH_PORT + 1, 0xcdef);
	report(inl(SCRATCH_PORT) == 0x04cdef01 && inl(SCRATCH_PORT + 4) == 0x08ab0605,
	       "outb and outw change only their bytes (%#x %#x)", inl(SCRATCH_PORT),
	       inl(SCRATCH_PORT + 4));
}

static void buffered_order(void)
{
	unsigned int i, bad = 0;

	/* Buffered writes, each overwritten by the next: the read must see the last. */
	for (i = 0; i < 300; i++) {
		outb(SCRATCH_PORT, (uint8_t)i);
		if (i % 37 == 0)
			bad += inb(SCRATCH_PORT) != (uint8_t)i;
	}
	report(bad == 0 && inb(SCRATCH_PORT) == (uint8_t)299,
	       "300 buffered port writes arrive in order before each read (%u wrong)", bad);
}

static void mmio_sizes(void)
{
	uint64_t before = mmio_requests(), after;
	unsigned int bad = 0, off;

	*(volatile uint64_t *)(MMIO + 0x100) = 0x1122334455667788ULL;
	for (off = 0; off < 8; off++)
		bad += MMIO[0x100 + off] != (uint8_t)(0x88 - off * 0x11);
	report(bad == 0, "MMIO: an 8-byte write reads back byte by byte (%u wrong)", bad);
	report(*(volatile uint16_t *)(MMIO + 0x102) == 0x5566 &&
		       *(volatile uint32_t *)(MMIO + 0x104) == 0x11223344,
	       "MMIO: 2- and 4-byte reads at their offsets");
	*(volatile uint16_t *)(MMIO + 0x106) = 0xbeef;
	*(volatile uint32_t *)(MMIO + 0x200) = 0xcafef00d;
	report(*(volatile uint64_t *)(MMIO + 0x100) == 0xbeef334455667788ULL &&
		       *(volatile uint32_t *)(MMIO + 0x200) == 0xcafef00d,
	       "MMIO: 2- and 4-byte writes change only their bytes");
	after = mmio_requests();
	/* 1 write + 8 + 2 reads + 2 writes + 2 reads, plus the first counter read. */
	report(after - before == 16, "the device saw every MMIO access as a request (%lu)",
	       (unsigned long)(after - before));
}

/* Each MOV form hv decodes, against the MMIO scratch at +0x300. */
static void mov_forms(void)
{
	volatile uint8_t *p = MMIO + 0x300;
	uint64_t r64 = 0, idx = 8;
	uint32_t r32 = 0;
	uint16_t r16 = 0;
	uint8_t r8 = 0;

	*(volatile uint64_t *)p = 0x8090a0b0c0d0e0f0ULL;
	asm volatile("movzbl (%1), %0" : "=r"(r32) : "r"(p) : "memory");
	report(r32 == 0xf0, "MOVZX byte (%#x)", r32);
	asm volatile("movsbl 1(%1), %0" : "=r"(r32) : "r"(p) : "memory");
	report(r32 == 0xffffffe0, "MOVSX byte with disp8 (%#x)", r32);
	asm volatile("movzwq 2(%1), %0" : "=r"(r64) : "r"(p) : "memory");
	report(r64 == 0xc0d0, "MOVZX word into a 64-bit register (%#lx)", (unsigned long)r64);
	asm volatile("movswq 6(%1), %0" : "=r"(r64) : "r"(p) : "memory");
	report(r64 == 0xffffffffffff8090ULL, "MOVSX word into a 64-bit register (%#lx)",
	       (unsigned long)r64);
	asm volatile("movslq 4(%1), %0" : "=r"(r64) : "r"(p) : "memory");
	report(r64 == 0xffffffff8090a0b0ULL, "MOVSXD (%#lx)", (unsigned long)r64);
	r64 = 0x1111111111111111ULL;
	asm volatile("movl (%1), %k0" : "+r"(r64) : "r"(p) : "memory");
	report(r64 == 0xc0d0e0f0, "a 32-bit load zero-extends (%#lx)", (unsigned long)r64);
	r64 = 0x1111111111111111ULL;
	asm volatile("movw (%1), %w0" : "+r"(r64) : "r"(p) : "memory");
	report(r64 == 0x111111111111e0f0ULL, "a 16-bit load keeps the upper bits (%#lx)",
	       (unsigned long)r64);
	r64 = 0x1111;
	asm volatile("mov %1, %%rax\n\tmovb 3(%2), %%ah\n\tmov %%rax, %0"
		     : "=r"(r64)
		     : "r"(r64), "r"(p)
		     : "rax", "memory");
	report(r64 == 0xc011, "a load into AH (%#lx)", (unsigned long)r64);
	asm volatile("mov (%1,%2,1), %%r11\n\tmov %%r11, %0"
		     : "=r"(r64)
		     : "r"(p - 8), "r"(idx)
		     : "r11", "memory");
	report(r64 == 0x8090a0b0c0d0e0f0ULL, "a SIB load into R11 (%#lx)", (unsigned long)r64);
	asm volatile("movb $0x5a, 0x10(%0)\n\tmovl $-2, 0x14(%0)\n\tmovq $-3, 0x18(%0)" ::"r"(p)
		     : "memory");
	report(p[0x10] == 0x5a && *(volatile uint32_t *)(p + 0x14) == 0xfffffffe &&
		       *(volatile uint64_t *)(p + 0x18) == 0xfffffffffffffffdULL,
	       "immediate stores of 1, 4 and 8 bytes (sign-extended imm32)");
	r8 = 0x77;
	r16 = 0x6655;
	asm volatile("movb %b1, 0x20(%0)\n\tmovw %w2, 0x22(%0)" ::"r"(p), "q"(r8), "r"(r16)
		     : "memory");
	report(*(volatile uint32_t *)(p + 0x20) == 0x66550077,
	       "byte and word register stores (%#x)", *(volatile uint32_t *)(p + 0x20));
	r64 = 0;
	asm volatile("movabsb 0xfe000310, %%al\n\tmovzbl %%al, %k0"
		     : "=r"(r64)
		     :
		     : "rax", "memory");
	report(r64 == 0x5a, "MOV AL, moffs64 (%#lx)", (unsigned long)r64);
}

static void string_io(void)
{
	static const char line[] = "this line went to the UART through REP OUTSB\n";
	static const uint16_t words[5] = { 0x1111, 0x2222, 0x3333, 0x4444, 0x5566 };
	char buf[8];
	const void *src = line;
	char *dst = buf;
	unsigned long count = sizeof(line) - 1;

	asm volatile("cld\n\trep outsb" : "+S"(src), "+c"(count) : "d"(HV_CONSOLE_PORT) : "memory");
	report(count == 0 && src == line + sizeof(line) - 1,
	       "REP OUTSB to the UART leaves RCX 0 and RSI past the string");
	src = words;
	count = 5;
	asm volatile("cld\n\trep outsw" : "+S"(src), "+c"(count) : "d"(SCRATCH_PORT) : "memory");
	report(count == 0 && src == words + 5 && inw(SCRATCH_PORT) == 0x5566,
	       "REP OUTSW: the port holds the last word (%#x)", inw(SCRATCH_PORT));
	outb(SCRATCH_PORT, 0x3c);
	count = sizeof(buf);
	asm volatile("cld\n\trep insb" : "+D"(dst), "+c"(count) : "d"(SCRATCH_PORT) : "memory");
	report(count == 0 && dst == buf + sizeof(buf) && buf[0] == 0x3c && buf[7] == 0x3c,
	       "REP INSB reads the port 8 times into memory");
}

static void unclaimed(void)
{
	volatile uint32_t *u = (volatile uint32_t *)UNCLAIMED_MMIO;

	*u = 0x12345678;
	report(*u == 0xffffffff, "an unclaimed MMIO address reads all-ones, writes vanish (%#x)",
	       *u);
	report(*(volatile uint8_t *)(MMIO + 0xff0) == 0xff,
	       "the device's reserved bytes read 0xff");
}

static void refused_hypercalls(void)
{
	char text[] = "x";

	report(hypercall(HV_HC_IOREQ_REGISTER, 0x40, 0, 0, 0) == -HV_EPERM,
	       "HV_HC_IOREQ_REGISTER from a guest: -HV_EPERM");
	report(hypercall(HV_HC_IOREQ_CLAIM_RANGE, HV_IOREQ_PIO, 0x60, 1, 0) == -HV_EPERM,
	       "HV_HC_IOREQ_CLAIM_RANGE from a guest: -HV_EPERM");
	report(hypercall(HV_HC_CONSOLE_WRITE, (uintptr_t)text, 1, 0, 0) == -HV_EPERM,
	       "HV_HC_CONSOLE_WRITE from a guest: -HV_EPERM");
	report(hypercall(HV_HC_IOREQ_COMPLETE, 0, 0, 0, 0) == -HV_EPERM,
	       "HV_HC_IOREQ_COMPLETE from a guest: -HV_EPERM");
}

int main(void)
{
	report_start();
	port_sizes();
	buffered_order();
	mmio_sizes();
	mov_forms();
	string_io();
	unclaimed();
	refused_hypercalls();
	return report_summary();
}
