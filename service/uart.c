// SPDX-License-Identifier: GPL-2.0
/*
 * The guests' COM1: a 16550 (National Semiconductor PC16550D datasheet)
 * whose transmitted bytes appear on hv's console as "[<guest name>]
 * <line>", one line per HV_HC_CONSOLE_WRITE: the test harness parses those
 * lines. Bytes typed on hv's console arrive in the receive FIFO
 * (uart_receive()). The interrupt line is IRQ 4, gated by MCR's OUT2 as on
 * PCs; IIR names the highest-priority cause: line status (an overrun), then
 * received data, then the transmitter holding register empty. The
 * transmitter takes a byte at once, so it is always empty again; in
 * loopback mode (MCR bit 4) bytes go to the receiver instead and MSR shows
 * MCR's outputs.
 *
 * A guest that transmits more than UART_FLOOD_BYTES within a second of TSC
 * time loses the rest of that second's output, with one line saying so:
 * hv's console is shared by every partition.
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

#define UART_IER_THRI 0x02 /* transmitter holding register empty */
#define UART_IER_RLSI 0x04 /* receiver line status */
#define UART_IER_MASK 0x0f /* the four interrupt enables; the other bits read 0 */
#define UART_IIR_NO_INTERRUPT 0x01
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_FIFO_ENABLED 0xc0
#define UART_FCR_FIFO_ENABLE 0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_LCR_DLAB 0x80
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08 /* on PCs: connects the interrupt line */
#define UART_MCR_LOOP 0x10
#define UART_MCR_MASK 0x1f
#define UART_LSR_DR 0x01 /* data ready */
#define UART_LSR_OE 0x02 /* overrun */
#define UART_LSR_THRE 0x20 /* the transmitter takes a byte at once ... */
#define UART_LSR_TEMT 0x40 /* ... and is always empty again */
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80
/* Modem lines of a terminal that is always there: carrier, data set ready, clear to send. */
#define UART_MSR_DCD_DSR_CTS (UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)
#define UART_FLOOD_BYTES (64U * 1024U)

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

/* IIR's cause, highest priority first; 0 when none. */
static uint8_t uart_cause(const struct uart *uart)
{
	if ((uart->ier & UART_IER_RLSI) && uart->lsr_errors)
		return UART_IIR_RLSI;
	if ((uart->ier & UART_IER_RDI) && uart->rx_count)
		return UART_IIR_RDI;
	if ((uart->ier & UART_IER_THRI) && uart->thre_pending)
		return UART_IIR_THRI;
	return 0;
}

/* IRQ 4 follows the cause, through OUT2; its rising edges interrupt. */
static void uart_update_irq(struct channel *ch)
{
	struct uart *uart = &ch->uart;
	bool level = uart_cause(uart) && (uart->mcr & UART_MCR_OUT2);

	if (level != uart->irq_line) {
		uart->irq_line = level;
		irq_set_isa_line(ch, HV_IRQ_COM1, level);
	}
}

bool uart_receive(struct channel *ch, uint8_t byte)
{
	struct uart *uart = &ch->uart;

	if (uart->rx_count == UART_RX_FIFO) {
		uart->lsr_errors |= UART_LSR_OE;
		uart_update_irq(ch);
		return false;
	}
	uart->rx[(uart->rx_head + uart->rx_count++) % UART_RX_FIFO] = byte;
	uart_update_irq(ch);
	return true;
}

static uint8_t uart_pop(struct uart *uart)
{
	uint8_t byte;

	if (!uart->rx_count)
		return 0;
	byte = uart->rx[uart->rx_head];
	uart->rx_head = (uart->rx_head + 1) % UART_RX_FIFO;
	uart->rx_count--;
	return byte;
}

