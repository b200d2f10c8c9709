// SPDX-License-Identifier: GPL-2.0
/* Port I/O: hv's COM1 model, and ports nobody serves (read all-ones, writes dropped). */
#include <hv.h>
#include "libguest.h"

#define COM1_LSR (HV_CONSOLE_PORT + 5)
#define COM1_SCR (HV_CONSOLE_PORT + 7)
#define LSR_THRE_TEMT 0x60
/* A real UART is still sending what was printed; hv's model is never busy. */
#define LSR_POLLS 100000
/* No device here on the PC or in hv; 0x510-0x51b is QEMU's fw_cfg, not 0x51c. */
static const uint16_t unserved_ports[] = { 0x51c, 0x1234 };

static void check_unserved(uint16_t port)
{
	report(inb(port) == 0xff, "inb %#x reads 0xff", port);
	report(inw(port) == 0xffff, "inw %#x reads 0xffff", port);
	report(inl(port) == 0xffffffff, "inl %#x reads 0xffffffff", port);
	outb(port, 0);
	report(inb(port) == 0xff, "outb 0 to %#x is dropped", port);
	outw(port, 0x1234);
	report(inw(port) == 0xffff, "outw 0x1234 to %#x is dropped", port);
	outl(port, 0x12345678);
	report(inl(port) == 0xffffffff, "outl 0x12345678 to %#x is dropped", port);
}

int main(void)
{
	uint8_t lsr = 0;

	report_start();
	/* Everything printed so far went out through THR: the harness sees it. */
	for (int i = 0; i < LSR_POLLS && (lsr & LSR_THRE_TEMT) != LSR_THRE_TEMT; i++)
		lsr = inb(COM1_LSR);
	report((lsr & LSR_THRE_TEMT) == LSR_THRE_TEMT, "COM1 LSR %#x has THRE and TEMT", lsr);
	outb(COM1_SCR, 0x5a);
	report(inb(COM1_SCR) == 0x5a, "COM1 scratch register keeps 0x5a");
	outb(COM1_SCR, 0xa5);
	report(inb(COM1_SCR) == 0xa5, "COM1 scratch register keeps 0xa5");

	for (unsigned int i = 0; i < sizeof(unserved_ports) / sizeof(unserved_ports[0]); i++)
		check_unserved(unserved_ports[i]);

	return report_summary();
}
