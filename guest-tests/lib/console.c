// SPDX-License-Identifier: GPL-2.0
/*
 * The console: the 16550 UART at COM1, polled. newlib's I/O calls end in the
 * stubs below (the target defines MISSING_SYSCALL_NAMES: write, not _write);
 * stdout and stderr go to the UART, there is no input.
 */
#include <errno.h>
#include <sys/stat.h>
#include <hv.h>
#include "libguest.h"
#include "guest.h"

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

static bool is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

int write(int fd, const void *buf, size_t len)
{
	const char *s = buf;

	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
	return len;
}

int read(int fd, void *buf, size_t len)
{
	(void)buf;
	(void)len;
	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

int close(int fd)
{
	(void)fd;
	errno = EBADF;
	return -1;
}

int fstat(int fd, struct stat *st)
{
	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	*st = (struct stat){ .st_mode = S_IFCHR };
	return 0;
}

int isatty(int fd)
{
	return is_console(fd);
}

off_t lseek(int fd, off_t offset, int whence)
{
	(void)fd;
	(void)offset;
	(void)whence;
	errno = ESPIPE;
	return -1;
}
