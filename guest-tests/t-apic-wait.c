// SPDX-License-Identifier: GPL-2.0
/*
 * Waits only another vCPU can end (SDM Vol. 2A HLT, Vol. 3A 9.4.4): HLT with
 * interrupts disabled ends with an NMI or INIT, so hv no longer stops a
 * partition for it; a partition whose every vCPU waits where nothing can
 * wake it is stopped, saying so. Two vCPUs; the command line says what:
 *   nmi        vCPU 1 halts with IF clear; vCPU 0's NMI ends the halt
 *   init       ... vCPU 0's INIT and SIPI restart it
 *   all-halt   both halt with IF clear: hv stops the partition
 *   sipi       vCPU 0 halts with IF clear, vCPU 1 never started: the same
 */
#include <stdio.h>
#include <string.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define WAIT_TICKS 20000000ULL

static volatile unsigned int halted, resumed, nmis, restarted;

static void nmi_handler(void)
{
	nmis++;
}

static void halt_without_interrupts(void *arg __attribute__((unused)))
{
	apic_enable();
	__atomic_store_n(&halted, 1, __ATOMIC_SEQ_CST);
	asm volatile("cli; hlt" ::: "memory");
	__atomic_store_n(&resumed, 1, __ATOMIC_SEQ_CST);
	for (;;)
		asm volatile("sti; hlt");
}

static void restart(void *arg __attribute__((unused)))
{
	__atomic_store_n(&restarted, 1, __ATOMIC_SEQ_CST);
}

static bool wait_for(volatile unsigned int *v)
{
	uint64_t t0 = tsc_read();

	while (!__atomic_load_n(v, __ATOMIC_SEQ_CST))
		if (tsc_read() - t0 > WAIT_TICKS)
			return false;
	return true;
}

/*
 * Until vCPU 1 is surely in its HLT: its exit comes soon after the flag.
 * vCPU 0 spins (an HLT of its own, with nothing to end it, would leave no
 * vCPU running), and gives the CPU away when it shares one.
 */
static void let_it_halt(void)
{
	uint64_t t0;

	wait_for(&halted);
	t0 = tsc_read();
	while (tsc_read() - t0 < 2000000)
		asm volatile("pause" ::: "memory");
}

int main(void)
{
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	const char *arg = strchr(cmdline, ' ');
	static char stack[64 * 1024] __attribute__((aligned(16)));

	report_start();
	if (!arg) {
		printf("ABORT: the command line must say what: nmi, init, all-halt or sipi\n");
		return HV_EXIT_ABORT;
	}
	arg++;
	nmi_set_handler(nmi_handler);
	apic_enable();
	if (!strcmp(arg, "sipi")) {
		printf("vCPU 0 halts with interrupts disabled; vCPU 1 waits for a SIPI\n");
		asm volatile("cli; hlt");
		report(false, "the halt ended");
		return report_summary();
	}
	report(vcpu_start(1, halt_without_interrupts, NULL) == 0, "vCPU 1 starts");
	let_it_halt();
	report(!resumed, "vCPU 1 halted with interrupts disabled, and hv did not stop us");
	if (!strcmp(arg, "all-halt")) {
		printf("vCPU 0 halts with interrupts disabled too\n");
		asm volatile("cli; hlt");
		report(false, "the halt ended");
	} else if (!strcmp(arg, "nmi")) {
		apic_icr(1, ICR_NMI | ICR_ASSERT);
		report(wait_for(&resumed) && nmis == 1,
		       "an NMI from vCPU 0 ends vCPU 1's halt (%u)", nmis);
	} else if (!strcmp(arg, "init")) {
		vcpu_prepare_start(1, restart, NULL, stack);
		vcpu_send_init_sipi(1, 1);
		report(wait_for(&restarted) && !resumed,
		       "INIT and a SIPI from vCPU 0 restart the halted vCPU 1");
	}
	return report_summary();
}
