// SPDX-License-Identifier: GPL-2.0
/*
 * The IDT. Exceptions: expected ones resume, others abort the test. External
 * interrupts: the handler the kernel installed runs; a vector without one
 * aborts.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"
#include "guest.h"

#define NR_EXCEPTIONS 32
#define NR_VECTORS 256
#define VECTOR_STUB_SIZE 16
#define IDT_INTERRUPT_GATE 0x8e /* present, DPL 0, 64-bit interrupt gate */

/* Built by vectors.S. */
struct exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
};

/* An ASM_TRY block: an exception raised by an instruction in [start, end) resumes at end. */
struct ex_table_entry {
	uint64_t start, end;
};

extern const char vector_stubs[];
extern const struct ex_table_entry __ex_table_start[], __ex_table_end[];

struct caught_exception caught_exception = { .vector = NO_EXCEPTION };
/* Every gate leads to its stub: whether a vector is expected is decided in vector_handler(). */
static struct idt_gate idt[NR_VECTORS];
static void (*interrupt_handlers[NR_VECTORS])(void);
static void (*nmi_handler)(void);

void nmi_set_handler(void (*handler)(void))
{
	nmi_handler = handler;
}

void exception_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uintptr_t)idt };

	for (int v = 0; v < NR_VECTORS; v++) {
		uintptr_t stub = (uintptr_t)vector_stubs + v * VECTOR_STUB_SIZE;

		idt[v] = (struct idt_gate){
			.offset_low = stub,
			.selector = GDT_CODE64,
			.type_attr = IDT_INTERRUPT_GATE,
			.offset_mid = stub >> 16,
			.offset_high = stub >> 32,
		};
	}
	asm volatile("lidt %0" : : "m"(desc));
}

bool interrupt_set_handler(unsigned int vector, void (*handler)(void))
{
	if (vector < NR_EXCEPTIONS || vector >= NR_VECTORS)
		return false;
	interrupt_handlers[vector] = handler;
	return true;
}

static void handle_interrupt(const struct exception_frame *f)
{
	void (*handler)(void) = interrupt_handlers[f->vector];

	if (handler) {
		handler();
		return;
	}
	printf("\nABORT: unexpected interrupt, vector %lu, RIP %#lx\n", f->vector, f->rip);
	guest_exit(HV_EXIT_ABORT);
}

/* After a trap the saved RIP is past the instruction, which may be the block's last (SDM 6.5). */
static bool is_trap(uint64_t vector)
{
	return vector == DB_VECTOR || vector == BP_VECTOR || vector == OF_VECTOR;
}

static void handle_exception(struct exception_frame *f)
{
	static bool aborting;
	const struct ex_table_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++) {
		if (f->rip >= e->start &&
		    (f->rip < e->end || (f->rip == e->end && is_trap(f->vector)))) {
			caught_exception = (struct caught_exception){
				.vector = f->vector,
				.error_code = f->error_code,
				.rip = f->rip,
				.cr2 = f->vector == PF_VECTOR ? read_cr2() : 0,
			};
			f->rip = e->end;
			return;
		}
	}
	/* A fault while printing the first report would recurse forever. */
	if (!aborting) {
		aborting = true;
		printf("\nABORT: unexpected exception %lu, error code %#lx, RIP %#lx, RSP %#lx, CR2 %#lx\n",
		       f->vector, f->error_code, f->rip, f->rsp, read_cr2());
	}
	guest_exit(HV_EXIT_ABORT);
}

/*
 * Called by every stub. An interrupt never consults the ASM_TRY table: one
 * arriving inside a block must not end the block.
 */
void vector_handler(struct exception_frame *f)
{
	if (f->vector == NMI_VECTOR && nmi_handler)
		nmi_handler();
	else if (f->vector >= NR_EXCEPTIONS)
		handle_interrupt(f);
	else
		handle_exception(f);
}
