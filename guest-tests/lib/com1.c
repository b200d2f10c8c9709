// SPDX-License-Identifier: GPL-2.0
/*
 * The library's console backend: the 16550 UART at COM1, polled. A kernel
 * with a console of its own links the library without this file.
 */
#include <hv.h>
#include "libguest.h"

#define UART_THR 0 /* DLAB = 0 */
#define UART_DLL 0 /* DLAB = 1 */
#define UART_IER 1 /* DLAB = 0 */
#define UART_DLM 1 /* DLAB = 1 */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_MCR_DTR_RTS 0x03
#define UART_LSR_THRE 0x20
#define UART_DIVISOR_115200 1

void console_init(void)
{
	outb(HV_CONSOLE_PORT + UART_IER, 0);
	outb(HV_CONSOLE_PORT + UART_LCR, UART_LCR_DLAB);
	outb(HV_CONSOLE_PORT + UART_DLL, UART_DIVISOR_115200);
	outb(HV_CONSOLE_PORT + UART_DLM, 0);
	outb(HV_CONSOLE_PORT + UART_LCR, UART_LCR_8N1);
	outb(HV_CONSOLE_PORT + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(HV_CONSOLE_PORT + UART_MCR, UART_MCR_DTR_RTS);
}

/* An absent UART reads 0xff, THRE included: the poll cannot hang on it. */
static void uart_putc(char c)
{
	while (!(inb(HV_CONSOLE_PORT + UART_LSR) & UART_LSR_THRE))
		;
	outb(HV_CONSOLE_PORT + UART_THR, c);
}

/* A serial terminal wants CR LF. */
void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}
