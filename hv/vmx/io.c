// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O exits. Every port exits (the I/O bitmaps are all ones). For now
 * hv serves two devices itself: the guest's COM1 transmit side, shown on
 * hv's console with the partition's name in front, and the debug-exit port.
 * Other ports read all-ones and ignore writes, like an empty ISA bus.
 */
#include <hv/core/partition.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <public/hv.h>
#include <x86/hw.h>

/* Exit qualification for I/O instructions (SDM Vol. 3C Table 28-5) */
#define IO_QUAL_SIZE_MASK 0x7
#define IO_QUAL_IN BIT(3)
#define IO_QUAL_STRING BIT(4)
#define IO_QUAL_PORT_SHIFT 16

#define UART_THR 0 /* the divisor latch's low byte while LCR.DLAB is set */
#define UART_LCR 3
#define UART_LSR 5
#define UART_SCR 7
#define UART_LCR_DLAB 0x80
#define UART_LSR_THRE_TEMT 0x60

static u32 size_mask(unsigned int size)
{
	return size == 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
}

/* Returns the value an IN reads; an OUT passes @val. */
static u32 com1_access(struct vcpu *v, u16 port, bool in, u32 val)
{
	struct partition *p = v->partition;
	char c = (char)val;

	switch (port - HV_CONSOLE_PORT) {
	case UART_THR:
		if (!in && !(p->uart_lcr & UART_LCR_DLAB))
			partition_console_write(p, &c, 1);
		return 0;
	case UART_LCR:
		if (!in)
			p->uart_lcr = (u8)val;
		return p->uart_lcr;
	case UART_LSR:
		return UART_LSR_THRE_TEMT;
	case UART_SCR:
		if (!in)
			p->uart_scratch = (u8)val;
		return p->uart_scratch;
	default:
		return 0;
	}
}

enum exit_action vmx_handle_io(struct vcpu *v)
{
	u64 q = vmread(EXIT_QUALIFICATION);
	unsigned int size = (q & IO_QUAL_SIZE_MASK) + 1;
	bool in = q & IO_QUAL_IN;
	u16 port = (u16)(q >> IO_QUAL_PORT_SHIFT);
	u32 mask = size_mask(size), val = (u32)v->gpr[GPR_RAX] & mask;

	if (unlikely(q & IO_QUAL_STRING)) {
		partition_stop(v->partition, "string I/O (INS/OUTS) is not emulated", -1);
		return EXIT_RESCHEDULE;
	}
	if (port - HV_CONSOLE_PORT < 8) {
		val = com1_access(v, port, in, val);
	} else if (port == HV_DEBUG_EXIT_PORT) {
		if (!in) {
			vmx_skip_instruction();
			partition_stop(v->partition, "debug-exit port", (int)val);
			return EXIT_RESCHEDULE;
		}
		val = mask;
	} else {
		val = mask;
	}
	if (in) {
		/* A 32-bit IN zero-extends into RAX; narrower ones keep the upper bits. */
		if (size == 4)
			v->gpr[GPR_RAX] = val;
		else
			v->gpr[GPR_RAX] = (v->gpr[GPR_RAX] & ~(u64)mask) | (val & mask);
	}
	vmx_skip_instruction();
	return EXIT_RESUME;
}
