/* SPDX-License-Identifier: GPL-2.0 */
/* hv's console: COM1 at 115200 8N1, mirrored to the 0xe9 debug port when present. */
#ifndef HV_CORE_CONSOLE_H
#define HV_CORE_CONSOLE_H

#include <types.h>

void console_init(void);
/* Writes whole lines atomically with respect to other CPUs. */
void console_write(const char *s, size_t len);
void printk(const char *fmt, ...) __printf(1, 2);
void console_flush(void);
/* Takes up to @len bytes typed on the console (COM1's receiver) without waiting. */
size_t console_read(char *buf, size_t len);

/* Prints the message, the CPU and a register dump if given, then powers off. */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (unlikely(cond))                                           \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif /* HV_CORE_CONSOLE_H */