/* Whether the guest may still write to hv's console in this second (UART_FLOOD_BYTES). */
static bool uart_within_rate(struct channel *ch)
{
	struct uart *uart = &ch->uart;
	uint64_t now = svc_now();

	if (now - uart->tx_window_start >= svc_tsc_hz) {
		uart->tx_window_start = now;
		uart->tx_bytes = 0;
	}
	if (uart->tx_bytes++ < UART_FLOOD_BYTES)
		return true;
	if (!uart->flood_reported) {
		uart->flood_reported = true;
		uart_flush(ch);
		printf("service: [%s] floods its UART (over %u bytes a second): the rest of each "
		       "such second is dropped\n",
		       ch->name, UART_FLOOD_BYTES);
	}
	return false;
}

static void uart_transmit(struct channel *ch, char c)
{
	struct uart *uart = &ch->uart;

	if (uart->mcr & UART_MCR_LOOP) {
		uart_receive(ch, (uint8_t)c);
		return;
	}
	if (c == '\r' || !uart_within_rate(ch))
		return;
	if (c != '\n')
		uart->line[uart->line_len++] = c;
	if (c == '\n' || uart->line_len == UART_LINE_LEN)
		uart_emit_line(ch);
}

/* MSR: a terminal that is always there, or in loopback MCR's outputs. */
static uint8_t uart_msr(const struct uart *uart)
{
	uint8_t mcr = uart->mcr;

	if (!(mcr & UART_MCR_LOOP))
		return UART_MSR_DCD_DSR_CTS;
	return (mcr & UART_MCR_RTS ? UART_MSR_CTS : 0) | (mcr & UART_MCR_DTR ? UART_MSR_DSR : 0) |
	       (mcr & UART_MCR_OUT1 ? UART_MSR_RI : 0) | (mcr & UART_MCR_OUT2 ? UART_MSR_DCD : 0);
}

static uint8_t uart_register_read(struct channel *ch, unsigned int reg)
{
	struct uart *uart = &ch->uart;
	bool dlab = uart->lcr & UART_LCR_DLAB;
	uint8_t value;

	switch (reg) {
	case UART_RBR:
		if (dlab)
			return uart->dll;
		value = uart_pop(uart);
		uart_update_irq(ch);
		return value;
	case UART_IER:
		return dlab ? uart->dlm : uart->ier;
	case UART_IIR:
		value = uart_cause(uart);
		/* Reading IIR while it shows the transmitter empty clears that cause. */
		if (value == UART_IIR_THRI) {
			uart->thre_pending = false;
			uart_update_irq(ch);
		}
		return (value ? value : UART_IIR_NO_INTERRUPT) |
		       (uart->fifo_enabled ? UART_IIR_FIFO_ENABLED : 0);
	case UART_LCR:
		return uart->lcr;
	case UART_MCR:
		return uart->mcr;
	case UART_LSR:
		value = UART_LSR_THRE | UART_LSR_TEMT | uart->lsr_errors |
			(uart->rx_count ? UART_LSR_DR : 0);
		uart->lsr_errors = 0;
		uart_update_irq(ch);
		return value;
	case UART_MSR:
		return uart_msr(uart);
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
		if (dlab) {
			uart->dll = value;
			break;
		}
		uart_transmit(ch, (char)value);
		/* Sent at once: the holding register is empty again. */
		uart->thre_pending = true;
		break;
	case UART_IER:
		if (dlab) {
			uart->dlm = value;
			break;
		}
		/* Enabling the empty interrupt while the register is empty raises it. */
		if ((value & UART_IER_THRI) && !(uart->ier & UART_IER_THRI))
			uart->thre_pending = true;
		uart->ier = value & UART_IER_MASK;
		break;
	case UART_FCR:
		uart->fifo_enabled = value & UART_FCR_FIFO_ENABLE;
		if (value & UART_FCR_CLEAR_RCVR)
			uart->rx_count = 0;
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
		value |= (uint64_t)uart_register_read(ch, offset + i) << (8 * i);
	return value;
}

void uart_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		uart_register_write(ch, offset + i, value >> (8 * i));
	uart_update_irq(ch);
}
