// SPDX-License-Identifier: GPL-2.0
/*
 * Write-forwarded RAM pages (the ioreq-server page type): through the test
 * device the guest has the service claim the type and mark one of its
 * pages. Writes to that page reach the service in order and happen (or not)
 * as it decides; reads are plain RAM reads; a second claim fails; disclaim
 * makes the page plain RAM again.
 */
#include <stdio.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

#define PAGE 4096UL
#define WP_PAGE (72UL << 20)
#define MMIO ((volatile uint8_t *)HV_TESTDEV_MMIO)

static int32_t command(uint32_t cmd, uint32_t arg)
{
	outl(HV_TESTDEV_PORT + HV_TESTDEV_ARG, arg);
	outl(HV_TESTDEV_PORT + HV_TESTDEV_CMD, cmd);
	return (int32_t)inl(HV_TESTDEV_PORT + HV_TESTDEV_ARG);
}

static uint64_t wp_count(void)
{
	return *(volatile uint64_t *)(MMIO + HV_TESTDEV_MMIO_WP_COUNT);
}

static uint64_t wp_log(unsigned int i, unsigned int field)
{
	return *(volatile uint64_t *)(MMIO + HV_TESTDEV_MMIO_WP_LOG + 16 * i + 8 * field);
}

int main(void)
{
	volatile uint64_t *page = (volatile uint64_t *)WP_PAGE;
	uint64_t reads_before, t_ram, t_wp;
	int32_t ret;

	report_start();
	page[0] = 0x1111;
	page[1] = 0x2222;
	report(command(HV_TESTDEV_CMD_WP_MARK, WP_PAGE / PAGE) == -HV_EPERM,
	       "marking a page before anyone claimed the type is refused");
	report(command(HV_TESTDEV_CMD_WP_CLAIM, 0) == 0, "the service claims the page type");
	report(command(HV_TESTDEV_CMD_WP_CLAIM, 0) == -HV_EBUSY, "a second claim fails: -HV_EBUSY");
	ret = command(HV_TESTDEV_CMD_WP_MARK, WP_PAGE / PAGE);
	report(ret == 0, "it marks one guest page (%d)", ret);
	command(HV_TESTDEV_CMD_WP_RESET_LOG, 0);

	page[2] = 0xaaaa;
	*(volatile uint32_t *)(WP_PAGE + 0x20) = 0xbbbbbbbb;
	*(volatile uint8_t *)(WP_PAGE + 0xfff) = 0xcc;
	report(wp_count() == 3, "three writes reached the service (%lu)",
	       (unsigned long)wp_count());
	report(wp_log(0, 0) == WP_PAGE + 16 && wp_log(0, 1) == 0xaaaa &&
		       wp_log(1, 0) == WP_PAGE + 0x20 && wp_log(1, 1) == 0xbbbbbbbb &&
		       wp_log(2, 0) == WP_PAGE + 0xfff && wp_log(2, 1) == 0xcc,
	       "in order, with address and value");
	report(page[2] == 0xaaaa && *(volatile uint8_t *)(WP_PAGE + 0xfff) == 0xcc,
	       "the service let them happen: the page holds the values");

	reads_before = wp_count();
	t_ram = tsc_measure((void)*(volatile uint64_t *)(WP_PAGE + 8 * PAGE));
	t_wp = tsc_measure((void)page[0]);
	report(page[0] == 0x1111 && page[1] == 0x2222 && wp_count() == reads_before,
	       "reads see the page's contents without a request");
	report(t_wp <= t_ram + 10, "a read of the page costs what any RAM read does (%lu vs %lu)",
	       (unsigned long)t_wp, (unsigned long)t_ram);

	command(HV_TESTDEV_CMD_WP_APPLY, 0);
	page[0] = 0xdead;
	report(page[0] == 0x1111 && wp_count() == reads_before + 1 && wp_log(3, 1) == 0xdead,
	       "a write the service drops is logged but does not happen");
	command(HV_TESTDEV_CMD_WP_APPLY, 1);

	/* A write across two forwarded pages is one forwarded write; the service applies it. */
	command(HV_TESTDEV_CMD_WP_MARK, (WP_PAGE + PAGE) / PAGE);
	command(HV_TESTDEV_CMD_WP_RESET_LOG, 0);
	*(volatile uint32_t *)(WP_PAGE + PAGE - 2) = 0x44332211;
	report(wp_count() == 1 && wp_log(0, 0) == WP_PAGE + PAGE - 2 &&
		       wp_log(0, 1) == 0x44332211 &&
		       *(volatile uint32_t *)(WP_PAGE + PAGE - 2) == 0x44332211,
	       "a write across two forwarded pages is one forwarded write (%lu, at %#lx)",
	       (unsigned long)wp_count(), (unsigned long)wp_log(0, 0));
	command(HV_TESTDEV_CMD_WP_UNMARK, (WP_PAGE + PAGE) / PAGE);
	reads_before = 0; /* the log holds that one write */

	report(command(HV_TESTDEV_CMD_WP_DISCLAIM, 0) == 0, "the service disclaims the type");
	page[0] = 0x4242;
	report(page[0] == 0x4242 && wp_count() == reads_before + 1,
	       "the page is plain RAM again: the write happens, no request");
	report(command(HV_TESTDEV_CMD_WP_DISCLAIM, 0) == -HV_EINVAL,
	       "disclaiming again is refused: -HV_EINVAL");
	report(command(HV_TESTDEV_CMD_WP_CLAIM, 0) == 0 &&
		       hypercall(HV_HC_TEST_EPT_SET_TYPE, WP_PAGE + PAGE, PAGE, HV_PAGE_RAM_RO,
				 0) == 0 &&
		       command(HV_TESTDEV_CMD_WP_MARK, (WP_PAGE + PAGE) / PAGE) == -HV_EINVAL,
	       "only plain RAM pages can become ioreq-server pages");
	command(HV_TESTDEV_CMD_WP_DISCLAIM, 0);

	/*
	 * The service disclaims while hv waits for its answer to a forwarded
	 * write, and answers DROP: the write must still happen, run again as a
	 * plain RAM write, not be dropped or fail.
	 */
	command(HV_TESTDEV_CMD_WP_CLAIM, 0);
	command(HV_TESTDEV_CMD_WP_MARK, WP_PAGE / PAGE);
	command(HV_TESTDEV_CMD_WP_RESET_LOG, 0);
	command(HV_TESTDEV_CMD_WP_APPLY, 0);
	command(HV_TESTDEV_CMD_WP_RACE, 0);
	page[5] = 0x5555;
	report(page[5] == 0x5555 && wp_count() == 1,
	       "a write that raced with a disclaim runs again as a plain write (logged %lu)",
	       (unsigned long)wp_count());
	command(HV_TESTDEV_CMD_WP_APPLY, 1);
	page[6] = 0x6666;
	report(page[6] == 0x6666 && wp_count() == 1 &&
		       command(HV_TESTDEV_CMD_WP_MARK, WP_PAGE / PAGE) == -HV_EPERM,
	       "and the type is gone: later writes are not forwarded");
	return report_summary();
}
