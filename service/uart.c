// SPDX-License-Identifier: GPL-2.0
/*
 * The guests' COM1: a 16550 whose transmitted bytes appear on hv's console
 * as "[<guest name>] <line>", one line per HV_HC_CONSOLE_WRITE, as hv
 * printed guest output itself before the service partition existed: the
 * test harness parses those lines. Nothing is ever received, and there is
 * no interrupt line: IIR always says no interrupt is pending.
 */
#include <stdio.h>
#include <hypercall.h>
#include "service.h"

#define UART_THR 0 /* write, DLAB = 0 */
#define UART_RBR 0 /* read, DLAB = 0 */
#define UART_DLL 0 /* DLAB = 1 */
#define UART_IER 1 /* DLAB = 0 */
#define UART_DLM 1 /* DLAB = 1 */
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define UART_IER_MASK 0x0f /* the four interrupt enables; the other bits read 0 */
#define UART_IIR_NO_INTERRUPT 0x01
#define UART_IIR_FIFO_ENABLED 0xc0
#define UART_FCR_FIFO_ENABLE 0x01
#define UART_LCR_DLAB 0x80
#define UART_MCR_MASK 0x1f
#define UART_LSR_THRE 0x20 /* the transmitter takes a byte at once ... */
#define UART_LSR_TEMT 0x40 /* ... and is always empty again */
/* Modem lines of a terminal that is always there: carrier, data set ready, clear to send. */
#define UART_MSR_DCD_DSR_CTS 0xb0

void uart_reset(struct uart *uart)
{
	*uart = (struct uart){ 0 };
}

/* One HV_HC_CONSOLE_WRITE per line: hv's own lines cannot end up inside it. */
static void uart_emit_line(struct channel *ch)
{
	struct uart *uart = &ch->uart;
	char text[GUEST_NAME_SIZE + UART_LINE_LEN + sizeof("[] \n")];
	int len = snprintf(text, sizeof(text), "[%s] %.*s\n", ch->name, (int)uart->line_len,
			   uart->line);

	/* A failure could only be reported on this same console. */
	svc_hypercall(HV_HC_CONSOLE_WRITE, (uintptr_t)text, (uint64_t)len, 0, 0);
	uart->line_len = 0;
}

void uart_flush(struct channel *ch)
{
	if (ch->uart.line_len)
		uart_emit_line(ch);
}

static void uart_transmit(struct channel *ch, char c)
{
	struct uart *uart = &ch->uart;

	if (c == '\r')
		return;
	if (c != '\n')
		uart->line[uart->line_len++] = c;
	if (c == '\n' || uart->line_len == UART_LINE_LEN)
		uart_emit_line(ch);
}

static uint8_t uart_register_read(const struct uart *uart, unsigned int reg)
{
	bool dlab = uart->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR:
		return dlab ? uart->dll : 0;
	case UART_IER:
		return dlab ? uart->dlm : uart->ier;
	case UART_IIR:
		return UART_IIR_NO_INTERRUPT | (uart->fifo_enabled ? UART_IIR_FIFO_ENABLED : 0);
	case UART_LCR:
		return uart->lcr;
	case UART_MCR:
		return uart->mcr;
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT;
	case UART_MSR:
		return UART_MSR_DCD_DSR_CTS;
	default: /* UART_SCR, the last of the device's 8 ports */
		return uart->scr;
	}
}

/* LSR and MSR are read-only: writes to them are dropped. */
static void uart_register_write(struct channel *ch, unsigned int reg, uint8_t value)
{
	struct uart *uart = &ch->uart;
	bool dlab = uart->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_THR:
		if (dlab)
			uart->dll = value;
		else
			uart_transmit(ch, (char)value);
		break;
	case UART_IER:
		if (dlab)
			uart->dlm = value;
		else
			uart->ier = value & UART_IER_MASK;
		break;
	case UART_FCR:
		uart->fifo_enabled = value & UART_FCR_FIFO_ENABLE;
		break;
	case UART_LCR:
		uart->lcr = value;
		break;
	case UART_MCR:
		uart->mcr = value & UART_MCR_MASK;
		break;
	case UART_SCR:
		uart->scr = value;
		break;
	}
}

/* The registers are bytes: a wider access covers the next ones too, as on the ISA bus. */
uint64_t uart_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	uint64_t value = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		value |= (uint64_t)uart_register_read(&ch->uart, offset + i) << (8 * i);
	return value;
}

void uart_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		uart_register_write(ch, offset + i, value >> (8 * i));
}
