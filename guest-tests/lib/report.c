// SPDX-License-Identifier: GPL-2.0
/* Test reporting in the kvm-unit-tests style, and the way out. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <hv.h>
#include "libguest.h"

static unsigned int tests, failures, skipped;

void report_begin(const char *file)
{
	const char *name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	const char *dot = strrchr(name, '.');

	printf("TEST %.*s\n", dot ? (int)(dot - name) : (int)strlen(name), name);
}

void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!ok)
		failures++;
	printf("%s: ", ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void report_skip(const char *fmt, ...)
{
	va_list ap;

	tests++;
	skipped++;
	printf("SKIP: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int report_summary(void)
{
	printf("SUMMARY: %u tests, %u unexpected failures, %u skipped\n", tests, failures, skipped);
	if (failures)
		return HV_EXIT_FAIL;
	return tests && skipped == tests ? HV_EXIT_SKIP : HV_EXIT_PASS;
}

/* newlib's exit() ends here. */
void _exit(int code)
{
	guest_exit(code);
}

/* Bochs powers off when this string is written to its shutdown port. */
#define BOCHS_SHUTDOWN_PORT 0x8900
#define BOCHS_SHUTDOWN "Shutdown"

void guest_exit(int code)
{
	const char *p;

	outb(HV_DEBUG_EXIT_PORT, code);
	/*
	 * Still here: no hv, and no debug-exit device (booted directly, for
	 * comparisons or in the native layer): say the code, then end Bochs.
	 */
	printf("EXIT: %d\n", code);
	for (p = BOCHS_SHUTDOWN; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, *p);
	for (;;)
		asm volatile("cli; hlt");
}
