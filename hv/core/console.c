// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/percpu.h>
#include <hv/core/platform.h>
#include <hv/core/spinlock.h>
#include <hv/lib/fmt.h>
#include <x86/hw.h>

#define COM1_BASE 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_DLL 0
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_MCR_DTR_RTS 0x03
#define UART_RBR 0
#define UART_LSR_DR 0x01
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_DIVISOR_115200 1
#define UART_POLL_LIMIT 100000

/* Bochs and QEMU echo 0xe9 when reading their debug port. */
#define DEBUG_PORT 0xe9

static struct spinlock console_lock = SPINLOCK_INIT;
static bool have_debug_port;
static bool have_uart;

void console_init(void)
{
	outb(COM1_BASE + UART_IER, 0);
	outb(COM1_BASE + UART_LCR, UART_LCR_DLAB);
	outb(COM1_BASE + UART_DLL, UART_DIVISOR_115200);
	outb(COM1_BASE + UART_DLM, 0);
	outb(COM1_BASE + UART_LCR, UART_LCR_8N1);
	outb(COM1_BASE + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(COM1_BASE + UART_MCR, UART_MCR_DTR_RTS);
	/* An absent UART reads as all-ones: don't poll it forever. */
	have_uart = inb(COM1_BASE + UART_LSR) != 0xff;
	have_debug_port = inb(DEBUG_PORT) == DEBUG_PORT;
}

size_t console_read(char *buf, size_t len)
{
	size_t n = 0;

	if (!have_uart)
		return 0;
	spin_lock(&console_lock);
	while (n < len && (inb(COM1_BASE + UART_LSR) & UART_LSR_DR))
		buf[n++] = (char)inb(COM1_BASE + UART_RBR);
	spin_unlock(&console_lock);
	return n;
}

static void uart_putc(char c)
{
	unsigned int i;

	for (i = 0; i < UART_POLL_LIMIT; i++)
		if (inb(COM1_BASE + UART_LSR) & UART_LSR_THRE)
			break;
	outb(COM1_BASE + UART_THR, c);
}

static void console_putc(char c)
{
	if (c == '\n')
		console_putc('\r');
	if (have_uart)
		uart_putc(c);
	if (have_debug_port && c != '\r')
		outb(DEBUG_PORT, c);
}

/* Waits until the UART has sent everything: before power-off, or bytes are lost. */
void console_flush(void)
{
	unsigned int i;

	for (i = 0; have_uart && i < UART_POLL_LIMIT; i++)
		if (inb(COM1_BASE + UART_LSR) & UART_LSR_TEMT)
			break;
}

void console_write(const char *s, size_t len)
{
	spin_lock(&console_lock);
	while (len--)
		console_putc(*s++);
	spin_unlock(&console_lock);
}

static void vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf)) {
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	console_write(buf, n);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	irq_disable();
	printk("\nhv: PANIC on CPU %u: ", this_cpu_id());
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\nhv: powering off\n");
	platform_poweroff();
}
